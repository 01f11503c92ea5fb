/*
 * qemu-compose-import: what each node of a design becomes
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>
#include "import.h"

#define RAM_DEFAULT_CAP     (1ULL << 30)

NodeInfo *info(const DtNode *n)
{
    return n ? n->priv : NULL;
}

void set_status(NodeInfo *ni, NodeStatus st, const char *fmt, ...)
{
    va_list ap;

    ni->status = st;
    g_string_truncate(ni->what, 0);
    va_start(ap, fmt);
    g_string_append_vprintf(ni->what, fmt, ap);
    va_end(ap);
}

OutEntry *entry_new(NodeInfo *from, const char *name)
{
    OutEntry *e = g_new0(OutEntry, 1);

    e->from = from;
    e->name = g_strdup(name);
    e->props = g_ptr_array_new_with_free_func(g_free);
    e->mmio = g_array_new(false, true, sizeof(OutMmio));
    e->irqs = g_ptr_array_new();
    e->clocks = g_ptr_array_new_with_free_func(g_free);
    return e;
}

void add_prop(OutEntry *e, const char *key, const char *fmt, ...)
{
    g_autofree char *v = NULL;
    va_list ap;

    va_start(ap, fmt);
    v = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(e->props, g_strdup_printf("%s: %s", key, v));
}

/* A description name for @base: letters, digits, - and _, unique */
char *unique_name(Import *im, const char *base)
{
    GString *s = g_string_new(NULL);
    const char *p;
    unsigned i;

    for (p = base; *p; p++) {
        g_string_append_c(s, g_ascii_isalnum(*p) || *p == '-' || *p == '_'
                             ? *p : '_');
    }
    if (!s->len || !g_ascii_isalpha(s->str[0])) {
        g_string_prepend(s, "n");
    }
    if (!g_hash_table_contains(im->names, s->str)) {
        g_hash_table_add(im->names, g_strdup(s->str));
        return g_string_free(s, false);
    }
    for (i = 2;; i++) {
        char *t = g_strdup_printf("%s_%u", s->str, i);

        if (!g_hash_table_contains(im->names, t)) {
            g_hash_table_add(im->names, g_strdup(t));
            g_string_free(s, true);
            return t;
        }
        g_free(t);
    }
}

uint32_t cells_of(const DtNode *n, const char *name, uint32_t dflt)
{
    uint32_t v;

    return n && dt_u32(n, name, &v) ? v : dflt;
}

/* --- quirks: spelling, unit names --- */

static unsigned distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    g_autofree unsigned *row = g_new(unsigned, lb + 1);

    for (j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (i = 1; i <= la; i++) {
        unsigned diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            unsigned up = row[j];

            row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
                         diag + (a[i - 1] != b[j - 1]));
            diag = up;
        }
    }
    return row[lb];
}

static const char *const well_known[] = {
    "compatible", "reg", "reg-names", "interrupts", "interrupt-parent",
    "interrupts-extended", "interrupt-controller", "#interrupt-cells",
    "#address-cells", "#size-cells", "clocks", "clock-names",
    "clock-frequency", "status", "device_type", "ranges", "phandle",
    "riscv,isa", "riscv,ndev", "riscv,max-priority", "timebase-frequency",
    "#clock-cells",
};

static const char *misspelt(const char *name)
{
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(well_known); i++) {
        if (!strcmp(name, well_known[i])) {
            return NULL;
        }
    }
    for (i = 0; i < G_N_ELEMENTS(well_known); i++) {
        if (strlen(well_known[i]) > 4 &&
            distance(name, well_known[i]) <= 2) {
            return well_known[i];
        }
    }
    return NULL;
}

