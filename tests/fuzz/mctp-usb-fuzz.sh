#!/usr/bin/env bash
# make fuzz: the guest-facing fuzz target mctp-usb, which drives
# usb-mctp, MCTP over USB, through the AST2600's EHCI
# (tests/qtest/fuzz/mctp_usb_fuzz.c), as a guest would.  See
# qemu-fuzz-target.bash.
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
exec bash "$(dirname "$0")/qemu-fuzz-target.bash" mctp-usb
