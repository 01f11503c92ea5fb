/*
 * QTest: the Nuvoton NPCM7xx/NPCM8xx boards as descriptions
 *
 * First the composer features these boards use, on descriptions of an
 * NPCM730 written here (composed-nuvoton.h): GPIOs of an SoC's parts, the
 * NPCM7xx boot strategies and the boot ROM (-bios).  What the composer
 * refuses, and how the boards fail, is composed-nuvoton-errors-test.c.
 *
 * Then machines/npcm750-evb.yaml ... npcm845-evb.yaml against QEMU's
 * built-in boards (the oracle): for each board and option set, both
 * machines must show the same "info qtree", the same "info mtree -f"
 * (FlatViews sorted: QEMU prints them in hash order), the same -serial
 * binding of every UART, the same GPIO wiring of the SoC's parts (fans
 * on the PWM outputs, flash chip selects) and the same "info roms".  On
 * a difference the test prints a unified diff.  Programs loaded with
 * -kernel print the same on both consoles, with both Cortex-A9s of the
 * NPCM7xx started by the boot stub.
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
#include "qobject/qdict.h"
#include "qobject/qlist.h"

typedef struct NpcmBoard {
    const char *name;           /* built-in machine = machines/NAME.yaml */
    const char *arch;           /* "arm" or "aarch64" */
    bool fiu0_flash;            /* flash at FIU0 CS0: -drive if=mtd,index=0 */
    bool fiu3_flash;            /* at FIU3 CS0: -drive if=mtd,bus=3,unit=0 */
    bool sd;                    /* an SD card: -drive if=sd,index=0 */
    unsigned flash_mib;         /* size of its flashes */
} NpcmBoard;

static const NpcmBoard boards[] = {
    { "npcm750-evb", "arm", true, false, false, 32 },
    { "quanta-gsj", "arm", true, false, false, 32 },
    { "quanta-gbs-bmc", "arm", true, false, true, 64 },
    { "kudo-bmc", "arm", true, true, true, 64 },
    { "mori-bmc", "arm", false, true, false, 64 },
    { "npcm845-evb", "aarch64", true, false, false, 32 },
};

typedef struct EquivCase {
    const NpcmBoard *board;
    char *args;                 /* command line options for both */
} EquivCase;

static char *image_dir;

static char *composed_machine(const char *board)
{
    g_autofree char *desc = composed_machine_path(board);

    return g_strdup_printf("composed,desc=%s.yaml", desc);
}

/* A file of @size bytes in the test directory, zeros after @data */
static char *test_file(const char *name, const void *data, size_t len,
                       size_t size)
{
    char *path = g_build_filename(image_dir, name, NULL);
    g_autofree char *buf = g_malloc0(MAX(size, len));

    if (len) {
        /* memcpy() takes no NULL, even for 0 bytes (UBSan) */
        memcpy(buf, data, len);
    }
    g_assert_true(g_file_set_contents(path, buf, MAX(size, len), NULL));
    return path;
}

/* --- programs on the console --- */

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
    text = composed_wait_output(out, want);
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

/* --- GPIOs of parts --- */

/*
 * Outputs of an SoC's part drive board devices and a board device drives
 * inputs of a part: the PWM duty cycle reaches the fan tachometer.
 */
static void test_child_gpio_wiring(void)
{
    g_autofree char *desc = composed_write_desc(NPCM730_BOARD
        "    irqs: {\"pwm[1].duty-gpio-out[2]\": \"fan[0]\"}\n"
        "  - name: fan\n"
        "    type: split-irq\n"
        "    props: {num-lines: 2}\n"
        "    irqs: {\"[0..1]\": \"soc/mft[6].duty[2..3]\"}\n");
    g_autofree char *m = g_strdup_printf("composed,desc=%s", desc);
    QTestState *qts = qtest_initf("-M %s", m);
    g_autofree char *pwm = composed_qom_get_str(qts, "/machine/soc/pwm[1]",
                                                "duty-gpio-out[2]");
    g_autofree char *out0 = composed_qom_get_str(qts, "/machine/fan",
                                                 "unnamed-gpio-out[0]");
    g_autofree char *out1 = composed_qom_get_str(qts, "/machine/fan",
                                                 "unnamed-gpio-out[1]");

    g_assert_cmpstr(pwm, ==, "/machine/fan/unnamed-gpio-in[0]");
    g_assert_cmpstr(out0, ==, "/machine/soc/mft[6]/duty[2]");
    g_assert_cmpstr(out1, ==, "/machine/soc/mft[6]/duty[3]");
    qtest_quit(qts);
    unlink(desc);
}

