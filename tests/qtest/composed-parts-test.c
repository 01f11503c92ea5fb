/*
 * QTest: what a SoC written from parts needs from the composed machine
 *
 * Groups of devices in a QOM container (names "GROUP/NAME", qom-name),
 * interrupt outputs of a device's children, per-CPU properties, CPU
 * properties that exist only once the accelerator does, aliases of a
 * device's memory region, the RAM mapped into a declared container,
 * conditions on the RAM size, outputs sharing a line without a gate;
 * and the ASPEED SD controller built on its own (patch 0050).
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

#define PL011_DR        0x000
#define PL011_IMSC      0x038
#define PL011_INT_TX    (1 << 5)

/* A description that must be refused: stderr has "PATH:L:C: MSG" */
static void assert_refused(const char *yaml, const char *extra, int line,
                           int col, const char *msg)
{
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s %s", path,
                                            extra);
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
    /* line 0: a problem of the whole description, without a place */
    want = line ? g_strdup_printf("%s:%d:%d: %s", path, line, col, msg)
                : g_strdup(msg);
    if (!strstr(err, want)) {
        g_test_message("expected: %s", want);
        g_test_message("stderr: %s", err);
        g_assert_not_reached();
    }
    unlink(path);
}

static char *qom_get_str(QTestState *qts, const char *path, const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }", path, prop);
    char *v = g_strdup(qdict_get_try_str(rsp, "return"));

    qobject_unref(rsp);
    return v;
}

static int64_t qom_get_int(QTestState *qts, const char *path,
                           const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }", path, prop);
    int64_t v = qdict_get_int(rsp, "return");

    qobject_unref(rsp);
    return v;
}

static bool qom_exists(QTestState *qts, const char *path)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-list', 'arguments': "
                           "{ 'path': %s } }", path);
    bool found = qdict_haskey(rsp, "return");

    qobject_unref(rsp);
    return found;
}

/* @soc_extra: more of the container's mapping */
#define GROUP_BOARD_SOC(soc_extra) \
    "version: 1\n" \
    "machine: {ram-size: 16M, ram-map: {addr: 0x80000000}}\n" \
    "cpus: [{type: cortex-a15-arm-cpu}]\n" \
    "devices:\n" \
    "  - {name: soc, type: container" soc_extra "}\n" \
    "  - name: soc/gic\n" \
    "    type: a15mpcore_priv\n" \
    "    props: {num-cpu: 1, num-irq: 160}\n" \
    "    mmio: [{addr: 0x2c000000}]\n" \
    "  - name: soc/uart1\n" \
    "    qom-name: \"uart[0]\"\n" \
    "    type: pl011\n" \
    "    mmio: [{addr: 0x1c090000}]\n" \
    "    irqs: {\"sysbus-irq[0]\": \"soc/gic[5]\"}\n" \
    "  - name: soc/i2c\n" \
    "    type: aspeed.i2c-ast2600\n" \
    "    props: {dram: \"@machine.ram\"}\n" \
    "    mmio: [{addr: 0x1e78a000}]\n" \
    "    irqs:\n" \
    "      \"bus[3].sysbus-irq[0]\": \"soc/gic[113]\"\n" \
    "  - {name: temp, type: tmp105, bus: \"soc/i2c/bus[3]\",\n" \
    "     props: {address: 0x48}}\n"
#define GROUP_BOARD GROUP_BOARD_SOC("")

/*
 * A container groups devices under one QOM path, with the names a C SoC
 * gives its children; its serials name them; a bus is found below it.
 */
static void test_group(void)
{
    g_autofree char *path = composed_write_desc(
        GROUP_BOARD_SOC(", serials: [\"uart[0]\"]"));
    QTestState *qts = qtest_initf("-M composed,desc=%s -serial null", path);
    g_autofree char *type = qom_get_str(qts, "/machine/soc/uart[0]", "type");
    g_autofree char *chr = qom_get_str(qts, "/machine/soc/uart[0]",
                                       "chardev");
    g_autofree char *gtype = qom_get_str(qts, "/machine/soc", "type");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");
    const char *bus3;

    g_assert_cmpstr(gtype, ==, "container");
    g_assert_cmpstr(type, ==, "pl011");
    g_assert_cmpstr(chr, ==, "serial0");
    g_assert_true(qom_exists(qts, "/machine/soc/i2c/bus[3]"));
    g_assert_false(qom_exists(qts, "/machine/uart1"));
    bus3 = strstr(qtree, "bus: aspeed.i2c.bus.3");
    g_assert_nonnull(bus3);
    g_assert_true(g_str_has_prefix(strstr(bus3, "dev: "), "dev: tmp105"));
    qtest_quit(qts);
    unlink(path);
}

