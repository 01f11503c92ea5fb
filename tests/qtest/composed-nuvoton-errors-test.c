/*
 * QTest: what the composer reports on the Nuvoton NPCM7xx/NPCM8xx
 * descriptions it refuses, and how the boards fail next to QEMU's
 * built-in ones
 *
 * Part GPIOs that are not there or malformed, a bad -drive bus/unit
 * reference, npcm-soc-init without its links or in the wrong place, boot
 * strategies missing what they need, each reported where the description
 * says it; no boot ROM, and more DRAM than the SoC addresses, on the
 * descriptions in machines/ and on QEMU's boards.  The boards that work
 * are in composed-nuvoton-test.c.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "composed-util.h"
#include "composed-nuvoton.h"

/*
 * QEMU refuses the description @yaml with each of @diags,
 * "LINE:COL: message", on stderr after the file's name
 */
static void assert_rejected(const char *yaml, const char *const *diags)
{
    g_autofree char *desc = NULL;
    g_autofree char *err = composed_rejected_with(yaml, "-S", true, &desc);

    for (; *diags; diags++) {
        g_autofree char *want = g_strdup_printf("%s:%s\n", desc, *diags);

        composed_assert_contains(err, want);
    }
    unlink(desc);
}

/* --- GPIOs of parts, drives, npcm-soc-init --- */

/*
 * A child path that is not there is reported where it is written, once
 * the devices exist; a malformed path before anything is created
 */
static void test_child_gpio_errors(void)
{
    static const char *const missing[] = {
        "7:26: devices[0] 'soc': irqs: npcm730 has no child device 'fiu9'",
        "11:19: devices[1] 'fan': irqs: npcm730 has no child device "
        "'mft[9]'",
        NULL
    };
    static const char *const malformed[] = {
        "11:19: devices[1] 'fan': irqs: invalid input 'soc//duty[1]' "
        "(expected DEVICE[/PART][.NAME][INDEX], e.g. gic[32] or "
        "soc/intc/intc-orgates[1][3])",
        NULL
    };

    assert_rejected(NPCM730_BOARD
        "    irqs: {\"fiu9.cs[0]\": \"fan[0]\"}\n"
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 2}\n"
        "    irqs: {\"[0]\": \"soc/mft[9].duty[0]\"}\n", missing);
    assert_rejected(NPCM730_BOARD
        "    irqs: {\"pwm[0].duty-gpio-out[0]\": \"fan[0]\"}\n"
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 2}\n"
        "    irqs: {\"[1]\": \"soc//duty[1]\"}\n", malformed);
}

/*
 * npcm-soc-init needs its links, and must come before the GCR, which
 * finds the DRAM through the link it adds
 */
static void test_soc_init_errors(void)
{
    static const char *const links[] = {
        "4:12: devices[0] 'init': needs the links 'gcr', 'dram-mr' and "
        "'fuse-array'",
        NULL
    };
    static const char *const order[] = {
        "4:12: devices[0] 'gcr': npcm_gcr_realize: required dram-mr link "
        "not found: Property 'npcm7xx-gcr.dram-mr' not found",
        NULL
    };

    assert_rejected("version: 1\n"
        "machine: {ram-size: 128M, ram-map: {addr: 0}}\n"
        "devices:\n"
        "  - {name: init, type: npcm-soc-init}\n", links);
    assert_rejected("version: 1\n"
        "machine: {ram-size: 128M, ram-map: {addr: 0}}\n"
        "devices:\n"
        "  - {name: gcr, type: npcm7xx-gcr, props: {disabled-modules: 0}}\n"
        "  - {name: otp, type: npcm7xx-fuse-array}\n"
        "  - name: init\n"
        "    type: npcm-soc-init\n"
        "    props: {gcr: \"@gcr\", dram-mr: \"@machine.ram\",\n"
        "            fuse-array: \"@otp\"}\n", order);
}

/* A GPIO name a part lacks shows up once the part is realized */
static void test_child_gpio_name(void)
{
    static const char *const diags[] = {
        "10:19: devices[1] 'fan': irqs: npcm7xx-mft has no input "
        "'soc/mft[0].speed[0]' (no GPIO input of that name)",
        NULL
    };

    assert_rejected(NPCM730_BOARD
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 1}\n"
        "    irqs: {\"[0]\": \"soc/mft[0].speed[0]\"}\n", diags);
}

/* -drive if=mtd,bus=3,unit=0 is @drive.mtd.3.0, a bad one is reported */
static void test_drive_bus_unit(void)
{
    static const char *const diags[] = {
        "10:20: devices[1] 'flash': '@drive.mtd.3.x': expected "
        "@drive.IF.INDEX or @drive.IF.BUS.UNIT (e.g. @drive.mtd.0)",
        NULL
    };

    assert_rejected(NPCM730_BOARD
        "  - name: flash\n"
        "    type: mx66u51235f\n"
        "    bus: soc/fiu3\n"
        "    props: {drive: \"@drive.mtd.3.x\"}\n", diags);
}

/* --- boot strategies, the boot ROM, the DRAM --- */

