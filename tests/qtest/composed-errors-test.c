/*
 * QTest of the composed machine's diagnostics: a bad description is
 * refused, every problem reported at its place, nothing built
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "composed-util.h"

/*
 * EEPROMs with contents are built by QEMU's helpers, which take the
 * address as a number: a value that is not one is reported, not passed
 * on (a list used to reach an assertion)
 */
static void test_eeprom_address(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
        "version: 1\n"
        "machine: {ram-size: 16M}\n"
        "devices:\n"
        "  - {name: i2c, type: aspeed.i2c-ast2600, "
        "props: {dram: \"@machine.ram\"}}\n"
        "  - {name: e1, type: smbus-eeprom, bus: \"i2c/bus[0]\", props: "
        "{address: [1]}}\n"
        "  - {name: e2, type: at24c-eeprom, bus: \"i2c/bus[0]\", props: "
        "{address: 0x80, rom-size: 256}, contents: {bytes: [1]}}\n", &path);

    composed_assert_diag(err, path, 5, 72, "devices[1] 'e1': 'address' must "
                         "be a 7-bit I2C address");
    composed_assert_diag(err, path, 6, 72, "devices[2] 'e2': 'address' must "
                         "be a 7-bit I2C address");
}

static void test_cpu_gate_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
        "version: 1\n"
        "cpus:\n"
        "  - {name: a, type: cortex-a15-arm-cpu, gate: \"nodev[0]\"}\n"
        "  - {name: b, type: cortex-a15-arm-cpu, gate: \"gpio[0..1]\"}\n"
        "  - {name: c, type: cortex-a15-arm-cpu, gate: \"gpio[2]\"}\n"
        "devices:\n"
        "  - name: gpio\n"
        "    type: pl061\n"
        "    irqs: {\"[2]\": \"c0[0]\"}\n", &path);

    composed_assert_diag(err, path, 3, 47, "cpus[0] 'a': no device named "
                         "'nodev'");
    composed_assert_diag(err, path, 4, 47, "cpus[1] 'b': invalid gate "
                         "'gpio[0..1]' (expected one device output, "
                         "DEVICE[/PART][.NAME][INDEX])");
    g_assert_nonnull(strstr(err, "cpus[2] 'c': gate output 'gpio[2]' is "
                            "also connected at"));
    unlink(path);
}

static void test_device_gate_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: gpio, type: pl061}\n"
        "  - {name: a, type: pl061, gate: \"nodev[0]\"}\n"
        "  - {name: b, type: pl061, gate: \"gpio[0..1]\"}\n", &path);
    g_autofree char *path2 = NULL;
    g_autofree char *err2 = composed_rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: gpio, type: pl061}\n"
        "  - {name: a, type: pl061, gate: \"gpio[0]\"}\n", &path2);

    composed_assert_diag(err, path, 4, 34, "devices[1] 'a': no device named "
                         "'nodev'");
    composed_assert_diag(err, path, 5, 34, "devices[2] 'b': invalid gate "
                         "'gpio[0..1]' (expected one device output, "
                         "DEVICE[/PART][.NAME][INDEX])");
    /* known once the device exists: it created no CPU */
    composed_assert_diag(err2, path2, 4, 34, "devices[1] 'a': gate: pl061 "
                         "created no CPU");
    unlink(path);
    unlink(path2);
}

static void test_device_parent_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
        "version: 1\n"
        "devices:\n"
        "  - {name: nodev/a, type: or-irq}\n", &path);
    g_autofree char *path2 = NULL;
    g_autofree char *err2 = composed_rejected(
        "version: 1\n"
        "clocks: [{name: clk, hz: 1000000}]\n"
        "devices:\n"
        "  - {name: mcu, type: armv7m, clocks: {cpuclk: clk},\n"
        "     props: {cpu-type: cortex-m4-arm-cpu, "
        "memory: \"@system-memory\"}}\n"
        "  - {name: mcu/nvic, type: or-irq}\n", &path2);
    g_autofree char *path3 = NULL;
    g_autofree char *err3 = composed_rejected(
        "version: 1\n"
        "clocks: [{name: clk, hz: 1000000}]\n"
        "devices:\n"
        "  - {name: cl, type: cpu-cluster}\n"
        "  - {name: cl/mcu, type: armv7m, clocks: {cpuclk: clk},\n"
        "     props: {cpu-type: cortex-m4-arm-cpu, "
        "memory: \"@system-memory\"}}\n", &path3);

    composed_assert_diag(err, path, 3, 12, "devices[0] 'nodev/a': no device "
                         "or container named 'nodev' to hold it");
    /* only known once the parent exists: it has a child of that name */
    g_assert_nonnull(strstr(err2, "devices[1] 'mcu/nvic': attempt to add "
                            "duplicate property 'nvic'"));
    /* a cluster before its CPUs exist would trip QEMU's assertion */
    composed_assert_diag(err3, path3, 4, 12, "devices[0] 'cl': the cluster "
                         "holds no CPU yet: declare it after the devices "
                         "that create its CPUs, named cl/NAME");
    unlink(path);
    unlink(path2);
    unlink(path3);
}

