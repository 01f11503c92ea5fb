/*
 * Composed machine: checking a description and building the machine
 *
 * compose_check() runs when the description is set (before the
 * accelerator exists): the QAPI visitor checks the structure, then the
 * semantic checks look at names, QOM types and properties, references,
 * priorities of overlapping regions, GPIO fan-in and I2C addresses.
 * Every problem is reported with its location and nothing is created.
 *
 * compose_build() runs from the machine's init and creates everything in
 * description order.  What only exists once a device is realized (most
 * MMIO regions and GPIOs) is checked right before use with lookups that
 * cannot abort, and reported the same way.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qapi/qobject-input-visitor.h"
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
#include "qemu/error-report.h"
#include "system/block-backend.h"
#include "chardev/char.h"
#include "net/net.h"
#include "system/reset.h"
#include "system/system.h"

typedef enum EntityKind {
    ENTITY_CLOCK,
    ENTITY_CPU,
    ENTITY_REGION,
    ENTITY_DEVICE,
} EntityKind;

static const char *const entity_kind_name[] = {
    [ENTITY_CLOCK] = "clock",
    [ENTITY_CPU] = "CPU",
    [ENTITY_REGION] = "memory region",
    [ENTITY_DEVICE] = "device",
};

typedef struct ComposeEntity {
    EntityKind kind;
    char *name;
    unsigned index;             /* declaration order among all entities */
    QDict *node;                /* its mapping in the description */
    const ComposeLoc *loc;
    void *decl;                 /* ComposeDevice, ComposeRegion, ... */
    uint64_t size;              /* regions: size, once known */
    Object *obj;                /* CPU or device, once created */
    MemoryRegion *mr;           /* region, once created */
    Clock *clk;                 /* clock, once created */
} ComposeEntity;

static void entity_free(gpointer p)
{
    ComposeEntity *e = p;

    g_free(e->name);
    g_free(e);
}

/* One GPIO endpoint: DEVICE[.NAME][INDEX or FIRST..LAST] */
typedef struct GpioRef {
    char *dev;                  /* NULL on the output side (this device) */
    char *name;                 /* NULL: unnamed GPIOs */
    unsigned first, count;
} GpioRef;

static void gpio_ref_clear(GpioRef *r)
{
    g_free(r->dev);
    g_free(r->name);
}

/* One connection of @count lines, and how fan-in is combined */
typedef struct Wire {
    ComposeEntity *src;
    GpioRef out;
    GpioRef in;
    char *combine;              /* "or", "and" or NULL */
    const ComposeLoc *loc;
} Wire;

static void wire_free(gpointer p)
{
    Wire *w = p;

    gpio_ref_clear(&w->out);
    gpio_ref_clear(&w->in);
    g_free(w->combine);
    g_free(w);
}

#define loc_of(s, obj) compose_doc_loc((s)->doc, QOBJECT(obj))
#define key_loc(s, dict, key) compose_doc_key_loc((s)->doc, (dict), (key))
#define ent_loc(s, node) compose_doc_loc((s)->doc, QOBJECT(node))

/* --- names and entities --- */

/* Region names may contain dots, like QEMU's own ("aspeed.boot_rom") */
static bool name_valid(const char *name, bool dots)
{
    const char *p;

    if (!g_ascii_isalpha(name[0])) {
        return false;
    }
    for (p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' &&
            !(dots && *p == '.')) {
            return false;
        }
    }
    return true;
}

static QDict *list_node(ComposedMachineState *s, const char *key, unsigned i)
{
    QList *l = qobject_to(QList, qdict_get(s->effective, key));
    QListEntry *e;

    if (!l) {
        return NULL;
    }
    QTAILQ_FOREACH(e, &l->head, next) {
        if (!i--) {
            return qobject_to(QDict, e->value);
        }
    }
    return NULL;
}

static ComposeEntity *add_entity(ComposedMachineState *s, EntityKind kind,
                                 const char *name, QDict *node, void *decl)
{
    QObject *nn = node ? qdict_get(node, "name") : NULL;
    const ComposeLoc *loc = nn ? compose_doc_loc(s->doc, nn)
                               : compose_doc_loc(s->doc, QOBJECT(node));
    ComposeEntity *old = g_hash_table_lookup(s->entities, name);
    ComposeEntity *e;

    /* CPUs, devices and clocks become children of the machine object */
    if (kind != ENTITY_REGION && object_property_find(OBJECT(s), name)) {
        compose_doc_error(s->doc, loc,
                          "name '%s' is taken by the machine object (its "
                          "property or child)", name);
        return NULL;
    }
    if (!name_valid(name, kind == ENTITY_REGION)) {
        compose_doc_error(s->doc, loc,
                          "invalid name '%s' (letters, digits, '-' and '_'%s, "
                          "starting with a letter)", name,
                          kind == ENTITY_REGION ? ", '.'" : "");
        return NULL;
    }
    if (old) {
        if (old->loc) {
            compose_doc_error(s->doc, loc,
                              "name '%s' is already used by the %s at "
                              "%s:%u:%u", name, entity_kind_name[old->kind],
                              old->loc->file, old->loc->line, old->loc->col);
        } else {
            compose_doc_error(s->doc, loc, "name '%s' is already used",
                              name);
        }
        return NULL;
    }
    e = g_new0(ComposeEntity, 1);
    e->kind = kind;
    e->name = g_strdup(name);
    e->index = g_hash_table_size(s->entities);
    e->node = node;
    e->loc = loc;
    e->decl = decl;
    g_hash_table_insert(s->entities, e->name, e);
    return e;
}

static void suggest_entity(ComposedMachineState *s, const char *name,
                           int kind, const ComposeLoc *loc, const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *hint = NULL;
    GHashTableIter it;
    ComposeEntity *e;

    g_hash_table_iter_init(&it, s->entities);
    while (g_hash_table_iter_next(&it, NULL, (gpointer *)&e)) {
        if (kind < 0 || e->kind == kind) {
            g_ptr_array_add(names, e->name);
        }
    }
    hint = compose_did_you_mean(name, (const char *const *)names->pdata,
                                names->len);
    compose_doc_error(s->doc, loc, "%s: no %s named '%s'%s", what,
                      kind < 0 ? "object" : entity_kind_name[kind], name,
                      hint);
}

static ComposeEntity *find_entity(ComposedMachineState *s, const char *name,
                                  int kind, const ComposeLoc *loc,
                                  const char *what)
{
    ComposeEntity *e = g_hash_table_lookup(s->entities, name);

    if (!e || (kind >= 0 && e->kind != kind)) {
        suggest_entity(s, name, kind, loc, what);
        return NULL;
    }
    return e;
}

/* --- QOM types --- */

static ObjectClass *check_type(ComposedMachineState *s, const char *type,
                               const char *base, const ComposeLoc *loc,
                               const char *what)
{
    ObjectClass *oc = module_object_class_by_name(type);
    g_autoptr(GPtrArray) names = NULL;
    g_autofree char *hint = NULL;
    GSList *list, *l;

    if (oc && object_class_dynamic_cast(oc, base) &&
        !object_class_is_abstract(oc)) {
        return oc;
    }
    if (oc) {
        compose_doc_error(s->doc, loc, "%s: '%s' is %s", what, type,
                          object_class_is_abstract(oc) ?
                          "an abstract type" :
                          (g_str_equal(base, TYPE_CPU) ? "not a CPU type"
                                                       : "not a device type"));
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
    compose_doc_error(s->doc, loc, "%s: unknown %s type '%s'%s", what,
                      g_str_equal(base, TYPE_CPU) ? "CPU" : "device", type,
                      hint);
    return NULL;
}

static void suggest_property(ComposedMachineState *s, Object *obj,
                             const char *prop, const ComposeLoc *loc,
                             const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *hint = NULL;
    ObjectPropertyIterator it;
    ObjectProperty *p;

    object_property_iter_init(&it, obj);
    while ((p = object_property_iter_next(&it))) {
        g_ptr_array_add(names, p->name);
    }
    hint = compose_did_you_mean(prop, (const char *const *)names->pdata,
                                names->len);
    compose_doc_error(s->doc, loc, "%s: %s has no property '%s'%s", what,
                      object_get_typename(obj), prop, hint);
}

/* Are all the keys of the property mapping @props properties of @obj? */
static bool check_props(ComposedMachineState *s, Object *obj, QObject *props,
                        const char *what)
{
    QDict *d = qobject_to(QDict, props);
    const QDictEntry *e;
    bool ok = true;

    if (!props) {
        return true;
    }
    if (!d) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc, props),
                          "%s: properties must be a mapping", what);
        return false;
    }
    g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, d);
    const QDictEntry **e_p;

    for (e_p = e_all; (e = *e_p); e_p++) {
        if (!object_property_find(obj, e->key)) {
            suggest_property(s, obj, e->key, key_loc(s, d, e->key), what);
            ok = false;
        }
    }
    return ok;
}

/* --- references in property values --- */

/* The string a "@REF" stands for at build time; NULL + error if none */
static char *resolve_ref(ComposedMachineState *s, const char *ref,
                         const ComposeLoc *loc, const char *what,
                         bool build)
{
    MachineState *ms = MACHINE(s);
    ComposeEntity *e;

    if (g_str_equal(ref, "system-memory")) {
        return build ? object_get_canonical_path(OBJECT(get_system_memory()))
                     : g_strdup("");
    }
    if (g_str_equal(ref, "machine.ram")) {
        if (!ms->ram_size) {
            compose_doc_error(s->doc, loc, "%s: '@machine.ram': the machine "
                              "has no RAM (set machine.ram-size or -m)",
                              what);
            return NULL;
        }
        return build ? object_get_canonical_path(OBJECT(ms->ram))
                     : g_strdup("");
    }
    if (g_str_has_prefix(ref, "serial.")) {
        uint64_t n;
        Chardev *chr;

        if (qemu_strtou64(ref + 7, NULL, 10, &n) || n > INT_MAX) {
            compose_doc_error(s->doc, loc, "%s: '@%s': expected @serial.N",
                              what, ref);
            return NULL;
        }
        chr = build ? serial_hd(n) : NULL;
        return g_strdup(chr ? chr->label : "");
    }
    if (g_str_has_prefix(ref, "drive.")) {
        g_auto(GStrv) parts = g_strsplit(ref, ".", 0);
        const char *name;
        uint64_t n;
        bool known;

        if (g_strv_length(parts) != 3 ||
            qemu_strtou64(parts[2], NULL, 10, &n) || n > INT_MAX) {
            compose_doc_error(s->doc, loc, "%s: '@%s': expected "
                              "@drive.IF.INDEX (e.g. @drive.mtd.0)", what,
                              ref);
            return NULL;
        }
        name = composed_machine_drive(parts[1], n, &known);
        if (!known) {
            compose_doc_error(s->doc, loc, "%s: '@%s': unknown drive "
                              "interface '%s'", what, ref, parts[1]);
            return NULL;
        }
        return g_strdup(build && name ? name : "");
    }
    if (g_str_equal(ref, "machine.ram-size")) {
        return g_strdup_printf("%" PRIu64, (uint64_t)ms->ram_size);
    }
    e = find_entity(s, ref, -1, loc, what);
    if (!e) {
        return NULL;
    }
    if (!build) {
        return g_strdup("");
    }
    if (e->obj) {
        return object_get_canonical_path(e->obj);
    }
    if (e->mr) {
        return object_get_canonical_path(OBJECT(e->mr));
    }
    if (e->clk) {
        return object_get_canonical_path(OBJECT(e->clk));
    }
    compose_doc_error(s->doc, loc, "%s: '@%s' is not created yet", what, ref);
    return NULL;
}

/*
 * A copy of a property value with "@REF" strings resolved ("@@" is a
 * literal "@"), or NULL after reporting.  Check mode only validates.
 */
