/*
 * QTest: the shipped board descriptions against QEMU's built-in boards
 *
 * Every ASPEED board of QEMU is also a description in machines/.  The
 * built-in board is the oracle: for each board and each option set, both
 * machines are started with the same options and must show the same
 * "info qtree", the same "info mtree -f" (FlatViews sorted: QEMU prints
 * them in hash order) and the same -serial binding of the SoC's UARTs.
 * On a difference the test prints a unified diff.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "composed-util.h"
#include "aspeed-i2c-bmc.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"

typedef struct BoardCase {
    const char *name;           /* built-in machine = machines/NAME.yaml */
    const char *arch;           /* "arm" or "aarch64" */
    unsigned flash_mib;         /* size of the boot flash (FMC CS0) */
    bool kernel;                /* -kernel is loaded (not ignored) */
    bool boot_emmc;             /* has the boot-emmc option */
    const char *fmc_model;      /* a non-default fmc-model, or NULL */
    const char *spi_model;      /* a non-default spi-model, or NULL */
    const char *console;        /* a non-default bmc-console, or NULL */
    unsigned uarts;             /* UARTs of the SoC (/machine/soc/uart[N]) */
    unsigned emmc_index;        /* -drive if=sd index of the eMMC, or 0 */
} BoardCase;

#define A400(n, mib, fmc, spi) \
    { n, "arm", mib, true, false, fmc, spi, "uart1", 5, 0 }
#define A600(n, mib, emmc, fmc, spi) \
    { n, "arm", mib, true, emmc, fmc, spi, "uart1", 13, 2 }

static const BoardCase boards[] = {
    A400("palmetto-bmc", 32, "mx25l25635e", "n25q256a"),
    A400("supermicrox11-bmc", 32, "n25q256a", "n25q256a"),
    A400("quanta-q71l-bmc", 32, "mx25l25635e", "n25q256a"),
    A400("supermicro-x11spi-bmc", 32, "n25q256a", "n25q256a"),
    A400("ast2500-evb", 32, "n25q256a", "n25q256a"),
    A400("romulus-bmc", 32, "mx25l25635e", "n25q256a"),
    A400("sonorapass-bmc", 128, "w25q01jvq", "n25q256a"),
    A400("witherspoon-bmc", 32, "n25q256a", "n25q256a"),
    A400("yosemitev2-bmc", 32, "mx25l25635e", "n25q256a"),
    A400("tiogapass-bmc", 32, "mx25l25635e", "n25q256a"),
    A400("g220a-bmc", 64, "mx66u51235f", "n25q256a"),
    A400("fp5280g2-bmc", 64, "mx66u51235f", "n25q256a"),
    A600("ast2600-evb", 64, true, "n25q512a", "n25q256a"),
    A600("rainier-bmc", 128, true, "w25q01jvq", "n25q256a"),
    A600("fuji-bmc", 128, false, "w25q01jvq", "n25q256a"),
    A600("bletchley-bmc", 128, false, "mx66l1g45g", "n25q256a"),
    A600("fby35-bmc", 128, true, "w25q01jvq", "n25q256a"),
    A600("qcom-dc-scm-v1-bmc", 64, false, "mx66u51235f", "n25q256a"),
    A600("qcom-firework-bmc", 64, false, "mx66u51235f", "n25q256a"),
    { "ast1030-evb", "arm", 1, true, false, "n25q256a", "w25q512jv", "uart1",
      13, 0 },
    /* hw/arm/fby35.c: no -kernel, no options but execute-in-place */
    { "fby35", "arm", 128, false, false, NULL, NULL, NULL, 0, 0 },
    { "ast2700a0-evb", "aarch64", 128, true, false, "w25q512jv", "w25q256",
      "uart0", 13, 1 },
    { "ast2700a1-evb", "aarch64", 128, true, false, "w25q512jv", "w25q256",
      "uart0", 13, 1 },
};

typedef struct EquivCase {
    const BoardCase *board;
    char *option;               /* machine option NAME=VALUE, or NULL */
    char *args;                 /* other command line options */
} EquivCase;

static char *image_dir;

