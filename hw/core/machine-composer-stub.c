/*
 * Composed machine: stubs for emulators built without it
 *
 * query-composition is part of the QAPI schema of every system emulator,
 * so those without the composed machine answer that nothing is composed.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-machine-compose.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"

CompositionInfo *qmp_query_composition(Error **errp)
{
    return g_new0(CompositionInfo, 1);
}

CompositionDiagram *qmp_query_composition_diagram(Error **errp)
{
    return g_new0(CompositionDiagram, 1);
}

void hmp_info_composition(Monitor *mon, const QDict *qdict)
{
    monitor_printf(mon, "This QEMU has no composed machine\n");
}
