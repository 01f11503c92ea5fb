#!/usr/bin/env bash
# make demo: run a shipped composed board that visibly works.
#
# machines/ast2600-evb.yaml is QEMU's ast2600-evb as a description (an
# AST2600 SoC, its flash, EEPROM, sensor and SD card, the same machine as
# the built-in board: composed-boards-test checks that).  A small program
# loaded with -kernel prints on its console, UART5.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."
qemu="$(bash build-aux/qemu-tree.sh)/build/qemu-system-arm"
mkdir -p build/demo
prog=build/demo/hello.bin

# The program, ARM code (little endian):
#   ldr r0, uart; adr r1, msg
# 1: ldrb r2, [r1], #1; cmp r2, #0; strne r2, [r0]; bne 1b
# 2: wfi; b 2b
# uart: .word 0x1e784000 (UART5, a 16550)
# msg: the text below, NUL-terminated
words=(e59f0018 e28f1018 e4d12001 e3520000 15802000 1afffffb e320f003
       eafffffd 1e784000)
: >"$prog"
for w in "${words[@]}"; do
    printf "\\x${w:6:2}\\x${w:4:2}\\x${w:2:2}\\x${w:0:2}" >>"$prog"
done
printf 'Hello from an AST2600 BMC built from machines/ast2600-evb.yaml:\r\n2 Cortex-A7, 13 UARTs, 16 I2C buses, flash, EEPROM and sensors,\r\nall composed from a description.\r\n\0' >>"$prog"

cmd=("$qemu" -M composed,desc=machines/ast2600-evb.yaml -kernel "$prog")
echo "== qemu-composer demo =="
echo "Running: ${cmd[*]} -nographic"
if [ -t 0 ] && [ -t 1 ]; then
    echo "The UART is on this terminal; the QEMU monitor too: press"
    echo "Ctrl-A then C for the monitor (try 'info composition',"
    echo "'info qtree', 'info mtree -f'), Ctrl-A then X to quit."
    echo "The same board with MCTP endpoints on I2C bus 15:"
    echo "  machines/ast2600-mctp.yaml."
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
    sed -e '/^(qemu)/d' -e '/^QEMU .* monitor/d' | head -n 30
