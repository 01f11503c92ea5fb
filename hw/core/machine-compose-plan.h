/*
 * Composed machine: the plan a checked description becomes
 *
 * Private to the composer.  The stages, one direction, one file each:
 *
 *   machine-compose-doc.c     read: YAML/JSON -> QObject tree + locations
 *   machine-compose-merge.c   merge: includes, overrides; then parameters
 *                             and conditions
 *   machine-compose-schema.c  structure: the QAPI visitor
 *   machine-compose-refs.c    names, references, GPIO wires
 *   machine-compose-check.c   semantic checks: tree -> ComposePlan
 *   machine-compose-build.c   executes a ComposePlan
 *   machine-composer.c        the machine type: runs the stages
 *   machine-compose-qmp-cmds.c  query-composition, info composition
 *
 * A plan is read-only once made: the check writes nothing outside it
 * (the machine file applies its RAM size and CPU count), and the build
 * keeps what it creates in a ComposeBuilt of its own.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_PLAN_H
#define HW_CORE_MACHINE_COMPOSE_PLAN_H

#include "hw/boards.h"
#include "hw/core/machine-compose.h"
#include "qapi/qapi-types-machine-compose.h"

typedef enum ComposeEntityKind {
    COMPOSE_ENTITY_CLOCK,
    COMPOSE_ENTITY_CPU,
    COMPOSE_ENTITY_REGION,
    COMPOSE_ENTITY_DEVICE,
} ComposeEntityKind;

/* Something the description names: a clock, a CPU, a region, a device */
typedef struct ComposeEntity {
    ComposeEntityKind kind;
    char *name;
    unsigned index;             /* declaration order among all entities */
    unsigned pos;               /* position in its list: devices[pos] */
    QDict *node;                /* its mapping in the description */
    const ComposeLoc *loc;      /* of its name, else of its mapping */
    char *what;                 /* "devices[3] 'uart0'", for messages */
    void *decl;                 /* ComposeClock, ComposeCpus, ... */
    uint64_t size;              /* regions: the size, resolved */
    /* devices: the QOM parent (NULL: the machine) and child name */
    struct ComposeEntity *parent;
    const char *qom_name;
} ComposeEntity;

/*
 * One GPIO endpoint: DEVICE[/PART][.NAME][INDEX or FIRST..LAST] for an
 * input, [PART.]NAME[INDEX or FIRST..LAST] for an output of this device
 */
typedef struct ComposeGpioRef {
    char *dev;                  /* NULL on the output side (this device) */
    char *path;                 /* the part: a QOM path below the device */
    char *name;                 /* NULL: unnamed GPIOs */
    unsigned first, count;
} ComposeGpioRef;

/* @count lines from outputs of @src to inputs of @dst */
typedef struct ComposeWire {
    ComposeEntity *src;
    ComposeEntity *dst;         /* resolved by the check */
    ComposeGpioRef out;
    ComposeGpioRef in;
    ComposeIrqCombine combine;  /* fan-in: how the outputs combine */
    bool has_combine;
    const ComposeLoc *loc;
} ComposeWire;

/* The device output that powers a CPU group on */
typedef struct ComposeGate {
    ComposeEntity *holder;      /* a device's gate: the device, else NULL */
    ComposeEntity *dev;
    ComposeGpioRef out;
    const ComposeLoc *loc;
    char *text;
} ComposeGate;

/* What the check knows about the command line, read-only */
typedef struct ComposeEnv {
    uint64_t ram_size;          /* -m, 0 if not given */
    bool kernel;                /* -kernel given */
    Object *machine;            /* its property and child names are taken */
} ComposeEnv;

typedef struct ComposePlan {
    ComposeDoc *doc;            /* locations, diagnostics (not owned) */
    QDict *tree;                /* the effective description (a reference) */
    ComposeBoard *board;        /* @tree visited into the QAPI types */
    GHashTable *by_name;        /* name -> ComposeEntity */
    GPtrArray *entities;        /* ComposeEntity, in declaration order */
    GPtrArray *wires;           /* ComposeWire, in declaration order */
    GPtrArray *gates;           /* per cpus[i]: ComposeGate or NULL */
    GPtrArray *device_gates;    /* ComposeGate of devices[].gate */
    GPtrArray *cpu_groups;      /* per cpus[i]: its first CPU entity */
    uint32_t ncpus;             /* CPUs declared in "cpus" */
    uint32_t machine_cpus;      /* machine.cpus, else @ncpus */
    uint64_t ram_size;          /* -m, else machine.ram-size, else 0 */
    bool mixed_cpus;            /* CPU types differ: one cluster a group */
    ComposeEntity *boot_cpu;    /* boot.cpu, NULL: the first CPU */
} ComposePlan;

