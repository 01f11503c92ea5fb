/*
 * Composed machine: building the machine a plan describes
 *
 * compose_build() runs from the machine's init and executes a checked
 * ComposePlan, in phases:
 *
 *   1. create: clocks, CPU objects (in clusters when their types
 *      differ), device objects (in their group: a container or
 *      device); then the checks that need instances, on them, before
 *      anything is realized
 *   2. regions: created, with their contents (before the CPUs, which
 *      may link to one)
 *   3. CPUs: properties, per-CPU properties, realize
 *   4. devices, in description order: properties, child properties,
 *      clocks, serials, NICs, bus, realize, MMIO mappings
 *   5. aliases of devices' regions; mappings of the machine RAM and of
 *      the regions, after the devices, as board code maps its regions
 *      after creating the SoC
 *   6. wires (with or/and gates for fan-in), reset-props, CPU gates
 *   7. boot
 *
 * What only exists once a device is realized (most MMIO regions and
 * GPIOs, clock outputs) is checked right before use with lookups that
 * cannot abort, and reported at its place in the description.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "qom/object_interfaces.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/clock.h"
#include "hw/loader.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "hw/cpu/cluster.h"
#include "hw/core/and-irq.h"
#include "hw/core/machine-composer.h"
#include "hw/or-irq.h"
#include "hw/i2c/i2c.h"
#include "hw/i2c/smbus_eeprom.h"
#include "hw/nvram/eeprom_at24c.h"
#include "system/block-backend.h"
#include "chardev/char.h"
#include "net/net.h"
#include "system/reset.h"
#include "system/system.h"
#include "machine-compose-plan.h"

/* --- boot protocols and CPU release, registered by target code --- */

static ComposeBootFn boot_fns[COMPOSE_BOOT_KIND__MAX];
static ComposeCpuSetupFn cpu_setup_fn;

void composed_machine_register_boot(ComposeBootKind kind, ComposeBootFn fn)
{
    boot_fns[kind] = fn;
}

void composed_machine_register_cpu_setup(ComposeCpuSetupFn fn)
{
    cpu_setup_fn = fn;
}

/* --- helpers --- */

#define PLAN(b) ((b)->plan)

static const ComposeLoc *member_loc(ComposeBuilt *b, const ComposeEntity *e,
                                    const char *key)
{
    return compose_plan_member_loc(PLAN(b), e->node, key);
}

bool compose_add_child(ComposeBuilt *b, Object *parent, const char *name,
                       Object *obj, const ComposeLoc *loc, const char *what)
{
    Error *err = NULL;

    object_property_try_add_child(parent, name, obj, &err);
    object_unref(obj);
    if (err) {
        compose_plan_error(PLAN(b), loc, "%s: %s", what,
                           error_get_pretty(err));
        error_free(err);
        return false;
    }
    return true;
}