static QObject *resolve_value(ComposedMachineState *s, QObject *v,
                              const char *what, bool build)
{
    switch (qobject_type(v)) {
    case QTYPE_QDICT: {
        QDict *src = qobject_to(QDict, v);
        g_autoptr(QDict) d = qdict_new();
        const QDictEntry *e;
        bool ok = true;

        g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, src);
        const QDictEntry **e_p;

        for (e_p = e_all; (e = *e_p); e_p++) {
            QObject *r = resolve_value(s, e->value, what, build);

            if (!r) {
                ok = false;
                continue;
            }
            qdict_put_obj(d, e->key, r);
        }
        return ok ? QOBJECT(g_steal_pointer(&d)) : NULL;
    }
    case QTYPE_QLIST: {
        g_autoptr(QList) l = qlist_new();
        QListEntry *e;
        bool ok = true;

        QTAILQ_FOREACH(e, &qobject_to(QList, v)->head, next) {
            QObject *r = resolve_value(s, e->value, what, build);

            if (!r) {
                ok = false;
                continue;
            }
            qlist_append_obj(l, r);
        }
        return ok ? QOBJECT(g_steal_pointer(&l)) : NULL;
    }
    case QTYPE_QSTRING: {
        const char *str = qstring_get_str(qobject_to(QString, v));
        char *r;

        if (str[0] != '@') {
            return qobject_ref(v);
        }
        if (str[1] == '@') {
            return QOBJECT(qstring_from_str(str + 1));
        }
        r = resolve_ref(s, str + 1, compose_doc_loc(s->doc, v), what, build);
        if (r) {
            QString *q = qstring_from_str(r);

            g_free(r);
            return QOBJECT(q);
        }
        return NULL;
    }
    case QTYPE_QNULL:
        compose_doc_error(s->doc, compose_doc_loc(s->doc, v),
                          "%s: a property value cannot be null", what);
        return NULL;
    default:
        return qobject_ref(v);
    }
}

/* Set each property of @props on @obj; report each failure at its key */
static bool set_props(ComposedMachineState *s, Object *obj, QObject *props,
                      const char *what)
{
    QDict *d = qobject_to(QDict, props);
    const QDictEntry *e;
    bool ok = true;

    g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, d);
    const QDictEntry **e_p;

    for (e_p = e_all; (e = *e_p); e_p++) {
        QObject *val = resolve_value(s, e->value, what, true);
        g_autoptr(QDict) one = qdict_new();
        const char *sv = qobject_type(e->value) == QTYPE_QSTRING ?
            qstring_get_str(qobject_to(QString, e->value)) : "";
        Error *err = NULL;

        if (!val) {
            ok = false;
            continue;
        }
        /*
         * "@serial.N" or "@drive.IF.N" without that -serial or -drive:
         * leave the property unset
         */
        if ((g_str_has_prefix(sv, "@serial.") ||
             g_str_has_prefix(sv, "@drive.")) &&
            !*qstring_get_str(qobject_to(QString, val))) {
            qobject_unref(val);
            continue;
        }
        qdict_put_obj(one, e->key, val);
        object_set_properties_from_keyval(obj, one, false, &err);
        if (err) {
            compose_doc_error(s->doc, key_loc(s, d, e->key),
                              "%s: property '%s': %s", what, e->key,
                              error_get_pretty(err));
            error_free(err);
            ok = false;
        }
    }
    return ok;
}

/* --- GPIO endpoints --- */

static bool parse_index(const char *s, const char **end, unsigned *v)
{
    uint64_t n;

    if (qemu_strtou64(s, end, 10, &n) || n > INT_MAX) {
        return false;
    }
    *v = n;
    return true;
}

/*
 * Parse "[DEV][.NAME][[I]|[I..J]]".  With @with_dev the first component
 * is a device name; the output side has none ("sysbus-irq[0]", "[2]").
 */
static bool parse_gpio_ref(const char *text, bool with_dev, GpioRef *r)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    char *br = strchr(t, '[');
    char *dot;

    memset(r, 0, sizeof(*r));
    r->count = 1;
    if (br) {
        const char *p = br + 1;
        unsigned last;

        if (!parse_index(p, &p, &r->first)) {
            return false;
        }
        last = r->first;
        if (g_str_has_prefix(p, "..")) {
            if (!parse_index(p + 2, &p, &last) || last < r->first) {
                return false;
            }
        }
        if (strcmp(p, "]")) {
            return false;
        }
        r->count = last - r->first + 1;
        *br = '\0';
    }
    if (with_dev) {
        dot = strchr(t, '.');
        if (dot) {
            *dot = '\0';
            r->name = *(dot + 1) ? g_strdup(dot + 1) : NULL;
            if (!r->name) {
                return false;
            }
        }
        if (!name_valid(t, false)) {
            return false;
        }
        r->dev = g_strdup(t);
    } else if (*t) {
        r->name = g_strdup(t);
    }
    if (r->name && (strchr(r->name, '[') || strchr(r->name, ']') ||
                    strchr(r->name, '.'))) {
        return false;
    }
    return true;
}

static char *gpio_ref_str(const GpioRef *r, unsigned i)
{
    return g_strdup_printf("%s%s%s[%u]", r->dev ? r->dev : "",
                           r->dev && r->name ? "." : "",
                           r->name ? r->name : "", r->first + i);
}

/* Parse a device's "irqs" mapping into wires */
static bool collect_wires(ComposedMachineState *s, ComposeEntity *dev,
                          QObject *irqs, GPtrArray *wires, const char *what)
{
    QDict *d = qobject_to(QDict, irqs);
    const QDictEntry *e;
    bool ok = true;

    if (!irqs) {
        return true;
    }
    if (!d) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc, irqs),
                          "%s: 'irqs' must be a mapping from outputs to "
                          "inputs", what);
        return false;
    }
    g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, d);
    const QDictEntry **e_p;

    for (e_p = e_all; (e = *e_p); e_p++) {
        const ComposeLoc *kl = key_loc(s, d, e->key);
        const ComposeLoc *vl = compose_doc_loc(s->doc, e->value);
        Wire *w = g_new0(Wire, 1);
        QObject *to = e->value;

        w->src = dev;
        w->loc = vl;
        if (qobject_type(to) == QTYPE_QDICT) {
            QDict *td = qobject_to(QDict, to);
            const QDictEntry *te;

            g_autofree const QDictEntry **te_all =
                compose_doc_entries(s->doc, td);
            const QDictEntry **te_p;

            for (te_p = te_all; (te = *te_p); te_p++) {
                if (!g_str_equal(te->key, "to") &&
                    !g_str_equal(te->key, "combine")) {
                    compose_doc_error(s->doc, key_loc(s, td, te->key),
                                      "%s: irqs: unknown key '%s' (expected "
                                      "'to' and 'combine')", what, te->key);
                    ok = false;
                }
            }
            w->combine = g_strdup(qdict_get_try_str(td, "combine"));
            if (qdict_haskey(td, "combine") && !w->combine) {
                compose_doc_error(s->doc, key_loc(s, td, "combine"),
                                  "%s: irqs: 'combine' must be 'or' or "
                                  "'and'", what);
                ok = false;
            } else if (w->combine && !g_str_equal(w->combine, "or") &&
                       !g_str_equal(w->combine, "and")) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  qdict_get(td, "combine")),
                                  "%s: irqs: combine '%s': expected 'or' or "
                                  "'and'", what, w->combine);
                ok = false;
            }
            to = qdict_get(td, "to");
            if (!to) {
                compose_doc_error(s->doc, vl, "%s: irqs: '%s': 'to' is "
                                  "missing", what, e->key);
                wire_free(w);
                ok = false;
                continue;
            }
            vl = compose_doc_loc(s->doc, to);
        }
        if (qobject_type(to) != QTYPE_QSTRING) {
            compose_doc_error(s->doc, vl, "%s: irqs: '%s': expected an input "
                              "such as 'gic[32]'", what, e->key);
            wire_free(w);
            ok = false;
            continue;
        }
        if (!parse_gpio_ref(e->key, false, &w->out)) {
            compose_doc_error(s->doc, kl, "%s: irqs: invalid output '%s' "
                              "(expected [NAME][INDEX], e.g. "
                              "sysbus-irq[0] or sysbus-irq[0..3])", what,
                              e->key);
            wire_free(w);
            ok = false;
            continue;
        }
        if (!parse_gpio_ref(qstring_get_str(qobject_to(QString, to)), true,
                            &w->in)) {
            compose_doc_error(s->doc, vl, "%s: irqs: invalid input '%s' "
                              "(expected DEVICE[.NAME][INDEX], e.g. "
                              "gic[32] or cpu0[0])", what,
                              qstring_get_str(qobject_to(QString, to)));
            wire_free(w);
            ok = false;
            continue;
        }
        if (w->out.count != w->in.count) {
            compose_doc_error(s->doc, vl, "%s: irqs: '%s' has %u lines but "
                              "its input has %u", what, e->key,
                              w->out.count, w->in.count);
            wire_free(w);
            ok = false;
            continue;
        }
        w->loc = vl;
        g_ptr_array_add(wires, w);
    }
    return ok;
}

