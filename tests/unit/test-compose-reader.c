/*
 * Unit tests of the composed machine's description reader
 * (hw/core/machine-compose-doc.c): YAML and JSON into QObject trees with
 * a location for every node and key, and exact diagnostics for bad input.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose-doc.h"

/* Helpers */

static QObject *read_text(ComposeDoc *doc, const char *name, const char *text)
{
    return compose_doc_read_buffer(doc, name, text, strlen(text));
}

/* Reading @len bytes of @text as @name fails with exactly @expected */
static void check_errors_len(const char *name, const char *text, size_t len,
                             const char *expected)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = compose_doc_read_buffer(doc, name, text, len);
    g_autofree char *errors = compose_doc_errors_string(doc);

    g_assert_cmpstr(errors, ==, expected);
    g_assert_null(root);
}

static void check_errors(const char *name, const char *text,
                         const char *expected)
{
    check_errors_len(name, text, strlen(text), expected);
}

/* Reading @text as @name succeeds without any diagnostic */
static QObject *read_ok(ComposeDoc *doc, const char *name, const char *text)
{
    QObject *root = read_text(doc, name, text);
    g_autofree char *errors = compose_doc_errors_string(doc);

    g_assert_cmpstr(errors, ==, "");
    g_assert_nonnull(root);
    return root;
}

static void check_loc(const ComposeLoc *loc, const char *file,
                      unsigned line, unsigned col)
{
    g_assert_nonnull(loc);
    g_assert_cmpstr(loc->file, ==, file);
    g_assert_cmpuint(loc->line, ==, line);
    g_assert_cmpuint(loc->col, ==, col);
}

static void check_node_loc(ComposeDoc *doc, QObject *node, const char *file,
                           unsigned line, unsigned col)
{
    check_loc(compose_doc_loc(doc, node), file, line, col);
}

static void check_key_loc(ComposeDoc *doc, QDict *dict, const char *key,
                          const char *file, unsigned line, unsigned col)
{
    check_loc(compose_doc_key_loc(doc, dict, key), file, line, col);
}

static QObject *list_nth(QObject *list, unsigned n)
{
    QListEntry *e;

    g_assert_cmpint(qobject_type(list), ==, QTYPE_QLIST);
    QLIST_FOREACH_ENTRY(qobject_to(QList, list), e) {
        if (!n--) {
            return qlist_entry_obj(e);
        }
    }
    g_assert_not_reached();
}

static QObject *dict_get(QObject *dict, const char *key)
{
    QObject *value;

    g_assert_cmpint(qobject_type(dict), ==, QTYPE_QDICT);
    value = qdict_get(qobject_to(QDict, dict), key);
    g_assert_nonnull(value);
    return value;
}

static const char *str_of(QObject *obj)
{
    g_assert_cmpint(qobject_type(obj), ==, QTYPE_QSTRING);
    return qstring_get_str(qobject_to(QString, obj));
}

static char *make_tmp_file(const char *suffix, const char *text, size_t len)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *tmpl = g_strdup_printf("compose-reader-XXXXXX%s",
                                            suffix);
    char *path = NULL;
    int fd = g_file_open_tmp(tmpl, &path, &err);

    g_assert_no_error(err);
    g_assert_cmpint(write(fd, text, len), ==, len);
    close(fd);
    return path;
}

/* Billion laughs: 9 levels, each 9 aliases of the one before */
static char *alias_bomb(void)
{
    GString *s = g_string_new("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    char prev = 'a', c;
    int i;

    for (c = 'b'; c <= 'i'; c++) {
        g_string_append_printf(s, "%c: &%c [", c, c);
        for (i = 0; i < 9; i++) {
            g_string_append_printf(s, "%s*%c", i ? "," : "", prev);
        }
        g_string_append(s, "]\n");
        prev = c;
    }
    return g_string_free(s, false);
}

static char *repeat(const char *a, unsigned n, const char *mid,
                    const char *b, unsigned m)
{
    GString *s = g_string_new(NULL);
    unsigned i;

    for (i = 0; i < n; i++) {
        g_string_append(s, a);
    }
    g_string_append(s, mid);
    for (i = 0; i < m; i++) {
        g_string_append(s, b);
    }
    return g_string_free(s, false);
}

/* Trees and locations */

static void test_yaml_locations(void)
{
    static const char text[] =
        "version: 1\n"                                  /* 1 */
        "name: \"ex\"\n"                                /* 2 */
        "params:\n"                                     /* 3 */
        "  ram-size: {type: size, default: 512M}\n"     /* 4 */
        "devices:\n"                                    /* 5 */
        "  - name: uart0\n"                             /* 6 */
        "    mmio: [{index: 0, addr: 0x1e784000}]\n"    /* 7 */
        "  -   name: 'i2c'\n"                           /* 8 */
        "      props:\n"                                /* 9 */
        "        bus: [a,\n"                            /* 10 */
        "              b]\n";                           /* 11 */
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "b.yaml", text);
    QDict *rd = qobject_to(QDict, root);
    QObject *params, *ram, *devs, *dev0, *mmio, *m0, *dev1, *props, *bus;

    check_node_loc(doc, root, "b.yaml", 1, 1);
    check_key_loc(doc, rd, "version", "b.yaml", 1, 1);
    g_assert_cmpstr(str_of(dict_get(root, "version")), ==, "1");
    check_node_loc(doc, dict_get(root, "version"), "b.yaml", 1, 10);
    check_node_loc(doc, dict_get(root, "name"), "b.yaml", 2, 7);
    g_assert_cmpstr(str_of(dict_get(root, "name")), ==, "ex");

    params = dict_get(root, "params");
    check_key_loc(doc, rd, "params", "b.yaml", 3, 1);
    check_node_loc(doc, params, "b.yaml", 4, 3);
    ram = dict_get(params, "ram-size");
    check_key_loc(doc, qobject_to(QDict, params), "ram-size", "b.yaml", 4, 3);
    check_node_loc(doc, ram, "b.yaml", 4, 13);
    check_key_loc(doc, qobject_to(QDict, ram), "default", "b.yaml", 4, 26);
    check_node_loc(doc, dict_get(ram, "default"), "b.yaml", 4, 35);
    g_assert_cmpstr(str_of(dict_get(ram, "default")), ==, "512M");

    devs = dict_get(root, "devices");
    check_node_loc(doc, devs, "b.yaml", 6, 3);
    dev0 = list_nth(devs, 0);
    check_node_loc(doc, dev0, "b.yaml", 6, 5);
    check_key_loc(doc, qobject_to(QDict, dev0), "mmio", "b.yaml", 7, 5);
    mmio = dict_get(dev0, "mmio");
    check_node_loc(doc, mmio, "b.yaml", 7, 11);
    m0 = list_nth(mmio, 0);
    check_node_loc(doc, m0, "b.yaml", 7, 12);
    check_key_loc(doc, qobject_to(QDict, m0), "addr", "b.yaml", 7, 23);
    check_node_loc(doc, dict_get(m0, "addr"), "b.yaml", 7, 29);
    g_assert_cmpstr(str_of(dict_get(m0, "addr")), ==, "0x1e784000");

    dev1 = list_nth(devs, 1);
    check_node_loc(doc, dev1, "b.yaml", 8, 7);
    check_node_loc(doc, dict_get(dev1, "name"), "b.yaml", 8, 13);
    g_assert_cmpstr(str_of(dict_get(dev1, "name")), ==, "i2c");
    props = dict_get(dev1, "props");
    check_key_loc(doc, qobject_to(QDict, dev1), "props", "b.yaml", 9, 7);
    check_node_loc(doc, props, "b.yaml", 10, 9);
    bus = dict_get(props, "bus");
    check_node_loc(doc, bus, "b.yaml", 10, 14);
    check_node_loc(doc, list_nth(bus, 1), "b.yaml", 11, 15);
    g_assert_cmpuint(qlist_size(qobject_to(QList, bus)), ==, 2);

    /* No location for what the file does not have */
    g_assert_null(compose_doc_key_loc(doc, rd, "nope"));
    qobject_unref(root);
}