/* Set each property of @props on @obj; report each failure at its key */
static bool set_props(ComposeBuilt *b, Object *obj, QObject *props,
                      const char *what)
{
    QDict *d = qobject_to(QDict, props);
    const QDictEntry *e;
    bool ok = true;

    if (!d) {
        return true;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(PLAN(b)->doc, d);
    const QDictEntry **ep;

    for (ep = all; (e = *ep); ep++) {
        QObject *val = compose_resolve_value(PLAN(b), b, e->value, what);
        g_autoptr(QDict) one = qdict_new();
        QString *sv = qobject_to(QString, e->value);
        const char *text = sv ? qstring_get_str(sv) : "";
        Error *err = NULL;

        if (!val) {
            ok = false;
            continue;
        }
        /* @serial.N, @drive.IF.N without that option: left unset */
        if ((g_str_has_prefix(text, "@serial.") ||
             g_str_has_prefix(text, "@drive.")) &&
            !*qstring_get_str(qobject_to(QString, val))) {
            qobject_unref(val);
            continue;
        }
        qdict_put_obj(one, e->key, val);
        object_set_properties_from_keyval(obj, one, false, &err);
        if (err) {
            compose_plan_error(PLAN(b),
                               compose_plan_key_loc(PLAN(b), d, e->key),
                               "%s: property '%s': %s", what, e->key,
                               error_get_pretty(err));
            error_free(err);
            ok = false;
        }
    }
    return ok;
}

/*
 * child-props, reset-props: child paths to properties.  The check found
 * every child; at a reset one may be gone (device_del).
 */
static bool set_child_props(ComposeBuilt *b, Object *obj, QObject *map,
                            const char *what)
{
    QDict *cp = qobject_to(QDict, map);
    const QDictEntry *ce;
    bool ok = true;

    if (!cp) {
        return true;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(PLAN(b)->doc,
                                                            cp);
    const QDictEntry **ep;

    for (ep = all; (ce = *ep); ep++) {
        Object *child = compose_child_or_self(obj, ce->key);
        g_autofree char *w = g_strdup_printf("%s child '%s'", what, ce->key);

        if (!child) {
            compose_plan_error(PLAN(b), compose_plan_key_loc(PLAN(b), cp,
                                                             ce->key),
                               "%s: %s has no child '%s' any more", what,
                               object_get_typename(obj), ce->key);
            ok = false;
            continue;
        }
        ok &= set_props(b, child, ce->value, w);
    }
    return ok;
}

/* --- phase 1: create --- */

static bool create_clocks(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    bool ok = true;
    guint i;

    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeClock *c = e->decl;

        if (e->kind != COMPOSE_ENTITY_CLOCK) {
            continue;
        }
        b->clks[i] = clock_new(OBJECT(b->ms), c->name);
        clock_set_hz(b->clks[i], c->hz);
    }
    return ok;
}

/* The CPUs of group @g as children of the machine, or of a cluster */
static bool create_cpu_group(ComposeBuilt *b, unsigned g)
{
    const ComposePlan *p = PLAN(b);
    ComposeEntity *first = g_ptr_array_index(p->cpu_groups, g);
    Object *parent = OBJECT(b->ms);
    guint i;

    if (p->mixed_cpus) {
        g_autofree char *cname = g_strdup_printf("cluster[%u]", g);
        DeviceState *cluster = qdev_new(TYPE_CPU_CLUSTER);

        qdev_prop_set_uint32(cluster, "cluster-id", g);
        if (!compose_add_child(b, parent, cname, OBJECT(cluster), first->loc,
                       first->what)) {
            return false;
        }
        parent = OBJECT(cluster);
    }
    for (i = first->index; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeCpus *c = e->decl;

        if (e->kind != COMPOSE_ENTITY_CPU || e->pos != g) {
            break;
        }
        b->objs[i] = object_new(c->type);
        if (!compose_add_child(b, parent, e->name, b->objs[i], e->loc,
                               e->what)) {
            b->objs[i] = NULL;
            return false;
        }
    }
    return true;
}

static bool create_objects(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    bool ok = create_clocks(b);
    guint i;

    for (i = 0; ok && i < p->cpu_groups->len; i++) {
        ok = create_cpu_group(b, i);
    }
    /* All devices first, so that links may point forward */
    for (i = 0; ok && i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind != COMPOSE_ENTITY_DEVICE ||
            compose_uses_eeprom_helper(e->decl)) {
            continue;           /* EEPROMs: created by build_eeprom() */
        }
        b->objs[i] = compose_is_container(e->decl) ?
                     object_new(TYPE_CONTAINER) :
                     OBJECT(qdev_new(((ComposeDevice *)e->decl)->type));
    }
    /* Then into their parents, which may be declared later */
    for (i = 0; ok && i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        Object *obj = b->objs[i];

        if (e->kind != COMPOSE_ENTITY_DEVICE || !obj) {
            continue;
        }
        /* checked: a parent is a declared device, not an EEPROM */
        if (!compose_add_child(b, e->parent ? b->objs[e->parent->index] :
                               OBJECT(b->ms), e->qom_name, obj, e->loc,
                               e->what)) {
            b->objs[i] = NULL;
            ok = false;
        }
    }
    if (!ok) {
        return false;
    }
    ok = compose_check_wire_parts(b);
    /* What needs an instance is checked now, before any realize */
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        bool group_head = e->kind == COMPOSE_ENTITY_CPU &&
            g_ptr_array_index(p->cpu_groups, e->pos) == e;

        if (b->objs[i] && (e->kind == COMPOSE_ENTITY_DEVICE || group_head)) {
            ok &= compose_check_instance(p, e, b->objs[i]);
        }
    }
    return ok;
}

/* --- phase 3: CPUs --- */

