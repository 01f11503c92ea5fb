/*
 * qemu-compose-import: the devicetree in memory, diagnostics, references
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dt.h"

static unsigned error_count;
static char *loc_base;          /* locations are shown relative to it */

void dt_set_base_dir(const char *dir)
{
    g_free(loc_base);
    loc_base = g_strconcat(dir, G_DIR_SEPARATOR_S, NULL);
}

const char *dt_intern(const char *s)
{
    return g_intern_string(s);
}

static char *loc_str(const DtLoc *loc, bool relative)
{
    const char *f;

    if (!loc || !loc->file) {
        return g_strdup("<design>");
    }
    f = loc->file;
    if (relative && loc_base && g_str_has_prefix(f, loc_base)) {
        f += strlen(loc_base);
    }
    if (!loc->line) {
        return g_strdup(f);
    }
    return g_strdup_printf("%s:%d:%d", f, loc->line, loc->col);
}

char *dt_loc_str(const DtLoc *loc)
{
    return loc_str(loc, true);
}

static void G_GNUC_PRINTF(3, 0)
report(const DtLoc *loc, const char *what, const char *fmt, va_list ap)
{
    g_autofree char *where = loc_str(loc, false);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);

    fprintf(stderr, "%s: %s: %s\n", where, what, msg);
}

void dt_error(const DtLoc *loc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(loc, "error", fmt, ap);
    va_end(ap);
    error_count++;
}

void dt_warn(const DtLoc *loc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(loc, "warning", fmt, ap);
    va_end(ap);
}

unsigned dt_errors(void)
{
    return error_count;
}

/* --- the tree --- */

DtNode *dt_node_new(const char *name, DtNode *parent, const DtLoc *loc)
{
    DtNode *n = g_new0(DtNode, 1);

    n->name = g_strdup(name);
    n->parent = parent;
    n->labels = g_ptr_array_new_with_free_func(g_free);
    n->props = g_ptr_array_new();
    n->children = g_ptr_array_new();
    n->loc = *loc;
    if (parent) {
        g_ptr_array_add(parent->children, n);
    }
    return n;
}

static void ref_clear(gpointer p)
{
    g_free(((DtRef *)p)->target);
}

static void prop_free(DtProp *p)
{
    g_free(p->name);
    g_byte_array_unref(p->val);
    g_array_unref(p->refs);
    g_free(p);
}

void dt_node_free(DtNode *n)
{
    unsigned i;

    if (!n) {
        return;
    }
    for (i = 0; i < n->props->len; i++) {
        prop_free(g_ptr_array_index(n->props, i));
    }
    for (i = 0; i < n->children->len; i++) {
        dt_node_free(g_ptr_array_index(n->children, i));
    }
    g_ptr_array_unref(n->props);
    g_ptr_array_unref(n->children);
    g_ptr_array_unref(n->labels);
    g_free(n->name);
    g_free(n);
}

