/*
 * QTest: migration of composed machines carries a fingerprint of the
 * effective board description; a destination built from another board
 * (even one that differs only in wiring, with the same device state
 * sections) refuses it, one built from the same board accepts it.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "mctp-util.h"

#define UART            0x1c090000
#define PL011_IMSC      0x038

/*
 * Two Cortex-A15s, their GIC, a PL011 and an SP804.  %s: the timer's
 * interrupt; the parameter "freq" sets its clock and the bool "fast"
 * doubles it through a conditional override.
 */
static const char board_fmt[] =
    "version: 1\n"
    "name: migration-board\n"
    "params:\n"
    "  - {name: freq, type: int, default: 1000000}\n"
    "  - {name: fast, type: bool, default: false}\n"
    "machine: {ram-size: 16M, ram-map: {addr: 0x80000000}}\n"
    "clocks: [{name: refclk, hz: 24000000}]\n"
    "cpus: [{type: cortex-a15-arm-cpu, count: 2}]\n"
    "devices:\n"
    "  - name: mpcore\n"
    "    type: a15mpcore_priv\n"
    "    props: {num-cpu: 2, num-irq: 64}\n"
    "    mmio: [{addr: 0x2c000000}]\n"
    "  - name: uart0\n"
    "    type: pl011\n"
    "    clocks: {clk: refclk}\n"
    "    mmio: [{addr: 0x1c090000}]\n"
    "    irqs: {\"sysbus-irq[0]\": \"mpcore[5]\"}\n"
    "  - name: timer0\n"
    "    type: sp804\n"
    "    props: {freq0: $freq, freq1: 1000000}\n"
    "    mmio: [{addr: 0x1c110000}]\n"
    "    irqs: {\"sysbus-irq[0]\": \"%s\"}\n"
    "  - {override: timer0, if: $fast, props: {freq0: 2000000}}\n"
    "%s";

typedef struct Side {
    QTestState *qts;
    char *desc;
    char *log;          /* QEMU's stderr */
} Side;

static char *tmp_path(const char *what)
{
    return g_strdup_printf("%s/composed-migration-%d-%s", g_get_tmp_dir(),
                           getpid(), what);
}

static char *write_board(const char *name, const char *timer_irq,
                         const char *extra)
{
    g_autofree char *text = g_strdup_printf(board_fmt, timer_irq, extra);
    char *path = tmp_path(name);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* Start @desc with machine options @opts; stderr to a file */
static void side_start(Side *s, const char *name, const char *desc,
                       const char *opts, const char *more)
{
    g_autofree char *logname = g_strdup_printf("%s.log", name);

    s->desc = g_strdup(desc);
    s->log = tmp_path(logname);
    s->qts = qtest_initf("-M composed,desc=%s%s %s 2>%s", desc, opts, more,
                         s->log);
}

static void side_end(Side *s)
{
    qtest_quit(s->qts);
    unlink(s->log);
    g_free(s->log);
    g_free(s->desc);
}

static char *fingerprint(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': '/machine', 'property': 'fingerprint' "
                           "} }");
    char *fp = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    g_assert_cmpuint(strlen(fp), ==, 64);
    return fp;
}

static const char *migration_status(QTestState *qts)
{
    static char status[32];
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
    QDict *ret = qdict_get_qdict(rsp, "return");

    g_strlcpy(status, ret && qdict_haskey(ret, "status") ?
              qdict_get_str(ret, "status") : "none", sizeof(status));
    qobject_unref(rsp);
    return status;
}

/* Wait until migration on @qts completed (true) or failed (false) */
static bool wait_migration(QTestState *qts)
{
    int i;

    for (i = 0; i < 4000; i++) {
        const char *st = migration_status(qts);

        if (g_str_equal(st, "completed")) {
            return true;
        }
        if (g_str_equal(st, "failed")) {
            return false;
        }
        g_usleep(5000);
    }
    g_assert_not_reached();
}

/*
 * Save @src's state to a file, then load it into a machine started from
 * @desc with @opts; returns the destination (still running) and whether
 * it accepted the state.
 */
static bool migrate(Side *src, Side *dst, const char *desc, const char *opts)
{
    g_autofree char *file = tmp_path("stream");
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    bool ok;

    qtest_qmp_assert_success(src->qts, "{ 'execute': 'migrate', "
                             "'arguments': { 'uri': %s } }", uri);
    g_assert_true(wait_migration(src->qts));
    side_start(dst, "dst", desc, opts, "-incoming defer");
    qtest_qmp_assert_success(dst->qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s, "
                             "'exit-on-error': false } }", uri);
    ok = wait_migration(dst->qts);
    unlink(file);
    return ok;
}

