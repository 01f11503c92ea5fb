/*
 * Code Construct's vendor-defined echo and bench (PCI VID 0xCCDE,
 * message type 0x7E): a responder any MCTP binding can host
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_ECHO_H
#define HW_MCTP_MCTP_ECHO_H

#include "hw/mctp/mctp.h"

typedef struct MCTPEcho {
    MCTPCore *core;

    /* mctp-bench stream towards the requester */
    bool bench_active;
    uint8_t bench_eid;
    uint16_t bench_size;
    uint32_t bench_phys;
    uint32_t bench_seq;
    uint64_t bench_remaining;
} MCTPEcho;

extern const VMStateDescription vmstate_mctp_echo_responder;

/* Register with @core (after mctp_core_realize()) */
bool mctp_echo_attach(MCTPEcho *s, MCTPCore *core, Error **errp);
void mctp_echo_reset(MCTPEcho *s);

#endif
