# Guest tests (sourced after tap.sh; $top is the repository, $tmp a
# scratch directory): boot the test guest with an HMP monitor, follow its
# console, turn its checks into TAP results.
#
#   guest_start SECONDS SCRIPT QEMU-ARGS...
#       boot the guest stopped, running SCRIPT (tests/guest/run-guest.sh),
#       at most SECONDS; the console goes to $tmp/console, HMP answers to
#       $tmp/mon.log; HMP commands are written to fd 3 ("cont" starts it)
#   guest_wait_for MARKER
#       until a console line starts with MARKER (or the guest ended)
#   guest_finish
#       wait for the guest; $rc is QEMU's status; the console is printed
#       as TAP comments
#   guest_results CONSOLE QEMU-STATUS
#       "guest boots", one result per "CHECK ok|fail WHAT" line of the
#       in-guest script, "guest ran all N checks" against its
#       "CHECK-PLAN N" line, and "guest exits"
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# conditions are eval'd strings, as in tap.sh
# shellcheck disable=SC2016,SC2154

guest_start() {
    local seconds=$1 script=$2
    shift 2
    mkfifo "$tmp/mon.in" "$tmp/mon.out"
    cat "$tmp/mon.out" > "$tmp/mon.log" &
    bash "$top/tests/guest/run-guest.sh" -t "$seconds" -m "$tmp/mon" \
        "$script" -- "$@" > "$tmp/console" 2>&1 &
    guest_pid=$!
    exec 3> "$tmp/mon.in"
}

guest_wait_for() {
    for _ in $(seq 3000); do
        grep -q "^$1" "$tmp/console" 2> /dev/null && return 0
        kill -0 "$guest_pid" 2> /dev/null || return 1
        sleep 0.1
    done
    return 1
}

guest_finish() {
    wait "$guest_pid"
    rc=$?
    exec 3>&-
    wait
    sed 's/^/# /' "$tmp/console"
}

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
