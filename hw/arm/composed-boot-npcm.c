/*
 * Composed machine: boot strategies of the Nuvoton NPCM7xx boards
 *
 * A -kernel boot on QEMU's NPCM7xx boards skips the boot ROM, so two
 * pieces of its work are done by code QEMU writes into memory: the
 * clock setup the kernel expects (board-setup "npcm7xx-clocks") and a
 * holding pen for the second Cortex-A9 (secondary "npcm7xx-scrpad").
 * Descriptions select them by name; the addresses come from the
 * description (boot.board-setup-addr, boot.smp-loader-start,
 * boot.smp-bootreg-addr).
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "exec/tswap.h"
#include "hw/loader.h"
#include "hw/arm/composed-boot.h"

/* The NPCM7xx clock module and what its boot ROM programs there */
#define NPCM7XX_CLK_BASE            0xf0801000
#define NPCM7XX_CLK_PLLCON1         0x10
#define NPCM7XX_CLK_CLKSEL          0x04
#define NPCM7XX_PLLCON1_1600MHZ     0x00402101
#define NPCM7XX_CLKSEL_CPU_PLL1     0x004aaba9

static void npcm7xx_write_blob(const char *name, uint32_t *words, size_t n,
                               hwaddr addr)
{
    size_t i;

    for (i = 0; i < n; i++) {
        words[i] = tswap32(words[i]);
    }
    rom_add_blob_fixed(name, words, n * sizeof(*words), addr);
}

/*
 * Called by the primary boot loader before it enters the kernel; A32,
 * returns with "bx lr".
 */
static void npcm7xx_clocks_write(ARMCPU *cpu, const struct arm_boot_info *info)
{
    uint32_t code[] = {
        0xe59f0010,     /* ldr r0, [pc, #16]   the clock module */
        0xe59f1010,     /* ldr r1, [pc, #16]   PLLCON1 value */
        0xe5801000 | NPCM7XX_CLK_PLLCON1,   /* str r1, [r0, #PLLCON1] */
        0xe59f100c,     /* ldr r1, [pc, #12]   CLKSEL value */
        0xe5801000 | NPCM7XX_CLK_CLKSEL,    /* str r1, [r0, #CLKSEL] */
        0xe12fff1e,     /* bx lr */
        NPCM7XX_CLK_BASE,
        NPCM7XX_PLLCON1_1600MHZ,
        NPCM7XX_CLKSEL_CPU_PLL1,
    };

    npcm7xx_write_blob("board-setup", code, ARRAY_SIZE(code),
                       info->board_setup_addr);
}

/*
 * Linux's NPCM7xx SMP code writes the entry point of the secondary CPU
 * to the GCR scratch pad register and sends no IPI: the secondary must
 * poll (WFE, woken by the primary's SEV) rather than wait in WFI as in
 * the default stub.
 */
static void npcm7xx_scrpad_write(ARMCPU *cpu, const struct arm_boot_info *info)
{
    uint32_t code[] = {
        0xe59f2018,     /* ldr r2, [pc, #24]   the scratch pad */
        0xe3a00000,     /* mov r0, #0 */
        0xe5820000,     /* str r0, [r2] */
        0xe320f002,     /* wfe */
        0xe5921000,     /* ldr r1, [r2] */
        0xe1110001,     /* tst r1, r1 */
        0x0afffffb,     /* beq <wfe> */
        0xe12fff11,     /* bx r1 */
        (uint32_t)info->smp_bootreg_addr,
    };

    npcm7xx_write_blob("smpboot", code, ARRAY_SIZE(code),
                       info->smp_loader_start);
}

static bool npcm7xx_scrpad_setup(const ComposeBootArm *boot,
                                 struct arm_boot_info *info, Error **errp)
{
    if (!boot->has_smp_loader_start || !boot->has_smp_bootreg_addr) {
        error_setg(errp, "secondary 'npcm7xx-scrpad' needs smp-loader-start "
                   "and smp-bootreg-addr");
        return false;
    }
    if (boot->smp_bootreg_addr > UINT32_MAX) {
        error_setg(errp, "secondary 'npcm7xx-scrpad': smp-bootreg-addr "
                   "0x%" PRIx64 " is beyond 32 bits", boot->smp_bootreg_addr);
        return false;
    }
    /* the default reset hook starts secondaries at the stub */
    info->write_secondary_boot = npcm7xx_scrpad_write;
    return true;
}

static void composed_boot_npcm_register(void)
{
    composed_arm_register_secondary(COMPOSE_SECONDARY_BOOT_NPCM7XX_SCRPAD,
                                    npcm7xx_scrpad_setup);
    composed_arm_register_board_setup(COMPOSE_BOARD_SETUP_NPCM7XX_CLOCKS,
                                      npcm7xx_clocks_write);
}

type_init(composed_boot_npcm_register)
