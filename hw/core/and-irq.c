/*
 * AND gate for IRQ lines
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/core/and-irq.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qemu/module.h"

static void and_irq_update(AndIRQState *s)
{
    int level = s->num_lines > 0;
    int i;

    for (i = 0; i < s->num_lines; i++) {
        level &= s->levels[i];
    }
    qemu_set_irq(s->out_irq, level);
}

static void and_irq_handler(void *opaque, int n, int level)
{
    AndIRQState *s = AND_IRQ(opaque);

    s->levels[n] = level;
    and_irq_update(s);
}

static void and_irq_reset(DeviceState *dev)
{
    AndIRQState *s = AND_IRQ(dev);

    memset(s->levels, 0, sizeof(s->levels));
}

static void and_irq_realize(DeviceState *dev, Error **errp)
{
    AndIRQState *s = AND_IRQ(dev);

    if (s->num_lines < 1 || s->num_lines > MAX_AND_LINES) {
        error_setg(errp, "num-lines must be 1 to %d", MAX_AND_LINES);
        return;
    }
    qdev_init_gpio_in(dev, and_irq_handler, s->num_lines);
}

static void and_irq_init(Object *obj)
{
    AndIRQState *s = AND_IRQ(obj);

    qdev_init_gpio_out(DEVICE(obj), &s->out_irq, 1);
}

static const VMStateDescription vmstate_and_irq = {
    .name = TYPE_AND_IRQ,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL_ARRAY(levels, AndIRQState, MAX_AND_LINES),
        VMSTATE_END_OF_LIST(),
    },
};

static const Property and_irq_properties[] = {
    DEFINE_PROP_UINT16("num-lines", AndIRQState, num_lines, 1),
};

static void and_irq_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    device_class_set_legacy_reset(dc, and_irq_reset);
    device_class_set_props(dc, and_irq_properties);
    dc->realize = and_irq_realize;
    dc->vmsd = &vmstate_and_irq;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    /* Reason: Needs to be wired up to work, like or-irq */
    dc->user_creatable = false;
}

static const TypeInfo and_irq_type_info = {
    .name = TYPE_AND_IRQ,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(AndIRQState),
    .instance_init = and_irq_init,
    .class_init = and_irq_class_init,
};

static void and_irq_register_types(void)
{
    type_register_static(&and_irq_type_info);
}

type_init(and_irq_register_types)