/* --- boot strategies and the boot ROM --- */

/* Both CPUs start; the clocks are set up before the kernel runs */
static void test_boot_smp(void)
{
    g_autofree char *desc = composed_write_desc(NPCM730_BOARD NPCM730_BOOT);
    g_autofree char *machine = g_strdup_printf("composed,desc=%s", desc);
    g_autofree char *kernel =
        composed_write_program(npcm7xx_smp_code,
                               ARRAY_SIZE(npcm7xx_smp_code), NULL, 0);
    g_autofree char *text = NULL;
    uint32_t clksel;

    text = run_program(machine, kernel, "ABC\n", &clksel);
    unlink(desc);
    unlink(kernel);
    g_assert_cmpstr(text, ==, "ABC\n");
    g_assert_cmphex(clksel, ==, NPCM7XX_CLKSEL_BOOTED);
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
    g_autofree char *irom = composed_write_desc(NPCM730_BOARD
        NPCM730_FIRMWARE("/machine/soc/irom[0]"));
    g_autofree char *ram = composed_write_desc(NPCM730_BOARD
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
    unlink(irom);
    unlink(ram);
}

/* --- the boards against the built-in ones --- */

static QList *qom_list(QTestState *qts, const char *path)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-list', 'arguments': "
                           "{'path': %s}}", path);
    QList *l = qdict_get_qlist(rsp, "return");

    qobject_ref(l);
    qobject_unref(rsp);
    return l;
}

/* /machine/unattached/device[N]: N, to keep creation order */
static int device_index(gconstpointer a, gconstpointer b)
{
    const char *na = strrchr(*(const char *const *)a, '[');
    const char *nb = strrchr(*(const char *const *)b, '[');

    return (na ? atoi(na + 1) : 0) - (nb ? atoi(nb + 1) : 0);
}

/* The serial-mm devices among the children of @path, as QOM paths */
static void find_uarts(QTestState *qts, const char *path, GPtrArray *uarts)
{
    g_autoptr(QList) l = qom_list(qts, path);
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(l, e) {
        QDict *p = qobject_to(QDict, qlist_entry_obj(e));

        if (g_str_equal(qdict_get_str(p, "type"), "child<serial-mm>")) {
            g_ptr_array_add(uarts, g_strdup_printf("%s/%s", path,
                                                   qdict_get_str(p, "name")));
        }
    }
}

static void describe_input(QTestState *qts, const char *target,
                           GString *out);

/*
 * The chardev and interrupt line of every UART, in creation order: the C
 * SoCs create them with serial_mm_init(), as devices of
 * /machine/unattached (device[N]); the SoCs from parts as "uart[N]" of
 * /machine/soc.
 */
static char *uart_chardevs(QTestState *qts)
{
    g_autoptr(GPtrArray) uarts = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);
    unsigned i;

    find_uarts(qts, "/machine/unattached", uarts);
    find_uarts(qts, "/machine/soc", uarts);
    g_ptr_array_sort(uarts, device_index);
    g_assert_cmpuint(uarts->len, >=, 4);
    for (i = 0; i < uarts->len; i++) {
        const char *uart = g_ptr_array_index(uarts, i);
        g_autofree char *chr = composed_qom_get_str(qts, uart, "chardev");
        g_autofree char *irq = composed_qom_get_str(qts, uart,
                                                    "sysbus-irq[0]");

        g_string_append_printf(out, "uart %u: %s, irq -> ", i, chr);
        describe_input(qts, irq, out);
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, false);
}

/*
 * The GPIO outputs of @dev (its link<irq> properties) and what they
 * drive.  Inputs of the SoC's parts are named by path, inputs of board
 * devices by type (their paths differ: the composer names them, boards
 * leave most of them in /machine/unattached).
 */
static void describe_outputs(QTestState *qts, const char *dev, GString *out)
{
    g_autoptr(QList) l = qom_list(qts, dev);
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(l, e) {
        QDict *p = qobject_to(QDict, qlist_entry_obj(e));
        const char *name = qdict_get_str(p, "name");
        g_autofree char *target = NULL;

        if (!g_str_equal(qdict_get_str(p, "type"), "link<irq>")) {
            continue;
        }
        target = composed_qom_get_str(qts, dev, name);
        if (!*target) {
            continue;
        }
        g_string_append_printf(out, "%s.%s -> ", dev, name);
        describe_input(qts, target, out);
        g_string_append_c(out, '\n');
    }
}

