/*
 * QTest for the mctp-echo MCTP-over-I2C endpoint: control protocol,
 * echo and bench, with the qtest playing the BMC on an AST2600 bus
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "mctp-util.h"

#define BUS             15
#define BMC_ADDR        0x10
#define EP_ADDR         0x1d
#define BMC_EID         0x08
#define EP_PATH         "/machine/peripheral/ep"
#define TEST_UUID       "4f7aaaa3-4b5e-41bb-ba2f-c21aac34dfe7"

static void start(MCTPTest *t, const char *extra)
{
    t->qts = qtest_initf("-M ast2600-evb "
                         "-device mctp-echo,id=ep,bus=aspeed.i2c.bus.%d,"
                         "address=0x%x%s", BUS, EP_ADDR, extra);
    t->ep_addr = EP_ADDR;
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->ep_path = EP_PATH;
    aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
}

/* Write @req (a full frame), expect exactly @rsp (a full frame) back */
static void exchange_raw(MCTPTest *t, const uint8_t *req, size_t reqlen,
                         const uint8_t *rsp, size_t rsplen)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t n;

    g_assert(mctp_t_write_frame(t, req, reqlen));
    n = mctp_t_recv_frame(t, f, sizeof(f));
    mctp_t_hexcmp(f, n, rsp, rsplen);
}

/*
 * Control request with instance id @iid to @deid; the response frame must
 * be the single packet [type 0, iid, cmd, @expect...] from @seid with
 * our tag and TO=0.
 */
/* Send control request @cmd with instance @iid and tag @tag to @deid */
static void ctrl_send(MCTPTest *t, uint8_t deid, uint8_t tag, uint8_t iid,
                      uint8_t cmd, const uint8_t *data, size_t dlen)
{
    uint8_t req[64];

    req[0] = 0x00;
    req[1] = 0x80 | iid;
    req[2] = cmd;
    if (dlen) {
        memcpy(req + 3, data, dlen);
    }
    mctp_t_send_pkt(t, deid, MCTP_T_FLAGS(1, 1, 0, 1, tag), req, 3 + dlen);
}

/* Receive the response to ctrl_send(), from @seid: exactly @expect */
static void ctrl_expect(MCTPTest *t, uint8_t seid, uint8_t tag, uint8_t iid,
                        uint8_t cmd, const uint8_t *expect, size_t elen)
{
    uint8_t rsp[64], f[MCTP_T_FRAME_MAX], e[MCTP_T_FRAME_MAX];
    size_t n, len;

    rsp[0] = 0x00;
    rsp[1] = iid;
    rsp[2] = cmd;
    memcpy(rsp + 3, expect, elen);
    len = mctp_t_frame(e, t->bmc_addr, t->ep_addr, t->bmc_eid, seid,
                       MCTP_T_FLAGS(1, 1, 0, 0, tag), rsp, 3 + elen);
    n = mctp_t_recv_frame(t, f, sizeof(f));
    mctp_t_hexcmp(f, n, e, len);
}

static void ctrl(MCTPTest *t, uint8_t deid, uint8_t seid, uint8_t tag,
                 uint8_t iid, uint8_t cmd, const uint8_t *data, size_t dlen,
                 const uint8_t *expect, size_t elen)
{
    ctrl_send(t, deid, tag, iid, cmd, data, dlen);
    ctrl_expect(t, seid, tag, iid, cmd, expect, elen);
}

