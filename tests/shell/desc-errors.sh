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

# refused NAME FILE-CONTENT EXPECTED-MESSAGE (a grep -F pattern)
refused() {
    local f="$tmp/$1" out rc
    printf '%s' "$2" > "$f"
    out=$(timeout 60 "$q" -M "composed,desc=$f" -display none -nodefaults \
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
tap_done
