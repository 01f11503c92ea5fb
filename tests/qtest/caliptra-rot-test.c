/*
 * QTest for caliptra-rot: the SoC side of Caliptra's mailbox
 *
 * The test plays the SoC (the boot MCU of a board) on a composed machine
 * holding only the device, drives the virtual clock itself, and watches
 * the "boot-go" line.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define ROT_BASE        0x30000000ULL
#define MBOX            (ROT_BASE + 0x20000)
#define MBOX_LOCK       (MBOX + 0x00)
#define MBOX_USER       (MBOX + 0x04)
#define MBOX_CMD        (MBOX + 0x08)
#define MBOX_DLEN       (MBOX + 0x0c)
#define MBOX_DATAIN     (MBOX + 0x10)
#define MBOX_DATAOUT    (MBOX + 0x14)
#define MBOX_EXECUTE    (MBOX + 0x18)
#define MBOX_STATUS     (MBOX + 0x1c)
#define MBOX_UNLOCK     (MBOX + 0x20)
#define SOC_IFC         (ROT_BASE + 0x30000)
#define FW_ERROR_FATAL  (SOC_IFC + 0x08)
#define FW_ERROR_NONFATAL (SOC_IFC + 0x0c)
#define BOOT_STATUS     (SOC_IFC + 0x38)
#define FLOW_STATUS     (SOC_IFC + 0x3c)

#define FLOW_READY_FOR_FW       (1u << 28)
#define FLOW_READY_FOR_RUNTIME  (1u << 29)
#define FLOW_MAILBOX_FLOW_DONE  (1u << 31)

#define ST_BUSY         0
#define ST_DATA_READY   1
#define ST_COMPLETE     2
#define ST_FAILURE      3
#define FSM_IDLE        0
#define FSM_RDY_CMD     1
#define FSM_RDY_DATA    2
#define FSM_RDY_DLEN    3
#define FSM_EXEC_SOC    4
#define FSM_EXEC_UC     6

#define CMD_FWLD        0x46574c44
#define CMD_IDGT        0x49444754
#define LATENCY_NS      100000

#define ERR_EMPTY       0x000b0002
#define ERR_UNFUSED     0x000b0003
#define ERR_VENDOR      0x000b0005
#define ERR_OWNER       0x000b0007
#define ERR_UNKNOWN     0x000e0002
#define ERR_NOT_READY   0x000e0003

#define IMAGE_LEN       1027    /* not a multiple of 4 on purpose */

static uint8_t image[IMAGE_LEN];

static void fill_image(void)
{
    int i;

    for (i = 0; i < IMAGE_LEN; i++) {
        image[i] = i * 7 + (i >> 8);
    }
}

static char *sha384_hex(const uint8_t *data, size_t len)
{
    return g_compute_checksum_for_data(G_CHECKSUM_SHA384, data, len);
}

/* A description with only the device (and a CPU), at ROT_BASE */
static char *rot_desc(const char *vendor, const char *owner)
{
    return g_strdup_printf(
        "version: 1\n"
        "cpus: [{type: cortex-a53-arm-cpu}]     # qtest accesses need one\n"
        "devices:\n"
        "  - name: rot\n"
        "    type: caliptra-rot\n"
        "    props: {vendor-digest: '%s', owner-digest: '%s', "
        "latency-ns: %d}\n"
        "    mmio: [{addr: 0x%llx}]\n", vendor, owner, LATENCY_NS,
        (unsigned long long)ROT_BASE);
}

/* A machine with only the device (and a CPU), at ROT_BASE; fuses as given */
static QTestState *start(const char *vendor, const char *owner)
{
    g_autofree char *yaml = rot_desc(vendor, owner);
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    QTestState *qts;
    int fd = g_file_open_tmp("caliptra-XXXXXX.yaml", &path, &err);

    g_assert_no_error(err);
    g_assert_true(g_file_set_contents(path, yaml, -1, &err));
    close(fd);
    qts = qtest_initf("-M composed,desc=%s", path);
    qtest_irq_intercept_out_named(qts, "/machine/rot", "boot-go");
    unlink(path);
    return qts;
}

static QTestState *start_good(void)
{
    g_autofree char *digest = sha384_hex(image, IMAGE_LEN);

    return start(digest, "");
}