static bool realize_cpu_group(ComposeBuilt *b, unsigned g)
{
    const ComposePlan *p = PLAN(b);
    ComposeEntity *first = g_ptr_array_index(p->cpu_groups, g);
    ComposeCpus *c = first->decl;
    boolList *off = c->start_powered_off;
    anyList *per = c->per_cpu;
    Error *err = NULL;
    guint i, from = b->cpus->len;

    for (i = first->index; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind != COMPOSE_ENTITY_CPU || e->pos != g) {
            break;
        }
        if (!set_props(b, b->objs[i], c->props, e->what) ||
            (per && !set_props(b, b->objs[i], per->value, e->what))) {
            return false;
        }
        per = per ? per->next : NULL;
        if (cpu_setup_fn) {
            /* CPUs of earlier groups are in b->cpus already */
            cpu_setup_fn(CPU(b->objs[i]), b->cpus->len);
        }
        if (off || c->gate) {
            /* a gated CPU waits for its gate */
            if (!object_property_set_bool(b->objs[i], "start-powered-off",
                                          c->gate || off->value, &err)) {
                break;
            }
            off = off ? off->next : NULL;
        }
        g_ptr_array_add(b->cpus, CPU(b->objs[i]));
    }
    if (!err && p->mixed_cpus) {
        qdev_realize(DEVICE(OBJECT(b->cpus->pdata[from])->parent), NULL,
                     &err);
    }
    for (i = from; !err && i < b->cpus->len; i++) {
        qdev_realize(DEVICE(b->cpus->pdata[i]), NULL, &err);
    }
    if (err) {
        compose_plan_error(p, compose_plan_loc(p, QOBJECT(first->node)),
                           "cpus[%u]: %s", g, error_get_pretty(err));
        error_free(err);
        return false;
    }
    return true;
}

/* --- phase 4: devices --- */

/* How @bus is named in a description (DEVICE/PATH), NULL if it cannot */
static char *bus_spec(ComposeBuilt *b, BusState *bus)
{
    g_autofree char *path = bus->parent ?
        object_get_canonical_path(OBJECT(bus->parent)) : NULL;
    const char *rel = path && g_str_has_prefix(path, "/machine/") ?
                      path + strlen("/machine/") : NULL;
    g_autofree char *dn = rel ? g_strndup(rel, strcspn(rel, "/")) : NULL;
    ComposeEntity *e = dn ? g_hash_table_lookup(PLAN(b)->by_name, dn) : NULL;

    if (!e || e->kind != COMPOSE_ENTITY_DEVICE) {
        return NULL;
    }
    if (strchr(rel, '/') && bus->parent->num_child_bus == 1) {
        return g_strdup(rel);       /* a controller with one bus */
    }
    return g_strdup_printf("%s/%s", rel, bus->name);
}

static BusState *find_bus(ComposeBuilt *b, ComposeEntity *e,
                          const char *spec)
{
    const ComposeLoc *loc = member_loc(b, e, "bus");
    const char *slash = strchr(spec, '/');
    const char *rest;
    ComposeEntity *pe;
    Object *parent, *o;

    if (!slash) {
        /*
         * A bus name is global: two SoCs of one machine have buses of
         * the same name.  Refused, with the name to write instead.
         */
        g_autofree char *hint = NULL;

        o = object_resolve_path_type(spec, TYPE_BUS, NULL);
        hint = o ? bus_spec(b, BUS(o)) : NULL;
        compose_plan_error(PLAN(b), loc, "%s: bus '%s' is a bus name: name "
                           "a bus as DEVICE/PATH, a bus of a device declared "
                           "before%s%s%s", e->what, spec,
                           hint ? " (here: '" : "", hint ? hint : "",
                           hint ? "')" : "");
        return NULL;
    }
    /* checked: it starts with a device declared before */
    pe = compose_plan_owner(PLAN(b), spec, &rest);
    parent = b->objs[pe->index];
    o = rest ? object_resolve_path_at(parent, rest) : parent;
    if (o && object_dynamic_cast(o, TYPE_DEVICE) &&
        DEVICE(o)->num_child_bus == 1) {
        /* a device with one bus (a controller): that bus */
        o = OBJECT(QLIST_FIRST(&DEVICE(o)->child_bus));
    } else if ((!o || !object_dynamic_cast(o, TYPE_BUS)) && rest &&
               object_dynamic_cast(parent, TYPE_DEVICE)) {
        BusState *bus = qdev_get_child_bus(DEVICE(parent), rest);

        o = bus ? OBJECT(bus) : NULL;
    } else if (o && !object_dynamic_cast(o, TYPE_BUS)) {
        o = NULL;
    }
    if (!o) {
        compose_plan_error(PLAN(b), loc, "%s: no bus '%s'", e->what, spec);
        return NULL;
    }
    return BUS(o);
}

