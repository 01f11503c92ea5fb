# shellcheck shell=sh
# Runs inside the test guest (tests/shell/guest.sh boots it on
# machines/ast2600-mctp.yaml): brings up MCTP on I2C bus 15 the way a bus
# owner does, then talks to each endpoint through the Linux MCTP stack,
# nvme-cli and i2c-tools.  Prints "CHECK ok|fail <what>" per check, and
# "CHECK-PLAN <n>" first; the host turns these into ok/not ok lines.
# The host sets the NVMe-MI temperature to 47 C, percentage used to 3 and
# available spare to 42 with qom-set before boot.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later

IF=mctpi2c15
BUS=15
# I2C address, EID we assign, message types besides control, UUID
EPS="0x12:10:7e:2d5b4f1e6c1a4e559b8e120000000003
0x1d:9:04:2d5b4f1e6c1a4e559b8e1d0000000001
0x14:11:02:2d5b4f1e6c1a4e559b8e140000000002"
ECHO_EID=10
NVME_EID=9
ECHO_LENS="1 64 65 250 1024"
echo "CHECK-PLAN $((3 + 6 * 3 + 5 + 5 + 8 + 4))"

# shellcheck source=tests/guest/checks-lib.sh
. /checks-lib.sh

check "$IF exists, ARPHRD_MCTP" \
    "[ \"\$(cat /sys/class/net/$IF/type)\" = 290 ]"
check "link $IF up" "mctp-setup link $IF"
check "local EID 8 on $IF" "mctp-setup addr $IF 8"

for ep in $EPS; do
    IFS=: read -r addr eid types uuid <<E
$ep
E
    x=$(printf '%02x' "$eid")
    # Set Endpoint ID (operation 0: set) to EID 0 at the physical address
    check "$addr: Set EID $eid by physical address" \
        "r=\$(req -i $IF -a $addr 0 0x80 1 0 $eid); echo \$r;
         [ \$r = 0000010000${x}00 ]"
    mctp-setup route $IF "$eid" > /dev/null
    mctp-setup neigh $IF "$eid" "$addr" > /dev/null
    check "$addr: Get EID says $eid" \
        "r=\$(req -e $eid 0 0x80 2); echo \$r; [ \${r#00000200$x} != \$r ]"
    check "$addr: Get UUID $uuid" \
        "r=\$(req -e $eid 0 0x80 3); echo \$r; [ \$r = 00000300$uuid ]"
    check "$addr: Get Message Type Support: $types" \
        "r=\$(req -e $eid 0 0x80 5); echo \$r; [ \$r = 0000050001$types ]"
    # Get MCTP Version Support of the control protocol: 1.0, 1.1, 1.2, 1.3.3
    check "$addr: Get MCTP Version Support (control)" \
        "r=\$(req -e $eid 0 0x80 4 0); echo \$r;
         [ \$r = 0000040004f1f0ff00f1f1ff00f1f2ff00f1f3f300 ]"
    check "$addr: unsupported control command 0x0a: 0x05" \
        "r=\$(req -e $eid 0 0x80 0x0a); echo \$r; [ \$r = 00000a05 ]"
done

for n in $ECHO_LENS; do
    check "echo of $n bytes after 7E CC DE F0" "mctp-req -e $ECHO_EID -x $n"
done

check "nvme id-ctrl mctp:1,$NVME_EID" \
    "nvme id-ctrl mctp:1,$NVME_EID > /tmp/idctrl; cat /tmp/idctrl;
     grep -q '^vid ' /tmp/idctrl && grep -q '^sn ' /tmp/idctrl"
check "nvme smart-log: temperature 47 C set by qom-set" \
    "nvme smart-log mctp:1,$NVME_EID > /tmp/smart; cat /tmp/smart;
     grep -i '^temperature' /tmp/smart | grep -qE ': *47[^0-9]+C \\(320 Kelvin\\)'"
check "nvme smart-log: available spare 42 %, percentage used 3 % set by qom-set" \
    "grep -E '^(available_spare|percentage_used)[[:space:]]*:' /tmp/smart;
     grep -qE '^available_spare[[:space:]]*: *42%\$' /tmp/smart &&
     grep -qE '^percentage_used[[:space:]]*: *3%\$' /tmp/smart"