/*
 * An interrupt output of a device's child, here an I2C bus of the I2C
 * controller: a master transfer to an absent target raises it
 */
static void test_child_irq(void)
{
    g_autofree char *path = composed_write_desc(GROUP_BOARD);
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    AspeedI2CBmc bmc;

    qtest_irq_intercept_in(qts, "/machine/soc/gic");
    aspeed_i2c_bmc_init(&bmc, qts, 3, 0x10);
    g_assert_false(qtest_get_irq(qts, 113));
    qtest_writel(qts, bmc.base + 0x20, 0x51 << 1);     /* BYTE_BUF */
    qtest_writel(qts, bmc.base + 0x14, 0x3);           /* START | TX */
    g_assert_true(qtest_get_irq(qts, 113));
    g_assert_false(qtest_get_irq(qts, 112));
    qtest_quit(qts);
    unlink(path);
}

static void test_group_errors(void)
{
    assert_refused(GROUP_BOARD
                   "  - {name: nowhere/x, type: pl011}\n", "", 23, 12,
                   "devices[5] 'nowhere/x': no device or container named "
                   "'nowhere' to hold it");
    assert_refused(GROUP_BOARD
                   "  - {name: soc/x, qom-name: \"uart[0]\", type: pl011}\n",
                   "", 23, 12, "devices[5] 'soc/x': 'soc' already has a "
                   "child 'uart[0]'");
    assert_refused(GROUP_BOARD_SOC(", props: {x: 1}"), "", 5, 34,
                   "devices[0] 'soc': a container has no 'props' (it "
                   "groups the devices named soc/...)");
    assert_refused(GROUP_BOARD_SOC(", serials: [\"uart[1]\"]"), "", 5, 43,
                   "devices[0] 'soc': serials: 'uart[1]' is not a device "
                   "of container with a 'chardev' property");
    assert_refused(GROUP_BOARD
                   "  - {name: u, type: pl011,\n"
                   "     irqs: {\"sysbus-irq[0]\": \"soc[1]\"}}\n", "", 24,
                   30, "devices[5] 'u': irqs: 'soc' is a container, "
                   "not a device");
    assert_refused(GROUP_BOARD
                   "  - {name: i2c2, type: aspeed.i2c-ast2600,\n"
                   "     irqs: {\"bus[16].sysbus-irq[0]\": \"soc/gic[9]\"}}\n",
                   "", 24, 38, "devices[5] 'i2c2': irqs: "
                   "aspeed.i2c-ast2600 has no child device 'bus[16]'");
}

/*
 * Per-CPU properties (the MPIDR of each CPU), and properties that only
 * exist with TCG or qtest (vfp-d32): accepted, and a typo is refused
 * with its place once the accelerator exists
 */
#define CPU_BOARD \
    "version: 1\n" \
    "cpus:\n" \
    "  - type: cortex-a7-arm-cpu\n" \
    "    count: 2\n"

