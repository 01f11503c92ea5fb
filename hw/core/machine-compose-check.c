/*
 * Composed machine: the semantic checks, from a description to a plan
 *
 * compose_plan_new() runs when the description is set, before the
 * accelerator exists: after the QAPI visitor has checked the structure,
 * it looks at names, QOM types, references, priorities of overlapping
 * regions, GPIO fan-in and I2C addresses, reports every problem with its
 * location and returns a ComposePlan.  It writes nothing outside the
 * plan and creates no object: what only an instance can tell (instance
 * properties, children, clock inputs) is checked by
 * compose_check_instance() on the objects the build creates, before any
 * of them is realized.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/units.h"
#include "qemu/accel.h"
#include "qapi/error.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "hw/loader.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-core.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "hw/core/machine-composer.h"
#include "machine-compose-plan.h"

/* --- QOM types --- */

static ObjectClass *check_type(ComposePlan *p, const char *type,
                               const char *base, const ComposeLoc *loc,
                               const char *what)
{
    ObjectClass *oc = module_object_class_by_name(type);
    bool cpu = g_str_equal(base, TYPE_CPU);
    g_autoptr(GPtrArray) names = NULL;
    g_autofree char *hint = NULL;
    GSList *list, *l;

    if (oc && object_class_dynamic_cast(oc, base) &&
        !object_class_is_abstract(oc)) {
        return oc;
    }
    if (oc) {
        compose_plan_error(p, loc, "%s: '%s' is %s", what, type,
                           object_class_is_abstract(oc) ? "an abstract type" :
                           cpu ? "not a CPU type" : "not a device type");
        return NULL;
    }
    names = g_ptr_array_new();
    list = object_class_get_list(base, false);
    for (l = list; l; l = l->next) {
        g_ptr_array_add(names, (gpointer)object_class_get_name(l->data));
    }
    hint = compose_did_you_mean(type, (const char *const *)names->pdata,
                                names->len);
    g_slist_free(list);
    compose_plan_error(p, loc, "%s: unknown %s type '%s'%s", what,
                       cpu ? "CPU" : "device", type, hint);
    return NULL;
}

/* --- entities --- */

static QListEntry *first_of(ComposePlan *p, const char *key)
{
    QList *l = qobject_to(QList, qdict_get(p->tree, key));

    return l ? QTAILQ_FIRST(&l->head) : NULL;
}

#define NEXT_NODE(le) ((le) ? QTAILQ_NEXT(le, next) : NULL)
#define NODE_OF(le) ((le) ? qobject_to(QDict, (le)->value) : NULL)