/* Every input driven by several outputs must say how they combine */
static bool check_fan_in(ComposedMachineState *s, GPtrArray *wires)
{
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
    g_autoptr(GHashTable) outs = g_hash_table_new_full(g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
    g_autoptr(GHashTable) fan = g_hash_table_new_full(g_str_hash,
                                                      g_str_equal, g_free,
                                                      NULL);
    bool ok = true;
    guint i, n;
    unsigned j;

    for (i = 0; i < wires->len; i++) {
        Wire *w = g_ptr_array_index(wires, i);

        for (j = 0; j < w->in.count; j++) {
            g_autofree char *in = gpio_ref_str(&w->in, j);
            g_autofree char *o = gpio_ref_str(&w->out, j);
            g_autofree char *out = g_strdup_printf("%s.%s", w->src->name, o);
            Wire *prev = g_hash_table_lookup(seen, in);
            Wire *prev_out = g_hash_table_lookup(outs, out);

            if (prev_out) {
                compose_doc_error(s->doc, w->loc,
                                  "output '%s' is already connected at "
                                  "%s:%u:%u (an output drives one input)",
                                  out, prev_out->loc->file,
                                  prev_out->loc->line, prev_out->loc->col);
                ok = false;
            } else {
                g_hash_table_insert(outs, g_steal_pointer(&out), w);
            }
            if (!prev) {
                g_hash_table_insert(seen, g_strdup(in), w);
                g_hash_table_insert(fan, g_steal_pointer(&in),
                                    GUINT_TO_POINTER(1));
                continue;
            }
            n = GPOINTER_TO_UINT(g_hash_table_lookup(fan, in)) + 1;
            g_hash_table_insert(fan, g_strdup(in), GUINT_TO_POINTER(n));
            if (n == MAX_OR_LINES + 1) {
                compose_doc_error(s->doc, w->loc,
                                  "input '%s' is driven by more than %d "
                                  "outputs", in, MAX_OR_LINES);
                ok = false;
            }
            if (!w->combine || !prev->combine) {
                compose_doc_error(s->doc, w->loc,
                                  "input '%s' is also driven from %s:%u:%u: "
                                  "say how the outputs combine "
                                  "({to: %s, combine: or|and} on each)",
                                  in, prev->loc->file, prev->loc->line,
                                  prev->loc->col, in);
                ok = false;
            } else if (!g_str_equal(w->combine, prev->combine)) {
                compose_doc_error(s->doc, w->loc,
                                  "input '%s': combine '%s' here but '%s' "
                                  "at %s:%u:%u", in, w->combine,
                                  prev->combine, prev->loc->file,
                                  prev->loc->line, prev->loc->col);
                ok = false;
            }
        }
    }
    return ok;
}

static NamedGPIOList *find_gpio(DeviceState *dev, const char *name);
static bool uses_eeprom_helper(ComposeDevice *d);

/* --- CPU gates --- */

/*
 * A gate: a device GPIO output that powers CPUs on (a CPU group, or the
 * CPUs a device creates).  One line, from a device declared in
 * "devices", not used by any "irqs".
 */
static bool check_gate(ComposedMachineState *s, const char *gate,
                       QDict *node, GPtrArray *wires, const char *what)
{
    const ComposeLoc *loc;
    GpioRef ref;
    bool ok = true;
    guint i;

    if (!gate) {
        return true;
    }
    loc = compose_doc_loc(s->doc, qdict_get(node, "gate"));
    if (!parse_gpio_ref(gate, true, &ref) || ref.count != 1) {
        compose_doc_error(s->doc, loc, "%s: invalid gate '%s' (expected one "
                          "device output, DEVICE[.NAME][INDEX])", what,
                          gate);
        gpio_ref_clear(&ref);
        return false;
    }
    if (!find_entity(s, ref.dev, ENTITY_DEVICE, loc, what)) {
        gpio_ref_clear(&ref);
        return false;
    }
    for (i = 0; i < wires->len; i++) {
        Wire *w = g_ptr_array_index(wires, i);

        if (g_str_equal(w->src->name, ref.dev) &&
            !g_strcmp0(w->out.name, ref.name) &&
            ref.first >= w->out.first &&
            ref.first < w->out.first + w->out.count) {
            compose_doc_error(s->doc, loc, "%s: gate output '%s' is also "
                              "connected at %s:%u:%u (an output drives "
                              "one input)", what, gate, w->loc->file,
                              w->loc->line, w->loc->col);
            ok = false;
        }
    }
    gpio_ref_clear(&ref);
    return ok;
}

typedef struct ComposeGate {
    GPtrArray *cpus;            /* CPUState held by the gate */
} ComposeGate;

static void gate_handler(void *opaque, int n, int level)
{
    ComposeGate *g = opaque;
    guint i;

    if (!level) {
        return;
    }
    for (i = 0; i < g->cpus->len; i++) {
        composed_machine_release_cpu(g_ptr_array_index(g->cpus, i));
    }
}

/* Connect @gate to release @cpus */
static bool build_gate(ComposedMachineState *s, const char *gate,
                       GPtrArray *cpus, const char *what)
{
    ComposeEntity *e;
    ComposeGate *g;
    NamedGPIOList *out;
    qemu_irq irq;
    GpioRef ref;
    bool ok = true;

    parse_gpio_ref(gate, true, &ref);
    e = g_hash_table_lookup(s->entities, ref.dev);
    out = find_gpio(DEVICE(e->obj), ref.name);
    if (!out || ref.first >= out->num_out) {
        compose_doc_error(s->doc, NULL, "%s: gate: %s has no output '%s'",
                          what, object_get_typename(e->obj), gate);
        ok = false;
    } else {
        g = g_new0(ComposeGate, 1);
        g->cpus = g_ptr_array_ref(cpus);
        irq = qemu_allocate_irq(gate_handler, g, 0);
        if (ref.name && g_str_equal(ref.name, SYSBUS_DEVICE_GPIO_IRQ)) {
            sysbus_connect_irq(SYS_BUS_DEVICE(e->obj), ref.first, irq);
        } else {
            qdev_connect_gpio_out_named(DEVICE(e->obj), ref.name, ref.first,
                                        irq);
        }
    }
    gpio_ref_clear(&ref);
    return ok;
}

static int collect_cpu(Object *obj, void *opaque)
{
    if (object_dynamic_cast(obj, TYPE_CPU)) {
        g_ptr_array_add(opaque, CPU(obj));
    }
    return 0;
}

/*
 * The gate of a device: every CPU below it in the QOM tree (those an SoC
 * creates) starts powered off at each reset and waits for the gate.
 */
static bool build_device_gate(ComposedMachineState *s, ComposeEntity *e,
                              const char *what)
{
    ComposeDevice *d = e->decl;
    g_autoptr(GPtrArray) cpus = g_ptr_array_new();
    guint i;

    object_child_foreach_recursive(e->obj, collect_cpu, cpus);
    if (!cpus->len) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(e->node, "gate")),
                          "%s: gate: %s created no CPU", what, d->type);
        return false;
    }
    for (i = 0; i < cpus->len; i++) {
        /* realized already: what the start-powered-off property sets */
        CPU(g_ptr_array_index(cpus, i))->start_powered_off = true;
    }
    return build_gate(s, d->gate, cpus, what);
}

/* --- QOM parents --- */

/*
 * "parent": a device declared in "devices" becomes the device's QOM
 * parent instead of the machine (a cpu-cluster around an armv7m).  No
 * cycles, and not an EEPROM, which QEMU's helpers create elsewhere.
 */
static bool check_parent(ComposedMachineState *s, ComposeDevice *d,
                         QDict *node, const char *what)
{
    const ComposeLoc *loc;
    const char *name = d->parent;
    guint steps = 0;

    if (!name) {
        return true;
    }
    loc = compose_doc_loc(s->doc, qdict_get(node, "parent"));
    while (name) {
        ComposeEntity *p = find_entity(s, name, ENTITY_DEVICE, loc, what);
        ComposeDevice *pd = p ? p->decl : NULL;

        if (!p) {
            return false;
        }
        if (g_str_equal(name, d->name) ||
            ++steps > g_hash_table_size(s->entities)) {
            compose_doc_error(s->doc, loc, "%s: parent '%s' holds the "
                              "device itself", what, d->parent);
            return false;
        }
        if (uses_eeprom_helper(pd) || uses_eeprom_helper(d)) {
            compose_doc_error(s->doc, loc, "%s: parent: EEPROMs with "
                              "contents are created by QEMU's helpers, "
                              "outside the machine's tree", what);
            return false;
        }
        name = pd->parent;
    }
    return true;
}

/* --- the semantic checks --- */

static unsigned bool_list_length(boolList *l)
{
    unsigned n = 0;

    for (; l; l = l->next) {
        n++;
    }
    return n;
}

/* The entity declared by @decl, or NULL if its name was refused */
static ComposeEntity *entity_of(ComposedMachineState *s, const char *name,
                                void *decl)
{
    ComposeEntity *e = g_hash_table_lookup(s->entities, name);

    return e && e->decl == decl ? e : NULL;
}

static bool check_region(ComposedMachineState *s, ComposeRegion *r,
                         QDict *node, const char *what)
{
    ComposeEntity *e = entity_of(s, r->name, r);
    bool ok = true;

    switch (r->kind) {
    case COMPOSE_REGION_KIND_RAM:
    case COMPOSE_REGION_KIND_ROM:
    case COMPOSE_REGION_KIND_CONTAINER:
        if (!r->has_size || !r->size) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(node)),
                              "%s: a %s region needs a non-zero 'size'", what,
                              ComposeRegionKind_str(r->kind));
            ok = false;
        }
        if (r->alias || r->has_offset) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(node)),
                              "%s: 'alias' and 'offset' are for alias "
                              "regions", what);
            ok = false;
        }
        if (e) {
            e->size = r->size;
        }
        break;
    case COMPOSE_REGION_KIND_ALIAS: {
        uint64_t tsize = 0, off = r->has_offset ? r->offset : 0;

        if (!r->alias) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(node)),
                              "%s: an alias region needs 'alias' (the "
                              "region it shows)", what);
            return false;
        }
        if (g_str_equal(r->alias, "@machine.ram")) {
            tsize = MACHINE(s)->ram_size;
            if (!tsize) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  qdict_get(node, "alias")),
                                  "%s: the machine has no RAM (set "
                                  "machine.ram-size or -m)", what);
                return false;
            }
        } else {
            ComposeEntity *t = find_entity(s, r->alias, ENTITY_REGION,
                                           compose_doc_loc(s->doc,
                                               qdict_get(node, "alias")),
                                           what);
            if (!t) {
                return false;
            }
            if (e && t->index >= e->index) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  qdict_get(node, "alias")),
                                  "%s: alias of '%s', which is declared "
                                  "later", what, r->alias);
                return false;
            }
            tsize = t->size;
        }
        if (off > tsize || (r->has_size && r->size > tsize - off)) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(node)),
                              "%s: offset 0x%" PRIx64 " + size 0x%" PRIx64
                              " is outside '%s' (size 0x%" PRIx64 ")", what,
                              off, r->has_size ? r->size : 0, r->alias,
                              tsize);
            return false;
        }
        if (!r->has_size) {
            r->has_size = true;
            r->size = tsize - off;
        }
        if (e) {
            e->size = r->size;
        }
        break;
    }
    default:
        break;
    }
    if (r->file && !*r->file) {
        g_clear_pointer(&r->file, g_free);
    }
    if (r->file) {
        int64_t fsize = get_image_size(r->file);

        if (r->kind != COMPOSE_REGION_KIND_RAM &&
            r->kind != COMPOSE_REGION_KIND_ROM) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc, qdict_get(node, "file")),
                              "%s: 'file' is for ram and rom regions", what);
            ok = false;
        } else if (fsize < 0) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc, qdict_get(node, "file")),
                              "%s: cannot read '%s'", what, r->file);
            ok = false;
        } else if (r->has_size && fsize > r->size) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc, qdict_get(node, "file")),
                              "%s: '%s' (%" PRId64 " bytes) is larger than "
                              "the region (0x%" PRIx64 ")", what, r->file,
                              fsize, r->size);
            ok = false;
        }
    }
    if (r->from_drive) {
        const ComposeLoc *dloc = compose_doc_loc(s->doc,
                                                 qdict_get(node,
                                                           "from-drive"));

        if (r->kind != COMPOSE_REGION_KIND_RAM &&
            r->kind != COMPOSE_REGION_KIND_ROM) {
            compose_doc_error(s->doc, dloc, "%s: 'from-drive' is for ram and "
                              "rom regions", what);
            ok = false;
        } else if (r->file) {
            compose_doc_error(s->doc, dloc, "%s: 'file' and 'from-drive' "
                              "exclude each other", what);
            ok = false;
        } else if (!g_str_has_prefix(r->from_drive, "@drive.")) {
            compose_doc_error(s->doc, dloc, "%s: 'from-drive' expects "
                              "@drive.IF.INDEX (e.g. @drive.mtd.0)", what);
            ok = false;
        } else {
            g_autofree char *d = resolve_ref(s, r->from_drive + 1, dloc,
                                             what, false);

            ok &= !!d;
        }
    }
    if (r->map && r->has_size && r->size &&
        r->map->addr > UINT64_MAX - (r->size - 1)) {
        compose_doc_error(s->doc,
                          compose_doc_loc(s->doc, qdict_get(node, "map")),
                          "%s: address 0x%" PRIx64 " + size 0x%" PRIx64
                          " overflows", what, r->map->addr, r->size);
        ok = false;
    }
    return ok;
}

/* A mapped range, for the overlap check */
typedef struct Span {
    const char *container;
    uint64_t start, last;
    int priority;
    const char *name;
    const ComposeLoc *loc;
} Span;

static bool check_overlaps(ComposedMachineState *s, GArray *spans)
{
    bool ok = true;
    guint i, j;

    for (i = 0; i < spans->len; i++) {
        Span *a = &g_array_index(spans, Span, i);

        for (j = 0; j < i; j++) {
            Span *b = &g_array_index(spans, Span, j);

            if (!g_str_equal(a->container, b->container) ||
                a->priority != b->priority ||
                a->start > b->last || b->start > a->last) {
                continue;
            }
            compose_doc_error(s->doc, a->loc,
                              "'%s' [0x%" PRIx64 "-0x%" PRIx64 "] overlaps "
                              "'%s' (%s:%u:%u) at the same priority %d: "
                              "give one of them another 'priority'",
                              a->name, a->start, a->last, b->name,
                              b->loc ? b->loc->file : "?",
                              b->loc ? b->loc->line : 0,
                              b->loc ? b->loc->col : 0, a->priority);
            ok = false;
        }
    }
    return ok;
}

