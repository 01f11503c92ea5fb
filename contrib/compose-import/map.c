/*
 * qemu-compose-import: mapping files (YAML, read with libyaml)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>
#include <yaml.h>
#include "map.h"

#define MAX_MAP_DEPTH   16

/* --- a YAML document as a tree of located nodes --- */

typedef enum YKind { Y_SCALAR, Y_MAP, Y_SEQ } YKind;

typedef struct YNode YNode;
struct YNode {
    YKind kind;
    char *text;             /* Y_SCALAR */
    GPtrArray *items;       /* Y_SEQ: YNode; Y_MAP: key, value, ... */
    DtLoc loc;
};

static void ynode_free(gpointer p)
{
    YNode *y = p;

    if (y) {
        g_free(y->text);
        if (y->items) {
            g_ptr_array_unref(y->items);
        }
        g_free(y);
    }
}

static YNode *ynode_new(YKind kind, const char *file, yaml_mark_t mark)
{
    YNode *y = g_new0(YNode, 1);

    y->kind = kind;
    y->loc.file = file;
    y->loc.line = mark.line + 1;
    y->loc.col = mark.column + 1;
    if (kind != Y_SCALAR) {
        y->items = g_ptr_array_new_with_free_func(ynode_free);
    }
    return y;
}

static YNode *yparse(yaml_parser_t *p, const char *file, int depth,
                     bool *ok);

/* The node of the event just read (@ev), its children parsed */
static YNode *ynode_from(yaml_parser_t *p, yaml_event_t *ev,
                         const char *file, int depth, bool *ok)
{
    YNode *y;
    DtLoc loc = { file, ev->start_mark.line + 1, ev->start_mark.column + 1 };

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        y = ynode_new(Y_SCALAR, file, ev->start_mark);
        y->text = g_strndup((char *)ev->data.scalar.value,
                            ev->data.scalar.length);
        return y;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (depth > MAX_MAP_DEPTH) {
            dt_error(&loc, "nested deeper than %d", MAX_MAP_DEPTH);
            *ok = false;
            return NULL;
        }
        y = ynode_new(ev->type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ,
                      file, ev->start_mark);
        for (;;) {
            YNode *c = yparse(p, file, depth + 1, ok);

            if (!c) {
                break;
            }
            if (y->kind == Y_MAP && !(y->items->len % 2) &&
                c->kind != Y_SCALAR) {
                dt_error(&c->loc, "keys must be scalars");
                *ok = false;
            }
            g_ptr_array_add(y->items, c);
        }
        if (!*ok) {
            ynode_free(y);
            return NULL;
        }
        return y;
    case YAML_ALIAS_EVENT:
        dt_error(&loc, "YAML aliases are not used in mapping files");
        *ok = false;
        return NULL;
    default:
        return NULL;
    }
}

/* The next node, NULL at the end of a collection, the document or error */
static YNode *yparse(yaml_parser_t *p, const char *file, int depth, bool *ok)
{
    yaml_event_t ev;
    YNode *y = NULL;

    for (;;) {
        if (!yaml_parser_parse(p, &ev)) {
            DtLoc loc = { file, p->problem_mark.line + 1,
                          p->problem_mark.column + 1 };

            dt_error(&loc, "%s", p->problem ? p->problem : "YAML error");
            *ok = false;
            return NULL;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            yaml_event_delete(&ev);
            continue;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_ALIAS_EVENT:
            y = ynode_from(p, &ev, file, depth, ok);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        return y;
    }
}

static YNode *yload(const char *file)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    DtLoc loc = { dt_intern(file), 0, 0 };
    yaml_parser_t p;
    YNode *root;
    gsize len;
    bool ok = true;

    if (!g_file_get_contents(file, &text, &len, &err)) {
        dt_error(&loc, "%s", err->message);
        return NULL;
    }
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (unsigned char *)text, len);
    root = yparse(&p, loc.file, 0, &ok);
    yaml_parser_delete(&p);
    if (ok && (!root || root->kind != Y_MAP)) {
        loc.line = root ? root->loc.line : 1;
        loc.col = root ? root->loc.col : 1;
        dt_error(&loc, "a mapping file is a YAML mapping (version, cpus, "
                 "nodes)");
        ok = false;
    }
    if (!ok) {
        ynode_free(root);
        return NULL;
    }
    return root;
}

/* --- reading the mapping --- */

static YNode *ykey(YNode *m, unsigned i)
{
    return g_ptr_array_index(m->items, 2 * i);
}

