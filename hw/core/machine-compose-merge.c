/*
 * Composed machine: includes, overrides, parameters and conditions
 *
 * The second stage of loading a board description: it takes the trees
 * the reader produced and returns the one effective description that the
 * checker visits.  Includes are merged first, in order, then the
 * including file on top of them; entries of the named lists (params,
 * clocks, cpus, memory, devices) with the same name are merged key by
 * key instead of appended, and "drop: true" removes one.  Parameters get
 * their values (command line, else default), entries whose condition is
 * false are removed, and "$NAME" scalars are replaced by values.
 *
 * Nothing here depends on QOM, so unit tests link it with the reader.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/util.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose.h"

/* The lists whose entries are merged by name, with the default name */
static const struct {
    const char *key;
    const char *default_name;
} named_lists[] = {
    { "params", NULL },
    { "clocks", NULL },
    { "cpus", "cpu" },
    { "memory", NULL },
    { "devices", NULL },
};

typedef struct LoadCtx {
    ComposeDoc *doc;
    const char *const *search;
    GPtrArray *stack;           /* canonical paths being included */
    GHashTable *declared;       /* parameter names declared */
} LoadCtx;

/* --- suggestions --- */

/*
 * Edit distance counting a swap of two neighbouring letters as one edit
 * (optimal string alignment), so that "adress" and "flga" find their word.
 */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    g_autofree size_t *d = g_new(size_t, (la + 1) * (lb + 1));
    size_t i, j;

#define D(i, j) d[(i) * (lb + 1) + (j)]
    for (i = 0; i <= la; i++) {
        D(i, 0) = i;
    }
    for (j = 0; j <= lb; j++) {
        D(0, j) = j;
    }
    for (i = 1; i <= la; i++) {
        for (j = 1; j <= lb; j++) {
            size_t best = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);

            best = MIN(best, D(i - 1, j) + 1);
            best = MIN(best, D(i, j - 1) + 1);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1]) {
                best = MIN(best, D(i - 2, j - 2) + 1);
            }
            D(i, j) = best;
        }
    }
    return D(la, lb);
#undef D
}

const char *compose_suggest(const char *word, const char *const *candidates,
                            size_t n)
{
    size_t len = strlen(word);
    size_t limit = MAX(1, MIN(3, len / 3));
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t i;

    if (len > 256) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        size_t d;

        if (!candidates[i] || strlen(candidates[i]) > 256) {
            continue;
        }
        d = edit_distance(word, candidates[i]);
        /* ties: the first in alphabetical order, for stable messages */
        if (d < best_d || (d == best_d && strcmp(candidates[i], best) < 0)) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

char *compose_did_you_mean(const char *word, const char *const *candidates,
                           size_t n)
{
    const char *s = compose_suggest(word, candidates, n);

    return s ? g_strdup_printf(" (did you mean '%s'?)", s) : g_strdup("");
}

/* --- helpers --- */

static const ComposeLoc *loc_of(LoadCtx *c, QObject *obj)
{
    return compose_doc_loc(c->doc, obj);
}

static const char *default_name_of(const char *list_key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(named_lists); i++) {
        if (!strcmp(named_lists[i].key, list_key)) {
            return named_lists[i].default_name;
        }
    }
    return NULL;
}

static bool is_named_list(const char *key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(named_lists); i++) {
        if (!strcmp(named_lists[i].key, key)) {
            return true;
        }
    }
    return false;
}

/* The name of a named-list entry, or NULL if it has none (checked later) */
static const char *entry_name(QObject *entry, const char *list_key)
{
    QDict *d = qobject_to(QDict, entry);
    QString *s;

    if (!d) {
        return NULL;
    }
    if (!qdict_haskey(d, "name")) {
        return default_name_of(list_key);
    }
    s = qobject_to(QString, qdict_get(d, "name"));
    return s ? qstring_get_str(s) : NULL;
}

static bool entry_drops(QObject *entry)
{
    QDict *d = qobject_to(QDict, entry);
    QString *s;
    bool v;

    if (!d || !qdict_haskey(d, "drop")) {
        return false;
    }
    s = qobject_to(QString, qdict_get(d, "drop"));
    return s && qapi_bool_parse("drop", qstring_get_str(s), &v, NULL) && v;
}

