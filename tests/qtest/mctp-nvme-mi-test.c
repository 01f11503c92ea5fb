/*
 * QTest for the mctp-nvme-mi NVMe-MI endpoint and the nvme-mi-basic
 * NVMe Basic Management Command target, with the qtest playing the BMC
 * on an AST2600 I2C bus
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
#define BASIC_ADDR      0x6a
#define BMC_EID         0x08
#define EP_EID          0x09
#define EP_PATH         "/machine/peripheral/ep"
#define MI_MAX          4224

/* MI status codes */
#define ST_OK           0x00
#define ST_INTERNAL     0x02
#define ST_OPCODE       0x03
#define ST_PARAM        0x04
#define ST_CMD_SIZE     0x05
#define ST_INPUT_SIZE   0x06

static void start(MCTPTest *t, const char *extra)
{
    /* no address= : the NVMe-MI default 0x1d must be the default */
    t->qts = qtest_initf("-M ast2600-evb "
                         "-device mctp-nvme-mi,id=ep,bus=aspeed.i2c.bus.%d,"
                         "eid=%d%s", BUS, EP_EID, extra);
    t->ep_addr = EP_ADDR;
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->ep_path = EP_PATH;
    aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
}

static uint32_t le32(const void *p)
{
    return (uint32_t)ldl_le_p(p);
}

static size_t add_mic(uint8_t *msg, size_t len)
{
    stl_le_p(msg + len, mctp_t_crc32c(msg, len));
    return len + 4;
}

static void qom_set_int(MCTPTest *t, const char *path, const char *prop,
                        int64_t value)
{
    QDict *rsp = qtest_qmp(t->qts, "{ 'execute': 'qom-set', 'arguments': "
                           "{ 'path': %s, 'property': %s, 'value': %lld } }",
                           path, prop, (long long)value);

    g_assert(qdict_haskey(rsp, "return"));
    qobject_unref(rsp);
}

static bool qom_set_fails(MCTPTest *t, const char *prop, int64_t value)
{
    QDict *rsp = qtest_qmp(t->qts, "{ 'execute': 'qom-set', 'arguments': "
                           "{ 'path': %s, 'property': %s, 'value': %lld } }",
                           EP_PATH, prop, (long long)value);
    bool failed = qdict_haskey(rsp, "error");

    qobject_unref(rsp);
    return failed;
}

/*
 * Send the whole message @req (MIC included) as tag @tag and receive the
 * response, checking its framing, tag, MIC, type and NMP; returns the
 * response length without the MIC.  @mtu: packet payload of the
 * response's packets.
 */
static size_t xfer_mtu(MCTPTest *t, uint8_t tag, const uint8_t *req,
                       size_t len, uint8_t *rsp, size_t mtu)
{
    uint8_t seid, flags;
    size_t n;

    mctp_t_send_msg(t, EP_EID, tag, req, len, 64);
    n = mctp_t_recv_msg(t, rsp, MI_MAX, &seid, &flags, mtu);
    g_assert_cmphex(seid, ==, EP_EID);
    g_assert_cmphex(flags & 0x0f, ==, tag);     /* TO=0, same tag */
    g_assert_cmpuint(n, >=, 12);
    g_assert_cmphex(le32(rsp + n - 4), ==, mctp_t_crc32c(rsp, n - 4));
    g_assert_cmphex(rsp[0], ==, 0x84);
    /* response, same message type and command slot, reserved bits 0 */
    g_assert_cmphex(rsp[1], ==, (req[1] & 0x79) | 0x80);
    return n - 4;
}

static size_t xfer(MCTPTest *t, uint8_t tag, const uint8_t *req, size_t len,
                   uint8_t *rsp)
{
    return xfer_mtu(t, tag, req, len, rsp, 64);
}

/* Build an NVMe-MI command (NMIMT 1) with request data and MIC */
static size_t mi_req(uint8_t *m, uint8_t csi, uint8_t opc, uint32_t cdw0,
                     uint32_t cdw1, const uint8_t *data, size_t dlen)
{
    memset(m, 0, 16);
    m[0] = 0x84;
    m[1] = 0x08 | csi;
    m[4] = opc;
    stl_le_p(m + 8, cdw0);
    stl_le_p(m + 12, cdw1);
    if (dlen) {
        memcpy(m + 16, data, dlen);
    }
    return add_mic(m, 16 + dlen);
}

/* An MI command in slot 0; returns the response length (no MIC) */
static size_t mi(MCTPTest *t, uint8_t opc, uint32_t cdw0, uint32_t cdw1,
                 const uint8_t *data, size_t dlen, uint8_t *rsp)
{
    g_autofree uint8_t *m = g_malloc0(MI_MAX);
    size_t len = mi_req(m, 0, opc, cdw0, cdw1, data, dlen);

    return xfer(t, 0, m, len, rsp);
}