static YNode *yval(YNode *m, unsigned i)
{
    return g_ptr_array_index(m->items, 2 * i + 1);
}

static unsigned ylen(YNode *m)
{
    return m->items->len / 2;
}

static bool want(YNode *y, YKind kind, const char *what)
{
    static const char *const names[] = { "a scalar", "a mapping", "a list" };

    if (y->kind != kind) {
        dt_error(&y->loc, "%s must be %s", what, names[kind]);
        return false;
    }
    return true;
}

static bool scalar(YNode *y, const char *what, char **out)
{
    if (!want(y, Y_SCALAR, what)) {
        return false;
    }
    g_free(*out);
    *out = g_strdup(y->text);
    return true;
}

static bool yuint(YNode *y, const char *what, uint64_t *v)
{
    char *end;

    if (!want(y, Y_SCALAR, what)) {
        return false;
    }
    *v = g_ascii_strtoull(y->text, &end, 0);
    if (!*y->text || *end || y->text[0] == '-') {
        dt_error(&y->loc, "%s: '%s' is not a number", what, y->text);
        return false;
    }
    return true;
}

static bool ybool(YNode *y, const char *what, bool *v)
{
    if (!want(y, Y_SCALAR, what)) {
        return false;
    }
    if (!strcmp(y->text, "true") || !strcmp(y->text, "yes") ||
        !strcmp(y->text, "on")) {
        *v = true;
    } else if (!strcmp(y->text, "false") || !strcmp(y->text, "no") ||
               !strcmp(y->text, "off")) {
        *v = false;
    } else {
        dt_error(&y->loc, "%s: '%s' is not a boolean", what, y->text);
        return false;
    }
    return true;
}

/* A scalar or a list of scalars, into @out (char *) */
static bool strings(YNode *y, const char *what, GPtrArray *out)
{
    unsigned i;

    if (y->kind == Y_SCALAR) {
        g_ptr_array_add(out, g_strdup(y->text));
        return true;
    }
    if (!want(y, Y_SEQ, what)) {
        return false;
    }
    for (i = 0; i < y->items->len; i++) {
        YNode *e = g_ptr_array_index(y->items, i);

        if (!want(e, Y_SCALAR, what)) {
            return false;
        }
        g_ptr_array_add(out, g_strdup(e->text));
    }
    return true;
}

static bool props(YNode *y, GPtrArray *out)
{
    unsigned i;

    if (!want(y, Y_MAP, "props")) {
        return false;
    }
    for (i = 0; i < ylen(y); i++) {
        MapProp *mp;

        if (!want(yval(y, i), Y_SCALAR, "a property value")) {
            return false;
        }
        mp = g_new0(MapProp, 1);
        mp->name = g_strdup(ykey(y, i)->text);
        mp->value = g_strdup(yval(y, i)->text);
        mp->loc = yval(y, i)->loc;
        g_ptr_array_add(out, mp);
    }
    return true;
}

static void unknown_key(YNode *k, const char *const *keys)
{
    const char *best = NULL;
    unsigned i;

    for (i = 0; keys[i]; i++) {
        if (g_str_has_prefix(keys[i], k->text) ||
            g_str_has_prefix(k->text, keys[i])) {
            best = keys[i];
        }
    }
    if (best) {
        dt_error(&k->loc, "unknown key '%s' (did you mean '%s'?)", k->text,
                 best);
    } else {
        dt_error(&k->loc, "unknown key '%s'", k->text);
    }
}

static bool part(YNode *y, MapPart *p)
{
    static const char *const keys[] = {
        "type", "offset", "cause", "props", NULL
    };
    unsigned i;
    bool ok = true;

    p->cause = -1;
    p->props = g_ptr_array_new();
    if (!want(y, Y_MAP, "a part")) {
        return false;
    }
    for (i = 0; i < ylen(y); i++) {
        const char *k = ykey(y, i)->text;
        YNode *v = yval(y, i);
        uint64_t n;

        if (!strcmp(k, "type")) {
            ok &= scalar(v, "type", &p->type);
        } else if (!strcmp(k, "offset")) {
            ok &= yuint(v, "offset", &p->offset);
        } else if (!strcmp(k, "cause")) {
            ok &= yuint(v, "cause", &n) && n < 64;
            p->cause = n;
        } else if (!strcmp(k, "props")) {
            ok &= props(v, p->props);
        } else {
            unknown_key(ykey(y, i), keys);
            ok = false;
        }
    }
    if (ok && !p->type) {
        dt_error(&y->loc, "a part needs a type");
        ok = false;
    }
    return ok;
}