static void merge_dict(LoadCtx *c, QDict *dst, QDict *src, bool top);

/*
 * A conditional override (an entry with "if" that names an entry declared
 * before) is kept aside in the entry it overrides under this key, and
 * merged into it once conditions are evaluated.
 */
#define OVERRIDES_KEY "\001overrides"

static bool entry_has_condition(QObject *entry)
{
    QDict *d = qobject_to(QDict, entry);

    return d && qdict_haskey(d, "if");
}

static void add_override(QObject *target, QObject *override)
{
    QDict *d = qobject_to(QDict, target);
    QList *l = qobject_to(QList, qdict_get(d, OVERRIDES_KEY));

    if (!l) {
        l = qlist_new();
        qdict_put(d, OVERRIDES_KEY, l);
    }
    qlist_append_obj(l, qobject_ref(override));
}

/*
 * In one file, an entry with "if" repeating the name of an earlier entry
 * of the same list is a conditional override of that entry.
 */
static void fold_overrides(QDict *board)
{
    const QDictEntry *de;

    for (de = qdict_first(board); de; de = qdict_next(board, de)) {
        QList *list = qobject_to(QList, de->value);
        g_autoptr(GHashTable) seen = NULL;
        QListEntry *e, *next;

        if (!list || !is_named_list(de->key)) {
            continue;
        }
        seen = g_hash_table_new(g_str_hash, g_str_equal);
        QTAILQ_FOREACH_SAFE(e, &list->head, next, next) {
            const char *name = entry_name(e->value, de->key);
            QListEntry *first = name ? g_hash_table_lookup(seen, name) : NULL;

            if (first && entry_has_condition(e->value) &&
                qobject_type(first->value) == QTYPE_QDICT) {
                add_override(first->value, e->value);
                QTAILQ_REMOVE(&list->head, e, next);
                qobject_unref(e->value);
                g_free(e);
            } else if (name && !first) {
                g_hash_table_insert(seen, (gpointer)name, e);
            }
        }
    }
}

/* Merge the named list @src into @dst (both owned by the caller) */
static void merge_named_list(LoadCtx *c, const char *key, QList *dst,
                             QList *src)
{
    /* name -> entry of @dst: the lists may have many thousand entries */
    g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash,
                                                        g_str_equal, g_free,
                                                        NULL);
    QListEntry *e;

    QTAILQ_FOREACH(e, &dst->head, next) {
        const char *name = entry_name(e->value, key);

        if (name && !g_hash_table_contains(index, name)) {
            g_hash_table_insert(index, g_strdup(name), e);
        }
    }
    QTAILQ_FOREACH(e, &src->head, next) {
        const char *name = entry_name(e->value, key);
        QListEntry *old = name ? g_hash_table_lookup(index, name) : NULL;

        if (!old) {
            if (entry_drops(e->value)) {
                compose_doc_error(c->doc, loc_of(c, e->value),
                                  "%s: nothing named '%s' to drop", key,
                                  name ? name : "");
                continue;
            }
            qlist_append_obj(dst, qobject_ref(e->value));
            if (name) {
                g_hash_table_insert(index, g_strdup(name),
                                    QTAILQ_LAST(&dst->head));
            }
            continue;
        }
        if (entry_has_condition(e->value) &&
            qobject_type(old->value) == QTYPE_QDICT) {
            add_override(old->value, e->value);
            continue;
        }
        if (entry_drops(e->value)) {
            g_hash_table_remove(index, name);
            QTAILQ_REMOVE(&dst->head, old, next);
            qobject_unref(old->value);
            g_free(old);
            continue;
        }
        if (qobject_type(old->value) == QTYPE_QDICT &&
            qobject_type(e->value) == QTYPE_QDICT) {
            merge_dict(c, qobject_to(QDict, old->value),
                       qobject_to(QDict, e->value), false);
        } else {
            qobject_unref(old->value);
            old->value = qobject_ref(e->value);
        }
    }
}

/*
 * Merge @src into @dst: mappings merge key by key, named lists (at the
 * top level) by entry name, everything else is replaced.
 */
