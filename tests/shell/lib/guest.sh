# The guest's side of a guest test (sourced after tap.sh): turn the
# console of a run of tests/guest/run-guest.sh into TAP results.
#
#   guest_results CONSOLE QEMU-STATUS
#       "guest boots", one result per "CHECK ok|fail WHAT" line of the
#       in-guest script, "guest ran all N checks" against its
#       "CHECK-PLAN N" line, and "guest exits"
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# conditions are eval'd strings, as in tap.sh
# shellcheck disable=SC2016

guest_results() {
    local console=$1 rc=$2 plan got=0 status what
    check "guest boots" 'grep -q "=== GUEST-BOOT-OK" "$console"' \
        "guest boots (QEMU exit $rc)"
    plan=$(sed -n 's/^CHECK-PLAN \([0-9]*\).*/\1/p' "$console" | tr -d '\r')
    while read -r _ status what; do
        got=$((got + 1))
        result "$status" "guest: $what"
    done < <(grep '^CHECK \(ok\|fail\) ' "$console" | tr -d '\r')
    check "guest ran all $got checks" '[ -n "$plan" ] && [ "$got" = "$plan" ]' \
        "guest ran $got of ${plan:-?} checks"
    check "guest exits" 'grep -q "=== GUEST-EXIT-CODE=0 ===" "$console"' \
        "guest exits (QEMU exit $rc)"
}
