/*
 * libFuzzer target: the composed machine's description loader
 *
 * Each input is one board description (YAML or JSON, told apart by its
 * content as for a file without a known suffix).  It goes through the
 * stages that need no QOM: read (compose_doc_read_buffer), merge with
 * includes, parameters and conditions (compose_load_root, with fixed
 * facts and one of a few fixed parameter sets), and the structural part
 * of the check (the QAPI keyval visitor into ComposeBoard).  None of it
 * may crash, leak or hang, whatever the input.
 *
 * Includes are looked up next to the input, in the directory named by
 * COMPOSE_FUZZ_INCLUDE_DIR (tests/fuzz/include), then in
 * COMPOSE_FUZZ_SEARCH_DIR (machines/), so that fuzzing reaches the
 * merge of included files.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose.h"
#include "qapi/qapi-types-machine-compose.h"
#include "libfuzzer.h"

static char *input_name;
static char *search[2];
static QDict *param_sets[3];
static bool verbose;

static bool drive_present(const char *iface, int index)
{
    return (!strcmp(iface, "mtd") && index == 0) ||
           (!strcmp(iface, "sd") && index == 1);
}

static const ComposeFacts facts = {
    .kernel = true,
    .defaults = false,
    .drive_present = drive_present,
};

static void check_loc(const ComposeLoc *loc)
{
    if (loc) {
        g_assert(loc->file && loc->line >= 1 && loc->col >= 1);
    }
}

/*
 * What the reader's header promises about a tree it located: every
 * location is 1-based with a file, and compose_doc_keys() lists each key
 * of a mapping exactly once.
 */
static void compose_check_locations(ComposeDoc *doc, QObject *obj)
{
    check_loc(compose_doc_loc(doc, obj));
    if (qobject_type(obj) == QTYPE_QDICT) {
        QDict *d = qobject_to(QDict, obj);
        g_autofree const char **keys = compose_doc_keys(doc, d);
        size_t i, j;

        for (i = 0; keys[i]; i++) {
            g_assert(qdict_haskey(d, keys[i]));
            for (j = 0; j < i; j++) {
                g_assert(strcmp(keys[i], keys[j]));
            }
            check_loc(compose_doc_key_loc(doc, d, keys[i]));
            compose_check_locations(doc, qdict_get(d, keys[i]));
        }
        g_assert(i == qdict_size(d));
    } else if (qobject_type(obj) == QTYPE_QLIST) {
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, obj)->head, next) {
            compose_check_locations(doc, e->value);
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *inc = g_getenv("COMPOSE_FUZZ_INCLUDE_DIR");
    const char *dir = g_getenv("COMPOSE_FUZZ_SEARCH_DIR");
    QDict *p;

    /* COMPOSE_FUZZ_VERBOSE=1: say how far each input got (for seeds) */
    verbose = g_getenv("COMPOSE_FUZZ_VERBOSE") != NULL;
    /* No suffix: the format comes from the content */
    input_name = g_build_filename(inc ? inc : ".", "fuzz-input", NULL);
    search[0] = dir ? g_strdup(dir) : NULL;

    /*
     * Every input is loaded without parameters, then with one of these
     * (-M composed,param.NAME=VALUE).  [0]: those soc.yaml and
     * parts-a15.yaml declare, with valid values
     */
    p = param_sets[0] = qdict_new();
    qdict_put_str(p, "rom", "");
    qdict_put_str(p, "ram-size", "256M");

    /* [1]: those the seeds declare, "$" has no meaning in values */
    p = param_sets[1] = qdict_new();
    qdict_put_str(p, "flag", "on");
    qdict_put_str(p, "count", "0x10");
    qdict_put_str(p, "size", "1G");
    qdict_put_str(p, "model", "$literal");

    /* [2]: ill-typed and nested values (-M composed,param.x.y=...) */
    p = param_sets[2] = qdict_new();
    qdict_put_str(p, "flag", "maybe");
    qdict_put_str(p, "size", "12X");
    qdict_put(p, "nested", qdict_new());
    return 0;
}

/* Merge and check @root with @params; a description of the outcome */
static const char *load(ComposeDoc *doc, QObject *root, const QDict *params)
{
    unsigned before = compose_doc_error_count(doc);
    g_autoptr(QDict) board = NULL;
    ComposeBoard *visited = NULL;
    bool ok;

    board = compose_load_root(doc, root, input_name, params, &facts,
                              (const char *const *)search);
    if (!board) {
        g_assert(compose_doc_error_count(doc) > before);
        return "merge failed";
    }
    g_assert(compose_doc_error_count(doc) == before);
    compose_check_locations(doc, QOBJECT(board));
    ok = compose_check_structure(doc, board, &visited);
    /* success and reported problems go together */
    g_assert(ok == (compose_doc_error_count(doc) == before));
    g_assert(ok == (visited != NULL));
    qapi_free_ComposeBoard(visited);
    return ok ? "structure valid" : "structure invalid";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(ComposeDoc) doc = compose_doc_new();
    g_autofree char *errors = NULL;
    size_t set = size % ARRAY_SIZE(param_sets);
    const char *plain = "read failed", *with_params = "";
    QObject *root;
    Error *err = NULL;

    root = compose_doc_read_buffer(doc, input_name, (const char *)data, size);
    if (!root) {
        g_assert(compose_doc_error_count(doc) > 0);
    } else {
        compose_check_locations(doc, root);
        /* Without parameters, then with one of the sets */
        plain = load(doc, root, NULL);
        with_params = load(doc, root, param_sets[set]);
        qobject_unref(root);
    }

    /* Diagnostics are printed at the end: format all of them */
    errors = compose_doc_errors_string(doc);
    if (!compose_doc_check(doc, &err)) {
        g_assert(*errors);
        error_free(err);
    } else {
        g_assert(!*errors);
    }
    if (verbose) {
        fprintf(stderr, "%s; with params[%zu]: %s\n%s", plain, set,
                with_params, errors);
    }
    return 0;
}
