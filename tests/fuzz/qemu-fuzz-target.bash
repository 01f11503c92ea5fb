#!/usr/bin/env bash
# make fuzz: a guest-facing fuzz target of QEMU's fuzzing framework,
# qemu-fuzz-arm --fuzz-target=NAME (tests/qtest/fuzz/*_fuzz.c), run by
# the scripts beside it (mctp-i2c-fuzz.sh, mctp-usb-fuzz.sh).  It is
# built in the sanitizer tree (build-aux/san-tree.sh: clang, libFuzzer,
# ASan, UBSan) and runs for FUZZ_SECONDS (default 60), or FUZZ_RUNS
# executions if set.
#
# Usage: qemu-fuzz-target.bash NAME
#
# Seeds: tests/fuzz/NAME-corpus/ (kept, minimized); what the fuzzer
# finds new goes to build/fuzz/NAME-corpus/ (kept between runs),
# crashes, leaks and hangs to build/fuzz/artifacts/.  Exits non-zero
# when it found one.  FUZZ_MERGE=1 minimizes the working corpus into
# the kept one after the run.
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz
name=${1:?usage: qemu-fuzz-target.bash NAME}
seeds="$here/$name-corpus"

say() { printf '  %-8s %s\n' "[fuzz]" "$*" >&2; }

say "building qemu-fuzz-arm (sanitizer tree)"
san=$(bash build-aux/san-tree.sh qemu-fuzz-arm)
bin="$san/qemu-fuzz-arm"
mkdir -p "$out/$name-corpus" "$out/artifacts"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
log="$out/$name.log"
before=$(ls "$out/artifacts" | wc -l)
limit=(-max_total_time="$seconds")
[ -z "${FUZZ_RUNS:-}" ] || limit=(-runs="$FUZZ_RUNS")
say "running ${FUZZ_RUNS:+$FUZZ_RUNS executions}${FUZZ_RUNS:-${seconds}s} (log: $log)"
rc=0
# shellcheck disable=SC2086
nice "$bin" --fuzz-target=$name "${limit[@]}" -timeout=10 \
    -rss_limit_mb=4096 -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$name-" ${FUZZ_ARGS:-} \
    "$out/$name-corpus" "$seeds" </dev/null >"$log" 2>&1 || rc=$?

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
# with FUZZ_ARGS=-fork=N the workers' totals are on the status lines
execs=$(stat number_of_executed_units)
execs=${execs:-$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")}
echo "fuzz: $name: ${execs:-0} executions" \
     "($(stat average_exec_per_sec)/s), peak RSS $(stat peak_rss_mb) MB"
echo "fuzz: last status: ${last:-none}"
echo "fuzz: corpus: $(ls "$out/$name-corpus" | wc -l) inputs in $out/$name-corpus"
new=$(ls -t "$out/artifacts" | head -n $(( $(ls "$out/artifacts" | wc -l) - before )))
if [ "$rc" != 0 ] || [ -n "$new" ]; then
    grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|ALARM|Test unit written' \
        "$log" | head -20 || true
    for a in $new; do
        echo "fuzz: finding: $out/artifacts/$a"
        echo "fuzz:   reproduce: $bin --fuzz-target=$name $out/artifacts/$a"
    done
    echo "fuzz: FAILED (libFuzzer exit status $rc); full log: $log"
    exit 1
fi
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    say "minimizing the corpus into $seeds"
    mkdir -p "$seeds"
    "$bin" --fuzz-target=$name -merge=1 -max_len=4096 "$seeds" \
        "$out/$name-corpus" </dev/null >"$out/$name-merge.log" 2>&1
    echo "fuzz: kept corpus: $(ls "$seeds" | wc -l) inputs"
fi
echo "fuzz: no crash, leak or hang found"
