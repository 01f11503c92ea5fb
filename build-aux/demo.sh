#!/usr/bin/env bash
# make demo: start the composed machine and show what it built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."
qemu="$(bash build-aux/qemu-tree.sh)/build/qemu-system-arm"

cat <<'MSG'
== qemu-composer demo ==
Starting: qemu-system-arm -M composed -m 64M -nodefaults -display none -monitor stdio
The monitor runs "info qtree", "info mtree -f" and "quit" below.
(Shipped boards arrive with machines/; the composed machine without a
description is an empty board, like -M none.)

MSG
# The monitor echoes what it reads; show only its answers.
printf 'info version\ninfo qtree\ninfo mtree -f\nquit\n' |
    "$qemu" -M composed -m 64M -nodefaults -display none -monitor stdio |
    sed -e '/^(qemu)/d' -e 's/^QEMU .* monitor.*$/== monitor ==/'
