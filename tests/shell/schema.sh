#!/usr/bin/env bash
# The editor schema (build/machine-compose.schema.json, generated from
# qapi/machine-compose.json by build-aux/qapi-jsonschema.py) checked with
# Debian's validator (python3-jsonschema's jsonschema command): every
# shipped description is valid; descriptions with an unknown key, a
# wrong type or a missing member are not; editors get help texts.
# Env: QEMU_BUILD = the QEMU build directory (unused: the schema is in
# build/ next to the emulators).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"

schema=${QC_SCHEMA:-$top/build/machine-compose.schema.json}
[ -f "$schema" ] || bail "no $schema: run make"
validator=/usr/bin/jsonschema
[ -x "$validator" ] || bail "$validator (Debian python3-jsonschema) missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-schema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# YAML (1.1, as PyYAML reads it: "on" is a boolean) to JSON, for the
# validator; Debian's python3-yaml
to_json() {
    /usr/bin/python3 -c 'import json, sys, yaml
json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)' "$1"
}

# valid FILE: exit 0 if FILE validates, its errors on stderr otherwise
valid() {
    local j
    j=$tmp/$(basename "$1").json
    to_json "$1" > "$j" || return 2
    "$validator" -i "$j" "$schema" 2>"$tmp/errors"
}

check "the schema is a valid draft-07 schema" \
    "/usr/bin/python3 -c 'import json, sys, jsonschema
jsonschema.Draft7Validator.check_schema(json.load(open(sys.argv[1])))' '$schema'"

n=0
for f in "$top"/machines/*.yaml "$top"/machines/*/*.yaml; do
    # the devicetree mapping lives with the boards but is no board
    case $f in */devicetree-map.yaml) continue ;; esac
    n=$((n + 1))
    check "shipped ${f#"$top"/} is valid" "valid '$f'" \
        "shipped ${f#"$top"/} is valid: $(head -c 300 "$tmp/errors" 2>/dev/null)"
done
check "found the shipped descriptions ($n)" "[ $n -ge 20 ]"

# Scalars as descriptions write them: strings parsed by the member's type
cat > "$tmp/good.yaml" <<'YAML'
version: 1
params:
  - {name: base, type: int, default: 0x1c090000}
  - {name: smp, type: bool, default: on}
machine: {ram-size: 512M, ram-map: {addr: "0x80000000"}, cpus: "2"}
clocks: [{name: refclk, hz: "24000000"}]
cpus:
  - {type: cortex-a15-arm-cpu, count: 2, start-powered-off: [off, "on"]}
memory:
  - {name: rom, kind: rom, size: 64K, file: "", map: {addr: 0}}
  - {name: alias, kind: alias, alias: rom, offset: 0x100, map: {addr: 0x100000}}
  - {name: box, kind: $smp-kind, size: 1M}
devices:
  - name: uart0
    type: pl011
    props: {chardev: "@serial.0"}
    mmio: [{addr: $base, priority: -1}]
    irqs: {"sysbus-irq[0]": "gic[5]"}
boot: {kind: arm, loader-start: 0x80000000, psci-conduit: hvc}
YAML
check "strings, suffixes, on/off and \$PARAM scalars are valid" \
    "valid '$tmp/good.yaml'" \
    "good.yaml valid: $(cat "$tmp/errors" 2>/dev/null | head -c 300)"

# An override of an included entry names it and gives some members only
cat > "$tmp/override.yaml" <<'YAML'
version: 1
include: [parts-a15.yaml]
clocks: [{override: refclk, hz: 25000000}]
memory: [{override: boot.rom, size: 128K}]
devices:
  - {override: uart0, mmio: [{addr: 0x10000000}]}
  - {override: timer0, drop: true}
YAML
check "overrides in a description with includes are valid" \
    "valid '$tmp/override.yaml'" \
    "override.yaml valid: $(head -c 300 "$tmp/errors" 2>/dev/null)"