/* A boot image that cannot be read is refused where it is named */
static void test_boot_image_missing(void)
{
    composed_assert_refused_at(
        "version: 1\n"
        "boot:\n"
        "  images: [{addr: 0, file: /nonexistent/fw.bin}]\n",
        3, 28, "boot: cannot read image "
        "'/nonexistent/fw.bin'");
}

/* Structure problems: all reported, each at its place; nothing starts */
static void test_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
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
    composed_assert_diag(err, path, 9, 1, "unknown key 'boots' (did you mean "
                         "'boot'?)");
    composed_assert_diag(err, path, 3, 39, "cpus[0]: Parameter 'count' "
                         "expects integer");
    composed_assert_diag(err, path, 7, 13, "devices[0] 'uart0': mmio: "
                         "unknown key 'adr' (did you mean 'addr'?)");
    composed_assert_diag(err, path, 7, 12, "devices[0] 'uart0': "
                         "'mmio.0.addr' is missing");
    composed_assert_diag(err, path, 8, 19, "devices[1] 'uart1': unknown key "
                         "'typ' (did you mean 'type'?)");
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
    err = composed_rejected(yaml->str, &path);
    composed_assert_diag(err, path, 2, 1, "the description maps 800 memory "
                         "regions; QEMU supports at most 768 here");
    unlink(path);
}

/* Semantic problems: all reported, each at its place; nothing starts */
static void test_semantic_errors(void)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(
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
    composed_assert_diag(err, path, 3, 12, "cpus[0] 'cpu': unknown CPU type "
                         "'cortex-a15-arm-cpus' (did you mean "
                         "'cortex-a15-arm-cpu'?)");
    composed_assert_diag(err, path, 11, 21, "devices[1] 'x': unknown device "
                         "type 'pl01' (did you mean 'pl011'?)");
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

        composed_assert_diag(err, path, 6, 42, m1);
        composed_assert_diag(err, path, 17, 29, m2);
        composed_assert_diag(err, path, 18, 12, m3);
    }
    composed_assert_diag(err, path, 19, 12, "name 'memory' is taken by the "
                         "machine object (its property or child)");
    composed_assert_diag(err, path, 22, 11, "devices[6] 'u2': MMIO region 0 "
                         "is mapped twice");
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
    g_autofree char *err = composed_rejected(by_name, &path);

    composed_assert_diag(err, path, 7, 34, "devices[1] 't': bus "
                         "'aspeed.i2c.bus.3' is a bus name: name a bus as "
                         "DEVICE/PATH, a bus of a device declared before "
                         "(here: 'soc/i2c/bus[3]')");
    composed_assert_all_located(err, path);
    unlink(path);
    g_clear_pointer(&path, g_free);
    g_clear_pointer(&err, g_free);

    err = composed_rejected(by_path, &path);
    composed_assert_diag(err, path, 7, 34, "devices[1] 't': bus "
                         "'/machine/soc/i2c/bus[3]' is a QOM path: name a "
                         "bus as DEVICE/PATH, a bus of a device declared "
                         "before (here: 'soc/i2c/bus[3]')");
    composed_assert_all_located(err, path);
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
    g_autofree char *err = composed_rejected(
        "version: 1\n"
        "memory:\n"
        "  - {name: c, kind: container, size: 1M, file: x}\n"
        "  - {name: r, kind: rom, size: 1M, from-driv: \"@drive.mtd.0\"}\n"
        "devices:\n"
        "  - {name: u, type: pl011, serils: [.]}\n"
        "  - {name: e, type: smbus-eeprom, contents: {byts: [1]}}\n"
        "boot: {kind: armv7m, board-id: 1, smp-mailbx: 0}\n", &path);

    g_test_message("%s", err);
    composed_assert_diag(err, path, 3, 42, "memory[0] 'c': unknown key 'file'");
    composed_assert_diag(err, path, 4, 36, "memory[1] 'r': unknown key "
                         "'from-driv' (did you mean 'from-drive'?)");
    composed_assert_diag(err, path, 6, 28, "devices[0] 'u': unknown key "
                         "'serils' (did you mean 'serials'?)");
    composed_assert_diag(err, path, 7, 46, "devices[1] 'e': contents: "
                         "unknown key 'byts' (did you mean 'bytes'?)");
    composed_assert_diag(err, path, 8, 22, "boot: unknown key 'board-id'");
    composed_assert_all_located(err, path);
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
    g_autofree char *err = composed_rejected(
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
        "    child-props: {\"sd-bus\": {x: 1}, nochild: {y: 2}}\n"
        "  - {name: uart1, type: pl011, props: {realized: true}}\n", &path);

    g_test_message("%s", err);
    composed_assert_diag(err, path, 5, 40, "cpus[0] 'cpu': "
                         "cortex-a15-arm-cpu has no property 'reset-cbarr' "
                         "(did you mean 'reset-cbar'?)");
    composed_assert_diag(err, path, 9, 13, "devices[0] 'uart0': pl011 has no "
                         "property 'chardve' (did you mean 'chardev'?)");
    composed_assert_diag(err, path, 10, 14, "devices[0] 'uart0': pl011 has "
                         "no clock input 'clock'");
    composed_assert_diag(err, path, 11, 14, "devices[0] 'uart0': serials: "
                         "'uart' is not a device of pl011 with a 'chardev' "
                         "property");
    composed_assert_diag(err, path, 14, 30, "devices[1] 'sdhci' child "
                         "'sd-bus': sdhci-bus has no property 'x'");
    composed_assert_diag(err, path, 14, 37, "devices[1] 'sdhci': "
                         "generic-sdhci has no child 'nochild'");
    /* realized before it is on its bus: a USB device crashed QEMU */
    composed_assert_diag(err, path, 15, 40, "devices[2] 'uart1': property "
                         "'realized': the machine realizes its devices "
                         "itself");
    composed_assert_all_located(err, path);
    g_assert_nonnull(strstr(err, "7 problems in the board description"));
    unlink(path);
}

