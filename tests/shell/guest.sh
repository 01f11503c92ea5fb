#!/usr/bin/env bash
# A Linux guest talking to our MCTP endpoints: boots the test guest
# (tests/guest/, built by build-guest.sh, cached) on
# machines/ast2600-mctp.yaml, sets NVMe-MI health values over HMP and
# runs tests/guest/mctp-checks.sh inside: EID assignment, control
# commands, echo, nvme-cli over MCTP, the NVMe-MI health poll through
# libnvme's MI API, basic management over i2c-tools.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# conditions are eval'd strings, as in cli.sh
# shellcheck disable=SC2016,SC2034
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export QEMU=${QEMU_BUILD:-$top/build}/qemu-system-arm
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
# shellcheck source=tests/shell/lib/guest.sh
. "$top/tests/shell/lib/guest.sh"

bash "$top/tests/guest/build-guest.sh" >&2 || bail "build the test guest"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The host's side: an HMP monitor on FIFOs sets the NVMe-MI temperature,
# percentage used and available spare with qom-set while the machine is
# stopped (each raises its changed flag in the health poll), then lets it
# run
guest_start 600 "$top/tests/guest/mctp-checks.sh" \
    -M composed,desc="$top/machines/ast2600-mctp.yaml"
{
    echo "qom-set /machine/nvme-mi temperature 47"
    echo "qom-set /machine/nvme-mi percentage-used 3"
    echo "qom-set /machine/nvme-mi available-spare 42"
    echo "qom-get /machine/nvme-mi temperature"
    echo "qom-get /machine/nvme-mi percentage-used"
    echo "qom-get /machine/nvme-mi available-spare"
    echo "cont"
} >&3
# When the guest has sent its malformed frames: read the echo endpoint's
# drop counters, then let the guest go on (the LM75 reads 99 C)
guest_wait_for HOST-READ-COUNTERS
{
    echo "qom-get /machine/echo drops-bad-pec"
    echo "qom-get /machine/echo drops-bad-length"
    echo "qom-set /machine/i2c8-tmp105-4d temperature 99000"
} >&3
guest_finish
# HMP answers: 47 3 42 (temperature, percentage used, available spare),
# then the two drop counters
health=$(tr -d '\r' < "$tmp/mon.log" | grep -x '[0-9]*' | sed -n '1,3p' |
         tr '\n' ' ')
check "qom-set temperature 47, percentage-used 3, available-spare 42 on the host" \
    '[ "$health" = "47 3 42 " ]' \
    "qom-set on the host: got '$health', want 47 3 42 ($(tr -d '\r' < "$tmp/mon.log" | tail -n 3))"
counters=$(tr -d '\r' < "$tmp/mon.log" | grep -x '[0-9]*' | sed -n '4,5p' |
           tr '\n' ' ')
check "mctp-echo counted the bad PEC and the truncated frame (drops 1 1)" \
    '[ "$counters" = "1 1 " ]' \
    "mctp-echo drop counters bad-pec, bad-length: '$counters', want 1 1"
guest_results "$tmp/console" "$rc"
tap_done
