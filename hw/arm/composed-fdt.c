/*
 * Composed machine: the guest device tree, generated from what was built
 *
 * With "boot: {kind: arm, generate-dtb: true}", -kernel and no -dtb, the
 * guest gets a device tree made from the machine as built: its CPUs, the
 * devices the mapping file machines/devicetree-map.yaml knows (by QEMU
 * type) with their registers where they are mapped, their interrupts in
 * the cell format of the controller they are wired to, their clocks,
 * and /chosen/stdout-path for the UART of -serial 0.  The mapping is the
 * importer's (contrib/compose-import), read the other way: device
 * knowledge is data.  arm_load_dtb() then adds /memory, the command line,
 * the initrd and PSCI, as for every ARM board.
 *
 * What a rule says for guest trees (docs/system/composer-tools.rst):
 *   type, compatible   the QEMU type and the node's compatible strings
 *   mmio               MMIO regions that are reg windows ("#N"), default
 *                      all of them
 *   irqs, max-irqs     the output that drives the node's interrupts
 *   clock-in           the clock input that is the node's clock
 *   clock-prop         or the property with the clock's frequency
 *   serial             the chardev property (the console's UART)
 *   guest: {name, reg, interrupt-cells, clock-names, props}
 *     name             node name before "@ADDRESS"
 *     reg              windows [{mmio, offset, size}] instead of "mmio"
 *     interrupt-cells  for interrupt controllers: the cells of an
 *                      interrupt wired to input N, "${@input}" being N
 *     clock-names      names of the node's clocks (all the same clock)
 *     props            more properties: true (empty), numbers (cells),
 *                      strings, lists
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/clock.h"
#include "hw/core/cpu.h"
#include "hw/core/machine-compose-doc.h"
#include "hw/core/machine-composer.h"
#include "hw/qdev-clock.h"
#include "hw/qdev-core.h"
#include "hw/sysbus.h"
#include "system/device_tree.h"
#include "system/system.h"
#include "chardev/char.h"
#include "composed-fdt.h"
#include <libfdt.h>

#define FDT_MAP_FILE "devicetree-map.yaml"
/* Interrupt lines followed through or/and gates before giving up */
#define FDT_MAX_GATE_HOPS 8

typedef struct FdtGen {
    ComposeDoc *doc;            /* the mapping file: locations, problems */
    GHashTable *rules;          /* QOM type -> QDict rule, first wins */
    GHashTable *cpu_compat;     /* QOM type -> compatible string */
    void *fdt;
    unsigned cells;             /* #address-cells = #size-cells */
    GHashTable *intc;           /* DeviceState -> phandle (controllers) */
    GHashTable *clocks;         /* key string -> phandle */
    GHashTable *paths;          /* DeviceState -> node path */
    uint32_t root_intc;         /* phandle of the root's controller */
} FdtGen;

/* The first entry of @l; a missing list has none */
static const QListEntry *first_of(QList *l)
{
    return l ? qlist_first(l) : NULL;
}

static const char *str_of(QObject *o)
{
    QString *s = qobject_to(QString, o);

    return s ? qstring_get_str(s) : NULL;
}

static const char *rule_str(QDict *r, const char *key)
{
    return r ? str_of(qdict_get(r, key)) : NULL;
}

static void G_GNUC_PRINTF(3, 4) map_error(FdtGen *g, QObject *node,
                                          const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    compose_doc_error(g->doc, node ? compose_doc_loc(g->doc, node) : NULL,
                      "%s", msg);
}

/* A number of the mapping file; false after reporting */
static bool map_uint(FdtGen *g, QObject *node, const char *what,
                     uint64_t *val)
{
    const char *s = str_of(node);

    if (!s || qemu_strtou64(s, NULL, 0, val) < 0) {
        map_error(g, node, "%s must be a number", what);
        return false;
    }
    return true;
}

/* Names of nodes and properties: what libfdt accepts, checked here */
static bool fdt_name_ok(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz"
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-#?") ==
           strlen(s);
}

/* --- the mapping file --- */

static char *find_map(MachineState *ms)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);
    g_auto(GStrv) dirs = composed_machine_search_path();
    g_autofree char *here = g_path_get_dirname(s->desc);
    char *path = g_build_filename(here, FDT_MAP_FILE, NULL);
    size_t i;

    for (i = 0; !g_file_test(path, G_FILE_TEST_EXISTS) && dirs[i]; i++) {
        g_free(path);
        path = g_build_filename(dirs[i], FDT_MAP_FILE, NULL);
    }
    return path;
}

