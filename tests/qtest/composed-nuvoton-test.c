/*
 * QTest: the composer features the Nuvoton NPCM boards need: GPIOs of
 * an SoC's parts, -drive bus/unit references.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "libqtest.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

static char *image_dir;

static char *qom_get_str(QTestState *qts, const char *path, const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                           "{'path': %s, 'property': %s}}", path, prop);
    char *s = g_strdup(qdict_get_try_str(rsp, "return"));

    qobject_unref(rsp);
    return s ? s : g_strdup("?");
}

/* --- the composer features these boards use --- */

static char *write_desc(const char *name, const char *text)
{
    char *path = g_build_filename(image_dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* QEMU's exit status (-1 if killed), and its stderr in *@err */
static int run_qemu(const char *args, char **err)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = g_strdup_printf("%s -display none -accel qtest %s",
                                           binary, args);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &error));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err, &status, &error));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void assert_has(const char *err, const char *want)
{
    if (!strstr(err, want)) {
        g_test_message("expected: %s", want);
        g_test_message("stderr: %s", err);
        g_assert_not_reached();
    }
}

#define NPCM730_BOARD \
    "version: 1\n" \
    "machine: {ram-size: 128M, ram-map: {addr: 0}, cpus: 2}\n" \
    "devices:\n" \
    "  - name: soc\n" \
    "    type: npcm730\n" \
    "    props: {dram-mr: \"@machine.ram\"}\n"

/* A child path that is not there is reported where it is written */
static void test_child_gpio_errors(void)
{
    g_autofree char *desc = write_desc("gpio-errors.yaml", NPCM730_BOARD
        "    irqs: {\"fiu9.cs[0]\": \"fan[0]\"}\n"
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 2}\n"
        "    irqs: {\"[0]\": \"soc/mft[9].duty[0]\",\n"
        "           \"[1]\": \"soc//duty[1]\"}\n");
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s", desc);
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(run_qemu(args, &err), ==, 1);
    want = g_strdup_printf("%s:7:26: soc: irqs: npcm730 has no child device "
                           "'fiu9'\n", desc);
    assert_has(err, want);
    g_free(want);
    want = g_strdup_printf("%s:11:19: fan: irqs: npcm730 has no child device "
                           "'mft[9]'\n", desc);
    assert_has(err, want);
    g_free(want);
    want = g_strdup_printf("%s:12:19: devices[1] 'fan': irqs: invalid input "
                           "'soc//duty[1]'", desc);
    assert_has(err, want);
}

/* A GPIO name a part lacks shows up once the part is realized */
static void test_child_gpio_name(void)
{
    g_autofree char *desc = write_desc("gpio-name.yaml", NPCM730_BOARD
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 1}\n"
        "    irqs: {\"[0]\": \"soc/mft[0].speed[0]\"}\n");
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s -S", desc);
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(run_qemu(args, &err), ==, 1);
    want = g_strdup_printf("%s:10:19: fan: irqs: npcm7xx-mft has no input "
                           "'soc/mft[0].speed[0]' (no GPIO input of that "
                           "name)\n", desc);
    assert_has(err, want);
}

/*
 * Outputs of an SoC's part drive board devices and a board device drives
 * inputs of a part: the PWM duty cycle reaches the fan tachometer.
 */
static void test_child_gpio_wiring(void)
{
    g_autofree char *desc = write_desc("gpio-wiring.yaml", NPCM730_BOARD
        "    irqs: {\"pwm[1].duty-gpio-out[2]\": \"fan[0]\"}\n"
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 2}\n"
        "    irqs: {\"[0..1]\": \"soc/mft[6].duty[2..3]\"}\n");
    g_autofree char *m = g_strdup_printf("composed,desc=%s", desc);
    QTestState *qts = qtest_initf("-M %s", m);
    g_autofree char *pwm = qom_get_str(qts, "/machine/soc/pwm[1]",
                                       "duty-gpio-out[2]");
    g_autofree char *out0 = qom_get_str(qts, "/machine/fan",
                                        "unnamed-gpio-out[0]");
    g_autofree char *out1 = qom_get_str(qts, "/machine/fan",
                                        "unnamed-gpio-out[1]");

    g_assert_cmpstr(pwm, ==, "/machine/fan/unnamed-gpio-in[0]");
    g_assert_cmpstr(out0, ==, "/machine/soc/mft[6]/duty[2]");
    g_assert_cmpstr(out1, ==, "/machine/soc/mft[6]/duty[3]");
    qtest_quit(qts);
}

/* -drive if=mtd,bus=3,unit=0 is @drive.mtd.3.0, a bad one is reported */
static void test_drive_bus_unit(void)
{
    g_autofree char *desc = write_desc("drive.yaml", NPCM730_BOARD
        "  - name: flash\n"
        "    type: mx66u51235f\n"
        "    bus: soc/fiu3\n"
        "    props: {drive: \"@drive.mtd.3.x\"}\n");
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s", desc);
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(run_qemu(args, &err), ==, 1);
    want = g_strdup_printf("%s:10:20: devices[1] 'flash': '@drive.mtd.3.x': "
                           "expected @drive.IF.INDEX or @drive.IF.BUS.UNIT "
                           "(e.g. @drive.mtd.0)\n", desc);
    assert_has(err, want);
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    image_dir = g_dir_make_tmp("composed-nuvoton-XXXXXX", &err);
    g_assert_no_error(err);

    if (g_str_equal(qtest_get_arch(), "arm") &&
        qtest_has_machine("npcm750-evb")) {
        qtest_add_func("composed/npcm/child-gpio/errors",
                       test_child_gpio_errors);
        qtest_add_func("composed/npcm/child-gpio/name", test_child_gpio_name);
        qtest_add_func("composed/npcm/child-gpio/wiring",
                       test_child_gpio_wiring);
        qtest_add_func("composed/npcm/drive-bus-unit", test_drive_bus_unit);
    }
    ret = g_test_run();
    /* the files and the directory */
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", image_dir);
    g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL);
    g_free(image_dir);
    return ret;
}
