/*
 * Composed machine: a board built from a description file
 *
 * "-M composed,desc=FILE" is one generic machine type whose CPUs, memory,
 * devices and wiring come from a YAML or JSON board description instead
 * of C.  The description is read, merged and checked when the desc
 * property is set (the CPU count and RAM size must be known before the
 * accelerator is created); the machine is built by mc->init.
 *
 * Without a description it is an empty machine, like "-M none", so that
 * generic tests which start every machine type work with it.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-machine-compose.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qapi/visitor.h"
#include "qobject/qdict.h"
#include "hw/boards.h"
#include "hw/core/machine-composer.h"
#include "monitor/hmp.h"
#include "monitor/monitor.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "exec/address-spaces.h"
#include "system/block-backend.h"
#include "system/blockdev.h"
#include "system/reset.h"
#include "system/system.h"

/* --- boot protocols and CPU release --- */

static ComposeBootFn boot_fns[COMPOSE_BOOT_KIND__MAX];

void composed_machine_register_boot(ComposeBootKind kind, ComposeBootFn fn)
{
    boot_fns[kind] = fn;
}

bool composed_machine_boot(ComposedMachineState *s, const ComposeBoot *boot,
                           CPUState *primary, Error **errp)
{
    ComposeBootKind kind = boot->has_kind ? boot->kind : COMPOSE_BOOT_KIND_NONE;

    if (!boot_fns[kind]) {
        error_setg(errp, "boot kind '%s' is not available for this target",
                   ComposeBootKind_str(kind));
        return false;
    }
    return boot_fns[kind](s, boot, primary, errp);
}

static ComposeCpuReleaseFn cpu_release_fn;

void composed_machine_register_cpu_release(ComposeCpuReleaseFn fn)
{
    cpu_release_fn = fn;
}

static void release_cpu_work(CPUState *cpu, run_on_cpu_data data)
{
    cpu_reset(cpu);
    cpu->halted = 0;
}

void composed_machine_release_cpu(CPUState *cpu)
{
    if (cpu_release_fn) {
        cpu_release_fn(cpu);
    } else {
        async_run_on_cpu(cpu, release_cpu_work, RUN_ON_CPU_NULL);
    }
}

/* --- loading the description --- */

/* The -drive if=@iface,index=@index, if any; NULL for unknown @iface */
const char *composed_machine_drive(const char *iface, int bus, int unit,
                                   bool *known)
{
    static const struct {
        const char *name;
        BlockInterfaceType type;
    } ifs[] = {
        { "ide", IF_IDE }, { "scsi", IF_SCSI }, { "floppy", IF_FLOPPY },
        { "pflash", IF_PFLASH }, { "mtd", IF_MTD }, { "sd", IF_SD },
        { "virtio", IF_VIRTIO }, { "none", IF_NONE },
    };
    DriveInfo *dinfo;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ifs); i++) {
        if (g_str_equal(ifs[i].name, iface)) {
            *known = true;
            dinfo = drive_get(ifs[i].type, bus, unit);
            return dinfo ? blk_name(blk_by_legacy_dinfo(dinfo)) : NULL;
        }
    }
    *known = false;
    return NULL;
}

static bool drive_present(const char *iface, int index)
{
    bool known;

    return composed_machine_drive(iface, 0, index, &known) != NULL;
}

/* Directories searched for included descriptions */
static char **search_path(void)
{
    g_autoptr(GPtrArray) dirs = g_ptr_array_new();
    const char *env = g_getenv("QEMU_COMPOSER_PATH");
    g_autofree char *datadir = NULL;
    g_auto(GStrv) parts = NULL;
    size_t i;

    if (env) {
        parts = g_strsplit(env, G_SEARCHPATH_SEPARATOR_S, 0);
        for (i = 0; parts[i]; i++) {
            if (*parts[i]) {
                g_ptr_array_add(dirs, g_strdup(parts[i]));
            }
        }
    }
    /* QEMU's data directory (relocated for a build tree) */
    datadir = get_relocated_path(CONFIG_QEMU_DATADIR);
    g_ptr_array_add(dirs, g_build_filename(datadir, "machines", NULL));
    g_ptr_array_add(dirs, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&dirs), false);
}

