/*
 * Composed machine: reader of board description files
 *
 * First stage of the composer pipeline (read -> merge -> check -> build):
 * YAML (libyaml, event API, machine-compose-yaml.c) or JSON (json-c,
 * machine-compose-json.c) text becomes one QObject tree, and a ComposeDoc
 * remembers the FILE:LINE:COL of every node and of every mapping key, and
 * collects diagnostics.  This file has the document, what both readers
 * share, and the entry points.  Nothing here aborts on any input: every
 * problem becomes a diagnostic.
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
#include "machine-compose-reader.h"

/* A file name locations point to, and where it was included from */
typedef struct ComposeFile {
    char *name;
    bool included;
    ComposeLoc from;            /* from.file is interned too */
} ComposeFile;

typedef struct ComposeKeyLoc {
    const char *key;            /* interned in ComposeDoc.keys */
    ComposeLoc loc;
    uint64_t seq;               /* order in which keys were first located */
} ComposeKeyLoc;

/*
 * A mapping's key locations are an array: mappings have a handful of
 * keys, and a hash table per mapping costs more than the mapping.  Past
 * COMPOSE_DOC_KEY_INDEX_MIN keys, an index keeps lookups constant time.
 */
#define COMPOSE_DOC_KEY_INDEX_MIN 16

typedef struct ComposeNodeInfo {
    QObject *node;              /* a reference: keeps the pointer unique */
    bool has_loc;
    ComposeLoc loc;
    ComposeKeyLoc *keys;        /* for a QDict */
    size_t nkeys, akeys;
    GHashTable *key_index;      /* interned key -> index in @keys */
} ComposeNodeInfo;

struct ComposeDoc {
    GHashTable *files;          /* name -> ComposeFile */
    GHashTable *nodes;          /* QObject * -> ComposeNodeInfo */
    GHashTable *keys;           /* the keys of all mappings, interned */
    const char *last_file;      /* the file name interned last */
    GPtrArray *info_blocks;     /* ComposeNodeInfo storage, see below */
    size_t info_used;           /* in the last block */
    GPtrArray *errors;          /* diagnostic lines, without newline */
    unsigned nerrors;           /* diagnostics, kept or not */
    uint64_t key_seq;
};

/*
 * Every node of a description has a ComposeNodeInfo, and none goes before
 * the document: they are carved from blocks freed with it.
 */
#define COMPOSE_DOC_INFO_BLOCK 1024

/* Longest chain of "included from" printed after a diagnostic */
#define COMPOSE_DOC_MAX_INCLUDE_CHAIN 16

static void compose_file_free(gpointer p)
{
    ComposeFile *f = p;

    g_free(f->name);
    g_free(f);
}

static void compose_node_info_free(gpointer p)
{
    ComposeNodeInfo *info = p;

    if (info->key_index) {
        g_hash_table_destroy(info->key_index);
    }
    g_free(info->keys);
    qobject_unref(info->node);
}

ComposeDoc *compose_doc_new(void)
{
    ComposeDoc *doc = g_new0(ComposeDoc, 1);

    doc->files = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                       compose_file_free);
    doc->nodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                       compose_node_info_free);
    doc->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      NULL);
    doc->errors = g_ptr_array_new_with_free_func(g_free);
    doc->info_blocks = g_ptr_array_new_with_free_func(g_free);
    doc->info_used = COMPOSE_DOC_INFO_BLOCK;
    return doc;
}

void compose_doc_free(ComposeDoc *doc)
{
    if (!doc) {
        return;
    }
    g_hash_table_destroy(doc->nodes);
    g_hash_table_destroy(doc->files);
    g_hash_table_destroy(doc->keys);
    g_ptr_array_free(doc->info_blocks, true);
    g_ptr_array_free(doc->errors, true);
    g_free(doc);
}

static ComposeFile *compose_doc_file(ComposeDoc *doc, const char *name)
{
    ComposeFile *f = g_hash_table_lookup(doc->files, name);

    if (!f) {
        f = g_new0(ComposeFile, 1);
        f->name = g_strdup(name);
        g_hash_table_insert(doc->files, f->name, f);
    }
    return f;
}