# Constants, expressions and repetitions (for, each)
cat > "$tmp/repeat.yaml" <<'YAML'
version: 1
constants: {BASE: 0x10000000, STRIDE: 0x1000}
devices:
  - for: {i: 0..3}
    name: uart${i}
    type: pl011
    mmio: [{addr: "${BASE + i * STRIDE}"}]
  - for: {m: [0, 1]}
    each:
      - {name: "mux${m}", type: pca9548, props: {address: "${0x70 + m}"}}
  - {name: soc, type: ast2600-a3, serials: [{for: {u: 0..3}, each: ["uart[${u}]"]}]}
YAML
check "constants, expressions and repetitions are valid" \
    "valid '$tmp/repeat.yaml'" \
    "repeat.yaml valid: $(head -c 300 "$tmp/errors" 2>/dev/null)"

# bad NAME EXPECTED-ERROR-TEXT: the YAML on stdin, appended to a valid
# board, must be refused with a message saying why
bad() {
    local name=$1 why=$2
    { echo "version: 1"; cat; } > "$tmp/$name.yaml"
    if valid "$tmp/$name.yaml"; then
        result fail "$name is refused (it validated)"
    elif grep -q -- "$why" "$tmp/errors"; then
        result ok "$name is refused"
    else
        result fail "$name is refused with '$why': $(head -c 300 "$tmp/errors")"
    fi
}
bad unknown-top-key "'devicez' was unexpected" <<'YAML'
devicez: []
YAML
bad unknown-device-key "'adress' was unexpected" <<'YAML'
devices: [{name: uart0, type: pl011, adress: 0x10}]
YAML
bad unknown-member-of-other-kind "is not valid" <<'YAML'
boot: {kind: none, loader-start: 0}
YAML
bad unknown-key-in-override "'mmmio' was unexpected" <<'YAML'
include: [parts-a15.yaml]
devices: [{override: uart0, mmmio: [{addr: 0x10000000}]}]
YAML
bad unknown-key-in-repetition "'adress' was unexpected" <<'YAML'
devices: [{for: {i: 0..1}, name: "u${i}", type: pl011, adress: 1}]
YAML
bad wrong-type-count "is not valid" <<'YAML'
cpus: [{type: cortex-a15-arm-cpu, count: two}]
YAML
bad wrong-type-list "is not of type 'array'" <<'YAML'
devices: [{name: uart0, type: pl011, mmio: {addr: 0x10}}]
YAML
bad wrong-type-size "is not valid" <<'YAML'
memory: [{name: r, kind: ram, size: 64Q}]
YAML
bad wrong-type-bool "is not valid" <<'YAML'
machine: {default-sdcard: maybe}
YAML
bad wrong-type-range "is not valid" <<'YAML'
devices: [{name: e, type: smbus-eeprom, contents: {bytes: [0x100]}}]
YAML
bad wrong-enum "is not valid" <<'YAML'
memory: [{name: r, kind: flash, size: 64K}]
YAML
bad missing-hz "'hz' is a required property" <<'YAML'
clocks: [{name: refclk}]
YAML
bad missing-addr "'addr' is a required property" <<'YAML'
devices: [{name: uart0, type: pl011, mmio: [{index: 0}]}]
YAML
bad missing-kind "is not valid" <<'YAML'
memory: [{name: r, size: 64K}]
YAML
bad missing-name-and-override "'name' is a required property" <<'YAML'
devices: [{type: pl011, mmio: [{addr: 0x10000000}]}]
YAML
printf 'name: x\n' > "$tmp/no-version.yaml"
check "a description without version is refused" \
    "! valid '$tmp/no-version.yaml' && grep -q \"'version' is a required\" '$tmp/errors'"

# Help on hover: the QAPI doc comments are the descriptions
check "members carry their QAPI documentation" \
    "/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))[\"definitions\"]
assert \"QOM type name\" in d[\"ComposeDevice\"][\"properties\"][\"type\"][\"description\"]
assert \"frequency in Hz\" in d[\"ComposeClock\"][\"properties\"][\"hz\"][\"description\"]
assert \"@system-memory\" in json.dumps(d[\"ComposeDevice\"])' '$schema'"
tap_done
