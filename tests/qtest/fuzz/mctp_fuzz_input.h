/*
 * What the MCTP fuzz targets (mctp_i2c_fuzz.c, mctp_usb_fuzz.c) share:
 * reading the fuzzer's input, making a message's integrity check right
 * for its type, the clock steps an input asks for
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MCTP_FUZZ_INPUT_H
#define MCTP_FUZZ_INPUT_H

#include "qemu/bswap.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "tests/qtest/mctp-util.h"

/* The rest of an input; reads past its end give zeros */
typedef struct Input {
    const uint8_t *p;
    size_t n;
} Input;

static inline uint8_t in_u8(Input *in)
{
    uint8_t v = 0;

    if (in->n) {
        v = *in->p++;
        in->n--;
    }
    return v;
}

static inline uint16_t in_u16(Input *in)
{
    return in_u8(in) | in_u8(in) << 8;
}

static inline uint32_t in_u32(Input *in)
{
    return in_u16(in) | (uint32_t)in_u16(in) << 16;
}

/* Up to @len bytes of the input into @buf, zeros past its end */
static inline void in_bytes(Input *in, uint8_t *buf, size_t len)
{
    size_t take = MIN(len, in->n);

    memcpy(buf, in->p, take);
    memset(buf + take, 0, len - take);
    in->p += take;
    in->n -= take;
}

/*
 * A clock step from one input byte: 1 to 128 ms, or whole seconds for
 * reassembly timeouts; never 0, which qtest refuses
 */
static inline int64_t in_clock_step(Input *in)
{
    uint8_t v = in_u8(in);

    return v & 0x80 ? ((v & 7) + 1) * NANOSECONDS_PER_SECOND
                    : ((v & 0x7f) + 1) * 1000 * 1000;
}

/*
 * Run what is ready (bottom halves, expired timers) without waiting:
 * in a fuzz target QEMU's main loop runs only when asked, and
 * flush_events() may block until the next timer deadline, in real time,
 * which the frozen virtual clock of qtest never reaches
 */
static inline void mctp_fuzz_run_events(void)
{
    int i;

    for (i = 0; i < 16 && g_main_context_pending(NULL); i++) {
        main_loop_wait(true);
    }
}

/* Make the message's integrity check right for its type */
static inline void mctp_fuzz_fix_integrity(uint8_t *msg, size_t len)
{
    size_t plen, pos;

    if ((msg[0] & 0x7f) == 0x04 && len >= 8) {
        /* NVMe-MI with its MIC */
        stl_le_p(msg + len - 4, mctp_t_crc32c(msg, len - 4));
    } else if (msg[0] == 0x02 && len >= 1 + 16) {
        /* NC-SI: the checksum after the padded payload */
        plen = lduw_be_p(msg + 7) & 0xfff;
        pos = 1 + 16 + ROUND_UP(plen, 4);
        if (pos + 4 <= len) {
            stl_be_p(msg + pos, mctp_t_ncsi_checksum(msg + 1, 16 + plen));
        }
    }
}

#endif