static void index_rules(FdtGen *g, QDict *root)
{
    QList *nodes = qobject_to(QList, qdict_get(root, "nodes"));
    QList *cpus = qobject_to(QList, qdict_get(root, "cpus"));
    const QListEntry *e;

    for (e = first_of(nodes); e; e = qlist_next(e)) {
        QDict *r = qobject_to(QDict, e->value);
        const char *type = rule_str(r, "type");

        if (type && !g_hash_table_contains(g->rules, type)) {
            g_hash_table_insert(g->rules, (gpointer)type, r);
        }
    }
    for (e = first_of(cpus); e; e = qlist_next(e)) {
        QDict *r = qobject_to(QDict, e->value);
        const char *type = rule_str(r, "type");
        const char *compat = rule_str(r, "compatible");

        if (type && compat && !g_hash_table_contains(g->cpu_compat, type)) {
            g_hash_table_insert(g->cpu_compat, (gpointer)type,
                                (gpointer)compat);
        }
    }
}

/* --- addresses --- */

/* Where @mr is in system memory; false if it is not mapped there */
static bool region_addr(MemoryRegion *mr, hwaddr *addr)
{
    *addr = 0;
    for (; mr->container; mr = mr->container) {
        *addr += mr->addr;
    }
    return mr == get_system_memory();
}

typedef struct FdtReg {
    hwaddr addr;
    uint64_t size;
} FdtReg;

/* The reg windows of @dev per @r; false after reporting */
static bool device_regs(FdtGen *g, DeviceState *dev, QDict *r, GArray *regs)
{
    QDict *guest = qobject_to(QDict, qdict_get(r, "guest"));
    QList *win = guest ? qobject_to(QList, qdict_get(guest, "reg")) : NULL;
    QList *mmio = qobject_to(QList, qdict_get(r, "mmio"));
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    const QListEntry *e;
    int i;

    if (win) {
        for (e = first_of(win); e; e = qlist_next(e)) {
            QDict *w = qobject_to(QDict, e->value);
            uint64_t n = 0, off = 0, size = 0;
            FdtReg reg;

            if (!w || (qdict_haskey(w, "mmio") &&
                       !map_uint(g, qdict_get(w, "mmio"), "mmio", &n)) ||
                !map_uint(g, qdict_get(w, "offset"), "offset", &off) ||
                !map_uint(g, qdict_get(w, "size"), "size", &size)) {
                map_error(g, e->value, "guest.reg: {mmio, offset, size}");
                return false;
            }
            if (n >= sbd->num_mmio ||
                !region_addr(sbd->mmio[n].memory, &reg.addr)) {
                return true;        /* not mapped: no node */
            }
            reg.addr += off;
            reg.size = size;
            g_array_append_val(regs, reg);
        }
        return true;
    }
    for (i = 0; i < sbd->num_mmio; i++) {
        g_autofree char *idx = g_strdup_printf("#%d", i);
        bool wanted = !mmio;
        FdtReg reg;

        for (e = first_of(mmio); e; e = qlist_next(e)) {
            wanted |= !g_strcmp0(str_of(e->value), idx);
        }
        if (wanted && region_addr(sbd->mmio[i].memory, &reg.addr)) {
            reg.size = memory_region_size(sbd->mmio[i].memory);
            g_array_append_val(regs, reg);
        }
    }
    return true;
}

static void put_cells(GArray *cells, unsigned n, uint64_t v)
{
    uint32_t c;

    if (n == 2) {
        c = cpu_to_be32(v >> 32);
        g_array_append_val(cells, c);
    }
    c = cpu_to_be32(v);
    g_array_append_val(cells, c);
}

/* --- interrupts --- */

/* The controller input an output line @irq reaches, through gates */
static DeviceState *irq_target(Object *irq, unsigned *input)
{
    unsigned hop;

    for (hop = 0; irq && hop < FDT_MAX_GATE_HOPS; hop++) {
        Object *owner = irq->parent;
        const char *name = object_get_canonical_path_component(irq);
        const char *bracket = name ? strrchr(name, '[') : NULL;
        const char *end;
        uint64_t n;

        /* an input is the child "NAME[N]" of the device that has it */
        if (!owner || !object_dynamic_cast(owner, TYPE_DEVICE) ||
            !bracket || qemu_strtou64(bracket + 1, &end, 10, &n) < 0 ||
            *end != ']') {
            return NULL;
        }
        if (!object_dynamic_cast(owner, "or-irq") &&
            !object_dynamic_cast(owner, "and-irq")) {
            *input = n;
            return DEVICE(owner);
        }
        irq = object_property_get_link(owner, "unnamed-gpio-out[0]", NULL);
    }
    return NULL;
}