/* The doc's own copy of a file name, for ComposeLoc.file */
static const char *compose_doc_intern(ComposeDoc *doc, const char *name)
{
    /* every node of a file asks for the same name */
    if (!name || name == doc->last_file ||
        (doc->last_file && !strcmp(name, doc->last_file))) {
        return name ? doc->last_file : NULL;
    }
    doc->last_file = compose_doc_file(doc, name)->name;
    return doc->last_file;
}

/* Remember where @name was first included from */
static void compose_doc_set_origin(ComposeDoc *doc, const char *name,
                                   const ComposeLoc *from)
{
    ComposeFile *f = compose_doc_file(doc, name);

    if (from && from->file && !f->included) {
        f->included = true;
        f->from = *from;
        f->from.file = compose_doc_intern(doc, from->file);
    }
}

/* Locations */

static ComposeNodeInfo *compose_doc_node_info(ComposeDoc *doc,
                                              const QObject *node,
                                              bool create)
{
    ComposeNodeInfo *info = g_hash_table_lookup(doc->nodes, node);

    if (!info && create) {
        if (doc->info_used == COMPOSE_DOC_INFO_BLOCK) {
            g_ptr_array_add(doc->info_blocks,
                            g_new(ComposeNodeInfo, COMPOSE_DOC_INFO_BLOCK));
            doc->info_used = 0;
        }
        info = (ComposeNodeInfo *)g_ptr_array_index(doc->info_blocks,
                                                    doc->info_blocks->len - 1)
               + doc->info_used++;
        memset(info, 0, sizeof(*info));
        /* The reference keeps the address from being reused while we live */
        info->node = qobject_ref((QObject *)node);
        g_hash_table_insert(doc->nodes, info->node, info);
    }
    return info;
}

const ComposeLoc *compose_doc_loc(ComposeDoc *doc, const QObject *node)
{
    ComposeNodeInfo *info;

    if (!node || qobject_type(node) == QTYPE_QNULL) {
        return NULL;
    }
    info = compose_doc_node_info(doc, node, false);
    return info && info->has_loc ? &info->loc : NULL;
}

void compose_doc_set_loc(ComposeDoc *doc, const QObject *node,
                         const ComposeLoc *loc)
{
    ComposeNodeInfo *info;

    /* QNull is a singleton: a location for it would be meaningless */
    if (!node || !loc || qobject_type(node) == QTYPE_QNULL) {
        return;
    }
    info = compose_doc_node_info(doc, node, true);
    info->loc = *loc;
    info->loc.file = compose_doc_intern(doc, loc->file);
    info->has_loc = true;
}

static ComposeKeyLoc *compose_node_key(ComposeNodeInfo *info,
                                       const char *key)
{
    size_t i;

    if (info->key_index) {
        gpointer v;

        if (!g_hash_table_lookup_extended(info->key_index, key, NULL, &v)) {
            return NULL;
        }
        return &info->keys[GPOINTER_TO_SIZE(v)];
    }
    for (i = 0; i < info->nkeys; i++) {
        if (!strcmp(info->keys[i].key, key)) {
            return &info->keys[i];
        }
    }
    return NULL;
}

static ComposeKeyLoc *compose_node_add_key(ComposeDoc *doc,
                                           ComposeNodeInfo *info,
                                           const char *key)
{
    char *interned = g_hash_table_lookup(doc->keys, key);
    ComposeKeyLoc *kl;
    size_t i;

    if (!interned) {
        interned = g_strdup(key);
        g_hash_table_add(doc->keys, interned);
    }
    if (info->nkeys == info->akeys) {
        info->akeys = info->akeys ? info->akeys * 2 : 4;
        info->keys = g_renew(ComposeKeyLoc, info->keys, info->akeys);
    }
    kl = &info->keys[info->nkeys++];
    kl->key = interned;
    kl->seq = doc->key_seq++;
    if (info->key_index) {
        g_hash_table_insert(info->key_index, interned,
                            GSIZE_TO_POINTER(info->nkeys - 1));
    } else if (info->nkeys > COMPOSE_DOC_KEY_INDEX_MIN) {
        info->key_index = g_hash_table_new(g_str_hash, g_str_equal);
        for (i = 0; i < info->nkeys; i++) {
            g_hash_table_insert(info->key_index, (char *)info->keys[i].key,
                                GSIZE_TO_POINTER(i));
        }
    }
    return kl;
}

