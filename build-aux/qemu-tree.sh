#!/usr/bin/env bash
# Print the path of the unpacked QEMU tree (after a build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
v=$(cat "$here/../build/qemu-version" 2>/dev/null) ||
    { echo "error: nothing built yet (run make)" >&2; exit 1; }
echo "$(cd "$here/../build" && pwd)/qemu-$v"
