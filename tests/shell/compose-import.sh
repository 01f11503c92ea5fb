#!/usr/bin/env bash
# qemu-compose-import: devicetree designs to composed RISC-V boards.
#
#  - the hand-written designs of tests/shell/compose-import/ (from .dts
#    and from .dtb) import, with their quirks reported at their lines, and
#    the result runs a program that prints over the design's UART;
#  - malformed designs and mapping files: located errors, exit status 1,
#    nothing written;
#  - every real export in ../shared/data/core-designs/sifive/ (skipped
#    when absent) imports and runs a program that prints over the UART
#    at the address this test reads from the design (dtc + fdtget);
#  - oracles: HiFive1 Rev B imported against -M sifive_e,revb=true, and
#    HiFive Unleashed against -M sifive_u: the same program prints the
#    same; the info mtree -f differences are those the docs explain
#    (docs/devel/composer-import.rst).
# Env: QEMU_BUILD = the QEMU build directory (default: build/'s tree).
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${QEMU_BUILD:-$(cd "$top" && bash build-aux/qemu-tree.sh)/build}
imp=$b/contrib/compose-import/qemu-compose-import
data=$top/tests/shell/compose-import
designs=$top/../shared/data/core-designs/sifive
# shellcheck source=tests/shell/lib/tap.sh
. "$top/tests/shell/lib/tap.sh"
# shellcheck source=tests/shell/lib/riscv.sh
. "$top/tests/shell/lib/riscv.sh"
export QEMU_COMPOSE_IMPORT_MAP=$top/machines/devicetree-map.yaml

[ -x "$imp" ] || bail "qemu-compose-import is built ($imp)"
rv_have_tools || bail "binutils-riscv64-unknown-elf and dtc are installed"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qc-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# import NAME DESIGN [ARGS]: $tmp/NAME.yaml, .report, .err; its status
import() {
    local name=$1 design=$2
    shift 2
    "$imp" "$design" -o "$tmp/$name.yaml" --report "$tmp/$name.report" \
        "$@" 2>"$tmp/$name.err"
}

# boots NAME XLEN ENTRY UART HART EXPECT -- QEMU ARGS: the program runs
boots() {
    local name=$1 xlen=$2 entry=$3 uart=$4 hart=$5 msg=$6
    shift 7
    rv_prog "$tmp/$name.elf" "$xlen" "$entry" "$uart" "$hart" "$msg" &&
        rv_run 60 "$msg" "$tmp/$name.out" -- \
            "$b/qemu-system-riscv$xlen" "$@" -bios "$tmp/$name.elf"
}

yaml_value() {    # yaml_value FILE KEY: the first "KEY: VALUE" value
    sed -n "s/^ *$2: \([^ #]*\).*/\1/p" "$1" | head -n 1
}

# --- the designs of this repository ---
import mini-e "$data/mini-e.dts"
check "mini-e.dts imports" "[ -s '$tmp/mini-e.yaml' ]" \
    "mini-e.dts imports: $(head -n 3 "$tmp/mini-e.err")"
check "misspelt 'compatile' reported at its line and used" \
    "grep -q 'mini-e-core.dtsi:87:4: warning: secret@10030000: unknown property .compatile.: taken as .compatible.' '$tmp/mini-e.err'"
check "unit name led@0red reported at its line" \
    "grep -q 'mini-e-core.dtsi:109:3: warning: led@0red: unit address .0red. is not a hex number' '$tmp/mini-e.err'"
check "duplicate reg window reported with both locations, left out" \
    "grep -q 'mini-e-core.dtsi:92:4: warning: shadow@10030800: reg window 0x10030800-0x100308ff overlaps secret@10030000 (mini-e-core.dtsi:86:3): left out' '$tmp/mini-e.err'"
check "report: phandle inside reg is covered by its node" \
    "grep -q 'ignored  mini-e-core.dtsi:41:12 /soc/clock@1: registers inside the window of &prci' '$tmp/mini-e.report'"
check "report: unknown node with reg is a stub of its size" \
    "grep -q 'stubbed  mini-e-core.dtsi:86:3 /soc/secret@10030000: unimplemented-device 0x10030000+0x1000' '$tmp/mini-e.report'"