static bool build_eeprom(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    QDict *props = qobject_to(QDict, d->props);
    BusState *bus = find_bus(b, e, d->bus);
    uint64_t addr = 0, rom_size = 0;
    size_t len;
    uint8_t *buf;

    if (!bus) {
        return false;
    }
    if (!object_dynamic_cast(OBJECT(bus), TYPE_I2C_BUS)) {
        compose_plan_error(PLAN(b), member_loc(b, e, "bus"), "%s: %s cannot "
                           "go on bus '%s' (a %s)", e->what, d->type, d->bus,
                           object_get_typename(OBJECT(bus)));
        return false;
    }
    /* checked: a 7-bit address, and a rom-size for at24c-eeprom */
    qemu_strtou64(qdict_get_str(props, "address"), NULL, 0, &addr);
    buf = compose_contents_bytes(PLAN(b), e, COMPOSE_SMBUS_EEPROM_SIZE,
                                 &len);
    if (!buf) {
        return false;
    }
    /* the device keeps the buffer */
    g_ptr_array_add(b->buffers, buf);
    if (compose_is_smbus_eeprom(d)) {
        smbus_eeprom_init_one(I2C_BUS(bus), addr, buf);
        /* children are added at the head of the bus' list */
        b->objs[e->index] = OBJECT(QTAILQ_FIRST(&bus->children)->child);
        return true;
    }
    qemu_strtou64(qdict_get_str(props, "rom-size"), NULL, 0, &rom_size);
    b->objs[e->index] = OBJECT(at24c_eeprom_init_rom(I2C_BUS(bus), addr,
                                                     rom_size, buf, len));
    return true;
}