static void test_vectors(void)
{
    /* the worked examples of the research memo, byte for byte */
    static const uint8_t get_eid0[] = {
        0x3a, 0x0f, 0x08, 0x21, 0x01, 0x00, 0x08, 0xc8, 0x00, 0x81, 0x02,
        0x43 };
    static const uint8_t get_eid0_rsp[] = {
        0x20, 0x0f, 0x0c, 0x3b, 0x01, 0x08, 0x00, 0xc0, 0x00, 0x01, 0x02,
        0x00, 0x00, 0x00, 0x00, 0x2b };
    static const uint8_t set_eid9[] = {
        0x3a, 0x0f, 0x0a, 0x21, 0x01, 0x00, 0x08, 0xc9, 0x00, 0x82, 0x01,
        0x00, 0x09, 0xcb };
    static const uint8_t set_eid9_rsp[] = {
        0x20, 0x0f, 0x0c, 0x3b, 0x01, 0x08, 0x09, 0xc1, 0x00, 0x02, 0x01,
        0x00, 0x00, 0x09, 0x00, 0xe0 };
    static const uint8_t get_eid9[] = {
        0x3a, 0x0f, 0x08, 0x21, 0x01, 0x09, 0x08, 0xca, 0x00, 0x83, 0x02,
        0x23 };
    static const uint8_t get_eid9_rsp[] = {
        0x20, 0x0f, 0x0c, 0x3b, 0x01, 0x08, 0x09, 0xc2, 0x00, 0x03, 0x02,
        0x00, 0x09, 0x00, 0x00, 0xdd };
    static const uint8_t get_uuid[] = {
        0x3a, 0x0f, 0x08, 0x21, 0x01, 0x09, 0x08, 0xcb, 0x00, 0x84, 0x03,
        0x59 };
    static const uint8_t get_uuid_rsp[] = {
        0x20, 0x0f, 0x19, 0x3b, 0x01, 0x08, 0x09, 0xc3, 0x00, 0x04, 0x03,
        0x00, 0x4f, 0x7a, 0xaa, 0xa3, 0x4b, 0x5e, 0x41, 0xbb, 0xba, 0x2f,
        0xc2, 0x1a, 0xac, 0x34, 0xdf, 0xe7, 0xbc };
    static const uint8_t get_msg_types[] = {
        0x3a, 0x0f, 0x08, 0x21, 0x01, 0x09, 0x08, 0xcd, 0x00, 0x86, 0x05,
        0x15 };
    static const uint8_t get_vdm[] = {
        0x3a, 0x0f, 0x09, 0x21, 0x01, 0x09, 0x08, 0xce, 0x00, 0x87, 0x06,
        0x00, 0xf1 };
    static const uint8_t get_vdm_rsp[] = {
        0x20, 0x0f, 0x0f, 0x3b, 0x01, 0x08, 0x09, 0xc6, 0x00, 0x07, 0x06,
        0x00, 0xff, 0x00, 0xcc, 0xde, 0x00, 0x00, 0xe3 };
    static const uint8_t echo4[] = {
        0x3a, 0x0f, 0x0d, 0x21, 0x01, 0x09, 0x08, 0xc8, 0x7e, 0xcc, 0xde,
        0xf0, 0x00, 0x01, 0x02, 0x03, 0x2d };
    static const uint8_t echo4_rsp[] = {
        0x20, 0x0f, 0x0d, 0x3b, 0x01, 0x08, 0x09, 0xc0, 0x7e, 0xcc, 0xde,
        0xf0, 0x00, 0x01, 0x02, 0x03, 0x43 };
    /* echo is our only type besides control: count 1, 0x7E */
    uint8_t types_rsp[MCTP_T_FRAME_MAX];
    static const uint8_t types_data[] = { 0x00, 0x06, 0x05, 0x00, 0x01, 0x7e };
    size_t types_len;
    MCTPTest t;

    start(&t, ",uuid=" TEST_UUID);
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0);
    exchange_raw(&t, get_eid0, sizeof(get_eid0), get_eid0_rsp,
                 sizeof(get_eid0_rsp));
    exchange_raw(&t, set_eid9, sizeof(set_eid9), set_eid9_rsp,
                 sizeof(set_eid9_rsp));
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 9);
    exchange_raw(&t, get_eid9, sizeof(get_eid9), get_eid9_rsp,
                 sizeof(get_eid9_rsp));
    exchange_raw(&t, get_uuid, sizeof(get_uuid), get_uuid_rsp,
                 sizeof(get_uuid_rsp));
    types_len = mctp_t_frame(types_rsp, BMC_ADDR, EP_ADDR, BMC_EID, 9,
                             MCTP_T_FLAGS(1, 1, 0, 0, 5), types_data,
                             sizeof(types_data));
    exchange_raw(&t, get_msg_types, sizeof(get_msg_types), types_rsp,
                 types_len);
    exchange_raw(&t, get_vdm, sizeof(get_vdm), get_vdm_rsp,
                 sizeof(get_vdm_rsp));
    exchange_raw(&t, echo4, sizeof(echo4), echo4_rsp, sizeof(echo4_rsp));
    g_assert_cmpuint(mctp_t_counter(&t, "rx-messages"), ==, 7);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 7);
    qtest_quit(t.qts);
}

static void test_set_eid(void)
{
    static const uint8_t ok_rsp[] = { 0x00, 0x00, 0x0a, 0x00 };
    static const uint8_t force_rsp[] = { 0x00, 0x00, 0x0b, 0x00 };
    static const uint8_t invalid_data[] = { 0x02 };
    static const uint8_t invalid_len[] = { 0x03 };
    static const uint8_t bad_eids[] = { 0x00, 0x01, 0x07, 0xff };
    uint8_t data[3];
    unsigned i;
    MCTPTest t;

    start(&t, "");
    /* reset and set-discovered are rejected */
    data[0] = 0x02;
    data[1] = 0x0a;
    ctrl(&t, 0, 0, 0, 1, 0x01, data, 2, invalid_data, 1);
    data[0] = 0x03;
    ctrl(&t, 0, 0, 0, 2, 0x01, data, 2, invalid_data, 1);
    /* reserved, null and broadcast EIDs are rejected */
    for (i = 0; i < ARRAY_SIZE(bad_eids); i++) {
        data[0] = 0x00;
        data[1] = bad_eids[i];
        ctrl(&t, 0, 0, 1, 3, 0x01, data, 2, invalid_data, 1);
        data[0] = 0x01;
        ctrl(&t, 0, 0, 1, 3, 0x01, data, 2, invalid_data, 1);
    }
    /* the length is checked */
    data[0] = 0x00;
    data[1] = 0x0a;
    data[2] = 0x00;
    ctrl(&t, 0, 0, 2, 4, 0x01, data, 1, invalid_len, 1);
    ctrl(&t, 0, 0, 2, 4, 0x01, data, 3, invalid_len, 1);
    ctrl(&t, 0, 0, 2, 4, 0x01, data, 0, invalid_len, 1);
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0);

    /* set: the response already comes from the new EID */
    ctrl(&t, 0, 0x0a, 3, 5, 0x01, data, 2, ok_rsp, sizeof(ok_rsp));
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0x0a);
    /* force, addressed to the current EID */
    data[0] = 0x01;
    data[1] = 0x0b;
    ctrl(&t, 0x0a, 0x0b, 4, 0x1f, 0x01, data, 2, force_rsp,
         sizeof(force_rsp));
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0x0b);
    /* the old EID is not ours any more */
    data[0] = 0x00;
    mctp_t_send_pkt(&t, 0x0a, MCTP_T_FLAGS(1, 1, 0, 1, 0),
                    (const uint8_t[]){ 0x00, 0x80, 0x02 }, 3);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-wrong-eid"), ==, 1);
    qtest_quit(t.qts);
}

