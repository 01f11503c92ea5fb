/*
 * QTest for machines/ast2700fc.yaml: a root of trust gating the A35s
 *
 * The boot MCU's ROM and the A35 image are built from tests/rot/ with
 * Debian's cross binutils (tests/rot/build-fw.sh); the tests are skipped
 * when those are missing.  Both consoles go to one file through a mux
 * chardev, so the order of what the two CPUs print is the order seen.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

#define ROT             "/machine/rot"
#define A35_RVBAR       0x100000000ULL
#define FLASH_SIZE      (1024 * 1024)          /* w25q80bl */

#define MCU_LOADING     "bootmcu: loading the application image\n"
#define MCU_VERIFIED    "bootmcu: image verified, status 0x00000002\n"
#define MCU_REFUSED     "bootmcu: image refused, status 0x00000003, error "
#define MCU_MISUSED     "bootmcu: mailbox misuse done\n"
#define A35_RUNNING     "a35: running the verified image\n"

/*
 * How long to wait for the guest programs: a hang guard only.  They run
 * in a few seconds; a host busy with other builds can take minutes.
 */
#define WAIT_US         (300 * G_USEC_PER_SEC)

static char *fw_dir;            /* build-fw.sh's output; NULL: skip */
static char *good_digest;       /* SHA-384 of the A35 image */

/* Without the programs there is nothing to run: say so */
static bool skipped(void)
{
    if (!fw_dir) {
        g_test_skip("no cross binutils to build the test programs");
    }
    return !fw_dir;
}

static char *fw_file(const char *name)
{
    return g_build_filename(fw_dir, name, NULL);
}

/* The boot flash: the A35 image, optionally with one byte flipped */
static char *make_flash(bool tamper)
{
    g_autofree char *image_path = fw_file("a35.bin");
    g_autofree char *image = NULL;
    g_autofree char *flash = g_malloc0(FLASH_SIZE);
    g_autoptr(GError) err = NULL;
    char *path = fw_file(tamper ? "flash-tampered.img" : "flash.img");
    gsize len;

    g_assert_true(g_file_get_contents(image_path, &image, &len, &err));
    g_assert_cmpuint(len, <, FLASH_SIZE);
    memcpy(flash, image, len);
    if (tamper) {
        flash[len / 2] ^= 0x01;
    }
    g_assert_true(g_file_set_contents(path, flash, FLASH_SIZE, &err));
    return path;
}

static char *digest_of_file(const char *path)
{
    g_autofree char *data = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    return g_compute_checksum_for_data(G_CHECKSUM_SHA384, (guchar *)data,
                                       len);
}

typedef struct Run {
    QTestState *qts;
    char *out;                  /* both consoles */
    char *trace;                /* the root of trust's trace events */
} Run;

/*
 * Start the machine: @extra is appended to the machine options, @args
 * to the command line
 */
static void start_with(Run *r, const char *rom, bool tamper,
                       const char *vendor, const char *owner,
                       const char *extra, const char *args)
{
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *desc = g_build_filename(dir, "machines",
                                             "ast2700fc.yaml", NULL);
    g_autofree char *rom_path = fw_file(rom);
    g_autofree char *flash = make_flash(tamper);
    int fd;

    fd = g_file_open_tmp("ast2700fc-out-XXXXXX", &r->out, NULL);
    close(fd);
    fd = g_file_open_tmp("ast2700fc-trace-XXXXXX", &r->trace, NULL);
    close(fd);
    r->qts = qtest_initf(
        "-M composed,desc=%s,param.bootmcu-rom=%s,param.vendor-digest=%s,"
        "param.owner-digest=%s,param.fmc-model=w25q80bl%s -accel tcg "
        "-drive if=mtd,format=raw,file=%s "
        "-chardev file,id=con,path=%s,mux=on "
        "-serial chardev:con -serial chardev:con "
        "-trace caliptra_rot_fw_load* -D %s %s",
        desc, rom_path, vendor, owner, extra ? extra : "", flash, r->out,
        r->trace, args ? args : "");
}