static void test_json_locations(void)
{
    static const char text[] =
        "{\n"                                           /* 1 */
        "  \"name\": \"ex\",\n"                         /* 2 */
        "  \"devices\": [\n"                            /* 3 */
        "    {\"name\": \"uart0\",\n"                   /* 4 */
        "     \"mmio\": [{\"index\": 0, \"addr\": 4096}]},\n" /* 5 */
        "    {\"name\": \"\xc3\xa9\", \"irq\": 7}\n"   /* 6 */
        "  ]\n"                                         /* 7 */
        "}\n";
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "b.json", text);
    QObject *devs, *dev0, *m0, *dev1;

    check_node_loc(doc, root, "b.json", 1, 1);
    check_key_loc(doc, qobject_to(QDict, root), "name", "b.json", 2, 3);
    check_node_loc(doc, dict_get(root, "name"), "b.json", 2, 11);
    devs = dict_get(root, "devices");
    check_key_loc(doc, qobject_to(QDict, root), "devices", "b.json", 3, 3);
    check_node_loc(doc, devs, "b.json", 3, 14);
    dev0 = list_nth(devs, 0);
    check_node_loc(doc, dev0, "b.json", 4, 5);
    check_key_loc(doc, qobject_to(QDict, dev0), "mmio", "b.json", 5, 6);
    check_node_loc(doc, dict_get(dev0, "mmio"), "b.json", 5, 14);
    m0 = list_nth(dict_get(dev0, "mmio"), 0);
    check_node_loc(doc, m0, "b.json", 5, 15);
    check_key_loc(doc, qobject_to(QDict, m0), "addr", "b.json", 5, 28);
    check_node_loc(doc, dict_get(m0, "addr"), "b.json", 5, 36);
    g_assert_cmpstr(str_of(dict_get(m0, "addr")), ==, "4096");
    dev1 = list_nth(devs, 1);
    check_node_loc(doc, dev1, "b.json", 6, 5);
    /* Columns count characters: "é" is one */
    check_key_loc(doc, qobject_to(QDict, dev1), "irq", "b.json", 6, 19);
    check_node_loc(doc, dict_get(dev1, "irq"), "b.json", 6, 26);
    qobject_unref(root);
}

static void test_crlf_locations(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *y = read_ok(doc, "c.yaml", "a: 1\r\nb:\r\n  c: 2\r\n");
    QObject *j = read_ok(doc, "c.json", "{\"a\":\r\n [1,\r\n  2]}");
    /* A lone CR ends a line too */
    QObject *cr = read_ok(doc, "cr.json", "{\"a\":\r [1,\r\n\r  2]}");

    check_key_loc(doc, qobject_to(QDict, dict_get(y, "b")), "c",
                  "c.yaml", 3, 3);
    check_node_loc(doc, dict_get(dict_get(y, "b"), "c"), "c.yaml", 3, 6);
    check_node_loc(doc, list_nth(dict_get(j, "a"), 1), "c.json", 3, 3);
    check_node_loc(doc, list_nth(dict_get(cr, "a"), 1), "cr.json", 4, 3);
    qobject_unref(cr);
    qobject_unref(y);
    qobject_unref(j);
}

static void test_keys_in_document_order(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "o.yaml",
                            "zeta: 1\nalpha: 2\nmid: 3\nbeta: 4\n");
    g_autofree const char **keys = compose_doc_keys(doc,
                                                    qobject_to(QDict, root));

    g_assert_cmpstr(keys[0], ==, "zeta");
    g_assert_cmpstr(keys[1], ==, "alpha");
    g_assert_cmpstr(keys[2], ==, "mid");
    g_assert_cmpstr(keys[3], ==, "beta");
    g_assert_null(keys[4]);
    qobject_unref(root);
}

/* Past 16 keys, a mapping's key locations are indexed: same answers */
static void test_many_keys(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(GString) text = g_string_new(NULL);
    g_autofree const char **keys = NULL;
    ComposeLoc loc = { .file = "gen.yaml", .line = 99, .col = 5 };
    QObject *root;
    QDict *d;
    int i;

    /* k39 first: document order differs from any sorted order */
    for (i = 39; i >= 0; i--) {
        g_string_append_printf(text, "k%d: %d\n", i, i);
    }
    root = read_ok(doc, "many.yaml", text->str);
    d = qobject_to(QDict, root);
    keys = compose_doc_keys(doc, d);
    for (i = 0; i < 40; i++) {
        g_autofree char *want = g_strdup_printf("k%d", 39 - i);

        g_assert_cmpstr(keys[i], ==, want);
        check_key_loc(doc, d, want, "many.yaml", i + 1, 1);
    }
    g_assert_null(keys[40]);
    g_assert_null(compose_doc_key_loc(doc, d, "k40"));

    /* a located key moved keeps its place in the order; a new one is last */
    compose_doc_set_key_loc(doc, d, "k20", &loc);
    check_key_loc(doc, d, "k20", "gen.yaml", 99, 5);
    qdict_put_str(d, "new", "v");
    compose_doc_set_key_loc(doc, d, "new", &loc);
    check_key_loc(doc, d, "new", "gen.yaml", 99, 5);
    g_free(keys);
    keys = compose_doc_keys(doc, d);
    g_assert_cmpstr(keys[19], ==, "k20");
    g_assert_cmpstr(keys[40], ==, "new");
    g_assert_null(keys[41]);
    qobject_unref(root);
}

static void test_scalars_stay_text(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *y = read_ok(doc, "n.yaml",
                         "big: 123456789012345678901234567890\n"
                         "neg: -99999999999999999999999\n"
                         "float: 1e400\n"
                         "hex: 0x1E784000\n"
                         "octal: 0o17\n"
                         "zero: -0\n"
                         "bool: true\n"
                         "yes: yes\n"
                         "size: 512M\n"
                         "quoted: \"0x10\"\n");
    QObject *j = read_ok(doc, "n.json",
                         "{\"big\": 123456789012345678901234567890,\n"
                         " \"neg\": -99999999999999999999999,\n"
                         " \"float\": 1.50E+400, \"small\": -0.5e-300,\n"
                         " \"zero\": -0, \"t\": true, \"f\": false}");

    g_assert_cmpstr(str_of(dict_get(y, "big")), ==,
                    "123456789012345678901234567890");
    g_assert_cmpstr(str_of(dict_get(y, "neg")), ==,
                    "-99999999999999999999999");
    g_assert_cmpstr(str_of(dict_get(y, "float")), ==, "1e400");
    g_assert_cmpstr(str_of(dict_get(y, "hex")), ==, "0x1E784000");
    g_assert_cmpstr(str_of(dict_get(y, "octal")), ==, "0o17");
    g_assert_cmpstr(str_of(dict_get(y, "zero")), ==, "-0");
    g_assert_cmpstr(str_of(dict_get(y, "bool")), ==, "true");
    g_assert_cmpstr(str_of(dict_get(y, "yes")), ==, "yes");
    g_assert_cmpstr(str_of(dict_get(y, "size")), ==, "512M");
    g_assert_cmpstr(str_of(dict_get(y, "quoted")), ==, "0x10");

    g_assert_cmpstr(str_of(dict_get(j, "big")), ==,
                    "123456789012345678901234567890");
    g_assert_cmpstr(str_of(dict_get(j, "neg")), ==,
                    "-99999999999999999999999");
    g_assert_cmpstr(str_of(dict_get(j, "float")), ==, "1.50E+400");
    g_assert_cmpstr(str_of(dict_get(j, "small")), ==, "-0.5e-300");
    g_assert_cmpstr(str_of(dict_get(j, "zero")), ==, "-0");
    g_assert_cmpstr(str_of(dict_get(j, "t")), ==, "true");
    g_assert_cmpstr(str_of(dict_get(j, "f")), ==, "false");
    check_node_loc(doc, dict_get(j, "float"), "n.json", 3, 11);
    qobject_unref(y);
    qobject_unref(j);
}

static void test_json_unicode_escapes(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *j = read_ok(doc, "u.json",
                         "{\"e\": \"caf\\u00e9\", \"euro\": \"\\u20AC\",\n"
                         " \"smile\": \"\\ud83d\\ude00\",\n"
                         " \"raw\": \"\xc3\xa9\xe2\x82\xac\",\n"
                         " \"esc\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\n"
                         " \"k\\u00e9y\": 1}");

    g_assert_cmpstr(str_of(dict_get(j, "e")), ==, "caf\xc3\xa9");
    g_assert_cmpstr(str_of(dict_get(j, "euro")), ==, "\xe2\x82\xac");
    g_assert_cmpstr(str_of(dict_get(j, "smile")), ==, "\xf0\x9f\x98\x80");
    g_assert_cmpstr(str_of(dict_get(j, "raw")), ==, "\xc3\xa9\xe2\x82\xac");
    g_assert_cmpstr(str_of(dict_get(j, "esc")), ==, "\"\\/\b\f\n\r\t");
    g_assert_cmpstr(str_of(dict_get(j, "k\xc3\xa9y")), ==, "1");
    qobject_unref(j);

    check_errors("u.json", "{\"a\": \"\\ud800\", \"b\": \"x\\udc00\"}",
                 "u.json:1:8: unpaired UTF-16 surrogate \\ud800 in a string\n"
                 "u.json:1:24: unpaired UTF-16 surrogate \\udc00 in a string\n");
    check_errors("u.json", "[\"x\\u0000y\"]",
                 "u.json:1:4: NUL character (\\u0000) in a string\n");
    check_errors("u.json", "[\"\\u12G4\"]",
                 "u.json:1:7: JSON syntax error: invalid string sequence\n");
}

static void test_yaml_null_forms(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "n.yaml",
                            "tilde: ~\n"
                            "lower: null\n"
                            "title: Null\n"
                            "upper: NULL\n"
                            "empty:\n"
                            "tagged: !!null\n"
                            "tagged2: !!null null\n"
                            "seq:\n"
                            "  -\n"
                            "  - ~\n"
                            "  - x\n"
                            "q1: '~'\n"
                            "q2: \"null\"\n"
                            "mixed: nULL\n"
                            "str: !!str null\n"
                            "emptystr: ''\n");
    static const char *const nulls[] = {
        "tilde", "lower", "title", "upper", "empty", "tagged", "tagged2",
    };
    QDict *d = qobject_to(QDict, root);
    QObject *seq;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nulls); i++) {
        g_assert_cmpint(qobject_type(dict_get(root, nulls[i])), ==,
                        QTYPE_QNULL);
        /* A null has no location of its own; its key does */
        g_assert_null(compose_doc_loc(doc, dict_get(root, nulls[i])));
        check_key_loc(doc, d, nulls[i], "n.yaml", i + 1, 1);
    }
    seq = dict_get(root, "seq");
    g_assert_cmpint(qobject_type(list_nth(seq, 0)), ==, QTYPE_QNULL);
    g_assert_cmpint(qobject_type(list_nth(seq, 1)), ==, QTYPE_QNULL);
    g_assert_cmpstr(str_of(list_nth(seq, 2)), ==, "x");
    g_assert_cmpstr(str_of(dict_get(root, "q1")), ==, "~");
    g_assert_cmpstr(str_of(dict_get(root, "q2")), ==, "null");
    g_assert_cmpstr(str_of(dict_get(root, "mixed")), ==, "nULL");
    g_assert_cmpstr(str_of(dict_get(root, "str")), ==, "null");
    g_assert_cmpstr(str_of(dict_get(root, "emptystr")), ==, "");
    qobject_unref(root);

    check_errors("n.yaml", "a: !!null x\n",
                 "n.yaml:1:4: 'x' is not a valid !!null value\n");
}

static void test_json_null(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "n.json", "{\"a\": null, \"b\": [null]}");

    g_assert_cmpint(qobject_type(dict_get(root, "a")), ==, QTYPE_QNULL);
    g_assert_cmpint(qobject_type(list_nth(dict_get(root, "b"), 0)), ==,
                    QTYPE_QNULL);
    check_key_loc(doc, qobject_to(QDict, root), "a", "n.json", 1, 2);
    qobject_unref(root);
}

static void test_yaml_aliases(void)
{
    static const char text[] =
        "base: &b\n"                    /* 1 */
        "  clk: 24M\n"                  /* 2 */
        "  irqs: [1, 2]\n"              /* 3 */
        "uart0: *b\n"                   /* 4 */
        "uart1:  *b\n"                  /* 5 */
        "name: &n foo\n"                /* 6 */
        "other: *n\n"                   /* 7 */
        "list: [*n, *b]\n"              /* 8 */
        "&k key: *k\n";                 /* 9 */
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "a.yaml", text);
    QObject *base = dict_get(root, "base");
    QObject *u0 = dict_get(root, "uart0"), *u1 = dict_get(root, "uart1");
    QObject *l1;

    /* Same content, but new nodes: locations are keyed by node */
    g_assert_true(qobject_is_equal(base, u0));
    g_assert_true(qobject_is_equal(base, u1));
    g_assert_true(base != u0 && base != u1 && u0 != u1);
    g_assert_true(dict_get(base, "irqs") != dict_get(u0, "irqs"));
    g_assert_true(dict_get(base, "clk") != dict_get(u0, "clk"));

    /* The copy is at the alias, its content at the text it comes from */
    check_node_loc(doc, base, "a.yaml", 1, 7);
    check_node_loc(doc, u0, "a.yaml", 4, 8);
    check_node_loc(doc, u1, "a.yaml", 5, 9);
    check_key_loc(doc, qobject_to(QDict, u1), "irqs", "a.yaml", 3, 3);
    check_node_loc(doc, dict_get(u1, "irqs"), "a.yaml", 3, 9);
    check_node_loc(doc, list_nth(dict_get(u1, "irqs"), 1), "a.yaml", 3, 13);

    /* Scalars too */
    g_assert_cmpstr(str_of(dict_get(root, "other")), ==, "foo");
    g_assert_true(dict_get(root, "other") != dict_get(root, "name"));
    check_node_loc(doc, dict_get(root, "name"), "a.yaml", 6, 7);
    check_node_loc(doc, dict_get(root, "other"), "a.yaml", 7, 8);
    l1 = dict_get(root, "list");
    g_assert_cmpstr(str_of(list_nth(l1, 0)), ==, "foo");
    check_node_loc(doc, list_nth(l1, 0), "a.yaml", 8, 8);
    g_assert_true(qobject_is_equal(list_nth(l1, 1), base));
    check_node_loc(doc, list_nth(l1, 1), "a.yaml", 8, 12);

    /* An anchor on a key, used as a value */
    g_assert_cmpstr(str_of(dict_get(root, "key")), ==, "key");
    check_node_loc(doc, dict_get(root, "key"), "a.yaml", 9, 9);

    /* Copies are independent */
    qdict_put_str(qobject_to(QDict, u0), "extra", "x");
    g_assert_false(qdict_haskey(qobject_to(QDict, base), "extra"));
    g_assert_false(qdict_haskey(qobject_to(QDict, u1), "extra"));
    qobject_unref(root);
}

static void test_yaml_alias_errors(void)
{
    check_errors("a.yaml", "x: *nope\n",
                 "a.yaml:1:4: undefined alias '*nope'\n");
    check_errors("a.yaml", "a: &x [1, *x]\n",
                 "a.yaml:1:11: alias '*x' refers to a node that contains it\n");
    /* Aliases as keys: scalar anchors only */
    check_errors("a.yaml", "a: &l [1]\n*l : 2\n",
                 "a.yaml:2:1: mapping keys must be scalars\n");
}

static void test_yaml_alias_bomb(void)
{
    g_autofree char *bomb = alias_bomb();
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autofree char *errors = NULL;

    /*
     * *a is 10 nodes, *b 91, *c 820, *d 7381: lines b..d make 8289 nodes,
     * then line 5 "e: &e [*d,*d,..." crosses 65536 at its 8th alias,
     * column 8 + 7 * 3.
     */
    g_assert_null(read_text(doc, "bomb.yaml", bomb));
    errors = compose_doc_errors_string(doc);
    g_assert_cmpstr(errors, ==,
                    "bomb.yaml:5:29: alias '*d' expands to too many nodes "
                    "(aliases may create at most 65536 nodes per file)\n");
}

static void test_deep_nesting(void)
{
    g_autofree char *yflow = repeat("[", 100000, "", "]", 100000);
    g_autofree char *yblock = repeat("- ", 100000, "x\n", "", 0);
    g_autofree char *jarr = repeat("[", 100000, "", "]", 100000);
    g_autofree char *jobj = repeat("{\"a\":", 100000, "1", "}", 100000);
    g_autofree char *y64 = repeat("[", 64, "x", "]", 64);
    g_autofree char *j64 = repeat("[", 64, "\"x\"", "]", 64);
    g_autofree char *y65 = repeat("[", 65, "", "]", 65);
    g_autofree char *j65 = repeat("[", 65, "", "]", 65);
    g_autofree char *y63 = repeat("[", 63, "x", "]", 63);
    g_autofree char *alias = g_strdup_printf("a: &a %s\nb: [*a]\n", y63);
    g_autofree char *alias_ok = g_strdup_printf("a: &a %s\nc: *a\n", y63);
    g_autoptr(ComposeDoc) doc = compose_doc_new();

    check_errors("d.yaml", yflow,
                 "d.yaml:1:65: nesting too deep (more than 64 levels)\n");
    check_errors("d.yaml", yblock,
                 "d.yaml:1:129: nesting too deep (more than 64 levels)\n");
    check_errors("d.json", jarr,
                 "d.json:1:65: nesting too deep (more than 64 levels)\n");
    check_errors("d.json", jobj,
                 "d.json:1:321: nesting too deep (more than 64 levels)\n");
    check_errors("d.yaml", y65,
                 "d.yaml:1:65: nesting too deep (more than 64 levels)\n");
    check_errors("d.json", j65,
                 "d.json:1:65: nesting too deep (more than 64 levels)\n");
    /* An alias may not take its node deeper than the limit either */
    check_errors("d.yaml", alias,
                 "d.yaml:2:5: nesting too deep (more than 64 levels)\n");

    /* 64 levels are fine */
    qobject_unref(read_ok(doc, "d.yaml", y64));
    qobject_unref(read_ok(doc, "d.json", j64));
    qobject_unref(read_ok(doc, "d.yaml", alias_ok));
}

static void test_duplicate_keys(void)
{
    check_errors("d.yaml",
                 "a: 1\n"
                 "b:\n"
                 "  c: 1\n"
                 "  d: 2\n"
                 "  c: 3\n"
                 "a: 4\n"
                 "e: {x: 1, x: 2}\n",
                 "d.yaml:5:3: duplicate key 'c' (first at 3:3)\n"
                 "d.yaml:6:1: duplicate key 'a' (first at 1:1)\n"
                 "d.yaml:7:11: duplicate key 'x' (first at 7:5)\n");
    check_errors("d.json",
                 "{\"a\": 1,\n"
                 " \"b\": [1, 2, {\"c\": 3, \"c\": 4}],\n"
                 " \"a\": 5}\n",
                 "d.json:2:23: duplicate key 'c' (first at 2:15)\n"
                 "d.json:3:2: duplicate key 'a' (first at 1:2)\n");
    /* Keys are compared after unescaping */
    check_errors("d.json", "{\"\\u0061\": 1, \"a\": 2}",
                 "d.json:1:15: duplicate key 'a' (first at 1:2)\n");
    check_errors("d.yaml", "a: 1\n\"a\": 2\n",
                 "d.yaml:2:1: duplicate key 'a' (first at 1:1)\n");
}

static void test_invalid_utf8(void)
{
    /* Truncated sequence; columns count characters */
    check_errors("u.yaml", "a: 1\n\xc3\xa9: caf\xc3\n",
                 "u.yaml:2:7: invalid UTF-8 (byte 0xc3)\n");
    /* Latin-1 */
    check_errors("u.json", "{\"a\":\n \"\xe9t\xe9\"}",
                 "u.json:2:3: invalid UTF-8 (byte 0xe9)\n");
    /* Overlong encoding, encoded surrogate */
    check_errors("u.yaml", "a: \xc0\xaf\n",
                 "u.yaml:1:4: invalid UTF-8 (byte 0xc0)\n");
    check_errors("u.json", "[\"\xed\xa0\x80\"]",
                 "u.json:1:3: invalid UTF-8 (byte 0xed)\n");
    /* A NUL byte */
    check_errors_len("u.yaml", "a: 1\nb\0: 2\n", 11,
                     "u.yaml:2:2: NUL character in the file\n");
    check_errors("u.yaml", "a: \"x\\0y\"\n",
                 "u.yaml:1:4: NUL character in a string\n");
}

static void test_bom(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *y = read_ok(doc, "b.yaml", "\xef\xbb\xbf" "a: 1\n");
    QObject *j = read_ok(doc, "b.json", "\xef\xbb\xbf" "{\"a\": 1}");

    check_key_loc(doc, qobject_to(QDict, y), "a", "b.yaml", 1, 1);
    check_key_loc(doc, qobject_to(QDict, j), "a", "b.json", 1, 2);
    qobject_unref(y);
    qobject_unref(j);
}

static void test_tabs(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root;

    check_errors("t.yaml", "a:\n\tb: 1\n",
                 "t.yaml:2:1: tab character in indentation "
                 "(YAML indents with spaces only)\n");
    check_errors("t.yaml", "a:\n  b: 1\n  \tc: 2\n",
                 "t.yaml:3:3: tab character in indentation "
                 "(YAML indents with spaces only)\n");
    check_errors("t.yaml", "- a\n-\tb\n",
                 "t.yaml:2:2: tab character in indentation "
                 "(YAML indents with spaces only)\n");
    /* libyaml stumbles at the ':', but the tab is the problem */
    check_errors("t.yaml", "a: 1\n \tb: 2\n",
                 "t.yaml:2:2: tab character in indentation "
                 "(YAML indents with spaces only)\n");
    check_errors("t.yaml", "a: |\n\ttext\n",
                 "t.yaml:2:1: tab character in indentation "
                 "(YAML indents with spaces only)\n");
    /* Tabs that separate rather than indent are fine */
    root = read_ok(doc, "t.yaml", "a:\t1\nb: [1,\n\t2]\n");
    g_assert_cmpstr(str_of(dict_get(root, "a")), ==, "1");
    g_assert_cmpstr(str_of(list_nth(dict_get(root, "b"), 1)), ==, "2");
    qobject_unref(root);
}

static void test_yaml_syntax_errors(void)
{
    check_errors("s.yaml", "a: [1, 2\nb: 3\n",
                 "s.yaml:2:2: YAML syntax error: did not find expected ',' "
                 "or ']' (while parsing a flow sequence at 1:4)\n");
    check_errors("s.yaml", "a: b: c\n",
                 "s.yaml:1:5: YAML syntax error: mapping values are not "
                 "allowed in this context\n");
    check_errors("s.yaml", "a: \"open\n",
                 "s.yaml:2:1: YAML syntax error: found unexpected end of "
                 "stream (while scanning a quoted scalar at 1:4)\n");
    check_errors("s.yaml", "key: [a, b]]\n",
                 "s.yaml:1:12: YAML syntax error: did not find expected key "
                 "(while parsing a block mapping at 1:1)\n");
    check_errors("s.yaml", "a: 1\nb: \x01\n",
                 "s.yaml:2:4: control characters are not allowed "
                 "(character 0x01)\n");
    /* A syntax error ends the file, after what was found before it */
    check_errors("s.yaml", "a: 1\na: 2\nb: [\n",
                 "s.yaml:2:1: duplicate key 'a' (first at 1:1)\n"
                 "s.yaml:4:1: YAML syntax error: did not find expected node "
                 "content (while parsing a flow node at 4:1)\n");
}

static void test_json_syntax_errors(void)
{
    check_errors("s.json", "{\"a\": 1,\n \"b\": [1, 2,]\n}",
                 "s.json:2:13: JSON syntax error: unexpected character\n");
    check_errors("s.json", "{\"a\" 1}",
                 "s.json:1:6: JSON syntax error: object property name "
                 "separator ':' expected\n");
    check_errors("s.json", "{\"a\": 1",
                 "s.json:1:8: JSON syntax error: unexpected end of data\n");
    check_errors("s.json", "[\"abc",
                 "s.json:1:6: JSON syntax error: unexpected end of data\n");
    check_errors("s.json", "{\"a\": 1} x",
                 "s.json:1:10: JSON syntax error: unexpected character\n");
    check_errors("s.json", "{\"a\": 1 /* c */}",
                 "s.json:1:9: JSON syntax error: object value separator ',' "
                 "expected\n");
    /* json-c accepts these even in strict mode; RFC 8259 does not */
    check_errors("s.json", "{\"a\":\n NaN}",
                 "s.json:2:2: JSON syntax error: unexpected character\n");
    check_errors("s.json", "{'a': 1}",
                 "s.json:1:2: JSON syntax error: object key (a string) "
                 "expected\n");
    check_errors("s.json", "[1.]",
                 "s.json:1:4: JSON syntax error: digit expected after '.' "
                 "in a number\n");
    check_errors("s.json", "[\"a\tb\"]",
                 "s.json:1:4: JSON syntax error: control character in a "
                 "string\n");
}

static void test_multi_document(void)
{
    check_errors("m.yaml", "a: 1\n---\nb: 2\n",
                 "m.yaml:2:1: more than one YAML document "
                 "(a description file holds one)\n");
    check_errors("m.yaml", "--- {a: 1}\n--- {b: 2}\n",
                 "m.yaml:2:1: more than one YAML document "
                 "(a description file holds one)\n");
}

static void test_tags(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *root = read_ok(doc, "t.yaml",
                            "a: !!str 12\n"
                            "b: !!int 12\n"
                            "c: !!map {x: 1}\n"
                            "d: !!seq [1]\n"
                            "e: ! plain\n");

    g_assert_cmpstr(str_of(dict_get(root, "a")), ==, "12");
    g_assert_cmpstr(str_of(dict_get(root, "b")), ==, "12");
    g_assert_cmpint(qobject_type(dict_get(root, "c")), ==, QTYPE_QDICT);
    g_assert_cmpint(qobject_type(dict_get(root, "d")), ==, QTYPE_QLIST);
    g_assert_cmpstr(str_of(dict_get(root, "e")), ==, "plain");
    qobject_unref(root);

    check_errors("t.yaml",
                 "a: !foo 1\n"
                 "b: !!binary eA==\n"
                 "c: !!map [1]\n"
                 "d: !!seq x\n"
                 "e: !<tag:example.com,2000:x> {}\n",
                 "t.yaml:1:4: unsupported YAML tag '!foo'\n"
                 "t.yaml:2:4: unsupported YAML tag '!!binary'\n"
                 "t.yaml:3:4: YAML tag '!!map' on a sequence\n"
                 "t.yaml:4:4: YAML tag '!!seq' on a scalar\n"
                 "t.yaml:5:4: unsupported YAML tag "
                 "'tag:example.com,2000:x'\n");
    /* "!!" is what %TAG makes it */
    check_errors("t.yaml", "%TAG !! tag:example.com,2000:\n---\na: !!str x\n",
                 "t.yaml:3:4: unsupported YAML tag "
                 "'tag:example.com,2000:str'\n");
}

static void test_non_scalar_keys(void)
{
    check_errors("k.yaml",
                 "? [1, 2]\n"
                 ": x\n"
                 "{a: 1}: y\n"
                 "ok: 1\n"
                 "'': 2\n",
                 "k.yaml:1:3: mapping keys must be scalars\n"
                 "k.yaml:3:1: mapping keys must be scalars\n"
                 "k.yaml:5:1: empty mapping key\n");
    check_errors("k.json", "{\"\": 1}", "k.json:1:2: empty mapping key\n");
}

static void test_empty(void)
{
    check_errors("e.yaml", "", "e.yaml:1:1: empty description file\n");
    check_errors("e.yaml", "# only a comment\n\n",
                 "e.yaml:1:1: empty description file\n");
    check_errors("e.yaml", "---\n", "e.yaml:1:1: empty description file\n");
    check_errors("e.json", "", "e.json:1:1: empty description file\n");
    check_errors("e.json", "\n \t\r\n",
                 "e.json:1:1: empty description file\n");
}

static void test_empty_file(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autofree char *path = make_tmp_file(".yaml", "", 0);
    g_autofree char *expected = g_strdup_printf(
        "%s:1:1: empty description file\n", path);
    g_autofree char *errors = NULL;

    g_assert_null(compose_doc_read_file(doc, path, NULL));
    errors = compose_doc_errors_string(doc);
    g_assert_cmpstr(errors, ==, expected);
    unlink(path);
}

static void test_files(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("compose-reader-XXXXXX", &err);
    g_autofree char *missing = g_build_filename(dir, "missing.yaml", NULL);
    g_autofree char *good = make_tmp_file(".json", "{\"a\": [1]}", 10);
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autofree char *errors = NULL, *expected = NULL;
    QObject *root;

    g_assert_no_error(err);
    g_assert_null(compose_doc_read_file(doc, dir, NULL));
    g_assert_null(compose_doc_read_file(doc, missing, NULL));
    root = compose_doc_read_file(doc, good, NULL);
    g_assert_nonnull(root);
    check_node_loc(doc, list_nth(dict_get(root, "a"), 0), good, 1, 8);

    errors = compose_doc_errors_string(doc);
    expected = g_strdup_printf(
        "%s:1:1: cannot read '%s': it is a directory\n"
        "%s:1:1: cannot open '%s': No such file or directory\n",
        dir, dir, missing, missing);
    g_assert_cmpstr(errors, ==, expected);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 2);
    qobject_unref(root);
    unlink(good);
    rmdir(dir);
}

static void test_included_from(void)
{
    g_autofree char *inc = make_tmp_file(".yaml", "a: 1\na: 2\n", 10);
    g_autofree char *inc2 = make_tmp_file(".yaml", "b: [\n", 5);
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    ComposeLoc from = { .file = "main.yaml", .line = 3, .col = 5 };
    ComposeLoc from2 = { .file = NULL, .line = 1, .col = 4 };
    g_autofree char *errors = NULL, *expected = NULL;

    g_assert_null(compose_doc_read_file(doc, inc, &from));
    /* Missing: reported where it was included */
    g_assert_null(compose_doc_read_file(doc, "/nonexistent/x.yaml", &from));
    /* Nested include: the whole chain */
    from2.file = inc;
    g_assert_null(compose_doc_read_file(doc, inc2, &from2));

    errors = compose_doc_errors_string(doc);
    expected = g_strdup_printf(
        "%s:2:1: duplicate key 'a' (first at 1:1) "
        "(included from main.yaml:3:5)\n"
        "main.yaml:3:5: cannot open '/nonexistent/x.yaml': "
        "No such file or directory\n"
        "%s:2:1: YAML syntax error: did not find expected node content "
        "(while parsing a flow node at 2:1) (included from %s:1:4, "
        "from main.yaml:3:5)\n",
        inc, inc2, inc);
    g_assert_cmpstr(errors, ==, expected);
    unlink(inc);
    unlink(inc2);
}

static void test_size_limit(void)
{
    size_t len = COMPOSE_DOC_MAX_FILE_SIZE + 1;
    g_autofree char *big = g_malloc(len);
    g_autofree char *expected = NULL, *errors = NULL, *path = NULL;
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    int fd;

    memset(big, ' ', len);
    check_errors_len("big.yaml", big, len,
                     "big.yaml:1:1: file too large (16777217 bytes, "
                     "at most 16777216)\n");

    /* A sparse file: the size is checked before reading */
    fd = g_file_open_tmp("compose-reader-XXXXXX.yaml", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, 20 * 1024 * 1024), ==, 0);
    close(fd);
    g_assert_null(compose_doc_read_file(doc, path, NULL));
    errors = compose_doc_errors_string(doc);
    expected = g_strdup_printf("%s:1:1: '%s' is too large (20971520 bytes, "
                               "at most 16777216)\n", path, path);
    g_assert_cmpstr(errors, ==, expected);
    unlink(path);
}

static void test_format_detection(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    QObject *obj;

    /* A trailing comma: fine in a YAML flow mapping, not in JSON */
    check_errors("board", "\t\r\n{\"a\": 1,}",
                 "board:2:9: JSON syntax error: unexpected character\n");
    check_errors("board.JSON", "{\"a\": 1,}",
                 "board.JSON:1:9: JSON syntax error: unexpected character\n");
    check_errors("b.json", "a: 1\n",
                 "b.json:1:1: JSON syntax error: unexpected character\n");
    obj = read_ok(doc, "board.yaml", "{\"a\": 1,}");
    g_assert_cmpstr(str_of(dict_get(obj, "a")), ==, "1");
    qobject_unref(obj);
    obj = read_ok(doc, "board.YML", "[1,]");
    g_assert_cmpuint(qlist_size(qobject_to(QList, obj)), ==, 1);
    qobject_unref(obj);
    obj = read_ok(doc, "board", "a: 1\n");
    g_assert_cmpstr(str_of(dict_get(obj, "a")), ==, "1");
    qobject_unref(obj);
    obj = read_ok(doc, "board.txt", "\n [\"x\"]");
    g_assert_cmpstr(str_of(list_nth(obj, 0)), ==, "x");
    check_node_loc(doc, list_nth(obj, 0), "board.txt", 2, 3);
    qobject_unref(obj);
}

static void test_many_errors(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(GString) text = g_string_new("x: 1\n");
    g_autofree char *errors = NULL;
    g_autofree char *last = NULL;
    Error *err = NULL;
    char *p;
    int i;

    /* Several kinds at once, in document order; then a syntax error */
    check_errors("many.yaml",
                 "a: 1\n"
                 "b: !foo x\n"
                 "a: 2\n"
                 "c: *missing\n"
                 "? [k]\n"
                 ": v\n"
                 "d: {e: 1, e: 2}\n"
                 "f: [\n",
                 "many.yaml:2:4: unsupported YAML tag '!foo'\n"
                 "many.yaml:3:1: duplicate key 'a' (first at 1:1)\n"
                 "many.yaml:4:4: undefined alias '*missing'\n"
                 "many.yaml:5:3: mapping keys must be scalars\n"
                 "many.yaml:7:11: duplicate key 'e' (first at 7:5)\n"
                 "many.yaml:9:1: YAML syntax error: did not find expected "
                 "node content (while parsing a flow node at 9:1)\n");
    check_errors("many.json",
                 "{\"a\": 1, \"a\": 2, \"b\": \"\\ud800\", \"b\": 3}",
                 "many.json:1:10: duplicate key 'a' (first at 1:2)\n"
                 "many.json:1:24: unpaired UTF-16 surrogate \\ud800 in a "
                 "string\n"
                 "many.json:1:33: duplicate key 'b' (first at 1:18)\n");

    /* Errors of two files accumulate; compose_doc_check() has them all */
    g_assert_null(read_text(doc, "one.yaml", "a: 1\na: 2\n"));
    g_assert_null(read_text(doc, "two.json", "[1,]"));
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 2);
    g_assert_false(compose_doc_check(doc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "one.yaml:2:1: duplicate key 'a' (first at 1:1)\n"
                    "two.json:1:4: JSON syntax error: unexpected character");
    error_free(err);

    /* A flood is cut off */
    for (i = 0; i < 150; i++) {
        g_string_append(text, "x: 1\n");
    }
    g_assert_null(read_text(doc, "flood.yaml", text->str));
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 2 + 101);
    errors = compose_doc_errors_string(doc);
    errors[strlen(errors) - 1] = '\0';
    p = strrchr(errors, '\n');
    g_assert_nonnull(p);
    last = g_strdup(p + 1);
    g_assert_cmpstr(last, ==, "flood.yaml:101:1: too many errors, giving up");
}

static void test_doc_api(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) dict = qdict_new();
    QString *s = qstring_from_str("v");
    g_autofree char *name = g_strdup("gen.yaml");
    ComposeLoc loc = { .file = name, .line = 7, .col = 3 };
    g_autofree const char **keys = NULL;
    g_autofree char *errors = NULL;
    Error *err = NULL;

    g_assert_true(compose_doc_check(doc, &err));
    g_assert_null(err);
    g_assert_null(compose_doc_loc(doc, QOBJECT(dict)));

    compose_doc_set_loc(doc, QOBJECT(s), &loc);
    compose_doc_set_key_loc(doc, dict, "zz", &loc);
    loc.line = 8;
    compose_doc_set_key_loc(doc, dict, "aa", &loc);
    qdict_put(dict, "zz", s);
    qdict_put_str(dict, "aa", "w");
    qdict_put_str(dict, "mm", "u");
    /* Copies: the caller's name may go away */
    name[0] = 'X';
    check_node_loc(doc, QOBJECT(s), "gen.yaml", 7, 3);
    check_key_loc(doc, dict, "zz", "gen.yaml", 7, 3);
    check_key_loc(doc, dict, "aa", "gen.yaml", 8, 3);
    g_assert_null(compose_doc_key_loc(doc, dict, "mm"));
    /* Null has no location (it is a singleton) */
    compose_doc_set_loc(doc, QOBJECT(qnull()), &loc);
    g_assert_null(compose_doc_loc(doc, QOBJECT(qnull())));

    keys = compose_doc_keys(doc, dict);
    g_assert_cmpstr(keys[0], ==, "zz");
    g_assert_cmpstr(keys[1], ==, "aa");
    g_assert_cmpstr(keys[2], ==, "mm");
    g_assert_null(keys[3]);

    compose_doc_error(doc, &loc, "unknown property '%s'", "adress");
    compose_doc_error(doc, NULL, "no location");
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 2);
    errors = compose_doc_errors_string(doc);
    g_assert_cmpstr(errors, ==,
                    "Xen.yaml:8:3: unknown property 'adress'\n"
                    "no location\n");
    g_assert_false(compose_doc_check(doc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Xen.yaml:8:3: unknown property 'adress'\nno location");
    error_free(err);
}

/* compose_doc_take_errors(): what a reset reports, once */
static void test_take_errors(void)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    ComposeLoc loc = { .file = "r.yaml", .line = 3, .col = 5 };
    g_autofree char *taken = NULL;
    g_autofree char *again = NULL;
    g_autofree char *all = NULL;
    g_autofree char *expect = NULL;
    unsigned i, mark;

    compose_doc_error(doc, &loc, "at build");
    mark = compose_doc_error_count(doc);
    compose_doc_error(doc, &loc, "reset %d", 1);
    taken = compose_doc_take_errors(doc, mark);
    g_assert_cmpstr(taken, ==, "r.yaml:3:5: reset 1\n");
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 1);
    /* the next reset: its own problem only */
    compose_doc_error(doc, &loc, "reset %d", 2);
    again = compose_doc_take_errors(doc, mark);
    g_assert_cmpstr(again, ==, "r.yaml:3:5: reset 2\n");
    all = compose_doc_errors_string(doc);
    g_assert_cmpstr(all, ==, "r.yaml:3:5: at build\n");
    g_clear_pointer(&taken, g_free);
    g_clear_pointer(&again, g_free);
    g_clear_pointer(&all, g_free);

    /* past the diagnostics a document keeps: counted, taken, forgotten */
    for (i = 1; i < COMPOSE_DOC_MAX_ERRORS; i++) {
        compose_doc_error(doc, NULL, "e%u", i);
    }
    mark = compose_doc_error_count(doc);
    g_assert_cmpuint(mark, ==, COMPOSE_DOC_MAX_ERRORS);
    compose_doc_error(doc, NULL, "lost 1");
    compose_doc_error(doc, NULL, "lost 2");
    taken = compose_doc_take_errors(doc, mark);
    g_assert_cmpstr(taken, ==, "... and 2 more problems\n");
    g_assert_cmpuint(compose_doc_error_count(doc), ==, mark);
    all = compose_doc_errors_string(doc);
    g_assert_null(strstr(all, "more problems"));
    /* a mark below the last kept one: the kept ones, then the count */
    compose_doc_error(doc, NULL, "lost 3");
    again = compose_doc_take_errors(doc, mark - 1);
    expect = g_strdup_printf("e%u\n... and 1 more problems\n",
                             COMPOSE_DOC_MAX_ERRORS - 1);
    g_assert_cmpstr(again, ==, expect);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, mark - 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/compose-reader/yaml/locations", test_yaml_locations);
    g_test_add_func("/compose-reader/json/locations", test_json_locations);
    g_test_add_func("/compose-reader/crlf-locations", test_crlf_locations);
    g_test_add_func("/compose-reader/keys-in-order",
                    test_keys_in_document_order);
    g_test_add_func("/compose-reader/many-keys", test_many_keys);
    g_test_add_func("/compose-reader/scalars-stay-text",
                    test_scalars_stay_text);
    g_test_add_func("/compose-reader/json/unicode-escapes",
                    test_json_unicode_escapes);
    g_test_add_func("/compose-reader/yaml/null-forms", test_yaml_null_forms);
    g_test_add_func("/compose-reader/json/null", test_json_null);
    g_test_add_func("/compose-reader/yaml/aliases", test_yaml_aliases);
    g_test_add_func("/compose-reader/yaml/alias-errors",
                    test_yaml_alias_errors);
    g_test_add_func("/compose-reader/yaml/alias-bomb", test_yaml_alias_bomb);
    g_test_add_func("/compose-reader/deep-nesting", test_deep_nesting);
    g_test_add_func("/compose-reader/duplicate-keys", test_duplicate_keys);
    g_test_add_func("/compose-reader/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/compose-reader/bom", test_bom);
    g_test_add_func("/compose-reader/yaml/tabs", test_tabs);
    g_test_add_func("/compose-reader/yaml/syntax-errors",
                    test_yaml_syntax_errors);
    g_test_add_func("/compose-reader/json/syntax-errors",
                    test_json_syntax_errors);
    g_test_add_func("/compose-reader/yaml/multi-document",
                    test_multi_document);
    g_test_add_func("/compose-reader/yaml/tags", test_tags);
    g_test_add_func("/compose-reader/yaml/non-scalar-keys",
                    test_non_scalar_keys);
    g_test_add_func("/compose-reader/empty", test_empty);
    g_test_add_func("/compose-reader/empty-file", test_empty_file);
    g_test_add_func("/compose-reader/files", test_files);
    g_test_add_func("/compose-reader/included-from", test_included_from);
    g_test_add_func("/compose-reader/size-limit", test_size_limit);
    g_test_add_func("/compose-reader/format-detection",
                    test_format_detection);
    g_test_add_func("/compose-reader/many-errors", test_many_errors);
    g_test_add_func("/compose-reader/doc-api", test_doc_api);
    g_test_add_func("/compose-reader/take-errors", test_take_errors);

    return g_test_run();
}
