/*
 * QTest for the composed machine
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "composed-util.h"
#include "aspeed-i2c-bmc.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

#define PARTS_UART      0x1c090000
#define PARTS_UART_IRQ  5
#define PL011_DR        0x000
#define PL011_IMSC      0x038
#define PL011_PERIPHID0 0xfe0
#define PL011_INT_TX    (1 << 5)

/* Run QEMU on a description that must be rejected; returns its stderr */
static char *rejected(const char *yaml, char **path_out)
{
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s", path);
    char *err = NULL;

    g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
    *path_out = g_steal_pointer(&path);
    return err;
}

/* Same with more QEMU options; @defaults: without -nodefaults */
static char *rejected_with(const char *yaml, const char *extra,
                           bool defaults, char **path_out)
{
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s %s", path,
                                            extra);
    char *err = NULL;

    g_assert_cmpint(composed_run_qemu_defaults(args, defaults, &err), ==, 1);
    *path_out = g_steal_pointer(&path);
    return err;
}

/*
 * Every line of @err but the last (QEMU's summary) is a diagnostic of
 * @path that says where: "PATH:LINE:COL: ..."
 */
static void assert_all_located(const char *err, const char *path)
{
    g_auto(GStrv) lines = g_strsplit(err, "\n", 0);
    g_autofree char *prefix = g_strdup_printf("%s:", path);
    guint n = g_strv_length(lines), i;

    /* the last line is empty, the one before it QEMU's summary */
    g_assert_cmpuint(n, >=, 3);
    for (i = 0; i + 2 < n; i++) {
        const char *p = lines[i] + strlen(prefix);
        unsigned line, col;
        int used = 0;

        if (!g_str_has_prefix(lines[i], prefix) ||
            sscanf(p, "%u:%u: %n", &line, &col, &used) != 2 || !used) {
            g_test_message("not located: '%s'", lines[i]);
            g_test_message("stderr: %s", err);
            g_assert_not_reached();
        }
    }
}

/* @err contains the line "PATH:LINE:COL: MSG" */
static void assert_diag(const char *err, const char *path, int line, int col,
                        const char *msg)
{
    g_autofree char *want = g_strdup_printf("%s:%d:%d: %s\n", path, line,
                                            col, msg);

    if (!strstr(err, want)) {
        g_test_message("expected: %s", want);
        g_test_message("stderr: %s", err);
        g_assert_not_reached();
    }
}

/* The machine type is registered and described */
static void test_listed(void)
{
    g_assert_true(qtest_has_machine("composed"));
}

/* Without a description it is an empty machine, exactly like -M none */
static void test_empty(void)
{
    QTestState *none = qtest_init("-M none");
    QTestState *qts = qtest_init("-M composed");
    g_autofree char *qtree_none = qtest_hmp(none, "info qtree");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");
    QDict *rsp;
    QList *cpus;

    g_assert_cmpstr(qtree, ==, qtree_none);
    g_assert_nonnull(strstr(qtree, "bus: main-system-bus"));
    g_assert_null(strstr(qtree, "dev:"));

    rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    cpus = qdict_get_qlist(rsp, "return");
    g_assert_nonnull(cpus);
    g_assert_true(qlist_empty(cpus));
    qobject_unref(rsp);

    qtest_quit(qts);
    qtest_quit(none);
}

/*
 * -m without a description: RAM at address 0.  (No memory accesses: qtest
 * makes them through the first CPU, and this machine has none.)
 */
static void test_ram_at_zero(void)
{
    QTestState *qts = qtest_init("-M composed -m 16M");
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree,
                    "0000000000000000-0000000000ffffff (prio 0, ram): ram"));
    qtest_quit(qts);
}

/* -kernel needs a description that says where the kernel goes */
static void test_kernel_needs_desc(void)
{
    g_autofree char *err = NULL;

    g_assert_cmpint(composed_run_qemu("-M composed -kernel /dev/null", &err),
                    ==, 1);
    g_assert_nonnull(strstr(err, "-kernel needs a board description"));
}

static QTestState *start_parts(const char *extra)
{
    g_autofree char *desc = composed_machine_path("parts-a15.yaml");

    return qtest_initf("-M composed,desc=%s %s", desc, extra);
}

/* CPUs, RAM and ROM of the from-parts board */
static void test_parts_layout(void)
{
    QTestState *qts = start_parts("");
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");
    QDict *rsp;

    g_assert_nonnull(strstr(mtree,
        "0000000000000000-000000000000ffff (prio 0, rom): boot.rom"));
    g_assert_nonnull(strstr(mtree,
        "0000000080000000-0000000087ffffff (prio 0, ram): ram"));
    g_assert_nonnull(strstr(mtree, "000000001c090000-000000001c090fff "
                            "(prio 0, i/o): pl011"));
    rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    g_assert_cmpint(qlist_size(qdict_get_qlist(rsp, "return")), ==, 2);
    qobject_unref(rsp);
    g_assert_true(qtest_qom_get_bool(qts, "/machine/cpu1",
                                     "start-powered-off"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine/cpu0",
                                      "start-powered-off"));
    qtest_quit(qts);
}

/* A parameter from the command line changes the machine */
static void test_parts_param(void)
{
    QTestState *qts = start_parts("-M composed,param.ram-size=256M");
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree,
        "0000000080000000-000000008fffffff (prio 0, ram): ram"));
    qtest_quit(qts);
}

/* MMIO reaches the device the description mapped there */
static void test_parts_mmio(void)
{
    QTestState *qts = start_parts("");

    g_assert_cmphex(qtest_readl(qts, PARTS_UART + PL011_PERIPHID0), ==, 0x11);
    qtest_quit(qts);
}

/* The UART's interrupt arrives at the input it was wired to */
static void test_parts_irq(void)
{
    QTestState *qts = start_parts("");

    qtest_irq_intercept_in(qts, "/machine/mpcore");
    g_assert_false(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_writel(qts, PARTS_UART + PL011_IMSC, PL011_INT_TX);
    qtest_writel(qts, PARTS_UART + PL011_DR, 'x');
    g_assert_true(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_writel(qts, PARTS_UART + PL011_IMSC, 0);
    g_assert_false(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_quit(qts);
}

/* The period of the clock at QOM path @path, in 2^-32 ns */
static int64_t clock_period(QTestState *qts, const char *path)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, "
                           "'property': 'qtest-clock-period' } }", path);
    int64_t period = qdict_get_int(rsp, "return");

    qobject_unref(rsp);
    return period;
}

/* The UART's clock input runs at the declared frequency */
static void test_parts_clock(void)
{
    QTestState *qts = start_parts("");

    g_assert_cmpint(clock_period(qts, "/machine/uart0/clk"), ==,
                    (1000000000LL << 32) / 24000000);
    qtest_quit(qts);
}

/*
 * A device's clock output feeding another device's input: the NPCM7xx
 * clock module derives "clk4" (AHB) from its internal 25 MHz reference (made
 * when it is realized); the UART connected to it runs at that frequency,
 * not at the reference's.
 */
static void test_clock_output(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "devices:\n"
        "  - {name: clkgen, type: npcm7xx-clk}\n"
        "  - {name: uart0, type: pl011, clocks: {clk: clkgen.clk4}}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    int64_t ref = clock_period(qts, "/machine/clkgen/clkref");
    int64_t ahb = clock_period(qts, "/machine/clkgen/ahb-divider/clock-out");
    int64_t uart = clock_period(qts, "/machine/uart0/clk");

    qtest_quit(qts);
    unlink(path);

    g_assert_cmpint(ref, ==, (1000000000LL << 32) / 25000000);
    g_assert_cmpint(ahb, !=, 0);
    g_assert_cmpint(ahb, !=, ref);
    g_assert_cmpint(uart, ==, ahb);
}

/*
 * EEPROMs with contents are built by QEMU's helpers, which take the
 * address as a number: a value that is not one is reported, not passed
 * on (a list used to reach an assertion)
 */
static void test_eeprom_address(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "machine: {ram-size: 16M}\n"
        "devices:\n"
        "  - {name: i2c, type: aspeed.i2c-ast2600, "
        "props: {dram: \"@machine.ram\"}}\n"
        "  - {name: e1, type: smbus-eeprom, bus: \"i2c/bus[0]\", props: "
        "{address: [1]}}\n"
        "  - {name: e2, type: at24c-eeprom, bus: \"i2c/bus[0]\", props: "
        "{address: 0x80, rom-size: 256}, contents: {bytes: [1]}}\n", &path);

    assert_diag(err, path, 5, 72, "devices[1] 'e1': 'address' must be a "
                "7-bit I2C address");
    assert_diag(err, path, 6, 72, "devices[2] 'e2': 'address' must be a "
                "7-bit I2C address");
}

