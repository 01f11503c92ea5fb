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
 * Fuzzer finding (a slow unit on a loaded machine): aliases that refer
 * to the node containing them, inside an alias bomb.  Each is reported,
 * and the bomb stops at the budget.
 */
static void test_alias_cycle_bomb(void)
{
    read_fails("b.yaml",
               "a: &a [x, x, x, x, x, x, x, x]\n"
               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
               "d: &d [*c, *c, *c, *c, ^c, *c, *c, *c]\n"
               "e: &e [*d, [*e, *e, *e, *e, *e, *e, *e, *e], *d, *d]\n"
               "f: [*e, *e, *e, *e, *e, *e, *e, *e]\n",
               "b.yaml:5:13: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:17: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:21: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:25: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:29: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:33: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:37: alias '*e' refers to a node that contains it\n"
               "b.yaml:5:41: alias '*e' refers to a node that contains it\n"
               "b.yaml:6:17: alias '*e' expands to too many nodes (aliases "
               "may create at most 65536 nodes per file)\n");
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


/* Load @text as "t.yaml" (beside other files put() before) */
static QDict *load_text(Fixture *f, ComposeDoc *doc, const char *text,
                        const QDict *params, const ComposeFacts *facts)
{
    put(f, "t.yaml", text);
    return load(f, doc, "t.yaml", params, facts, NULL);
}

/* Loading @text fails with exactly @expected */
static void load_fails(Fixture *f, const char *text, const char *expected)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = load_text(f, doc, text, NULL, NULL);
    g_autofree char *err = errors(doc, f);

    g_assert_cmpstr(err, ==, expected);
    g_assert_null(b);
}

/* Loading @text succeeds; the board */
static QDict *load_ok(Fixture *f, ComposeDoc *doc, const char *text)
{
    QDict *b = load_text(f, doc, text, NULL, NULL);
    g_autofree char *err = errors(doc, f);

    g_assert_cmpstr(err, ==, "");
    g_assert(b);                /* fatal: the test cannot go on */
    return b;
}

/* qdict_get_str() of the path @path ("props.address") in entry @name */
static const char *get(QDict *b, const char *name, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, ".", 0);
    QDict *d = entry(b, "devices", name);
    size_t i;

    g_assert_nonnull(d);
    for (i = 0; parts[i + 1]; i++) {
        d = qdict_get_qdict(d, parts[i]);
        g_assert_nonnull(d);
    }
    return qdict_get_try_str(d, parts[i]);
}

static const char base_yaml[] =
    "version: 1\n"
    "devices:\n"
    "  - {name: a, type: pl011, props: {x: 1}}\n"
    "  - {name: b, type: pl011}\n";

/*
 * A name declared again without "override" is an error that says where
 * it was declared first, in an included file or in the same list.
 */
static void test_override_explicit(Fixture *f, gconstpointer data)
{
    put(f, "base.yaml", base_yaml);
    load_fails(f,
        "version: 1\n"
        "include: [base.yaml]\n"
        "devices:\n"
        "  - {name: a, props: {x: 2}}\n"
        "  - {name: c, type: pl011}\n"
        "  - {name: c, if: defaults, props: {y: 1}}\n"
        "cpus:\n"
        "  - {type: t}\n"
        "  - {type: t, count: 2}\n",
        "t.yaml:4:12: devices: 'a' is already declared at base.yaml:3:12 "
        "(to change it, write 'override: a')\n"
        "t.yaml:6:12: devices: 'c' is already declared at t.yaml:5:12 "
        "(to change it, write 'override: c')\n"
        "t.yaml:9:5: cpus: 'cpu' is already declared at t.yaml:8:5 "
        "(to change it, write 'override: cpu')\n");
    load_fails(f,
        "version: 1\n"
        "include: [base.yaml]\n"
        "devices:\n"
        "  - {name: a, override: a, props: {x: 2}}\n"
        "  - {name: b, drop: true}\n"
        "  - {override: [a], props: {}}\n"
        "  - {override: z, if: kernel, props: {}}\n",
        "t.yaml:4:6: devices: an entry has 'name' or 'override', not both "
        "(an override keeps the name it changes)\n"
        "t.yaml:5:15: devices: 'drop' removes an entry declared before: "
        "write 'override: b' with it\n"
        "t.yaml:6:6: devices: 'override' must be the name of an entry "
        "declared before\n"
        "t.yaml:7:16: devices: nothing named 'z' to override (did you mean "
        "'a'?)\n");
}

