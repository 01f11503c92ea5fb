/*
 * Composed machine: ARM boot protocol
 *
 * Loads -kernel/-dtb/-initrd/-append like QEMU's built-in ARM boards, with
 * arm_load_kernel().  It is target code (struct arm_boot_info and the PSCI
 * conduit values come from the ARM target), so it registers itself with
 * the generic composer instead of being called by name.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/datadir.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "hw/arm/boot.h"
#include "hw/arm/composed-boot.h"
#include "hw/loader.h"
#include "exec/address-spaces.h"
#include "hw/core/machine-composer.h"
#include "target/arm/arm-powerctl.h"
#include "target/arm/cpu.h"
#include "composed-fdt.h"

/* arm_load_kernel() keeps a pointer: it must outlive machine init */
static struct arm_boot_info composed_binfo;
static hwaddr composed_smp_mailbox;

#define ASPEED_SMP_MAILBOX_DEFAULT  0x1e6e2180
#define ASPEED_SMP_GOSIGN           0xabbaab00

/*
 * The ASPEED SMP mailbox (secondary "aspeed-smp-mailbox"): without
 * u-boot, secondary CPUs wait in a stub at mailbox + 0x10 until their go
 * sign appears at mailbox + 4, then jump to the entry at mailbox + 0, as
 * the ASPEED boards of QEMU set it up (hw/arm/aspeed.c).
 */
static void aspeed_smp_write_stub(ARMCPU *cpu,
                                  const struct arm_boot_info *info)
{
    AddressSpace *as = arm_boot_address_space(cpu, info);
    const ARMInsnFixup stub[] = {
        { 0xee100fb0 },  /* mrc     p15, 0, r0, c0, c0, 5 */
        { 0xe21000ff },  /* ands    r0, r0, #255          */
        { 0xe59f201c },  /* ldr     r2, [pc, #28]         */
        { 0xe1822000 },  /* orr     r2, r2, r0            */
        { 0xe59f1018 },  /* ldr     r1, [pc, #24]         */
        { 0xe59f0018 },  /* ldr     r0, [pc, #24]         */
        { 0xe320f002 },  /* wfe                           */
        { 0xe5904000 },  /* ldr     r4, [r0]              */
        { 0xe1520004 },  /* cmp     r2, r4                */
        { 0x1afffffb },  /* bne     <wfe>                 */
        { 0xe591f000 },  /* ldr     pc, [r1]              */
        { ASPEED_SMP_GOSIGN },
        { (uint32_t)composed_smp_mailbox },        /* entry */
        { (uint32_t)composed_smp_mailbox + 4 },    /* go sign */
        { 0, FIXUP_TERMINATOR }
    };
    static const uint32_t fixupcontext[FIXUP_MAX] = { 0 };

    arm_write_bootloader("aspeed.smpboot", as, info->smp_loader_start,
                         stub, fixupcontext);
}

static void aspeed_smp_reset_secondary(ARMCPU *cpu,
                                       const struct arm_boot_info *info)
{
    AddressSpace *as = arm_boot_address_space(cpu, info);

    address_space_stl_notdirty(as, composed_smp_mailbox + 4, 0,
                               MEMTXATTRS_UNSPECIFIED, NULL);
    cpu_set_pc(CPU(cpu), info->smp_loader_start);
}

static bool aspeed_smp_setup(const ComposeBootArm *boot,
                             struct arm_boot_info *info, Error **errp)
{
    composed_smp_mailbox = boot->has_smp_mailbox ?
        boot->smp_mailbox : ASPEED_SMP_MAILBOX_DEFAULT;
    info->write_secondary_boot = aspeed_smp_write_stub;
    info->secondary_cpu_reset_hook = aspeed_smp_reset_secondary;
    if (!boot->has_smp_loader_start) {
        info->smp_loader_start = composed_smp_mailbox + 0x10;
    }
    return true;
}

static ComposedArmSecondaryFn secondary_boots[COMPOSE_SECONDARY_BOOT__MAX];
static ComposedArmBoardSetupFn board_setups[COMPOSE_BOARD_SETUP__MAX];

void composed_arm_register_secondary(ComposeSecondaryBoot which,
                                     ComposedArmSecondaryFn setup)
{
    assert(which < COMPOSE_SECONDARY_BOOT__MAX && !secondary_boots[which]);
    secondary_boots[which] = setup;
}