static void test_get_eid_static(void)
{
    static const uint8_t static_cur[] = { 0x00, 0x20, 0x02, 0x00 };
    static const uint8_t static_other[] = { 0x00, 0x30, 0x03, 0x00 };
    static const uint8_t set_rsp[] = { 0x00, 0x00, 0x30, 0x00 };
    static const uint8_t set[] = { 0x00, 0x30 };
    static const uint8_t extra[] = { 0x00 };
    static const uint8_t invalid_len[] = { 0x03 };
    MCTPTest t;

    start(&t, ",eid=0x20");
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0x20);
    ctrl(&t, 0x20, 0x20, 0, 1, 0x02, NULL, 0, static_cur,
         sizeof(static_cur));
    /* also reachable through the null EID (physical addressing) */
    ctrl(&t, 0x00, 0x20, 1, 2, 0x02, NULL, 0, static_cur,
         sizeof(static_cur));
    /* and, being a control message, through the broadcast EID */
    ctrl(&t, 0xff, 0x20, 1, 2, 0x02, NULL, 0, static_cur,
         sizeof(static_cur));
    ctrl(&t, 0x20, 0x20, 2, 3, 0x02, extra, 1, invalid_len, 1);
    ctrl(&t, 0x20, 0x30, 3, 4, 0x01, set, 2, set_rsp, sizeof(set_rsp));
    ctrl(&t, 0x30, 0x30, 4, 5, 0x02, NULL, 0, static_other,
         sizeof(static_other));
    /* a reset brings the static EID back */
    qtest_system_reset(t.qts);
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0x20);
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);
    ctrl(&t, 0x20, 0x20, 5, 6, 0x02, NULL, 0, static_cur,
         sizeof(static_cur));
    qtest_quit(t.qts);
}

static void test_uuid(void)
{
    uint8_t f1[MCTP_T_FRAME_MAX], f2[MCTP_T_FRAME_MAX];
    static const uint8_t req[] = { 0x00, 0x80, 0x03 };
    static const uint8_t bad[] = { 0x00, 0x80, 0x03, 0x00 };
    static const uint8_t invalid_len[] = { 0x03 };
    size_t n1 = 0, n2 = 0;
    MCTPTest t;
    int i;

    /* without a uuid property: stable across runs, and not nil */
    for (i = 0; i < 2; i++) {
        start(&t, "");
        mctp_t_send_pkt(&t, 0, MCTP_T_FLAGS(1, 1, 0, 1, 0), req,
                        sizeof(req));
        if (i == 0) {
            n1 = mctp_t_recv_frame(&t, f1, sizeof(f1));
        } else {
            n2 = mctp_t_recv_frame(&t, f2, sizeof(f2));
        }
        ctrl(&t, 0, 0, 1, 0, 0x03, bad + 3, 1, invalid_len, 1);
        qtest_quit(t.qts);
    }
    g_assert_cmpuint(n1, ==, 29);
    mctp_t_hexcmp(f1, n1, f2, n2);
    for (i = 12; i < 28 && !f1[i]; i++) {
        /* look for a non-zero byte */
    }
    g_assert_cmpint(i, <, 28);
    /* RFC 4122 version 5, variant 10b */
    g_assert_cmphex(f1[12 + 6] >> 4, ==, 5);
    g_assert_cmphex(f1[12 + 8] >> 6, ==, 2);
}

static void test_version(void)
{
    static const uint8_t base[] = {
        0x00, 0x04,
        0xf1, 0xf0, 0xff, 0x00,  0xf1, 0xf1, 0xff, 0x00,
        0xf1, 0xf2, 0xff, 0x00,  0xf1, 0xf3, 0xf3, 0x00 };
    static const uint8_t vdm[] = { 0x00, 0x01, 0xf1, 0xf0, 0xff, 0x00 };
    static const uint8_t unsupported[] = { 0x80 };
    static const uint8_t invalid_len[] = { 0x03 };
    static const uint8_t types[] = { 0xff, 0x00, 0x7e, 0x04, 0x02, 0x01,
                                     0x7f, 0x33 };
    MCTPTest t;

    start(&t, "");
    ctrl(&t, 0, 0, 0, 1, 0x04, &types[0], 1, base, sizeof(base));
    ctrl(&t, 0, 0, 1, 2, 0x04, &types[1], 1, base, sizeof(base));
    ctrl(&t, 0, 0, 2, 3, 0x04, &types[2], 1, vdm, sizeof(vdm));
    ctrl(&t, 0, 0, 3, 4, 0x04, &types[3], 1, unsupported, 1);
    ctrl(&t, 0, 0, 4, 5, 0x04, &types[4], 1, unsupported, 1);
    ctrl(&t, 0, 0, 5, 6, 0x04, &types[5], 1, unsupported, 1);
    ctrl(&t, 0, 0, 6, 7, 0x04, &types[6], 1, unsupported, 1);
    ctrl(&t, 0, 0, 7, 8, 0x04, &types[7], 1, unsupported, 1);
    ctrl(&t, 0, 0, 0, 9, 0x04, NULL, 0, invalid_len, 1);
    ctrl(&t, 0, 0, 0, 9, 0x04, types, 2, invalid_len, 1);
    qtest_quit(t.qts);
}

