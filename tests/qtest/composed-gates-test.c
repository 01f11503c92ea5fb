/*
 * QTest of the composed machine's gates and device parents: CPUs that
 * wait for a line, an M-profile CPU in its own address space running
 * from ROM, a device in a cluster declared after it
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "composed-util.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

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
    g_autofree char *rom = composed_write_program(gate_code,
                                                  ARRAY_SIZE(gate_code),
                                                  "boot\n\0\0\0app\n\0",
                                                  14);
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
    text = composed_wait_serial(out, until, polls);
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

    r->rom = composed_write_program(m4_code, ARRAY_SIZE(m4_code), "m4\n", 4);
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
    g_autofree char *text = composed_wait_serial(r->out, want, polls);

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("composed/cpu-gate", test_cpu_gate);
    qtest_add_func("composed/mprofile-rom", test_mprofile_rom);
    qtest_add_func("composed/device-gate", test_device_gate);
    qtest_add_func("composed/device-parent", test_device_parent);

    return g_test_run();
}