/*
 * Overrides apply in the order written, conditional or not; one of an
 * entry whose own condition is false has nothing to do.  Parameters are
 * overridden the same way.
 */
static void test_override_order(Fixture *f, gconstpointer data)
{
    ComposeFacts facts = { .kernel = true, .defaults = true };
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;

    put(f, "base.yaml",
        "version: 1\n"
        "params: [{name: p, type: int, default: 1}]\n"
        "devices:\n"
        "  - {name: a, type: pl011, props: {x: 1}}\n"
        "  - {override: a, if: kernel, props: {x: 2, k: $p}}\n"
        "  - {name: gone, type: pl011, if: \"!kernel\"}\n");
    b = load_text(f, doc,
        "version: 1\n"
        "include: [base.yaml]\n"
        "params: [{override: p, default: 7}]\n"
        "devices:\n"
        "  - {override: a, props: {x: 3}}\n"
        "  - {override: gone, props: {x: 4}}\n"
        "  - {override: a, if: defaults, props: {y: $p}}\n",
        NULL, &facts);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    g_assert(b);                /* fatal: the test cannot go on */
    assert_names(b, "devices", "a");
    g_assert_cmpstr(get(b, "a", "props.x"), ==, "3");
    g_assert_cmpstr(get(b, "a", "props.k"), ==, "7");
    g_assert_cmpstr(get(b, "a", "props.y"), ==, "7");
    g_assert_false(qdict_haskey(entry(b, "devices", "a"), "override"));
}

/* for: a range; the variable in names, addresses, buses, keys */
static void test_for_range(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = load_ok(f, doc,
        "version: 1\n"
        "devices:\n"
        "  - {name: gic, type: gic}\n"
        "  - for: {i: 0..3}\n"
        "    name: uart${i}\n"
        "    type: pl011\n"
        "    bus: \"i2c/bus[${i + 8}]\"\n"
        "    mmio: [{addr: \"${0x1000 * $i + 0x10000000}\"}]\n"
        "    irqs: {\"sysbus-irq[${i}]\": \"gic[${32 + i}]\"}\n"
        "  - {name: last, type: x, props: {n: $$i}}\n");
    QDict *u3 = entry(b, "devices", "uart3");
    QDict *irqs;
    QDict *mmio0;

    assert_names(b, "devices", "gic uart0 uart1 uart2 uart3 last");
    g_assert_cmpstr(get(b, "uart3", "bus"), ==, "i2c/bus[11]");
    mmio0 = qobject_to(QDict, qlist_peek(qdict_get_qlist(u3, "mmio")));
    g_assert_cmpstr(qdict_get_str(mmio0, "addr"), ==, "268447744");
    irqs = qdict_get_qdict(u3, "irqs");
    g_assert_cmpstr(qdict_get_str(irqs, "sysbus-irq[3]"), ==, "gic[35]");
    g_assert_false(qdict_haskey(u3, "for"));
    g_assert_cmpstr(get(b, "last", "props.n"), ==, "$i");
    /* copies are located at what they were made from */
    g_assert_cmpuint(compose_doc_loc(doc, qdict_get(u3, "bus"))->line, ==,
                     7);
    g_assert_cmpuint(compose_doc_key_loc(doc, irqs, "sysbus-irq[3]")->line,
                     ==, 9);
}

/*
 * for: lists of values, several variables (the first outermost), "each"
 * with several entries, nested, "if" using the variables, scalars
 */
static void test_for_lists(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = load_ok(f, doc,
        "version: 1\n"
        "params: [{name: n, type: int, default: 2}]\n"
        "devices:\n"
        "  - for: {bus: [3, 8], addr: [0x48, 0x4a]}\n"
        "    name: t${bus}-${addr:x}\n"
        "    type: tmp105\n"
        "    props: {address: $addr}\n"
        "  - for: {m: 0..$n - 1}\n"
        "    each:\n"
        "      - {name: \"mux${m}\", type: pca9548}\n"
        "      - for: {ch: [0, 1, 2]}\n"
        "        if: ${ch % 2} == 0 && $m != 0\n"
        "        name: mux${m}-ch${ch}\n"
        "        type: eeprom\n"
        "  - name: soc\n"
        "    type: soc\n"
        "    serials: [uart5, {for: {u: 0..2}, each: [\"uart[${u}]\"]}]\n");
    QList *serials = qdict_get_qlist(entry(b, "devices", "soc"), "serials");
    g_autoptr(GString) s = g_string_new(NULL);
    QListEntry *e;

    assert_names(b, "devices",
                 "t3-48 t3-4a t8-48 t8-4a mux0 mux1 mux1-ch0 mux1-ch2 soc");
    g_assert_cmpstr(get(b, "t8-4a", "props.address"), ==, "0x4a");
    QTAILQ_FOREACH(e, &serials->head, next) {
        g_string_append_printf(s, "%s ",
                               qstring_get_str(qobject_to(QString,
                                                          e->value)));
    }
    g_assert_cmpstr(s->str, ==, "uart5 uart[0] uart[1] uart[2] ");
}

