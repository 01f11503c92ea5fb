#!/usr/bin/env bash
# Command-line facts of the two emulators: QEMU 10.0.x, "composed" listed.
# Env: QEMU_BUILD = the QEMU build directory.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
b=${QEMU_BUILD:?}
# shellcheck source=tests/shell/lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
for t in arm aarch64; do
    q="$b/qemu-system-$t"
    check "$t: --version is 10.0.x" \
        "'$q' --version | head -n 1 | grep -qE '^QEMU emulator version 10\.0\.[0-9]+'"
    check "$t: -M help lists composed" \
        "'$q' -M help | grep -qE '^composed +Machine built from a board description'"
    check "$t: -M composed starts and quits" \
        "echo quit | timeout 60 '$q' -M composed -display none -nodefaults -monitor stdio >/dev/null"
done

# A description and what it includes are read once per start, although
# the machine evaluates it twice (when desc is set, and at init where
# conditions on drives and -kernel are known)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/part.yaml" <<'YAML'
version: 1
clocks: [{name: refclk, hz: 24000000}]
YAML
cat >"$tmp/board.yaml" <<'YAML'
version: 1
include: [part.yaml]
params: [{name: n, type: int, default: 1}]
devices: [{name: u, type: pl011, mmio: [{addr: 0x1000}]}]
YAML
if command -v strace >/dev/null; then
    for f in board part; do
        check "arm: $f.yaml is read once" \
            "[ \"\$(echo quit | timeout 60 strace -f -e trace=openat -o '$tmp/trace' \
                '$b/qemu-system-arm' -M composed,desc='$tmp/board.yaml',param.n=2 \
                -display none -nodefaults -monitor stdio >/dev/null 2>&1;
               grep -c '$f.yaml' '$tmp/trace')\" = 1 ]"
    done
else
    echo "# skip: strace is not installed, the read-once checks are skipped"
fi
tap_done
