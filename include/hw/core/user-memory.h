/*
 * User memory: a RAM or ROM region as a sysbus device
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_USER_MEMORY_H
#define HW_CORE_USER_MEMORY_H

#include "hw/sysbus.h"
#include "system/hostmem.h"
#include "qom/object.h"

#define TYPE_USER_MEMORY "user-memory"
OBJECT_DECLARE_SIMPLE_TYPE(UserMemoryState, USER_MEMORY)

struct UserMemoryState {
    SysBusDevice parent_obj;

    MemoryRegion mr;            /* own RAM/ROM, or an alias of memdev's */
    uint64_t size;
    bool readonly;
    char *region_name;
    char *file;
    HostMemoryBackend *memdev;
};

#endif /* HW_CORE_USER_MEMORY_H */