static bool role(YNode *y, MapRole *r)
{
    static const char *const names[] = {
        [ROLE_DEVICE] = "device", [ROLE_PLIC] = "plic",
        [ROLE_CLINT] = "clint", [ROLE_HART_INTC] = "hart-intc",
        [ROLE_CLOCK] = "clock", [ROLE_MEMORY] = "memory",
        [ROLE_RAM] = "ram", [ROLE_IGNORE] = "ignore",
    };
    unsigned i;

    if (!want(y, Y_SCALAR, "role")) {
        return false;
    }
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!strcmp(y->text, names[i])) {
            *r = i;
            return true;
        }
    }
    dt_error(&y->loc, "unknown role '%s' (device, plic, clint, hart-intc, "
             "clock, memory, ram, ignore)", y->text);
    return false;
}

static bool windows(YNode *y, GPtrArray *out)
{
    unsigned i;

    if (!want(y, Y_MAP, "memory")) {
        return false;
    }
    for (i = 0; i < ylen(y); i++) {
        MapWindow *w;
        YNode *v = yval(y, i);

        if (!want(v, Y_SCALAR, "a memory kind")) {
            return false;
        }
        if (strcmp(v->text, "ram") && strcmp(v->text, "rom")) {
            dt_error(&v->loc, "memory kind must be ram or rom");
            return false;
        }
        w = g_new0(MapWindow, 1);
        w->reg = g_strdup(ykey(y, i)->text);
        w->kind = g_strdup(v->text);
        g_ptr_array_add(out, w);
    }
    return true;
}

static bool rule_key(MapRule *r, YNode *k, YNode *v)
{
    static const char *const keys[] = {
        "compatible", "node-name", "device-type", "role", "type", "mmio",
        "memory", "irqs", "max-irqs", "serial", "nic", "clock-prop",
        "clock-in", "kind", "boot-rom", "props", "parts", "note", "guest",
        NULL
    };
    const char *key = k->text;
    uint64_t n;
    unsigned i;

    if (!strcmp(key, "compatible")) {
        return strings(v, key, r->compatible);
    } else if (!strcmp(key, "node-name")) {
        return scalar(v, key, &r->node_name);
    } else if (!strcmp(key, "device-type")) {
        return scalar(v, key, &r->device_type);
    } else if (!strcmp(key, "role")) {
        return role(v, &r->role);
    } else if (!strcmp(key, "type")) {
        return scalar(v, key, &r->type);
    } else if (!strcmp(key, "mmio")) {
        return strings(v, key, r->mmio);
    } else if (!strcmp(key, "memory")) {
        return windows(v, r->windows);
    } else if (!strcmp(key, "irqs")) {
        return scalar(v, key, &r->irqs);
    } else if (!strcmp(key, "max-irqs")) {
        if (!yuint(v, key, &n) || n > 1024) {
            return false;
        }
        r->max_irqs = n;
        return true;
    } else if (!strcmp(key, "serial")) {
        return scalar(v, key, &r->serial_prop);
    } else if (!strcmp(key, "nic")) {
        return ybool(v, key, &r->nic);
    } else if (!strcmp(key, "clock-prop")) {
        return scalar(v, key, &r->clock_prop);
    } else if (!strcmp(key, "clock-in")) {
        return scalar(v, key, &r->clock_in);
    } else if (!strcmp(key, "kind")) {
        if (!scalar(v, key, &r->mem_kind)) {
            return false;
        }
        if (strcmp(r->mem_kind, "ram") && strcmp(r->mem_kind, "rom")) {
            dt_error(&v->loc, "kind must be ram or rom");
            return false;
        }
        return true;
    } else if (!strcmp(key, "boot-rom")) {
        return ybool(v, key, &r->boot_rom);
    } else if (!strcmp(key, "props")) {
        return props(v, r->props);
    } else if (!strcmp(key, "parts")) {
        if (!want(v, Y_SEQ, key)) {
            return false;
        }
        for (i = 0; i < v->items->len; i++) {
            MapPart *p = g_new0(MapPart, 1);

            g_ptr_array_add(r->parts, p);
            if (!part(g_ptr_array_index(v->items, i), p)) {
                return false;
            }
        }
        return true;
    } else if (!strcmp(key, "note")) {
        return want(v, Y_SCALAR, key);
    } else if (!strcmp(key, "guest")) {
        /* for guest device trees, read by QEMU (hw/arm/composed-fdt.c) */
        return want(v, Y_MAP, key);
    }
    unknown_key(k, keys);
    return false;
}

