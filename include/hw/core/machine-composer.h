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

struct ComposePlan;
struct ComposeBuilt;

struct ComposedMachineState {
    MachineState parent_obj;

    char *desc;             /* description file (desc=) */
    QDict *params;          /* param.NAME=VALUE from the command line */
    ComposeDoc *doc;        /* locations and diagnostics */
    QDict *merged;          /* read and merged once, not yet evaluated */
    QDict *effective;       /* ... with parameters and conditions */
    struct ComposePlan *plan;   /* ... checked: what to build */
    struct ComposeBuilt *built; /* what was built */
    bool ram_from_desc;     /* ram_size came from the description */
    bool smp_from_desc;     /* smp.cpus came from the description */
    bool check;             /* check=on: validate, exit 0 or 1 */
    char *diagram;          /* diagram=FILE: write the DOT, exit */
    Notifier diagram_done;  /* ... once the machine is done */
};

/*
 * Boot protocols live with their target (hw/arm/...): they register by
 * the ComposeBootKind they implement.  @primary is the boot CPU.
 */
typedef bool (*ComposeBootFn)(MachineState *ms, const ComposeBoot *boot,
                              CPUState *primary, Error **errp);
void composed_machine_register_boot(ComposeBootKind kind, ComposeBootFn fn);

/*
 * Power on a CPU held off by a gate, starting it from reset.  Targets
 * whose CPUs have their own power control register it; the default
 * resets the CPU and lets it run.
 */
typedef void (*ComposeCpuReleaseFn)(CPUState *cpu);
void composed_machine_register_cpu_release(ComposeCpuReleaseFn fn);

/*
 * Set up a CPU the description declares, before it is realized: @index
 * is its number among the description's CPUs, in declaration order.
 * Targets whose CPUs take an identity that is no QOM property register
 * it (RISC-V hart ids).
 */
typedef void (*ComposeCpuSetupFn)(CPUState *cpu, unsigned index);
void composed_machine_register_cpu_setup(ComposeCpuSetupFn fn);

/*
 * Directories searched for included descriptions and the files shipped
 * with them (QEMU_COMPOSER_PATH, machines/ in the data directory), a
 * NULL-terminated array to free with g_strfreev().
 */
char **composed_machine_search_path(void);

#endif /* HW_CORE_MACHINE_COMPOSER_H */