static void start(Run *r, const char *rom, bool tamper, const char *vendor,
                  const char *owner, const char *extra)
{
    start_with(r, rom, tamper, vendor, owner, extra, NULL);
}

static void stop(Run *r)
{
    qtest_quit(r->qts);
    unlink(r->out);
    unlink(r->trace);
    g_free(r->out);
    g_free(r->trace);
}

static char *output(Run *r)
{
    char *text = NULL;

    g_file_get_contents(r->out, &text, NULL, NULL);
    return text ? text : g_strdup("");
}

/* Wait until the output contains @what */
static char *wait_for(Run *r, const char *what)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;

    while (g_get_monotonic_time() < end) {
        char *text = output(r);

        if (strstr(text, what)) {
            return text;
        }
        g_free(text);
        g_usleep(10000);
    }
    g_test_message("output: %s", output(r));
    g_assert_not_reached();
}

static QDict *qom_get(Run *r, const char *path, const char *prop)
{
    return qtest_qmp(r->qts, "{ 'execute': 'qom-get', 'arguments': "
                     "{ 'path': %s, 'property': %s } }", path, prop);
}

static char *rot_str(Run *r, const char *prop)
{
    QDict *rsp = qom_get(r, ROT, prop);
    char *s = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    return s;
}

static uint64_t rot_int(Run *r, const char *prop)
{
    QDict *rsp = qom_get(r, ROT, prop);
    uint64_t v = qdict_get_int(rsp, "return");

    qobject_unref(rsp);
    return v;
}

/* The CPUs: four Cortex-A35s of the SoC and the boot MCU's Cortex-M4 */
static void assert_cpus(Run *r)
{
    QDict *rsp = qtest_qmp(r->qts, "{ 'execute': 'query-cpus-fast' }");
    QList *cpus = qdict_get_qlist(rsp, "return");
    QListEntry *e;
    int a35 = 0, m4 = 0;

    QLIST_FOREACH_ENTRY(cpus, e) {
        const char *path = qdict_get_str(qobject_to(QDict, e->value),
                                         "qom-path");
        QDict *t = qom_get(r, path, "type");
        const char *type = qdict_get_str(t, "return");

        a35 += g_str_equal(type, "cortex-a35-arm-cpu");
        if (g_str_equal(type, "cortex-m4-arm-cpu")) {
            /* in a cluster of its own */
            g_assert_cmpstr(path, ==,
                            "/machine/bootmcu-cluster/bootmcu/cpu");
            m4++;
        }
        qobject_unref(t);
    }
    g_assert_cmpint(a35, ==, 4);
    g_assert_cmpint(m4, ==, 1);
    qobject_unref(rsp);
}

/* The PC of CPU @index, from "info registers" over QMP */
static uint64_t cpu_pc(Run *r, int index)
{
    g_autofree char *cmd = g_strdup_printf("info registers %d", index);
    g_autofree char *regs = qtest_hmp(r->qts, "%s", cmd);
    const char *pc = strstr(regs, "PC=");

    g_assert_nonnull(pc);
    return g_ascii_strtoull(pc + 3, NULL, 16);
}

/* The A35s have not run: each is still at its reset vector */
static void assert_a35s_held(Run *r)
{
    int i;

    for (i = 0; i < 4; i++) {
        g_assert_cmphex(cpu_pc(r, i), ==, A35_RVBAR);
    }
}

/* Verification takes 300 ms of virtual time: room to look and reset */
static void start_slow(Run *r)
{
    start(r, "bootmcu.bin", false, good_digest, "",
          ",param.rot-latency=300000000");
}