static void composed_machine_unload(ComposedMachineState *s)
{
    qapi_free_ComposeBoard(s->board);
    s->board = NULL;
    qobject_unref(s->effective);
    s->effective = NULL;
    g_clear_pointer(&s->entities, g_hash_table_destroy);
    g_clear_pointer(&s->doc, compose_doc_free);
}

/*
 * Read, merge and check the description; set the CPU count and the
 * default RAM size from it.  Every problem found is printed as
 * FILE:LINE:COL: message, and @errp says how many there were.
 */
static bool composed_machine_load(ComposedMachineState *s, bool final,
                                  Error **errp)
{
    MachineState *ms = MACHINE(s);
    g_auto(GStrv) search = search_path();
    ComposeFacts facts = {
        .kernel = ms->kernel_filename != NULL,
        .defaults = defaults_enabled(),
        .drive_present = drive_present,
    };
    bool ok;

    if (final) {
        /* RAM and CPUs exist already: only the conditions may differ */
        ComposeDoc *doc = compose_doc_new();
        QDict *eff = compose_load(doc, s->desc, s->params, &facts,
                                  (const char *const *)search);

        if (eff && s->effective &&
            qobject_is_equal(QOBJECT(eff), QOBJECT(s->effective))) {
            /* the same description as checked: only check the facts */
            qobject_unref(eff);
            compose_doc_free(doc);
            return compose_check_facts(s);
        }
        composed_machine_unload(s);
        s->doc = doc;
        s->effective = eff;
        if (!s->effective || !compose_check(s)) {
            error_setg(errp, "%s: %u problem%s in the board description",
                       s->desc, compose_doc_error_count(s->doc),
                       compose_doc_error_count(s->doc) == 1 ? "" : "s");
            return false;
        }
        return true;
    }
    composed_machine_unload(s);
    /* Loaded again (param set after desc): forget what the last load set */
    if (s->ram_from_desc) {
        ms->ram_size = ms->maxram_size = 0;
        s->ram_from_desc = false;
    }
    if (s->smp_from_desc) {
        ms->smp.cpus = ms->smp.max_cpus = 1;
        s->smp_from_desc = false;
    }
    s->doc = compose_doc_new();
    s->effective = compose_load(s->doc, s->desc, s->params, &facts,
                                (const char *const *)search);
    ok = s->effective && compose_check(s);
    if (!ok) {
        g_autofree char *all = compose_doc_errors_string(s->doc);

        error_printf("%s", all);
        error_setg(errp, "%s: %u problem%s in the board description",
                   s->desc, compose_doc_error_count(s->doc),
                   compose_doc_error_count(s->doc) == 1 ? "" : "s");
        return false;
    }

    if (!s->ncpus) {
        /*
         * CPUs, if any, come from devices (an SoC) and their number is
         * unknown until they exist; TCG sizes itself by max_cpus now,
         * so leave room for any number.
         */
        ms->smp.max_cpus = COMPOSED_MACHINE_MAX_CPUS;
        s->smp_from_desc = true;
    } else {
        if (ms->smp.cpus != 1 && ms->smp.cpus != s->ncpus) {
            error_setg(errp, "-smp %u: the board description has %u CPUs",
                       ms->smp.cpus, s->ncpus);
            return false;
        }
        if (ms->smp.cpus != s->ncpus) {
            ms->smp.cpus = ms->smp.max_cpus = s->ncpus;
            s->smp_from_desc = true;
        }
    }
    return true;
}

static char *composed_get_desc(Object *obj, Error **errp)
{
    return g_strdup(COMPOSED_MACHINE(obj)->desc);
}

static void composed_set_desc(Object *obj, const char *value, Error **errp)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);

    if (phase_check(PHASE_MACHINE_CREATED)) {
        error_setg(errp, "desc can only be set when the machine is created");
        return;
    }
    g_free(s->desc);
    s->desc = g_strdup(value);
    composed_machine_load(s, false, errp);
}

