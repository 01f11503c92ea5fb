/*
 * Composed machine: memory regions, checked and mapped
 *
 * The check: region sizes, aliases, contents, containers, overlapping
 * ranges at one priority (sorted: linear after the sort), and the number
 * of mappings QEMU's memory dispatch can hold.  The build: the regions
 * created with their contents, and mapped after the devices, where
 * QEMU would assert (a region with two containers) or loop (a region
 * that contains itself) is reported instead.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qstring.h"
#include "exec/address-spaces.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "system/block-backend.h"
#include "machine-compose-plan.h"

#define PLAN(b) ((b)->plan)

/* The contents members of a ram or rom region, NULL for other kinds */
static ComposeRegionContents *region_contents(ComposeRegion *r)
{
    switch (r->kind) {
    case COMPOSE_REGION_KIND_RAM:
        return &r->u.ram;
    case COMPOSE_REGION_KIND_ROM:
        return &r->u.rom;
    default:
        return NULL;
    }
}

static const ComposeLoc *member_loc(ComposeBuilt *b, const ComposeEntity *e,
                                    const char *key)
{
    return compose_plan_member_loc(PLAN(b), e->node, key);
}

/* --- checking --- */

/* A mapped range, for the overlap check */
typedef struct Span {
    const char *container;
    uint64_t start, last;
    int priority;
    unsigned order;
    const char *name;
    const ComposeLoc *loc;
} Span;