static void test_msg_types_vdm(void)
{
    static const uint8_t types[] = { 0x00, 0x01, 0x7e };
    static const uint8_t vdm0[] = { 0x00, 0xff, 0x00, 0xcc, 0xde, 0x00,
                                    0x00 };
    static const uint8_t invalid_data[] = { 0x02 };
    static const uint8_t invalid_len[] = { 0x03 };
    static const uint8_t sel[] = { 0x00, 0x01, 0xff };
    MCTPTest t;

    start(&t, "");
    ctrl(&t, 0, 0, 0, 1, 0x05, NULL, 0, types, sizeof(types));
    ctrl(&t, 0, 0, 0, 1, 0x05, sel, 1, invalid_len, 1);
    ctrl(&t, 0, 0, 1, 2, 0x06, &sel[0], 1, vdm0, sizeof(vdm0));
    ctrl(&t, 0, 0, 2, 3, 0x06, &sel[1], 1, invalid_data, 1);
    ctrl(&t, 0, 0, 3, 4, 0x06, &sel[2], 1, invalid_data, 1);
    ctrl(&t, 0, 0, 4, 5, 0x06, NULL, 0, invalid_len, 1);
    qtest_quit(t.qts);
}

static void test_unsupported_cmds(void)
{
    static const uint8_t unsupported[] = { 0x05 };
    static const uint8_t cmds[] = { 0x00, 0x07, 0x08, 0x0a, 0x0b, 0x0c,
                                    0x14, 0x15, 0x80, 0xf0, 0xf5, 0xff };
    MCTPTest t;
    unsigned i;

    start(&t, "");
    for (i = 0; i < ARRAY_SIZE(cmds); i++) {
        ctrl(&t, 0, 0, i & 7, i & 0x1f, cmds[i], NULL, 0, unsupported, 1);
    }
    qtest_quit(t.qts);
}

static void test_rq_datagram(void)
{
    static const uint8_t response[] = { 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
                                        0x00 };
    static const uint8_t set_dgram[] = { 0x00, 0xc3, 0x01, 0x00, 0x0c };
    static const uint8_t get_eid[] = { 0x00, 0x0c, 0x00, 0x00 };
    MCTPTest t;

    start(&t, "");
    /* Rq=0: a response, never answered */
    mctp_t_send_pkt(&t, 0, MCTP_T_FLAGS(1, 1, 0, 1, 0), response,
                    sizeof(response));
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-not-request"), ==, 1);
    /* D=1: an unacknowledged request, carried out without a response */
    mctp_t_send_pkt(&t, 0, MCTP_T_FLAGS(1, 1, 0, 1, 1), set_dgram,
                    sizeof(set_dgram));
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "datagrams"), ==, 1);
    g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0x0c);
    ctrl(&t, 0x0c, 0x0c, 2, 7, 0x02, NULL, 0, get_eid, sizeof(get_eid));
    qtest_quit(t.qts);
}

static void echo_check(MCTPTest *t, uint8_t deid, size_t datalen,
                       size_t in_mtu, size_t out_mtu, uint8_t tag)
{
    size_t len = 4 + datalen, n;
    g_autofree uint8_t *msg = g_malloc(len);
    g_autofree uint8_t *rsp = g_malloc(len + 16);
    uint8_t seid, flags;
    size_t i;

    msg[0] = 0x7e;
    msg[1] = 0xcc;
    msg[2] = 0xde;
    msg[3] = 0xf0;
    for (i = 0; i < datalen; i++) {
        msg[4 + i] = i * 7 + datalen;
    }
    mctp_t_send_msg(t, deid, tag, msg, len, in_mtu);
    n = mctp_t_recv_msg(t, rsp, len + 16, &seid, &flags, out_mtu);
    g_assert_cmpuint(n, ==, len);
    g_assert(memcmp(msg, rsp, len) == 0);
    g_assert_cmphex(seid, ==, deid);
    /* same tag, TO cleared */
    g_assert_cmphex(flags & 0x0f, ==, tag);
}