static bool connect_clocks(ComposeBuilt *b, ComposeEntity *e,
                           DeviceState *dev)
{
    const ComposePlan *p = PLAN(b);
    QDict *cd = qobject_to(QDict, ((ComposeDevice *)e->decl)->clocks);
    const QDictEntry *ce;
    bool ok = true;

    if (!cd) {
        return true;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(p->doc, cd);
    const QDictEntry **ep;

    for (ep = all; (ce = *ep); ep++) {
        const char *src = qstring_get_str(qobject_to(QString, ce->value));
        const char *dot = strchr(src, '.');
        g_autofree char *dn = dot ? g_strndup(src, dot - src)
                                  : g_strdup(src);
        ComposeEntity *se = g_hash_table_lookup(p->by_name, dn);
        Clock *clk = dot ? NULL : b->clks[se->index];
        NamedClockList *ncl;

        if (dot) {
            QLIST_FOREACH(ncl, &DEVICE(b->objs[se->index])->clocks, node) {
                if (ncl->output && g_str_equal(ncl->name, dot + 1)) {
                    clk = ncl->clock;
                }
            }
        }
        if (!clk) {
            compose_plan_error(p, compose_plan_loc(p, ce->value), "%s: '%s' "
                               "has no clock output '%s'", e->what, dn,
                               dot + 1);
            ok = false;
            continue;
        }
        qdev_connect_clock_in(dev, ce->key, clk);
    }
    return ok;
}

/* -serial options in order; a repeated entry was bound already */
static bool bind_serials(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    unsigned nser = 0;
    strList *sl;
    bool ok = true;

    for (sl = d->serials; sl; sl = sl->next) {
        Object *port = compose_child_or_self(b->objs[e->index], sl->value);
        Error *err = NULL;
        Chardev *chr;

        if (!g_hash_table_add(seen, sl->value)) {
            continue;
        }
        chr = serial_hd(nser++);
        if (chr &&
            !object_property_set_str(port, "chardev", chr->label, &err)) {
            compose_plan_error(PLAN(b), member_loc(b, e, "serials"),
                               "%s: serials: '%s': %s", e->what, sl->value,
                               error_get_pretty(err));
            error_free(err);
            ok = false;
        }
    }
    return ok;
}

/* The entry of @d's nic-models for its nics entry @nic, or NULL */
static ComposeNicModel *nic_model(ComposeDevice *d, const char *nic)
{
    ComposeNicModelList *ml;

    for (ml = d->nic_models; ml; ml = ml->next) {
        if (g_str_equal(ml->value->nic, nic)) {
            return ml->value;
        }
    }
    return NULL;
}

/*
 * The -nic options, as board code does: in order, except that an
 * option naming a model goes to the interface of that model or alias
 */
static bool bind_nics(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    strList *nl;

    for (nl = d->nics; nl; nl = nl->next) {
        Object *nic = compose_child_or_self(b->objs[e->index], nl->value);
        g_autofree char *netdev = object_property_get_str(nic, "netdev",
                                                          NULL);
        ComposeNicModel *m = nic_model(d, nl->value);

        if (netdev && *netdev) {
            /* qemu_configure_nic_device() would abort setting it again */
            compose_plan_error(PLAN(b), member_loc(b, e, "nics"),
                               "%s: nics: '%s' has a netdev already",
                               e->what, nl->value);
            return false;
        }
        /* an interface without an option: the next may have one (model=) */
        qemu_configure_nic_device(DEVICE(nic), !(m && m->model_only),
                                  m ? m->alias : NULL);
    }
    return true;
}

/* The bus @dev goes on (*@bus NULL: none); false after reporting */
static bool bus_of(ComposeBuilt *b, ComposeEntity *e, DeviceState *dev,
                   BusState **bus)
{
    ComposeDevice *d = e->decl;
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    *bus = NULL;
    if (!d->bus && !dc->bus_type) {
        return true;
    }
    if (!d->bus) {
        if (!object_dynamic_cast(OBJECT(dev), TYPE_SYS_BUS_DEVICE)) {
            compose_plan_error(PLAN(b), e->loc, "%s: %s needs a '%s' bus: "
                               "set 'bus'", e->what, d->type, dc->bus_type);
            return false;
        }
        *bus = sysbus_get_default();
        return true;
    }
    *bus = find_bus(b, e, d->bus);
    if (*bus && (!dc->bus_type ||
                 !object_dynamic_cast(OBJECT(*bus), dc->bus_type))) {
        compose_plan_error(PLAN(b), member_loc(b, e, "bus"), "%s: %s cannot "
                           "go on bus '%s' (a %s)", e->what, d->type, d->bus,
                           object_get_typename(OBJECT(*bus)));
        return false;
    }
    return *bus != NULL;
}

static bool map_mmio(ComposeBuilt *b, ComposeEntity *e, SysBusDevice *sbd)
{
    ComposeDevice *d = e->decl;
    QList *nodes = qobject_to(QList, qdict_get(e->node, "mmio"));
    QListEntry *le = nodes ? QTAILQ_FIRST(&nodes->head) : NULL;
    ComposeMmioList *ml;
    bool ok = true;

    for (ml = d->mmio; ml; ml = ml->next, le = le ? QTAILQ_NEXT(le, next)
                                                  : NULL) {
        ComposeMmio *m = ml->value;
        unsigned n = m->has_index ? m->index : 0;
        const ComposeLoc *loc = le ? compose_plan_loc(PLAN(b), le->value)
                                   : e->loc;
        g_autofree char *rn = g_strdup_printf("MMIO region %u", n);

        if (!sysbus_has_mmio(sbd, n)) {
            compose_plan_error(PLAN(b), loc, "%s: %s has no MMIO region %u",
                               e->what, d->type, n);
            ok = false;
        } else if (sysbus_mmio_get_region(sbd, n)->container) {
            compose_plan_error(PLAN(b), loc, "%s: %s maps its MMIO region %u "
                               "itself", e->what, d->type, n);
            ok = false;
        } else if (!m->container) {
            /* as board code does: "info qtree" shows the address */
            if (!compose_map_allowed(b, get_system_memory(),
                                     sysbus_mmio_get_region(sbd, n), rn,
                                     loc, e->what)) {
                ok = false;
            } else if (m->has_priority) {
                sysbus_mmio_map_overlap(sbd, n, m->addr, m->priority);
            } else {
                sysbus_mmio_map(sbd, n, m->addr);
            }
        } else {
            ok &= compose_map_region(b, m->container, m->addr,
                                     m->has_priority, m->priority,
                                     sysbus_mmio_get_region(sbd, n), rn, loc,
                                     e->what);
        }
    }
    return ok;
}

static int count_cpu(Object *obj, void *opaque)
{
    *(unsigned *)opaque += !!object_dynamic_cast(obj, TYPE_CPU);
    return 0;
}

/*
 * A cpu-cluster collects the CPUs below it when it is realized, and QEMU
 * asserts that there is one: say where they must be declared instead
 */
static bool cluster_has_cpus(ComposeBuilt *b, ComposeEntity *e,
                             DeviceState *dev)
{
    unsigned n = 0;

    if (!object_dynamic_cast(OBJECT(dev), TYPE_CPU_CLUSTER)) {
        return true;
    }
    object_child_foreach_recursive(OBJECT(dev), count_cpu, &n);
    if (!n) {
        compose_plan_error(PLAN(b), e->loc, "%s: the cluster holds no CPU "
                           "yet: declare it after the devices that create "
                           "its CPUs, named %s/NAME", e->what, e->name);
        return false;
    }
    return true;
}

static bool build_device(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    DeviceState *dev;
    BusState *bus;
    Error *err = NULL;
    bool ok = true;

    if (compose_uses_eeprom_helper(d)) {
        return build_eeprom(b, e);
    }
    if (compose_is_container(d)) {
        /* for the devices it groups, not realized yet */
        ok &= set_child_props(b, b->objs[e->index], d->child_props, e->what);
        ok &= bind_serials(b, e);
        return ok && bind_nics(b, e);
    }
    dev = DEVICE(b->objs[e->index]);
    if (d->id) {
        /* freed with the device, as -device's */
        dev->id = g_strdup(d->id);
    }
    ok &= set_props(b, OBJECT(dev), d->props, e->what);
    ok &= set_child_props(b, OBJECT(dev), d->child_props, e->what);
    ok &= connect_clocks(b, e, dev);
    ok &= bind_serials(b, e);
    ok = ok && bind_nics(b, e);
    if (!ok) {
        return false;
    }
    if (!bus_of(b, e, dev, &bus) || !cluster_has_cpus(b, e, dev)) {
        return false;
    }
    if (!qdev_realize(dev, bus, &err)) {
        compose_plan_error(PLAN(b), e->loc, "%s: %s", e->what,
                           error_get_pretty(err));
        error_free(err);
        return false;
    }
    return !d->mmio || map_mmio(b, e, SYS_BUS_DEVICE(dev));
}

/* --- phase 6: wires, reset-props, gates --- */

/*
 * The devices with reset-props, by QOM path: QMP's device_del can unplug
 * one (a USB device, say), and a reset after that must find it gone,
 * not use the freed object.  (A reference would keep it, and QEMU sends
 * DEVICE_DELETED only when the device is freed.)
 */
static void note_reset_devices(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    guint i;

    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind == COMPOSE_ENTITY_DEVICE && b->objs[i] &&
            ((ComposeDevice *)e->decl)->reset_props) {
            b->reset_paths[i] = object_get_canonical_path(b->objs[i]);
        }
    }
}