static void merge_dict(LoadCtx *c, QDict *dst, QDict *src, bool top)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, src);
    size_t i;

    for (i = 0; keys[i]; i++) {
        const struct {
            const char *key;
            QObject *value;
        } ent = { keys[i], qdict_get(src, keys[i]) }, *e = &ent;
        QObject *old = qdict_get(dst, e->key);
        const ComposeLoc *kloc = compose_doc_key_loc(c->doc, src, e->key);

        if (old && top && is_named_list(e->key) &&
            qobject_type(old) == QTYPE_QLIST &&
            qobject_type(e->value) == QTYPE_QLIST) {
            merge_named_list(c, e->key, qobject_to(QList, old),
                             qobject_to(QList, e->value));
            continue;
        }
        if (old && g_str_equal(e->key, OVERRIDES_KEY)) {
            QListEntry *le;

            QTAILQ_FOREACH(le, &qobject_to(QList, e->value)->head, next) {
                add_override(QOBJECT(dst), le->value);
            }
            continue;
        }
        if (old && qobject_type(old) == QTYPE_QDICT &&
            qobject_type(e->value) == QTYPE_QDICT) {
            merge_dict(c, qobject_to(QDict, old),
                       qobject_to(QDict, e->value), false);
            continue;
        }
        qdict_put_obj(dst, e->key, qobject_ref(e->value));
        if (kloc) {
            compose_doc_set_key_loc(c->doc, dst, e->key, kloc);
        }
    }
}

/* A fresh copy of @src's container structure (scalars shared) */
static QObject *copy_tree(LoadCtx *c, QObject *src)
{
    QObject *copy;

    switch (qobject_type(src)) {
    case QTYPE_QDICT: {
        QDict *s = qobject_to(QDict, src);
        QDict *d = qdict_new();
        /* in the order written, which the locations of @d then keep */
        g_autofree const char **keys = compose_doc_keys(c->doc, s);
        size_t i;

        for (i = 0; keys[i]; i++) {
            const ComposeLoc *kloc = compose_doc_key_loc(c->doc, s, keys[i]);

            qdict_put_obj(d, keys[i], copy_tree(c, qdict_get(s, keys[i])));
            if (kloc) {
                compose_doc_set_key_loc(c->doc, d, keys[i], kloc);
            }
        }
        copy = QOBJECT(d);
        break;
    }
    case QTYPE_QLIST: {
        QList *l = qlist_new();
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, src)->head, next) {
            qlist_append_obj(l, copy_tree(c, e->value));
        }
        copy = QOBJECT(l);
        break;
    }
    default:
        return qobject_ref(src);
    }
    if (loc_of(c, src)) {
        compose_doc_set_loc(c->doc, copy, loc_of(c, src));
    }
    return copy;
}

/* --- includes --- */

static char *find_include(LoadCtx *c, const char *base_dir, const char *name,
                          GString *tried)
{
    size_t i;
    char *p;

    if (g_path_is_absolute(name)) {
        return g_file_test(name, G_FILE_TEST_EXISTS) ? g_strdup(name) : NULL;
    }
    p = g_build_filename(base_dir, name, NULL);
    if (g_file_test(p, G_FILE_TEST_EXISTS)) {
        return p;
    }
    g_string_append(tried, base_dir);
    g_free(p);
    for (i = 0; c->search && c->search[i]; i++) {
        p = g_build_filename(c->search[i], name, NULL);
        if (g_file_test(p, G_FILE_TEST_EXISTS)) {
            return p;
        }
        g_string_append_printf(tried, ", %s", c->search[i]);
        g_free(p);
    }
    return NULL;
}

static QDict *load_tree(LoadCtx *c, QObject *root, const char *path,
                        bool in_place);

