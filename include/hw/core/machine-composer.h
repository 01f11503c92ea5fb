/*
 * Composed machine: a board built from a description file
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSER_H
#define HW_CORE_MACHINE_COMPOSER_H

#include "hw/boards.h"
#include "hw/core/machine-compose.h"
#include "qapi/qapi-types-machine-compose.h"
#include "qom/object.h"

#define TYPE_COMPOSED_MACHINE MACHINE_TYPE_NAME("composed")
OBJECT_DECLARE_SIMPLE_TYPE(ComposedMachineState, COMPOSED_MACHINE)

/*
 * Upper bound of CPUs a description may declare.  TCG sizes its per-vCPU
 * state from smp.max_cpus before the board is built, so the class limit
 * must cover any description.
 */
#define COMPOSED_MACHINE_MAX_CPUS 255

struct ComposedMachineState {
    MachineState parent_obj;

    char *desc;             /* description file (desc=) */
    QDict *params;          /* param.NAME=VALUE from the command line */
    ComposeDoc *doc;        /* locations and diagnostics */
    QDict *effective;       /* the description after merge */
    ComposeBoard *board;    /* ... visited into the QAPI types */
    uint32_t ncpus;         /* CPUs the description declares */
    bool ram_from_desc;     /* ram_size came from the description */
    bool smp_from_desc;     /* smp.cpus came from the description */

    /* Built objects, by description name (ComposeEntity) */
    GHashTable *entities;
    GPtrArray *cpus;        /* CPUState, in creation order */
    GPtrArray *buffers;     /* EEPROM contents the devices point to */
    GHashTable *probes;     /* while checking: ObjectClass -> instance */
};

/*
 * Boot protocols live with their target (hw/arm/...): they register by
 * the ComposeBootKind they implement.  @primary is the boot CPU.
 */
typedef bool (*ComposeBootFn)(ComposedMachineState *s, const ComposeBoot *boot,
                              CPUState *primary, Error **errp);
void composed_machine_register_boot(ComposeBootKind kind, ComposeBootFn fn);

bool composed_machine_boot(ComposedMachineState *s, const ComposeBoot *boot,
                           CPUState *primary, Error **errp);

/*
 * Power on a CPU held off by a gate, starting it from reset.  Targets
 * whose CPUs have their own power control register it; the default
 * resets the CPU and lets it run.
 */
typedef void (*ComposeCpuReleaseFn)(CPUState *cpu);
void composed_machine_register_cpu_release(ComposeCpuReleaseFn fn);
void composed_machine_release_cpu(CPUState *cpu);


/*
 * The block backend name of -drive if=@iface,bus=@bus,unit=@unit (for
 * mtd and sd, index=N is bus 0, unit N), NULL if there is none; *@known
 * tells whether @iface is an interface name at all.
 */
const char *composed_machine_drive(const char *iface, int bus, int unit,
                                   bool *known);

/* machine-compose-build.c */
bool compose_check(ComposedMachineState *s);
bool compose_check_facts(ComposedMachineState *s);
bool compose_build(ComposedMachineState *s);
/* After a machine reset: the devices' reset-props */
void compose_reset(ComposedMachineState *s);

#endif /* HW_CORE_MACHINE_COMPOSER_H */
