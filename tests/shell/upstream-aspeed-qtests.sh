#!/usr/bin/env bash
# QEMU's own ASPEED qtests, run against the composed boards: each test
# program runs with tests/qtest/composed-qtest-wrapper.sh as its QEMU,
# which turns "-machine ast2600-evb" (and every other ASPEED board with a
# description) into "-machine composed,desc=machines/ast2600-evb.yaml".
# A program passes when all its cases pass and it started at least one
# description.  The upstream tests are not modified.
# Env: QEMU_BUILD = the QEMU build directory.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
b=${QEMU_BUILD:?}
here=$(cd "$(dirname "$0")" && pwd)
wrapper=$here/../qtest/composed-qtest-wrapper.sh
# shellcheck source=tests/shell/lib/tap.sh
. "$here/lib/tap.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-upstream.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# libqtest takes the target from the binary's name: qemu-system-ARCH
for arch in arm aarch64; do
    ln -s "$wrapper" "$tmp/qemu-system-$arch"
done

run() {
    local arch=$1 t=$2 prog=$b/tests/qtest/$2 log=$tmp/$1-$2.log
    local out=$tmp/$1-$2.out rc passed

    if [ ! -x "$prog" ]; then
        result fail "$arch $t: not built ($prog)"
        return
    fi
    (cd "$b" && QC_QEMU_BINARY="$b/qemu-system-$arch" QC_WRAPPER_LOG="$log" \
        QTEST_QEMU_BINARY="$tmp/qemu-system-$arch" \
        timeout "${QC_UPSTREAM_TIMEOUT:-1800}" "$prog" --tap) > "$out" 2>&1
    rc=$?
    passed=$(grep -c '^ok ' "$out")
    if [ $rc = 0 ] && [ "$passed" -gt 0 ] && ! grep -q '^not ok' "$out"; then
        result ok "$arch $t: $passed cases pass on $(sort -u "$log" | \
            cut -d' ' -f1 | tr '\n' ' ')"
    else
        grep -E '^not ok|ERROR|Bail out|differs' "$out" | head -n 20 | \
            sed 's/^/# /'
        result fail "$arch $t: exit $rc, $passed cases passed"
    fi
    check "$arch $t: ran on composed boards" "[ -s '$log' ]"
}

for t in aspeed_hace-test aspeed_smc-test aspeed_gpio-test aspeed_fsi-test \
         tpm-tis-i2c-test; do
    run arm "$t"
done
for t in ast2700-gpio-test ast2700-smc-test; do
    run aarch64 "$t"
done
tap_done
