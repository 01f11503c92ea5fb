/*
 * The NPCM730 descriptions the Nuvoton qtests build on
 * (tests/qtest/composed-nuvoton-test.c, composed-nuvoton-errors-test.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_QTEST_COMPOSED_NUVOTON_H
#define TESTS_QTEST_COMPOSED_NUVOTON_H

/* An NPCM730 SoC and its DRAM; more devices and a boot: may follow */
#define NPCM730_BOARD \
    "version: 1\n" \
    "machine: {ram-size: 128M, ram-map: {addr: 0}, cpus: 2}\n" \
    "devices:\n" \
    "  - name: soc\n" \
    "    type: npcm730\n" \
    "    props: {dram-mr: \"@machine.ram\"}\n"

/* NPCM730_BOARD booting as QEMU's NPCM7xx boards do */
#define NPCM730_BOOT \
    "boot:\n" \
    "  kind: arm\n" \
    "  board-setup: npcm7xx-clocks\n" \
    "  board-setup-addr: 0xffff1000\n" \
    "  secondary: npcm7xx-scrpad\n" \
    "  smp-loader-start: 0xffff0000\n" \
    "  smp-bootreg-addr: 0xf080013c\n"

#endif /* TESTS_QTEST_COMPOSED_NUVOTON_H */
