/*
 * Composed machine: reader of board description files
 *
 * First stage of the composer pipeline (read -> merge -> check -> build):
 * YAML (libyaml, event API) or JSON (json-c) text becomes one QObject tree,
 * and a ComposeDoc remembers the FILE:LINE:COL of every node and of every
 * mapping key, and collects diagnostics.  Nothing here aborts on any input:
 * every problem becomes a diagnostic.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <yaml.h>
#include <json-c/json.h>
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose-doc.h"

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
static const char *compose_doc_add_key(ComposeDoc *doc, const QDict *dict,
                                       const char *key,
                                       const ComposeLoc *loc,
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
    GString *line = g_string_new(NULL);

    if (loc) {
        const ComposeFile *f;
        unsigned n = 0;

        g_string_append_printf(line, "%s:%u:%u: ",
                               loc->file ? loc->file : "<unknown>",
                               loc->line, loc->col);
        g_string_append(line, msg);
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
        g_string_append(line, msg);
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
    return doc->errors->len;
}

char *compose_doc_errors_string(ComposeDoc *doc)
{
    GString *s = g_string_new(NULL);
    guint i;

    for (i = 0; i < doc->errors->len; i++) {
        g_string_append(s, g_ptr_array_index(doc->errors, i));
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, false);
}

bool compose_doc_check(ComposeDoc *doc, Error **errp)
{
    g_autofree char *all = NULL;
    size_t len;

    if (!doc->errors->len) {
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

typedef struct ComposeReader {
    ComposeDoc *doc;
    const char *file;           /* interned */
    const char *buf;            /* NUL-terminated, without a UTF-8 BOM */
    size_t len;
    unsigned errors;            /* diagnostics of this file */
    bool fatal;                 /* stop reading this file */
    uint64_t nodes;             /* nodes made, alias expansions included */
    uint64_t alias_nodes;       /* nodes made by alias expansions */
    /* Position cache of reader_loc_at(): byte offset and its location */
    size_t cur_off;
    unsigned cur_line;
    unsigned cur_col;
} ComposeReader;

static void G_GNUC_PRINTF(3, 4) reader_error(ComposeReader *r,
                                             const ComposeLoc *loc,
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

/* Like reader_error(), then stop reading the file */
#define reader_fatal(r, loc, ...) do {                  \
        reader_error(r, loc, __VA_ARGS__);              \
        (r)->fatal = true;                              \
    } while (0)

/*
 * Location of byte offset @off: lines end at LF, CRLF or CR; columns count
 * characters (UTF-8 sequences), like libyaml's marks.
 */
static ComposeLoc reader_loc_at(ComposeReader *r, size_t off)
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
static size_t reader_line_offset(ComposeReader *r, size_t line)
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
static bool reader_count_nodes(ComposeReader *r, const ComposeLoc *loc,
                               uint64_t n)
{
    r->nodes += n;
    if (r->nodes > COMPOSE_DOC_MAX_NODES) {
        reader_fatal(r, loc, "too many nodes (more than %u in one file)",
                     COMPOSE_DOC_MAX_NODES);
        return false;
    }
    return true;
}

/* YAML */

typedef enum YamlTag {
    YAML_TAG_NONE,              /* no tag, or the non-specific "!" */
    YAML_TAG_STR,
    YAML_TAG_INT,
    YAML_TAG_FLOAT,
    YAML_TAG_BOOL,
    YAML_TAG_NULL,
    YAML_TAG_MAP,
    YAML_TAG_SEQ,
    YAML_TAG_OTHER,
} YamlTag;

typedef struct YamlAnchor {
    QObject *node;              /* NULL while the anchored node is open */
    uint64_t size;              /* nodes in it */
    unsigned height;            /* collection levels in it */
} YamlAnchor;

typedef struct YamlFrame {
    QObject *node;              /* the QDict or QList being filled */
    char *anchor;               /* defined when the node is complete */
    uint64_t nodes_at_start;
    unsigned height;            /* deepest child collection */
    bool key_node;              /* a collection used as mapping key: dropped */
    /* mapping: the key whose value comes next */
    bool have_key;
    /* interned by the document; NULL: the value is parsed, then dropped */
    const char *key;
} YamlFrame;

typedef struct YamlReader {
    ComposeReader *r;
    GArray *frames;             /* of YamlFrame */
    GHashTable *anchors;        /* name -> YamlAnchor */
    QObject *root;
    bool root_empty;            /* the document is an empty plain scalar */
    unsigned documents;
} YamlReader;

