#!/usr/bin/env bash
# Build the programs of machines/ast2700fc.yaml's tests into OUTDIR:
#   bootmcu.bin         the boot MCU ROM
#   bootmcu-misuse.bin  the same, misusing the mailbox first
#   a35.bin             the application image (what the flash holds)
#   a35.sha384          its SHA-384, the digest to fuse
# Uses Debian's cross binutils (binutils-arm-none-eabi, or
# binutils-arm-linux-gnueabihf, and binutils-aarch64-linux-gnu),
# installed with apt when missing and possible.  Exit status 77 when
# they are not available.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

out=${1:?usage: build-fw.sh OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"

pick() {
    local p
    for p in "$@"; do
        if command -v "${p}as" >/dev/null && command -v "${p}ld" >/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

install_missing() {
    local sudo=
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        --no-install-recommends "$@" >&2 || true
}

m=$(pick arm-none-eabi- arm-linux-gnueabihf-) || {
    install_missing binutils-arm-none-eabi
    m=$(pick arm-none-eabi- arm-linux-gnueabihf-) || {
        echo "build-fw.sh: no ARM cross binutils" >&2
        exit 77
    }
}
a=$(pick aarch64-linux-gnu-) || {
    install_missing binutils-aarch64-linux-gnu
    a=$(pick aarch64-linux-gnu-) || {
        echo "build-fw.sh: no AArch64 cross binutils" >&2
        exit 77
    }
}

for v in 0 1; do
    name=bootmcu
    [ $v = 0 ] || name=bootmcu-misuse
    "${m}as" -mcpu=cortex-m4 -mthumb --defsym MISUSE=$v \
        -o "$out/$name.o" "$src/bootmcu-rom.S"
    "${m}ld" -Ttext=0 -e reset \
        -o "$out/$name.elf" "$out/$name.o"
    "${m}objcopy" -O binary "$out/$name.elf" "$out/$name.bin"
done
"${a}as" -o "$out/a35.o" "$src/a35-image.S"
"${a}ld" -Ttext=0x100000000 -e _start -o "$out/a35.elf" "$out/a35.o"
"${a}objcopy" -O binary "$out/a35.elf" "$out/a35.bin"
sha384sum "$out/a35.bin" | cut -d' ' -f1 >"$out/a35.sha384"