/*
 * TCG: CPU 0 runs a program from the boot ROM that prints a string on
 * the UART.  ARM code:
 *   movw r0, #0; movt r0, #0x1c09      @ UART base
 *   movw r3, #0x301; str r3, [r0, #0x30]   @ UARTCR: UARTEN | TXE | RXE
 *   adr r1, msg
 * 1: ldrb r2, [r1], #1; cmp r2, #0; beq 2f; str r2, [r0]; b 1b
 * 2: b 2b
 */
static const uint32_t hello_code[] = {
    0xe3000000, 0xe3410c09, 0xe3003301, 0xe5803030, 0xe28f1014,
    0xe4d12001, 0xe3520000, 0x0a000001, 0xe5802000, 0xeafffffa,
    0xeafffffe,
};
#define HELLO "composed: hello from the boot ROM\n"

/* The program as a file: @code words, then @text */
static char *write_program(const uint32_t *code, size_t n, const char *text,
                           size_t len)
{
    g_autoptr(GByteArray) image = g_byte_array_new();
    char *path = NULL;
    size_t i;
    int fd;

    for (i = 0; i < n; i++) {
        uint32_t le = cpu_to_le32(code[i]);

        g_byte_array_append(image, (guint8 *)&le, 4);
    }
    g_byte_array_append(image, (const guint8 *)text, len);
    fd = g_file_open_tmp("composed-prog-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, (char *)image->data, image->len,
                                      NULL));
    return path;
}

/* What QEMU wrote to the serial file @out, once it has @want (or not) */
static char *wait_output(const char *out, const char *want, int polls)
{
    char *text = NULL;
    int i;

    for (i = 0; i < polls; i++) {
        g_free(text);
        text = NULL;
        g_file_get_contents(out, &text, NULL, NULL);
        if (text && strstr(text, want)) {
            break;
        }
        g_usleep(50 * 1000);
    }
    return text;
}


/*
 * -kernel through the composed ARM boot protocol: the program is a raw
 * image, loaded above boot.loader-start in RAM and entered by QEMU's
 * boot stub; the ROM stays empty.
 */
static void test_parts_kernel(void)
{
    g_autofree char *desc = composed_machine_path("parts-a15.yaml");
    g_autofree char *kernel = write_program(hello_code,
                                            ARRAY_SIZE(hello_code), HELLO,
                                            sizeof(HELLO));
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("composed-out-XXXXXX", &out, NULL);
    close(fd);
    qts = qtest_initf("-M composed,desc=%s -kernel %s -accel tcg "
                      "-serial file:%s", desc, kernel, out);
    text = wait_output(out, HELLO, 600);
    g_assert_cmpstr(text, ==, HELLO);
    qtest_quit(qts);
    unlink(kernel);
    unlink(out);
}

/* boot.images: the program placed in the ROM by the boot section */
static void test_boot_images(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *image = write_program(hello_code,
                                           ARRAY_SIZE(hello_code), HELLO,
                                           sizeof(HELLO));
    g_autofree char *yaml = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "boot: {kind: none, images: [{file: %s, addr: 0}]}\n",
        parts, image);
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("composed-out-XXXXXX", &out, NULL);
    close(fd);
    qts = qtest_initf("-M composed,desc=%s -accel tcg -serial file:%s",
                      path, out);
    text = wait_output(out, HELLO, 600);
    g_assert_cmpstr(text, ==, HELLO);
    qtest_quit(qts);
    unlink(image);
    unlink(out);
    unlink(path);
}

static void test_parts_tcg_hello(void)
{
    g_autofree char *desc = composed_machine_path("parts-a15.yaml");
    g_autofree char *rom = write_program(hello_code, ARRAY_SIZE(hello_code),
                                         HELLO, sizeof(HELLO));
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("composed-out-XXXXXX", &out, NULL);
    close(fd);
    qts = qtest_initf("-M composed,desc=%s,param.rom=%s -accel tcg "
                      "-serial file:%s", desc, rom, out);
    text = wait_output(out, HELLO, 600);
    g_assert_cmpstr(text, ==, HELLO);
    qtest_quit(qts);
    unlink(rom);
    unlink(out);
}

/*
 * CPU gate: both CPUs run this from the ROM.  CPU 0 prints "boot", then
 * raises output 0 of the PL061 GPIO controller; CPU 1 waits for its
 * gate and prints "app".
 *   mrc p15, 0, r4, c0, c0, 5; and r4, r4, #3       @ MPIDR.Aff0
 *   movw r0, #0; movt r0, #0x1c09; movw r3, #0x301; str r3, [r0, #0x30]
 *   cmp r4, #0; adreq r1, boot; adrne r1, app; bl print
 *   cmp r4, #0; bne 1f
 *   movw r5, #0; movt r5, #0x1c0b; mov r6, #1
 *   str r6, [r5, #0x400]; str r6, [r5, #4]         @ GPIODIR, GPIODATA[0]
 * 1: wfi; b 1b
 * print: ldrb r2, [r1], #1; cmp r2, #0; bxeq lr; str r2, [r0]; b print
 */
static const uint32_t gate_code[] = {
    0xee104fb0, 0xe2044003, 0xe3000000, 0xe3410c09, 0xe3003301,
    0xe5803030, 0xe3540000, 0x028f103c, 0x128f1040, 0xeb000008,
    0xe3540000, 0x1a000004, 0xe3005000, 0xe3415c0b, 0xe3a06001,
    0xe5856400, 0xe5856004, 0xe320f003, 0xeafffffd, 0xe4d12001,
    0xe3520000, 0x012fff1e, 0xe5802000, 0xeafffffa,
};

static char *gate_run(const char *gate, const char *until, int polls)
{
    g_autofree char *rom = write_program(gate_code, ARRAY_SIZE(gate_code),
                                         "boot\n\0\0\0app\n\0", 14);
    g_autofree char *out = NULL;
    g_autofree char *yaml = NULL;
    g_autofree char *path = NULL;
    QTestState *qts;
    char *text;
    int fd;

    fd = g_file_open_tmp("composed-out-XXXXXX", &out, NULL);
    close(fd);
    yaml = g_strdup_printf(
        "version: 1\n"
        "cpus:\n"
        "  - {name: boot, type: cortex-a15-arm-cpu}\n"
        "  - {name: app, type: cortex-a15-arm-cpu, gate: \"%s\"}\n"
        "memory:\n"
        "  - {name: boot.rom, kind: rom, size: 64K, file: %s, "
        "map: {addr: 0}}\n"
        "devices:\n"
        "  - {name: uart0, type: pl011, props: {chardev: \"@serial.0\"},\n"
        "     mmio: [{addr: 0x1c090000}]}\n"
        "  - {name: gpio, type: pl061, mmio: [{addr: 0x1c0b0000}],\n"
        "     props: {pullups: 0, pulldowns: 0xff}}\n",
        gate, rom);
    path = composed_write_desc(yaml);
    qts = qtest_initf("-M composed,desc=%s -accel tcg -serial file:%s",
                      path, out);
    text = wait_output(out, until, polls);
    qtest_quit(qts);
    unlink(rom);
    unlink(out);
    unlink(path);
    return text;
}

