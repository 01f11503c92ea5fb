/*
 * qemu-compose-import: a devicetree in memory
 *
 * Designs are read from .dts source (dts.c) or a flattened .dtb (dtb.c)
 * into this tree; every node and property keeps where it came from, so
 * that what the importer reports and writes points back to the design.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef COMPOSE_IMPORT_DT_H
#define COMPOSE_IMPORT_DT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A place in a design: line 0 for a .dtb, where @path names the node */
typedef struct DtLoc {
    const char *file;       /* interned */
    int line;
    int col;
} DtLoc;

/* A reference in a property value, filled in by dt_resolve() */
typedef struct DtRef {
    size_t offset;          /* byte offset in the value */
    char *target;           /* a label, or a path for &{/path} */
    bool path_target;       /* target is a path */
    bool as_path;           /* &label outside <>: the path string */
    DtLoc loc;
} DtRef;

typedef struct DtProp {
    char *name;
    GByteArray *val;
    GArray *refs;           /* DtRef */
    DtLoc loc;
} DtProp;

typedef struct DtNode DtNode;
struct DtNode {
    char *name;             /* "serial@10013000"; "" for the root */
    DtNode *parent;
    GPtrArray *labels;      /* char * */
    GPtrArray *props;       /* DtProp * */
    GPtrArray *children;    /* DtNode * */
    DtLoc loc;
    uint32_t phandle;       /* 0: none */
    void *priv;             /* the importer's per-node state */
};

/* Diagnostics: FILE:LINE:COL: error|warning: message, on stderr */
void dt_error(const DtLoc *loc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void dt_warn(const DtLoc *loc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
unsigned dt_errors(void);
char *dt_loc_str(const DtLoc *loc);
/* dt_loc_str() shows locations of files under @dir relative to it */
void dt_set_base_dir(const char *dir);
const char *dt_intern(const char *s);

/* The tree */
DtNode *dt_node_new(const char *name, DtNode *parent, const DtLoc *loc);
void dt_node_free(DtNode *n);
DtNode *dt_child(const DtNode *n, const char *name);
DtProp *dt_prop(const DtNode *n, const char *name);
DtProp *dt_prop_set(DtNode *n, const char *name, const DtLoc *loc);
void dt_prop_delete(DtNode *n, const char *name);
char *dt_path(const DtNode *n);
DtNode *dt_lookup_path(DtNode *root, const char *path);
DtNode *dt_lookup_label(DtNode *root, const char *label);
DtNode *dt_by_phandle(DtNode *root, uint32_t phandle);

/* Property values */
unsigned dt_cells(const DtProp *p);
uint32_t dt_cell(const DtProp *p, unsigned i);
uint64_t dt_read_cells(const DtProp *p, unsigned i, unsigned n);
bool dt_cell_is_ref(const DtProp *p, unsigned i);
bool dt_u32(const DtNode *n, const char *name, uint32_t *v);
const char *dt_str(const DtNode *n, const char *name);
bool dt_str_in_list(const DtProp *p, const char *s);
const char *dt_str_at(const DtProp *p, unsigned i);

/* Readers */
DtNode *dts_read(const char *file);
DtNode *dtb_read(const char *file);
/* Labels and references to phandles and paths; false on errors */
bool dt_resolve(DtNode *root);

#endif /* COMPOSE_IMPORT_DT_H */
