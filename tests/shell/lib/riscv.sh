# RISC-V helpers for the shell tests (sourced, not run): bare-metal test
# programs built with Debian's binutils-riscv64-unknown-elf, facts read
# from a design's devicetree with dtc/fdtget, runs that wait for output.
#
#   rv_prog OUT.elf XLEN ENTRY UART HART MESSAGE [CODE]
#       a program linked at ENTRY: hart HART enables the SiFive UART at
#       UART, prints MESSAGE (with "\n"), runs CODE (assembly), and
#       parks; the other harts park at once.  False if it cannot build.
#   rv_have_tools               the assembler and linker are there
#   dt_compile DESIGN OUT.dtb   dtc, quietly (it handles /include/)
#   dt_stdout_addr DTB          the address of the stdout-path UART
#   dt_boothart DTB             the hart id of chosen metal,boothart (0)
#   rv_run SECONDS EXPECT OUT -- QEMU ARGS...
#       run QEMU with -serial file:OUT until OUT has the text EXPECT,
#       QEMU exits, or SECONDS pass (a hang); its stderr in OUT.err
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash

RV_AS=riscv64-unknown-elf-as
RV_LD=riscv64-unknown-elf-ld

rv_have_tools() {
    command -v "$RV_AS" >/dev/null && command -v "$RV_LD" >/dev/null &&
        command -v dtc >/dev/null && command -v fdtget >/dev/null
}

rv_prog() {
    local out=$1 xlen=$2 entry=$3 uart=$4 hart=$5 msg=$6 code=${7:-}
    local march=rv64imac_zicsr abi=lp64 emul=elf64lriscv
    if [ "$xlen" = 32 ]; then
        march=rv32imac_zicsr abi=ilp32 emul=elf32lriscv
    fi
    cat > "$out.S" <<EOF
    .option norvc
    .section .text
    .globl _start
_start:
    csrr    t0, mhartid
    li      t1, $hart
    bne     t0, t1, park
    li      a0, $uart
    li      t2, 1
    sw      t2, 8(a0)           /* txctrl: txen */
    la      a1, msg
    call    puts
$code
park:
    csrw    mie, zero
1:  wfi
    j       1b
/* print the string at a1 on the UART at a0 */
puts:
    lbu     t1, 0(a1)
    beqz    t1, 3f
2:  lw      t2, 0(a0)           /* txdata: bit 31 is "full" */
    bltz    t2, 2b
    sw      t1, 0(a0)
    addi    a1, a1, 1
    j       puts
3:  ret
msg:
    .asciz  "$msg\n"
    .balign 4
EOF
    "$RV_AS" -march=$march -mabi=$abi -o "$out.o" "$out.S" &&
        "$RV_LD" -m $emul -Ttext="$entry" -e _start -o "$out" "$out.o"
}

dt_compile() {
    dtc -q -I dts -O dtb -o "$2" "$1" 2>/dev/null
}

# The "reg" address of node PATH, with its parent's #address-cells
_dt_reg_addr() {
    local dtb=$1 path=$2 parent ac cells
    parent=${path%/*}
    [ -n "$parent" ] || parent=/
    ac=$(fdtget -t u "$dtb" "$parent" '#address-cells' 2>/dev/null || echo 2)
    cells=($(fdtget -t x "$dtb" "$path" reg)) || return 1
    if [ "$ac" = 2 ]; then
        printf '0x%x\n' $(( (0x${cells[0]} << 32) | 0x${cells[1]} ))
    else
        printf '0x%x\n' $((0x${cells[0]}))
    fi
}

dt_stdout_addr() {
    local dtb=$1 path
    path=$(fdtget -t s "$dtb" /chosen stdout-path) || return 1
    path=${path%%:*}
    case $path in
    /*) ;;
    *) path=$(fdtget -t s "$dtb" /aliases "$path") || return 1 ;;
    esac
    _dt_reg_addr "$dtb" "$path"
}

dt_boothart() {
    local dtb=$1 ph node
    ph=$(fdtget -t u "$dtb" /chosen metal,boothart 2>/dev/null) || {
        echo 0
        return
    }
    for node in $(fdtget -l "$dtb" /cpus); do
        if [ "$(fdtget -t u "$dtb" "/cpus/$node" phandle 2>/dev/null)" = "$ph" ]; then
            fdtget -t u "$dtb" "/cpus/$node" reg
            return
        fi
    done
    echo 0
}

rv_run() {
    local secs=$1 expect=$2 out=$3 pid i
    shift 4
    : > "$out"
    "$@" -display none -monitor none -serial "file:$out" \
        </dev/null >"$out.err" 2>&1 &
    pid=$!
    for ((i = 0; i < secs * 10; i++)); do
        grep -qF -- "$expect" "$out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    grep -qF -- "$expect" "$out"
}
