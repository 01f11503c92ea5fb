#!/usr/bin/env bash
# make demo: run a shipped composed board that visibly works.
#
# machines/parts-a15.yaml is a board built from parts (two Cortex-A15,
# their interrupt controller and timers, a PL011 UART, an SP804 timer,
# ROM and RAM).  Its ROM gets a small program that prints on the UART.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."
qemu="$(bash build-aux/qemu-tree.sh)/build/qemu-system-arm"
mkdir -p build/demo
rom=build/demo/hello.bin

# The program, ARM code (little endian):
#   movw r0, #0; movt r0, #0x1c09        @ UART base 0x1c090000
#   movw r3, #0x301; str r3, [r0, #0x30] @ UARTCR: enable, TX, RX
#   adr r1, msg
# 1: ldrb r2, [r1], #1; cmp r2, #0; beq 2f; str r2, [r0]; b 1b
# 2: wfi; b 2b
# msg: the text below, NUL-terminated
words=(e3000000 e3410c09 e3003301 e5803030 e28f1018 e4d12001 e3520000
       0a000001 e5802000 eafffffa e320f003 eafffffd)
: >"$rom"
for w in "${words[@]}"; do
    printf "\\x${w:6:2}\\x${w:4:2}\\x${w:2:2}\\x${w:0:2}" >>"$rom"
done
printf 'Hello from a composed board: two Cortex-A15, GIC, PL011, ROM and RAM,\r\nall described in machines/parts-a15.yaml.\r\n\0' >>"$rom"

cmd=("$qemu" -M "composed,desc=machines/parts-a15.yaml,param.rom=$rom")
echo "== qemu-composer demo =="
echo "Running: ${cmd[*]} -nographic"
if [ -t 0 ] && [ -t 1 ]; then
    echo "The UART is on this terminal; the QEMU monitor too: press"
    echo "Ctrl-A then C for the monitor (try 'info composition',"
    echo "'info qtree', 'info mtree -f'), Ctrl-A then X to quit."
    echo
    exec "${cmd[@]}" -nographic
fi
# Not a terminal (CI, a pipe): run for a few seconds, then show the board
echo "(no terminal: running for 3 seconds)"
echo
timeout 3 "${cmd[@]}" -display none -serial stdio -monitor none || true
echo
echo "== info composition (the board as built, with sources) =="
printf 'info composition\nquit\n' |
    "${cmd[@]}" -S -display none -serial none -monitor stdio |
    sed -e '/^(qemu)/d' -e '/^QEMU .* monitor/d' | head -n 40
