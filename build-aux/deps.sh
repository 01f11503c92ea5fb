#!/usr/bin/env bash
# Install what building and testing qemu-composer needs, non-interactively.
#
# Idempotent: when every package is already present it does nothing.
# Extra apt entries (bookworm-backports for meson >= 1.5, deb-src for the
# Debian release that carries QEMU 10.0.x and for trixie-backports, whose
# newer "linux" source gives the test guest's kernel the mctp-usb driver)
# are derived from the Debian archive URI already configured on this
# machine; no host name is written anywhere in the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=build-aux/common.sh
. "$here/common.sh"

PKGS=(
    build-essential pkg-config ninja-build ccache dpkg-dev xz-utils quilt time
    python3 python3-venv
    libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev libslirp-dev
    libyaml-dev libjson-c-dev
    # tests/shell/docs.sh: our pages build with Sphinx, warnings as errors
    python3-sphinx
    ipxe-qemu seabios
    # tests of imported RISC-V designs: dtc/fdtget, bare-metal programs
    device-tree-compiler binutils-riscv64-unknown-elf
    # composer tools: the editor schema's validator (tests/shell/schema.sh),
    # diagrams (make diagram), guest device trees checked with dtc
    python3-jsonschema python3-yaml graphviz
)
MESON_MIN=1.5
# deb-src suites: QEMU's, and the guest kernel's (tests/guest/build-guest.sh)
SRC_SUITES="$QC_SRC_SUITES trixie-backports"

SUDO=
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install packages"
    SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive

have_meson() {
    local v
    v=$(dpkg-query -W -f='${Version}' meson 2>/dev/null) || return 1
    dpkg --compare-versions "$v" ge "$MESON_MIN"
}

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done

# An entry written by an older version of this script lacks a suite
apt_list_current() {
    [ -f "$QC_APT_LIST" ] &&
        grep -qx "Suites: $SRC_SUITES" "$QC_APT_LIST"
}

if [ ${#missing[@]} = 0 ] && have_meson && apt_list_current; then
    exit 0
fi

# The URI of the Debian archive among the enabled apt sources: the first
# entry that serves a "bookworm" suite with the main component.
debian_uri() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) break;
                           if ($(i + 1) == "bookworm") { print $i; exit } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             { uri = ""; ok = 0
               for (i = 1; i <= NF; i++) {
                   if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
                   if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
               }
               if (ok && uri != "") { print uri; exit } }' "$f"
    done
}

if ! apt_list_current; then
    uri=$(debian_uri | head -n 1)
    [ -n "$uri" ] || die "no Debian bookworm entry among the apt sources"
    info "adding bookworm-backports and deb-src $SRC_SUITES from $uri"
    {
        printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\n' "$uri"
        printf 'Components: main\n'
        printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n'
        printf 'Types: deb-src\nURIs: %s\nSuites: %s\n' "$uri" "$SRC_SUITES"
        printf 'Components: main\n'
        printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    } | $SUDO tee "$QC_APT_LIST.tmp" >/dev/null
    $SUDO mv "$QC_APT_LIST.tmp" "$QC_APT_LIST"
fi

info "apt-get update"
$SUDO apt-get update -qq
if [ ${#missing[@]} != 0 ]; then
    info "installing ${missing[*]}"
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! have_meson; then
    info "installing meson from bookworm-backports"
    $SUDO apt-get install -y -qq --no-install-recommends \
        -t bookworm-backports meson
fi
have_meson || die "meson >= $MESON_MIN is not available"