static void test_per_cpu(void)
{
    g_autofree char *path = composed_write_desc(CPU_BOARD
        "    props: {vfp-d32: false, neon: false}\n"
        "    per-cpu: [{mp-affinity: 0xf00}, {mp-affinity: 0xf01}]\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);

    g_assert_cmpint(qom_get_int(qts, "/machine/cpu0", "mp-affinity"), ==,
                    0xf00);
    g_assert_cmpint(qom_get_int(qts, "/machine/cpu1", "mp-affinity"), ==,
                    0xf01);
    g_assert_false(qtest_qom_get_bool(qts, "/machine/cpu1", "vfp-d32"));
    qtest_quit(qts);
    unlink(path);

    assert_refused(CPU_BOARD "    per-cpu: [{}, {}, {}]\n", "", 5, 14,
                   "cpus[0] 'cpu': per-cpu has more entries than CPUs");
    assert_refused(CPU_BOARD "    props: {vfp-d33: false}\n", "", 5, 13,
                   "cpus[0] 'cpu': cortex-a7-arm-cpu has no property "
                   "'vfp-d33' (did you mean 'vfp-d32'?)");
}

/*
 * An alias of a device's memory region (by QOM path below a device),
 * made once the device exists; the machine RAM in a declared container
 */
static void test_device_alias(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "machine:\n"
        "  ram-size: 1M\n"
        "  ram-map: {container: window, addr: 0x1000}\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "memory:\n"
        "  - {name: window, kind: container, size: 16M,\n"
        "     map: {addr: 0x40000000}}\n"
        "  - {name: view, kind: alias, alias: \"mem/sram[0]\",\n"
        "     offset: 0x1000, size: 0x1000, map: {addr: 0x30000000}}\n"
        "devices:\n"
        "  - name: mem\n"
        "    type: user-memory\n"
        "    props: {size: 64K, name: sram}\n"
        "    mmio: [{addr: 0x20000000}]\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree, "0000000030000000-0000000030000fff "
                            "(prio 0, ram): sram @0000000000001000"));
    g_assert_nonnull(strstr(mtree, "0000000040001000-0000000040100fff "
                            "(prio 0, ram): ram"));
    qtest_writel(qts, 0x20001004, 0x5a5aa5a5);
    g_assert_cmphex(qtest_readl(qts, 0x30000004), ==, 0x5a5aa5a5);
    qtest_writel(qts, 0x40001000, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, 0x40001000), ==, 0x12345678);
    qtest_quit(qts);
    unlink(path);

    assert_refused(
        "version: 1\n"
        "memory:\n"
        "  - {name: view, kind: alias, alias: \"mem/nothing[0]\",\n"
        "     map: {addr: 0x30000000}}\n"
        "devices:\n"
        "  - {name: mem, type: user-memory, props: {size: 64K}}\n",
        "", 3, 38, "memory[0] 'view': no memory region 'mem/nothing[0]'");
    assert_refused(
        "version: 1\n"
        "memory:\n"
        "  - {name: view, kind: alias, alias: \"nodev/x[0]\"}\n",
        "", 3, 38, "memory[0] 'view': alias 'nodev/x[0]': expected a QOM "
        "path of a memory region, absolute or DEVICE/PATH");
}

/* A device that exists for one RAM size only (sizes compare as numbers) */
static void test_ram_size_condition(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "machine: {ram-size: 64M, ram-map: {addr: 0x80000000}}\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "devices:\n"
        "  - {name: small, type: pl011, if: \"@machine.ram-size == 64M\"}\n"
        "  - {name: large, type: pl011,\n"
        "     if: \"@machine.ram-size == 0x8000000\"}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);

    g_assert_true(qom_exists(qts, "/machine/small"));
    g_assert_false(qom_exists(qts, "/machine/large"));
    qtest_quit(qts);
    qts = qtest_initf("-M composed,desc=%s -m 128M", path);
    g_assert_false(qom_exists(qts, "/machine/small"));
    g_assert_true(qom_exists(qts, "/machine/large"));
    qtest_quit(qts);
    unlink(path);
}

/*
 * Two outputs on one input without a gate, as C code that connects both
 * to the same line: the last change wins (an OR gate would stay high)
 */
static void test_shared_irq(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "devices:\n"
        "  - name: gic\n"
        "    type: a15mpcore_priv\n"
        "    props: {num-cpu: 1, num-irq: 64}\n"
        "    mmio: [{addr: 0x2c000000}]\n"
        "  - name: u0\n"
        "    type: pl011\n"
        "    mmio: [{addr: 0x1c090000}]\n"
        "    irqs: {\"sysbus-irq[0]\": {to: \"gic[5]\", combine: shared}}\n"
        "  - name: u1\n"
        "    type: pl011\n"
        "    mmio: [{addr: 0x1c0a0000}]\n"
        "    irqs: {\"sysbus-irq[0]\": {to: \"gic[5]\", combine: shared}}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);

    g_assert_false(qom_exists(qts, "/machine/combine[0]"));
    qtest_irq_intercept_in(qts, "/machine/gic");
    qtest_writel(qts, 0x1c090000 + PL011_IMSC, PL011_INT_TX);
    qtest_writel(qts, 0x1c090000 + PL011_DR, 'x');
    g_assert_true(qtest_get_irq(qts, 5));
    qtest_writel(qts, 0x1c0a0000 + PL011_IMSC, PL011_INT_TX);
    qtest_writel(qts, 0x1c0a0000 + PL011_DR, 'x');
    qtest_writel(qts, 0x1c0a0000 + PL011_IMSC, 0);
    g_assert_false(qtest_get_irq(qts, 5));
    qtest_quit(qts);
    unlink(path);
}

/*
 * A SoC's own memory: a container declared after the regions mapped
 * into it (a board's memory after the SoC it includes), named "@NAME"
 * as in links; the CPU linked to it; a CPU made by a device (armv7m)
 * counted in machine.cpus
 */
