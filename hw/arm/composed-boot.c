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
#include "hw/arm/boot.h"
#include "hw/core/machine-composer.h"
#include "target/arm/arm-powerctl.h"
#include "target/arm/cpu.h"

/* arm_load_kernel() keeps a pointer: it must outlive machine init */
static struct arm_boot_info composed_binfo;

static bool composed_boot_arm(ComposedMachineState *s,
                              const ComposeBoot *boot, CPUState *primary,
                              Error **errp)
{
    MachineState *ms = MACHINE(s);
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
    arm_load_kernel(ARM_CPU(primary), ms, info);
    return true;
}

/* A gate released an ARM CPU: power it on from reset (PSCI CPU_ON) */
static void composed_arm_release_cpu(CPUState *cpu)
{
    if (object_dynamic_cast(OBJECT(cpu), TYPE_ARM_CPU)) {
        arm_set_cpu_on_and_reset(ARM_CPU(cpu)->mp_affinity);
    }
}

static void composed_boot_arm_register(void)
{
    composed_machine_register_boot(COMPOSE_BOOT_KIND_ARM, composed_boot_arm);
    composed_machine_register_cpu_release(composed_arm_release_cpu);
}

type_init(composed_boot_arm_register)
