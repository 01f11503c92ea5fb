#!/usr/bin/env bash
# Run every test suite of ours plus the upstream qtests that guard the
# parts of QEMU we build on, for both targets.  Assumes "make" has built
# the emulators (the Makefile's check target does that first).
#
# Usage: check.sh [MESON-TEST-ARGS...]   e.g. check.sh composed-machine-test
set -euo pipefail

# All in a function: bash reads it whole before running it, so editing
# this file (e.g. adding a test) while it runs does not derail it.
main() {

    here=$(cd "$(dirname "$0")" && pwd)
    . "$here/common.sh"
    cd "$here/.."
    tree=$(bash build-aux/qemu-tree.sh)
    # QC_BUILD_DIR: another build directory of the tree (check-sanitizers)
    build=${QC_BUILD_DIR:-$tree/build}

    # qtests per target: ours first, then upstream guards
    qtests_arm=(
        composed-machine-test composed-errors-test composed-gates-test
        composed-boards-test composed-parts-test
        mctp-echo-test mctp-malformed-test
        mctp-ncsi-test aspeed-i2c-collision-test
        composed-migration-test mctp-malformed-body-test
        mctp-nvme-mi-test
        mctp-usb-test
        aspeed_hace-test aspeed_smc-test aspeed_gpio-test aspeed_fsi-test
        tpm-tis-i2c-test
        qom-test test-hmp device-introspect-test qmp-cmd-test
        vmstate-instance-id-test
    )
    # the Nuvoton boards: ours, then QEMU's NPCM qtests (also run against
    # the descriptions by tests/shell/npcm-qtests.sh)
    qtests_arm+=(
        composed-nuvoton-test composed-nuvoton-errors-test
        npcm7xx_adc-test npcm7xx_gpio-test npcm7xx_pwm-test npcm7xx_rng-test
        npcm7xx_sdhci-test npcm7xx_smbus-test npcm7xx_timer-test
        npcm7xx_watchdog_timer-test npcm7xx_emc-test npcm_gmac-test
    )
    qtests_aarch64=(
        composed-machine-test composed-errors-test composed-gates-test
        composed-boards-test composed-parts-test
        caliptra-rot-test ast2700fc-rot-test
        ast2700-gpio-test ast2700-smc-test
        qom-test test-hmp device-introspect-test qmp-cmd-test
    )
    qtests_aarch64+=(composed-nuvoton-test composed-nuvoton-errors-test)
    # RISC-V (imported designs): upstream guards that start every machine,
    # the composed one included; our RISC-V tests are in tests/shell/
    qtests_riscv=(qom-test)
    # glib unit tests (tests/unit/, meson suite "unit")
    unit_tests=(
        test-compose-reader test-compose-merge test-compose-format
        check-qom-proplist
        # QObject's own tests: patch 0122 changes how a QDict stores
        # its entries
        check-qdict check-qobject check-qjson check-qlit check-block-qdict
        test-qobject-input-visitor test-qobject-output-visitor test-keyval
    )
    shell_tests=(tests/shell/*.sh)

    targets=()
    for t in "${unit_tests[@]}"; do
        targets+=("tests/unit/$t")
    done
    for t in "${qtests_arm[@]}" "${qtests_aarch64[@]}" "${qtests_riscv[@]}"; do
        targets+=("tests/qtest/$t")
    done
    info "building test programs"
    flock "${QC_BUILD_LOCK:-build/.lock}" ninja -C "$build" \
        $(printf '%s\n' "${targets[@]}" | sort -u) >&2

    selected=("${unit_tests[@]}")
    for t in "${qtests_arm[@]}"; do selected+=("qtest-arm/$t"); done
    for t in "${qtests_aarch64[@]}"; do selected+=("qtest-aarch64/$t"); done
    for t in "${qtests_riscv[@]}"; do
        selected+=("qtest-riscv32/$t" "qtest-riscv64/$t")
    done
    [ $# = 0 ] || selected=("$@")

    # The Linux test guest of tests/shell/guest.sh (tests/guest/): built
    # from Debian packages on first use, then cached by content.  A
    # failure here shows up as that test's "not ok".
    if [ $# = 0 ]; then
        info "building the test guest"
        bash tests/guest/build-guest.sh || info "test guest build failed"
    fi

    pass=0
    fail=0
    # A log of this run only (runs may overlap); kept as build/check.log
    log=$(mktemp "${TMPDIR:-/tmp}/qc-check.XXXXXX")
    trap 'cp "$log" "${QC_CHECK_LOG:-build/check.log}"; rm -f "$log"' EXIT

    # Shell tests: each prints TAP-ish "ok"/"not ok" lines, exits non-zero on failure
    if [ $# = 0 ]; then
        for s in "${shell_tests[@]}"; do
            [ -f "$s" ] || continue
            info "shell: $s"
            if QEMU_BUILD="$build" bash "$s" 2>&1 | tee -a "$log"; then
                pass=$((pass + 1))
            else
                fail=$((fail + 1))
            fi
        done
    fi

    info "meson test (${#selected[@]} tests)"
    set +e
    # qtests of the two targets run one at a time: each already uses both
    # cores.  Timeouts are for hangs, not for slow hosts: the qtest socket
    # ping-pong of aspeed_smc-test took 95 s on a quiet machine and over
    # its 360 s timeout with the host stealing CPU time, so allow three
    # times QEMU's timeouts (QC_TIMEOUT_MULTIPLIER overrides).
    (cd "$build" && \
        meson test --no-rebuild --print-errorlogs --num-processes 1 \
            -t "${QC_TIMEOUT_MULTIPLIER:-3}" "${selected[@]}") 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
    set -e
    ok=$(awk '/^Ok:/ { print $2 }' "$log" | tail -n 1)
    bad=$(awk '/^(Fail|Timeout|Unexpected Pass):/ { n += $NF } END { print n + 0 }' "$log")
    pass=$((pass + ${ok:-0}))
    fail=$((fail + bad))
    [ "$rc" = 0 ] || [ "$bad" != 0 ] || fail=$((fail + 1))
    echo "check: $pass passed, $fail failed"
    [ "$fail" = 0 ]
}

main "$@"
