/*
 * Composed machine: names, references and GPIO wires
 *
 * The vocabulary the check and the build share: the entities a
 * description names (clocks, CPUs, regions, devices) in one name space,
 * what a "@REF" property value stands for, and the "irqs" of devices
 * parsed into wires.  Lookups are by hash: every check stage is linear
 * in the size of the description.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qapi/util.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "chardev/char.h"
#include "exec/address-spaces.h"
#include "hw/clock.h"
#include "hw/or-irq.h"
#include "system/block-backend.h"
#include "system/blockdev.h"
#include "system/system.h"
#include "machine-compose-plan.h"

/* --- diagnostics --- */

void compose_plan_error(const ComposePlan *p, const ComposeLoc *loc,
                        const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!loc) {
        /* nothing nearer: where the description starts */
        loc = compose_doc_loc(p->doc, QOBJECT(p->tree));
    }
    compose_doc_error(p->doc, loc, "%s", msg);
}

const ComposeLoc *compose_plan_loc(const ComposePlan *p, QObject *node)
{
    return node ? compose_doc_loc(p->doc, node) : NULL;
}

const ComposeLoc *compose_plan_member_loc(const ComposePlan *p, QDict *node,
                                          const char *key)
{
    const ComposeLoc *loc = node && key ?
        compose_plan_loc(p, qdict_get(node, key)) : NULL;

    return loc ? loc : compose_plan_loc(p, QOBJECT(node));
}

const ComposeLoc *compose_plan_key_loc(const ComposePlan *p, QDict *node,
                                       const char *key)
{
    const ComposeLoc *loc = node ? compose_doc_key_loc(p->doc, node, key)
                                 : NULL;

    return loc ? loc : compose_plan_loc(p, QOBJECT(node));
}

/* --- names and entities --- */

static const char *const entity_kind_names[] = {
    [COMPOSE_ENTITY_CLOCK] = "clock",
    [COMPOSE_ENTITY_CPU] = "CPU",
    [COMPOSE_ENTITY_REGION] = "memory region",
    [COMPOSE_ENTITY_DEVICE] = "device",
};

const char *compose_entity_kind_name(ComposeEntityKind kind)
{
    return entity_kind_names[kind];
}

/* Region names may contain dots, like QEMU's own ("aspeed.boot_rom") */
bool compose_name_valid(const char *name, bool dots)
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

/* A device name: NAME, or GROUP/NAME with each component a name */
static bool device_name_valid(const char *name)
{
    g_auto(GStrv) parts = g_strsplit(name, "/", 0);
    char **q;

    for (q = parts; *q; q++) {
        if (!compose_name_valid(*q, false)) {
            return false;
        }
    }
    return true;
}

ComposeEntity *compose_plan_add(ComposePlan *p, ComposeEntityKind kind,
                                const char *name, QDict *node, void *decl,
                                unsigned pos, const char *what,
                                Object *machine)
{
    const ComposeLoc *loc = compose_plan_member_loc(p, node, "name");
    ComposeEntity *old = g_hash_table_lookup(p->by_name, name);
    ComposeEntity *e;

    /* CPUs, devices and clocks become children of the machine object */
    if (kind != COMPOSE_ENTITY_REGION && machine && !strchr(name, '/') &&
        object_property_find(machine, name)) {
        compose_plan_error(p, loc, "name '%s' is taken by the machine object "
                           "(its property or child)", name);
        return NULL;
    }
    if (kind == COMPOSE_ENTITY_DEVICE ? !device_name_valid(name) :
        !compose_name_valid(name, kind == COMPOSE_ENTITY_REGION)) {
        compose_plan_error(p, loc, "invalid name '%s' (letters, digits, '-' "
                           "and '_'%s, starting with a letter)", name,
                           kind == COMPOSE_ENTITY_REGION ? ", '.'" :
                           kind == COMPOSE_ENTITY_DEVICE ? "; GROUP/NAME" :
                           "");
        return NULL;
    }
    if (old) {
        if (old->loc) {
            compose_plan_error(p, loc, "name '%s' is already used by the %s "
                               "at %s:%u:%u", name,
                               entity_kind_names[old->kind], old->loc->file,
                               old->loc->line, old->loc->col);
        } else {
            compose_plan_error(p, loc, "name '%s' is already used", name);
        }
        return NULL;
    }
    e = g_new0(ComposeEntity, 1);
    e->kind = kind;
    e->name = g_strdup(name);
    e->index = p->entities->len;
    e->pos = pos;
    e->node = node;
    e->loc = loc;
    e->decl = decl;
    e->what = g_strdup(what);
    g_ptr_array_add(p->entities, e);
    g_hash_table_insert(p->by_name, e->name, e);
    return e;
}

