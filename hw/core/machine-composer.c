/*
 * Composed machine: a board built from a description file
 *
 * "-M composed,desc=FILE" is one generic machine type whose CPUs, memory,
 * devices and wiring come from a YAML or JSON board description instead
 * of C.  This file runs the stages (machine-compose-plan.h lists them):
 * the description is read, merged and checked into a plan when the desc
 * property is set, and the RAM size and CPU count of the plan are
 * applied then, since they must be known before the accelerator is
 * created; mc->init evaluates the conditions again with what is only
 * known then and builds the plan.
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
#include "qapi/qapi-visit-machine-compose.h"
#include "qapi/visitor.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/boards.h"
#include "hw/core/machine-composer.h"
#include "hw/core/machine-compose-migration.h"
#include "exec/address-spaces.h"
#include "system/block-backend.h"
#include "system/blockdev.h"
#include "system/reset.h"
#include "system/system.h"
#include "machine-compose-plan.h"

/* --- loading the description --- */

static bool drive_present(const char *iface, int index)
{
    bool known;

    return compose_drive_name(iface, 0, index, &known) != NULL;
}

/* Directories searched for included descriptions */
char **composed_machine_search_path(void)
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

/* Forget the evaluation: the merged description stays */
static void composed_machine_unload(ComposedMachineState *s)
{
    g_clear_pointer(&s->plan, compose_plan_free);
    qobject_unref(s->effective);
    s->effective = NULL;
}

/* Forget the description */
static void composed_machine_forget(ComposedMachineState *s)
{
    composed_machine_unload(s);
    qobject_unref(s->merged);
    s->merged = NULL;
    g_clear_pointer(&s->doc, compose_doc_free);
}

/* What the check may know of the command line */
static void composed_machine_env(ComposedMachineState *s, ComposeEnv *env)
{
    MachineState *ms = MACHINE(s);

    env->ram_size = s->ram_from_desc ? 0 : ms->ram_size;
    env->kernel = ms->kernel_filename != NULL;
    env->machine = OBJECT(s);
}

/*
 * The description with parameters and conditions evaluated now.  It is
 * read and merged once: that does not depend on parameters or facts.
 * The last evaluation (@last, at init) uses the merged tree up instead
 * of a copy of it: every copy lives as long as the document.
 */
static QDict *composed_machine_effective(ComposedMachineState *s, bool last)
{
    QDict *eff;
    ComposeFacts facts = {
        .kernel = MACHINE(s)->kernel_filename != NULL,
        .defaults = defaults_enabled(),
        .ram_size = MACHINE(s)->ram_size,
        .drive_present = drive_present,
    };

    if (!s->merged) {
        g_auto(GStrv) search = composed_machine_search_path();

        s->merged = compose_load_merged(s->doc, s->desc,
                                        (const char *const *)search);
        if (!s->merged) {
            return NULL;
        }
    }
    eff = compose_load_evaluate(s->doc, s->merged, s->params, &facts,
                                !last);
    if (last) {
        qobject_unref(s->merged);
        s->merged = NULL;
    }
    return eff;
}

/* Print every problem; @errp says how many there were */
static void composed_machine_report(ComposedMachineState *s, Error **errp)
{
    g_autofree char *all = compose_doc_errors_string(s->doc);
    unsigned n = compose_doc_error_count(s->doc);

    error_printf("%s", all);
    error_setg(errp, "%s: %u problem%s in the board description", s->desc,
               n, n == 1 ? "" : "s");
}

/* The RAM size and CPU count of the plan, before the accelerator */
static bool composed_machine_apply(ComposedMachineState *s)
{
    MachineState *ms = MACHINE(s);
    ComposePlan *p = s->plan;

    if (!ms->ram_size && p->ram_size) {
        ms->ram_size = ms->maxram_size = p->ram_size;
        s->ram_from_desc = true;
    }
    if (!p->machine_cpus) {
        /*
         * CPUs, if any, come from devices (an SoC) and their number is
         * unknown until they exist; TCG sizes itself by max_cpus now,
         * so leave room for any number.
         */
        ms->smp.max_cpus = COMPOSED_MACHINE_MAX_CPUS;
        s->smp_from_desc = true;
        return true;
    }
    if (ms->smp.cpus != 1 && ms->smp.cpus != p->machine_cpus) {
        QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));

        compose_plan_error(p, mn && qdict_haskey(mn, "cpus") ?
                           compose_plan_member_loc(p, mn, "cpus") :
                           compose_plan_key_loc(p, p->tree, "cpus"),
                           "-smp %u: the board description has %u CPUs",
                           ms->smp.cpus, p->machine_cpus);
        return false;
    }
    if (ms->smp.cpus != p->machine_cpus) {
        ms->smp.cpus = ms->smp.max_cpus = p->machine_cpus;
        s->smp_from_desc = true;
    }
    return true;
}

