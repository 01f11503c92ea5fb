/*
 * Composed machine: includes, and merging descriptions into one
 *
 * The second stage of loading a board description: it reads the file
 * and everything it includes, and merges them into one tree.  Includes
 * are merged first, in order, then the including file on top of them:
 * mappings merge key by key, the entries of the named lists (params,
 * clocks, cpus, memory, devices) are appended in order, and constants
 * are gathered (defined once).  A file included twice is merged once.
 *
 * What depends on values (parameters, constants, repetitions,
 * conditions, overrides by name) is resolved afterwards on the merged
 * tree, by compose_resolve() (machine-compose-expand.c), so that the
 * merged tree can be kept and resolved again with other facts.
 *
 * Nothing here depends on QOM, so unit tests link it with the reader.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "machine-compose-params.h"

/* The lists whose entries are named, with the default name */
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
        size_t clen, d;

        if (!candidates[i]) {
            continue;
        }
        /*
         * The distance is at least the difference in length: skip what
         * cannot be within @limit without computing it (a description
         * with thousands of long unknown keys must not cost seconds).
         */
        clen = strlen(candidates[i]);
        if (clen > 256 || MAX(len, clen) - MIN(len, clen) > limit) {
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

/* --- merging --- */

static const ComposeLoc *loc_of(ComposeLoad *c, QObject *obj)
{
    return compose_doc_loc(c->doc, obj);
}

const char *compose_default_name(const char *list_key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(named_lists); i++) {
        if (!strcmp(named_lists[i].key, list_key)) {
            return named_lists[i].default_name;
        }
    }
    return NULL;
}

bool compose_is_named_list(const char *key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(named_lists); i++) {
        if (!strcmp(named_lists[i].key, key)) {
            return true;
        }
    }
    return false;
}

static void merge_key(ComposeLoad *c, QDict *dst, QDict *src,
                      const char *key)
{
    QObject *value = qdict_get(src, key);
    QObject *old = qdict_get(dst, key);
    const ComposeLoc *kloc = compose_doc_key_loc(c->doc, src, key);

    if (old && qobject_type(old) == QTYPE_QDICT &&
        qobject_type(value) == QTYPE_QDICT) {
        compose_merge_dict(c, qobject_to(QDict, old),
                           qobject_to(QDict, value));
        return;
    }
    qdict_put_obj(dst, key, qobject_ref(value));
    if (kloc) {
        compose_doc_set_key_loc(c->doc, dst, key, kloc);
    }
}

void compose_merge_dict(ComposeLoad *c, QDict *dst, QDict *src)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, src);
    size_t i;

    for (i = 0; keys[i]; i++) {
        merge_key(c, dst, src, keys[i]);
    }
}

/* Constants are defined once: the same definition twice is harmless */
static void merge_constants(ComposeLoad *c, QDict *dst, QDict *src)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, src);
    size_t i;

    for (i = 0; keys[i]; i++) {
        QString *old = qobject_to(QString, qdict_get(dst, keys[i]));
        QString *new = qobject_to(QString, qdict_get(src, keys[i]));
        const ComposeLoc *first = compose_doc_key_loc(c->doc, dst, keys[i]);

        if (!qdict_haskey(dst, keys[i])) {
            merge_key(c, dst, src, keys[i]);
        } else if (!old || !new ||
                   strcmp(qstring_get_str(old), qstring_get_str(new))) {
            compose_doc_error(c->doc,
                              compose_doc_key_loc(c->doc, src, keys[i]),
                              "constant '%s' is already defined at "
                              "%s:%u:%u", keys[i],
                              first ? first->file : "?",
                              first ? first->line : 0,
                              first ? first->col : 0);
        }
    }
}

/*
 * Merge the description @src into @dst: named lists are appended to,
 * constants gathered, other mappings merged key by key.
 */
static void merge_board(ComposeLoad *c, QDict *dst, QDict *src)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, src);
    size_t i;

    for (i = 0; keys[i]; i++) {
        QObject *value = qdict_get(src, keys[i]);
        QObject *old = qdict_get(dst, keys[i]);
        QListEntry *e;

        if (old && compose_is_named_list(keys[i]) &&
            qobject_type(old) == QTYPE_QLIST &&
            qobject_type(value) == QTYPE_QLIST) {
            QTAILQ_FOREACH(e, &qobject_to(QList, value)->head, next) {
                qlist_append_obj(qobject_to(QList, old),
                                 qobject_ref(e->value));
            }
        } else if (old && !strcmp(keys[i], "constants") &&
                   qobject_type(old) == QTYPE_QDICT &&
                   qobject_type(value) == QTYPE_QDICT) {
            merge_constants(c, qobject_to(QDict, old),
                            qobject_to(QDict, value));
        } else {
            merge_key(c, dst, src, keys[i]);
        }
    }
}

/* --- includes --- */

