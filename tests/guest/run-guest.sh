#!/usr/bin/env bash
# Boot the MCTP test guest (build/guest, see build-guest.sh) and run a
# shell script inside it; the console goes to stdout.
#
# Usage: run-guest.sh [-t SECONDS] [-m MONITOR-PIPE] [-a KERNEL-ARGS] SCRIPT
#                     -- QEMU-ARGS...
#
# SCRIPT is added to the initramfs as /run.sh and run by /init, which
# prints "=== GUEST-EXIT-CODE=<status> ===" and resets the board; QEMU
# runs with -no-reboot and so exits.  With -m P, QEMU starts stopped with
# an HMP monitor on the FIFOs P.in and P.out (the caller sends "cont").
# -a appends to the kernel command line.  Exit status is
# QEMU's (124 on timeout).  QEMU: $QEMU (default build/qemu-system-arm).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
g=${QC_GUEST_DIR:-$top/build/guest}
qemu=${QEMU:-$top/build/qemu-system-arm}
tmo=300
mon=()
kargs=
while getopts t:m:a: opt; do
    case $opt in
    t) tmo=$OPTARG ;;
    m) mon=(-S -monitor "pipe:$OPTARG") ;;
    a) kargs=" $OPTARG" ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
script=${1:?usage: run-guest.sh [-t S] [-m PIPE] [-a ARGS] SCRIPT -- QEMU-ARGS...}
shift
[ "${1:-}" != -- ] || shift

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The kernel unpacks concatenated archives in order: add /run.sh, and
# the helpers of the check scripts
printf 'file /run.sh %s 755 0 0\nfile /checks-lib.sh %s 644 0 0\n' \
    "$(cd "$(dirname "$script")" && pwd)/$(basename "$script")" \
    "$(cd "$(dirname "$0")" && pwd)/checks-lib.sh" > "$tmp/list"
"$g/gen_init_cpio" -t 1 "$tmp/list" | gzip -n > "$tmp/run.cpio.gz"
cat "$g/initramfs.cpio.gz" "$tmp/run.cpio.gz" > "$tmp/initrd"

set +e
timeout -k 5 "$tmo" "$qemu" "$@" -m 1G -no-reboot \
    -kernel "$g/zImage" -dtb "$g/ast2600-evb-mctp.dtb" -initrd "$tmp/initrd" \
    -append "console=ttyS4,115200 rdinit=/init quiet loglevel=4 guest.run=/run.sh$kargs" \
    -nographic -monitor none "${mon[@]}" < /dev/null