/*
 * RAM mapped twice: once by the description, once by a device that got
 * it by link and mapped it itself.  QEMU asserts when a region gets a
 * second container; the description is refused where it maps it.
 */
static void test_ram_mapped_twice(void)
{
    composed_assert_refused_at(
        "version: 1\n"
        "machine:\n"
        "  ram-size: 512M\n"
        "  ram-map: {addr: 0x80000000}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {dram: \"@machine.ram\", memory: \"@system-memory\",\n"
        "            ram-size: \"@machine.ram-size\"}\n",
        4, 12, "machine.ram-map: the machine RAM "
        "is already mapped (in 'ram-container'), by a "
        "device that got it by link");
}

/* Same with a declared region */
static void test_region_mapped_twice(void)
{
    composed_assert_refused_at(
        "version: 1\n"
        "memory:\n"
        "  - {name: dram, kind: ram, size: 256M, map: {addr: 0x80000000}}\n"
        "devices:\n"
        "  - name: soc\n"
        "    type: ast2600-a3\n"
        "    props: {dram: \"@dram\", memory: \"@system-memory\",\n"
        "            ram-size: 0x10000000}\n",
        3, 46, "memory[0] 'dram': the region is "
        "already mapped (in 'ram-container'), by a device "
        "that got it by link");
}

/*
 * A region mapped into itself, or into a region it shows through an
 * alias, would make QEMU recurse without end when it renders the
 * memory map.
 */
static void test_region_cycle(void)
{
    composed_assert_refused_at(
        "version: 1\n"
        "memory:\n"
        "  - {name: top, kind: container, size: 1M, map: {addr: 0}}\n"
        "  - {name: mid, kind: container, size: 64K,\n"
        "     map: {container: top, addr: 0}}\n"
        "  - {name: loop, kind: alias, alias: top, size: 4K,\n"
        "     map: {container: mid, addr: 0x100}}\n",
        7, 11, "memory[2] 'loop': mapping it "
        "into 'mid' would make 'mid' contain itself");
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
    g_autofree char *err = composed_rejected_with(
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
    composed_assert_diag(err, path, 5, 5, "cpus[1] 'extra': this CPU group "
                         "exists only at machine init, after the CPU count "
                         "(1) was fixed: CPUs cannot depend on -drive options");
    composed_assert_all_located(err, path);
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

    err = composed_rejected_with(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu}\n", "-kernel /dev/null", false,
        &path);
    composed_assert_diag(err, path, 1, 1, "-kernel: this board description "
                         "has no boot protocol (boot.kind)");
    composed_assert_all_located(err, path);
    unlink(path);

    composed_assert_refused_at(
        "version: 1\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu}\n"
        "  - {name: app, type: cortex-a15-arm-cpu, gate: \"uart.nope[0]\"}\n"
        "devices:\n"
        "  - {name: uart, type: pl011}\n",
        4, 49, "cpus[1] 'app': gate: pl011 has "
        "no output 'uart.nope[0]'");

    composed_assert_refused_at(
        "version: 1\n"
        "machine: {cpus: 3}\n"
        "cpus:\n"
        "  - {type: cortex-a15-arm-cpu, count: 2}\n",
        2, 17, "machine.cpus is 3 but the "
        "machine has 2 CPUs");

    composed_assert_refused_at(
        "version: 1\n"
        "machine: {ram-size: 16M}\n"
        "boot: {kind: arm}\n",
        3, 7, "boot: the machine has no CPU");
}

