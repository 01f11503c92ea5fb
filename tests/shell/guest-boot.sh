#!/usr/bin/env bash
# Boot equivalence: the MCTP test guest (tests/guest/) boots on
# -M ast2600-evb and on machines/ast2600-evb.yaml and finds the same
# board (CPUs, memory, bound drivers, I2C devices, network links, memory
# map: tests/guest/boot-facts.sh).
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export QEMU=${QEMU_BUILD:-$top/build}/qemu-system-arm
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"

bash "$top/tests/guest/build-guest.sh" >&2 || bail "build the test guest"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-boot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for m in ast2600-evb "composed,desc=$top/machines/ast2600-evb.yaml"; do
    f=$tmp/${m%%,*}
    bash "$top/tests/guest/run-guest.sh" -t 300 \
        "$top/tests/guest/boot-facts.sh" -- -M "$m" > "$f.log" 2>&1
    tr -d '\r' < "$f.log" | sed -n 's/^FACT //p' > "$f.facts"
    check "$m: guest boots and exits" \
        "grep -q '=== GUEST-EXIT-CODE=0 ===' '$f.log'"
    check "$m: guest found the MCTP link and drivers" \
        "grep -q '^net mctpi2c15 type 290' '$f.facts' &&
         grep -q '^bound aspeed-i2c-bus ' '$f.facts'"
done
check "same board seen on both machines" \
    "diff -u '$tmp/ast2600-evb.facts' '$tmp/composed.facts' | sed 's/^/# /'
     cmp -s '$tmp/ast2600-evb.facts' '$tmp/composed.facts'"
tap_done