static int span_cmp(gconstpointer pa, gconstpointer pb)
{
    const Span *a = pa, *b = pb;
    int c = strcmp(a->container, b->container);

    if (c) {
        return c;
    }
    if (a->priority != b->priority) {
        return a->priority < b->priority ? -1 : 1;
    }
    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * Ranges of one container at one priority must not overlap: sorted,
 * each is compared with the one reaching furthest before it.
 */
static bool check_overlaps(ComposePlan *p, GArray *spans)
{
    const Span *reach = NULL;
    bool ok = true;
    guint i;

    g_array_sort(spans, span_cmp);
    for (i = 0; i < spans->len; i++) {
        const Span *a = &g_array_index(spans, Span, i);

        if (reach && (strcmp(reach->container, a->container) ||
                      reach->priority != a->priority)) {
            reach = NULL;
        }
        if (reach && a->start <= reach->last) {
            const Span *first = reach->order < a->order ? reach : a;
            const Span *second = first == a ? reach : a;

            compose_plan_error(p, second->loc, "'%s' [0x%" PRIx64 "-0x%"
                               PRIx64 "] overlaps '%s' (%s:%u:%u) at the "
                               "same priority %d: give one of them another "
                               "'priority'", second->name, second->start,
                               second->last, first->name,
                               first->loc ? first->loc->file : "?",
                               first->loc ? first->loc->line : 0,
                               first->loc ? first->loc->col : 0,
                               a->priority);
            ok = false;
        }
        if (!reach || a->last > reach->last) {
            reach = a;
        }
    }
    return ok;
}

/* A container written NAME or "@NAME", as references are */
static const char *container_name(const char *spec)
{
    return spec[0] == '@' ? spec + 1 : spec;
}

/* The declared container region @spec names, if it is one */
static ComposeEntity *declared_container(const ComposePlan *p, const char *spec)
{
    ComposeEntity *e;

    if (!spec || spec[0] == '/' || g_str_equal(spec, "@system-memory")) {
        return NULL;
    }
    e = g_hash_table_lookup(p->by_name, container_name(spec));
    return e && e->kind == COMPOSE_ENTITY_REGION ? e : NULL;
}

/*
 * The container as a canonical key, checking declared names.  Containers
 * may be declared in any order (a board's after the SoC file it
 * includes); one must not end up inside itself.
 */
static bool check_container(ComposePlan *p, const char *spec,
                            ComposeEntity *self, const ComposeLoc *loc,
                            const char *what, const char **key)
{
    ComposeEntity *c, *t;
    guint n;

    if (!spec || g_str_equal(spec, "@system-memory")) {
        *key = "@system-memory";
        return true;
    }
    if (spec[0] == '/') {
        *key = spec;
        return true;
    }
    c = compose_plan_find(p, container_name(spec), COMPOSE_ENTITY_REGION,
                          loc, what);
    if (!c) {
        return false;
    }
    if (((ComposeRegion *)c->decl)->kind != COMPOSE_REGION_KIND_CONTAINER) {
        compose_plan_error(p, loc, "%s: '%s' is not a container region",
                           what, spec);
        return false;
    }
    /* up the chain of containers: at most one step per entity */
    for (t = c, n = 0; self && t && n <= p->entities->len; n++) {
        ComposeMap *up = ((ComposeRegion *)t->decl)->map;

        if (t == self) {
            compose_plan_error(p, loc, "%s: container '%s' is inside '%s' "
                               "itself", what, c->name, self->name);
            return false;
        }
        t = up ? declared_container(p, up->container) : NULL;
    }
    *key = c->name;
    return true;
}

static bool add_span(ComposePlan *p, GArray *spans, const ComposeMap *m,
                     uint64_t size, ComposeEntity *self, const char *name,
                     const ComposeLoc *loc, const char *what)
{
    Span sp = {
        .start = m->addr, .priority = m->has_priority ? m->priority : 0,
        .order = spans->len, .name = name, .loc = loc,
    };

    if (!check_container(p, m->container, self, loc, what, &sp.container)) {
        return false;
    }
    if (!size) {
        return true;
    }
    if (m->addr > UINT64_MAX - (size - 1)) {
        compose_plan_error(p, loc, "%s: address 0x%" PRIx64 " + size 0x%"
                           PRIx64 " overflows", what, m->addr, size);
        return false;
    }
    sp.last = m->addr + size - 1;
    g_array_append_val(spans, sp);
    return true;
}

/* The size of the region an alias shows; false after reporting */
static bool is_device_alias(const ComposeRegion *r)
{
    return r->kind == COMPOSE_REGION_KIND_ALIAS && strchr(r->u.alias.alias,
                                                          '/');
}

/*
 * An alias of a device's region, by QOM path: absolute, or below a
 * declared device.  Made once the devices exist; its size (by default
 * the rest of the target) is known then.
 */
static bool check_device_alias(ComposePlan *p, ComposeEntity *e)
{
    ComposeRegion *r = e->decl;
    const char *alias = r->u.alias.alias;
    const char *rest = NULL;

    if (alias[0] != '/' && (!compose_plan_owner(p, alias, &rest) || !rest)) {
        compose_plan_error(p, compose_plan_member_loc(p, e->node, "alias"),
                           "%s: alias '%s': expected a QOM path of a memory "
                           "region, absolute or DEVICE/PATH", e->what,
                           alias);
        return false;
    }
    e->size = r->has_size ? r->size : 0;
    return true;
}

static bool alias_target_size(ComposePlan *p, ComposeEntity *e,
                              uint64_t *size)
{
    ComposeRegionAlias *a = &((ComposeRegion *)e->decl)->u.alias;
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "alias");
    ComposeEntity *t;

    if (g_str_equal(a->alias, "@machine.ram")) {
        if (!p->ram_size) {
            compose_plan_error(p, loc, "%s: the machine has no RAM (set "
                               "machine.ram-size or -m)", e->what);
            return false;
        }
        *size = p->ram_size;
        return true;
    }
    t = compose_plan_find(p, a->alias, COMPOSE_ENTITY_REGION, loc, e->what);
    if (!t) {
        return false;
    }
    if (t->index >= e->index) {
        compose_plan_error(p, loc, "%s: alias of '%s', which is declared "
                           "later", e->what, a->alias);
        return false;
    }
    if (is_device_alias(t->decl)) {
        compose_plan_error(p, loc, "%s: alias of '%s', an alias of a device "
                           "region (made once the devices exist)", e->what,
                           a->alias);
        return false;
    }
    *size = t->size;
    return true;
}

/* Sizes beyond this cannot be rounded to pages: no RAM is that large */
#define COMPOSE_MAX_RAM_REGION (UINT64_C(1) << 62)

