/*
 * User memory: a RAM or ROM region as a sysbus device
 *
 * A board description (or board code) that wants a memory region with
 * a device of its own — one that shows in "info qtree", has properties
 * and can take its storage from a memory backend — uses this device; its
 * MMIO region 0 is the memory.  Bare regions without a device are
 * created by the composer directly.
 *
 * Properties: size, readonly (a ROM: guest writes are ignored), memdev
 * (a memory backend supplying the storage; size then defaults to the
 * backend's), file (initial contents, loaded at reset), name (of the
 * region in "info mtree", default "user-memory").
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "hw/core/user-memory.h"
#include "hw/loader.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qemu/module.h"

static void user_memory_realize(DeviceState *dev, Error **errp)
{
    UserMemoryState *s = USER_MEMORY(dev);
    const char *name = s->region_name ? s->region_name : "user-memory";

    if (s->memdev) {
        MemoryRegion *bmr = host_memory_backend_get_memory(s->memdev);
        uint64_t bsize = memory_region_size(bmr);

        if (host_memory_backend_is_mapped(s->memdev)) {
            error_setg(errp, "memdev '%s' is already in use",
                       object_get_canonical_path_component(OBJECT(s->memdev)));
            return;
        }
        if (s->size && s->size != bsize) {
            error_setg(errp, "size 0x%" PRIx64 " differs from the size of "
                       "memdev '%s' (0x%" PRIx64 ")", s->size,
                       object_get_canonical_path_component(OBJECT(s->memdev)),
                       bsize);
            return;
        }
        s->size = bsize;
        /* An alias, so that readonly does not change the backend itself */
        memory_region_init_alias(&s->mr, OBJECT(dev), name, bmr, 0, bsize);
        memory_region_set_readonly(&s->mr, s->readonly);
        host_memory_backend_set_mapped(s->memdev, true);
        vmstate_register_ram(bmr, dev);
    } else {
        if (!s->size) {
            error_setg(errp, "'size' or 'memdev' is required");
            return;
        }
        if (s->readonly) {
            if (!memory_region_init_rom(&s->mr, OBJECT(dev), name, s->size,
                                        errp)) {
                return;
            }
        } else if (!memory_region_init_ram(&s->mr, OBJECT(dev), name,
                                           s->size, errp)) {
            return;
        }
    }
    if (s->file && *s->file) {
        int64_t fsize = get_image_size(s->file);

        if (fsize < 0) {
            error_setg(errp, "cannot read '%s'", s->file);
            return;
        }
        if (fsize > s->size) {
            error_setg(errp, "'%s' (%" PRId64 " bytes) is larger than the "
                       "memory (0x%" PRIx64 ")", s->file, fsize, s->size);
            return;
        }
        if (load_image_mr(s->file, &s->mr) < 0) {
            error_setg(errp, "cannot load '%s'", s->file);
            return;
        }
    }
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mr);
}

static void user_memory_unrealize(DeviceState *dev)
{
    UserMemoryState *s = USER_MEMORY(dev);

    if (s->memdev) {
        vmstate_unregister_ram(host_memory_backend_get_memory(s->memdev),
                               dev);
        host_memory_backend_set_mapped(s->memdev, false);
    }
}

static const Property user_memory_properties[] = {
    DEFINE_PROP_SIZE("size", UserMemoryState, size, 0),
    DEFINE_PROP_BOOL("readonly", UserMemoryState, readonly, false),
    DEFINE_PROP_STRING("name", UserMemoryState, region_name),
    DEFINE_PROP_STRING("file", UserMemoryState, file),
    DEFINE_PROP_LINK("memdev", UserMemoryState, memdev,
                     TYPE_MEMORY_BACKEND, HostMemoryBackend *),
};

static void user_memory_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "RAM or ROM as a sysbus device (MMIO region 0)";
    dc->realize = user_memory_realize;
    dc->unrealize = user_memory_unrealize;
    device_class_set_props(dc, user_memory_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo user_memory_info = {
    .name = TYPE_USER_MEMORY,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(UserMemoryState),
    .class_init = user_memory_class_init,
};

static void user_memory_register_types(void)
{
    type_register_static(&user_memory_info);
}

type_init(user_memory_register_types)
