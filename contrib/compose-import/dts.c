/*
 * qemu-compose-import: devicetree source (.dts) reader
 *
 * The DTS syntax of dtc: /dts-v1/, /include/ (spliced where it stands,
 * relative to the including file), nodes and properties with labels,
 * amendments of labelled nodes (&label { ... }), /delete-node/,
 * /delete-property/, strings, cells with /bits/, references (&label,
 * &{/path}) and integer expressions in parentheses, byte strings.  The C
 * preprocessor is not run: a #include or #define is reported.
 *
 * Every problem is reported at its FILE:LINE:COL; parsing stops at the
 * first syntax error, as dtc does.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <setjmp.h>
#include <string.h>
#include "dt.h"

#define MAX_INCLUDE_DEPTH   32
#define MAX_NESTING         64
#define MAX_FILE_SIZE       (16 * 1024 * 1024)

typedef struct Src Src;
struct Src {
    char *text;
    size_t len, pos;
    const char *file;
    int line, col;
    Src *up;                /* the including file */
};

typedef struct Parser {
    Src *src;
    unsigned depth;         /* include depth */
    unsigned nesting;       /* node and expression nesting */
    DtNode *root;
    jmp_buf fail;
} Parser;

static void G_GNUC_PRINTF(2, 3) G_NORETURN
fail(Parser *ps, const char *fmt, ...)
{
    DtLoc loc = { ps->src->file, ps->src->line, ps->src->col };
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    dt_error(&loc, "%s", msg);
    longjmp(ps->fail, 1);
}

static DtLoc here(Parser *ps)
{
    DtLoc loc = { ps->src->file, ps->src->line, ps->src->col };

    return loc;
}

static int peek_at(Parser *ps, size_t k)
{
    Src *s = ps->src;

    return s->pos + k < s->len ? (unsigned char)s->text[s->pos + k] : -1;
}

static int peek(Parser *ps)
{
    return peek_at(ps, 0);
}

static int next(Parser *ps)
{
    Src *s = ps->src;
    int c = peek(ps);

    if (c < 0) {
        return c;
    }
    s->pos++;
    if (c == '\n') {
        s->line++;
        s->col = 1;
    } else if ((c & 0xc0) != 0x80) {
        s->col++;
    }
    return c;
}

static bool looking_at(Parser *ps, const char *word)
{
    Src *s = ps->src;
    size_t n = strlen(word);

    return s->len - s->pos >= n && !memcmp(s->text + s->pos, word, n);
}

static void skip(Parser *ps, size_t n)
{
    while (n--) {
        next(ps);
    }
}

static bool at_line_start(Parser *ps)
{
    Src *s = ps->src;
    size_t i = s->pos;

    while (i > 0 && (s->text[i - 1] == ' ' || s->text[i - 1] == '\t')) {
        i--;
    }
    return i == 0 || s->text[i - 1] == '\n';
}

static void push_file(Parser *ps, const char *file, const DtLoc *from);

/* A cpp line marker: # LINE "FILE" ... */
static bool line_marker(Parser *ps)
{
    Src *s = ps->src;
    char *end;
    long line;
    const char *q, *e;

    if (!at_line_start(ps) || peek(ps) != '#' ||
        (peek_at(ps, 1) != ' ' && peek_at(ps, 1) != '\t')) {
        return false;
    }
    line = g_ascii_strtoll(s->text + s->pos + 1, &end, 10);
    if (end == s->text + s->pos + 1 || line < 1 || line > G_MAXINT) {
        return false;
    }
    q = strchr(end, '"');
    e = q ? strchr(q + 1, '"') : NULL;
    if (q && e && !memchr(end, '\n', e - end)) {
        g_autofree char *f = g_strndup(q + 1, e - q - 1);

        s->file = dt_intern(f);
    }
    while (peek(ps) >= 0 && peek(ps) != '\n') {
        next(ps);
    }
    next(ps);
    s->line = line;
    return true;
}