void composed_arm_register_board_setup(ComposeBoardSetup which,
                                       ComposedArmBoardSetupFn write)
{
    assert(which < COMPOSE_BOARD_SETUP__MAX && !board_setups[which]);
    board_setups[which] = write;
}

/*
 * The boot ROM image of boot.firmware, or -bios in its place, looked up
 * as -bios is.  Without it only a -kernel boot can go on, as on QEMU's
 * NPCM boards.
 */
static bool composed_load_firmware(MachineState *ms,
                                   const ComposeFirmware *fw, Error **errp)
{
    const char *name = ms->firmware ? ms->firmware : fw->file;
    g_autofree char *path = qemu_find_file(QEMU_FILE_TYPE_BIOS, name);
    MemoryRegion *mr = NULL;

    if (g_str_equal(fw->region, "@machine.ram")) {
        mr = ms->ram;
    } else if (fw->region[0] == '/') {
        Object *o = object_resolve_path_type(fw->region, TYPE_MEMORY_REGION,
                                             NULL);

        mr = o ? MEMORY_REGION(o) : NULL;
    }
    if (!mr) {
        error_setg(errp, "firmware: no memory region '%s' (expected "
                   "@machine.ram or the QOM path of a region)", fw->region);
        return false;
    }
    if (!path) {
        if (!ms->kernel_filename) {
            error_setg(errp, "firmware: could not find ROM image '%s'",
                       name);
            return false;
        }
        error_report("Could not find ROM image '%s'", name);
        return true;
    }
    if (load_image_mr(path, mr) < 0) {
        error_setg(errp, "firmware: failed to load ROM image '%s' into '%s'",
                   path, fw->region);
        return false;
    }
    return true;
}

/* The secondary CPU strategy of @boot into @info */
static bool composed_boot_arm_secondary(MachineState *ms,
                                        const ComposeBootArm *boot,
                                        struct arm_boot_info *info,
                                        Error **errp)
{
    ComposeSecondaryBoot sec = COMPOSE_SECONDARY_BOOT_DEFAULT;

    if (boot->has_secondary) {
        sec = boot->secondary;
    }

    /* the ASPEED stub is for -kernel only: u-boot brings its own */
    if (sec == COMPOSE_SECONDARY_BOOT_DEFAULT ||
        (sec == COMPOSE_SECONDARY_BOOT_ASPEED_SMP_MAILBOX &&
         !ms->kernel_filename)) {
        return true;
    }
    if (!secondary_boots[sec]) {
        error_setg(errp, "secondary '%s' is not available in this QEMU",
                   ComposeSecondaryBoot_str(sec));
        return false;
    }
    return secondary_boots[sec](boot, info, errp);
}

/* The optional addresses and strategies of boot into @info */
static bool composed_boot_arm_hooks(MachineState *ms,
                                    const ComposeBootArm *boot,
                                    struct arm_boot_info *info, Error **errp)
{
    ComposeBoardSetup bs = boot->has_board_setup ? boot->board_setup
                                                 : COMPOSE_BOARD_SETUP_NONE;

    info->smp_loader_start = boot->has_smp_loader_start ?
        boot->smp_loader_start : 0;
    info->smp_bootreg_addr = boot->has_smp_bootreg_addr ?
        boot->smp_bootreg_addr : 0;
    info->gic_cpu_if_addr = boot->has_gic_cpu_if_addr ?
        boot->gic_cpu_if_addr : 0;
    info->board_setup_addr = boot->has_board_setup_addr ?
        boot->board_setup_addr : 0;
    if (!composed_boot_arm_secondary(ms, boot, info, errp)) {
        return false;
    }
    if (bs != COMPOSE_BOARD_SETUP_NONE) {
        if (!board_setups[bs]) {
            error_setg(errp, "board-setup '%s' is not available in this QEMU",
                       ComposeBoardSetup_str(bs));
            return false;
        }
        if (!boot->has_board_setup_addr) {
            error_setg(errp, "board-setup '%s' needs board-setup-addr",
                       ComposeBoardSetup_str(bs));
            return false;
        }
        info->write_board_setup = board_setups[bs];
    }
    return true;
}

/* The generated device tree, made when the machine is built */
static void *composed_dtb;
static int composed_dtb_size;

/* arm_load_dtb() takes the blob: a copy, should it ask twice */
static void *composed_get_dtb(const struct arm_boot_info *info, int *size)
{
    *size = composed_dtb_size;
    return g_memdup2(composed_dtb, composed_dtb_size);
}

