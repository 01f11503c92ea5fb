/*
 * Composed machine: what the Nuvoton NPCM SoCs' realize does beyond
 * properties
 *
 * A description builds an NPCM7xx or NPCM8xx SoC from its parts
 * (machines/npcm/).  Most of what QEMU's C SoC objects do in realize is
 * data there: properties, links, mappings, wires.  Three things are not,
 * and this bus-less device does them, as the C SoCs do:
 *
 * - the GCR finds the DRAM through a link "dram-mr" that the C SoC adds
 *   to it (object_property_add_const_link()): the GCR type has no such
 *   property, so a description cannot set it.  It is added when this
 *   device is realized, which must be before the GCR;
 * - the EMCs are numbered (for their trace events);
 * - once the parts are realized, the OTP fuse array holds the chip's
 *   mask of disabled modules (which tells NPCM730 from NPCM750) and the
 *   ADC's calibration values, which firmware reads.  They are written
 *   when machine creation is done, after every realize, as the C SoC
 *   writes them after realizing the fuse array and the ADC.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/adc/npcm7xx_adc.h"
#include "hw/misc/npcm_gcr.h"
#include "hw/net/npcm7xx_emc.h"
#include "hw/nvram/npcm7xx_otp.h"
#include "system/system.h"
#include "qom/object.h"

#define TYPE_NPCM_SOC_INIT "npcm-soc-init"
OBJECT_DECLARE_SIMPLE_TYPE(NPCMSoCInit, NPCM_SOC_INIT)

#define NPCM_SOC_INIT_EMCS 2

struct NPCMSoCInit {
    DeviceState parent_obj;

    Object *gcr;
    MemoryRegion *dram;
    NPCM7xxOTPState *fuse_array;
    NPCM7xxADCState *adc;
    NPCM7xxEMCState *emc[NPCM_SOC_INIT_EMCS];
    uint32_t disabled_modules;
    Notifier init_done;
};

static void npcm_soc_init_write_fuses(Notifier *n, void *opaque)
{
    NPCMSoCInit *s = container_of(n, NPCMSoCInit, init_done);
    uint32_t value = cpu_to_le32(s->disabled_modules);

    npcm7xx_otp_array_write(s->fuse_array, &value, NPCM7XX_FUSE_DERIVATIVE,
                            sizeof(value));
    if (s->adc) {
        QEMU_BUILD_BUG_ON(sizeof(s->adc->calibration_r_values) != 4);
        npcm7xx_otp_array_write(s->fuse_array, s->adc->calibration_r_values,
                                NPCM7XX_FUSE_ADC_CALIB,
                                sizeof(s->adc->calibration_r_values));
    }
}

static void npcm_soc_init_realize(DeviceState *dev, Error **errp)
{
    NPCMSoCInit *s = NPCM_SOC_INIT(dev);
    unsigned i;

    if (!s->gcr || !s->dram || !s->fuse_array) {
        error_setg(errp, "needs the links 'gcr', 'dram-mr' and 'fuse-array'");
        return;
    }
    if (DEVICE(s->gcr)->realized) {
        error_setg(errp, "must be realized before its GCR '%s'",
                   object_get_canonical_path(s->gcr));
        return;
    }
    if (object_property_find(s->gcr, "dram-mr")) {
        error_setg(errp, "the GCR '%s' has a 'dram-mr' link already",
                   object_get_canonical_path(s->gcr));
        return;
    }
    object_property_add_const_link(s->gcr, "dram-mr", OBJECT(s->dram));
    for (i = 0; i < NPCM_SOC_INIT_EMCS; i++) {
        if (s->emc[i]) {
            s->emc[i]->emc_num = i;
        }
    }
    s->init_done.notify = npcm_soc_init_write_fuses;
    qemu_add_machine_init_done_notifier(&s->init_done);
}

static const Property npcm_soc_init_properties[] = {
    DEFINE_PROP_LINK("gcr", NPCMSoCInit, gcr, TYPE_NPCM_GCR, Object *),
    DEFINE_PROP_LINK("dram-mr", NPCMSoCInit, dram, TYPE_MEMORY_REGION,
                     MemoryRegion *),
    DEFINE_PROP_LINK("fuse-array", NPCMSoCInit, fuse_array,
                     TYPE_NPCM7XX_FUSE_ARRAY, NPCM7xxOTPState *),
    DEFINE_PROP_LINK("adc", NPCMSoCInit, adc, TYPE_NPCM7XX_ADC,
                     NPCM7xxADCState *),
    DEFINE_PROP_LINK("emc0", NPCMSoCInit, emc[0], TYPE_NPCM7XX_EMC,
                     NPCM7xxEMCState *),
    DEFINE_PROP_LINK("emc1", NPCMSoCInit, emc[1], TYPE_NPCM7XX_EMC,
                     NPCM7xxEMCState *),
    DEFINE_PROP_UINT32("disabled-modules", NPCMSoCInit, disabled_modules, 0),
};

static void npcm_soc_init_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "what an NPCM SoC's realize does beyond properties";
    dc->realize = npcm_soc_init_realize;
    /* created by descriptions, like the SoC parts it serves */
    dc->user_creatable = false;
    device_class_set_props(dc, npcm_soc_init_properties);
}

static const TypeInfo npcm_soc_init_info = {
    .name = TYPE_NPCM_SOC_INIT,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(NPCMSoCInit),
    .class_init = npcm_soc_init_class_init,
};

static void npcm_soc_init_register_types(void)
{
    type_register_static(&npcm_soc_init_info);
}

type_init(npcm_soc_init_register_types)