const ComposeLoc *compose_doc_key_loc(ComposeDoc *doc, const QDict *dict,
                                      const char *key)
{
    ComposeNodeInfo *info;
    ComposeKeyLoc *kl;

    if (!dict || !key) {
        return NULL;
    }
    info = compose_doc_node_info(doc, QOBJECT(dict), false);
    if (!info) {
        return NULL;
    }
    kl = compose_node_key(info, key);
    return kl ? &kl->loc : NULL;
}

void compose_doc_set_key_loc(ComposeDoc *doc, const QDict *dict,
                             const char *key, const ComposeLoc *loc)
{
    ComposeNodeInfo *info;
    ComposeKeyLoc *kl;

    if (!dict || !key || !loc) {
        return;
    }
    info = compose_doc_node_info(doc, QOBJECT(dict), true);
    kl = compose_node_key(info, key);
    if (!kl) {
        kl = compose_node_add_key(doc, info, key);
    }
    kl->loc = *loc;
    kl->loc.file = compose_doc_intern(doc, loc->file);
}

/*
 * Locate the new key @key of @dict at @loc, in one lookup: its interned
 * text, or NULL if @dict has it already (*@first: where).
 */
const char *compose_doc_add_key(ComposeDoc *doc, const QDict *dict,
                                const char *key, const ComposeLoc *loc,
                                const ComposeLoc **first)
{
    ComposeNodeInfo *info = compose_doc_node_info(doc, QOBJECT(dict), true);
    ComposeKeyLoc *kl = compose_node_key(info, key);

    if (kl) {
        *first = &kl->loc;
        return NULL;
    }
    kl = compose_node_add_key(doc, info, key);
    kl->loc = *loc;
    kl->loc.file = compose_doc_intern(doc, loc->file);
    return kl->key;
}

QObject *compose_doc_copy(ComposeDoc *doc, QObject *src, bool scalars,
                          const ComposeLoc *loc)
{
    QObject *copy;

    switch (qobject_type(src)) {
    case QTYPE_QSTRING:
        if (!scalars) {
            return qobject_ref(src);
        }
        copy = QOBJECT(qstring_from_str(qstring_get_str(qobject_to(QString,
                                                                   src))));
        break;
    case QTYPE_QDICT: {
        QDict *s = qobject_to(QDict, src);
        QDict *d = qdict_new();
        /* in the order written, which the locations of @d then keep */
        g_autofree const char **keys = compose_doc_keys(doc, s);
        size_t i;

        for (i = 0; keys[i]; i++) {
            qdict_put_obj(d, keys[i],
                          compose_doc_copy(doc, qdict_get(s, keys[i]),
                                           scalars, NULL));
            compose_doc_set_key_loc(doc, d, keys[i],
                                    compose_doc_key_loc(doc, s, keys[i]));
        }
        copy = QOBJECT(d);
        break;
    }
    case QTYPE_QLIST: {
        QList *l = qlist_new();
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, src)->head, next) {
            qlist_append_obj(l, compose_doc_copy(doc, e->value, scalars,
                                                 NULL));
        }
        copy = QOBJECT(l);
        break;
    }
    default:
        /* QNull, the only other node of a description, is a singleton */
        return qobject_ref(src);
    }
    compose_doc_set_loc(doc, copy, loc ? loc : compose_doc_loc(doc, src));
    return copy;
}

typedef struct ComposeKeyOrder {
    const char *key;
    bool located;
    uint64_t seq;               /* location order, else QDict order */
} ComposeKeyOrder;

static int compose_key_order_cmp(const void *a, const void *b)
{
    const ComposeKeyOrder *ka = a, *kb = b;

    if (ka->located != kb->located) {
        return ka->located ? -1 : 1;
    }
    return ka->seq < kb->seq ? -1 : ka->seq > kb->seq;
}

/*
 * Does @info locate exactly the keys of @dict?  Then its keys are those
 * of @dict in document order, and listing them needs no walk of the
 * QDict, whose every walk visits all its 512 buckets.
 */