void check_spelling(NodeInfo *ni)
{
    DtNode *n = ni->node;
    unsigned i;

    for (i = 0; i < n->props->len; i++) {
        DtProp *p = g_ptr_array_index(n->props, i);
        const char *meant = misspelt(p->name);

        if (!meant) {
            continue;
        }
        if (!strcmp(meant, "compatible") && !dt_prop(n, "compatible") &&
            dt_str_at(p, 0)) {
            ni->compatible = dt_str_at(p, 0);
            dt_warn(&p->loc, "%s: unknown property '%s': taken as "
                    "'compatible'", n->name, p->name);
        } else if (!dt_prop(n, meant)) {
            dt_warn(&p->loc, "%s: unknown property '%s' (did you mean "
                    "'%s'?): ignored", n->name, p->name, meant);
        }
    }
}

void check_unit_name(NodeInfo *ni)
{
    DtNode *n = ni->node;
    const char *at = strchr(n->name, '@');
    const char *p;

    if (!at) {
        return;
    }
    for (p = at + 1; *p; p++) {
        if (!g_ascii_isxdigit(*p) && *p != ',') {
            dt_warn(&n->loc, "%s: unit address '%s' is not a hex number",
                    n->name, at + 1);
            return;
        }
    }
    if (!*(at + 1)) {
        dt_warn(&n->loc, "%s: empty unit address", n->name);
    }
}

/* --- reg windows --- */

/* Translate @addr from @bus's children to the CPUs' address space */
static bool translate(Import *im, NodeInfo *ni, DtNode *bus, uint64_t *addr,
                      uint64_t size)
{
    for (; bus && bus->parent; bus = bus->parent) {
        DtProp *r = dt_prop(bus, "ranges");
        uint32_t ca = cells_of(bus, "#address-cells", 2);
        uint32_t pa = cells_of(bus->parent, "#address-cells", 2);
        uint32_t cs = cells_of(bus, "#size-cells", 1);
        unsigned stride = ca + pa + cs, i;
        bool hit = false;

        if (!r) {
            set_status(ni, ST_IGNORED, "not on the CPUs' memory bus: %s has "
                       "no 'ranges'", bus->name);
            return false;
        }
        if (!dt_cells(r)) {
            continue;       /* identity */
        }
        if (!stride || ca > 4 || pa > 4 || cs > 4 ||
            dt_cells(r) % stride) {
            dt_error(&r->loc, "%s: 'ranges' has %u cells, not a multiple of "
                     "%u (#address-cells %u, parent's %u, #size-cells %u)",
                     bus->name, dt_cells(r), stride, ca, pa, cs);
            return false;
        }
        for (i = 0; i < dt_cells(r); i += stride) {
            uint64_t child = dt_read_cells(r, i, ca);
            uint64_t parent = dt_read_cells(r, i + ca, pa);
            uint64_t len = dt_read_cells(r, i + ca + pa, cs);

            if (*addr >= child && *addr - child < len &&
                size - 1 <= len - 1 - (*addr - child)) {
                *addr = *addr - child + parent;
                hit = true;
                break;
            }
        }
        if (!hit) {
            set_status(ni, ST_IGNORED, "outside the 'ranges' of %s",
                       bus->name);
            return false;
        }
    }
    return true;
}

uint64_t phys_limit(Import *im)
{
    /* TARGET_PHYS_ADDR_SPACE_BITS of qemu-system-riscv32/64 */
    return im->xlen == 32 ? 1ULL << 34 : 1ULL << 56;
}

/*
 * The node's reg windows on the CPUs' bus into ni->windows.  False on
 * errors in the design; a node whose reg is not memory-mapped gets its
 * reason and no windows.
 */
