/*
 * QTest: the composer features the Nuvoton NPCM boards use
 *
 * GPIOs of an SoC's parts ("pwm[0].duty-gpio-out[0]", "soc/mft[0].duty[1]"),
 * -drive bus/unit references, and the boot: the NPCM7xx strategies
 * (secondary npcm7xx-scrpad, board-setup npcm7xx-clocks) and the boot
 * ROM (boot.firmware, -bios), on descriptions of an NPCM730 written here.
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

static char *test_file(const char *name, const void *data, size_t len,
                       size_t size)
{
    char *path = g_build_filename(image_dir, name, NULL);
    g_autofree char *buf = g_malloc0(MAX(size, len));

    memcpy(buf, data, len);
    g_assert_true(g_file_set_contents(path, buf, MAX(size, len), NULL));
    return path;
}

static char *qom_get_str(QTestState *qts, const char *path, const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                           "{'path': %s, 'property': %s}}", path, prop);
    char *s = g_strdup(qdict_get_try_str(rsp, "return"));

    qobject_unref(rsp);
    return s ? s : g_strdup("?");
}

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

/* --- programs on the console --- */

/* What QEMU wrote to @out once it has @want, or after about 30 s */
static char *wait_output(const char *out, const char *want)
{
    char *text = NULL;
    int i;

    for (i = 0; i < 600; i++) {
        g_free(text);
        text = NULL;
        g_file_get_contents(out, &text, NULL, NULL);
        if (text && g_str_has_prefix(text, want)) {
            break;
        }
        g_usleep(50 * 1000);
    }
    return text;
}

static char *write_program(const uint32_t *code, size_t n, const char *text)
{
    g_autoptr(GByteArray) image = g_byte_array_new();
    char *path = g_build_filename(image_dir, "program.bin", NULL);
    size_t i;

    for (i = 0; i < n; i++) {
        uint32_t le = cpu_to_le32(code[i]);

        g_byte_array_append(image, (guint8 *)&le, 4);
    }
    if (text) {
        g_byte_array_append(image, (const guint8 *)text, strlen(text) + 1);
    }
    g_assert_true(g_file_set_contents(path, (char *)image->data, image->len,
                                      NULL));
    return path;
}

/*
 * Run @kernel on @machine until the console shows @want; the console
 * text, and in *@clksel the NPCM7xx CLKSEL register (if not NULL).
 */
static char *run_program(const char *machine, const char *kernel,
                         const char *want, uint32_t *clksel)
{
    g_autofree char *out = g_build_filename(image_dir, "serial.txt", NULL);
    QTestState *qts;
    char *text;

    unlink(out);
    qts = qtest_initf("-M %s -kernel %s -accel tcg -serial file:%s", machine,
                      kernel, out);
    text = wait_output(out, want);
    if (clksel) {
        *clksel = qtest_readl(qts, 0xf0801004);
    }
    qtest_quit(qts);
    unlink(out);
    return text;
}

/*
 * Both Cortex-A9s of the NPCM7xx print on UART0.  The second starts in
 * the boot stub (secondary npcm7xx-scrpad), which waits until the entry
 * point appears in the GCR scratch pad:
 *
 *      ldr   r0, uart          @ UART0
 *      mov   r2, #'A'
 *      str   r2, [r0]
 *      adr   r1, secondary
 *      ldr   r3, scrpad
 *      adr   r4, flag
 *   1: str   r1, [r3]          @ again: the stub clears it when it starts
 *      dsb
 *      sev
 *      ldr   r5, [r4]
 *      cmp   r5, #0
 *      beq   1b
 *      mov   r2, #'C'
 *      str   r2, [r0]
 *      mov   r2, #'\n'
 *      str   r2, [r0]
 *   2: b     2b
 *   secondary:
 *      ldr   r0, uart
 *      mov   r2, #'B'
 *      str   r2, [r0]
 *      adr   r4, flag
 *      mov   r5, #1
 *      str   r5, [r4]
 *      dsb
 *   3: b     3b
 *   uart: .word 0xf0001000; scrpad: .word 0xf080013c; flag: .word 0
 */
static const uint32_t npcm7xx_smp_code[] = {
    0xe59f005c, 0xe3a02041, 0xe5802000, 0xe28f1030, 0xe59f3050,
    0xe28f4050, 0xe5831000, 0xf57ff04f, 0xe320f004, 0xe5945000,
    0xe3550000, 0x0afffff9, 0xe3a02043, 0xe5802000, 0xe3a0200a,
    0xe5802000, 0xeafffffe, 0xe59f0018, 0xe3a02042, 0xe5802000,
    0xe28f4014, 0xe3a05001, 0xe5845000, 0xf57ff04f, 0xeafffffe,
    0xf0001000, 0xf080013c, 0x00000000,
};

/* CLKSEL as the board setup (npcm7xx-clocks) leaves it: CPU from PLL1 */
#define NPCM7XX_CLKSEL_BOOTED 0x004aaba9

/* The first words of the boot ROM as the CPU sees them */
static void rom_words(const char *machine, const char *args, uint64_t addr,
                      uint32_t *w, size_t n)
{
    QTestState *qts = qtest_initf("-M %s %s", machine, args);
    size_t i;

    for (i = 0; i < n; i++) {
        w[i] = qtest_readl(qts, addr + 4 * i);
    }
    qtest_quit(qts);
}

/* --- GPIOs of parts, drives --- */

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

/* --- boot strategies and the boot ROM --- */