static bool add_cpus(ComposePlan *p, const ComposeEnv *env)
{
    ComposeCpusList *cpl;
    QListEntry *le = first_of(p, "cpus");
    unsigned i;
    bool ok = true;

    for (cpl = p->board->cpus, i = 0; cpl; cpl = cpl->next, i++,
         le = NEXT_NODE(le)) {
        ComposeCpus *c = cpl->value;
        QDict *node = NODE_OF(le);
        const char *base = c->name ? c->name : "cpu";
        uint32_t count = c->has_count ? c->count : 1;
        g_autofree char *what = g_strdup_printf("cpus[%u] '%s'", i, base);
        ComposeEntity *first = NULL;
        uint32_t n;

        g_ptr_array_add(p->cpu_groups, NULL);
        if (!count || count > COMPOSED_MACHINE_MAX_CPUS - p->ncpus) {
            compose_plan_error(p, compose_plan_loc(p, QOBJECT(node)),
                               "%s: count must be 1 to %u in total", what,
                               COMPOSED_MACHINE_MAX_CPUS);
            ok = false;
            continue;
        }
        p->ncpus += count;
        p->mixed_cpus |= !g_str_equal(c->type, p->board->cpus->value->type);
        for (n = 0; n < count; n++) {
            g_autofree char *name = g_strdup_printf("%s%u", base, n);
            ComposeEntity *e = compose_plan_add(p, COMPOSE_ENTITY_CPU, name,
                                                node, c, i, what,
                                                env->machine);

            first = first ? first : e;
            ok &= !!e;
        }
        p->cpu_groups->pdata[i] = first;
        if (!check_type(p, c->type, TYPE_CPU,
                        compose_plan_member_loc(p, node, "type"), what)) {
            ok = false;
        }
        if (c->props && qobject_type(c->props) != QTYPE_QDICT) {
            compose_plan_error(p, compose_plan_loc(p, c->props),
                               "%s: properties must be a mapping", what);
            ok = false;
        }
        if (c->has_per_cpu) {
            unsigned k = 0;
            anyList *al;

            for (al = c->per_cpu; al; al = al->next, k++) {
                if (qobject_type(al->value) != QTYPE_QDICT) {
                    compose_plan_error(p, compose_plan_loc(p, al->value),
                                       "%s: per-cpu: properties must be a "
                                       "mapping", what);
                    ok = false;
                }
            }
            if (k > count) {
                compose_plan_error(p, compose_plan_member_loc(p, node,
                                                              "per-cpu"),
                                   "%s: per-cpu has more entries than CPUs",
                                   what);
                ok = false;
            }
        }
        if (c->has_start_powered_off) {
            unsigned k = 0;
            boolList *bl;

            for (bl = c->start_powered_off; bl; bl = bl->next) {
                k++;
            }
            if (k > count) {
                compose_plan_error(p, compose_plan_member_loc(p, node,
                                       "start-powered-off"),
                                   "%s: start-powered-off has more entries "
                                   "than CPUs", what);
                ok = false;
            }
        }
    }
    return ok;
}

/* Names first, so that references may point forward for messages */
static bool add_entities(ComposePlan *p, const ComposeEnv *env)
{
    ComposeBoard *b = p->board;
    ComposeClockList *cl;
    ComposeRegionList *rl;
    ComposeDeviceList *dl;
    QListEntry *le;
    unsigned i;
    bool ok = true;

    for (cl = b->clocks, i = 0, le = first_of(p, "clocks"); cl;
         cl = cl->next, i++, le = NEXT_NODE(le)) {
        g_autofree char *what = g_strdup_printf("clocks[%u] '%s'", i,
                                                cl->value->name);

        ok &= !!compose_plan_add(p, COMPOSE_ENTITY_CLOCK, cl->value->name,
                                 NODE_OF(le), cl->value, i, what,
                                 env->machine);
        if (cl->value->hz > UINT32_MAX) {
            compose_plan_error(p, compose_plan_member_loc(p, NODE_OF(le),
                                                          "hz"),
                               "%s: hz must be at most %u", what, UINT32_MAX);
            ok = false;
        }
    }
    ok &= add_cpus(p, env);
    for (rl = b->memory, i = 0, le = first_of(p, "memory"); rl;
         rl = rl->next, i++, le = NEXT_NODE(le)) {
        g_autofree char *what = g_strdup_printf("memory[%u] '%s'", i,
                                                rl->value->name);

        ok &= !!compose_plan_add(p, COMPOSE_ENTITY_REGION, rl->value->name,
                                 NODE_OF(le), rl->value, i, what, NULL);
    }
    for (dl = b->devices, i = 0, le = first_of(p, "devices"); dl;
         dl = dl->next, i++, le = NEXT_NODE(le)) {
        g_autofree char *what = g_strdup_printf("devices[%u] '%s'", i,
                                                dl->value->name);

        ok &= !!compose_plan_add(p, COMPOSE_ENTITY_DEVICE, dl->value->name,
                                 NODE_OF(le), dl->value, i, what,
                                 env->machine);
    }
    return ok;
}

/* --- devices --- */