static void test_for_errors(Fixture *f, gconstpointer data)
{
    load_fails(f,
        "version: 1\n"
        "params: [{name: p, type: int, default: 2}]\n"
        "constants: {K: 1}\n"
        "devices:\n"
        "  - {for: 3, name: a}\n"
        "  - {for: {1x: 0..1}, name: b}\n"
        "  - {for: {p: 0..1}, name: c}\n"
        "  - {for: {K: 0..1}, name: d}\n"
        "  - {for: {i: 0..1}, each: {name: e}}\n"
        "  - {for: {i: 0..1}, each: [{name: f}], type: x}\n"
        "  - {for: {i: a..b}, name: g}\n"
        "  - {for: {i: 0..65536}, name: h}\n"
        "  - {for: {i: [[1]]}, name: i}\n"
        "  - {for: {i: {a: 1}}, name: j}\n"
        "  - {for: {i: 0..1}, each: [{for: {i: [2]}, name: k}]}\n"
        "  - {for: {i: 0..2}, name: \"l${j}\"}\n",
        "t.yaml:5:6: 'for' must map loop variables to their values "
        "(for: {i: 0..3})\n"
        "t.yaml:6:12: for: invalid variable name '1x' (letters, digits, "
        "'-' and '_', starting with a letter)\n"
        "t.yaml:7:12: for: variable 'p' has the name of a parameter\n"
        "t.yaml:8:12: for: variable 'K' has the name of a constant\n"
        "t.yaml:9:22: 'each' must be a list of entries\n"
        "t.yaml:10:41: 'type' beside 'for' and 'each': it goes in the "
        "entries of 'each'\n"
        "t.yaml:11:15: for: 'a..b' of 'i' is not a range of integers "
        "(FIRST..LAST)\n"
        "t.yaml:12:15: for: 'i' takes 65537 values (at most 65536)\n"
        "t.yaml:13:16: for: the values of 'i' must be scalars\n"
        "t.yaml:14:15: for: 'i' takes a range (FIRST..LAST), a list or "
        "one value\n"
        "t.yaml:15:36: for: variable 'i' has the name of a loop variable "
        "around it\n"
        "t.yaml:16:28: unknown name '$j' (did you mean '$K'?)\n");
}

/* A repetition cannot make more than COMPOSE_MAX_FOR_NODES nodes */
static void test_for_budget(Fixture *f, gconstpointer data)
{
    load_fails(f,
        "version: 1\n"
        "devices:\n"
        "  - for: {a: 0..65535, b: 0..65535}\n"
        "    name: d${a}-${b}\n",
        "t.yaml:3:5: for: repetitions make more than 262144 nodes\n");
}

/* A long value substituted many times is a bomb, stopped at a budget */
static void test_substitution_budget(Fixture *f, gconstpointer data)
{
    g_autoptr(GString) text = g_string_new("version: 1\nconstants: {BIG: ");

    g_string_append_printf(text, "%0*d}\n", 1024 * 1024, 7);
    g_string_append(text,
        "devices:\n"
        "  - {for: {i: 0..99}, name: \"d${i}\", type: x, props: {p: $BIG}}\n");
    /* 64 MiB: COMPOSE_MAX_SUBST_BYTES */
    load_fails(f, text->str,
               "t.yaml:4:58: substitutions make more than 64 MiB of text\n");
}

/*
 * A flood of diagnostics is counted but not all kept; a long value
 * quoted in each of them is cut short
 */