#define YAML_STD_TAG "tag:yaml.org,2002:"

static YamlTag yaml_tag(const yaml_char_t *tag)
{
    static const struct {
        const char *name;
        YamlTag tag;
    } std[] = {
        { "str", YAML_TAG_STR }, { "int", YAML_TAG_INT },
        { "float", YAML_TAG_FLOAT }, { "bool", YAML_TAG_BOOL },
        { "null", YAML_TAG_NULL }, { "map", YAML_TAG_MAP },
        { "seq", YAML_TAG_SEQ },
    };
    const char *t = (const char *)tag;
    size_t i;

    if (!t || !strcmp(t, "!")) {
        return YAML_TAG_NONE;
    }
    if (g_str_has_prefix(t, YAML_STD_TAG)) {
        for (i = 0; i < ARRAY_SIZE(std); i++) {
            if (!strcmp(t + strlen(YAML_STD_TAG), std[i].name)) {
                return std[i].tag;
            }
        }
    }
    return YAML_TAG_OTHER;
}

/* A tag as written in the usual short form */
static const char *yaml_tag_name(const yaml_char_t *tag, char *buf,
                                 size_t size)
{
    const char *t = (const char *)tag;

    if (g_str_has_prefix(t, YAML_STD_TAG)) {
        g_snprintf(buf, size, "!!%s", t + strlen(YAML_STD_TAG));
        return buf;
    }
    return t;
}

static ComposeLoc yaml_loc(YamlReader *y, const yaml_mark_t *mark)
{
    ComposeLoc loc = {
        .file = y->r->file,
        .line = mark->line + 1,
        .col = mark->column + 1,
    };

    return loc;
}

static YamlFrame *yaml_top(YamlReader *y)
{
    if (!y->frames->len) {
        return NULL;
    }
    return &g_array_index(y->frames, YamlFrame, y->frames->len - 1);
}

static void yaml_anchor_free(gpointer p)
{
    YamlAnchor *a = p;

    qobject_unref(a->node);
    g_free(a);
}

static void yaml_define_anchor(YamlReader *y, const char *name, QObject *node,
                               uint64_t size, unsigned height)
{
    YamlAnchor *a = g_new0(YamlAnchor, 1);

    a->node = node ? qobject_ref(node) : NULL;
    a->size = size;
    a->height = height;
    /* A later definition of the same name replaces the earlier one */
    g_hash_table_insert(y->anchors, g_strdup(name), a);
}

/*
 * The anchored node for an alias, or NULL after an error.  @depth: number
 * of collections the expansion goes into.
 */
static YamlAnchor *yaml_alias_target(YamlReader *y, const char *name,
                                     const ComposeLoc *loc, unsigned depth)
{
    ComposeReader *r = y->r;
    YamlAnchor *a = g_hash_table_lookup(y->anchors, name);

    if (!a) {
        reader_error(r, loc, "undefined alias '*%s'", name);
        return NULL;
    }
    if (!a->node) {
        reader_error(r, loc, "alias '*%s' refers to a node that contains it",
                     name);
        return NULL;
    }
    if (depth + a->height > COMPOSE_DOC_MAX_DEPTH) {
        reader_fatal(r, loc, "nesting too deep (more than %u levels)",
                     COMPOSE_DOC_MAX_DEPTH);
        return NULL;
    }
    if (r->alias_nodes + a->size > COMPOSE_DOC_MAX_ALIAS_NODES) {
        reader_fatal(r, loc, "alias '*%s' expands to too many nodes "
                     "(aliases may create at most %u nodes per file)",
                     name, COMPOSE_DOC_MAX_ALIAS_NODES);
        return NULL;
    }
    if (!reader_count_nodes(r, loc, a->size)) {
        return NULL;
    }
    r->alias_nodes += a->size;
    return a;
}

/*
 * Deep copy of an anchored node for an alias.  The copy is new nodes, with
 * locations of their own: the copy's root is at @loc (the alias), the rest
 * at the text they were copied from.  Recursion is bounded by the nesting
 * limit, which the anchored node respects.
 */