static void test_echo(void)
{
    static const size_t sizes[] = { 1, 64, 65, 250, 1024, 4096 };
    static const uint8_t set[] = { 0x00, 0x09 };
    static const uint8_t set_rsp[] = { 0x00, 0x00, 0x09, 0x00 };
    uint8_t big[101] = { 0 };
    MCTPTest t;
    unsigned i;

    start(&t, "");
    ctrl(&t, 0, 9, 0, 1, 0x01, set, 2, set_rsp, sizeof(set_rsp));
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        /* baseline transmission unit both ways */
        echo_check(&t, 9, sizes[i], 64, 64, i & 7);
        /* Linux's 250-byte packets (route without MTU) inbound */
        if (sizes[i] >= 250) {
            echo_check(&t, 9, sizes[i], 250, 64, (i + 3) & 7);
        }
    }
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);

    /* the message size limit is a property */
    start(&t, ",eid=9,max-msg-size=100");
    echo_check(&t, 9, 96, 64, 64, 1);
    memcpy(big, (const uint8_t[]){ 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    mctp_t_send_msg(&t, 9, 2, big, sizeof(big), 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-oversize"), ==, 1);
    echo_check(&t, 9, 96, 64, 64, 3);
    qtest_quit(t.qts);

    /* a larger transmission unit fragments the responses at it */
    start(&t, ",eid=9,tx-mtu=250");
    echo_check(&t, 9, 1, 64, 250, 0);
    echo_check(&t, 9, 246, 64, 250, 1);
    echo_check(&t, 9, 247, 64, 250, 2);
    echo_check(&t, 9, 1024, 250, 250, 3);
    qtest_quit(t.qts);
}

/*
 * The same endpoint declared in a composed machine description (the
 * AST2600 SoC and the endpoint on its I2C bus 15) answers exactly like
 * the one added with -device to -M ast2600-evb.
 */
static const char composed_desc[] =
    "version: 1\n"
    "machine: {ram-size: 1G, cpus: 2}\n"
    "devices:\n"
    "  - name: soc\n"
    "    type: ast2600-a3\n"
    "    props:\n"
    "      ram-size: \"@machine.ram-size\"\n"
    "      memory: \"@system-memory\"\n"
    "      dram: \"@machine.ram\"\n"
    "      hw-strap1: 0xc0\n"
    "      hw-strap2: 0x3\n"
    "  - name: ep\n"
    "    type: mctp-echo\n"
    "    bus: \"soc/i2c/bus[15]\"\n"
    "    props: {address: 0x1d, uuid: " TEST_UUID "}\n";

static void run_echo_sequence(MCTPTest *t, GString *log)
{
    static const size_t sizes[] = { 1, 64, 65, 250, 1024 };
    static const uint8_t set[] = { 0x00, 0x09 };
    static const uint8_t set_rsp[] = { 0x00, 0x00, 0x09, 0x00 };
    static const uint8_t uuid_req[] = { 0x00, 0x81, 0x03 };
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t n, i;

    ctrl(t, 0, 9, 0, 1, 0x01, set, 2, set_rsp, sizeof(set_rsp));
    mctp_t_send_pkt(t, 9, MCTP_T_FLAGS(1, 1, 0, 1, 2), uuid_req,
                    sizeof(uuid_req));
    n = mctp_t_recv_frame(t, f, sizeof(f));
    for (i = 0; i < n; i++) {
        g_string_append_printf(log, "%02x", f[i]);
    }
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        echo_check(t, 9, sizes[i], 64, 64, i & 7);
    }
    g_string_append_printf(log, " eid=%" PRIu64 " rx=%" PRIu64
                           " tx=%" PRIu64,
                           mctp_t_counter(t, "current-eid"),
                           mctp_t_counter(t, "rx-messages"),
                           mctp_t_counter(t, "tx-messages"));
}

static void test_composed(void)
{
    g_autoptr(GString) builtin = g_string_new(NULL);
    g_autoptr(GString) composed = g_string_new(NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    MCTPTest t;
    int fd;

    start(&t, ",uuid=" TEST_UUID);
    run_echo_sequence(&t, builtin);
    qtest_quit(t.qts);

    fd = g_file_open_tmp("mctp-composed-XXXXXX.yaml", &path, &err);
    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(path, composed_desc, -1, &err));
    t.qts = qtest_initf("-M composed,desc=%s", path);
    t.ep_addr = EP_ADDR;
    t.bmc_addr = BMC_ADDR;
    t.bmc_eid = BMC_EID;
    t.ep_path = "/machine/ep";
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);
    run_echo_sequence(&t, composed);
    qtest_quit(t.qts);
    unlink(path);

    g_assert_cmpstr(composed->str, ==, builtin->str);
    /* the endpoint really answered: UUID and counters are in the log */
    g_assert_nonnull(strstr(builtin->str, "4f7aaaa34b5e41bbba2fc21aac34dfe7"));
    g_assert_nonnull(strstr(builtin->str, "eid=9"));
}

/*
 * machines/ast2600-mctp.yaml: the three endpoints on bus 15 take the EIDs
 * the bus owner gives them and report the UUIDs of the description; the
 * NVMe basic management target answers at 0x6a.
 */