/* A zero-filled image of @mib MiB (created once per size) */
static char *image(const char *kind, unsigned mib)
{
    char *path = g_strdup_printf("%s/%s-%uM.img", image_dir, kind, mib);

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        int fd = open(path, O_CREAT | O_WRONLY, 0600);

        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(ftruncate(fd, (off_t)mib * MiB), ==, 0);
        close(fd);
    }
    return path;
}

/* The chardev of every UART of the SoC at @soc, one per line */
static char *uart_chardevs(QTestState *qts, const char *soc, unsigned n)
{
    GString *out = g_string_new(NULL);
    unsigned i;

    for (i = 0; i < n; i++) {
        g_autofree char *path = g_strdup_printf("%s/uart[%u]", soc, i);
        QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                               "{'path': %s, 'property': 'chardev'}}", path);

        g_assert(qdict_haskey(rsp, "return"));
        g_string_append_printf(out, "%s/uart[%u]: %s\n", soc, i,
                               qdict_get_str(rsp, "return"));
        qobject_unref(rsp);
    }
    return g_string_free(out, false);
}

typedef struct Snapshot {
    char *qtree;
    char *mtree;
    char *uarts;
} Snapshot;

static void snapshot(const EquivCase *c, bool composed, Snapshot *s)
{
    const BoardCase *b = c->board;
    g_autofree char *desc = composed_machine_path(b->name);
    g_autofree char *yaml = g_strconcat(desc, ".yaml", NULL);
    g_autofree char *machine = NULL;
    g_autofree char *mtree = NULL;
    QTestState *qts;

    if (composed) {
        machine = g_strdup_printf("composed,desc=%s%s%s", yaml,
                                  c->option ? ",param." : "",
                                  c->option ? c->option : "");
    } else {
        machine = g_strdup_printf("%s%s%s", b->name, c->option ? "," : "",
                                  c->option ? c->option : "");
    }
    qts = qtest_initf("-M %s -serial null -serial null %s", machine,
                      c->args ? c->args : "");
    s->qtree = composed_hmp_text(qts, "info qtree");
    mtree = composed_hmp_text(qts, "info mtree -f");
    s->mtree = composed_normalize_mtree(mtree);
    if (b->uarts) {
        s->uarts = uart_chardevs(qts, "/machine/soc", b->uarts);
    } else {
        /* fby35: the BMC's and the BIC's */
        g_autofree char *bmc = uart_chardevs(qts, "/machine/bmc", 13);
        g_autofree char *bic = uart_chardevs(qts, "/machine/bic", 13);

        s->uarts = g_strconcat(bmc, bic, NULL);
    }
    qtest_quit(qts);
}

static void snapshot_free(Snapshot *s)
{
    g_free(s->qtree);
    g_free(s->mtree);
    g_free(s->uarts);
}

static void test_equivalence(const void *opaque)
{
    const EquivCase *c = opaque;
    Snapshot builtin = { 0 }, composed = { 0 };
    bool same = true;

    snapshot(c, false, &builtin);
    snapshot(c, true, &composed);
    /* the machine type is not part of either */
    g_assert_nonnull(strstr(builtin.qtree, "bus: main-system-bus"));
    same &= composed_compare("qtree", builtin.qtree, composed.qtree);
    same &= composed_compare("mtree", builtin.mtree, composed.mtree);
    same &= composed_compare("uarts", builtin.uarts, composed.uarts);
    snapshot_free(&builtin);
    snapshot_free(&composed);
    g_assert_true(same);
}

/*
 * A program loaded with -kernel that prints HELLO on UART5 (a 16550 at
 * 0x1e784000 on the AST2500 and AST2600), the boards' default console;
 * ARMv5 code, for the ARM1176 and the Cortex-A7:
 *   ldr r0, uart; add r1, pc, #20
 *   loop: ldrb r2, [r1], #1; cmp r2, #0; strne r2, [r0]; bne loop
 *   b .
 *   uart: .word 0x1e784000
 */
static const uint32_t hello_code[] = {
    0xe59f0014, 0xe28f1014, 0xe4d12001, 0xe3520000, 0x15802000,
    0x1afffffb, 0xeafffffe, 0x1e784000,
};
#define HELLO "composed: hello from an ASPEED board\n"

