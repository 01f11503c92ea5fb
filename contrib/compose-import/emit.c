/*
 * qemu-compose-import: the description and the coverage report
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>
#include "import.h"

#define HEX(v)  "0x%" G_GINT64_MODIFIER "x", (uint64_t)(v)

/* "# /soc/serial@10013000 (core.dts:189:17): sifive,uart0" */
static void source_comment(GString *o, const char *indent, NodeInfo *ni,
                           const char *note)
{
    g_autofree char *path = dt_path(ni->node);
    g_autofree char *at = dt_loc_str(&ni->node->loc);

    g_string_append_printf(o, "%s# %s (%s)", indent, path, at);
    if (ni->matched) {
        g_string_append_printf(o, ": %s", ni->matched);
    }
    g_string_append_c(o, '\n');
    if (note) {
        g_string_append_printf(o, "%s# %s\n", indent, note);
    }
}

static void emit_props(GString *o, OutEntry *e)
{
    unsigned i;

    if (!e->props->len) {
        return;
    }
    g_string_append(o, "    props:\n");
    for (i = 0; i < e->props->len; i++) {
        g_string_append_printf(o, "      %s\n",
                               (char *)g_ptr_array_index(e->props, i));
    }
}

static void emit_cpus(GString *o, Import *im)
{
    unsigned i, k, hart = 0;

    g_string_append(o, "cpus:\n");
    for (i = 0; i < im->cpu_groups->len; i++) {
        OutEntry *g = g_ptr_array_index(im->cpu_groups, i);

        for (k = 0; k < g->count; k++) {
            NodeInfo *h = g_ptr_array_index(im->harts, hart + k);
            g_autofree char *note = g_strdup_printf(
                "hart %u (%s): riscv,isa %s", hart + k, h->name,
                dt_str(h->node, "riscv,isa"));

            source_comment(o, "  ", h, note);
        }
        hart += g->count;
        g_string_append_printf(o, "  - name: %s\n    type: %s\n    count: "
                               "%u\n", g->name, g->type, g->count);
        if (g->props->len) {
            g_string_append_printf(o, "    props: {%s}\n",
                                   (char *)g_ptr_array_index(g->props, 0));
        }
    }
}

static void emit_device(GString *o, OutEntry *e)
{
    unsigned i;

    source_comment(o, "  ", e->from, e->note);
    g_string_append_printf(o, "  - name: %s\n    type: %s\n", e->name,
                           e->type);
    emit_props(o, e);
    if (e->clocks->len) {
        g_string_append(o, "    clocks:\n");
        for (i = 0; i < e->clocks->len; i++) {
            g_string_append_printf(o, "      %s\n",
                                   (char *)g_ptr_array_index(e->clocks, i));
        }
    }
    if (e->nic) {
        g_string_append(o, "    nics: [.]\n");
    }
    if (e->mmio->len) {
        g_string_append(o, "    mmio:\n");
        for (i = 0; i < e->mmio->len; i++) {
            OutMmio *m = &g_array_index(e->mmio, OutMmio, i);

            g_string_append(o, "      - {");
            if (m->index) {
                g_string_append_printf(o, "index: %u, ", m->index);
            }
            g_string_append_printf(o, "addr: " HEX(m->addr));
            if (m->has_priority) {
                g_string_append_printf(o, ", priority: %d", m->priority);
            }
            g_string_append(o, "}\n");
        }
    }
    if (e->irqs->len) {
        OutWire *w0 = g_ptr_array_index(e->irqs, 0);
        g_autofree char *at0 = dt_loc_str(&w0->loc);
        bool one_source = true;

        /* one comment when all come from one property */
        for (i = 1; i < e->irqs->len; i++) {
            OutWire *w = g_ptr_array_index(e->irqs, i);

            one_source &= w->loc.file == w0->loc.file &&
                          w->loc.line == w0->loc.line &&
                          w->loc.col == w0->loc.col;
        }
        g_string_append_printf(o, "    irqs:%s%s\n", one_source ? "  # " : "",
                               one_source ? at0 : "");
        for (i = 0; i < e->irqs->len; i++) {
            OutWire *w = g_ptr_array_index(e->irqs, i);
            g_autofree char *at = dt_loc_str(&w->loc);
            g_autofree char *c = one_source ? g_strdup("") :
                                 g_strdup_printf("  # %s", at);

            if (w->combine) {
                g_string_append_printf(o, "      \"%s\": {to: \"%s\", "
                                       "combine: or}%s\n", w->out, w->in, c);
            } else {
                g_string_append_printf(o, "      \"%s\": \"%s\"%s\n", w->out,
                                       w->in, c);
            }
        }
    }
}