bool compose_build_reset(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    bool ok = true;
    guint i;

    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeDevice *d = e->decl;
        g_autofree char *what = NULL;
        Object *dev;

        if (!b->reset_paths[i]) {
            continue;
        }
        what = g_strdup_printf("%s reset-props", e->what);
        dev = object_resolve_path(b->reset_paths[i], NULL);
        if (!dev) {
            compose_plan_error(p, compose_plan_key_loc(p, e->node,
                                                       "reset-props"),
                               "%s: not set, the device was unplugged", what);
            ok = false;
            continue;
        }
        ok &= set_child_props(b, dev, d->reset_props, what);
    }
    return ok;
}

/* --- phase 7: boot --- */

static void cpu_reset_handler(void *opaque)
{
    cpu_reset(CPU(opaque));
}

static bool check_cpu_count(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    ComposeMachine *m = p->board->machine;
    QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));
    CPUState *cpu;
    unsigned n = 0;

    if (!m || !m->has_cpus) {
        return true;
    }
    CPU_FOREACH(cpu) {
        n++;
    }
    if (n != m->cpus) {
        compose_plan_error(p, compose_plan_member_loc(p, mn, "cpus"),
                           "machine.cpus is %u but the machine has %u CPUs",
                           m->cpus, n);
        return false;
    }
    return true;
}

