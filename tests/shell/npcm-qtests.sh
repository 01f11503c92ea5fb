#!/usr/bin/env bash
# QEMU's own NPCM qtests (tests/qtest/npcm*-test.c, unchanged) against the
# shipped Nuvoton descriptions: QTEST_QEMU_BINARY is
# tests/qtest/composed-qtest-wrapper.sh, which runs machines/npcm750-evb.yaml where a test asks for -machine
# npcm750-evb (and likewise quanta-gsj, kudo-bmc, ...).  Each test must
# pass and must have started composed machines only.
# Env: QEMU_BUILD = the QEMU build directory (the qtests are built by
# build-aux/check.sh, which lists them).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
b=${QEMU_BUILD:?}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/shell/lib/tap.sh
. "$here/lib/tap.sh"

tests=(
    npcm7xx_adc-test npcm7xx_gpio-test npcm7xx_pwm-test npcm7xx_rng-test
    npcm7xx_sdhci-test npcm7xx_smbus-test npcm7xx_timer-test
    npcm7xx_watchdog_timer-test npcm7xx_emc-test npcm_gmac-test
)
boards="npcm750-evb quanta-gsj quanta-gbs-bmc kudo-bmc mori-bmc npcm845-evb"

work=$(mktemp -d "${TMPDIR:-/tmp}/qc-npcm.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$here/../qtest/composed-qtest-wrapper.sh" "$work/bin/qemu-system-arm"
export QC_QEMU_BINARY="$b/qemu-system-arm"
export QC_MACHINES
QC_MACHINES=$(cd "$b/machines" && pwd -P)

# the wrapper itself: it substitutes the Nuvoton boards and nothing else;
# its log has a line "BOARD -> DESCRIPTION" per substitution
export QC_WRAPPER_LOG="$work/wrap.log"
check "wrapper: -machine kudo-bmc runs machines/kudo-bmc.yaml" \
    "echo '{\"execute\":\"qmp_capabilities\"}{\"execute\":\"query-composition\"}{\"execute\":\"quit\"}' |
     timeout 60 '$work/bin/qemu-system-arm' -machine kudo-bmc -display none -qmp stdio -S |
     grep -q 'kudo-bmc.yaml'"
check "wrapper: other machines are passed on" \
    "'$work/bin/qemu-system-arm' -M virt,help | grep -q '^virt-.*machine options' &&
     [ \"\$(cut -d' ' -f1 '$work/wrap.log')\" = kudo-bmc ]"

for t in "${tests[@]}"; do
    bin="$b/tests/qtest/$t"
    if [ ! -x "$bin" ]; then
        result ok "# SKIP $t: not built"
        continue
    fi
    log="$work/$t.out"
    : > "$work/wrap.log"
    # the same environment as meson's qtest runs, and three times their
    # timeouts, as build-aux/check.sh allows
    if (cd "$b" && QTEST_QEMU_BINARY="$work/bin/qemu-system-arm" \
        QTEST_QEMU_IMG="$b/qemu-img" MALLOC_PERTURB_=$((RANDOM % 255 + 1)) \
        timeout 900 "$bin" --tap >"$log" 2>&1); then
        # every machine started was a composed one: the log holds only
        # our boards, and the built-in names never reached QEMU
        used=$(cut -d' ' -f1 "$work/wrap.log" | sort -u | tr '\n' ' ')
        if [ -n "$used" ] &&
           ! cut -d' ' -f1 "$work/wrap.log" |
               grep -qvxF -f <(tr ' ' '\n' <<< "$boards"); then
            result ok "$t: $(grep -c '^ok' "$log") passed on composed ${used% }"
        else
            result fail "$t: passed but started no composed board"
        fi
    else
        result fail "$t against the composed boards"
        sed 's/^/# /' "$log" | tail -n 30
    fi
done
tap_done
