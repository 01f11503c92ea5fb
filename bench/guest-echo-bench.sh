#!/usr/bin/env bash
# make bench: MCTP echo round trips from a Linux guest (tests/guest/) to
# the mctp-echo endpoint of machines/ast2600-mctp.yaml: rate and p50/p99
# latency for 64-byte and 1 KiB messages (type byte and the 7E CC DE F0
# prefix included), with the endpoint alone on the bus and with the two
# other endpoints answering requests at the same time.  The goal is 2,000
# round trips/s at 64 B (a real 1 MHz I2C bus manages about 750).  It
# reports; it does not fail on speed.
#
# Each case runs twice: with the guest idling as it does by default (WFI:
# its vCPU sleeps and every interrupt wakes the vCPU thread) and with
# "nohlt" on its command line (the idle loop polls).  Linux 6.12's
# i2c-aspeed driver moves one byte per interrupt, so a 64-byte echo costs
# some 145 interrupts, and the difference between the two rows is what
# waking a sleeping vCPU costs per interrupt on the host.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export QEMU=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}/qemu-system-arm

bash tests/guest/build-guest.sh >&2
printf '%-8s %-16s %6s %s\n' "guest" "bus" "bytes" "result"
for idle in wfi poll; do
    kargs=
    [ $idle = wfi ] || kargs=nohlt
    out=$(bash tests/guest/run-guest.sh -t 600 ${kargs:+-a "$kargs"} \
          bench/lib/guest-echo.sh -- \
          -M composed,desc=machines/ast2600-mctp.yaml 2>&1 | tr -d '\r')
    if ! grep -q '^BENCH' <<<"$out"; then
        echo "guest-echo-bench: no results; console:" >&2
        echo "$out" | tail -n 20 >&2
        exit 1
    fi
    grep '^BENCH' <<<"$out" | while read -r _ bus bytes rest; do
        printf '%-8s %-16s %6s %s\n' "$idle" "$bus" "$bytes" \
            "${rest#mctp-req: }"
    done
done