static bool check_mmio(ComposePlan *p, ComposeEntity *e, ObjectClass *oc)
{
    ComposeDevice *d = e->decl;
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "mmio");
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    ComposeMmioList *ml;
    bool ok = true;

    if (d->mmio && !object_class_dynamic_cast(oc, TYPE_SYS_BUS_DEVICE)) {
        compose_plan_error(p, loc, "%s: '%s' is not a sysbus device and has "
                           "no MMIO regions", e->what, d->type);
        return false;
    }
    for (ml = d->mmio; ml; ml = ml->next) {
        unsigned n = ml->value->has_index ? ml->value->index : 0;

        if (!g_hash_table_add(seen, GUINT_TO_POINTER(n + 1))) {
            compose_plan_error(p, loc, "%s: MMIO region %u is mapped twice",
                               e->what, n);
            ok = false;
        }
    }
    return ok;
}

/* Clock sources: a declared clock or a device declared before */
static bool check_clock_sources(ComposePlan *p, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    QDict *cd = qobject_to(QDict, d->clocks);
    const QDictEntry *ce;
    bool ok = true;

    if (!d->clocks) {
        return true;
    }
    if (!cd) {
        compose_plan_error(p, compose_plan_loc(p, d->clocks), "%s: 'clocks' "
                           "must be a mapping from clock inputs to clocks",
                           e->what);
        return false;
    }
    for (ce = qdict_first(cd); ce; ce = qdict_next(cd, ce)) {
        const ComposeLoc *loc = compose_plan_loc(p, ce->value);
        QString *qs = qobject_to(QString, ce->value);
        const char *src = qs ? qstring_get_str(qs) : NULL;
        g_autofree char *dn = NULL;
        ComposeEntity *sd;

        if (!src) {
            compose_plan_error(p, loc, "%s: clock '%s': expected a clock "
                               "name or DEVICE.OUTPUT", e->what, ce->key);
            ok = false;
            continue;
        }
        if (!strchr(src, '.')) {
            ok &= !!compose_plan_find(p, src, COMPOSE_ENTITY_CLOCK, loc,
                                      e->what);
            continue;
        }
        dn = g_strndup(src, strchr(src, '.') - src);
        sd = compose_plan_find(p, dn, COMPOSE_ENTITY_DEVICE, loc, e->what);
        if (sd && sd->index >= e->index) {
            compose_plan_error(p, loc, "%s: clock source '%s' is declared "
                               "later", e->what, dn);
            ok = false;
        } else if (sd && (compose_is_container(sd->decl) ||
                          compose_uses_eeprom_helper(sd->decl))) {
            compose_plan_error(p, loc, "%s: clock source '%s' has no clock "
                               "outputs", e->what, dn);
            ok = false;
        }
        ok &= !!sd;
    }
    return ok;
}

/* A member that maps child paths to properties must be such a mapping */
static bool check_child_map(ComposePlan *p, ComposeEntity *e, QObject *map,
                            const char *key)
{
    QDict *cp = qobject_to(QDict, map);
    const QDictEntry *ce;

    if (!map) {
        return true;
    }
    if (!cp) {
        compose_plan_error(p, compose_plan_loc(p, map), "%s: '%s' must be a "
                           "mapping from child paths to properties", e->what,
                           key);
        return false;
    }
    for (ce = qdict_first(cp); ce; ce = qdict_next(cp, ce)) {
        if (qobject_type(ce->value) != QTYPE_QDICT) {
            compose_plan_error(p, compose_plan_loc(p, ce->value), "%s: %s "
                               "'%s': properties must be a mapping", e->what,
                               key, ce->key);
            return false;
        }
    }
    return true;
}