/* Skip blanks and comments; handle /include/ and end of included files */
static void skip_ws(Parser *ps, bool includes)
{
    for (;;) {
        int c = peek(ps);

        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            next(ps);
        } else if (c == '/' && peek_at(ps, 1) == '/') {
            while (peek(ps) >= 0 && peek(ps) != '\n') {
                next(ps);
            }
        } else if (c == '/' && peek_at(ps, 1) == '*') {
            DtLoc start = here(ps);

            skip(ps, 2);
            while (!(peek(ps) == '*' && peek_at(ps, 1) == '/')) {
                if (next(ps) < 0) {
                    dt_error(&start, "unterminated comment");
                    longjmp(ps->fail, 1);
                }
            }
            skip(ps, 2);
        } else if (c == '#' && line_marker(ps)) {
            continue;
        } else if (c == '#' && at_line_start(ps) &&
                   g_ascii_isalpha(peek_at(ps, 1)) &&
                   (looking_at(ps, "#include") || looking_at(ps, "#define") ||
                    looking_at(ps, "#if") || looking_at(ps, "#undef") ||
                    looking_at(ps, "#endif") || looking_at(ps, "#else"))) {
            fail(ps, "C preprocessor directive: run the design through "
                 "cpp first (dtc's -x assembler-with-cpp convention)");
        } else if (includes && looking_at(ps, "/include/")) {
            DtLoc from = here(ps);
            GString *name = g_string_new(NULL);

            skip(ps, strlen("/include/"));
            skip_ws(ps, false);
            if (next(ps) != '"') {
                fail(ps, "/include/ needs a file name in double quotes");
            }
            while (peek(ps) != '"') {
                if (peek(ps) < 0 || peek(ps) == '\n') {
                    fail(ps, "unterminated file name");
                }
                g_string_append_c(name, next(ps));
            }
            next(ps);
            push_file(ps, name->str, &from);
            g_string_free(name, true);
        } else if (c < 0 && ps->src->up) {
            Src *done = ps->src;

            ps->src = done->up;
            ps->depth--;
            g_free(done->text);
            g_free(done);
        } else {
            return;
        }
    }
}

static void push_file(Parser *ps, const char *file, const DtLoc *from)
{
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    Src *s, *up;
    char *text;
    gsize len;

    if (from && !g_path_is_absolute(file)) {
        g_autofree char *dir = g_path_get_dirname(from->file);

        path = g_build_filename(dir, file, NULL);
    } else {
        path = g_strdup(file);
    }
    for (up = ps->src; up; up = up->up) {
        if (g_str_equal(up->file, path)) {
            if (from) {
                dt_error(from, "/include/ \"%s\": include cycle", file);
            }
            longjmp(ps->fail, 1);
        }
    }
    if (ps->depth >= MAX_INCLUDE_DEPTH) {
        dt_error(from, "/include/ nested deeper than %d", MAX_INCLUDE_DEPTH);
        longjmp(ps->fail, 1);
    }
    if (!g_file_get_contents(path, &text, &len, &err)) {
        DtLoc loc = { dt_intern(path), 0, 0 };

        if (from) {
            dt_error(from, "/include/ \"%s\": %s", file, err->message);
        } else {
            dt_error(&loc, "%s", err->message);
        }
        longjmp(ps->fail, 1);
    }
    if (len > MAX_FILE_SIZE || memchr(text, '\0', len)) {
        DtLoc loc = { dt_intern(path), 0, 0 };

        dt_error(from ? from : &loc, "%s: %s", path,
                 len > MAX_FILE_SIZE ? "larger than 16 MiB"
                                     : "not a text file (NUL bytes)");
        g_free(text);
        longjmp(ps->fail, 1);
    }
    s = g_new0(Src, 1);
    s->text = text;
    s->len = len;
    s->file = dt_intern(path);
    s->line = s->col = 1;
    s->up = ps->src;
    ps->src = s;
    ps->depth++;
}

static void expect(Parser *ps, int c, const char *what)
{
    skip_ws(ps, false);
    if (peek(ps) != c) {
        fail(ps, "expected '%c' %s", c, what);
    }
    next(ps);
}

static bool name_char(int c)
{
    return c >= 0 && (g_ascii_isalnum(c) || strchr(",._+*#?@-", c));
}

static bool label_start(int c)
{
    return c >= 0 && (g_ascii_isalpha(c) || c == '_');
}

/* A label "name:" here?  Then consume it and return it. */
static char *read_label(Parser *ps)
{
    Src *s = ps->src;
    size_t i = s->pos;

    if (!label_start(peek(ps))) {
        return NULL;
    }
    while (i < s->len && (g_ascii_isalnum(s->text[i]) || s->text[i] == '_')) {
        i++;
    }
    if (i >= s->len || s->text[i] != ':') {
        return NULL;
    }
    {
        char *l = g_strndup(s->text + s->pos, i - s->pos);

        skip(ps, i - s->pos + 1);
        return l;
    }
}

