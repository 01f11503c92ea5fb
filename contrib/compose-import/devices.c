/*
 * qemu-compose-import: memories, devices, interrupts and boot settings
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>
#include "import.h"

/* The machine RAM of a design larger than this defaults to this (-m) */
#define RAM_DEFAULT_CAP     (1ULL << 30)

/* Interrupt causes of riscv,cpu-intc (mip bits) */
#define CAUSE_S_EXT         9
#define CAUSE_M_EXT         11

/* Interrupts to wire once every controller has its name */
typedef struct Pending {
    NodeInfo *ni;
    OutEntry *e;
    const char *out;
    int max;
    GArray *irqs;           /* IrqSpec */
} Pending;

static const char *hart_name(Import *im, unsigned hart)
{
    return ((NodeInfo *)g_ptr_array_index(im->harts, hart))->name;
}

static void add_wire(OutEntry *e, const char *out, const char *in,
                     const DtLoc *loc)
{
    OutWire *w = g_new0(OutWire, 1);

    w->out = g_strdup(out);
    w->in = g_strdup(in);
    w->loc = *loc;
    g_ptr_array_add(e->irqs, w);
}

/* Hart contexts of a PLIC or CLINT: the hart-intc entries of its irqs */
static bool hart_contexts(Import *im, NodeInfo *ni, GArray *ctx)
{
    g_autoptr(GArray) irqs = g_array_new(false, true, sizeof(IrqSpec));
    unsigned i;

    if (!node_irqs(im, ni->node, irqs)) {
        return false;
    }
    for (i = 0; i < irqs->len; i++) {
        IrqSpec *s = &g_array_index(irqs, IrqSpec, i);
        NodeInfo *c = info(s->ctrl);

        if (!c->rule || c->rule->role != ROLE_HART_INTC || c->hart < 0) {
            dt_warn(&s->loc, "%s: context %u goes to %s, not to a hart's "
                    "interrupt controller: left out", ni->node->name, i,
                    s->ctrl->name);
            continue;
        }
        if (s->cell == 0xffff) {
            continue;   /* the debug interrupt: no QEMU input */
        }
        g_array_append_val(ctx, *s);
    }
    return true;
}

static void hart_range(GArray *ctx, int *base, unsigned *n)
{
    int lo = -1, hi = -1;
    unsigned i;

    for (i = 0; i < ctx->len; i++) {
        int h = info(g_array_index(ctx, IrqSpec, i).ctrl)->hart;

        lo = lo < 0 || h < lo ? h : lo;
        hi = h > hi ? h : hi;
    }
    *base = lo;
    *n = lo < 0 ? 0 : hi - lo + 1;
}

/* The node's first window as MMIO region 0 of @e; the rest stubbed */
static Window *mmio_first(Import *im, NodeInfo *ni, OutEntry *e)
{
    Window *w;
    OutMmio m = { 0 };
    unsigned i;

    if (!ni->windows || !ni->windows->len) {
        return NULL;
    }
    w = &g_array_index(ni->windows, Window, 0);
    if (!place(im, ni, w, false)) {
        return NULL;
    }
    m.addr = w->addr;
    g_array_append_val(e->mmio, m);
    for (i = 1; i < ni->windows->len; i++) {
        stub_window(im, ni, &g_array_index(ni->windows, Window, i));
    }
    return w;
}

