/*
 * Composed machine: RISC-V harts and boot protocol
 *
 * A description's RISC-V CPUs are harts numbered in the order the
 * description declares them (cpu0 is hart 0), as QEMU's hart arrays number
 * theirs: interrupt controllers (PLIC, ACLINT) find their harts by that id.
 *
 * Boot kind "riscv" starts every hart at an entry point with a0 = its hart
 * id and a1 = 0 (no device tree): the entry of the ELF given with -bios,
 * else of -kernel, else loader-start.  When ROM or RAM covers the boot
 * hart's reset vector (the CPU property "resetvec"), a reset-vector stub
 * is written there, as QEMU's SiFive boards do in their mask ROM, and the
 * harts go through it; otherwise they start at the entry directly.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "elf.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "hw/core/machine-composer.h"
#include "exec/memory.h"
#include "system/reset.h"
#include "target/riscv/cpu.h"

typedef struct ComposedRiscvBoot {
    bool has_entry;
    bool via_stub;          /* harts go through the reset-vector stub */
    uint64_t entry;
} ComposedRiscvBoot;

/* reset handlers keep a pointer: it must outlive machine init */
static ComposedRiscvBoot composed_riscv;

/* The stub: a0 = mhartid, a1 = device tree (0), a2 = 0, jump to entry */
#define STUB_ENTRY_OFFSET   24
#define STUB_SIZE           40

static void composed_riscv_setup_hart(CPUState *cpu, unsigned index)
{
    if (object_dynamic_cast(OBJECT(cpu), TYPE_RISCV_CPU)) {
        RISCV_CPU(cpu)->env.mhartid = index;
    }
}

static void composed_riscv_reset(void *opaque)
{
    RISCVCPU *cpu = opaque;
    CPURISCVState *env = &cpu->env;

    cpu_reset(CPU(cpu));
    if (composed_riscv.has_entry && !composed_riscv.via_stub) {
        env->pc = composed_riscv.entry;
        env->gpr[xA0] = env->mhartid;
        env->gpr[xA1] = 0;
    }
}

/* Load @file: an ELF (entry from its header) or a raw image at @raw_addr */
static bool load_boot_image(const char *file, const char *what,
                            const ComposeBootRiscv *boot, uint64_t *entry,
                            Error **errp)
{
    uint64_t lo, hi;
    ssize_t size;

    size = load_elf(file, NULL, NULL, NULL, entry, &lo, &hi, NULL,
                    ELFDATA2LSB, EM_RISCV, 1, 0);
    if (size > 0) {
        return true;
    }
    if (!boot->has_loader_start) {
        error_setg(errp, "%s '%s' is not a RISC-V ELF: a raw image needs "
                   "loader-start", what, file);
        return false;
    }
    size = load_image_targphys(file, boot->loader_start,
                               UINT64_MAX);
    if (size < 0) {
        error_setg(errp, "cannot load %s '%s'", what, file);
        return false;
    }
    *entry = boot->loader_start;
    return true;
}

/* Is there ROM or RAM (not device MMIO) at @addr? */
static bool memory_at(hwaddr addr)
{
    MemoryRegionSection sec = memory_region_find(get_system_memory(), addr,
                                                 STUB_SIZE);
    bool ok = sec.mr && memory_region_is_ram(sec.mr) &&
              int128_get64(sec.size) >= STUB_SIZE;

    if (sec.mr) {
        memory_region_unref(sec.mr);
    }
    return ok;
}

static void write_reset_stub(RISCVCPU *cpu, hwaddr addr, uint64_t entry)
{
    bool rv32 = riscv_cpu_is_32bit(cpu);
    uint32_t stub[STUB_SIZE / 4] = {
        0x00000297,                         /* auipc t0, 0             */
        0x00000613,                         /* li    a2, 0             */
        0xf1402573,                         /* csrr  a0, mhartid       */
        rv32 ? 0x0202a583 : 0x0202b583,     /* lw/ld a1, 32(t0)        */
        rv32 ? 0x0182a283 : 0x0182b283,     /* lw/ld t0, 24(t0)        */
        0x00028067,                         /* jr    t0                */
        entry, entry >> 32,                 /* entry: .dword           */
        0, 0,                               /* device tree: .dword 0   */
    };
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(stub); i++) {
        stub[i] = cpu_to_le32(stub[i]);
    }
    rom_add_blob_fixed_as("composed.reset-vector", stub, sizeof(stub), addr,
                          &address_space_memory);
}

static bool composed_boot_riscv(MachineState *ms, const ComposeBoot *bt,
                                CPUState *primary, Error **errp)
{
    const ComposeBootRiscv *boot = &bt->u.riscv;
    ComposedRiscvBoot *b = &composed_riscv;
    bool bios = ms->firmware && strcmp(ms->firmware, "none");
    uint64_t kentry = 0;
    CPUState *cpu;

    if (!object_dynamic_cast(OBJECT(primary), TYPE_RISCV_CPU)) {
        error_setg(errp, "the boot CPU is a %s, not a RISC-V hart",
                   object_get_typename(OBJECT(primary)));
        return false;
    }
    if (ms->dtb || ms->initrd_filename ||
        (ms->kernel_cmdline && *ms->kernel_cmdline)) {
        error_setg(errp, "boot kind riscv loads bare-metal images: -dtb, "
                   "-initrd and -append are not supported");
        return false;
    }
    memset(b, 0, sizeof(*b));
    if (bios && !load_boot_image(ms->firmware, "-bios", boot, &b->entry,
                                 errp)) {
        return false;
    }
    if (ms->kernel_filename &&
        !load_boot_image(ms->kernel_filename, "-kernel", boot, &kentry,
                         errp)) {
        return false;
    }
    b->has_entry = bios || ms->kernel_filename || boot->has_loader_start;
    if (!bios) {
        b->entry = ms->kernel_filename ? kentry : boot->loader_start;
    }
    if (b->has_entry && memory_at(RISCV_CPU(primary)->env.resetvec)) {
        write_reset_stub(RISCV_CPU(primary), RISCV_CPU(primary)->env.resetvec,
                         b->entry);
        b->via_stub = true;
    }
    CPU_FOREACH(cpu) {
        qemu_register_reset(composed_riscv_reset, cpu);
    }
    return true;
}

static void composed_boot_riscv_register(void)
{
    composed_machine_register_boot(COMPOSE_BOOT_KIND_RISCV,
                                   composed_boot_riscv);
    composed_machine_register_cpu_setup(composed_riscv_setup_hart);
}

type_init(composed_boot_riscv_register)