static char *read_name(Parser *ps, const char *what)
{
    GString *n = g_string_new(NULL);

    skip_ws(ps, true);
    while (name_char(peek(ps))) {
        g_string_append_c(n, next(ps));
    }
    if (!n->len) {
        g_string_free(n, true);
        fail(ps, "expected %s", what);
    }
    return g_string_free(n, false);
}

/* &label or &{/path} */
static char *read_ref(Parser *ps, bool *is_path)
{
    GString *t = g_string_new(NULL);

    next(ps);       /* & */
    if (peek(ps) == '{') {
        next(ps);
        while (peek(ps) != '}') {
            if (peek(ps) < 0 || peek(ps) == '\n') {
                g_string_free(t, true);
                fail(ps, "unterminated &{/path} reference");
            }
            g_string_append_c(t, next(ps));
        }
        next(ps);
        *is_path = true;
    } else {
        while (peek(ps) >= 0 &&
               (g_ascii_isalnum(peek(ps)) || peek(ps) == '_')) {
            g_string_append_c(t, next(ps));
        }
        *is_path = false;
    }
    if (!t->len) {
        g_string_free(t, true);
        fail(ps, "expected a label or {/path} after '&'");
    }
    return g_string_free(t, false);
}

static int escape(Parser *ps)
{
    int c = next(ps), v, i;

    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'x':
        for (v = 0, i = 0; i < 2 && g_ascii_isxdigit(peek(ps)); i++) {
            v = v * 16 + g_ascii_xdigit_value(next(ps));
        }
        if (!i) {
            fail(ps, "\\x needs hex digits");
        }
        return v;
    default:
        if (c >= '0' && c <= '7') {
            for (v = c - '0', i = 1; i < 3 && peek(ps) >= '0' &&
                 peek(ps) <= '7'; i++) {
                v = v * 8 + next(ps) - '0';
            }
            return v & 0xff;
        }
        if (c < 0 || c == '\n') {
            fail(ps, "unterminated escape");
        }
        return c;
    }
}

static void read_string(Parser *ps, GByteArray *out)
{
    DtLoc start = here(ps);

    next(ps);       /* " */
    for (;;) {
        int c = next(ps);
        guint8 b;

        if (c < 0 || c == '\n') {
            dt_error(&start, "unterminated string");
            longjmp(ps->fail, 1);
        }
        if (c == '"') {
            break;
        }
        b = c == '\\' ? escape(ps) : c;
        g_byte_array_append(out, &b, 1);
    }
    g_byte_array_append(out, (guint8 *)"", 1);
}

static uint64_t read_number(Parser *ps)
{
    Src *s = ps->src;
    const char *start = s->text + s->pos;
    char *end;
    guint64 v;
    int base = 10;

    if (start[0] == '0' && (start[1] == 'x' || start[1] == 'X')) {
        base = 16;
    } else if (start[0] == '0') {
        base = 8;
    }
    errno = 0;
    v = g_ascii_strtoull(start, &end, base);
    if (errno || end == start || (base == 16 && end == start + 2)) {
        fail(ps, "integer literal out of range or malformed");
    }
    skip(ps, end - start);
    while (peek(ps) == 'U' || peek(ps) == 'L' || peek(ps) == 'u' ||
           peek(ps) == 'l') {
        next(ps);
    }
    if (name_char(peek(ps)) && peek(ps) != ',' && peek(ps) != '-' &&
        peek(ps) != '+' && peek(ps) != '*') {
        fail(ps, "malformed integer literal");
    }
    return v;
}

static uint64_t char_literal(Parser *ps)
{
    int c;

    next(ps);       /* ' */
    c = next(ps);
    if (c == '\\') {
        c = escape(ps);
    } else if (c < 0 || c == '\'' || c == '\n') {
        fail(ps, "empty or unterminated character literal");
    }
    if (next(ps) != '\'') {
        fail(ps, "unterminated character literal");
    }
    return c;
}

/* --- integer expressions, as in C, inside parentheses --- */

static uint64_t expr(Parser *ps, int prec);

static uint64_t primary(Parser *ps)
{
    int c;
    uint64_t v;

    skip_ws(ps, false);
    c = peek(ps);
    if (c == '(') {
        if (++ps->nesting > MAX_NESTING) {
            fail(ps, "expression nested deeper than %d", MAX_NESTING);
        }
        next(ps);
        v = expr(ps, 0);
        expect(ps, ')', "to close the expression");
        ps->nesting--;
        return v;
    }
    if (c == '-' || c == '~' || c == '!') {
        next(ps);
        v = primary(ps);
        return c == '-' ? -v : c == '~' ? ~v : !v;
    }
    if (c == '\'') {
        return char_literal(ps);
    }
    if (c >= 0 && g_ascii_isdigit(c)) {
        return read_number(ps);
    }
    fail(ps, "expected an integer");
}

