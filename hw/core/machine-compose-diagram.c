/*
 * Composed machine: a block diagram of what was built (Graphviz DOT)
 *
 * QMP query-composition-diagram and -M composed,diagram=FILE draw the
 * machine as QEMU holds it after the build, not as it was written:
 * devices are the realized devices of the QOM tree, including those an
 * SoC creates; the memory map is system memory's regions; buses,
 * interrupt lines and clocks are the connections the devices have.
 *
 *   CPUs          boxes, in a cluster per cpu-cluster; CPU gates
 *   devices       boxes, in a cluster per device that has child devices
 *   memory map    one table, a row per leaf region of system memory
 *                 with its address, an edge to its owner device
 *   buses         ellipses (buses with devices), an edge to each device
 *                 labelled with its address
 *   interrupts    red edges from an output to the device or CPU that
 *                 owns the input, "OUTPUT -> INPUT"
 *   clocks        blue edges from a clock to the inputs it drives
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-machine-compose.h"
#include "qemu/int128.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/clock.h"
#include "hw/cpu/cluster.h"
#include "hw/core/cpu.h"
#include "hw/core/machine-composer.h"
#include "hw/irq.h"
#include "hw/qdev-core.h"
#include "hw/sysbus.h"
#include "system/runstate.h"
#include "machine-compose-plan.h"

/* Regions drawn at most: a map is for reading, not for every byte */
#define DIAGRAM_MAX_REGIONS 512

typedef struct Diagram {
    GString *out;
    Object *machine;
    GPtrArray *devices;         /* DeviceState, in QOM tree order */
    GHashTable *drawn;          /* Object -> its node id */
} Diagram;

/* A DOT string: quotes and backslashes escaped */
static void put_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            g_string_append_c(out, '\\');
        }
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

/* put_quoted() of a string made for it */
static void put_quoted_free(GString *out, char *s)
{
    put_quoted(out, s);
    g_free(s);
}

/* Text for an HTML-like label */
static void put_html(GString *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            g_string_append(out, "&lt;");
            break;
        case '>':
            g_string_append(out, "&gt;");
            break;
        case '&':
            g_string_append(out, "&amp;");
            break;
        case '"':
            g_string_append(out, "&quot;");
            break;
        default:
            g_string_append_c(out, *s);
        }
    }
}

/* The path of @obj below the machine: "soc/uart[4]" for /machine/soc/... */
static char *rel_path(Diagram *d, Object *obj)
{
    g_autofree char *path = object_get_canonical_path(obj);
    g_autofree char *top = object_get_canonical_path(d->machine);
    size_t n = strlen(top);

    if (path && g_str_has_prefix(path, top) && path[n] == '/') {
        return g_strdup(path + n + 1);
    }
    return g_strdup(path ? path : "?");
}

static const char *node_id(Diagram *d, Object *obj)
{
    return g_hash_table_lookup(d->drawn, obj);
}

/* Realized devices below @obj, parents before children */
static int collect_devices(Object *child, void *opaque)
{
    Diagram *d = opaque;

    if (object_dynamic_cast(child, TYPE_DEVICE) &&
        DEVICE(child)->realized) {
        g_ptr_array_add(d->devices, child);
        g_hash_table_insert(d->drawn, child, rel_path(d, child));
    }
    return object_child_foreach(child, collect_devices, d);
}

static bool has_child_device(Diagram *d, Object *obj)
{
    guint i;

    for (i = 0; i < d->devices->len; i++) {
        Object *o = g_ptr_array_index(d->devices, i);

        if (o->parent == obj) {
            return true;
        }
    }
    return false;
}

static void put_device_node(Diagram *d, Object *obj, const char *indent)
{
    GString *out = d->out;
    const char *id = node_id(d, obj);
    const char *type = object_get_typename(obj);
    bool cpu = object_dynamic_cast(obj, TYPE_CPU);

    g_string_append(out, indent);
    put_quoted(out, id);
    g_string_append(out, " [label=<<b>");
    put_html(out, strrchr(id, '/') ? strrchr(id, '/') + 1 : id);
    g_string_append(out, "</b><br/>");
    put_html(out, type);
    if (cpu && object_property_get_bool(obj, "start-powered-off", NULL)) {
        g_string_append(out, "<br/><i>powered off at reset</i>");
    }
    g_string_append_printf(out, ">%s];\n",
                           cpu ? ", style=filled, fillcolor=\"#dde8ff\"" : "");
}