static QDict *load_file(LoadCtx *c, const char *path, const ComposeLoc *from)
{
    g_autofree char *canon = g_canonicalize_filename(path, NULL);
    QObject *root;
    size_t i;
    QDict *ret;

    for (i = 0; i < c->stack->len; i++) {
        if (!strcmp(g_ptr_array_index(c->stack, i), canon)) {
            g_autoptr(GString) chain = g_string_new(NULL);

            for (; i < c->stack->len; i++) {
                g_string_append_printf(chain, "%s -> ",
                                       (char *)g_ptr_array_index(c->stack,
                                                                 i));
            }
            compose_doc_error(c->doc, from, "include cycle: %s%s",
                              chain->str, canon);
            return NULL;
        }
    }
    if (c->stack->len >= COMPOSE_MAX_INCLUDE_DEPTH) {
        compose_doc_error(c->doc, from,
                          "includes nested deeper than %d levels",
                          COMPOSE_MAX_INCLUDE_DEPTH);
        return NULL;
    }

    root = compose_doc_read_file(c->doc, path, from);
    if (!root) {
        return NULL;
    }
    g_ptr_array_add(c->stack, g_steal_pointer(&canon));
    /*
     * The file named on the command line is read once: its tree can be
     * merged into in place.  Included files are copied, as one may be
     * included twice.
     */
    ret = load_tree(c, root, path, c->stack->len == 1);
    qobject_unref(root);
    g_ptr_array_remove_index(c->stack, c->stack->len - 1);
    return ret;
}

/*
 * The merged tree of one description: its includes merged in order,
 * then its own content on top.  Returns a new tree (the reader's nodes
 * are not modified: an included file may be included twice).
 */
static QDict *load_tree(LoadCtx *c, QObject *root, const char *path,
                        bool in_place)
{
    QDict *top = qobject_to(QDict, root);
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(QDict) base = NULL;
    g_autoptr(QDict) own = NULL;
    QObject *inc;
    bool ok = true;

    if (!top) {
        compose_doc_error(c->doc, loc_of(c, root),
                          "a board description must be a mapping");
        return NULL;
    }

    own = in_place ? qobject_ref(top)
                   : qobject_to(QDict, copy_tree(c, root));
    fold_overrides(own);
    inc = qdict_get(own, "include");
    if (inc) {
        QList *list = qobject_to(QList, inc);
        QListEntry *e;

        if (!list) {
            compose_doc_error(c->doc, loc_of(c, inc),
                              "'include' must be a list of file names");
            return NULL;
        }
        QTAILQ_FOREACH(e, &list->head, next) {
            QString *name = qobject_to(QString, e->value);
            g_autoptr(GString) tried = g_string_new(NULL);
            g_autofree char *file = NULL;
            g_autoptr(QDict) sub = NULL;

            if (!name) {
                compose_doc_error(c->doc, loc_of(c, e->value),
                                  "'include' must be a list of file names");
                ok = false;
                continue;
            }
            file = find_include(c, dir, qstring_get_str(name), tried);
            if (!file) {
                compose_doc_error(c->doc, loc_of(c, e->value),
                                  "include '%s': not found (looked in %s)",
                                  qstring_get_str(name), tried->str);
                ok = false;
                continue;
            }
            sub = load_file(c, file, loc_of(c, e->value));
            if (!sub) {
                ok = false;
                continue;
            }
            if (!base) {
                base = g_steal_pointer(&sub);
            } else {
                merge_dict(c, base, sub, true);
            }
        }
        qdict_del(own, "include");
    }
    if (!ok) {
        return NULL;
    }
    if (!base) {
        return g_steal_pointer(&own);
    }
    merge_dict(c, base, own, true);
    return g_steal_pointer(&base);
}

/* --- parameters --- */

static bool param_name_valid(const char *name)
{
    const char *p;

    if (!*name || !g_ascii_isalpha(*name)) {
        return false;
    }
    for (p = name; *p; p++) {
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') {
            return false;
        }
    }
    return true;
}

/* Check @value against a parameter type name; NULL if fine, else why */
static const char *param_value_error(const char *type, const char *value)
{
    int64_t i;
    uint64_t u;
    bool b;

    if (!strcmp(type, "int")) {
        return qemu_strtoi64(value, NULL, 0, &i) ? "an integer" : NULL;
    } else if (!strcmp(type, "size")) {
        return qemu_strtosz(value, NULL, &u) ? "a size" : NULL;
    } else if (!strcmp(type, "bool")) {
        return qapi_bool_parse("", value, &b, NULL) ? NULL : "a boolean";
    }
    return NULL;
}

/*
 * A parameter with "values" only takes the values listed there; $NAME
 * stands for the text each one maps to.
 */