static bool do_plic(Import *im, NodeInfo *ni)
{
    const MapRule *r = ni->rule;
    g_autoptr(GArray) ctx = g_array_new(false, true, sizeof(IrqSpec));
    g_autoptr(GString) cfg = g_string_new(NULL);
    g_autofree char **modes = NULL;
    OutEntry *e;
    Facts f = { 0 };
    Window *w;
    unsigned i, k;
    int last = -1;

    if (!hart_contexts(im, ni, ctx)) {
        return false;
    }
    hart_range(ctx, &f.hartid_base, &f.harts);
    if (!f.harts) {
        set_status(ni, ST_IGNORED, "no hart contexts");
        return true;
    }
    e = entry_new(ni, NULL);
    e->name = unique_name(im, "plic");
    ni->name = g_strdup(e->name);
    e->type = g_strdup(r->type);
    w = mmio_first(im, ni, e);
    f.reg_size = w ? w->size : 0;
    modes = g_new0(char *, f.harts + 1);
    for (i = 0; i < ctx->len; i++) {
        IrqSpec *s = &g_array_index(ctx, IrqSpec, i);
        int h = info(s->ctrl)->hart - f.hartid_base;
        char m = s->cell == CAUSE_M_EXT ? 'M' : s->cell == CAUSE_S_EXT ? 'S'
                 : 0;
        g_autofree char *out = NULL, *in = NULL;
        char *old = modes[h];

        if (!m) {
            dt_warn(&s->loc, "%s: context %u: cause %u is not an external "
                    "interrupt (9, 11): left out", ni->node->name, i,
                    s->cell);
            continue;
        }
        if (h < last) {
            dt_warn(&s->loc, "%s: contexts are not in hart order: QEMU "
                    "numbers them hart by hart", ni->node->name);
        }
        last = h;
        modes[h] = g_strdup_printf("%s%c", old ? old : "", m);
        g_free(old);
        /* riscv.sifive.plic: outputs 0..n-1 S-mode, n..2n-1 M-mode */
        out = g_strdup_printf("[%u]", m == 'S' ? h : h + f.harts);
        in = g_strdup_printf("%s[%u]", hart_name(im, h + f.hartid_base),
                             s->cell);
        add_wire(e, out, in, &s->loc);
    }
    for (k = 0; k < f.harts; k++) {
        if (!modes[k]) {
            dt_warn(&ni->node->loc, "%s: no context for hart %u, between "
                    "harts that have some: given an M-mode context",
                    ni->node->name, k + f.hartid_base);
        }
        g_string_append_printf(cfg, "%s%s", k ? "," : "",
                               modes[k] ? modes[k] : "M");
        g_free(modes[k]);
    }
    f.hart_config = cfg->str;
    apply_props(im, ni, &f, r->props, e);
    g_ptr_array_add(im->intcs, e);
    set_status(ni, ST_MAPPED, "%s (%s) for harts %d-%u", r->type, cfg->str,
               f.hartid_base, f.hartid_base + f.harts - 1);
    return true;
}

static bool do_clint(Import *im, NodeInfo *ni)
{
    const MapRule *r = ni->rule;
    g_autoptr(GArray) ctx = g_array_new(false, true, sizeof(IrqSpec));
    Window *w;
    Facts f = { 0 };
    unsigned i, k;

    if (!hart_contexts(im, ni, ctx)) {
        return false;
    }
    hart_range(ctx, &f.hartid_base, &f.harts);
    if (!ni->windows || !ni->windows->len || !f.harts) {
        set_status(ni, ST_IGNORED, "%s", f.harts ? "no reg window"
                                                 : "no hart contexts");
        return true;
    }
    w = &g_array_index(ni->windows, Window, 0);
    if (!place(im, ni, w, false)) {
        set_status(ni, ST_IGNORED, "its window overlaps another");
        return true;
    }
    f.reg_size = w->size;
    set_status(ni, ST_MAPPED, "harts %d-%u:", f.hartid_base,
               f.hartid_base + f.harts - 1);
    for (i = 1; i < ni->windows->len; i++) {
        stub_window(im, ni, &g_array_index(ni->windows, Window, i));
    }
    for (i = 0; i < r->parts->len; i++) {
        const MapPart *p = g_ptr_array_index(r->parts, i);
        g_autofree char *base = g_strdup_printf("%s-%s", ni->node->name,
                                                strrchr(p->type, '.') ?
                                                strrchr(p->type, '.') + 1 :
                                                p->type);
        OutEntry *e = entry_new(ni, NULL);
        OutMmio m = { .addr = w->addr + p->offset };

        e->name = unique_name(im, base);
        e->type = g_strdup(p->type);
        g_array_append_val(e->mmio, m);
        apply_props(im, ni, &f, p->props, e);
        for (k = 0; p->cause >= 0 && k < ctx->len; k++) {
            IrqSpec *s = &g_array_index(ctx, IrqSpec, k);
            int h = info(s->ctrl)->hart;
            g_autofree char *out = NULL, *in = NULL;

            if (s->cell != (uint32_t)p->cause) {
                continue;
            }
            out = g_strdup_printf("[%d]", h - f.hartid_base);
            in = g_strdup_printf("%s[%u]", hart_name(im, h), s->cell);
            add_wire(e, out, in, &s->loc);
        }
        g_ptr_array_add(im->intcs, e);
        g_string_append_printf(ni->what, " %s at 0x%" G_GINT64_MODIFIER "x",
                               p->type, m.addr);
    }
    return true;
}

