/*
 * Composed machine: wires and gates, checked and built
 *
 * The "irqs" of devices and of CPUs become wires (refs.c parses them);
 * the check resolves their inputs to a declared device or CPU, or to a
 * part of one ("soc/intc/intc-orgates[1][3]": the longest declared name
 * the path starts with, then a QOM path below it), and the gates that
 * hold CPUs powered off.  Parts exist only in instances: they are
 * checked on the objects the build creates, before anything is
 * realized.  The build connects the wires, through an or/and gate where
 * several outputs drive one input, or directly ("combine: shared").
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "hw/core/and-irq.h"
#include "hw/core/machine-composer.h"
#include "hw/or-irq.h"
#include "machine-compose-plan.h"

#define PLAN(b) ((b)->plan)

/* --- the check --- */

/*
 * The device or CPU @text names, or a part of a device: *@path is then
 * the QOM path below it.  NULL after reporting at @loc.
 */
static ComposeEntity *endpoint_owner(ComposePlan *p, const char *text,
                                     const ComposeLoc *loc, const char *what,
                                     const char *key, char **path)
{
    ComposeEntity *t = g_hash_table_lookup(p->by_name, text);
    const char *rest = NULL;

    *path = NULL;
    if (!t && strchr(text, '/')) {
        t = compose_plan_owner(p, text, &rest);
    }
    if (!t) {
        /* reported with the names closest to it; a gate is a device's */
        return compose_plan_find(p, text, g_str_equal(key, "gate") ?
                                 COMPOSE_ENTITY_DEVICE : -1, loc, what);
    }
    if (t->kind != COMPOSE_ENTITY_DEVICE && t->kind != COMPOSE_ENTITY_CPU) {
        compose_plan_error(p, loc, "%s: %s: '%s' is a %s, not a device or "
                           "CPU", what, key, text,
                           compose_entity_kind_name(t->kind));
        return NULL;
    }
    if (t->kind == COMPOSE_ENTITY_DEVICE && !rest &&
        compose_is_container(t->decl)) {
        compose_plan_error(p, loc, "%s: %s: '%s' is a container, not a "
                           "device", what, key, text);
        return NULL;
    }
    *path = g_strdup(rest);
    return t;
}

bool compose_check_wire_targets(ComposePlan *p)
{
    bool ok = true;
    guint i;

    for (i = 0; i < p->wires->len; i++) {
        ComposeWire *w = g_ptr_array_index(p->wires, i);

        w->dst = endpoint_owner(p, w->in.dev, w->loc, w->src->what, "irqs",
                                &w->in.path);
        ok &= !!w->dst;
    }
    return ok;
}

/* cpus[].irqs: one mapping per CPU of the group, outputs of that CPU */
bool compose_collect_cpu_wires(ComposePlan *p)
{
    bool ok = true;
    guint g;

    for (g = 0; g < p->cpu_groups->len; g++) {
        ComposeEntity *first = g_ptr_array_index(p->cpu_groups, g);
        ComposeCpus *c = first ? first->decl : NULL;
        anyList *il;
        guint n;

        for (il = c ? c->irqs : NULL, n = 0; il; il = il->next, n++) {
            ComposeEntity *cpu = first->index + n < p->entities->len ?
                g_ptr_array_index(p->entities, first->index + n) : NULL;

            if (!cpu || cpu->kind != COMPOSE_ENTITY_CPU || cpu->pos != g) {
                compose_plan_error(p, compose_plan_loc(p, il->value),
                                   "%s: irqs has more entries than CPUs",
                                   first->what);
                return false;
            }
            ok &= compose_collect_wires(p, cpu, il->value);
        }
    }
    return ok;
}

/*
 * A gate: a device GPIO output that powers a CPU group on.  One line,
 * from a device declared in "devices" (or a part of one), not used by
 * any "irqs".
 */
