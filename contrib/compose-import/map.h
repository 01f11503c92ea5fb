/*
 * qemu-compose-import: the mapping from devicetree to QEMU
 *
 * A mapping file (YAML, machines/devicetree-map.yaml and --map files)
 * says which QEMU CPU and device types stand for which devicetree
 * nodes, and how their registers, interrupts, clocks and properties
 * carry over.  See docs/devel/composer-import.rst.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef COMPOSE_IMPORT_MAP_H
#define COMPOSE_IMPORT_MAP_H

#include "dt.h"

typedef enum MapRole {
    ROLE_DEVICE,        /* a QEMU device: MMIO, interrupts, properties */
    ROLE_PLIC,          /* a PLIC: hart contexts from interrupts-extended */
    ROLE_CLINT,         /* parts driving hart interrupts by cause */
    ROLE_HART_INTC,     /* riscv,cpu-intc: a hart's interrupt inputs */
    ROLE_CLOCK,         /* a clock: fixed or fixed-factor */
    ROLE_MEMORY,        /* RAM or ROM regions from reg windows */
    ROLE_RAM,           /* the machine RAM (device_type "memory") */
    ROLE_IGNORE,        /* nothing to build, on purpose */
} MapRole;

typedef struct MapProp {
    char *name;
    char *value;        /* a template: see expand_value() in import.c */
    DtLoc loc;
} MapProp;

typedef struct MapPart {
    char *type;
    uint64_t offset;
    int cause;          /* hart interrupt its outputs drive, -1: none */
    GPtrArray *props;   /* MapProp */
} MapPart;

typedef struct MapWindow {
    char *reg;          /* reg-names entry or "#N" */
    char *kind;         /* ram, rom */
} MapWindow;

typedef struct MapRule {
    DtLoc loc;
    GPtrArray *compatible;  /* char *; empty: match by node-name/type */
    char *node_name;
    char *device_type;
    MapRole role;
    char *type;
    GPtrArray *mmio;        /* char *: reg-names entries or "#N" */
    GPtrArray *windows;     /* MapWindow: windows that are memory */
    char *irqs;             /* output name for the node's interrupts */
    int max_irqs;           /* -1: any */
    char *serial_prop;
    bool nic;
    char *clock_prop;
    char *clock_in;
    char *mem_kind;         /* ROLE_MEMORY: ram, rom */
    bool boot_rom;          /* harts reset into this memory */
    GPtrArray *props;       /* MapProp */
    GPtrArray *parts;       /* MapPart (ROLE_CLINT) */
} MapRule;

typedef struct MapCpu {
    DtLoc loc;
    char *compatible;       /* NULL: any */
    char *isa;              /* glob on riscv,isa; NULL: any */
    char *mmu;              /* glob on mmu-type; NULL: any */
    char *type;
} MapCpu;

typedef struct Map {
    GPtrArray *cpus;        /* MapCpu, first match wins */
    GPtrArray *rules;       /* MapRule, first match wins */
} Map;

Map *map_new(void);
/* Rules of @file go before those loaded earlier unless @append */
bool map_load(Map *m, const char *file, bool append);
char *map_default_file(const char *argv0);

const MapRule *map_find(const Map *m, const DtNode *n, const char **why);
const MapCpu *map_find_cpu(const Map *m, const DtNode *cpu);

#endif /* COMPOSE_IMPORT_MAP_H */
