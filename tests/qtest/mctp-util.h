/*
 * MCTP-over-SMBus framing for qtests that play the BMC (requester)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MCTP_UTIL_H
#define MCTP_UTIL_H

#include "aspeed-i2c-bmc.h"

#define MCTP_T_SOM      0x80
#define MCTP_T_EOM      0x40
#define MCTP_T_TO       0x08
#define MCTP_T_FLAGS(som, eom, seq, to, tag) \
    (((som) ? MCTP_T_SOM : 0) | ((eom) ? MCTP_T_EOM : 0) | \
     (((seq) & 3) << 4) | ((to) ? MCTP_T_TO : 0) | ((tag) & 7))

/* SMBus frame: dest address byte .. PEC; at most 3 + 255 + 1 bytes */
#define MCTP_T_FRAME_MAX 300

typedef struct MCTPTest {
    QTestState *qts;
    AspeedI2CBmc bmc;
    uint8_t ep_addr;        /* 7-bit */
    uint8_t bmc_addr;       /* 7-bit source address of our requests */
    uint8_t bmc_eid;
    const char *ep_path;    /* QOM path of the endpoint */
} MCTPTest;

uint8_t mctp_t_pec(const uint8_t *buf, size_t len);
/* CRC-32C (Castagnoli), as NVMe-MI's message integrity check */
uint32_t mctp_t_crc32c(const uint8_t *buf, size_t len);
/*
 * NC-SI (DSP0222 8.2.2.3): 32-bit two's complement of the sum of the
 * 16-bit big-endian words of header and payload, an odd byte padded
 */
uint32_t mctp_t_ncsi_checksum(const uint8_t *buf, size_t len);

/*
 * Build a frame [dst<<1, 0x0F, count, src<<1|1, hdr ver 1, deid, seid,
 * flags, payload..., PEC]; returns its length.
 */
size_t mctp_t_frame(uint8_t *f, uint8_t dst7, uint8_t src7, uint8_t deid,
                    uint8_t seid, uint8_t flags, const uint8_t *payload,
                    size_t plen);

/* Write a frame built as above (f[0] is the address byte) */
bool mctp_t_write_frame(MCTPTest *t, const uint8_t *f, size_t len);

/* Send one packet from the BMC to the endpoint */
void mctp_t_send_pkt(MCTPTest *t, uint8_t deid, uint8_t flags,
                     const uint8_t *payload, size_t plen);

/* Send a request message (TO=1), fragmented at @mtu payload bytes */
void mctp_t_send_msg(MCTPTest *t, uint8_t deid, uint8_t tag,
                     const uint8_t *msg, size_t len, size_t mtu);

/* Receive one frame sent to the BMC; 0 if none came */
size_t mctp_t_recv_frame(MCTPTest *t, uint8_t *f, size_t size);

/*
 * Receive a whole message addressed to the BMC, checking every frame
 * (address, command, count, source address, PEC, header, sequence);
 * returns its length and fills the header fields of its first packet.
 * @max_payload: the largest packet payload allowed.
 */
size_t mctp_t_recv_msg(MCTPTest *t, uint8_t *msg, size_t size,
                       uint8_t *seid, uint8_t *flags, size_t max_payload);

/* Assert that nothing is sent to the BMC */
void mctp_t_expect_silence(MCTPTest *t);

uint64_t mctp_t_counter(MCTPTest *t, const char *name);

/* Compare two byte strings, printed as hex so a failure shows both */
void mctp_t_hexcmp(const uint8_t *a, size_t alen, const uint8_t *b,
                   size_t blen);
/* Wait until an outgoing migration of @qts has completed */
void mctp_t_wait_migration(QTestState *qts);

#endif
