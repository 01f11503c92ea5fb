# Shared settings of the build scripts (sourced, not run).
# shellcheck shell=bash

# The QEMU series we build on: Debian's "qemu" source package, 10.0.x.
QC_QEMU_SERIES=10.0
# Releases whose deb-src carry the 10.0 stable series.
QC_SRC_SUITES="trixie trixie-updates"
QC_APT_LIST=/etc/apt/sources.list.d/qemu-composer.sources

# What QEMU is configured with, but the compiler (configure.sh, and the
# sanitizer tree of san-tree.sh)
QC_CONFIGURE_ARGS=(
    --target-list=arm-softmmu,aarch64-softmmu,riscv32-softmmu,riscv64-softmmu
    --python=/usr/bin/python3
    --disable-install-blobs
    --disable-download
    --disable-docs
    --disable-tools
    --disable-user
    --disable-guest-agent
    --disable-containers
    --enable-slirp
    --enable-fdt=system
    --enable-libyaml
    --enable-json-c
)

info() { printf '  %-8s %s\n' "[qc]" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ccache: with debug info it hashes the working directory; relative paths
# and no directory hash let another checkout (CI's fresh clone) hit what
# this one compiled.
CCACHE_BASEDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CCACHE_BASEDIR CCACHE_NOHASHDIR=1
