#!/usr/bin/env bash
# make diagram DESC=FILE OUT=FILE.svg [ARGS="QEMU-ARGS"]: draw the machine
# a description builds (docs/system/composer-tools.rst).  QEMU builds it
# and writes what it built as Graphviz DOT (-M composed,diagram=FILE),
# Graphviz renders it; OUT=FILE.dot keeps the DOT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
desc=${1:?usage: make diagram DESC=FILE OUT=FILE.svg [ARGS=...]}
out=${2:?usage: make diagram DESC=FILE OUT=FILE.svg [ARGS=...]}
shift 2
command -v dot >/dev/null || die "dot not found (Debian: graphviz)"
# qemu-system-aarch64 has every ARM CPU and device, 32-bit ones too
qemu=${QEMU:-$here/../build/qemu-system-aarch64}
tmp=$(mktemp "${TMPDIR:-/tmp}/qc-diagram.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# ARGS: parameters and facts (-M composed,...,param.X=Y is not needed:
# ARGS may hold ",param.X=Y" to append to the machine options)
machine="composed,desc=$desc,diagram=$tmp"
extra=()
for a in "$@"; do
    case $a in
    ,*) machine+=$a ;;
    *) extra+=("$a") ;;
    esac
done
"$qemu" -M "$machine" -display none -serial null -monitor none \
    "${extra[@]}" </dev/null
case $out in
*.dot) cp "$tmp" "$out" ;;
*) dot -T"${out##*.}" -o "$out" "$tmp" ;;
esac
info "wrote $out"