#define SOC_MEMORY_BOARD(cpus) \
    "version: 1\n" \
    "machine: {cpus: " cpus "}\n" \
    "clocks: [{name: clk, hz: 100000000}]\n" \
    "cpus: [{type: cortex-a7-arm-cpu, props: {memory: \"@soc-mem\"}}]\n" \
    "memory:\n" \
    "  - {name: sram, kind: ram, size: 64K,\n" \
    "     map: {container: \"@soc-mem\", addr: 0x1000}}\n" \
    "  - {name: soc-mem, kind: container, size: 1M,\n" \
    "     map: {addr: 0x40000000}}\n" \
    "devices:\n" \
    "  - {name: m4, type: armv7m, clocks: {cpuclk: clk},\n" \
    "     props: {num-irq: 32, cpu-type: cortex-m4-arm-cpu,\n" \
    "             memory: \"@system-memory\"}}\n"

static void test_soc_memory(void)
{
    g_autofree char *path = composed_write_desc(SOC_MEMORY_BOARD("2"));
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");
    g_autofree char *link = qom_get_str(qts, "/machine/cpu0", "memory");
    QDict *rsp;

    g_assert_nonnull(strstr(mtree, "0000000040001000-0000000040010fff "
                            "(prio 0, ram): sram"));
    g_assert_nonnull(link);
    g_assert_nonnull(strstr(link, "soc-mem"));
    rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    g_assert_cmpint(qlist_size(qdict_get_qlist(rsp, "return")), ==, 2);
    qobject_unref(rsp);
    qtest_quit(qts);
    unlink(path);

    assert_refused(SOC_MEMORY_BOARD("0"), "", 0, 0,
                   "machine.cpus is 0 but 'cpus' declares 1");
    assert_refused("version: 1\n"
                   "memory:\n"
                   "  - {name: a, kind: container, size: 1M,\n"
                   "     map: {container: b, addr: 0}}\n"
                   "  - {name: b, kind: container, size: 1M,\n"
                   "     map: {container: \"@a\", addr: 0}}\n", "", 6, 11,
                   "memory[1] 'b': container 'a' is inside 'b' itself");
}

/* The QOM path of the input an output is connected to */
static char *wired_to(QTestState *qts, const char *dev, const char *out)
{
    return qom_get_str(qts, dev, out);
}

/*
 * Outputs of CPUs (here the PMU interrupt; on the AST2700 the timers,
 * the GIC maintenance and PMU interrupts), one mapping per CPU; and
 * inputs of a device's children (an OR gate of an interrupt controller)
 */
static void test_cpu_and_child_wiring(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "cpus:\n"
        "  - type: cortex-a15-arm-cpu\n"
        "    count: 2\n"
        "    irqs:\n"
        "      - {\"pmu-interrupt[0]\": \"gate[2]\"}\n"
        "      - {\"pmu-interrupt[0]\": \"gate[3]\"}\n"
        "devices:\n"
        "  - {name: gate, type: or-irq, props: {num-lines: 4}}\n"
        "  - {name: intc, type: aspeed.intc-ast2700,\n"
        "     mmio: [{addr: 0x12100000}]}\n"
        "  - name: u0\n"
        "    type: pl011\n"
        "    mmio: [{addr: 0x1c090000}]\n"
        "    irqs: {\"sysbus-irq[0]\": \"intc/intc-orgates[1][3]\"}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *c0 = wired_to(qts, "/machine/cpu0", "pmu-interrupt[0]");
    g_autofree char *c1 = wired_to(qts, "/machine/cpu1", "pmu-interrupt[0]");
    g_autofree char *u0 = wired_to(qts, "/machine/u0", "sysbus-irq[0]");

    g_assert_cmpstr(c0, ==, "/machine/gate/unnamed-gpio-in[2]");
    g_assert_cmpstr(c1, ==, "/machine/gate/unnamed-gpio-in[3]");
    g_assert_cmpstr(u0, ==,
                    "/machine/intc/intc-orgates[1]/unnamed-gpio-in[3]");
    qtest_quit(qts);
    unlink(path);

    assert_refused("version: 1\n"
                   "devices:\n"
                   "  - {name: intc, type: aspeed.intc-ast2700}\n"
                   "  - {name: u0, type: pl011,\n"
                   "     irqs: {\"sysbus-irq[0]\": \"intc/nothing[0][3]\"}}\n",
                   "", 5, 30, "devices[1] 'u0': irqs: aspeed.intc-ast2700 "
                   "has no child device 'nothing[0]'");
    assert_refused("version: 1\n"
                   "cpus:\n"
                   "  - type: cortex-a15-arm-cpu\n"
                   "    irqs: [{}, {}]\n"
                   "devices:\n"
                   "  - {name: gate, type: or-irq, props: {num-lines: 4}}\n",
                   "", 4, 16, "cpus[0] 'cpu': irqs has more entries than "
                   "CPUs");
}

