#!/usr/bin/env bash
# make bench: construction cost of the shipped ASPEED and Nuvoton
# descriptions against the built-in boards they reproduce, measured side
# by side in one run.
#
# For every board, BENCH_RUNS (default 10) runs of each, interleaved:
#   qemu-system-{arm,aarch64} -M BOARD -S ...             (built-in)
#   qemu-system-{arm,aarch64} -M composed,desc=BOARD.yaml -S ...
# from start to QMP "quit": wall time (median), CPU time (user + system,
# median) and peak RSS (median), from GNU time.  Reports the ratios
# against the goal (wall <= 1.03x, RSS <= +2 MiB); it does not fail on
# speed.  On a machine shared with other work the wall time follows the
# load more than the program; the CPU time (10 ms resolution) shows what
# the composed machine itself costs.
#
# Environment: QEMU_BUILD (set by build-aux/run-dir.sh), BENCH_RUNS,
# BENCH_BOARDS (default: all).
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export QEMU_BUILD=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}
runs=${BENCH_RUNS:-10}
read -r -a boards <<<"${BENCH_BOARDS:-palmetto-bmc supermicrox11-bmc \
quanta-q71l-bmc supermicro-x11spi-bmc ast2500-evb romulus-bmc sonorapass-bmc \
witherspoon-bmc yosemitev2-bmc tiogapass-bmc g220a-bmc fp5280g2-bmc \
ast2600-evb rainier-bmc fuji-bmc bletchley-bmc fby35-bmc qcom-dc-scm-v1-bmc \
qcom-firework-bmc ast1030-evb fby35 ast2700a0-evb ast2700a1-evb \
npcm750-evb quanta-gsj quanta-gbs-bmc kudo-bmc mori-bmc npcm845-evb}"
[ -x /usr/bin/time ] || { echo "boards-bench: needs GNU time (apt install time)" >&2; exit 1; }

# one run: prints "MICROSECONDS KIB CPU-MICROSECONDS"
one() {
    local qemu=$1 machine=$2 t0 t1 rss user sys
    t0=$(date +%s%N)
    read -r rss user sys < <(
        printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' |
        /usr/bin/time -f '%M %U %S' "$qemu" -M "$machine" -S -display none \
            -monitor none -serial null -qmp stdio 2>&1 >/dev/null | tail -n 1)
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $rss $(awk -v u="$user" -v s="$sys" \
        'BEGIN { printf "%d", (u + s) * 1000000 }')"
}

median() {
    sort -n | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-22s %9s %9s %6s %8s %8s %6s %9s %9s %7s  %s\n' board "built-in" \
    composed ratio "CPU b-in" "CPU comp" ratio "RSS b-in" "RSS comp" dRSS goal
printf '%-22s %9s %9s %6s %8s %8s %6s %9s %9s %7s\n' "" "(ms)" "(ms)" "" \
    "(ms)" "(ms)" "" "(MiB)" "(MiB)" "(MiB)"
for b in "${boards[@]}"; do
    case $b in
    ast27*|npcm8*) qemu=$QEMU_BUILD/qemu-system-aarch64 ;;
    *) qemu=$QEMU_BUILD/qemu-system-arm ;;
    esac
    desc=$repo/machines/$b.yaml
    : >"$QEMU_BUILD/bench-b.txt"
    : >"$QEMU_BUILD/bench-c.txt"
    one "$qemu" "$b" >/dev/null      # warm the page cache
    for ((i = 0; i < runs; i++)); do
        one "$qemu" "$b" >>"$QEMU_BUILD/bench-b.txt"
        one "$qemu" "composed,desc=$desc" >>"$QEMU_BUILD/bench-c.txt"
    done
    bw=$(cut -d' ' -f1 "$QEMU_BUILD/bench-b.txt" | median)
    cw=$(cut -d' ' -f1 "$QEMU_BUILD/bench-c.txt" | median)
    br=$(cut -d' ' -f2 "$QEMU_BUILD/bench-b.txt" | median)
    cr=$(cut -d' ' -f2 "$QEMU_BUILD/bench-c.txt" | median)
    bc=$(cut -d' ' -f3 "$QEMU_BUILD/bench-b.txt" | median)
    cc=$(cut -d' ' -f3 "$QEMU_BUILD/bench-c.txt" | median)
    awk -v b="$b" -v bw="$bw" -v cw="$cw" -v br="$br" -v cr="$cr" \
        -v bc="$bc" -v cc="$cc" 'BEGIN {
        ratio = cw / bw; d = (cr - br) / 1024; cratio = bc ? cc / bc : 0
        printf "%-22s %9.1f %9.1f %6.3f %8.1f %8.1f %6.3f %9.1f %9.1f %+7.2f  %s\n",
               b, bw / 1000, cw / 1000, ratio, bc / 1000, cc / 1000, cratio,
               br / 1024, cr / 1024, d,
               (ratio <= 1.03 && d <= 2) ? "met" : "MISSED"
    }'
done
rm -f "$QEMU_BUILD/bench-b.txt" "$QEMU_BUILD/bench-c.txt"