/* A device on a bus of another device: that one is declared before */
static bool check_bus(ComposePlan *p, ComposeEntity *e, GHashTable *i2c)
{
    ComposeDevice *d = e->decl;
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "bus");
    QDict *props = qobject_to(QDict, d->props);
    QString *a = props ? qobject_to(QString, qdict_get(props, "address"))
                       : NULL;
    bool ok = true;
    uint64_t addr;

    if (d->bus && d->bus[0] == '/') {
        /* "/machine/DEVICE/PATH" is "DEVICE/PATH" */
        const char *rel = g_str_has_prefix(d->bus, "/machine/") ?
                          d->bus + strlen("/machine/") : NULL;
        g_autofree char *dn = rel ? g_strndup(rel, strcspn(rel, "/")) : NULL;
        ComposeEntity *de = dn ? g_hash_table_lookup(p->by_name, dn) : NULL;
        g_autofree char *hint = de && strchr(rel, '/') &&
                                de->kind == COMPOSE_ENTITY_DEVICE ?
            g_strdup_printf(" (here: '%s')", rel) : g_strdup("");

        compose_plan_error(p, loc, "%s: bus '%s' is a QOM path: name a bus "
                           "as DEVICE/PATH, a bus of a device declared "
                           "before%s", e->what, d->bus, hint);
        ok = false;
    } else if (d->bus && strchr(d->bus, '/')) {
        /* the longest declared name it starts with: "soc/i2c/bus[3]" */
        const char *rest;
        ComposeEntity *parent = compose_plan_owner(p, d->bus, &rest);

        if (!parent) {
            g_autofree char *dn = g_strndup(d->bus,
                                            strchr(d->bus, '/') - d->bus);

            compose_plan_find(p, dn, COMPOSE_ENTITY_DEVICE, loc, e->what);
            ok = false;
        } else if (parent->index >= e->index) {
            compose_plan_error(p, loc, "%s: bus '%s' belongs to '%s', which "
                               "is declared later", e->what, d->bus,
                               parent->name);
            ok = false;
        }
    }
    if (d->bus && a && !qemu_strtou64(qstring_get_str(a), NULL, 0, &addr)) {
        g_autofree char *k = g_strdup_printf("%s@%" PRIu64, d->bus, addr);
        const ComposeLoc *aloc = compose_plan_loc(p, QOBJECT(a));
        const ComposeLoc *prev = g_hash_table_lookup(i2c, k);

        if (prev) {
            compose_plan_error(p, aloc, "%s: address 0x%" PRIx64 " on bus "
                               "'%s' is already used at %s:%u:%u", e->what,
                               addr, d->bus, prev->file, prev->line,
                               prev->col);
            ok = false;
        } else {
            g_hash_table_insert(i2c, g_steal_pointer(&k), (gpointer)aloc);
        }
    }
    return ok;
}

/* --- groups: devices named GROUP/NAME, containers --- */

/*
 * The QOM parent of @e (GROUP of "GROUP/NAME": a device or container,
 * declared before or after: a cpu-cluster is declared after the devices
 * that create its CPUs) and its child name, unique in that parent.
 * @qom_names: "GROUP/QOM-NAME" -> location.
 */
static bool check_parent(ComposePlan *p, ComposeEntity *e,
                         GHashTable *qom_names)
{
    ComposeDevice *d = e->decl;
    const char *slash = strrchr(e->name, '/');
    g_autofree char *group = slash ? g_strndup(e->name, slash - e->name)
                                   : NULL;
    g_autofree char *key = NULL;
    const ComposeLoc *prev;
    ComposeEntity *g = NULL;

    e->qom_name = d->qom_name ? d->qom_name : slash ? slash + 1 : e->name;
    if (d->qom_name && (!*d->qom_name || strchr(d->qom_name, '/'))) {
        compose_plan_error(p, compose_plan_member_loc(p, e->node, "qom-name"),
                           "%s: invalid qom-name '%s'", e->what, d->qom_name);
        return false;
    }
    if (group) {
        g = g_hash_table_lookup(p->by_name, group);
        if (!g || g->kind != COMPOSE_ENTITY_DEVICE) {
            compose_plan_error(p, e->loc, "%s: no device or container named "
                               "'%s' to hold it", e->what, group);
            return false;
        }
        if (compose_uses_eeprom_helper(g->decl)) {
            compose_plan_error(p, e->loc, "%s: '%s' cannot hold devices",
                               e->what, group);
            return false;
        }
    }
    e->parent = g;
    key = g_strdup_printf("%s/%s", group ? group : "", e->qom_name);
    prev = g_hash_table_lookup(qom_names, key);
    if (prev) {
        compose_plan_error(p, e->loc, "%s: '%s' already has a child '%s' "
                           "(%s:%u:%u)", e->what, group ? group : "machine",
                           e->qom_name, prev->file, prev->line, prev->col);
        return false;
    }
    g_hash_table_insert(qom_names, g_steal_pointer(&key), (gpointer)e->loc);
    return true;
}

