/*
 * Composed machine: what the merge stage and the resolution of
 * parameters, constants, conditions, repetitions and overrides share
 * (private to hw/core/machine-compose-merge.c and -params.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_PARAMS_H
#define HW_CORE_MACHINE_COMPOSE_PARAMS_H

#include "hw/core/machine-compose.h"

/* Values one repetition ("for") may give one variable */
#define COMPOSE_MAX_FOR_VALUES  (64 * 1024)
/* Nodes repetitions may create in one load (as many as a file may have) */
#define COMPOSE_MAX_FOR_NODES   COMPOSE_DOC_MAX_NODES
/* Text that substitutions may make in one load */
#define COMPOSE_MAX_SUBST_BYTES (64 * 1024 * 1024)
/* Nesting of parentheses in an expression or a condition */
#define COMPOSE_MAX_EXPR_DEPTH  32

/* The state of one load, from reading to the effective description */
typedef struct ComposeLoad {
    ComposeDoc *doc;
    const char *const *search;  /* include directories after the file's */
    GPtrArray *stack;           /* canonical paths being included */
    GHashTable *included;       /* canonical paths included already */

    /* Set by compose_resolve() */
    const ComposeFacts *facts;
    QDict *values;              /* parameter name -> QString value */
    GHashTable *declared;       /* parameter names declared */
    QDict *constants;           /* name -> QString as written */
    GHashTable *const_values;   /* name -> resolved text (NULL: failed) */
    GHashTable *const_busy;     /* constants being resolved */
    size_t for_nodes;           /* nodes repetitions created so far */
    size_t subst_bytes;         /* text substitutions made so far */
    bool subst_over;            /* ... and they went over the limit */
} ComposeLoad;

/* A loop variable of a repetition, in the chain of those around it */
typedef struct ComposeScope {
    const struct ComposeScope *outer;
    const char *name;
    const char *value;
} ComposeScope;

/* --- machine-compose-params.c --- */

/* NAME: letters, digits, '-' and '_', starting with a letter */
bool compose_param_name_valid(const char *name, size_t len);

/*
 * Report "WHAT 'TEXT': MESSAGE" at @loc unless *@failed, and set it:
 * one report for one expression or condition.
 */
void G_GNUC_PRINTF(6, 0) compose_error_once(ComposeLoad *c, bool *failed,
                                            const ComposeLoc *loc,
                                            const char *what,
                                            const char *text,
                                            const char *fmt, va_list ap);

/* An integer as written: 0x, K/M/G/T multiples, a leading '-' */
bool compose_parse_int(const char *s, size_t len, int64_t *out);

/*
 * The text of a loop variable (innermost first), constant or parameter
 * named @name; NULL after reporting a problem at @loc.
 */
const char *compose_lookup(ComposeLoad *c, const ComposeScope *scope,
                           const char *name, const ComposeLoc *loc);

/*
 * Evaluate the integer expression of @len bytes at @s, part of the
 * scalar @text that messages quote.  @bare: names need no '$'.
 */
bool compose_eval_int(ComposeLoad *c, const ComposeScope *scope,
                      const char *text, const char *s, size_t len,
                      bool bare, const ComposeLoc *loc, int64_t *out);

/*
 * Substitute the references and expressions of scalar @text.  0: nothing
 * to substitute; 1: *@out is the new text; -1: a problem was reported.
 */
int compose_substitute(ComposeLoad *c, const ComposeScope *scope,
                       const char *text, const ComposeLoc *loc, char **out);

/* A condition: 1 true, 0 false, -1 after reporting a problem */
int compose_eval_condition(ComposeLoad *c, const ComposeScope *scope,
                           QObject *cond);

/* Give the declared parameters their values: false after problems */
bool compose_resolve_params(ComposeLoad *c, QDict *board,
                            const QDict *cmdline);

/* Take the constants out of @board and resolve them */
void compose_resolve_constants(ComposeLoad *c, QDict *board);

/* --- machine-compose-merge.c --- */

/* The lists whose entries are named (and may be overridden) */
bool compose_is_named_list(const char *key);
/* The name an entry of @list_key has without "name", or NULL */
const char *compose_default_name(const char *list_key);

/*
 * Merge @src into @dst: mappings merge key by key, everything else is
 * replaced.  Used for overrides.
 */
void compose_merge_dict(ComposeLoad *c, QDict *dst, QDict *src);

/* --- machine-compose-expand.c --- */

/*
 * Everything that depends on parameter values and machine facts: give
 * parameters their values (@cmdline: name -> QString, may be NULL),
 * resolve constants, expand repetitions, drop entries whose condition
 * is false, apply overrides, substitute "$" references and expressions.
 * @board is changed in place.  Returns false after reporting problems.
 */
bool compose_resolve(ComposeLoad *c, QDict *board, const QDict *cmdline,
                     const ComposeFacts *facts);

#endif /* HW_CORE_MACHINE_COMPOSE_PARAMS_H */