/* The container spec as a canonical key, checking declared names */
static bool check_container(ComposedMachineState *s, const char *spec,
                            ComposeEntity *self, const ComposeLoc *loc,
                            const char *what, const char **key)
{
    ComposeEntity *c;

    if (!spec || g_str_equal(spec, "@system-memory")) {
        *key = "@system-memory";
        return true;
    }
    if (spec[0] == '/') {
        *key = spec;
        return true;
    }
    c = find_entity(s, spec, ENTITY_REGION, loc, what);
    if (!c) {
        return false;
    }
    if (((ComposeRegion *)c->decl)->kind != COMPOSE_REGION_KIND_CONTAINER) {
        compose_doc_error(s->doc, loc, "%s: '%s' is not a container region",
                          what, spec);
        return false;
    }
    if (self && c->index >= self->index) {
        compose_doc_error(s->doc, loc, "%s: container '%s' is declared later",
                          what, spec);
        return false;
    }
    *key = c->name;
    return true;
}

/*
 * A mapping from relative QOM paths of children ("." for the object
 * itself) to properties (child-props, reset-props)
 */
static bool check_child_props(ComposedMachineState *s, Object *probe,
                              QObject *map, const char *type,
                              const char *what, const char *key)
{
    QDict *cp = qobject_to(QDict, map);
    const QDictEntry *e;
    bool ok = true;

    if (!map) {
        return true;
    }
    if (!cp) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc, map),
                          "%s: '%s' must be a mapping from child paths to "
                          "properties", what, key);
        return false;
    }
    g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, cp);
    const QDictEntry **e_p;

    for (e_p = e_all; (e = *e_p); e_p++) {
        Object *child = g_str_equal(e->key, ".") ? probe :
                        object_resolve_path_at(probe, e->key);
        g_autofree char *w = g_strdup_printf("%s child '%s'", what, e->key);

        if (!child) {
            compose_doc_error(s->doc, key_loc(s, cp, e->key),
                              "%s: %s has no child '%s'", what, type,
                              e->key);
            ok = false;
            continue;
        }
        ok &= check_props(s, child, e->value, w);
    }
    return ok;
}

static Object *child_or_self(Object *obj, const char *path)
{
    return g_str_equal(path, ".") ? obj : object_resolve_path_at(obj, path);
}

static bool check_serials(ComposedMachineState *s, ComposeDevice *d,
                          QDict *node, Object *probe, const char *what)
{
    strList *sl;
    bool ok = true;

    for (sl = d->serials; sl; sl = sl->next) {
        Object *o = child_or_self(probe, sl->value);

        if (!o || !object_property_find(o, "chardev")) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc,
                                              qdict_get(node, "serials")),
                              "%s: serials: '%s' is not a device of %s with "
                              "a 'chardev' property", what, sl->value,
                              d->type);
            ok = false;
        }
    }
    return ok;
}

/*
 * EEPROMs whose initial contents are not a property: QEMU's helpers
 * create them (smbus_eeprom_init_one(), at24c_eeprom_init_rom()).
 */
#define TYPE_SMBUS_EEPROM "smbus-eeprom"
#define SMBUS_EEPROM_SIZE 256
#define TYPE_AT24C_EE "at24c-eeprom"

static bool is_smbus_eeprom(ComposeDevice *d)
{
    return d->type && g_str_equal(d->type, TYPE_SMBUS_EEPROM);
}

static bool uses_eeprom_helper(ComposeDevice *d)
{
    return is_smbus_eeprom(d) || d->contents;
}

/* The contents bytes of @d (@len: at least @min), or NULL after reporting */
static uint8_t *contents_bytes(ComposedMachineState *s, ComposeDevice *d,
                               QDict *node, size_t min, size_t *len,
                               const char *what)
{
    ComposeContents *c = d->contents;
    QDict *cn = qobject_to(QDict, qdict_get(node, "contents"));
    g_autofree uint8_t *file = NULL;
    gsize flen = 0;
    size_t nbytes = 0, size;
    uint8List *bl;
    uint8_t *buf;

    if (c && c->file && !g_file_get_contents(c->file, (gchar **)&file, &flen,
                                             NULL)) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(cn, "file")),
                          "%s: contents: cannot read '%s'", what, c->file);
        return NULL;
    }
    for (bl = c ? c->bytes : NULL; bl; bl = bl->next) {
        nbytes++;
    }
    if (c && c->bytes && c->file) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(cn)),
                          "%s: contents: 'bytes' and 'file' exclude each "
                          "other", what);
        return NULL;
    }
    size = MAX(nbytes, flen);
    if (c && c->has_size) {
        if (c->size < size) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(cn)),
                              "%s: contents: %zu bytes given, more than "
                              "'size' (%" PRIu64 ")", what, size, c->size);
            return NULL;
        }
        size = c->size;
    }
    if (size > 16 * MiB) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(cn)),
                          "%s: contents: larger than 16 MiB", what);
        return NULL;
    }
    *len = size;
    buf = g_malloc0(MAX(MAX(size, min), 1));
    if (file) {
        memcpy(buf, file, flen);
    }
    for (bl = c ? c->bytes : NULL, size = 0; bl; bl = bl->next) {
        buf[size++] = bl->value;
    }
    return buf;
}

static bool check_contents(ComposedMachineState *s, ComposeDevice *d,
                           QDict *node, const char *what)
{
    QDict *props = qobject_to(QDict, d->props);
    const ComposeLoc *loc = compose_doc_loc(s->doc,
                                            qdict_get(node, "contents"));
    g_autofree uint8_t *buf = NULL;
    const QDictEntry *e;
    uint64_t rom_size = 0;
    size_t len;
    bool ok = true;

    if (!uses_eeprom_helper(d)) {
        return true;
    }
    if (!is_smbus_eeprom(d) && !g_str_equal(d->type, TYPE_AT24C_EE)) {
        compose_doc_error(s->doc, loc, "%s: 'contents' is for %s and %s "
                          "devices", what, TYPE_SMBUS_EEPROM, TYPE_AT24C_EE);
        return false;
    }
    if (!d->bus) {
        compose_doc_error(s->doc, ent_loc(s, node), "%s: %s needs 'bus' "
                          "(an I2C bus)", what, d->type);
        ok = false;
    }
    /* The helpers set these properties only */
    for (e = props ? qdict_first(props) : NULL; e;
         e = qdict_next(props, e)) {
        QString *v = qobject_to(QString, e->value);

        if (g_str_equal(e->key, "rom-size") && !is_smbus_eeprom(d) && v &&
            !qemu_strtou64(qstring_get_str(v), NULL, 0, &rom_size)) {
            continue;
        }
        if (!g_str_equal(e->key, "address") && !g_str_equal(e->key,
                                                             "rom-size")) {
            compose_doc_error(s->doc, key_loc(s, props, e->key),
                              "%s: with initial contents, %s takes only "
                              "the properties %s", what, d->type,
                              is_smbus_eeprom(d) ? "'address'" :
                              "'address' and 'rom-size'");
            ok = false;
        }
    }
    if (!props || !qdict_haskey(props, "address")) {
        compose_doc_error(s->doc, ent_loc(s, node), "%s: %s needs the "
                          "property 'address'", what, d->type);
        ok = false;
    } else {
        QString *a = qobject_to(QString, qdict_get(props, "address"));
        uint64_t addr;

        /* the helpers take it as a number, not through QOM */
        if (!a || qemu_strtou64(qstring_get_str(a), NULL, 0, &addr) ||
            addr > 0x7f) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                  qdict_get(props, "address")),
                              "%s: 'address' must be a 7-bit I2C address",
                              what);
            ok = false;
        }
    }
    buf = contents_bytes(s, d, node, 0, &len, what);
    if (!buf) {
        return false;
    }
    if (is_smbus_eeprom(d) && d->contents && !d->contents->has_size &&
        len > SMBUS_EEPROM_SIZE) {
        compose_doc_error(s->doc, loc, "%s: contents: an %s holds %u bytes",
                          what, d->type, SMBUS_EEPROM_SIZE);
        ok = false;
    }
    if (!is_smbus_eeprom(d) && (!rom_size || rom_size > UINT32_MAX)) {
        compose_doc_error(s->doc, ent_loc(s, node), "%s: %s needs "
                          "'rom-size' (1 to 4G-1)", what, d->type);
        ok = false;
    } else if (!is_smbus_eeprom(d) && len > rom_size) {
        compose_doc_error(s->doc, loc, "%s: contents: %zu bytes, more than "
                          "rom-size (%" PRIu64 ")", what, len, rom_size);
        ok = false;
    }
    return ok;
}

/*
 * An unrealized instance of @oc to look at its properties and children,
 * one per type and check: an SoC's instance builds all of its children.
 */
static Object *probe_of(ComposedMachineState *s, ObjectClass *oc)
{
    Object *probe = g_hash_table_lookup(s->probes, oc);

    if (!probe) {
        probe = object_new_with_class(oc);
        g_hash_table_insert(s->probes, oc, probe);
    }
    return probe;
}

