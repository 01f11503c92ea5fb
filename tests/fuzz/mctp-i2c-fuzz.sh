#!/usr/bin/env bash
# make fuzz: the guest-facing fuzz target mctp-i2c, which drives
# the MCTP endpoints of an ast2600-evb I2C bus, through the
# controller's registers (tests/qtest/fuzz/mctp_i2c_fuzz.c), as a guest would.  See qemu-fuzz-target.bash.
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
exec bash "$(dirname "$0")/qemu-fuzz-target.bash" mctp-i2c