static const char *param_choice(LoadCtx *c, QDict *p, const char *n,
                                const char *v, const ComposeLoc *vloc)
{
    QObject *vo = qdict_get(p, "values");
    QDict *map = qobject_to(QDict, vo);
    QString *to;

    if (!map) {
        compose_doc_error(c->doc, loc_of(c, vo), "parameter '%s': 'values' "
                          "must be a mapping from values to what they "
                          "stand for", n);
        return NULL;
    }
    if (!qdict_haskey(map, v)) {
        g_autofree const char **keys = compose_doc_keys(c->doc, map);
        g_autofree char *list = g_strjoinv(", ", (char **)keys);

        if (vloc) {
            compose_doc_error(c->doc, vloc, "parameter '%s': '%s' is not "
                              "one of %s", n, v, list);
        } else {
            compose_doc_error(c->doc, NULL, "-M composed,param.%s=%s: not "
                              "one of %s", n, v, list);
        }
        return NULL;
    }
    to = qobject_to(QString, qdict_get(map, v));
    if (!to) {
        compose_doc_error(c->doc, loc_of(c, qdict_get(map, v)),
                          "parameter '%s': the value of '%s' must be a "
                          "scalar", n, v);
        return NULL;
    }
    return qstring_get_str(to);
}

static const char *const param_types[] = { "str", "int", "bool", "size", NULL };

/*
 * Values of the declared parameters: name -> QString.  The command line
 * wins over defaults.  Reports unknown, missing and ill-typed values.
 */
static QDict *resolve_params(LoadCtx *c, QDict *board, const QDict *cmdline)
{
    g_autoptr(QDict) values = qdict_new();
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    QList *list = qobject_to(QList, qdict_get(board, "params"));
    QListEntry *e;
    const QDictEntry *ce;

    if (qdict_haskey(board, "params") && !list) {
        compose_doc_error(c->doc, loc_of(c, qdict_get(board, "params")),
                          "'params' must be a list");
        return NULL;
    }
    if (!list) {
        list = qlist_new();
        qdict_put(board, "params", list);
    }
    QTAILQ_FOREACH(e, &list->head, next) {
        QDict *p = qobject_to(QDict, e->value);
        QString *name = p ? qobject_to(QString, qdict_get(p, "name")) : NULL;
        QString *type = p ? qobject_to(QString, qdict_get(p, "type")) : NULL;
        QObject *def = p ? qdict_get(p, "default") : NULL;
        const char *n, *t, *v = NULL, *why;
        const ComposeLoc *vloc;
        QObject *cv;

        if (!name || !type) {
            /* reported by the checker's schema visit */
            continue;
        }
        n = qstring_get_str(name);
        t = qstring_get_str(type);
        if (!param_name_valid(n)) {
            compose_doc_error(c->doc, loc_of(c, QOBJECT(name)),
                              "invalid parameter name '%s' (letters, "
                              "digits, '-' and '_', starting with a letter)",
                              n);
            continue;
        }
        if (!g_strv_contains(param_types, t)) {
            /* reported by the checker's schema visit */
            continue;
        }
        g_ptr_array_add(names, (gpointer)n);
        g_hash_table_add(c->declared, g_strdup(n));
        cv = cmdline ? qdict_get(cmdline, n) : NULL;
        vloc = NULL;
        if (cv) {
            QString *s = qobject_to(QString, cv);

            if (!s) {
                compose_doc_error(c->doc, NULL,
                                  "-M composed,param.%s: expects a value",
                                  n);
                continue;
            }
            v = qstring_get_str(s);
        } else if (def) {
            QString *s = qobject_to(QString, def);

            if (!s) {
                compose_doc_error(c->doc, loc_of(c, def),
                                  "parameter '%s': the default must be a "
                                  "scalar", n);
                continue;
            }
            v = qstring_get_str(s);
            vloc = loc_of(c, def);
        } else {
            compose_doc_error(c->doc, loc_of(c, e->value),
                              "parameter '%s' has no default: set it with "
                              "-M composed,param.%s=VALUE", n, n);
            continue;
        }
        why = param_value_error(t, v);
        if (why) {
            if (vloc) {
                compose_doc_error(c->doc, vloc,
                                  "parameter '%s': '%s' is not %s", n, v,
                                  why);
            } else {
                compose_doc_error(c->doc, NULL,
                                  "-M composed,param.%s=%s: not %s", n, v,
                                  why);
            }
            continue;
        }
        if (qdict_haskey(values, n)) {
            compose_doc_error(c->doc, loc_of(c, QOBJECT(name)),
                              "parameter '%s' declared twice", n);
            continue;
        }
        if (qdict_haskey(p, "values")) {
            v = param_choice(c, p, n, v, vloc);
            if (!v) {
                continue;
            }
        }
        qdict_put_str(values, n, v);
    }
    for (ce = cmdline ? qdict_first(cmdline) : NULL; ce;
         ce = qdict_next(cmdline, ce)) {
        if (!qdict_haskey(values, ce->key) &&
            !g_ptr_array_find_with_equal_func(names, ce->key, g_str_equal,
                                              NULL)) {
            g_autofree char *hint =
                compose_did_you_mean(ce->key,
                                     (const char *const *)names->pdata,
                                     names->len);

            compose_doc_error(c->doc, NULL,
                              "-M composed,param.%s: the description has "
                              "no parameter '%s'%s", ce->key, ce->key,
                              hint);
        }
    }
    return g_steal_pointer(&values);
}