static void test_diagnostic_flood(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(GString) text = g_string_new("version: 1\nconstants: {BIG: ");
    g_autoptr(QDict) b = NULL;
    g_autofree char *all = NULL;
    g_auto(GStrv) lines = NULL;
    int i;

    g_string_append_printf(text, "%0*d}\ndevices:\n", 4096, 7);
    for (i = 0; i < 1500; i++) {
        g_string_append_printf(text, "  - {name: d%d, if: $BIG}\n", i);
    }
    b = load_text(f, doc, text->str, NULL, NULL);
    g_assert_null(b);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 1500);
    all = errors(doc, f);
    lines = g_strsplit(all, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 1000 + 2);
    g_assert_true(g_str_has_prefix(lines[0], "t.yaml:4:20: invalid "
                                   "condition '$BIG': '$BIG' is '000"));
    g_assert_true(g_str_has_suffix(lines[0], "000..."));
    g_assert_cmpuint(strlen(lines[0]), ==, strlen("t.yaml:4:20: ") + 1024 + 3);
    g_assert_cmpstr(lines[1000], ==, "... and 500 more problems");
}

/* Integer expressions: C precedence, parentheses, K/M/G, hexadecimal */
static void test_expressions(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *expr, *value;
    } cases[] = {
        { "$a | $b", "5" },
        { "$a + 2 * 3", "7" },
        { "($a + 2) * 3", "9" },
        { "$b << 4 | 1", "65" },
        { "${1 << 2 + 1}", "8" },
        { "1 << 2 + $a", "8" },
        { "$big - 1", "4294967295" },
        { "-$a - 1", "-2" },
        { "${~0 & 0xff}", "255" },
        { "${7 / 2 + 7 % 2 - 1}", "3" },
        { "${0x10 ^ 0x11}", "1" },
        { "0x10 + ${a + b}", "21" },
        { "${a} + 1", "1 + 1" },
        { "$a == 1", "1" },
        { "$a != 1 || $b >= 4", "1" },
        { "$a < 1 && $b <= 4", "0" },
        { "$a > 0 ? 0x50 : 0x52", "80" },
        { "${b == 4 ? 0x50 : 0x52:x}", "50" },
        { "$a ? $b ? 1 : 2 : 3", "1" },
        { "!$a + 2", "2" },
        { "$a == 0 && 1 / ($a - 1)", "0" },
        { "$a || 1 % 0", "1" },
        { "$a ? 5 : 1 << 99", "5" },
        { "0xc0 | ($emmc ? 4 : 0)", "196" },
        { "${off + 1}", "1" },
        { "$size + 4K", "536875008" },
        { "${$a + 1}", "2" },
        { "${ (a + 1) * 3 }", "6" },
        { "${b}-${a}", "4-1" },
        { "${0x4a:x}", "4a" },
        { "${s}.x", "text.x" },
        { "$s", "text" },
        { "$$a", "$a" },
        { "x$${a}", "x${a}" },
        { "a$$b", "a$b" },
    };
    g_autoptr(GString) text = g_string_new(
        "version: 1\n"
        "params: [{name: size, type: size, default: 512M},\n"
        "         {name: emmc, type: bool, default: on}]\n"
        "constants: {a: 1, b: 4, big: 0x100000000, s: text, off: \"no\"}\n"
        "devices:\n"
        "  - name: d\n"
        "    props:\n");
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_string_append_printf(text, "      p%zu: \"%s\"\n", i,
                               cases[i].expr);
    }
    b = load_ok(f, doc, text->str);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *key = g_strdup_printf("props.p%zu", i);

        g_assert_cmpstr(get(b, "d", key), ==, cases[i].value);
    }
}

