# shellcheck shell=sh
# Runs inside the test guest: prints what the kernel found on the board,
# without timestamps or counters, so that two boots on equivalent machines
# print the same (tests/shell/guest-boot.sh compares them).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later

echo "FACT cpus $(grep -c ^processor /proc/cpuinfo)"
grep -E '^(model name|Features|CPU (implementer|architecture|variant|part|revision))' \
    /proc/cpuinfo | sort -u | sed 's/^/FACT cpuinfo /'
sed -n 's/^MemTotal: */FACT memtotal /p' /proc/meminfo
for d in /sys/bus/platform/drivers/*/; do
    for dev in "$d"*; do
        [ -L "$dev" ] && [ -e "$dev/uevent" ] &&
            echo "FACT bound $(basename "$d") $(basename "$dev")"
    done
done
for dev in /sys/bus/i2c/devices/*; do
    echo "FACT i2c $(basename "$dev") $(cat "$dev/name" 2>/dev/null)"
done
for n in /sys/class/net/*; do
    echo "FACT net $(basename "$n") type $(cat "$n/type")"
done
sed -n 's/^ *\([0-9a-f]*-[0-9a-f]*\) : \(.*\)/FACT iomem \1 \2/p' /proc/iomem