DtNode *dt_child(const DtNode *n, const char *name)
{
    unsigned i;

    for (i = 0; i < n->children->len; i++) {
        DtNode *c = g_ptr_array_index(n->children, i);

        if (g_str_equal(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

DtProp *dt_prop(const DtNode *n, const char *name)
{
    unsigned i;

    for (i = 0; i < n->props->len; i++) {
        DtProp *p = g_ptr_array_index(n->props, i);

        if (g_str_equal(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

/* A property emptied for a new value (a later definition replaces it) */
DtProp *dt_prop_set(DtNode *n, const char *name, const DtLoc *loc)
{
    DtProp *p = dt_prop(n, name);

    if (!p) {
        p = g_new0(DtProp, 1);
        p->name = g_strdup(name);
        p->val = g_byte_array_new();
        p->refs = g_array_new(false, true, sizeof(DtRef));
        g_array_set_clear_func(p->refs, ref_clear);
        g_ptr_array_add(n->props, p);
    } else {
        g_byte_array_set_size(p->val, 0);
        g_array_set_size(p->refs, 0);
    }
    p->loc = *loc;
    return p;
}

void dt_prop_delete(DtNode *n, const char *name)
{
    DtProp *p = dt_prop(n, name);

    if (p) {
        g_ptr_array_remove(n->props, p);
        prop_free(p);
    }
}

char *dt_path(const DtNode *n)
{
    GString *s;
    GPtrArray *parts = g_ptr_array_new();
    int i;

    if (!n->parent) {
        g_ptr_array_free(parts, true);
        return g_strdup("/");
    }
    for (; n->parent; n = n->parent) {
        g_ptr_array_add(parts, n->name);
    }
    s = g_string_new(NULL);
    for (i = parts->len - 1; i >= 0; i--) {
        g_string_append_printf(s, "/%s", (char *)g_ptr_array_index(parts, i));
    }
    g_ptr_array_free(parts, true);
    return g_string_free(s, false);
}

/* A path component without unit address matches a node by its base name */
static DtNode *child_by_component(DtNode *n, const char *comp)
{
    DtNode *c = dt_child(n, comp);
    unsigned i;

    if (c || strchr(comp, '@')) {
        return c;
    }
    for (i = 0; i < n->children->len; i++) {
        DtNode *k = g_ptr_array_index(n->children, i);
        const char *at = strchr(k->name, '@');

        if (at && (size_t)(at - k->name) == strlen(comp) &&
            !strncmp(k->name, comp, at - k->name)) {
            return k;
        }
    }
    return NULL;
}

DtNode *dt_lookup_path(DtNode *root, const char *path)
{
    g_auto(GStrv) comps = NULL;
    DtNode *n = root;
    unsigned i;

    if (path[0] != '/') {
        return NULL;
    }
    comps = g_strsplit(path + 1, "/", -1);
    for (i = 0; n && comps[i]; i++) {
        if (*comps[i]) {
            n = child_by_component(n, comps[i]);
        }
    }
    return n;
}

DtNode *dt_lookup_label(DtNode *root, const char *label)
{
    unsigned i;

    for (i = 0; i < root->labels->len; i++) {
        if (g_str_equal(g_ptr_array_index(root->labels, i), label)) {
            return root;
        }
    }
    for (i = 0; i < root->children->len; i++) {
        DtNode *n = dt_lookup_label(g_ptr_array_index(root->children, i),
                                    label);
        if (n) {
            return n;
        }
    }
    return NULL;
}

DtNode *dt_by_phandle(DtNode *root, uint32_t phandle)
{
    unsigned i;

    if (!phandle) {
        return NULL;
    }
    if (root->phandle == phandle) {
        return root;
    }
    for (i = 0; i < root->children->len; i++) {
        DtNode *n = dt_by_phandle(g_ptr_array_index(root->children, i),
                                  phandle);
        if (n) {
            return n;
        }
    }
    return NULL;
}

/* --- values --- */

unsigned dt_cells(const DtProp *p)
{
    return p ? p->val->len / 4 : 0;
}

uint32_t dt_cell(const DtProp *p, unsigned i)
{
    const guint8 *b = p->val->data + 4 * i;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | b[3];
}

/* @n cells from cell @i as one number (only the low 64 bits are kept) */
uint64_t dt_read_cells(const DtProp *p, unsigned i, unsigned n)
{
    uint64_t v = 0;
    unsigned k;

    for (k = 0; k < n; k++) {
        v = (v << 32) | dt_cell(p, i + k);
    }
    return v;
}

bool dt_cell_is_ref(const DtProp *p, unsigned i)
{
    unsigned k;

    for (k = 0; k < p->refs->len; k++) {
        DtRef *r = &g_array_index(p->refs, DtRef, k);

        if (!r->as_path && r->offset == 4 * i) {
            return true;
        }
    }
    return false;
}

bool dt_u32(const DtNode *n, const char *name, uint32_t *v)
{
    DtProp *p = dt_prop(n, name);

    if (!p || p->val->len != 4) {
        return false;
    }
    *v = dt_cell(p, 0);
    return true;
}

/* The @i-th string of a string list property, NULL past its end */
const char *dt_str_at(const DtProp *p, unsigned i)
{
    const char *s, *end;

    if (!p || !p->val->len || p->val->data[p->val->len - 1]) {
        return NULL;
    }
    s = (const char *)p->val->data;
    end = s + p->val->len;
    for (; s < end; s += strlen(s) + 1) {
        if (!i--) {
            return s;
        }
    }
    return NULL;
}

const char *dt_str(const DtNode *n, const char *name)
{
    return dt_str_at(dt_prop(n, name), 0);
}

bool dt_str_in_list(const DtProp *p, const char *s)
{
    const char *e;
    unsigned i;

    for (i = 0; (e = dt_str_at(p, i)); i++) {
        if (g_str_equal(e, s)) {
            return true;
        }
    }
    return false;
}

/* --- labels, phandles, references --- */

typedef struct Resolver {
    DtNode *root;
    GHashTable *labels;         /* label -> DtNode */
    GHashTable *phandles;       /* GUINT_TO_POINTER(phandle) -> DtNode */
    uint32_t next_phandle;
    bool ok;
} Resolver;

static void collect(Resolver *r, DtNode *n)
{
    const char *names[] = { "phandle", "linux,phandle" };
    unsigned i;

    for (i = 0; i < n->labels->len; i++) {
        const char *l = g_ptr_array_index(n->labels, i);
        DtNode *o = g_hash_table_lookup(r->labels, l);

        if (o && o != n) {
            g_autofree char *at = dt_loc_str(&o->loc);

            dt_error(&n->loc, "label '%s' is also on %s (%s)", l, o->name,
                     at);
            r->ok = false;
        }
        g_hash_table_insert(r->labels, (gpointer)l, n);
    }
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        DtProp *p = dt_prop(n, names[i]);
        uint32_t ph;
        DtNode *o;

        if (!p || p->refs->len) {
            continue;
        }
        ph = p->val->len == 4 ? dt_cell(p, 0) : 0;
        if (!ph || ph == ~0u) {
            dt_error(&p->loc, "%s: invalid %s", n->name, names[i]);
            r->ok = false;
            continue;
        }
        o = g_hash_table_lookup(r->phandles, GUINT_TO_POINTER(ph));
        if (o && o != n) {
            g_autofree char *at = dt_loc_str(&o->loc);

            dt_error(&p->loc, "phandle 0x%x of %s is also the phandle of %s "
                     "(%s)", ph, n->name, o->name, at);
            r->ok = false;
            continue;
        }
        n->phandle = ph;
        g_hash_table_insert(r->phandles, GUINT_TO_POINTER(ph), n);
        r->next_phandle = MAX(r->next_phandle, ph + 1);
    }
    for (i = 0; i < n->children->len; i++) {
        collect(r, g_ptr_array_index(n->children, i));
    }
}

static DtNode *ref_target(Resolver *r, const DtRef *ref)
{
    DtNode *t = ref->path_target ? dt_lookup_path(r->root, ref->target)
                                 : g_hash_table_lookup(r->labels, ref->target);

    if (!t) {
        dt_error(&ref->loc, "reference to %s '%s': no such %s",
                 ref->path_target ? "path" : "label", ref->target,
                 ref->path_target ? "node" : "label");
        r->ok = false;
    }
    return t;
}

static void fill_refs(Resolver *r, DtNode *n)
{
    unsigned i, k;

    for (i = 0; i < n->props->len; i++) {
        DtProp *p = g_ptr_array_index(n->props, i);

        /* path strings change the length: fill from the end */
        for (k = p->refs->len; k-- > 0;) {
            DtRef *ref = &g_array_index(p->refs, DtRef, k);
            DtNode *t = ref_target(r, ref);

            if (!t) {
                continue;
            }
            if (ref->as_path) {
                g_autofree char *path = dt_path(t);
                g_autoptr(GByteArray) tail = g_byte_array_new();
                unsigned j;

                /* insert the path and its NUL at the offset */
                g_byte_array_append(tail, p->val->data + ref->offset,
                                    p->val->len - ref->offset);
                g_byte_array_set_size(p->val, ref->offset);
                g_byte_array_append(p->val, (guint8 *)path, strlen(path) + 1);
                g_byte_array_append(p->val, tail->data, tail->len);
                for (j = k + 1; j < p->refs->len; j++) {
                    g_array_index(p->refs, DtRef, j).offset +=
                        strlen(path) + 1;
                }
                continue;
            }
            if (!t->phandle) {
                t->phandle = r->next_phandle++;
                g_hash_table_insert(r->phandles,
                                    GUINT_TO_POINTER(t->phandle), t);
            }
            p->val->data[ref->offset] = t->phandle >> 24;
            p->val->data[ref->offset + 1] = t->phandle >> 16;
            p->val->data[ref->offset + 2] = t->phandle >> 8;
            p->val->data[ref->offset + 3] = t->phandle;
        }
    }
    for (i = 0; i < n->children->len; i++) {
        fill_refs(r, g_ptr_array_index(n->children, i));
    }
}

bool dt_resolve(DtNode *root)
{
    Resolver r = {
        .root = root,
        .labels = g_hash_table_new(g_str_hash, g_str_equal),
        .phandles = g_hash_table_new(NULL, NULL),
        .next_phandle = 1,
        .ok = true,
    };

    collect(&r, root);
    fill_refs(&r, root);
    g_hash_table_unref(r.labels);
    g_hash_table_unref(r.phandles);
    return r.ok;
}