static void test_cpu_gate(void)
{
    g_autofree char *released = gate_run("gpio[0]", "app\n", 600);
    /* gated on an output nobody raises: CPU 1 stays off */
    g_autofree char *held = gate_run("gpio[1]", "app\n", 40);

    g_assert_cmpstr(released, ==, "boot\napp\n");
    g_assert_cmpstr(held, ==, "boot\n");
}

static void test_cpu_gate_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "cpus:\n"
        "  - {name: a, type: cortex-a15-arm-cpu, gate: \"nodev[0]\"}\n"
        "  - {name: b, type: cortex-a15-arm-cpu, gate: \"gpio[0..1]\"}\n"
        "  - {name: c, type: cortex-a15-arm-cpu, gate: \"gpio[2]\"}\n"
        "devices:\n"
        "  - name: gpio\n"
        "    type: pl061\n"
        "    irqs: {\"[2]\": \"c0[0]\"}\n", &path);

    assert_diag(err, path, 3, 47, "cpus[0] 'a': no device named 'nodev'");
    assert_diag(err, path, 4, 47, "cpus[1] 'b': invalid gate 'gpio[0..1]' "
                "(expected one device output, DEVICE[/PART][.NAME][INDEX])");
    g_assert_nonnull(strstr(err, "cpus[2] 'c': gate output 'gpio[2]' is "
                            "also connected at"));
    unlink(path);
}

/*
 * A Cortex-M4 (armv7m, with its NVIC) on an address space of its own,
 * running from a ROM region: vector table (SP, PC), then
 *   mov.w r0, #0x40000000; adr r1, msg
 * 1: ldrb.w r2, [r1], #1; cbz r2, 2f; str r2, [r0]; b 1b
 * 2: wfi; b 2b
 * msg: "m4\n"
 */
static const uint32_t m4_code[] = {
    0x20001000, 0x00000009, 0x4080f04f, 0xf811a103, 0xb10a2b01,
    0xe7fa6002, 0xe7fdbf30,
};

/*
 * @mcu_keys: more keys of the armv7m's entry; @extra: more devices;
 * @mcu: its name (default "mcu")
 */
static char *m4_desc(const char *rom, const char *mcu, const char *mcu_keys,
                     const char *extra)
{
    return g_strdup_printf(
        "version: 1\n"
        "clocks:\n"
        "  - {name: mcuclk, hz: 100000000}\n"
        "memory:\n"
        "  - {name: mcu.space, kind: container, size: 4G}\n"
        "  - {name: mcu.rom, kind: rom, size: 64K, file: %s,\n"
        "     map: {container: mcu.space, addr: 0}}\n"
        "  - {name: mcu.sram, kind: ram, size: 64K,\n"
        "     map: {container: mcu.space, addr: 0x20000000}}\n"
        "devices:\n"
        "  - name: %s\n"
        "    type: armv7m\n"
        "    props: {cpu-type: cortex-m4-arm-cpu, memory: \"@mcu.space\"}\n"
        "    clocks: {cpuclk: mcuclk}\n"
        "%s"
        "  - {name: uart, type: pl011, props: {chardev: \"@serial.0\"},\n"
        "     mmio: [{addr: 0x40000000, container: mcu.space}]}\n"
        "  - {name: go, type: or-irq, props: {num-lines: 1}}\n"
        "%s",
        rom, mcu ? mcu : "mcu", mcu_keys ? mcu_keys : "",
        extra ? extra : "");
}

typedef struct M4Run {
    QTestState *qts;
    char *rom, *path, *out;
} M4Run;

/* Start m4_desc()'s machine under TCG, its UART into a file */
static void m4_start(M4Run *r, const char *mcu, const char *mcu_keys,
                     const char *extra)
{
    g_autofree char *yaml = NULL;
    int fd;

    r->rom = write_program(m4_code, ARRAY_SIZE(m4_code), "m4\n", 4);
    yaml = m4_desc(r->rom, mcu, mcu_keys, extra);
    r->path = composed_write_desc(yaml);
    fd = g_file_open_tmp("composed-out-XXXXXX", &r->out, NULL);
    close(fd);
    r->qts = qtest_initf("-M composed,desc=%s -accel tcg -serial file:%s",
                         r->path, r->out);
}

static void m4_stop(M4Run *r)
{
    qtest_quit(r->qts);
    unlink(r->rom);
    unlink(r->out);
    unlink(r->path);
    g_free(r->rom);
    g_free(r->out);
    g_free(r->path);
}

/* The UART's output once it reads @want, or after @polls polls */
static void m4_expect(M4Run *r, const char *want, int polls,
                      const char *expected)
{
    g_autofree char *text = wait_output(r->out, want, polls);

    g_assert_cmpstr(text, ==, expected);
}

/*
 * An M-profile CPU reads its vector table during the first reset, before
 * QEMU copies ROM blobs in: a ROM region's file is there from the start.
 */
static void test_mprofile_rom(void)
{
    M4Run r;

    m4_start(&r, NULL, NULL, NULL);
    m4_expect(&r, "m4\n", 600, "m4\n");
    /* and again after a reset, now from the ROM blob */
    qtest_system_reset(r.qts);
    m4_expect(&r, "m4\nm4\n", 600, "m4\nm4\n");
    m4_stop(&r);
}

/*
 * The gate of a device: the CPU armv7m creates waits, powered off, for
 * the OR gate's output, which the test raises; a reset holds it again.
 */
static void test_device_gate(void)
{
    M4Run r;

    m4_start(&r, NULL, "    gate: \"go[0]\"\n", NULL);
    g_assert_true(qtest_qom_get_bool(r.qts, "/machine/mcu/cpu",
                                     "start-powered-off"));
    m4_expect(&r, "m4\n", 20, "");
    qtest_set_irq_in(r.qts, "/machine/go", NULL, 0, 1);
    m4_expect(&r, "m4\n", 600, "m4\n");

    /* a reset holds it again until the line rises again */
    qtest_set_irq_in(r.qts, "/machine/go", NULL, 0, 0);
    qtest_system_reset(r.qts);
    m4_expect(&r, "m4\nm4\n", 20, "m4\n");
    qtest_set_irq_in(r.qts, "/machine/go", NULL, 0, 1);
    m4_expect(&r, "m4\nm4\n", 600, "m4\nm4\n");
    m4_stop(&r);
}

static void test_device_gate_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: gpio, type: pl061}\n"
        "  - {name: a, type: pl061, gate: \"nodev[0]\"}\n"
        "  - {name: b, type: pl061, gate: \"gpio[0..1]\"}\n", &path);
    g_autofree char *path2 = NULL;
    g_autofree char *err2 = rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: gpio, type: pl061}\n"
        "  - {name: a, type: pl061, gate: \"gpio[0]\"}\n", &path2);

    assert_diag(err, path, 4, 34, "devices[1] 'a': no device named 'nodev'");
    assert_diag(err, path, 5, 34, "devices[2] 'b': invalid gate "
                "'gpio[0..1]' (expected one device output, "
                "DEVICE[/PART][.NAME][INDEX])");
    /* known once the device exists: it created no CPU */
    assert_diag(err2, path2, 4, 34, "devices[1] 'a': gate: pl061 created "
                "no CPU");
    unlink(path);
    unlink(path2);
}