static unsigned count_of(const char *text, const char *what)
{
    unsigned n = 0;

    for (text = strstr(text, what); text; text = strstr(text + 1, what)) {
        n++;
    }
    return n;
}

/*
 * reset-props of a device that was unplugged (device_del): each reset
 * reports, at the reset-props, that they were not set; once, not the
 * earlier resets' problems again.  The reset used to set them on the
 * freed device (QEMU crashed).
 */
static void test_reset_unplugged(void)
{
    g_autofree char *board = composed_machine_path("ast2600-mctp.yaml");
    g_autofree char *text = g_strdup_printf(
        "version: 1\n"
        "include: [%s]\n"
        "devices:\n"
        "  - override: usb-mctp\n"
        "    reset-props:\n"
        "      \".\": {temperature: 45}\n", board);
    g_autofree char *path = composed_write_desc(text);
    g_autofree char *log = NULL;
    g_autofree char *out = NULL;
    g_autofree char *at = NULL;
    QTestState *qts;
    QDict *rsp;

    close(g_file_open_tmp("composed-XXXXXX.log", &log, NULL));
    qts = qtest_initf("-M composed,desc=%s 2>%s", path, log);
    qtest_qmp_assert_success(qts, "{ 'execute': 'qom-set', 'arguments': {"
                             " 'path': '/machine/usb-mctp',"
                             " 'property': 'temperature', 'value': 30 } }");
    qtest_system_reset(qts);
    rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': {"
                    " 'path': '/machine/usb-mctp',"
                    " 'property': 'temperature' } }");
    g_assert_cmpint(qdict_get_int(rsp, "return"), ==, 45);
    qobject_unref(rsp);
    qtest_qmp_device_del(qts, "/machine/usb-mctp");
    qtest_system_reset(qts);
    qtest_system_reset(qts);
    qtest_quit(qts);

    g_assert_true(g_file_get_contents(log, &out, NULL, NULL));
    g_test_message("%s", out);
    at = g_strdup_printf("composed machine reset: %s:5:5: ", path);
    g_assert_cmpuint(count_of(out, at), ==, 2);
    g_assert_cmpuint(count_of(out, "'usb-mctp' reset-props: not set, the "
                              "device was unplugged"), ==, 2);
    g_assert_cmpuint(count_of(out, "composed machine reset"), ==, 2);
    unlink(log);
    unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("composed/eeprom-address", test_eeprom_address);
    qtest_add_func("composed/cpu-gate-errors", test_cpu_gate_errors);
    qtest_add_func("composed/device-gate-errors", test_device_gate_errors);
    qtest_add_func("composed/device-parent-errors",
                   test_device_parent_errors);
    qtest_add_func("composed/boot-image-missing", test_boot_image_missing);
    qtest_add_func("composed/errors", test_errors);
    qtest_add_func("composed/semantic-errors", test_semantic_errors);
    qtest_add_func("composed/too-many-mappings", test_too_many_mappings);
    qtest_add_func("composed/instance-errors", test_instance_errors);
    qtest_add_func("composed/schema-members", test_schema_members);
    qtest_add_func("composed/bus-style", test_bus_style);
    qtest_add_func("composed/ram-mapped-twice", test_ram_mapped_twice);
    qtest_add_func("composed/region-mapped-twice", test_region_mapped_twice);
    qtest_add_func("composed/region-cycle", test_region_cycle);
    qtest_add_func("composed/cpus-condition-change",
                   test_cpus_condition_change);
    qtest_add_func("composed/reset-unplugged", test_reset_unplugged);
    qtest_add_func("composed/build-errors-located",
                   test_build_errors_located);

    return g_test_run();
}