static ComposeGate *check_gate(ComposePlan *p, const char *text,
                               const ComposeLoc *loc, const char *what,
                               bool *ok)
{
    ComposeGate *g = g_new0(ComposeGate, 1);
    guint i;

    g->loc = loc;
    g->text = g_strdup(text);
    if (!compose_gpio_parse(text, true, &g->out) || g->out.count != 1) {
        compose_plan_error(p, g->loc, "%s: invalid gate '%s' (expected one "
                           "device output, DEVICE[/PART][.NAME][INDEX])", what,
                           text);
        goto fail;
    }
    g->dev = endpoint_owner(p, g->out.dev, g->loc, what, "gate",
                            &g->out.path);
    if (!g->dev) {
        goto fail;
    }
    if (g->dev->kind != COMPOSE_ENTITY_DEVICE) {
        compose_plan_error(p, g->loc, "%s: gate '%s' is not an output of a "
                           "device", what, text);
        goto fail;
    }
    for (i = 0; i < p->wires->len; i++) {
        ComposeWire *w = g_ptr_array_index(p->wires, i);

        if (w->src == g->dev && !g_strcmp0(w->out.path, g->out.path) &&
            !g_strcmp0(w->out.name, g->out.name) &&
            g->out.first >= w->out.first &&
            g->out.first < w->out.first + w->out.count) {
            compose_plan_error(p, g->loc, "%s: gate output '%s' is also "
                               "connected at %s:%u:%u (an output drives one "
                               "input)", what, text, w->loc->file,
                               w->loc->line, w->loc->col);
            goto fail;
        }
    }
    return g;
fail:
    compose_gate_free(g);
    *ok = false;
    return NULL;
}

bool compose_check_gates(ComposePlan *p)
{
    bool ok = true;
    guint i;

    for (i = 0; i < p->cpu_groups->len; i++) {
        ComposeEntity *first = g_ptr_array_index(p->cpu_groups, i);
        ComposeCpus *c = first ? first->decl : NULL;

        g_ptr_array_add(p->gates, c && c->gate ?
                        check_gate(p, c->gate,
                                   compose_plan_member_loc(p, first->node,
                                                           "gate"),
                                   first->what, &ok) : NULL);
    }
    /* a device's gate holds the CPUs it creates (an SoC's, an armv7m's) */
    for (i = 0; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);
        ComposeGate *g;

        if (e->kind != COMPOSE_ENTITY_DEVICE ||
            !((ComposeDevice *)e->decl)->gate) {
            continue;
        }
        g = check_gate(p, ((ComposeDevice *)e->decl)->gate,
                       compose_plan_member_loc(p, e->node, "gate"), e->what,
                       &ok);
        if (g) {
            g->holder = e;
            g_ptr_array_add(p->device_gates, g);
        }
    }
    return ok;
}

/* --- on instances, before realize --- */

/* The device at @path below @obj (@obj itself without), else NULL */
static DeviceState *part_device(Object *obj, const char *path)
{
    Object *o = path ? object_resolve_path_at(obj, path) : obj;

    return o ? (DeviceState *)object_dynamic_cast(o, TYPE_DEVICE) : NULL;
}

static bool check_part(const ComposePlan *p, Object *obj, const char *path,
                       const ComposeLoc *loc, const char *what)
{
    if (!path || part_device(obj, path)) {
        return true;
    }
    compose_plan_error(p, loc, "%s: irqs: %s has no child device '%s'", what,
                       object_get_typename(obj), path);
    return false;
}

bool compose_check_wire_parts(const ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    bool ok = true;
    guint i;

    for (i = 0; i < p->wires->len; i++) {
        ComposeWire *w = g_ptr_array_index(p->wires, i);

        ok &= check_part(p, b->objs[w->src->index], w->out.path, w->loc,
                         w->src->what);
        ok &= check_part(p, b->objs[w->dst->index], w->in.path, w->loc,
                         w->src->what);
    }
    for (i = 0; i < p->gates->len; i++) {
        ComposeGate *g = g_ptr_array_index(p->gates, i);

        ok &= !g || check_part(p, b->objs[g->dev->index], g->out.path,
                               g->loc, g->dev->what);
    }
    for (i = 0; i < p->device_gates->len; i++) {
        ComposeGate *g = g_ptr_array_index(p->device_gates, i);

        ok &= check_part(p, b->objs[g->dev->index], g->out.path, g->loc,
                         g->dev->what);
    }
    return ok;
}

/* --- the build: wires --- */

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

/* Connect output @idx of @ref on @dev; false (nothing done) if none */
static bool connect_out(DeviceState *dev, const ComposeGpioRef *ref,
                        unsigned idx, qemu_irq irq)
{
    NamedGPIOList *out = find_gpio(dev, ref->name);

    if (!out || idx >= out->num_out) {
        return false;
    }
    if (ref->name && g_str_equal(ref->name, SYSBUS_DEVICE_GPIO_IRQ)) {
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), idx, irq);
    } else {
        qdev_connect_gpio_out_named(dev, ref->name, idx, irq);
    }
    return true;
}

