#!/usr/bin/env bash
# Configure QEMU in TREE/build for the targets we ship: ARM (the BMC
# boards) and RISC-V (imported core designs).  Re-runs
# configure only when its arguments changed; meson re-configures itself
# when a meson.build or Kconfig file changes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

tree=${1:?usage: configure.sh TREE}
# QEMU hands meson its compiler in a cross file, so meson does not add
# ccache by itself: name it in the compiler command.
args=(
    "--cc=ccache cc"
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
stamp="$tree/build/qc-configure-args"
if [ -f "$tree/build/build.ninja" ] && [ -f "$stamp" ] &&
   [ "$(cat "$stamp")" = "${args[*]}" ]; then
    exit 0
fi
command -v ccache >/dev/null || die "ccache is missing (run build-aux/deps.sh)"
info "configure ${args[*]}"
mkdir -p "$tree/build"
(cd "$tree/build" && ../configure "${args[@]}") >&2
echo "${args[*]}" >"$stamp"