/* The destination's stderr names both fingerprints and @entry */
static void assert_refused(Side *src, Side *dst, const char *entry)
{
    g_autofree char *fs = fingerprint(src->qts);
    g_autofree char *fd = fingerprint(dst->qts);
    g_autofree char *log = NULL;
    g_autofree char *want = g_strdup_printf("first difference: %s", entry);

    g_assert_cmpstr(fs, !=, fd);
    g_assert_true(g_file_get_contents(dst->log, &log, NULL, NULL));
    if (!strstr(log, "refusing the incoming machine state") ||
        !strstr(log, fs) || !strstr(log, fd) || !strstr(log, want)) {
        g_test_message("want fingerprints %s, %s and '%s'; stderr: %s",
                       fs, fd, want, log);
        g_assert_not_reached();
    }
}

/* Same board, from another file: accepted, with the device state */
static void test_same_board(void)
{
    g_autofree char *a = write_board("a.yaml", "mpcore[2]", "");
    g_autofree char *b = write_board("b.yaml", "mpcore[2]", "");
    g_autofree char *fs = NULL, *fd = NULL;
    Side src, dst;

    side_start(&src, "src", a, "", "");
    qtest_writel(src.qts, UART + PL011_IMSC, 0x50);
    g_assert_true(migrate(&src, &dst, b, ""));
    fs = fingerprint(src.qts);
    fd = fingerprint(dst.qts);
    g_assert_cmpstr(fs, ==, fd);
    g_assert_cmphex(qtest_readl(dst.qts, UART + PL011_IMSC), ==, 0x50);
    side_end(&dst);
    side_end(&src);
    unlink(a);
    unlink(b);
}

/* The timer's interrupt wired elsewhere: same devices, another board */
static void test_wiring(void)
{
    g_autofree char *a = write_board("a.yaml", "mpcore[2]", "");
    g_autofree char *b = write_board("b.yaml", "mpcore[3]", "");
    Side src, dst;

    side_start(&src, "src", a, "", "");
    g_assert_false(migrate(&src, &dst, b, ""));
    assert_refused(&src, &dst, "devices[2] 'timer0'");
    side_end(&dst);
    side_end(&src);
    unlink(a);
    unlink(b);
}

/* The same file with another parameter value */
static void test_parameter(void)
{
    g_autofree char *a = write_board("a.yaml", "mpcore[2]", "");
    Side src, dst;

    side_start(&src, "src", a, ",param.freq=1000000", "");
    g_assert_false(migrate(&src, &dst, a, ",param.freq=500000"));
    assert_refused(&src, &dst, "devices[2] 'timer0'");
    side_end(&dst);
    side_end(&src);

    /* the default and the same value written out are the same board */
    side_start(&src, "src", a, "", "");
    g_assert_true(migrate(&src, &dst, a, ",param.freq=1000000"));
    side_end(&dst);
    side_end(&src);
    unlink(a);
}

/* A conditional override that holds on one side only */
static void test_condition(void)
{
    g_autofree char *a = write_board("a.yaml", "mpcore[2]", "");
    Side src, dst;

    side_start(&src, "src", a, ",param.fast=true", "");
    g_assert_false(migrate(&src, &dst, a, ""));
    assert_refused(&src, &dst, "devices[2] 'timer0'");
    side_end(&dst);
    side_end(&src);
    unlink(a);
}

/*
 * A board with one more device: refused by the fingerprint, before the
 * device sections (which would fail with a less helpful message)
 */
static void test_more_devices(void)
{
    g_autofree char *a = write_board("a.yaml", "mpcore[2]", "");
    g_autofree char *b = write_board("b.yaml", "mpcore[2]",
        "  - {name: uart1, type: pl011, clocks: {clk: refclk},\n"
        "     mmio: [{addr: 0x1c0a0000}]}\n");
    Side src, dst;

    side_start(&src, "src", a, "", "");
    g_assert_false(migrate(&src, &dst, b, ""));
    assert_refused(&src, &dst, "devices[3] 'uart1' (only on this machine)");
    side_end(&dst);
    side_end(&src);
    unlink(a);
    unlink(b);
}

/* --- ast2600-mctp: a conversation with its endpoints goes on --- */

#define MCTP_BUS        15
#define BMC_ADDR        0x10
#define BMC_EID         0x08
#define ECHO_ADDR       0x12
#define ECHO_EID        10
#define ECHO_LEN        200

static char *machine_path(const char *name)
{
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));

    return g_build_filename(dir, "machines", name, NULL);
}

static void mctp_attach(MCTPTest *t, QTestState *qts)
{
    t->qts = qts;
    t->ep_addr = ECHO_ADDR;
    t->ep_path = "/machine/echo";
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->bmc.qts = qts;
}

