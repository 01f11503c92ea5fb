#!/usr/bin/env bash
# Command-line facts of the two emulators: QEMU 10.0.x, "composed" listed.
# Env: QEMU_BUILD = the QEMU build directory.
set -u
b=${QEMU_BUILD:?}
n=0
failed=0
check() {
    n=$((n + 1))
    if eval "$2"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        failed=1
    fi
}
for t in arm aarch64; do
    q="$b/qemu-system-$t"
    check "$t: --version is 10.0.x" \
        "'$q' --version | head -n 1 | grep -qE '^QEMU emulator version 10\.0\.[0-9]+'"
    check "$t: -M help lists composed" \
        "'$q' -M help | grep -qE '^composed +Machine built from a board description'"
    check "$t: -M composed starts and quits" \
        "echo quit | timeout 60 '$q' -M composed -display none -nodefaults -monitor stdio >/dev/null"
done
echo "1..$n"
exit $failed