check "report: a node without compatible mapped by name (mask ROM)" \
    "grep -q 'mapped   mini-e-core.dtsi:46:3 /soc/maskrom@1000: rom 0x1000+0x1000' '$tmp/mini-e.report'"
check "report counts every node" \
    "grep -q '^Coverage of .*mini-e.dts: 20 nodes, 12 mapped, 1 stubbed, 7 ignored' '$tmp/mini-e.report'"
check "clock rate through a derived clock into a property" \
    "grep -q 'clock-frequency: 24000000' '$tmp/mini-e.yaml'"
check "entries say where they come from" \
    "grep -q '^  # /soc/serial@10020000 (mini-e-core.dtsi:78:10): sifive,uart0' '$tmp/mini-e.yaml'"
check "boot entry from chosen metal,entry (XIP window + 0x10000)" \
    "grep -q '^  loader-start: 0x20010000' '$tmp/mini-e.yaml'"
check "mini-e: the program prints over its UART (through the mask ROM stub)" \
    "boots mini-e 32 0x20010000 0x10020000 0 'hello mini-e' -- \
        -M composed,desc=$tmp/mini-e.yaml"

import mini-u "$data/mini-u.dts"
check "mini-u.dts imports (rv64, two harts)" "[ -s '$tmp/mini-u.yaml' ]"
check "PLIC hart contexts M and S in design order" \
    "grep -q 'hart-config: \"MS,MS\"' '$tmp/mini-u.yaml' &&
     grep -q '\"\\[3\\]\": \"hart1\\[11\\]\"' '$tmp/mini-u.yaml' &&
     grep -q '\"\\[1\\]\": \"hart1\\[9\\]\"' '$tmp/mini-u.yaml'"
check "a node behind 'ranges' is mapped at the translated address" \
    "grep -q 'mapped   mini-u.dts:77:4 /soc/bus@10020000/serial@1000: riscv.sifive.uart at 0x10021000, -serial 1' '$tmp/mini-u.report'"
check "boot hart from metal,boothart = <&{/cpus/cpu@1}>" \
    "grep -q '^  cpu: hart1' '$tmp/mini-u.yaml'"
check "mini-u: hart 1 prints (harts numbered, entry in RAM)" \
    "boots mini-u 64 0x80100000 0x10010000 1 'hello from hart 1' -- \
        -M composed,desc=$tmp/mini-u.yaml"

import mini-clic "$data/mini-clic.dts"
check "mini-clic: an unmodelled interrupt controller is a stub" \
    "grep -q 'stubbed  mini-clic.dts:32:9 /soc/interrupt-controller@2000000: unimplemented-device 0x2000000+0x1000000' '$tmp/mini-clic.report'"
check "mini-clic: interrupts to it reported once per node, not wired" \
    "grep -q 'mini-clic.dts:42:4: warning: gpio@20002000: interrupts 0-7 go to interrupt-controller@2000000, which is not mapped: not wired' '$tmp/mini-clic.err' &&
     [ \$(grep -c 'gpio@20002000: interrupt' '$tmp/mini-clic.err') = 1 ]"
check "mini-clic: an sram node is RAM; the program runs from it" \
    "grep -q 'kind: ram, size: 0x10000, map: {addr: 0x80000000}' '$tmp/mini-clic.yaml' &&
     boots mini-clic 32 0x80000100 0x20000000 0 'hello mini-clic' -- \
         -M composed,desc=$tmp/mini-clic.yaml"

dt_compile "$data/mini-u.dts" "$tmp/mini-u.dtb"
import mini-u-dtb "$tmp/mini-u.dtb"
check "a .dtb imports to the same board as its source" \
    "diff <(grep -v '^ *#\\|description' '$tmp/mini-u.yaml' | sed 's/ *#.*//') \
          <(grep -v '^ *#\\|description' '$tmp/mini-u-dtb.yaml' | sed 's/ *#.*//') >&2"
