/*
 * QTest for the composed machine: basics, parts, boot, options,
 * introspection, buses, memory, NICs (diagnostics are in
 * composed-errors-test.c, CPU and device gates in composed-gates-test.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
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

/* QEMU refuses @yaml with the one problem "LINE:COL: MSG" */
static void assert_refused(const char *yaml, int line, int col,
                           const char *msg)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(yaml, &path);

    composed_assert_diag(err, path, line, col, msg);
    unlink(path);
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

/* The program in a temporary file */
static char *write_hello(void)
{
    return composed_write_program(hello_code, ARRAY_SIZE(hello_code),
                                  HELLO, sizeof(HELLO));
}

/* QEMU with @args under TCG: the program prints HELLO on serial 0 */
static void assert_hello(const char *args)
{
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;
    QTestState *qts;

    close(g_file_open_tmp("composed-out-XXXXXX", &out, NULL));
    qts = qtest_initf("%s -accel tcg -serial file:%s", args, out);
    text = composed_wait_serial(out, HELLO, 600);
    g_assert_cmpstr(text, ==, HELLO);
    qtest_quit(qts);
    unlink(out);
}

/*
 * -kernel through the composed ARM boot protocol: the program is a raw
 * image, loaded above boot.loader-start in RAM and entered by QEMU's
 * boot stub; the ROM stays empty.
 */
static void test_parts_kernel(void)
{
    g_autofree char *desc = composed_machine_path("parts-a15.yaml");
    g_autofree char *kernel = write_hello();
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s -kernel %s",
                                            desc, kernel);

    assert_hello(args);
    unlink(kernel);
}

/* boot.images: the program placed in the ROM by the boot section */
static void test_boot_images(void)
{
    g_autofree char *parts = composed_machine_path("parts-a15.yaml");
    g_autofree char *image = write_hello();
    g_autofree char *yaml = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "boot: {kind: none, images: [{file: %s, addr: 0}]}\n",
        parts, image);
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s", path);

    assert_hello(args);
    unlink(image);
    unlink(path);
}

static void test_parts_tcg_hello(void)
{
    g_autofree char *desc = composed_machine_path("parts-a15.yaml");
    g_autofree char *rom = write_hello();
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s,param.rom=%s",
                                            desc, rom);

    assert_hello(args);
    unlink(rom);
}

/* Mixed CPU types: one cluster per group, and TCG runs the program */
static void test_mixed_clusters(void)
{
    g_autofree char *rom = write_hello();
    g_autofree char *yaml = NULL;
    g_autofree char *path = NULL;
    g_autofree char *args = NULL;
    QTestState *qts;
    QDict *rsp;

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

    args = g_strdup_printf("-M composed,desc=%s", path);
    assert_hello(args);
    unlink(rom);
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
    composed_assert_diag(err, path, 13, 11, "devices[2] 'umem': size "
                         "0x200000 differs from the size of memdev 'm0' "
                         "(0x100000)");
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

    assert_refused(
        "version: 1\n"
        "devices:\n"
        "  - {name: eth0, type: smc91c111, nics: [phy]}\n",
        3, 41, "devices[0] 'eth0': nics: 'phy' is not "
               "a network device of smc91c111");
}

/*
 * nic-models: an option with model= goes to the interface of that type
 * or alias, wherever it is; a model-only interface takes no option
 * without model=; an interface without an option does not stop the
 * next from getting one
 */
