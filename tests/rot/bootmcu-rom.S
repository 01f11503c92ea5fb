/*
 * Boot MCU ROM of machines/ast2700fc.yaml (Cortex-M4, Thumb-2)
 *
 * Loads the application image from the boot flash into the root of
 * trust's mailbox (Caliptra's SoC-side protocol: lock, cmd, dlen,
 * datain..., execute), waits for the verdict, prints it on the MCU's
 * UART and gives the mailbox back, which lets the root of trust release
 * the Cortex-A35s when the image was verified.
 *
 * Assembled with --defsym MISUSE=1 it first misuses the mailbox (execute
 * without the lock, dlen beyond 128 KiB, data past dlen, a read past
 * dlen, unlock in the middle of a command) and then loads as usual.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ SRAM_TOP,      0x20010000
    .equ UART_DR,       0x40000000      /* PL011 */
    .equ UART_FR,       0x40000018
    .equ FLASH,         0x80000000      /* the boot flash, as the MCU sees it */
    .equ MBOX,          0x30020000      /* root of trust: mailbox CSRs */
    .equ SOC_IFC,       0x30030000      /* root of trust: SoC interface */
    .equ LOCK,          0x00
    .equ CMD,           0x08
    .equ DLEN,          0x0c
    .equ DATAIN,        0x10
    .equ DATAOUT,       0x14
    .equ EXECUTE,       0x18
    .equ STATUS,        0x1c
    .equ UNLOCK,        0x20
    .equ FW_ERROR_FATAL, 0x08
    .equ FLOW_STATUS,   0x3c
    .equ READY_FOR_FW,  (1 << 28)
    .equ FWLD,          0x46574c44
    .equ MBOX_BYTES,    0x20000
    .equ CMD_COMPLETE,  2

    .text
    .globl reset
vectors:
    .word SRAM_TOP
    .word reset + 1
    .rept 14
    .word fault + 1
    .endr

    .thumb_func
reset:
    ldr r0, =hello
    bl puts
.if MISUSE
    bl misuse
.endif
    /* the root of trust takes firmware once its ROM is up */
    ldr r4, =SOC_IFC
1:  ldr r0, [r4, #FLOW_STATUS]
    tst r0, #READY_FOR_FW
    beq 1b

    /* image length: word 1 of the image header */
    ldr r5, =FLASH
    ldr r6, [r5, #4]
    cbz r6, bad_length
    cmp r6, #MBOX_BYTES
    bhi bad_length

    ldr r4, =MBOX
2:  ldr r0, [r4, #LOCK]             /* 0: the lock is ours */
    cmp r0, #0
    bne 2b
    ldr r0, =FWLD
    str r0, [r4, #CMD]
    str r6, [r4, #DLEN]
    mov r1, #0
3:  ldr r0, [r5, r1]
    str r0, [r4, #DATAIN]
    adds r1, r1, #4
    cmp r1, r6
    blo 3b
    movs r0, #1
    str r0, [r4, #EXECUTE]
4:  ldr r7, [r4, #STATUS]           /* busy (0) while it verifies */
    ands r7, r7, #0xf
    beq 4b

    cmp r7, #CMD_COMPLETE
    bne failed
    ldr r0, =verified
    bl puts
    mov r0, r7
    bl puthex
    ldr r0, =newline
    bl puts
    b done
failed:
    ldr r0, =refused
    bl puts
    mov r0, r7
    bl puthex
    ldr r0, =error
    bl puts
    ldr r0, =SOC_IFC
    ldr r0, [r0, #FW_ERROR_FATAL]
    bl puthex
    ldr r0, =newline
    bl puts
done:
    movs r0, #0                     /* give the mailbox back */
    str r0, [r4, #EXECUTE]
halt:
    wfi
    b halt

bad_length:
    ldr r0, =badlen
    bl puts
    b halt

    .thumb_func
fault:
    ldr r0, =faulted
    bl puts
    b halt

.if MISUSE
/* Each step is refused by the root of trust and counted */
    .thumb_func
misuse:
    ldr r4, =MBOX
    movs r0, #1
    str r0, [r4, #EXECUTE]          /* execute without the lock */
1:  ldr r0, [r4, #LOCK]
    cmp r0, #0
    bne 1b
    ldr r0, =FWLD
    str r0, [r4, #CMD]
    ldr r0, =MBOX_BYTES + 4
    str r0, [r4, #DLEN]             /* beyond 128 KiB: refused */
    movs r0, #8
    str r0, [r4, #DLEN]
    str r0, [r4, #DATAIN]
    str r0, [r4, #DATAIN]
    str r0, [r4, #DATAIN]           /* past dlen: dropped */
    ldr r0, [r4, #DATAOUT]          /* no response: read past dlen */
    movs r0, #1
    str r0, [r4, #EXECUTE]          /* the doorbell... */
    str r0, [r4, #UNLOCK]           /* ...and unlock while it runs */
    ldr r0, =misused
    b puts
.endif

/* puts(r0): a NUL-terminated string to the UART */
    .thumb_func
puts:
    ldr r1, =UART_DR
1:  ldrb r2, [r0], #1
    cbz r2, 2f
    str r2, [r1]
    b 1b
2:  bx lr

/* puthex(r0): "0x" and 8 hex digits */
    .thumb_func
puthex:
    ldr r1, =UART_DR
    movs r2, #'0'
    str r2, [r1]
    movs r2, #'x'
    str r2, [r1]
    movs r3, #28
1:  lsr r2, r0, r3
    and r2, r2, #0xf
    cmp r2, #10
    ite lo
    addlo r2, r2, #'0'
    addhs r2, r2, #('a' - 10)
    str r2, [r1]
    subs r3, r3, #4
    bpl 1b
    bx lr

    .ltorg
hello:    .asciz "bootmcu: loading the application image\n"
verified: .asciz "bootmcu: image verified, status "
refused:  .asciz "bootmcu: image refused, status "
error:    .asciz ", error "
newline:  .asciz "\n"
badlen:   .asciz "bootmcu: bad image length\n"
faulted:  .asciz "bootmcu: fault\n"
misused:  .asciz "bootmcu: mailbox misuse done\n"
