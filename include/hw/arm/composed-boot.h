/*
 * Composed machine: ARM boot strategies
 *
 * Code a -kernel boot runs instead of the firmware (secondary CPU stubs,
 * board setup) is named in the description (boot.secondary,
 * boot.board-setup) and registered here by the file that implements it.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_ARM_COMPOSED_BOOT_H
#define HW_ARM_COMPOSED_BOOT_H

#include "hw/arm/boot.h"
#include "qapi/qapi-types-machine-compose.h"

/*
 * A secondary CPU boot strategy: @setup fills the secondary-boot hooks
 * and addresses of @info from @boot; false (with @errp set) if @boot
 * lacks what it needs.
 */
typedef bool (*ComposedArmSecondaryFn)(const ComposeBootArm *boot,
                                       struct arm_boot_info *info,
                                       Error **errp);
void composed_arm_register_secondary(ComposeSecondaryBoot which,
                                     ComposedArmSecondaryFn setup);

/* Board setup code, written at info->board_setup_addr */
typedef void (*ComposedArmBoardSetupFn)(ARMCPU *cpu,
                                        const struct arm_boot_info *info);
void composed_arm_register_board_setup(ComposeBoardSetup which,
                                       ComposedArmBoardSetupFn write);

#endif /* HW_ARM_COMPOSED_BOOT_H */
