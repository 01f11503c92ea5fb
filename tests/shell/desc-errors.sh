#!/usr/bin/env bash
# Hostile board descriptions, as a new user could write them: each must
# be refused with FILE:LINE:COL messages and exit status 1, never crash.
# Env: QEMU_BUILD = the QEMU build directory.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
b=${QEMU_BUILD:?}
# shellcheck source=tests/shell/lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
q="$b/qemu-system-arm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# refused NAME FILE-CONTENT EXPECTED-MESSAGE (a grep -F pattern); QEMU
# runs with -nodefaults unless DEFAULTS=1
refused() {
    local f="$tmp/$1" out rc nodefaults=-nodefaults
    [ "${DEFAULTS:-}" != 1 ] || nodefaults=
    printf '%s' "$2" > "$f"
    # shellcheck disable=SC2086
    out=$(timeout 60 "$q" -M "composed,desc=$f" -display none $nodefaults \
          -S 2>&1 </dev/null)
    rc=$?
    if [ $rc = 1 ] && grep -qF -- "$f:$3" <<<"$out"; then
        result ok "$1: refused, located"
    else
        result fail "$1: exit status $rc, output: $out"
    fi
}

# A control character in a key once collided with the merge's own
# bookkeeping and crashed QEMU
refused ctl-key.json \
    '{"version": "1", "devices": [{"name": "a", "type": "pl011", "\u0001overrides": ["x"]}]}' \
    '1:61: control character U+0001 in a mapping key'
refused ctl-key.yaml \
    $'version: 1\ndevices:\n  - {name: a, type: pl011, "\\x01overrides": [x]}\n' \
    '3:28: control character U+0001 in a mapping key'
# The format's constructs, pushed too far
refused for-bomb.yaml \
    $'version: 1\ndevices:\n  - for: {a: 0..65535, b: 0..65535}\n    name: "d${a}-${b}"\n    type: pl011\n' \
    '3:5: for: repetitions make more than 262144 nodes'
refused overflow.yaml \
    $'version: 1\nconstants: {MAX: 0x7fffffffffffffff}\ndevices:\n  - {name: a, type: pl011, mmio: [{addr: $MAX + 1}]}\n' \
    "4:42: expression '\$MAX + 1': integer overflow"
refused twice.yaml \
    $'version: 1\ndevices:\n  - {name: a, type: pl011}\n  - {name: a, type: pl011}\n' \
    "4:12: devices: 'a' is already declared at $tmp/twice.yaml:3:12 (to change it, write 'override: a')"
refused nothing.yaml \
    $'version: 1\ndevices:\n  - {override: b, if: kernel, props: {x: 1}}\n' \
    "3:16: devices: nothing named 'b' to override"
deep=$(printf '(%.0s' $(seq 40))kernel$(printf ')%.0s' $(seq 40))
refused deep-condition.yaml \
    "version: 1
devices:
  - {name: a, type: pl011, if: \"$deep\"}
" \
    "3:32: invalid condition '$deep': nested deeper than 32"
# What QEMU's memory API asserts on: a region given a second container
# (RAM mapped by the description and by the device it was linked to),
# and a region that would contain itself through an alias
refused ram-twice.yaml \
    $'version: 1\nmachine:\n  ram-size: 512M\n  ram-map: {addr: 0x80000000}\ndevices:\n  - name: soc\n    type: ast2600-a3\n    props: {dram: "@machine.ram", memory: "@system-memory",\n            ram-size: "@machine.ram-size"}\n' \
    "4:12: machine.ram-map: the machine RAM is already mapped (in 'ram-container'), by a device that got it by link"
refused region-twice.yaml \
    $'version: 1\nmemory:\n  - {name: dram, kind: ram, size: 256M, map: {addr: 0x80000000}}\ndevices:\n  - name: soc\n    type: ast2600-a3\n    props: {dram: "@dram", memory: "@system-memory",\n            ram-size: 0x10000000}\n' \
    "3:46: memory[0] 'dram': the region is already mapped (in 'ram-container'), by a device that got it by link"
refused region-cycle.yaml \
    $'version: 1\nmemory:\n  - {name: top, kind: container, size: 1M, map: {addr: 0}}\n  - {name: mid, kind: container, size: 64K,\n     map: {container: top, addr: 0}}\n  - {name: loop, kind: alias, alias: top, size: 4K,\n     map: {container: mid, addr: 0x100}}\n' \
    "7:11: memory[2] 'loop': mapping it into 'mid' would make 'mid' contain itself"
# A device realized by its own props, before it is on its bus (a USB
# device crashed QEMU)
refused realized.yaml \
    $'version: 1\ndevices:\n  - {name: a, type: pl011, props: {realized: true}}\n' \
    "3:36: devices[0] 'a': property 'realized': the machine realizes its devices itself"
# The CPU count is fixed before the machine's default SD drive exists: a
# CPU group that appears with it (QEMU's defaults on) is refused
DEFAULTS=1 refused cpus-by-condition.yaml \
    $'version: 1\nmachine: {default-sdcard: true}\ncpus:\n  - {type: cortex-a15-arm-cpu}\n  - {name: extra, type: cortex-a15-arm-cpu, if: "drive:sd:0"}\ndevices:\n  - {name: sdhci, type: generic-sdhci}\n  - {name: card, type: sd-card, bus: sdhci/sd-bus,\n     props: {drive: "@drive.sd.0"}}\n' \
    "5:5: cpus[1] 'extra': this CPU group exists only at machine init, after the CPU count (1) was fixed: CPUs cannot depend on -drive options"
tap_done