bool node_windows(Import *im, NodeInfo *ni)
{
    DtNode *n = ni->node;
    DtProp *reg = dt_prop(n, "reg");
    DtProp *names = dt_prop(n, "reg-names");
    uint32_t ac = cells_of(n->parent, "#address-cells", 2);
    uint32_t sc = cells_of(n->parent, "#size-cells", 1);
    unsigned i, k;

    if (!reg) {
        return true;
    }
    if (reg->refs->len) {
        DtRef *r = &g_array_index(reg->refs, DtRef, 0);

        set_status(ni, ST_IGNORED, "registers inside the window of &%s "
                   "(reg holds a phandle): covered by that node", r->target);
        return true;
    }
    if (!sc) {
        set_status(ni, ST_IGNORED, "address on the bus of %s "
                   "(#size-cells = 0), not memory-mapped", n->parent->name);
        return true;
    }
    if (!ac || ac > 4 || sc > 4) {
        dt_error(&n->parent->loc, "%s: #address-cells %u / #size-cells %u: "
                 "at most 4 each, #address-cells at least 1",
                 n->parent->name, ac, sc);
        return false;
    }
    if (!dt_cells(reg) || reg->val->len % (4 * (ac + sc))) {
        dt_error(&reg->loc, "%s: reg has %u bytes, not a multiple of "
                 "%u cells (#address-cells %u + #size-cells %u of %s)",
                 n->name, reg->val->len, ac + sc, ac, sc,
                 n->parent->parent ? n->parent->name : "/");
        return false;
    }
    ni->windows = g_array_new(false, true, sizeof(Window));
    for (i = 0, k = 0; i < dt_cells(reg); i += ac + sc, k++) {
        Window w = { .name = dt_str_at(names, k) };
        unsigned j;

        for (j = 0; j + 2 < ac; j++) {
            if (dt_cell(reg, i + j)) {
                dt_error(&reg->loc, "%s: reg address beyond 64 bits",
                         n->name);
                return false;
            }
        }
        for (j = 0; j + 2 < sc; j++) {
            if (dt_cell(reg, i + ac + j)) {
                dt_error(&reg->loc, "%s: reg size beyond 64 bits", n->name);
                return false;
            }
        }
        /* the low 64 bits: the cells above were checked to be 0 */
        w.addr = dt_read_cells(reg, i + ac - MIN(ac, 2), MIN(ac, 2));
        w.size = dt_read_cells(reg, i + ac + sc - MIN(sc, 2), MIN(sc, 2));
        if (!w.size) {
            dt_warn(&reg->loc, "%s: reg window %u has size 0: left out",
                    n->name, k);
            continue;
        }
        if (w.addr + w.size - 1 < w.addr) {
            dt_error(&reg->loc, "%s: reg window %u (0x%" G_GINT64_MODIFIER
                     "x, size 0x%" G_GINT64_MODIFIER "x) wraps past the end "
                     "of the address space", n->name, k, w.addr, w.size);
            return false;
        }
        if (!translate(im, ni, n->parent, &w.addr, w.size)) {
            g_array_free(ni->windows, true);
            ni->windows = NULL;
            return dt_errors() == 0;
        }
        if (w.addr >= phys_limit(im) || w.size > phys_limit(im) - w.addr) {
            dt_error(&reg->loc, "%s: reg window %u (0x%" G_GINT64_MODIFIER
                     "x, size 0x%" G_GINT64_MODIFIER "x) is beyond the "
                     "%u-bit physical address space of qemu-system-riscv%u",
                     n->name, k, w.addr, w.size, im->xlen == 32 ? 34 : 56,
                     im->xlen);
            return false;
        }
        g_array_append_val(ni->windows, w);
    }
    return true;
}

/* The window named @sel ("#N" or a reg-names entry), or NULL */
Window *window_sel(NodeInfo *ni, const char *sel, unsigned *index)
{
    unsigned i;

    if (!ni->windows) {
        return NULL;
    }
    if (sel[0] == '#') {
        i = atoi(sel + 1);
        if (i < ni->windows->len) {
            *index = i;
            return &g_array_index(ni->windows, Window, i);
        }
        return NULL;
    }
    for (i = 0; i < ni->windows->len; i++) {
        Window *w = &g_array_index(ni->windows, Window, i);

        if (w->name && !strcmp(w->name, sel)) {
            *index = i;
            return w;
        }
    }
    return NULL;
}

/*
 * Place a window: false if it overlaps one placed before (reported; the
 * later one is left out).  Stubs may overlap mapped windows: they sit
 * below them (priority -1000).
 */
