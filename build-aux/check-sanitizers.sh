#!/usr/bin/env bash
# make check-sanitizers: every test of "make check" (unit tests, qtests,
# the shell tests with the Linux guest) run on the sanitizer tree
# (build-aux/san-tree.sh: ASan, UBSan, clang).  Every sanitizer report
# of every process (QEMU, the test programs) goes to a file under
# build/sanitizers/; any report fails the run, as does a failed test.
# Prints the run time.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
cd "$here/.."

start=$(date +%s)
# what "make" builds: the shell tests run every emulator and the importer
san=$(bash build-aux/san-tree.sh qemu-system-arm qemu-system-aarch64 \
      qemu-system-riscv32 qemu-system-riscv64 \
      contrib/compose-import/qemu-compose-import)
reports=$PWD/build/sanitizers
rm -rf "$reports"
mkdir -p "$reports"

# Reports to files, one per process; the first error ends the process.
# Leaks: QEMU processes leak at exit in upstream code (device models'
# instance_init allocations, objects of boards the qtests only list), so
# leak detection is off for the whole run and on for a second run of our
# unit tests, whose code is all ours (see composer-reliability.rst).
san_common="halt_on_error=1:abort_on_error=1:print_summary=1"
export ASAN_OPTIONS="$san_common:detect_leaks=0:log_path=$reports/asan"
export UBSAN_OPTIONS="$san_common:print_stacktrace=1:log_path=$reports/ubsan"
# QEMU finds its firmware and data next to the binary: as for make
export QC_BUILD_DIR=$san QC_BUILD_LOCK=build/.lock-san
export QC_CHECK_LOG=build/check-sanitizers.log
# three times the timeouts of make check: the sanitizers are slow
export QC_TIMEOUT_MULTIPLIER=${QC_TIMEOUT_MULTIPLIER:-9}
rc=0
bash build-aux/check.sh "$@" || rc=$?
if [ $# = 0 ]; then
    for t in test-compose-reader test-compose-merge; do
        info "leak check: $t"
        ASAN_OPTIONS="$san_common:detect_leaks=1:log_path=$reports/leak" \
            "$san/tests/unit/$t" >/dev/null || rc=1
    done
fi

# A report is a file with more than ASan's note that it cannot follow
# the stack switches of QEMU's coroutines
found=
for f in $(find "$reports" -type f | sort); do
    if grep -q -v 'makecontext/swapcontext' "$f"; then
        found="$found $f"
    fi
done
if [ -n "$found" ]; then
    echo "check-sanitizers: sanitizer reports:"
    for f in $found; do
        echo "== $f"
        head -n 40 "$f"
    done
    rc=1
fi
echo "check-sanitizers: $(echo $found | wc -w) reports," \
     "$(( $(date +%s) - start )) s"
exit "$rc"
