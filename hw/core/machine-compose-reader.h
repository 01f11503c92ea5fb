/*
 * Composed machine: what the readers of the YAML and JSON formats share
 * with the document (private to hw/core/machine-compose-doc.c, -yaml.c
 * and -json.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_CORE_MACHINE_COMPOSE_READER_H
#define HW_CORE_MACHINE_COMPOSE_READER_H

#include "hw/core/machine-compose-doc.h"

/* Reading one file: state common to both formats */
typedef struct ComposeReader {
    ComposeDoc *doc;
    const char *file;           /* interned */
    const char *buf;            /* NUL-terminated, without a UTF-8 BOM */
    size_t len;
    unsigned errors;            /* diagnostics of this file */
    bool fatal;                 /* stop reading this file */
    uint64_t nodes;             /* nodes made, alias expansions included */
    uint64_t alias_nodes;       /* nodes made by alias expansions */
    /* Position cache of compose_reader_loc_at(): offset and location */
    size_t cur_off;
    unsigned cur_line;
    unsigned cur_col;
} ComposeReader;

/* A diagnostic at @loc; past COMPOSE_DOC_MAX_FILE_ERRORS, give up */
void G_GNUC_PRINTF(3, 4) compose_reader_error(ComposeReader *r,
                                              const ComposeLoc *loc,
                                              const char *fmt, ...);

/* Like compose_reader_error(), then stop reading the file */
#define compose_reader_fatal(r, loc, ...) do {          \
        compose_reader_error(r, loc, __VA_ARGS__);      \
        (r)->fatal = true;                              \
    } while (0)

/*
 * Location of byte offset @off: lines end at LF, CRLF or CR; columns count
 * characters (UTF-8 sequences), like libyaml's marks.
 */
ComposeLoc compose_reader_loc_at(ComposeReader *r, size_t off);

/* Byte offset of the start of 0-based line @line, or r->len */
size_t compose_reader_line_offset(ComposeReader *r, size_t line);

/* Count new nodes; false (and an error) when the file makes too many */
bool compose_reader_count_nodes(ComposeReader *r, const ComposeLoc *loc,
                                uint64_t n);

/* The first control character (C0, DEL or C1) of key @key, or -1 */
int compose_key_control_char(const char *key, size_t len);

/*
 * Locate the new key @key of @dict at @loc, in one lookup: its interned
 * text, or NULL if @dict has it already (*@first: where).
 */
const char *compose_doc_add_key(ComposeDoc *doc, const QDict *dict,
                                const char *key, const ComposeLoc *loc,
                                const ComposeLoc **first);

/* The tree of the text of @r, or NULL after diagnostics */
QObject *compose_yaml_read(ComposeReader *r);
QObject *compose_json_read(ComposeReader *r);

#endif /* HW_CORE_MACHINE_COMPOSE_READER_H */
