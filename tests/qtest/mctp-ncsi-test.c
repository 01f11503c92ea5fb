/*
 * QTest for the mctp-ncsi endpoint: NC-SI control packets over MCTP
 * (DSP0261/DSP0222), with the qtest playing the BMC on an AST2600 bus.
 * Expected responses, checksums included, are built here from the
 * specifications' layouts, independently of the device model.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "mctp-util.h"

#define BUS             15
#define BMC_ADDR        0x10
#define EP_ADDR         0x14    /* the device's default address */
#define BMC_EID         0x08
#define EP_EID          0x1e
#define EP_PATH         "/machine/peripheral/ep"

#define MCID            0x5a
#define PKG0            0x1f    /* package 0, the package itself */
#define CH(p, c)        ((p) << 5 | (c))

/* command types */
#define CIS     0x00
#define SP      0x01
#define DP      0x02
#define EC      0x03
#define DC      0x04
#define RC      0x05
#define GLS     0x0a
#define GVI     0x15
#define GC      0x16
#define GP      0x17
#define GAT     0x48
#define GAMT    0x49
#define GTT     0x4a
#define OEM     0x50

/* response and reason codes */
#define COMPLETED       0x0000
#define FAILED          0x0001
#define UNSUPPORTED     0x0003
#define R_NONE          0x0000
#define R_INIT          0x0001
#define R_PARAM         0x0002
#define R_LENGTH        0x0005
#define R_UNKNOWN       0x7fff

typedef struct NcsiTest {
    MCTPTest m;
    uint8_t tag;
    uint8_t iid;
} NcsiTest;

static void start(NcsiTest *t, const char *extra)
{
    t->m.qts = qtest_initf("-M ast2600-evb "
                           "-device mctp-ncsi,id=ep,bus=aspeed.i2c.bus.%d,"
                           "eid=0x%x%s", BUS, EP_EID, extra);
    t->m.ep_addr = EP_ADDR;
    t->m.bmc_addr = BMC_ADDR;
    t->m.bmc_eid = BMC_EID;
    t->m.ep_path = EP_PATH;
    t->tag = 0;
    t->iid = 1;
    aspeed_i2c_bmc_init(&t->m.bmc, t->m.qts, BUS, BMC_ADDR);
}

/*
 * An NC-SI over MCTP message (DSP0261): type 0x02, then the 16-byte
 * control packet header, the payload, padding to 4 bytes and the
 * checksum (0 when !csum).  Returns the message length.
 */
static size_t ncsi_build(uint8_t *m, uint8_t rev, uint8_t iid, uint8_t type,
                         uint8_t chan, const uint8_t *pl, size_t plen,
                         bool csum)
{
    uint8_t *h = m + 1;
    size_t padded = (plen + 3) & ~3;
    uint32_t c;

    memset(m, 0, 1 + 16 + padded + 4);
    m[0] = 0x02;
    h[0] = MCID;
    h[1] = rev;
    h[3] = iid;
    h[4] = type;
    h[5] = chan;
    h[6] = plen >> 8;
    h[7] = plen;
    if (plen) {
        memcpy(h + 16, pl, plen);       /* @pl may be NULL then */
    }
    c = csum ? mctp_t_ncsi_checksum(h, 16 + plen) : 0;
    h[16 + padded] = c >> 24;
    h[17 + padded] = c >> 16;
    h[18 + padded] = c >> 8;
    h[19 + padded] = c;
    return 1 + 16 + padded + 4;
}

static void send_raw(NcsiTest *t, const uint8_t *m, size_t len)
{
    t->tag = (t->tag + 1) & 7;
    mctp_t_send_msg(&t->m, EP_EID, t->tag, m, len, 64);
}

/*
 * Send command @type to @chan with the given payload; the response must
 * be exactly type | 0x80 with @code, @reason and then @data.
 */