/* What the build created, by entity index */
typedef struct ComposeBuilt {
    const ComposePlan *plan;
    MachineState *ms;
    Object **objs;              /* CPUs and devices */
    MemoryRegion **mrs;         /* regions */
    Clock **clks;               /* clocks */
    GPtrArray *cpus;            /* CPUState, in creation order */
    GPtrArray *buffers;         /* EEPROM contents the devices point to */
    GPtrArray *gates;           /* gate state, as long as the machine */
    char **reset_paths;         /* devices with reset-props: QOM paths */
} ComposeBuilt;

/* --- machine-compose-refs.c --- */

/* A diagnostic at @loc, or where the description starts without one */
void G_GNUC_PRINTF(3, 4) compose_plan_error(const ComposePlan *p,
                                            const ComposeLoc *loc,
                                            const char *fmt, ...);
/* Location of @node / of the member @key of @node (else of @node) */
const ComposeLoc *compose_plan_loc(const ComposePlan *p, QObject *node);
const ComposeLoc *compose_plan_member_loc(const ComposePlan *p, QDict *node,
                                          const char *key);
const ComposeLoc *compose_plan_key_loc(const ComposePlan *p, QDict *node,
                                       const char *key);

bool compose_name_valid(const char *name, bool dots);
ComposeEntity *compose_plan_add(ComposePlan *p, ComposeEntityKind kind,
                                const char *name, QDict *node, void *decl,
                                unsigned pos, const char *what,
                                Object *machine);
/* The entity @name of @kind (-1: any); NULL after reporting at @loc */
ComposeEntity *compose_plan_find(const ComposePlan *p, const char *name,
                                 int kind, const ComposeLoc *loc,
                                 const char *what);
const char *compose_entity_kind_name(ComposeEntityKind kind);
/* The QOM child at the relative @path of @obj, "." for @obj itself */
Object *compose_child_or_self(Object *obj, const char *path);
/*
 * The declared device a path "soc/i2c/bus[3]" starts with: the longest
 * prefix that names one, and *@rest what follows (NULL: nothing)
 */
ComposeEntity *compose_plan_owner(const ComposePlan *p, const char *path,
                                  const char **rest);
/* A device of type "container": a QOM container grouping devices */
bool compose_is_container(const ComposeDevice *d);

bool compose_gpio_parse(const char *text, bool with_dev, ComposeGpioRef *r);
void compose_gpio_clear(ComposeGpioRef *r);
char *compose_gpio_str(const ComposeGpioRef *r, unsigned i);
/* Parse the "irqs" of a device or CPU into @p->wires; false after reporting */
bool compose_collect_wires(ComposePlan *p, ComposeEntity *dev, QObject *irqs);
/* Every input driven by several outputs says how they combine */
bool compose_check_fan_in(ComposePlan *p);
void compose_wire_free(gpointer w);
void compose_gate_free(gpointer g);
/* Lines of one "irqs" range, far more than any device has */
#define COMPOSE_MAX_WIRE_LINES 4096

/*
 * What a property value "@REF" stands for.  Without @b (the check) only
 * whether it can be resolved: the result is then "" for what exists only
 * once built.  NULL after reporting.
 */
char *compose_resolve_ref(const ComposePlan *p, const ComposeBuilt *b,
                          const char *ref, const ComposeLoc *loc,
                          const char *what);
/* A copy of a property value with its "@REF" strings resolved */
QObject *compose_resolve_value(const ComposePlan *p, const ComposeBuilt *b,
                               QObject *v, const char *what);
/* The block backend of -drive if=@iface,index=@index, NULL if none */
/* -drive if=@iface,bus=@bus,unit=@unit (index=N: bus 0, unit N) */
const char *compose_drive_name(const char *iface, int bus, int unit,
                               bool *known);

