#!/usr/bin/env bash
# make bench: how loading a composed machine description grows with the
# number of devices.
#
# Generates boards of 100, 1000 and 10000 PL011 UARTs (bench/lib/gen-board.sh)
# into build/bench/ and measures, as the median of several runs:
#  (a) read + merge + structural check alone (bench/compose-load-bench.c,
#      built with clang -O2 like the fuzz target), and what allocating
#      the description's QDicts alone costs; CPU time of the process;
#  (b) qemu-system-arm -M composed,desc=F -S -display none -nodefaults
#      until QMP "quit", against an empty description: wall time and the
#      CPU time (user + system) QEMU used, which a busy machine inflates
#      less; the cost per device and how it grows from 1000 to 10000;
#  (c) the same QEMU up to the end of the semantic check (QOM types,
#      names, references, wires, regions) alone: with -smp 3, which the
#      boards' two CPUs refuse right after the check, before anything is
#      built; against the base board the others include.  CPU time.  Its
#      cost per device must stay flat from 1,000 to 10,000 devices.
# It reports; it does not fail on speed.  It fails only when something
# does not run at all.
#
# Environment: QEMU_BUILD (set by build-aux/run-dir.sh), BENCH_SIZES
# (default "100 1000 10000"), BENCH_RUNS (default 5), BENCH_QEMU_TIMEOUT
# (seconds for one QEMU run, default 120), BENCH_QEMU_BASELINE (another
# qemu-system-arm to measure in (b) in the same run, e.g. a build
# before a change; its rows are marked "baseline").
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export QEMU_BUILD=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}
tree=$(cd "$QEMU_BUILD/.." && pwd)
read -r -a sizes <<<"${BENCH_SIZES:-100 1000 10000}"
runs=${BENCH_RUNS:-5}
qemu_timeout=${BENCH_QEMU_TIMEOUT:-120}
out=build/bench

say() { printf '  %-8s %s\n' "[bench]" "$*" >&2; }

command -v clang >/dev/null || {
    say "installing clang"
    apt-get install -y -q --no-install-recommends clang >&2 ||
        { apt-get update -q >&2 &&
          apt-get install -y -q --no-install-recommends clang >&2; }
}

mkdir -p "$out"
say "generating boards of ${sizes[*]} devices in $out/"
bash "$here/lib/gen-board.sh" "$out" "${sizes[@]}"

say "building $out/compose-load-bench"
CC=clang flock build/.lock bash "$repo/tests/fuzz/compile.bash" \
    "$out/compose-load-bench" -O2 -- "$here/compose-load-bench.c" \
    "$tree/hw/core/machine-compose-schema.c" \
    "$tree/hw/core/machine-compose-doc.c" \
    "$tree/hw/core/machine-compose-yaml.c" \
    "$tree/hw/core/machine-compose-json.c" \
    "$tree/hw/core/machine-compose-merge.c" \
    "$tree/hw/core/machine-compose-params.c" \
    "$tree/hw/core/machine-compose-expand.c"

# A copy of the emulator, taken while nobody relinks it (build/.lock);
# the composed machine needs nothing from its data directory here
flock build/.lock cp "$QEMU_BUILD/qemu-system-arm" "$out/qemu-system-arm"
qemu=$out/qemu-system-arm

baseline=
if [ -n "${BENCH_QEMU_BASELINE:-}" ]; then
    baseline=$out/qemu-system-arm.baseline
    cp "$BENCH_QEMU_BASELINE" "$baseline"
fi

# "WALL CPU" in ms of one run of QEMU @1 from start to QMP quit with
# description @2; "fail" if it did not get there (the reason on stderr)
qemu_once() {
    local bin=$1 desc=$2 rc=0 err times TIMEFORMAT='%3R %3U %3S'
    err=$(mktemp)
    times=$(mktemp)
    { time printf '%s\n' '{"execute": "qmp_capabilities"}' \
            '{"execute": "quit"}' |
        timeout "$qemu_timeout" "$bin" -M "composed,desc=$desc" -S \
            -display none -nodefaults -qmp stdio >/dev/null 2>"$err" ||
        rc=$?; } 2>"$times"
    if [ $rc != 0 ]; then
        say "$desc: QEMU exit status $rc: $(head -c 300 "$err")"
        echo fail
    else
        awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' "$times"
    fi
    rm -f "$err" "$times"
}

median() { sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "fail"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f\n", m }'; }

# CPU time in ms of one QEMU start to the end of the check, refused
# there by -smp 3; "fail" if it was refused for anything else
check_once() {
    local desc=$1 err cpu
    err=$(mktemp)
    cpu=$(mktemp)
    timeout "$qemu_timeout" /usr/bin/time -o "$cpu" -f '%U %S' "$qemu" \
        -M "composed,desc=$desc" -smp 3 -S -display none -nodefaults \
        >/dev/null 2>"$err" || true
    if ! grep -q -- '-smp 3: the board description has 2 CPUs' "$err" ||
       [ "$(grep -c ': ' "$err")" != 2 ]; then
        say "$desc: not refused by -smp alone: $(head -c 300 "$err")"
        rm -f "$err" "$cpu"
        echo fail
        return
    fi
    awk '{ printf "%.1f\n", ($1 + $2) * 1000 }' "$cpu"
    rm -f "$err" "$cpu"
}

# Median in ms of @runs runs of check_once on $1, "fail" if any failed
check_median() {
    local i t all=()
    for ((i = 0; i < runs; i++)); do
        t=$(check_once "$1")
        if [ "$t" = fail ]; then
            echo fail
            return
        fi
        all+=("$t")
    done
    printf '%s\n' "${all[@]}" | median
}

# "WALL CPU": medians in ms of @runs runs of QEMU @1 with description
# @2, "fail fail" if any failed
qemu_median() {
    local i t walls=() cpus=()
    for ((i = 0; i < runs; i++)); do
        t=$(qemu_once "$1" "$2")
        if [ "$t" = fail ]; then
            echo fail fail
            return
        fi
        walls+=("${t% *}")
        cpus+=("${t#* }")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median)" \
         "$(printf '%s\n' "${cpus[@]}" | median)"
}