static QObject *yaml_copy(ComposeDoc *doc, QObject *src, const ComposeLoc *loc)
{
    QObject *copy;

    switch (qobject_type(src)) {
    case QTYPE_QSTRING:
        copy = QOBJECT(qstring_from_str(qstring_get_str(qobject_to(QString,
                                                                   src))));
        break;
    case QTYPE_QDICT: {
        QDict *sdict = qobject_to(QDict, src);
        QDict *dict = qdict_new();
        g_autofree const char **keys = compose_doc_keys(doc, sdict);
        size_t i;

        for (i = 0; keys[i]; i++) {
            const ComposeLoc *kloc = compose_doc_key_loc(doc, sdict, keys[i]);

            qdict_put_obj(dict, keys[i],
                          yaml_copy(doc, qdict_get(sdict, keys[i]), NULL));
            compose_doc_set_key_loc(doc, dict, keys[i], kloc);
        }
        copy = QOBJECT(dict);
        break;
    }
    case QTYPE_QLIST: {
        QList *list = qlist_new();
        QListEntry *e;

        QLIST_FOREACH_ENTRY(qobject_to(QList, src), e) {
            qlist_append_obj(list, yaml_copy(doc, qlist_entry_obj(e), NULL));
        }
        copy = QOBJECT(list);
        break;
    }
    default:
        /* QNull, and nothing else occurs in a document */
        return QOBJECT(qnull());
    }
    compose_doc_set_loc(doc, copy, loc ? loc : compose_doc_loc(doc, src));
    return copy;
}

/*
 * A complete node (@obj, a reference we pass on) goes into the open
 * collection, or becomes the root.
 */
static void yaml_add(YamlReader *y, QObject *obj, unsigned height)
{
    YamlFrame *top = yaml_top(y);

    if (!top) {
        if (y->root) {
            qobject_unref(obj);     /* cannot happen: one node per document */
        } else {
            y->root = obj;
        }
        return;
    }
    top->height = MAX(top->height, height);
    if (qobject_type(top->node) == QTYPE_QLIST) {
        qlist_append_obj(qobject_to(QList, top->node), obj);
        return;
    }
    if (top->key) {
        qdict_put_obj(qobject_to(QDict, top->node), top->key, obj);
    } else {
        qobject_unref(obj);
    }
    top->key = NULL;
    top->have_key = false;
}

/*
 * The first control character (C0, DEL or C1) of the UTF-8 text @key of
 * @len bytes, or -1.  Keys are names: one nobody can type is a mistake,
 * and later stages may rely on keys being printable.
 */
static int key_control_char(const char *key, size_t len)
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

/* A scalar key of the mapping @top */
static void yaml_key(YamlReader *y, YamlFrame *top, const char *key,
                     size_t len, const ComposeLoc *loc)
{
    ComposeReader *r = y->r;
    QDict *dict = qobject_to(QDict, top->node);
    const ComposeLoc *first;

    top->have_key = true;
    top->key = NULL;
    if (memchr(key, '\0', len)) {
        reader_error(r, loc, "NUL character in a mapping key");
        return;
    }
    if (key_control_char(key, len) >= 0) {
        reader_error(r, loc, "control character U+%04X in a mapping key",
                     key_control_char(key, len));
        return;
    }
    if (!*key) {
        reader_error(r, loc, "empty mapping key");
        return;
    }
    top->key = compose_doc_add_key(r->doc, dict, key, loc, &first);
    if (!top->key) {
        reader_error(r, loc, "duplicate key '%s' (first at %u:%u)",
                     key, first->line, first->col);
    }
}