static uint64_t prop_u64(QTestState *qts, const char *name)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': '/machine/rot', 'property': %s } }",
                           name);
    uint64_t v = qdict_get_int(rsp, "return");

    qobject_unref(rsp);
    return v;
}

static char *prop_str(QTestState *qts, const char *name)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': '/machine/rot', 'property': %s } }",
                           name);
    char *s = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    return s;
}

static uint64_t misuse(QTestState *qts, const char *reason)
{
    g_autofree char *name = g_strdup_printf("misuse-%s", reason);

    return prop_u64(qts, name);
}

static void assert_status(QTestState *qts, uint32_t status, uint32_t fsm)
{
    uint32_t v = qtest_readl(qts, MBOX_STATUS);

    g_assert_cmphex(v & 0xf, ==, status);
    g_assert_cmphex((v >> 16) & 7, ==, fsm);
}

/* Lock, command, length and data, then the doorbell */
static void mbox_send(QTestState *qts, uint32_t cmd, const uint8_t *data,
                 uint32_t len)
{
    uint32_t i;

    g_assert_cmpuint(qtest_readl(qts, MBOX_LOCK), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, MBOX_USER), ==, 1);
    assert_status(qts, ST_BUSY, FSM_RDY_CMD);
    qtest_writel(qts, MBOX_CMD, cmd);
    assert_status(qts, ST_BUSY, FSM_RDY_DLEN);
    qtest_writel(qts, MBOX_DLEN, len);
    assert_status(qts, ST_BUSY, FSM_RDY_DATA);
    for (i = 0; i < len; i += 4) {
        uint8_t word[4] = { 0 };

        memcpy(word, data + i, MIN(4, len - i));
        qtest_writel(qts, MBOX_DATAIN, ldl_le_p(word));
    }
    qtest_writel(qts, MBOX_EXECUTE, 1);
}

/* Send, let the command's time pass, return the status */
static uint32_t run(QTestState *qts, uint32_t cmd, const uint8_t *data,
                    uint32_t len)
{
    mbox_send(qts, cmd, data, len);
    assert_status(qts, ST_BUSY, FSM_EXEC_UC);
    g_assert_cmpstr(prop_str(qts, "mbox-state"), ==, "execute-uc");
    qtest_clock_step(qts, LATENCY_NS);
    return qtest_readl(qts, MBOX_STATUS) & 0xf;
}

static void release(QTestState *qts)
{
    qtest_writel(qts, MBOX_EXECUTE, 0);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    g_assert_true(qtest_readl(qts, FLOW_STATUS) & FLOW_MAILBOX_FLOW_DONE);
}

static void assert_no_misuse(QTestState *qts)
{
    static const char *const reasons[] = {
        "no-lock", "dlen-too-long", "datain-past-dlen", "read-past-dlen",
        "out-of-sequence", "unlock-mid-command", "read-only", "unmapped",
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(reasons); i++) {
        g_assert_cmpuint(misuse(qts, reasons[i]), ==, 0);
    }
}

/* The image matches the fused digest: boot-go rises, the flow is done */
static void test_good_image(void)
{
    QTestState *qts = start_good();
    g_autofree char *digest = sha384_hex(image, IMAGE_LEN);
    g_autofree char *got = NULL;

    g_assert_cmphex(qtest_readl(qts, FLOW_STATUS) & FLOW_READY_FOR_FW, ==,
                    FLOW_READY_FOR_FW);
    g_assert_cmphex(qtest_readl(qts, BOOT_STATUS), ==, 1);
    mbox_send(qts, CMD_FWLD, image, IMAGE_LEN);
    /* verification takes virtual time: nothing before it has passed */
    qtest_clock_step(qts, LATENCY_NS - 1);
    assert_status(qts, ST_BUSY, FSM_EXEC_UC);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, 1);
    assert_status(qts, ST_COMPLETE, FSM_EXEC_SOC);
    /* boot-go waits until the SoC has read the verdict */
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_true(qtest_qom_get_bool(qts, "/machine/rot", "booted"));
    g_assert_cmphex(qtest_readl(qts, FLOW_STATUS) &
                    (FLOW_READY_FOR_FW | FLOW_READY_FOR_RUNTIME), ==,
                    FLOW_READY_FOR_RUNTIME);
    g_assert_cmphex(qtest_readl(qts, BOOT_STATUS), ==, 3);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_FATAL), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, MBOX_DLEN), ==, 0);
    release(qts);
    g_assert_true(qtest_get_irq(qts, 0));
    g_assert_true(qtest_qom_get_bool(qts, "/machine/rot", "boot-go"));

    g_assert_true(qtest_qom_get_bool(qts, "/machine/rot", "booted"));
    g_assert_cmpuint(prop_u64(qts, "fw-loads"), ==, 1);
    g_assert_cmpuint(prop_u64(qts, "fw-error"), ==, 0);
    got = prop_str(qts, "image-digest");
    g_assert_cmpstr(got, ==, digest);
    assert_no_misuse(qts);
    qtest_quit(qts);
}

