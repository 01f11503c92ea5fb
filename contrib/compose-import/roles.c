/*
 * qemu-compose-import: mapping values, and the harts
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>
#include "import.h"

/* --- values --- */

/* A YAML scalar: plain when it is a number or a simple word */
char *yaml_scalar(const char *s)
{
    GString *q;
    const char *p;
    bool plain = *s && (g_ascii_isalnum(*s) || *s == '@');

    for (p = s; *p && plain; p++) {
        plain = g_ascii_isalnum(*p) || strchr("-_./@", *p);
    }
    if (plain && strcmp(s, "yes") && strcmp(s, "no") && strcmp(s, "on") &&
        strcmp(s, "off") && strcmp(s, "null")) {
        return g_strdup(s);
    }
    q = g_string_new("\"");
    for (p = s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            g_string_append_c(q, '\\');
        }
        g_string_append_c(q, *p);
    }
    g_string_append_c(q, '"');
    return g_string_free(q, false);
}

static bool fact(Import *im, NodeInfo *ni, const Facts *f, const char *name,
                 char **out)
{
    uint32_t v;

    if (!strcmp(name, "@reg-size")) {
        *out = f->reg_size ? g_strdup_printf("0x%" G_GINT64_MODIFIER "x",
                                             f->reg_size) : NULL;
    } else if (!strcmp(name, "@irqs")) {
        *out = g_strdup_printf("%u", f->irqs);
    } else if (!strcmp(name, "@harts")) {
        *out = f->harts ? g_strdup_printf("%u", f->harts) : NULL;
    } else if (!strcmp(name, "@hartid-base")) {
        *out = f->hartid_base >= 0 ? g_strdup_printf("%d", f->hartid_base)
                                   : NULL;
    } else if (!strcmp(name, "@hart-config")) {
        *out = g_strdup(f->hart_config);
    } else if (!strcmp(name, "@clock-hz")) {
        *out = f->clock_hz ? g_strdup_printf("%" G_GUINT64_FORMAT,
                                             f->clock_hz) : NULL;
    } else if (!strcmp(name, "@timebase-hz")) {
        DtNode *cpus = dt_child(im->root, "cpus");
        DtNode *h0 = im->harts->len ?
            ((NodeInfo *)g_ptr_array_index(im->harts, 0))->node : NULL;

        if ((h0 && dt_u32(h0, "timebase-frequency", &v)) ||
            (cpus && dt_u32(cpus, "timebase-frequency", &v))) {
            *out = g_strdup_printf("%u", v);
        } else {
            *out = NULL;
        }
    } else if (name[0] == '@') {
        return false;
    } else {
        *out = dt_u32(ni->node, name, &v) ? g_strdup_printf("%u", v) : NULL;
    }
    return true;
}

/*
 * Expand a mapping value: "${NAME}", "${NAME + N}", "${NAME - N}", each
 * with an optional "| DEFAULT"; NAME is a property of the node (its
 * first cell) or a fact (@reg-size, @irqs, @harts, @hartid-base,
 * @hart-config, @clock-hz, @timebase-hz).  NULL when a value is missing:
 * the property is then left out, reported.
 */
static char *expand(Import *im, NodeInfo *ni, const Facts *f,
                    const MapProp *mp)
{
    GString *out = g_string_new(NULL);
    const char *p = mp->value;

    while (*p) {
        const char *open = strstr(p, "${"), *close;
        g_autofree char *expr = NULL, *val = NULL;
        g_auto(GStrv) alt = NULL;
        char *name, *op;
        int64_t delta = 0;

        if (!open) {
            g_string_append(out, p);
            break;
        }
        g_string_append_len(out, p, open - p);
        close = strchr(open, '}');
        if (!close) {
            dt_warn(&mp->loc, "%s: unterminated ${ in '%s'", mp->name,
                    mp->value);
            g_string_free(out, true);
            return NULL;
        }
        expr = g_strndup(open + 2, close - open - 2);
        alt = g_strsplit(expr, "|", 2);
        name = g_strstrip(alt[0]);
        op = strpbrk(name, "+-");
        while (op && op > name && op[-1] != ' ') {
            op = strpbrk(op + 1, "+-");     /* names have '-' inside */
        }
        if (op) {
            delta = g_ascii_strtoll(op + 1, NULL, 0) * (*op == '-' ? -1 : 1);
            *op = '\0';
            name = g_strstrip(name);
        }
        if (!fact(im, ni, f, name, &val)) {
            dt_warn(&mp->loc, "%s: unknown fact '%s'", mp->name, name);
            g_string_free(out, true);
            return NULL;
        }
        if (!val && alt[1]) {
            val = g_strdup(g_strstrip(alt[1]));
        }
        if (!val) {
            g_string_free(out, true);
            return NULL;
        }
        if (delta) {
            g_autofree char *t = val;

            val = g_strdup_printf("%" G_GINT64_FORMAT,
                                  g_ascii_strtoll(t, NULL, 0) + delta);
        }
        g_string_append(out, val);
        p = close + 1;
    }
    return g_string_free(out, false);
}

