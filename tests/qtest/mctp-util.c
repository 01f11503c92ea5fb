/*
 * MCTP-over-SMBus framing for qtests that play the BMC (requester)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "mctp-util.h"

uint8_t mctp_t_pec(const uint8_t *buf, size_t len)
{
    uint8_t crc = 0;
    size_t i;
    int bit;

    for (i = 0; i < len; i++) {
        crc ^= buf[i];
        for (bit = 0; bit < 8; bit++) {
            crc = (crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1;
        }
    }
    return crc;
}

uint32_t mctp_t_crc32c(const uint8_t *buf, size_t len)
{
    uint32_t crc = 0xffffffff;
    size_t i;
    int bit;

    for (i = 0; i < len; i++) {
        crc ^= buf[i];
        for (bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ ((crc & 1) ? 0x82f63b78 : 0);
        }
    }
    return crc ^ 0xffffffff;
}

uint32_t mctp_t_ncsi_checksum(const uint8_t *buf, size_t len)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i < len; i += 2) {
        sum += (uint32_t)buf[i] << 8 | (i + 1 < len ? buf[i + 1] : 0);
    }
    return ~sum + 1;
}

size_t mctp_t_frame(uint8_t *f, uint8_t dst7, uint8_t src7, uint8_t deid,
                    uint8_t seid, uint8_t flags, const uint8_t *payload,
                    size_t plen)
{
    g_assert(plen <= 250);
    f[0] = dst7 << 1;
    f[1] = 0x0f;
    f[2] = 5 + plen;
    f[3] = src7 << 1 | 1;
    f[4] = 0x01;
    f[5] = deid;
    f[6] = seid;
    f[7] = flags;
    if (plen) {
        memcpy(f + 8, payload, plen);   /* @payload may be NULL then */
    }
    f[8 + plen] = mctp_t_pec(f, 8 + plen);
    return 9 + plen;
}

bool mctp_t_write_frame(MCTPTest *t, const uint8_t *f, size_t len)
{
    return aspeed_i2c_bmc_write(&t->bmc, f[0] >> 1, f + 1, len - 1);
}

void mctp_t_send_pkt(MCTPTest *t, uint8_t deid, uint8_t flags,
                     const uint8_t *payload, size_t plen)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = mctp_t_frame(f, t->ep_addr, t->bmc_addr, deid,
                              t->bmc_eid, flags, payload, plen);

    g_assert(mctp_t_write_frame(t, f, len));
}

void mctp_t_send_msg(MCTPTest *t, uint8_t deid, uint8_t tag,
                     const uint8_t *msg, size_t len, size_t mtu)
{
    size_t off = 0;
    uint8_t seq = 0;

    do {
        size_t chunk = MIN(len - off, mtu);

        mctp_t_send_pkt(t, deid,
                        MCTP_T_FLAGS(off == 0, off + chunk == len, seq, 1,
                                     tag),
                        msg + off, chunk);
        off += chunk;
        seq++;
    } while (off < len);
}

size_t mctp_t_recv_frame(MCTPTest *t, uint8_t *f, size_t size)
{
    return aspeed_i2c_bmc_receive(&t->bmc, f, size);
}

size_t mctp_t_recv_msg(MCTPTest *t, uint8_t *msg, size_t size,
                       uint8_t *seid, uint8_t *flags, size_t max_payload)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = 0, n, plen;
    uint8_t seq = 0;
    bool first = true;

    for (;;) {
        n = mctp_t_recv_frame(t, f, sizeof(f));
        g_assert_cmpuint(n, >=, 10);
        g_assert_cmpuint(n, <=, sizeof(f));
        g_assert_cmphex(f[0], ==, t->bmc_addr << 1);
        g_assert_cmphex(f[1], ==, 0x0f);
        g_assert_cmpuint(f[2] + 4, ==, n);
        g_assert_cmphex(f[3], ==, t->ep_addr << 1 | 1);
        g_assert_cmphex(f[n - 1], ==, mctp_t_pec(f, n - 1));
        g_assert_cmphex(f[4], ==, 0x01);
        g_assert_cmphex(f[5], ==, t->bmc_eid);
        plen = n - 9;
        g_assert_cmpuint(plen, <=, max_payload);
        if (first) {
            g_assert(f[7] & MCTP_T_SOM);
            *seid = f[6];
            *flags = f[7];
            seq = (f[7] >> 4) & 3;
        } else {
            g_assert(!(f[7] & MCTP_T_SOM));
            g_assert_cmphex(f[6], ==, *seid);
            g_assert_cmphex(f[7] & 0x0f, ==, *flags & 0x0f);
            g_assert_cmpuint((f[7] >> 4) & 3, ==, seq);
        }
        if (!(f[7] & MCTP_T_EOM)) {
            /* non-final packets carry a full transmission unit */
            g_assert_cmpuint(plen, ==, max_payload);
        }
        g_assert_cmpuint(len + plen, <=, size);
        memcpy(msg + len, f + 8, plen);
        len += plen;
        seq = (seq + 1) & 3;
        first = false;
        if (f[7] & MCTP_T_EOM) {
            return len;
        }
    }
}

void mctp_t_expect_silence(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];

    g_assert_cmpuint(mctp_t_recv_frame(t, f, sizeof(f)), ==, 0);
}

uint64_t mctp_t_counter(MCTPTest *t, const char *name)
{
    QDict *rsp;
    uint64_t v;

    rsp = qtest_qmp(t->qts, "{ 'execute': 'qom-get', 'arguments': "
                    "{ 'path': %s, 'property': %s } }", t->ep_path, name);
    g_assert(qdict_haskey(rsp, "return"));
    v = qdict_get_int(rsp, "return");
    qobject_unref(rsp);
    return v;
}

void mctp_t_hexcmp(const uint8_t *a, size_t alen, const uint8_t *b,
                   size_t blen)
{
    g_autofree char *sa = NULL, *sb = NULL;
    GString *x = g_string_new(""), *y = g_string_new("");
    size_t i;

    for (i = 0; i < alen; i++) {
        g_string_append_printf(x, "%02x ", a[i]);
    }
    for (i = 0; i < blen; i++) {
        g_string_append_printf(y, "%02x ", b[i]);
    }
    sa = g_string_free(x, false);
    sb = g_string_free(y, false);
    g_assert_cmpstr(sa, ==, sb);
}

void mctp_t_wait_migration(QTestState *qts)
{
    int i;

    for (i = 0; i < 2000; i++) {
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *st = ret ? qdict_get_try_str(ret, "status") : NULL;
        bool done = st && !strcmp(st, "completed");
        bool failed = st && !strcmp(st, "failed");

        qobject_unref(rsp);
        g_assert(!failed);
        if (done) {
            return;
        }
        g_usleep(5000);
    }
    g_assert_not_reached();
}