static bool check_region_size(ComposePlan *p, ComposeEntity *e)
{
    ComposeRegion *r = e->decl;
    const ComposeLoc *loc = compose_plan_loc(p, QOBJECT(e->node));
    uint64_t tsize = 0, off;

    if (r->kind != COMPOSE_REGION_KIND_ALIAS) {
        if (!r->has_size || !r->size) {
            compose_plan_error(p, loc, "%s: a %s region needs a non-zero "
                               "'size'", e->what,
                               ComposeRegionKind_str(r->kind));
            return false;
        }
        if (r->kind != COMPOSE_REGION_KIND_CONTAINER &&
            r->size > COMPOSE_MAX_RAM_REGION) {
            compose_plan_error(p, loc, "%s: size 0x%" PRIx64 " is too large",
                               e->what, r->size);
            return false;
        }
        e->size = r->size;
        return true;
    }
    if (is_device_alias(r)) {
        return check_device_alias(p, e);
    }
    if (!alias_target_size(p, e, &tsize)) {
        return false;
    }
    /* only now: the union holds the alias branch */
    off = r->u.alias.has_offset ? r->u.alias.offset : 0;
    if (off > tsize || (r->has_size && r->size > tsize - off)) {
        compose_plan_error(p, loc, "%s: offset 0x%" PRIx64 " + size 0x%"
                           PRIx64 " is outside '%s' (size 0x%" PRIx64 ")",
                           e->what, off, r->has_size ? r->size : 0,
                           r->u.alias.alias, tsize);
        return false;
    }
    e->size = r->has_size ? r->size : tsize - off;
    return true;
}

static bool check_region_contents(ComposePlan *p, ComposeEntity *e)
{
    ComposeRegionContents *r = region_contents(e->decl);
    QDict *node = e->node;
    bool ok = true;

    if (r && r->file && !*r->file) {
        g_clear_pointer(&r->file, g_free);      /* "": no contents */
    }
    if (!r) {
        return true;
    }
    if (r->file) {
        const ComposeLoc *loc = compose_plan_member_loc(p, node, "file");
        int64_t fsize = get_image_size(r->file);

        if (fsize < 0) {
            compose_plan_error(p, loc, "%s: cannot read '%s'", e->what,
                               r->file);
            ok = false;
        } else if (fsize > e->size) {
            compose_plan_error(p, loc, "%s: '%s' (%" PRId64 " bytes) is "
                               "larger than the region (0x%" PRIx64 ")",
                               e->what, r->file, fsize, e->size);
            ok = false;
        }
    }
    if (r->from_drive) {
        const ComposeLoc *loc = compose_plan_member_loc(p, node,
                                                        "from-drive");
        g_autofree char *d = NULL;

        if (r->file) {
            compose_plan_error(p, loc, "%s: 'file' and 'from-drive' exclude "
                               "each other", e->what);
            return false;
        }
        if (!g_str_has_prefix(r->from_drive, "@drive.")) {
            compose_plan_error(p, loc, "%s: 'from-drive' expects "
                               "@drive.IF.INDEX (e.g. @drive.mtd.0)",
                               e->what);
            return false;
        }
        d = compose_resolve_ref(p, NULL, r->from_drive + 1, loc, e->what);
        ok &= !!d;
    }
    return ok;
}

static bool check_region(ComposePlan *p, ComposeEntity *e, GArray *spans)
{
    ComposeRegion *r = e->decl;

    if (!check_region_size(p, e) || !check_region_contents(p, e)) {
        return false;
    }
    return !r->map ||
           add_span(p, spans, r->map, e->size, e, r->name,
                    compose_plan_member_loc(p, e->node, "map"), e->what);
}

/*
 * QEMU's memory dispatch holds fewer sections per address space than
 * the target page size (1024 on ARM CPUs with 1 KiB pages) and asserts
 * beyond (phys_section_add()); every mapping adds at least one.  Stay
 * well below with room for what devices map themselves.
 */
#define COMPOSE_MAX_MAPPINGS 768

/* Does a mapping into @container count: not into an unmapped container */
static bool reaches_memory(ComposePlan *p, const char *container)
{
    ComposeEntity *e;

    if (!container || container[0] == '/' ||
        g_str_equal(container, "@system-memory")) {
        return true;
    }
    e = g_hash_table_lookup(p->by_name, container_name(container));
    return !e || e->kind != COMPOSE_ENTITY_REGION ||
           ((ComposeRegion *)e->decl)->map != NULL;
}