/* The cells of the controller's format for input @input */
static bool intc_cells(FdtGen *g, QDict *r, unsigned input, GArray *cells)
{
    QDict *guest = qobject_to(QDict, qdict_get(r, "guest"));
    QList *fmt = qobject_to(QList, qdict_get(guest, "interrupt-cells"));
    const QListEntry *e;

    for (e = first_of(fmt); e; e = qlist_next(e)) {
        uint64_t v = input;

        if (g_strcmp0(str_of(e->value), "${@input}") &&
            !map_uint(g, e->value, "interrupt-cells", &v)) {
            return false;
        }
        put_cells(cells, 1, v);
    }
    return true;
}

static bool put_interrupts(FdtGen *g, DeviceState *dev, QDict *r,
                           const char *path)
{
    const char *out = rule_str(r, "irqs");
    g_autoptr(GArray) cells = g_array_new(false, false, sizeof(uint32_t));
    uint64_t max = 64;
    uint32_t parent = 0;
    unsigned n;

    if (!out) {
        return true;
    }
    if (qdict_haskey(r, "max-irqs") &&
        !map_uint(g, qdict_get(r, "max-irqs"), "max-irqs", &max)) {
        return false;
    }
    for (n = 0; n < max; n++) {
        g_autofree char *prop = g_strdup_printf("%s[%u]", out, n);
        Object *irq;
        DeviceState *ctl;
        unsigned input;
        gpointer ph;

        if (!object_property_find(OBJECT(dev), prop)) {
            break;
        }
        irq = object_property_get_link(OBJECT(dev), prop, NULL);
        ctl = irq ? irq_target(irq, &input) : NULL;
        ph = ctl ? g_hash_table_lookup(g->intc, ctl) : NULL;
        if (!ph || (parent && GPOINTER_TO_UINT(ph) != parent)) {
            break;      /* the guest sees the lines up to the first gap */
        }
        parent = GPOINTER_TO_UINT(ph);
        if (!intc_cells(g, g_hash_table_lookup(g->rules,
                                               object_get_typename(
                                                   OBJECT(ctl))),
                        input, cells)) {
            return false;
        }
    }
    if (!cells->len) {
        return true;
    }
    qemu_fdt_setprop(g->fdt, path, "interrupts", cells->data,
                     cells->len * sizeof(uint32_t));
    if (parent != g->root_intc) {
        qemu_fdt_setprop_cell(g->fdt, path, "interrupt-parent", parent);
    }
    return true;
}

/* --- clocks --- */

/* The phandle of a fixed clock of @hz named after @name, made once */
static uint32_t fixed_clock(FdtGen *g, const char *key, const char *name,
                            uint64_t hz)
{
    gpointer ph = g_hash_table_lookup(g->clocks, key);
    g_autofree char *path = NULL;
    uint32_t handle;

    if (ph) {
        return GPOINTER_TO_UINT(ph);
    }
    path = g_strdup_printf("/clock-%s", name);
    handle = qemu_fdt_alloc_phandle(g->fdt);
    qemu_fdt_add_subnode(g->fdt, path);
    qemu_fdt_setprop_string(g->fdt, path, "compatible", "fixed-clock");
    qemu_fdt_setprop_cell(g->fdt, path, "#clock-cells", 0);
    qemu_fdt_setprop_cell(g->fdt, path, "clock-frequency", hz);
    qemu_fdt_setprop_string(g->fdt, path, "clock-output-names", name);
    qemu_fdt_setprop_cell(g->fdt, path, "phandle", handle);
    g_hash_table_insert(g->clocks, g_strdup(key), GUINT_TO_POINTER(handle));
    return handle;
}