static bool yaml_is_null(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
        !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static void yaml_scalar(YamlReader *y, yaml_event_t *ev)
{
    ComposeReader *r = y->r;
    ComposeLoc loc = yaml_loc(y, &ev->start_mark);
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    YamlTag tag = yaml_tag(ev->data.scalar.tag);
    YamlFrame *top = yaml_top(y);
    char tagbuf[64];
    QObject *obj;

    if (tag == YAML_TAG_OTHER || tag == YAML_TAG_MAP ||
        tag == YAML_TAG_SEQ) {
        reader_error(r, &loc, tag == YAML_TAG_OTHER ?
                     "unsupported YAML tag '%s'" :
                     "YAML tag '%s' on a scalar",
                     yaml_tag_name(ev->data.scalar.tag, tagbuf,
                                   sizeof(tagbuf)));
        tag = YAML_TAG_NONE;
    }
    if (top && qobject_type(top->node) == QTYPE_QDICT && !top->have_key) {
        yaml_key(y, top, value, len, &loc);
        if (ev->data.scalar.anchor && reader_count_nodes(r, &loc, 1)) {
            QString *s = qstring_from_substr(value, 0, strnlen(value, len));

            compose_doc_set_loc(r->doc, QOBJECT(s), &loc);
            yaml_define_anchor(y, (const char *)ev->data.scalar.anchor,
                               QOBJECT(s), 1, 0);
            qobject_unref(s);
        }
        return;
    }
    if (!reader_count_nodes(r, &loc, 1)) {
        return;
    }
    if (tag == YAML_TAG_NULL && !yaml_is_null(value)) {
        reader_error(r, &loc, "'%s' is not a valid !!null value", value);
    }
    if (tag == YAML_TAG_NULL || (tag == YAML_TAG_NONE && plain &&
                                 yaml_is_null(value))) {
        obj = QOBJECT(qnull());
        if (!y->frames->len && !*value && plain && tag == YAML_TAG_NONE &&
            !ev->data.scalar.anchor) {
            y->root_empty = true;
        }
    } else if (memchr(value, '\0', len)) {
        reader_error(r, &loc, "NUL character in a string");
        obj = QOBJECT(qnull());
    } else {
        obj = QOBJECT(qstring_from_substr(value, 0, len));
        compose_doc_set_loc(r->doc, obj, &loc);
    }
    if (ev->data.scalar.anchor) {
        yaml_define_anchor(y, (const char *)ev->data.scalar.anchor, obj, 1, 0);
    }
    yaml_add(y, obj, 0);
}

static void yaml_alias(YamlReader *y, yaml_event_t *ev)
{
    ComposeReader *r = y->r;
    ComposeLoc loc = yaml_loc(y, &ev->start_mark);
    const char *name = (const char *)ev->data.alias.anchor;
    YamlFrame *top = yaml_top(y);
    YamlAnchor *a;

    if (top && qobject_type(top->node) == QTYPE_QDICT && !top->have_key) {
        a = g_hash_table_lookup(y->anchors, name);
        if (!a) {
            reader_error(r, &loc, "undefined alias '*%s'", name);
        } else if (a->node && qobject_type(a->node) == QTYPE_QSTRING) {
            const char *key = qstring_get_str(qobject_to(QString, a->node));

            yaml_key(y, top, key, strlen(key), &loc);
            return;
        } else if (a->node && qobject_type(a->node) == QTYPE_QNULL) {
            reader_error(r, &loc, "empty mapping key");
        } else {
            reader_error(r, &loc, "mapping keys must be scalars");
        }
        top->have_key = true;
        top->key = NULL;
        return;
    }
    a = yaml_alias_target(y, name, &loc, y->frames->len);
    if (r->fatal) {
        return;
    }
    /* After an error, a placeholder keeps the mapping's key */
    yaml_add(y, a ? yaml_copy(r->doc, a->node, &loc) : QOBJECT(qnull()),
             a ? a->height : 0);
}

static void yaml_collection_start(YamlReader *y, yaml_event_t *ev)
{
    ComposeReader *r = y->r;
    ComposeLoc loc = yaml_loc(y, &ev->start_mark);
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *tagname = is_map ? ev->data.mapping_start.tag :
        ev->data.sequence_start.tag;
    const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor :
        ev->data.sequence_start.anchor;
    YamlTag tag = yaml_tag(tagname);
    YamlFrame *top = yaml_top(y);
    YamlFrame frame = { 0 };
    char tagbuf[64];

    if (y->frames->len >= COMPOSE_DOC_MAX_DEPTH) {
        reader_fatal(r, &loc, "nesting too deep (more than %u levels)",
                     COMPOSE_DOC_MAX_DEPTH);
        return;
    }
    if (!reader_count_nodes(r, &loc, 1)) {
        return;
    }
    if (tag != YAML_TAG_NONE && tag != (is_map ? YAML_TAG_MAP :
                                        YAML_TAG_SEQ)) {
        reader_error(r, &loc, tag == YAML_TAG_OTHER ?
                     "unsupported YAML tag '%s'" : "YAML tag '%s' on a %s",
                     yaml_tag_name(tagname, tagbuf, sizeof(tagbuf)),
                     is_map ? "mapping" : "sequence");
    }
    if (top && qobject_type(top->node) == QTYPE_QDICT && !top->have_key) {
        reader_error(r, &loc, "mapping keys must be scalars");
        frame.key_node = true;
    }
    frame.node = is_map ? QOBJECT(qdict_new()) : QOBJECT(qlist_new());
    frame.anchor = g_strdup((const char *)anchor);
    frame.nodes_at_start = r->nodes - 1;
    compose_doc_set_loc(r->doc, frame.node, &loc);
    if (frame.anchor) {
        /* Open: an alias to it from inside is an error */
        yaml_define_anchor(y, frame.anchor, NULL, 0, 0);
    }
    g_array_append_val(y->frames, frame);
}

static void yaml_collection_end(YamlReader *y)
{
    YamlFrame frame, *top;
    unsigned height;

    if (!y->frames->len) {
        return;                 /* libyaml does not send unbalanced events */
    }
    frame = *yaml_top(y);
    g_array_set_size(y->frames, y->frames->len - 1);
    height = frame.height + 1;
    if (frame.anchor) {
        yaml_define_anchor(y, frame.anchor, frame.node,
                           y->r->nodes - frame.nodes_at_start, height);
        g_free(frame.anchor);
    }
    if (frame.key_node) {
        /* It stood for a key (already reported): drop it and its value */
        qobject_unref(frame.node);
        top = yaml_top(y);
        if (top) {
            top->have_key = true;
            top->key = NULL;
        }
        return;
    }
    yaml_add(y, frame.node, height);
}

/* libyaml's error; tabs in indentation get a message of their own */
static void yaml_report_error(YamlReader *y, yaml_parser_t *parser)
{
    ComposeReader *r = y->r;
    ComposeLoc loc;
    size_t off, i, col;

    switch (parser->error) {
    case YAML_READER_ERROR:
        loc = reader_loc_at(r, parser->problem_offset);
        if (parser->problem_value >= 0) {
            reader_error(r, &loc, "%s (character 0x%02x)", parser->problem,
                         parser->problem_value);
        } else {
            reader_error(r, &loc, "%s", parser->problem);
        }
        return;
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR:
        break;
    default:
        loc = (ComposeLoc) { .file = r->file, .line = 1, .col = 1 };
        reader_error(r, &loc, "YAML parser failed (%s)",
                     parser->problem ? parser->problem : "out of memory");
        return;
    }

    /*
     * A tab in the leading white space of the line of the error, or right
     * at the error (e.g. after "- "): libyaml's messages for that vary.
     */
    loc = yaml_loc(y, &parser->problem_mark);
    off = reader_line_offset(r, parser->problem_mark.line);
    for (i = off; i < r->len && (r->buf[i] == ' ' || r->buf[i] == '\t');
         i++) {
        if (r->buf[i] == '\t') {
            loc.col = i - off + 1;
            reader_error(r, &loc, "tab character in indentation "
                         "(YAML indents with spaces only)");
            return;
        }
    }
    for (i = off, col = 0; i < r->len && col < parser->problem_mark.column;
         col++) {
        do {
            i++;
        } while (i < r->len && (r->buf[i] & 0xc0) == 0x80);
    }
    if (i < r->len && r->buf[i] == '\t') {
        reader_error(r, &loc, "tab character in indentation "
                     "(YAML indents with spaces only)");
        return;
    }

    if (parser->context) {
        reader_error(r, &loc, "YAML syntax error: %s (%s at %zu:%zu)",
                     parser->problem, parser->context,
                     parser->context_mark.line + 1,
                     parser->context_mark.column + 1);
    } else {
        reader_error(r, &loc, "YAML syntax error: %s", parser->problem);
    }
}

static void yaml_event(YamlReader *y, yaml_event_t *ev)
{
    ComposeLoc loc;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (y->documents++) {
            loc = yaml_loc(y, &ev->start_mark);
            reader_fatal(y->r, &loc, "more than one YAML document "
                         "(a description file holds one)");
        }
        break;
    case YAML_SCALAR_EVENT:
        yaml_scalar(y, ev);
        break;
    case YAML_ALIAS_EVENT:
        yaml_alias(y, ev);
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        yaml_collection_start(y, ev);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        yaml_collection_end(y);
        break;
    default:
        break;
    }
}