static bool composed_boot_arm(MachineState *ms, const ComposeBoot *b,
                              CPUState *primary, Error **errp)
{
    const ComposeBootArm *boot = &b->u.arm;
    struct arm_boot_info *info = &composed_binfo;

    if (!object_dynamic_cast(OBJECT(primary), TYPE_ARM_CPU)) {
        error_setg(errp, "the boot CPU is a %s, not an ARM CPU",
                   object_get_typename(OBJECT(primary)));
        return false;
    }
    memset(info, 0, sizeof(*info));
    info->ram_size = ms->ram_size;
    info->loader_start = boot->has_loader_start ? boot->loader_start : 0;
    info->board_id = boot->has_board_id ? boot->board_id : -1;
    switch (boot->has_psci_conduit ? boot->psci_conduit
                                   : COMPOSE_PSCI_CONDUIT_DISABLED) {
    case COMPOSE_PSCI_CONDUIT_SMC:
        info->psci_conduit = QEMU_PSCI_CONDUIT_SMC;
        break;
    case COMPOSE_PSCI_CONDUIT_HVC:
        info->psci_conduit = QEMU_PSCI_CONDUIT_HVC;
        break;
    default:
        info->psci_conduit = QEMU_PSCI_CONDUIT_DISABLED;
        break;
    }
    if (!composed_boot_arm_hooks(ms, boot, info, errp)) {
        return false;
    }
    if (boot->firmware && !composed_load_firmware(ms, boot->firmware, errp)) {
        return false;
    }
    g_clear_pointer(&composed_dtb, g_free);
    if (boot->has_generate_dtb && boot->generate_dtb &&
        ms->kernel_filename && !ms->dtb) {
        composed_dtb = composed_fdt_create(ms, &composed_dtb_size, errp);
        if (!composed_dtb) {
            return false;
        }
        info->get_dtb = composed_get_dtb;
    }
    arm_load_kernel(ARM_CPU(primary), ms, info);
    return true;
}

static bool composed_boot_armv7m(MachineState *ms, const ComposeBoot *b,
                                 CPUState *primary, Error **errp)
{
    const ComposeBootArmv7m *boot = &b->u.armv7m;
    uint64_t size = boot->has_mem_size ? boot->mem_size : 0;

    if (!object_dynamic_cast(OBJECT(primary), TYPE_ARM_CPU)) {
        error_setg(errp, "the boot CPU is a %s, not an ARM CPU",
                   object_get_typename(OBJECT(primary)));
        return false;
    }
    if (size > INT_MAX) {
        error_setg(errp, "mem-size must be below 2 GiB");
        return false;
    }
    armv7m_load_kernel(ARM_CPU(primary), ms->kernel_filename,
                       boot->has_loader_start ? boot->loader_start : 0,
                       size);
    return true;
}

/* What arm_set_cpu_on_and_reset() does on the target CPU */
static void composed_arm_release_work(CPUState *cpu, run_on_cpu_data data)
{
    cpu_reset(cpu);
    cpu->halted = 0;
    assert(bql_locked());
    ARM_CPU(cpu)->power_state = PSCI_ON;
}

/*
 * A gate released an ARM CPU: power it on from reset, as PSCI CPU_ON
 * does.  arm_set_cpu_on_and_reset() finds the CPU by its MPIDR, which
 * two CPUs of a machine may share (a Cortex-M4 and an A35 of another
 * cluster): the gate knows the CPU itself.
 */
static void composed_arm_release_cpu(CPUState *cpu)
{
    ARMCPU *arm = (ARMCPU *)object_dynamic_cast(OBJECT(cpu), TYPE_ARM_CPU);

    if (arm && arm->power_state == PSCI_OFF) {
        /* once: another rising edge before the work runs does nothing */
        arm->power_state = PSCI_ON_PENDING;
        async_run_on_cpu(cpu, composed_arm_release_work, RUN_ON_CPU_NULL);
    }
}

static void composed_boot_arm_register(void)
{
    composed_machine_register_boot(COMPOSE_BOOT_KIND_ARM, composed_boot_arm);
    composed_machine_register_boot(COMPOSE_BOOT_KIND_ARMV7M,
                                   composed_boot_armv7m);
    composed_machine_register_cpu_release(composed_arm_release_cpu);
    composed_arm_register_secondary(COMPOSE_SECONDARY_BOOT_ASPEED_SMP_MAILBOX,
                                    aspeed_smp_setup);
}

type_init(composed_boot_arm_register)