static OutEntry *region(Import *im, NodeInfo *ni, const Window *w,
                        const char *kind)
{
    g_autofree char *base = w->name && ni->windows->len > 1 ?
        g_strdup_printf("%s-%s", ni->node->name, w->name) :
        g_strdup(ni->node->name);
    OutEntry *e;

    if (!place(im, ni, w, false)) {
        return NULL;
    }
    e = entry_new(ni, NULL);
    e->name = unique_name(im, base);
    e->kind = g_strdup(kind);
    e->addr = w->addr;
    e->size = w->size;
    g_ptr_array_add(im->regions, e);
    return e;
}

static void do_memory(Import *im, NodeInfo *ni, bool machine_ram)
{
    const MapRule *r = ni->rule;
    unsigned i;

    if (!ni->windows) {
        return;
    }
    for (i = 0; i < ni->windows->len; i++) {
        Window *w = &g_array_index(ni->windows, Window, i);

        if (machine_ram && !im->ram) {
            if (!place(im, ni, w, false)) {
                continue;
            }
            im->ram = entry_new(ni, "ram");
            im->ram->addr = w->addr;
            im->ram->size = MIN(w->size, RAM_DEFAULT_CAP);
            im->ram_size_design = w->size;
        } else if (!region(im, ni, w, machine_ram ? "ram" : r->mem_kind)) {
            continue;
        }
        if (r->boot_rom && (!im->has_resetvec || w->addr < im->resetvec)) {
            im->has_resetvec = true;
            im->resetvec = w->addr;
        }
        g_string_append_printf(ni->what, "%s%s 0x%" G_GINT64_MODIFIER "x+0x%"
                               G_GINT64_MODIFIER "x", ni->what->len ? "; " : "",
                               machine_ram && im->ram->from == ni &&
                               im->ram->addr == w->addr ? "machine RAM" :
                               machine_ram ? "ram" : r->mem_kind, w->addr,
                               w->size);
        ni->status = ST_MAPPED;
    }
}

static void device_clock(Import *im, NodeInfo *ni, OutEntry *e, Facts *f)
{
    const MapRule *r = ni->rule;
    DtNode *prov = clock_ref(im, ni->node, 0);
    OutEntry *c = NULL;
    unsigned i;

    if (!prov) {
        return;
    }
    f->clock_hz = clock_hz(im, prov);
    if (f->clock_hz && (r->clock_prop || r->clock_in)) {
        DtNode *k = prov;

        /* the clock and those it derives from (clock_hz() saw no cycle) */
        for (i = 0; k && i < 64 && !info(k)->clock_used; i++) {
            info(k)->clock_used = true;
            k = clock_ref(im, k, 0);
        }
    }
    if (r->clock_prop && f->clock_hz) {
        add_prop(e, r->clock_prop, "%" G_GUINT64_FORMAT, f->clock_hz);
    } else if (!f->clock_hz && (r->clock_prop || r->clock_in)) {
        dt_warn(&dt_prop(ni->node, "clocks")->loc, "%s: the frequency of "
                "clock %s is not in the design: not connected",
                ni->node->name, prov->name);
    }
    if (!r->clock_in || !f->clock_hz) {
        return;
    }
    for (i = 0; i < im->clocks->len; i++) {
        OutEntry *k = g_ptr_array_index(im->clocks, i);

        if (k->from == info(prov)) {
            c = k;
        }
    }
    if (!c) {
        c = entry_new(info(prov), NULL);
        c->name = unique_name(im, prov->name);
        c->hz = f->clock_hz;
        g_ptr_array_add(im->clocks, c);
    }
    g_ptr_array_add(e->clocks, g_strdup_printf("%s: %s", r->clock_in,
                                               c->name));
}