static void suggest_entity(const ComposePlan *p, const char *name, int kind,
                           const ComposeLoc *loc, const char *what)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *hint = NULL;
    guint i;

    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (kind < 0 || e->kind == kind) {
            g_ptr_array_add(names, e->name);
        }
    }
    hint = compose_did_you_mean(name, (const char *const *)names->pdata,
                                names->len);
    compose_plan_error(p, loc, "%s: no %s named '%s'%s", what,
                       kind < 0 ? "object" : entity_kind_names[kind], name,
                       hint);
}

ComposeEntity *compose_plan_find(const ComposePlan *p, const char *name,
                                 int kind, const ComposeLoc *loc,
                                 const char *what)
{
    ComposeEntity *e = g_hash_table_lookup(p->by_name, name);

    if (!e || (kind >= 0 && e->kind != kind)) {
        suggest_entity(p, name, kind, loc, what);
        return NULL;
    }
    return e;
}

ComposeEntity *compose_plan_owner(const ComposePlan *p, const char *path,
                                  const char **rest)
{
    g_autofree char *t = g_strdup(path);
    ComposeEntity *e;
    char *slash;

    for (;;) {
        e = g_hash_table_lookup(p->by_name, t);
        if (e && e->kind == COMPOSE_ENTITY_DEVICE) {
            size_t n = strlen(t);

            *rest = path[n] ? path + n + 1 : NULL;
            return e;
        }
        slash = strrchr(t, '/');
        if (!slash) {
            *rest = NULL;
            return NULL;
        }
        *slash = '\0';
    }
}

bool compose_is_container(const ComposeDevice *d)
{
    return d->type && g_str_equal(d->type, TYPE_CONTAINER);
}

Object *compose_child_or_self(Object *obj, const char *path)
{
    return g_str_equal(path, ".") ? obj : object_resolve_path_at(obj, path);
}

/* --- references in property values --- */

