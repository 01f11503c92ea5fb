#!/usr/bin/env bash
# The composed machine on qemu-system-riscv32/64 (hw/riscv/composed-boot.c,
# patches 0070, 0071): harts numbered in description order, boot kind
# "riscv" (ELF entry, reset-vector stub in a ROM at the harts' reset
# vector), the ACLINT timer and PLIC built by realize alone, and located
# errors instead of crashes for interrupt controllers without their harts.
# Env: QEMU_BUILD = the QEMU build directory (default: build/'s tree).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${QEMU_BUILD:-$(cd "$top" && bash build-aux/qemu-tree.sh)/build}
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
# shellcheck source=tests/shell/lib/riscv.sh
. "$top/tests/shell/lib/riscv.sh"

rv_have_tools || bail "binutils-riscv64-unknown-elf and dtc are installed"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-riscv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for t in riscv32 riscv64; do
    q=$b/qemu-system-$t
    check "$t: -M help lists composed" \
        "'$q' -M help | grep -qE '^composed +Machine built from a board description'"
    check "$t: -M composed starts and quits" \
        "echo quit | timeout 60 '$q' -M composed -display none -nodefaults -monitor stdio >/dev/null"
done

# A board: N harts of TYPE, a UART at 0x10013000, an ACLINT at 0x2000000,
# a PLIC, RAM at 0x80000000; EXTRA is appended (more memory, boot)
board() {   # board FILE TYPE N RESETVEC EXTRA-DEVICES EXTRA-TOP
    local nh=$3 i swi= mt= ctx=
    for ((i = 0; i < nh; i++)); do
        swi+="\"[$i]\": \"hart$i[3]\", "
        mt+="\"[$i]\": \"hart$i[7]\", "
        ctx+="\"[$((nh + i))]\": \"hart$i[11]\", "
    done
    cat > "$1" <<EOF
version: 1
machine: {ram-size: 16M, ram-map: {addr: 0x80000000}}
cpus:
  - {name: hart, type: $2, count: $nh, props: {resetvec: $4}}
devices:
  - name: swi
    type: riscv.aclint.swi
    props: {hartid-base: 0, num-harts: $nh}
    mmio: [{addr: 0x2000000}]
    irqs: {${swi%, }}
  - name: mtimer
    type: riscv.aclint.mtimer
    props: {hartid-base: 0, num-harts: $nh, aperture-size: 0x8000,
            timecmp-base: 0, time-base: 0x7ff8, timebase-freq: 1000000}
    mmio: [{addr: 0x2004000}]
    irqs: {${mt%, }}
  - name: plic
    type: riscv.sifive.plic
    props: {hart-config: "$(printf 'MS,%.0s' $(seq "$nh") | sed 's/,$//')",
            hartid-base: 0, num-sources: 32, num-priorities: 7,
            priority-base: 4, pending-base: 0x1000, enable-base: 0x2000,
            enable-stride: 0x80, context-base: 0x200000,
            context-stride: 0x1000, aperture-size: 0x4000000}
    mmio: [{addr: 0xc000000}]
    irqs: {${ctx%, }}
  - name: uart0
    type: riscv.sifive.uart
    props: {chardev: "@serial.0"}
    mmio: [{addr: 0x10013000}]
    irqs: {"sysbus-irq[0]": "plic[3]"}
$5
boot:
  kind: riscv
$6
EOF
}

# -kernel ELF, no memory at the reset vector: harts start at the entry
board "$tmp/direct.yaml" rv32-riscv-cpu 1 0x1000 "" ""
check "riscv32: -kernel ELF starts at its entry (no ROM at the reset vector)" \
    "rv_prog '$tmp/direct.elf' 32 0x80000000 0x10013000 0 'direct entry' &&
     rv_run 60 'direct entry' '$tmp/direct.out' -- '$b/qemu-system-riscv32' \
         -M composed,desc=$tmp/direct.yaml -kernel '$tmp/direct.elf'"

# Two harts: hart 1 prints, so its mhartid must be 1
board "$tmp/smp.yaml" rv64-riscv-cpu 2 0x1000 "" ""
check "riscv64: harts are numbered in description order (hart 1 prints)" \
    "rv_prog '$tmp/smp.elf' 64 0x80000000 0x10013000 1 'hart 1 here' &&
     rv_run 60 'hart 1 here' '$tmp/smp.out' -- '$b/qemu-system-riscv64' \
         -M composed,desc=$tmp/smp.yaml -smp 2 -bios '$tmp/smp.elf'"