/* Good image: the MCU reports success, then the A35 runs it */
static void test_good_image(void)
{
    g_autofree char *text = NULL;
    Run r;

    if (skipped()) {
        return;
    }
    start(&r, "bootmcu.bin", false, good_digest, "", NULL);
    text = wait_for(&r, A35_RUNNING);
    g_assert_nonnull(strstr(text, MCU_LOADING MCU_VERIFIED));
    /* the order: the MCU has read the verdict before the A35s start */
    g_assert_cmpint(strstr(text, MCU_VERIFIED) - text, <,
                    strstr(text, A35_RUNNING) - text);

    assert_cpus(&r);
    g_assert_true(qtest_qom_get_bool(r.qts, ROT, "booted"));
    g_assert_true(qtest_qom_get_bool(r.qts, ROT, "boot-go"));
    g_assert_cmpuint(rot_int(&r, "fw-loads"), ==, 1);
    g_assert_cmphex(rot_int(&r, "fw-error"), ==, 0);
    g_assert_cmpstr(rot_str(&r, "image-digest"), ==, good_digest);
    g_assert_cmpstr(rot_str(&r, "mbox-state"), ==, "idle");
    /* CPU 0 ran off the reset vector */
    g_assert_cmphex(cpu_pc(&r, 0), !=, A35_RVBAR);
    stop(&r);
}

/* A refused image: the MCU prints the code, the A35s never start */
static void assert_refused(Run *r, uint32_t code)
{
    g_autofree char *want = g_strdup_printf(MCU_REFUSED "0x%08x\n", code);
    g_autofree char *text = wait_for(r, want);
    g_autofree char *later = NULL;
    g_autofree char *trace = NULL;
    g_autofree char *trace_want = g_strdup_printf("error 0x%08x", code);

    g_assert_null(strstr(text, MCU_VERIFIED));
    g_assert_cmphex(rot_int(r, "fw-error"), ==, code);
    g_assert_cmpuint(rot_int(r, "fw-load-failures"), ==, 1);
    g_assert_false(qtest_qom_get_bool(r->qts, ROT, "booted"));
    g_assert_false(qtest_qom_get_bool(r->qts, ROT, "boot-go"));

    /* give them time: still nothing from the A35s, still at reset */
    g_usleep(500 * 1000);
    later = output(r);
    g_assert_null(strstr(later, "a35:"));
    assert_cpus(r);
    assert_a35s_held(r);

    g_assert_true(g_file_get_contents(r->trace, &trace, NULL, NULL));
    g_assert_nonnull(strstr(trace, "caliptra_rot_fw_load_failed"));
    g_assert_nonnull(strstr(trace, trace_want));
    g_assert_null(strstr(trace, "caliptra_rot_fw_load_ok"));
}

/*
 * Boot with the flash tampered, or with the digest of a tampered image
 * fused as the vendor's or the owner's; the image must be refused
 */
static void run_refused(bool tampered, bool vendor_wrong, bool owner_wrong,
                        uint32_t code)
{
    g_autofree char *bad_flash = NULL;
    g_autofree char *wrong = NULL;
    Run r;

    if (skipped()) {
        return;
    }
    bad_flash = make_flash(true);
    wrong = digest_of_file(bad_flash);
    start(&r, "bootmcu.bin", tampered, vendor_wrong ? wrong : good_digest,
          owner_wrong ? wrong : "", NULL);
    assert_refused(&r, code);
    stop(&r);
}

static void test_tampered_image(void)
{
    run_refused(true, false, false, 0x000b0005);
}

static void test_wrong_vendor_digest(void)
{
    run_refused(false, true, false, 0x000b0005);
}

static void test_wrong_owner_digest(void)
{
    run_refused(false, false, true, 0x000b0007);
}