bool place(Import *im, NodeInfo *ni, const Window *w, bool stub)
{
    Span s = { w->addr, w->addr + w->size - 1, stub, ni };
    unsigned i;

    for (i = 0; i < im->spans->len; i++) {
        Span *o = &g_array_index(im->spans, Span, i);

        if (s.first <= o->last && o->first <= s.last && o->stub == stub) {
            g_autofree char *at = dt_loc_str(&o->ni->node->loc);
            DtProp *reg = dt_prop(ni->node, "reg");

            dt_warn(reg ? &reg->loc : &ni->node->loc,
                    "%s: reg window 0x%" G_GINT64_MODIFIER "x-0x%"
                    G_GINT64_MODIFIER "x overlaps %s (%s): left out",
                    ni->node->name, s.first, s.last, o->ni->node->name, at);
            return false;
        }
    }
    g_array_append_val(im->spans, s);
    return true;
}

void stub_window(Import *im, NodeInfo *ni, const Window *w)
{
    g_autofree char *base = g_strdup(ni->node->name);
    OutEntry *e;
    OutMmio m = { .addr = w->addr, .priority = -1000, .has_priority = true };

    if (!place(im, ni, w, true)) {
        return;
    }
    e = entry_new(ni, NULL);
    e->name = unique_name(im, base);
    e->type = g_strdup("unimplemented-device");
    add_prop(e, "name", "\"%s\"", ni->node->name);
    add_prop(e, "size", "0x%" G_GINT64_MODIFIER "x", w->size);
    g_array_append_val(e->mmio, m);
    if (w->name) {
        e->note = g_strdup_printf("reg window '%s'", w->name);
    }
    g_ptr_array_add(im->devices, e);
    if (ni->status == ST_IGNORED) {
        set_status(ni, ST_STUBBED, "unimplemented-device");
    }
    g_string_append_printf(ni->what, "%s0x%" G_GINT64_MODIFIER "x+0x%"
                           G_GINT64_MODIFIER "x",
                           ni->status == ST_MAPPED ? "; stub " : " ",
                           w->addr, w->size);
}


/* --- clocks --- */

/* The provider of the @idx-th entry of @n's clocks, NULL if none */
DtNode *clock_ref(Import *im, DtNode *n, unsigned idx)
{
    DtProp *p = dt_prop(n, "clocks");
    unsigned i = 0, k = 0;

    while (p && i < dt_cells(p)) {
        DtNode *prov = dt_by_phandle(im->root, dt_cell(p, i));

        if (!prov) {
            dt_warn(&p->loc, "%s: clocks: no node with phandle 0x%x",
                    n->name, dt_cell(p, i));
            return NULL;
        }
        if (k++ == idx) {
            return prov;
        }
        i += 1 + cells_of(prov, "#clock-cells", 0);
    }
    return NULL;
}

/*
 * The frequency of clock provider @n, 0 if the design does not say
 * (a clock controller's output).  A cycle of clocks is an error.
 */
uint64_t clock_hz(Import *im, DtNode *n)
{
    NodeInfo *ni = info(n);
    DtProp *f = dt_prop(n, "clock-frequency");
    DtNode *parent;
    uint64_t hz = 0;

    if (ni->clock_state == 2) {
        return ni->clock_hz;
    }
    if (ni->clock_state == 1) {
        DtProp *c = dt_prop(n, "clocks");

        dt_error(c ? &c->loc : &n->loc, "%s: cycle of clocks: its clock "
                 "depends on itself", n->name);
        ni->clock_state = 2;
        return 0;
    }
    ni->clock_state = 1;
    if (f && (dt_cells(f) == 1 || dt_cells(f) == 2)) {
        hz = dt_read_cells(f, 0, dt_cells(f));
    }
    parent = clock_ref(im, n, 0);
    if (!hz && parent) {
        /* a gate, divider, fixed factor or mux: from its first parent */
        uint64_t phz = clock_hz(im, parent);
        uint32_t mul = cells_of(n, "clock-mult", 1);
        uint32_t div = cells_of(n, "clock-div", 1);

        if (!div) {
            dt_warn(&n->loc, "%s: clock-div is 0", n->name);
        } else {
            hz = phz * mul / div;
        }
    }
    ni->clock_hz = hz;
    ni->clock_state = 2;
    return hz;
}

