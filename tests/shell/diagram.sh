#!/usr/bin/env bash
# The machine diagram: QEMU draws a small composed machine as built
# (-M composed,diagram=FILE and QMP query-composition-diagram); the DOT
# parses with Graphviz and has the nodes and edges the machine has.
# Env: QEMU_BUILD = the QEMU build directory (default build/).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${QEMU_BUILD:-$top/build}
q=$b/qemu-system-arm
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
command -v dot >/dev/null || bail "dot (Debian: graphviz) missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-diagram.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Two CPU groups, the second gated by a GPIO; an interrupt controller;
# a UART with a clock; an I2C controller with a sensor; RAM and a ROM
cat > "$tmp/small.yaml" <<'YAML'
version: 1
name: small
clocks: [{name: refclk, hz: 24000000}]
cpus:
  - {name: boot, type: cortex-a15-arm-cpu}
  - {name: app, type: cortex-a15-arm-cpu, gate: "gpio[3]"}
machine: {ram-size: 16M, ram-map: {addr: 0x80000000}}
memory:
  - {name: boot.rom, kind: rom, size: 64K, map: {addr: 0}}
devices:
  - name: mpcore
    type: a15mpcore_priv
    props: {num-cpu: 1, num-irq: 64}
    mmio: [{addr: 0x2c000000}]
    irqs: {"sysbus-irq[0]": "boot0[0]"}
  - name: uart0
    type: pl011
    props: {chardev: "@serial.0"}
    clocks: {clk: refclk}
    mmio: [{addr: 0x1c090000}]
    irqs: {"sysbus-irq[0]": "mpcore[5]"}
  - name: gpio
    type: pl061
    mmio: [{addr: 0x1c010000}]
  - name: i2c0
    type: versatile_i2c
    mmio: [{addr: 0x1c020000}]
  - name: temp
    type: tmp105
    bus: i2c0/i2c
    props: {address: 0x48}
YAML
dotf=$tmp/small.dot
timeout 120 "$q" -M "composed,desc=$tmp/small.yaml,diagram=$dotf" \
    -display none -serial null -monitor none </dev/null >"$tmp/out" 2>&1
check "diagram=FILE writes the DOT and exits 0" "[ -s '$dotf' ]" \
    "diagram=FILE: $(head -c 300 "$tmp/out")"
check "the DOT parses with Graphviz (dot -Tsvg), no warnings" \
    "dot -Tsvg -o '$tmp/small.svg' '$dotf' 2>'$tmp/dot.err' && [ ! -s '$tmp/dot.err' ] &&
     grep -q '<svg' '$tmp/small.svg'" \
    "dot -Tsvg: $(head -c 300 "$tmp/dot.err" 2>/dev/null)"

# has TEXT: a fixed string on one line of the DOT
has() { grep -qF -- "$1" "$dotf"; }
check "CPUs and their cpu-cluster-free group" \
    "has '\"boot0\" [label=<<b>boot0</b><br/>cortex-a15-arm-cpu' &&
     has '\"app0\" [label=<<b>app0</b><br/>cortex-a15-arm-cpu<br/><i>powered off at reset</i>'"
check "devices built inside a device are in its cluster" \
    "grep -A3 -F 'subgraph \"cluster:mpcore\"' '$dotf' | grep -qF '\"mpcore/gic\"'"
check "interrupt: UART output to the controller's input 5" \
    "has '\"uart0\" -> \"mpcore\" [color=red, fontcolor=red, label=\"sysbus-irq[0] -> [5]\"];'"
check "interrupt: the controller to the CPU" \
    "has '\"mpcore\" -> \"boot0\" [color=red, fontcolor=red, label=\"sysbus-irq[0] -> [0]\"];'"
check "clock tree: refclk drives the UART's clk" \
    "has '\"clock:refclk\" [shape=octagon, color=blue, label=\"refclk 24 MHz\"];' &&
     has '\"clock:refclk\" -> \"uart0\" [color=blue, fontcolor=blue, label=\"clk 24 MHz\"];'"
check "bus: the I2C bus and its sensor at 0x48" \
    "has '\"i2c0\" -> \"bus:i2c0/i2c\"' && has '\"bus:i2c0/i2c\" -> \"temp\" [label=\"0x48\"];'"
check "memory map: device windows with their addresses" \
    "grep -qE '<td port=\"r[0-9]+\" align=\"left\">0x1c090000</td><td>4 KiB</td><td align=\"left\">pl011 \\(io\\)' '$dotf' &&
     grep -qE '\"memory-map\":r[0-9]+ -> \"uart0\"' '$dotf'"
check "memory map: RAM and ROM regions" \
    "grep -qE '>0x80000000</td><td>16 MiB</td><td align=\"left\">ram \\(ram\\)' '$dotf' &&
     grep -qE '>0x0</td><td>64 KiB</td><td align=\"left\">boot.rom \\(rom\\)' '$dotf'"
check "CPU gate: the GPIO output holds the app CPU" \
    "has '\"gpio\" -> \"app0\" [color=darkgreen, fontcolor=darkgreen, style=bold, label=\"gate gpio[3]\"];'"

# The same through QMP on a running machine
printf '%s\n' '{"execute":"qmp_capabilities"}' \
    '{"execute":"query-composition-diagram"}' '{"execute":"quit"}' |
    timeout 120 "$q" -M "composed,desc=$tmp/small.yaml" -S -display none \
        -serial null -monitor none -qmp stdio >"$tmp/qmp" 2>&1
check "QMP query-composition-diagram returns the DOT" \
    "grep -qF '\"dot\": \"digraph \\\"small\\\" {' '$tmp/qmp' &&
     grep -qF '\"composed\": true' '$tmp/qmp' &&
     grep -qF 'label=\\\"clk 24 MHz\\\"' '$tmp/qmp'" \
    "QMP: $(head -c 300 "$tmp/qmp")"
printf '%s\n' '{"execute":"qmp_capabilities"}' \
    '{"execute":"query-composition-diagram"}' '{"execute":"quit"}' |
    timeout 120 "$q" -M virt -S -display none -nodefaults -qmp stdio \
        >"$tmp/qmp" 2>&1
check "QMP query-composition-diagram on another machine: no diagram" \
    "grep -qF '{\"return\": {\"composed\": false}}' '$tmp/qmp'"
tap_done
