/*
 * Composed machine: the guest device tree, generated from what was built
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_ARM_COMPOSED_FDT_H
#define HW_ARM_COMPOSED_FDT_H

#include "hw/boards.h"

/*
 * The device tree of the composed machine @ms as built, from the
 * mapping file machines/devicetree-map.yaml (found next to the
 * description, then where included descriptions are).  NULL with every
 * problem of the mapping file in @errp.
 */
void *composed_fdt_create(MachineState *ms, int *size, Error **errp);

#endif /* HW_ARM_COMPOSED_FDT_H */
