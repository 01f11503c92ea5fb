/*
 * Helpers shared by the composer's unit tests: a temporary directory
 * for description files, loading one, and its diagnostics without the
 * directory name.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_UNIT_COMPOSE_TEST_HELPERS_H
#define TESTS_UNIT_COMPOSE_TEST_HELPERS_H

#include "hw/core/machine-compose.h"

typedef struct Fixture {
    char *dir;
} Fixture;

static inline void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->dir = g_dir_make_tmp("compose-test-XXXXXX", &err);
    g_assert_no_error(err);
}

static inline void fixture_teardown(Fixture *f, gconstpointer data)
{
    g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, n, NULL);

        if (g_file_test(p, G_FILE_TEST_IS_DIR)) {
            g_autoptr(GDir) sub = g_dir_open(p, 0, NULL);
            const char *m;

            while (sub && (m = g_dir_read_name(sub))) {
                g_autofree char *q = g_build_filename(p, m, NULL);

                unlink(q);
            }
        }
        remove(p);
    }
    rmdir(f->dir);
    g_free(f->dir);
}

/* Write @text to @name in the fixture's directory */
static inline void put(Fixture *f, const char *name, const char *text)
{
    g_autofree char *p = g_build_filename(f->dir, name, NULL);
    g_autofree char *d = g_path_get_dirname(p);

    g_mkdir_with_parents(d, 0700);
    g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static inline QDict *load(Fixture *f, ComposeDoc *doc, const char *name,
                          const QDict *params, const ComposeFacts *facts,
                          const char *const *search)
{
    g_autofree char *p = g_build_filename(f->dir, name, NULL);

    return compose_load(doc, p, params, facts, search);
}

/* The diagnostics of @doc, file names relative to the fixture */
static inline char *errors(ComposeDoc *doc, Fixture *f)
{
    g_autofree char *all = compose_doc_errors_string(doc);
    g_autofree char *prefix = g_strconcat(f->dir, "/", NULL);
    g_auto(GStrv) parts = g_strsplit(all, prefix, -1);

    return g_strjoinv("", parts);
}

/* The entry named @name of list @key */
static inline QDict *entry(QDict *b, const char *key, const char *name)
{
    QList *l = qdict_get_qlist(b, key);
    QListEntry *e;

    QTAILQ_FOREACH(e, &l->head, next) {
        QDict *d = qobject_to(QDict, e->value);

        if (!g_strcmp0(qdict_get_try_str(d, "name"), name)) {
            return d;
        }
    }
    return NULL;
}

/* The names of the entries of list @key, separated by spaces */
static inline char *names(QDict *b, const char *key)
{
    g_autoptr(GString) s = g_string_new(NULL);
    QList *l = qdict_get_qlist(b, key);
    QListEntry *e;

    QTAILQ_FOREACH(e, &l->head, next) {
        g_string_append_printf(s, "%s%s", s->len ? " " : "",
                               qdict_get_str(qobject_to(QDict, e->value),
                                             "name"));
    }
    return g_string_free(g_steal_pointer(&s), false);
}

/* The names of the entries of list @key are @want */
#define assert_names(b, key, want) do {                 \
        g_autofree char *names_ = names((b), (key));    \
        g_assert_cmpstr(names_, ==, (want));            \
    } while (0)

#endif /* TESTS_UNIT_COMPOSE_TEST_HELPERS_H */