static QObject *yaml_read(ComposeReader *r)
{
    YamlReader y = { .r = r };
    ComposeLoc start = { .file = r->file, .line = 1, .col = 1 };
    yaml_parser_t parser;
    yaml_event_t ev;
    bool done = false;
    guint i;

    if (!yaml_parser_initialize(&parser)) {
        reader_error(r, &start, "YAML parser failed (out of memory)");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)r->buf,
                                 r->len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    y.frames = g_array_new(false, true, sizeof(YamlFrame));
    y.anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      yaml_anchor_free);

    while (!done && !r->fatal) {
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_report_error(&y, &parser);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event(&y, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);

    for (i = 0; i < y.frames->len; i++) {
        YamlFrame *f = &g_array_index(y.frames, YamlFrame, i);

        qobject_unref(f->node);
        g_free(f->anchor);
    }
    g_array_free(y.frames, true);
    g_hash_table_destroy(y.anchors);

    if (done && !r->errors && (!y.documents || y.root_empty || !y.root)) {
        reader_error(r, &start, "empty description file");
    }
    if (r->errors) {
        qobject_unref(y.root);
        return NULL;
    }
    return y.root;
}

/* JSON */

typedef struct JsonScanner {
    ComposeReader *r;
    const char *s;
    size_t len;
    size_t pos;
} JsonScanner;

