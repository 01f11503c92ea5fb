/*
 * Unit tests of the composed machine's merge stage: includes, overrides
 * by name, parameters, conditions
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
#include "qapi/qapi-types-machine-compose.h"

#include "compose-test-helpers.h"

static const char base_yaml[] =
    "version: 1\n"
    "devices:\n"
    "  - {name: a, type: pl011, props: {chardev: serial0, x: 1}}\n"
    "  - {name: b, type: pl011}\n"
    "  - {name: c, type: pl011}\n";

/*
 * "override: NAME" merges key by key into the entry declared before,
 * where it stands; with "drop: true" it removes it; new ones append
 */
static void test_override(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    QDict *a, *props;

    put(f, "base.yaml", base_yaml);
    put(f, "board.yaml",
        "version: 1\n"
        "include: [base.yaml]\n"
        "devices:\n"
        "  - {override: a, props: {x: 2}}\n"
        "  - {override: b, drop: true}\n"
        "  - {name: d, type: pl011}\n");
    b = load(f, doc, "board.yaml", NULL, NULL, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    g_assert_nonnull(b);
    assert_names(b, "devices", "a c d");
    a = entry(b, "devices", "a");
    props = qdict_get_qdict(a, "props");
    g_assert_cmpstr(qdict_get_str(props, "x"), ==, "2");
    g_assert_cmpstr(qdict_get_str(props, "chardev"), ==, "serial0");
    g_assert_cmpstr(qdict_get_str(a, "type"), ==, "pl011");
    g_assert_false(qdict_haskey(b, "include"));
}

/* Locations of overriding values point into the including file */
static void test_override_locations(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    const ComposeLoc *l;
    QDict *props;

    put(f, "base.yaml", base_yaml);
    put(f, "board.yaml",
        "version: 1\n"
        "include: [base.yaml]\n"
        "devices:\n"
        "  - {override: a, props: {x: 2}}\n");
    b = load(f, doc, "board.yaml", NULL, NULL, NULL);
    g_assert_nonnull(b);
    props = qdict_get_qdict(entry(b, "devices", "a"), "props");
    l = compose_doc_loc(doc, qdict_get(props, "x"));
    g_assert_nonnull(l);
    g_assert_true(g_str_has_suffix(l->file, "board.yaml"));
    g_assert_cmpuint(l->line, ==, 4);
    l = compose_doc_loc(doc, qdict_get(props, "chardev"));
    g_assert_nonnull(l);
    g_assert_true(g_str_has_suffix(l->file, "base.yaml"));
    g_assert_cmpuint(l->line, ==, 3);
}

/* Includes: relative to the including file, then the search path */
static void test_include_search(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *lib = g_build_filename(f->dir, "lib", NULL);
    const char *search[] = { lib, NULL };

    put(f, "lib/soc.yaml", "version: 1\ndevices: [{name: s, type: x}]\n");
    put(f, "sub/board.yaml",
        "version: 1\ninclude: [soc.yaml]\n"
        "devices: [{name: t, type: y}]\n");
    b = load(f, doc, "sub/board.yaml", NULL, NULL, search);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    assert_names(b, "devices", "s t");
}

static void test_include_missing(Fixture *f, gconstpointer data)
{
    static const char *const nowhere[] = { "/nonexistent", NULL };
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    put(f, "board.yaml", "version: 1\ninclude: [nothere.yaml]\n");
    b = load(f, doc, "board.yaml", NULL, NULL, nowhere);
    g_assert_null(b);
    err = errors(doc, f);
    want = g_strdup_printf("board.yaml:2:11: include 'nothere.yaml': not "
                           "found (looked in %s, /nonexistent)\n", f->dir);
    g_assert_cmpstr(err, ==, want);
}

static void test_include_cycle(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;
    g_autofree char *want = NULL;

    put(f, "a.yaml", "version: 1\ninclude: [b.yaml]\n");
    put(f, "b.yaml", "version: 1\ninclude:\n  - a.yaml\n");
    b = load(f, doc, "a.yaml", NULL, NULL, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    /* errors() drops the directory: paths are absolute in the message */
    want = g_strdup_printf("b.yaml:3:5: include cycle: a.yaml -> b.yaml -> "
                           "a.yaml (included from a.yaml:2:11)\n");
    g_assert_cmpstr(err, ==, want);
}

static const char params_yaml[] =
    "version: 1\n"
    "params:\n"
    "  - {name: ram-size, type: size, default: 512M}\n"
    "  - {name: model, type: str, default: mx25}\n"
    "  - {name: xip, type: bool, default: false}\n"
    "machine: {ram-size: $ram-size}\n"
    "devices:\n"
    "  - {name: fmc, type: $model, props: {price: $$5}}\n"
    "  - {name: rom, type: rom-thing, if: \"!$xip\"}\n"
    "  - {name: big, type: thing, if: \"$model == w25q\"}\n";

/* Defaults, command-line values, "$$" */
static void test_params(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autoptr(QDict) cmd = qdict_new();

    put(f, "p.yaml", params_yaml);
    b = load(f, doc, "p.yaml", NULL, NULL, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(b, "machine"), "ram-size"),
                    ==, "512M");
    assert_names(b, "devices", "fmc rom");
    g_assert_cmpstr(qdict_get_str(entry(b, "devices", "fmc"), "type"), ==,
                    "mx25");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(entry(b, "devices", "fmc"),
                                                  "props"), "price"), ==,
                    "$5");
    qobject_unref(b);

    qdict_put_str(cmd, "model", "w25q");
    qdict_put_str(cmd, "xip", "on");
    qdict_put_str(cmd, "ram-size", "1G");
    b = load(f, doc, "p.yaml", cmd, NULL, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    assert_names(b, "devices", "fmc big");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(b, "machine"), "ram-size"),
                    ==, "1G");
}

