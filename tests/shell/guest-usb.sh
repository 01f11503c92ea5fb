#!/usr/bin/env bash
# MCTP over USB from a Linux guest: boots the test guest (tests/guest/,
# one kernel for every guest test, with CONFIG_MCTP_TRANSPORT_USB) on
# machines/ast2600-mctp.yaml, whose usb-mctp sits on the EHCI the EVB's
# device tree enables, sets NVMe-MI health values over HMP and runs
# tests/guest/usb-checks.sh inside: Linux's mctp-usb driver (mctpusb0),
# Set/Get EID, UUID, message types, echo up to 4096 bytes, nvme-cli over
# MCTP, malformed transfers through usbfs (the host reads the drop
# counters), then device_del/device_add and the new device answers.
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-usb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
DEV=/machine/usb-mctp

guest_start 900 "$top/tests/guest/usb-checks.sh" \
    -M composed,desc="$top/machines/ast2600-mctp.yaml"
{
    echo "qom-set $DEV temperature 44"
    echo "qom-set $DEV available-spare 77"
    echo "qom-set $DEV percentage-used 9"
    echo "qom-get $DEV temperature"
    echo "cont"
} >&3
# When the guest has written its malformed transfers: read the drop
# counters, then unplug the device and plug a new one on the same port
guest_wait_for HOST-USB-REPLUG
{
    for c in zero-length bad-dmtf-id overrun truncated busy; do
        echo "qom-get $DEV drops-$c"
    done
    # a USB device leaves at once: its port is free for the new one
    echo "device_del $DEV"
    echo "device_add usb-mctp,id=mctp2,bus=usb-bus.1,port=1,serial=REPLUGGED"
} >&3
guest_finish
# HMP answers: 44 (temperature), then the five drop counters
answers=$(tr -d '\r' < "$tmp/mon.log" | grep -x '[0-9]*' | sed -n '1,6p' |
          tr '\n' ' ')
check "qom-set temperature 44 on the host" \
    '[ "${answers%% *}" = 44 ]' "qom-get temperature: '$answers'"
check "usb-mctp counted one transfer per malformation, none busy" \
    '[ "${answers#* }" = "1 1 1 1 0 " ]' \
    "drops zero-length bad-dmtf-id overrun truncated busy: '${answers#* }', want 1 1 1 1 0"
check "device_add accepted" \
    '! tr -d "\r" < "$tmp/mon.log" | grep -qi "error"' \
    "HMP reported an error: $(tr -d '\r' < "$tmp/mon.log" | grep -i error)"
guest_results "$tmp/console" "$rc"
tap_done