# A mask ROM at the reset vector and firmware in a flash ROM, no -kernel:
# the stub in the ROM jumps to loader-start
rv_prog "$tmp/flash.elf" 32 0x20000000 0x10013000 0 'through the mask ROM'
riscv64-unknown-elf-objcopy -O binary "$tmp/flash.elf" "$tmp/flash.bin"
board "$tmp/rom.yaml" sifive-e31-riscv-cpu 1 0x1000 "" \
"  loader-start: 0x20000000
memory:
  - {name: mrom, kind: rom, size: 0x2000, map: {addr: 0x1000}}
  - {name: flash, kind: rom, size: 0x100000, file: $tmp/flash.bin,
     map: {addr: 0x20000000}}"
check "riscv32: reset-vector stub in the mask ROM jumps to loader-start" \
    "rv_run 60 'through the mask ROM' '$tmp/rom.out' -- \
         '$b/qemu-system-riscv32' -M composed,desc=$tmp/rom.yaml"
check "riscv32: the stub is QEMU's SiFive one (auipc; li a2; csrr a0, mhartid)" \
    "printf 'xp /3wx 0x1000\nquit\n' |
         '$b/qemu-system-riscv32' -M composed,desc=$tmp/rom.yaml -S \
             -display none -serial none -monitor stdio 2>&1 | tr -d '\r' |
         grep -q '0000000000001000: 0x00000297 0x00000613 0xf1402573'"

# The ACLINT timer built by realize: a timer interrupt arrives
code='
    la      t0, trap
    csrw    mtvec, t0
    li      t0, 0x200bff8
    lw      t1, 0(t0)
    addi    t1, t1, 100
    li      t0, 0x2004000
    sw      zero, 4(t0)
    sw      t1, 0(t0)
    li      t0, 0x80
    csrs    mie, t0
    csrsi   mstatus, 8
1:  wfi
    j       1b
    .balign 4
trap:
    la      a1, tick
    call    puts
    j       park
tick:
    .asciz  "tick\n"
    .balign 4'
check "riscv64: the mtimer interrupts its hart (timers made by realize)" \
    "rv_prog '$tmp/timer.elf' 64 0x80000000 0x10013000 0 'timer armed' '$code' &&
     rv_run 60 'tick' '$tmp/timer.out' -- '$b/qemu-system-riscv64' \
         -M composed,desc=$tmp/smp.yaml -smp 2 -bios '$tmp/timer.elf'"

# Interrupt controllers for harts that do not exist: located errors
# bad NAME EXPECT SED-EXPRESSION [QEMU ARGS]: status 1 and the message
bad() {
    local name=$1 expect=$2 edit=$3 rc
    shift 3
    sed "$edit" "$tmp/direct.yaml" > "$tmp/$name.yaml"
    timeout 60 "$b/qemu-system-riscv32" -M "composed,desc=$tmp/$name.yaml" \
        -display none -nodefaults -S "$@" > "$tmp/$name.err" 2>&1 </dev/null
    rc=$?
    if [ $rc = 1 ] && grep -qF -- "$expect" "$tmp/$name.err"; then
        result ok "$name: status 1, $expect"
    else
        result fail "$name: status $rc: $(head -n 2 "$tmp/$name.err")"
    fi
}
bad plic-no-hart "devices[2] 'plic': plic: no hart 1" \
    's/hart-config: "MS"/hart-config: "MS,MS,MS,MS,MS"/'
bad plic-bad-mode "devices[2] 'plic': plic: invalid mode 'X'" \
    's/hart-config: "MS"/hart-config: "MX"/'
bad plic-no-config "devices[2] 'plic': plic: hart-config is not set" \
    's/hart-config: "MS",//'
bad plic-sources "devices[2] 'plic': plic: invalid number of interrupt sources" \
    's/num-sources: 32/num-sources: 100000/'
bad swi-no-hart "devices[0] 'swi': no hart 1" \
    '/name: swi/,/irqs/s/num-harts: 1/num-harts: 2/'
bad mtimer-no-hart "devices[1] 'mtimer': no hart 3" \
    '/name: mtimer/,/irqs/s/hartid-base: 0, num-harts: 1/hartid-base: 3, num-harts: 1/'
bad mtimer-too-many "devices[1] 'mtimer': num-harts 5000 is over 4095" \
    '/name: mtimer/,/irqs/s/num-harts: 1/num-harts: 5000/'
bad riscv-dtb "boot: boot kind riscv loads bare-metal images: -dtb, -initrd and -append are not supported" \
    s/x/x/ -kernel "$tmp/direct.elf" -dtb "$tmp/direct.elf"
tap_done