static void describe_input(QTestState *qts, const char *target, GString *out)
{
    g_autofree char *owner = g_path_get_dirname(target);
    g_autofree char *pin = g_path_get_basename(target);
    g_autofree char *type = NULL;

    type = composed_qom_get_str(qts, owner, "type");
    /*
     * CPUs are /machine/soc/cpu[N] in the C SoCs, /machine/cpuN in the
     * descriptions: name them by type and MPIDR
     */
    if (g_str_has_suffix(type, "-arm-cpu")) {
        g_autofree char *mpidr = composed_qom_get_str(qts, owner,
                                                      "mp-affinity");

        g_string_append_printf(out, "%s(mp-affinity=%s).%s", type, mpidr,
                               pin);
        return;
    }
    if (g_str_has_prefix(target, "/machine/soc/")) {
        g_string_append(out, target);
        return;
    }
    g_string_append_printf(out, "%s.%s", type, pin);
    if (g_str_equal(type, "split-irq")) {
        g_autoptr(GString) sub = g_string_new(NULL);
        g_auto(GStrv) lines = NULL;
        unsigned i;

        describe_outputs(qts, owner, sub);
        lines = g_strsplit(g_strchomp(sub->str), "\n", -1);
        g_string_append(out, " {");
        for (i = 0; lines[i]; i++) {
            /* drop the splitter's own path */
            const char *dot = strstr(lines[i], ".unnamed-gpio-out");

            g_string_append_printf(out, "%s%s", i ? "; " : "",
                                   dot ? dot + 1 : lines[i]);
        }
        g_string_append(out, "}");
    }
}

static int compare_lines(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The lines of @text (each ending in a newline) sorted; frees @text */
static char *sorted_lines(GString *text)
{
    g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
    guint n = g_strv_length(lines);

    /* the last "line" is the empty text after the last newline */
    qsort(lines, n ? n - 1 : 0, sizeof(*lines), compare_lines);
    g_string_free(text, true);
    return g_strjoinv("\n", lines);
}

/*
 * The wiring of the outputs of every part of the SoC, one line per
 * output, sorted: qom-list gives the children in hash order, which
 * depends on how they were created
 */
static char *soc_wiring(QTestState *qts)
{
    g_autoptr(QList) l = qom_list(qts, "/machine/soc");
    GString *out = g_string_new(NULL);
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(l, e) {
        QDict *p = qobject_to(QDict, qlist_entry_obj(e));
        const char *name = qdict_get_str(p, "name");
        g_autofree char *path = g_strdup_printf("/machine/soc/%s", name);

        /* the UARTs' lines are compared with their chardevs */
        if (g_str_has_prefix(qdict_get_str(p, "type"), "child<") &&
            !g_str_equal(qdict_get_str(p, "type"), "child<serial-mm>")) {
            describe_outputs(qts, path, out);
        }
    }
    return sorted_lines(out);
}

/*
 * The wiring of the CPUs' outputs (the generic timers to the GIC),
 * each CPU named by its index: the C SoCs' CPUs are
 * /machine/soc/cpu[N] or /machine/soc/cpu-cluster/cpu[N], the
 * descriptions' /machine/cpuN
 */
static char *cpu_wiring(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'query-cpus-fast'}");
    GString *out = g_string_new(NULL);
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(qdict_get_qlist(rsp, "return"), e) {
        QDict *cpu = qobject_to(QDict, qlist_entry_obj(e));
        const char *path = qdict_get_str(cpu, "qom-path");
        g_autofree char *name = g_strdup_printf("cpu%" PRId64,
                                                qdict_get_int(cpu,
                                                              "cpu-index"));
        g_autoptr(GString) lines = g_string_new(NULL);
        g_autofree char *escaped = g_regex_escape_string(path, -1);
        g_autoptr(GRegex) self = g_regex_new(escaped, 0, 0, NULL);
        g_autofree char *named = NULL;

        describe_outputs(qts, path, lines);
        named = g_regex_replace_literal(self, lines->str, -1, 0, name, 0,
                                        NULL);
        g_string_append(out, named);
    }
    qobject_unref(rsp);
    return sorted_lines(out);
}

typedef struct Snapshot {
    char *qtree;
    char *mtree;
    char *uarts;
    char *wiring;
    char *cpu_wiring;
    char *roms;
} Snapshot;