/*
 * @obj and the devices below it: a cluster subgraph when it has child
 * devices (an SoC, a cpu-cluster), else a node
 */
static void put_device_tree(Diagram *d, Object *obj, unsigned depth)
{
    g_autofree char *indent = g_strnfill(2 * depth + 2, ' ');
    guint i;

    if (!has_child_device(d, obj)) {
        put_device_node(d, obj, indent);
        return;
    }
    g_string_append_printf(d->out, "%ssubgraph ", indent);
    put_quoted_free(d->out, g_strconcat("cluster:", node_id(d, obj), NULL));
    g_string_append_printf(d->out, " {\n%s  label=", indent);
    put_quoted(d->out, node_id(d, obj));
    g_string_append_printf(d->out, "; style=rounded;\n");
    if (!object_dynamic_cast(obj, TYPE_CPU_CLUSTER)) {
        g_autofree char *inner = g_strnfill(2 * depth + 4, ' ');

        put_device_node(d, obj, inner);
    }
    for (i = 0; i < d->devices->len; i++) {
        Object *o = g_ptr_array_index(d->devices, i);

        if (o->parent == obj) {
            put_device_tree(d, o, depth + 1);
        }
    }
    g_string_append_printf(d->out, "%s}\n", indent);
}

/* The drawn device or CPU @obj belongs to, NULL if none */
static const char *owner_id(Diagram *d, Object *obj)
{
    for (; obj; obj = obj->parent) {
        const char *id = node_id(d, obj);

        if (id) {
            return id;
        }
    }
    return NULL;
}

/* --- memory map --- */

typedef struct MapRow {
    hwaddr addr;
    uint64_t size;
    const char *name;
    const char *what;           /* ram, rom, alias, io */
    Object *owner;
} MapRow;

