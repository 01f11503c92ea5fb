# shellcheck shell=sh
# Runs inside the test guest (tests/shell/guest-usb.sh boots it on
# machines/ast2600-mctp.yaml): MCTP over USB with Linux's mctp-usb driver
# to usb-mctp on the EHCI at 0x1e6a3000.  Brings mctpusb0 up the way a
# bus owner does, talks to the endpoint through the Linux MCTP stack and
# nvme-cli, writes malformed transfers through usbfs (mctp-usb-raw, with
# the driver unbound), then has the host unplug and replug the device
# and talks to the new one.  Prints "CHECK ok|fail <what>" per check,
# and "CHECK-PLAN <n>" first.  The host sets the NVMe-MI temperature to
# 44 C, available spare to 77 % and percentage used to 9 % with qom-set
# before boot.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later

IF=mctpusb0
EID=9
UUID=2d5b4f1e6c1a4e559b8e0b0000000004
ECHO_LENS="1 64 65 250 1024 4096"
# Get EID (tag 0, TO) from EID 8 to $EID behind its transport header
GET_EID="0x01 0x09 0x08 0xc8 0x00 0x81 0x02"
echo "CHECK-PLAN $((5 + 6 + 6 + 3 + 8 + 6))"

# shellcheck source=tests/guest/checks-lib.sh
. /checks-lib.sh

# Bring the link up and give the endpoint EID $EID by the null EID, as
# a bus owner does (USB has no physical addresses), then route to it
setup() {
    wait_for "[ -e /sys/class/net/$IF ]" 100 &&
    mctp-setup link $IF && mctp-setup addr $IF 8 &&
    r=$(req -i $IF 0 0x80 1 0 $EID) && echo "$r" &&
    [ "$r" = 000001000009"00" ] && mctp-setup route $IF $EID
}

check "mctp-usb driver registered" "[ -d /sys/bus/usb/drivers/mctp-usb ]"
# enumeration runs beside this script: give it time on a busy host
check "USB device ccde:0000 (usbnvme's ID) enumerated" \
    "wait_for 'grep -qs ccde /sys/bus/usb/devices/*/idVendor' 100"
check "$IF exists, ARPHRD_MCTP" \
    "wait_for '[ -e /sys/class/net/$IF ]' 100;
     [ \"\$(cat /sys/class/net/$IF/type)\" = 290 ]"
check "$IF bound to the MCTP interface (class 14/00/01)" \
    "d=\$(readlink -f /sys/class/net/$IF/device); echo \$d;
     [ \"\$(cat \$d/bInterfaceClass)\$(cat \$d/bInterfaceSubClass)\$(cat \$d/bInterfaceProtocol)\" = 140001 ]"
check "link up, local EID 8, Set EID $EID by the null EID, route" "setup"

check "Get EID says $EID" \
    "r=\$(req -e $EID 0 0x80 2); echo \$r; [ \${r#0000020009} != \$r ]"
check "Get UUID $UUID" \
    "r=\$(req -e $EID 0 0x80 3); echo \$r; [ \$r = 00000300$UUID ]"
check "Get Message Type Support: 7e 04" \
    "r=\$(req -e $EID 0 0x80 5); echo \$r; [ \$r = 00000500027e04 ]"
check "Get MCTP Version Support (NVMe-MI): 1.2" \
    "r=\$(req -e $EID 0 0x80 4 4); echo \$r; [ \$r = 0000040001f1f2ff00 ]"
check "Get Vendor Defined Message Support: PCI 0xccde" \
    "r=\$(req -e $EID 0 0x80 6 0); echo \$r; [ \$r = 00000600ff00ccde0000 ]"
check "unsupported control command 0x0a: 0x05" \
    "r=\$(req -e $EID 0 0x80 0x0a); echo \$r; [ \$r = 00000a05 ]"

for n in $ECHO_LENS; do
    check "echo of $n bytes after 7E CC DE F0" "mctp-req -e $EID -x $n"
done

check "nvme id-ctrl mctp:1,$EID" \
    "nvme id-ctrl mctp:1,$EID > /tmp/idctrl; cat /tmp/idctrl;
     grep -qE '^sn +: QEMU-NVME-MI-0001' /tmp/idctrl &&
     grep -qE '^mn +: QEMU NVMe-MI Subsystem' /tmp/idctrl"
check "nvme smart-log: temperature 44 C set by qom-set" \
    "nvme smart-log mctp:1,$EID > /tmp/smart; cat /tmp/smart;
     grep -i '^temperature' /tmp/smart | grep -qE ': *44[^0-9]+C \\(317 Kelvin\\)'"
check "nvme smart-log: available spare 77 %, percentage used 9 % set by qom-set" \
    "grep -qE '^available_spare[[:space:]]*: *77%\$' /tmp/smart &&
     grep -qE '^percentage_used[[:space:]]*: *9%\$' /tmp/smart"

# Malformed transfers written through usbfs with the driver unbound,
# each dropped and counted by usb-mctp (the host reads the counters),
# then a good request that is answered
check "unbind mctp-usb, $IF gone" \
    "mctp-usb-raw unbind && wait_for '[ ! -e /sys/class/net/$IF ]' 50"
check "zero-length OUT transfer written" "mctp-usb-raw out"
check "OUT transfer with DMTF ID 0x1ab5 written" \
    "mctp-usb-raw out 0x1a 0xb5 0x00 0x0b $GET_EID"
check "OUT transfer with byte count 12 > 11 written" \
    "mctp-usb-raw out 0x1a 0xb4 0x00 0x0c $GET_EID"
check "OUT transfer with byte count 7 (truncated MCTP header) written" \
    "mctp-usb-raw out 0x1a 0xb4 0x00 0x07 $GET_EID"
check "nothing answers them" "! mctp-usb-raw in 300"
check "a good Get EID transfer is answered: 1a b4 00 0f 01 08 09 c0 ..." \
    "mctp-usb-raw out 0x1a 0xb4 0x00 0x0b $GET_EID &&
     r=\$(mctp-usb-raw in 2000) && echo \$r &&
     [ \"\${r#1a b4 00 0f 01 08 09 c0 00 01 02 00 09}\" != \"\$r\" ]"
check "bind mctp-usb again: $IF back, answers Get EID" \
    "mctp-usb-raw bind && setup &&
     r=\$(req -e $EID 0 0x80 2); echo \$r; [ \${r#0000020009} != \$r ]"

# The host reads the drop counters, unplugs the device (device_del) and
# plugs a new one (device_add); wait for the old netdev to go and the
# new one to come
echo "HOST-USB-REPLUG"
check "device_del: $IF removed" \
    "wait_for '[ ! -e /sys/class/net/$IF ]' 600"
check "device_add: $IF back, Set EID $EID, route" "setup"
check "replugged: Get UUID is the new device's" \
    "r=\$(req -e $EID 0 0x80 3); echo \$r;
     [ \${r#00000300} != \$r ] && [ \$r != 00000300$UUID ]"
check "replugged: echo of 1024 bytes" "mctp-req -e $EID -x 1024"
check "replugged: nvme id-ctrl mctp:1,$EID: serial REPLUGGED" \
    "nvme id-ctrl mctp:1,$EID > /tmp/idctrl; grep '^sn ' /tmp/idctrl;
     grep -qE '^sn +: REPLUGGED' /tmp/idctrl"
check "replugged: nvme smart-log: temperature 35 C (new device)" \
    "nvme smart-log mctp:1,$EID > /tmp/smart; grep -i '^temperature' /tmp/smart;
     grep -i '^temperature' /tmp/smart | grep -qE ': *35[^0-9]+C'"
