/*
 * qemu-compose-import: flattened devicetree (.dtb) reader, with libfdt
 *
 * A .dtb has no source lines: nodes are located as FILE:/node/path.
 * Labels come from /__symbols__ when dtc wrote one (dtc -@).
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <libfdt.h>
#include <string.h>
#include "dt.h"

#define MAX_DTB_SIZE    (16 * 1024 * 1024)
#define MAX_DEPTH       64

static bool read_node(const void *fdt, int off, DtNode *n, const char *file,
                      int depth)
{
    g_autofree char *path = dt_path(n);
    g_autofree char *where = g_strdup_printf("%s:%s", file, path);
    DtLoc here = { dt_intern(where), 0, 0 };
    const DtLoc *loc = &here;
    int po, co;

    n->loc = here;

    if (depth > MAX_DEPTH) {
        dt_error(loc, "%s: nodes nested deeper than %d", n->name, MAX_DEPTH);
        return false;
    }
    fdt_for_each_property_offset(po, fdt, off) {
        const char *name;
        int len;
        const void *val = fdt_getprop_by_offset(fdt, po, &name, &len);
        DtProp *p;

        if (!val || len < 0) {
            dt_error(loc, "%s: unreadable property", n->name);
            return false;
        }
        p = dt_prop_set(n, name, loc);
        g_byte_array_append(p->val, val, len);
    }
    fdt_for_each_subnode(co, fdt, off) {
        const char *name = fdt_get_name(fdt, co, NULL);
        DtNode *c;

        if (!name) {
            dt_error(loc, "%s: unreadable node name", n->name);
            return false;
        }
        c = dt_node_new(name, n, loc);
        if (!read_node(fdt, co, c, file, depth + 1)) {
            return false;
        }
    }
    return true;
}

/* dtc -@ records labels as /__symbols__ { LABEL = "/path"; } */
static void read_symbols(DtNode *root)
{
    DtNode *sym = dt_child(root, "__symbols__");
    unsigned i;

    if (!sym) {
        return;
    }
    for (i = 0; i < sym->props->len; i++) {
        DtProp *p = g_ptr_array_index(sym->props, i);
        const char *path = dt_str_at(p, 0);
        DtNode *n = path ? dt_lookup_path(root, path) : NULL;

        if (n) {
            g_ptr_array_add(n->labels, g_strdup(p->name));
        }
    }
}

DtNode *dtb_read(const char *file)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *buf = NULL;
    DtLoc loc = { dt_intern(file), 0, 0 };
    DtNode *root;
    gsize len;
    int rc;

    if (!g_file_get_contents(file, &buf, &len, &err)) {
        dt_error(&loc, "%s", err->message);
        return NULL;
    }
    if (len > MAX_DTB_SIZE) {
        dt_error(&loc, "larger than 16 MiB");
        return NULL;
    }
    rc = len >= sizeof(struct fdt_header) ? fdt_check_full(buf, len)
                                          : -FDT_ERR_TRUNCATED;
    if (rc) {
        dt_error(&loc, "not a valid flattened devicetree: %s",
                 fdt_strerror(rc));
        return NULL;
    }
    root = dt_node_new("", NULL, &loc);
    if (!read_node(buf, 0, root, file, 0)) {
        dt_node_free(root);
        return NULL;
    }
    read_symbols(root);
    return root;
}