static void js_ws(JsonScanner *js)
{
    while (js->pos < js->len && strchr(" \t\n\r", js->s[js->pos]) &&
           js->s[js->pos]) {
        js->pos++;
    }
}

static void js_syntax_error(JsonScanner *js, const char *what)
{
    ComposeLoc loc = reader_loc_at(js->r, js->pos);

    reader_fatal(js->r, &loc, "JSON syntax error: %s",
                 js->pos < js->len ? what : "unexpected end of data");
}

static int js_hex4(const char *p)
{
    int v = 0, i;

    for (i = 0; i < 4; i++) {
        if (!g_ascii_isxdigit(p[i])) {
            return -1;
        }
        v = v * 16 + g_ascii_xdigit_value(p[i]);
    }
    return v;
}

/*
 * A string at js->pos (a '"'), decoded; NULL after a syntax error.
 * Problems with the content are reported, and parsing goes on.
 */
static char *js_string(JsonScanner *js)
{
    ComposeReader *r = js->r;
    GString *out = g_string_new(NULL);

    js->pos++;
    while (js->pos < js->len) {
        unsigned char c = js->s[js->pos];
        size_t esc = js->pos;
        ComposeLoc loc;
        int u, lo;

        if (c == '"') {
            js->pos++;
            return g_string_free(out, false);
        }
        if (c < 0x20) {
            js_syntax_error(js, "control character in a string");
            break;
        }
        if (c != '\\') {
            g_string_append_c(out, c);
            js->pos++;
            continue;
        }
        if (js->pos + 1 >= js->len) {
            js->pos++;
            break;
        }
        c = js->s[js->pos + 1];
        js->pos += 2;
        switch (c) {
        case '"': case '\\': case '/':
            g_string_append_c(out, c);
            continue;
        case 'b':
            g_string_append_c(out, '\b');
            continue;
        case 'f':
            g_string_append_c(out, '\f');
            continue;
        case 'n':
            g_string_append_c(out, '\n');
            continue;
        case 'r':
            g_string_append_c(out, '\r');
            continue;
        case 't':
            g_string_append_c(out, '\t');
            continue;
        case 'u':
            break;
        default:
            js->pos = esc;
            js_syntax_error(js, "invalid escape in a string");
            g_string_free(out, true);
            return NULL;
        }
        u = js->pos + 4 <= js->len ? js_hex4(js->s + js->pos) : -1;
        if (u < 0) {
            js->pos = esc;
            js_syntax_error(js, "invalid \\u escape in a string");
            g_string_free(out, true);
            return NULL;
        }
        js->pos += 4;
        loc = reader_loc_at(r, esc);
        if (u >= 0xd800 && u <= 0xdbff) {
            lo = js->pos + 6 <= js->len && js->s[js->pos] == '\\' &&
                js->s[js->pos + 1] == 'u' ? js_hex4(js->s + js->pos + 2) :
                -1;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                js->pos += 6;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            } else {
                reader_error(r, &loc, "unpaired UTF-16 surrogate \\u%04x "
                             "in a string", u);
                continue;
            }
        } else if (u >= 0xdc00 && u <= 0xdfff) {
            reader_error(r, &loc, "unpaired UTF-16 surrogate \\u%04x "
                         "in a string", u);
            continue;
        } else if (!u) {
            reader_error(r, &loc, "NUL character (\\u0000) in a string");
            continue;
        }
        g_string_append_unichar(out, u);
    }
    js_syntax_error(js, "unterminated string");
    g_string_free(out, true);
    return NULL;
}