static bool compose_node_has_all_keys(ComposeNodeInfo *info,
                                      const QDict *dict)
{
    size_t i;

    if (!info || info->nkeys != qdict_size(dict)) {
        return false;
    }
    for (i = 0; i < info->nkeys; i++) {
        if (!qdict_haskey(dict, info->keys[i].key)) {
            return false;
        }
    }
    return true;
}

const char **compose_doc_keys(ComposeDoc *doc, const QDict *dict)
{
    size_t n = dict ? qdict_size(dict) : 0;
    g_autofree ComposeKeyOrder *order = NULL;
    const char **keys = g_new0(const char *, n + 1);
    ComposeNodeInfo *info = NULL;
    const QDictEntry *e;
    size_t i = 0;

    if (!dict) {
        return keys;
    }
    info = compose_doc_node_info(doc, QOBJECT(dict), false);
    if (compose_node_has_all_keys(info, dict)) {
        /* located in the order recorded, which is the order wanted */
        for (i = 0; i < n; i++) {
            keys[i] = info->keys[i].key;
        }
        return keys;
    }
    order = g_new0(ComposeKeyOrder, n + 1);
    for (e = qdict_first(dict); e && i < n; e = qdict_next(dict, e), i++) {
        ComposeKeyLoc *kl = NULL;

        if (info) {
            kl = compose_node_key(info, qdict_entry_key(e));
        }
        order[i].key = qdict_entry_key(e);
        order[i].located = kl != NULL;
        order[i].seq = kl ? kl->seq : i;
    }
    qsort(order, i, sizeof(*order), compose_key_order_cmp);
    for (n = 0; n < i; n++) {
        keys[n] = order[n].key;
    }
    return keys;
}

/* Diagnostics */

static void compose_doc_add_error(ComposeDoc *doc, const ComposeLoc *loc,
                                  const char *msg)
{
    GString *line;
    size_t len = strlen(msg);

    /*
     * A flood of diagnostics, or huge ones (a long value quoted at each
     * of its uses), must not exhaust memory: count them all, keep the
     * first ones, each cut short.
     */
    if (doc->nerrors++ >= COMPOSE_DOC_MAX_ERRORS) {
        return;
    }
    if (len > COMPOSE_DOC_MAX_ERROR_LEN) {
        len = COMPOSE_DOC_MAX_ERROR_LEN;
        while (len && ((unsigned char)msg[len] & 0xc0) == 0x80) {
            len--;              /* not inside a UTF-8 sequence */
        }
    }
    line = g_string_new(NULL);

    if (loc) {
        const ComposeFile *f;
        unsigned n = 0;

        g_string_append_printf(line, "%s:%u:%u: ",
                               loc->file ? loc->file : "<unknown>",
                               loc->line, loc->col);
        g_string_append_len(line, msg, len);
        if (len < strlen(msg)) {
            g_string_append(line, "...");
        }
        f = loc->file ? g_hash_table_lookup(doc->files, loc->file) : NULL;
        while (f && f->included && n < COMPOSE_DOC_MAX_INCLUDE_CHAIN) {
            g_string_append_printf(line, n ? ", from %s:%u:%u" :
                                   " (included from %s:%u:%u",
                                   f->from.file, f->from.line, f->from.col);
            f = g_hash_table_lookup(doc->files, f->from.file);
            n++;
        }
        if (n) {
            g_string_append_c(line, ')');
        }
    } else {
        g_string_append_len(line, msg, len);
        if (len < strlen(msg)) {
            g_string_append(line, "...");
        }
    }
    g_ptr_array_add(doc->errors, g_string_free(line, false));
}

void compose_doc_error(ComposeDoc *doc, const ComposeLoc *loc,
                       const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    compose_doc_add_error(doc, loc, msg);
}

unsigned compose_doc_error_count(ComposeDoc *doc)
{
    return doc->nerrors;
}

/* The diagnostics after the first @from */
static char *errors_string_from(ComposeDoc *doc, unsigned from)
{
    GString *s = g_string_new(NULL);
    guint i;

    for (i = from; i < doc->errors->len; i++) {
        g_string_append(s, g_ptr_array_index(doc->errors, i));
        g_string_append_c(s, '\n');
    }
    if (doc->nerrors > MAX(doc->errors->len, from)) {
        g_string_append_printf(s, "... and %u more problems\n",
                               doc->nerrors - MAX(doc->errors->len, from));
    }
    return g_string_free(s, false);
}

