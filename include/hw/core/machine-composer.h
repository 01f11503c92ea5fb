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
};

#endif /* HW_CORE_MACHINE_COMPOSER_H */