static void emit_header(GString *o, Import *im, const char *out_file)
{
    const char *model = dt_str(im->root, "model");
    const char *compat = dt_str(im->root, "compatible");
    g_autofree char *base = g_path_get_basename(out_file);
    GString *name = g_string_new(NULL);
    const char *p;

    for (p = model ? model : compat ? compat : "imported"; *p; p++) {
        g_string_append_c(name, g_ascii_isalnum(*p) ? *p : '-');
    }
    g_string_append_printf(o,
        "# Board description imported by qemu-compose-import from\n"
        "#   %s\n"
        "# model \"%s\", compatible \"%s\".\n"
        "#\n"
        "# Every entry names the node of the design it comes from\n"
        "# (path, FILE:LINE:COL, matched compatible).  Run it with:\n"
        "#   qemu-system-riscv%u -M composed,desc=%s -bios PROGRAM.elf\n"
        "version: 1\n"
        "name: %s\n"
        "description: \"Imported from %s\"\n",
        im->design, model ? model : "", compat ? compat : "",
        im->xlen, base, name->str, im->design);
    g_string_free(name, true);
}

bool emit_description(Import *im, const char *out_file)
{
    g_autoptr(GString) o = g_string_new(NULL);
    g_autoptr(GError) err = NULL;
    unsigned i;

    emit_header(o, im, out_file);
    if (im->ram) {
        g_autofree char *note = NULL;

        if (im->ram_size_design != im->ram->size) {
            note = g_strdup_printf("the design has " HEX(im->ram_size_design));
        }
        g_string_append(o, "machine:\n");
        source_comment(o, "  ", im->ram->from, note ? note : NULL);
        if (note) {
            g_string_append(o, "  # here by default: set more with -m\n");
        }
        g_string_append_printf(o, "  ram-size: " HEX(im->ram->size));
        g_string_append_printf(o, "\n  ram-map: {addr: " HEX(im->ram->addr));
        g_string_append(o, "}\n");
    }
    if (im->clocks->len) {
        g_string_append(o, "clocks:\n");
        for (i = 0; i < im->clocks->len; i++) {
            OutEntry *c = g_ptr_array_index(im->clocks, i);

            source_comment(o, "  ", c->from, NULL);
            g_string_append_printf(o, "  - {name: %s, hz: %" G_GUINT64_FORMAT
                                   "}\n", c->name, c->hz);
        }
    }
    emit_cpus(o, im);
    if (im->regions->len) {
        g_string_append(o, "memory:\n");
        for (i = 0; i < im->regions->len; i++) {
            OutEntry *r = g_ptr_array_index(im->regions, i);

            source_comment(o, "  ", r->from, NULL);
            g_string_append_printf(o, "  - {name: %s, kind: %s, size: ",
                                   r->name, r->kind);
            g_string_append_printf(o, HEX(r->size));
            g_string_append_printf(o, ", map: {addr: " HEX(r->addr));
            g_string_append(o, "}}\n");
        }
    }
    if (im->intcs->len || im->devices->len) {
        g_string_append(o, "devices:\n");
    }
    for (i = 0; i < im->intcs->len; i++) {
        emit_device(o, g_ptr_array_index(im->intcs, i));
    }
    for (i = 0; i < im->devices->len; i++) {
        emit_device(o, g_ptr_array_index(im->devices, i));
    }
    g_string_append(o, "boot:\n  kind: riscv\n");
    if (im->boot_hart) {
        g_string_append_printf(o, "  cpu: %s  # chosen metal,boothart\n",
                               im->boot_hart);
    }
    if (im->has_entry) {
        g_string_append_printf(o, "  loader-start: " HEX(im->entry));
        g_string_append_printf(o, "  # %s\n", im->entry_note);
    }
    if (!g_file_set_contents(out_file, o->str, o->len, &err)) {
        fprintf(stderr, "qemu-compose-import: %s\n", err->message);
        return false;
    }
    return true;
}

void print_report(Import *im, FILE *f)
{
    static const char *const names[] = {
        [ST_MAPPED] = "mapped", [ST_STUBBED] = "stubbed",
        [ST_IGNORED] = "ignored",
    };
    unsigned count[3] = { 0 }, i;

    for (i = 0; i < im->nodes->len; i++) {
        count[((NodeInfo *)g_ptr_array_index(im->nodes, i))->status]++;
    }
    fprintf(f, "Coverage of %s: %u nodes, %u mapped, %u stubbed, %u "
            "ignored\n", im->design, im->nodes->len, count[ST_MAPPED],
            count[ST_STUBBED], count[ST_IGNORED]);
    for (i = 0; i < im->nodes->len; i++) {
        NodeInfo *ni = g_ptr_array_index(im->nodes, i);
        g_autofree char *path = dt_path(ni->node);
        g_autofree char *at = dt_loc_str(&ni->node->loc);

        /* a .dtb location is FILE:/path already */
        fprintf(f, "  %-8s %s%s%s: %s\n", names[ni->status], at,
                ni->node->loc.line ? " " : "", ni->node->loc.line ? path : "",
                ni->what->len ? ni->what->str : "-");
    }
}