static bool check_device(ComposedMachineState *s, ComposeEntity *ent,
                         GPtrArray *wires, GHashTable *i2c, const char *what)
{
    ComposeDevice *d = ent->decl;
    QDict *node = ent->node;
    ObjectClass *oc;
    Object *probe;
    bool ok = true;

    if (d->has_drop && d->drop) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(node, "drop")),
                          "%s: nothing named '%s' to drop", what, d->name);
        return false;
    }
    if (!d->type) {
        compose_doc_error(s->doc, ent->loc, "%s: 'type' is missing", what);
        return false;
    }
    oc = check_type(s, d->type, TYPE_DEVICE,
                    compose_doc_loc(s->doc, qdict_get(node, "type")), what);
    if (!oc) {
        return false;
    }
    if (d->mmio) {
        ComposeMmioList *ml, *ml2;

        for (ml = d->mmio; ml; ml = ml->next) {
            for (ml2 = ml->next; ml2; ml2 = ml2->next) {
                if ((ml->value->has_index ? ml->value->index : 0) ==
                    (ml2->value->has_index ? ml2->value->index : 0)) {
                    compose_doc_error(s->doc,
                                      compose_doc_loc(s->doc,
                                                      qdict_get(node, "mmio")),
                                      "%s: MMIO region %u is mapped twice",
                                      what, ml->value->has_index ?
                                      ml->value->index : 0);
                    ok = false;
                }
            }
        }
    }
    if (d->mmio && !object_class_dynamic_cast(oc, TYPE_SYS_BUS_DEVICE)) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(node, "mmio")),
                          "%s: '%s' is not a sysbus device and has no MMIO "
                          "regions", what, d->type);
        ok = false;
    }

    /* Properties exist on an unrealized instance, like -device checks */
    probe = probe_of(s, oc);
    ok &= check_props(s, probe, d->props, what);
    ok &= check_child_props(s, probe, d->child_props, d->type, what,
                            "child-props");
    if (d->clocks) {
        QDict *cd = qobject_to(QDict, d->clocks);
        const QDictEntry *e;

        if (!cd) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, d->clocks),
                              "%s: 'clocks' must be a mapping from clock "
                              "inputs to clocks", what);
            ok = false;
        }
        g_autofree const QDictEntry **e_all = compose_doc_entries(s->doc, cd);
        const QDictEntry **e_p;

        for (e_p = e_all; (e = *e_p); e_p++) {
            NamedClockList *ncl;
            const char *src = qobject_type(e->value) == QTYPE_QSTRING ?
                qstring_get_str(qobject_to(QString, e->value)) : NULL;
            bool found = false;

            QLIST_FOREACH(ncl, &DEVICE(probe)->clocks, node) {
                if (!ncl->output && g_str_equal(ncl->name, e->key)) {
                    found = true;
                }
            }
            if (!found) {
                compose_doc_error(s->doc, key_loc(s, cd, e->key),
                                  "%s: %s has no clock input '%s'", what,
                                  d->type, e->key);
                ok = false;
            }
            if (!src) {
                compose_doc_error(s->doc, compose_doc_loc(s->doc, e->value),
                                  "%s: clock '%s': expected a clock name or "
                                  "DEVICE.OUTPUT", what, e->key);
                ok = false;
            } else if (!strchr(src, '.')) {
                ok &= !!find_entity(s, src, ENTITY_CLOCK,
                                    compose_doc_loc(s->doc, e->value), what);
            } else {
                g_autofree char *dn = g_strndup(src, strchr(src, '.') - src);
                ComposeEntity *sd = find_entity(s, dn, ENTITY_DEVICE,
                                                compose_doc_loc(s->doc,
                                                                e->value),
                                                what);
                if (sd && sd->index >= ent->index) {
                    compose_doc_error(s->doc,
                                      compose_doc_loc(s->doc, e->value),
                                      "%s: clock source '%s' is declared "
                                      "later", what, dn);
                    ok = false;
                }
                ok &= !!sd;
            }
        }
    }
    if (d->nics) {
        strList *nl;

        for (nl = d->nics; nl; nl = nl->next) {
            Object *nic = g_str_equal(nl->value, ".") ? probe :
                          object_resolve_path_at(probe, nl->value);

            if (!nic || !object_dynamic_cast(nic, TYPE_DEVICE) ||
                !object_property_find(nic, "netdev")) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  qdict_get(node, "nics")),
                                  "%s: nics: '%s' is not a network device "
                                  "of %s", what, nl->value, d->type);
                ok = false;
            }
        }
    }
    ok &= check_serials(s, d, node, probe, what);
    ok &= check_child_props(s, probe, d->reset_props, d->type, what,
                            "reset-props");
    ok &= check_contents(s, d, node, what);

    if (d->props) {
        QObject *r = resolve_value(s, d->props, what, false);

        ok &= !!r;
        qobject_unref(r);
    }
    if (d->bus && strchr(d->bus, '/') && d->bus[0] != '/') {
        g_autofree char *dn = g_strndup(d->bus, strchr(d->bus, '/') - d->bus);
        ComposeEntity *parent = find_entity(s, dn, ENTITY_DEVICE,
                                            compose_doc_loc(s->doc,
                                                qdict_get(node, "bus")),
                                            what);

        if (parent && parent->index >= ent->index) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc, qdict_get(node, "bus")),
                              "%s: bus '%s' belongs to '%s', which is "
                              "declared later", what, d->bus, dn);
            ok = false;
        }
        ok &= !!parent;
    }
    if (d->bus && d->props && qobject_type(d->props) == QTYPE_QDICT) {
        QObject *a = qdict_get(qobject_to(QDict, d->props), "address");
        const char *as = a && qobject_type(a) == QTYPE_QSTRING ?
            qstring_get_str(qobject_to(QString, a)) : NULL;
        uint64_t addr;

        if (as && !qemu_strtou64(as, NULL, 0, &addr)) {
            g_autofree char *k = g_strdup_printf("%s@%" PRIu64, d->bus, addr);
            const ComposeLoc *prev = g_hash_table_lookup(i2c, k);

            if (prev) {
                compose_doc_error(s->doc, compose_doc_loc(s->doc, a),
                                  "%s: address 0x%" PRIx64 " on bus '%s' is "
                                  "already used at %s:%u:%u", what, addr,
                                  d->bus, prev->file, prev->line, prev->col);
                ok = false;
            } else {
                g_hash_table_insert(i2c, g_steal_pointer(&k),
                                    (gpointer)compose_doc_loc(s->doc, a));
            }
        }
    }
    ok &= collect_wires(s, ent, d->irqs, wires, what);
    return ok;
}

/*
 * QEMU's memory dispatch holds fewer sections per address space than
 * the target page size (1024 on ARM CPUs with 1 KiB pages) and asserts
 * beyond (phys_section_add()); every mapping adds at least one.  Stay
 * well below with room for what devices map themselves.
 */
#define COMPOSE_MAX_MAPPINGS 768

/*
 * Does a mapping into @container count against that limit?  Not when it
 * is a declared container that is itself not mapped anywhere.
 */
static bool reaches_memory(ComposedMachineState *s, const char *container)
{
    ComposeEntity *e;

    if (!container || container[0] == '/' || container[0] == '@') {
        return true;
    }
    e = g_hash_table_lookup(s->entities, container);
    return !e || e->kind != ENTITY_REGION ||
           ((ComposeRegion *)e->decl)->map != NULL;
}

/*
 * Probe instances made by the checks create the buses their
 * instance_init creates, which consumes automatic bus names ("fsi.bus.0"):
 * give them back so that the built machine names its buses as a board
 * built in C does.
 */
typedef struct BusIdSnapshot {
    BusClass *bc;
    int ids;
} BusIdSnapshot;

static GArray *bus_ids_save(void)
{
    GSList *list = object_class_get_list(TYPE_BUS, true), *l;
    GArray *a = g_array_new(false, false, sizeof(BusIdSnapshot));

    for (l = list; l; l = l->next) {
        BusIdSnapshot b = { BUS_CLASS(l->data), 0 };

        b.ids = b.bc->automatic_ids;
        g_array_append_val(a, b);
    }
    g_slist_free(list);
    return a;
}

static void bus_ids_restore(GArray *a)
{
    guint i;

    for (i = 0; i < a->len; i++) {
        BusIdSnapshot *b = &g_array_index(a, BusIdSnapshot, i);

        b->bc->automatic_ids = b->ids;
    }
    g_array_free(a, true);
}

static bool compose_check_board(ComposedMachineState *s);

/* What depends on the command line beyond conditions: -kernel */
bool compose_check_facts(ComposedMachineState *s)
{
    ComposeBoard *b = s->board;

    if (MACHINE(s)->kernel_filename &&
        (!b->boot || !b->boot->has_kind ||
         b->boot->kind == COMPOSE_BOOT_KIND_NONE)) {
        compose_doc_error(s->doc, NULL, "-kernel: this board description "
                          "has no boot protocol (boot.kind)");
        return false;
    }
    return true;
}

bool compose_check(ComposedMachineState *s)
{
    GArray *ids = bus_ids_save();
    bool ok;

    s->probes = g_hash_table_new_full(NULL, NULL, NULL, object_unref);
    ok = compose_check_board(s);
    g_clear_pointer(&s->probes, g_hash_table_destroy);
    bus_ids_restore(ids);
    return ok;
}