static bool put_clocks(FdtGen *g, DeviceState *dev, QDict *r,
                       const char *path)
{
    const char *in = rule_str(r, "clock-in");
    const char *prop = rule_str(r, "clock-prop");
    QDict *guest = qobject_to(QDict, qdict_get(r, "guest"));
    QList *names = guest ? qobject_to(QList, qdict_get(guest, "clock-names"))
                         : NULL;
    g_autoptr(GArray) cells = g_array_new(false, false, sizeof(uint32_t));
    g_autoptr(GPtrArray) strs = g_ptr_array_new();
    g_autofree char *key = NULL;
    uint64_t hz = 0;
    uint32_t handle;
    const QListEntry *e;

    if (in) {
        Clock *clk = qdev_get_clock_in(dev, in);

        /* clocks of one frequency are one fixed-clock node */
        if (!clk || !clock_get_hz(clk)) {
            return true;
        }
        hz = clock_get_hz(clk);
        key = g_strdup_printf("%" PRIu64 "hz", hz);
    } else if (prop) {
        hz = object_property_get_uint(OBJECT(dev), prop, NULL);
        key = g_strdup_printf("%" PRIu64 "hz", hz);
    }
    if (!hz) {
        return true;
    }
    handle = fixed_clock(g, key, key, hz);
    for (e = first_of(names); e; e = qlist_next(e)) {
        if (!str_of(e->value)) {
            map_error(g, e->value, "guest.clock-names: a list of names");
            return false;
        }
        g_ptr_array_add(strs, (gpointer)str_of(e->value));
        put_cells(cells, 1, handle);
    }
    if (!strs->len) {
        put_cells(cells, 1, handle);
    } else {
        qemu_fdt_setprop_string_array(g->fdt, path, "clock-names",
                                      (char **)strs->pdata, strs->len);
    }
    qemu_fdt_setprop(g->fdt, path, "clocks", cells->data,
                     cells->len * sizeof(uint32_t));
    return true;
}

/* --- nodes --- */

/* guest.props: true (empty), numbers (cells), strings, lists */
static bool put_props(FdtGen *g, QDict *props, const char *path)
{
    const QDictEntry *e;

    for (e = qdict_first(props); e; e = qdict_next(props, e)) {
        QList *l = qobject_to(QList, e->value);
        const char *s = str_of(e->value);
        uint64_t v;

        if (!fdt_name_ok(e->key)) {
            map_error(g, e->value, "guest.props: bad property name '%s'",
                      e->key);
            return false;
        }
        if (l) {
            g_autoptr(GArray) cells = g_array_new(false, false,
                                                  sizeof(uint32_t));
            const QListEntry *le;

            for (le = first_of(l); le; le = qlist_next(le)) {
                if (!map_uint(g, le->value, e->key, &v)) {
                    return false;
                }
                put_cells(cells, 1, v);
            }
            qemu_fdt_setprop(g->fdt, path, e->key, cells->data,
                             cells->len * sizeof(uint32_t));
        } else if (!s) {
            map_error(g, e->value, "guest.props: '%s' must be a scalar or "
                      "a list", e->key);
            return false;
        } else if (!strcmp(s, "true")) {
            qemu_fdt_setprop(g->fdt, path, e->key, NULL, 0);
        } else if (qemu_strtou64(s, NULL, 0, &v) == 0) {
            qemu_fdt_setprop_cell(g->fdt, path, e->key, v);
        } else {
            qemu_fdt_setprop_string(g->fdt, path, e->key, s);
        }
    }
    return true;
}

static bool put_compatible(FdtGen *g, QDict *r, const char *path)
{
    QObject *c = qdict_get(r, "compatible");
    QList *l = qobject_to(QList, c);
    g_autoptr(GPtrArray) strs = g_ptr_array_new();
    const QListEntry *e;

    if (str_of(c)) {
        g_ptr_array_add(strs, (gpointer)str_of(c));
    }
    for (e = first_of(l); e; e = qlist_next(e)) {
        if (str_of(e->value)) {
            g_ptr_array_add(strs, (gpointer)str_of(e->value));
        }
    }
    if (!strs->len) {
        map_error(g, QOBJECT(r), "a rule for guest trees needs compatible");
        return false;
    }
    qemu_fdt_setprop_string_array(g->fdt, path, "compatible",
                                  (char **)strs->pdata, strs->len);
    return true;
}