/*
 * GROUP/NAME: the armv7m goes into a cpu-cluster declared after it (a
 * cluster collects its CPUs when it is realized), and the M4 runs there.
 */
static void test_device_parent(void)
{
    M4Run r;
    QDict *rsp;

    m4_start(&r, "cluster/mcu", NULL,
             "  - {name: cluster, type: cpu-cluster, "
             "props: {cluster-id: 2}}\n");
    rsp = qtest_qmp(r.qts, "{ 'execute': 'qom-get', 'arguments': "
                    "{ 'path': '/machine/cluster/mcu/cpu', "
                    "'property': 'type' } }");
    g_assert_cmpstr(qdict_get_str(rsp, "return"), ==, "cortex-m4-arm-cpu");
    qobject_unref(rsp);
    rsp = qtest_qmp(r.qts, "{ 'execute': 'query-cpus-fast' }");
    g_assert_cmpstr(qdict_get_str(qobject_to(QDict,
                        qlist_peek(qdict_get_qlist(rsp, "return"))),
                                  "qom-path"), ==,
                    "/machine/cluster/mcu/cpu");
    qobject_unref(rsp);
    m4_expect(&r, "m4\n", 600, "m4\n");
    m4_stop(&r);
}

static void test_device_parent_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: nodev/a, type: or-irq}\n", &path);
    g_autofree char *path2 = NULL;
    g_autofree char *err2 = rejected(
        "version: 1\n"
        "clocks: [{name: clk, hz: 1000000}]\n"
        "devices:\n"
        "  - {name: mcu, type: armv7m, clocks: {cpuclk: clk},\n"
        "     props: {cpu-type: cortex-m4-arm-cpu, "
        "memory: \"@system-memory\"}}\n"
        "  - {name: mcu/nvic, type: or-irq}\n", &path2);
    g_autofree char *path3 = NULL;
    g_autofree char *err3 = rejected(
        "version: 1\n"
        "clocks: [{name: clk, hz: 1000000}]\n"
        "devices:\n"
        "  - {name: cl, type: cpu-cluster}\n"
        "  - {name: cl/mcu, type: armv7m, clocks: {cpuclk: clk},\n"
        "     props: {cpu-type: cortex-m4-arm-cpu, "
        "memory: \"@system-memory\"}}\n", &path3);

    assert_diag(err, path, 3, 12, "devices[0] 'nodev/a': no device or "
                "container named 'nodev' to hold it");
    /* only known once the parent exists: it has a child of that name */
    g_assert_nonnull(strstr(err2, "devices[1] 'mcu/nvic': attempt to add "
                            "duplicate property 'nvic'"));
    /* a cluster before its CPUs exist would trip QEMU's assertion */
    assert_diag(err3, path3, 4, 12, "devices[0] 'cl': the cluster holds no "
                "CPU yet: declare it after the devices that create its "
                "CPUs, named cl/NAME");
    unlink(path);
    unlink(path2);
    unlink(path3);
}

/* A boot image that cannot be read is refused where it is named */
static void test_boot_image_missing(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "boot:\n"
        "  images: [{addr: 0, file: /nonexistent/fw.bin}]\n", &path);

    assert_diag(err, path, 3, 28, "boot: cannot read image "
                "'/nonexistent/fw.bin'");
    unlink(path);
}

/* Mixed CPU types: one cluster per group, and TCG runs the program */
static void test_mixed_clusters(void)
{
    g_autofree char *rom = write_program(hello_code, ARRAY_SIZE(hello_code),
                                         HELLO, sizeof(HELLO));
    g_autofree char *out = NULL;
    g_autofree char *yaml = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    QTestState *qts;
    QDict *rsp;
    int fd;

    fd = g_file_open_tmp("composed-out-XXXXXX", &out, NULL);
    close(fd);
    yaml = g_strdup_printf(
        "version: 1\n"
        "cpus:\n"
        "  - {name: big, type: cortex-a15-arm-cpu}\n"
        "  - {name: little, type: cortex-a7-arm-cpu, count: 2,\n"
        "     start-powered-off: [true, true]}\n"
        "memory:\n"
        "  - {name: boot.rom, kind: rom, size: 64K, file: %s, "
        "map: {addr: 0}}\n"
        "devices:\n"
        "  - {name: uart0, type: pl011, props: {chardev: \"@serial.0\"},\n"
        "     mmio: [{addr: 0x1c090000}]}\n", rom);
    path = composed_write_desc(yaml);

    qts = qtest_initf("-M composed,desc=%s", path);
    rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                    "{ 'path': '/machine/cluster[1]', "
                    "'property': 'cluster-id' } }");
    g_assert_cmpint(qdict_get_int(rsp, "return"), ==, 1);
    qobject_unref(rsp);
    g_assert_true(qtest_qom_get_bool(qts, "/machine/cluster[1]/little1",
                                     "start-powered-off"));
    g_assert_false(qtest_qom_get_bool(qts, "/machine/cluster[0]/big0",
                                      "start-powered-off"));
    qtest_quit(qts);

    qts = qtest_initf("-M composed,desc=%s -accel tcg -serial file:%s",
                      path, out);
    text = wait_output(out, HELLO, 600);
    g_assert_cmpstr(text, ==, HELLO);
    qtest_quit(qts);
    unlink(rom);
    unlink(out);
    unlink(path);
}

/* Includes, overrides by name, dropping a device */
static void test_include_override(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *yaml = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "devices:\n"
        "  - override: uart0\n"
        "    mmio: [{addr: 0x10000000}]\n"
        "  - {override: timer0, drop: true}\n", parts);
    g_autofree char *path = composed_write_desc(yaml);
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");

    g_assert_nonnull(strstr(mtree, "0000000010000000-0000000010000fff "
                            "(prio 0, i/o): pl011"));
    g_assert_null(strstr(mtree, "1c090000"));
    g_assert_null(strstr(qtree, "sp804"));
    g_assert_nonnull(strstr(qtree, "pl011"));
    qtest_quit(qts);
    unlink(path);
}

/* The monitor ends lines with "\r\n": drop the "\r" */
static void strip_cr(char *s)
{
    char *d = s;

    for (; *s; s++) {
        if (*s != '\r') {
            *d++ = *s;
        }
    }
    *d = '\0';
}

/* The value at devices[@i].@key of a query-composition board */
static QDict *board_device(QDict *board, int i)
{
    QList *devs = qdict_get_qlist(board, "devices");
    QListEntry *e;

    QTAILQ_FOREACH(e, &devs->head, next) {
        if (!i--) {
            return qobject_to(QDict, e->value);
        }
    }
    g_assert_not_reached();
}

