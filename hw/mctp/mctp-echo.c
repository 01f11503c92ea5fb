/*
 * Code Construct's vendor-defined (PCI VID 0xCCDE, type 0x7E) echo
 * (CC DE F0) and bench (CC DE F1) messages, as used by the mctp-req,
 * mctp-echo and mctp-bench tools: the responder, and mctp-echo, an
 * MCTP-over-I2C endpoint hosting it beside the control protocol.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "migration/vmstate.h"
#include "hw/mctp/mctp-echo.h"
#include "trace.h"

#define CC_VENDOR_HI            0xcc
#define CC_VENDOR_LO            0xde
#define CC_CMD_ECHO             0xf0
#define CC_CMD_BENCH            0xf1
#define CC_PREFIX_LEN           4   /* 7E CC DE Fx */

#define BENCH_MAGIC_DATA        0xbeca
#define BENCH_MAGIC_CMD         0x22dd
#define BENCH_VERSION           1
#define BENCH_CMD_RESPONSE      0
#define BENCH_CMD_REQUEST       1
#define BENCH_SEQ_START         0xfffffffaU
/* 7E CC DE F1, magic, version, command, iid */
#define BENCH_CMD_HDR_LEN       (CC_PREFIX_LEN + 2 + 1 + 1 + 4)
/* flags u32, payload size u16, message count u64 */
#define BENCH_REQ_BODY_LEN      (4 + 2 + 8)
/* CC DE F1, magic, sequence (the payload size counts these) */
#define BENCH_DATA_HDR_LEN      (3 + 2 + 4)

enum {
    BENCH_STATUS_SUCCESS = 0,
    BENCH_STATUS_ERROR = 1,
    BENCH_STATUS_UNKNOWN_CMD = 2,
    BENCH_STATUS_BAD_ARG = 3,
};

static void mctp_echo_bench_send(MCTPEcho *s, MCTPCore *core)
{
    size_t len = 1 + s->bench_size;
    g_autofree uint8_t *msg = g_malloc(len);
    size_t i;

    msg[0] = MCTP_MSG_TYPE_VDM_PCI;
    msg[1] = CC_VENDOR_HI;
    msg[2] = CC_VENDOR_LO;
    msg[3] = CC_CMD_BENCH;
    stw_le_p(msg + 4, BENCH_MAGIC_DATA);
    stl_le_p(msg + 6, s->bench_seq);
    for (i = 1 + BENCH_DATA_HDR_LEN; i < len; i++) {
        msg[i] = i - (1 + BENCH_DATA_HDR_LEN);
    }
    trace_mctp_echo_bench_send(s->bench_seq, s->bench_remaining);
    s->bench_seq++;
    s->bench_remaining--;
    if (!s->bench_remaining) {
        s->bench_active = false;
    }
    mctp_core_send_request(core, s->bench_eid, s->bench_phys, msg, len);
}

static void mctp_echo_tx_done(MCTPCore *core, void *opaque, bool ok)
{
    MCTPEcho *s = opaque;

    if (!ok) {
        s->bench_active = false;
        return;
    }
    if (s->bench_active) {
        mctp_echo_bench_send(s, core);
    }
}

