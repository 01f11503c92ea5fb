#!/usr/bin/env bash
# make bench: the size of each ASPEED SoC written from parts
# (machines/aspeed/<soc>.yaml) next to the C file it replaces in QEMU's
# tree: all lines, and lines that are neither blank nor comments.
# aspeed_soc_common.c (shared by the C SoCs: UARTs, DRAM window, MMIO
# helpers) is listed once, for reference.
#
# Environment: QEMU_BUILD (set by build-aux/run-dir.sh).
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export QEMU_BUILD=${QEMU_BUILD:-$(bash build-aux/qemu-tree.sh)/build}
src=$(cd "$QEMU_BUILD/.." && pwd)

# lines that are not blank and not comments, for YAML (#) and C (/* */, //)
code_yaml() {
    grep -cvE '^[[:space:]]*(#|$)' "$1"
}
code_c() {
    awk 'BEGIN { c = 0; n = 0 }
        {
            line = $0
            if (c) { if (line ~ /\*\//) { c = 0; sub(/.*\*\//, "", line) }
                     else next }
            while (line ~ /\/\*/) {
                if (line ~ /\/\*.*\*\//) { sub(/\/\*[^*]*\*+([^\/*][^*]*\*+)*\//, "", line) }
                else { sub(/\/\*.*/, "", line); c = 1 }
            }
            sub(/\/\/.*/, "", line)
            if (line ~ /[^[:space:]]/) n++
        }
        END { print n }' "$1"
}

# QEMU's file as released: the copy quilt saved before the first of our
# patches that changes it, else the file
upstream() {
    local p
    while read -r p; do
        if [ -f "$src/.pc/$p/$1" ]; then
            echo "$src/.pc/$p/$1"
            return
        fi
    done < "$repo/patches/series"
    echo "$src/$1"
}

printf '%-16s %-26s %6s %6s   %-30s %6s %6s\n' SoC description lines code \
    "C file replaced" lines code
# SoC description, C file; the C file of the AST2400 holds the AST2500 too
while read -r soc c; do
    d=machines/aspeed/$soc.yaml
    f=$(upstream "hw/arm/$c")
    [ -f "$d" ] || continue
    printf '%-16s %-26s %6d %6d   %-30s %6d %6d\n' "$soc" "${d#machines/}" \
        "$(wc -l < "$d")" "$(code_yaml "$d")" "$c" "$(wc -l < "$f")" \
        "$(code_c "$f")"
done <<'EOF'
ast2400-a1 aspeed_ast2400.c
ast2500-a1 aspeed_ast2400.c
ast2600-a3 aspeed_ast2600.c
ast1030-a1 aspeed_ast10x0.c
ast2700-a0 aspeed_ast27x0.c
ast2700-a1 aspeed_ast27x0.c
EOF
f=$(upstream hw/arm/aspeed_soc_common.c)
printf '%-16s %-26s %6s %6s   %-30s %6d %6d\n' "(shared)" "" "" "" \
    aspeed_soc_common.c "$(wc -l < "$f")" "$(code_c "$f")"