/* What the strategies need and a region that is not there */
static void test_boot_errors(void)
{
    static const struct {
        const char *boot;
        const char *msg;
    } cases[] = {
        { "boot: {kind: arm, board-setup: npcm7xx-clocks}\n",
          "boot: board-setup 'npcm7xx-clocks' needs board-setup-addr" },
        { "boot: {kind: arm, secondary: npcm7xx-scrpad,\n"
          "       smp-loader-start: 0xffff0000}\n",
          "boot: secondary 'npcm7xx-scrpad' needs smp-loader-start and "
          "smp-bootreg-addr" },
        { "boot: {kind: arm, firmware: {file: npcm7xx_bootrom.bin,\n"
          "                             region: /machine/soc/rom}}\n",
          "boot: firmware: no memory region '/machine/soc/rom' (expected "
          "@machine.ram or the QOM path of a region)" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *text = g_strconcat(NPCM730_BOARD, cases[i].boot,
                                            NULL);
        /* located at the boot's kind, "boot: {kind: arm" */
        g_autofree char *diag = g_strdup_printf("7:14: %s", cases[i].msg);
        const char *const diags[] = { diag, NULL };

        assert_rejected(text, diags);
    }
}

/*
 * No boot ROM: QEMU refuses to start, unless -kernel is given, as the
 * built-in NPCM boards do
 */
static void assert_bios_missing(const char *machine)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *zeros = g_malloc0(4 * KiB);
    g_autofree char *kernel = composed_write_program(NULL, 0, zeros, 4 * KiB);
    g_autofree char *args = g_strdup_printf("-M %s -bios no-such-rom.bin",
                                            machine);
    g_autofree char *cmd = g_strdup_printf("%s -display none -accel qtest %s "
                                           "-kernel %s -S -qmp null",
                                           binary, args, kernel);
    g_autofree char *err = NULL;
    g_auto(GStrv) argv = NULL;
    GPid pid;
    int status;

    g_assert_cmpint(composed_run_qemu_defaults(args, true, &err), ==, 1);
    composed_assert_contains(err, "ROM image 'no-such-rom.bin'");
    /* with -kernel it starts: it runs until killed */
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_async(NULL, argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, NULL));
    g_usleep(1500 * 1000);
    g_assert_cmpint(waitpid(pid, &status, WNOHANG), ==, 0);
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    unlink(kernel);
}

static void test_boot_firmware_missing(void)
{
    g_autofree char *desc = composed_write_desc(NPCM730_BOARD
        NPCM730_BOOT
        "  firmware: {file: npcm7xx_bootrom.bin, region: \"@machine.ram\"}\n");
    g_autofree char *machine = g_strdup_printf("composed,desc=%s", desc);

    assert_bios_missing(machine);
    unlink(desc);
}

/*
 * More DRAM than the SoC addresses: the built-in board fails in the SoC's
 * realize, the description before anything is built, at its limit
 */
static void test_ram_too_big(void)
{
    const char *board = g_str_equal(qtest_get_arch(), "arm") ?
                        "npcm750-evb" : "npcm845-evb";
    g_autofree char *soc = g_strdup_printf("npcm/npcm%cxx-soc.yaml:",
                                           board[4]);
    g_autofree char *desc = composed_machine_path(board);
    g_autofree char *builtin = g_strdup_printf("-M %s -m 4G", board);
    g_autofree char *composed = g_strdup_printf("-M composed,desc=%s.yaml "
                                                "-m 4G", desc);
    g_autofree char *err_a = NULL;
    g_autofree char *err_b = NULL;

    g_assert_cmpint(composed_run_qemu_defaults(builtin, true, &err_a), ==, 1);
    composed_assert_contains(err_a,
                             "cannot address more than 2048 MiB of DRAM");
    g_assert_cmpint(composed_run_qemu_defaults(composed, true, &err_b), ==,
                    1);
    composed_assert_contains(err_b, soc);
    composed_assert_contains(err_b, ": RAM size 4 GiB (-m or "
                             "machine.ram-size): the board takes at most "
                             "2 GiB");
}

/* No boot ROM: the built-in board and the description refuse to start */
static void test_bios_missing(void)
{
    const char *board = g_str_equal(qtest_get_arch(), "arm") ?
                        "npcm750-evb" : "npcm845-evb";
    g_autofree char *desc = composed_machine_path(board);
    g_autofree char *composed = g_strdup_printf("composed,desc=%s.yaml", desc);

    assert_bios_missing(board);
    assert_bios_missing(composed);
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();

    g_test_init(&argc, &argv, NULL);
    if (g_str_equal(arch, "arm") && qtest_has_machine("npcm750-evb")) {
        qtest_add_func("composed/npcm/child-gpio/errors",
                       test_child_gpio_errors);
        qtest_add_func("composed/npcm/child-gpio/name", test_child_gpio_name);
        qtest_add_func("composed/npcm/soc-init/errors", test_soc_init_errors);
        qtest_add_func("composed/npcm/drive-bus-unit", test_drive_bus_unit);
        qtest_add_func("composed/npcm/boot/errors", test_boot_errors);
        qtest_add_func("composed/npcm/boot/firmware-missing",
                       test_boot_firmware_missing);
    }
    if (qtest_has_machine(g_str_equal(arch, "arm") ? "npcm750-evb" :
                          "npcm845-evb")) {
        qtest_add_func("composed/npcm/bios-missing", test_bios_missing);
        qtest_add_func("composed/npcm/ram-too-big", test_ram_too_big);
    }
    return g_test_run();
}
