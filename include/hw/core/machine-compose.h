/*
 * Composed machine: loading a board description (read, merge, parameters)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_H
#define HW_CORE_MACHINE_COMPOSE_H

#include "hw/core/machine-compose-doc.h"
#include "qobject/qdict.h"
#include "qapi/qapi-types-machine-compose.h"

/* Deepest include chain accepted */
#define COMPOSE_MAX_INCLUDE_DEPTH 16

/*
 * Facts about the machine being started that descriptions may test in
 * conditions ("if:").
 */
typedef struct ComposeFacts {
    bool kernel;        /* -kernel given */
    bool defaults;      /* default devices wanted (no -nodefaults) */
    uint64_t ram_size;  /* machine RAM size, 0 while not known */
    /* Is a -drive with interface @iface ("mtd", "sd", ...) at @index? */
    bool (*drive_present)(const char *iface, int index);
} ComposeFacts;

/*
 * Read the description @path with everything it includes, merge, set
 * parameters (@params: name -> QString from the command line, may be
 * NULL), drop entries whose condition is false, substitute "$PARAM"
 * scalars.  @search: NULL-terminated directories searched for includes
 * after the including file's own directory (may be NULL).
 *
 * Returns the effective description, or NULL after reporting every
 * problem found to @doc.
 */
QDict *compose_load(ComposeDoc *doc, const char *path, const QDict *params,
                    const ComposeFacts *facts, const char *const *search);

/*
 * compose_load() in two steps, for a description evaluated more than once
 * (parameters set after it, facts known only at machine init): the
 * merged tree (the file read, its includes merged in), which depends on
 * nothing else, then its evaluation (parameters, constants, repetitions,
 * conditions, overrides, "$" references): with
 * @keep on a copy, so that @merged can be evaluated again, else on
 * @merged itself, which is then used up.  Both return NULL after
 * reporting every problem found to @doc.
 */
QDict *compose_load_merged(ComposeDoc *doc, const char *path,
                           const char *const *search);
QDict *compose_load_evaluate(ComposeDoc *doc, QDict *merged,
                             const QDict *params, const ComposeFacts *facts,
                             bool keep);

/* Same for an already read root (for tests); @name names it in errors */
QDict *compose_load_root(ComposeDoc *doc, QObject *root, const char *name,
                         const QDict *params, const ComposeFacts *facts,
                         const char *const *search);

/*
 * Check @board (the result of compose_load()) against the schema; on
 * success *@board_out is the visited description.  Every problem is
 * reported to @doc.
 */
bool compose_check_structure(ComposeDoc *doc, QDict *board,
                             ComposeBoard **board_out);

/* The entries of @d in document order, NULL-terminated; g_free() it */
const QDictEntry **compose_doc_entries(ComposeDoc *doc, const QDict *d);

/*
 * The candidate closest to @word by edit distance, if close enough to
 * be a likely misspelling, else NULL.
 */
const char *compose_suggest(const char *word, const char *const *candidates,
                            size_t n);

/* " (did you mean 'X'?)" or "" — for appending to a message */
char *compose_did_you_mean(const char *word, const char *const *candidates,
                           size_t n);

#endif /* HW_CORE_MACHINE_COMPOSE_H */