char *compose_doc_errors_string(ComposeDoc *doc)
{
    return errors_string_from(doc, 0);
}

char *compose_doc_take_errors(ComposeDoc *doc, unsigned from)
{
    char *s = errors_string_from(doc, from);

    if (from < doc->errors->len) {
        g_ptr_array_remove_range(doc->errors, from, doc->errors->len - from);
    }
    doc->nerrors = MIN(doc->nerrors, from);
    return s;
}

bool compose_doc_check(ComposeDoc *doc, Error **errp)
{
    g_autofree char *all = NULL;
    size_t len;

    if (!doc->nerrors) {
        return true;
    }
    all = compose_doc_errors_string(doc);
    len = strlen(all);
    if (len && all[len - 1] == '\n') {
        all[len - 1] = '\0';
    }
    error_setg(errp, "%s", all);
    return false;
}

/* Reading: state common to both formats */

void compose_reader_error(ComposeReader *r, const ComposeLoc *loc,
                          const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (r->fatal) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    compose_doc_add_error(r->doc, loc, msg);
    if (++r->errors >= COMPOSE_DOC_MAX_FILE_ERRORS) {
        compose_doc_add_error(r->doc, loc, "too many errors, giving up");
        r->fatal = true;
    }
}


/*
 * Location of byte offset @off: lines end at LF, CRLF or CR; columns count
 * characters (UTF-8 sequences), like libyaml's marks.
 */
ComposeLoc compose_reader_loc_at(ComposeReader *r, size_t off)
{
    ComposeLoc loc = { .file = r->file };
    size_t i;

    off = MIN(off, r->len);
    if (off < r->cur_off || !r->cur_line) {
        r->cur_off = 0;
        r->cur_line = 1;
        r->cur_col = 1;
    }
    for (i = r->cur_off; i < off; i++) {
        unsigned char c = r->buf[i];

        if (c == '\n' || (c == '\r' && r->buf[i + 1] != '\n')) {
            r->cur_line++;
            r->cur_col = 1;
        } else if (c != '\r' && (c & 0xc0) != 0x80) {
            r->cur_col++;
        }
    }
    r->cur_off = off;
    loc.line = r->cur_line;
    loc.col = r->cur_col;
    return loc;
}

/* Byte offset of the start of 0-based line @line, or r->len */
size_t compose_reader_line_offset(ComposeReader *r, size_t line)
{
    size_t i;

    for (i = 0; line && i < r->len; i++) {
        if (r->buf[i] == '\n' ||
            (r->buf[i] == '\r' && r->buf[i + 1] != '\n')) {
            line--;
        }
    }
    return i;
}

/* Count a new node; false (and an error) when the file makes too many */
bool compose_reader_count_nodes(ComposeReader *r, const ComposeLoc *loc,
                                uint64_t n)
{
    r->nodes += n;
    if (r->nodes > COMPOSE_DOC_MAX_NODES) {
        compose_reader_fatal(r, loc,
                             "too many nodes (more than %u in one file)",
                             COMPOSE_DOC_MAX_NODES);
        return false;
    }
    return true;
}

/*
 * The first control character (C0, DEL or C1) of the UTF-8 text @key of
 * @len bytes, or -1.  Keys are names: one nobody can type is a mistake,
 * and later stages may rely on keys being printable.
 */
int compose_key_control_char(const char *key, size_t len)
{
    const unsigned char *p = (const unsigned char *)key;
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f) {
            return p[i];
        }
        if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
            p[i + 1] <= 0x9f) {
            return p[i + 1];
        }
    }
    return -1;
}

/* Entry points */

static bool compose_is_json(const char *name, const char *buf, size_t len)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    size_t i;

    if (dot && (!g_ascii_strcasecmp(dot, ".yaml") ||
                !g_ascii_strcasecmp(dot, ".yml"))) {
        return false;
    }
    if (dot && !g_ascii_strcasecmp(dot, ".json")) {
        return true;
    }
    for (i = 0; i < len && strchr(" \t\r\n", buf[i]) && buf[i]; i++) {
        continue;
    }
    return i < len && (buf[i] == '{' || buf[i] == '[');
}