/*
 * The AST2700's DRAM window beyond the RAM (aspeed.dram-capacity): a
 * write there lands in the RAM at its address modulo the RAM size, a
 * read returns 0.  The RAM sits at 0 in its window, as in the SoC: the
 * device writes through an address space of the RAM region as mapped.
 */
static void test_dram_capacity(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "machine: {ram-size: 1M, ram-map: {container: window, addr: 0}}\n"
        "cpus: [{type: cortex-a15-arm-cpu}]\n"
        "memory:\n"
        "  - {name: window, kind: container, size: 1M,\n"
        "     map: {addr: 0x40000000}}\n"
        "  - {name: beyond, kind: alias, alias: \"dc/ram-empty[0]\",\n"
        "     map: {addr: 0x40100000}}\n"
        "devices:\n"
        "  - name: dc\n"
        "    type: aspeed.dram-capacity\n"
        "    props: {dram: \"@machine.ram\", ram-size: 0x100000,\n"
        "            max-ram-size: 0x400000}\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree, "0000000040100000-00000000403fffff "
                            "(prio 0, i/o): ram-empty"));
    g_assert_nonnull(strstr(mtree, "AS \"dram\", root: ram"));
    qtest_writel(qts, 0x40000010, 0x11111111);
    qtest_writel(qts, 0x40300010, 0xcafef00d);
    g_assert_cmphex(qtest_readl(qts, 0x40000010), ==, 0xcafef00d);
    g_assert_cmphex(qtest_readl(qts, 0x40300010), ==, 0);
    qtest_quit(qts);
    unlink(path);
}

/*
 * The ASPEED SD controller on its own: it owns its slots, which can be
 * configured before it is realized (patch 0050; it crashed without)
 */
static void test_sdhci_slots(void)
{
    g_autofree char *path = composed_write_desc(
        "version: 1\n"
        "cpus: [{type: cortex-a7-arm-cpu}]\n"
        "devices:\n"
        "  - name: sdc\n"
        "    type: aspeed.sdhci-ast2600\n"
        "    props: {num-slots: 2}\n"
        "    child-props: {\"sdhci[1]\": {wp-inverted: true}}\n"
        "    mmio: [{addr: 0x1e740000}]\n"
        "  - name: emmc\n"
        "    type: aspeed.sdhci-ast2600\n"
        "    props: {num-slots: 1}\n"
        "    mmio: [{addr: 0x1e750000}]\n");
    QTestState *qts = qtest_initf("-M composed,desc=%s", path);

    g_assert_true(qtest_qom_get_bool(qts, "/machine/sdc/sdhci[1]",
                                     "wp-inverted"));
    g_assert_true(qtest_qom_get_bool(qts, "/machine/sdc/sdhci[1]",
                                     "realized"));
    g_assert_false(qom_exists(qts, "/machine/emmc/sdhci[1]"));
    /* both slots present (info register), slot 1's capabilities */
    g_assert_cmphex(qtest_readl(qts, 0x1e740000), ==, 0x00030000);
    g_assert_cmphex(qtest_readl(qts, 0x1e740240), ==, 0x01f80080);
    qtest_quit(qts);
    unlink(path);

    assert_refused("version: 1\n"
                   "devices:\n"
                   "  - {name: sdc, type: aspeed.sdhci-ast2600,\n"
                   "     props: {num-slots: 3}}\n", "", 3, 12,
                   "devices[0] 'sdc': num-slots must be at most 2");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("composed/parts/group", test_group);
    qtest_add_func("composed/parts/group-errors", test_group_errors);
    qtest_add_func("composed/parts/child-irq", test_child_irq);
    qtest_add_func("composed/parts/per-cpu", test_per_cpu);
    qtest_add_func("composed/parts/device-alias", test_device_alias);
    qtest_add_func("composed/parts/ram-size-condition",
                   test_ram_size_condition);
    qtest_add_func("composed/parts/shared-irq", test_shared_irq);
    qtest_add_func("composed/parts/soc-memory", test_soc_memory);
    qtest_add_func("composed/parts/cpu-and-child-wiring",
                   test_cpu_and_child_wiring);
    qtest_add_func("composed/parts/dram-capacity", test_dram_capacity);
    qtest_add_func("composed/parts/sdhci-slots", test_sdhci_slots);

    return g_test_run();
}