static void snapshot(const EquivCase *c, bool composed, Snapshot *s)
{
    g_autofree char *machine = composed ? composed_machine(c->board->name)
                                        : g_strdup(c->board->name);
    g_autoptr(GRegex) netdev_id = g_regex_new("(\"#net[0-9]+)[0-9]{2}\"", 0, 0,
                                              NULL);
    g_autofree char *mtree = NULL;
    g_autofree char *qtree = NULL;
    QTestState *qts;

    qts = qtest_initf("-M %s %s", machine, c->args);
    qtree = composed_hmp_text(qts, "info qtree");
    /* -nic netdev ids end in two random digits (id_generate()) */
    s->qtree = g_regex_replace(netdev_id, qtree, -1, 0, "\\1", 0, NULL);
    mtree = composed_hmp_text(qts, "info mtree -f");
    s->mtree = composed_normalize_mtree(mtree);
    s->uarts = uart_chardevs(qts);
    s->wiring = soc_wiring(qts);
    s->cpu_wiring = cpu_wiring(qts);
    /* boot ROM, -kernel and its boot loader, board setup, SMP stub */
    s->roms = composed_hmp_text(qts, "info roms");
    qtest_quit(qts);
}

static void snapshot_free(Snapshot *s)
{
    g_free(s->qtree);
    g_free(s->mtree);
    g_free(s->uarts);
    g_free(s->wiring);
    g_free(s->cpu_wiring);
    g_free(s->roms);
}

static void test_equivalence(const void *opaque)
{
    const EquivCase *c = opaque;
    Snapshot builtin = { 0 }, composed = { 0 };
    bool same = true;

    snapshot(c, false, &builtin);
    snapshot(c, true, &composed);
    g_assert_nonnull(strstr(builtin.qtree, "dev: npcm7xx-fiu"));
    /* the board's own wiring is there to compare */
    if (c->board->fiu0_flash) {
        g_assert_nonnull(strstr(builtin.wiring,
                                "/machine/soc/fiu0.cs[0] -> "));
    }
    /* the NPCM8xx's generic timers reach the GIC */
    if (g_str_equal(c->board->arch, "aarch64")) {
        g_assert_nonnull(strstr(builtin.cpu_wiring,
                                "cpu3.unnamed-gpio-out[0] -> "));
    }
    same &= composed_compare("qtree", builtin.qtree, composed.qtree);
    same &= composed_compare("mtree", builtin.mtree, composed.mtree);
    same &= composed_compare("uarts", builtin.uarts, composed.uarts);
    same &= composed_compare("wiring", builtin.wiring, composed.wiring);
    same &= composed_compare("cpu wiring", builtin.cpu_wiring,
                             composed.cpu_wiring);
    same &= composed_compare("roms", builtin.roms, composed.roms);
    snapshot_free(&builtin);
    snapshot_free(&composed);
    g_assert_true(same);
}

static void G_GNUC_PRINTF(3, 4) add_case(const NpcmBoard *b, const char *label,
                                         const char *fmt, ...)
{
    EquivCase *c = g_new0(EquivCase, 1);
    g_autofree char *path = g_strdup_printf("composed/npcm/%s/%s", b->name,
                                            label);
    va_list ap;

    va_start(ap, fmt);
    c->board = b;
    c->args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_add_data_func(path, c, test_equivalence);
}

static void add_board(const NpcmBoard *b)
{
    static const uint32_t rom[] = { 0xe320f003, 0xeafffffe };  /* wfi; b . */
    g_autofree char *mtd_name = g_strdup_printf("mtd-%uM.img", b->flash_mib);
    g_autofree char *mtd = test_file(mtd_name, NULL, 0, b->flash_mib * MiB);
    g_autofree char *sd = test_file("sd.img", NULL, 0, 16 * MiB);
    g_autofree char *kernel = test_file("kernel.img", NULL, 0, 64 * KiB);
    g_autofree char *bios = test_file("bios.bin", rom, sizeof(rom), 4 * KiB);

    add_case(b, "defaults", "%s", "");
    add_case(b, "nodefaults", "-nodefaults");
    add_case(b, "kernel", "-kernel %s", kernel);
    if (b->fiu0_flash) {
        add_case(b, "mtd", "-drive if=mtd,format=raw,file=%s", mtd);
    }
    if (b->fiu3_flash) {
        add_case(b, "mtd-bus3", "-drive if=mtd,bus=3,unit=0,format=raw,"
                 "file=%s", mtd);
    }
    if (b->sd) {
        add_case(b, "sd", "-drive if=sd,index=0,format=raw,file=%s", sd);
    }
    /* the generic options the board reads: firmware, RAM size, NICs */
    add_case(b, "bios", "-bios %s", bios);
    add_case(b, "ram-size", "-m 256M");
    /* every UART on a -serial of its own */
    add_case(b, "serials", "-serial null -serial null -serial null "
             "-serial null -serial null -serial null -serial null");
    if (g_str_equal(b->arch, "arm")) {
        /* the NPCM7xx's EMCs and GMACs */
        add_case(b, "nics", "-nic user -nic user");
        /* by model: an EMC by its alias, a GMAC by its type */
        add_case(b, "nics-model", "-nic user,model=emc1 "
                 "-nic user,model=npcm-gmac -nic user");
    }
}