void apply_props(Import *im, NodeInfo *ni, const Facts *f,
                        GPtrArray *props, OutEntry *e)
{
    unsigned i;

    for (i = 0; i < props->len; i++) {
        const MapProp *mp = g_ptr_array_index(props, i);
        g_autofree char *v = expand(im, ni, f, mp);
        g_autofree char *q = NULL;

        if (!v) {
            dt_warn(&ni->node->loc, "%s: the design does not give '%s' "
                    "(%s): property left at QEMU's default", ni->node->name,
                    mp->name, mp->value);
            continue;
        }
        q = yaml_scalar(v);
        add_prop(e, mp->name, "%s", q);
    }
}

/* --- harts --- */

/* A CPU's hart id: its reg, one cell or two (#address-cells = <2>) */
static bool hart_id(const DtNode *cpu, uint32_t *id)
{
    DtProp *r = dt_prop(cpu, "reg");
    uint64_t v;

    if (!r || (r->val->len != 4 && r->val->len != 8)) {
        return false;
    }
    v = dt_read_cells(r, 0, dt_cells(r));
    *id = v;
    return v <= UINT32_MAX;
}

static int hart_cmp(gconstpointer a, gconstpointer b)
{
    const NodeInfo *x = *(NodeInfo *const *)a, *y = *(NodeInfo *const *)b;
    uint32_t rx = 0, ry = 0;

    hart_id(x->node, &rx);
    hart_id(y->node, &ry);
    return rx < ry ? -1 : rx > ry;
}

static const char *short_type(const char *type, char *buf, size_t len)
{
    const char *s = g_str_has_prefix(type, "sifive-") ? type + 7 : type;
    const char *e = strstr(s, "-riscv-cpu");

    g_strlcpy(buf, s, MIN(len, (size_t)(e ? e - s : (long)strlen(s)) + 1));
    return buf;
}

static char *cpu_props(Import *im)
{
    if (im->has_resetvec) {
        return g_strdup_printf("resetvec: 0x%" G_GINT64_MODIFIER "x",
                               im->resetvec);
    }
    return g_strdup("");
}

