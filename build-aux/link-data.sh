#!/usr/bin/env bash
# Give the build directory BUILD of the QEMU tree TREE its data: the
# firmware blobs and the shipped board descriptions (build.sh, and the
# sanitizer tree of san-tree.sh).
#
# Usage: link-data.sh TREE BUILD
set -euo pipefail

tree=$(cd "${1:?usage: link-data.sh TREE BUILD}" && pwd)
build=$(cd "${2:?usage: link-data.sh TREE BUILD}" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)

# --disable-install-blobs keeps the firmware blobs that Debian's source
# ships in pc-bios/ (e.g. npcm7xx_bootrom.bin) out of the uninstalled
# build's data directory, where boards look for them: link them there,
# with the option ROMs Debian builds in ipxe-qemu (efi-virtio.rom for the
# default NIC of "virt") and seabios (vgabios-bochs-display.bin for
# sbsa-ref), as Debian's qemu-system-data does.
bundle="$build/qemu-bundle/usr/local/share/qemu"
mkdir -p "$bundle"
for f in "$tree"/pc-bios/* /usr/lib/ipxe/qemu/*.rom /usr/share/seabios/vgabios*.bin; do
    case "$f" in
    *.bin | *.rom | *.img | *.dtb | *.lid | *.elf | *.fd) ;;
    *) continue ;;
    esac
    [ -e "$bundle/$(basename "$f")" ] || ln -sfn "$f" "$bundle/"
done
# The editor schema of descriptions, when build.sh generated it
schema=$repo/build/machine-compose.schema.json
if [ -s "$schema" ]; then
    ln -sfn "$schema" "$bundle/machine-compose.schema.json"
    ln -sfn "$schema" "$build/machine-compose.schema.json"
fi
# Shipped board descriptions: in the data directory, where the composer
# looks for included descriptions, and next to the binaries for people
ln -sfn "$repo/machines" "$bundle/machines"
ln -sfn "$repo/machines" "$build/machines"