/*
 * The OTP fuse array as a guest reads it through its registers (FADDR,
 * FCTL read command, FDATA): the bytes the SoC writes after realize,
 * the ADC calibration (NPCM7XX_FUSE_ADC_CALIB, 24) and the chip
 * derivative (NPCM7XX_FUSE_DERIVATIVE, 64), each 4 bytes ECC-encoded
 * into 8.
 */
#define OTP_FADDR   0x04
#define OTP_FDATA   0x08
#define OTP_FCTL    0x14
#define OTP_READ    0x2

static void fuse_bytes(const char *machine, uint64_t otp, uint8_t *calib,
                       uint8_t *derivative)
{
    QTestState *qts = qtest_initf("-M %s", machine);
    unsigned i;

    for (i = 0; i < 16; i++) {
        unsigned byte = i < 8 ? 24 + i : 64 + i - 8;

        qtest_writel(qts, otp + OTP_FADDR, byte);
        qtest_writel(qts, otp + OTP_FCTL, OTP_READ);
        (i < 8 ? calib : derivative)[i % 8] =
            qtest_readl(qts, otp + OTP_FDATA);
    }
    qtest_quit(qts);
}

typedef struct FuseCase {
    const char *board;
    uint64_t otp;               /* the fuse array's registers */
    bool all_modules;           /* derivative with nothing disabled */
} FuseCase;

static void test_fuses(const void *opaque)
{
    const FuseCase *c = opaque;
    g_autofree char *composed = composed_machine(c->board);
    static const uint8_t zero[8];
    uint8_t calib_a[8], calib_b[8], deriv_a[8], deriv_b[8];

    fuse_bytes(c->board, c->otp, calib_a, deriv_a);
    fuse_bytes(composed, c->otp, calib_b, deriv_b);
    g_assert_cmpmem(calib_b, 8, calib_a, 8);
    g_assert_cmpmem(deriv_b, 8, deriv_a, 8);
    /* there is something to compare: the calibration, a derivative */
    g_assert_true(memcmp(calib_b, zero, 8));
    g_assert_true(!memcmp(deriv_b, zero, 8) == c->all_modules);
}

static const FuseCase fuse_cases[] = {
    { "npcm750-evb", 0xf018a000, true },
    { "quanta-gsj", 0xf018a000, false },
    { "npcm845-evb", 0xf0189000, true },
};

static void test_npcm750_evb_run(void)
{
    g_autofree char *kernel =
        composed_write_program(npcm7xx_smp_code,
                               ARRAY_SIZE(npcm7xx_smp_code), NULL, 0);
    g_autofree char *composed = composed_machine("npcm750-evb");
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    uint32_t clk_a, clk_b;

    a = run_program("npcm750-evb", kernel, "ABC\n", &clk_a);
    b = run_program(composed, kernel, "ABC\n", &clk_b);
    unlink(kernel);
    g_assert_cmpstr(a, ==, "ABC\n");
    g_assert_cmpstr(b, ==, a);
    g_assert_cmphex(clk_a, ==, NPCM7XX_CLKSEL_BOOTED);
    g_assert_cmphex(clk_b, ==, clk_a);
}

/*
 * A64, on UART0 of the NPCM8xx:
 *      ldr   x0, uart
 *      adr   x1, msg
 *   1: ldrb  w2, [x1], #1
 *      cbz   w2, 2f
 *      str   w2, [x0]
 *      b     1b
 *   2: b     2b
 *      nop
 *   uart: .quad 0xf0000000
 *   msg:
 */
