/*
 * Application image of machines/ast2700fc.yaml (Cortex-A35, AArch64)
 *
 * Lives at the start of the boot flash; the A35s start at it (RVBAR) once
 * the root of trust has verified it.  Word 1 is the image length, which
 * the boot MCU reads to load the image into the mailbox.  CPU 0 prints a
 * line on UART12 (the BMC console); the others park.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .equ UART12,    0x14c33b00      /* 16550, registers 4 bytes apart */
    .equ LSR,       0x14
    .equ THRE,      5

    .text
    .globl _start
_start:
    b   entry
    .word image_end - _start        /* the image length */
entry:
    mrs x0, mpidr_el1
    and x0, x0, #0xff
    cbnz x0, park
    ldr x1, =UART12
    adr x2, message
1:  ldrb w3, [x2], #1
    cbz w3, park
2:  ldr w4, [x1, #LSR]
    tbz w4, #THRE, 2b
    str w3, [x1]
    b 1b
park:
    wfi
    b park

    .ltorg
message:
    .asciz "a35: running the verified image\n"
    .balign 4
image_end:
