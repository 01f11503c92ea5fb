/*
 * Unit tests of what board descriptions can say beyond plain data:
 * explicit overrides, repetition (for), integer expressions, named
 * constants and conditions with parentheses; and keys the reader
 * refuses.  Every error is checked with its location.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose.h"

#include "compose-test-helpers.h"

/* Reading @text as @name fails with exactly @expected */
static void read_fails(const char *name, const char *text,
                       const char *expected)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = compose_doc_read_buffer(doc, name, text, strlen(text));
    g_autofree char *errs = compose_doc_errors_string(doc);

    g_assert_cmpstr(errs, ==, expected);
    g_assert_null(root);
}

/*
 * Control characters in keys are refused by the reader, located: they
 * cannot be typed, and a key is a name.
 */
static void test_control_keys(void)
{
    read_fails("c.yaml",
               "devices:\n"
               "  - {name: a, \"\\x01overrides\": [x]}\n"
               "  - {\"b\\tc\": 1, \"\\x7f\": 2}\n",
               "c.yaml:2:15: control character U+0001 in a mapping key\n"
               "c.yaml:3:6: control character U+0009 in a mapping key\n"
               "c.yaml:3:17: control character U+007F in a mapping key\n");
    read_fails("c.json",
               "{\"devices\": [{\"name\": \"a\",\n"
               "  \"\\u0001overrides\": [\"x\"]}]}\n",
               "c.json:2:3: control character U+0001 in a mapping key\n");
}

/*
 * The merge keeps nothing of its own in the description's tree: a key
 * that looks like bookkeeping is the user's data, left to the checker.
 */
static void test_no_in_band_keys(void)
{
    static const char *const keys[] = {
        "\001overrides", "\001override", "\001for", "override"
    };
    static const char text[] =
        "version: 1\n"
        "devices:\n"
        "  - {name: a, type: x, k: [x, y]}\n"
        "  - {name: b, type: x, if: kernel, k: [x]}\n";
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        g_autoptr(ComposeDoc) doc = compose_doc_new();
        QObject *root = compose_doc_read_buffer(doc, "k.yaml", text,
                                                strlen(text));
        QList *devs = qdict_get_qlist(qobject_to(QDict, root), "devices");
        g_autoptr(QDict) b = NULL;
        QListEntry *e;

        g_assert_nonnull(root);
        QTAILQ_FOREACH(e, &devs->head, next) {
            QDict *d = qobject_to(QDict, e->value);

            qdict_put_obj(d, keys[i], qobject_ref(qdict_get(d, "k")));
            qdict_del(d, "k");
        }
        b = compose_load_root(doc, root, "k.yaml", NULL, NULL, NULL);
        if (i < 3) {
            /* no meaning for the merge: user data for the checker */
            g_assert_nonnull(b);
            g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
            g_assert_true(qdict_haskey(entry(b, "devices", "a"), keys[i]));
        }
        qobject_unref(root);
    }
}

#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    g_test_add_func("/compose-format/control-keys", test_control_keys);
    g_test_add_func("/compose-format/no-in-band-keys", test_no_in_band_keys);

    return g_test_run();
}