const char *compose_drive_name(const char *iface, int bus, int unit,
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

static char *resolve_drive(const ComposePlan *p, const ComposeBuilt *b,
                           const char *ref, const ComposeLoc *loc,
                           const char *what)
{
    /* drive.IF.INDEX, or drive.IF.BUS.UNIT (-drive bus=,unit=) */
    g_auto(GStrv) parts = g_strsplit(ref, ".", 0);
    guint nparts = g_strv_length(parts);
    const char *name;
    uint64_t bus = 0, n = 0;
    bool known;

    if ((nparts != 3 && nparts != 4) ||
        (nparts == 4 &&
         (qemu_strtou64(parts[2], NULL, 10, &bus) || bus > INT_MAX)) ||
        qemu_strtou64(parts[nparts - 1], NULL, 10, &n) || n > INT_MAX) {
        compose_plan_error(p, loc, "%s: '@%s': expected @drive.IF.INDEX or "
                           "@drive.IF.BUS.UNIT (e.g. @drive.mtd.0)", what,
                           ref);
        return NULL;
    }
    name = compose_drive_name(parts[1], bus, n, &known);
    if (!known) {
        compose_plan_error(p, loc, "%s: '@%s': unknown drive interface '%s'",
                           what, ref, parts[1]);
        return NULL;
    }
    return g_strdup(b && name ? name : "");
}

static char *entity_path(const ComposePlan *p, const ComposeBuilt *b,
                         ComposeEntity *e, const ComposeLoc *loc,
                         const char *what)
{
    Object *o = NULL;

    if (!b) {
        return g_strdup("");
    }
    switch (e->kind) {
    case COMPOSE_ENTITY_CLOCK:
        o = OBJECT(b->clks[e->index]);
        break;
    case COMPOSE_ENTITY_REGION:
        o = OBJECT(b->mrs[e->index]);
        break;
    default:
        o = b->objs[e->index];
        break;
    }
    if (!o) {
        compose_plan_error(p, loc, "%s: '@%s' is not created yet", what,
                           e->name);
        return NULL;
    }
    return object_get_canonical_path(o);
}

char *compose_resolve_ref(const ComposePlan *p, const ComposeBuilt *b,
                          const char *ref, const ComposeLoc *loc,
                          const char *what)
{
    ComposeEntity *e;

    if (g_str_equal(ref, "system-memory")) {
        return b ? object_get_canonical_path(OBJECT(get_system_memory()))
                 : g_strdup("");
    }
    if (g_str_equal(ref, "machine.ram")) {
        if (!p->ram_size) {
            compose_plan_error(p, loc, "%s: '@machine.ram': the machine has "
                               "no RAM (set machine.ram-size or -m)", what);
            return NULL;
        }
        return b ? object_get_canonical_path(OBJECT(b->ms->ram))
                 : g_strdup("");
    }
    if (g_str_equal(ref, "machine.ram-size")) {
        return g_strdup_printf("%" PRIu64, p->ram_size);
    }
    if (g_str_has_prefix(ref, "serial.")) {
        uint64_t n;
        Chardev *chr;

        if (qemu_strtou64(ref + 7, NULL, 10, &n) || n > INT_MAX) {
            compose_plan_error(p, loc, "%s: '@%s': expected @serial.N", what,
                               ref);
            return NULL;
        }
        chr = b ? serial_hd(n) : NULL;
        return g_strdup(chr ? chr->label : "");
    }
    if (g_str_has_prefix(ref, "drive.")) {
        return resolve_drive(p, b, ref, loc, what);
    }
    e = compose_plan_find(p, ref, -1, loc, what);
    return e ? entity_path(p, b, e, loc, what) : NULL;
}

QObject *compose_resolve_value(const ComposePlan *p, const ComposeBuilt *b,
                               QObject *v, const char *what)
{
    switch (qobject_type(v)) {
    case QTYPE_QDICT: {
        QDict *src = qobject_to(QDict, v);
        g_autoptr(QDict) d = qdict_new();
        g_autofree const QDictEntry **all = compose_doc_entries(p->doc, src);
        const QDictEntry **ep;
        bool ok = true;

        for (ep = all; *ep; ep++) {
            const QDictEntry *e = *ep;
            QObject *r = compose_resolve_value(p, b, e->value, what);

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
            QObject *r = compose_resolve_value(p, b, e->value, what);

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
        QString *q;
        char *r;

        if (str[0] != '@') {
            return qobject_ref(v);
        }
        if (str[1] == '@') {
            return QOBJECT(qstring_from_str(str + 1));
        }
        r = compose_resolve_ref(p, b, str + 1, compose_plan_loc(p, v), what);
        if (!r) {
            return NULL;
        }
        q = qstring_from_str(r);
        g_free(r);
        return QOBJECT(q);
    }
    case QTYPE_QNULL:
        compose_plan_error(p, compose_plan_loc(p, v), "%s: a property value "
                           "cannot be null", what);
        return NULL;
    default:
        return qobject_ref(v);
    }
}

/* --- GPIO endpoints and wires --- */

static bool parse_index(const char *s, const char **end, unsigned *v)
{
    uint64_t n;

    if (qemu_strtou64(s, end, 10, &n) || n > INT_MAX) {
        return false;
    }
    *v = n;
    return true;
}

void compose_gpio_clear(ComposeGpioRef *r)
{
    g_clear_pointer(&r->dev, g_free);
    g_clear_pointer(&r->path, g_free);
    g_clear_pointer(&r->name, g_free);
}

/* A relative QOM path: no empty component */
static bool rel_path_valid(const char *t)
{
    return *t && t[0] != '/' && !g_str_has_suffix(t, "/") &&
           !strstr(t, "//");
}

/*
 * Parse an endpoint.  With @with_dev (an input, a gate):
 * "OBJECT[.NAME][INDEX]", OBJECT a declared device or CPU, or a part of
 * one, "DEVICE/PATH" (resolved by the check: r->dev is all of it).  The
 * output side has no device but may name a part of it:
 * "[PATH.]NAME[INDEX]" ("sysbus-irq[0]", "[2]", "bus[3].sysbus-irq[0]",
 * "intc-orgates[1].[0]" for an unnamed output of a part).
 * INDEX is [I] or [I..J], the last bracket, so that a path keeps its own
 * ("soc/intc/intc-orgates[1][3]"); the name follows the last '.' after
 * the last '/'.
 */
bool compose_gpio_parse(const char *text, bool with_dev, ComposeGpioRef *r)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    char *br = g_str_has_suffix(t, "]") ? strrchr(t, '[') : NULL;
    char *dot, *slash;

    memset(r, 0, sizeof(*r));
    r->count = 1;
    if (br) {
        const char *q = br + 1;
        unsigned last;

        if (!parse_index(q, &q, &r->first)) {
            return false;
        }
        last = r->first;
        if (g_str_has_prefix(q, "..") &&
            (!parse_index(q + 2, &q, &last) || last < r->first)) {
            return false;
        }
        if (strcmp(q, "]")) {
            return false;
        }
        r->count = last - r->first + 1;
        *br = '\0';
    }
    slash = strrchr(t, '/');
    dot = strrchr(t, '.');
    if (dot && slash && dot < slash) {
        dot = NULL;
    }
    if (dot) {
        *dot = '\0';
        if (!dot[1] && with_dev) {
            return false;
        }
        /* "PART.[I]": an unnamed output of a part */
        r->name = dot[1] ? g_strdup(dot + 1) : NULL;
    }
    if (with_dev) {
        g_autofree char *first = g_strndup(t, strcspn(t, "/"));

        if (!compose_name_valid(first, false) || !rel_path_valid(t)) {
            compose_gpio_clear(r);
            return false;
        }
        r->dev = g_strdup(t);
    } else if (dot) {
        if (!rel_path_valid(t)) {
            compose_gpio_clear(r);
            return false;
        }
        r->path = g_strdup(t);
    } else if (*t) {
        r->name = g_strdup(t);
    }
    if (r->name && strpbrk(r->name, "[]./")) {
        compose_gpio_clear(r);
        return false;
    }
    return true;
}

char *compose_gpio_str(const ComposeGpioRef *r, unsigned i)
{
    const char *obj = r->dev ? r->dev : r->path;

    /* a part's unnamed output keeps its dot: "intc-orgates[1].[0]" */
    return g_strdup_printf("%s%s%s[%u]", obj ? obj : "",
                           (obj && r->name) || r->path ? "." : "",
                           r->name ? r->name : "", r->first + i);
}

static void wire_free(ComposeWire *w)
{
    compose_gpio_clear(&w->out);
    compose_gpio_clear(&w->in);
    g_free(w);
}

/* {to: INPUT, combine: or|and}: the input, NULL after reporting */
static QObject *wire_options(ComposePlan *p, ComposeWire *w, QDict *td,
                             const char *out, const char *what)
{
    const QDictEntry *te;
    QObject *c = qdict_get(td, "combine");
    bool ok = true;

    for (te = qdict_first(td); te; te = qdict_next(td, te)) {
        if (!g_str_equal(te->key, "to") && !g_str_equal(te->key, "combine")) {
            compose_plan_error(p, compose_plan_key_loc(p, td, te->key),
                               "%s: irqs: unknown key '%s' (expected 'to' "
                               "and 'combine')", what, te->key);
            ok = false;
        }
    }
    if (c) {
        QString *cs = qobject_to(QString, c);
        int v = cs ? qapi_enum_parse(&ComposeIrqCombine_lookup,
                                     qstring_get_str(cs), -1, NULL) : -1;

        if (v < 0) {
            compose_plan_error(p, compose_plan_loc(p, c), "%s: irqs: "
                               "'combine' must be 'or', 'and' or 'shared'",
                               what);
            ok = false;
        } else {
            w->combine = v;
            w->has_combine = true;
        }
    }
    if (!qdict_haskey(td, "to")) {
        compose_plan_error(p, compose_plan_loc(p, QOBJECT(td)), "%s: irqs: "
                           "'%s': 'to' is missing", what, out);
        return NULL;
    }
    return ok ? qdict_get(td, "to") : NULL;
}

/* One "OUTPUT: INPUT" of @dev's irqs; NULL after reporting */
static ComposeWire *parse_wire(ComposePlan *p, ComposeEntity *dev,
                               QDict *irqs, const QDictEntry *e)
{
    const char *what = dev->what;
    g_autofree ComposeWire *w = g_new0(ComposeWire, 1);
    QObject *to = e->value;
    const char *in;

    w->src = dev;
    if (qobject_type(to) == QTYPE_QDICT) {
        to = wire_options(p, w, qobject_to(QDict, to), e->key, what);
        if (!to) {
            return NULL;
        }
    }
    w->loc = compose_plan_loc(p, to);
    if (qobject_type(to) != QTYPE_QSTRING) {
        compose_plan_error(p, w->loc, "%s: irqs: '%s': expected an input "
                           "such as 'gic[32]'", what, e->key);
        return NULL;
    }
    in = qstring_get_str(qobject_to(QString, to));
    if (!compose_gpio_parse(e->key, false, &w->out)) {
        compose_plan_error(p, compose_plan_key_loc(p, irqs, e->key),
                           "%s: irqs: invalid output '%s' (expected "
                           "[PART.]NAME[INDEX], e.g. sysbus-irq[0..3] or "
                           "bus[3].sysbus-irq[0])", what, e->key);
        return NULL;
    }
    if (!compose_gpio_parse(in, true, &w->in)) {
        compose_plan_error(p, w->loc, "%s: irqs: invalid input '%s' "
                           "(expected DEVICE[/PART][.NAME][INDEX], e.g. "
                           "gic[32] or soc/intc/intc-orgates[1][3])", what,
                           in);
        compose_gpio_clear(&w->out);
        return NULL;
    }
    if (w->out.count > COMPOSE_MAX_WIRE_LINES) {
        compose_plan_error(p, w->loc, "%s: irqs: '%s' has %u lines, more "
                           "than %d", what, e->key, w->out.count,
                           COMPOSE_MAX_WIRE_LINES);
        compose_gpio_clear(&w->out);
        compose_gpio_clear(&w->in);
        return NULL;
    }
    if (w->out.count != w->in.count) {
        compose_plan_error(p, w->loc, "%s: irqs: '%s' has %u lines but its "
                           "input has %u", what, e->key, w->out.count,
                           w->in.count);
        compose_gpio_clear(&w->out);
        compose_gpio_clear(&w->in);
        return NULL;
    }
    return g_steal_pointer(&w);
}

bool compose_collect_wires(ComposePlan *p, ComposeEntity *dev, QObject *irqs)
{
    QDict *d = qobject_to(QDict, irqs);
    const QDictEntry *e;
    bool ok = true;

    if (!irqs) {
        return true;
    }
    if (!d) {
        compose_plan_error(p, compose_plan_loc(p, irqs), "%s: 'irqs' must be "
                           "a mapping from outputs to inputs", dev->what);
        return false;
    }
    g_autofree const QDictEntry **all = compose_doc_entries(p->doc, d);
    const QDictEntry **ep;

    for (ep = all; (e = *ep); ep++) {
        ComposeWire *w = parse_wire(p, dev, d, e);

        if (!w) {
            ok = false;
            continue;
        }
        g_ptr_array_add(p->wires, w);
    }
    return ok;
}

/* Lines into one input so far */
typedef struct FanIn {
    ComposeWire *first;
    unsigned n;
} FanIn;

static bool check_line(ComposePlan *p, ComposeWire *w, unsigned j,
                       GHashTable *inputs, GHashTable *outputs)
{
    g_autofree char *in = compose_gpio_str(&w->in, j);
    g_autofree char *o = compose_gpio_str(&w->out, j);
    g_autofree char *out = g_strdup_printf("%s.%s", w->src->name, o);
    ComposeWire *prev_out = g_hash_table_lookup(outputs, out);
    FanIn *f = g_hash_table_lookup(inputs, in);
    ComposeWire *prev;
    bool ok = true;

    if (prev_out) {
        compose_plan_error(p, w->loc, "output '%s' is already connected at "
                           "%s:%u:%u (an output drives one input)", out,
                           prev_out->loc->file, prev_out->loc->line,
                           prev_out->loc->col);
        ok = false;
    } else {
        g_hash_table_insert(outputs, g_steal_pointer(&out), w);
    }
    if (!f) {
        f = g_new0(FanIn, 1);
        f->first = w;
        f->n = 1;
        g_hash_table_insert(inputs, g_steal_pointer(&in), f);
        return ok;
    }
    prev = f->first;
    /* a gate has at most MAX_OR_LINES inputs; shared lines have none */
    if (++f->n == MAX_OR_LINES + 1 &&
        !(w->has_combine && w->combine == COMPOSE_IRQ_COMBINE_SHARED)) {
        compose_plan_error(p, w->loc, "input '%s' is driven by more than %d "
                           "outputs", in, MAX_OR_LINES);
        ok = false;
    }
    if (!w->has_combine || !prev->has_combine) {
        compose_plan_error(p, w->loc, "input '%s' is also driven from "
                           "%s:%u:%u: say how the outputs combine ({to: %s, "
                           "combine: or|and|shared} on each)", in,
                           prev->loc->file, prev->loc->line, prev->loc->col,
                           in);
        ok = false;
    } else if (w->combine != prev->combine) {
        compose_plan_error(p, w->loc, "input '%s': combine '%s' here but '%s' "
                           "at %s:%u:%u", in,
                           ComposeIrqCombine_str(w->combine),
                           ComposeIrqCombine_str(prev->combine),
                           prev->loc->file, prev->loc->line, prev->loc->col);
        ok = false;
    }
    return ok;
}

bool compose_check_fan_in(ComposePlan *p)
{
    g_autoptr(GHashTable) inputs = g_hash_table_new_full(g_str_hash,
                                                         g_str_equal, g_free,
                                                         g_free);
    g_autoptr(GHashTable) outputs = g_hash_table_new_full(g_str_hash,
                                                          g_str_equal, g_free,
                                                          NULL);
    bool ok = true;
    guint i;
    unsigned j;

    for (i = 0; i < p->wires->len; i++) {
        ComposeWire *w = g_ptr_array_index(p->wires, i);

        for (j = 0; j < w->in.count; j++) {
            ok &= check_line(p, w, j, inputs, outputs);
        }
    }
    return ok;
}

void compose_wire_free(gpointer w)
{
    wire_free(w);
}

void compose_gate_free(gpointer p)
{
    ComposeGate *g = p;

    if (g) {
        compose_gpio_clear(&g->out);
        g_free(g->text);
        g_free(g);
    }
}
