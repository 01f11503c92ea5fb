/*
 * Composed machine: the JSON reader of board descriptions
 *
 * json-c parses in strict mode; a scanner over the same text builds the
 * tree with every node and key located, and refuses what standard JSON
 * does not allow.  Part of the reader (machine-compose-doc.c).
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <json-c/json.h>
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose-doc.h"
#include "machine-compose-reader.h"

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
    ComposeLoc loc = compose_reader_loc_at(js->r, js->pos);

    compose_reader_fatal(js->r, &loc, "JSON syntax error: %s",
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
        loc = compose_reader_loc_at(r, esc);
        if (u >= 0xd800 && u <= 0xdbff) {
            lo = js->pos + 6 <= js->len && js->s[js->pos] == '\\' &&
                js->s[js->pos + 1] == 'u' ? js_hex4(js->s + js->pos + 2) :
                -1;
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                js->pos += 6;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            } else {
                compose_reader_error(r, &loc,
                                     "unpaired UTF-16 surrogate \\u%04x "
                                     "in a string", u);
                continue;
            }
        } else if (u >= 0xdc00 && u <= 0xdfff) {
            compose_reader_error(r, &loc, "unpaired UTF-16 surrogate \\u%04x "
                                 "in a string", u);
            continue;
        } else if (!u) {
            compose_reader_error(r, &loc,
                                 "NUL character (\\u0000) in a string");
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
        kloc = compose_reader_loc_at(r, js->pos);
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
            compose_reader_error(r, &kloc, "empty mapping key");
            keep = false;
        } else if (compose_key_control_char(key, strlen(key)) >= 0) {
            compose_reader_error(r, &kloc,
                                 "control character U+%04X in a mapping key",
                                 compose_key_control_char(key, strlen(key)));
            keep = false;
        } else if (!compose_doc_add_key(r->doc, dict, key, &kloc, &first)) {
            compose_reader_error(r, &kloc,
                                 "duplicate key '%s' (first at %u:%u)",
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
    loc = compose_reader_loc_at(r, js->pos);
    c = js->s[js->pos];
    if ((c == '{' || c == '[') && depth >= COMPOSE_DOC_MAX_DEPTH) {
        compose_reader_fatal(r, &loc, "nesting too deep (more than %u levels)",
                             COMPOSE_DOC_MAX_DEPTH);
        return NULL;
    }
    if (!compose_reader_count_nodes(r, &loc, 1)) {
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
QObject *compose_json_read(ComposeReader *r)
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

        compose_reader_error(r, &start, "empty description file");
        return NULL;
    }

    /* Depth counts scalars too; ours, one more than collections, is below */
    tok = json_tokener_new_ex(COMPOSE_DOC_MAX_DEPTH + 1);
    if (!tok) {
        ComposeLoc start = { .file = r->file, .line = 1, .col = 1 };

        compose_reader_error(r, &start, "JSON parser failed (out of memory)");
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
        ComposeLoc loc = compose_reader_loc_at(r, end);

        compose_reader_error(r, &loc, "JSON syntax error: %s",
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
        ComposeLoc loc = compose_reader_loc_at(r, js.pos);

        compose_reader_error(r, &loc, "JSON syntax error: %s",
                             json_tokener_error_desc(err));
    }
    if (r->errors) {
        qobject_unref(root);
        return NULL;
    }
    return root;
}