static bool build_boot(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    ComposeBoot *bt = p->board->boot;
    QDict *bn = qobject_to(QDict, qdict_get(p->tree, "boot"));
    CPUState *primary = p->boot_cpu ? CPU(b->objs[p->boot_cpu->index]) :
                        b->cpus->len ? g_ptr_array_index(b->cpus, 0) :
                        first_cpu;
    ComposeImageList *il;
    CPUState *cpu;

    if (bt && bt->kind != COMPOSE_BOOT_KIND_NONE) {
        Error *err = NULL;

        if (!primary) {
            compose_plan_error(p, compose_plan_loc(p, QOBJECT(bn)),
                               "boot: the machine has no CPU");
            return false;
        }
        if (!boot_fns[bt->kind]) {
            error_setg(&err, "boot kind '%s' is not available for this "
                       "target", ComposeBootKind_str(bt->kind));
        } else {
            boot_fns[bt->kind](b->ms, bt, primary, &err);
        }
        if (err) {
            compose_plan_error(p, compose_plan_member_loc(p, bn, "kind"),
                               "boot: %s", error_get_pretty(err));
            error_free(err);
            return false;
        }
    } else {
        /* No boot protocol: CPUs start at their reset vector */
        CPU_FOREACH(cpu) {
            qemu_register_reset(cpu_reset_handler, cpu);
        }
    }
    for (il = bt ? bt->images : NULL; il; il = il->next) {
        if (load_image_targphys(il->value->file, il->value->addr,
                                UINT64_MAX) < 0) {
            compose_plan_error(p, compose_plan_member_loc(p, bn, "images"),
                               "boot: cannot load '%s'", il->value->file);
            return false;
        }
    }
    return true;
}

void compose_built_free(ComposeBuilt *b)
{
    guint i;

    if (!b) {
        return;
    }
    for (i = 0; i < PLAN(b)->entities->len; i++) {
        g_free(b->reset_paths[i]);
    }
    g_free(b->reset_paths);
    g_free(b->objs);
    g_free(b->mrs);
    g_free(b->clks);
    g_ptr_array_free(b->cpus, true);
    g_ptr_array_free(b->buffers, true);
    g_ptr_array_free(b->gates, true);
    g_free(b);
}

/* Everything but the boot protocol */
static bool build_machine(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    guint i;

    if (!create_objects(b)) {
        return false;
    }
    /* Regions before the CPUs: a CPU may link to one (an SoC's memory) */
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind == COMPOSE_ENTITY_REGION && !compose_build_region(b, e)) {
            return false;
        }
    }
    for (i = 0; i < p->cpu_groups->len; i++) {
        if (!realize_cpu_group(b, i)) {
            return false;
        }
    }
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind == COMPOSE_ENTITY_DEVICE && !build_device(b, e)) {
            return false;
        }
    }
    note_reset_devices(b);
    if (!compose_build_device_aliases(b) || !compose_map_memory(b) ||
        !compose_build_wires(b) || !compose_build_reset(b) ||
        !compose_build_gates(b)) {
        return false;
    }
    return check_cpu_count(b);
}

static bool build_all(ComposeBuilt *b)
{
    bool ok;

    /*
     * One memory transaction for the machine: outside one, QEMU renders
     * every address space again after each region is mapped, which
     * costs a board of N regions O(N^2) (and, as the old views are freed
     * after an RCU grace period, memory too).  Committed before the boot
     * protocol, which writes its stubs and images through the address
     * space.
     */
    memory_region_transaction_begin();
    ok = build_machine(b);
    memory_region_transaction_commit();
    return ok && build_boot(b);
}

static ComposeBuilt *built_new(const ComposePlan *p, MachineState *ms)
{
    ComposeBuilt *b = g_new0(ComposeBuilt, 1);
    guint n = p->entities->len;

    b->plan = p;
    b->ms = ms;
    b->objs = g_new0(Object *, n);
    b->mrs = g_new0(MemoryRegion *, n);
    b->clks = g_new0(Clock *, n);
    b->cpus = g_ptr_array_new();
    b->buffers = g_ptr_array_new_with_free_func(g_free);
    b->gates = g_ptr_array_new_with_free_func(compose_gate_state_free);
    b->reset_paths = g_new0(char *, n);
    return b;
}

ComposeBuilt *compose_build(const ComposePlan *p, MachineState *ms)
{
    ComposeBuilt *b = built_new(p, ms);

    if (!build_all(b)) {
        compose_built_free(b);
        return NULL;
    }
    return b;
}

bool compose_check_objects(const ComposePlan *p, MachineState *ms)
{
    ComposeBuilt *b = built_new(p, ms);
    bool ok = create_objects(b);

    compose_built_free(b);
    return ok;
}
