#!/usr/bin/env bash
# Compile and link a program against the composer's reader and merge
# stages outside QEMU's meson build (make fuzz, make bench).
#
# Usage: compile.bash OUTPUT [CFLAG...] -- SOURCE...
#
# Environment: QEMU_BUILD (the QEMU build directory; its parent is the
# source tree with our files linked in), CC (default clang).
#
# The include paths and defines are those QEMU compiles
# hw/core/machine-compose-doc.c with (compile_commands.json); the
# sources given are compiled with CFLAGS, and linked with the
# generated QAPI code of the description schema and QEMU's own
# qobject input visitor (both compiled the same way, so that the
# sanitizers see them too), then libqemuutil.a, glib, libyaml and
# json-c, as tests/unit/test-compose-merge is.
#
# Copyright (c) 2026 qemu-composer contributors
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

out=${1:?usage: compile.bash OUTPUT [CFLAG...] -- SOURCE...}
shift
cflags=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    cflags+=("$1")
    shift
done
[ "${1:-}" = -- ] || { echo "compile.bash: missing --" >&2; exit 1; }
shift
srcs=("$@")

build=${QEMU_BUILD:?QEMU_BUILD must name the QEMU build directory}
build=$(cd "$build" && pwd)
tree=$(cd "$build/.." && pwd)
cc=${CC:-clang}

# Include paths, defines and code generation options of QEMU's own
# compilation of the reader, made absolute; warnings and options only
# GCC knows are left out (we compile with clang).
mapfile -t qflags < <(python3 - "$build" <<'EOF'
import json, os, shlex, sys
build = sys.argv[1]
want = "tests/unit/test-compose-merge.p/"
cmds = json.load(open(os.path.join(build, "compile_commands.json")))
cmd = None
for e in cmds:
    if e["file"].endswith("hw/core/machine-compose-doc.c"):
        args = e.get("arguments") or shlex.split(e["command"])
        if cmd is None or any(want in a for a in args):
            cmd = args
if cmd is None:
    sys.exit("compile.bash: machine-compose-doc.c is not in "
             "compile_commands.json (is the tree prepared?)")
keep_alone = {"-pthread", "-m64", "-mcx16", "-msse2", "-fno-strict-aliasing",
              "-fno-common", "-fwrapv"}
with_arg = {"-I", "-iquote", "-isystem", "-D"}
i = 0
while i < len(cmd):
    a = cmd[i]
    if a in with_arg and i + 1 < len(cmd):
        v = cmd[i + 1]
        if a != "-D" and not os.path.isabs(v):
            v = os.path.normpath(os.path.join(build, v))
        print(a); print(v)
        i += 2
        continue
    for p in ("-I", "-D"):
        if a.startswith(p) and len(a) > 2:
            v = a[2:]
            if p == "-I" and not os.path.isabs(v):
                v = os.path.normpath(os.path.join(build, v))
            print(p + v)
            break
    else:
        if a in keep_alone or a.startswith("-std="):
            print(a)
    i += 1
EOF
)

# What test-compose-merge links besides its own objects, from
# build.ninja: QOM and event-loop objects libqemuutil.a needs, and the
# libraries
link=()
libs=()
while read -r l; do
    case "$l" in
    tests/unit/*) ;;
    *.o) link+=("$build/$l") ;;
    /*.so | -l*) libs+=("$l") ;;
    esac
done < <(awk '/^build tests\/unit\/test-compose-merge:/ {
                  for (i = 4; i <= NF && $i != "|"; i++) print $i; f = 1; next }
              f && /LINK_ARGS/ { for (i = 3; i <= NF; i++) print $i; exit }' \
             "$build/build.ninja")
if [ ${#libs[@]} = 0 ]; then
    echo "compile.bash: no link line of test-compose-merge in build.ninja" >&2
    exit 1
fi

objdir="$out.o"
mkdir -p "$objdir"
all=(
    "${srcs[@]}"
    "$build/qapi/qapi-visit-machine-compose.c"
    "$build/qapi/qapi-types-machine-compose.c"
    "$tree/qapi/qobject-input-visitor.c"
)
objs=()
for s in "${all[@]}"; do
    o="$objdir/$(basename "${s%.c}").o"
    "$cc" "${qflags[@]}" -g -Wall -Wno-unused-function \
        -Wno-gnu-variable-sized-type-not-at-end -Wno-initializer-overrides \
        "${cflags[@]}" -c "$s" -o "$o"
    objs+=("$o")
done
"$cc" "${cflags[@]}" -o "$out" "${objs[@]}" "${link[@]}" \
    -Wl,--start-group "$build/libqemuutil.a" "${libs[@]}" -Wl,--end-group \
    -pthread