/*
 * A container groups devices: nothing of its own but the serials, NICs
 * and properties of the devices it groups
 */
static bool check_container(ComposePlan *p, ComposeEntity *e)
{
    static const char *const not_here[] = {
        "bus", "props", "clocks", "mmio", "contents", "irqs", "id",
    };
    bool ok = true;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(not_here); i++) {
        if (qdict_haskey(e->node, not_here[i])) {
            compose_plan_error(p, compose_plan_key_loc(p, e->node,
                                                       not_here[i]),
                               "%s: a container has no '%s' (it groups the "
                               "devices named %s/...)", e->what, not_here[i],
                               e->name);
            ok = false;
        }
    }
    ok &= check_child_map(p, e, ((ComposeDevice *)e->decl)->child_props,
                          "child-props");
    ok &= check_child_map(p, e, ((ComposeDevice *)e->decl)->reset_props,
                          "reset-props");
    return ok;
}

static bool check_device(ComposePlan *p, ComposeEntity *e, GHashTable *i2c)
{
    ComposeDevice *d = e->decl;
    ObjectClass *oc;
    bool ok = true;

    if (d->has_drop && d->drop) {
        compose_plan_error(p, compose_plan_member_loc(p, e->node, "drop"),
                           "%s: nothing named '%s' to drop", e->what,
                           d->name);
        return false;
    }
    if (!d->type) {
        compose_plan_error(p, e->loc, "%s: 'type' is missing", e->what);
        return false;
    }
    if (compose_is_container(d)) {
        return check_container(p, e);
    }
    oc = check_type(p, d->type, TYPE_DEVICE,
                    compose_plan_member_loc(p, e->node, "type"), e->what);
    if (!oc) {
        return false;
    }
    ok &= check_mmio(p, e, oc);
    if (d->props && qobject_type(d->props) != QTYPE_QDICT) {
        compose_plan_error(p, compose_plan_loc(p, d->props), "%s: properties "
                           "must be a mapping", e->what);
        ok = false;
    } else if (d->props) {
        QObject *r = compose_resolve_value(p, NULL, d->props, e->what);

        ok &= !!r;
        qobject_unref(r);
    }
    ok &= check_child_map(p, e, d->child_props, "child-props");
    ok &= check_child_map(p, e, d->reset_props, "reset-props");
    ok &= check_clock_sources(p, e);
    ok &= compose_check_contents(p, e);
    ok &= check_bus(p, e, i2c);
    ok &= compose_collect_wires(p, e, d->irqs);
    return ok;
}

/* --- wires, gates, boot --- */