static void cmd(NcsiTest *t, uint8_t type, uint8_t chan,
                const uint8_t *pl, size_t plen, uint16_t code,
                uint16_t reason, const uint8_t *data, size_t dlen)
{
    uint8_t req[128], rsp[128], exp[128], body[64];
    uint8_t seid, flags;
    size_t len, n;

    len = ncsi_build(req, 0x01, t->iid, type, chan, pl, plen, true);
    send_raw(t, req, len);

    g_assert_cmpuint(dlen + 4, <=, sizeof(body));
    body[0] = code >> 8;
    body[1] = code;
    body[2] = reason >> 8;
    body[3] = reason;
    if (dlen) {
        memcpy(body + 4, data, dlen);   /* @data may be NULL then */
    }
    len = ncsi_build(exp, 0x01, t->iid, type | 0x80, chan, body, dlen + 4,
                     true);
    n = mctp_t_recv_msg(&t->m, rsp, sizeof(rsp), &seid, &flags, 64);
    mctp_t_hexcmp(rsp, n, exp, len);
    g_assert_cmphex(seid, ==, EP_EID);
    g_assert_cmphex(flags & 0x0f, ==, t->tag);     /* TO clear, our tag */
    t->iid = t->iid == 0xff ? 1 : t->iid + 1;
}

static void cmd_ok(NcsiTest *t, uint8_t type, uint8_t chan,
                   const uint8_t *pl, size_t plen)
{
    cmd(t, type, chan, pl, plen, COMPLETED, R_NONE, NULL, 0);
}

static uint64_t counter(NcsiTest *t, const char *name)
{
    return mctp_t_counter(&t->m, name);
}

/* A message the endpoint must drop silently, counted under @name */
static void expect_drop(NcsiTest *t, const uint8_t *m, size_t len,
                        const char *name)
{
    uint64_t before = counter(t, name);
    uint64_t cmds = counter(t, "ncsi-commands");

    send_raw(t, m, len);
    mctp_t_expect_silence(&t->m);
    g_assert_cmpuint(counter(t, name), ==, before + 1);
    g_assert_cmpuint(counter(t, "ncsi-commands"), ==, cmds);
}

static void qom_set_int(NcsiTest *t, const char *prop, int64_t v)
{
    qtest_qmp_assert_success(t->m.qts, "{ 'execute': 'qom-set', "
                             "'arguments': { 'path': %s, 'property': %s, "
                             "'value': %" PRId64 " } }", EP_PATH, prop, v);
}

static void qom_set_bool(NcsiTest *t, const char *prop, bool v)
{
    qtest_qmp_assert_success(t->m.qts, "{ 'execute': 'qom-set', "
                             "'arguments': { 'path': %s, 'property': %s, "
                             "'value': %i } }", EP_PATH, prop, v);
}

static int64_t qom_get_int(NcsiTest *t, const char *prop)
{
    QDict *rsp = qtest_qmp(t->m.qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }", EP_PATH, prop);
    int64_t v;

    g_assert(qdict_haskey(rsp, "return"));
    v = qdict_get_int(rsp, "return");
    qobject_unref(rsp);
    return v;
}

/* Get Link Status data: link status, other indications, OEM status */
static void gls(NcsiTest *t, uint8_t chan, uint32_t status)
{
    uint8_t d[12] = { status >> 24, status >> 16, status >> 8, status };

    cmd(t, GLS, chan, NULL, 0, COMPLETED, R_NONE, d, sizeof(d));
}

/* Temperature commands: maximum, then current, 16-bit big-endian */
static void temp(NcsiTest *t, uint8_t chan, uint8_t type, int16_t max,
                 int16_t cur)
{
    uint8_t d[4] = { (uint16_t)max >> 8, max, (uint16_t)cur >> 8, cur };

    cmd(t, type, chan, NULL, 0, COMPLETED, R_NONE, d, sizeof(d));
}

/* Get Parameters: only the configuration flags (channel enabled) vary */
static void gp(NcsiTest *t, uint8_t chan, bool enabled)
{
    uint8_t d[28] = { 0 };

    d[19] = enabled ? 0x02 : 0x00;
    cmd(t, GP, chan, NULL, 0, COMPLETED, R_NONE, d, sizeof(d));
}