static void assert_refused(QTestState *qts, uint32_t code)
{
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_FAILURE);
    assert_status(qts, ST_FAILURE, FSM_EXEC_SOC);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_FATAL), ==, code);
    g_assert_cmphex(prop_u64(qts, "fw-error"), ==, code);
    g_assert_cmpuint(prop_u64(qts, "fw-load-failures"), ==, 1);
    g_assert_cmphex(qtest_readl(qts, BOOT_STATUS), ==, 0xf);
    g_assert_false(qtest_readl(qts, FLOW_STATUS) & FLOW_READY_FOR_RUNTIME);
    g_assert_false(qtest_qom_get_bool(qts, "/machine/rot", "booted"));
    g_assert_false(qtest_get_irq(qts, 0));
    release(qts);
    g_assert_false(qtest_get_irq(qts, 0));
}

/* One byte flipped: vendor digest mismatch, boot-go stays low */
static void test_tampered_image(void)
{
    QTestState *qts = start_good();

    image[IMAGE_LEN / 2] ^= 0x01;
    assert_refused(qts, ERR_VENDOR);
    image[IMAGE_LEN / 2] ^= 0x01;

    /* failed until reset, as Caliptra's ROM: even the good image now */
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_FAILURE);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_NONFATAL), ==, ERR_NOT_READY);
    g_assert_false(qtest_get_irq(qts, 0));
    release(qts);

    /* the error registers are write-1-to-clear */
    qtest_writel(qts, FW_ERROR_FATAL, ERR_VENDOR);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_FATAL), ==, 0);
    assert_no_misuse(qts);
    qtest_quit(qts);
}

/* Vendor digest right, owner digest fused and wrong */
static void test_owner_mismatch(void)
{
    g_autofree char *vendor = sha384_hex(image, IMAGE_LEN);
    g_autofree char *owner = sha384_hex(image, IMAGE_LEN - 1);
    QTestState *qts = start(vendor, owner);

    assert_refused(qts, ERR_OWNER);
    qtest_quit(qts);
}

/* Both digests fused and right */
static void test_owner_match(void)
{
    g_autofree char *digest = sha384_hex(image, IMAGE_LEN);
    QTestState *qts = start(digest, digest);

    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    release(qts);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/* No vendor digest in the fuses: nothing can verify */
static void test_unfused(void)
{
    QTestState *qts = start("", "");

    assert_refused(qts, ERR_UNFUSED);
    qtest_quit(qts);
}

/* An empty image is refused */
static void test_empty_image(void)
{
    QTestState *qts = start_good();

    g_assert_cmpuint(run(qts, CMD_FWLD, image, 0), ==, ST_FAILURE);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_FATAL), ==, ERR_EMPTY);
    qtest_quit(qts);
}

/*
 * IMAGE_DIGEST answers with the verified image's SHA-384: dlen says 48
 * bytes, dataout gives them, reading further gives 0 and is counted.
 * An unknown command fails with its own code.
 */
