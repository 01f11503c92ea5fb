#!/usr/bin/env bash
# make demo: run a shipped composed board that visibly works: Linux on
# machines/ast2600-mctp.yaml talking to its MCTP endpoints, or (without
# the guest, or with QC_DEMO=hello) the program below on ast2600-evb.
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

# With the Linux test guest (tests/guest/, built from Debian packages on
# first use): boot machines/ast2600-mctp.yaml to a shell that talks to the
# MCTP endpoints.  Without it: the program above on ast2600-evb.yaml.
if [ "${QC_DEMO:-guest}" = guest ] && bash tests/guest/build-guest.sh >&2; then
    g=build/guest
    printf 'file /bin/mctp-demo %s/tests/guest/demo-setup.sh 755 0 0\n' \
        "$PWD" > build/demo/list
    "$g/gen_init_cpio" -t 1 build/demo/list | gzip -n > build/demo/demo.cpio.gz
    cat "$g/initramfs.cpio.gz" build/demo/demo.cpio.gz > build/demo/initrd
    boot=(-M composed,desc=machines/ast2600-mctp.yaml -kernel "$g/zImage"
          -dtb "$g/ast2600-evb-mctp.dtb" -initrd build/demo/initrd -no-reboot)
    append='console=ttyS4,115200 rdinit=/init quiet loglevel=4'
    echo "== qemu-composer demo: Linux on machines/ast2600-mctp.yaml =="
    echo "Running: $qemu ${boot[*]} -append '$append' -nographic"
    if [ -t 0 ] && [ -t 1 ]; then
        echo "A shell in the guest comes up on this terminal.  Type"
        echo "'mctp-demo' to assign EIDs to the endpoints on I2C bus 15 and"
        echo "list them; it then shows commands to try.  Ctrl-A then X quits."
        echo
        exec "$qemu" "${boot[@]}" -append "$append" -nographic
    fi
    echo "(no terminal: the guest runs mctp-demo, then powers off)"
    timeout 120 "$qemu" "${boot[@]}" -nographic -monitor none \
        -append "$append guest.run=/bin/mctp-demo" </dev/null |
        tr -d '\r' | grep -v '^=== GUEST' || true
    exit 0
fi
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