static bool compose_check_board(ComposedMachineState *s)
{
    ComposeBoard *b;
    g_autoptr(GPtrArray) wires = g_ptr_array_new_with_free_func(wire_free);
    g_autoptr(GHashTable) i2c = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                      g_free, NULL);
    g_autoptr(GArray) spans = g_array_new(false, true, sizeof(Span));
    ComposeClockList *cl;
    ComposeCpusList *cpl;
    ComposeRegionList *rl;
    ComposeDeviceList *dl;
    uint32_t ncpus = 0;
    unsigned i;
    bool ok = true;

    if (!compose_check_structure(s->doc, s->effective, &s->board)) {
        return false;
    }
    b = s->board;
    /* The RAM size is needed by the checks (@machine.ram, ram-map) */
    if (!MACHINE(s)->ram_size && b->machine && b->machine->has_ram_size) {
        MACHINE(s)->ram_size = MACHINE(s)->maxram_size = b->machine->ram_size;
        s->ram_from_desc = true;
    }
    if (s->entities) {
        g_hash_table_destroy(s->entities);
    }
    s->entities = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                        entity_free);

    /* Names first, so that references can point forward for messages */
    for (cl = b->clocks, i = 0; cl; cl = cl->next, i++) {
        ok &= !!add_entity(s, ENTITY_CLOCK, cl->value->name,
                           list_node(s, "clocks", i), cl->value);
    }
    for (cpl = b->cpus, i = 0; cpl; cpl = cpl->next, i++) {
        ComposeCpus *c = cpl->value;
        QDict *node = list_node(s, "cpus", i);
        const char *base = c->name ? c->name : "cpu";
        uint32_t count = c->has_count ? c->count : 1;
        g_autofree char *what = g_strdup_printf("cpus[%u] '%s'", i, base);
        ObjectClass *oc;
        uint32_t n;

        if (!count || count > COMPOSED_MACHINE_MAX_CPUS - ncpus) {
            compose_doc_error(s->doc, compose_doc_loc(s->doc, QOBJECT(node)),
                              "%s: count must be 1 to %u in total", what,
                              COMPOSED_MACHINE_MAX_CPUS);
            ok = false;
            continue;
        }
        ncpus += count;
        for (n = 0; n < count; n++) {
            g_autofree char *name = g_strdup_printf("%s%u", base, n);

            ok &= !!add_entity(s, ENTITY_CPU, name, node, c);
        }
        oc = check_type(s, c->type, TYPE_CPU,
                        compose_doc_loc(s->doc, qdict_get(node, "type")),
                        what);
        if (!oc) {
            ok = false;
            continue;
        }
        if (c->props) {
            ok &= check_props(s, probe_of(s, oc), c->props, what);
        }
        if (bool_list_length(c->start_powered_off) > count) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc,
                                  qdict_get(node, "start-powered-off")),
                              "%s: start-powered-off has more entries than "
                              "CPUs", what);
            ok = false;
        }
    }
    for (rl = b->memory, i = 0; rl; rl = rl->next, i++) {
        ok &= !!add_entity(s, ENTITY_REGION, rl->value->name,
                           list_node(s, "memory", i), rl->value);
    }
    for (dl = b->devices, i = 0; dl; dl = dl->next, i++) {
        ok &= !!add_entity(s, ENTITY_DEVICE, dl->value->name,
                           list_node(s, "devices", i), dl->value);
    }

    if (b->machine && b->machine->ram_map) {
        ComposeMap *m = b->machine->ram_map;
        const char *key;
        QDict *mn = qobject_to(QDict, qdict_get(s->effective, "machine"));
        const ComposeLoc *loc = mn ? compose_doc_loc(s->doc,
                                                     qdict_get(mn, "ram-map"))
                                   : NULL;

        if (!MACHINE(s)->ram_size) {
            compose_doc_error(s->doc, loc, "machine.ram-map: the machine has "
                              "no RAM (set machine.ram-size or -m)");
            ok = false;
        } else if (check_container(s, m->container, NULL, loc,
                                   "machine.ram-map", &key)) {
            Span sp = {
                .container = key, .start = m->addr,
                .last = m->addr + MACHINE(s)->ram_size - 1,
                .priority = m->has_priority ? m->priority : 0,
                .name = "machine RAM", .loc = loc,
            };

            if (m->addr > UINT64_MAX - (MACHINE(s)->ram_size - 1)) {
                compose_doc_error(s->doc, loc, "machine.ram-map: address "
                                  "0x%" PRIx64 " + RAM size overflows",
                                  m->addr);
                ok = false;
            } else {
                g_array_append_val(spans, sp);
            }
        } else {
            ok = false;
        }
    }
    for (rl = b->memory, i = 0; rl; rl = rl->next, i++) {
        ComposeRegion *r = rl->value;
        QDict *node = list_node(s, "memory", i);
        g_autofree char *what = g_strdup_printf("memory[%u] '%s'", i, r->name);
        ComposeEntity *e = entity_of(s, r->name, r);
        const char *key;

        if (!check_region(s, r, node, what)) {
            ok = false;
            continue;
        }
        if (r->map) {
            const ComposeLoc *ml = compose_doc_loc(s->doc,
                                                   qdict_get(node, "map"));

            if (!check_container(s, r->map->container, e, ml, what, &key)) {
                ok = false;
            } else if (r->size &&
                       r->map->addr <= UINT64_MAX - (r->size - 1)) {
                Span sp = {
                    .container = key, .start = r->map->addr,
                    .last = r->map->addr + r->size - 1,
                    .priority = r->map->has_priority ? r->map->priority : 0,
                    .name = r->name, .loc = ml,
                };

                g_array_append_val(spans, sp);
            }
        }
    }
    ok &= check_overlaps(s, spans);

    {
        unsigned maps = b->machine && b->machine->ram_map ? 1 : 0;
        ComposeMmioList *ml;

        for (rl = b->memory; rl; rl = rl->next) {
            maps += rl->value->map &&
                    reaches_memory(s, rl->value->map->container);
        }
        for (dl = b->devices; dl; dl = dl->next) {
            for (ml = dl->value->mmio; ml; ml = ml->next) {
                maps += reaches_memory(s, ml->value->container);
            }
        }
        if (maps > COMPOSE_MAX_MAPPINGS) {
            compose_doc_error(s->doc,
                              compose_doc_key_loc(s->doc, s->effective,
                                                  "devices"),
                              "the description maps %u memory regions; "
                              "QEMU supports at most %d here", maps,
                              COMPOSE_MAX_MAPPINGS);
            ok = false;
        }
    }
    for (dl = b->devices, i = 0; dl; dl = dl->next, i++) {
        g_autofree char *what = g_strdup_printf("devices[%u] '%s'", i,
                                                dl->value->name);
        ComposeEntity *e = entity_of(s, dl->value->name, dl->value);

        /* A device whose name was refused is not checked further */
        ok &= e && check_device(s, e, wires, i2c, what);
    }
    for (i = 0; i < wires->len; i++) {
        Wire *w = g_ptr_array_index(wires, i);
        ComposeEntity *t = find_entity(s, w->in.dev, -1, w->loc,
                                       w->src->name);

        if (t && t->kind != ENTITY_DEVICE && t->kind != ENTITY_CPU) {
            compose_doc_error(s->doc, w->loc, "%s: irqs: '%s' is a %s, not "
                              "a device or CPU", w->src->name, w->in.dev,
                              entity_kind_name[t->kind]);
            ok = false;
        }
        ok &= !!t;
    }
    ok &= check_fan_in(s, wires);
    for (cpl = b->cpus, i = 0; cpl; cpl = cpl->next, i++) {
        g_autofree char *what = g_strdup_printf("cpus[%u] '%s'", i,
                                                cpl->value->name ?
                                                cpl->value->name : "cpu");

        ok &= check_gate(s, cpl->value->gate, list_node(s, "cpus", i), wires,
                         what);
    }
    for (dl = b->devices, i = 0; dl; dl = dl->next, i++) {
        g_autofree char *what = g_strdup_printf("devices[%u] '%s'", i,
                                                dl->value->name);

        ok &= check_gate(s, dl->value->gate, list_node(s, "devices", i),
                         wires, what);
        ok &= check_parent(s, dl->value, list_node(s, "devices", i), what);
    }

    if (b->boot) {
        ComposeBoot *bt = b->boot;
        QDict *bn = qobject_to(QDict, qdict_get(s->effective, "boot"));

        ComposeImageList *il;
        QList *inodes = qobject_to(QList, qdict_get(bn, "images"));
        QListEntry *ie = inodes ? QTAILQ_FIRST(&inodes->head) : NULL;

        if (bt->cpu && !find_entity(s, bt->cpu, ENTITY_CPU,
                                    compose_doc_loc(s->doc,
                                                    qdict_get(bn, "cpu")),
                                    "boot")) {
            ok = false;
        }
        for (il = bt->images; il; il = il->next) {
            QDict *in = ie ? qobject_to(QDict, ie->value) : NULL;

            if (get_image_size(il->value->file) < 0) {
                compose_doc_error(s->doc,
                                  in ? compose_doc_loc(s->doc,
                                                       qdict_get(in, "file"))
                                     : NULL,
                                  "boot: cannot read image '%s'",
                                  il->value->file);
                ok = false;
            }
            ie = ie ? QTAILQ_NEXT(ie, next) : NULL;
        }
    }
    ok &= compose_check_facts(s);

    s->ncpus = b->machine && b->machine->has_cpus ? b->machine->cpus : ncpus;
    if (b->machine && b->machine->has_cpus && ncpus &&
        b->machine->cpus != ncpus) {
        compose_doc_error(s->doc, NULL, "machine.cpus is %u but 'cpus' "
                          "declares %u", b->machine->cpus, ncpus);
        ok = false;
    }
    return ok;
}

/* --- building --- */

static void cpu_reset_handler(void *opaque)
{
    cpu_reset(CPU(opaque));
}

static MemoryRegion *container_mr(ComposedMachineState *s, const char *spec,
                                  const ComposeLoc *loc, const char *what)
{
    ComposeEntity *e;
    Object *o;

    if (!spec || g_str_equal(spec, "@system-memory")) {
        return get_system_memory();
    }
    if (spec[0] != '/') {
        e = g_hash_table_lookup(s->entities, spec);
        return e ? e->mr : NULL;
    }
    o = object_resolve_path_type(spec, TYPE_MEMORY_REGION, NULL);
    if (!o) {
        compose_doc_error(s->doc, loc, "%s: no memory region '%s'", what,
                          spec);
        return NULL;
    }
    return MEMORY_REGION(o);
}

static void map_region(MemoryRegion *container, MemoryRegion *mr,
                       hwaddr addr, bool has_prio, int prio)
{
    if (has_prio) {
        memory_region_add_subregion_overlap(container, addr, mr, prio);
    } else {
        memory_region_add_subregion(container, addr, mr);
    }
}

/*
 * Contents of a RAM/ROM region from the start of a drive, as the ASPEED
 * boards install their boot ROM from the boot flash.  Nothing without
 * that drive.
 */
static bool fill_from_drive(ComposedMachineState *s, ComposeEntity *e,
                            const char *what)
{
    ComposeRegion *r = e->decl;
    const ComposeLoc *loc = compose_doc_loc(s->doc, qdict_get(e->node,
                                                              "from-drive"));
    g_autofree char *name = resolve_ref(s, r->from_drive + 1, loc, what,
                                        true);
    BlockBackend *blk = name && *name ? blk_by_name(name) : NULL;
    int64_t len;
    uint64_t n;

    if (!blk) {
        return !!name;
    }
    len = blk_getlength(blk);
    if (len <= 0) {
        compose_doc_error(s->doc, loc, "%s: cannot get the size of drive "
                          "'%s'", what, name);
        return false;
    }
    n = MIN((uint64_t)len, r->size);
    if (blk_pread(blk, 0, n, memory_region_get_ram_ptr(e->mr), 0) < 0) {
        compose_doc_error(s->doc, loc, "%s: cannot read drive '%s'", what,
                          name);
        return false;
    }
    return true;
}

/*
 * load_image_mr() installs the file as a ROM blob, copied in at every
 * reset.  Put it in now as well: an M-profile CPU reads its vector table
 * during the first reset, before the blobs are copied, and QEMU's
 * rom_ptr() does not look at blobs that belong to a region.
 */
static bool preload_file(const char *file, MemoryRegion *mr)
{
    g_autofree char *data = NULL;
    gsize len;

    if (!g_file_get_contents(file, &data, &len, NULL)) {
        return false;
    }
    memcpy(memory_region_get_ram_ptr(mr), data,
           MIN(len, memory_region_size(mr)));
    return true;
}

static bool build_region(ComposedMachineState *s, ComposeEntity *e,
                         const char *what)
{
    ComposeRegion *r = e->decl;
    MachineState *ms = MACHINE(s);
    Error *err = NULL;

    e->mr = g_new0(MemoryRegion, 1);
    switch (r->kind) {
    case COMPOSE_REGION_KIND_RAM:
        memory_region_init_ram(e->mr, NULL, r->name, r->size, &err);
        break;
    case COMPOSE_REGION_KIND_ROM:
        memory_region_init_rom(e->mr, NULL, r->name, r->size, &err);
        break;
    case COMPOSE_REGION_KIND_CONTAINER:
        memory_region_init(e->mr, NULL, r->name, r->size);
        break;
    case COMPOSE_REGION_KIND_ALIAS: {
        MemoryRegion *t;

        if (g_str_equal(r->alias, "@machine.ram")) {
            t = ms->ram;
        } else {
            t = ((ComposeEntity *)g_hash_table_lookup(s->entities,
                                                      r->alias))->mr;
        }
        memory_region_init_alias(e->mr, NULL, r->name, t,
                                 r->has_offset ? r->offset : 0, r->size);
        break;
    }
    default:
        g_assert_not_reached();
    }
    if (err) {
        compose_doc_error(s->doc, e->loc, "%s: %s", what,
                          error_get_pretty(err));
        error_free(err);
        return false;
    }
    if (r->from_drive && !fill_from_drive(s, e, what)) {
        return false;
    }
    if (r->file && (load_image_mr(r->file, e->mr) < 0 ||
                    !preload_file(r->file, e->mr))) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(e->node, "file")),
                          "%s: cannot load '%s'", what, r->file);
        return false;
    }
    return true;
}

static BusState *find_bus(ComposedMachineState *s, ComposeEntity *e,
                          const char *spec, const char *what)
{
    const ComposeLoc *loc = compose_doc_loc(s->doc,
                                            qdict_get(e->node, "bus"));
    const char *slash = strchr(spec, '/');
    bool ambiguous = false;
    Object *o = NULL;

    if (slash && spec[0] != '/') {
        g_autofree char *dn = g_strndup(spec, slash - spec);
        ComposeEntity *p = g_hash_table_lookup(s->entities, dn);

        o = object_resolve_path_at(p->obj, slash + 1);
        if (o && object_dynamic_cast(o, TYPE_DEVICE) &&
            DEVICE(o)->num_child_bus == 1) {
            /* a device with one bus (a controller): that bus */
            o = OBJECT(QLIST_FIRST(&DEVICE(o)->child_bus));
        } else if (!o || !object_dynamic_cast(o, TYPE_BUS)) {
            BusState *b = qdev_get_child_bus(DEVICE(p->obj), slash + 1);

            o = b ? OBJECT(b) : NULL;
        }
    } else {
        o = object_resolve_path_type(spec, TYPE_BUS, &ambiguous);
    }
    if (!o) {
        compose_doc_error(s->doc, loc, "%s: %s bus '%s'", what,
                          ambiguous ? "ambiguous" : "no", spec);
        return NULL;
    }
    return BUS(o);
}

static NamedGPIOList *find_gpio(DeviceState *dev, const char *name)
{
    NamedGPIOList *ngl;

    QLIST_FOREACH(ngl, &dev->gpios, node) {
        if (!g_strcmp0(ngl->name, name)) {
            return ngl;
        }
    }
    return NULL;
}

