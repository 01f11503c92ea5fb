#!/usr/bin/env bash
# make bench: how loading a composed machine description grows with the
# number of devices.
#
# Generates boards of 100, 1000 and 10000 PL011 UARTs (bench/lib/gen-board.sh)
# into build/bench/ and measures, as the median of several runs:
#  (a) read + merge + structural check alone (bench/compose-load-bench.c,
#      built with clang -O2 like the fuzz target), and what allocating
#      the description's QDicts alone costs;
#  (b) qemu-system-arm -M composed,desc=F -S -display none -nodefaults
#      until QMP "quit", against an empty description;
#  (c) the same QEMU up to the end of the semantic check (QOM types,
#      names, references, wires, regions) alone: with -smp 3, which the
#      boards' two CPUs refuse right after the check, before anything is
#      built; against the base board the others include.  CPU time (user
#      + system, from GNU time), which other load on the machine disturbs
#      less than wall time.  Its cost per device must stay flat from
#      1,000 to 10,000 devices.
# It reports; it does not fail on speed.  It fails only when something
# does not run at all.
#
# Environment: QEMU_BUILD (set by build-aux/run-dir.sh), BENCH_SIZES
# (default "100 1000 10000"), BENCH_RUNS (default 5), BENCH_QEMU_TIMEOUT
# (seconds for one QEMU run, default 120).
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
    "$tree/hw/core/machine-compose-merge.c"

# A copy of the emulator, taken while nobody relinks it (build/.lock);
# the composed machine needs nothing from its data directory here
flock build/.lock cp "$QEMU_BUILD/qemu-system-arm" "$out/qemu-system-arm"
qemu=$out/qemu-system-arm

# Wall time in ms of one QEMU start to QMP quit; "fail" if it did not
# get there (with the reason on stderr)
qemu_once() {
    local desc=$1 start end rc=0 err
    err=$(mktemp)
    start=$(date +%s%N)
    printf '%s\n' '{"execute": "qmp_capabilities"}' '{"execute": "quit"}' |
        timeout "$qemu_timeout" "$qemu" -M "composed,desc=$desc" -S \
            -display none -nodefaults -qmp stdio >/dev/null 2>"$err" || rc=$?
    end=$(date +%s%N)
    if [ $rc != 0 ]; then
        say "$desc: QEMU exit status $rc: $(head -c 300 "$err")"
        rm -f "$err"
        echo fail
        return
    fi
    rm -f "$err"
    echo $(( (end - start) / 1000 ))
}

median() { sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "fail"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f\n", m / 1000 }'; }

# CPU time in us of one QEMU start to the end of the check, refused
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
    awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$cpu"
    rm -f "$err" "$cpu"
}

# Median in ms of @runs runs of $1 (qemu_once, check_once) on $2, "fail"
# if any failed
median_of() {
    local i t all=()
    for ((i = 0; i < runs; i++)); do
        t=$("$1" "$2")
        if [ "$t" = fail ]; then
            echo fail
            return
        fi
        all+=("$t")
    done
    printf '%s\n' "${all[@]}" | median
}

per_dev() { awk -v t="$1" -v b="${2:-0}" -v n="$3" 'BEGIN {
    if (t == "fail" || b == "fail") print "-"; else printf "%.1f", (t - b) * 1000 / n }'; }

say "(a) read + merge + structural check, median of $runs"
declare -A load_line
for n in "${sizes[@]}"; do
    load_line[$n]=$("$out/compose-load-bench" "$out/board-$n.yaml" "$runs")
done

say "(c) QEMU start to the end of the semantic check, median of $runs"
check_base=$(median_of check_once "$out/base.yaml")
declare -A check_ms
for n in "${sizes[@]}"; do
    check_ms[$n]=$(median_of check_once "$out/board-$n.yaml")
done

say "(b) QEMU start to QMP quit, median of $runs"
empty=$(median_of qemu_once "$out/empty.yaml")
declare -A qemu_ms
for n in "${sizes[@]}"; do
    qemu_ms[$n]=$(median_of qemu_once "$out/board-$n.yaml")
done

echo
echo "(a) read + merge + structural check (no QOM), ms, median of $runs"
printf '%8s %10s %10s %10s %10s %12s %9s %12s\n' N read load check \
    load+check "us/device" mappings "QDict floor"
for n in "${sizes[@]}"; do
    read -r _ r _ l _ c _ d _ f <<<"${load_line[$n]}"
    lc=$(awk -v l="$l" -v c="$c" 'BEGIN { printf "%.1f", l + c }')
    printf '%8s %10s %10s %10s %10s %12s %9s %12s\n' "$n" "$r" "$l" "$c" \
        "$lc" "$(per_dev "$lc" 0 "$n")" "$d" "$f"
done
echo "QDict floor: ms to allocate and fill as many two-entry QDicts as the"
echo "description has mappings; every QDict carries 512 buckets (4 KiB)."
echo
echo "(b) qemu-system-arm -M composed,desc=F -S until QMP quit, ms," \
     "median of $runs"
# A table of times per size: $1 column name, $2 baseline name, $3 its
# time, then the name of an associative array of times by size
per_size_table() {
    local -n times=$4
    local n t
    printf '%8s %10s %12s %12s\n' N "$1" "minus $2" "us/device"
    printf '%8s %10s %12s %12s\n' "$2" "$3" - -
    for n in "${sizes[@]}"; do
        t=${times[$n]}
        printf '%8s %10s %12s %12s\n' "$n" "$t" \
            "$(awk -v t="$t" -v b="$3" 'BEGIN {
                if (t == "fail" || b == "fail") print "-"; else printf "%.1f", t - b }')" \
            "$(per_dev "$t" "$3" "$n")"
    done
}
per_size_table wall empty "$empty" qemu_ms
echo
echo "(c) qemu-system-arm -M composed,desc=F -smp 3: start to the end of the"
echo "semantic check (refused there by -smp), CPU ms, median of $runs"
per_size_table cpu base "$check_base" check_ms
echo "Every check stage is linear: the cost per device stays flat."
echo
echo "Beyond about 1000 devices QEMU's core grows faster than linearly (vmstate"
echo "registration, QOM canonical paths): docs/devel/composer.rst, \"Scale\"."
echo
echo "Goal: 10000 devices through load + check in under 150 ms."