static void test_response_and_read_past_dlen(void)
{
    QTestState *qts = start_good();
    uint8_t digest[48];
    gsize len = sizeof(digest);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA384);
    int i;

    /* no verified image yet */
    g_assert_cmpuint(run(qts, CMD_IDGT, NULL, 0), ==, ST_FAILURE);
    release(qts);
    g_assert_cmpuint(run(qts, 0x12345678, NULL, 0), ==, ST_FAILURE);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_NONFATAL), ==, ERR_UNKNOWN);
    release(qts);
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    release(qts);

    g_checksum_update(sum, image, IMAGE_LEN);
    g_checksum_get_digest(sum, digest, &len);
    g_checksum_free(sum);
    g_assert_cmpuint(run(qts, CMD_IDGT, NULL, 0), ==, ST_DATA_READY);
    g_assert_cmpuint(qtest_readl(qts, MBOX_DLEN), ==, 48);
    for (i = 0; i < 48; i += 4) {
        g_assert_cmphex(qtest_readl(qts, MBOX_DATAOUT), ==,
                        (uint32_t)ldl_le_p(digest + i));
    }
    g_assert_cmpuint(misuse(qts, "read-past-dlen"), ==, 0);
    g_assert_cmphex(qtest_readl(qts, MBOX_DATAOUT), ==, 0);
    g_assert_cmphex(qtest_readl(qts, MBOX_DATAOUT), ==, 0);
    g_assert_cmpuint(misuse(qts, "read-past-dlen"), ==, 2);
    release(qts);
    /* dataout with no response at all */
    g_assert_cmphex(qtest_readl(qts, MBOX_DATAOUT), ==, 0);
    g_assert_cmpuint(misuse(qts, "read-past-dlen"), ==, 3);
    qtest_quit(qts);
}

/*
 * Protocol misuse: each has a defined outcome and is counted, and the
 * mailbox keeps serving: a good image still boots afterwards.
 */
static void test_misuse(void)
{
    QTestState *qts = start_good();

    /* execute (and the other request registers) without the lock */
    qtest_writel(qts, MBOX_EXECUTE, 1);
    qtest_writel(qts, MBOX_CMD, CMD_FWLD);
    qtest_writel(qts, MBOX_DATAIN, 0xdeadbeef);
    qtest_writel(qts, MBOX_UNLOCK, 1);
    g_assert_cmpuint(misuse(qts, "no-lock"), ==, 4);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    qtest_clock_step(qts, LATENCY_NS * 10);
    g_assert_false(qtest_get_irq(qts, 0));

    /* the lock is exclusive: a second read says it is taken */
    g_assert_cmpuint(qtest_readl(qts, MBOX_LOCK), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, MBOX_LOCK), ==, 1);
    /* out of sequence: dlen before cmd, execute before data */
    qtest_writel(qts, MBOX_DLEN, 4);
    qtest_writel(qts, MBOX_EXECUTE, 1);
    g_assert_cmpuint(misuse(qts, "out-of-sequence"), ==, 2);
    assert_status(qts, ST_BUSY, FSM_RDY_CMD);
    qtest_writel(qts, MBOX_CMD, CMD_FWLD);

    /* dlen beyond 128 KiB is refused; the mailbox still waits for one */
    qtest_writel(qts, MBOX_DLEN, 128 * 1024 + 4);
    qtest_writel(qts, MBOX_DLEN, 0xffffffff);
    g_assert_cmpuint(misuse(qts, "dlen-too-long"), ==, 2);
    assert_status(qts, ST_BUSY, FSM_RDY_DLEN);
    qtest_writel(qts, MBOX_DLEN, 8);

    /* data past dlen is dropped */
    qtest_writel(qts, MBOX_DATAIN, 1);
    qtest_writel(qts, MBOX_DATAIN, 2);
    qtest_writel(qts, MBOX_DATAIN, 3);
    g_assert_cmpuint(misuse(qts, "datain-past-dlen"), ==, 1);

    /* read-only registers and holes */
    qtest_writel(qts, MBOX_STATUS, ST_COMPLETE);
    qtest_writel(qts, FLOW_STATUS, 0xffffffff);
    qtest_writel(qts, ROT_BASE, 1);
    g_assert_cmphex(qtest_readl(qts, ROT_BASE + 0x100), ==, 0);
    g_assert_cmpuint(misuse(qts, "read-only"), ==, 2);
    g_assert_cmpuint(misuse(qts, "unmapped"), ==, 2);
    assert_status(qts, ST_BUSY, FSM_RDY_DATA);

    /* the doorbell, then unlock while the command runs: abandoned */
    qtest_writel(qts, MBOX_EXECUTE, 1);
    assert_status(qts, ST_BUSY, FSM_EXEC_UC);
    qtest_writel(qts, MBOX_EXECUTE, 0);     /* cannot take it back */
    g_assert_cmpuint(misuse(qts, "out-of-sequence"), ==, 3);
    qtest_writel(qts, MBOX_UNLOCK, 1);
    g_assert_cmpuint(misuse(qts, "unlock-mid-command"), ==, 1);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    qtest_clock_step(qts, LATENCY_NS * 10);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    g_assert_cmpuint(prop_u64(qts, "fw-load-failures"), ==, 0);
    g_assert_false(qtest_get_irq(qts, 0));

    /* unlock half-way through writing the data */
    g_assert_cmpuint(qtest_readl(qts, MBOX_LOCK), ==, 0);
    qtest_writel(qts, MBOX_CMD, CMD_FWLD);
    qtest_writel(qts, MBOX_DLEN, IMAGE_LEN);
    qtest_writel(qts, MBOX_DATAIN, 0);
    qtest_writel(qts, MBOX_UNLOCK, 1);
    g_assert_cmpuint(misuse(qts, "unlock-mid-command"), ==, 2);

    /* still serving */
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    g_assert_false(qtest_get_irq(qts, 0));
    /* unlocking a finished command is a release, not misuse */
    qtest_writel(qts, MBOX_UNLOCK, 1);
    g_assert_cmpuint(misuse(qts, "unlock-mid-command"), ==, 2);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/* A system reset holds the line low again until the next good load */
