/*
 * Composed machine: a fingerprint of the board in the migration stream
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_MIGRATION_H
#define HW_CORE_MACHINE_COMPOSE_MIGRATION_H

#include "hw/core/machine-composer.h"

/*
 * Once @s is built: put the fingerprint of its effective description in
 * the migration stream, where a destination built from another board
 * refuses it, and show it as the machine's "fingerprint" property.
 */
bool compose_migration_register(ComposedMachineState *s, Error **errp);

#endif
