#!/usr/bin/env bash
# qemu-compose-import never crashes: built here with AddressSanitizer and
# UndefinedBehaviorSanitizer (it needs only glib, libyaml and libfdt),
# it reads every design of the tests (good, malformed, the real exports
# when present), and thousands of truncated and byte-flipped variants of
# them, and always ends with status 0 or 1 and no sanitizer report.
# Env: QEMU_BUILD is not needed; CC (default cc).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
data=$top/tests/shell/compose-import
designs=$top/../shared/data/core-designs/sifive
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
export QEMU_COMPOSE_IMPORT_MAP=$top/machines/devicetree-map.yaml
# Leaks on the error paths are left to exit(); anything else stops it
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-import-asan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
exe=$tmp/qemu-compose-import-asan

# shellcheck disable=SC2046
${CC:-cc} -std=gnu11 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    $(pkg-config --cflags glib-2.0 yaml-0.1) \
    "$top"/contrib/compose-import/*.c -o "$exe" \
    $(pkg-config --libs glib-2.0 yaml-0.1) -lfdt 2>"$tmp/cc.err" ||
    bail "build the importer with ASan and UBSan: $(head -n 3 "$tmp/cc.err")"
result ok "the importer builds with ASan and UBSan"

# run FILE: the importer's status on FILE; 0 and 1 are fine
run() {
    (cd "$(dirname "$1")" && "$exe" "$1" -o "$tmp/out.yaml" -q) \
        >/dev/null 2>"$tmp/run.err"
}

inputs=("$data"/*.dts "$data"/bad/*.dts)
if [ -d "$designs" ]; then
    inputs+=("$designs"/*/design.dts)
else
    echo "# SKIP real designs: $designs is absent"
fi
bad=0
for f in "${inputs[@]}"; do
    run "$f"
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "# $f: status $rc"
        sed 's/^/#   /' "$tmp/run.err" | head -n 20
        bad=$((bad + 1))
    fi
done
check "${#inputs[@]} designs: status 0 or 1, no sanitizer report" "[ $bad = 0 ]"

# variant WHAT: run the importer on $v; keep it and say so if it failed
variant() {
    run "$v"
    local rc=$?
    variants=$((variants + 1))
    if [ $rc -gt 1 ]; then
        cp "$v" "$tmp/crash-$variants.$ext"
        echo "# $1: status $rc"
        sed 's/^/#   /' "$tmp/run.err" | head -n 20
        bad=$((bad + 1))
    fi
}

# Variants: every design cut short at 40 places, and with bytes flipped
# at 40 places (deterministic), from .dts and from .dtb
variants=0
bad=0
for f in "${inputs[@]}"; do
    case $f in */bad/*) continue ;; esac
    # a copy of the design's folder: /include/ finds the included files
    rm -rf "$tmp/work"
    mkdir "$tmp/work"
    cp "$(dirname "$f")"/*.dts* "$tmp/work/"
    dtc -q -I dts -O dtb -o "$tmp/v.dtb" "$f" 2>/dev/null || rm -f "$tmp/v.dtb"
    for src in "$f" "$tmp/v.dtb"; do
        [ -s "$src" ] || continue
        size=$(stat -c %s "$src")
        ext=${src##*.}
        for ((k = 1; k <= 40; k++)); do
            # one cut, then one changed byte
            v=$tmp/work/variant.$ext
            head -c $((size * k / 41)) "$src" > "$v"
            variant "$src cut at $((size * k / 41))"
            cp "$src" "$v"
            off=$(((size * k * 7919 / 41) % size))
            printf "\\x$(printf %02x $(((k * 37 + 1) % 256)))" |
                dd of="$v" bs=1 seek=$off conv=notrunc status=none
            variant "$src with byte $off changed"
            rm -f "$v"
        done
    done
done
check "$variants damaged variants: status 0 or 1, no sanitizer report" \
    "[ $bad = 0 ]"
tap_done