/* @name: interned; @buf: @len bytes followed by a NUL */
static QObject *compose_doc_parse(ComposeDoc *doc, const char *name,
                                  const char *buf, size_t len)
{
    ComposeReader r = { .doc = doc, .file = name, .buf = buf, .len = len };
    const gchar *bad;

    /* A UTF-8 byte order mark is not part of the text */
    if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
        r.buf += 3;
        r.len -= 3;
    }
    if (!g_utf8_validate(r.buf, r.len, &bad)) {
        ComposeLoc loc = compose_reader_loc_at(&r, bad - r.buf);

        if (*bad) {
            compose_reader_error(&r, &loc, "invalid UTF-8 (byte 0x%02x)",
                                 (unsigned char)*bad);
        } else {
            compose_reader_error(&r, &loc, "NUL character in the file");
        }
        return NULL;
    }
    if (compose_is_json(name, r.buf, r.len)) {
        return compose_json_read(&r);
    }
    return compose_yaml_read(&r);
}

QObject *compose_doc_read_buffer(ComposeDoc *doc, const char *name,
                                 const char *buf, size_t len)
{
    g_autofree char *copy = NULL;

    name = compose_doc_intern(doc, name ? name : "<buffer>");
    if (len > COMPOSE_DOC_MAX_FILE_SIZE) {
        ComposeLoc loc = { .file = name, .line = 1, .col = 1 };

        compose_doc_error(doc, &loc, "file too large (%zu bytes, at most %u)",
                          len, COMPOSE_DOC_MAX_FILE_SIZE);
        return NULL;
    }
    copy = g_malloc(len + 1);
    if (len) {
        memcpy(copy, buf, len);
    }
    copy[len] = '\0';
    return compose_doc_parse(doc, name, copy, len);
}

QObject *compose_doc_read_file(ComposeDoc *doc, const char *path,
                               const ComposeLoc *from)
{
    ComposeLoc loc;
    g_autofree char *buf = NULL;
    size_t len = 0, size;
    struct stat st;
    int fd;

    path = compose_doc_intern(doc, path ? path : "");
    compose_doc_set_origin(doc, path, from);
    /* Problems with the file as a whole: where it was included, if it was */
    loc = from ? *from : (ComposeLoc) { .file = path, .line = 1, .col = 1 };

    fd = qemu_open_old(path, O_RDONLY);
    if (fd < 0) {
        compose_doc_error(doc, &loc, "cannot open '%s': %s", path,
                          g_strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        compose_doc_error(doc, &loc, "cannot read '%s': %s", path,
                          g_strerror(errno));
        qemu_close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        compose_doc_error(doc, &loc, "cannot read '%s': it is a directory",
                          path);
        qemu_close(fd);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size > COMPOSE_DOC_MAX_FILE_SIZE) {
        compose_doc_error(doc, &loc, "'%s' is too large (%lld bytes, "
                          "at most %u)", path, (long long)st.st_size,
                          COMPOSE_DOC_MAX_FILE_SIZE);
        qemu_close(fd);
        return NULL;
    }

    /* Not only regular files (e.g. a pipe), so read up to the limit */
    size = S_ISREG(st.st_mode) ? st.st_size + 1 : 64 * 1024;
    buf = g_malloc(size + 1);
    for (;;) {
        ssize_t n;

        if (len == size) {
            size = MIN(size * 2, COMPOSE_DOC_MAX_FILE_SIZE + 1);
            buf = g_realloc(buf, size + 1);
        }
        n = read(fd, buf + len, size - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            compose_doc_error(doc, &loc, "cannot read '%s': %s", path,
                              g_strerror(errno));
            qemu_close(fd);
            return NULL;
        }
        if (!n) {
            break;
        }
        len += n;
        if (len > COMPOSE_DOC_MAX_FILE_SIZE) {
            compose_doc_error(doc, &loc, "'%s' is too large (more than %u "
                              "bytes)", path, COMPOSE_DOC_MAX_FILE_SIZE);
            qemu_close(fd);
            return NULL;
        }
    }
    qemu_close(fd);
    buf[len] = '\0';
    return compose_doc_parse(doc, path, buf, len);
}