static bool do_device(Import *im, NodeInfo *ni, GArray *pending)
{
    const MapRule *r = ni->rule;
    GArray *irqs = g_array_new(false, true, sizeof(IrqSpec));
    g_autofree bool *used = NULL;
    OutEntry *e = entry_new(ni, NULL);
    Facts f = { .hartid_base = -1 };
    Pending p;
    unsigned i, n = ni->windows ? ni->windows->len : 0;
    /* without reg-names: mmio names the windows in order, then memory */
    bool named = dt_prop(ni->node, "reg-names") != NULL;

    e->name = unique_name(im, ni->node->name);
    ni->name = g_strdup(e->name);
    e->type = g_strdup(r->type);
    set_status(ni, ST_MAPPED, "%s", r->type ? r->type : "memory windows");
    used = g_new0(bool, n + 1);
    for (i = 0; i < r->mmio->len; i++) {
        const char *sel = g_ptr_array_index(r->mmio, i);
        unsigned idx = i;
        Window *w = named ? window_sel(ni, sel, &idx) :
                    i < n ? &g_array_index(ni->windows, Window, i) : NULL;
        OutMmio m = { .index = i };

        if (!w) {
            dt_warn(&ni->node->loc, "%s: no reg window '%s' for MMIO "
                    "region %u of %s", ni->node->name, sel, i, r->type);
            continue;
        }
        used[idx] = true;
        if (!place(im, ni, w, false)) {
            continue;
        }
        m.addr = w->addr;
        g_array_append_val(e->mmio, m);
        f.reg_size = f.reg_size ? f.reg_size : w->size;
        g_string_append_printf(ni->what, " at 0x%" G_GINT64_MODIFIER "x",
                               w->addr);
    }
    for (i = 0; i < r->windows->len; i++) {
        const MapWindow *mw = g_ptr_array_index(r->windows, i);
        unsigned idx = r->mmio->len + i;
        Window *w = named ? window_sel(ni, mw->reg, &idx) :
                    idx < n ? &g_array_index(ni->windows, Window, idx) : NULL;

        if (w && !used[idx]) {
            used[idx] = true;
            if (region(im, ni, w, mw->kind)) {
                g_string_append_printf(ni->what, "; %s %s 0x%"
                                       G_GINT64_MODIFIER "x+0x%"
                                       G_GINT64_MODIFIER "x", mw->reg,
                                       mw->kind, w->addr, w->size);
            }
        }
    }
    for (i = 0; i < n; i++) {
        if (!used[i]) {
            stub_window(im, ni, &g_array_index(ni->windows, Window, i));
        }
    }
    if (!node_irqs(im, ni->node, irqs)) {
        g_array_unref(irqs);
        return false;
    }
    f.irqs = r->max_irqs >= 0 ? MIN((int)irqs->len, r->max_irqs) : irqs->len;
    device_clock(im, ni, e, &f);
    if (r->serial_prop) {
        unsigned s = ni == im->stdout_node ? 0 : im->next_serial++;

        add_prop(e, r->serial_prop, "\"@serial.%u\"", s);
        g_string_append_printf(ni->what, ", -serial %u%s", s,
                               s ? "" : " (stdout-path)");
    }
    e->nic = r->nic;
    apply_props(im, ni, &f, r->props, e);
    if (!r->type) {
        /* a rule for memory windows only: no device */
        g_array_unref(irqs);
        return true;
    }
    p = (Pending) { ni, e, r->irqs, r->max_irqs, irqs };
    g_array_append_val(pending, p);
    g_ptr_array_add(im->devices, e);
    return true;
}

