#!/usr/bin/env bash
# Check mode: -M composed,desc=FILE,check=on reads, merges and checks a
# description with the command line's parameters, drives and -kernel,
# then exits 0 (silent) or 1 (every problem as FILE:LINE:COL) without
# creating the accelerator or running anything.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${QEMU_BUILD:-$top/build}
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# qc [QEMU-ARGS...]: run a check; status in $rc, output in $tmp/out
qc() {
    local q=$b/qemu-system-arm
    case "$*" in *ast2700*|*npcm845*) q=$b/qemu-system-aarch64 ;; esac
    timeout 120 "$q" -display none "$@" >"$tmp/out" 2>&1 </dev/null
    rc=$?
}
# ok_silent DESC QEMU-ARGS...: exit 0 and nothing printed
ok_silent() {
    local what=$1
    shift
    qc "$@"
    check "$what: exit 0, nothing printed" "[ $rc = 0 ] && [ ! -s '$tmp/out' ]" \
        "$what: exit 0, nothing printed (rc $rc: $(head -c 300 "$tmp/out"))"
}
# refused DESC PATTERN QEMU-ARGS...: exit 1 with a line matching PATTERN
refused() {
    local what=$1 pat=$2
    shift 2
    qc "$@"
    check "$what: exit 1, '$pat'" "[ $rc = 1 ] && grep -qE -- '$pat' '$tmp/out'" \
        "$what: exit 1, '$pat' (rc $rc: $(head -c 400 "$tmp/out"))"
}

for f in "$top"/machines/*.yaml; do
    case $f in */devicetree-map.yaml) continue ;; esac
    # ast2700fc's boot MCU ROM has no default: any file checks
    case $f in */ast2700fc.yaml) p=,param.bootmcu-rom=/dev/null ;; *) p= ;; esac
    ok_silent "${f#"$top"/}" -M "composed,desc=$f,check=on$p"
done

cat > "$tmp/board.yaml" <<'YAML'
version: 1
params:
  - {name: uart-base, type: int}
  - {name: extra, type: str, default: ""}
clocks: [{name: refclk, hz: 24000000}]
cpus: [{type: cortex-a15-arm-cpu}]
devices:
  - name: uart0
    type: pl011
    clocks: {clk: refclk}
    mmio: [{addr: $uart-base}]
  - name: on-kernel
    type: no-such-device-with-kernel
    if: kernel
  - name: on-flash
    type: no-such-device-with-flash
    if: drive:mtd:0
  - name: by-param
    type: $extra
    if: $extra != ''
YAML
d=$tmp/board.yaml
refused "a parameter without default, not given" \
    "board.yaml:[0-9]+:[0-9]+: .*uart-base" -M "composed,desc=$d,check=on"
ok_silent "parameter given" -M "composed,desc=$d,check=on,param.uart-base=0x1c090000"
refused "a parameter of the wrong type" "param.uart-base=somewhere: not an integer" \
    -M "composed,desc=$d,check=on,param.uart-base=somewhere"
refused "a parameter naming a bad device type" \
    "board.yaml:[0-9]+:[0-9]+: .*no-such-type" \
    -M "composed,desc=$d,check=on,param.uart-base=0,param.extra=no-such-type"
echo > "$tmp/kernel"
refused "-kernel: what only exists with it is checked" \
    "board.yaml:[0-9]+:[0-9]+: .*no-such-device-with-kernel" \
    -M "composed,desc=$d,check=on,param.uart-base=0" -kernel "$tmp/kernel"
truncate -s 1M "$tmp/flash"
refused "-drive: what only exists with it is checked" \
    "board.yaml:[0-9]+:[0-9]+: .*no-such-device-with-flash" \
    -M "composed,desc=$d,check=on,param.uart-base=0" \
    -drive "if=mtd,index=0,format=raw,file=$tmp/flash"

# The SD card drive a board with default-sdcard gets at init (unless
# -nodefaults): what exists only with it is checked too
cat > "$tmp/sd.yaml" <<'YAML'
version: 1
machine: {default-sdcard: true}
devices:
  - {name: card, type: no-such-card, if: "drive:sd:0"}
YAML
refused "default-sdcard: the default drive is a fact" \
    "sd.yaml:4:[0-9]+: .*no-such-card" -M "composed,desc=$tmp/sd.yaml,check=on"
ok_silent "default-sdcard with -nodefaults" \
    -M "composed,desc=$tmp/sd.yaml,check=on" -nodefaults

# A property only an instance knows: the check creates the objects (and
# realizes none of them)
cat > "$tmp/prop.yaml" <<'YAML'
version: 1
devices:
  - {name: uart0, type: pl011, props: {chardevv: "@serial.0"}}
YAML
refused "an unknown property" "prop.yaml:3:[0-9]+: .*chardevv" \
    -M "composed,desc=$tmp/prop.yaml,check=on"

cat > "$tmp/key.yaml" <<'YAML'
version: 1
devices:
  - {name: uart0, typo: pl011}
YAML
refused "an unknown key" "key.yaml:3:[0-9]+: .*typo" \
    -M "composed,desc=$tmp/key.yaml,check=on"

# -kernel with a boot that refuses it: the facts the build would check
cat > "$tmp/nokernel.yaml" <<'YAML'
version: 1
cpus: [{type: cortex-a15-arm-cpu}]
boot: {kind: none}
YAML
ok_silent "boot kind none without -kernel" -M "composed,desc=$tmp/nokernel.yaml,check=on"
refused "boot kind none with -kernel" "nokernel.yaml:[0-9]+:[0-9]+: .*kernel" \
    -M "composed,desc=$tmp/nokernel.yaml,check=on" -kernel "$tmp/kernel"

# -smp is a fact too
refused "-smp against the description's CPUs" "-smp 3" \
    -M "composed,desc=$top/machines/parts-a15.yaml,check=on" -smp 3

# Nothing is created that needs the accelerator: KVM cannot be created
# for an ARM guest on this host, and check mode never tries
qc -M "composed,desc=$top/machines/parts-a15.yaml" -accel kvm -S
check "(without check mode, -accel kvm fails here)" "[ $rc = 1 ]"
ok_silent "no accelerator is created" \
    -M "composed,desc=$top/machines/parts-a15.yaml,check=on" -accel kvm
refused "check=on needs a description" "check=on needs a board description" \
    -M composed,check=on
tap_done