/* Expect Invalid Parameter naming request byte @byte */
static void mi_expect_param(MCTPTest *t, uint8_t opc, uint32_t cdw0,
                            uint32_t cdw1, uint16_t byte)
{
    uint8_t rsp[MI_MAX];

    g_assert_cmpuint(mi(t, opc, cdw0, cdw1, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmphex(lduw_le_p(rsp + 6), ==, byte);
}

typedef struct AdminCmd {
    uint8_t opc;
    uint8_t flags;
    uint16_t ctrl;
    uint32_t nsid;
    uint32_t doff;
    uint32_t dlen;
    uint32_t cdw[6];    /* cdw10..cdw15 */
} AdminCmd;

static size_t admin_req(uint8_t *m, const AdminCmd *c)
{
    int i;

    memset(m, 0, 68);
    m[0] = 0x84;
    m[1] = 0x10;
    m[4] = c->opc;
    m[5] = c->flags;
    stw_le_p(m + 6, c->ctrl);
    stl_le_p(m + 8, c->nsid);
    stl_le_p(m + 28, c->doff);
    stl_le_p(m + 32, c->dlen);
    for (i = 0; i < 6; i++) {
        stl_le_p(m + 44 + 4 * i, c->cdw[i]);
    }
    return add_mic(m, 68);
}

/*
 * Run an Admin command; returns the response length without MIC.  On MI
 * success the data starts at rsp + 20 and *nvme gets the NVMe status
 * (completion dword 3 >> 17).
 */
static size_t admin(MCTPTest *t, const AdminCmd *c, uint8_t *rsp,
                    uint16_t *nvme)
{
    uint8_t m[80];
    size_t n = xfer(t, 1, m, admin_req(m, c), rsp);

    if (rsp[4] == ST_OK) {
        g_assert_cmpuint(n, >=, 20);
        *nvme = le32(rsp + 16) >> 17;
    }
    return n;
}

static void identify(MCTPTest *t, uint8_t cns, uint32_t nsid,
                     uint8_t *id, uint16_t *nvme)
{
    uint8_t rsp[MI_MAX];
    AdminCmd c = { .opc = 0x06, .flags = 3, .nsid = nsid, .dlen = 4096,
                   .cdw = { cns } };
    size_t n = admin(t, &c, rsp, nvme);

    g_assert_cmphex(rsp[4], ==, ST_OK);
    if (!*nvme) {
        g_assert_cmpuint(n, ==, 20 + 4096);
        memcpy(id, rsp + 20, 4096);
    } else {
        g_assert_cmpuint(n, ==, 20);
    }
}

/* Get Log Page @lid: @len bytes at log offset @lpo */
static void get_log(MCTPTest *t, uint8_t lid, uint32_t nsid, uint64_t lpo,
                    uint32_t len, uint8_t *log, uint16_t *nvme)
{
    uint8_t rsp[MI_MAX];
    uint32_t numd = len / 4 - 1;
    AdminCmd c = { .opc = 0x02, .flags = 3, .nsid = nsid, .dlen = len,
                   .cdw = { lid | numd << 16, numd >> 16, lpo, lpo >> 32 } };
    size_t n = admin(t, &c, rsp, nvme);

    g_assert_cmphex(rsp[4], ==, ST_OK);
    if (!*nvme) {
        g_assert_cmpuint(n, ==, 20 + len);
        memcpy(log, rsp + 20, len);
    }
}

static void subsys_health(MCTPTest *t, bool clear, uint8_t *d)
{
    uint8_t rsp[MI_MAX];

    g_assert_cmpuint(mi(t, 0x01, 0, clear ? 0x80000000 : 0, NULL, 0, rsp),
                     ==, 16);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    memcpy(d, rsp + 8, 8);
}

/* Basic management block read at command @cmd: @len bytes */
static void basic_read(MCTPTest *t, uint8_t cmd, uint8_t *buf, size_t len)
{
    g_assert(aspeed_i2c_bmc_read_reg(&t->bmc, BASIC_ADDR, cmd, buf, len));
}

/* The block at @cmd, with its byte count and PEC checked; returns count */
static size_t basic_block(MCTPTest *t, uint8_t cmd, uint8_t *buf,
                          size_t len)
{
    uint8_t pre[3] = { BASIC_ADDR << 1, cmd, BASIC_ADDR << 1 | 1 };
    uint8_t all[64];

    basic_read(t, cmd, buf, len);
    g_assert_cmpuint(buf[0] + 2, ==, len);
    memcpy(all, pre, 3);
    memcpy(all + 3, buf, len - 1);
    g_assert_cmphex(buf[len - 1], ==, mctp_t_pec(all, len + 2));
    return buf[0];
}

static void test_vectors(void)
{
    /* the worked examples of the research memo, byte for byte */
    static const uint8_t rd_subsys[] = {
        0x3a, 0x0f, 0x19, 0x21, 0x01, 0x09, 0x08, 0xc9, 0x84, 0x08, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0xe2, 0x00, 0x06, 0x07, 0x01 };
    static const uint8_t rd_subsys_rsp[] = {
        0x20, 0x0f, 0x31, 0x3b, 0x01, 0x08, 0x09, 0xc1, 0x84, 0x88, 0x00,
        0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xf7, 0x28, 0x7d, 0x6f, 0xeb };
    static const uint8_t rd_port[] = {
        0x3a, 0x0f, 0x19, 0x21, 0x01, 0x09, 0x08, 0xca, 0x84, 0x08, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x4e, 0x6f, 0x17, 0x3f, 0x4c };
    static const uint8_t rd_port_rsp[] = {
        0x20, 0x0f, 0x31, 0x3b, 0x01, 0x08, 0x09, 0xc2, 0x84, 0x88, 0x00,
        0x00, 0x00, 0x20, 0x00, 0x00, 0x02, 0x00, 0x40, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x1d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xc4, 0x05, 0xbc, 0x27, 0x4d };
    static const uint8_t hsp[] = {
        0x3a, 0x0f, 0x19, 0x21, 0x01, 0x09, 0x08, 0xcb, 0x84, 0x08, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x80, 0xaa, 0xef, 0x81, 0xb4, 0x74 };
    static const uint8_t hsp_rsp[] = {
        0x20, 0x0f, 0x19, 0x3b, 0x01, 0x08, 0x09, 0xc3, 0x84, 0x88, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x38, 0x3f, 0x23, 0x05, 0x01, 0x00,
        0x00, 0x00, 0x84, 0x50, 0xd9, 0xa0, 0x16 };
    static const uint8_t cfg_mtu[] = {
        0x3a, 0x0f, 0x19, 0x21, 0x01, 0x09, 0x08, 0xcc, 0x84, 0x08, 0x00,
        0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x4b, 0xd7, 0x85, 0x19, 0x80 };
    static const uint8_t cfg_mtu_rsp[] = {
        0x20, 0x0f, 0x11, 0x3b, 0x01, 0x08, 0x09, 0xc4, 0x84, 0x88, 0x00,
        0x00, 0x00, 0x40, 0x00, 0x00, 0xfd, 0xd5, 0x12, 0xe5, 0x1a };
    static const uint8_t err_rsp[] = {
        0x20, 0x0f, 0x11, 0x3b, 0x01, 0x08, 0x09, 0xc5, 0x84, 0x88, 0x00,
        0x00, 0x03, 0x00, 0x00, 0x00, 0x1d, 0xdc, 0x55, 0x40, 0xe2 };
    /* libnvme's first-contact probe: Identify Controller, 72 bytes */
    static const uint8_t probe[] = {
        0x84, 0x10, 0x00, 0x00, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x56, 0xd3, 0x71, 0x2e };
    uint8_t f[MCTP_T_FRAME_MAX], req[80], rsp[MI_MAX], e[MCTP_T_FRAME_MAX];
    AdminCmd c = { .opc = 0x06, .flags = 1, .dlen = 72, .cdw = { 1 } };
    size_t n, len;
    MCTPTest t;

    /* a port limited to the baseline unit and 100 kHz, as in the memo */
    start(&t, ",port-max-mtu=64,smbus-max-khz=100");

    g_assert(mctp_t_write_frame(&t, rd_subsys, sizeof(rd_subsys)));
    n = mctp_t_recv_frame(&t, f, sizeof(f));
    mctp_t_hexcmp(f, n, rd_subsys_rsp, sizeof(rd_subsys_rsp));

    g_assert(mctp_t_write_frame(&t, rd_port, sizeof(rd_port)));
    n = mctp_t_recv_frame(&t, f, sizeof(f));
    mctp_t_hexcmp(f, n, rd_port_rsp, sizeof(rd_port_rsp));

    g_assert(mctp_t_write_frame(&t, hsp, sizeof(hsp)));
    n = mctp_t_recv_frame(&t, f, sizeof(f));
    mctp_t_hexcmp(f, n, hsp_rsp, sizeof(hsp_rsp));

    g_assert(mctp_t_write_frame(&t, cfg_mtu, sizeof(cfg_mtu)));
    n = mctp_t_recv_frame(&t, f, sizeof(f));
    mctp_t_hexcmp(f, n, cfg_mtu_rsp, sizeof(cfg_mtu_rsp));

    /* Reset (0x07) is not supported: Invalid Command Opcode */
    len = mi_req(req, 0, 0x07, 0, 0, NULL, 0);
    len = mctp_t_frame(e, EP_ADDR, BMC_ADDR, EP_EID, BMC_EID,
                       MCTP_T_FLAGS(1, 1, 0, 1, 5), req, len);
    g_assert(mctp_t_write_frame(&t, e, len));
    n = mctp_t_recv_frame(&t, f, sizeof(f));
    mctp_t_hexcmp(f, n, err_rsp, sizeof(err_rsp));

    /* our request builder produces the probe byte for byte */
    len = admin_req(req, &c);
    mctp_t_hexcmp(req, len, probe, sizeof(probe));
    /* 72 bytes of request, 20 + 72 + 4 of response: two packets each */
    n = xfer(&t, 6, probe, sizeof(probe), rsp);
    g_assert_cmpuint(n, ==, 20 + 72);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmphex(le32(rsp + 16), ==, 0);     /* NVMe success */
    g_assert_cmphex(lduw_le_p(rsp + 20), ==, 0x1b36);   /* VID */
    g_assert_cmphex(lduw_le_p(rsp + 22), ==, 0x1b36);   /* SSVID */
    g_assert(!memcmp(rsp + 24, "QEMU-NVME-MI-0001   ", 20));
    g_assert(!memcmp(rsp + 44, "QEMU NVMe-MI Subsystem", 22));
    g_assert(!memcmp(rsp + 84, "1.0     ", 8));
    qtest_quit(t.qts);
}

static void test_read_ds(void)
{
    uint8_t rsp[MI_MAX];
    MCTPTest t;

    start(&t, ",vendor-id=0x144d,device-id=0xa808,subsystem-id=0x0a0b");

    /* port: defaults allow 250-byte units and 400 kHz; no basic mgmt */
    g_assert_cmpuint(mi(&t, 0x00, 1 << 24, 0, NULL, 0, rsp), ==, 8 + 32);
    g_assert_cmphex(rsp[8], ==, 2);
    g_assert_cmpuint(lduw_le_p(rsp + 10), ==, 250);
    g_assert_cmphex(rsp[18], ==, EP_ADDR);
    g_assert_cmphex(rsp[19], ==, 2);
    g_assert_cmphex(rsp[20], ==, 0);

    /* controller list from ID 0: one controller, ID 0 */
    g_assert_cmpuint(mi(&t, 0x00, 2 << 24, 0, NULL, 0, rsp), ==, 8 + 4);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmpuint(lduw_le_p(rsp + 5), ==, 4);
    g_assert_cmpuint(lduw_le_p(rsp + 8), ==, 1);
    g_assert_cmpuint(lduw_le_p(rsp + 10), ==, 0);
    /* from ID 1: none */
    g_assert_cmpuint(mi(&t, 0x00, 2 << 24 | 1, 0, NULL, 0, rsp), ==, 8 + 2);
    g_assert_cmpuint(lduw_le_p(rsp + 8), ==, 0);

    /* controller information */
    g_assert_cmpuint(mi(&t, 0x00, 3 << 24, 0, NULL, 0, rsp), ==, 8 + 32);
    g_assert_cmphex(lduw_le_p(rsp + 16), ==, 0x144d);
    g_assert_cmphex(lduw_le_p(rsp + 18), ==, 0xa808);
    g_assert_cmphex(lduw_le_p(rsp + 20), ==, 0x144d);
    g_assert_cmphex(lduw_le_p(rsp + 22), ==, 0x0a0b);
    mi_expect_param(&t, 0x00, 3 << 24 | 5, 0, 8);

    /* optionally supported commands: VPD Read and Write */
    g_assert_cmpuint(mi(&t, 0x00, 4 << 24, 0, NULL, 0, rsp), ==, 8 + 6);
    g_assert_cmpuint(lduw_le_p(rsp + 8), ==, 2);
    g_assert_cmphex(lduw_be_p(rsp + 10), ==, 0x0105);
    g_assert_cmphex(lduw_be_p(rsp + 12), ==, 0x0106);
    /* no management endpoint buffer commands */
    g_assert_cmpuint(mi(&t, 0x00, 5 << 24, 0, NULL, 0, rsp), ==, 8 + 2);
    g_assert_cmpuint(lduw_le_p(rsp + 8), ==, 0);

    /* a port we do not have, an unknown structure type */
    mi_expect_param(&t, 0x00, 1 << 24 | 1 << 16, 0, 10);
    mi_expect_param(&t, 0x00, 6 << 24, 0, 11);

    /* the control protocol lists NVMe-MI and its version, 1.2 */
    {
        static const uint8_t types[] = { 0x00, 0x81, 0x05 };
        static const uint8_t types_rsp[] = {
            0x00, 0x01, 0x05, 0x00, 0x01, 0x04 };
        static const uint8_t version[] = { 0x00, 0x82, 0x04, 0x04 };
        static const uint8_t version_rsp[] = {
            0x00, 0x02, 0x04, 0x00, 0x01, 0xf1, 0xf2, 0xff, 0x00 };
        uint8_t seid, flags;
        size_t n;

        mctp_t_send_pkt(&t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 4), types,
                        sizeof(types));
        n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
        mctp_t_hexcmp(rsp, n, types_rsp, sizeof(types_rsp));
        mctp_t_send_pkt(&t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 4), version,
                        sizeof(version));
        n = mctp_t_recv_msg(&t, rsp, sizeof(rsp), &seid, &flags, 64);
        mctp_t_hexcmp(rsp, n, version_rsp, sizeof(version_rsp));
    }
    qtest_quit(t.qts);
}