static void test_expression_errors(Fixture *f, gconstpointer data)
{
    static const char *const exprs[] = {
        "$max + 1", "$max * 2", "1 << $b63", "$max << 1", "1 / ${b0}",
        "$b1 % (2 - 2)", "1 << ${b63 + 1}", "$mod + 1", "$mode + 1",
        "$max + (1", "$max +", "$max 1", "x${1 +}", "x${1", "${1:d}",
        "0x1z + $max",
        "${((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))"
        "))))))}",
        "99999999999999999999 + $max", "-(-$max - 1)", "$ + 1",
        "mux$b1", "(${b1 + } )", "$b1 ? 2", "$b0 ? 2 : 1 / $b0",
    };
    g_autoptr(GString) text = g_string_new(
        "version: 1\n"
        "params: [{name: mode, type: str, default: fast}]\n"
        "constants: {max: 0x7fffffffffffffff, b0: 0, b1: 1, b63: 63}\n"
        "devices:\n");
    size_t i;

    for (i = 0; i < ARRAY_SIZE(exprs); i++) {
        g_string_append_printf(text, "  - {name: d%zu, props: {v: \"%s\"}}\n",
                               i, exprs[i]);
    }
    load_fails(f, text->str,
        "t.yaml:5:27: expression '$max + 1': integer overflow\n"
        "t.yaml:6:27: expression '$max * 2': integer overflow\n"
        "t.yaml:7:27: expression '1 << $b63': integer overflow\n"
        "t.yaml:8:27: expression '$max << 1': integer overflow\n"
        "t.yaml:9:27: expression '1 / ${b0}': division by zero\n"
        "t.yaml:10:27: expression '$b1 % (2 - 2)': division by zero\n"
        "t.yaml:11:27: expression '1 << ${b63 + 1}': shift by 64 (0 to "
        "63)\n"
        "t.yaml:12:27: unknown name '$mod' (did you mean '$mode'?)\n"
        "t.yaml:13:27: expression '$mode + 1': '$mode' is 'fast', not an "
        "integer\n"
        "t.yaml:14:27: expression '$max + (1': ')' expected at ''\n"
        "t.yaml:15:28: expression '$max +': a value is missing at the "
        "end\n"
        "t.yaml:16:28: expression '$max 1': unexpected '1'\n"
        "t.yaml:17:28: expression 'x${1 +}': a value is missing at the "
        "end\n"
        "t.yaml:18:28: 'x${1': '${' without '}'\n"
        "t.yaml:19:28: '${1:d}': unknown format ':d' (':x' is "
        "hexadecimal)\n"
        "t.yaml:20:28: expression '0x1z + $max': '0x1z' is not an integer "
        "(or is too large)\n"
        "t.yaml:21:28: expression '${(((((((((((((((((((((((((((((((((("
        "1))))))))))))))))))))))))))))))))))}': nested deeper than 32\n"
        "t.yaml:22:28: expression '99999999999999999999 + $max': "
        "'99999999999999999999' is not an integer (or is too large)\n"
        "t.yaml:23:28: expression '-(-$max - 1)': integer overflow\n"
        "t.yaml:24:28: expression '$ + 1': a name is expected after '$'\n"
        "t.yaml:25:28: 'mux$b1': write '${b1}' to put '$b1' in a text, "
        "'$$' for a '$'\n"
        "t.yaml:26:28: expression '(${b1 + } )': a value is missing at "
        "the end\n"
        "t.yaml:27:28: expression '$b1 ? 2': ':' expected at ''\n"
        "t.yaml:28:28: expression '$b0 ? 2 : 1 / $b0': division by zero\n");
}

/* Named constants: shared through includes, defined once */
static void test_constants(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;

    put(f, "straps.yaml",
        "version: 1\n"
        "constants:\n"
        "  HW_STRAP1: 0xc0\n"
        "  BOOT_SRC_EMMC: \"${1 << 2}\"\n"
        "  STRAP_EMMC: $HW_STRAP1 | ${BOOT_SRC_EMMC}\n");
    put(f, "soc.yaml",
        "version: 1\n"
        "include: [straps.yaml]\n"
        "constants: {SOC: ast2600-a3}\n"
        "devices:\n"
        "  - {name: soc, type: $SOC, props: {hw-strap1: $HW_STRAP1}}\n");
    b = load_ok(f, doc,
        "version: 1\n"
        "include: [soc.yaml, straps.yaml]\n"
        "constants: {BOOT_SRC_EMMC: \"${1 << 2}\"}\n"
        "devices:\n"
        "  - {override: soc, props: {hw-strap2: $STRAP_EMMC}}\n");
    g_assert_cmpstr(get(b, "soc", "type"), ==, "ast2600-a3");
    g_assert_cmpstr(get(b, "soc", "props.hw-strap1"), ==, "0xc0");
    g_assert_cmpstr(get(b, "soc", "props.hw-strap2"), ==, "196");
    g_assert_false(qdict_haskey(b, "constants"));

    load_fails(f,
        "version: 1\n"
        "include: [straps.yaml]\n"
        "params: [{name: p, type: int, default: 1}]\n"
        "constants:\n"
        "  HW_STRAP1: 0xc4\n"
        "  p: 2\n"
        "  9x: 3\n"
        "  list: [1]\n"
        "  A: $B + 1\n"
        "  B: $A + 1\n",
        "t.yaml:5:3: constant 'HW_STRAP1' is already defined at "
        "straps.yaml:3:3\n");
    load_fails(f,
        "version: 1\n"
        "params: [{name: p, type: int, default: 1}]\n"
        "constants:\n"
        "  p: 2\n"
        "  9x: 3\n"
        "  list: [1]\n"
        "  A: $B + 1\n"
        "  B: $A + 1\n",
        "t.yaml:4:3: constant 'p' has the name of a parameter\n"
        "t.yaml:5:3: invalid constant name '9x' (letters, digits, '-' and "
        "'_', starting with a letter)\n"
        "t.yaml:6:3: constant 'list' must be a scalar\n"
        "t.yaml:8:6: constant 'A' is defined in terms of itself\n");
    load_fails(f, "version: 1\nconstants: [1]\n",
        "t.yaml:2:12: 'constants' must be a mapping from names to values\n");
}