static void test_initial_state(void)
{
    static const uint8_t sp[4] = { 0, 0, 0, 1 };
    static const uint8_t rc[4] = { 0 };
    NcsiTest t;

    start(&t, "");
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 1);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 0);

    /* channel commands need Clear Initial State first */
    cmd(&t, GVI, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    cmd(&t, GLS, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    cmd(&t, EC, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 0);
    g_assert_cmpuint(counter(&t, "ncsi-errors-init-required"), ==, 3);

    /* package commands do not */
    cmd_ok(&t, SP, PKG0, sp, sizeof(sp));
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 1);
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 0);
    gls(&t, CH(0, 0), 0x0000000f);
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);

    /* Reset Channel puts it back, disabled */
    cmd_ok(&t, EC, CH(0, 0), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 1);
    cmd_ok(&t, RC, CH(0, 0), rc, sizeof(rc));
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 1);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 0);
    cmd(&t, GLS, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);

    /* and so does a system reset, which also deselects the package */
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);
    qtest_qmp_assert_success(t.m.qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(t.m.qts, "RESET");
    aspeed_i2c_bmc_init(&t.m.bmc, t.m.qts, BUS, BMC_ADDR);
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 1);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 0);
    cmd(&t, GP, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    qtest_quit(t.m.qts);
}

static void test_commands(void)
{
    static const uint8_t sp[4] = { 0 };
    static const uint8_t dc[4] = { 0, 0, 0, 1 };
    static const uint8_t gvi[36] = {
        0xf1, 0xf2, 0xf0, 0x00,                 /* NC-SI 1.2.0, alpha1 */
        0x00, 0x00, 0x00, 0x00,                 /* reserved, alpha2 */
        'T', 'e', 's', 't', 'N', 'I', 'C', '-', '1', 0, 0, 0,
        0x01, 0x02, 0x03, 0x04,                 /* firmware version */
        0x15, 0x33, 0x80, 0x86,                 /* PCI DID, VID */
        0x0a, 0xbc, 0x10, 0x28,                 /* PCI SSID, SVID */
        0x00, 0x00, 0x01, 0x57,                 /* manufacturer ID */
    };
    static const uint8_t gma[8] = { 0x00, 0x00, 0x81, 0x19, 0x00, 0x00,
                                    0x1b, 0x00 };
    static const uint8_t gma_rsp[24] = {
        0x00, 0x00, 0x81, 0x19, 0x00, 0x00, 0x1b, 0x00,
        0, 0, 0, 0, 0, 0, 0, 0,
        0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00,
    };
    uint8_t gc[28] = { 0 };
    NcsiTest t;

    start(&t, ",channels=2,fw-name=TestNIC-1,fw-version=0x01020304,"
          "pci-vid=0x8086,pci-did=0x1533,pci-svid=0x1028,pci-ssid=0xabc,"
          "manufacturer-id=0x157,mac=02:11:22:33:44:55");
    cmd_ok(&t, SP, PKG0, sp, sizeof(sp));
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);
    cmd_ok(&t, CIS, CH(0, 1), NULL, 0);

    cmd(&t, GVI, CH(0, 0), NULL, 0, COMPLETED, R_NONE, gvi, sizeof(gvi));
    gc[27] = 2;                                 /* channel count */
    cmd(&t, GC, CH(0, 1), NULL, 0, COMPLETED, R_NONE, gc, sizeof(gc));

    /* Enable/Disable Channel show in Get Parameters, per channel */
    gp(&t, CH(0, 0), false);
    cmd_ok(&t, EC, CH(0, 0), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 1);
    gp(&t, CH(0, 0), true);
    gp(&t, CH(0, 1), false);
    cmd_ok(&t, EC, CH(0, 1), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 3);
    cmd_ok(&t, DC, CH(0, 0), dc, sizeof(dc));
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 2);
    gp(&t, CH(0, 0), false);
    gp(&t, CH(0, 1), true);

    /* link up, 1000BASE-T full duplex (7) by default */
    gls(&t, CH(0, 0), 0x0000000f);
    gls(&t, CH(0, 1), 0x0000000f);

    temp(&t, CH(0, 0), GAT, 105, 45);
    temp(&t, CH(0, 0), GAMT, 70, 30);
    temp(&t, CH(0, 0), GTT, 85, 40);

    cmd(&t, OEM, CH(0, 0), gma, sizeof(gma), COMPLETED, R_NONE, gma_rsp,
        sizeof(gma_rsp));

    /* Deselect Package, then any other command selects it again */
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 1);
    cmd_ok(&t, DP, PKG0, NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 0);
    gls(&t, CH(0, 0), 0x0000000f);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 1);

    g_assert_cmpuint(counter(&t, "ncsi-commands"), ==, 21);
    g_assert_cmpuint(counter(&t, "rx-messages"), ==, 21);
    qtest_quit(t.m.qts);
}