static bool wire_one(ComposeBuilt *b, ComposeWire *w, unsigned j,
                     qemu_irq in)
{
    DeviceState *src = part_device(b->objs[w->src->index], w->out.path);

    /* checked: the part exists */
    if (!connect_out(src, &w->out, w->out.first + j, in)) {
        g_autofree char *o = compose_gpio_str(&w->out, j);

        compose_plan_error(PLAN(b), w->loc, "%s: irqs: %s has no output "
                           "'%s'%s", w->src->what,
                           object_get_typename(OBJECT(src)), o,
                           find_gpio(src, w->out.name) ? "" :
                           " (no GPIO output of that name)");
        return false;
    }
    return true;
}

static qemu_irq input_of(ComposeBuilt *b, ComposeWire *w, unsigned j)
{
    DeviceState *dev = part_device(b->objs[w->dst->index], w->in.path);
    NamedGPIOList *in = find_gpio(dev, w->in.name);
    unsigned idx = w->in.first + j;

    if (!in || idx >= in->num_in) {
        g_autofree char *r = compose_gpio_str(&w->in, j);

        compose_plan_error(PLAN(b), w->loc, "%s: irqs: %s has no input '%s' "
                           "(%s)", w->src->what,
                           object_get_typename(OBJECT(dev)), r,
                           in ? "index out of range" :
                           "no GPIO input of that name");
        return NULL;
    }
    return qdev_get_gpio_in_named(dev, w->in.name, idx);
}

/* One input driven by several lines, through an or/and gate */
static bool wire_gate(ComposeBuilt *b, GPtrArray *g, qemu_irq in,
                      unsigned *ngates)
{
    ComposeWire *w0 = g_ptr_array_index(g, 0);
    unsigned lines = g->len / 2, k;
    g_autofree char *name = g_strdup_printf("combine[%u]", (*ngates)++);
    DeviceState *gate = qdev_new(w0->combine == COMPOSE_IRQ_COMBINE_AND ?
                                 TYPE_AND_IRQ : TYPE_OR_IRQ);
    Error *err = NULL;
    bool ok = true;

    /* checked: at most MAX_OR_LINES (== MAX_AND_LINES) lines */
    qdev_prop_set_uint16(gate, "num-lines", lines);
    if (!compose_add_child(b, OBJECT(b->ms), name, OBJECT(gate), w0->loc,
                           w0->src->what)) {
        return false;
    }
    if (!qdev_realize(gate, NULL, &err)) {
        compose_plan_error(PLAN(b), w0->loc, "%s: %s", w0->src->what,
                           error_get_pretty(err));
        error_free(err);
        return false;
    }
    qdev_connect_gpio_out(gate, 0, in);
    for (k = 0; k < lines; k++) {
        ok &= wire_one(b, g_ptr_array_index(g, 2 * k),
                       GPOINTER_TO_UINT(g->pdata[2 * k + 1]),
                       qdev_get_gpio_in(gate, k));
    }
    return ok;
}

/* Every line of @g straight to @in: the last change wins */
static bool wire_shared(ComposeBuilt *b, GPtrArray *g, qemu_irq in)
{
    bool ok = true;
    guint k;

    for (k = 0; k < g->len; k += 2) {
        ok &= wire_one(b, g_ptr_array_index(g, k),
                       GPOINTER_TO_UINT(g->pdata[k + 1]), in);
    }
    return ok;
}

/* Connect the wires; fan-in goes through one combine gate per input */
bool compose_build_wires(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash,
                                                         g_str_equal, g_free,
                                                         NULL);
    g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_ptr_array_unref);
    unsigned ngates = 0, j;
    bool ok = true;
    guint i;

    /* Group the lines by input, in declaration order */
    for (i = 0; i < p->wires->len; i++) {
        ComposeWire *w = g_ptr_array_index(p->wires, i);

        for (j = 0; j < w->in.count; j++) {
            g_autofree char *in = compose_gpio_str(&w->in, j);
            GPtrArray *g = g_hash_table_lookup(groups, in);

            if (!g) {
                g = g_ptr_array_new();
                g_hash_table_insert(groups, g_steal_pointer(&in), g);
                g_ptr_array_add(order, g);
            }
            g_ptr_array_add(g, w);
            g_ptr_array_add(g, GUINT_TO_POINTER(j));
        }
    }
    for (i = 0; i < order->len; i++) {
        GPtrArray *g = g_ptr_array_index(order, i);
        ComposeWire *w0 = g_ptr_array_index(g, 0);
        qemu_irq in = input_of(b, w0, GPOINTER_TO_UINT(g->pdata[1]));

        if (!in) {
            ok = false;
        } else if (g->len == 2 ||
                   w0->combine == COMPOSE_IRQ_COMBINE_SHARED) {
            ok &= wire_shared(b, g, in);
        } else {
            ok &= wire_gate(b, g, in, &ngates);
        }
    }
    return ok;
}

