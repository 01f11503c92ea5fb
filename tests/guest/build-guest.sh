#!/usr/bin/env bash
# Build the Linux test guest for the MCTP endpoints: a zImage for the
# AST2600 (aspeed_g5_defconfig + tests/guest/mctp.config), the AST2600
# EVB device tree with I2C bus 15 as an MCTP-over-I2C controller at 0x10,
# and an initramfs (busybox, i2c-tools, nvme-cli, our tools/*.c).
# Everything comes from Debian packages.
#
# Usage: build-guest.sh [OUTDIR]   (default build/guest)
#
# Cached by content: the outputs are rebuilt only when a hash of this
# script, the kernel fragment, init and the tool sources changes.  The
# kernel is Debian's "linux" source from trixie-backports (the newest
# 6.16 or later whose upstream tarball downloads; 6.12 has no mctp-usb
# driver), built out of tree with ccache in the user's cache directory
# (${XDG_CACHE_HOME:-~/.cache}/qemu-composer/guest-ccache, or
# $QC_GUEST_CCACHE_DIR), so a fresh clone reuses it.  QC_GUEST_LINUX=VER
# picks a source version.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/build-aux/common.sh"
out=${1:-$top/build/guest}
mkdir -p "$out"
out=$(cd "$out" && pwd)

CROSS=arm-linux-gnueabihf-
# the guest kernel: Debian's "linux" source package, at least this version
KSRC_PKG=linux
KSRC_MIN=6.16
# I2C bus 15 (i2c@800 under the I2C controller), our own address 0x10
MCTP_BUS_NODE=/ahb/apb/bus@1e78a000/i2c@800
MCTP_OWN_ADDR=0x10
HOST_PKGS=(gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf libc6-dev-armhf-cross
           device-tree-compiler bc flex bison libssl-dev
           libelf-dev cpio ccache make xz-utils gzip)
# armhf packages unpacked into the stage; the libraries copied into the
# initramfs are the ELF NEEDED closure of the programs, checked below
# (libnvme-dev: headers and link library for NVME_MI_TOOLS)
GUEST_PKGS=(busybox-static i2c-tools libi2c0 nvme-cli libnvme1 libnvme-dev
            libjson-c5 zlib1g libc6 libdbus-1-3 libssl3 libsystemd0 libcap2
            libgcrypt20 libgpg-error0 liblz4-1 liblzma5 libzstd1)
GUEST_PROGS=(usr/sbin/nvme usr/sbin/i2cdetect usr/sbin/i2cget
             usr/sbin/i2cset usr/sbin/i2cdump usr/sbin/i2ctransfer)
# our tools linked dynamically against the armhf libnvme-mi (libnvme-dev
# for the headers); the other tools are static
NVME_MI_TOOLS=(nvme-mi-health)