static bool check_mapping_count(ComposePlan *p)
{
    ComposeBoard *b = p->board;
    unsigned maps = b->machine && b->machine->ram_map ? 1 : 0;
    ComposeRegionList *rl;
    ComposeDeviceList *dl;
    ComposeMmioList *ml;

    for (rl = b->memory; rl; rl = rl->next) {
        maps += rl->value->map && reaches_memory(p, rl->value->map->container);
    }
    for (dl = b->devices; dl; dl = dl->next) {
        for (ml = dl->value->mmio; ml; ml = ml->next) {
            maps += reaches_memory(p, ml->value->container);
        }
    }
    if (maps > COMPOSE_MAX_MAPPINGS) {
        compose_plan_error(p, compose_plan_key_loc(p, p->tree, "devices"),
                           "the description maps %u memory regions; QEMU "
                           "supports at most %d here", maps,
                           COMPOSE_MAX_MAPPINGS);
        return false;
    }
    return true;
}

/*
 * The RAM size is one the board takes (machine.max-ram-size); if not, the
 * regions it overlaps are no news
 */
static bool ram_fits(ComposePlan *p)
{
    ComposeMachine *m = p->board->machine;
    QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));
    g_autofree char *size = NULL;
    g_autofree char *max = NULL;

    if (!m || !m->has_max_ram_size || p->ram_size <= m->max_ram_size) {
        return true;
    }
    size = size_to_str(p->ram_size);
    max = size_to_str(m->max_ram_size);
    compose_plan_error(p, compose_plan_member_loc(p, mn, "max-ram-size"),
                       "RAM size %s (-m or machine.ram-size): the board "
                       "takes at most %s", size, max);
    return false;
}

bool compose_check_memory(ComposePlan *p)
{
    ComposeBoard *b = p->board;
    g_autoptr(GArray) spans = g_array_new(false, true, sizeof(Span));
    bool ok = true;
    guint i;

    if (!ram_fits(p)) {
        return false;
    }
    if (b->machine && b->machine->ram_map) {
        QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));
        const ComposeLoc *loc = compose_plan_member_loc(p, mn, "ram-map");

        if (!p->ram_size) {
            compose_plan_error(p, loc, "machine.ram-map: the machine has no "
                               "RAM (set machine.ram-size or -m)");
            ok = false;
        } else {
            ok &= add_span(p, spans, b->machine->ram_map, p->ram_size, NULL,
                           "machine RAM", loc, "machine.ram-map");
        }
    }
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind == COMPOSE_ENTITY_REGION) {
            ok &= check_region(p, e, spans);
        }
    }
    ok &= check_overlaps(p, spans);
    return check_mapping_count(p) && ok;
}

/* --- building: regions (phase 3) --- */

/*
 * Contents of a RAM/ROM region from the start of a drive, as the ASPEED
 * boards install their boot ROM from the boot flash.  Nothing without
 * that drive.
 */