/* --- the build: gates --- */

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

static void release_cpu(CPUState *cpu)
{
    if (cpu_release_fn) {
        cpu_release_fn(cpu);
    } else {
        async_run_on_cpu(cpu, release_cpu_work, RUN_ON_CPU_NULL);
    }
}

typedef struct GateState {
    GPtrArray *cpus;            /* CPUState held by the gate */
} GateState;

static void gate_handler(void *opaque, int n, int level)
{
    GateState *g = opaque;
    guint i;

    for (i = 0; level && i < g->cpus->len; i++) {
        release_cpu(g_ptr_array_index(g->cpus, i));
    }
}

void compose_gate_state_free(gpointer p)
{
    GateState *g = p;

    g_ptr_array_free(g->cpus, true);
    g_free(g);
}

/* Connect @gt to release @cpus (taken) */
static bool connect_gate(ComposeBuilt *b, const ComposeGate *gt,
                         GPtrArray *cpus, const char *what)
{
    DeviceState *dev = part_device(b->objs[gt->dev->index], gt->out.path);
    GateState *g = g_new0(GateState, 1);

    g->cpus = cpus;
    g_ptr_array_add(b->gates, g);
    if (!connect_out(dev, &gt->out, gt->out.first,
                     qemu_allocate_irq(gate_handler, g, 0))) {
        compose_plan_error(PLAN(b), gt->loc, "%s: gate: %s has no output "
                           "'%s'", what, object_get_typename(OBJECT(dev)),
                           gt->text);
        return false;
    }
    return true;
}

/* Connect the gate of CPU group @n */
static bool build_gate(ComposeBuilt *b, unsigned n)
{
    const ComposePlan *p = PLAN(b);
    ComposeEntity *first = g_ptr_array_index(p->cpu_groups, n);
    GPtrArray *cpus = g_ptr_array_new();
    guint i;

    for (i = first->index; i < p->entities->len; i++) {
        ComposeEntity *e = g_ptr_array_index(p->entities, i);

        if (e->kind != COMPOSE_ENTITY_CPU || e->pos != n) {
            break;
        }
        g_ptr_array_add(cpus, CPU(b->objs[i]));
    }
    return connect_gate(b, g_ptr_array_index(p->gates, n), cpus,
                        first->what);
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
 * or an armv7m creates) starts powered off at each reset and waits.
 */
static bool build_device_gate(ComposeBuilt *b, const ComposeGate *gt)
{
    GPtrArray *cpus = g_ptr_array_new();
    Object *holder = b->objs[gt->holder->index];
    guint i;

    object_child_foreach_recursive(holder, collect_cpu, cpus);
    if (!cpus->len) {
        compose_plan_error(PLAN(b), gt->loc, "%s: gate: %s created no CPU",
                           gt->holder->what, object_get_typename(holder));
        g_ptr_array_free(cpus, true);
        return false;
    }
    for (i = 0; i < cpus->len; i++) {
        /* realized already: what the start-powered-off property sets */
        CPU(g_ptr_array_index(cpus, i))->start_powered_off = true;
    }
    return connect_gate(b, gt, cpus, gt->holder->what);
}

bool compose_build_gates(ComposeBuilt *b)
{
    const ComposePlan *p = PLAN(b);
    guint i;

    for (i = 0; i < p->gates->len; i++) {
        if (g_ptr_array_index(p->gates, i) && !build_gate(b, i)) {
            return false;
        }
    }
    for (i = 0; i < p->device_gates->len; i++) {
        if (!build_device_gate(b, g_ptr_array_index(p->device_gates, i))) {
            return false;
        }
    }
    return true;
}