static char *run_hello(const char *machine, const char *kernel)
{
    g_autofree char *out = g_strdup_printf("%s/serial-%s.txt", image_dir,
                                           machine[0] == 'c' ? "composed" :
                                           "builtin");
    QTestState *qts;
    char *text;

    unlink(out);
    qts = qtest_initf("-M %s -kernel %s -accel tcg -serial file:%s", machine,
                      kernel, out);
    text = composed_wait_output(out, HELLO);
    qtest_quit(qts);
    unlink(out);
    return text;
}

/* The same program prints the same on the built-in and composed boards */
static void test_run(const void *opaque)
{
    const char *name = opaque;
    g_autofree char *kernel = g_strdup_printf("%s/hello.bin", image_dir);
    g_autoptr(GByteArray) image = g_byte_array_new();
    g_autofree char *desc = composed_machine_path(name);
    g_autofree char *composed = g_strdup_printf("composed,desc=%s.yaml", desc);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(hello_code); i++) {
        uint32_t le = cpu_to_le32(hello_code[i]);

        g_byte_array_append(image, (guint8 *)&le, 4);
    }
    g_byte_array_append(image, (const guint8 *)HELLO, sizeof(HELLO));
    g_assert_true(g_file_set_contents(kernel, (char *)image->data,
                                      image->len, NULL));
    a = run_hello(name, kernel);
    b = run_hello(composed, kernel);
    g_assert_cmpstr(a, ==, HELLO);
    g_assert_cmpstr(b, ==, a);
    unlink(kernel);
}

/*
 * What QOM and the buses do not show: EEPROM contents (read over I2C as
 * the BMC would) and the GPIO values fby35-bmc sets at every reset.
 */
static void devices_snapshot(const char *machine, GString *out)
{
    static const struct {
        int bus;
        uint8_t addr;
    } eeproms[] = { { 8, 0x50 }, { 11, 0x51 }, { 11, 0x54 }, { 4, 0x51 } };
    static const char *const gpios[] = {
        "gpioV4", "gpioV5", "gpioV6", "gpioV7", "gpioH4", "gpioH5",
        "gpioH6", "gpioH7", "gpioB2", "gpioB3", "gpioB4", "gpioB5",
    };
    QTestState *qts = qtest_initf("-M %s", machine);
    size_t i, j;

    for (i = 0; i < ARRAY_SIZE(eeproms); i++) {
        static const uint8_t zero[2];
        AspeedI2CBmc bmc;
        uint8_t buf[16] = { 0 };

        aspeed_i2c_bmc_init(&bmc, qts, eeproms[i].bus, 0x10);

        g_assert_true(aspeed_i2c_bmc_read_at(&bmc, eeproms[i].addr, zero, 2,
                                             buf, sizeof(buf)));
        g_string_append_printf(out, "eeprom %d@%02x:", eeproms[i].bus,
                               eeproms[i].addr);
        for (j = 0; j < sizeof(buf); j++) {
            g_string_append_printf(out, " %02x", buf[j]);
        }
        g_string_append_c(out, '\n');
    }
    for (i = 0; i < ARRAY_SIZE(gpios); i++) {
        QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                               "{'path': '/machine/soc/gpio', "
                               "'property': %s}}", gpios[i]);

        g_string_append_printf(out, "%s: %d\n", gpios[i],
                               qdict_get_bool(rsp, "return"));
        qobject_unref(rsp);
    }
    qtest_quit(qts);
}

static void test_fby35_bmc_devices(void)
{
    g_autofree char *desc = composed_machine_path("fby35-bmc");
    g_autofree char *composed = g_strdup_printf("composed,desc=%s.yaml", desc);
    g_autoptr(GString) a = g_string_new(NULL);
    g_autoptr(GString) b = g_string_new(NULL);

    devices_snapshot("fby35-bmc", a);
    devices_snapshot(composed, b);
    /* FRU data (IPMI FRU header version 1) and the board id GPIOs */
    g_assert_nonnull(strstr(a->str, "eeprom 8@50: 01 "));
    g_assert_nonnull(strstr(a->str, "eeprom 11@54: 01 "));
    g_assert_nonnull(strstr(a->str, "eeprom 4@51: 00 00"));
    g_assert_nonnull(strstr(a->str, "gpioV4: 1\n"));
    g_assert_nonnull(strstr(a->str, "gpioH4: 0\n"));
    g_assert_true(composed_compare("devices", a->str, b->str));
}

