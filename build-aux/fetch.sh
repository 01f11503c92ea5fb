#!/usr/bin/env bash
# Fetch Debian's "qemu" source package (10.0.x only) and unpack it with
# Debian's patches applied into $1 (default build/).  Fetched once: if a
# tree is already unpacked there, it is reused.  Prints the version used.
#
# Output: the path of the unpacked tree on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

out=${1:-build}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A tree we unpacked earlier: reuse it.
if [ -f "$out/qemu-version" ] && [ -d "$out/qemu-$(cat "$out/qemu-version")" ]; then
    ver=$(cat "$out/qemu-version")
    info "QEMU source: Debian qemu $ver (cached in $out)"
    echo "$out/qemu-$ver"
    exit 0
fi

# Highest available source version of the 10.0 series.
ver=$(apt-cache showsrc qemu 2>/dev/null |
      awk '/^Package: / { p = $2 } p == "qemu" && /^Version: / { print $2 }' |
      grep -E "^([0-9]+:)?${QC_QEMU_SERIES//./\\.}\\.[0-9]+" |
      sort -V | tail -n 1) || true
[ -n "$ver" ] || die "no Debian qemu source package $QC_QEMU_SERIES.x among the apt deb-src entries (run build-aux/deps.sh)"
upver=${ver#*:}
upver=${upver%-*}
upver=${upver%+ds*}
case "$upver" in
"$QC_QEMU_SERIES".*) ;;
*) die "refusing qemu source $ver: only $QC_QEMU_SERIES.x is supported" ;;
esac

dl="$out/download"
mkdir -p "$dl"
info "fetching Debian qemu source $ver"
(cd "$dl" && apt-get source --download-only -qq "qemu=$ver") >&2
dsc=$(ls "$dl"/qemu_*.dsc | head -n 1)
[ -n "$dsc" ] || die "apt-get source left no .dsc in $dl"

tree="$out/qemu-$upver"
rm -rf "$tree" "$tree.tmp"
info "unpacking $(basename "$dsc") with Debian's patches"
dpkg-source --no-check -x "$dsc" "$tree.tmp" >&2
# Debian's quilt state: our patches/ keep their own (see prepare.sh)
rm -rf "$tree.tmp/.pc"
mv "$tree.tmp" "$tree"
grep -qx "$upver" "$tree/VERSION" ||
    die "$tree/VERSION says $(cat "$tree/VERSION"), expected $upver"
echo "$upver" >"$out/qemu-version"
echo "$ver" >"$out/qemu-debian-version"
info "QEMU source: Debian qemu $ver"
echo "$tree"