/* The node's interrupts as outputs @out[i] of @e */
static void wire_irqs(Import *im, const Pending *p)
{
    GArray *irqs = p->irqs;
    unsigned i, unmapped = 0;

    if (irqs->len && !p->out) {
        dt_warn(&g_array_index(irqs, IrqSpec, 0).loc, "%s: the mapping "
                "gives no outputs for its interrupts: not wired",
                p->ni->node->name);
        return;
    }
    for (i = 0; i < irqs->len; i++) {
        IrqSpec *s = &g_array_index(irqs, IrqSpec, i);
        NodeInfo *c = info(s->ctrl);
        g_autofree char *out = g_strdup_printf("%s[%u]", p->out, i);
        g_autofree char *in = NULL;
        uint32_t ndev;

        if (p->max >= 0 && i >= (unsigned)p->max) {
            dt_warn(&s->loc, "%s: %u interrupts, %s has %d: the rest are "
                    "not wired", p->ni->node->name, irqs->len, p->e->type,
                    p->max);
            break;
        }
        if (c->rule && c->rule->role == ROLE_PLIC && c->name) {
            if (!s->cell || (dt_u32(s->ctrl, "riscv,ndev", &ndev) &&
                             s->cell > ndev)) {
                dt_warn(&s->loc, "%s: interrupt %u: source %u of %s does "
                        "not exist: not wired", p->ni->node->name, i,
                        s->cell, s->ctrl->name);
                continue;
            }
            in = g_strdup_printf("%s[%u]", c->name, s->cell);
        } else if (c->rule && c->rule->role == ROLE_HART_INTC &&
                   c->hart >= 0) {
            in = g_strdup_printf("%s[%u]", hart_name(im, c->hart), s->cell);
        } else {
            unmapped++;
            if (i + 1 == irqs->len ||
                g_array_index(irqs, IrqSpec, i + 1).ctrl != s->ctrl) {
                /* one warning for a run of interrupts to one controller */
                dt_warn(&s->loc, "%s: interrupt%s %u%s%.0u go%s to %s, "
                        "which is not mapped: not wired", p->ni->node->name,
                        unmapped > 1 ? "s" : "", i + 1 - unmapped,
                        unmapped > 1 ? "-" : "", unmapped > 1 ? i : 0,
                        unmapped > 1 ? "" : "es", s->ctrl->name);
                unmapped = 0;
            }
            continue;
        }
        add_wire(p->e, out, in, &s->loc);
    }
}

/* Inputs driven by several outputs combine with OR: say so on each */
static void mark_fan_in(Import *im)
{
    g_autoptr(GHashTable) first = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *lists[] = { im->intcs, im->devices };
    unsigned l, i, k;

    for (l = 0; l < 2; l++) {
        for (i = 0; i < lists[l]->len; i++) {
            OutEntry *e = g_ptr_array_index(lists[l], i);

            for (k = 0; k < e->irqs->len; k++) {
                OutWire *w = g_ptr_array_index(e->irqs, k);
                OutWire *o = g_hash_table_lookup(first, w->in);

                if (!o) {
                    g_hash_table_insert(first, w->in, w);
                    continue;
                }
                if (!o->combine) {
                    g_autofree char *at = dt_loc_str(&o->loc);

                    dt_warn(&w->loc, "%s: interrupt input %s is also driven "
                            "from %s: the outputs are combined with OR",
                            e->from->node->name, w->in, at);
                }
                o->combine = w->combine = true;
            }
        }
    }
}

static NodeInfo *chosen_stdout(Import *im)
{
    DtNode *ch = dt_child(im->root, "chosen");
    DtNode *aliases = dt_child(im->root, "aliases");
    const char *s = ch ? dt_str(ch, "stdout-path") : NULL;
    g_autofree char *path = NULL;
    DtNode *n;

    if (!s && ch) {
        s = dt_str(ch, "linux,stdout-path");
    }
    if (!s) {
        return NULL;
    }
    path = g_strndup(s, strcspn(s, ":"));
    if (path[0] != '/' && aliases && dt_str(aliases, path)) {
        g_autofree char *a = g_strdup(dt_str(aliases, path));

        g_free(path);
        path = g_steal_pointer(&a);
    }
    n = dt_lookup_path(im->root, path);
    if (!n) {
        DtProp *sp = dt_prop(ch, "stdout-path");

        dt_warn(sp ? &sp->loc : &ch->loc, "stdout-path '%s': no such node",
                s);
    }
    return info(n);
}