/* Values changed with qom-set show up in the next response */
static void test_qom_set(void)
{
    QDict *rsp;
    NcsiTest t;

    start(&t, "");
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);
    gls(&t, CH(0, 0), 0x0000000f);
    qom_set_bool(&t, "link-up", false);
    gls(&t, CH(0, 0), 0x00000000);
    qom_set_int(&t, "link-speed", 0xd);         /* 100G full duplex */
    gls(&t, CH(0, 0), 0x00000000);
    qom_set_bool(&t, "link-up", true);
    gls(&t, CH(0, 0), 0x0000001b);
    qom_set_int(&t, "link-speed", 0x2);         /* 10BASE-T full duplex */
    gls(&t, CH(0, 0), 0x00000005);

    rsp = qtest_qmp(t.m.qts, "{ 'execute': 'qom-set', 'arguments': "
                    "{ 'path': %s, 'property': 'link-speed', "
                    "'value': 16 } }", EP_PATH);
    g_assert(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
    g_assert_cmpint(qom_get_int(&t, "link-speed"), ==, 2);

    qom_set_int(&t, "asic-temp", -5);
    qom_set_int(&t, "asic-temp-max", 90);
    temp(&t, CH(0, 0), GAT, 90, -5);
    qom_set_int(&t, "ambient-temp", 33);
    temp(&t, CH(0, 0), GAMT, 70, 33);
    qom_set_int(&t, "transceiver-temp", 77);
    qom_set_int(&t, "transceiver-temp-max", 300);
    temp(&t, CH(0, 0), GTT, 300, 77);
    g_assert_cmpint(qom_get_int(&t, "asic-temp"), ==, -5);
    qtest_quit(t.m.qts);
}

static void test_unsupported(void)
{
    static const uint8_t types[] = { 0x06, 0x0e, 0x1b, 0x47, 0x51, 0x52,
                                     0x7f };
    static const uint8_t bcm[8] = { 0x00, 0x00, 0x11, 0x3d, 0x00, 0x00,
                                    0x1b, 0x00 };
    static const uint8_t mlx_smaf[8] = { 0x00, 0x00, 0x81, 0x19, 0x00, 0x01,
                                         0x07, 0x00 };
    static const uint8_t mlx_gma_long[12] = { 0x00, 0x00, 0x81, 0x19, 0x00,
                                              0x00, 0x1b, 0x00 };
    static const uint8_t pl4[4] = { 0 };
    NcsiTest t;
    size_t i;

    start(&t, "");
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);
    for (i = 0; i < ARRAY_SIZE(types); i++) {
        cmd(&t, types[i], CH(0, 0), pl4, sizeof(pl4), UNSUPPORTED, R_UNKNOWN,
            NULL, 0);
    }
    /* OEM commands of other manufacturers, other Mellanox commands */
    cmd(&t, OEM, CH(0, 0), bcm, sizeof(bcm), UNSUPPORTED, R_UNKNOWN,
        NULL, 0);
    cmd(&t, OEM, CH(0, 0), mlx_smaf, sizeof(mlx_smaf), UNSUPPORTED,
        R_UNKNOWN, NULL, 0);
    cmd(&t, OEM, CH(0, 0), mlx_gma_long, sizeof(mlx_gma_long), FAILED,
        R_LENGTH, NULL, 0);
    /* too short for a manufacturer ID */
    cmd(&t, OEM, CH(0, 0), bcm, 3, FAILED, R_LENGTH, NULL, 0);
    g_assert_cmpuint(counter(&t, "ncsi-errors-unsupported"), ==,
                     ARRAY_SIZE(types) + 2);
    g_assert_cmpuint(counter(&t, "ncsi-errors-bad-length"), ==, 2);
    gls(&t, CH(0, 0), 0x0000000f);
    qtest_quit(t.m.qts);
}

