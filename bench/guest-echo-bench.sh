#!/usr/bin/env bash
# make bench: MCTP echo round trips from a Linux guest (tests/guest/) to
# the endpoints of machines/ast2600-mctp.yaml, in one run: rate and
# p50/p99 latency for 64-byte and 1 KiB messages (type byte and the
# 7E CC DE F0 prefix included) to mctp-echo over I2C (alone on the bus,
# and with the two other endpoints answering requests at the same time)
# and to usb-mctp over USB; and the floor of the guest's own I2C driver,
# write+read round trips of the same sizes to an AT24C EEPROM on the same
# bus, so that MCTP's own cost over I2C shows as a ratio.  Goals: 2,000
# round trips/s at 64 B over USB; over I2C, MCTP echo at 0.9x the floor
# or better.  It reports; it does not fail on speed.
#
# Three runs: the guest idling as it does by default (WFI), with "nohlt"
# (its idle loop polls), and under -icount shift=3,sleep=off, where the
# guest's clock is its instruction count (125 million a second) and idle
# time is skipped: those figures are emulated time, the same on a busy
# host as on an idle one, and show what the models and the guest's
# drivers cost apart from how much CPU the host gives QEMU.
# The difference between the first two is what waking a sleeping vCPU
# costs on the host: over I2C the endpoint's response reaches the guest
# one byte per interrupt.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export QEMU=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}/qemu-system-arm

bash tests/guest/build-guest.sh >&2

# GUEST_ECHO_SOAK=SECONDS: a soak run instead, the three-endpoint case
# for that long with the guest idling normally; totals of round trips
# and of requests lost (echo and the Get EID loops); fails on a loss.
# GUEST_ECHO_SOAK_ICOUNT=1 runs it under -icount shift=3,sleep=off: the
# endpoints' timeouts (an unacknowledged frame is given up after three
# tries of 100 ms) then count the guest's instructions, not the time a
# loaded host leaves its vCPU waiting for a core.
if [ -n "${GUEST_ECHO_SOAK:-}" ]; then
    soak_args=()
    [ "${GUEST_ECHO_SOAK_ICOUNT:-0}" = 0 ] ||
        soak_args=(-icount shift=3,sleep=off)
    # a slow host stretches the last rounds: a generous timeout, and the
    # totals of what ran even if it struck
    out=$(bash tests/guest/run-guest.sh -t $((GUEST_ECHO_SOAK * 4 + 600)) \
          -a "soak=$GUEST_ECHO_SOAK" bench/lib/guest-echo.sh -- \
          -M composed,desc=machines/ast2600-mctp.yaml "${soak_args[@]}" \
          2>&1 | tr -d '\r' || true)
    printf '%s\n' "$out" | grep -E '^SOAK' >&2 || true
    printf '%s\n' "$out" | awk -f bench/lib/soak-totals.awk
    exit
fi
printf '%-8s %-16s %6s %s\n' "guest" "bus" "bytes" "result"
for idle in wfi poll icount; do
    kargs=
    qargs=()
    case $idle in
    poll) kargs=nohlt ;;
    icount) qargs=(-icount shift=3,sleep=off) ;;
    esac
    rc=0
    out=$(bash tests/guest/run-guest.sh -t 1800 ${kargs:+-a "$kargs"} \
          bench/lib/guest-echo.sh -- \
          -M composed,desc=machines/ast2600-mctp.yaml \
          -device at24c-eeprom,bus=aspeed.i2c.bus.15,address=0x57,rom-size=4096 \
          "${qargs[@]}" 2>&1 | tr -d '\r') || rc=$?
    [ $rc = 0 ] || echo "guest-echo-bench: $idle run ended with status $rc" >&2
    if ! grep -q '^BENCH' <<<"$out"; then
        echo "guest-echo-bench: no results; console:" >&2
        echo "$out" | tail -n 20 >&2
        exit 1
    fi
    grep '^BENCH' <<<"$out" | while read -r _ bus bytes rest; do
        printf '%-8s %-16s %6s %s\n' "$idle" "$bus" "$bytes" \
            "${rest#*: }"
    done
    # MCTP echo over I2C against the raw floor, rate over rate
    for bytes in 64 1024; do
        rate() {
            sed -n "s/^BENCH $1 $bytes .*: \([0-9]*\)\/s,.*/\1/p" <<<"$out"
        }
        mctp=$(rate i2c-mctp)
        raw=$(rate i2c-raw)
        [ -n "$mctp" ] && [ -n "$raw" ] && [ "$raw" != 0 ] &&
            printf '%-8s %-16s %6s MCTP echo / raw write+read: %s/%s = %s\n' \
                "$idle" "i2c-ratio" "$bytes" "$mctp" "$raw" \
                "$(awk -v a="$mctp" -v b="$raw" 'BEGIN { printf "%.2f", a / b }')"
    done
done