static void test_ast2600_mctp(void)
{
    static const struct {
        uint8_t addr;
        const char *path;
        const char *uuid;
    } eps[] = {
        { 0x1d, "/machine/nvme-mi", "2d5b4f1e6c1a4e559b8e1d0000000001" },
        { 0x14, "/machine/ncsi", "2d5b4f1e6c1a4e559b8e140000000002" },
        { 0x12, "/machine/echo", "2d5b4f1e6c1a4e559b8e120000000003" },
    };
    static const uint8_t uuid_req[] = { 0x00, 0x81, 0x03 };
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *desc = g_build_filename(dir, "machines",
                                             "ast2600-mctp.yaml", NULL);
    uint8_t f[MCTP_T_FRAME_MAX], basic[8];
    MCTPTest t;
    size_t i, j, n;

    t.qts = qtest_initf("-M composed,desc=%s", desc);
    t.bmc_addr = BMC_ADDR;
    t.bmc_eid = BMC_EID;
    aspeed_i2c_bmc_init(&t.bmc, t.qts, 15, BMC_ADDR);
    for (i = 0; i < ARRAY_SIZE(eps); i++) {
        uint8_t set[] = { 0x00, 9 + i };
        uint8_t set_rsp[] = { 0x00, 0x00, 9 + i, 0x00 };
        g_autoptr(GString) hex = g_string_new(NULL);

        t.ep_addr = eps[i].addr;
        t.ep_path = eps[i].path;
        g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 0);
        ctrl(&t, 0, 9 + i, 0, 1, 0x01, set, 2, set_rsp, sizeof(set_rsp));
        g_assert_cmpuint(mctp_t_counter(&t, "current-eid"), ==, 9 + i);
        mctp_t_send_pkt(&t, 9 + i, MCTP_T_FLAGS(1, 1, 0, 1, 2), uuid_req,
                        sizeof(uuid_req));
        n = mctp_t_recv_frame(&t, f, sizeof(f));
        for (j = 0; j < n; j++) {
            g_string_append_printf(hex, "%02x", f[j]);
        }
        g_assert_nonnull(strstr(hex->str, eps[i].uuid));
    }
    /* basic management, command 0: a block of status and health */
    g_assert_true(aspeed_i2c_bmc_read_reg(&t.bmc, 0x6a, 0, basic,
                                          sizeof(basic)));
    g_assert_cmpuint(basic[0], >=, 6);
    qtest_quit(t.qts);
}

static void test_bench(void)
{
    uint8_t req[] = {
        0x7e, 0xcc, 0xde, 0xf1, 0xdd, 0x22, 0x01, 0x01,
        0x78, 0x56, 0x34, 0x12,                 /* iid */
        0x00, 0x00, 0x00, 0x00,                 /* flags */
        0x64, 0x00,                             /* payload size 100 */
        0x03, 0, 0, 0, 0, 0, 0, 0 };            /* 3 messages */
    uint8_t rsp[4096];
    uint8_t seid, flags;
    size_t n, i;
    uint32_t seq;
    MCTPTest t;

    start(&t, ",eid=9");
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 1, 0, 1, 2), req, sizeof(req));
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 13);
    g_assert(memcmp(rsp, req, 7) == 0);
    g_assert_cmphex(rsp[7], ==, 0x00);          /* response */
    g_assert(memcmp(rsp + 8, req + 8, 4) == 0); /* iid echoed */
    g_assert_cmphex(rsp[12], ==, 0x00);         /* success */
    g_assert_cmphex(flags & 0x0f, ==, 2);

    for (seq = 0xfffffffa; seq != 0xfffffffd; seq++) {
        n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
        g_assert_cmpuint(n, ==, 101);
        g_assert_cmphex(seid, ==, 9);
        /* our requests: TO set */
        g_assert(flags & MCTP_T_TO);
        g_assert_cmphex(rsp[0], ==, 0x7e);
        g_assert_cmphex(rsp[3], ==, 0xf1);
        g_assert_cmphex(rsp[4] | rsp[5] << 8, ==, 0xbeca);
        g_assert_cmphex((uint32_t)ldl_le_p(rsp + 6), ==, seq);
        for (i = 10; i < n; i++) {
            g_assert_cmphex(rsp[i], ==, (i - 10) & 0xff);
        }
    }
    mctp_t_expect_silence(&t);

    /* bad arguments: a payload smaller than the data header */
    req[16] = 4;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 1, 0, 1, 3), req, sizeof(req));
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 13);
    g_assert_cmphex(rsp[12], ==, 0x03);
    mctp_t_expect_silence(&t);
    qtest_quit(t.qts);
}

/* The BMC does not answer at its address: retries, then the EP gives up */
static void test_nak(void)
{
    static const uint8_t get_eid[] = { 0x00, 0x00, 0x00, 0x00 };
    MCTPTest t;
    int i;

    start(&t, "");
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    ctrl_send(&t, 0, 0, 0, 0x02, NULL, 0);
    for (i = 0; i < 3; i++) {
        mctp_t_expect_silence(&t);
        g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
        qtest_clock_step(t.qts, 10 * 1000 * 1000);
    }
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 1);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 0);

    /* healthy again once the BMC listens */
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR);
    ctrl(&t, 0, 0, 1, 1, 0x02, NULL, 0, get_eid, sizeof(get_eid));
    qtest_quit(t.qts);
}

