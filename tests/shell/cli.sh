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
tap_done
