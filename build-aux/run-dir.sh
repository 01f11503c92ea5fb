#!/usr/bin/env bash
# Run every executable script DIR/*.sh in order (make fuzz, make bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."
what=$1 dir=$2
shopt -s nullglob
scripts=("$dir"/*.sh)
if [ ${#scripts[@]} = 0 ]; then
    die "make $what: nothing in $dir/ yet"
fi
export QEMU_BUILD
QEMU_BUILD="$(bash build-aux/qemu-tree.sh)/build"
for s in "${scripts[@]}"; do
    info "$what: $s"
    bash "$s"
done