/*
 * Read, merge and check the description; apply the RAM size and the CPU
 * count of its plan.  Every problem found is printed as
 * FILE:LINE:COL: message, and @errp says how many there were.
 */
static bool composed_machine_load(ComposedMachineState *s, Error **errp)
{
    MachineState *ms = MACHINE(s);
    ComposeEnv env;

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
    if (!s->doc) {
        s->doc = compose_doc_new();
    }
    s->effective = composed_machine_effective(s, false);
    composed_machine_env(s, &env);
    s->plan = s->effective ? compose_plan_new(s->doc, s->effective, &env)
                           : NULL;
    if (!s->plan || !composed_machine_apply(s)) {
        composed_machine_report(s, errp);
        return false;
    }
    return true;
}

/*
 * The CPU count was fixed before the accelerator was created, when the
 * machine's default SD card drive did not exist yet: a CPU group whose
 * condition is true only now cannot be built.
 */
static bool cpus_unchanged(ComposePlan *old, ComposePlan *p)
{
    guint i;

    if (old->machine_cpus == p->machine_cpus) {
        return true;
    }
    for (i = 0; i < p->cpu_groups->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->cpu_groups, i);
        ComposeCpus *c = e->decl;
        const char *name = c->name ? c->name : "cpu";
        g_autofree char *first = g_strdup_printf("%s0", name);

        if (!g_hash_table_contains(old->by_name, first)) {
            compose_plan_error(p, compose_plan_loc(p, QOBJECT(e->node)),
                               "cpus[%u] '%s': this CPU group exists only at "
                               "machine init, after the CPU count (%u) was "
                               "fixed: CPUs cannot depend on -drive options",
                               i, name, old->machine_cpus);
            return false;
        }
    }
    compose_plan_error(p, compose_plan_key_loc(p, p->tree, "cpus"),
                       "cpus: %u CPUs at machine init, but %u when the CPU "
                       "count was fixed: CPUs cannot depend on -drive "
                       "options", p->machine_cpus, old->machine_cpus);
    return false;
}

/*
 * At machine init: conditions on -kernel and on drives may differ from
 * when the description was loaded (the default SD card drive is created
 * now); the plan is made again if the description changed.
 */
static bool composed_machine_recheck(ComposedMachineState *s)
{
    g_autoptr(ComposePlan) old = NULL;
    g_autoptr(QDict) eff = composed_machine_effective(s, true);
    ComposeEnv env;

    composed_machine_env(s, &env);
    if (!eff) {
        return false;
    }
    if (qobject_is_equal(QOBJECT(eff), QOBJECT(s->effective))) {
        return compose_plan_check_env(s->plan, &env);
    }
    old = g_steal_pointer(&s->plan);
    qobject_unref(s->effective);
    s->effective = g_steal_pointer(&eff);
    s->plan = compose_plan_new(s->doc, s->effective, &env);
    return s->plan && cpus_unchanged(old, s->plan);
}

/*
 * What init does before building: the default SD card drive, then the
 * description evaluated again with what is known only now.  False with
 * the problems in the document.
 */
static bool composed_machine_prepare(ComposedMachineState *s)
{
    ComposeMachine *m;

    /*
     * Like vl.c does for boards with auto_create_sdcard (a class flag,
     * evaluated before the description is known): an SD drive without
     * medium for the card slot.  drive_new() cannot fail for this
     * option string, as for vl.c's default drives.
     */
    m = s->plan->board->machine;
    if (m && m->has_default_sdcard && m->default_sdcard &&
        defaults_enabled() && !drive_get_by_index(IF_SD, 0)) {
        Error *err = NULL;
        DriveInfo *dinfo = drive_new(drive_add(IF_SD, 0, NULL, ""), IF_SD,
                                     &err);

        if (!dinfo) {
            QDict *mn = qobject_to(QDict, qdict_get(s->effective, "machine"));

            compose_plan_error(s->plan,
                               compose_plan_member_loc(s->plan, mn,
                                                       "default-sdcard"),
                               "machine.default-sdcard: %s",
                               error_get_pretty(err));
            error_free(err);
        } else {
            dinfo->is_default = true;
        }
    }
    return !compose_doc_error_count(s->doc) && composed_machine_recheck(s);
}

