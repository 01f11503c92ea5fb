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
san=$(bash build-aux/san-tree.sh qemu-system-arm qemu-system-aarch64)
reports=$PWD/build/sanitizers
rm -rf "$reports"
mkdir -p "$reports"

# Reports to files, one per process; stop at the first error.  QEMU's
# qtests end QEMU with SIGTERM and exit(0): leaks of a process that is
# told to quit are reported too (see docs/devel/composer-reliability.rst)
supp=$PWD/build-aux/lsan.supp
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_summary=1:detect_leaks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_summary=1:print_stacktrace=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
# QEMU finds its firmware and data next to the binary: as for make
export QC_BUILD_DIR=$san QC_BUILD_LOCK=build/.lock-san
export QC_CHECK_LOG=build/check-sanitizers.log
# three times the timeouts of make check: the sanitizers are slow
export QC_TIMEOUT_MULTIPLIER=${QC_TIMEOUT_MULTIPLIER:-9}
rc=0
bash build-aux/check.sh "$@" || rc=$?

found=$(find "$reports" -type f | sort)
if [ -n "$found" ]; then
    echo "check-sanitizers: sanitizer reports:"
    for f in $found; do
        echo "== $f"
        head -n 40 "$f"
    done
    rc=1
fi
echo "check-sanitizers: $(find "$reports" -type f | wc -l) reports," \
     "$(( $(date +%s) - start )) s"
exit "$rc"
