#!/usr/bin/env bash
# Live migration of machines/ast2600-mctp.yaml in the middle of a Linux
# guest's MCTP traffic: the guest (tests/guest/) echoes through the
# Linux MCTP stack to mctp-echo while it keeps the NVMe-MI and NC-SI
# endpoints busy (bench/lib/guest-echo.sh, soak mode); the host migrates
# the machine to a second QEMU while it does, and the guest's
# conversation goes on there, with nothing lost.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# conditions are eval'd strings, as in cli.sh
# (and the variables they use look unused)
# shellcheck disable=SC2016,SC2034
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export QEMU=${QEMU_BUILD:-$top/build}/qemu-system-arm
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"

bash "$top/tests/guest/build-guest.sh" >&2 || bail "build the test guest"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-mig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
soak=60
# -icount: the endpoints give up on a response the guest does not
# acknowledge within three tries of 100 ms; under -icount those count
# the guest's instructions, not the time a loaded host keeps its vCPU
# waiting (see the soak in docs/devel/composer-reliability.rst)
board=(-M "composed,desc=$top/machines/ast2600-mctp.yaml"
       -icount shift=3,sleep=off)
run=(bash "$top/tests/guest/run-guest.sh" -t $((soak + 600)) -a "soak=$soak")
script=$top/bench/lib/guest-echo.sh

# the destination waits for the state; the source starts stopped, with
# an HMP monitor on FIFOs
"${run[@]}" "$script" -- "${board[@]}" -incoming "unix:$tmp/mig.sock" \
    > "$tmp/dst.console" 2>&1 &
dst=$!
mkfifo "$tmp/mon.in" "$tmp/mon.out"
cat "$tmp/mon.out" > "$tmp/mon.log" &
"${run[@]}" -m "$tmp/mon" "$script" -- "${board[@]}" \
    > "$tmp/src.console" 2>&1 &
src=$!
# read-write: does not block if QEMU is gone
exec 3<> "$tmp/mon.in"
echo "cont" >&3

# some seconds into the traffic: migrate
for _ in $(seq 3000); do
    grep -q '^SOAK-START' "$tmp/src.console" 2> /dev/null && break
    kill -0 $src 2> /dev/null || break
    sleep 0.1
done
started=$(grep -c '^SOAK-START' "$tmp/src.console")
sleep 10
echo "migrate -d unix:$tmp/mig.sock" >&3
status=
for _ in $(seq 1200); do
    echo "info migrate" >&3
    sleep 0.5
    status=$(tr -d '\r' < "$tmp/mon.log" |
             sed -n 's/^Migration status: *//p' | tail -n 1)
    case $status in completed | failed | cancelled) break ;; esac
done
echo "quit" >&3
exec 3>&-
wait $src
wait $dst
rc=$?
wait

cat "$tmp/src.console" "$tmp/dst.console" | tr -d '\r' > "$tmp/both"
sed 's/^/# src: /' "$tmp/src.console"
sed 's/^/# dst: /' "$tmp/dst.console"
before=$(grep -c '^SOAK [0-9]' "$tmp/src.console")
after=$(grep -c '^SOAK [0-9]' "$tmp/dst.console")
check "guest traffic started on the source" '[ "$started" = 1 ]'
check "live migration completed (status: ${status:-none})" \
    '[ "$status" = completed ]'
check "echo rounds before ($before) and after ($after) the migration" \
    '[ "$before" -gt 0 ] && [ "$after" -gt 0 ]'
totals=$(awk -f "$top/bench/lib/soak-totals.awk" "$tmp/both")
trc=$?
echo "$totals" | sed 's/^/# /'
check "nothing lost: every echo and Get EID answered" '[ "$trc" = 0 ]' \
    "nothing lost: $(echo "$totals" | tr '\n' ' ')"
check "guest exits on the destination" \
    'grep -q "=== GUEST-EXIT-CODE=0 ===" "$tmp/dst.console"' \
    "guest exits on the destination (QEMU exit $rc)"
tap_done
