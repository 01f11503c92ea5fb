#!/usr/bin/env bash
# A Linux guest talking to our MCTP endpoints: boots the test guest
# (tests/guest/, built by build-guest.sh, cached) on
# machines/ast2600-mctp.yaml, sets the NVMe-MI temperature over QMP and
# runs tests/guest/mctp-checks.sh inside: EID assignment, control
# commands, echo, nvme-cli over MCTP, basic management over i2c-tools.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# conditions are eval'd strings, as in cli.sh
# shellcheck disable=SC2016,SC2034
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export QEMU=${QEMU_BUILD:-$top/build}/qemu-system-arm
n=0
failed=0
result() {
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=1
    fi
}

if ! bash "$top/tests/guest/build-guest.sh" >&2; then
    result fail "build the test guest"
    echo "1..$n"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-guest-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# QEMU starts stopped; qom-set the temperature, then "cont"
bash "$top/tests/guest/run-guest.sh" -t 600 -q "$tmp/qmp" \
    "$top/tests/guest/mctp-checks.sh" -- \
    -M composed,desc="$top/machines/ast2600-mctp.yaml" > "$tmp/console" 2>&1 &
pid=$!
python3 - "$tmp/qmp" <<'PY' > "$tmp/qmp.log" 2>&1
import json, socket, sys, time
for _ in range(600):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sys.argv[1])
        break
    except OSError:
        time.sleep(0.1)
f = s.makefile("rw")
def cmd(c, **a):
    f.write(json.dumps({"execute": c, "arguments": a}) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            print(c, r)
            if "error" in r:
                sys.exit(1)
            return r
json.loads(f.readline())
cmd("qmp_capabilities")
cmd("qom-set", path="/machine/nvme-mi", property="temperature", value=47)
cmd("cont")
PY
qmp_rc=$?
wait $pid
rc=$?
sed 's/^/# /' "$tmp/console"
# check CONDITION DESCRIPTION [DESCRIPTION-ON-FAILURE]
check() {
    if eval "$1"; then
        result ok "$2"
    else
        result fail "${3:-$2}"
    fi
}
check '[ $qmp_rc = 0 ]' "qom-set temperature over QMP" \
    "qom-set temperature over QMP ($(tail -n 1 "$tmp/qmp.log"))"
check 'grep -q "=== GUEST-BOOT-OK" "$tmp/console"' "guest boots" \
    "guest boots (QEMU exit $rc)"
plan=$(sed -n 's/^CHECK-PLAN \([0-9]*\).*/\1/p' "$tmp/console" | tr -d '\r')
got=0
while read -r _ status what; do
    got=$((got + 1))
    result "$status" "guest: $what"
done < <(grep '^CHECK \(ok\|fail\) ' "$tmp/console" | tr -d '\r')
check '[ -n "$plan" ] && [ "$got" = "$plan" ]' "guest ran all $got checks" \
    "guest ran $got of ${plan:-?} checks"
check 'grep -q "=== GUEST-EXIT-CODE=0 ===" "$tmp/console"' "guest exits" \
    "guest exits (QEMU exit $rc)"
echo "1..$n"
exit $failed