/* The node of @dev, if a rule knows its type and it is mapped */
static bool put_device(FdtGen *g, DeviceState *dev)
{
    QDict *r = g_hash_table_lookup(g->rules, object_get_typename(OBJECT(dev)));
    QDict *guest = r ? qobject_to(QDict, qdict_get(r, "guest")) : NULL;
    const char *name = guest ? rule_str(guest, "name") : NULL;
    g_autoptr(GArray) regs = g_array_new(false, false, sizeof(FdtReg));
    g_autoptr(GArray) cells = g_array_new(false, false, sizeof(uint32_t));
    char *path;
    guint i;

    if (!r || !object_dynamic_cast(OBJECT(dev), TYPE_SYS_BUS_DEVICE) ||
        !device_regs(g, dev, r, regs) || !regs->len) {
        return compose_doc_error_count(g->doc) == 0;
    }
    name = name ? name : "device";
    if (!fdt_name_ok(name)) {
        map_error(g, qdict_get(guest, "name"), "bad node name '%s'", name);
        return false;
    }
    path = g_strdup_printf("/%s@%" HWADDR_PRIx, name,
                           g_array_index(regs, FdtReg, 0).addr);
    if (fdt_path_offset(g->fdt, path) >= 0) {
        return true;            /* two devices in one window: the first */
    }
    g_hash_table_insert(g->paths, dev, path);
    qemu_fdt_add_subnode(g->fdt, path);
    if (!put_compatible(g, r, path)) {
        return false;
    }
    for (i = 0; i < regs->len; i++) {
        put_cells(cells, g->cells, g_array_index(regs, FdtReg, i).addr);
        put_cells(cells, g->cells, g_array_index(regs, FdtReg, i).size);
    }
    qemu_fdt_setprop(g->fdt, path, "reg", cells->data,
                     cells->len * sizeof(uint32_t));
    if (g_hash_table_contains(g->intc, dev)) {
        QList *fmt = qobject_to(QList, qdict_get(guest, "interrupt-cells"));

        qemu_fdt_setprop(g->fdt, path, "interrupt-controller", NULL, 0);
        qemu_fdt_setprop_cell(g->fdt, path, "#interrupt-cells",
                              qlist_size(fmt));
        qemu_fdt_setprop_cell(g->fdt, path, "phandle",
                              GPOINTER_TO_UINT(g_hash_table_lookup(g->intc,
                                                                   dev)));
    }
    return put_interrupts(g, dev, r, path) &&
           put_clocks(g, dev, r, path) &&
           (!guest || !qdict_haskey(guest, "props") ||
            put_props(g, qobject_to(QDict, qdict_get(guest, "props")),
                      path));
}

static int collect(Object *child, void *opaque)
{
    if (object_dynamic_cast(child, TYPE_DEVICE) && DEVICE(child)->realized) {
        g_ptr_array_add(opaque, child);
    }
    return object_child_foreach(child, collect, opaque);
}

/* Controllers first: every node's interrupts name one by phandle */
static void find_controllers(FdtGen *g, GPtrArray *devs)
{
    guint i;

    for (i = 0; i < devs->len; i++) {
        Object *o = g_ptr_array_index(devs, i);
        QDict *r = g_hash_table_lookup(g->rules, object_get_typename(o));
        QDict *guest = r ? qobject_to(QDict, qdict_get(r, "guest")) : NULL;
        uint32_t ph;

        if (!guest || !qobject_to(QList, qdict_get(guest,
                                                   "interrupt-cells"))) {
            continue;
        }
        ph = qemu_fdt_alloc_phandle(g->fdt);
        g_hash_table_insert(g->intc, o, GUINT_TO_POINTER(ph));
        if (!g->root_intc) {
            g->root_intc = ph;
        }
    }
}

static void put_cpus(FdtGen *g)
{
    CPUState *cpu;

    qemu_fdt_add_subnode(g->fdt, "/cpus");
    qemu_fdt_setprop_cell(g->fdt, "/cpus", "#address-cells", 1);
    qemu_fdt_setprop_cell(g->fdt, "/cpus", "#size-cells", 0);
    CPU_FOREACH(cpu) {
        const char *compat = g_hash_table_lookup(g->cpu_compat,
                                                 object_get_typename(
                                                     OBJECT(cpu)));
        uint32_t id = CPU_GET_CLASS(cpu)->get_arch_id(cpu) & 0xffffff;
        g_autofree char *path = g_strdup_printf("/cpus/cpu@%x", id);

        qemu_fdt_add_subnode(g->fdt, path);
        qemu_fdt_setprop_string(g->fdt, path, "device_type", "cpu");
        if (compat) {
            qemu_fdt_setprop_string(g->fdt, path, "compatible", compat);
        }
        qemu_fdt_setprop_cell(g->fdt, path, "reg", id);
    }
}