static void test_param_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autoptr(QDict) cmd = qdict_new();
    g_autofree char *err = NULL;

    put(f, "p.yaml",
        "version: 1\n"
        "params:\n"
        "  - {name: size, type: size, default: lots}\n"
        "  - {name: count, type: int}\n"
        "  - {name: flag, type: bool, default: off}\n"
        "devices:\n"
        "  - {name: a, type: $typo}\n"
        "  - {name: b, type: x, if: \"$count\"}\n");
    qdict_put_str(cmd, "flga", "on");
    qdict_put_str(cmd, "flag", "maybe");
    b = load(f, doc, "p.yaml", cmd, NULL, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    g_assert_cmpstr(err, ==,
        "p.yaml:3:39: parameter 'size': 'lots' is not a size\n"
        "p.yaml:4:5: parameter 'count' has no default: set it with "
        "-M composed,param.count=VALUE\n"
        "-M composed,param.flag=maybe: not a boolean\n"
        "-M composed,param.flga: the description has no parameter 'flga' "
        "(did you mean 'flag'?)\n"
        "p.yaml:7:21: unknown name '$typo'\n");
}

/* Conditions on machine facts */
static bool fake_drive(const char *iface, int index)
{
    return g_str_equal(iface, "mtd") && index == 1;
}

