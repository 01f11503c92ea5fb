/*
 * Composed machine: QMP query-composition and HMP info composition
 *
 * What a composed machine was built from: the effective description
 * (after includes, overrides, parameters and conditions) with the
 * location every value was written at.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/qapi-commands-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "hw/boards.h"
#include "hw/core/machine-composer.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"

static char *loc_str(const ComposeLoc *loc)
{
    return loc ? g_strdup_printf("%s:%u:%u", loc->file, loc->line, loc->col)
               : NULL;
}

/* @o with every scalar turned into {"value": TEXT, "at": "FILE:L:C"} */
static QObject *located(ComposeDoc *doc, QObject *o)
{
    switch (qobject_type(o)) {
    case QTYPE_QDICT: {
        QDict *src = qobject_to(QDict, o);
        QDict *d = qdict_new();
        const QDictEntry *e;

        for (e = qdict_first(src); e; e = qdict_next(src, e)) {
            qdict_put_obj(d, e->key, located(doc, e->value));
        }
        return QOBJECT(d);
    }
    case QTYPE_QLIST: {
        QList *l = qlist_new();
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, o)->head, next) {
            qlist_append_obj(l, located(doc, e->value));
        }
        return QOBJECT(l);
    }
    case QTYPE_QSTRING: {
        QDict *d = qdict_new();
        g_autofree char *at = loc_str(compose_doc_loc(doc, o));

        qdict_put_str(d, "value", qstring_get_str(qobject_to(QString, o)));
        if (at) {
            qdict_put_str(d, "at", at);
        }
        return QOBJECT(d);
    }
    default:
        return qobject_ref(o);
    }
}

static ComposedMachineState *composed_machine_current(void)
{
    ComposedMachineState *s = current_machine ?
        (ComposedMachineState *)object_dynamic_cast(OBJECT(current_machine),
                                                    TYPE_COMPOSED_MACHINE) :
        NULL;

    return s && s->effective ? s : NULL;
}

CompositionInfo *qmp_query_composition(Error **errp)
{
    ComposedMachineState *s = composed_machine_current();
    CompositionInfo *info = g_new0(CompositionInfo, 1);

    info->composed = s != NULL;
    if (s) {
        info->desc = g_strdup(s->desc);
        info->board = located(s->doc, QOBJECT(s->effective));
    }
    return info;
}

static void print_scalar(GString *out, ComposeDoc *doc, QObject *o)
{
    g_autofree char *at = NULL;

    if (qobject_type(o) == QTYPE_QNULL) {
        g_string_append(out, " null\n");
        return;
    }
    at = loc_str(compose_doc_loc(doc, o));
    g_string_append_printf(out, " %s", qstring_get_str(qobject_to(QString,
                                                                   o)));
    if (at) {
        g_string_append_printf(out, "  # %s", at);
    }
    g_string_append_c(out, '\n');
}

/* YAML-like, keys in the order written, each value with its location */
static void print_node(GString *out, ComposeDoc *doc, QObject *o, int indent,
                       bool in_list)
{
    if (qobject_type(o) == QTYPE_QDICT) {
        QDict *d = qobject_to(QDict, o);
        g_autofree const char **keys = compose_doc_keys(doc, d);
        size_t i;

        for (i = 0; keys[i]; i++) {
            QObject *v = qdict_get(d, keys[i]);
            int pad = in_list && i == 0 ? indent - 2 : indent;

            g_string_append_printf(out, "%*s%s%s:", pad, "",
                                   in_list && i == 0 ? "- " : "", keys[i]);
            if (qobject_type(v) == QTYPE_QDICT ||
                qobject_type(v) == QTYPE_QLIST) {
                g_string_append_c(out, '\n');
                print_node(out, doc, v, indent + 2, false);
            } else {
                print_scalar(out, doc, v);
            }
        }
    } else if (qobject_type(o) == QTYPE_QLIST) {
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, o)->head, next) {
            if (qobject_type(e->value) == QTYPE_QDICT &&
                qdict_size(qobject_to(QDict, e->value))) {
                print_node(out, doc, e->value, indent + 2, true);
            } else if (qobject_type(e->value) == QTYPE_QLIST) {
                g_string_append_printf(out, "%*s-\n", indent, "");
                print_node(out, doc, e->value, indent + 2, false);
            } else {
                g_string_append_printf(out, "%*s-", indent, "");
                print_scalar(out, doc, e->value);
            }
        }
    }
}

void hmp_info_composition(Monitor *mon, const QDict *qdict)
{
    ComposedMachineState *s = composed_machine_current();
    g_autoptr(GString) out = g_string_new(NULL);

    if (!s) {
        monitor_printf(mon, "This machine was not composed from a board "
                       "description\n");
        return;
    }
    g_string_append_printf(out, "# %s\n", s->desc);
    print_node(out, s->doc, QOBJECT(s->effective), 0, false);
    monitor_puts(mon, out->str);
}
