/*
 * Benchmark of the composed machine's description loader without QOM:
 * read, merge (includes, parameters, conditions) and the structural
 * check (the QAPI keyval visitor), as -M composed,desc=FILE runs them
 * before its semantic checks.
 *
 * Usage: compose-load-bench FILE RUNS
 *
 * Prints one line: the median over RUNS of the CPU time of reading
 * FILE alone, of loading it (read + merge, includes too) and of the
 * structural check, in milliseconds; then the number of mappings in
 * FILE and the median time to allocate and fill that many QDicts of two
 * entries: a floor for any loader that builds a QObject tree.  CPU time
 * of the process, not wall time: the loader is single-threaded, and a
 * busy host (other builds, fuzzers) would otherwise decide the figures.
 * Exits 1 if the description does not load or is not structurally
 * valid.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "hw/core/machine-compose.h"
#include "qapi/qapi-types-machine-compose.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* CPU time of the process, in microseconds */
static gint64 cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double ms_since(gint64 start)
{
    return (cpu_now() - start) / 1000.0;
}

/* The mappings in @obj, included */
static size_t count_dicts(QObject *obj)
{
    size_t n = 0;

    if (qobject_type(obj) == QTYPE_QDICT) {
        const QDictEntry *e;

        for (e = qdict_first(qobject_to(QDict, obj)); e;
             e = qdict_next(qobject_to(QDict, obj), e)) {
            n += count_dicts(e->value);
        }
        n++;
    } else if (qobject_type(obj) == QTYPE_QLIST) {
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, obj)->head, next) {
            n += count_dicts(e->value);
        }
    }
    return n;
}

/* ms to allocate @n QDicts of two entries each, in a list */
static double qdict_floor(size_t n)
{
    g_autoptr(QList) all = qlist_new();
    gint64 start = cpu_now();
    double t;
    size_t i;

    for (i = 0; i < n; i++) {
        QDict *d = qdict_new();

        qdict_put_str(d, "name", "x");
        qdict_put_str(d, "type", "y");
        qlist_append(all, d);
    }
    t = ms_since(start);
    return t;
}

int main(int argc, char **argv)
{
    const ComposeFacts facts = { .defaults = false };
    g_autofree double *t_read = NULL, *t_load = NULL, *t_check = NULL;
    g_autofree double *t_floor = NULL;
    size_t dicts = 0;
    int64_t runs = 0;
    int i;

    if (argc == 3) {
        runs = g_ascii_strtoll(argv[2], NULL, 10);
    }
    if (runs < 1 || runs > 1000) {
        fprintf(stderr, "usage: %s FILE RUNS\n", argv[0]);
        return 2;
    }
    t_read = g_new(double, runs);
    t_load = g_new(double, runs);
    t_check = g_new(double, runs);
    t_floor = g_new(double, runs);

    for (i = 0; i < runs; i++) {
        g_autoptr(ComposeDoc) doc = compose_doc_new();
        g_autoptr(ComposeDoc) doc2 = compose_doc_new();
        g_autoptr(QDict) board = NULL;
        QObject *root;
        ComposeBoard *visited = NULL;
        bool ok;
        gint64 start;

        start = cpu_now();
        root = compose_doc_read_file(doc2, argv[1], NULL);
        t_read[i] = ms_since(start);
        if (!root) {
            g_autofree char *errors = compose_doc_errors_string(doc2);

            fprintf(stderr, "%s: does not read:\n%s", argv[1], errors);
            return 1;
        }
        dicts = count_dicts(root);
        qobject_unref(root);

        start = cpu_now();
        board = compose_load(doc, argv[1], NULL, &facts, NULL);
        t_load[i] = ms_since(start);
        if (!board) {
            g_autofree char *errors = compose_doc_errors_string(doc);

            fprintf(stderr, "%s: does not load:\n%s", argv[1], errors);
            return 1;
        }

        start = cpu_now();
        ok = compose_check_structure(doc, board, &visited);
        t_check[i] = ms_since(start);
        qapi_free_ComposeBoard(visited);
        visited = NULL;
        if (!ok) {
            g_autofree char *errors = compose_doc_errors_string(doc);

            fprintf(stderr, "%s: structural problems:\n%s", argv[1], errors);
            return 1;
        }
    }
    for (i = 0; i < runs; i++) {
        t_floor[i] = qdict_floor(dicts);
    }
    printf("read %.3f load %.3f check %.3f dicts %zu qdict-floor %.3f\n",
           median(t_read, runs), median(t_load, runs), median(t_check, runs),
           dicts, median(t_floor, runs));
    return 0;
}