typedef struct BinOp {
    const char *op;
    int prec;
} BinOp;

/* Longest operators first */
static const BinOp binops[] = {
    { "||", 1 }, { "&&", 2 }, { "==", 6 }, { "!=", 6 }, { "<=", 7 },
    { ">=", 7 }, { "<<", 8 }, { ">>", 8 }, { "|", 3 }, { "^", 4 },
    { "&", 5 }, { "<", 7 }, { ">", 7 }, { "+", 9 }, { "-", 9 },
    { "*", 10 }, { "/", 10 }, { "%", 10 },
};

static uint64_t apply(Parser *ps, const char *op, DtLoc *at, uint64_t a,
                      uint64_t b)
{
    switch (op[0]) {
    case '|':
        return op[1] ? (a || b) : (a | b);
    case '&':
        return op[1] ? (a && b) : (a & b);
    case '^':
        return a ^ b;
    case '=':
        return a == b;
    case '!':
        return a != b;
    case '<':
        return op[1] == '<' ? (b >= 64 ? 0 : a << b) :
               op[1] == '=' ? a <= b : a < b;
    case '>':
        return op[1] == '>' ? (b >= 64 ? 0 : a >> b) :
               op[1] == '=' ? a >= b : a > b;
    case '+':
        return a + b;
    case '-':
        return a - b;
    case '*':
        return a * b;
    default:
        if (!b) {
            dt_error(at, "division by zero");
            longjmp(ps->fail, 1);
        }
        return op[0] == '/' ? a / b : a % b;
    }
}

static uint64_t expr(Parser *ps, int prec)
{
    uint64_t v = primary(ps);

    for (;;) {
        const BinOp *op = NULL;
        DtLoc at;
        unsigned i;

        skip_ws(ps, false);
        if (peek(ps) == '?' && prec == 0) {
            uint64_t a, b;

            next(ps);
            a = expr(ps, 0);
            expect(ps, ':', "in a ?: expression");
            b = expr(ps, 0);
            return v ? a : b;
        }
        for (i = 0; i < G_N_ELEMENTS(binops); i++) {
            if (looking_at(ps, binops[i].op)) {
                op = &binops[i];
                break;
            }
        }
        if (!op || op->prec <= prec) {
            return v;
        }
        at = here(ps);
        skip(ps, strlen(op->op));
        v = apply(ps, op->op, &at, v, expr(ps, op->prec));
    }
}

/* --- property values --- */

static void add_ref(DtProp *p, size_t offset, char *target, bool is_path,
                    bool as_path, const DtLoc *loc)
{
    DtRef r = {
        .offset = offset, .target = target, .path_target = is_path,
        .as_path = as_path, .loc = *loc,
    };

    g_array_append_val(p->refs, r);
}

static void append_be(GByteArray *a, uint64_t v, unsigned bits)
{
    guint8 b[8];
    unsigned n = bits / 8, i;

    for (i = 0; i < n; i++) {
        b[i] = v >> (8 * (n - 1 - i));
    }
    g_byte_array_append(a, b, n);
}

/* Labels inside values ("<L1: 0x10>") name nothing the importer uses */
static void skip_labels(Parser *ps)
{
    skip_ws(ps, false);
    g_free(read_label(ps));
    skip_ws(ps, false);
}

static void read_cells(Parser *ps, DtProp *p, unsigned bits)
{
    next(ps);       /* < */
    for (;;) {
        DtLoc at;
        uint64_t v;
        int c;

        skip_labels(ps);
        at = here(ps);
        c = peek(ps);
        if (c == '>') {
            next(ps);
            return;
        }
        if (c == '&') {
            bool is_path;
            char *t = read_ref(ps, &is_path);

            if (bits != 32) {
                g_free(t);
                fail(ps, "a reference needs 32-bit cells");
            }
            add_ref(p, p->val->len, t, is_path, false, &at);
            append_be(p->val, 0, 32);
            continue;
        }
        if (c == '(') {
            v = primary(ps);
        } else if (c == '\'') {
            v = char_literal(ps);
        } else if (c >= 0 && g_ascii_isdigit(c)) {
            v = read_number(ps);
        } else if (c < 0) {
            fail(ps, "unterminated cell list: expected '>'");
        } else {
            fail(ps, "unexpected '%c' in a cell list", c);
        }
        if (bits < 64 && v >> bits && (v >> bits) != (~0ULL >> bits)) {
            dt_error(&at, "value 0x%" G_GINT64_MODIFIER "x does not fit in "
                     "%u bits", v, bits);
            longjmp(ps->fail, 1);
        }
        append_be(p->val, v, bits);
    }
}