static bool fill_from_drive(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeRegionContents *r = region_contents(e->decl);
    const ComposeLoc *loc = member_loc(b, e, "from-drive");
    g_autofree char *name = compose_resolve_ref(PLAN(b), b,
                                                r->from_drive + 1, loc,
                                                e->what);
    BlockBackend *blk = name && *name ? blk_by_name(name) : NULL;
    int64_t len;

    if (!blk) {
        return !!name;
    }
    len = blk_getlength(blk);
    if (len <= 0) {
        compose_plan_error(PLAN(b), loc, "%s: cannot get the size of drive "
                           "'%s'", e->what, name);
        return false;
    }
    if (blk_pread(blk, 0, MIN((uint64_t)len, e->size),
                  memory_region_get_ram_ptr(b->mrs[e->index]), 0) < 0) {
        compose_plan_error(PLAN(b), loc, "%s: cannot read drive '%s'",
                           e->what, name);
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

bool compose_build_region(ComposeBuilt *b, ComposeEntity *e)
{
    ComposeRegion *r = e->decl;
    ComposeRegionContents *c = region_contents(r);
    MemoryRegion *mr;
    Error *err = NULL;

    if (is_device_alias(r)) {
        return true;            /* once the devices exist */
    }
    mr = g_new0(MemoryRegion, 1);
    b->mrs[e->index] = mr;
    switch (r->kind) {
    case COMPOSE_REGION_KIND_RAM:
        memory_region_init_ram(mr, NULL, r->name, e->size, &err);
        break;
    case COMPOSE_REGION_KIND_ROM:
        memory_region_init_rom(mr, NULL, r->name, e->size, &err);
        break;
    case COMPOSE_REGION_KIND_CONTAINER:
        memory_region_init(mr, NULL, r->name, e->size);
        break;
    case COMPOSE_REGION_KIND_ALIAS: {
        ComposeRegionAlias *a = &r->u.alias;
        ComposeEntity *t = g_hash_table_lookup(PLAN(b)->by_name, a->alias);

        memory_region_init_alias(mr, NULL, r->name,
                                 t ? b->mrs[t->index] : b->ms->ram,
                                 a->has_offset ? a->offset : 0, e->size);
        break;
    }
    default:
        break;
    }
    if (err) {
        compose_plan_error(PLAN(b), e->loc, "%s: %s", e->what,
                           error_get_pretty(err));
        error_free(err);
        return false;
    }
    if (c && c->from_drive && !fill_from_drive(b, e)) {
        return false;
    }
    if (c && c->file && (load_image_mr(c->file, mr) < 0 ||
                         !preload_file(c->file, mr))) {
        compose_plan_error(PLAN(b), member_loc(b, e, "file"),
                           "%s: cannot load '%s'", e->what, c->file);
        return false;
    }
    return true;
}

/* Phase 5: the aliases of devices' regions, now that the devices exist */
bool compose_build_device_aliases(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    guint i;

    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeRegion *r;
        ComposeRegionAlias *a;
        const ComposeLoc *loc;
        uint64_t off, tsize, size;
        const char *rest = NULL;
        Object *o;

        /* @decl is a ComposeRegion only for regions */
        if (e->kind != COMPOSE_ENTITY_REGION || !is_device_alias(e->decl)) {
            continue;
        }
        r = e->decl;
        a = &r->u.alias;
        loc = member_loc(b, e, "alias");
        off = a->has_offset ? a->offset : 0;
        if (a->alias[0] == '/') {
            o = object_resolve_path_type(a->alias, TYPE_MEMORY_REGION, NULL);
        } else {
            /* checked: below a declared device */
            ComposeEntity *d = compose_plan_owner(p, a->alias, &rest);

            o = b->objs[d->index] ?
                object_resolve_path_at(b->objs[d->index], rest) : NULL;
            o = o ? object_dynamic_cast(o, TYPE_MEMORY_REGION) : NULL;
        }
        if (!o) {
            compose_plan_error(p, loc, "%s: no memory region '%s'", e->what,
                               a->alias);
            return false;
        }
        tsize = memory_region_size(MEMORY_REGION(o));
        if (off > tsize || (r->has_size && r->size > tsize - off)) {
            compose_plan_error(p, loc, "%s: offset 0x%" PRIx64 " + size 0x%"
                               PRIx64 " is outside '%s' (size 0x%" PRIx64
                               ")", e->what, off, r->has_size ? r->size : 0,
                               a->alias, tsize);
            return false;
        }
        size = r->has_size ? r->size : tsize - off;
        b->mrs[i] = g_new0(MemoryRegion, 1);
        memory_region_init_alias(b->mrs[i], NULL, r->name, MEMORY_REGION(o),
                                 off, size);
    }
    return true;
}

/* --- building: mappings (phase 5) --- */

static MemoryRegion *container_mr(ComposeBuilt *b, const char *spec,
                                  const ComposeLoc *loc, const char *what)
{
    ComposeEntity *e;
    Object *o;

    if (!spec || g_str_equal(spec, "@system-memory")) {
        return get_system_memory();
    }
    if (spec[0] != '/') {
        e = g_hash_table_lookup(PLAN(b)->by_name, container_name(spec));
        return b->mrs[e->index];    /* checked: a declared container */
    }
    o = object_resolve_path_type(spec, TYPE_MEMORY_REGION, NULL);
    if (!o) {
        compose_plan_error(PLAN(b), loc, "%s: no memory region '%s'", what,
                           spec);
        return NULL;
    }
    return MEMORY_REGION(o);
}

/* Can @target be reached from @from through subregions and aliases? */
static bool region_reaches(MemoryRegion *from, MemoryRegion *target,
                           GHashTable *seen)
{
    MemoryRegion *sub;

    if (from == target) {
        return true;
    }
    if (!g_hash_table_add(seen, from)) {
        return false;
    }
    if (from->alias && region_reaches(from->alias, target, seen)) {
        return true;
    }
    QTAILQ_FOREACH(sub, &from->subregions, subregions_link) {
        if (region_reaches(sub, target, seen)) {
            return true;
        }
    }
    return false;
}

/*
 * May @mr be mapped into @container?  QEMU asserts when a region gets a
 * second container (a device that got a region by link may map it
 * itself), and recurses without end when it renders a region that
 * contains itself, directly or through an alias.
 */
bool compose_map_allowed(ComposeBuilt *b, MemoryRegion *container,
                         MemoryRegion *mr, const char *region,
                         const ComposeLoc *loc, const char *what)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

    if (mr->container) {
        compose_plan_error(PLAN(b), loc, "%s: %s is already mapped (in "
                           "'%s'), by a device that got it by link", what,
                           region, memory_region_name(mr->container));
        return false;
    }
    if (region_reaches(mr, container, seen)) {
        compose_plan_error(PLAN(b), loc, "%s: mapping it into '%s' would "
                           "make '%s' contain itself", what,
                           memory_region_name(container),
                           memory_region_name(container));
        return false;
    }
    return true;
}