static MapRule *rule(YNode *y)
{
    MapRule *r = g_new0(MapRule, 1);
    unsigned i;
    bool ok = true;

    r->loc = y->loc;
    r->compatible = g_ptr_array_new_with_free_func(g_free);
    r->mmio = g_ptr_array_new_with_free_func(g_free);
    r->windows = g_ptr_array_new();
    r->props = g_ptr_array_new();
    r->parts = g_ptr_array_new();
    r->max_irqs = -1;
    if (!want(y, Y_MAP, "a node rule")) {
        return NULL;
    }
    for (i = 0; i < ylen(y); i++) {
        ok &= rule_key(r, ykey(y, i), yval(y, i));
    }
    if (ok && !r->compatible->len && !r->node_name && !r->device_type) {
        dt_error(&y->loc, "a node rule needs compatible, node-name or "
                 "device-type");
        ok = false;
    }
    if (ok && r->role == ROLE_PLIC && !r->type) {
        dt_error(&y->loc, "a node rule of role plic needs a type");
        ok = false;
    }
    if (ok && r->role == ROLE_DEVICE && !r->type && !r->windows->len) {
        dt_error(&y->loc, "a node rule of role device needs a type or "
                 "memory windows");
        ok = false;
    }
    if (ok && r->role == ROLE_CLINT && !r->parts->len) {
        dt_error(&y->loc, "a node rule of role clint needs parts");
        ok = false;
    }
    if (ok && r->role == ROLE_MEMORY && !r->mem_kind) {
        r->mem_kind = g_strdup("ram");
    }
    return ok ? r : NULL;
}

static MapCpu *cpu_rule(YNode *y)
{
    static const char *const keys[] = {
        "compatible", "isa", "mmu-type", "type", "note", NULL
    };
    MapCpu *c = g_new0(MapCpu, 1);
    unsigned i;
    bool ok = true;

    c->loc = y->loc;
    if (!want(y, Y_MAP, "a CPU rule")) {
        return NULL;
    }
    for (i = 0; i < ylen(y); i++) {
        const char *k = ykey(y, i)->text;
        YNode *v = yval(y, i);

        if (!strcmp(k, "compatible")) {
            ok &= scalar(v, k, &c->compatible);
        } else if (!strcmp(k, "isa")) {
            ok &= scalar(v, k, &c->isa);
        } else if (!strcmp(k, "mmu-type")) {
            ok &= scalar(v, k, &c->mmu);
        } else if (!strcmp(k, "type")) {
            ok &= scalar(v, k, &c->type);
        } else if (!strcmp(k, "note")) {
            ok &= want(v, Y_SCALAR, k);
        } else {
            unknown_key(ykey(y, i), keys);
            ok = false;
        }
    }
    if (ok && !c->type) {
        dt_error(&y->loc, "a CPU rule needs a type");
        ok = false;
    }
    return ok ? c : NULL;
}

Map *map_new(void)
{
    Map *m = g_new0(Map, 1);

    m->cpus = g_ptr_array_new();
    m->rules = g_ptr_array_new();
    return m;
}

bool map_load(Map *m, const char *file, bool append)
{
    YNode *root = yload(file);
    g_autoptr(GPtrArray) cpus = g_ptr_array_new();
    g_autoptr(GPtrArray) rules = g_ptr_array_new();
    bool ok = root != NULL;
    unsigned i, j;

    for (i = 0; ok && i < ylen(root); i++) {
        const char *k = ykey(root, i)->text;
        YNode *v = yval(root, i);

        if (!strcmp(k, "version")) {
            if (v->kind != Y_SCALAR || strcmp(v->text, "1")) {
                dt_error(&v->loc, "unsupported mapping file version");
                ok = false;
            }
        } else if (!strcmp(k, "cpus") || !strcmp(k, "nodes")) {
            bool is_cpu = !strcmp(k, "cpus");

            if (!want(v, Y_SEQ, k)) {
                ok = false;
                continue;
            }
            for (j = 0; j < v->items->len; j++) {
                YNode *e = g_ptr_array_index(v->items, j);
                void *r = is_cpu ? (void *)cpu_rule(e) : (void *)rule(e);

                if (!r) {
                    ok = false;
                    continue;
                }
                g_ptr_array_add(is_cpu ? cpus : rules, r);
            }
        } else {
            static const char *const keys[] = {
                "version", "cpus", "nodes", NULL
            };

            unknown_key(ykey(root, i), keys);
            ok = false;
        }
    }
    ynode_free(root);
    if (!ok) {
        return false;
    }
    /* user files come first: their rules win */
    for (i = 0; i < cpus->len; i++) {
        g_ptr_array_insert(m->cpus, append ? -1 : (int)i,
                           g_ptr_array_index(cpus, i));
    }
    for (i = 0; i < rules->len; i++) {
        g_ptr_array_insert(m->rules, append ? -1 : (int)i,
                           g_ptr_array_index(rules, i));
    }
    return true;
}

