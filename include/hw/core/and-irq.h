/*
 * AND gate for IRQ lines
 *
 * The AND counterpart of or-irq: the output is high while every input
 * is high.  The composed machine inserts one where a description
 * combines several outputs into one input with "combine: and".
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_AND_IRQ_H
#define HW_CORE_AND_IRQ_H

#include "hw/irq.h"
#include "hw/qdev-core.h"
#include "qom/object.h"

#define TYPE_AND_IRQ "and-irq"

#define MAX_AND_LINES 48

OBJECT_DECLARE_SIMPLE_TYPE(AndIRQState, AND_IRQ)

struct AndIRQState {
    DeviceState parent_obj;

    qemu_irq out_irq;
    bool levels[MAX_AND_LINES];
    uint16_t num_lines;
};

#endif /* HW_CORE_AND_IRQ_H */