/* query-composition and info composition: values with where they came from */
static void test_introspection(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *yaml = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "devices:\n"
        "  - override: uart0\n"
        "    mmio: [{addr: 0x10000000}]\n", parts);
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *at_parts = g_strdup_printf("%s:52:11", parts);
    g_autofree char *at_board = g_strdup_printf("%s:5:19", path);
    g_autofree char *line = g_strdup_printf(
        "  - name: uart0  # %s:51:11\n", parts);
    g_autofree char *line2 = g_strdup_printf(
        "    type: pl011  # %s:52:11\n", parts);
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-composition' }");
    QDict *ret = qdict_get_qdict(rsp, "return");
    QDict *uart, *type, *addr;
    g_autofree char *hmp = NULL;

    g_assert_true(qdict_get_bool(ret, "composed"));
    g_assert_cmpstr(qdict_get_str(ret, "desc"), ==, path);
    uart = board_device(qdict_get_qdict(ret, "board"), 1);
    type = qdict_get_qdict(uart, "type");
    g_assert_cmpstr(qdict_get_str(type, "value"), ==, "pl011");
    g_assert_cmpstr(qdict_get_str(type, "at"), ==, at_parts);
    addr = qdict_get_qdict(qobject_to(QDict, qlist_peek(
        qdict_get_qlist(uart, "mmio"))), "addr");
    g_assert_cmpstr(qdict_get_str(addr, "value"), ==, "0x10000000");
    g_assert_cmpstr(qdict_get_str(addr, "at"), ==, at_board);
    qobject_unref(rsp);

    hmp = qtest_hmp(qts, "info composition");
    strip_cr(hmp);
    g_assert_nonnull(strstr(hmp, line));
    g_assert_nonnull(strstr(hmp, line2));
    /* keys in the order they were written */
    g_assert_nonnull(strstr(hmp, "\nversion: 1"));
    g_assert_true(strstr(hmp, "\nversion: 1") < strstr(hmp, "\nparams:"));
    g_assert_true(strstr(hmp, "\nparams:") < strstr(hmp, "\ndevices:"));
    qtest_quit(qts);
    unlink(path);

    /* Other machines: nothing composed */
    qts = qtest_init("-M none");
    rsp = qtest_qmp(qts, "{ 'execute': 'query-composition' }");
    g_assert_false(qdict_get_bool(qdict_get_qdict(rsp, "return"),
                                  "composed"));
    qobject_unref(rsp);
    qtest_quit(qts);
}

static void qom_set_int(QTestState *qts, const char *path, const char *prop,
                        int64_t value)
{
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': %s, 'value': %"
                             PRId64 " } }", path, prop, value);
}

/*
 * An SoC from a description, a device declared on one of its I2C buses
 * and one added with -device to another: both answer at their address.
 */
static void test_bus_devices(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "machine: {ram-size: 1G, cpus: 2}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {ram-size: \"@machine.ram-size\", dram: \"@machine.ram\",\n"
        "            memory: \"@system-memory\"}\n"
        "  - name: temp\n"
        "    type: tmp105\n"
        "    bus: \"soc/i2c/bus[3]\"\n"
        "    props: {address: 0x4d}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s "
                                  "-device tmp105,id=t2,bus=aspeed.i2c.bus.5,"
                                  "address=0x48", path);
    AspeedI2CBmc bus3, bus5;
    uint8_t t[2];

    aspeed_i2c_bmc_init(&bus3, qts, 3, 0x10);
    aspeed_i2c_bmc_init(&bus5, qts, 5, 0x10);
    /* TMP105 register 0: temperature, 8.8 fixed point, big endian */
    qom_set_int(qts, "/machine/temp", "temperature", 25500);
    g_assert_true(aspeed_i2c_bmc_read_reg(&bus3, 0x4d, 0, t, 2));
    g_assert_cmphex(t[0] << 8 | t[1], ==, 0x1980);
    qom_set_int(qts, "/machine/temp", "temperature", 31000);
    g_assert_true(aspeed_i2c_bmc_read_reg(&bus3, 0x4d, 0, t, 2));
    g_assert_cmphex(t[0], ==, 31);
    /* nothing at 0x4c */
    g_assert_false(aspeed_i2c_bmc_read_reg(&bus3, 0x4c, 0, t, 2));
    qom_set_int(qts, "/machine/peripheral/t2", "temperature", 42000);
    g_assert_true(aspeed_i2c_bmc_read_reg(&bus5, 0x48, 0, t, 2));
    g_assert_cmphex(t[0], ==, 42);
    qtest_quit(qts);
    unlink(path);
}

/* user-memory devices: RAM, ROM with contents, storage from a backend */
static void test_user_memory(void)
{
    g_autofree char *rom = NULL;
    g_autofree char *yaml = NULL;
    g_autofree char *path = NULL;
    g_autofree char *err = NULL;
    g_autofree char *args = NULL;
    g_autofree char *mtree = NULL;
    g_autofree char *qtree = NULL;
    static const uint8_t contents[] = { 0x11, 0x22, 0x33, 0x44 };
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("composed-rom-XXXXXX", &rom, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(rom, (const char *)contents,
                                      sizeof(contents), NULL));
    yaml = g_strdup_printf(
        "version: 1\n"
        "params: [{name: msize, type: size, default: 1M}]\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "devices:\n"
        "  - name: uram\n"
        "    type: user-memory\n"
        "    props: {size: 64K, name: uram}\n"
        "    mmio: [{addr: 0x40000000}]\n"
        "  - name: urom\n"
        "    type: user-memory\n"
        "    props: {size: 4K, readonly: true, file: %s, name: urom}\n"
        "    mmio: [{addr: 0x50000000}]\n"
        "  - name: umem\n"
        "    type: user-memory\n"
        "    props: {memdev: /objects/m0, size: $msize, name: umem}\n"
        "    mmio: [{addr: 0x60000000}]\n", rom);
    path = composed_write_desc(yaml);

    qts = qtest_initf("-M composed,desc=%s "
                      "-object memory-backend-ram,id=m0,size=1M", path);
    mtree = qtest_hmp(qts, "info mtree -f");
    g_assert_nonnull(strstr(mtree,
        "0000000040000000-000000004000ffff (prio 0, ram): uram"));
    g_assert_nonnull(strstr(mtree,
        "0000000050000000-0000000050000fff (prio 0, rom): urom"));
    g_assert_nonnull(strstr(mtree,
        "0000000060000000-00000000600fffff (prio 0, ram): m0"));
    qtree = qtest_hmp(qts, "info qtree");
    g_assert_nonnull(strstr(qtree, "dev: user-memory"));
    /* ROM: contents from the file, guest writes ignored */
    g_assert_cmphex(qtest_readl(qts, 0x50000000), ==, 0x44332211);
    qtest_writel(qts, 0x50000000, 0);
    g_assert_cmphex(qtest_readl(qts, 0x50000000), ==, 0x44332211);
    qtest_writel(qts, 0x4000fffc, 0xcafef00d);
    g_assert_cmphex(qtest_readl(qts, 0x4000fffc), ==, 0xcafef00d);
    qtest_writel(qts, 0x60000100, 0x600dcafe);
    g_assert_cmphex(qtest_readl(qts, 0x60000100), ==, 0x600dcafe);
    qtest_quit(qts);

    /* a size that disagrees with the backend: located error */
    args = g_strdup_printf("-M composed,desc=%s,param.msize=2M "
                           "-object memory-backend-ram,id=m0,size=1M", path);
    g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
    assert_diag(err, path, 13, 11, "devices[2] 'umem': size 0x200000 "
                "differs from the size of memdev 'm0' (0x100000)");
    unlink(path);
    unlink(rom);
}

/* "@drive.mtd.0": the -drive if=mtd of that index, or nothing */
static void test_legacy_drive(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "machine: {ram-size: 1G, cpus: 2}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {ram-size: \"@machine.ram-size\", dram: \"@machine.ram\",\n"
        "            memory: \"@system-memory\"}\n"
        "  - name: flash\n"
        "    type: sst25vf016b\n"
        "    bus: soc/fmc\n"
        "    props: {cs: 0, drive: \"@drive.mtd.0\"}\n");
    g_autofree char *img = NULL;
    g_autofree char *qtree = NULL;
    QTestState *qts;
    int fd;

    fd = g_file_open_tmp("composed-mtd-XXXXXX", &img, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 2 * 1024 * 1024), ==, 0);
    close(fd);

    /* claimed: QEMU refuses to start with an unused -drive */
    qts = qtest_initf("-M composed,desc=%s "
                      "-drive if=mtd,format=raw,file=%s", path, img);
    qtree = qtest_hmp(qts, "info qtree");
    g_assert_nonnull(strstr(qtree, "drive = \"mtd0\""));
    qtest_quit(qts);
    g_free(qtree);

    /* absent: the property stays unset */
    qts = qtest_initf("-M composed,desc=%s", path);
    qtree = qtest_hmp(qts, "info qtree");
    g_assert_nonnull(strstr(qtree, "dev: sst25vf016b"));
    g_assert_null(strstr(qtree, "drive = \"mtd0\""));
    qtest_quit(qts);
    unlink(path);
    unlink(img);
}