/* --- interrupts --- */

/* The interrupt parent as Linux finds it (of_irq_find_parent()) */
static DtNode *irq_parent(Import *im, DtNode *n, bool *ok)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    DtNode *p = n;

    do {
        DtProp *ip = dt_prop(p, "interrupt-parent");

        if (ip && dt_cells(ip) == 1) {
            DtNode *t = dt_by_phandle(im->root, dt_cell(ip, 0));

            if (!t) {
                dt_error(&ip->loc, "%s: interrupt-parent: no node with "
                         "phandle 0x%x", p->name, dt_cell(ip, 0));
                *ok = false;
                return NULL;
            }
            p = t;
        } else {
            p = p->parent;
        }
        if (!p) {
            return NULL;
        }
        if (g_hash_table_contains(seen, p)) {
            DtProp *at = dt_prop(p, "interrupt-parent");

            dt_error(at ? &at->loc : &p->loc, "%s: cycle of interrupt "
                     "parents through %s", n->name, p->name);
            *ok = false;
            return NULL;
        }
        g_hash_table_add(seen, p);
    } while (!dt_prop(p, "#interrupt-cells"));
    return p;
}

/*
 * The node's interrupts as IrqSpec (controller, first cell), in order.
 * False on errors in the design; interrupts that cannot be followed are
 * reported and left out.
 */
bool node_irqs(Import *im, DtNode *n, GArray *out)
{
    DtProp *ext = dt_prop(n, "interrupts-extended");
    DtProp *ints = dt_prop(n, "interrupts");
    bool ok = true;
    unsigned i;

    if (ext) {
        for (i = 0; i < dt_cells(ext);) {
            DtNode *c = dt_by_phandle(im->root, dt_cell(ext, i));
            uint32_t nc;
            IrqSpec s;

            if (!c) {
                dt_error(&ext->loc, "%s: interrupts-extended: no node with "
                         "phandle 0x%x", n->name, dt_cell(ext, i));
                return false;
            }
            if (!dt_u32(c, "#interrupt-cells", &nc)) {
                dt_warn(&ext->loc, "%s: interrupts-extended: %s has no "
                        "#interrupt-cells: these interrupts are not wired",
                        n->name, c->name);
                return true;
            }
            if (i + 1 + nc > dt_cells(ext) || nc > 4) {
                dt_error(&ext->loc, "%s: interrupts-extended: %u cells "
                         "for %s, which has #interrupt-cells = %u", n->name,
                         dt_cells(ext) - i - 1, c->name, nc);
                return false;
            }
            s.ctrl = c;
            s.cell = nc ? dt_cell(ext, i + 1) : 0;
            s.loc = ext->loc;
            g_array_append_val(out, s);
            i += 1 + nc;
        }
        return true;
    }
    if (!ints) {
        return true;
    }
    {
        DtNode *p = irq_parent(im, n, &ok);
        uint32_t nc;

        if (!p) {
            if (ok) {
                dt_warn(&ints->loc, "%s: no interrupt parent: interrupts "
                        "not wired", n->name);
            }
            return ok;
        }
        nc = cells_of(p, "#interrupt-cells", 0);
        if (!nc || nc > 4) {
            dt_warn(&ints->loc, "%s: interrupt parent %s has "
                    "#interrupt-cells = %u: interrupts not wired", n->name,
                    p->name, nc);
            return true;
        }
        if (!dt_cells(ints) || dt_cells(ints) % nc) {
            dt_error(&ints->loc, "%s: interrupts has %u cells, not a "
                     "multiple of #interrupt-cells = %u of %s", n->name,
                     dt_cells(ints), nc, p->name);
            return false;
        }
        for (i = 0; i < dt_cells(ints); i += nc) {
            IrqSpec s = { .ctrl = p, .cell = dt_cell(ints, i),
                          .loc = ints->loc };

            g_array_append_val(out, s);
        }
    }
    return true;
}
