#!/usr/bin/env bash
# A QEMU binary for QEMU's own qtests that runs the shipped descriptions
# in place of the built-in boards they name: "-machine npcm750-evb[,OPTS]"
# becomes "-machine composed,desc=DIR/npcm750-evb.yaml[,OPTS]" for every
# board that has a description in DIR, everything else is passed on.
# qtests learn the target from the binary's name, so this script is used
# through a link named qemu-system-TARGET (see tests/shell/npcm-qtests.sh).
#
# Env: QC_REAL_QEMU     the emulator to run
#      QC_MACHINES      the directory of descriptions (machines/)
#      QC_COMPOSED_LOG  optional: each substitution is logged there
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
real=${QC_REAL_QEMU:?}
dir=${QC_MACHINES:?}

# NAME[,OPTS] -> composed,desc=DIR/NAME.yaml[,OPTS] when DIR/NAME.yaml exists
map_machine() {
    local name=${1%%,*} opts=
    [ "$name" = "$1" ] || opts=,${1#*,}
    case $name in
    ''|*/*|composed|none|help|\?) echo "$1"; return ;;
    esac
    if [ -f "$dir/$name.yaml" ]; then
        [ -z "${QC_COMPOSED_LOG:-}" ] || echo "$name" >> "$QC_COMPOSED_LOG"
        echo "composed,desc=$dir/$name.yaml$opts"
    else
        echo "$1"
    fi
}

args=()
machine_next=false
for a in "$@"; do
    if $machine_next; then
        a=$(map_machine "$a")
        machine_next=false
    else
        case $a in
        -machine|-M|--machine) machine_next=true ;;
        -machine=*|--machine=*) a=${a%%=*}=$(map_machine "${a#*=}") ;;
        esac
    fi
    args+=("$a")
done
exec "$real" "${args[@]}"