static char *find_include(ComposeLoad *c, const char *base_dir,
                          const char *name, GString *tried)
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

static QDict *load_tree(ComposeLoad *c, QObject *root, const char *path);

/* The merged tree of file @path, or NULL; an empty mapping if included */
static QDict *load_file(ComposeLoad *c, const char *path,
                        const ComposeLoc *from)
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
    if (g_hash_table_contains(c->included, canon)) {
        /* merged already: once is enough */
        return qdict_new();
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
    g_hash_table_add(c->included, g_strdup(canon));
    g_ptr_array_add(c->stack, g_steal_pointer(&canon));
    /* Every file is read once: its tree can be merged into in place */
    ret = load_tree(c, root, path);
    qobject_unref(root);
    g_ptr_array_remove_index(c->stack, c->stack->len - 1);
    return ret;
}

/*
 * The merged tree of one description: its includes merged in order,
 * then its own content on top.  @root becomes part of the result.
 */
static QDict *load_tree(ComposeLoad *c, QObject *root, const char *path)
{
    QDict *own = qobject_to(QDict, root);
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(QDict) base = NULL;
    QObject *inc;
    QList *list;
    QListEntry *e;
    bool ok = true;

    if (!own) {
        compose_doc_error(c->doc, loc_of(c, root),
                          "a board description must be a mapping");
        return NULL;
    }
    inc = qdict_get(own, "include");
    if (!inc) {
        return qobject_ref(own);
    }
    list = qobject_to(QList, inc);
    if (!list) {
        compose_doc_error(c->doc, loc_of(c, inc),
                          "'include' must be a list of file names");
        return NULL;
    }
    base = qdict_new();
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
        merge_board(c, base, sub);
    }
    qdict_del(own, "include");
    if (!ok) {
        return NULL;
    }
    merge_board(c, base, own);
    return g_steal_pointer(&base);
}

/* --- loading --- */

static void load_init(ComposeLoad *c, ComposeDoc *doc,
                      const char *const *search)
{
    memset(c, 0, sizeof(*c));
    c->doc = doc;
    c->search = search;
    c->stack = g_ptr_array_new_with_free_func(g_free);
    c->included = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        NULL);
    c->declared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        NULL);
}

static void load_destroy(ComposeLoad *c)
{
    g_ptr_array_free(c->stack, true);
    g_hash_table_destroy(c->included);
    g_hash_table_destroy(c->declared);
    qobject_unref(c->values);
    qobject_unref(c->constants);
    g_clear_pointer(&c->const_values, g_hash_table_destroy);
    g_clear_pointer(&c->const_busy, g_hash_table_destroy);
}

static QDict *load_finish(ComposeLoad *c, QDict *board, const QDict *params,
                          const ComposeFacts *facts, unsigned errors)
{
    if (board && compose_doc_error_count(c->doc) == errors &&
        compose_resolve(c, board, params, facts)) {
        return board;
    }
    qobject_unref(board);
    return NULL;
}

QDict *compose_load_root(ComposeDoc *doc, QObject *root, const char *name,
                         const QDict *params, const ComposeFacts *facts,
                         const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    g_autofree char *canon = g_canonicalize_filename(name, NULL);
    QObject *copy = compose_doc_copy(doc, root, false, NULL);
    ComposeLoad c;
    QDict *board;

    /* @root stays the caller's: the merge works on a copy */
    load_init(&c, doc, search);
    g_hash_table_add(c.included, g_strdup(canon));
    g_ptr_array_add(c.stack, g_steal_pointer(&canon));
    board = load_tree(&c, copy, name);
    qobject_unref(copy);
    board = load_finish(&c, board, params, facts, errors);
    load_destroy(&c);
    return board;
}

QDict *compose_load(ComposeDoc *doc, const char *path, const QDict *params,
                    const ComposeFacts *facts, const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    ComposeLoad c;
    QDict *board;

    load_init(&c, doc, search);
    board = load_file(&c, path, NULL);
    board = load_finish(&c, board, params, facts, errors);
    load_destroy(&c);
    return board;
}

/* --- loading in two steps: merged once, evaluated at each start --- */

QDict *compose_load_merged(ComposeDoc *doc, const char *path,
                           const char *const *search)
{
    unsigned errors = compose_doc_error_count(doc);
    ComposeLoad c;
    QDict *board;

    load_init(&c, doc, search);
    board = load_file(&c, path, NULL);
    load_destroy(&c);
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
    ComposeLoad c;
    QDict *board;

    load_init(&c, doc, NULL);
    /* with @keep a copy, since @merged is evaluated again with other facts */
    board = keep ? qobject_to(QDict, compose_doc_copy(doc, QOBJECT(merged),
                                                      false, NULL))
                 : qobject_ref(merged);
    board = load_finish(&c, board, params, facts, errors);
    load_destroy(&c);
    return board;
}