/* --- machine-compose-check.c --- */

/* The semantic checks; NULL after reporting every problem to @doc */
ComposePlan *compose_plan_new(ComposeDoc *doc, QDict *tree,
                              const ComposeEnv *env);
void compose_plan_free(ComposePlan *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ComposePlan, compose_plan_free)
/* What depends on the command line beyond conditions (-kernel) */
bool compose_plan_check_env(const ComposePlan *p, const ComposeEnv *env);
/*
 * The checks that need an instance (properties, children, clock
 * inputs, NICs, serials), on @obj: the CPU or device of @e, created and
 * not yet realized.  No probe instances: they would consume automatic
 * bus names, and an SoC's costs as much as the SoC.
 */
bool compose_check_instance(const ComposePlan *p, const ComposeEntity *e,
                            Object *obj);

/* EEPROMs created by QEMU's helpers, with their contents */
bool compose_uses_eeprom_helper(const ComposeDevice *d);
bool compose_is_smbus_eeprom(const ComposeDevice *d);
#define COMPOSE_SMBUS_EEPROM_SIZE 256
/* The contents of @d (at least @min bytes); NULL after reporting */
/* The "contents" of an EEPROM device: checked (true) or reported */
bool compose_check_contents(ComposePlan *p, ComposeEntity *e);
uint8_t *compose_contents_bytes(const ComposePlan *p, const ComposeEntity *e,
                                size_t min, size_t *len);

/* --- machine-compose-memory.c --- */

/* Regions and the machine RAM mapping: the checks of the plan */
bool compose_check_memory(ComposePlan *p);
/* Create the region of @e with its contents; false after reporting */
bool compose_build_region(ComposeBuilt *b, ComposeEntity *e);
/* May @mr be mapped into @container? false after reporting at @loc */
bool compose_map_allowed(ComposeBuilt *b, MemoryRegion *container,
                         MemoryRegion *mr, const char *region,
                         const ComposeLoc *loc, const char *what);
/* Map @mr into @container ("@system-memory", a region, a QOM path) */
bool compose_map_region(ComposeBuilt *b, const char *container, hwaddr addr,
                        bool has_prio, int prio, MemoryRegion *mr,
                        const char *region, const ComposeLoc *loc,
                        const char *what);
/* The aliases of devices' regions, once the devices exist */
bool compose_build_device_aliases(ComposeBuilt *b);
/* The machine RAM and the regions, once the devices exist */
bool compose_map_memory(ComposeBuilt *b);

/* --- machine-compose-wires.c --- */

/* cpus[].irqs into @p->wires; false after reporting */
bool compose_collect_cpu_wires(ComposePlan *p);
/* The input of every wire: a device or CPU, or a part of a device */
bool compose_check_wire_targets(ComposePlan *p);
/* The gates of the CPU groups and of devices into @p->(device_)gates */
bool compose_check_gates(ComposePlan *p);
/* The parts wires and gates name exist (on the created objects) */
bool compose_check_wire_parts(const ComposeBuilt *b);
bool compose_build_wires(ComposeBuilt *b);
bool compose_build_gates(ComposeBuilt *b);
void compose_gate_state_free(gpointer g);

/* --- machine-compose-build.c --- */

/* Add @obj as child @name of @parent; false after reporting at @loc */
bool compose_add_child(ComposeBuilt *b, Object *parent, const char *name,
                       Object *obj, const ComposeLoc *loc, const char *what);

/* Build the machine of @p; NULL after reporting */
ComposeBuilt *compose_build(const ComposePlan *p, MachineState *ms);
/*
 * Check mode: create the objects as the build would and run the checks
 * that need instances on them; they are never realized (QEMU exits).
 */
bool compose_check_objects(const ComposePlan *p, MachineState *ms);
/* After a machine reset: the reset-props; false after reporting */
bool compose_build_reset(ComposeBuilt *b);
void compose_built_free(ComposeBuilt *b);

/* --- machine-compose-diagram.c --- */

/* The built machine @ms as a Graphviz DOT graph */
char *compose_diagram_dot(MachineState *ms);

#endif /* HW_CORE_MACHINE_COMPOSE_PLAN_H */