/* The MCU misuses the mailbox first: counted, then a normal boot */
static void test_misuse(void)
{
    g_autofree char *text = NULL;
    Run r;

    if (skipped()) {
        return;
    }
    start(&r, "bootmcu-misuse.bin", false, good_digest, "", NULL);
    text = wait_for(&r, A35_RUNNING);
    g_assert_nonnull(strstr(text, MCU_LOADING MCU_MISUSED MCU_VERIFIED));
    g_assert_cmpuint(rot_int(&r, "misuse-no-lock"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "misuse-dlen-too-long"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "misuse-datain-past-dlen"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "misuse-read-past-dlen"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "misuse-unlock-mid-command"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "misuse-out-of-sequence"), ==, 0);
    g_assert_cmpuint(rot_int(&r, "fw-loads"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "fw-load-failures"), ==, 0);
    stop(&r);
}

/*
 * A system reset while the root of trust verifies the image: the A35s
 * are held again, the MCU starts over, and the second load boots.
 */
static void test_reset_mid_load(void)
{
    g_autofree char *text = NULL;
    g_autofree char *state = NULL;
    Run r;
    gint64 end;

    if (skipped()) {
        return;
    }
    start_slow(&r);
    for (end = g_get_monotonic_time() + WAIT_US;
         g_get_monotonic_time() < end;) {
        g_free(state);
        state = rot_str(&r, "mbox-state");
        if (g_str_equal(state, "execute-uc")) {
            break;
        }
        g_usleep(1000);
    }
    g_assert_cmpstr(state, ==, "execute-uc");
    g_assert_false(qtest_qom_get_bool(r.qts, ROT, "booted"));
    qtest_system_reset(r.qts);

    text = wait_for(&r, A35_RUNNING);
    /* one verdict, after two starts of the MCU */
    g_assert_nonnull(strstr(text, MCU_LOADING MCU_LOADING MCU_VERIFIED
                            A35_RUNNING));
    g_assert_cmpuint(rot_int(&r, "fw-loads"), ==, 1);
    g_assert_cmpuint(rot_int(&r, "fw-load-failures"), ==, 0);
    stop(&r);
}

/*
 * A system reset after a good boot holds the A35s again: they wait, at
 * their reset vector, until the flow has verified the image once more.
 */
static void test_reset_after_boot(void)
{
    g_autofree char *text = NULL;
    g_autofree char *again = NULL;
    Run r;

    if (skipped()) {
        return;
    }
    start_slow(&r);
    text = wait_for(&r, A35_RUNNING);
    qtest_system_reset(r.qts);
    /* 300 ms of verification ahead: the A35s are held meanwhile */
    g_assert_false(qtest_qom_get_bool(r.qts, ROT, "booted"));
    g_assert_false(qtest_qom_get_bool(r.qts, ROT, "boot-go"));
    assert_a35s_held(&r);
    again = wait_for(&r, MCU_LOADING MCU_VERIFIED A35_RUNNING
                     MCU_LOADING MCU_VERIFIED A35_RUNNING);
    g_assert_cmpuint(rot_int(&r, "fw-loads"), ==, 2);
    stop(&r);
}

static void wait_migration(Run *r)
{
    gint64 end = g_get_monotonic_time() + WAIT_US;

    while (g_get_monotonic_time() < end) {
        QDict *rsp = qtest_qmp(r->qts, "{ 'execute': 'query-migrate' }");
        QDict *ret = qdict_get_qdict(rsp, "return");
        g_autofree char *st = g_strdup(qdict_haskey(ret, "status") ?
                                       qdict_get_str(ret, "status") : "");

        qobject_unref(rsp);
        g_assert_cmpstr(st, !=, "failed");
        if (g_str_equal(st, "completed")) {
            return;
        }
        g_usleep(10000);
    }
    g_assert_not_reached();
}

/*
 * The whole machine migrates after a good boot: the root of trust's
 * verdict, its line and the A35s' state arrive, nothing runs again, and
 * a reset on the destination repeats the flow there.
 */
