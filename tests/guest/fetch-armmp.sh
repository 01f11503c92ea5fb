#!/usr/bin/env bash
# Debian's own armhf kernel for boards made from parts: the "armmp"
# (ARMv7 multiplatform) image of the linux-image-armmp package, unpacked
# like the guest's other armhf packages (build-guest.sh), no build.  It
# boots composed boards with a generated device tree
# (tests/shell/guest-dtb.sh).
#
# Usage: fetch-armmp.sh [OUTDIR]   (default build/guest-armmp)
# Prints the kernel image's path.  Cached: the package is fetched once
# per version.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/build-aux/common.sh"
out=${1:-$top/build/guest-armmp}
mkdir -p "$out"
out=$(cd "$out" && pwd)

SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
    info "adding the armhf architecture (for apt-get download)"
    $SUDO dpkg --add-architecture armhf
fi
# the meta package names the current kernel package
pkg() {
    apt-cache depends linux-image-armmp:armhf 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
p=$(pkg)
if [ -z "$p" ]; then
    $SUDO apt-get update -qq >&2 || info "apt-get update reported errors"
    p=$(pkg)
fi
[ -n "$p" ] || die "no armhf linux-image-armmp package (apt-get update?)"
name=${p%:armhf}
ver=${name#linux-image-}
if [ ! -s "$out/vmlinuz-$ver" ]; then
    info "downloading $p"
    rm -rf "$out/deb"
    mkdir -p "$out/deb"
    (cd "$out/deb" && apt-get download -qq "$p") >&2
    dpkg-deb --fsys-tarfile "$out"/deb/*.deb |
        tar -x -O "./boot/vmlinuz-$ver" > "$out/vmlinuz-$ver.tmp"
    mv "$out/vmlinuz-$ver.tmp" "$out/vmlinuz-$ver"
    rm -rf "$out/deb"
fi
ln -sfn "vmlinuz-$ver" "$out/vmlinuz"
echo "$out/vmlinuz"
