/*
 * ASPEED AST2700 DRAM window beyond the RAM ("ram-empty")
 *
 * The AST2700's DDR controller answers in the whole DRAM window, not
 * only where RAM is: a write beyond the RAM lands at its address modulo
 * the RAM size, a read returns 0.  Firmware probes the RAM size that way.
 * QEMU's AST2700 SoC object does it in its own code
 * (aspeed_ram_capacity_ops in hw/arm/aspeed_ast27x0.c); this device is
 * the same, for a SoC written from parts: it owns the region "ram-empty"
 * (max-ram-size - ram-size bytes) that the description maps after the
 * RAM, and the address space "dram" it writes through.  It has no bus.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "qom/object.h"
#include "trace.h"

#define TYPE_ASPEED_DRAM_CAPACITY "aspeed.dram-capacity"
OBJECT_DECLARE_SIMPLE_TYPE(AspeedDramCapacityState, ASPEED_DRAM_CAPACITY)

struct AspeedDramCapacityState {
    DeviceState parent_obj;

    MemoryRegion *dram;         /* link "dram": the RAM */
    uint64_t ram_size;
    uint64_t max_ram_size;

    AddressSpace dram_as;
    MemoryRegion iomem;         /* "ram-empty", beyond the RAM */
};

static uint64_t aspeed_dram_capacity_read(void *opaque, hwaddr addr,
                                          unsigned int size)
{
    trace_aspeed_dram_capacity_read(addr);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: DRAM read out of ram size, "
                  "addr:0x%" HWADDR_PRIx "\n", __func__, addr);
    return 0;
}

/* A write beyond the RAM wraps around to the address modulo its size */
static void aspeed_dram_capacity_write(void *opaque, hwaddr addr,
                                       uint64_t data, unsigned int size)
{
    AspeedDramCapacityState *s = opaque;
    hwaddr to = addr % s->ram_size;
    MemTxResult result;

    trace_aspeed_dram_capacity_write(addr, to, data);
    address_space_stl_le(&s->dram_as, to, data, MEMTXATTRS_UNSPECIFIED,
                         &result);
    if (result != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: DRAM write failed, "
                      "addr:0x%" HWADDR_PRIx ", data :0x%" PRIx64 "\n",
                      __func__, to, data);
    }
}

static const MemoryRegionOps aspeed_dram_capacity_ops = {
    .read = aspeed_dram_capacity_read,
    .write = aspeed_dram_capacity_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl.min_access_size = 4,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void aspeed_dram_capacity_realize(DeviceState *dev, Error **errp)
{
    AspeedDramCapacityState *s = ASPEED_DRAM_CAPACITY(dev);

    if (!s->dram) {
        error_setg(errp, "'dram' link is not set");
        return;
    }
    if (!s->ram_size || s->ram_size > s->max_ram_size) {
        error_setg(errp, "ram-size must be 1 to max-ram-size (0x%" PRIx64
                   ")", s->max_ram_size);
        return;
    }
    address_space_init(&s->dram_as, s->dram, "dram");
    if (s->ram_size < s->max_ram_size) {
        memory_region_init_io(&s->iomem, OBJECT(s), &aspeed_dram_capacity_ops,
                              s, "ram-empty", s->max_ram_size - s->ram_size);
    }
}

static void aspeed_dram_capacity_unrealize(DeviceState *dev)
{
    AspeedDramCapacityState *s = ASPEED_DRAM_CAPACITY(dev);

    address_space_destroy(&s->dram_as);
}

static const Property aspeed_dram_capacity_properties[] = {
    DEFINE_PROP_LINK("dram", AspeedDramCapacityState, dram,
                     TYPE_MEMORY_REGION, MemoryRegion *),
    DEFINE_PROP_UINT64("ram-size", AspeedDramCapacityState, ram_size, 0),
    DEFINE_PROP_UINT64("max-ram-size", AspeedDramCapacityState,
                       max_ram_size, 0),
};

static void aspeed_dram_capacity_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "ASPEED AST2700 DRAM window beyond the RAM";
    dc->realize = aspeed_dram_capacity_realize;
    dc->unrealize = aspeed_dram_capacity_unrealize;
    /* a part of a SoC, no state of its own */
    dc->user_creatable = false;
    device_class_set_props(dc, aspeed_dram_capacity_properties);
}

static const TypeInfo aspeed_dram_capacity_types[] = {
    {
        .name = TYPE_ASPEED_DRAM_CAPACITY,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(AspeedDramCapacityState),
        .class_init = aspeed_dram_capacity_class_init,
    },
};

DEFINE_TYPES(aspeed_dram_capacity_types)