static void test_reset(void)
{
    QTestState *qts = start_good();

    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    release(qts);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_system_reset(qts);
    g_assert_false(qtest_get_irq(qts, 0));
    assert_status(qts, ST_BUSY, FSM_IDLE);
    g_assert_false(qtest_qom_get_bool(qts, "/machine/rot", "booted"));
    g_assert_cmphex(qtest_readl(qts, FLOW_STATUS) &
                    (FLOW_READY_FOR_FW | FLOW_READY_FOR_RUNTIME), ==,
                    FLOW_READY_FOR_FW);

    /* reset in the middle of a load: the verdict never comes */
    mbox_send(qts, CMD_FWLD, image, IMAGE_LEN);
    qtest_system_reset(qts);
    qtest_clock_step(qts, LATENCY_NS * 10);
    assert_status(qts, ST_BUSY, FSM_IDLE);
    g_assert_false(qtest_get_irq(qts, 0));
    /* the lock was released by the reset */
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    release(qts);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/* A failed load is undone by a reset too */
static void test_reset_after_failure(void)
{
    QTestState *qts = start_good();

    image[0] ^= 0x80;
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_FAILURE);
    image[0] ^= 0x80;
    qtest_system_reset(qts);
    g_assert_cmphex(qtest_readl(qts, FW_ERROR_FATAL), ==, 0);
    g_assert_cmpuint(run(qts, CMD_FWLD, image, IMAGE_LEN), ==, ST_COMPLETE);
    release(qts);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

static void wait_migration(QTestState *qts)
{
    for (;;) {
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *st = qdict_haskey(ret, "status") ?
                         qdict_get_str(ret, "status") : "none";
        bool done = g_str_equal(st, "completed");

        g_assert_cmpstr(st, !=, "failed");
        qobject_unref(rsp);
        if (done) {
            return;
        }
        g_usleep(10000);
    }
}

/*
 * Migration in the middle of a load: the data, the state and the pending
 * verification move; the destination finishes the command.
 */
static void test_migration(void)
{
    g_autofree char *digest = sha384_hex(image, IMAGE_LEN);
    g_autofree char *file = NULL;
    g_autofree char *uri = NULL;
    g_autoptr(GError) err = NULL;
    QTestState *src = start_good();
    QTestState *dst;
    g_autofree char *yaml = NULL;
    g_autofree char *path = NULL;
    int fd;

    /* some history to carry over: a counter and a lock */
    qtest_writel(src, MBOX_EXECUTE, 1);
    mbox_send(src, CMD_FWLD, image, IMAGE_LEN);
    qtest_clock_step(src, LATENCY_NS / 2);

    fd = g_file_open_tmp("caliptra-mig-XXXXXX", &file, &err);
    g_assert_no_error(err);
    close(fd);
    uri = g_strdup_printf("file:%s", file);
    qobject_unref(qtest_qmp(src, "{ 'execute': 'migrate', 'arguments': "
                            "{ 'uri': %s } }", uri));
    wait_migration(src);
    qtest_quit(src);

    /* the same description: the machine refuses state from another */
    yaml = rot_desc(digest, "");
    fd = g_file_open_tmp("caliptra-XXXXXX.yaml", &path, &err);
    g_assert_no_error(err);
    g_assert_true(g_file_set_contents(path, yaml, -1, &err));
    close(fd);
    dst = qtest_initf("-M composed,desc=%s -incoming %s", path, uri);
    qtest_irq_intercept_out_named(dst, "/machine/rot", "boot-go");
    wait_migration(dst);

    g_assert_cmpstr(prop_str(dst, "mbox-state"), ==, "execute-uc");
    g_assert_cmpuint(misuse(dst, "no-lock"), ==, 1);
    g_assert_cmpuint(qtest_readl(dst, MBOX_LOCK), ==, 1);
    assert_status(dst, ST_BUSY, FSM_EXEC_UC);
    /*
     * qtest's virtual clock starts again from 0 on the destination (it is
     * not the migrated TCG clock), so the pending deadline is reached
     * after at most the whole latency
     */
    qtest_clock_step(dst, LATENCY_NS);
    assert_status(dst, ST_COMPLETE, FSM_EXEC_SOC);
    release(dst);
    g_assert_true(qtest_get_irq(dst, 0));
    g_assert_cmpstr(prop_str(dst, "image-digest"), ==, digest);
    qtest_quit(dst);
    unlink(file);
    unlink(path);
}

/* QEMU's exit status on a one-device description; its stderr */
static int run_desc(const char *yaml, char **err_text)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *path = NULL;
    g_autofree char *cmd = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) err = NULL;
    int fd = g_file_open_tmp("caliptra-XXXXXX.yaml", &path, &err);
    int status;

    g_assert_no_error(err);
    g_assert_true(g_file_set_contents(path, yaml, -1, &err));
    close(fd);
    cmd = g_strdup_printf("%s -display none -nodefaults -accel qtest "
                          "-M composed,desc=%s", binary, path);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &err));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err_text, &status, &err));
    unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Fuses that are not SHA-384 digests, a latency out of range: refused */
