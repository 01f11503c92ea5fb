/*
 * Composed machine: a board built from a description file
 *
 * "-M composed" is one generic machine type whose CPUs, memory, devices
 * and wiring come from a YAML or JSON board description instead of C.
 * Without a description it is an empty machine, like "-M none", so that
 * generic tests which start every machine type work with it.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/boards.h"
#include "hw/core/machine-composer.h"
#include "exec/address-spaces.h"

static void composed_machine_init(MachineState *ms)
{
    /* Without a description: an empty machine with RAM at 0 if -m given */
    if (ms->ram) {
        memory_region_add_subregion(get_system_memory(), 0, ms->ram);
    }

    if (ms->kernel_filename) {
        error_report("composed: -kernel needs a board description "
                     "(-M composed,desc=FILE)");
        exit(1);
    }
}

static void composed_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "Machine built from a board description (desc=FILE)";
    mc->init = composed_machine_init;
    mc->max_cpus = COMPOSED_MACHINE_MAX_CPUS;
    /* RAM size and CPU count come from the description; none without it */
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram";
    mc->no_parallel = 1;
    mc->no_floppy = 1;
    mc->no_cdrom = 1;
}

static const TypeInfo composed_machine_info = {
    .name = TYPE_COMPOSED_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(ComposedMachineState),
    .class_init = composed_machine_class_init,
};

static void composed_machine_register_types(void)
{
    type_register_static(&composed_machine_info);
}

type_init(composed_machine_register_types)