static void mctp_echo_bench(MCTPEcho *s, MCTPCore *core,
                            const MCTPMsgCtx *ctx,
                            const uint8_t *msg, size_t len)
{
    uint8_t rsp[BENCH_CMD_HDR_LEN + 1];
    uint8_t status;
    uint16_t size = 0;
    uint64_t count = 0;

    if (len < CC_PREFIX_LEN + 2) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    switch (lduw_le_p(msg + 4)) {
    case BENCH_MAGIC_DATA:
        /* a peer benchmarking us: consume silently */
        return;
    case BENCH_MAGIC_CMD:
        break;
    default:
        mctp_core_drop(core, MCTP_DROP_UNSUPPORTED_TYPE);
        return;
    }
    if (len < BENCH_CMD_HDR_LEN) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (msg[7] == BENCH_CMD_RESPONSE) {
        /* a response to a request we never sent */
        mctp_core_drop(core, MCTP_DROP_NOT_REQUEST);
        return;
    }
    if (msg[6] != BENCH_VERSION) {
        status = BENCH_STATUS_BAD_ARG;
    } else if (msg[7] != BENCH_CMD_REQUEST) {
        status = BENCH_STATUS_UNKNOWN_CMD;
    } else if (len != BENCH_CMD_HDR_LEN + BENCH_REQ_BODY_LEN) {
        status = BENCH_STATUS_BAD_ARG;
    } else {
        size = lduw_le_p(msg + BENCH_CMD_HDR_LEN + 4);
        count = ldq_le_p(msg + BENCH_CMD_HDR_LEN + 6);
        if (size < BENCH_DATA_HDR_LEN || 1 + size > core->max_msg_size ||
            count == 0) {
            status = BENCH_STATUS_BAD_ARG;
        } else {
            status = BENCH_STATUS_SUCCESS;
        }
    }
    memcpy(rsp, msg, BENCH_CMD_HDR_LEN);
    rsp[7] = BENCH_CMD_RESPONSE;
    rsp[BENCH_CMD_HDR_LEN] = status;
    trace_mctp_echo_bench_request(size, count, status);
    if (status == BENCH_STATUS_SUCCESS) {
        /* the stream starts once the response is out (tx_done) */
        s->bench_active = true;
        s->bench_eid = ctx->src_eid;
        s->bench_phys = ctx->phys;
        s->bench_size = size;
        s->bench_seq = BENCH_SEQ_START;
        s->bench_remaining = count;
    }
    if (!mctp_core_respond(core, ctx, rsp, sizeof(rsp))) {
        s->bench_active = false;
    }
}

static void mctp_echo_handle(MCTPCore *core, void *opaque,
                             const MCTPMsgCtx *ctx,
                             const uint8_t *msg, size_t len)
{
    MCTPEcho *s = opaque;

    if (len < CC_PREFIX_LEN) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (msg[1] != CC_VENDOR_HI || msg[2] != CC_VENDOR_LO) {
        mctp_core_drop(core, MCTP_DROP_UNSUPPORTED_TYPE);
        return;
    }
    switch (msg[3]) {
    case CC_CMD_ECHO:
        trace_mctp_echo(len);
        mctp_core_respond(core, ctx, msg, len);
        break;
    case CC_CMD_BENCH:
        mctp_echo_bench(s, core, ctx, msg, len);
        break;
    default:
        mctp_core_drop(core, MCTP_DROP_UNSUPPORTED_TYPE);
        break;
    }
}

static const uint32_t mctp_echo_versions[] = {
    MCTP_VERSION(1, 0, MCTP_VERSION_NO_UPDATE),
};

static const MCTPVendorSupport mctp_echo_vendor[] = {
    { .format = 0x00, .vendor_id = 0xccde, .cmd_set = 0x0000 },
};

static const MCTPResponderInfo mctp_echo_responder = {
    .type = MCTP_MSG_TYPE_VDM_PCI,
    .versions = mctp_echo_versions,
    .nr_versions = ARRAY_SIZE(mctp_echo_versions),
    .vendor = mctp_echo_vendor,
    .nr_vendor = ARRAY_SIZE(mctp_echo_vendor),
    .handle = mctp_echo_handle,
    .tx_done = mctp_echo_tx_done,
};

bool mctp_echo_attach(MCTPEcho *s, MCTPCore *core, Error **errp)
{
    s->core = core;
    return mctp_core_add_responder(core, &mctp_echo_responder, s, errp);
}

void mctp_echo_reset(MCTPEcho *s)
{
    s->bench_active = false;
    s->bench_remaining = 0;
}

static int mctp_echo_post_load(void *opaque, int version_id)
{
    MCTPEcho *s = opaque;

    if (s->bench_active &&
        (s->bench_size < BENCH_DATA_HDR_LEN ||
         1 + s->bench_size > s->core->max_msg_size)) {
        return -EINVAL;
    }
    return 0;
}

const VMStateDescription vmstate_mctp_echo_responder = {
    .name = "mctp-echo-responder",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = mctp_echo_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(bench_active, MCTPEcho),
        VMSTATE_UINT8(bench_eid, MCTPEcho),
        VMSTATE_UINT16(bench_size, MCTPEcho),
        VMSTATE_UINT32(bench_phys, MCTPEcho),
        VMSTATE_UINT32(bench_seq, MCTPEcho),
        VMSTATE_UINT64(bench_remaining, MCTPEcho),
        VMSTATE_END_OF_LIST()
    },
};