/* chosen metal,entry = <&node [reg-index] offset>, metal,boothart */
static void chosen_boot(Import *im)
{
    DtNode *ch = dt_child(im->root, "chosen");
    DtProp *e = ch ? dt_prop(ch, "metal,entry") : NULL;
    DtProp *bh = ch ? dt_prop(ch, "metal,boothart") : NULL;

    if (e && (dt_cells(e) == 2 || dt_cells(e) == 3)) {
        DtNode *t = dt_by_phandle(im->root, dt_cell(e, 0));
        NodeInfo *ti = info(t);
        unsigned idx = 0;
        uint32_t off = dt_cell(e, dt_cells(e) - 1);
        Window *w = NULL;

        if (dt_cells(e) == 3) {
            idx = dt_cell(e, 1);
        } else if (ti && !window_sel(ti, "mem", &idx)) {
            idx = 0;    /* <&node offset>: its "mem" window, else the first */
        }
        if (ti && ti->windows && idx < ti->windows->len) {
            w = &g_array_index(ti->windows, Window, idx);
        }
        if (!w || off >= w->size) {
            dt_warn(&e->loc, "metal,entry: no window %u of %s with offset "
                    "0x%x: no entry point", idx, t ? t->name : "?", off);
        } else {
            g_autofree char *at = dt_loc_str(&e->loc);

            im->has_entry = true;
            im->entry = w->addr + off;
            im->entry_note = g_strdup_printf("chosen metal,entry: %s window "
                                             "%u + 0x%x (%s)", t->name, idx,
                                             off, at);
        }
    } else if (e) {
        dt_warn(&e->loc, "metal,entry has %u cells (2 or 3 expected): "
                "ignored", dt_cells(e));
    }
    if (bh && dt_cells(bh) == 1) {
        NodeInfo *h = info(dt_by_phandle(im->root, dt_cell(bh, 0)));

        if (h && h->name && h->status == ST_MAPPED) {
            im->boot_hart = g_strdup(h->name);
        } else {
            dt_warn(&bh->loc, "metal,boothart is not a mapped hart: "
                    "ignored");
        }
    }
}

static void classify(Import *im, NodeInfo *ni, GArray *pending, bool *ok)
{
    DtNode *n = ni->node;
    const char *status = dt_str(n, "status");
    unsigned i;

    if (ni->status == ST_MAPPED || ni->what->len) {
        return;         /* a hart, or decided already */
    }
    if (status && strcmp(status, "okay") && strcmp(status, "ok")) {
        set_status(ni, ST_IGNORED, "status \"%s\"", status);
        return;
    }
    ni->rule = ni->rule ? ni->rule : map_find(im->map, n, &ni->matched);
    if (!ni->rule && ni->compatible) {
        DtNode tmp = *n;
        GPtrArray *props = g_ptr_array_new();
        DtProp fake = { .name = (char *)"compatible" };

        /* a misspelt compatible: match with its value */
        fake.val = g_byte_array_new();
        g_byte_array_append(fake.val, (guint8 *)ni->compatible,
                            strlen(ni->compatible) + 1);
        g_ptr_array_add(props, &fake);
        tmp.props = props;
        ni->rule = map_find(im->map, &tmp, &ni->matched);
        g_byte_array_unref(fake.val);
        g_ptr_array_free(props, true);
    }
    if (!node_windows(im, ni)) {
        *ok = false;
        return;
    }
    if (ni->what->len) {
        return;         /* not memory-mapped */
    }
    switch (ni->rule ? ni->rule->role : ROLE_DEVICE) {
    case ROLE_IGNORE:
        set_status(ni, ST_IGNORED, "the mapping ignores %s", ni->matched);
        return;
    case ROLE_HART_INTC:
        if (ni->hart >= 0) {
            set_status(ni, ST_MAPPED, "interrupt inputs of hart %d (%s)",
                       ni->hart, hart_name(im, ni->hart));
        } else {
            set_status(ni, ST_IGNORED, "riscv,cpu-intc outside a hart");
        }
        return;
    case ROLE_CLOCK:
        return;         /* decided once devices took their clocks */
    case ROLE_PLIC:
        *ok &= do_plic(im, ni);
        return;
    case ROLE_CLINT:
        *ok &= do_clint(im, ni);
        return;
    case ROLE_MEMORY:
    case ROLE_RAM:
        do_memory(im, ni, ni->rule->role == ROLE_RAM);
        if (ni->status != ST_MAPPED) {
            set_status(ni, ST_IGNORED, "no memory window left");
        }
        return;
    case ROLE_DEVICE:
        if (ni->rule) {
            *ok &= do_device(im, ni, pending);
            return;
        }
        break;
    }
    if (!ni->windows || !ni->windows->len) {
        set_status(ni, ST_IGNORED, "%s", dt_prop(n, "reg") ? "no window"
                   : n->children->len ? "no reg: a container, see the "
                   "nodes below" : dt_prop(n, "compatible") || ni->compatible
                   ? "no reg: nothing to map" : "no reg, no compatible");
        return;
    }
    for (i = 0; i < ni->windows->len; i++) {
        stub_window(im, ni, &g_array_index(ni->windows, Window, i));
    }
    if (ni->status != ST_STUBBED) {
        set_status(ni, ST_IGNORED, "its windows overlap others");
    }
}

