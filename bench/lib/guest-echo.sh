#!/bin/sh
# Runs inside the test guest on machines/ast2600-mctp.yaml for
# bench/guest-echo-bench.sh: assigns EIDs on I2C bus 15, then measures
# echo round trips to mctp-echo (EID 10) through the Linux MCTP stack,
# alone and while the two other endpoints on the bus are kept busy.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
IF=mctpi2c15
N64=${N64:-2000}
N1K=${N1K:-300}
mctp-setup link $IF > /dev/null
mctp-setup addr $IF 8 > /dev/null
for ep in 0x12:10 0x1d:9 0x14:11; do
    addr=${ep%%:*}
    eid=${ep#*:}
    mctp-req -i $IF -a "$addr" 0 0x80 1 0 "$eid" > /dev/null
    mctp-setup route $IF "$eid" > /dev/null
    mctp-setup neigh $IF "$eid" "$addr" > /dev/null
done
echo "BENCH one-endpoint 64 $(mctp-req -e 10 -x 60 -n "$N64")"
echo "BENCH one-endpoint 1024 $(mctp-req -e 10 -x 1020 -n "$N1K")"
# the NVMe-MI and NC-SI endpoints answer Get EID in a loop meanwhile
for eid in 9 11; do
    (while :; do mctp-req -e $eid 0 0x80 2 > /dev/null || exit; done) &
done
echo "BENCH three-endpoints 64 $(mctp-req -e 10 -x 60 -n "$N64")"
echo "BENCH three-endpoints 1024 $(mctp-req -e 10 -x 1020 -n "$N1K")"
kill %1 %2 2> /dev/null
exit 0