static bool check_boot(ComposePlan *p)
{
    ComposeBoot *bt = p->board->boot;
    QDict *bn = qobject_to(QDict, qdict_get(p->tree, "boot"));
    QList *inodes;
    QListEntry *ie;
    ComposeImageList *il;
    bool ok = true;

    if (!bt || !bn) {
        return true;
    }
    inodes = qobject_to(QList, qdict_get(bn, "images"));
    ie = inodes ? QTAILQ_FIRST(&inodes->head) : NULL;
    if (bt->cpu) {
        p->boot_cpu = compose_plan_find(p, bt->cpu, COMPOSE_ENTITY_CPU,
                                        compose_plan_member_loc(p, bn, "cpu"),
                                        "boot");
        ok &= !!p->boot_cpu;
    }
    if (bt->kind == COMPOSE_BOOT_KIND_ARM && bt->u.arm.has_smp_mailbox &&
        (!bt->u.arm.has_secondary ||
         bt->u.arm.secondary != COMPOSE_SECONDARY_BOOT_ASPEED_SMP_MAILBOX)) {
        compose_plan_error(p, compose_plan_member_loc(p, bn, "smp-mailbox"),
                           "boot: 'smp-mailbox' is for secondary: "
                           "aspeed-smp-mailbox");
        ok = false;
    }
    for (il = bt->images; il; il = il->next, ie = NEXT_NODE(ie)) {
        if (get_image_size(il->value->file) < 0) {
            compose_plan_error(p, compose_plan_member_loc(p, NODE_OF(ie),
                                                          "file"),
                               "boot: cannot read image '%s'",
                               il->value->file);
            ok = false;
        }
    }
    return ok;
}

bool compose_plan_check_env(const ComposePlan *p, const ComposeEnv *env)
{
    ComposeBoot *bt = p->board->boot;

    if (env->kernel &&
        (!bt || bt->kind == COMPOSE_BOOT_KIND_NONE)) {
        compose_plan_error(p, compose_plan_loc(p, qdict_get(p->tree, "boot")),
                           "-kernel: this board description has no boot "
                           "protocol (boot.kind)");
        return false;
    }
    return true;
}

static bool check_machine_cpus(ComposePlan *p)
{
    ComposeMachine *m = p->board->machine;
    QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));

    p->machine_cpus = m && m->has_cpus ? m->cpus : p->ncpus;
    /* devices may make more CPUs (an armv7m): counted once built */
    if (m && m->has_cpus && m->cpus < p->ncpus) {
        compose_plan_error(p, compose_plan_member_loc(p, mn, "cpus"),
                           "machine.cpus is %u but 'cpus' declares %u",
                           m->cpus, p->ncpus);
        return false;
    }
    if (m && m->has_cpus && m->cpus > COMPOSED_MACHINE_MAX_CPUS) {
        compose_plan_error(p, compose_plan_member_loc(p, mn, "cpus"),
                           "machine.cpus must be at most %u",
                           COMPOSED_MACHINE_MAX_CPUS);
        return false;
    }
    return true;
}

void compose_plan_free(ComposePlan *p)
{
    if (!p) {
        return;
    }
    g_hash_table_destroy(p->by_name);
    g_ptr_array_free(p->entities, true);
    g_ptr_array_free(p->wires, true);
    g_ptr_array_free(p->gates, true);
    g_ptr_array_free(p->device_gates, true);
    g_ptr_array_free(p->cpu_groups, true);
    qapi_free_ComposeBoard(p->board);
    qobject_unref(p->tree);
    g_free(p);
}

static void entity_free(gpointer ptr)
{
    ComposeEntity *e = ptr;

    g_free(e->name);
    g_free(e->what);
    g_free(e);
}

ComposePlan *compose_plan_new(ComposeDoc *doc, QDict *tree,
                              const ComposeEnv *env)
{
    g_autoptr(ComposePlan) p = g_new0(ComposePlan, 1);
    g_autoptr(GHashTable) i2c = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                      g_free, NULL);
    g_autoptr(GHashTable) qom_names = g_hash_table_new_full(g_str_hash,
                                                            g_str_equal,
                                                            g_free, NULL);
    ComposeBoard *b;
    bool ok = true;
    guint i;

    p->doc = doc;
    p->tree = qobject_ref(tree);
    p->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->entities = g_ptr_array_new_with_free_func(entity_free);
    p->wires = g_ptr_array_new_with_free_func(compose_wire_free);
    p->gates = g_ptr_array_new_with_free_func(compose_gate_free);
    p->device_gates = g_ptr_array_new_with_free_func(compose_gate_free);
    p->cpu_groups = g_ptr_array_new();
    if (!compose_check_structure(doc, tree, &p->board)) {
        return NULL;
    }
    b = p->board;
    p->ram_size = env->ram_size ? env->ram_size :
        b->machine && b->machine->has_ram_size ? b->machine->ram_size : 0;

    ok &= add_entities(p, env);
    ok &= compose_check_memory(p);
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind == COMPOSE_ENTITY_DEVICE) {
            ok &= check_parent(p, e, qom_names) && check_device(p, e, i2c);
        }
    }
    ok &= compose_collect_cpu_wires(p);
    ok &= compose_check_wire_targets(p);
    ok &= compose_check_fan_in(p);
    ok &= compose_check_gates(p);
    ok &= check_boot(p);
    ok &= compose_plan_check_env(p, env);
    ok &= check_machine_cpus(p);
    return ok ? g_steal_pointer(&p) : NULL;
}