static const char *lookup_param(LoadCtx *c, QDict *values, const char *name,
                                const ComposeLoc *loc)
{
    const char *v = qdict_get_try_str(values, name);

    if (!v && c->declared &&
        g_hash_table_contains(c->declared, name)) {
        /* declared, but its value was wrong or missing: reported */
        return NULL;
    }
    if (!v) {
        g_autoptr(GPtrArray) names = g_ptr_array_new();
        g_autofree char *hint = NULL;
        const QDictEntry *e;

        for (e = qdict_first(values); e; e = qdict_next(values, e)) {
            g_ptr_array_add(names, (gpointer)e->key);
        }
        hint = compose_did_you_mean(name, (const char *const *)names->pdata,
                                    names->len);
        compose_doc_error(c->doc, loc, "unknown parameter '$%s'%s", name,
                          hint);
    }
    return v;
}

/* --- conditions --- */

static bool parse_bool_word(const char *s, bool *v)
{
    return qapi_bool_parse("", s, v, NULL);
}

/* Resolve one operand: "$NAME" -> value, else the literal text */
static const char *cond_operand(LoadCtx *c, QDict *values, const char *s,
                                const ComposeLoc *loc)
{
    if (s[0] == '$' && s[1] != '$') {
        return lookup_param(c, values, s + 1, loc);
    }
    if (g_str_equal(s, "''") || g_str_equal(s, "\"\"")) {
        return "";
    }
    return s[0] == '$' ? s + 1 : s;
}

/*
 * Evaluate a condition:
 *   [!]kernel | [!]defaults | [!]drive:IF:INDEX | [!]$PARAM (a bool)
 *   | OPERAND == OPERAND | OPERAND != OPERAND
 * Returns -1 after reporting an error.
 */
static int eval_condition(LoadCtx *c, QDict *values, const ComposeFacts *f,
                          const char *text, const ComposeLoc *loc)
{
    g_autofree char *s = g_strstrip(g_strdup(text));
    const char *op = NULL;
    char *eq;
    bool neg = false, v;
    const char *val;

    eq = strstr(s, "==");
    if (eq) {
        op = "==";
    } else {
        eq = strstr(s, "!=");
        op = eq ? "!=" : NULL;
    }
    if (op) {
        g_autofree char *lhs = g_strstrip(g_strndup(s, eq - s));
        g_autofree char *rhs = g_strstrip(g_strdup(eq + 2));
        const char *a = cond_operand(c, values, lhs, loc);
        const char *b = cond_operand(c, values, rhs, loc);

        if (!a || !b) {
            return -1;
        }
        if (!*lhs || !*rhs) {
            compose_doc_error(c->doc, loc, "invalid condition '%s'", text);
            return -1;
        }
        return !strcmp(a, b) == !strcmp(op, "==");
    }

    if (s[0] == '!') {
        neg = true;
        g_strchug(s + 1);
        memmove(s, s + 1, strlen(s));
    }
    if (!strcmp(s, "kernel")) {
        v = f && f->kernel;
    } else if (!strcmp(s, "defaults")) {
        v = !f || f->defaults;
    } else if (g_str_has_prefix(s, "drive:")) {
        g_auto(GStrv) parts = g_strsplit(s, ":", 0);
        int64_t idx;

        if (g_strv_length(parts) != 3 || !*parts[1] ||
            qemu_strtoi64(parts[2], NULL, 0, &idx) || idx < 0 ||
            idx > INT_MAX) {
            compose_doc_error(c->doc, loc,
                              "invalid condition '%s' (drive:IF:INDEX, "
                              "e.g. drive:mtd:0)", text);
            return -1;
        }
        v = f && f->drive_present && f->drive_present(parts[1], idx);
    } else if (s[0] == '$') {
        val = cond_operand(c, values, s, loc);
        if (!val) {
            return -1;
        }
        if (!parse_bool_word(val, &v)) {
            compose_doc_error(c->doc, loc,
                              "condition '%s': parameter value '%s' is not "
                              "a boolean (compare it with == or !=)",
                              text, val);
            return -1;
        }
    } else {
        compose_doc_error(c->doc, loc,
                          "invalid condition '%s' (expected kernel, "
                          "defaults, drive:IF:INDEX, $PARAM or a "
                          "comparison)", text);
        return -1;
    }
    return v != neg;
}