/*
 * The description builds the SoC from its parts: no C SoC object of
 * QEMU's ASPEED SoCs is in the machine
 */
static void test_from_parts(const void *opaque)
{
    const BoardCase *b = opaque;
    static const char *const socs[] = {
        "(ast2400-a1)", "(ast2500-a1)", "(ast2600-a3)", "(ast1030-a1)",
        "(ast2700-a0)", "(ast2700-a1)",
    };
    g_autofree char *desc = composed_machine_path(b->name);
    QTestState *qts = qtest_initf("-M composed,desc=%s.yaml", desc);
    g_autofree char *tree = qtest_hmp(qts, "info qom-tree");
    size_t i;

    g_assert_nonnull(strstr(tree, "(container)"));
    for (i = 0; i < ARRAY_SIZE(socs); i++) {
        g_assert_null(strstr(tree, socs[i]));
    }
    qtest_quit(qts);
}

static void add_case(const BoardCase *b, const char *label, const char *option,
                     const char *args)
{
    EquivCase *c = g_new0(EquivCase, 1);
    g_autofree char *path = g_strdup_printf("composed/boards/%s/%s", b->name,
                                            label);

    c->board = b;
    c->option = g_strdup(option);
    c->args = g_strdup(args);
    qtest_add_data_func(path, c, test_equivalence);
}

static void add_board(const BoardCase *b)
{
    g_autofree char *mtd = image("mtd", b->flash_mib);
    g_autofree char *sd = image("sd", 16);
    g_autofree char *kernel = image("kernel", 1);
    g_autofree char *mtd_arg = g_strdup_printf("-drive if=mtd,format=raw,"
                                               "file=%s", mtd);
    g_autofree char *kernel_arg = g_strdup_printf("-kernel %s", kernel);
    g_autofree char *opt = NULL;

    {
        g_autofree char *path = g_strdup_printf("composed/boards/%s/"
                                                "from-parts", b->name);

        qtest_add_data_func(path, b, test_from_parts);
    }
    add_case(b, "defaults", NULL, NULL);
    add_case(b, "nodefaults", NULL, "-nodefaults");
    if (b->kernel) {
        add_case(b, "kernel", NULL, kernel_arg);
    }
    add_case(b, "mtd", NULL, mtd_arg);
    if (b->fmc_model) {
        opt = g_strdup_printf("fmc-model=%s", b->fmc_model);
        add_case(b, "fmc-model", opt, NULL);
        g_clear_pointer(&opt, g_free);
    }
    if (b->spi_model) {
        opt = g_strdup_printf("spi-model=%s", b->spi_model);
        add_case(b, "spi-model", opt, NULL);
        g_clear_pointer(&opt, g_free);
    }
    if (b->console) {
        opt = g_strdup_printf("bmc-console=%s", b->console);
        add_case(b, "bmc-console", opt, NULL);
        g_clear_pointer(&opt, g_free);
    }
    add_case(b, "execute-in-place", "execute-in-place=on", mtd_arg);
    if (b->emmc_index) {
        g_autofree char *args = g_strdup_printf("%s -drive if=sd,index=%u,"
                                                "format=raw,file=%s",
                                                mtd_arg, b->emmc_index, sd);

        add_case(b, "emmc", NULL, args);
        if (b->boot_emmc) {
            add_case(b, "boot-emmc", "boot-emmc=on", args);
        }
    }
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();
    g_autoptr(GError) err = NULL;
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    image_dir = g_dir_make_tmp("composed-boards-XXXXXX", &err);
    g_assert_no_error(err);

    for (i = 0; i < ARRAY_SIZE(boards); i++) {
        if (g_str_equal(boards[i].arch, arch) &&
            qtest_has_machine(boards[i].name)) {
            add_board(&boards[i]);
        }
    }
    if (g_str_equal(arch, "arm")) {
        qtest_add_data_func("composed/boards/ast2500-evb/run", "ast2500-evb",
                            test_run);
        qtest_add_data_func("composed/boards/ast2600-evb/run", "ast2600-evb",
                            test_run);
        qtest_add_func("composed/boards/fby35-bmc/devices",
                       test_fby35_bmc_devices);
    }
    ret = g_test_run();
    /* the images and the directory */
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", image_dir);
    g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL);
    g_free(image_dir);
    return ret;
}