/*
 * check=on: everything init would do before building, and the checks
 * that need instances, then exit: 0 when the description is good, else
 * (through @errp, which is &error_fatal) 1 with every problem printed.
 * Machine properties are set in QDict order: "memory", "smp", "kernel"
 * and "param" come before "check" and "desc", so all the command line
 * facts are known here, and drives exist before any machine property
 * (vl.c: qemu_create_early_backends()).  tests/shell/check-mode.sh
 * checks that they are honoured.
 */
static void composed_machine_check_mode(ComposedMachineState *s,
                                        Error **errp)
{
    if (!s->check || !s->desc || !s->plan) {
        return;     /* no description yet, or its problems are reported */
    }
    if (!composed_machine_prepare(s) ||
        !compose_check_objects(s->plan, MACHINE(s))) {
        composed_machine_report(s, errp);
        return;
    }
    exit(0);
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
    composed_machine_forget(s);
    g_free(s->desc);
    s->desc = g_strdup(value);
    if (composed_machine_load(s, errp)) {
        composed_machine_check_mode(s, errp);
    }
}

static char *composed_get_diagram(Object *obj, Error **errp)
{
    return g_strdup(COMPOSED_MACHINE(obj)->diagram);
}

static void composed_set_diagram(Object *obj, const char *value,
                                 Error **errp)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);

    g_free(s->diagram);
    s->diagram = g_strdup(value);
}

static bool composed_get_check(Object *obj, Error **errp)
{
    return COMPOSED_MACHINE(obj)->check;
}

static void composed_set_check(Object *obj, bool value, Error **errp)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);

    if (phase_check(PHASE_MACHINE_CREATED)) {
        error_setg(errp, "check can only be set when the machine is created");
        return;
    }
    s->check = value;
    composed_machine_check_mode(s, errp);
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
    if (s->desc && composed_machine_load(s, errp)) {
        composed_machine_check_mode(s, errp);
    }
}

/* --- the machine --- */

/* diagram=FILE: like dumpdtb=FILE, write what was built and exit */
static void composed_machine_write_diagram(Notifier *n, void *data)
{
    ComposedMachineState *s = container_of(n, ComposedMachineState,
                                           diagram_done);
    g_autofree char *dot = compose_diagram_dot(MACHINE(s));
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents(s->diagram, dot, -1, &err)) {
        error_report("composed: diagram: %s", err->message);
        exit(1);
    }
    exit(0);
}

static void composed_machine_init(MachineState *ms)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);
    Error *migration_err = NULL;

    if (s->check) {
        /* a description would have ended QEMU in check mode already */
        error_report("composed: check=on needs a board description "
                     "(desc=FILE)");
        exit(1);
    }
    if (!s->plan) {
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

    if (composed_machine_prepare(s)) {
        s->built = compose_build(s->plan, ms);
    }
    if (!s->built) {
        Error *err = NULL;

        composed_machine_report(s, &err);
        error_report_err(err);
        exit(1);
    }
    if (!compose_migration_register(s, &migration_err)) {
        error_report_err(migration_err);
        exit(1);
    }
    if (s->diagram) {
        /* once -device devices exist too */
        s->diagram_done.notify = composed_machine_write_diagram;
        qemu_add_machine_init_done_notifier(&s->diagram_done);
    }
}

static void composed_machine_reset(MachineState *ms, ResetType type)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);
    unsigned before;

    qemu_devices_reset(type);
    if (!s->built) {
        return;
    }
    before = compose_doc_error_count(s->doc);
    if (!compose_build_reset(s->built)) {
        /*
         * Checked at build: only a device refusing a value now, or one
         * unplugged.  This reset's problems, once: the next reset
         * reports its own.
         */
        g_autofree char *msg = compose_doc_take_errors(s->doc, before);

        warn_report("composed machine reset: %s", g_strchomp(msg));
    }
}

static void composed_machine_finalize(Object *obj)
{
    ComposedMachineState *s = COMPOSED_MACHINE(obj);

    g_clear_pointer(&s->built, compose_built_free);
    composed_machine_forget(s);
    qobject_unref(s->params);
    g_free(s->desc);
    g_free(s->diagram);
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
    object_class_property_add_str(oc, "diagram", composed_get_diagram,
                                  composed_set_diagram);
    object_class_property_set_description(oc, "diagram",
        "Write the machine as built to this file (Graphviz DOT), then exit");
    object_class_property_add_bool(oc, "check", composed_get_check,
                                   composed_set_check);
    object_class_property_set_description(oc, "check",
        "Check the description with the command line's parameters, "
        "drives and -kernel, then exit: 0 if it is good, 1 if not");
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
