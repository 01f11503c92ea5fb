# TAP output for the shell tests in tests/shell/ (sourced, not run).
#
#   result ok|fail DESCRIPTION
#   check DESCRIPTION CONDITION [DESCRIPTION-ON-FAILURE]
#                           CONDITION is a string, eval'd
#   bail DESCRIPTION        one failed result, the plan, exit 1
#   tap_done                the plan; exit status 1 if anything failed
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash

n=0
failed=0

result() {
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=1
    fi
}

check() {
    if eval "$2"; then
        result ok "$1"
    else
        result fail "${3:-$1}"
    fi
}

bail() {
    result fail "$1"
    echo "1..$n"
    exit 1
}

tap_done() {
    echo "1..$n"
    exit $failed
}
