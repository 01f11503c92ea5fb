/*
 * Composed machine: the YAML reader of board descriptions
 *
 * libyaml's event API into a QObject tree, every node and key located:
 * anchors and aliases (expanded into copies, within a budget), tags,
 * and errors of libyaml told at their place.  Part of the reader
 * (machine-compose-doc.c).
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <yaml.h>
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose-doc.h"
#include "machine-compose-reader.h"

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
        compose_reader_error(r, loc, "undefined alias '*%s'", name);
        return NULL;
    }
    if (!a->node) {
        compose_reader_error(r, loc,
                             "alias '*%s' refers to a node that contains it",
                             name);
        return NULL;
    }
    if (depth + a->height > COMPOSE_DOC_MAX_DEPTH) {
        compose_reader_fatal(r, loc, "nesting too deep (more than %u levels)",
                             COMPOSE_DOC_MAX_DEPTH);
        return NULL;
    }
    if (r->alias_nodes + a->size > COMPOSE_DOC_MAX_ALIAS_NODES) {
        compose_reader_fatal(r, loc, "alias '*%s' expands to too many nodes "
                             "(aliases may create at most %u nodes per file)",
                             name, COMPOSE_DOC_MAX_ALIAS_NODES);
        return NULL;
    }
    if (!compose_reader_count_nodes(r, loc, a->size)) {
        return NULL;
    }
    r->alias_nodes += a->size;
    return a;
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
        compose_reader_error(r, loc, "NUL character in a mapping key");
        return;
    }
    if (compose_key_control_char(key, len) >= 0) {
        compose_reader_error(r, loc,
                             "control character U+%04X in a mapping key",
                             compose_key_control_char(key, len));
        return;
    }
    if (!*key) {
        compose_reader_error(r, loc, "empty mapping key");
        return;
    }
    top->key = compose_doc_add_key(r->doc, dict, key, loc, &first);
    if (!top->key) {
        compose_reader_error(r, loc, "duplicate key '%s' (first at %u:%u)",
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
        compose_reader_error(r, &loc, tag == YAML_TAG_OTHER ?
                             "unsupported YAML tag '%s'" :
                             "YAML tag '%s' on a scalar",
                             yaml_tag_name(ev->data.scalar.tag, tagbuf,
                                   sizeof(tagbuf)));
        tag = YAML_TAG_NONE;
    }
    if (top && qobject_type(top->node) == QTYPE_QDICT && !top->have_key) {
        yaml_key(y, top, value, len, &loc);
        if (ev->data.scalar.anchor && compose_reader_count_nodes(r, &loc, 1)) {
            QString *s = qstring_from_substr(value, 0, strnlen(value, len));

            compose_doc_set_loc(r->doc, QOBJECT(s), &loc);
            yaml_define_anchor(y, (const char *)ev->data.scalar.anchor,
                               QOBJECT(s), 1, 0);
            qobject_unref(s);
        }
        return;
    }
    if (!compose_reader_count_nodes(r, &loc, 1)) {
        return;
    }
    if (tag == YAML_TAG_NULL && !yaml_is_null(value)) {
        compose_reader_error(r, &loc, "'%s' is not a valid !!null value",
                             value);
    }
    if (tag == YAML_TAG_NULL || (tag == YAML_TAG_NONE && plain &&
                                 yaml_is_null(value))) {
        obj = QOBJECT(qnull());
        if (!y->frames->len && !*value && plain && tag == YAML_TAG_NONE &&
            !ev->data.scalar.anchor) {
            y->root_empty = true;
        }
    } else if (memchr(value, '\0', len)) {
        compose_reader_error(r, &loc, "NUL character in a string");
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
            compose_reader_error(r, &loc, "undefined alias '*%s'", name);
        } else if (a->node && qobject_type(a->node) == QTYPE_QSTRING) {
            const char *key = qstring_get_str(qobject_to(QString, a->node));

            yaml_key(y, top, key, strlen(key), &loc);
            return;
        } else if (a->node && qobject_type(a->node) == QTYPE_QNULL) {
            compose_reader_error(r, &loc, "empty mapping key");
        } else {
            compose_reader_error(r, &loc, "mapping keys must be scalars");
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
    yaml_add(y, a ? compose_doc_copy(r->doc, a->node, true, &loc)
                  : QOBJECT(qnull()),
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
        compose_reader_fatal(r, &loc, "nesting too deep (more than %u levels)",
                             COMPOSE_DOC_MAX_DEPTH);
        return;
    }
    if (!compose_reader_count_nodes(r, &loc, 1)) {
        return;
    }
    if (tag != YAML_TAG_NONE && tag != (is_map ? YAML_TAG_MAP :
                                        YAML_TAG_SEQ)) {
        compose_reader_error(r, &loc,
                             tag == YAML_TAG_OTHER ?
                             "unsupported YAML tag '%s'" :
                             "YAML tag '%s' on a %s",
                             yaml_tag_name(tagname, tagbuf, sizeof(tagbuf)),
                             is_map ? "mapping" : "sequence");
    }
    if (top && qobject_type(top->node) == QTYPE_QDICT && !top->have_key) {
        compose_reader_error(r, &loc, "mapping keys must be scalars");
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
        loc = compose_reader_loc_at(r, parser->problem_offset);
        if (parser->problem_value >= 0) {
            compose_reader_error(r, &loc, "%s (character 0x%02x)",
                                 parser->problem,
                                 parser->problem_value);
        } else {
            compose_reader_error(r, &loc, "%s", parser->problem);
        }
        return;
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR:
        break;
    default:
        loc = (ComposeLoc) { .file = r->file, .line = 1, .col = 1 };
        compose_reader_error(r, &loc, "YAML parser failed (%s)",
                             parser->problem ? parser->problem :
                             "out of memory");
        return;
    }

    /*
     * A tab in the leading white space of the line of the error, or right
     * at the error (e.g. after "- "): libyaml's messages for that vary.
     */
    loc = yaml_loc(y, &parser->problem_mark);
    off = compose_reader_line_offset(r, parser->problem_mark.line);
    for (i = off; i < r->len && (r->buf[i] == ' ' || r->buf[i] == '\t');
         i++) {
        if (r->buf[i] == '\t') {
            loc.col = i - off + 1;
            compose_reader_error(r, &loc, "tab character in indentation "
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
        compose_reader_error(r, &loc, "tab character in indentation "
                             "(YAML indents with spaces only)");
        return;
    }

    if (parser->context) {
        compose_reader_error(r, &loc, "YAML syntax error: %s (%s at %zu:%zu)",
                             parser->problem, parser->context,
                             parser->context_mark.line + 1,
                             parser->context_mark.column + 1);
    } else {
        compose_reader_error(r, &loc, "YAML syntax error: %s", parser->problem);
    }
}

static void yaml_event(YamlReader *y, yaml_event_t *ev)
{
    ComposeLoc loc;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (y->documents++) {
            loc = yaml_loc(y, &ev->start_mark);
            compose_reader_fatal(y->r, &loc, "more than one YAML document "
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

QObject *compose_yaml_read(ComposeReader *r)
{
    YamlReader y = { .r = r };
    ComposeLoc start = { .file = r->file, .line = 1, .col = 1 };
    yaml_parser_t parser;
    yaml_event_t ev;
    bool done = false;
    guint i;

    if (!yaml_parser_initialize(&parser)) {
        compose_reader_error(r, &start, "YAML parser failed (out of memory)");
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
        compose_reader_error(r, &start, "empty description file");
    }
    if (r->errors) {
        qobject_unref(y.root);
        return NULL;
    }
    return y.root;
}