dt_compile "$data/mini-e.dts" "$tmp/mini-e.dtb"
import mini-e-dtb "$tmp/mini-e.dtb"
check ".dtb locations name the node" \
    "grep -q 'stubbed  mini-e.dtb:/soc/secret@10030000: ' '$tmp/mini-e-dtb.report'"
# A .dtb has no phandle references left: reg = <&prci 0x8> is just two
# numbers there, a window at the phandle's value (docs: "Quirks")
check ".dtb: a phandle in reg is a number (a small stub)" \
    "grep -qE 'stubbed  mini-e.dtb:/soc/clock@1: unimplemented-device 0x[0-9a-f]+\\+0x8$' '$tmp/mini-e-dtb.report'"

# --- malformed designs: one located error each, status 1, no output ---
while read -r f expect; do
    [ -n "$f" ] || continue
    rm -f "$tmp/bad.yaml"
    (cd "$data" && "$imp" "bad/$f" -o "$tmp/bad.yaml" -q) 2>"$tmp/bad.err"
    rc=$?
    if [ $rc = 1 ] && [ ! -e "$tmp/bad.yaml" ] &&
       grep -qF -- "$expect" "$tmp/bad.err"; then
        result ok "bad/$f: status 1, nothing written: $expect"
    else
        result fail "bad/$f: status $rc, got: $(head -n 2 "$tmp/bad.err")"
    fi
done <<'EOF'
syntax-missing-semicolon.dts bad/syntax-missing-semicolon.dts:5:2: error: expected ';' after a property
syntax-unterminated-string.dts bad/syntax-unterminated-string.dts:3:10: error: unterminated string
syntax-unterminated-comment.dts bad/syntax-unterminated-comment.dts:3:2: error: unterminated comment
syntax-unclosed-node.dts bad/syntax-unclosed-node.dts:5:1: error: unexpected end of file
cpp-include.dts bad/cpp-include.dts:2:1: error: C preprocessor directive
undefined-label.dts bad/undefined-label.dts:7:24: error: reference to label 'no_such_plic': no such label
include-missing.dts bad/include-missing.dts:2:1: error: /include/ "no-such-core.dtsi"
include-cycle.dts bad/include-cycle.dts:2:1: error: /include/ "include-cycle.dts": include cycle
division-by-zero.dts bad/division-by-zero.dts:3:10: error: division by zero
cell-too-big.dts bad/cell-too-big.dts:3:7: error: value 0x100000000 does not fit in 32 bits
reg-wrong-cells.dts bad/reg-wrong-cells.dts:5:3: error: uart@10000000: reg has 12 bytes, not a multiple of 2 cells
reg-wraps.dts bad/reg-wraps.dts:8:4: error: huge@fffffffffffff000: reg window 0 (0xfffffffffffff000, size 0x2000) wraps
reg-beyond-rv32.dts bad/reg-beyond-rv32.dts:8:4: error: far@1000000000: reg window 0 (0x1000000000, size 0x1000) is beyond the 34-bit
address-cells-too-many.dts bad/address-cells-too-many.dts:3:2: error: bus@0: #address-cells 5
clock-cycle.dts bad/clock-cycle.dts:5:3: error: clock@1: cycle of clocks
irq-parent-cycle.dts bad/irq-parent-cycle.dts:4:3: error: serial@10013000: cycle of interrupt parents
phandle-duplicate.dts bad/phandle-duplicate.dts:7:3: error: phandle 0x77 of b@2 is also the phandle of a@1
no-cpus.dts bad/no-cpus.dts:1:1: error: the design has no /cpus node
isa-unknown.dts bad/isa-unknown.dts:5:4: error: cpu@0: riscv,isa must start with rv32 or rv64
interrupts-cells.dts bad/interrupts-cells.dts:7:3: error: serial@10013000: interrupts-extended: no node with phandle 0x4
EOF

head -c 100 "$tmp/mini-e.dtb" > "$tmp/truncated.dtb"
import truncated "$tmp/truncated.dtb"
check "a truncated .dtb: status 1, located error" \
    "[ $? = 1 ] && grep -q 'truncated.dtb: error: not a valid flattened devicetree' '$tmp/truncated.err'"