static const uint32_t npcm8xx_hello_code[] = {
    0x58000100, 0x10000121, 0x38401422, 0x34000062, 0xb9000002,
    0x17fffffd, 0x14000000, 0xd503201f, 0xf0000000, 0x00000000,
};
#define HELLO "composed: hello from an NPCM8xx board\n"

static void test_npcm845_evb_run(void)
{
    g_autofree char *kernel =
        composed_write_program(npcm8xx_hello_code,
                               ARRAY_SIZE(npcm8xx_hello_code),
                               HELLO, sizeof(HELLO));
    g_autofree char *composed = composed_machine("npcm845-evb");
    g_autofree char *a = run_program("npcm845-evb", kernel, HELLO, NULL);
    g_autofree char *b = run_program(composed, kernel, HELLO, NULL);

    unlink(kernel);
    g_assert_cmpstr(a, ==, HELLO);
    g_assert_cmpstr(b, ==, a);
}

/* -bios replaces the boot ROM: in the NPCM7xx's ROM, the NPCM8xx's DRAM */
static void test_bios(void)
{
    static const uint32_t rom[] = { 0x0badf00d, 0xcafe0001, 0x12345678 };
    static const struct {
        const char *arch;
        const char *board;
        uint64_t addr;
    } cases[] = {
        { "arm", "npcm750-evb", 0xffff0000 },
        { "aarch64", "npcm845-evb", 0 },
    };
    g_autofree char *bios = test_file("rom.bin", rom, sizeof(rom), 4 * KiB);
    g_autofree char *args = g_strdup_printf("-bios %s", bios);
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *composed = NULL;
        uint32_t a[3], b[3], dflt_a[3], dflt_b[3];

        if (!g_str_equal(qtest_get_arch(), cases[i].arch)) {
            continue;
        }
        composed = composed_machine(cases[i].board);
        rom_words(cases[i].board, args, cases[i].addr, a, 3);
        rom_words(composed, args, cases[i].addr, b, 3);
        rom_words(cases[i].board, "", cases[i].addr, dflt_a, 3);
        rom_words(composed, "", cases[i].addr, dflt_b, 3);
        g_assert_cmpmem(a, sizeof(a), rom, sizeof(rom));
        g_assert_cmpmem(b, sizeof(b), rom, sizeof(rom));
        /* and without -bios, QEMU's boot ROM */
        g_assert_true(memcmp(dflt_a, rom, sizeof(rom)));
        g_assert_cmpmem(dflt_b, sizeof(dflt_b), dflt_a, sizeof(dflt_a));
    }
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();
    g_autoptr(GError) err = NULL;
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    image_dir = g_dir_make_tmp("composed-nuvoton-XXXXXX", &err);
    g_assert_no_error(err);

    if (g_str_equal(arch, "arm") && qtest_has_machine("npcm750-evb")) {
        qtest_add_func("composed/npcm/child-gpio/wiring",
                       test_child_gpio_wiring);
        qtest_add_func("composed/npcm/boot/smp", test_boot_smp);
        qtest_add_func("composed/npcm/boot/firmware", test_boot_firmware);
    }
    for (i = 0; i < ARRAY_SIZE(boards); i++) {
        if (g_str_equal(boards[i].arch, arch) &&
            qtest_has_machine(boards[i].name)) {
            add_board(&boards[i]);
        }
    }
    for (i = 0; i < ARRAY_SIZE(fuse_cases); i++) {
        const FuseCase *c = &fuse_cases[i];
        g_autofree char *path = g_strdup_printf("composed/npcm/%s/fuses",
                                                c->board);

        if (qtest_has_machine(c->board)) {
            qtest_add_data_func(path, c, test_fuses);
        }
    }
    if (g_str_equal(arch, "arm") && qtest_has_machine("npcm750-evb")) {
        qtest_add_func("composed/npcm/npcm750-evb/run", test_npcm750_evb_run);
    }
    if (g_str_equal(arch, "aarch64") && qtest_has_machine("npcm845-evb")) {
        qtest_add_func("composed/npcm/npcm845-evb/run", test_npcm845_evb_run);
    }
    if (qtest_has_machine(g_str_equal(arch, "arm") ? "npcm750-evb" :
                          "npcm845-evb")) {
        qtest_add_func("composed/npcm/bios", test_bios);
    }
    ret = g_test_run();
    /* the files and the directory */
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", image_dir);
    g_spawn_command_line_sync(cmd, NULL, NULL, NULL, NULL);
    g_free(image_dir);
    return ret;
}