static void test_malformed(void)
{
    static const uint8_t pl4[4] = { 0 };
    static const uint8_t pl12[12] = { 0 };
    static const uint8_t odd[5] = { 0x00, 0x00, 0x81, 0x19, 0x42 };
    uint8_t m[128];
    size_t len;
    NcsiTest t;

    start(&t, ",channels=2");
    cmd_ok(&t, CIS, CH(0, 0), NULL, 0);

    /* shorter than the header */
    len = ncsi_build(m, 0x01, 1, GLS, CH(0, 0), NULL, 0, true);
    expect_drop(&t, m, 11, "ncsi-drops-short");
    /* no room for the checksum */
    expect_drop(&t, m, len - 2, "ncsi-drops-short");
    /* payload length beyond the message */
    len = ncsi_build(m, 0x01, 1, SP, PKG0, pl12, sizeof(pl12), true);
    expect_drop(&t, m, len - 8, "ncsi-drops-short");
    gls(&t, CH(0, 0), 0x0000000f);

    /* checksum wrong: dropped; zero: not checked */
    len = ncsi_build(m, 0x01, 1, GLS, CH(0, 0), NULL, 0, true);
    m[len - 1] ^= 1;
    expect_drop(&t, m, len, "ncsi-drops-bad-checksum");
    len = ncsi_build(m, 0x01, 9, GVI, CH(0, 0), NULL, 0, true);
    m[4] ^= 0x10;                   /* IID changed after summing */
    expect_drop(&t, m, len, "ncsi-drops-bad-checksum");
    len = ncsi_build(m, 0x01, t.iid, CIS, CH(0, 0), NULL, 0, false);
    send_raw(&t, m, len);
    {
        uint8_t rsp[64], exp[64], body[4] = { 0 };
        uint8_t seid, flags;
        size_t n = mctp_t_recv_msg(&t.m, rsp, sizeof(rsp), &seid, &flags,
                                   64);
        size_t elen = ncsi_build(exp, 0x01, t.iid, CIS | 0x80, CH(0, 0),
                                 body, 4, true);

        mctp_t_hexcmp(rsp, n, exp, elen);
        t.iid++;
    }
    /* an odd payload length is summed with a zero pad byte */
    cmd(&t, OEM, CH(0, 0), odd, sizeof(odd), UNSUPPORTED, R_UNKNOWN,
        NULL, 0);

    /* header revision other than 1 */
    len = ncsi_build(m, 0x02, 1, GLS, CH(0, 0), NULL, 0, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-revision");
    len = ncsi_build(m, 0x00, 1, GLS, CH(0, 0), NULL, 0, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-revision");

    /* packages and channels that do not exist */
    len = ncsi_build(m, 0x01, 1, GLS, CH(1, 0), NULL, 0, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-package");
    len = ncsi_build(m, 0x01, 1, SP, CH(7, 0x1f), pl4, 4, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-package");
    len = ncsi_build(m, 0x01, 1, GLS, CH(0, 2), NULL, 0, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-channel");
    len = ncsi_build(m, 0x01, 1, CIS, CH(0, 0x1e), NULL, 0, true);
    expect_drop(&t, m, len, "ncsi-drops-bad-channel");

    /* responses and AENs are not commands */
    len = ncsi_build(m, 0x01, 1, GLS | 0x80, CH(0, 0), pl4, 4, true);
    expect_drop(&t, m, len, "ncsi-drops-not-command");
    len = ncsi_build(m, 0x01, 0, 0xff, CH(0, 0), pl4, 4, true);
    expect_drop(&t, m, len, "ncsi-drops-not-command");

    /* payload lengths wrong for the command */
    cmd(&t, SP, PKG0, NULL, 0, FAILED, R_LENGTH, NULL, 0);
    cmd(&t, GLS, CH(0, 0), pl4, 4, FAILED, R_LENGTH, NULL, 0);
    cmd(&t, CIS, CH(0, 1), pl4, 4, FAILED, R_LENGTH, NULL, 0);
    cmd(&t, DC, CH(0, 0), NULL, 0, FAILED, R_LENGTH, NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 2);
    /* a channel command addressed to the package */
    cmd(&t, GLS, PKG0, NULL, 0, FAILED, R_PARAM, NULL, 0);
    cmd(&t, CIS, PKG0, NULL, 0, FAILED, R_PARAM, NULL, 0);
    g_assert_cmpuint(counter(&t, "ncsi-errors-bad-length"), ==, 4);
    g_assert_cmpuint(counter(&t, "ncsi-errors-bad-param"), ==, 2);

    /* still serving; MCTP-level counters untouched */
    gls(&t, CH(0, 0), 0x0000000f);
    cmd_ok(&t, CIS, CH(0, 1), NULL, 0);
    gls(&t, CH(0, 1), 0x0000000f);
    g_assert_cmpuint(counter(&t, "drops-unsupported-type"), ==, 0);
    g_assert_cmpuint(counter(&t, "drops-bad-length"), ==, 0);
    qtest_quit(t.m.qts);
}

static void test_packages(void)
{
    static const uint8_t sp[4] = { 0 };
    uint8_t gc[28] = { 0 };
    uint8_t m[64];
    size_t len;
    NcsiTest t;

    start(&t, ",packages=2,channels=2");
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 0x303);
    cmd_ok(&t, SP, CH(1, 0x1f), sp, sizeof(sp));
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 2);
    cmd_ok(&t, SP, CH(0, 0x1f), sp, sizeof(sp));
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 3);
    cmd_ok(&t, DP, CH(1, 0x1f), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 1);

    /* channel state is per package and channel */
    cmd_ok(&t, CIS, CH(1, 1), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "initial-state-channels"), ==, 0x103);
    g_assert_cmpuint(qom_get_int(&t, "selected-packages"), ==, 3);
    cmd_ok(&t, EC, CH(1, 1), NULL, 0);
    g_assert_cmpuint(qom_get_int(&t, "enabled-channels"), ==, 0x200);
    cmd(&t, GLS, CH(1, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    cmd(&t, GLS, CH(0, 1), NULL, 0, FAILED, R_INIT, NULL, 0);
    gls(&t, CH(1, 1), 0x0000000f);
    gp(&t, CH(1, 1), true);
    gc[27] = 2;
    cmd(&t, GC, CH(1, 1), NULL, 0, COMPLETED, R_NONE, gc, sizeof(gc));

    len = ncsi_build(m, 0x01, 1, SP, CH(2, 0x1f), sp, sizeof(sp), true);
    expect_drop(&t, m, len, "ncsi-drops-bad-package");
    qtest_quit(t.m.qts);
}

/* Worked example with the checksums summed by hand */
static void test_vector(void)
{
    /* Clear Initial State, MC ID 0x5A, IID 1, package 0 channel 0 */
    static const uint8_t req[] = {
        0x02, 0x5a, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xff, 0xa5, 0xfe,     /* -(0x5a01 + 0x0001) */
    };
    static const uint8_t rsp[] = {
        0x02, 0x5a, 0x01, 0x00, 0x01, 0x80, 0x00, 0x00, 0x04,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,     /* completed, no error */
        0xff, 0xff, 0x25, 0xfa,     /* -(0x5a01 + 0x0001 + 0x8000 + 4) */
    };
    uint8_t buf[64], seid, flags;
    size_t n;
    NcsiTest t;

    start(&t, "");
    mctp_t_send_msg(&t.m, EP_EID, 5, req, sizeof(req), 64);
    n = mctp_t_recv_msg(&t.m, buf, sizeof(buf), &seid, &flags, 64);
    mctp_t_hexcmp(buf, n, rsp, sizeof(rsp));
    g_assert_cmphex(flags, ==, 0xc5);   /* SOM, EOM, seq 0, TO 0, tag 5 */
    qtest_quit(t.m.qts);
}

/* Property checks at device creation */
static void test_properties(void)
{
    static const struct {
        const char *prop;
        const char *error;
    } bad[] = {
        { "packages=0", "packages must be between 1 and 8" },
        { "packages=9", "packages must be between 1 and 8" },
        { "channels=0", "channels must be between 1 and 8" },
        { "channels=9", "channels must be between 1 and 8" },
        { "fw-name=ThirteenChars", "fw-name is longer than 12" },
    };
    const char *qemu = g_getenv("QTEST_QEMU_BINARY");
    NcsiTest t;
    size_t i;

    start(&t, "");
    g_assert_cmpint(qom_get_int(&t, "address"), ==, 0x14);
    g_assert_cmpint(qom_get_int(&t, "asic-temp"), ==, 45);
    g_assert_cmpint(qom_get_int(&t, "transceiver-temp-max"), ==, 85);
    g_assert_cmpint(qom_get_int(&t, "link-speed"), ==, 7);
    qtest_quit(t.m.qts);

    g_assert(qemu);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        g_autofree char *cmd = g_strdup_printf(
            "%s -M ast2600-evb -display none -audio none -accel qtest "
            "-device mctp-ncsi,bus=aspeed.i2c.bus.%d,%s",
            qemu, BUS, bad[i].prop);
        g_autofree char *out = NULL, *err = NULL;
        g_autoptr(GError) gerr = NULL;
        int status;

        g_spawn_command_line_sync(cmd, &out, &err, &status, &gerr);
        g_assert_no_error(gerr);
        g_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
        g_assert_nonnull(strstr(err, bad[i].error));
    }
}

/* The control protocol lists NC-SI among the supported message types */
static void test_control(void)
{
    static const uint8_t req[] = { 0x00, 0x80, 0x05 };
    static const uint8_t exp[] = { 0x00, 0x00, 0x05, 0x00, 0x01, 0x02 };
    uint8_t rsp[64], seid, flags;
    size_t n;
    NcsiTest t;

    start(&t, "");
    mctp_t_send_msg(&t.m, EP_EID, 3, req, sizeof(req), 64);
    n = mctp_t_recv_msg(&t.m, rsp, sizeof(rsp), &seid, &flags, 64);
    mctp_t_hexcmp(rsp, n, exp, sizeof(exp));
    qtest_quit(t.m.qts);
}

/* vmstate: selection, channel state, link state and temperatures */
static void test_migration(void)
{
    static const uint8_t sp[4] = { 0 };
    g_autofree char *file = g_strdup_printf("%s/mctp-ncsi-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    NcsiTest t, d;

    start(&t, ",channels=2");
    cmd_ok(&t, SP, PKG0, sp, sizeof(sp));
    cmd_ok(&t, CIS, CH(0, 1), NULL, 0);
    cmd_ok(&t, EC, CH(0, 1), NULL, 0);
    qom_set_bool(&t, "link-up", false);
    qom_set_int(&t, "ambient-temp", -12);
    cmd(&t, GLS, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);

    qtest_qmp_assert_success(t.m.qts, "{ 'execute': 'migrate', "
                             "'arguments': { 'uri': %s } }", uri);
    mctp_t_wait_migration(t.m.qts);
    qtest_quit(t.m.qts);

    d.m.qts = qtest_initf("-M ast2600-evb -device mctp-ncsi,id=ep,"
                          "bus=aspeed.i2c.bus.%d,eid=0x%x,channels=2 "
                          "-incoming defer", BUS, EP_EID);
    d.m.ep_addr = EP_ADDR;
    d.m.bmc_addr = BMC_ADDR;
    d.m.bmc_eid = BMC_EID;
    d.m.ep_path = EP_PATH;
    d.tag = 0;
    d.iid = 1;
    qtest_qmp_assert_success(d.m.qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    mctp_t_wait_migration(d.m.qts);
    unlink(file);
    aspeed_i2c_bmc_init(&d.m.bmc, d.m.qts, BUS, BMC_ADDR);

    g_assert_cmpuint(qom_get_int(&d, "selected-packages"), ==, 1);
    g_assert_cmpuint(qom_get_int(&d, "initial-state-channels"), ==, 1);
    g_assert_cmpuint(qom_get_int(&d, "enabled-channels"), ==, 2);
    g_assert_cmpuint(counter(&d, "ncsi-errors-init-required"), ==, 1);
    g_assert_cmpuint(counter(&d, "ncsi-commands"), ==, 4);
    gls(&d, CH(0, 1), 0x00000000);
    gp(&d, CH(0, 1), true);
    temp(&d, CH(0, 1), GAMT, 70, -12);
    cmd(&d, GLS, CH(0, 0), NULL, 0, FAILED, R_INIT, NULL, 0);
    qtest_quit(d.m.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("ast2600-evb") || !qtest_has_device("mctp-ncsi")) {
        g_test_skip("ast2600-evb or mctp-ncsi not available");
        return g_test_run();
    }
    qtest_add_func("/mctp-ncsi/initial-state", test_initial_state);
    qtest_add_func("/mctp-ncsi/commands", test_commands);
    qtest_add_func("/mctp-ncsi/qom-set", test_qom_set);
    qtest_add_func("/mctp-ncsi/unsupported", test_unsupported);
    qtest_add_func("/mctp-ncsi/malformed", test_malformed);
    qtest_add_func("/mctp-ncsi/packages", test_packages);
    qtest_add_func("/mctp-ncsi/control", test_control);
    qtest_add_func("/mctp-ncsi/vector", test_vector);
    qtest_add_func("/mctp-ncsi/properties", test_properties);
    qtest_add_func("/mctp-ncsi/migration", test_migration);
    return g_test_run();
}