/* --- on instances, before realize --- */

static void suggest_property(const ComposePlan *p, Object *obj,
                             const char *prop, const ComposeLoc *loc,
                             const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *hint = NULL;
    ObjectPropertyIterator it;
    ObjectProperty *op;

    object_property_iter_init(&it, obj);
    while ((op = object_property_iter_next(&it))) {
        g_ptr_array_add(names, op->name);
    }
    hint = compose_did_you_mean(prop, (const char *const *)names->pdata,
                                names->len);
    compose_plan_error(p, loc, "%s: %s has no property '%s'%s", what,
                       object_get_typename(obj), prop, hint);
}

/* Are the keys of the property mapping @props properties of @obj? */
static bool check_props(const ComposePlan *p, Object *obj, QObject *props,
                        const char *what)
{
    QDict *d = qobject_to(QDict, props);
    const QDictEntry *e;
    bool ok = true;

    if (!d) {
        return true;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(p->doc, d);
    const QDictEntry **ep;

    for (ep = all; (e = *ep); ep++) {
        if (g_str_equal(e->key, "realized")) {
            /* realized early, a device has no bus yet: QEMU crashes */
            compose_plan_error(p, compose_plan_key_loc(p, d, e->key),
                               "%s: property 'realized': the machine "
                               "realizes its devices itself", what);
            ok = false;
            continue;
        }
        if (!object_property_find(obj, e->key)) {
            suggest_property(p, obj, e->key,
                             compose_plan_key_loc(p, d, e->key), what);
            ok = false;
        }
    }
    return ok;
}

/* child-props, reset-props: child paths ("." itself) to properties */
static bool check_child_props(const ComposePlan *p, Object *obj, QObject *map,
                              const char *what)
{
    QDict *cp = qobject_to(QDict, map);
    const QDictEntry *e;
    bool ok = true;

    if (!cp) {
        return true;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(p->doc, cp);
    const QDictEntry **ep;

    for (ep = all; (e = *ep); ep++) {
        Object *child = compose_child_or_self(obj, e->key);
        g_autofree char *w = g_strdup_printf("%s child '%s'", what, e->key);

        if (!child) {
            compose_plan_error(p, compose_plan_key_loc(p, cp, e->key),
                               "%s: %s has no child '%s'", what,
                               object_get_typename(obj), e->key);
            ok = false;
            continue;
        }
        ok &= check_props(p, child, e->value, w);
    }
    return ok;
}

static bool check_clock_inputs(const ComposePlan *p, const ComposeEntity *e,
                               DeviceState *dev)
{
    QDict *cd = qobject_to(QDict, ((ComposeDevice *)e->decl)->clocks);
    const QDictEntry *ce;
    bool ok = true;

    for (ce = cd ? qdict_first(cd) : NULL; ce; ce = qdict_next(cd, ce)) {
        NamedClockList *ncl, *found = NULL;

        QLIST_FOREACH(ncl, &dev->clocks, node) {
            if (!ncl->output && g_str_equal(ncl->name, ce->key)) {
                found = ncl;
            }
        }
        if (!found) {
            compose_plan_error(p, compose_plan_key_loc(p, cd, ce->key),
                               "%s: %s has no clock input '%s'", e->what,
                               object_get_typename(OBJECT(dev)), ce->key);
            ok = false;
        } else if (clock_has_source(found->clock)) {
            /* clock_set_source() asserts on a clock with a source */
            compose_plan_error(p, compose_plan_key_loc(p, cd, ce->key),
                               "%s: clock input '%s' of %s is connected "
                               "already", e->what, ce->key,
                               object_get_typename(OBJECT(dev)));
            ok = false;
        }
    }
    return ok;
}

/* nics: "." or child paths of network devices; nic-models name them */
static bool check_nics(const ComposePlan *p, const ComposeEntity *e,
                       Object *obj, const ComposeDevice *d)
{
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "nics");
    ComposeNicModelList *ml;
    strList *list;
    bool ok = true;

    for (list = d->nics; list; list = list->next) {
        Object *o = compose_child_or_self(obj, list->value);

        /* qemu_configure_nic_device() sets both, with &error_abort */
        if (!o || !object_dynamic_cast(o, TYPE_DEVICE) ||
            !object_property_find(o, "netdev") ||
            !object_property_find(o, "mac")) {
            compose_plan_error(p, loc, "%s: nics: '%s' is not a network "
                               "device of %s", e->what, list->value,
                               object_get_typename(obj));
            ok = false;
        }
    }
    for (ml = d->nic_models; ml; ml = ml->next) {
        for (list = d->nics; list; list = list->next) {
            if (g_str_equal(list->value, ml->value->nic)) {
                break;
            }
        }
        if (!list) {
            compose_plan_error(p, compose_plan_member_loc(p, e->node,
                                                          "nic-models"),
                               "%s: nic-models: '%s' is not in nics",
                               e->what, ml->value->nic);
            ok = false;
        }
    }
    return ok;
}

/* serials: "." or child paths of devices with a chardev */
static bool check_serials(const ComposePlan *p, const ComposeEntity *e,
                          Object *obj, strList *list)
{
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "serials");
    bool ok = true;

    for (; list; list = list->next) {
        Object *o = compose_child_or_self(obj, list->value);

        if (!o || !object_property_find(o, "chardev")) {
            compose_plan_error(p, loc, "%s: serials: '%s' is not a device of "
                               "%s with a 'chardev' property", e->what,
                               list->value, object_get_typename(obj));
            ok = false;
        }
    }
    return ok;
}