static bool build_eeprom(ComposedMachineState *s, ComposeEntity *e,
                         const char *what)
{
    ComposeDevice *d = e->decl;
    QDict *props = qobject_to(QDict, d->props);
    BusState *bus = find_bus(s, e, d->bus, what);
    uint64_t addr = 0, rom_size = 0;
    size_t len;
    uint8_t *buf;

    if (!bus) {
        return false;
    }
    if (!object_dynamic_cast(OBJECT(bus), TYPE_I2C_BUS)) {
        compose_doc_error(s->doc, compose_doc_loc(s->doc,
                                                  qdict_get(e->node, "bus")),
                          "%s: %s cannot go on bus '%s' (a %s)", what,
                          d->type, d->bus, object_get_typename(OBJECT(bus)));
        return false;
    }
    /* checked by check_contents() */
    qemu_strtou64(qdict_get_str(props, "address"), NULL, 0, &addr);
    buf = contents_bytes(s, d, e->node, SMBUS_EEPROM_SIZE, &len, what);
    if (!buf) {
        return false;
    }
    /* the device keeps the buffer */
    g_ptr_array_add(s->buffers, buf);
    if (is_smbus_eeprom(d)) {
        smbus_eeprom_init_one(I2C_BUS(bus), addr, buf);
        /* children are added at the head of the bus' list */
        e->obj = OBJECT(QTAILQ_FIRST(&bus->children)->child);
        return true;
    }
    qemu_strtou64(qdict_get_str(props, "rom-size"), NULL, 0, &rom_size);
    e->obj = OBJECT(at24c_eeprom_init_rom(I2C_BUS(bus), addr, rom_size, buf,
                                          len));
    return true;
}

/*
 * A cpu-cluster collects the CPUs below it when it is realized and
 * asserts that there is one: say so instead.
 */
static bool cluster_has_cpus(ComposedMachineState *s, ComposeEntity *e,
                             const char *what)
{
    g_autoptr(GPtrArray) cpus = NULL;

    if (!object_dynamic_cast(e->obj, TYPE_CPU_CLUSTER)) {
        return true;
    }
    cpus = g_ptr_array_new();
    object_child_foreach_recursive(e->obj, collect_cpu, cpus);
    if (!cpus->len) {
        compose_doc_error(s->doc, e->loc, "%s: the cluster holds no CPU yet: "
                          "declare it after the devices that create its "
                          "CPUs, with their 'parent' set to it", what);
        return false;
    }
    return true;
}

static bool build_device(ComposedMachineState *s, ComposeEntity *e,
                         const char *what)
{
    ComposeDevice *d = e->decl;
    DeviceState *dev;
    DeviceClass *dc;
    BusState *bus = NULL;
    ComposeMmioList *ml;
    strList *nl;
    Error *err = NULL;
    bool ok = true;
    unsigned i, nser;

    if (uses_eeprom_helper(d)) {
        return build_eeprom(s, e, what);
    }
    dev = DEVICE(e->obj);
    dc = DEVICE_GET_CLASS(dev);
    ok &= set_props(s, e->obj, d->props, what);
    if (d->child_props) {
        QDict *cp = qobject_to(QDict, d->child_props);
        const QDictEntry *ce;

        g_autofree const QDictEntry **ce_all = compose_doc_entries(s->doc, cp);
        const QDictEntry **ce_p;

        for (ce_p = ce_all; (ce = *ce_p); ce_p++) {
            g_autofree char *w = g_strdup_printf("%s child '%s'", what,
                                                 ce->key);

            ok &= set_props(s, child_or_self(e->obj, ce->key), ce->value,
                            w);
        }
    }
    if (d->clocks) {
        QDict *cd = qobject_to(QDict, d->clocks);
        const QDictEntry *ce;

        g_autofree const QDictEntry **ce_all = compose_doc_entries(s->doc, cd);
        const QDictEntry **ce_p;

        for (ce_p = ce_all; (ce = *ce_p); ce_p++) {
            const char *src = qstring_get_str(qobject_to(QString, ce->value));
            const char *dot = strchr(src, '.');
            Clock *clk = NULL;

            if (!dot) {
                clk = ((ComposeEntity *)g_hash_table_lookup(s->entities,
                                                            src))->clk;
            } else {
                g_autofree char *dn = g_strndup(src, dot - src);
                ComposeEntity *sd = g_hash_table_lookup(s->entities, dn);
                NamedClockList *ncl;

                QLIST_FOREACH(ncl, &DEVICE(sd->obj)->clocks, node) {
                    if (ncl->output && g_str_equal(ncl->name, dot + 1)) {
                        clk = ncl->clock;
                    }
                }
                if (!clk) {
                    compose_doc_error(s->doc,
                                      compose_doc_loc(s->doc, ce->value),
                                      "%s: '%s' has no clock output '%s'",
                                      what, dn, dot + 1);
                    ok = false;
                    continue;
                }
            }
            qdev_connect_clock_in(dev, ce->key, clk);
        }
    }
    /* -serial options in order; a repeated entry was bound already */
    for (nl = d->serials, nser = 0; nl; nl = nl->next) {
        Chardev *chr;
        strList *prev;

        for (prev = d->serials; prev != nl; prev = prev->next) {
            if (g_str_equal(prev->value, nl->value)) {
                break;
            }
        }
        if (prev != nl) {
            continue;
        }
        chr = serial_hd(nser++);
        if (chr) {
            object_property_set_str(child_or_self(e->obj, nl->value),
                                    "chardev", chr->label, &err);
            if (err) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  qdict_get(e->node,
                                                            "serials")),
                                  "%s: serials: '%s': %s", what, nl->value,
                                  error_get_pretty(err));
                error_free(err);
                err = NULL;
                ok = false;
            }
        }
    }
    for (nl = d->nics; ok && nl; nl = nl->next) {
        Object *nic = g_str_equal(nl->value, ".") ? e->obj :
                      object_resolve_path_at(e->obj, nl->value);

        /* the next -nic option, as board code does; false: none left */
        if (!qemu_configure_nic_device(DEVICE(nic), true, NULL)) {
            break;
        }
    }
    if (!ok) {
        return false;
    }

    if (d->bus) {
        bus = find_bus(s, e, d->bus, what);
        if (!bus) {
            return false;
        }
        if (!dc->bus_type || !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc,
                                              qdict_get(e->node, "bus")),
                              "%s: %s cannot go on bus '%s' (a %s)", what,
                              d->type, d->bus,
                              object_get_typename(OBJECT(bus)));
            return false;
        }
    } else if (dc->bus_type) {
        if (!object_dynamic_cast(e->obj, TYPE_SYS_BUS_DEVICE)) {
            compose_doc_error(s->doc, e->loc, "%s: %s needs a '%s' bus: set "
                              "'bus'", what, d->type, dc->bus_type);
            return false;
        }
        bus = sysbus_get_default();
    }
    if (!cluster_has_cpus(s, e, what)) {
        return false;
    }
    if (!qdev_realize(dev, bus, &err)) {
        compose_doc_error(s->doc, e->loc, "%s: %s", what,
                          error_get_pretty(err));
        error_free(err);
        return false;
    }

    for (ml = d->mmio, i = 0; ml; ml = ml->next, i++) {
        ComposeMmio *m = ml->value;
        SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
        unsigned n = m->has_index ? m->index : 0;
        QList *mnodes = qobject_to(QList, qdict_get(e->node, "mmio"));
        QListEntry *le;
        const ComposeLoc *loc = e->loc;
        unsigned k = i;

        QTAILQ_FOREACH(le, &mnodes->head, next) {
            if (!k--) {
                loc = compose_doc_loc(s->doc, le->value);
                break;
            }
        }
        if (!sysbus_has_mmio(sbd, n)) {
            compose_doc_error(s->doc, loc, "%s: %s has no MMIO region %u",
                              what, d->type, n);
            ok = false;
            continue;
        }
        if (sysbus_mmio_get_region(sbd, n)->container) {
            compose_doc_error(s->doc, loc, "%s: %s maps its MMIO region %u "
                              "itself", what, d->type, n);
            ok = false;
            continue;
        }
        if (!m->container) {
            if (m->has_priority) {
                sysbus_mmio_map_overlap(sbd, n, m->addr, m->priority);
            } else {
                sysbus_mmio_map(sbd, n, m->addr);
            }
        } else {
            MemoryRegion *c = container_mr(s, m->container, loc, what);

            if (!c) {
                ok = false;
                continue;
            }
            map_region(c, sysbus_mmio_get_region(sbd, n), m->addr,
                       m->has_priority, m->has_priority ? m->priority : 0);
        }
    }
    return ok;
}

static bool wire_one(ComposedMachineState *s, Wire *w, unsigned j,
                     qemu_irq in)
{
    DeviceState *src = DEVICE(w->src->obj);
    NamedGPIOList *out = find_gpio(src, w->out.name);
    unsigned idx = w->out.first + j;

    if (!out || idx >= out->num_out) {
        g_autofree char *o = gpio_ref_str(&w->out, j);

        compose_doc_error(s->doc, w->loc, "%s: irqs: %s has no output '%s'%s",
                          w->src->name, object_get_typename(OBJECT(src)), o,
                          out ? "" : " (no GPIO output of that name)");
        return false;
    }
    if (w->out.name && g_str_equal(w->out.name, SYSBUS_DEVICE_GPIO_IRQ)) {
        sysbus_connect_irq(SYS_BUS_DEVICE(src), idx, in);
    } else {
        qdev_connect_gpio_out_named(src, w->out.name, idx, in);
    }
    return true;
}

static qemu_irq input_of(ComposedMachineState *s, Wire *w, unsigned j)
{
    ComposeEntity *t = g_hash_table_lookup(s->entities, w->in.dev);
    DeviceState *dev = DEVICE(t->obj);
    NamedGPIOList *in = find_gpio(dev, w->in.name);
    unsigned idx = w->in.first + j;

    if (!in || idx >= in->num_in) {
        g_autofree char *r = gpio_ref_str(&w->in, j);

        compose_doc_error(s->doc, w->loc, "%s: irqs: %s has no input '%s' "
                          "(%s)", w->src->name,
                          object_get_typename(OBJECT(dev)), r,
                          in ? "index out of range" : "no GPIO input of that "
                          "name");
        return NULL;
    }
    return qdev_get_gpio_in_named(dev, w->in.name, idx);
}

/* Connect the wires; fan-in goes through one combine gate per input */
static bool build_wires(ComposedMachineState *s)
{
    g_autoptr(GPtrArray) wires = g_ptr_array_new_with_free_func(wire_free);
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash,
                                                         g_str_equal, g_free,
                                                         NULL);
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    ComposeDeviceList *dl;
    unsigned ngates = 0;
    bool ok = true;
    guint i, k;
    unsigned j;

    for (dl = s->board->devices; dl; dl = dl->next) {
        collect_wires(s, g_hash_table_lookup(s->entities, dl->value->name),
                      dl->value->irqs, wires, dl->value->name);
    }
    /* Group the lines by input, in declaration order */
    for (i = 0; i < wires->len; i++) {
        Wire *w = g_ptr_array_index(wires, i);

        for (j = 0; j < w->in.count; j++) {
            g_autofree char *in = gpio_ref_str(&w->in, j);
            GPtrArray *g = g_hash_table_lookup(groups, in);

            if (!g) {
                g = g_ptr_array_new();
                g_hash_table_insert(groups, g_strdup(in), g);
                g_ptr_array_add(order, g);
            }
            g_ptr_array_add(g, w);
            g_ptr_array_add(g, GUINT_TO_POINTER(j));
        }
    }
    for (i = 0; i < order->len; i++) {
        GPtrArray *g = g_ptr_array_index(order, i);
        Wire *w0 = g_ptr_array_index(g, 0);
        qemu_irq in = input_of(s, w0, GPOINTER_TO_UINT(g->pdata[1]));

        if (!in) {
            ok = false;
        } else if (g->len == 2) {
            ok &= wire_one(s, w0, GPOINTER_TO_UINT(g->pdata[1]), in);
        } else {
            unsigned lines = g->len / 2;
            const char *type = g_str_equal(w0->combine, "and") ?
                               TYPE_AND_IRQ : TYPE_OR_IRQ;
            g_autofree char *name = g_strdup_printf("combine[%u]", ngates++);
            DeviceState *gate = qdev_new(type);

            object_property_add_child(OBJECT(s), name, OBJECT(gate));
            object_unref(OBJECT(gate));
            qdev_prop_set_uint16(gate, "num-lines", lines);
            qdev_realize(gate, NULL, &error_fatal);
            qdev_connect_gpio_out(gate, 0, in);
            for (k = 0; k < lines; k++) {
                ok &= wire_one(s, g_ptr_array_index(g, 2 * k),
                               GPOINTER_TO_UINT(g->pdata[2 * k + 1]),
                               qdev_get_gpio_in(gate, k));
            }
        }
        g_ptr_array_free(g, true);
    }
    return ok;
}

