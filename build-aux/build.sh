#!/usr/bin/env bash
# Build qemu-system-arm and qemu-system-aarch64 with our work:
# install dependencies, fetch and unpack QEMU, apply patches/, link our
# files in, configure (once), build with ccache.  Extra arguments are
# more ninja targets to build in the same run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."

bash build-aux/deps.sh
tree=$(bash build-aux/fetch.sh build)

# One build at a time in the tree (parallel make invocations).
exec 9>build/.lock
flock 9
bash build-aux/prepare.sh "$tree"
bash build-aux/configure.sh "$tree"
info "building qemu-system-arm qemu-system-aarch64 $*"
ninja -C "$tree/build" qemu-system-arm qemu-system-aarch64 "$@" >&2
for b in qemu-system-arm qemu-system-aarch64; do
    ln -sfn "$tree/build/$b" "build/$b"
done

bash build-aux/link-data.sh "$tree" "$tree/build"
echo "$tree"