/*
 * param.NAME=VALUE: QEMU's keyval parser hands them over as one nested
 * mapping.  Machine properties are applied in hash order, not command
 * line order; "param" happens to come before "desc", but a description
 * already loaded is loaded again so the order does not matter.
 */
static void composed_set_param(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);
    QObject *val = NULL;
    QDict *d;
    const QDictEntry *e;

    if (phase_check(PHASE_MACHINE_CREATED)) {
        error_setg(errp, "param can only be set when the machine is created");
        return;
    }
    if (!visit_type_any(v, name, &val, errp)) {
        return;
    }
    d = qobject_to(QDict, val);
    if (!d) {
        error_setg(errp, "use param.NAME=VALUE");
        qobject_unref(val);
        return;
    }
    if (!s->params) {
        s->params = qdict_new();
    }
    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        qdict_put_obj(s->params, e->key, qobject_ref(e->value));
    }
    qobject_unref(val);
    if (s->desc) {
        composed_machine_load(s, false, errp);
    }
}

/* --- introspection: query-composition, info composition --- */

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

/* --- the machine --- */

static void composed_machine_init(MachineState *ms)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);

    if (!s->board) {
        /* No description: an empty machine with RAM at 0 if -m given */
        if (ms->ram) {
            memory_region_add_subregion(get_system_memory(), 0, ms->ram);
        }
        if (ms->kernel_filename) {
            error_report("composed: -kernel needs a board description "
                         "(-M composed,desc=FILE)");
            exit(1);
        }
        return;
    }

    /*
     * Like vl.c does for boards with auto_create_sdcard (a class flag,
     * evaluated before the description is known): an SD drive without
     * medium for the card slot.
     */
    if (s->board->machine && s->board->machine->has_default_sdcard &&
        s->board->machine->default_sdcard && defaults_enabled() &&
        !drive_get_by_index(IF_SD, 0)) {
        DriveInfo *dinfo = drive_new(drive_add(IF_SD, 0, NULL, ""), IF_SD,
                                     &error_fatal);

        dinfo->is_default = true;
    }

    /*
     * Conditions on -kernel and on drives are only known now: -drive
     * options are processed after the machine properties.
     */
    if (!composed_machine_load(s, true, NULL) || !compose_build(s)) {
        g_autofree char *all = compose_doc_errors_string(s->doc);

        error_printf("%s", all);
        error_report("%s: the machine could not be built", s->desc);
        exit(1);
    }
}

static void composed_machine_reset(MachineState *ms, ResetType type)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);

    qemu_devices_reset(type);
    if (s->board) {
        compose_reset(s);
    }
}

static void composed_machine_finalize(Object *obj)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);

    composed_machine_unload(s);
    qobject_unref(s->params);
    g_free(s->desc);
    if (s->cpus) {
        g_ptr_array_free(s->cpus, true);
    }
    if (s->buffers) {
        g_ptr_array_free(s->buffers, true);
    }
}

static void composed_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "Machine built from a board description (desc=FILE)";
    mc->init = composed_machine_init;
    mc->reset = composed_machine_reset;
    mc->max_cpus = COMPOSED_MACHINE_MAX_CPUS;
    /* RAM size and CPU count come from the description; none without it */
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram";
    mc->no_parallel = 1;
    mc->no_floppy = 1;
    mc->no_cdrom = 1;

    object_class_property_add_str(oc, "desc", composed_get_desc,
                                  composed_set_desc);
    object_class_property_set_description(oc, "desc",
        "Board description file (YAML or JSON)");
    object_class_property_add(oc, "param", "ComposeParams", NULL,
                              composed_set_param, NULL, NULL);
    object_class_property_set_description(oc, "param",
        "Description parameters: param.NAME=VALUE");
}

static const TypeInfo composed_machine_info = {
    .name = TYPE_COMPOSED_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(ComposedMachineState),
    .instance_finalize = composed_machine_finalize,
    .class_init = composed_machine_class_init,
};

static void composed_machine_register_types(void)
{
    type_register_static(&composed_machine_info);
}

type_init(composed_machine_register_types)