per_dev() { awk -v t="$1" -v b="${2:-0}" -v n="$3" 'BEGIN {
    if (t == "fail" || b == "fail") print "-"; else printf "%.1f", (t - b) * 1000 / n }'; }

# How much more a device costs at @2 devices than at @1 (per_dev ratio)
growth() { awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "-" || b == "-" || a <= 0) print "-"; else printf "%.2f", b / a }'; }

say "(a) read + merge + structural check, median of $runs"
declare -A load_line
for n in "${sizes[@]}"; do
    load_line[$n]=$("$out/compose-load-bench" "$out/board-$n.yaml" "$runs")
done

say "(c) QEMU start to the end of the semantic check, median of $runs"
check_base=$(check_median "$out/base.yaml")
declare -A check_ms
for n in "${sizes[@]}"; do
    check_ms[$n]=$(check_median "$out/board-$n.yaml")
done

say "(b) QEMU start to QMP quit, median of $runs"
builds=(current)
[ -z "$baseline" ] || builds=(baseline current)
declare -A qemu_ms bin=([current]=$qemu [baseline]=$baseline)
for b in "${builds[@]}"; do
    qemu_ms[$b,empty]=$(qemu_median "${bin[$b]}" "$out/empty.yaml")
    for n in "${sizes[@]}"; do
        qemu_ms[$b,$n]=$(qemu_median "${bin[$b]}" "$out/board-$n.yaml")
    done
done

echo
echo "(a) read + merge + structural check (no QOM), CPU ms, median of $runs"
printf '%8s %10s %10s %10s %10s %12s %9s %12s\n' N read load check \
    load+check "us/device" mappings "QDict floor"
for n in "${sizes[@]}"; do
    read -r _ r _ l _ c _ d _ f <<<"${load_line[$n]}"
    lc=$(awk -v l="$l" -v c="$c" 'BEGIN { printf "%.1f", l + c }')
    printf '%8s %10s %10s %10s %10s %12s %9s %12s\n' "$n" "$r" "$l" "$c" \
        "$lc" "$(per_dev "$lc" 0 "$n")" "$d" "$f"
done
echo "QDict floor: ms to allocate and fill as many two-entry QDicts as the"
echo "description has mappings (QDicts of up to 8 keys have no bucket"
echo "table since patch 0122; before, each carried 512 buckets, 4 KiB)."
echo
echo "(b) qemu-system-arm -M composed,desc=F -S until QMP quit, ms," \
     "median of $runs"
printf '%8s %9s %10s %10s %11s %11s\n' N build wall cpu \
    "wall us/dev" "cpu us/dev"
declare -A dev_wall dev_cpu
for b in "${builds[@]}"; do
    read -r ew ec <<<"${qemu_ms[$b,empty]}"
    printf '%8s %9s %10s %10s %11s %11s\n' empty "$b" "$ew" "$ec" - -
    for n in "${sizes[@]}"; do
        read -r w c <<<"${qemu_ms[$b,$n]}"
        dev_wall[$b,$n]=$(per_dev "$w" "$ew" "$n")
        dev_cpu[$b,$n]=$(per_dev "$c" "$ec" "$n")
        printf '%8s %9s %10s %10s %11s %11s\n' "$n" "$b" "$w" "$c" \
            "${dev_wall[$b,$n]}" "${dev_cpu[$b,$n]}"
    done
done
echo "us/dev: (time - time of the empty description) / N."
if [ -n "${dev_wall[current,1000]:-}" ] && [ -n "${dev_wall[current,10000]:-}" ]
then
    for b in "${builds[@]}"; do
        echo "$b: a device at 10000 costs $(growth "${dev_wall[$b,1000]}" \
            "${dev_wall[$b,10000]}")x (wall), $(growth \
            "${dev_cpu[$b,1000]}" "${dev_cpu[$b,10000]}")x (cpu) what" \
            "it costs at 1000 (flat: 1.00)"
    done
fi
echo
echo "(c) qemu-system-arm -M composed,desc=F -smp 3: start to the end of the"
echo "semantic check (refused there by -smp), CPU ms, median of $runs"
printf '%8s %10s %12s %12s\n' N cpu "minus base" "us/device"
printf '%8s %10s %12s %12s\n' base "$check_base" - -
for n in "${sizes[@]}"; do
    t=${check_ms[$n]}
    printf '%8s %10s %12s %12s\n' "$n" "$t" \
        "$(awk -v t="$t" -v b="$check_base" 'BEGIN {
            if (t == "fail" || b == "fail") print "-"; else printf "%.1f", t - b }')" \
        "$(per_dev "$t" "$check_base" "$n")"
done
echo "Every check stage is linear: the cost per device stays flat."
echo
echo "Goals: 10000 devices from start to QMP quit in under 5000 ms, at a"
echo "flat cost per device; 10000 devices through load + check in under"
echo "150 ms."
