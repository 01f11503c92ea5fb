#!/usr/bin/env bash
# Guest device trees generated from a description (boot.generate-dtb):
# machines/parts-a15.yaml with -kernel and no -dtb gives the guest a tree
# made from the machine as built and machines/devicetree-map.yaml; dtc
# reads it without warnings (but the ones listed below); Debian's armhf
# armmp kernel boots on it to a shell prompt with an initramfs.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${QEMU_BUILD:-$top/build}
q=$b/qemu-system-arm
desc=$top/machines/parts-a15.yaml
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
command -v dtc >/dev/null || bail "dtc (Debian: device-tree-compiler) missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-dtb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

kernel=$(bash "$top/tests/guest/fetch-armmp.sh") ||
    bail "Debian's armmp kernel (tests/guest/fetch-armmp.sh)"
initrd=$top/build/guest/initramfs.cpio.gz
[ -f "$initrd" ] || bash "$top/tests/guest/build-guest.sh" >&2 ||
    bail "the test guest's initramfs (tests/guest/build-guest.sh)"

# The tree QEMU gives the guest (-M dumpdtb writes it once it is loaded)
timeout 120 "$q" -M "composed,desc=$desc,dumpdtb=$tmp/a15.dtb" \
    -kernel "$kernel" -initrd "$initrd" -display none -serial null \
    -monitor none </dev/null >"$tmp/out" 2>&1
check "-kernel without -dtb: a device tree is generated" "[ -s '$tmp/a15.dtb' ]" \
    "a device tree is generated: $(head -c 300 "$tmp/out")"
dtc -I dtb -O dts -o "$tmp/a15.dts" "$tmp/a15.dtb" 2>"$tmp/dtc.err"
# Accepted: none.  Anything dtc warns about fails the test.
check "dtc reads it without warnings" "[ ! -s '$tmp/dtc.err' ]" \
    "dtc warnings: $(head -c 600 "$tmp/dtc.err")"
# has PATTERN: an extended regular expression on one line of the source
has() { grep -qE -- "$1" "$tmp/a15.dts"; }
check "CPUs: two Cortex-A15 by MPIDR" \
    "has 'cpu@0 \\{' && has 'cpu@1 \\{' && has 'compatible = \"arm,cortex-a15\";'"
check "GIC: distributor and CPU interface windows of the MPCore" \
    "has 'interrupt-controller@2c001000 \\{' &&
     has 'reg = <0x2c001000 0x1000 0x2c002000 0x2000>;' &&
     has '#interrupt-cells = <0x03>;'"
check "UART: registers, SPI 5 (mpcore[5]), its 24 MHz clock twice" \
    "has 'serial@1c090000 \\{' && has 'compatible = \"arm,pl011.{1,2}arm,primecell\";' &&
     has 'interrupts = <0x00 0x05 0x04>;' &&
     has 'clock-names = \"uartclk.{1,2}apb_pclk\";'"
check "SP804: SPI 2 (mpcore[2]), a 1 MHz clock from freq0" \
    "has 'timer@1c110000 \\{' && has 'interrupts = <0x00 0x02 0x04>;' &&
     has 'clock-frequency = <0xf4240>;'"
check "clocks: fixed clocks of the UART's (24 MHz) and the timer's rates" \
    "has 'clock-frequency = <0x16e3600>;' && has 'compatible = \"fixed-clock\";'"
check "chosen: the console is the UART of -serial 0, the initrd is there" \
    "has 'stdout-path = \"/serial@1c090000:115200n8\";' &&
     has 'linux,initrd-start = ' && has 'linux,initrd-end = '"
check "memory: the RAM of the description (128 MiB at 0x80000000)" \
    "has 'reg = <0x80000000 0x8000000>;'"

# A board without generate-dtb gets none (the ASPEED boards, as QEMU's)
timeout 120 "$q" -M "composed,desc=$top/machines/ast2600-evb.yaml,dumpdtb=$tmp/none.dtb" \
    -kernel "$kernel" -display none -serial null -monitor none \
    </dev/null >"$tmp/out" 2>&1
check "no generate-dtb: no device tree" \
    "[ ! -s '$tmp/none.dtb' ] && grep -q \"doesn't have an FDT\" '$tmp/out'" \
    "no generate-dtb: $(head -c 300 "$tmp/out")"

# The armmp kernel boots to a shell prompt; the shell answers
mkfifo "$tmp/in"
timeout -k 5 300 "$q" -M "composed,desc=$desc" -kernel "$kernel" \
    -initrd "$initrd" -append "rdinit=/init" -display none -monitor none \
    -serial stdio -no-reboot <"$tmp/in" >"$tmp/console" 2>&1 &
qpid=$!
exec 3>"$tmp/in"
# wait_for PATTERN SECONDS: the console shows PATTERN
wait_for() {
    local i
    for ((i = 0; i < $2; i++)); do
        tr -d '\r' <"$tmp/console" | grep -qE -- "$1" && return 0
        kill -0 $qpid 2>/dev/null || return 1
        sleep 1
    done
    return 1
}
check "armmp kernel: the initramfs' init runs" \
    "wait_for '=== GUEST-BOOT-OK kernel=[0-9.]+-[0-9]+-armmp ===' 240" \
    "armmp kernel: init runs: $(tr -d '\r' <"$tmp/console" | tail -n 5 | tr '\n' '|')"
check "a shell prompt" "wait_for '^/ # ' 60"
echo 'echo "SHELL-ANSWERS-$((6 * 7))"; cat /proc/interrupts' >&3
check "the shell runs commands" "wait_for '^SHELL-ANSWERS-42' 30"
check "the guest takes UART and timer interrupts through the GIC" \
    "wait_for '^ *[0-9]+: +[1-9][0-9]* +GICv2 +37 Level +uart-pl011' 10 &&
     tr -d '\\r' <'$tmp/console' | grep -qE '^ *[0-9]+: +[1-9][0-9]* +GICv2 +34 Level +timer'"
check "the guest bound the PL011 as its console" \
    "grep -q 'ttyAMA0 at MMIO 0x1c090000' '$tmp/console'"
# the board has no reset device (nor PSCI): end QEMU from here
exec 3>&-
kill $qpid 2>/dev/null
wait $qpid
[ -z "${QC_KEEP_CONSOLE:-}" ] || cp "$tmp/console" "$QC_KEEP_CONSOLE"
tap_done