/* Set the reset-props of every device; false after reporting */
static bool apply_reset_props(ComposedMachineState *s)
{
    ComposeDeviceList *dl;
    bool ok = true;
    unsigned i;

    for (dl = s->board->devices, i = 0; dl; dl = dl->next, i++) {
        ComposeEntity *e = g_hash_table_lookup(s->entities, dl->value->name);
        QDict *rp = qobject_to(QDict, dl->value->reset_props);
        const QDictEntry *ce;

        if (!rp || !e->obj) {
            continue;
        }
        g_autofree const QDictEntry **ce_all = compose_doc_entries(s->doc, rp);
        const QDictEntry **ce_p;

        for (ce_p = ce_all; (ce = *ce_p); ce_p++) {
            g_autofree char *w = g_strdup_printf("devices[%u] '%s' "
                                                 "reset-props '%s'", i,
                                                 e->name, ce->key);

            ok &= set_props(s, child_or_self(e->obj, ce->key), ce->value, w);
        }
    }
    return ok;
}

void compose_reset(ComposedMachineState *s)
{
    if (!apply_reset_props(s)) {
        g_autofree char *all = compose_doc_errors_string(s->doc);

        /* checked at build: only a device refusing a value now */
        warn_report("composed machine reset: %s", all);
    }
}

/*
 * Devices: all created first, so that links may point forward, then
 * added to their parents (the machine, or a device's "parent")
 */
static bool create_devices(ComposedMachineState *s)
{
    ComposeDeviceList *dl;
    unsigned i;
    bool ok = true;

    for (dl = s->board->devices; dl; dl = dl->next) {
        ComposeEntity *e = g_hash_table_lookup(s->entities, dl->value->name);

        if (uses_eeprom_helper(dl->value)) {
            continue;           /* created by build_eeprom() */
        }
        e->obj = OBJECT(qdev_new(dl->value->type));
    }
    for (dl = s->board->devices, i = 0; dl; dl = dl->next, i++) {
        ComposeEntity *e = g_hash_table_lookup(s->entities, dl->value->name);
        ComposeEntity *p = dl->value->parent ?
            g_hash_table_lookup(s->entities, dl->value->parent) : NULL;
        Error *err = NULL;

        if (!e->obj) {
            continue;
        }
        /* a device's own children may already use the name */
        if (!object_property_try_add_child(p ? p->obj : OBJECT(s), e->name,
                                           e->obj, &err)) {
            compose_doc_error(s->doc, e->loc, "devices[%u] '%s': %s", i,
                              e->name, error_get_pretty(err));
            error_free(err);
            ok = false;
            continue;       /* QEMU exits: the reference stays */
        }
        object_unref(e->obj);
    }
    return ok;
}

bool compose_build(ComposedMachineState *s)
{
    MachineState *ms = MACHINE(s);
    ComposeBoard *b = s->board;
    ComposeClockList *cl;
    ComposeCpusList *cpl;
    ComposeRegionList *rl;
    ComposeDeviceList *dl;
    CPUState *primary = NULL;
    g_autoptr(GPtrArray) gated = NULL;
    bool mixed = false;
    unsigned i;
    bool ok = true;

    s->cpus = g_ptr_array_new();
    s->buffers = g_ptr_array_new_with_free_func(g_free);

    for (cl = b->clocks; cl; cl = cl->next) {
        ComposeEntity *e = g_hash_table_lookup(s->entities, cl->value->name);

        e->clk = clock_new(OBJECT(s), cl->value->name);
        clock_set_hz(e->clk, cl->value->hz);
    }

    /*
     * TCG needs CPUs of different types in different clusters: then every
     * group gets its own cpu-cluster (realized before its CPUs, with the
     * CPUs as its children).
     */
    for (cpl = b->cpus; cpl; cpl = cpl->next) {
        mixed |= !g_str_equal(cpl->value->type, b->cpus->value->type);
    }
    gated = g_ptr_array_new_with_free_func((GDestroyNotify)
                                           g_ptr_array_unref);
    for (cpl = b->cpus, i = 0; cpl; cpl = cpl->next, i++) {
        ComposeCpus *c = cpl->value;
        uint32_t count = c->has_count ? c->count : 1;
        boolList *off = c->start_powered_off;
        GPtrArray *group = g_ptr_array_new();
        Object *parent = OBJECT(s);
        Error *err = NULL;
        uint32_t n;

        g_ptr_array_add(gated, group);
        if (mixed) {
            g_autofree char *cname = g_strdup_printf("cluster[%u]", i);
            DeviceState *cluster = qdev_new(TYPE_CPU_CLUSTER);

            object_property_add_child(OBJECT(s), cname, OBJECT(cluster));
            object_unref(OBJECT(cluster));
            qdev_prop_set_uint32(cluster, "cluster-id", i);
            parent = OBJECT(cluster);
        }
        for (n = 0; n < count; n++) {
            g_autofree char *name = g_strdup_printf("%s%u",
                                                    c->name ? c->name : "cpu",
                                                    n);
            g_autofree char *what = g_strdup_printf("cpus[%u] '%s'", i, name);
            ComposeEntity *e = g_hash_table_lookup(s->entities, name);

            e->obj = object_new(c->type);
            object_property_add_child(parent, name, e->obj);
            object_unref(e->obj);
            if (!set_props(s, e->obj, c->props, what)) {
                return false;
            }
            if (off || c->gate) {
                /* a gated CPU waits for its gate */
                object_property_set_bool(e->obj, "start-powered-off",
                                         c->gate || off->value,
                                         &error_abort);
                off = off ? off->next : NULL;
            }
            g_ptr_array_add(group, CPU(e->obj));
        }
        if (mixed && !qdev_realize(DEVICE(parent), NULL, &err)) {
            compose_doc_error(s->doc, NULL, "cpus[%u]: %s", i,
                              error_get_pretty(err));
            error_free(err);
            return false;
        }
        for (n = 0; n < group->len; n++) {
            CPUState *cpu = g_ptr_array_index(group, n);

            if (!qdev_realize(DEVICE(cpu), NULL, &err)) {
                compose_doc_error(s->doc,
                                  compose_doc_loc(s->doc,
                                                  QOBJECT(list_node(s, "cpus",
                                                                    i))),
                                  "cpus[%u]: %s", i, error_get_pretty(err));
                error_free(err);
                return false;
            }
            g_ptr_array_add(s->cpus, cpu);
        }
    }

    if (b->machine && b->machine->ram_map) {
        ComposeMap *m = b->machine->ram_map;
        MemoryRegion *c = container_mr(s, m->container, NULL, "machine");

        if (!c) {
            return false;
        }
        map_region(c, ms->ram, m->addr, m->has_priority,
                   m->has_priority ? m->priority : 0);
    }

    /* Regions mapped into declared containers or system memory now */
    for (rl = b->memory, i = 0; rl; rl = rl->next, i++) {
        ComposeRegion *r = rl->value;
        ComposeEntity *e = g_hash_table_lookup(s->entities, r->name);
        g_autofree char *what = g_strdup_printf("memory[%u] '%s'", i,
                                                r->name);

        if (!build_region(s, e, what)) {
            return false;
        }
    }

    if (!create_devices(s)) {
        return false;
    }
    for (dl = b->devices, i = 0; dl; dl = dl->next, i++) {
        g_autofree char *what = g_strdup_printf("devices[%u] '%s'", i,
                                                dl->value->name);

        if (!build_device(s, g_hash_table_lookup(s->entities,
                                                 dl->value->name), what)) {
            return false;
        }
    }

    /*
     * Regions are mapped once the devices exist, as boards add theirs
     * after creating the SoC: a region overlapping what a device maps
     * itself at the same priority then wins, as in those boards.
     */
    for (rl = b->memory, i = 0; rl; rl = rl->next, i++) {
        ComposeRegion *r = rl->value;
        ComposeEntity *e = g_hash_table_lookup(s->entities, r->name);
        g_autofree char *what = g_strdup_printf("memory[%u] '%s'", i,
                                                r->name);

        if (r->map) {
            MemoryRegion *c = container_mr(s, r->map->container,
                                           compose_doc_loc(s->doc,
                                               qdict_get(e->node, "map")),
                                           what);

            if (!c) {
                ok = false;
                continue;
            }
            map_region(c, e->mr, r->map->addr, r->map->has_priority,
                       r->map->has_priority ? r->map->priority : 0);
        }
    }
    if (!ok || !build_wires(s) || !apply_reset_props(s)) {
        return false;
    }
    for (cpl = b->cpus, i = 0; cpl; cpl = cpl->next, i++) {
        g_autofree char *what = g_strdup_printf("cpus[%u]", i);

        if (cpl->value->gate &&
            !build_gate(s, cpl->value->gate, g_ptr_array_index(gated, i),
                        what)) {
            return false;
        }
    }
    for (dl = b->devices, i = 0; dl; dl = dl->next, i++) {
        g_autofree char *what = g_strdup_printf("devices[%u] '%s'", i,
                                                dl->value->name);

        if (dl->value->gate &&
            !build_device_gate(s, g_hash_table_lookup(s->entities,
                                                      dl->value->name),
                               what)) {
            return false;
        }
    }
    if (b->machine && b->machine->has_cpus) {
        CPUState *cpu;
        unsigned n = 0;

        CPU_FOREACH(cpu) {
            n++;
        }
        if (n != b->machine->cpus) {
            QDict *mn = qobject_to(QDict, qdict_get(s->effective, "machine"));

            compose_doc_error(s->doc,
                              compose_doc_loc(s->doc, qdict_get(mn, "cpus")),
                              "machine.cpus is %u but the machine has %u "
                              "CPUs", b->machine->cpus, n);
            return false;
        }
    }

    /* Boot */
    if (b->boot && b->boot->cpu) {
        ComposeEntity *e = g_hash_table_lookup(s->entities, b->boot->cpu);

        primary = CPU(e->obj);
    } else if (s->cpus->len) {
        primary = g_ptr_array_index(s->cpus, 0);
    } else {
        primary = first_cpu;
    }
    if (b->boot && b->boot->has_kind &&
        b->boot->kind != COMPOSE_BOOT_KIND_NONE) {
        Error *err = NULL;

        if (!primary) {
            compose_doc_error(s->doc, NULL, "boot: the machine has no CPU");
            return false;
        }
        if (!composed_machine_boot(s, b->boot, primary, &err)) {
            compose_doc_error(s->doc, NULL, "boot: %s",
                              error_get_pretty(err));
            error_free(err);
            return false;
        }
    } else {
        CPUState *cpu;

        /* No boot protocol: CPUs start at their reset vector */
        CPU_FOREACH(cpu) {
            qemu_register_reset(cpu_reset_handler, cpu);
        }
    }
    if (b->boot) {
        ComposeImageList *il;

        for (il = b->boot->images; il; il = il->next) {
            if (load_image_targphys(il->value->file, il->value->addr,
                                    UINT64_MAX) < 0) {
                compose_doc_error(s->doc, NULL, "boot: cannot load '%s'",
                                  il->value->file);
                return false;
            }
        }
    }
    return true;
}