static void add_nodes(Import *im, DtNode *n)
{
    unsigned i;

    if (n->parent) {
        NodeInfo *ni = g_new0(NodeInfo, 1);

        ni->node = n;
        ni->what = g_string_new(NULL);
        ni->status = ST_IGNORED;
        ni->hart = -1;
        n->priv = ni;
        g_ptr_array_add(im->nodes, ni);
        check_spelling(ni);
        check_unit_name(ni);
    }
    for (i = 0; i < n->children->len; i++) {
        add_nodes(im, g_ptr_array_index(n->children, i));
    }
}

bool import_design(Import *im)
{
    g_autoptr(GArray) pending = g_array_new(false, true, sizeof(Pending));
    DtNode *ch = dt_child(im->root, "chosen");
    DtNode *al = dt_child(im->root, "aliases");
    bool ok = true;
    unsigned i;

    im->root->priv = NULL;
    add_nodes(im, im->root);
    if (ch) {
        set_status(info(ch), ST_IGNORED, "boot settings: see boot");
    }
    if (al) {
        set_status(info(al), ST_IGNORED, "aliases");
    }
    if (!find_harts(im)) {
        return false;
    }
    /* memory first: the harts' reset vector is the boot ROM's base */
    for (i = 0; i < im->nodes->len; i++) {
        NodeInfo *ni = g_ptr_array_index(im->nodes, i);
        const char *why;
        const MapRule *r = map_find(im->map, ni->node, &why);

        if (r && (r->role == ROLE_MEMORY || r->role == ROLE_RAM) &&
            !ni->what->len) {
            ni->rule = r;
            ni->matched = why;
            classify(im, ni, pending, &ok);
        }
    }
    if (!ok || !map_harts(im)) {
        return false;
    }
    im->stdout_node = chosen_stdout(im);
    im->next_serial = im->stdout_node ? 1 : 0;
    for (i = 0; i < im->nodes->len; i++) {
        classify(im, g_ptr_array_index(im->nodes, i), pending, &ok);
    }
    for (i = 0; ok && i < pending->len; i++) {
        wire_irqs(im, &g_array_index(pending, Pending, i));
    }
    if (!ok || dt_errors()) {
        return false;
    }
    mark_fan_in(im);
    chosen_boot(im);
    for (i = 0; i < im->nodes->len; i++) {
        NodeInfo *ni = g_ptr_array_index(im->nodes, i);

        if (ni->rule && ni->rule->role == ROLE_CLOCK) {
            uint64_t hz = clock_hz(im, ni->node);
            g_autofree char *why = g_strdup(ni->what->str);

            if (ni->clock_used) {
                set_status(ni, ST_MAPPED, "clock, %" G_GUINT64_FORMAT " Hz%s%s",
                           hz, *why ? "; " : "", why);
            } else {
                set_status(ni, ST_IGNORED, "clock (%s): no mapped device "
                           "takes it%s%s", hz ? "known rate" : "rate unknown",
                           *why ? "; " : "", why);
            }
        }
    }
    return dt_errors() == 0;
}