# NVMe-MI health through libnvme's MI API (nvme-mi-health, linked against
# Debian's libnvme-mi.so.1).  The qom-sets above changed the temperature,
# percentage used and available spare, so the Composite Controller Status
# has the CTEMP (0x200), PDLU (0x400) and SPARE (0x800) changed flags
# besides RDY (0x001, controller ready after reset): 0x0e01.
check "nvme-mi-health: Read NVMe-MI DS subsystem: MI 1.2, 1 port" \
    "nvme-mi-health -s $NVME_EID > /tmp/health; cat /tmp/health;
     grep -qx 'mi-version 1.2' /tmp/health && grep -qx 'ports 1' /tmp/health"
check "nvme-mi-health: subsystem health poll: CTEMP 47 C set by qom-set" \
    "cat /tmp/health; grep -qx 'ctemp 47' /tmp/health"
check "nvme-mi-health: subsystem health poll: PDLU 3 % set by qom-set" \
    "cat /tmp/health; grep -qx 'pdlu 3' /tmp/health"
check "nvme-mi-health: NSS 0x38 (functional, P0 link), SW 0x3f (no warnings)" \
    "cat /tmp/health; grep -qx 'nss 0x38' /tmp/health &&
     grep -qx 'sw 0x3f' /tmp/health"
check "nvme-mi-health: CCS 0x0e01: rdy, ctemp pdlu spare changed" \
    "cat /tmp/health; grep -qx 'ccs 0x0e01' /tmp/health &&
     grep -qx 'ccs-flags rdy ctemp pdlu spare' /tmp/health"
# Configuration Set Health Status Change clears the bits it names
check "nvme-mi-health: Health Status Change 0x200 clears CTEMP: CCS 0x0c01" \
    "nvme-mi-health -m 0x200 $NVME_EID > /tmp/health; cat /tmp/health;
     grep -qx 'ccs 0x0c01' /tmp/health && grep -qx 'ctemp 47' /tmp/health"
# A poll with Clear Status reports the flags, then clears them all
check "nvme-mi-health -c: poll with Clear Status still reports CCS 0x0c01" \
    "nvme-mi-health -c $NVME_EID > /tmp/health; cat /tmp/health;
     grep -qx 'ccs 0x0c01' /tmp/health"
check "nvme-mi-health: the next poll: CCS 0x0000, CTEMP 47 and PDLU 3 kept" \
    "nvme-mi-health $NVME_EID > /tmp/health; cat /tmp/health;
     grep -qx 'ccs 0x0000' /tmp/health && grep -qx 'ccs-flags none' /tmp/health &&
     grep -qx 'ctemp 47' /tmp/health && grep -qx 'pdlu 3' /tmp/health"
# Basic management, command 0: length 6, status flags 0xb8, SMART
# warnings, CTEMP = 47 = 0x2f
check "i2ctransfer basic management block 0 at 0x6a" \
    "r=\$(i2ctransfer -y $BUS w1@0x6a 0 r4@0x6a); echo \$r;
     set -- \$r; [ \$1 = 0x06 ] && [ \$2 = 0xb8 ] && [ \$4 = 0x2f ]"
check "i2ctransfer basic management block 8 at 0x6a: length 22" \
    "r=\$(i2ctransfer -y $BUS w1@0x6a 8 r1@0x6a); echo \$r; [ \$r = 0x16 ]"

# Malformed frames written straight onto the bus as an I2C master, as a
# broken requester would: mctp-echo (0x12) drops them, counts them (the
# host reads the counters) and keeps answering.  A Get EID request from
# 0x10/EID 8 to EID 10 with its PEC 0x13 changed to 0x00, then a frame
# whose byte count (0x20) is longer than what follows.
check "0x12: frame with a bad PEC written" \
    "i2ctransfer -y $BUS w11@0x12 0x0f 0x08 0x21 0x01 0x0a 0x08 0xc8 0x00 0x81 0x02 0x00"
check "0x12: truncated frame written" \
    "i2ctransfer -y $BUS w6@0x12 0x0f 0x20 0x21 0x01 0x0a 0x08"
check "0x12: answers the next request" \
    "r=\$(req -e $ECHO_EID 0 0x80 2); echo \$r; [ \${r#00000200} != \$r ]"
# The host reads the counters, then says so by changing the LM75 on bus
# 8 (i2c8-tmp105-4d) to 99 C; wait for that before exiting
echo "HOST-READ-COUNTERS"
check "host read the drop counters" \
    "st=1; for i in \$(seq 300); do
         v=\$(i2cget -f -y 8 0x4d 0 w)
         [ \"\$v\" = 0x0063 ] && { st=0; break; }
         sleep 0.1
     done; echo \$v; [ \$st = 0 ]"