/* Map @mr as @m says; false after reporting */
bool compose_map_region(ComposeBuilt *b, const char *container, hwaddr addr,
                        bool has_prio, int prio, MemoryRegion *mr,
                        const char *region, const ComposeLoc *loc,
                        const char *what)
{
    MemoryRegion *c = container_mr(b, container, loc, what);

    if (!c || !compose_map_allowed(b, c, mr, region, loc, what)) {
        return false;
    }
    if (has_prio) {
        memory_region_add_subregion_overlap(c, addr, mr, prio);
    } else {
        memory_region_add_subregion(c, addr, mr);
    }
    return true;
}

/*
 * Phase 5: the machine RAM and the regions, mapped once the devices
 * exist, as boards add theirs after creating the SoC: a region
 * overlapping what a device maps itself at the same priority then wins,
 * as in those boards.
 */
bool compose_map_memory(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    ComposeMachine *m = p->board->machine;
    bool ok = true;
    guint i;

    if (m && m->ram_map) {
        QDict *mn = qobject_to(QDict, qdict_get(p->tree, "machine"));

        ok &= compose_map_region(b, m->ram_map->container, m->ram_map->addr,
                                 m->ram_map->has_priority,
                                 m->ram_map->priority, b->ms->ram,
                                 "the machine RAM",
                                 compose_plan_member_loc(p, mn, "ram-map"),
                                 "machine.ram-map");
    }
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeRegion *r = e->decl;

        if (e->kind == COMPOSE_ENTITY_REGION && r->map) {
            ok &= compose_map_region(b, r->map->container, r->map->addr,
                                     r->map->has_priority, r->map->priority,
                                     b->mrs[i], "the region",
                                     member_loc(b, e, "map"), e->what);
        }
    }
    return ok;
}

/* --- EEPROM contents (smbus-eeprom, at24c-eeprom) --- */

bool compose_is_smbus_eeprom(const ComposeDevice *d)
{
    return d->type && g_str_equal(d->type, "smbus-eeprom");
}

bool compose_uses_eeprom_helper(const ComposeDevice *d)
{
    return compose_is_smbus_eeprom(d) || d->contents;
}