/* Conditions with parentheses; "!" of anything; their errors */
static void test_condition_parens(Fixture *f, gconstpointer data)
{
    ComposeFacts facts = { .kernel = true, .defaults = false };
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = load_text(f, doc,
        "version: 1\n"
        "params: [{name: t, type: bool, default: true},\n"
        "         {name: m, type: str, default: x}]\n"
        "devices:\n"
        "  - {name: a, if: (kernel || defaults) && $t}\n"
        "  - {name: b, if: kernel || defaults && !$t}\n"
        "  - {name: c, if: (kernel || defaults) && !$t}\n"
        "  - {name: d, if: \"!(kernel && $m == x)\"}\n"
        "  - {name: e, if: \"!(!(kernel)) && ($m != y)\"}\n"
        "  - {name: f, if: ((($t)))}\n"
        "  - {name: g, if: \"$m == 'x' && ${1 + 1} == 2\"}\n",
        NULL, &facts);

    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    g_assert(b);                /* fatal: the test cannot go on */
    assert_names(b, "devices", "a b e f g");
    load_fails(f,
        "version: 1\n"
        "devices:\n"
        "  - {name: a, if: (kernel || defaults}\n"
        "  - {name: b, if: kernel)}\n"
        "  - {name: c, if: ()}\n"
        "  - {name: d, if: \"'x'\"}\n"
        "  - {name: e, if: \"$u == 'x\"}\n"
        "  - {name: f, if: \"((((((((((((((((((((((((((((((((((kernel))))))"
        "))))))))))))))))))))))))))))\"}\n"
        "  - {name: g, if: [kernel]}\n",
        "t.yaml:3:19: invalid condition '(kernel || defaults': ')' expected "
        "at the end\n"
        "t.yaml:4:19: invalid condition 'kernel)': unexpected ')'\n"
        "t.yaml:5:19: invalid condition '()': unexpected ')'\n"
        "t.yaml:6:19: invalid condition ''x'': a string alone is not a "
        "condition\n"
        "t.yaml:7:19: unknown name '$u'\n"
        "t.yaml:8:19: invalid condition '((((((((((((((((((((((((((((((((("
        "(kernel))))))))))))))))))))))))))))))))))': nested deeper than "
        "32\n"
        "t.yaml:9:19: a condition must be a string\n");
}

/* A file included twice (a diamond) is merged once */
static void test_include_once(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;

    put(f, "common.yaml",
        "version: 1\n"
        "params: [{name: p, type: int, default: 1}]\n"
        "constants: {C: 1}\n"
        "devices: [{name: common, type: x}]\n");
    put(f, "l.yaml", "version: 1\ninclude: [common.yaml]\n"
               "devices: [{name: l, type: x}]\n");
    put(f, "r.yaml", "version: 1\ninclude: [common.yaml]\n"
               "devices: [{name: r, type: x}]\n");
    b = load_ok(f, doc, "version: 1\ninclude: [l.yaml, r.yaml]\n");
    assert_names(b, "devices", "common l r");
    assert_names(b, "params", "p");
}

#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    g_test_add_func("/compose-format/control-keys", test_control_keys);
    g_test_add_func("/compose-format/no-in-band-keys", test_no_in_band_keys);
    g_test_add_func("/compose-format/alias-cycle-bomb", test_alias_cycle_bomb);
    ADD("/compose-format/override-explicit", test_override_explicit);
    ADD("/compose-format/override-order", test_override_order);
    ADD("/compose-format/for-range", test_for_range);
    ADD("/compose-format/for-lists", test_for_lists);
    ADD("/compose-format/for-errors", test_for_errors);
    ADD("/compose-format/for-budget", test_for_budget);
    ADD("/compose-format/substitution-budget", test_substitution_budget);
    ADD("/compose-format/diagnostic-flood", test_diagnostic_flood);
    ADD("/compose-format/expressions", test_expressions);
    ADD("/compose-format/expression-errors", test_expression_errors);
    ADD("/compose-format/constants", test_constants);
    ADD("/compose-format/condition-parens", test_condition_parens);
    ADD("/compose-format/include-once", test_include_once);

    return g_test_run();
}