/* A number at js->pos, as its source text (RFC 8259 grammar) */
static QObject *js_number(JsonScanner *js)
{
    const char *s = js->s;
    size_t start = js->pos, p = js->pos;

    if (p < js->len && s[p] == '-') {
        p++;
    }
    if (p < js->len && s[p] == '0') {
        p++;
    } else if (p < js->len && g_ascii_isdigit(s[p])) {
        while (p < js->len && g_ascii_isdigit(s[p])) {
            p++;
        }
    } else {
        js->pos = p;
        js_syntax_error(js, "invalid number");
        return NULL;
    }
    if (p < js->len && s[p] == '.') {
        p++;
        if (p >= js->len || !g_ascii_isdigit(s[p])) {
            js->pos = p;
            js_syntax_error(js, "digit expected after '.' in a number");
            return NULL;
        }
        while (p < js->len && g_ascii_isdigit(s[p])) {
            p++;
        }
    }
    if (p < js->len && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        if (p < js->len && (s[p] == '+' || s[p] == '-')) {
            p++;
        }
        if (p >= js->len || !g_ascii_isdigit(s[p])) {
            js->pos = p;
            js_syntax_error(js, "digit expected in a number's exponent");
            return NULL;
        }
        while (p < js->len && g_ascii_isdigit(s[p])) {
            p++;
        }
    }
    js->pos = p;
    return QOBJECT(qstring_from_substr(s, start, p));
}

static QObject *js_value(JsonScanner *js, unsigned depth);

static QObject *js_object(JsonScanner *js, unsigned depth)
{
    ComposeReader *r = js->r;
    QDict *dict = qdict_new();

    js->pos++;
    js_ws(js);
    if (js->pos < js->len && js->s[js->pos] == '}') {
        js->pos++;
        return QOBJECT(dict);
    }
    for (;;) {
        g_autofree char *key = NULL;
        const ComposeLoc *first;
        ComposeLoc kloc;
        QObject *value;
        bool keep = true;

        if (js->pos >= js->len || js->s[js->pos] != '"') {
            js_syntax_error(js, "object key (a string) expected");
            break;
        }
        kloc = reader_loc_at(r, js->pos);
        key = js_string(js);
        if (!key) {
            break;
        }
        js_ws(js);
        if (js->pos >= js->len || js->s[js->pos] != ':') {
            js_syntax_error(js, "':' expected after an object key");
            break;
        }
        js->pos++;
        if (!*key) {
            reader_error(r, &kloc, "empty mapping key");
            keep = false;
        } else if (key_control_char(key, strlen(key)) >= 0) {
            reader_error(r, &kloc,
                         "control character U+%04X in a mapping key",
                         key_control_char(key, strlen(key)));
            keep = false;
        } else if (!compose_doc_add_key(r->doc, dict, key, &kloc, &first)) {
            reader_error(r, &kloc, "duplicate key '%s' (first at %u:%u)",
                         key, first->line, first->col);
            keep = false;
        }
        value = js_value(js, depth);
        if (!value) {
            break;
        }
        if (keep) {
            qdict_put_obj(dict, key, value);
        } else {
            qobject_unref(value);
        }
        js_ws(js);
        if (js->pos < js->len && js->s[js->pos] == ',') {
            js->pos++;
            js_ws(js);
            continue;
        }
        if (js->pos < js->len && js->s[js->pos] == '}') {
            js->pos++;
            return QOBJECT(dict);
        }
        js_syntax_error(js, "',' or '}' expected in an object");
        break;
    }
    qobject_unref(dict);
    return NULL;
}

static QObject *js_array(JsonScanner *js, unsigned depth)
{
    QList *list = qlist_new();

    js->pos++;
    js_ws(js);
    if (js->pos < js->len && js->s[js->pos] == ']') {
        js->pos++;
        return QOBJECT(list);
    }
    for (;;) {
        QObject *value = js_value(js, depth);

        if (!value) {
            break;
        }
        qlist_append_obj(list, value);
        js_ws(js);
        if (js->pos < js->len && js->s[js->pos] == ',') {
            js->pos++;
            continue;
        }
        if (js->pos < js->len && js->s[js->pos] == ']') {
            js->pos++;
            return QOBJECT(list);
        }
        js_syntax_error(js, "',' or ']' expected in an array");
        break;
    }
    qobject_unref(list);
    return NULL;
}

/*
 * The value at js->pos (after white space) with its location, or NULL
 * after a syntax error.  @depth: collections around it.
 */