static char *qom_get_str(QTestState *qts, const char *path,
                         const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }", path, prop);
    char *v = g_strdup(qdict_get_str(rsp, "return"));

    qobject_unref(rsp);
    return v;
}

/* nics: -nic options configure the devices named, in order */
static void test_nics(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "devices:\n"
        "  - {name: eth0, type: smc91c111, nics: [.],\n"
        "     mmio: [{addr: 0x4e000000}]}\n"
        "  - {name: eth1, type: smc91c111, nics: [.],\n"
        "     mmio: [{addr: 0x4f000000}]}\n");
    g_autofree char *qtree = NULL;
    QTestState *qts;

    qts = qtest_initf("-M composed,desc=%s -nic user,mac=52:54:00:aa:bb:01",
                      path);
    /* the one -nic went to the first interface only */
    qtree = qom_get_str(qts, "/machine/eth0", "mac");
    g_assert_cmpstr(qtree, ==, "52:54:00:aa:bb:01");
    g_free(qtree);
    qtree = qom_get_str(qts, "/machine/eth0", "netdev");
    g_assert_cmpstr(qtree, !=, "");
    g_free(qtree);
    qtree = qom_get_str(qts, "/machine/eth1", "netdev");
    g_assert_cmpstr(qtree, ==, "");
    qtest_quit(qts);
    unlink(path);

    {
        g_autofree char *bad = NULL;
        g_autofree char *err = rejected(
            "version: 1\n"
            "devices:\n"
            "  - {name: eth0, type: smc91c111, nics: [phy]}\n", &bad);

        assert_diag(err, bad, 3, 41, "devices[0] 'eth0': nics: 'phy' is not "
                    "a network device of smc91c111");
        unlink(bad);
    }
}

/* -smp must agree with the description; -readconfig works */
static void test_options(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s -smp 3",
                                            parts);
    g_autofree char *err = NULL;
    g_autofree char *cfg = NULL;
    g_autofree char *cfg_text = g_strdup_printf(
        "[machine]\n"
        "  type = \"composed\"\n"
        "  desc = \"%s\"\n"
        "  param.ram-size = \"64M\"\n", parts);
    g_autofree char *mtree = NULL;
    QTestState *qts;
    int fd;

    g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
    g_assert_nonnull(strstr(err, "-smp 3: the board description has 2 "
                            "CPUs"));
    g_free(err);
    g_free(args);

    /* machine.cpus must match what the devices created */
    {
        g_autofree char *desc = composed_write_desc(
            "version: 1\n"
            "machine: {ram-size: 1G, cpus: 1}\n"
            "devices:\n"
            "  - name: soc\n"
            "    type: ast2600-a3\n"
            "    props: {dram: \"@machine.ram\", memory: \"@system-memory\",\n"
            "            ram-size: \"@machine.ram-size\"}\n");

        args = g_strdup_printf("-M composed,desc=%s", desc);
        g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
        assert_diag(err, desc, 2, 31, "machine.cpus is 1 but the machine has "
                    "2 CPUs");
        unlink(desc);
    }

    fd = g_file_open_tmp("composed-XXXXXX.cfg", &cfg, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(cfg, cfg_text, -1, NULL));
    qts = qtest_initf("-readconfig %s", cfg);
    mtree = qtest_hmp(qts, "info mtree -f");
    g_assert_nonnull(strstr(mtree,
        "0000000080000000-0000000083ffffff (prio 0, ram): ram"));
    qtest_quit(qts);
    unlink(cfg);
}

/* Overlapping regions: the higher priority shows through */
static void test_priorities(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "memory:\n"
        "  - {name: low, kind: ram, size: 64K, map: {addr: 0x0}}\n"
        "  - {name: high, kind: ram, size: 4K,\n"
        "     map: {addr: 0x1000, priority: 1}}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree,
        "0000000000000000-0000000000000fff (prio 0, ram): low"));
    g_assert_nonnull(strstr(mtree,
        "0000000000001000-0000000000001fff (prio 1, ram): high"));
    g_assert_nonnull(strstr(mtree,
        "0000000000002000-000000000000ffff (prio 0, ram): low "
        "@0000000000002000"));
    qtest_writel(qts, 0x1000, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, 0x1000), ==, 0x12345678);
    qtest_quit(qts);
    unlink(path);
}

/* Two outputs into one input through a declared OR gate */
static void test_combine_or(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *yaml = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "devices:\n"
        "  - override: uart0\n"
        "    irqs: {\"sysbus-irq[0]\": {to: \"mpcore[5]\", combine: or}}\n"
        "  - name: uart1\n"
        "    type: pl011\n"
        "    mmio: [{addr: 0x1c0a0000}]\n"
        "    irqs: {\"sysbus-irq[0]\": {to: \"mpcore[5]\", combine: or}}\n",
        parts);
    g_autofree char *path = composed_write_desc(yaml);
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);

    qtest_irq_intercept_in(qts, "/machine/mpcore");
    qtest_writel(qts, 0x1c0a0000 + PL011_IMSC, PL011_INT_TX);
    qtest_writel(qts, 0x1c0a0000 + PL011_DR, 'x');
    g_assert_true(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_writel(qts, PARTS_UART + PL011_IMSC, PL011_INT_TX);
    qtest_writel(qts, PARTS_UART + PL011_DR, 'x');
    qtest_writel(qts, 0x1c0a0000 + PL011_IMSC, 0);
    g_assert_true(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_writel(qts, PARTS_UART + PL011_IMSC, 0);
    g_assert_false(qtest_get_irq(qts, PARTS_UART_IRQ));
    qtest_quit(qts);
    unlink(path);
}

/* Structure problems: all reported, each at its place; nothing starts */
static void test_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu, count: many}\n"
        "devices:\n"
        "  - name: uart0\n"
        "    type: pl011\n"
        "    mmio: [{adr: 0x1000}]\n"
        "  - {name: uart1, typ: pl011}\n"
        "boots: {}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 9, 1, "unknown key 'boots' (did you mean "
                "'boot'?)");
    assert_diag(err, path, 3, 39, "cpus[0]: Parameter 'count' expects "
                "integer");
    assert_diag(err, path, 7, 13, "devices[0] 'uart0': mmio: unknown key "
                "'adr' (did you mean 'addr'?)");
    assert_diag(err, path, 7, 12, "devices[0] 'uart0': 'mmio.0.addr' is "
                "missing");
    assert_diag(err, path, 8, 19, "devices[1] 'uart1': unknown key 'typ' "
                "(did you mean 'type'?)");
    g_assert_nonnull(strstr(err, "5 problems in the board description"));
    unlink(path);
}

/*
 * More MMIO mappings than QEMU's memory dispatch can hold (it asserts):
 * refused before anything is built.
 */
static void test_too_many_mappings(void)
{
    g_autoptr(GString) yaml = g_string_new("version: 1\ndevices:\n");
    g_autofree char *path = NULL;
    g_autofree char *err = NULL;
    int i;

    for (i = 0; i < 800; i++) {
        g_string_append_printf(yaml, "  - {name: u%d, type: pl011, "
                               "mmio: [{addr: 0x%x}]}\n", i, 0x10000000 +
                               i * 0x1000);
    }
    err = rejected(yaml->str, &path);
    assert_diag(err, path, 2, 1, "the description maps 800 memory regions; "
                "QEMU supports at most 768 here");
    unlink(path);
}

