/*
 * qemu-compose-import: from a devicetree to a board description
 *
 * import.c walks the design and decides, node by node, what it becomes
 * (a hart, memory, a device, a stub, nothing) into a plan; emit.c writes
 * the plan as a description and prints the coverage report.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef COMPOSE_IMPORT_IMPORT_H
#define COMPOSE_IMPORT_IMPORT_H

#include <stdio.h>
#include "dt.h"
#include "map.h"

typedef enum NodeStatus {
    ST_MAPPED,
    ST_STUBBED,
    ST_IGNORED,
} NodeStatus;

typedef struct Window {
    uint64_t addr, size;
    const char *name;       /* reg-names entry, or NULL */
} Window;

/* What became of one node */
typedef struct NodeInfo {
    DtNode *node;
    NodeStatus status;
    GString *what;          /* for the report */
    const MapRule *rule;
    const char *matched;    /* the compatible (or name) that matched */
    const char *compatible; /* its compatible, or a misspelt one */
    char *name;             /* description name, once it has one */
    GArray *windows;        /* Window, on the CPUs' bus; NULL: none */
    int hart;               /* CPUs and their interrupt controllers */
    int clock_state;        /* 0: not resolved, 1: resolving, 2: done */
    uint64_t clock_hz;      /* 0: unknown */
    bool clock_used;
} NodeInfo;

typedef struct OutWire {
    char *out;
    char *in;
    bool combine;
    DtLoc loc;
} OutWire;

typedef struct OutMmio {
    uint64_t addr;
    int priority;
    bool has_priority;
    unsigned index;
} OutMmio;

/* A description entry (device, region, CPU group, clock) */
typedef struct OutEntry {
    NodeInfo *from;
    char *note;             /* comment line after the source */
    char *name;
    char *type;             /* devices, CPU groups */
    char *kind;             /* regions: ram, rom */
    uint64_t size, addr;    /* regions */
    unsigned count;         /* CPU groups */
    uint64_t hz;            /* clocks */
    GPtrArray *props;       /* "key: value" lines */
    GArray *mmio;           /* OutMmio */
    GPtrArray *irqs;        /* OutWire */
    GPtrArray *clocks;      /* "input: source" */
    bool nic;
} OutEntry;

typedef struct Import {
    const char *design;
    DtNode *root;
    Map *map;
    GPtrArray *nodes;       /* NodeInfo, in design order */
    GPtrArray *harts;       /* NodeInfo of the CPUs, by hart id */
    unsigned xlen;          /* 32 or 64 */
    GPtrArray *cpu_groups;  /* OutEntry */
    GPtrArray *clocks;      /* OutEntry */
    GPtrArray *regions;     /* OutEntry */
    GPtrArray *intcs;       /* OutEntry: interrupt controllers, first */
    GPtrArray *devices;     /* OutEntry */
    GArray *spans;          /* placed windows, for overlaps */
    GHashTable *names;      /* description names in use */
    OutEntry *ram;          /* the machine RAM, if any */
    uint64_t ram_size_design;
    uint64_t resetvec;
    bool has_resetvec;
    bool has_entry;
    uint64_t entry;
    char *entry_note;
    char *boot_hart;
    NodeInfo *stdout_node;
    unsigned next_serial;
} Import;

/* One interrupt of a node: its controller and first specifier cell */
typedef struct IrqSpec {
    DtNode *ctrl;
    uint32_t cell;
    DtLoc loc;
} IrqSpec;

/* A placed window, for overlap checks */
typedef struct Span {
    uint64_t first, last;
    bool stub;
    NodeInfo *ni;
} Span;

bool import_design(Import *im);

/* Facts a mapping's ${...} may use, besides the node's properties */
typedef struct Facts {
    uint64_t reg_size;
    unsigned irqs;
    int hartid_base;        /* -1: none */
    unsigned harts;
    const char *hart_config;
    uint64_t clock_hz;
} Facts;

/* roles.c */
char *yaml_scalar(const char *s);
void apply_props(Import *im, NodeInfo *ni, const Facts *f, GPtrArray *props,
                 OutEntry *e);
bool find_harts(Import *im);
bool map_harts(Import *im);

/* import.c: shared with roles.c and devices.c */
NodeInfo *info(const DtNode *n);
void set_status(NodeInfo *ni, NodeStatus st, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
OutEntry *entry_new(NodeInfo *from, const char *name);
void add_prop(OutEntry *e, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
char *unique_name(Import *im, const char *base);
uint32_t cells_of(const DtNode *n, const char *name, uint32_t dflt);
void check_spelling(NodeInfo *ni);
void check_unit_name(NodeInfo *ni);
uint64_t phys_limit(Import *im);
bool node_windows(Import *im, NodeInfo *ni);
Window *window_sel(NodeInfo *ni, const char *sel, unsigned *index);
bool place(Import *im, NodeInfo *ni, const Window *w, bool stub);
void stub_window(Import *im, NodeInfo *ni, const Window *w);
DtNode *clock_ref(Import *im, DtNode *n, unsigned idx);
uint64_t clock_hz(Import *im, DtNode *n);
bool node_irqs(Import *im, DtNode *n, GArray *out);
/* Write the description; false if it cannot be written */
bool emit_description(Import *im, const char *out_file);
void print_report(Import *im, FILE *f);

#endif /* COMPOSE_IMPORT_IMPORT_H */