/* The bus is held by another master when the EP wants to answer */
static void test_busy_bus(void)
{
    static const uint8_t get_eid[] = { 0x00, 0x00, 0x00, 0x00 };
    MCTPTest t;

    start(&t, " -device tmp105,bus=aspeed.i2c.bus.15,address=0x48");
    /* first attempt NAKed: the EP retries 10 ms later */
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    ctrl_send(&t, 0, 0, 0, 0x02, NULL, 0);
    mctp_t_expect_silence(&t);
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR);
    /* the BMC talks to the sensor and keeps the bus */
    g_assert(aspeed_i2c_bmc_start(&t.bmc, 0x48));
    g_assert(aspeed_i2c_bmc_send(&t.bmc, 0x01));
    qtest_clock_step(t.qts, 10 * 1000 * 1000);
    mctp_t_expect_silence(&t);
    qtest_clock_step(t.qts, 100 * 1000 * 1000);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    /* bus free: the EP gets it and answers */
    aspeed_i2c_bmc_stop(&t.bmc);
    ctrl_expect(&t, 0, 0, 0, 0x02, get_eid, sizeof(get_eid));
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);
}

/*
 * Wait until the response's address byte has arrived at the BMC, leave it
 * unacknowledged for 100 ms: the endpoint ends that attempt and frees the
 * bus
 */
static void stall_one_attempt(MCTPTest *t)
{
    uint32_t sts = 0;
    int i;

    for (i = 0; i < 64 && !(sts & ASPEED_I2C_BMC_RX_DONE); i++) {
        sts = aspeed_i2c_bmc_status(&t->bmc);
    }
    g_assert(sts & ASPEED_I2C_BMC_RX_DONE);
    qtest_clock_step(t->qts, 99 * 1000 * 1000);
    g_assert_false(aspeed_i2c_bmc_status(&t->bmc) &
                   ASPEED_I2C_BMC_NORMAL_STOP);
    qtest_clock_step(t->qts, 1000 * 1000);
    g_assert(aspeed_i2c_bmc_status(&t->bmc) & ASPEED_I2C_BMC_NORMAL_STOP);
    aspeed_i2c_bmc_clear_status(&t->bmc, ASPEED_I2C_BMC_RX_DONE |
                                ASPEED_I2C_BMC_NORMAL_STOP |
                                ASPEED_I2C_BMC_SLAVE_ADDR_MATCH);
    /* nothing until the retry, 10 ms later */
    mctp_t_expect_silence(t);
}

/*
 * The BMC stops acknowledging in the middle of a response, as a QEMU
 * ASPEED controller does when the guest starts a master transfer while
 * the endpoint holds the bus: the endpoint sends the frame again
 */
static void test_ack_timeout(void)
{
    static const uint8_t get_eid[] = { 0x00, 0x00, 0x00, 0x00 };
    MCTPTest t;

    start(&t, "");
    ctrl_send(&t, 0, 0, 0, 0x02, NULL, 0);
    stall_one_attempt(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_clock_step(t.qts, 10 * 1000 * 1000);
    ctrl_expect(&t, 0, 0, 0, 0x02, get_eid, sizeof(get_eid));
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 1);
    mctp_t_expect_silence(&t);
    qtest_quit(t.qts);
}

/* ... and gives up after four stalled attempts */
static void test_ack_timeout_gives_up(void)
{
    static const uint8_t get_eid[] = { 0x00, 0x00, 0x00, 0x00 };
    MCTPTest t;
    int i;

    start(&t, "");
    ctrl_send(&t, 0, 0, 0, 0x02, NULL, 0);
    for (i = 0; i < 4; i++) {
        g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
        stall_one_attempt(&t);
        qtest_clock_step(t.qts, 10 * 1000 * 1000);
    }
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 1);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 0);
    mctp_t_expect_silence(&t);
    /* and serves the next request */
    ctrl(&t, 0, 0, 1, 1, 0x02, NULL, 0, get_eid, sizeof(get_eid));
    qtest_quit(t.qts);
}

/* A reassembly survives until 6 s after its first packet */
static void test_reassembly_timeout(void)
{
    uint8_t msg[100];
    uint8_t rsp[128];
    uint8_t seid, flags;
    MCTPTest t;
    size_t n;

    memset(msg, 0x5a, sizeof(msg));
    msg[0] = 0x7e;
    msg[1] = 0xcc;
    msg[2] = 0xde;
    msg[3] = 0xf0;
    start(&t, ",eid=9");
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 0, 1, 1), msg, 64);
    qtest_clock_step(t.qts, 5900 * 1000 * 1000LL);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 1, 1, 1), msg + 64, 36);
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 100);
    g_assert(memcmp(rsp, msg, 100) == 0);

    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 2, 1, 1), msg, 64);
    qtest_clock_step(t.qts, 6000 * 1000 * 1000LL);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-timeout"), ==, 1);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 3, 1, 1), msg + 64, 36);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-no-som"), ==, 1);
    qtest_quit(t.qts);
}

