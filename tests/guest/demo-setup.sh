#!/bin/sh
# mctp-demo: run inside the test guest on machines/ast2600-mctp.yaml (make
# demo puts it in the initramfs as /bin/mctp-demo).  Does what a bus owner
# does on I2C bus 15 (link up, our EID 8, Set EID by physical address for
# each endpoint, routes and neighbours) and on mctpusb0 (Set EID by the
# null EID), then lists the endpoints.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
IF=mctpi2c15
mctp-setup link $IF > /dev/null
mctp-setup addr $IF 8 > /dev/null
echo "MCTP on $IF (I2C bus 15), our EID 8:"
printf '  %-6s %-4s %-34s %s\n' "I2C" "EID" "UUID" "message types"
for ep in 0x12:10:mctp-echo 0x1d:9:mctp-nvme-mi 0x14:11:mctp-ncsi; do
    addr=${ep%%:*}
    rest=${ep#*:}
    eid=${rest%%:*}
    name=${rest#*:}
    mctp-req -i $IF -a "$addr" 0 0x80 1 0 "$eid" > /dev/null
    mctp-setup route $IF "$eid" > /dev/null
    mctp-setup neigh $IF "$eid" "$addr" > /dev/null
    uuid=$(mctp-req -e "$eid" 0 0x80 3 | tr -d ' \n')
    types=$(mctp-req -e "$eid" 0 0x80 5 | tr -d '\n')
    printf '  %-6s %-4s %-34s %s  (%s)\n' "$addr" "$eid" "${uuid#00000300}" \
        "${types#00 00 05 00 ?? }" "$name"
done
USB=mctpusb0
if [ -e /sys/class/net/$USB ]; then
    mctp-setup link $USB > /dev/null
    mctp-setup addr $USB 8 > /dev/null
    mctp-req -i $USB 0 0x80 1 0 20 > /dev/null
    mctp-setup route $USB 20 > /dev/null
    uuid=$(mctp-req -e 20 0 0x80 3 | tr -d ' \n')
    types=$(mctp-req -e 20 0 0x80 5 | tr -d '\n')
    echo "MCTP on $USB (USB, usb-mctp), our EID 8:"
    printf '  %-6s %-4s %-34s %s  (%s)\n' "USB" 20 "${uuid#00000300}" \
        "${types#00 00 05 00 ?? }" "usb-mctp"
fi
cat <<'T'
Try:
  nvme id-ctrl mctp:1,9 | head        NVMe-MI: identify the controller
  nvme smart-log mctp:1,9             NVMe-MI: SMART / health log
  nvme-mi-health -s 9                 NVMe-MI health poll through libnvme-mi
  mctp-req -e 10 -x 64                echo 64 bytes (Code Construct 7E CC DE F0)
  mctp-req -e 20 -x 4096              the same over USB, 4 KiB
  nvme id-ctrl mctp:1,20 | head       NVMe-MI over USB
  mctp-req -e 11 0 0x80 5             NC-SI endpoint: Get Message Type Support
  i2ctransfer -y 15 w1@0x6a 0 r8      NVMe basic management, command 0
  poweroff -f                         quit (or Ctrl-A X)
T