static QObject *js_value(JsonScanner *js, unsigned depth)
{
    ComposeReader *r = js->r;
    ComposeLoc loc;
    QObject *obj;
    char c;

    js_ws(js);
    if (r->fatal) {
        return NULL;
    }
    if (js->pos >= js->len) {
        js_syntax_error(js, "value expected");
        return NULL;
    }
    loc = reader_loc_at(r, js->pos);
    c = js->s[js->pos];
    if ((c == '{' || c == '[') && depth >= COMPOSE_DOC_MAX_DEPTH) {
        reader_fatal(r, &loc, "nesting too deep (more than %u levels)",
                     COMPOSE_DOC_MAX_DEPTH);
        return NULL;
    }
    if (!reader_count_nodes(r, &loc, 1)) {
        return NULL;
    }
    switch (c) {
    case '{':
        obj = js_object(js, depth + 1);
        break;
    case '[':
        obj = js_array(js, depth + 1);
        break;
    case '"': {
        char *s = js_string(js);

        obj = s ? QOBJECT(qstring_from_str(s)) : NULL;
        g_free(s);
        break;
    }
    case 't': case 'f': case 'n': {
        static const char *const words[] = { "true", "false", "null" };
        size_t i, n;

        obj = NULL;
        for (i = 0; i < ARRAY_SIZE(words); i++) {
            n = strlen(words[i]);
            if (js->len - js->pos >= n &&
                !memcmp(js->s + js->pos, words[i], n) &&
                !g_ascii_isalnum(js->s[js->pos + n])) {
                js->pos += n;
                /* true/false stay text like numbers; null is QNull */
                obj = i < 2 ? QOBJECT(qstring_from_str(words[i])) :
                    QOBJECT(qnull());
                break;
            }
        }
        if (!obj) {
            js_syntax_error(js, "unexpected word");
        }
        break;
    }
    default:
        if (c == '-' || g_ascii_isdigit(c)) {
            obj = js_number(js);
        } else {
            js_syntax_error(js, "unexpected character");
            obj = NULL;
        }
        break;
    }
    if (obj) {
        compose_doc_set_loc(r->doc, obj, &loc);
    }
    return obj;
}

/* json-c's parse, then our scan of the same text for locations */
static QObject *json_read(ComposeReader *r)
{
    JsonScanner js = { .r = r, .s = r->buf, .len = r->len };
    struct json_tokener *tok;
    enum json_tokener_error err;
    struct json_object *jobj;
    size_t end;
    QObject *root;

    js_ws(&js);
    if (js.pos >= js.len) {
        ComposeLoc start = { .file = r->file, .line = 1, .col = 1 };

        reader_error(r, &start, "empty description file");
        return NULL;
    }

    /* Depth counts scalars too; ours, one more than collections, is below */
    tok = json_tokener_new_ex(COMPOSE_DOC_MAX_DEPTH + 1);
    if (!tok) {
        ComposeLoc start = { .file = r->file, .line = 1, .col = 1 };

        reader_error(r, &start, "JSON parser failed (out of memory)");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    /* Including the terminating NUL ends a number at the end of the text */
    jobj = json_tokener_parse_ex(tok, r->buf, r->len + 1);
    err = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_object_put(jobj);
    json_tokener_free(tok);

    if (err != json_tokener_success && err != json_tokener_error_depth) {
        ComposeLoc loc = reader_loc_at(r, end);

        reader_error(r, &loc, "JSON syntax error: %s",
                     end >= r->len || err == json_tokener_continue ?
                     "unexpected end of data" :
                     json_tokener_error_desc(err));
        return NULL;
    }

    /*
     * Valid for json-c (or only too deep, which the scan reports at the
     * first collection too many).  The scan also rejects what strict
     * json-c lets through but RFC 8259 does not (NaN, 'single quotes',
     * "1.", raw control characters in strings).
     */
    root = js_value(&js, 0);
    if (root && !r->fatal) {
        js_ws(&js);
        if (js.pos < js.len) {
            js_syntax_error(&js, "unexpected data after the value");
        }
    }
    if (!r->errors && !root) {
        ComposeLoc loc = reader_loc_at(r, js.pos);

        reader_error(r, &loc, "JSON syntax error: %s",
                     json_tokener_error_desc(err));
    }
    if (r->errors) {
        qobject_unref(root);
        return NULL;
    }
    return root;
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
        ComposeLoc loc = reader_loc_at(&r, bad - r.buf);

        if (*bad) {
            reader_error(&r, &loc, "invalid UTF-8 (byte 0x%02x)",
                         (unsigned char)*bad);
        } else {
            reader_error(&r, &loc, "NUL character in the file");
        }
        return NULL;
    }
    if (compose_is_json(name, r.buf, r.len)) {
        return json_read(&r);
    }
    return yaml_read(&r);
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