static void collect_regions(MemoryRegion *mr, hwaddr base, GArray *rows)
{
    MemoryRegion *sub;

    QTAILQ_FOREACH(sub, &mr->subregions, subregions_link) {
        hwaddr addr = base + sub->addr;

        if (!sub->enabled || rows->len >= DIAGRAM_MAX_REGIONS) {
            continue;
        }
        if (!sub->alias && !QTAILQ_EMPTY(&sub->subregions) &&
            !sub->terminates) {
            collect_regions(sub, addr, rows);   /* a container */
        } else {
            MapRow r = {
                .addr = addr,
                .size = int128_get64(int128_min(sub->size,
                                                int128_make64(UINT64_MAX))),
                .name = memory_region_name(sub),
                .what = sub->alias ? "alias" : sub->rom_device ||
                        (sub->ram && sub->readonly) ? "rom" :
                        sub->ram ? "ram" : "io",
                .owner = memory_region_owner(sub),
            };
            g_array_append_val(rows, r);
        }
    }
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const MapRow *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void put_memory_map(Diagram *d)
{
    g_autoptr(GArray) rows = g_array_new(false, false, sizeof(MapRow));
    GString *out = d->out;
    guint i;

    collect_regions(get_system_memory(), 0, rows);
    g_array_sort(rows, row_cmp);
    g_string_append(out, "  \"memory-map\" [shape=plaintext, label=<"
                    "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
                    "<tr><td colspan=\"3\"><b>system memory</b></td></tr>\n");
    for (i = 0; i < rows->len; i++) {
        MapRow *r = &g_array_index(rows, MapRow, i);
        g_autofree char *size = size_to_str(r->size);

        g_string_append_printf(out, "    <tr><td port=\"r%u\" align=\"left\">"
                               "0x%" HWADDR_PRIx "</td><td>%s</td>"
                               "<td align=\"left\">", i, r->addr, size);
        put_html(out, r->name ? r->name : "");
        g_string_append_printf(out, " (%s)</td></tr>\n", r->what);
    }
    g_string_append(out, "  </table>>];\n");
    for (i = 0; i < rows->len; i++) {
        MapRow *r = &g_array_index(rows, MapRow, i);
        const char *id = r->owner ? owner_id(d, r->owner) : NULL;

        if (id) {
            g_string_append_printf(out, "  \"memory-map\":r%u -> ", i);
            put_quoted(out, id);
            g_string_append(out, " [color=gray50, arrowhead=none];\n");
        }
    }
}

/* --- buses --- */

static void put_buses(Diagram *d)
{
    GString *out = d->out;
    guint i;

    for (i = 0; i < d->devices->len; i++) {
        DeviceState *dev = g_ptr_array_index(d->devices, i);
        BusState *bus;

        QLIST_FOREACH(bus, &dev->child_bus, sibling) {
            BusChild *kid;
            g_autofree char *bid = NULL;
            g_autofree char *path = NULL;

            if (QTAILQ_EMPTY(&bus->children)) {
                continue;
            }
            path = rel_path(d, OBJECT(bus));
            bid = g_strconcat("bus:", path, NULL);
            g_string_append(out, "  ");
            put_quoted(out, bid);
            g_string_append(out, " [shape=ellipse, label=");
            put_quoted(out, bus->name);
            g_string_append(out, "];\n  ");
            put_quoted(out, node_id(d, OBJECT(dev)));
            g_string_append(out, " -> ");
            put_quoted(out, bid);
            g_string_append(out, " [style=dashed, arrowhead=none];\n");
            QTAILQ_FOREACH(kid, &bus->children, sibling) {
                Object *child = OBJECT(kid->child);
                const char *cid = node_id(d, child);

                if (!cid) {
                    continue;
                }
                g_string_append(out, "  ");
                put_quoted(out, bid);
                g_string_append(out, " -> ");
                put_quoted(out, cid);
                if (object_property_find(child, "address")) {
                    g_string_append_printf(out, " [label=\"0x%" PRIx64 "\"]",
                        object_property_get_uint(child, "address", NULL));
                }
                g_string_append(out, ";\n");
            }
        }
    }
}

/* --- interrupt lines and clocks --- */

static void put_irqs(Diagram *d, DeviceState *dev)
{
    NamedGPIOList *ngl;

    QLIST_FOREACH(ngl, &dev->gpios, node) {
        const char *name = ngl->name ? ngl->name : "unnamed-gpio-out";
        int n;

        for (n = 0; n < ngl->num_out; n++) {
            g_autofree char *prop = g_strdup_printf("%s[%d]", name, n);
            Object *irq = object_property_get_link(OBJECT(dev), prop, NULL);
            const char *to = irq ? owner_id(d, irq) : NULL;
            const char *in;

            if (!to) {
                continue;   /* not connected, or not to a device (gates) */
            }
            /* unnamed GPIOs as [N]: the way descriptions write them */
            in = object_get_canonical_path_component(irq);
            if (in && g_str_has_prefix(in, "unnamed-gpio-in")) {
                in += strlen("unnamed-gpio-in");
            }
            g_string_append(d->out, "  ");
            put_quoted(d->out, node_id(d, OBJECT(dev)));
            g_string_append(d->out, " -> ");
            put_quoted(d->out, to);
            g_string_append(d->out, " [color=red, fontcolor=red, label=");
            put_quoted_free(d->out, g_strdup_printf("%s%s -> %s",
                            ngl->name ? ngl->name : "", prop + strlen(name),
                            in ? in : "?"));
            g_string_append(d->out, "];\n");
        }
    }
}

static void put_clocks(Diagram *d, DeviceState *dev, GHashTable *clocks)
{
    NamedClockList *ncl;

    QLIST_FOREACH(ncl, &dev->clocks, node) {
        Clock *src;
        const char *from;
        g_autofree char *hz = NULL;

        if (ncl->output || ncl->alias || !clock_has_source(ncl->clock)) {
            continue;
        }
        /*
         * clock.h has no getter for the source of a clock input; the
         * field is only read here, to draw it.
         */
        src = ncl->clock->source;
        from = g_hash_table_lookup(clocks, src);
        if (!from) {
            from = owner_id(d, OBJECT(src));
        }
        if (!from) {
            continue;
        }
        hz = freq_to_str(clock_get_hz(ncl->clock));
        g_string_append(d->out, "  ");
        put_quoted(d->out, from);
        g_string_append(d->out, " -> ");
        put_quoted(d->out, node_id(d, OBJECT(dev)));
        g_string_append(d->out, " [color=blue, fontcolor=blue, label=");
        put_quoted_free(d->out, g_strdup_printf("%s %s", ncl->name, hz));
        g_string_append(d->out, "];\n");
    }
}

/* The clocks of the description: nodes of their own */
static GHashTable *put_clock_sources(Diagram *d, const ComposeBuilt *b)
{
    GHashTable *clocks = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    const ComposePlan *p = b ? b->plan : NULL;
    guint i;

    for (i = 0; p && i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        g_autofree char *hz = NULL;

        if (e->kind != COMPOSE_ENTITY_CLOCK || !b->clks[i]) {
            continue;
        }
        hz = freq_to_str(clock_get_hz(b->clks[i]));
        g_hash_table_insert(clocks, b->clks[i],
                            g_strconcat("clock:", e->name, NULL));
        g_string_append(d->out, "  ");
        put_quoted(d->out, g_hash_table_lookup(clocks, b->clks[i]));
        g_string_append(d->out, " [shape=octagon, color=blue, label=");
        put_quoted_free(d->out, g_strdup_printf("%s %s", e->name, hz));
        g_string_append(d->out, "];\n");
    }
    return clocks;
}

/* CPU groups held off until a device output goes high */
static void put_gates(Diagram *d, const ComposeBuilt *b)
{
    const ComposePlan *p = b ? b->plan : NULL;
    guint g, i;

    for (g = 0; p && g < p->gates->len; g++) {
        ComposeGate *gt = g_ptr_array_index(p->gates, g);
        ComposeEntity *first = g_ptr_array_index(p->cpu_groups, g);

        if (!gt) {
            continue;
        }
        for (i = first->index; i < p->entities->len; i++) {
            ComposeEntity *e = g_ptr_array_index(p->entities, i);
            const char *cpu = node_id(d, b->objs[i]);

            if (e->kind != COMPOSE_ENTITY_CPU || e->pos != g) {
                break;
            }
            if (!cpu || !node_id(d, b->objs[gt->dev->index])) {
                continue;
            }
            g_string_append(d->out, "  ");
            put_quoted(d->out, node_id(d, b->objs[gt->dev->index]));
            g_string_append(d->out, " -> ");
            put_quoted(d->out, cpu);
            g_string_append(d->out, " [color=darkgreen, fontcolor=darkgreen, "
                            "style=bold, label=");
            put_quoted_free(d->out, g_strdup_printf("gate %s", gt->text));
            g_string_append(d->out, "];\n");
        }
    }
}

char *compose_diagram_dot(MachineState *ms)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);
    const ComposeBuilt *b = s->built;
    const char *name = s->plan && s->plan->board->name ?
                       s->plan->board->name : "composed";
    g_autoptr(GHashTable) clocks = NULL;
    Diagram d = {
        .out = g_string_new(NULL),
        .machine = OBJECT(ms),
        .devices = g_ptr_array_new(),
        .drawn = g_hash_table_new_full(NULL, NULL, NULL, g_free),
    };
    guint i;

    object_child_foreach(OBJECT(ms), collect_devices, &d);
    g_string_append(d.out, "digraph ");
    put_quoted(d.out, name);
    g_string_append(d.out, " {\n  rankdir=LR; compound=true; newrank=true; "
                    "node [shape=box, fontsize=10]; edge [fontsize=9];\n"
                    "  label=");
    put_quoted_free(d.out, g_strdup_printf("%s (%s)", name, s->desc));
    g_string_append(d.out, ";\n");
    for (i = 0; i < d.devices->len; i++) {
        Object *o = g_ptr_array_index(d.devices, i);

        if (!node_id(&d, o->parent)) {
            put_device_tree(&d, o, 0);
        }
    }
    clocks = put_clock_sources(&d, b);
    put_memory_map(&d);
    put_buses(&d);
    for (i = 0; i < d.devices->len; i++) {
        put_irqs(&d, g_ptr_array_index(d.devices, i));
        put_clocks(&d, g_ptr_array_index(d.devices, i), clocks);
    }
    put_gates(&d, b);
    g_string_append(d.out, "}\n");
    g_ptr_array_free(d.devices, true);
    g_hash_table_destroy(d.drawn);
    return g_string_free(d.out, false);
}

CompositionDiagram *qmp_query_composition_diagram(Error **errp)
{
    MachineState *ms = MACHINE(qdev_get_machine());
    CompositionDiagram *r = g_new0(CompositionDiagram, 1);

    r->composed = object_dynamic_cast(OBJECT(ms), TYPE_COMPOSED_MACHINE) &&
                  COMPOSED_MACHINE(ms)->built;
    if (r->composed) {
        r->dot = compose_diagram_dot(ms);
    }
    return r;
}
