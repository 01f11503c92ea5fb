#!/usr/bin/env bash
# Configure (once) and build the sanitizer tree: the same QEMU source
# tree as "make" (patches applied, our files linked in), built in its own
# directory, build-san/, with clang, AddressSanitizer, UndefinedBehavior-
# Sanitizer and libFuzzer instrumentation (--enable-asan --enable-ubsan
# --enable-fuzzing), ccache.  make check-sanitizers runs our tests there;
# make fuzz builds the guest-facing fuzz target (qemu-fuzz-arm) there.
# One tree for both: a second full QEMU build would cost as much again.
#
# Usage: san-tree.sh [NINJA-TARGET...]      prints the build directory
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."

# the source tree: fetched, patched and linked by the normal build
bash build-aux/build.sh >/dev/null
tree=$(bash build-aux/qemu-tree.sh)
out="$tree/build-san"

SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
if ! command -v clang >/dev/null ||
   [ ! -f "$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then
    info "installing clang and its sanitizer runtimes"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -q --no-install-recommends clang >&2
    $SUDO apt-get install -y -q --no-install-recommends \
        "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev" >&2 || true
fi

args=(
    "--cc=ccache clang"
    "--cxx=ccache clang++"
    "--objcc=ccache clang"
    "${QC_CONFIGURE_ARGS[@]}"
    --enable-asan
    --enable-ubsan
    --enable-fuzzing
)
# One build at a time in this directory
exec 9>build/.lock-san
flock 9
stamp="$out/qc-configure-args"
if [ ! -f "$out/build.ninja" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${args[*]}" ]; then
    info "configuring the sanitizer tree ($out)"
    mkdir -p "$out"
    (cd "$out" && ../configure "${args[@]}") >&2
    echo "${args[*]}" >"$stamp"
fi
if [ $# -gt 0 ]; then
    info "building in the sanitizer tree: $*"
    nice ninja -C "$out" "$@" >&2
fi
bash build-aux/link-data.sh "$tree" "$out"
echo "$out"
