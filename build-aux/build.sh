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

# --disable-install-blobs keeps the firmware blobs that Debian's source
# ships in pc-bios/ (e.g. npcm7xx_bootrom.bin) out of the uninstalled
# build's data directory, where boards look for them: link them there,
# with the option ROMs Debian builds in ipxe-qemu (efi-virtio.rom for the
# default NIC of "virt") and seabios (vgabios-bochs-display.bin for
# sbsa-ref), as Debian's qemu-system-data does.
bundle="$tree/build/qemu-bundle/usr/local/share/qemu"
mkdir -p "$bundle"
for f in "$tree"/pc-bios/* /usr/lib/ipxe/qemu/*.rom /usr/share/seabios/vgabios*.bin; do
    case "$f" in
    *.bin | *.rom | *.img | *.dtb | *.lid | *.elf | *.fd) ;;
    *) continue ;;
    esac
    [ -e "$bundle/$(basename "$f")" ] || ln -s "$f" "$bundle/"
done
# The editor schema of descriptions (docs/system/composer-tools.rst),
# from the QAPI schema, next to the emulators and in the data directory
schema=build/machine-compose.schema.json
if [ ! -s "$schema" ] || [ qapi/machine-compose.json -nt "$schema" ] ||
   [ build-aux/qapi-jsonschema.py -nt "$schema" ]; then
    info "generating $schema"
    /usr/bin/python3 build-aux/qapi-jsonschema.py "$tree/scripts" \
        qapi/machine-compose.json "$schema"
fi
ln -sfn "$(pwd)/$schema" "$tree/build/machine-compose.schema.json"
ln -sfn "$(pwd)/$schema" "$bundle/machine-compose.schema.json"
# Shipped board descriptions: in the data directory, where the composer
# looks for included descriptions, and next to the binaries for people
ln -sfn "$(pwd)/machines" "$bundle/machines"
ln -sfn "$(pwd)/machines" "$tree/build/machines"
echo "$tree"
