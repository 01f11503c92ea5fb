#!/bin/sh
# Runs inside the test guest on machines/ast2600-mctp.yaml for
# bench/guest-echo-bench.sh: assigns EIDs on I2C bus 15 and on mctpusb0,
# then measures echo round trips through the Linux MCTP stack to
# mctp-echo (EID 10, I2C), alone and while the two other I2C endpoints
# are kept busy, and to usb-mctp (EID 20, USB); and the floor of the
# guest's I2C driver: write+read round trips of the same sizes to the
# AT24C EEPROM the bench adds at 0x57 on bus 15.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
IF=mctpi2c15
USB=mctpusb0
# round trips per case: I2C moves a byte per interrupt, USB a transfer
I2C64=500
I2C1K=60
USB64=2000
USB1K=300
mctp-setup link $IF > /dev/null
mctp-setup addr $IF 8 > /dev/null
for ep in 0x12:10 0x1d:9 0x14:11; do
    addr=${ep%%:*}
    eid=${ep#*:}
    mctp-req -i $IF -a "$addr" 0 0x80 1 0 "$eid" > /dev/null
    mctp-setup route $IF "$eid" > /dev/null
    mctp-setup neigh $IF "$eid" "$addr" > /dev/null
done
# soak=SECONDS on the kernel command line: only the three-endpoint case,
# for that long (bench/guest-echo-bench.sh with GUEST_ECHO_SOAK); the
# Get EID loops count their requests and the ones that failed.  A
# request counts as lost only after 30 s without an answer: a soak looks
# for answers that never come, not for slow ones (a busy host makes the
# guest slow)
if [ -n "${soak:-}" ]; then
    echo "SOAK-START $soak"
    for eid in 9 11; do
        (n=0; bad=0
         trap 'echo "SOAK-GETEID $eid $n $bad"; exit 0' TERM
         while :; do
             n=$((n + 1))
             mctp-req -t 30000 -e $eid 0 0x80 2 > /dev/null ||
                 bad=$((bad + 1))
         done) &
    done
    end=$(($(date +%s) + soak))
    while [ "$(date +%s)" -lt "$end" ]; do
        echo "SOAK 64 $(mctp-req -t 30000 -e 10 -x 60 -n 100)"
        echo "SOAK 1024 $(mctp-req -t 30000 -e 10 -x 1020 -n 10)"
    done
    kill %1 %2
    wait
    exit 0
fi
for _ in $(seq 100); do
    [ -e /sys/class/net/$USB ] && break
    sleep 0.1
done
mctp-setup link $USB > /dev/null
mctp-setup addr $USB 8 > /dev/null
mctp-req -i $USB 0 0x80 1 0 20 > /dev/null
mctp-setup route $USB 20 > /dev/null
# the same message sizes: 64 and 1024 bytes with the type byte and prefix
echo "BENCH usb-mctp 64 $(mctp-req -e 20 -x 60 -n $USB64)"
echo "BENCH usb-mctp 1024 $(mctp-req -e 20 -x 1020 -n $USB1K)"
echo "BENCH i2c-mctp 64 $(mctp-req -e 10 -x 60 -n $I2C64)"
echo "BENCH i2c-raw 64 $(i2c-bench -b 15 -a 0x57 -s 64 -n $I2C64)"
echo "BENCH i2c-mctp 1024 $(mctp-req -e 10 -x 1020 -n $I2C1K)"
echo "BENCH i2c-raw 1024 $(i2c-bench -b 15 -a 0x57 -s 1024 -n $I2C1K)"
# the NVMe-MI and NC-SI endpoints answer Get EID in a loop meanwhile
for eid in 9 11; do
    (while :; do mctp-req -e $eid 0 0x80 2 > /dev/null || exit; done) &
done
echo "BENCH i2c-3-endpoints 64 $(mctp-req -e 10 -x 60 -n $I2C64)"
echo "BENCH i2c-3-endpoints 1024 $(mctp-req -e 10 -x 1020 -n $I2C1K)"
kill %1 %2 2> /dev/null
exit 0