static void test_bad_fuse(void)
{
    g_autofree char *err1 = NULL;
    g_autofree char *err2 = NULL;
    g_autofree char *err3 = NULL;
    g_autofree char *zeros = g_strnfill(95, '0');
    g_autofree char *yaml2 = g_strdup_printf("version: 1\n"
        "devices:\n"
        "  - {name: rot, type: caliptra-rot, props: {owner-digest: x%s}}\n",
        zeros);

    g_assert_cmpint(run_desc("version: 1\n"
        "devices:\n"
        "  - {name: rot, type: caliptra-rot, props: {vendor-digest: abc}}\n",
        &err1), ==, 1);
    g_assert_nonnull(strstr(err1, "vendor-digest: expected 96 hex "
                            "digits (a SHA-384 digest), got 3 characters"));
    g_assert_cmpint(run_desc(yaml2, &err2), ==, 1);
    g_assert_nonnull(strstr(err2, "owner-digest: 'x' at position 1 is not "
                            "a hex digit"));
    g_assert_cmpint(run_desc("version: 1\n"
        "devices:\n"
        "  - {name: rot, type: caliptra-rot, "
        "props: {latency-ns: 0xffffffffffffffff}}\n", &err3), ==, 1);
    g_assert_nonnull(strstr(err3, "latency-ns: at most 3600000000000"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    fill_image();
    qtest_add_func("caliptra-rot/good-image", test_good_image);
    qtest_add_func("caliptra-rot/tampered-image", test_tampered_image);
    qtest_add_func("caliptra-rot/owner-mismatch", test_owner_mismatch);
    qtest_add_func("caliptra-rot/owner-match", test_owner_match);
    qtest_add_func("caliptra-rot/unfused", test_unfused);
    qtest_add_func("caliptra-rot/empty-image", test_empty_image);
    qtest_add_func("caliptra-rot/response", test_response_and_read_past_dlen);
    qtest_add_func("caliptra-rot/misuse", test_misuse);
    qtest_add_func("caliptra-rot/reset", test_reset);
    qtest_add_func("caliptra-rot/reset-after-failure",
                   test_reset_after_failure);
    qtest_add_func("caliptra-rot/migration", test_migration);
    qtest_add_func("caliptra-rot/bad-fuse", test_bad_fuse);
    return g_test_run();
}