static void read_bytes(Parser *ps, DtProp *p)
{
    next(ps);       /* [ */
    for (;;) {
        guint8 b;

        skip_labels(ps);
        if (peek(ps) == ']') {
            next(ps);
            return;
        }
        if (!g_ascii_isxdigit(peek(ps)) || !g_ascii_isxdigit(peek_at(ps, 1))) {
            fail(ps, "expected two hex digits in a byte string");
        }
        b = g_ascii_xdigit_value(next(ps)) << 4;
        b |= g_ascii_xdigit_value(next(ps));
        g_byte_array_append(p->val, &b, 1);
    }
}

static void read_value(Parser *ps, DtProp *p)
{
    for (;;) {
        DtLoc at;
        int c;

        skip_labels(ps);
        at = here(ps);
        c = peek(ps);
        if (c == '"') {
            read_string(ps, p->val);
        } else if (c == '<') {
            read_cells(ps, p, 32);
        } else if (c == '[') {
            read_bytes(ps, p);
        } else if (c == '&') {
            bool is_path;
            char *t = read_ref(ps, &is_path);

            add_ref(p, p->val->len, t, is_path, true, &at);
        } else if (looking_at(ps, "/bits/")) {
            uint64_t bits;

            skip(ps, strlen("/bits/"));
            skip_ws(ps, false);
            bits = g_ascii_isdigit(peek(ps)) ? read_number(ps) : 0;
            if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
                fail(ps, "/bits/ must be 8, 16, 32 or 64");
            }
            skip_ws(ps, false);
            if (peek(ps) != '<') {
                fail(ps, "expected '<' after /bits/ %u", (unsigned)bits);
            }
            read_cells(ps, p, bits);
        } else {
            fail(ps, "expected a property value (\"string\", <cells>, "
                 "[bytes] or &reference)");
        }
        skip_labels(ps);
        if (peek(ps) != ',') {
            return;
        }
        next(ps);
    }
}

/* --- nodes --- */

static void add_label(DtNode *n, char *label)
{
    unsigned i;

    for (i = 0; i < n->labels->len; i++) {
        if (g_str_equal(g_ptr_array_index(n->labels, i), label)) {
            g_free(label);
            return;
        }
    }
    g_ptr_array_add(n->labels, label);
}

static void delete_child(DtNode *n, DtNode *c)
{
    g_ptr_array_remove(n->children, c);
    dt_node_free(c);
}

static void node_body(Parser *ps, DtNode *n);

static void node_item(Parser *ps, DtNode *n)
{
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *name = NULL;
    DtLoc at;
    char *l;

    if (looking_at(ps, "/delete-node/") ||
        looking_at(ps, "/delete-property/")) {
        bool node = looking_at(ps, "/delete-node/");
        DtLoc dat = here(ps);

        skip(ps, node ? strlen("/delete-node/") : strlen("/delete-property/"));
        name = read_name(ps, node ? "a node name" : "a property name");
        expect(ps, ';', "after /delete-.../ NAME");
        if (node && dt_child(n, name)) {
            delete_child(n, dt_child(n, name));
        } else if (!node && dt_prop(n, name)) {
            dt_prop_delete(n, name);
        } else {
            dt_warn(&dat, "nothing named '%s' to delete in %s", name,
                    n->parent ? n->name : "/");
        }
        return;
    }
    if (looking_at(ps, "/omit-if-no-ref/")) {
        skip(ps, strlen("/omit-if-no-ref/"));
        skip_ws(ps, true);
    }
    while ((l = read_label(ps))) {
        g_ptr_array_add(labels, l);
        skip_ws(ps, true);
    }
    at = here(ps);
    name = read_name(ps, "a property or node name");
    skip_ws(ps, false);
    if (peek(ps) == '{') {
        DtNode *c = dt_child(n, name);
        unsigned i;

        if (!c) {
            c = dt_node_new(name, n, &at);
        }
        for (i = 0; i < labels->len; i++) {
            add_label(c, g_strdup(g_ptr_array_index(labels, i)));
        }
        node_body(ps, c);
        return;
    }
    {
        DtProp *p;

        if (dt_prop(n, name) && dt_prop(n, name)->loc.file == at.file &&
            dt_prop(n, name)->loc.line == at.line) {
            fail(ps, "property '%s' defined twice", name);
        }
        p = dt_prop_set(n, name, &at);
        if (peek(ps) == '=') {
            next(ps);
            read_value(ps, p);
        }
        expect(ps, ';', "after a property");
    }
}