hash=$(cd "$here" && shopt -s nullglob &&
       for f in build-guest.sh mctp.config init tools/*.[ch]; do
           echo "== $f"; cat "$f"
       done | sha256sum | cut -c1-16)
if [ -f "$out/hash" ] && [ "$(cat "$out/hash")" = "$hash" ] &&
   [ -f "$out/zImage" ] && [ -f "$out/ast2600-evb-mctp.dtb" ] &&
   [ -f "$out/initramfs.cpio.gz" ]; then
    info "guest is up to date ($out)"
    exit 0
fi
rm -f "$out/hash"

# --- host packages, armhf architecture --------------------------------
SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${HOST_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
    info "adding the armhf architecture (for apt-get download)"
    $SUDO dpkg --add-architecture armhf
fi
if ! apt-cache policy busybox-static:armhf | grep 'Candidate: [0-9]' >/dev/null; then
    # a mirror mid-sync can fail one index; what matters is checked below
    $SUDO apt-get update -qq >&2 ||
        info "apt-get update reported errors, continuing"
fi
if [ ${#missing[@]} != 0 ]; then
    info "installing ${missing[*]}"
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- kernel ------------------------------------------------------------
# The newest "linux" source >= KSRC_MIN in the deb-src suites
# (build-aux/deps.sh adds trixie-backports) whose orig tarball the archive
# serves: the index lists versions whose files are gone.  Debian's own
# patches are not needed here, so the .dsc and debian.tar.xz are not
# fetched; apt-helper checks the tarball against the index's SHA256.
# The version chosen is kept (build/guest-src/linux.version) until the
# tarball is removed.
srcdir=$top/build/guest-src
mkdir -p "$srcdir"
fetch_linux() {
    local v line uri file hash
    for v in ${QC_GUEST_LINUX:-$(apt-cache showsrc "$KSRC_PKG" |
                                 sed -n 's/^Version: //p' | sort -V -r -u)}; do
        dpkg --compare-versions "$v" ge "$KSRC_MIN" || break
        line=$(apt-get source --print-uris "$KSRC_PKG=$v" 2>/dev/null |
               grep "\.orig\.tar\.") || continue
        read -r uri file _ hash <<< "$line"
        uri=${uri//\'/}
        info "fetching $file"
        if (cd "$srcdir" && /usr/lib/apt/apt-helper download-file \
                "$uri" "$file.part" "$hash" >&2); then
            mv "$srcdir/$file.part" "$srcdir/$file"
            printf '%s %s\n' "$v" "$file" > "$srcdir/linux.version"
            return 0
        fi
        rm -f "$srcdir/$file.part"
        info "$KSRC_PKG $v: the archive does not serve $file, trying older"
    done
    return 1
}
read -r kver ktar 2>/dev/null < "$srcdir/linux.version" || kver=
if [ -z "$kver" ] || [ ! -f "$srcdir/$ktar" ] ||
   { [ -n "${QC_GUEST_LINUX:-}" ] && [ "$QC_GUEST_LINUX" != "$kver" ]; }; then
    apt-cache showsrc "$KSRC_PKG" 2>/dev/null | grep -q "^Version: " ||
        bash "$top/build-aux/deps.sh" >&2
    fetch_linux || die "no $KSRC_PKG source >= $KSRC_MIN downloads" \
        "(deb-src trixie-backports: build-aux/deps.sh)"
    read -r kver ktar < "$srcdir/linux.version"
fi
ksrc=$srcdir/linux
if [ "$(cat "$ksrc/.qc-version" 2>/dev/null)" != "$kver" ]; then
    info "unpacking $ktar"
    rm -rf "$ksrc" "$srcdir/unpack"
    mkdir -p "$srcdir/unpack"
    tar -C "$srcdir/unpack" -xf "$srcdir/$ktar"
    mv "$srcdir/unpack"/linux-* "$ksrc"
    rmdir "$srcdir/unpack"
    echo "$kver" > "$ksrc/.qc-version"
fi

kb=$out/kbuild
mkdir -p "$kb"
# outside the clone, like QEMU's: a fresh clone (CI) reuses it
export CCACHE_DIR=${QC_GUEST_CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qemu-composer/guest-ccache}
# a clone at another path hits the same cache entries
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1
# kbuild regenerates its headers on every fresh build: without this, new
# mtimes push ccache from direct mode to (slower) preprocessor mode
export CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=qemu-composer KBUILD_BUILD_HOST=qemu-composer
export KBUILD_BUILD_VERSION=1
kmake() {
    make -s -C "$ksrc" O="$kb" ARCH=arm CROSS_COMPILE=$CROSS \
        CC="ccache ${CROSS}gcc" -j"$(nproc)" "$@"
}
cfg_in=$(cat "$here/mctp.config"; echo "# src $kver")
if [ "$(cat "$kb/.qc-config-in" 2>/dev/null)" != "$cfg_in" ]; then
    info "configuring the kernel"
    kmake aspeed_g5_defconfig >/dev/null
    (cd "$kb" && "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kb" \
        .config "$here/mctp.config" >/dev/null)
    kmake olddefconfig >/dev/null
    bad=0
    while read -r line; do
        case $line in
        CONFIG_*=*) grep -qx "$line" "$kb/.config" || { bad=1; echo "$line"; } ;;
        "# CONFIG_"*" is not set")
            sym=${line#\# }; sym=${sym%% *}
            ! grep -q "^$sym=" "$kb/.config" || { bad=1; echo "$line"; } ;;
        esac
    done < "$here/mctp.config"
    [ $bad = 0 ] || die "kernel options above did not survive olddefconfig"
    echo "$cfg_in" > "$kb/.qc-config-in"
fi
info "building the kernel (ccache in $CCACHE_DIR)"
kmake zImage aspeed/aspeed-ast2600-evb.dtb
cp "$kb/arch/arm/boot/zImage" "$out/zImage"
cp "$kb/.config" "$out/kernel.config"

# --- device tree: bus 15 is an MCTP-over-I2C controller at 0x10 --------
dtb=$out/ast2600-evb-mctp.dtb
cp "$kb/arch/arm/boot/dts/aspeed/aspeed-ast2600-evb.dtb" "$dtb.tmp"
n=$MCTP_BUS_NODE
[ "$(fdtget -t x "$dtb.tmp" "$n" reg | cut -d' ' -f1)" = 800 ] ||
    die "$n is not the I2C bus at offset 0x800"
fdtput -t s "$dtb.tmp" "$n" status okay
fdtput -t s "$dtb.tmp" "$n" multi-master ""
fdtput -t s "$dtb.tmp" "$n" mctp-controller ""
fdtput -c "$dtb.tmp" "$n/mctp@${MCTP_OWN_ADDR#0x}"
fdtput -t s "$dtb.tmp" "$n/mctp@${MCTP_OWN_ADDR#0x}" compatible \
    mctp-i2c-controller
# I2C_OWN_SLAVE_ADDRESS (1 << 30) | our address
fdtput -t x "$dtb.tmp" "$n/mctp@${MCTP_OWN_ADDR#0x}" reg \
    "$(printf '%x' $(( (1 << 30) | MCTP_OWN_ADDR )))"
mv "$dtb.tmp" "$dtb"
cp "$kb/arch/arm/boot/dts/aspeed/aspeed-ast2600-evb.dtb" \
    "$out/ast2600-evb.dtb"

# --- armhf packages ------------------------------------------------------
debs=$top/build/guest-debs
mkdir -p "$debs"
want=()
for p in "${GUEST_PKGS[@]}"; do
    want+=("$p:armhf")
done
# apt-get download names files pkg_version_arch.deb; fetch what is missing
vers=$(apt-cache policy "${want[@]}" | awk '
    /^[^ ]/ { p = $1; sub(/:$/, "", p) } /Candidate:/ { print p, $2 }')
fetch=()
while read -r p v; do
    [ "$v" != "(none)" ] || die "no armhf candidate for $p (apt-get update?)"
    f=$(printf '%s_%s_armhf.deb' "${p%:armhf}" "${v//:/%3a}")
    [ -f "$debs/$f" ] || fetch+=("$p")
done <<< "$vers"
if [ ${#fetch[@]} != 0 ]; then
    info "downloading ${#fetch[@]} armhf packages"
    (cd "$debs" && apt-get download -qq "${fetch[@]}" >&2)
fi
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage"
while read -r p v; do
    dpkg-deb -x "$debs/$(printf '%s_%s_armhf.deb' "${p%:armhf}" \
        "${v//:/%3a}")" "$stage"
done <<< "$vers"

# --- our tools -----------------------------------------------------------
rm -rf "$out/tools"
mkdir -p "$out/tools"
slib=$stage/usr/lib/arm-linux-gnueabihf
for c in "$here"/tools/*.c; do
    t=$(basename "$c" .c)
    if [[ " ${NVME_MI_TOOLS[*]} " = *" $t "* ]]; then
        "${CROSS}gcc" -Os -Wall -Werror -I"$stage/usr/include" \
            -o "$out/tools/$t" "$c" -L"$slib" -lnvme-mi \
            -Wl,-rpath-link,"$slib:$stage/lib/arm-linux-gnueabihf"
    else
        "${CROSS}gcc" -static -Os -Wall -Werror -o "$out/tools/$t" "$c"
    fi
    "${CROSS}strip" "$out/tools/$t"
done

# --- root file system ----------------------------------------------------
root=$out/rootfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,proc,sys,dev,tmp,etc,root}
cp "$stage/bin/busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
cp "$out"/tools/* "$root/usr/bin/"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
for p in "${GUEST_PROGS[@]}"; do
    cp "$stage/$p" "$root/$p"
done
# The NEEDED closure, looked up in the unpacked packages' library dirs
libdirs=("$stage/lib/arm-linux-gnueabihf" "$stage/usr/lib/arm-linux-gnueabihf")
needed() { "${CROSS}readelf" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
todo=()
for p in "${GUEST_PROGS[@]}"; do todo+=("$stage/$p"); done
for t in "${NVME_MI_TOOLS[@]}"; do todo+=("$out/tools/$t"); done
declare -A seen=()
mkdir -p "$root/lib/arm-linux-gnueabihf"
while [ ${#todo[@]} != 0 ]; do
    f=${todo[0]}
    todo=("${todo[@]:1}")
    for lib in $(needed "$f"); do
        [ -z "${seen[$lib]:-}" ] || continue
        seen[$lib]=1
        src=
        for d in "${libdirs[@]}"; do
            [ -e "$d/$lib" ] && { src=$d/$lib; break; }
        done
        [ -n "$src" ] || die "$lib (NEEDED by $(basename "$f")) not in the packages"
        cp -L "$src" "$root/lib/arm-linux-gnueabihf/$lib"
        todo+=("$src")
    done
done
cp -L "$stage/lib/ld-linux-armhf.so.3" \
    "$root/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3"
ln -sf arm-linux-gnueabihf/ld-linux-armhf.so.3 "$root/lib/ld-linux-armhf.so.3"
printf '%s\n' "${!seen[@]}" | sort > "$out/initramfs-libs.txt"

# --- initramfs: gen_init_cpio list, so no root and no mknod needed ---------
list=$out/initramfs.list
{
    echo "nod /dev/console 600 0 0 c 5 1"
    echo "nod /dev/null 666 0 0 c 1 3"
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort) | while read -r f; do
        f=${f#.}
        if [ -L "$root$f" ]; then
            echo "slink $f $(readlink "$root$f") 777 0 0"
        elif [ -d "$root$f" ]; then
            echo "dir $f 755 0 0"
        else
            echo "file $f $root$f $(stat -c %a "$root$f") 0 0"
        fi
    done
} > "$list"
gcc -O2 -o "$out/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
"$out/gen_init_cpio" -t 1 "$list" | gzip -n -9 > "$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"

echo "$hash" > "$out/hash"
info "guest ready in $out"