static void test_migration(void)
{
    g_autofree char *file = NULL;
    g_autofree char *incoming = NULL;
    g_autofree char *text = NULL;
    g_autofree char *uri = NULL;
    uint64_t pc;
    Run src, dst;
    int fd;

    if (skipped()) {
        return;
    }
    start(&src, "bootmcu.bin", false, good_digest, "", NULL);
    text = wait_for(&src, A35_RUNNING);
    pc = cpu_pc(&src, 0);
    fd = g_file_open_tmp("ast2700fc-mig-XXXXXX", &file, NULL);
    close(fd);
    uri = g_strdup_printf("file:%s", file);
    qobject_unref(qtest_qmp(src.qts, "{ 'execute': 'migrate', "
                            "'arguments': { 'uri': %s } }", uri));
    wait_migration(&src);
    stop(&src);

    incoming = g_strdup_printf("-incoming %s", uri);
    start_with(&dst, "bootmcu.bin", false, good_digest, "", NULL, incoming);
    wait_migration(&dst);
    g_assert_true(qtest_qom_get_bool(dst.qts, ROT, "booted"));
    g_assert_true(qtest_qom_get_bool(dst.qts, ROT, "boot-go"));
    g_assert_cmpuint(rot_int(&dst, "fw-loads"), ==, 1);
    g_assert_cmpstr(rot_str(&dst, "image-digest"), ==, good_digest);
    g_assert_cmpstr(rot_str(&dst, "mbox-state"), ==, "idle");
    g_assert_cmphex(cpu_pc(&dst, 0), ==, pc);
    g_usleep(200 * 1000);
    g_free(text);
    text = output(&dst);
    g_assert_cmpstr(text, ==, "");

    qtest_system_reset(dst.qts);
    g_free(text);
    text = wait_for(&dst, A35_RUNNING);
    g_assert_cmpstr(text, ==, MCU_LOADING MCU_VERIFIED A35_RUNNING);
    g_assert_cmpuint(rot_int(&dst, "fw-loads"), ==, 2);
    stop(&dst);
    unlink(file);
}

/* Build the programs once; leave fw_dir NULL when that is not possible */
static void build_programs(void)
{
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *script = g_build_filename(dir, "..", "tests", "rot",
                                               "build-fw.sh", NULL);
    g_autofree char *out = g_dir_make_tmp("ast2700fc-fw-XXXXXX", NULL);
    g_autofree char *image = NULL;
    g_autofree char *err_text = NULL;
    const char *argv[] = { "bash", script, out, NULL };
    g_autoptr(GError) err = NULL;
    int status;

    g_assert_nonnull(out);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL,
                               G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               &err_text, &status, &err));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        g_printerr("# %s", err_text);
        return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_printerr("%s", err_text);
        g_assert_not_reached();
    }
    fw_dir = g_steal_pointer(&out);
    image = fw_file("a35.bin");
    good_digest = digest_of_file(image);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    build_programs();
    qtest_add_func("ast2700fc/good-image", test_good_image);
    qtest_add_func("ast2700fc/tampered-image", test_tampered_image);
    qtest_add_func("ast2700fc/wrong-vendor-digest", test_wrong_vendor_digest);
    qtest_add_func("ast2700fc/wrong-owner-digest", test_wrong_owner_digest);
    qtest_add_func("ast2700fc/misuse", test_misuse);
    qtest_add_func("ast2700fc/reset-mid-load", test_reset_mid_load);
    qtest_add_func("ast2700fc/reset-after-boot", test_reset_after_boot);
    qtest_add_func("ast2700fc/migration", test_migration);
    ret = g_test_run();
    if (fw_dir) {
        GDir *dir = g_dir_open(fw_dir, 0, NULL);
        const char *name;

        while (dir && (name = g_dir_read_name(dir))) {
            g_autofree char *path = fw_file(name);

            unlink(path);
        }
        if (dir) {
            g_dir_close(dir);
        }
        rmdir(fw_dir);
    }
    return ret;
}