/* Two requesters' messages interleaved, keyed by source EID and tag */
static void test_interleaved(void)
{
    uint8_t a[100], b[100], rsp[128];
    uint8_t seid, flags;
    MCTPTest t;
    size_t n;

    memset(a, 0xaa, sizeof(a));
    memset(b, 0xbb, sizeof(b));
    memcpy(a, (const uint8_t[]){ 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    memcpy(b, a, 4);
    start(&t, ",eid=9");
    /* same tag, different source EIDs */
    t.bmc_eid = 0x08;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 0, 1, 3), a, 64);
    t.bmc_eid = 0x0a;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 2, 1, 3), b, 64);
    t.bmc_eid = 0x08;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 1, 1, 3), a + 64, 36);
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 100);
    g_assert(memcmp(rsp, a, 100) == 0);
    t.bmc_eid = 0x0a;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 3, 1, 3), b + 64, 36);
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 100);
    g_assert(memcmp(rsp, b, 100) == 0);
    /* same source, different tags */
    t.bmc_eid = 0x08;
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 0, 1, 4), a, 64);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 0, 1, 5), b, 64);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 1, 1, 5), b + 64, 36);
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert(n == 100 && memcmp(rsp, b, 100) == 0);
    g_assert_cmphex(flags & 7, ==, 5);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(0, 1, 1, 1, 4), a + 64, 36);
    n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert(n == 100 && memcmp(rsp, a, 100) == 0);
    g_assert_cmphex(flags & 7, ==, 4);
    qtest_quit(t.qts);
}

/* vmstate: an in-flight reassembly and a pending response survive */
static void test_migration(void)
{
    static const uint8_t get_eid[] = { 0x00, 0x80, 0x02 };
    g_autofree char *file = g_strdup_printf("%s/mctp-echo-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    uint8_t msg[100], rsp[128];
    uint8_t seid, flags;
    MCTPTest t, d;
    size_t n, i;

    for (i = 0; i < sizeof(msg); i++) {
        msg[i] = i ^ 0x3c;
    }
    memcpy(msg, (const uint8_t[]){ 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    start(&t, ",eid=9");
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 0, 1, 1, 1), msg, 64);
    /* the BMC is away: the Get EID response stays pending */
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    mctp_t_send_pkt(&t, 9, MCTP_T_FLAGS(1, 1, 0, 1, 2), get_eid,
                    sizeof(get_eid));
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "rx-messages"), ==, 1);

    qtest_qmp_assert_success(t.qts, "{ 'execute': 'migrate', 'arguments': "
                             "{ 'uri': %s } }", uri);
    mctp_t_wait_migration(t.qts);
    qtest_quit(t.qts);

    d.qts = qtest_initf("-M ast2600-evb -device mctp-echo,id=ep,"
                        "bus=aspeed.i2c.bus.%d,address=0x%x,eid=9 "
                        "-incoming defer", BUS, EP_ADDR);
    d.ep_addr = EP_ADDR;
    d.bmc_addr = BMC_ADDR;
    d.bmc_eid = BMC_EID;
    d.ep_path = EP_PATH;
    qtest_qmp_assert_success(d.qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    mctp_t_wait_migration(d.qts);
    unlink(file);
    g_assert_cmpuint(mctp_t_counter(&d, "rx-messages"), ==, 1);
    g_assert_cmpuint(mctp_t_counter(&d, "current-eid"), ==, 9);

    aspeed_i2c_bmc_init(&d.bmc, d.qts, BUS, BMC_ADDR);
    qtest_clock_step(d.qts, 10 * 1000 * 1000);
    n = mctp_t_recv_msg(&d, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 7);
    g_assert_cmphex(flags & 0x0f, ==, 2);
    g_assert_cmphex(rsp[4], ==, 9);

    mctp_t_send_pkt(&d, 9, MCTP_T_FLAGS(0, 1, 2, 1, 1), msg + 64, 36);
    n = mctp_t_recv_msg(&d, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, sizeof(msg));
    g_assert(memcmp(rsp, msg, sizeof(msg)) == 0);
    g_assert_cmphex(flags & 0x0f, ==, 1);
    qtest_quit(d.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("ast2600-evb") || !qtest_has_device("mctp-echo")) {
        g_test_skip("ast2600-evb or mctp-echo not available");
        return g_test_run();
    }
    qtest_add_func("/mctp-echo/vectors", test_vectors);
    qtest_add_func("/mctp-echo/control/set-eid", test_set_eid);
    qtest_add_func("/mctp-echo/control/get-eid-static", test_get_eid_static);
    qtest_add_func("/mctp-echo/control/uuid", test_uuid);
    qtest_add_func("/mctp-echo/control/version", test_version);
    qtest_add_func("/mctp-echo/control/msg-types-vdm", test_msg_types_vdm);
    qtest_add_func("/mctp-echo/control/unsupported", test_unsupported_cmds);
    qtest_add_func("/mctp-echo/control/rq-datagram", test_rq_datagram);
    qtest_add_func("/mctp-echo/echo", test_echo);
    qtest_add_func("/mctp-echo/bench", test_bench);
    qtest_add_func("/mctp-echo/i2c/nak", test_nak);
    qtest_add_func("/mctp-echo/i2c/busy-bus", test_busy_bus);
    qtest_add_func("/mctp-echo/i2c/ack-timeout", test_ack_timeout);
    qtest_add_func("/mctp-echo/i2c/ack-timeout-gives-up",
                   test_ack_timeout_gives_up);
    qtest_add_func("/mctp-echo/reassembly-timeout", test_reassembly_timeout);
    qtest_add_func("/mctp-echo/interleaved", test_interleaved);
    qtest_add_func("/mctp-echo/migration", test_migration);
    if (qtest_has_machine("composed")) {
        qtest_add_func("/mctp-echo/composed", test_composed);
        qtest_add_func("/mctp-echo/ast2600-mctp", test_ast2600_mctp);
    }
    return g_test_run();
}
