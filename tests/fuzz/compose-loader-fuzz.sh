#!/usr/bin/env bash
# make fuzz: build the description loader fuzz target with clang
# (libFuzzer, ASan, UBSan) and run it for FUZZ_SECONDS (default 60).
#
# Seeds: machines/*.yaml and tests/fuzz/corpus/; what the fuzzer finds
# new goes to build/fuzz/corpus/ (kept between runs), crashes, leaks and
# hangs to build/fuzz/artifacts/.  Exits non-zero when it found one.
#
# Environment: QEMU_BUILD (set by build-aux/run-dir.sh), FUZZ_SECONDS,
# FUZZ_ARGS (more libFuzzer options).
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
export QEMU_BUILD=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}
tree=$(cd "$QEMU_BUILD/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz
name=compose-loader-fuzz

say() { printf '  %-8s %s\n' "[fuzz]" "$*" >&2; }

# --- toolchain: clang with the libFuzzer and sanitizer runtimes ---
SUDO=
[ "$(id -u)" = 0 ] || SUDO="sudo -n"
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    say "installing $*"
    $SUDO apt-get install -y -q --no-install-recommends "$@" >&2 ||
        { $SUDO apt-get update -q >&2 &&
          $SUDO apt-get install -y -q --no-install-recommends "$@" >&2; }
}
command -v clang >/dev/null || apt_install clang
rt="$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a"
if [ ! -f "$rt" ]; then
    apt_install "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
fi

# --- build ---
mkdir -p "$out/corpus" "$out/artifacts"
say "building $out/$name"
# It links against the QEMU build: not while someone else builds there
CC=clang flock build/.lock bash "$here/compile.bash" "$out/$name" \
    -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -- "$tree/tests/fuzz/$name.c" \
    "$tree/hw/core/machine-compose-schema.c" \
    "$tree/hw/core/machine-compose-doc.c" \
    "$tree/hw/core/machine-compose-yaml.c" \
    "$tree/hw/core/machine-compose-json.c" \
    "$tree/hw/core/machine-compose-merge.c" \
    "$tree/hw/core/machine-compose-params.c" \
    "$tree/hw/core/machine-compose-expand.c"

# --- run ---
export COMPOSE_FUZZ_INCLUDE_DIR="$repo/tests/fuzz/include"
export COMPOSE_FUZZ_SEARCH_DIR="$repo/machines"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
log="$out/$name.log"
before=$(ls "$out/artifacts" | wc -l)
say "running for ${seconds}s (log: $log)"
rc=0
# shellcheck disable=SC2086
"$out/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -dict="$here/compose.dict" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/" ${FUZZ_ARGS:-} \
    "$out/corpus" "$here/corpus" machines </dev/null >"$log" 2>&1 || rc=$?

# --- report ---
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
echo "fuzz: $name: ${seconds}s, $(stat number_of_executed_units) executions" \
     "($(stat average_exec_per_sec)/s), peak RSS $(stat peak_rss_mb) MB"
echo "fuzz: last status: ${last:-none}"
echo "fuzz: corpus: $(ls "$out/corpus" | wc -l) inputs in $out/corpus"
new=$(ls -t "$out/artifacts" | head -n $(( $(ls "$out/artifacts" | wc -l) - before )))
if [ "$rc" != 0 ] || [ -n "$new" ]; then
    grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|ALARM|Test unit written' \
        "$log" | head -20 || true
    for a in $new; do
        echo "fuzz: finding: $out/artifacts/$a"
        echo "fuzz:   reproduce: COMPOSE_FUZZ_INCLUDE_DIR=$COMPOSE_FUZZ_INCLUDE_DIR" \
             "COMPOSE_FUZZ_SEARCH_DIR=$COMPOSE_FUZZ_SEARCH_DIR" \
             "$out/$name $out/artifacts/$a"
    done
    echo "fuzz: FAILED (libFuzzer exit status $rc); full log: $log"
    exit 1
fi
echo "fuzz: no crash, leak or hang found"