/* /chosen/stdout-path: the UART whose chardev is -serial 0 */
static void put_console(FdtGen *g, GPtrArray *devs)
{
    Chardev *con = serial_hd(0);
    guint i;

    for (i = 0; con && i < devs->len; i++) {
        Object *o = g_ptr_array_index(devs, i);
        QDict *r = g_hash_table_lookup(g->rules, object_get_typename(o));
        const char *prop = rule_str(r, "serial");
        const char *path = g_hash_table_lookup(g->paths, o);
        g_autofree char *label = NULL;
        g_autofree char *stdout_path = NULL;

        if (!prop || !path) {
            continue;
        }
        label = object_property_get_str(o, prop, NULL);
        if (label && !strcmp(label, con->label)) {
            stdout_path = g_strdup_printf("%s:115200n8", path);
            qemu_fdt_add_subnode(g->fdt, "/aliases");
            qemu_fdt_setprop_string(g->fdt, "/aliases", "serial0", path);
            qemu_fdt_setprop_string(g->fdt, "/chosen", "stdout-path",
                                    stdout_path);
            return;
        }
    }
}

static void put_root(FdtGen *g, MachineState *ms, GPtrArray *devs)
{
    ComposedMachineState *s = COMPOSED_MACHINE(ms);
    const char *name = qdict_get_try_str(s->effective, "name");
    const char *model = qdict_get_try_str(s->effective, "description");
    g_autofree char *compat = NULL;
    guint i;

    name = name ? name : "composed";
    compat = g_strdup_printf("qemu,composed-%s", name);
    /* two cells when anything is beyond 4 GiB */
    g->cells = ms->ram_size > UINT32_MAX ? 2 : 1;
    for (i = 0; i < devs->len; i++) {
        Object *o = g_ptr_array_index(devs, i);
        SysBusDevice *sbd = (SysBusDevice *)object_dynamic_cast(
            o, TYPE_SYS_BUS_DEVICE);
        hwaddr a;
        int n;

        for (n = 0; sbd && n < sbd->num_mmio; n++) {
            if (region_addr(sbd->mmio[n].memory, &a) &&
                a + memory_region_size(sbd->mmio[n].memory) > UINT32_MAX) {
                g->cells = 2;
            }
        }
    }
    qemu_fdt_setprop_cell(g->fdt, "/", "#address-cells", g->cells);
    qemu_fdt_setprop_cell(g->fdt, "/", "#size-cells", g->cells);
    qemu_fdt_setprop_string(g->fdt, "/", "compatible", compat);
    qemu_fdt_setprop_string(g->fdt, "/", "model", model ? model : name);
    qemu_fdt_add_subnode(g->fdt, "/chosen");
}

void *composed_fdt_create(MachineState *ms, int *size, Error **errp)
{
    g_autofree char *map = find_map(ms);
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = compose_doc_read_file(doc, map, NULL);
    g_autoptr(GPtrArray) devs = g_ptr_array_new();
    FdtGen g = {
        .doc = doc,
        .rules = g_hash_table_new(g_str_hash, g_str_equal),
        .cpu_compat = g_hash_table_new(g_str_hash, g_str_equal),
        .intc = g_hash_table_new(NULL, NULL),
        .clocks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        NULL),
        .paths = g_hash_table_new_full(NULL, NULL, NULL, g_free),
    };
    bool ok = root && qobject_to(QDict, root);
    guint i;

    if (root && !ok) {
        map_error(&g, root, "the devicetree mapping must be a mapping");
    }
    if (ok) {
        index_rules(&g, qobject_to(QDict, root));
        object_child_foreach(OBJECT(ms), collect, devs);
        g.fdt = create_device_tree(size);
        put_root(&g, ms, devs);
        find_controllers(&g, devs);
        if (g.root_intc) {
            qemu_fdt_setprop_cell(g.fdt, "/", "interrupt-parent",
                                  g.root_intc);
        }
        put_cpus(&g);
        for (i = 0; ok && i < devs->len; i++) {
            ok = put_device(&g, g_ptr_array_index(devs, i));
        }
        put_console(&g, devs);
    }
    g_hash_table_destroy(g.rules);
    g_hash_table_destroy(g.cpu_compat);
    g_hash_table_destroy(g.intc);
    g_hash_table_destroy(g.clocks);
    g_hash_table_destroy(g.paths);
    qobject_unref(root);
    if (!ok || !compose_doc_check(doc, errp)) {
        if (!ok && !compose_doc_error_count(doc)) {
            error_setg(errp, "%s: cannot be read", map);
        }
        g_free(g.fdt);
        return NULL;
    }
    /* unpacked: arm_load_dtb() adds /memory, /chosen and /psci to it */
    *size = fdt_totalsize(g.fdt);
    return g.fdt;
}