/* NPCM730_BOARD booting as QEMU's NPCM7xx boards do */
#define NPCM730_BOOT \
    "boot:\n" \
    "  kind: arm\n" \
    "  board-setup: npcm7xx-clocks\n" \
    "  board-setup-addr: 0xffff1000\n" \
    "  secondary: npcm7xx-scrpad\n" \
    "  smp-loader-start: 0xffff0000\n" \
    "  smp-bootreg-addr: 0xf080013c\n"

/* Both CPUs start; the clocks are set up before the kernel runs */
static void test_boot_smp(void)
{
    g_autofree char *desc = write_desc("boot-smp.yaml",
                                       NPCM730_BOARD NPCM730_BOOT);
    g_autofree char *machine = g_strdup_printf("composed,desc=%s", desc);
    g_autofree char *kernel = write_program(npcm7xx_smp_code,
                                            ARRAY_SIZE(npcm7xx_smp_code),
                                            NULL);
    g_autofree char *text = NULL;
    uint32_t clksel;

    text = run_program(machine, kernel, "ABC\n", &clksel);
    g_assert_cmpstr(text, ==, "ABC\n");
    g_assert_cmphex(clksel, ==, NPCM7XX_CLKSEL_BOOTED);
}

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
        g_autofree char *desc = write_desc("boot-errors.yaml", text);
        g_autofree char *args = g_strdup_printf("-M composed,desc=%s -S",
                                                desc);
        g_autofree char *err = NULL;
        g_autofree char *want = g_strdup_printf("%s:7:7: %s\n", desc,
                                                cases[i].msg);

        g_assert_cmpint(run_qemu(args, &err), ==, 1);
        assert_has(err, want);
    }
}

#define NPCM730_FIRMWARE(region) \
    "boot:\n" \
    "  kind: arm\n" \
    "  firmware: {file: npcm7xx_bootrom.bin, region: \"" region "\"}\n"

/*
 * boot.firmware: QEMU's boot ROM (its reset vector: ldr pc, [pc, #24]),
 * or the -bios image, in the internal ROM or in the RAM
 */
static void test_boot_firmware(void)
{
    static const uint32_t rom[] = { 0x0badf00d, 0xcafe0001, 0x12345678 };
    g_autofree char *bios = test_file("rom.bin", rom, sizeof(rom), 4 * KiB);
    g_autofree char *args = g_strdup_printf("-bios %s", bios);
    g_autofree char *irom = write_desc("fw-irom.yaml", NPCM730_BOARD
        NPCM730_FIRMWARE("/machine/soc/irom[0]"));
    g_autofree char *ram = write_desc("fw-ram.yaml", NPCM730_BOARD
        NPCM730_FIRMWARE("@machine.ram"));
    g_autofree char *m_irom = g_strdup_printf("composed,desc=%s", irom);
    g_autofree char *m_ram = g_strdup_printf("composed,desc=%s", ram);
    uint32_t w[3];

    rom_words(m_irom, "", 0xffff0000, w, 1);
    g_assert_cmphex(w[0], ==, 0xe59ff018);
    rom_words(m_irom, args, 0xffff0000, w, 3);
    g_assert_cmpmem(w, sizeof(w), rom, sizeof(rom));
    rom_words(m_ram, args, 0, w, 3);
    g_assert_cmpmem(w, sizeof(w), rom, sizeof(rom));
}

/*
 * No boot ROM: QEMU refuses to start, unless -kernel is given, as the
 * built-in NPCM boards do
 */
static void assert_bios_missing(const char *machine)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *kernel = test_file("k.img", NULL, 0, 4 * KiB);
    g_autofree char *args = g_strdup_printf("-M %s -bios no-such-rom.bin",
                                            machine);
    g_autofree char *cmd = g_strdup_printf("%s -display none -accel qtest %s "
                                           "-kernel %s -S -qmp null",
                                           binary, args, kernel);
    g_autofree char *err = NULL;
    g_auto(GStrv) argv = NULL;
    GPid pid;
    int status;

    g_assert_cmpint(run_qemu(args, &err), ==, 1);
    assert_has(err, "ROM image 'no-such-rom.bin'");
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
}

static void test_boot_firmware_missing(void)
{
    g_autofree char *desc = write_desc("fw-missing.yaml", NPCM730_BOARD
        NPCM730_BOOT
        "  firmware: {file: npcm7xx_bootrom.bin, region: \"@machine.ram\"}\n");
    g_autofree char *machine = g_strdup_printf("composed,desc=%s", desc);

    assert_bios_missing(machine);
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    image_dir = g_dir_make_tmp("composed-nuvoton-XXXXXX", &err);
    g_assert_no_error(err);

    if (g_str_equal(arch, "arm") && qtest_has_machine("npcm750-evb")) {
        qtest_add_func("composed/npcm/child-gpio/errors",
                       test_child_gpio_errors);
        qtest_add_func("composed/npcm/child-gpio/name", test_child_gpio_name);
        qtest_add_func("composed/npcm/child-gpio/wiring",
                       test_child_gpio_wiring);
        qtest_add_func("composed/npcm/drive-bus-unit", test_drive_bus_unit);
        qtest_add_func("composed/npcm/boot/smp", test_boot_smp);
        qtest_add_func("composed/npcm/boot/errors", test_boot_errors);
        qtest_add_func("composed/npcm/boot/firmware", test_boot_firmware);
        qtest_add_func("composed/npcm/boot/firmware-missing",
                       test_boot_firmware_missing);
    }
    ret = g_test_run();
    /* the files and the directory */
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", image_dir);
    g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL);
    g_free(image_dir);
    return ret;
}
