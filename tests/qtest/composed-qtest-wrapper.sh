#!/usr/bin/env bash
# Run QEMU's own qtests against the composed boards: use this script as
# QTEST_QEMU_BINARY.  It starts the real emulator ($QC_QEMU_BINARY) with
# the same arguments, except that a built-in ASPEED machine that has a
# description in machines/ becomes that description:
#
#   -machine ast2600-evb            -> -machine composed,desc=.../ast2600-evb.yaml
#   -M palmetto-bmc,fmc-model=X     -> -M composed,desc=.../palmetto-bmc.yaml,param.fmc-model=X
#
# Other machines (-machine none for probes, ...) pass unchanged.
# ast2700-evb is QEMU's alias of ast2700a1-evb.  With $QC_WRAPPER_LOG set,
# every rewrite is appended there ("BOARD -> DESC"), so a caller can check
# that a test really ran on a description.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
real=${QC_QEMU_BINARY:?set QC_QEMU_BINARY to the real qemu-system-* binary}
machines=${QC_MACHINES:-$(dirname "$(readlink -f "$real")")/machines}

# The description of machine option value $1, or nothing
composed_machine() {
    local name=${1%%,*} opts='' rest desc
    [ "$name" = ast2700-evb ] && name=ast2700a1-evb
    desc=$machines/$name.yaml
    [ -f "$desc" ] || return 1
    if [ "$1" != "${1#*,}" ]; then
        rest=${1#*,}
        # machine options are the description's parameters
        local IFS=,
        for o in $rest; do
            opts="$opts,param.$o"
        done
    fi
    [ -z "${QC_WRAPPER_LOG:-}" ] || echo "$name -> $desc" >> "$QC_WRAPPER_LOG"
    echo "composed,desc=$desc$opts"
}

args=()
while [ $# -gt 0 ]; do
    case $1 in
    -machine|-M)
        if [ $# -gt 1 ] && m=$(composed_machine "$2"); then
            args+=("$1" "$m")
            shift 2
            continue
        fi
        ;;
    -machine=*|-M=*)
        if m=$(composed_machine "${1#*=}"); then
            args+=("${1%%=*}" "$m")
            shift
            continue
        fi
        ;;
    esac
    args+=("$1")
    shift
done
exec "$real" "${args[@]}"