/* CONDITION [&& CONDITION]... [|| ...]: "&&" binds tighter */
static int eval_expression(LoadCtx *c, QDict *values, const ComposeFacts *f,
                           const char *text, const ComposeLoc *loc)
{
    g_auto(GStrv) alts = g_strsplit(text, "||", 0);
    int result = 0;
    size_t i, j;

    for (i = 0; alts[i]; i++) {
        g_auto(GStrv) terms = g_strsplit(alts[i], "&&", 0);
        int all = 1;

        if (!*g_strstrip(alts[i])) {
            compose_doc_error(c->doc, loc, "invalid condition '%s'", text);
            return -1;
        }
        for (j = 0; terms[j]; j++) {
            int r;

            if (!*g_strstrip(terms[j])) {
                compose_doc_error(c->doc, loc, "invalid condition '%s'",
                                  text);
                return -1;
            }
            r = eval_condition(c, values, f, terms[j], loc);
            if (r < 0) {
                return -1;
            }
            all &= r;
        }
        result |= all;
    }
    return result;
}

static int eval_if(LoadCtx *c, QDict *values, const ComposeFacts *f,
                   QObject *cond)
{
    QString *s = qobject_to(QString, cond);

    if (!s) {
        compose_doc_error(c->doc, loc_of(c, cond),
                          "a condition must be a string");
        return -1;
    }
    return eval_expression(c, values, f, qstring_get_str(s), loc_of(c, cond));
}

/* Merge the conditional overrides of @d whose condition holds */
static void apply_overrides(LoadCtx *c, QDict *d, QDict *values,
                            const ComposeFacts *f)
{
    QList *l = qobject_to(QList, qdict_get(d, OVERRIDES_KEY));
    QListEntry *e;

    if (!l) {
        return;
    }
    qobject_ref(l);
    qdict_del(d, OVERRIDES_KEY);
    QTAILQ_FOREACH(e, &l->head, next) {
        QDict *o = qobject_to(QDict, e->value);

        if (eval_if(c, values, f, qdict_get(o, "if")) > 0) {
            qdict_del(o, "if");
            merge_dict(c, d, o, false);
        }
    }
    qobject_unref(l);
}

/*
 * Resolve what depends on parameters and facts, in one walk: list entries
 * whose "if" is false are removed, the conditional overrides that hold
 * are merged, and "$NAME" scalars are replaced by parameter values ("$$"
 * is a literal "$").
 */