uint8_t *compose_contents_bytes(const ComposePlan *p, const ComposeEntity *e,
                                size_t min, size_t *len)
{
    ComposeDevice *d = e->decl;
    ComposeContents *c = d->contents;
    QDict *cn = qobject_to(QDict, qdict_get(e->node, "contents"));
    const ComposeLoc *loc = compose_plan_loc(p, QOBJECT(cn));
    g_autofree uint8_t *file = NULL;
    gsize flen = 0;
    size_t nbytes = 0, size;
    uint8List *bl;
    uint8_t *buf;

    if (c && c->bytes && c->file) {
        compose_plan_error(p, loc, "%s: contents: 'bytes' and 'file' exclude "
                           "each other", e->what);
        return NULL;
    }
    if (c && c->file && !g_file_get_contents(c->file, (gchar **)&file, &flen,
                                             NULL)) {
        compose_plan_error(p, compose_plan_member_loc(p, cn, "file"),
                           "%s: contents: cannot read '%s'", e->what,
                           c->file);
        return NULL;
    }
    for (bl = c ? c->bytes : NULL; bl; bl = bl->next) {
        nbytes++;
    }
    size = MAX(nbytes, flen);
    if (c && c->has_size) {
        if (c->size < size) {
            compose_plan_error(p, loc, "%s: contents: %zu bytes given, more "
                               "than 'size' (%" PRIu64 ")", e->what, size,
                               c->size);
            return NULL;
        }
        size = c->size;
    }
    if (size > 16 * MiB) {
        compose_plan_error(p, loc, "%s: contents: larger than 16 MiB",
                           e->what);
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

/* The helpers take "address" and "rom-size" as numbers, not through QOM */
static bool contents_props(ComposePlan *p, ComposeEntity *e,
                           uint64_t *rom_size)
{
    ComposeDevice *d = e->decl;
    QDict *props = qobject_to(QDict, d->props);
    bool smbus = compose_is_smbus_eeprom(d);
    const QDictEntry *pe;
    QString *a;
    uint64_t addr;
    bool ok = true;

    for (pe = props ? qdict_first(props) : NULL; pe;
         pe = qdict_next(props, pe)) {
        QString *v = qobject_to(QString, pe->value);

        if (g_str_equal(pe->key, "rom-size") && !smbus && v &&
            !qemu_strtou64(qstring_get_str(v), NULL, 0, rom_size)) {
            continue;
        }
        if (!g_str_equal(pe->key, "address") &&
            !g_str_equal(pe->key, "rom-size")) {
            compose_plan_error(p, compose_plan_key_loc(p, props, pe->key),
                               "%s: with initial contents, %s takes only the "
                               "properties %s", e->what, d->type,
                               smbus ? "'address'" :
                               "'address' and 'rom-size'");
            ok = false;
        }
    }
    a = props ? qobject_to(QString, qdict_get(props, "address")) : NULL;
    if (!props || !qdict_haskey(props, "address")) {
        compose_plan_error(p, compose_plan_loc(p, QOBJECT(e->node)), "%s: %s "
                           "needs the property 'address'", e->what, d->type);
        ok = false;
    } else if (!a || qemu_strtou64(qstring_get_str(a), NULL, 0, &addr) ||
               addr > 0x7f) {
        compose_plan_error(p, compose_plan_member_loc(p, props, "address"),
                           "%s: 'address' must be a 7-bit I2C address",
                           e->what);
        ok = false;
    }
    return ok;
}

bool compose_check_contents(ComposePlan *p, ComposeEntity *e)
{
    ComposeDevice *d = e->decl;
    const ComposeLoc *loc = compose_plan_member_loc(p, e->node, "contents");
    const ComposeLoc *dloc = compose_plan_loc(p, QOBJECT(e->node));
    bool smbus = compose_is_smbus_eeprom(d);
    g_autofree uint8_t *buf = NULL;
    uint64_t rom_size = 0;
    size_t len;
    bool ok;

    if (!compose_uses_eeprom_helper(d)) {
        return true;
    }
    if (!smbus && !g_str_equal(d->type, "at24c-eeprom")) {
        compose_plan_error(p, loc, "%s: 'contents' is for smbus-eeprom and "
                           "at24c-eeprom devices", e->what);
        return false;
    }
    ok = contents_props(p, e, &rom_size);
    if (!d->bus) {
        compose_plan_error(p, dloc, "%s: %s needs 'bus' (an I2C bus)",
                           e->what, d->type);
        ok = false;
    }
    buf = compose_contents_bytes(p, e, 0, &len);
    if (!buf) {
        return false;
    }
    if (smbus && d->contents && !d->contents->has_size &&
        len > COMPOSE_SMBUS_EEPROM_SIZE) {
        compose_plan_error(p, loc, "%s: contents: an %s holds %u bytes",
                           e->what, d->type, COMPOSE_SMBUS_EEPROM_SIZE);
        ok = false;
    }
    if (!smbus && (!rom_size || rom_size > UINT32_MAX)) {
        compose_plan_error(p, dloc, "%s: %s needs 'rom-size' (1 to 4G-1)",
                           e->what, d->type);
        ok = false;
    } else if (!smbus && len > rom_size) {
        compose_plan_error(p, loc, "%s: contents: %zu bytes, more than "
                           "rom-size (%" PRIu64 ")", e->what, len, rom_size);
        ok = false;
    }
    return ok;
}