static void node_body(Parser *ps, DtNode *n)
{
    if (++ps->nesting > MAX_NESTING) {
        fail(ps, "nodes nested deeper than %d", MAX_NESTING);
    }
    expect(ps, '{', "to open a node");
    for (;;) {
        skip_ws(ps, true);
        if (peek(ps) == '}') {
            break;
        }
        if (peek(ps) < 0) {
            fail(ps, "unexpected end of file: a node is not closed");
        }
        node_item(ps, n);
    }
    next(ps);
    expect(ps, ';', "after '}'");
    ps->nesting--;
}

static DtNode *top_ref(Parser *ps)
{
    DtLoc at = here(ps);
    bool is_path;
    g_autofree char *t = read_ref(ps, &is_path);
    DtNode *n = is_path ? dt_lookup_path(ps->root, t)
                        : dt_lookup_label(ps->root, t);

    if (!n) {
        dt_error(&at, "reference to %s '%s': no such %s (a top-level "
                 "reference must follow the node it names)",
                 is_path ? "path" : "label", t, is_path ? "node" : "label");
        longjmp(ps->fail, 1);
    }
    return n;
}

static void top_level(Parser *ps)
{
    bool header = false;

    for (;;) {
        char *l;

        skip_ws(ps, true);
        if (peek(ps) < 0) {
            break;
        }
        if (looking_at(ps, "/dts-v1/")) {
            skip(ps, strlen("/dts-v1/"));
            expect(ps, ';', "after /dts-v1/");
            header = true;
            continue;
        }
        if (!header) {
            fail(ps, "expected /dts-v1/; first (only version 1 sources are "
                 "read)");
        }
        if (looking_at(ps, "/plugin/")) {
            fail(ps, "overlays (/plugin/) are not designs: give the base "
                 "devicetree");
        }
        if (looking_at(ps, "/memreserve/")) {
            skip(ps, strlen("/memreserve/"));
            skip_ws(ps, false);
            read_number(ps);
            skip_ws(ps, false);
            read_number(ps);
            expect(ps, ';', "after /memreserve/");
            continue;
        }
        if (looking_at(ps, "/delete-node/")) {
            DtNode *n;

            skip(ps, strlen("/delete-node/"));
            skip_ws(ps, false);
            if (peek(ps) != '&') {
                fail(ps, "expected &label after /delete-node/");
            }
            n = top_ref(ps);
            expect(ps, ';', "after /delete-node/");
            if (n->parent) {
                delete_child(n->parent, n);
            }
            continue;
        }
        if (looking_at(ps, "/omit-if-no-ref/")) {
            skip(ps, strlen("/omit-if-no-ref/"));
            skip_ws(ps, false);
            top_ref(ps);
            expect(ps, ';', "after /omit-if-no-ref/");
            continue;
        }
        while ((l = read_label(ps))) {
            add_label(ps->root, l);
            skip_ws(ps, false);
        }
        if (peek(ps) == '/') {
            next(ps);
            node_body(ps, ps->root);
        } else if (peek(ps) == '&') {
            node_body(ps, top_ref(ps));
        } else {
            fail(ps, "expected a node ('/ {' or '&label {')");
        }
    }
    if (!header) {
        fail(ps, "empty design: no /dts-v1/;");
    }
}

DtNode *dts_read(const char *file)
{
    Parser ps = { 0 };
    DtLoc loc = { dt_intern(file), 1, 1 };
    /* volatile: longjmp() from a syntax error comes back here */
    DtNode *volatile root = dt_node_new("", NULL, &loc);

    ps.root = root;
    if (setjmp(ps.fail)) {
        while (ps.src) {
            Src *up = ps.src->up;

            g_free(ps.src->text);
            g_free(ps.src);
            ps.src = up;
        }
        dt_node_free(root);
        return NULL;
    }
    push_file(&ps, file, NULL);
    top_level(&ps);
    g_free(ps.src->text);
    g_free(ps.src);
    return root;
}
