/*
 * Composed machine: reader of board description files
 *
 * Reads a YAML (libyaml) or JSON (json-c) board description into one
 * QObject tree and remembers where every node and every mapping key came
 * from, so that all later stages can report problems as FILE:LINE:COL.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_DOC_H
#define HW_CORE_MACHINE_COMPOSE_DOC_H

#include "qobject/qobject.h"
#include "qobject/qdict.h"

/* Limits of the reader; exceeding one is an error, never an abort */
#define COMPOSE_DOC_MAX_FILE_SIZE   (16 * 1024 * 1024)
/* Nesting of mappings and sequences (the root collection is level 1) */
#define COMPOSE_DOC_MAX_DEPTH       64
/* Nodes that YAML alias expansions may create, per file */
#define COMPOSE_DOC_MAX_ALIAS_NODES (64 * 1024)
/* Nodes of one file, alias expansions included */
#define COMPOSE_DOC_MAX_NODES       (256 * 1024)
/* Diagnostics one file may produce before the reader gives up on it */
#define COMPOSE_DOC_MAX_FILE_ERRORS 100
/* Diagnostics kept (all are counted), and the length of each message */
#define COMPOSE_DOC_MAX_ERRORS      1000
#define COMPOSE_DOC_MAX_ERROR_LEN   1024

typedef struct ComposeLoc {
    const char *file;   /* owned by the ComposeDoc, lives as long as it */
    unsigned line;      /* 1-based */
    unsigned col;       /* 1-based, counts characters; a tab counts as 1 */
} ComposeLoc;

typedef struct ComposeDoc ComposeDoc;  /* locations + diagnostics */

ComposeDoc *compose_doc_new(void);
void compose_doc_free(ComposeDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ComposeDoc, compose_doc_free)

/*
 * Read one description file.  Returns the root (a new reference) or NULL
 * after adding at least one diagnostic.  @from: where it was included
 * (may be NULL) for messages like "included from FILE:LINE:COL".
 *
 * Mappings become QDict, sequences QList, every scalar a QString holding
 * its text (numbers and booleans are not interpreted), null (YAML ~, null,
 * Null, NULL or an empty value; JSON null) becomes QNull.
 *
 * QNull is a singleton in QEMU, so null nodes have no location of their
 * own: use the location of their mapping key.
 */
QObject *compose_doc_read_file(ComposeDoc *doc, const char *path,
                               const ComposeLoc *from);
/* Same for text in memory; @name is used in messages and for the format */
QObject *compose_doc_read_buffer(ComposeDoc *doc, const char *name,
                                 const char *buf, size_t len);

/*
 * Location of a node / of a key of a mapping; NULL if unknown.
 * The document keeps a reference to every node it has a location for,
 * so a node pointer is never reused for another node while @doc lives.
 */
const ComposeLoc *compose_doc_loc(ComposeDoc *doc, const QObject *node);
const ComposeLoc *compose_doc_key_loc(ComposeDoc *doc, const QDict *dict,
                                      const char *key);
/* Record locations for nodes made by later stages (copies @loc) */
void compose_doc_set_loc(ComposeDoc *doc, const QObject *node,
                         const ComposeLoc *loc);
void compose_doc_set_key_loc(ComposeDoc *doc, const QDict *dict,
                             const char *key, const ComposeLoc *loc);

/*
 * A deep copy of @src, each node located where its original is (the
 * copy's root at @loc instead, if not NULL).  @scalars: copy scalars too
 * (each copy its own node), else share them.  Recursion is bounded by
 * the nesting limit of the reader.
 */
QObject *compose_doc_copy(ComposeDoc *doc, QObject *src, bool scalars,
                          const ComposeLoc *loc);

/*
 * Keys of @dict in document order (QDict itself has no order): keys with
 * a location first, in the order their location was first recorded, then
 * the others in QDict order.  Returns a NULL-terminated array to free with
 * g_free(); the strings belong to @dict or to @doc, and live as long as
 * both do.
 */
const char **compose_doc_keys(ComposeDoc *doc, const QDict *dict);

/* Diagnostics, kept in the order reported; @loc may be NULL */
void G_GNUC_PRINTF(3, 4) compose_doc_error(ComposeDoc *doc,
                                           const ComposeLoc *loc,
                                           const char *fmt, ...);
unsigned compose_doc_error_count(ComposeDoc *doc);
/*
 * All diagnostics, one "FILE:LINE:COL: message\n" line each; past
 * COMPOSE_DOC_MAX_ERRORS, a last line says how many more there were.
 */
char *compose_doc_errors_string(ComposeDoc *doc);
/*
 * The diagnostics after the first @from (a compose_doc_error_count()
 * taken before a step that reports its problems itself, such as a
 * reset), as compose_doc_errors_string() writes them; the document
 * forgets them, so that the next step reports only its own.
 */
char *compose_doc_take_errors(ComposeDoc *doc, unsigned from);
/* false and *errp set to all diagnostics if there are any */
bool compose_doc_check(ComposeDoc *doc, Error **errp);

#endif /* HW_CORE_MACHINE_COMPOSE_DOC_H */