printf 'version: 1\nnodes:\n  - compatible: "x,y"\n    typo: z\n' > "$tmp/map-key.yaml"
import mapkey "$data/mini-e.dts" --map "$tmp/map-key.yaml"
check "mapping file: unknown key located, status 1" \
    "[ $? = 1 ] && grep -q 'map-key.yaml:4:5: error: unknown key .typo.' '$tmp/mapkey.err'"
printf 'version: 1\nnodes: [\n' > "$tmp/map-syntax.yaml"
import mapsyntax "$data/mini-e.dts" --map "$tmp/map-syntax.yaml"
check "mapping file: YAML syntax error located, status 1" \
    "[ $? = 1 ] && grep -q 'map-syntax.yaml:3:1: error: ' '$tmp/mapsyntax.err'"

# A user mapping file comes first: the unknown node becomes a device
cat > "$tmp/map-user.yaml" <<'EOF'
version: 1
nodes:
  - compatible: "qemu-composer,secret"
    type: riscv.sifive.test
    mmio: ["#0"]
EOF
import mapuser "$data/mini-e.dts" --map "$tmp/map-user.yaml"
check "--map: a user rule maps a node the shipped mapping stubs" \
    "grep -q 'mapped   mini-e-core.dtsi:86:3 /soc/secret@10030000: riscv.sifive.test at 0x10030000' '$tmp/mapuser.report'"

# riscv,isa with extension suffixes: the rule of its base ISA
mkdir "$tmp/isa"
sed 's/riscv,isa = "rv32imac"/riscv,isa = "rv32imac_zicsr_zifencei"/' \
    "$data/mini-e-core.dtsi" > "$tmp/isa/mini-e-core.dtsi"
cp "$data/mini-e.dts" "$tmp/isa/"
import isa "$tmp/isa/mini-e.dts" -q
check "riscv,isa rv32imac_zicsr_zifencei picks the rv32imac core" \
    "grep -q '^    type: sifive-e31-riscv-cpu' '$tmp/isa.yaml'"

# Hart ids in two cells (/cpus with #address-cells = <2>)
mkdir "$tmp/cells"
sed -e '/^\tcpus {/,/^\t};/s/#address-cells = <1>/#address-cells = <2>/' \
    -e 's/^\t\t\treg = <\([01]\)>;/\t\t\treg = <0 \1>;/' \
    "$data/mini-u.dts" > "$tmp/cells/mini-u.dts"
import cells "$tmp/cells/mini-u.dts" -q
check "hart ids in two cells" \
    "grep -q 'reg = <0 1>;' '$tmp/cells/mini-u.dts' &&
     grep -q '^    count: 2' '$tmp/cells.yaml'"

# clock-in: the node's clock becomes a description clock, wired
cat > "$tmp/map-clock.yaml" <<'EOF'
version: 1
nodes:
  - compatible: "sifive,uart0"
    type: riscv.sifive.uart
    mmio: [control]
    clock-in: clk
EOF
import mapclock "$data/mini-e.dts" --map "$tmp/map-clock.yaml" -q
check "--map clock-in: a description clock at the design's rate, wired" \
    "grep -q '^  - {name: clock_1, hz: 24000000}' '$tmp/mapclock.yaml' &&
     grep -q '^      clk: clock_1' '$tmp/mapclock.yaml'"

# --- the real exports ---
if [ ! -d "$designs" ]; then
    echo "# SKIP real designs: $designs is absent"