static void test_health(void)
{
    uint8_t d[8], rsp[MI_MAX], log[512], b[8];
    uint16_t nvme;
    MCTPTest t;

    start(&t, " -device nvme-mi-basic,bus=aspeed.i2c.bus.15,"
          "nvme-mi=ep");

    subsys_health(&t, false, d);
    g_assert_cmphex(d[0], ==, 0x38);
    g_assert_cmphex(d[1], ==, 0x3f);
    g_assert_cmphex(d[2], ==, 35);
    g_assert_cmphex(d[3], ==, 5);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 0x0001);  /* RDY */
    /* without CS the flags stay; with it they are cleared after */
    subsys_health(&t, true, d);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 0x0001);
    subsys_health(&t, false, d);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 0);

    qom_set_int(&t, EP_PATH, "temperature", 72);
    qom_set_int(&t, EP_PATH, "percentage-used", 42);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 72);
    g_assert_cmphex(d[3], ==, 42);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 1 << 9 | 1 << 10);
    qom_set_int(&t, EP_PATH, "available-spare", 7);
    qom_set_int(&t, EP_PATH, "critical-warning", 0x05);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[1], ==, 0x3a);                /* inverted bits */
    g_assert_cmphex(lduw_le_p(d + 4), ==, 0x1e00);

    /* Configuration Set Health Status Change clears selected flags */
    g_assert_cmpuint(mi(&t, 0x03, 2, 1 << 9 | 1 << 12, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    subsys_health(&t, false, d);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 1 << 10 | 1 << 11);

    /* temperatures beyond what a byte encodes */
    qom_set_int(&t, EP_PATH, "temperature", 130);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 0x7f);
    qom_set_int(&t, EP_PATH, "temperature", -5);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 0xfb);
    qom_set_int(&t, EP_PATH, "temperature", -100);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 0xc4);
    qom_set_int(&t, EP_PATH, "temperature", 60);
    g_assert(qom_set_fails(&t, "critical-warning", 0x40));
    g_assert(qom_set_fails(&t, "available-spare", 101));
    g_assert(qom_set_fails(&t, "temperature", -274));

    /* Controller Health Status Poll */
    g_assert_cmpuint(mi(&t, 0x02, 0, 0, NULL, 0, rsp), ==, 8 + 16);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmpuint(rsp[5], ==, 1);
    g_assert_cmphex(lduw_le_p(rsp + 8), ==, 0);     /* CTLID */
    g_assert_cmphex(lduw_le_p(rsp + 10), ==, 1);    /* CSTS.RDY */
    g_assert_cmpuint(lduw_le_p(rsp + 12), ==, 333); /* Kelvin */
    g_assert_cmpuint(rsp[14], ==, 42);
    g_assert_cmpuint(rsp[15], ==, 7);
    g_assert_cmphex(rsp[16], ==, 0x05);
    /* starting above our only controller: no entries */
    g_assert_cmpuint(mi(&t, 0x02, 1, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmpuint(rsp[5], ==, 0);

    /* the SMART log */
    get_log(&t, 0x02, 0xffffffff, 0, 512, log, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmphex(log[0], ==, 0x05);
    g_assert_cmpuint(lduw_le_p(log + 1), ==, 333);
    g_assert_cmpuint(log[3], ==, 7);
    g_assert_cmpuint(log[4], ==, 10);
    g_assert_cmpuint(log[5], ==, 42);

    /* the basic management command agrees */
    basic_block(&t, 0, b, 8);
    g_assert_cmphex(b[1], ==, 0xb8);
    g_assert_cmphex(b[2], ==, 0xfa);
    g_assert_cmphex(b[3], ==, 60);
    g_assert_cmphex(b[4], ==, 42);
    qom_set_int(&t, EP_PATH, "critical-warning", 0);
    qom_set_int(&t, EP_PATH, "percentage-used", 255);
    basic_block(&t, 0, b, 8);
    g_assert_cmphex(b[2], ==, 0xff);
    g_assert_cmphex(b[4], ==, 255);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[3], ==, 255);
    qtest_quit(t.qts);
}

static void test_config(void)
{
    uint8_t rsp[MI_MAX], id[4096];
    uint16_t nvme;
    MCTPTest t;

    start(&t, "");

    /* SMBus frequency: 100 kHz, can go to 400 kHz but not 1 MHz */
    g_assert_cmpuint(mi(&t, 0x04, 1, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmphex(rsp[5], ==, 1);
    g_assert_cmpuint(mi(&t, 0x03, 2 << 8 | 1, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    mi(&t, 0x04, 1, 0, NULL, 0, rsp);
    g_assert_cmphex(rsp[5], ==, 2);
    mi_expect_param(&t, 0x03, 3 << 8 | 1, 0, 9);
    mi_expect_param(&t, 0x03, 0 << 8 | 1, 0, 9);
    mi_expect_param(&t, 0x04, 1 << 24 | 1, 0, 11);
    /* health status change cannot be read; AE and unknown ids */
    mi_expect_param(&t, 0x04, 2, 0, 8);
    mi_expect_param(&t, 0x04, 4, 0, 8);
    mi_expect_param(&t, 0x03, 0x77, 0, 8);

    /* MTU: out of range values are refused */
    mi_expect_param(&t, 0x03, 3, 63, 12);
    mi_expect_param(&t, 0x03, 3, 251, 12);
    mi_expect_param(&t, 0x03, 1 << 24 | 3, 128, 11);
    /* a 4096-byte Identify comes in 64-byte packets */
    identify(&t, 1, 0, id, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    /* raise it to 128: the response still uses 64 (single packet) */
    g_assert_cmpuint(mi(&t, 0x03, 3, 128, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmpuint(mi(&t, 0x04, 3, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmpuint(lduw_le_p(rsp + 5), ==, 128);
    /* now responses are cut at 128 bytes (recv_msg checks that) */
    {
        uint8_t m[80];
        AdminCmd c = { .opc = 0x06, .flags = 3, .dlen = 4096,
                       .cdw = { 1 } };
        size_t n = xfer_mtu(&t, 2, m, admin_req(m, &c), rsp, 128);

        g_assert_cmpuint(n, ==, 20 + 4096);
        g_assert(!memcmp(rsp + 20, id, 4096));
    }
    /* and at 250 */
    g_assert_cmpuint(mi(&t, 0x03, 3, 250, NULL, 0, rsp), ==, 8);
    {
        uint8_t m[80];
        AdminCmd c = { .opc = 0x06, .flags = 3, .dlen = 1024,
                       .cdw = { 1 } };
        size_t n = xfer_mtu(&t, 3, m, admin_req(m, &c), rsp, 250);

        g_assert_cmpuint(n, ==, 20 + 1024);
    }

    /* a reset returns to the baseline unit and 100 kHz */
    qtest_system_reset(t.qts);
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);
    g_assert_cmpuint(mi(&t, 0x04, 3, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmpuint(lduw_le_p(rsp + 5), ==, 64);
    mi(&t, 0x04, 1, 0, NULL, 0, rsp);
    g_assert_cmphex(rsp[5], ==, 1);
    qtest_quit(t.qts);
}

static void test_vpd(void)
{
    uint8_t rsp[MI_MAX], sum = 0, data[512];
    g_autofree char *path = NULL;
    g_autofree char *args = NULL;
    g_autofree gchar *contents = NULL;
    gsize clen;
    MCTPTest t;
    int fd, i;

    start(&t, ",serial=SN-VPD-1");
    /* the default image: an IPMI FRU with a product info area */
    g_assert_cmpuint(mi(&t, 0x05, 0, 256, NULL, 0, rsp), ==, 8 + 256);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmphex(rsp[8], ==, 0x01);
    g_assert_cmphex(rsp[12], ==, 1);
    for (i = 0; i < 8; i++) {
        sum += rsp[8 + i];
    }
    g_assert_cmphex(sum, ==, 0);
    g_assert(memmem(rsp + 16, 248, "SN-VPD-1", 8));
    /* write and read back */
    g_assert_cmpuint(mi(&t, 0x06, 200, 4, (const uint8_t *)"abcd", 4, rsp),
                     ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmpuint(mi(&t, 0x05, 198, 8, NULL, 0, rsp), ==, 16);
    g_assert(!memcmp(rsp + 10, "abcd", 4));
    /* errors: data length not matching, out of the image */
    g_assert_cmpuint(mi(&t, 0x06, 0, 5, (const uint8_t *)"abcd", 4, rsp),
                     ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_INPUT_SIZE);
    mi_expect_param(&t, 0x05, 250, 7, 12);
    mi_expect_param(&t, 0x05, 257, 0, 8);
    g_assert_cmpuint(mi(&t, 0x06, 254, 4, (const uint8_t *)"abcd", 4, rsp),
                     ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    /* a zero-length read is fine */
    g_assert_cmpuint(mi(&t, 0x05, 256, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    qtest_quit(t.qts);

    /* backed by an image file: reads it, writes go to it */
    fd = g_file_open_tmp("nvme-mi-vpd-XXXXXX", &path, NULL);
    g_assert(fd >= 0);
    for (i = 0; i < 512; i++) {
        data[i] = i * 7;
    }
    g_assert_cmpint(write(fd, data, 512), ==, 512);
    close(fd);
    args = g_strdup_printf(",drive=vpd -drive if=none,id=vpd,format=raw,"
                           "file=%s", path);
    start(&t, args);
    g_assert_cmpuint(mi(&t, 0x05, 0, 512, NULL, 0, rsp), ==, 8 + 512);
    g_assert(!memcmp(rsp + 8, data, 512));
    mi_expect_param(&t, 0x05, 0, 513, 12);
    g_assert_cmpuint(mi(&t, 0x06, 508, 4, (const uint8_t *)"wxyz", 4, rsp),
                     ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    qtest_quit(t.qts);
    g_assert(g_file_get_contents(path, &contents, &clen, NULL));
    g_assert_cmpuint(clen, ==, 512);
    g_assert(!memcmp(contents, data, 508));
    g_assert(!memcmp(contents + 508, "wxyz", 4));
    unlink(path);
}

static void test_identify(void)
{
    uint8_t id[4096], rsp[MI_MAX], m[120];
    uint16_t nvme;
    AdminCmd c;
    MCTPTest t;

    start(&t, ",serial=S123,model=Test-Model,firmware=FW42,"
          "vendor-id=0x1234,namespace-size=64M");

    identify(&t, 1, 0, id, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmphex(lduw_le_p(id), ==, 0x1234);
    g_assert(!memcmp(id + 4, "S123                ", 20));
    g_assert(!memcmp(id + 24, "Test-Model     ", 15));
    g_assert(!memcmp(id + 64, "FW42    ", 8));
    g_assert_cmphex(lduw_le_p(id + 78), ==, 0);     /* CNTLID */
    g_assert_cmphex(id[253], ==, 0x01);             /* NVMSR: drive */
    g_assert_cmphex(id[255], ==, 0x01);             /* MEC: SMBus ME */
    g_assert_cmphex(id[260], ==, 0x03);             /* FRMW */
    g_assert_cmpuint(id[262], ==, 3);               /* ELPE */
    g_assert_cmpuint(le32(id + 516), ==, 1);    /* NN */
    g_assert_cmpstr((char *)id + 768, ==, "nqn.2019-08.org.qemu:S123");

    /* the same through DOFF/DLEN windows */
    c = (AdminCmd) { .opc = 0x06, .flags = 3, .doff = 64, .dlen = 16,
                     .cdw = { 1 } };
    g_assert_cmpuint(admin(&t, &c, rsp, &nvme), ==, 20 + 16);
    g_assert(!memcmp(rsp + 20, id + 64, 16));
    /* DOFF ignored unless flagged */
    c.flags = 1;
    admin(&t, &c, rsp, &nvme);
    g_assert(!memcmp(rsp + 20, id, 16));
    /* no DLEN flag: no data */
    c.flags = 0;
    g_assert_cmpuint(admin(&t, &c, rsp, &nvme), ==, 20);
    /* window beyond the 4096 bytes, unaligned, too long */
    c = (AdminCmd) { .opc = 0x06, .flags = 3, .doff = 4092, .dlen = 8,
                     .cdw = { 1 } };
    g_assert_cmpuint(admin(&t, &c, rsp, &nvme), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmpuint(lduw_le_p(rsp + 6), ==, 32);
    c.doff = 2;
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmpuint(lduw_le_p(rsp + 6), ==, 28);
    c.doff = 0;
    c.dlen = 4100;
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmpuint(lduw_le_p(rsp + 6), ==, 32);
    c.dlen = 6;
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);

    /* namespace 1: 64 MiB of 512-byte blocks */
    identify(&t, 0, 1, id, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmpuint(ldq_le_p(id), ==, 64 * 1024 * 2);
    g_assert_cmpuint(ldq_le_p(id + 8), ==, 64 * 1024 * 2);
    g_assert_cmpuint(id[130], ==, 9);
    identify(&t, 0, 2, id, &nvme);
    g_assert_cmphex(nvme, ==, 0x400b);              /* DNR, invalid NS */
    /* active namespace lists */
    identify(&t, 2, 0, id, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmpuint(le32(id), ==, 1);
    g_assert_cmpuint(le32(id + 4), ==, 0);
    identify(&t, 2, 1, id, &nvme);
    g_assert_cmpuint(le32(id), ==, 0);
    identify(&t, 0x10, 0, id, &nvme);
    g_assert_cmpuint(le32(id), ==, 1);
    identify(&t, 2, 0xffffffff, id, &nvme);
    g_assert_cmphex(nvme, ==, 0x400b);
    /* controller list */
    identify(&t, 0x13, 0, id, &nvme);
    g_assert_cmpuint(lduw_le_p(id), ==, 1);
    g_assert_cmpuint(lduw_le_p(id + 2), ==, 0);
    /* unknown CNS */
    identify(&t, 0x55, 0, id, &nvme);
    g_assert_cmphex(nvme, ==, 0x4002);

    /* MI-level errors */
    c = (AdminCmd) { .opc = 0x06, .flags = 3, .ctrl = 1, .dlen = 64,
                     .cdw = { 1 } };
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmpuint(lduw_le_p(rsp + 6), ==, 6);
    c = (AdminCmd) { .opc = 0x09, .flags = 3, .dlen = 64 };
    g_assert_cmpuint(admin(&t, &c, rsp, &nvme), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);
    c = (AdminCmd) { .opc = 0x06, .flags = 0x13, .dlen = 64 };
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    g_assert_cmpuint(lduw_le_p(rsp + 6), ==, 5);
    /* header too short, unexpected host data */
    c = (AdminCmd) { .opc = 0x06, .flags = 3, .dlen = 64, .cdw = { 1 } };
    admin_req(m, &c);
    g_assert_cmpuint(xfer(&t, 0, m, add_mic(m, 40), rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_CMD_SIZE);
    admin_req(m, &c);
    memset(m + 68, 0xaa, 8);
    g_assert_cmpuint(xfer(&t, 0, m, add_mic(m, 76), rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_INPUT_SIZE);
    qtest_quit(t.qts);
}

static void test_logs(void)
{
    uint8_t log[1024], part[64], rsp[MI_MAX];
    uint16_t nvme;
    AdminCmd c;
    MCTPTest t;
    int i;

    start(&t, ",firmware=2.5b");

    /* supported log pages: 0-3 */
    get_log(&t, 0x00, 0, 0, 1024, log, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    for (i = 0; i < 256; i++) {
        g_assert_cmphex(le32(log + 4 * i), ==, i <= 3 ? 1 : 0);
    }

    /* SMART: defaults, and windows through the log page offset */
    get_log(&t, 0x02, 0, 0, 512, log, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmphex(log[0], ==, 0);
    g_assert_cmpuint(lduw_le_p(log + 1), ==, 308);
    g_assert_cmpuint(log[3], ==, 100);
    g_assert_cmpuint(log[5], ==, 5);
    g_assert_cmpuint(ldq_le_p(log + 112), ==, 1);
    get_log(&t, 0x02, 0, 200, 8, part, &nvme);
    g_assert(!memcmp(part, log + 200, 8));
    get_log(&t, 0x02, 0, 508, 8, part, &nvme);   /* past the end: zeros */
    g_assert(!memcmp(part, log + 508, 4));
    g_assert_cmpuint(le32(part + 4), ==, 0);
    get_log(&t, 0x02, 0, 2, 8, part, &nvme);     /* unaligned offset */
    g_assert_cmphex(nvme, ==, 0x4002);
    get_log(&t, 0x02, 0, 516, 8, part, &nvme);   /* beyond the page */
    g_assert_cmphex(nvme, ==, 0x4002);
    get_log(&t, 0x02, 5, 0, 8, part, &nvme);     /* no such namespace */
    g_assert_cmphex(nvme, ==, 0x400b);

    /* firmware slots */
    get_log(&t, 0x03, 0, 0, 64, part, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    g_assert_cmphex(part[0], ==, 0x01);
    g_assert(!memcmp(part + 8, "2.5b    ", 8));
    g_assert_cmpuint(part[16], ==, 0);

    /* unsupported log: Invalid Log Page, then in the error log */
    get_log(&t, 0x7f, 0, 0, 64, part, &nvme);
    g_assert_cmphex(nvme, ==, 0x4109);
    get_log(&t, 0x01, 0, 0, 256, log, &nvme);
    g_assert_cmphex(nvme, ==, 0);
    /* newest first: four errors so far, the last two of them here */
    g_assert_cmpuint(ldq_le_p(log), ==, 4);
    g_assert_cmphex(lduw_le_p(log + 12), ==, 0x4109 << 1);
    g_assert_cmpuint(ldq_le_p(log + 64), ==, 3);
    g_assert_cmphex(lduw_le_p(log + 64 + 12), ==, 0x400b << 1);
    g_assert_cmpuint(le32(log + 64 + 24), ==, 5);
    /* the SMART log counts them too */
    get_log(&t, 0x02, 0, 176, 8, part, &nvme);
    g_assert_cmpuint(ldq_le_p(part), ==, 4);

    /* DLEN larger than the command's transfer length (NUMD) */
    c = (AdminCmd) { .opc = 0x02, .flags = 3, .dlen = 64,
                     .cdw = { 0x02 | 7 << 16 } };
    admin(&t, &c, rsp, &nvme);
    g_assert_cmphex(rsp[4], ==, ST_PARAM);
    /* a huge NUMD read in windows is fine: bytes beyond the page are 0 */
    c = (AdminCmd) { .opc = 0x02, .flags = 3, .doff = 0x10000, .dlen = 16,
                     .cdw = { 0x02 | 0xffffu << 16, 0xffff } };
    g_assert_cmpuint(admin(&t, &c, rsp, &nvme), ==, 20 + 16);
    g_assert_cmphex(nvme, ==, 0);
    for (i = 0; i < 16; i++) {
        g_assert_cmphex(rsp[20 + i], ==, 0);
    }
    qtest_quit(t.qts);
}

static void test_malformed(void)
{
    uint8_t m[4400], big[4400], rsp[MI_MAX], d[8];
    size_t len;
    MCTPTest t;

    start(&t, "");

    /* a bad MIC: dropped silently and counted */
    len = mi_req(m, 0, 0x01, 0, 0, NULL, 0);
    m[len - 1] ^= 1;
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-bad-mic"), ==, 1);
    /* a corrupted body, MIC unchanged */
    len = mi_req(m, 0, 0x01, 0, 0, NULL, 0);
    m[4] = 0x02;
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-bad-mic"), ==, 2);

    /* too short to hold a MIC and the header */
    m[0] = 0x84;
    m[1] = 0x08;
    m[2] = 0;
    len = add_mic(m, 3);
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-short"), ==, 1);

    /* without the integrity check bit */
    len = mi_req(m, 0, 0x01, 0, 0, NULL, 0);
    m[0] = 0x04;
    len = add_mic(m, len - 4);
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-no-ic"), ==, 1);

    /* a response (ROR=1) sent to us */
    len = mi_req(m, 0, 0x01, 0, 0, NULL, 0);
    m[1] |= 0x80;
    len = add_mic(m, len - 4);
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 64);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-response"), ==, 1);

    /* the other command slot is answered in that slot */
    len = mi_req(m, 1, 0x01, 0, 0, NULL, 0);
    g_assert_cmpuint(xfer(&t, 3, m, len, rsp), ==, 16);
    g_assert_cmphex(rsp[1], ==, 0x89);
    g_assert_cmphex(rsp[4], ==, ST_OK);

    /* an MI command shorter than its header: Invalid Command Size */
    len = mi_req(m, 0, 0x01, 0, 0, NULL, 0);
    len = add_mic(m, 12);
    g_assert_cmpuint(xfer(&t, 0, m, len, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_CMD_SIZE);
    /* data for a command that takes none: Invalid Input Data Size */
    g_assert_cmpuint(mi(&t, 0x00, 0, 0, (const uint8_t *)"xxxx", 4, rsp),
                     ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_INPUT_SIZE);
    /* unsupported MI opcodes and message types */
    g_assert_cmpuint(mi(&t, 0x0c, 0, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);
    g_assert_cmpuint(mi(&t, 0xff, 0, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);
    len = mi_req(m, 0, 0x00, 0, 0, NULL, 0);
    m[1] = 0x28;                                    /* NMIMT 5 */
    len = add_mic(m, len - 4);
    g_assert_cmpuint(xfer(&t, 0, m, len, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);
    /* a control primitive (Get State, tag 0x5d): not supported */
    m[1] = 0x00;
    m[4] = 0x03;
    m[5] = 0x5d;
    len = add_mic(m, 8);
    g_assert_cmpuint(xfer(&t, 0, m, len, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);
    g_assert_cmphex(rsp[5], ==, 0x5d);
    len = mi_req(m, 0, 0x00, 0, 0, NULL, 0);
    m[1] = 0x79;                                    /* NMIMT 15, slot 1 */
    len = add_mic(m, len - 4);
    g_assert_cmpuint(xfer(&t, 0, m, len, rsp), ==, 8);
    g_assert_cmphex(rsp[4], ==, ST_OPCODE);

    /* a message above the 4224-byte limit is dropped by the core */
    memset(big, 0x5a, sizeof(big));
    len = mi_req(m, 0, 0x06, 0, 4300, big, 4300 - 16 - 4);
    g_assert_cmpuint(len, ==, 4300);
    mctp_t_send_msg(&t, EP_EID, 0, m, len, 250);
    mctp_t_expect_silence(&t);
    g_assert_cmpuint(mctp_t_counter(&t, "drops-oversize"), ==, 1);

    /* and it keeps serving */
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 35);
    qtest_quit(t.qts);
}

/* Random requests with a valid MIC: each is answered, nothing breaks */
static void test_random(void)
{
    uint8_t m[400], rsp[MI_MAX], d[8];
    size_t len, n;
    MCTPTest t;
    int i, j;

    start(&t, "");
    for (i = 0; i < 150; i++) {
        len = g_test_rand_int_range(4, 300);
        for (j = 0; j < len; j++) {
            m[j] = g_test_rand_int();
        }
        m[0] = 0x84;
        m[1] &= 0x7f;
        /* mostly MI and Admin commands */
        if (i % 3) {
            m[1] = (m[1] & 0x01) | ((i & 1) ? 0x08 : 0x10);
        }
        if (i % 4 == 2) {
            /* Identify or Get Log Page with random fields */
            len = 68;
            m[1] = 0x10;
            m[4] = (i & 8) ? 0x02 : 0x06;
            m[5] &= 3;
            m[6] = m[7] = 0;
        }
        if ((m[1] >> 3) == 1 && m[4] == 0x03) {
            m[4] = 0x04;        /* no Configuration Set: keep the unit */
        }
        len = add_mic(m, len);
        n = xfer(&t, i & 7, m, len, rsp);
        g_assert_cmpuint(n, >=, 8);
    }
    g_assert_cmpuint(mctp_t_counter(&t, "nvme-mi-drops-bad-mic"), ==, 0);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[0], ==, 0x38);
    qtest_quit(t.qts);
}

static void test_basic(void)
{
    /* the memo's example: status block, PEC 0x33 */
    static const uint8_t cmd0[] = {
        0x06, 0xb8, 0xff, 0x23, 0x05, 0x00, 0x00, 0x33 };
    uint8_t b[40];
    MCTPTest t;

    start(&t, ",serial=BASIC-SN-77,vendor-id=0x1e0f "
          "-device nvme-mi-basic,bus=aspeed.i2c.bus.15,nvme-mi=ep");

    basic_read(&t, 0, b, sizeof(cmd0));
    mctp_t_hexcmp(b, sizeof(cmd0), cmd0, sizeof(cmd0));

    /* command 8: vendor ID (MSB first) and serial number */
    g_assert_cmpuint(basic_block(&t, 8, b, 24), ==, 22);
    g_assert_cmphex(b[1], ==, 0x1e);
    g_assert_cmphex(b[2], ==, 0x0f);
    g_assert(!memcmp(b + 3, "BASIC-SN-77         ", 20));

    /* a read from 0 runs on into the second block */
    basic_read(&t, 0, b, 32);
    g_assert_cmphex(b[8], ==, 22);
    g_assert(!memcmp(b + 11, "BASIC-SN-77", 11));

    /* health changes show up */
    qom_set_int(&t, EP_PATH, "temperature", 45);
    qom_set_int(&t, EP_PATH, "critical-warning", 0x02);
    basic_block(&t, 0, b, 8);
    g_assert_cmphex(b[2], ==, 0xfd);
    g_assert_cmphex(b[3], ==, 45);

    /* the MI port information now announces basic management */
    {
        uint8_t rsp[MI_MAX];

        mi(&t, 0x00, 1 << 24, 0, NULL, 0, rsp);
        g_assert_cmphex(rsp[20], ==, 1);
    }
    qtest_quit(t.qts);
}

/* Start QEMU with @args; it must refuse them with @error on stderr */
static void expect_startup_error(const char *args, const char *error)
{
    /* (bounded in time in case it wrongly starts) */
    g_autofree char *cmd = g_strdup_printf("timeout 60 %s -M ast2600-evb "
                                           "-display none -accel qtest -S %s",
                                           getenv("QTEST_QEMU_BINARY"),
                                           args);
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert(g_spawn_command_line_sync(cmd, &out, &err, &status, NULL));
    g_assert_cmpint(status, !=, 0);     /* a wait status: exited, not 0 */
    g_assert_nonnull(strstr(err, error));
}

static void test_basic_errors(void)
{
    /* the link is required */
    expect_startup_error("-device nvme-mi-basic,bus=aspeed.i2c.bus.15",
                         "needs the link property");
    /* one basic management target per endpoint */
    expect_startup_error("-device mctp-nvme-mi,id=ep,bus=aspeed.i2c.bus.15 "
                         "-device nvme-mi-basic,bus=aspeed.i2c.bus.15,"
                         "nvme-mi=ep "
                         "-device nvme-mi-basic,bus=aspeed.i2c.bus.14,"
                         "nvme-mi=ep", "already has");
    /* identity strings are checked */
    expect_startup_error("-device mctp-nvme-mi,bus=aspeed.i2c.bus.15,"
                         "serial=123456789012345678901",
                         "serial is longer than 20");
    expect_startup_error("-device mctp-nvme-mi,bus=aspeed.i2c.bus.15,"
                         "port-max-mtu=251", "port-max-mtu must be");
}

/* vmstate: health values, flags, VPD contents and the MTU survive */
static void test_migration(void)
{
    g_autofree char *file = g_strdup_printf("%s/nvme-mi-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    uint8_t rsp[MI_MAX], d[8];
    MCTPTest t;

    start(&t, "");
    qom_set_int(&t, EP_PATH, "temperature", 55);
    g_assert_cmpuint(mi(&t, 0x06, 16, 4, (const uint8_t *)"MIGR", 4, rsp),
                     ==, 8);
    g_assert_cmpuint(mi(&t, 0x03, 3, 96, NULL, 0, rsp), ==, 8);
    qtest_qmp_assert_success(t.qts, "{ 'execute': 'migrate', 'arguments': "
                             "{ 'uri': %s } }", uri);
    mctp_t_wait_migration(t.qts);
    qtest_quit(t.qts);

    t.qts = qtest_initf("-M ast2600-evb -device mctp-nvme-mi,id=ep,"
                        "bus=aspeed.i2c.bus.%d,eid=%d -incoming defer",
                        BUS, EP_EID);
    qtest_qmp_assert_success(t.qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    mctp_t_wait_migration(t.qts);
    unlink(file);
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);

    g_assert_cmpuint(mi(&t, 0x04, 3, 0, NULL, 0, rsp), ==, 8);
    g_assert_cmpuint(lduw_le_p(rsp + 5), ==, 96);
    subsys_health(&t, false, d);
    g_assert_cmphex(d[2], ==, 55);
    g_assert_cmphex(lduw_le_p(d + 4), ==, 1 | 1 << 9);
    g_assert_cmpuint(mi(&t, 0x05, 16, 4, NULL, 0, rsp), ==, 12);
    g_assert(!memcmp(rsp + 8, "MIGR", 4));
    qtest_quit(t.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/mctp-nvme-mi/vectors", test_vectors);
    qtest_add_func("/mctp-nvme-mi/read-ds", test_read_ds);
    qtest_add_func("/mctp-nvme-mi/health", test_health);
    qtest_add_func("/mctp-nvme-mi/config", test_config);
    qtest_add_func("/mctp-nvme-mi/vpd", test_vpd);
    qtest_add_func("/mctp-nvme-mi/identify", test_identify);
    qtest_add_func("/mctp-nvme-mi/logs", test_logs);
    qtest_add_func("/mctp-nvme-mi/malformed", test_malformed);
    qtest_add_func("/mctp-nvme-mi/random", test_random);
    qtest_add_func("/mctp-nvme-mi/basic", test_basic);
    qtest_add_func("/mctp-nvme-mi/basic-errors", test_basic_errors);
    qtest_add_func("/mctp-nvme-mi/migration", test_migration);
    return g_test_run();
}