bool compose_check_instance(const ComposePlan *p, const ComposeEntity *e,
                            Object *obj)
{
    ComposeDevice *d = e->decl;
    bool ok = true;

    if (e->kind == COMPOSE_ENTITY_CPU) {
        ComposeCpus *c = e->decl;
        anyList *al;

        /*
         * Accelerator-only properties (vfp-d32 under TCG) exist now; in
         * check mode there is no accelerator: they are checked when the
         * machine is built
         */
        if (!current_accel()) {
            return true;
        }
        ok = check_props(p, obj, c->props, e->what);
        for (al = c->per_cpu; al; al = al->next) {
            ok &= check_props(p, obj, al->value, e->what);
        }
        return ok;
    }
    if (compose_is_container(d)) {
        /* its children exist: the devices it groups */
        ok &= check_child_props(p, obj, d->child_props, e->what);
        ok &= check_nics(p, e, obj, d);
        ok &= check_serials(p, e, obj, d->serials);
        return ok && check_child_props(p, obj, d->reset_props, e->what);
    }
    ok &= check_props(p, obj, d->props, e->what);
    ok &= check_child_props(p, obj, d->child_props, e->what);
    ok &= check_clock_inputs(p, e, DEVICE(obj));
    ok &= check_nics(p, e, obj, d);
    ok &= check_serials(p, e, obj, d->serials);
    ok &= check_child_props(p, obj, d->reset_props, e->what);
    return ok;
}