static void resolve(LoadCtx *c, QObject **slot, QDict *values,
                    const ComposeFacts *f)
{
    QObject *obj = *slot;

    switch (qobject_type(obj)) {
    case QTYPE_QDICT: {
        QDict *d = qobject_to(QDict, obj);
        const QDictEntry *e;

        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            if (strcmp(e->key, "params") && strcmp(e->key, "if")) {
                resolve(c, (QObject **)&e->value, values, f);
            }
        }
        break;
    }
    case QTYPE_QLIST: {
        QList *l = qobject_to(QList, obj);
        QListEntry *e, *next;

        QTAILQ_FOREACH_SAFE(e, &l->head, next, next) {
            QDict *d = qobject_to(QDict, e->value);
            QObject *cond = d ? qdict_get(d, "if") : NULL;
            int r = 1;

            if (cond) {
                r = eval_if(c, values, f, cond);
            }
            if (r == 0) {
                QTAILQ_REMOVE(&l->head, e, next);
                qobject_unref(e->value);
                g_free(e);
                continue;
            }
            if (r > 0 && cond) {
                qdict_del(d, "if");
            }
            if (r > 0 && d) {
                apply_overrides(c, d, values, f);
            }
            resolve(c, &e->value, values, f);
        }
        break;
    }
    case QTYPE_QSTRING: {
        const char *s = qstring_get_str(qobject_to(QString, obj));
        const ComposeLoc *loc;
        const char *v;
        QObject *n;

        if (s[0] != '$') {
            break;
        }
        loc = loc_of(c, obj);
        if (s[1] == '$') {
            v = s + 1;
        } else {
            v = lookup_param(c, values, s + 1, loc);
            if (!v) {
                break;
            }
        }
        n = QOBJECT(qstring_from_str(v));
        if (loc) {
            compose_doc_set_loc(c->doc, n, loc);
        }
        qobject_unref(obj);
        *slot = n;
        break;
    }
    default:
        break;
    }
}

static QDict *finish(LoadCtx *c, QDict *board, const QDict *params,
                     const ComposeFacts *facts, unsigned errors)
{
    g_autoptr(QDict) b = board;
    g_autoptr(QDict) values = NULL;
    QObject *root;

    values = resolve_params(c, b, params);
    if (!values) {
        return NULL;
    }
    root = QOBJECT(b);
    resolve(c, &root, values, facts);
    if (compose_doc_error_count(c->doc) != errors) {
        return NULL;
    }
    return g_steal_pointer(&b);
}

static void load_ctx_init(LoadCtx *c, ComposeDoc *doc,
                          const char *const *search)
{
    c->doc = doc;
    c->search = search;
    c->stack = g_ptr_array_new_with_free_func(g_free);
    c->declared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        NULL);
}

static void load_ctx_destroy(LoadCtx *c)
{
    g_ptr_array_free(c->stack, true);
    g_hash_table_destroy(c->declared);
}

QDict *compose_load_root(ComposeDoc *doc, QObject *root, const char *name,
                         const QDict *params, const ComposeFacts *facts,
                         const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    LoadCtx c;
    QDict *board;

    load_ctx_init(&c, doc, search);
    g_ptr_array_add(c.stack, g_canonicalize_filename(name, NULL));
    board = load_tree(&c, root, name, false);
    board = board ? finish(&c, board, params, facts, errors) : NULL;
    load_ctx_destroy(&c);
    return board;
}

QDict *compose_load(ComposeDoc *doc, const char *path, const QDict *params,
                    const ComposeFacts *facts, const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    LoadCtx c;
    QDict *board;

    load_ctx_init(&c, doc, search);
    board = load_file(&c, path, NULL);
    board = board ? finish(&c, board, params, facts, errors) : NULL;
    load_ctx_destroy(&c);
    return board;
}

/* --- loading in two steps: merged once, evaluated at each start --- */

QDict *compose_load_merged(ComposeDoc *doc, const char *path,
                           const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    LoadCtx c;
    QDict *board;

    load_ctx_init(&c, doc, search);
    board = load_file(&c, path, NULL);
    load_ctx_destroy(&c);
    if (board && compose_doc_error_count(doc) != errors) {
        qobject_unref(board);
        return NULL;
    }
    return board;
}

QDict *compose_load_evaluate(ComposeDoc *doc, QDict *merged,
                             const QDict *params, const ComposeFacts *facts,
                             bool keep)
{
    unsigned errors = compose_doc_error_count(doc);
    LoadCtx c;
    QDict *board;

    load_ctx_init(&c, doc, NULL);
    board = finish(&c, keep ? qobject_to(QDict, copy_tree(&c, QOBJECT(merged)))
                            : qobject_ref(merged),
                   params, facts, errors);
    load_ctx_destroy(&c);
    return board;
}