/* Semantic problems: all reported, each at its place; nothing starts */
static void test_semantic_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpus}\n"
        "memory:\n"
        "  - {name: a, kind: ram, size: 64K, map: {addr: 0}}\n"
        "  - {name: b, kind: ram, size: 64K, map: {addr: 0x8000}}\n"
        "devices:\n"
        "  - name: uart0\n"
        "    type: pl011\n"
        "    props: {chardve: serial0}\n"
        "  - {name: x, type: pl01}\n"
        "  - name: y\n"
        "    type: pl011\n"
        "    irqs: {\"sysbus-irq[0]\": \"uart0[0]\"}\n"
        "  - name: z\n"
        "    type: pl011\n"
        "    irqs: {\"sysbus-irq[0]\": \"uart0[0]\"}\n"
        "  - {name: a, type: pl011}\n"
        "  - {name: memory, type: pl011}\n"
        "  - name: u2\n"
        "    type: pl011\n"
        "    mmio: [{addr: 0x1000}, {index: 0, addr: 0x2000,\n"
        "            container: \"@system-memory\"}]\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 3, 12, "cpus[0] 'cpu': unknown CPU type "
                "'cortex-a15-arm-cpus' (did you mean 'cortex-a15-arm-cpu'?)");
    assert_diag(err, path, 11, 21, "devices[1] 'x': unknown device type "
                "'pl01' (did you mean 'pl011'?)");
    {
        g_autofree char *m1 = g_strdup_printf(
            "'b' [0x8000-0x17fff] overlaps 'a' (%s:5:42) at the same "
            "priority 0: give one of them another 'priority'", path);
        g_autofree char *m2 = g_strdup_printf(
            "input 'uart0[0]' is also driven from %s:14:29: say how the "
            "outputs combine ({to: uart0[0], combine: or|and|shared} on each)",
            path);
        g_autofree char *m3 = g_strdup_printf(
            "name 'a' is already used by the memory region at %s:5:12",
            path);

        assert_diag(err, path, 6, 42, m1);
        assert_diag(err, path, 17, 29, m2);
        assert_diag(err, path, 18, 12, m3);
    }
    assert_diag(err, path, 19, 12, "name 'memory' is taken by the machine "
                "object (its property or child)");
    assert_diag(err, path, 22, 11, "devices[6] 'u2': MMIO region 0 is "
                "mapped twice");
    /* 'chardve' is checked on the instance, once these are fixed */
    g_assert_null(strstr(err, "chardve"));
    g_assert_nonnull(strstr(err, "7 problems in the board description"));
    unlink(path);
}


/*
 * A bus is named by the device it belongs to: DEVICE/PATH.  Bus names
 * are global (two SoCs have buses of the same name) and QOM paths are
 * long: both are refused with the name to write instead.
 */
static void test_bus_style(void)
{
    static const char yaml[] =
        "version: 1\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {dram: \"@machine.ram\", memory: \"@system-memory\",\n"
        "            ram-size: \"@machine.ram-size\"}\n"
        "  - {name: t, type: tmp105, bus: \"%s\", props: {address: 0x4d}}\n"
        "machine: {ram-size: 1G, cpus: 2}\n";
    g_autofree char *by_name = g_strdup_printf(yaml, "aspeed.i2c.bus.3");
    g_autofree char *by_path = g_strdup_printf(yaml,
                                               "/machine/soc/i2c/bus[3]");
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(by_name, &path);

    assert_diag(err, path, 7, 34, "devices[1] 't': bus 'aspeed.i2c.bus.3' "
                "is a bus name: name a bus as DEVICE/PATH, a bus of a device "
                "declared before (here: 'soc/i2c/bus[3]')");
    assert_all_located(err, path);
    unlink(path);
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&err, g_free);

    err = rejected(by_path, &path);
    assert_diag(err, path, 7, 34, "devices[1] 't': bus "
                "'/machine/soc/i2c/bus[3]' is a QOM path: name a bus as "
                "DEVICE/PATH, a bus of a device declared before (here: "
                "'soc/i2c/bus[3]')");
    assert_all_located(err, path);
    unlink(path);
}

/*
 * The members of each kind of region and boot are their own (QAPI flat
 * unions), and the suggestions for unknown keys know every member of
 * the schema, nested ones too (they are derived from it)
 */
static void test_schema_members(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "memory:\n"
        "  - {name: c, kind: container, size: 1M, file: x}\n"
        "  - {name: r, kind: rom, size: 1M, from-driv: \"@drive.mtd.0\"}\n"
        "devices:\n"
        "  - {name: u, type: pl011, serils: [.]}\n"
        "  - {name: e, type: smbus-eeprom, contents: {byts: [1]}}\n"
        "boot: {kind: armv7m, board-id: 1, smp-mailbx: 0}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 3, 42, "memory[0] 'c': unknown key 'file'");
    assert_diag(err, path, 4, 36, "memory[1] 'r': unknown key 'from-driv' "
                "(did you mean 'from-drive'?)");
    assert_diag(err, path, 6, 28, "devices[0] 'u': unknown key 'serils' "
                "(did you mean 'serials'?)");
    assert_diag(err, path, 7, 46, "devices[1] 'e': contents: unknown key "
                "'byts' (did you mean 'bytes'?)");
    assert_diag(err, path, 8, 22, "boot: unknown key 'board-id'");
    assert_all_located(err, path);
    unlink(path);
}

/*
 * What only an instance can tell (properties, children, clock inputs,
 * serial and network ports) is checked on the devices the build creates,
 * all of them before any is realized, and reported together
 */
static void test_instance_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "clocks:\n"
        "  - {name: refclk, hz: 24000000}\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu, props: {reset-cbarr: 0}}\n"
        "devices:\n"
        "  - name: uart0\n"
        "    type: pl011\n"
        "    props: {chardve: serial0}\n"
        "    clocks: {clock: refclk}\n"
        "    serials: [uart]\n"
        "  - name: sdhci\n"
        "    type: generic-sdhci\n"
        "    child-props: {\"sd-bus\": {x: 1}, nochild: {y: 2}}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 5, 40, "cpus[0] 'cpu': cortex-a15-arm-cpu has no "
                "property 'reset-cbarr' (did you mean 'reset-cbar'?)");
    assert_diag(err, path, 9, 13, "devices[0] 'uart0': pl011 has no "
                "property 'chardve' (did you mean 'chardev'?)");
    assert_diag(err, path, 10, 14, "devices[0] 'uart0': pl011 has no clock "
                "input 'clock'");
    assert_diag(err, path, 11, 14, "devices[0] 'uart0': serials: 'uart' is "
                "not a device of pl011 with a 'chardev' property");
    assert_diag(err, path, 14, 30, "devices[1] 'sdhci' child 'sd-bus': "
                "sdhci-bus has no property 'x'");
    assert_diag(err, path, 14, 37, "devices[1] 'sdhci': generic-sdhci has no "
                "child 'nochild'");
    assert_all_located(err, path);
    g_assert_nonnull(strstr(err, "6 problems in the board description"));
    unlink(path);
}

/*
 * An ASPEED SoC without its memory or dram link is refused where it is
 * declared (patches/0031: the SoCs dereferenced the missing link)
 */