static void test_conditions(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    ComposeFacts facts = {
        .kernel = true, .defaults = false, .drive_present = fake_drive,
    };

    put(f, "c.yaml",
        "version: 1\n"
        "devices:\n"
        "  - {name: k, type: x, if: kernel}\n"
        "  - {name: nk, type: x, if: \"!kernel\"}\n"
        "  - {name: d, type: x, if: defaults}\n"
        "  - {name: nd, type: x, if: \"! defaults\"}\n"
        "  - {name: m0, type: x, if: \"drive:mtd:0\"}\n"
        "  - {name: m1, type: x, if: \"drive:mtd:1\"}\n");
    b = load(f, doc, "c.yaml", NULL, &facts, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    assert_names(b, "devices", "k nd m1");
    g_assert_false(qdict_haskey(entry(b, "devices", "k"), "if"));
}

static void test_condition_errors(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;

    put(f, "c.yaml",
        "version: 1\n"
        "params: [{name: mode, type: str, default: fast}]\n"
        "devices:\n"
        "  - {name: a, type: x, if: kernal}\n"
        "  - {name: b, type: x, if: \"drive:mtd\"}\n"
        "  - {name: c, type: x, if: $mode}\n"
        "  - {name: d, type: x, if: \"$mod == x\"}\n");
    b = load(f, doc, "c.yaml", NULL, NULL, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    g_assert_cmpstr(err, ==,
        "c.yaml:4:28: invalid condition 'kernal': 'kernal' is not kernel, "
        "defaults, drive:IF:INDEX, $NAME or a comparison\n"
        "c.yaml:5:28: invalid condition 'drive:mtd': 'drive:mtd' "
        "(drive:IF:INDEX, e.g. drive:mtd:0)\n"
        "c.yaml:6:28: invalid condition '$mode': '$mode' is 'fast', not a "
        "boolean (compare it with == or !=)\n"
        "c.yaml:7:28: unknown name '$mod' (did you mean '$mode'?)\n");
}

/* drop of something that was never declared */
static void test_drop_nothing(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;

    put(f, "base.yaml", base_yaml);
    put(f, "board.yaml",
        "version: 1\n"
        "include: [base.yaml]\n"
        "devices:\n"
        "  - {override: zz, drop: true}\n"
        "  - {override: cc, props: {}}\n");
    b = load(f, doc, "board.yaml", NULL, NULL, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    g_assert_cmpstr(err, ==,
                    "board.yaml:4:16: devices: nothing named 'zz' to drop\n"
                    "board.yaml:5:16: devices: nothing named 'cc' to "
                    "override (did you mean 'c'?)\n");
}

/* Load @text and check its structure; the problems reported */
static char *structure_errors(Fixture *f, const char *text)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    ComposeBoard *board = NULL;
    bool ok;

    put(f, "s.yaml", text);
    b = load(f, doc, "s.yaml", NULL, NULL, NULL);
    g_assert_nonnull(b);
    ok = compose_check_structure(doc, b, &board);
    g_assert_true(ok == (board != NULL));
    g_assert_true(ok == !compose_doc_error_count(doc));
    qapi_free_ComposeBoard(board);
    return errors(doc, f);
}

/* Every member of every struct, so the member tables match the schema */
static void test_structure_all_members(Fixture *f, gconstpointer data)
{
    g_autofree char *err = structure_errors(f,
        "version: 1\n"
        "name: n\n"
        "description: d\n"
        "params: [{name: p, type: int, default: 1, description: d}]\n"
        "machine: {ram-size: 1M, cpus: 1,\n"
        "          ram-map: {container: x, addr: 0, priority: 1}}\n"
        "clocks: [{name: c, hz: 1, if: kernel}]\n"
        "cpus: [{name: c, type: t, count: 1, props: {}, gate: g,\n"
        "        start-powered-off: [true], if: kernel}]\n"
        "memory: [{name: r, kind: alias, size: 1, alias: a, offset: 0,\n"
        "          if: kernel,\n"
        "          map: {container: x, addr: 0, priority: 1}},\n"
        "         {name: q, kind: rom, file: f, from-drive: d}]\n"
        "devices: [{name: d, type: t, bus: b, props: {}, child-props: {},\n"
        "           clocks: {}, irqs: {}, if: kernel, drop: false,\n"
        "           mmio: [{index: 0, addr: 0, container: c, "
        "priority: 1}]}]\n"
        "boot: {kind: arm, cpu: c, loader-start: 0, board-id: -1,\n"
        "       psci-conduit: smc,\n"
        "       images: [{file: f, addr: 0}]}\n");

    g_assert_cmpstr(err, ==, "");
}

static void test_structure_errors(Fixture *f, gconstpointer data)
{
    g_autofree char *err = structure_errors(f,
        "version: 2\n"
        "devics: []\n"
        "cpus:\n"
        "  - {type: t, count: many}\n"
        "memory:\n"
        "  - {name: r, kind: flash, size: 1M}\n"
        "  - {name: s, kind: ram, size: 1M, map: {adr: 0}}\n"
        "devices:\n"
        "  - {name: d, typ: x, bsu: y}\n"
        "  - not a mapping\n");

    g_assert_cmpstr(err, ==,
        "s.yaml:2:1: unknown key 'devics' (did you mean 'devices'?)\n"
        "s.yaml:1:10: unsupported description version (this QEMU reads "
        "version 1)\n"
        "s.yaml:4:22: cpus[0]: Parameter 'count' expects integer\n"
        "s.yaml:6:21: memory[0] 'r': Parameter 'kind' does not accept "
        "value 'flash'\n"
        "s.yaml:7:42: memory[1] 's': map: unknown key 'adr' (did you mean "
        "'addr'?)\n"
        "s.yaml:7:41: memory[1] 's': 'map.addr' is missing\n"
        "s.yaml:9:15: devices[0] 'd': unknown key 'typ' (did you mean "
        "'type'?)\n"
        "s.yaml:9:23: devices[0] 'd': unknown key 'bsu' (did you mean "
        "'bus'?)\n"
        "s.yaml:10:5: devices[1]: expected a mapping\n");
}

/* "&&" binds tighter than "||"; '' is the empty string */
static void test_condition_operators(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;
    ComposeFacts facts = {
        .kernel = true, .defaults = false, .drive_present = fake_drive,
    };

    put(f, "c.yaml",
        "version: 1\n"
        "params:\n"
        "  - {name: on, type: bool, default: true}\n"
        "  - {name: empty, type: str, default: \"\"}\n"
        "devices:\n"
        "  - {name: a, type: x, if: \"kernel && defaults\"}\n"
        "  - {name: b, type: x, if: \"kernel || defaults\"}\n"
        "  - {name: c, type: x, if: \"defaults && kernel || $on\"}\n"
        "  - {name: d, type: x, if: \"defaults || !kernel && $on\"}\n"
        "  - {name: e, type: x, if: \"kernel && drive:mtd:1 && !defaults\"}\n"
        "  - {name: g, type: x, if: \"$empty == ''\"}\n"
        "  - {name: h, type: x, if: \"$empty != \\\"\\\"\"}\n");
    b = load(f, doc, "c.yaml", NULL, &facts, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    assert_names(b, "devices", "b c e g");

    put(f, "bad.yaml",
        "version: 1\n"
        "devices:\n"
        "  - {name: a, type: x, if: \"kernel &&\"}\n"
        "  - {name: b, type: x, if: \"|| kernel\"}\n");
    qobject_unref(b);
    b = load(f, doc, "bad.yaml", NULL, &facts, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    g_assert_cmpstr(err, ==,
        "bad.yaml:3:28: invalid condition 'kernel &&': something is "
        "missing at the end\n"
        "bad.yaml:4:28: invalid condition '|| kernel': unexpected '|| "
        "kernel'\n");
}

/*
 * An override with "if" of an entry declared before (in an included file
 * or earlier in the same list) changes it when the condition holds, and
 * leaves it alone otherwise.
 */
static void test_conditional_override(Fixture *f, gconstpointer data)
{
    ComposeFacts facts = { .defaults = true };
    QDict *a, *d;
    int kernel;

    put(f, "base.yaml", base_yaml);
    put(f, "board.yaml",
        "version: 1\n"
        "include: [base.yaml]\n"
        "params: [{name: big, type: bool, default: false},\n"
        "         {name: n, type: int, default: 4}]\n"
        "devices:\n"
        "  - {override: a, if: kernel, props: {x: 2}}\n"
        "  - {name: d, type: pl011, props: {y: 1}}\n"
        "  - {override: d, if: $big, props: {y: 3}}\n"
        "  - {override: d, if: kernel, props: {z: $n}}\n");
    for (kernel = 0; kernel < 2; kernel++) {
        g_autoptr(ComposeDoc) doc = compose_doc_new();
        g_autoptr(QDict) params = qdict_new();
        g_autoptr(QDict) b = NULL;

        qdict_put_str(params, "big", kernel ? "on" : "off");
        facts.kernel = kernel;
        b = load(f, doc, "board.yaml", params, &facts, NULL);
        g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
        assert_names(b, "devices", "a b c d");
        a = entry(b, "devices", "a");
        d = entry(b, "devices", "d");
        g_assert_false(qdict_haskey(a, "if"));
        g_assert_cmpstr(qdict_get_str(a, "type"), ==, "pl011");
        g_assert_cmpstr(qdict_get_str(qdict_get_qdict(a, "props"), "x"), ==,
                        kernel ? "2" : "1");
        g_assert_cmpstr(qdict_get_str(qdict_get_qdict(d, "props"), "y"), ==,
                        kernel ? "3" : "1");
        g_assert_cmpint(qdict_haskey(qdict_get_qdict(d, "props"), "z"), ==,
                        kernel);
        if (kernel) {
            /* what an override brings is substituted too */
            g_assert_cmpstr(qdict_get_str(qdict_get_qdict(d, "props"), "z"),
                            ==, "4");
        }
        g_assert_cmpuint(qdict_size(d), ==, 3);
    }
}

/* A parameter with "values" takes only those; $NAME is what they map to */
static void test_param_values(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(QDict) params = qdict_new();
    g_autoptr(QDict) b = NULL;
    g_autofree char *err = NULL;
    static const char yaml[] =
        "version: 1\n"
        "params:\n"
        "  - name: console\n"
        "    type: str\n"
        "    default: uart5\n"
        "    values: {uart1: \"uart[0]\", uart5: \"uart[4]\"}\n"
        "devices:\n"
        "  - {name: a, type: x, props: {p: $console}}\n"
        "  - {name: b, type: x, if: \"$console == uart[0]\"}\n";

    put(f, "v.yaml", yaml);
    b = load(f, doc, "v.yaml", NULL, NULL, NULL);
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(entry(b, "devices", "a"),
                                                  "props"), "p"), ==,
                    "uart[4]");
    assert_names(b, "devices", "a");
    qobject_unref(b);

    qdict_put_str(params, "console", "uart1");
    b = load(f, doc, "v.yaml", params, NULL, NULL);
    assert_names(b, "devices", "a b");
    qobject_unref(b);

    qdict_put_str(params, "console", "uart2");
    b = load(f, doc, "v.yaml", params, NULL, NULL);
    g_assert_null(b);
    err = errors(doc, f);
    g_assert_cmpstr(err, ==,
        "-M composed,param.console=uart2: not one of uart1, uart5\n");
}

/*
 * Loading in two steps: the merged tree is evaluated again with other
 * facts and parameters, and stays as it was
 */
static void test_load_two_steps(Fixture *f, gconstpointer data)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autoptr(ComposeDoc) doc2 = compose_doc_new();
    g_autofree char *path = NULL;
    g_autoptr(QDict) merged = NULL;
    g_autoptr(QDict) before = NULL;
    g_autoptr(QDict) params = qdict_new();
    ComposeFacts facts = { .defaults = true };
    int kernel;

    put(f, "base.yaml", base_yaml);
    put(f, "board.yaml",
        "version: 1\n"
        "include: [base.yaml]\n"
        "params: [{name: n, type: int, default: 2}]\n"
        "devices:\n"
        "  - {override: a, if: kernel, props: {x: 9}}\n"
        "  - {for: {i: 1..$n}, name: \"u${i}\", type: pl011}\n");
    path = g_build_filename(f->dir, "board.yaml", NULL);
    merged = compose_load_merged(doc, path, NULL);
    g_assert(merged);
    before = compose_load_merged(doc2, path, NULL);
    qdict_put_str(params, "n", "3");
    for (kernel = 0; kernel < 2; kernel++) {
        g_autoptr(QDict) b = NULL;

        facts.kernel = kernel;
        b = compose_load_evaluate(doc, merged, kernel ? params : NULL,
                                  &facts, true);
        g_assert(b);
        assert_names(b, "devices", kernel ? "a b c u1 u2 u3" : "a b c u1 u2");
        g_assert_cmpstr(qdict_get_str(qdict_get_qdict(entry(b, "devices",
                                                            "a"),
                                                      "props"), "x"), ==,
                        kernel ? "9" : "1");
        g_assert_true(qobject_is_equal(QOBJECT(merged), QOBJECT(before)));
    }
    g_assert_cmpuint(compose_doc_error_count(doc), ==, 0);
}

static void test_suggest(void)
{
    static const char *const words[] = { "address", "bus", "props" };

    g_assert_cmpstr(compose_suggest("adress", words, 3), ==, "address");
    g_assert_cmpstr(compose_suggest("prop", words, 3), ==, "props");
    g_assert_null(compose_suggest("zzzzzz", words, 3));
    g_assert_null(compose_suggest("x", words, 0));

    /* at the limit (3 edits for words of 9 letters or more) and past it */
    g_assert_cmpstr(compose_suggest("addressxyz", words, 3), ==, "address");
    g_assert_null(compose_suggest("addressxyzw", words, 3));
    g_assert_cmpstr(compose_suggest("ad", (const char *const[]) { "add" },
                                    1), ==, "add");
    g_assert_null(compose_suggest("a", (const char *const[]) { "add" }, 1));
}

#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();

    ADD("/compose-merge/override", test_override);
    ADD("/compose-merge/override-locations", test_override_locations);
    ADD("/compose-merge/include-search", test_include_search);
    ADD("/compose-merge/include-missing", test_include_missing);
    ADD("/compose-merge/include-cycle", test_include_cycle);
    ADD("/compose-merge/params", test_params);
    ADD("/compose-merge/param-errors", test_param_errors);
    ADD("/compose-merge/conditions", test_conditions);
    ADD("/compose-merge/condition-errors", test_condition_errors);
    ADD("/compose-merge/drop-nothing", test_drop_nothing);
    ADD("/compose-merge/condition-operators", test_condition_operators);
    ADD("/compose-merge/conditional-override", test_conditional_override);
    ADD("/compose-merge/param-values", test_param_values);
    ADD("/compose-merge/load-two-steps", test_load_two_steps);
    g_test_add_func("/compose-merge/suggest", test_suggest);
    ADD("/compose-structure/all-members", test_structure_all_members);
    ADD("/compose-structure/errors", test_structure_errors);

    return g_test_run();
}