static void test_nic_models(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "devices:\n"
        "  - {name: net, type: container, nics: [a, b, c, d],\n"
        "     nic-models: [{nic: a, alias: lan0},\n"
        "                  {nic: c, model-only: true}]}\n"
        "  - {name: net/a, type: smc91c111, mmio: [{addr: 0x4c000000}]}\n"
        "  - {name: net/b, type: smc91c111, mmio: [{addr: 0x4d000000}]}\n"
        "  - {name: net/c, type: smc91c111, mmio: [{addr: 0x4e000000}]}\n"
        "  - {name: net/d, type: smc91c111, mmio: [{addr: 0x4f000000}]}\n");
    static const char *const want[][4] = {
        /* a by its alias, b the first without model=, c by its type */
        { "52:54:00:aa:bb:02", "52:54:00:aa:bb:01", "52:54:00:aa:bb:03",
          "52:54:00:aa:bb:04" },
        /* c model-only: the third option without model= goes to d */
        { "52:54:00:aa:bb:01", "52:54:00:aa:bb:02", "", "52:54:00:aa:bb:03" },
    };
    static const char *const args[] = {
        "-nic user,model=lan0,mac=52:54:00:aa:bb:02 "
        "-nic user,mac=52:54:00:aa:bb:01 "
        "-nic user,model=smc91c111,mac=52:54:00:aa:bb:03 "
        "-nic user,mac=52:54:00:aa:bb:04",
        "-nic user,mac=52:54:00:aa:bb:01 -nic user,mac=52:54:00:aa:bb:02 "
        "-nic user,mac=52:54:00:aa:bb:03",
    };
    unsigned i, j;

    for (i = 0; i < ARRAY_SIZE(args); i++) {
        QTestState *qts = qtest_initf("-M composed,desc=%s %s", path,
                                      args[i]);

        for (j = 0; j < 4; j++) {
            g_autofree char *dev = g_strdup_printf("/machine/net/%c",
                                                   'a' + j);
            g_autofree char *netdev = qom_get_str(qts, dev, "netdev");
            g_autofree char *mac = qom_get_str(qts, dev, "mac");

            g_test_message("%s: netdev '%s' mac %s", dev, netdev, mac);
            if (*want[i][j]) {
                g_assert_cmpstr(mac, ==, want[i][j]);
            } else {
                g_assert_cmpstr(netdev, ==, "");
            }
        }
        qtest_quit(qts);
    }
    unlink(path);

    assert_refused(
        "version: 1\n"
        "devices:\n"
        "  - {name: eth0, type: smc91c111, nics: [.],\n"
        "     nic-models: [{nic: eth0, alias: lan0}]}\n",
        4, 18, "devices[0] 'eth0': nic-models: "
               "'eth0' is not in nics");
}

/* id: the qdev id, in info qtree; a container has none */
static void test_device_id(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "devices:\n"
        "  - {name: uart0, type: pl011, id: \"console[0]\",\n"
        "     mmio: [{addr: 0x4e000000}]}\n"
        "  - {name: uart1, type: pl011, mmio: [{addr: 0x4f000000}]}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *qtree = composed_hmp_text(qts, "info qtree");

    g_assert_nonnull(strstr(qtree, "dev: pl011, id \"console[0]\"\n"));
    g_assert_nonnull(strstr(qtree, "dev: pl011, id \"\"\n"));
    qtest_quit(qts);
    unlink(path);

    assert_refused(
        "version: 1\n"
        "devices:\n"
        "  - {name: soc, type: container, id: soc}\n",
        3, 34, "devices[0] 'soc': a container has no "
               "'id' (it groups the devices named soc/...)");
}

/* machine.max-ram-size: a bigger -m is refused, at the member */
static void test_max_ram_size(void)
{
    static const char yaml[] =
        "version: 1\n"
        "machine:\n"
        "  ram-size: 128M\n"
        "  max-ram-size: 256M\n"
        "  ram-map: {addr: 0}\n";
    g_autofree char *path = composed_write_desc(yaml);
    QTestState *qts = qtest_initf("-M composed,desc=%s -m 256M", path);
    g_autofree char *bad = NULL;
    g_autofree char *err = NULL;

    /* at the limit: fine */
    qtest_quit(qts);
    unlink(path);
    err = composed_rejected_with(yaml, "-m 512M", true, &bad);
    composed_assert_diag(err, bad, 4, 17, "RAM size 512 MiB (-m or "
                         "machine.ram-size): the board takes at most "
                         "256 MiB");
    unlink(bad);
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
        composed_assert_diag(err, desc, 2, 31, "machine.cpus is 1 but the "
                             "machine has 2 CPUs");
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
        g_autofree char *err = composed_rejected(yaml, &path);

        g_test_message("%s", err);
        composed_assert_diag(err, path, 4, 12, msg);
        unlink(path);
    }
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
    qtest_add_func("composed/parts/tcg-hello", test_parts_tcg_hello);
    qtest_add_func("composed/parts/kernel", test_parts_kernel);
    qtest_add_func("composed/boot-images", test_boot_images);
    qtest_add_func("composed/mixed-clusters", test_mixed_clusters);
    qtest_add_func("composed/include-override", test_include_override);
    qtest_add_func("composed/priorities", test_priorities);
    qtest_add_func("composed/introspection", test_introspection);
    qtest_add_func("composed/bus-devices", test_bus_devices);
    qtest_add_func("composed/options", test_options);
    qtest_add_func("composed/user-memory", test_user_memory);
    qtest_add_func("composed/legacy-drive", test_legacy_drive);
    qtest_add_func("composed/nics", test_nics);
    qtest_add_func("composed/nic-models", test_nic_models);
    qtest_add_func("composed/device-id", test_device_id);
    qtest_add_func("composed/max-ram-size", test_max_ram_size);
    qtest_add_func("composed/combine-or", test_combine_or);
    qtest_add_func("composed/aspeed-links", test_aspeed_links);

    return g_test_run();
}