else
    for d in "$designs"/*/; do
        dn=$(basename "$d")
        import "$dn" "$d/design.dts"
        check "$dn: imports" "[ -s '$tmp/$dn.yaml' ]" \
            "$dn: imports: $(head -n 3 "$tmp/$dn.err")"
        dt_compile "$d/design.dts" "$tmp/$dn.dtb"
        uart=$(dt_stdout_addr "$tmp/$dn.dtb")
        hart=$(dt_boothart "$tmp/$dn.dtb")
        entry=$(yaml_value "$tmp/$dn.yaml" loader-start)
        xlen=32
        grep -q 'riscv,isa = "rv64' "$d"/*.dts && xlen=64
        check "$dn: the program prints over the UART at $uart (hart $hart)" \
            "[ -n '$uart' ] && [ -n '$entry' ] &&
             boots $dn $xlen $entry $uart $hart 'hello from $dn' -- \
                 -M composed,desc=$tmp/$dn.yaml"
    done
fi

# --- oracles: the built-in machines ---
mtree() {   # mtree OUT -- QEMU ARGS: info mtree -f of system memory
    local out=$1
    shift 2
    printf 'info mtree -f\nquit\n' |
        "$@" -S -display none -serial none -monitor stdio 2>&1 |
        tr -d '\r' | sed -n '/^FlatView/,$p' |
        awk 'BEGIN { RS = ""; ORS = "\n\n" } /AS "memory"/' |
        sed '/^FlatView/d' > "$out"
}

# oracle NAME XLEN ENTRY UART HART "BUILTIN ARGS" -kernel|-bios: the same
# program, loaded the same way, prints the same on both machines
oracle() {
    local dn=$1 xlen=$2 entry=$3 uart=$4 hart=$5 builtin=$6 how=$7
    local q=$b/qemu-system-riscv$xlen msg="same program, $dn"
    rv_prog "$tmp/$dn-o.elf" "$xlen" "$entry" "$uart" "$hart" "$msg" ||
        return 1
    # shellcheck disable=SC2086
    rv_run 60 "$msg" "$tmp/$dn-o.builtin" -- "$q" $builtin \
        "$how" "$tmp/$dn-o.elf" || return 1
    rv_run 60 "$msg" "$tmp/$dn-o.composed" -- "$q" \
        -M "composed,desc=$tmp/$dn.yaml" "$how" "$tmp/$dn-o.elf" || return 1
    cmp -s "$tmp/$dn-o.builtin" "$tmp/$dn-o.composed"
}

# same_mtree NAME XLEN "BUILTIN ARGS": the memory maps differ by exactly
# the lines of compose-import/NAME.mtree-diff (explained in the docs)
same_mtree() {
    local dn=$1 xlen=$2 builtin=$3
    # shellcheck disable=SC2086
    mtree "$tmp/$dn.builtin.mtree" -- "$b/qemu-system-riscv$xlen" $builtin
    mtree "$tmp/$dn.composed.mtree" -- "$b/qemu-system-riscv$xlen" \
        -M "composed,desc=$tmp/$dn.yaml"
    diff "$tmp/$dn.builtin.mtree" "$tmp/$dn.composed.mtree" |
        grep '^[<>]' > "$tmp/$dn.mtree-diff"
    [ -s "$tmp/$dn.builtin.mtree" ] &&
        diff -u "$data/$dn.mtree-diff" "$tmp/$dn.mtree-diff" | sed 's/^/# /' &&
        cmp -s "$data/$dn.mtree-diff" "$tmp/$dn.mtree-diff"
}

if [ -d "$designs" ]; then
    dn=sifive-hifive1-revb
    uart=$(dt_stdout_addr "$tmp/$dn.dtb")
    # sifive_e's mask ROM jumps to 0x20010000 (revb); the design says so
    check "$dn vs sifive_e,revb=true: same program, same output" \
        "oracle $dn 32 $(yaml_value "$tmp/$dn.yaml" loader-start) $uart 0 \
             '-M sifive_e,revb=true' -kernel"
    check "$dn vs sifive_e,revb=true: info mtree -f differs as documented" \
        "same_mtree $dn 32 '-M sifive_e,revb=true'"

    dn=sifive-hifive-unleashed
    uart=$(dt_stdout_addr "$tmp/$dn.dtb")
    hart=$(dt_boothart "$tmp/$dn.dtb")
    # sifive_u, with the design's 5 harts, runs -bios at the start of DRAM
    check "$dn vs sifive_u: same program, same output" \
        "oracle $dn 64 0x80000000 $uart $hart '-M sifive_u -smp 5' -bios"
    check "$dn vs sifive_u: info mtree -f differs as documented" \
        "same_mtree $dn 64 '-M sifive_u -smp 5 -bios none'"
fi
tap_done