/* The CPUs under /cpus, by hart id; false on errors */
bool find_harts(Import *im)
{
    DtNode *cpus = dt_child(im->root, "cpus");
    unsigned i;

    if (!cpus) {
        dt_error(&im->root->loc, "the design has no /cpus node");
        return false;
    }
    for (i = 0; i < cpus->children->len; i++) {
        DtNode *c = g_ptr_array_index(cpus->children, i);
        const char *dtype = dt_str(c, "device_type");
        const char *status = dt_str(c, "status");
        uint32_t reg;

        if (!dtype || strcmp(dtype, "cpu")) {
            continue;
        }
        if (status && strcmp(status, "okay") && strcmp(status, "ok")) {
            set_status(info(c), ST_IGNORED, "status \"%s\"", status);
            continue;
        }
        if (!hart_id(c, &reg)) {
            DtProp *r = dt_prop(c, "reg");

            dt_error(r ? &r->loc : &c->loc, "%s: a CPU's reg is its hart "
                     "id: one or two cells, below 2^32", c->name);
            return false;
        }
        g_ptr_array_add(im->harts, info(c));
    }
    if (!im->harts->len) {
        dt_error(&cpus->loc, "no CPU with device_type \"cpu\" under /cpus");
        return false;
    }
    g_ptr_array_sort(im->harts, hart_cmp);
    for (i = 0; i < im->harts->len; i++) {
        NodeInfo *h = g_ptr_array_index(im->harts, i);
        const char *isa = dt_str(h->node, "riscv,isa");
        unsigned xlen = isa && g_str_has_prefix(isa, "rv32") ? 32 :
                        isa && g_str_has_prefix(isa, "rv64") ? 64 : 0;
        uint32_t reg = 0;

        hart_id(h->node, &reg);
        if (!xlen) {
            DtProp *p = dt_prop(h->node, "riscv,isa");

            dt_error(p ? &p->loc : &h->node->loc, "%s: riscv,isa must start "
                     "with rv32 or rv64", h->node->name);
            return false;
        }
        if (im->xlen && xlen != im->xlen) {
            dt_error(&h->node->loc, "%s: rv%u next to rv%u harts: one QEMU "
                     "runs harts of one width", h->node->name, xlen,
                     im->xlen);
            return false;
        }
        im->xlen = xlen;
        if (i && reg == ((NodeInfo *)g_ptr_array_index(im->harts,
                                                       i - 1))->hart) {
            dt_error(&h->node->loc, "%s: hart id %u used twice",
                     h->node->name, reg);
            return false;
        }
        h->hart = reg;
        if (reg != i) {
            dt_warn(&h->node->loc, "%s: hart id %u becomes %u: QEMU numbers "
                    "a composed board's harts from 0", h->node->name, reg,
                    i);
        }
    }
    for (i = 0; i < im->harts->len; i++) {
        ((NodeInfo *)g_ptr_array_index(im->harts, i))->hart = i;
    }
    return true;
}

/* CPU groups: runs of harts with the same type and properties */
bool map_harts(Import *im)
{
    OutEntry *g = NULL;
    g_autofree char *gprops = NULL;
    unsigned i, ngroups = 0;
    char sbuf[64];

    for (i = 0; i < im->harts->len; i++) {
        NodeInfo *h = g_ptr_array_index(im->harts, i);
        const MapCpu *mc = map_find_cpu(im->map, h->node);
        g_autofree char *props = NULL;
        unsigned k;

        if (!mc) {
            DtProp *p = dt_prop(h->node, "riscv,isa");

            dt_error(p ? &p->loc : &h->node->loc, "%s: no CPU rule in the "
                     "mapping for compatible '%s', riscv,isa '%s'",
                     h->node->name, dt_str(h->node, "compatible") ?: "",
                     dt_str(h->node, "riscv,isa") ?: "");
            return false;
        }
        props = cpu_props(im);
        if (!g || strcmp(g->type, mc->type) || strcmp(gprops, props)) {
            g = entry_new(h, NULL);
            g->type = g_strdup(mc->type);
            if (*props) {
                g_ptr_array_add(g->props, g_strdup(props));
            }
            g_free(gprops);
            gprops = g_strdup(props);
            g_ptr_array_add(im->cpu_groups, g);
            ngroups++;
        }
        g->count++;
        set_status(h, ST_MAPPED, "hart %d: %s", h->hart, mc->type);
        for (k = 0; k < h->node->children->len; k++) {
            DtNode *c = g_ptr_array_index(h->node->children, k);
            const char *why;
            const MapRule *r = map_find(im->map, c, &why);

            if (r && r->role == ROLE_HART_INTC) {
                info(c)->hart = h->hart;
                info(c)->rule = r;
            }
        }
    }
    /* names: hart0.. for one group, else by type (u54_0..) */
    for (i = 0; i < im->cpu_groups->len; i++) {
        OutEntry *e = g_ptr_array_index(im->cpu_groups, i);

        e->name = ngroups == 1 ? g_strdup("hart") :
                  g_strdup_printf("%s_", short_type(e->type, sbuf,
                                                    sizeof(sbuf)));
    }
    for (i = 0; i < im->harts->len; i++) {
        NodeInfo *h = g_ptr_array_index(im->harts, i);
        unsigned base = 0, k;

        for (k = 0; k < im->cpu_groups->len; k++) {
            OutEntry *e = g_ptr_array_index(im->cpu_groups, k);

            if ((unsigned)h->hart < base + e->count) {
                h->name = g_strdup_printf("%s%u", e->name, h->hart - base);
                g_hash_table_add(im->names, g_strdup(h->name));
                break;
            }
            base += e->count;
        }
    }
    return true;
}
