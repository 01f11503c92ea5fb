#!/usr/bin/env bash
# Build the emulators we ship (ARM and RISC-V) and the design importer
# with our work:
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
emulators=(qemu-system-arm qemu-system-aarch64
           qemu-system-riscv32 qemu-system-riscv64)
importer=contrib/compose-import/qemu-compose-import
info "building ${emulators[*]} qemu-compose-import $*"
ninja -C "$tree/build" "${emulators[@]}" "$importer" "$@" >&2
for b in "${emulators[@]}" "$importer"; do
    ln -sfn "$tree/build/$b" "build/${b##*/}"
done

# The editor schema of descriptions (docs/system/composer-tools.rst),
# from the QAPI schema, for link-data.sh to put next to the emulators and
# in the data directory
schema=build/machine-compose.schema.json
if [ ! -s "$schema" ] || [ qapi/machine-compose.json -nt "$schema" ] ||
   [ build-aux/qapi-jsonschema.py -nt "$schema" ]; then
    info "generating $schema"
    /usr/bin/python3 build-aux/qapi-jsonschema.py "$tree/scripts" \
        qapi/machine-compose.json "$schema"
fi
bash build-aux/link-data.sh "$tree" "$tree/build"
echo "$tree"