/*
 * The BMC gives the echo endpoint its EID, then sends a 200-byte echo
 * request (four packets) and takes the first two packets of the answer
 */
static void conversation_start(MCTPTest *t, uint8_t *msg, uint8_t *got)
{
    static const uint8_t set_eid[] = { 0x00, 0x81, 0x01, 0x00, ECHO_EID };
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t i, n;

    for (i = 0; i < ECHO_LEN; i++) {
        msg[i] = i * 13 + 1;
    }
    memcpy(msg, (const uint8_t[]){ 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    aspeed_i2c_bmc_init(&t->bmc, t->qts, MCTP_BUS, BMC_ADDR);
    mctp_t_send_pkt(t, 0, MCTP_T_FLAGS(1, 1, 0, 1, 0), set_eid,
                    sizeof(set_eid));
    g_assert_cmpuint(mctp_t_recv_frame(t, f, sizeof(f)), ==, 16);
    g_assert_cmpuint(mctp_t_counter(t, "current-eid"), ==, ECHO_EID);
    mctp_t_send_msg(t, ECHO_EID, 3, msg, ECHO_LEN, 64);
    for (i = 0; i < 2; i++) {
        n = mctp_t_recv_frame(t, f, sizeof(f));
        g_assert_cmpuint(n, ==, 9 + 64);
        memcpy(got + i * 64, f + 8, 64);
    }
}

/* ... and the rest of the answer arrives, whole, then the next exchange */
static void conversation_end(MCTPTest *t, const uint8_t *msg, uint8_t *got)
{
    static const uint8_t get_eid[] = { 0x00, 0x82, 0x02 };
    static const uint8_t sizes[] = { 64, ECHO_LEN - 3 * 64 };
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t i, n;

    for (i = 0; i < 2; i++) {
        n = mctp_t_recv_frame(t, f, sizeof(f));
        g_assert_cmpuint(n, ==, 9 + sizes[i]);
        g_assert_cmphex(f[n - 1], ==, mctp_t_pec(f, n - 1));
        g_assert_cmphex(f[7] & 0x7f, ==, MCTP_T_FLAGS(0, i, 2 + i, 0, 3));
        memcpy(got + (2 + i) * 64, f + 8, sizes[i]);
    }
    mctp_t_hexcmp(got, ECHO_LEN, msg, ECHO_LEN);
    mctp_t_send_pkt(t, ECHO_EID, MCTP_T_FLAGS(1, 1, 0, 1, 4), get_eid,
                    sizeof(get_eid));
    g_assert_cmpuint(mctp_t_recv_frame(t, f, sizeof(f)), ==, 16);
    g_assert_cmpuint(mctp_t_counter(t, "tx-messages"), ==, 3);
    g_assert_cmpuint(mctp_t_counter(t, "tx-errors"), ==, 0);
    mctp_t_expect_silence(t);
}

/* Live migration (a socket, both machines running) mid-answer */
static void test_mctp_live(void)
{
    g_autofree char *desc = machine_path("ast2600-mctp.yaml");
    g_autofree char *sock = tmp_path("sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    uint8_t msg[ECHO_LEN], got[ECHO_LEN];
    MCTPTest t, d;
    Side src, dst;

    side_start(&src, "src", desc, "", "");
    mctp_attach(&t, src.qts);
    conversation_start(&t, msg, got);

    side_start(&dst, "dst", desc, "", "-incoming defer");
    qtest_qmp_assert_success(dst.qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    qtest_qmp_assert_success(src.qts, "{ 'execute': 'migrate', "
                             "'arguments': { 'uri': %s } }", uri);
    g_assert_true(wait_migration(src.qts));
    g_assert_true(wait_migration(dst.qts));
    unlink(sock);

    /* the same BMC, without touching its registers: they migrated */
    d = t;
    d.qts = d.bmc.qts = dst.qts;
    conversation_end(&d, msg, got);
    side_end(&src);
    side_end(&dst);
}

/*
 * The AST2600's MDIO controllers (aspeed-mmi) keep their command and
 * data registers across a migration (their vmstate used to take the
 * offsets of another device's structure: it saved bytes from beyond the
 * controller and loaded into them)
 */
static void test_mii_registers(void)
{
    static const uint64_t mii1 = 0x1e650000;   /* PHYCR, PHYDATA at +4 */
    g_autofree char *desc = machine_path("ast2600-mctp.yaml");
    Side src, dst;
    uint32_t phycr, phydata;

    side_start(&src, "src", desc, "", "");
    /* a clause-45 command, not fired: kept as written */
    qtest_writel(src.qts, mii1, 0x00123456);
    phycr = qtest_readl(src.qts, mii1);
    phydata = qtest_readl(src.qts, mii1 + 4);
    g_assert_cmphex(phycr, ==, 0x00123456);
    g_assert_true(migrate(&src, &dst, desc, ""));
    g_assert_cmphex(qtest_readl(dst.qts, mii1), ==, phycr);
    g_assert_cmphex(qtest_readl(dst.qts, mii1 + 4), ==, phydata);
    side_end(&src);
    side_end(&dst);
}

static bool job_concluded(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-jobs' }");
    QList *jobs = qdict_get_qlist(rsp, "return");
    QDict *job = jobs ? qobject_to(QDict, qlist_peek(jobs)) : NULL;
    const char *status = job ? qdict_get_try_str(job, "status") : NULL;
    bool done = status && g_str_equal(status, "concluded");

    qobject_unref(rsp);
    return done;
}

/* A qcow2 image for snapshots, created and opened through QMP */
static void add_snapshot_disk(QTestState *qts, const char *image)
{
    int i;

    g_assert_true(g_file_set_contents(image, "", 0, NULL));
    qtest_qmp_assert_success(qts, "{ 'execute': 'blockdev-add', 'arguments': "
                             "{ 'driver': 'file', 'node-name': 'f0', "
                             "'filename': %s } }", image);
    qtest_qmp_assert_success(qts, "{ 'execute': 'blockdev-create', "
                             "'arguments': { 'job-id': 'create', 'options': "
                             "{ 'driver': 'qcow2', 'file': 'f0', "
                             "'size': 1048576 } } }");
    for (i = 0; i < 2000 && !job_concluded(qts); i++) {
        g_usleep(5000);
    }
    qtest_qmp_assert_success(qts, "{ 'execute': 'job-dismiss', 'arguments': "
                             "{ 'id': 'create' } }");
    qtest_qmp_assert_success(qts, "{ 'execute': 'blockdev-add', 'arguments': "
                             "{ 'driver': 'qcow2', 'node-name': 'disk0', "
                             "'file': 'f0' } }");
}

static void hmp_ok(QTestState *qts, const char *cmd)
{
    g_autofree char *out = qtest_hmp(qts, "%s", cmd);

    g_assert_cmpstr(out, ==, "");
}

/*
 * savevm mid-answer; the conversation goes on; loadvm returns to the
 * middle of it, and it goes on again, the same.  Another board refuses
 * the snapshot.
 */
static void test_mctp_savevm(void)
{
    g_autofree char *desc = machine_path("ast2600-mctp.yaml");
    g_autofree char *other = machine_path("ast2600-evb.yaml");
    g_autofree char *image = tmp_path("snap.qcow2");
    g_autofree char *blk = g_strdup_printf(
        "-blockdev driver=file,node-name=f0,filename=%s "
        "-blockdev driver=qcow2,node-name=disk0,file=f0", image);
    g_autofree char *out = NULL;
    uint8_t msg[ECHO_LEN], got[ECHO_LEN], saved[ECHO_LEN];
    MCTPTest t;
    Side s;

    side_start(&s, "src", desc, "", "");
    add_snapshot_disk(s.qts, image);
    mctp_attach(&t, s.qts);
    conversation_start(&t, msg, got);
    memcpy(saved, got, sizeof(saved));
    hmp_ok(s.qts, "savevm mid-answer");
    conversation_end(&t, msg, got);

    hmp_ok(s.qts, "loadvm mid-answer");
    memcpy(got, saved, sizeof(got));
    conversation_end(&t, msg, got);
    side_end(&s);

    /* the AST2600 EVB without the endpoints: refused by the fingerprint */
    side_start(&s, "other", other, "", blk);
    out = qtest_hmp(s.qts, "loadvm mid-answer");
    if (!strstr(out, "refusing the incoming machine state") ||
        !strstr(out, "first difference: name")) {
        g_test_message("loadvm: %s", out);
        g_assert_not_reached();
    }
    side_end(&s);
    unlink(image);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("composed")) {
        g_test_skip("no composed machine");
        return g_test_run();
    }
    qtest_add_func("/composed-migration/same-board", test_same_board);
    qtest_add_func("/composed-migration/wiring", test_wiring);
    qtest_add_func("/composed-migration/parameter", test_parameter);
    qtest_add_func("/composed-migration/condition", test_condition);
    qtest_add_func("/composed-migration/more-devices", test_more_devices);
    if (qtest_has_device("mctp-echo")) {
        qtest_add_func("/composed-migration/ast2600-mctp/live",
                       test_mctp_live);
        qtest_add_func("/composed-migration/ast2600-mctp/savevm",
                       test_mctp_savevm);
        qtest_add_func("/composed-migration/ast2600-mctp/mii-registers",
                       test_mii_registers);
    }
    return g_test_run();
}