/*
 * The shipped mapping: machines/devicetree-map.yaml next to the binary,
 * in the build tree's machines/, or in QEMU's data directory.
 */
char *map_default_file(const char *argv0)
{
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = g_path_get_dirname(self ? self : argv0);
    const char *env = g_getenv("QEMU_COMPOSE_IMPORT_MAP");
    const char *tries[] = { "machines", "../machines", "../../machines",
                            "../share/qemu/machines" };
    unsigned i;

    if (env) {
        return g_strdup(env);
    }
    for (i = 0; i < G_N_ELEMENTS(tries); i++) {
        char *f = g_build_filename(dir, tries[i], "devicetree-map.yaml",
                                   NULL);

        if (g_file_test(f, G_FILE_TEST_EXISTS)) {
            return f;
        }
        g_free(f);
    }
#ifdef COMPOSE_IMPORT_DATADIR
    return g_build_filename(COMPOSE_IMPORT_DATADIR, "machines",
                            "devicetree-map.yaml", NULL);
#else
    return g_strdup("machines/devicetree-map.yaml");
#endif
}

/* --- matching --- */

static const char *node_base(const DtNode *n, char *buf, size_t len)
{
    const char *at = strchr(n->name, '@');
    size_t k = at ? (size_t)(at - n->name) : strlen(n->name);

    g_strlcpy(buf, n->name, MIN(len, k + 1));
    return buf;
}

/*
 * The first rule for the node's most specific compatible string; nodes
 * without a compatible match by device_type or node name.
 */
const MapRule *map_find(const Map *m, const DtNode *n, const char **why)
{
    DtProp *compat = dt_prop(n, "compatible");
    const char *dtype = dt_str(n, "device_type");
    const char *c;
    char base[128];
    unsigned i, j, k;

    for (k = 0; (c = dt_str_at(compat, k)); k++) {
        for (i = 0; i < m->rules->len; i++) {
            const MapRule *r = g_ptr_array_index(m->rules, i);

            for (j = 0; j < r->compatible->len; j++) {
                if (!strcmp(c, g_ptr_array_index(r->compatible, j))) {
                    *why = c;
                    return r;
                }
            }
        }
    }
    node_base(n, base, sizeof(base));
    for (i = 0; i < m->rules->len; i++) {
        const MapRule *r = g_ptr_array_index(m->rules, i);

        if (r->compatible->len) {
            continue;
        }
        if (r->device_type && dtype && !strcmp(r->device_type, dtype)) {
            *why = r->device_type;
            return r;
        }
        if (r->node_name && !compat && !strcmp(r->node_name, base)) {
            *why = r->node_name;
            return r;
        }
    }
    return NULL;
}

const MapCpu *map_find_cpu(const Map *m, const DtNode *cpu)
{
    DtProp *compat = dt_prop(cpu, "compatible");
    const char *isa = dt_str(cpu, "riscv,isa");
    const char *mmu = dt_str(cpu, "mmu-type");
    /* "rv64imafdc_zicsr_zifencei" also matches as "rv64imafdc" */
    g_autofree char *base = isa ? g_strndup(isa, strcspn(isa, "_")) : NULL;
    unsigned i;

    for (i = 0; i < m->cpus->len; i++) {
        const MapCpu *c = g_ptr_array_index(m->cpus, i);

        if (c->compatible && !dt_str_in_list(compat, c->compatible)) {
            continue;
        }
        if (c->isa && (!isa || (!g_pattern_match_simple(c->isa, isa) &&
                                !g_pattern_match_simple(c->isa, base)))) {
            continue;
        }
        if (c->mmu && (!mmu || !g_pattern_match_simple(c->mmu, mmu))) {
            continue;
        }
        return c;
    }
    return NULL;
}