static void test_aspeed_links(void)
{
    static const struct {
        const char *type, *props, *link;
    } socs[] = {
        { "ast2600-a3", "{}", "memory" },
        { "ast2400-a1", "{memory: \"@system-memory\"}", "dram" },
        { "ast1030-a1", "{}", "memory" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(socs); i++) {
        g_autofree char *yaml = g_strdup_printf(
            "version: 1\n"
            "machine: {ram-size: 256M, cpus: 1}\n"
            "devices:\n"
            "  - {name: soc, type: %s, props: %s}\n", socs[i].type,
            socs[i].props);
        g_autofree char *msg = g_strdup_printf("devices[0] 'soc': '%s' link "
                                               "is not set", socs[i].link);
        g_autofree char *path = NULL;
        g_autofree char *err = rejected(yaml, &path);

        g_test_message("%s", err);
        assert_diag(err, path, 4, 12, msg);
        unlink(path);
    }
}

/*
 * RAM mapped twice: once by the description, once by a device that got
 * it by link and mapped it itself.  QEMU asserts when a region gets a
 * second container; the description is refused where it maps it.
 */
static void test_ram_mapped_twice(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "machine:\n"
        "  ram-size: 512M\n"
        "  ram-map: {addr: 0x80000000}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {dram: \"@machine.ram\", memory: \"@system-memory\",\n"
        "            ram-size: \"@machine.ram-size\"}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 4, 12, "machine.ram-map: the machine RAM is "
                "already mapped (in 'ram-container'), by a device "
                "that got it by link");
    assert_all_located(err, path);
    unlink(path);
}

/* Same with a declared region */
static void test_region_mapped_twice(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "memory:\n"
        "  - {name: dram, kind: ram, size: 256M, map: {addr: 0x80000000}}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {dram: \"@dram\", memory: \"@system-memory\",\n"
        "            ram-size: 0x10000000}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 3, 46, "memory[0] 'dram': the region is already "
                "mapped (in 'ram-container'), by a device that got "
                "it by link");
    assert_all_located(err, path);
    unlink(path);
}

/*
 * A region mapped into itself, or into a region it shows through an
 * alias, would make QEMU recurse without end when it renders the
 * memory map.
 */
static void test_region_cycle(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected(
        "version: 1\n"
        "memory:\n"
        "  - {name: top, kind: container, size: 1M, map: {addr: 0}}\n"
        "  - {name: mid, kind: container, size: 64K,\n"
        "     map: {container: top, addr: 0}}\n"
        "  - {name: loop, kind: alias, alias: top, size: 4K,\n"
        "     map: {container: mid, addr: 0x100}}\n", &path);

    g_test_message("%s", err);
    assert_diag(err, path, 7, 11, "memory[2] 'loop': mapping it into 'mid' "
                "would make 'mid' contain itself");
    assert_all_located(err, path);
    unlink(path);
}

/*
 * The CPU count is fixed when the accelerator is created, before the
 * machine creates its default SD card drive (default-sdcard): a CPU
 * group whose condition turns true at machine init is refused where it
 * is declared.
 */
static void test_cpus_condition_change(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = rejected_with(
        "version: 1\n"
        "machine: {default-sdcard: true}\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu}\n"
        "  - {name: extra, type: cortex-a15-arm-cpu, if: \"drive:sd:0\"}\n"
        "devices:\n"
        "  - {name: sdhci, type: generic-sdhci}\n"
        "  - {name: card, type: sd-card, bus: sdhci/sd-bus,\n"
        "     props: {drive: \"@drive.sd.0\"}}\n",
        "", true, &path);

    g_test_message("%s", err);
    assert_diag(err, path, 5, 5, "cpus[1] 'extra': this CPU group exists "
                "only at machine init, after the CPU count (1) was fixed: "
                "CPUs cannot depend on -drive options");
    assert_all_located(err, path);
    unlink(path);
}

/*
 * Problems only found while building are located too, like those of the
 * check (they used to print no FILE:LINE:COL)
 */
static void test_build_errors_located(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = NULL;

    err = rejected_with(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu}\n", "-kernel /dev/null", false,
        &path);
    assert_diag(err, path, 1, 1, "-kernel: this board description has no "
                "boot protocol (boot.kind)");
    assert_all_located(err, path);
    unlink(path);
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&err, g_free);

    err = rejected(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu}\n"
        "  - {name: app, type: cortex-a15-arm-cpu, gate: \"uart.nope[0]\"}\n"
        "devices:\n"
        "  - {name: uart, type: pl011}\n", &path);
    g_test_message("%s", err);
    assert_diag(err, path, 4, 49, "cpus[1] 'app': gate: pl011 has no "
                "output 'uart.nope[0]'");
    assert_all_located(err, path);
    unlink(path);
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&err, g_free);

    err = rejected(
        "version: 1\n"
        "machine: {cpus: 3}\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu, count: 2}\n", &path);
    g_test_message("%s", err);
    assert_diag(err, path, 2, 17, "machine.cpus is 3 but the machine has 2 "
                "CPUs");
    assert_all_located(err, path);
    unlink(path);
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&err, g_free);

    err = rejected(
        "version: 1\n"
        "machine: {ram-size: 16M}\n"
        "boot: {kind: arm}\n", &path);
    g_test_message("%s", err);
    assert_diag(err, path, 3, 7, "boot: the machine has no CPU");
    assert_all_located(err, path);
    unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("composed/listed", test_listed);
    qtest_add_func("composed/empty", test_empty);
    qtest_add_func("composed/ram-at-zero", test_ram_at_zero);
    qtest_add_func("composed/kernel-needs-desc", test_kernel_needs_desc);
    qtest_add_func("composed/parts/layout", test_parts_layout);
    qtest_add_func("composed/parts/param", test_parts_param);
    qtest_add_func("composed/parts/mmio", test_parts_mmio);
    qtest_add_func("composed/parts/irq", test_parts_irq);
    qtest_add_func("composed/parts/clock", test_parts_clock);
    qtest_add_func("composed/clock-output", test_clock_output);
    qtest_add_func("composed/eeprom-address", test_eeprom_address);
    qtest_add_func("composed/parts/tcg-hello", test_parts_tcg_hello);
    qtest_add_func("composed/parts/kernel", test_parts_kernel);
    qtest_add_func("composed/boot-images", test_boot_images);
    qtest_add_func("composed/cpu-gate", test_cpu_gate);
    qtest_add_func("composed/mixed-clusters", test_mixed_clusters);
    qtest_add_func("composed/cpu-gate-errors", test_cpu_gate_errors);
    qtest_add_func("composed/mprofile-rom", test_mprofile_rom);
    qtest_add_func("composed/device-gate", test_device_gate);
    qtest_add_func("composed/device-gate-errors", test_device_gate_errors);
    qtest_add_func("composed/device-parent", test_device_parent);
    qtest_add_func("composed/device-parent-errors",
                   test_device_parent_errors);
    qtest_add_func("composed/boot-image-missing", test_boot_image_missing);
    qtest_add_func("composed/include-override", test_include_override);
    qtest_add_func("composed/priorities", test_priorities);
    qtest_add_func("composed/introspection", test_introspection);
    qtest_add_func("composed/bus-devices", test_bus_devices);
    qtest_add_func("composed/options", test_options);
    qtest_add_func("composed/user-memory", test_user_memory);
    qtest_add_func("composed/legacy-drive", test_legacy_drive);
    qtest_add_func("composed/nics", test_nics);
    qtest_add_func("composed/combine-or", test_combine_or);
    qtest_add_func("composed/errors", test_errors);
    qtest_add_func("composed/semantic-errors", test_semantic_errors);
    qtest_add_func("composed/too-many-mappings", test_too_many_mappings);
    qtest_add_func("composed/instance-errors", test_instance_errors);
    qtest_add_func("composed/schema-members", test_schema_members);
    qtest_add_func("composed/bus-style", test_bus_style);
    qtest_add_func("composed/aspeed-links", test_aspeed_links);
    qtest_add_func("composed/ram-mapped-twice", test_ram_mapped_twice);
    qtest_add_func("composed/region-mapped-twice", test_region_mapped_twice);
    qtest_add_func("composed/region-cycle", test_region_cycle);
    qtest_add_func("composed/cpus-condition-change",
                   test_cpus_condition_change);
    qtest_add_func("composed/build-errors-located",
                   test_build_errors_located);

    return g_test_run();
}
