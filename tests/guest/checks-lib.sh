# shellcheck shell=sh
# Helpers of the scripts that run inside the test guest
# (tests/guest/*-checks.sh); tests/guest/run-guest.sh puts this file at
# /checks-lib.sh beside the script it runs.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later

# check WHAT COMMAND: "CHECK ok|fail WHAT", with the output of a failure
check() {
    what=$1
    if eval "$2" > /tmp/out 2>&1; then
        echo "CHECK ok $what"
    else
        echo "CHECK fail $what"
        sed 's/^/  | /' /tmp/out
    fi
}

# reply of an MCTP request, hex bytes without spaces
req() {
    mctp-req "$@" | tr -d ' \n'
}

# Wait up to $2 tenths of a second for condition $1
wait_for() {
    i=0
    while [ $i -lt "$2" ]; do
        eval "$1" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
