/*
 * Composed machine: parameters, constants, references and expressions
 *
 * The part of loading a description that depends on values: parameters
 * get theirs (command line, else default), named constants are
 * resolved, and "$NAME" references and integer expressions are
 * substituted, for repetitions, conditions and overrides
 * (machine-compose-expand.c) to use.
 *
 * Nothing here depends on QOM, so unit tests link it with the reader.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/util.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "machine-compose-params.h"

/* --- names --- */

bool compose_param_name_valid(const char *name, size_t len)
{
    size_t i;

    if (!len || !g_ascii_isalpha(name[0])) {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (!g_ascii_isalnum(name[i]) && name[i] != '-' && name[i] != '_') {
            return false;
        }
    }
    return true;
}

static size_t name_span(const char *s)
{
    size_t n = 0;

    if (!g_ascii_isalpha(s[0])) {
        return 0;
    }
    while (g_ascii_isalnum(s[n]) || s[n] == '-' || s[n] == '_') {
        n++;
    }
    return n;
}

static void add_names(GPtrArray *names, QDict *d)
{
    const QDictEntry *e;

    for (e = d ? qdict_first(d) : NULL; e; e = qdict_next(d, e)) {
        g_ptr_array_add(names, g_strconcat("$", e->key, NULL));
    }
}

static void report_unknown(ComposeLoad *c, const ComposeScope *scope,
                           const char *name, const ComposeLoc *loc)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *dollar = g_strconcat("$", name, NULL);
    g_autofree char *hint = NULL;
    const ComposeScope *s;

    for (s = scope; s; s = s->outer) {
        g_ptr_array_add(names, g_strconcat("$", s->name, NULL));
    }
    add_names(names, c->constants);
    add_names(names, c->values);
    hint = compose_did_you_mean(dollar, (const char *const *)names->pdata,
                                names->len);
    compose_doc_error(c->doc, loc, "unknown name '%s'%s", dollar, hint);
}

static const char *constant_value(ComposeLoad *c, const char *name,
                                  const ComposeLoc *loc);

/*
 * The text of a loop variable, constant or parameter; NULL after
 * reporting a problem (nothing is reported again for a parameter or
 * constant whose value was found wrong before).
 */
const char *compose_lookup(ComposeLoad *c, const ComposeScope *scope,
                           const char *name, const ComposeLoc *loc)
{
    const ComposeScope *s;
    const char *v;

    for (s = scope; s; s = s->outer) {
        if (!strcmp(s->name, name)) {
            return s->value;
        }
    }
    if (c->constants && qdict_haskey(c->constants, name)) {
        return constant_value(c, name, loc);
    }
    v = c->values ? qdict_get_try_str(c->values, name) : NULL;
    if (v) {
        return v;
    }
    if (!c->declared || !g_hash_table_contains(c->declared, name)) {
        report_unknown(c, scope, name, loc);
    }
    return NULL;
}

/* --- integer expressions --- */

typedef struct Expr {
    ComposeLoad *c;
    const ComposeScope *scope;
    const ComposeLoc *loc;
    const char *text;           /* all of it, for messages */
    const char *p;              /* next character */
    const char *end;
    bool bare;                  /* names may go without '$' */
    bool failed;
    unsigned depth;
    unsigned skip;              /* in a branch not taken: no arithmetic */
} Expr;

void compose_error_once(ComposeLoad *c, bool *failed, const ComposeLoc *loc,
                        const char *what, const char *text,
                        const char *fmt, va_list ap)
{
    g_autofree char *msg = NULL;

    if (*failed) {
        return;
    }
    *failed = true;
    msg = g_strdup_vprintf(fmt, ap);
    compose_doc_error(c->doc, loc, "%s '%s': %s", what, text, msg);
}

static void G_GNUC_PRINTF(2, 3) expr_error(Expr *e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    compose_error_once(e->c, &e->failed, e->loc, "expression", e->text, fmt,
                       ap);
    va_end(ap);
}

/* A problem of arithmetic, not reported where the value is not used */
#define expr_arith_error(e, ...) do {           \
        if (!(e)->skip) {                       \
            expr_error(e, __VA_ARGS__);         \
        }                                       \
    } while (0)

static void expr_ws(Expr *e)
{
    while (e->p < e->end && g_ascii_isspace(*e->p)) {
        e->p++;
    }
}

/*
 * An integer written in a description or given by a value: decimal,
 * 0x hexadecimal or 0 octal, optionally negative, with an optional
 * binary multiple K, M, G or T (4K is 4096).
 */
bool compose_parse_int(const char *s, size_t len, int64_t *out)
{
    static const char suffixes[] = "KMGT";
    g_autofree char *t = g_strndup(s, len);
    const char *digits = t, *end;
    const char *suf;
    bool neg = false;
    uint64_t u;
    unsigned shift = 0;
    size_t n;

    if (*digits == '-') {
        neg = true;
        digits++;
    }
    n = strlen(digits);
    if (!n || !g_ascii_isdigit(digits[0])) {
        return false;
    }
    suf = strchr(suffixes, g_ascii_toupper(digits[n - 1]));
    if (suf && *suf && n > 1) {
        shift = 10 * (suf - suffixes + 1);
        t[strlen(t) - 1] = '\0';
    }
    if (qemu_strtou64(digits, &end, 0, &u) || *end) {
        return false;
    }
    if (shift && u > (UINT64_MAX >> shift)) {
        return false;
    }
    u <<= shift;
    if (u > (uint64_t)INT64_MAX + neg) {
        return false;
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

static int64_t expr_or(Expr *e);

static int64_t expr_name_value(Expr *e, const char *name, size_t len)
{
    g_autofree char *n = g_strndup(name, len);
    const char *v = compose_lookup(e->c, e->scope, n, e->loc);
    int64_t x;
    bool b;

    if (!v) {
        e->failed = true;
        return 0;
    }
    if (compose_parse_int(v, strlen(v), &x)) {
        return x;
    }
    /* a boolean is 1 or 0, as in C */
    if (!qapi_bool_parse("", v, &b, NULL)) {
        expr_error(e, "'$%s' is '%s', not an integer", n, v);
        return 0;
    }
    return b;
}

static int64_t expr_primary(Expr *e)
{
    const char *start;
    size_t n;
    int64_t v;

    expr_ws(e);
    if (e->p >= e->end) {
        expr_error(e, "a value is missing at the end");
        return 0;
    }
    start = e->p;
    if (*e->p == '(') {
        e->p++;
        v = expr_or(e);
        expr_ws(e);
        if (!e->failed && (e->p >= e->end || *e->p != ')')) {
            expr_error(e, "')' expected at '%.*s'", (int)(e->end - e->p),
                       e->p);
        }
        e->p++;
        return v;
    }
    if (g_ascii_isdigit(*e->p)) {
        while (e->p < e->end && g_ascii_isalnum(*e->p)) {
            e->p++;
        }
        if (!compose_parse_int(start, e->p - start, &v)) {
            expr_error(e, "'%.*s' is not an integer (or is too large)",
                       (int)(e->p - start), start);
            return 0;
        }
        return v;
    }
    if (e->p + 1 < e->end && e->p[0] == '$' && e->p[1] == '{') {
        /* ${E} in an expression: (E), with bare names */
        const char *close = memchr(e->p, '}', e->end - e->p);
        Expr sub = *e;

        if (!close) {
            expr_error(e, "'${' without '}'");
            return 0;
        }
        sub.p = e->p + 2;
        sub.end = close;
        sub.bare = true;
        v = expr_or(&sub);
        expr_ws(&sub);
        if (!sub.failed && sub.p < sub.end) {
            expr_error(&sub, "unexpected '%.*s'", (int)(sub.end - sub.p),
                       sub.p);
        }
        e->failed = sub.failed;
        e->p = close + 1;
        return v;
    }
    if (*e->p == '$' || (e->bare && g_ascii_isalpha(*e->p))) {
        if (*e->p == '$') {
            e->p++;
        }
        n = e->p < e->end ? name_span(e->p) : 0;
        if (!n || e->p + n > e->end) {
            expr_error(e, "a name is expected after '$'");
            return 0;
        }
        e->p += n;
        return expr_name_value(e, e->p - n, n);
    }
    expr_error(e, "unexpected '%.*s'", (int)(e->end - e->p), e->p);
    return 0;
}

static int64_t expr_unary(Expr *e)
{
    int64_t v;
    char op;

    expr_ws(e);
    if (e->p < e->end && strchr("-~+!", *e->p) &&
        !(e->p[0] == '!' && e->p + 1 < e->end && e->p[1] == '=')) {
        op = *e->p++;
        if (++e->depth > COMPOSE_MAX_EXPR_DEPTH) {
            expr_error(e, "operators nested deeper than %d",
                       COMPOSE_MAX_EXPR_DEPTH);
            return 0;
        }
        v = expr_unary(e);
        e->depth--;
        if (op == '-' && v == INT64_MIN) {
            expr_arith_error(e, "integer overflow");
            return 0;
        }
        return op == '-' ? -v : op == '~' ? ~v : op == '!' ? !v : v;
    }
    return expr_primary(e);
}

/* The binary operators, longest first, so "<<" is never read as "<" */
static const char *const expr_all_ops[] = {
    "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
    "|", "^", "&", "<", ">", "+", "-", "*", "/", "%", "?", ":",
};

/* Binary operators by precedence level, loosest first, as in C */
static const char *const expr_ops[][4] = {
    { "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
    { "<", "<=", ">", ">=" }, { "<<", ">>" }, { "+", "-" },
    { "*", "/", "%" },
};

/* The operator at the current position, if it is one of @level's */
static const char *expr_match_op(Expr *e, unsigned level)
{
    const char *op = NULL;
    size_t i;

    expr_ws(e);
    for (i = 0; i < ARRAY_SIZE(expr_all_ops) && !op; i++) {
        size_t n = strlen(expr_all_ops[i]);

        if (e->end - e->p >= n && !memcmp(e->p, expr_all_ops[i], n)) {
            op = expr_all_ops[i];
        }
    }
    for (i = 0; op && i < ARRAY_SIZE(expr_ops[level]); i++) {
        if (expr_ops[level][i] && !strcmp(expr_ops[level][i], op)) {
            e->p += strlen(op);
            return op;
        }
    }
    return NULL;
}

static int64_t expr_shift(Expr *e, const char *op, int64_t a, int64_t b)
{
    if (b < 0 || b > 63) {
        expr_arith_error(e, "shift by %" PRId64 " (0 to 63)", b);
        return 0;
    }
    if (op[0] == '>') {
        return a >> b;
    }
    if (a > (INT64_MAX >> b) || a < (INT64_MIN >> b)) {
        expr_arith_error(e, "integer overflow");
        return 0;
    }
    return (int64_t)((uint64_t)a << b);
}

static int64_t expr_apply(Expr *e, const char *op, int64_t a, int64_t b)
{
    int64_t r = 0;
    bool overflow = false;

    if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
        return expr_shift(e, op, a, b);
    }
    switch (op[0] + (op[1] << 8)) {
    case '|' + ('|' << 8):
        return a || b;
    case '&' + ('&' << 8):
        return a && b;
    case '|':
        return a | b;
    case '^':
        return a ^ b;
    case '&':
        return a & b;
    case '=' + ('=' << 8):
        return a == b;
    case '!' + ('=' << 8):
        return a != b;
    case '<':
        return a < b;
    case '<' + ('=' << 8):
        return a <= b;
    case '>':
        return a > b;
    case '>' + ('=' << 8):
        return a >= b;
    case '+':
        overflow = __builtin_add_overflow(a, b, &r);
        break;
    case '-':
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
    case '*':
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
    default:
        if (b == 0) {
            expr_arith_error(e, "division by zero");
            return 0;
        }
        overflow = a == INT64_MIN && b == -1;
        r = overflow ? 0 : op[0] == '/' ? a / b : a % b;
    }
    if (overflow) {
        expr_arith_error(e, "integer overflow");
        return 0;
    }
    return r;
}

static int64_t expr_level(Expr *e, unsigned level)
{
    int64_t v;
    const char *op;

    if (level == ARRAY_SIZE(expr_ops)) {
        return expr_unary(e);
    }
    v = expr_level(e, level + 1);
    while (!e->failed && (op = expr_match_op(e, level))) {
        /* "&&" and "||" evaluate what decides nothing without errors */
        bool skip = (!strcmp(op, "&&") && !v) || (!strcmp(op, "||") && v);
        int64_t w;

        e->skip += skip;
        w = expr_level(e, level + 1);
        e->skip -= skip;
        if (e->failed) {
            break;
        }
        v = skip ? !!v : expr_apply(e, op, v, w);
    }
    return v;
}

/* C ? A : B, the loosest of all; the branch not taken gives no errors */
static int64_t expr_or(Expr *e)
{
    int64_t cond, a, b;

    if (++e->depth > COMPOSE_MAX_EXPR_DEPTH) {
        expr_error(e, "nested deeper than %d", COMPOSE_MAX_EXPR_DEPTH);
        return 0;
    }
    cond = expr_level(e, 0);
    expr_ws(e);
    if (e->failed || e->p >= e->end || *e->p != '?') {
        e->depth--;
        return cond;
    }
    e->p++;
    e->skip += !cond;
    a = expr_or(e);
    e->skip -= !cond;
    expr_ws(e);
    if (!e->failed && (e->p >= e->end || *e->p != ':')) {
        expr_error(e, "':' expected at '%.*s'", (int)(e->end - e->p), e->p);
    }
    e->p++;
    e->skip += !!cond;
    b = expr_or(e);
    e->skip -= !!cond;
    e->depth--;
    return cond ? a : b;
}

/*
 * Evaluate the integer expression @len bytes at @s (a part of @text,
 * which messages quote).  @bare: names may be written without '$'.
 */
bool compose_eval_int(ComposeLoad *c, const ComposeScope *scope,
                      const char *text, const char *s, size_t len,
                      bool bare, const ComposeLoc *loc, int64_t *out)
{
    Expr e = {
        .c = c, .scope = scope, .loc = loc, .text = text, .p = s,
        .end = s + len, .bare = bare,
    };

    *out = expr_or(&e);
    expr_ws(&e);
    if (!e.failed && e.p < e.end) {
        expr_error(&e, "unexpected '%.*s'", (int)(e.end - e.p), e.p);
    }
    return !e.failed;
}

/* --- substitution --- */

/*
 * Count @n more bytes of substituted text; false (reported once) past
 * COMPOSE_MAX_SUBST_BYTES: a long value used many times is a bomb.
 */
static bool subst_budget(ComposeLoad *c, size_t n, const ComposeLoc *loc)
{
    if (c->subst_over) {
        return false;
    }
    if (n > COMPOSE_MAX_SUBST_BYTES - c->subst_bytes) {
        compose_doc_error(c->doc, loc, "substitutions make more than %d "
                          "MiB of text", COMPOSE_MAX_SUBST_BYTES >> 20);
        c->subst_over = true;
        return false;
    }
    c->subst_bytes += n;
    return true;
}

/* "${...}" at @s (after "${", @len bytes up to the '}') into @out */
static bool interpolate_one(ComposeLoad *c, const ComposeScope *scope,
                            const char *text, const char *s, size_t len,
                            const ComposeLoc *loc, GString *out)
{
    const char *colon = g_strrstr_len(s, len, ":");
    bool hex = false;
    const char *p = s, *end = s + len;
    size_t n;
    int64_t v;

    /* ":x" at the end; another ':' is "C ? A : B"'s or an error */
    if (colon) {
        g_autofree char *fmt = g_strstrip(g_strndup(colon + 1,
                                                    end - colon - 1));

        if (!strcmp(fmt, "x")) {
            hex = true;
            end = colon;
        } else if (!memchr(s, '?', colon - s)) {
            compose_doc_error(c->doc, loc, "'%s': unknown format ':%s' "
                              "(':x' is hexadecimal)", text, fmt);
            return false;
        }
    }
    while (p < end && g_ascii_isspace(*p)) {
        p++;
    }
    while (end > p && g_ascii_isspace(end[-1])) {
        end--;
    }
    if (p < end && *p == '$') {
        p++;
    }
    n = p < end ? name_span(p) : 0;
    if (n && p + n == end && !hex) {
        /* one name: its text, which need not be an integer */
        g_autofree char *name = g_strndup(p, n);
        const char *val = compose_lookup(c, scope, name, loc);

        if (!val || !subst_budget(c, strlen(val), loc)) {
            return false;
        }
        g_string_append(out, val);
        return true;
    }
    if (!compose_eval_int(c, scope, text, s, end - s, true, loc, &v)) {
        return false;
    }
    if (hex) {
        g_string_append_printf(out, "%" PRIx64, (uint64_t)v);
    } else {
        g_string_append_printf(out, "%" PRId64, v);
    }
    return true;
}

static int interpolate(ComposeLoad *c, const ComposeScope *scope,
                       const char *text, const ComposeLoc *loc, char **out)
{
    g_autoptr(GString) s = g_string_new(NULL);
    const char *p = text;

    while (*p) {
        const char *close;

        if (p[0] == '$' && p[1] == '$') {
            g_string_append_c(s, '$');
            p += 2;
            continue;
        }
        if (p[0] == '$' && g_ascii_isalpha(p[1])) {
            size_t n = name_span(p + 1);

            compose_doc_error(c->doc, loc, "'%s': write '${%.*s}' to put "
                              "'$%.*s' in a text, '$$' for a '$'", text,
                              (int)n, p + 1, (int)n, p + 1);
            return -1;
        }
        if (p[0] != '$' || p[1] != '{') {
            g_string_append_c(s, *p++);
            continue;
        }
        close = strchr(p + 2, '}');
        if (!close) {
            compose_doc_error(c->doc, loc, "'%s': '${' without '}'", text);
            return -1;
        }
        if (!interpolate_one(c, scope, text, p + 2, close - p - 2, loc, s)) {
            return -1;
        }
        p = close + 1;
    }
    /* the values were counted as they came, now the rest of the text */
    if (!subst_budget(c, p - text, loc)) {
        return -1;
    }
    *out = g_string_free(g_steal_pointer(&s), false);
    return 1;
}

/*
 * Is @text an integer expression with references: only what expressions
 * are made of, starting like one (not with "${", which starts a text),
 * with a '$' in it?
 */
static bool is_expression(const char *text)
{
    const char *p;
    bool ref = false;

    if (!strchr("$(-+~!0123456789", text[0]) ||
        (text[0] == '$' && (text[1] == '$' || text[1] == '{'))) {
        return false;
    }
    for (p = text; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("$(){}+-*/%<>=!?:&|^~_ ", *p)) {
            return false;
        }
        ref |= *p == '$';
    }
    return ref;
}

/*
 * The text of scalar @text with references substituted:
 *   "$NAME"      the text of a loop variable, constant or parameter
 *   "$A | $B", "($A + 1) * 4", "0x10 + ${A}"
 *                an integer expression with references, in decimal
 *   "..${E}.."   expression or name E in the text ("${E:x}": hexadecimal)
 *   "..$$.."     a '$'
 * A '$' before a letter elsewhere in a text is an error: it was probably
 * meant to be substituted (a name may contain '-': "${i}-x", not "$i-x").
 * Returns 0 if @text has nothing to substitute, 1 with *@out set, or -1
 * after reporting a problem.
 */
int compose_substitute(ComposeLoad *c, const ComposeScope *scope,
                       const char *text, const ComposeLoc *loc, char **out)
{
    size_t n;

    *out = NULL;
    if (!strchr(text, '$')) {
        return 0;
    }
    n = text[0] == '$' ? name_span(text + 1) : 0;
    if (n && !text[n + 1]) {
        const char *v = compose_lookup(c, scope, text + 1, loc);

        if (!v || !subst_budget(c, strlen(v), loc)) {
            return -1;
        }
        *out = g_strdup(v);
        return 1;
    }
    if (is_expression(text)) {
        int64_t x;

        if (!compose_eval_int(c, scope, text, text, strlen(text), false, loc,
                              &x)) {
            return -1;
        }
        *out = g_strdup_printf("%" PRId64, x);
        return 1;
    }
    return interpolate(c, scope, text, loc, out);
}

/* --- constants --- */

static const char *constant_value(ComposeLoad *c, const char *name,
                                  const ComposeLoc *loc)
{
    QString *def;
    gpointer memo;
    g_autofree char *out = NULL;
    const char *v;
    int r;

    if (g_hash_table_lookup_extended(c->const_values, name, NULL, &memo)) {
        return memo;
    }
    if (g_hash_table_contains(c->const_busy, name)) {
        compose_doc_error(c->doc, loc, "constant '%s' is defined in terms "
                          "of itself", name);
        return NULL;
    }
    def = qobject_to(QString, qdict_get(c->constants, name));
    if (!def) {
        /* not a scalar: reported by compose_resolve_constants() */
        return NULL;
    }
    v = qstring_get_str(def);
    g_hash_table_add(c->const_busy, (gpointer)name);
    r = compose_substitute(c, NULL, v, compose_doc_loc(c->doc, QOBJECT(def)),
                           &out);
    g_hash_table_remove(c->const_busy, name);
    if (g_hash_table_lookup_extended(c->const_values, name, NULL, &memo)) {
        /* reported while resolving (a cycle through this one) */
        return memo;
    }
    g_hash_table_insert(c->const_values, g_strdup(name),
                        r < 0 ? NULL : r ? g_steal_pointer(&out)
                                         : g_strdup(v));
    return g_hash_table_lookup(c->const_values, name);
}

/*
 * Take "constants" out of @board and resolve every one, in the order
 * written, so that a problem in one is reported whether or not it is used.
 */
void compose_resolve_constants(ComposeLoad *c, QDict *board)
{
    QObject *obj = qdict_get(board, "constants");
    g_autofree const char **keys = NULL;
    size_t i;

    c->const_values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                            g_free);
    c->const_busy = g_hash_table_new(g_str_hash, g_str_equal);
    if (!obj) {
        return;
    }
    c->constants = qobject_to(QDict, obj);
    if (!c->constants) {
        compose_doc_error(c->doc, compose_doc_loc(c->doc, obj),
                          "'constants' must be a mapping from names to "
                          "values");
        qdict_del(board, "constants");
        return;
    }
    qobject_ref(c->constants);
    qdict_del(board, "constants");
    keys = compose_doc_keys(c->doc, c->constants);
    for (i = 0; keys[i]; i++) {
        const ComposeLoc *kloc = compose_doc_key_loc(c->doc, c->constants,
                                                     keys[i]);
        QObject *v = qdict_get(c->constants, keys[i]);

        if (!compose_param_name_valid(keys[i], strlen(keys[i]))) {
            compose_doc_error(c->doc, kloc, "invalid constant name '%s' "
                              "(letters, digits, '-' and '_', starting with "
                              "a letter)", keys[i]);
        } else if (g_hash_table_contains(c->declared, keys[i])) {
            compose_doc_error(c->doc, kloc, "constant '%s' has the name of "
                              "a parameter", keys[i]);
        } else if (!qobject_to(QString, v)) {
            compose_doc_error(c->doc, kloc, "constant '%s' must be a scalar",
                              keys[i]);
        } else {
            constant_value(c, keys[i], kloc);
        }
    }
}

/* --- parameters --- */

/* Check @value against a parameter type name; NULL if fine, else why */
static const char *param_value_error(const char *type, const char *value)
{
    int64_t i;
    uint64_t u;
    bool b;

    if (!strcmp(type, "int")) {
        return qemu_strtoi64(value, NULL, 0, &i) ? "an integer" : NULL;
    } else if (!strcmp(type, "size")) {
        return qemu_strtosz(value, NULL, &u) ? "a size" : NULL;
    } else if (!strcmp(type, "bool")) {
        return qapi_bool_parse("", value, &b, NULL) ? NULL : "a boolean";
    }
    return NULL;
}

/*
 * A parameter with "values" only takes the values listed there; $NAME
 * stands for the text each one maps to.
 */
static const char *param_choice(ComposeLoad *c, QDict *p, const char *n,
                                const char *v, const ComposeLoc *vloc)
{
    QObject *vo = qdict_get(p, "values");
    QDict *map = qobject_to(QDict, vo);
    QString *to;

    if (!map) {
        compose_doc_error(c->doc, compose_doc_loc(c->doc, vo),
                          "parameter '%s': 'values' "
                          "must be a mapping from values to what they "
                          "stand for", n);
        return NULL;
    }
    if (!qdict_haskey(map, v)) {
        g_autofree const char **keys = compose_doc_keys(c->doc, map);
        g_autofree char *list = g_strjoinv(", ", (char **)keys);

        if (vloc) {
            compose_doc_error(c->doc, vloc, "parameter '%s': '%s' is not "
                              "one of %s", n, v, list);
        } else {
            compose_doc_error(c->doc, NULL, "-M composed,param.%s=%s: not "
                              "one of %s", n, v, list);
        }
        return NULL;
    }
    to = qobject_to(QString, qdict_get(map, v));
    if (!to) {
        compose_doc_error(c->doc, compose_doc_loc(c->doc, qdict_get(map, v)),
                          "parameter '%s': the value of '%s' must be a "
                          "scalar", n, v);
        return NULL;
    }
    return qstring_get_str(to);
}

static const char *const param_types[] = { "str", "int", "bool", "size", NULL };

/* Parameters set on the command line that @names (declared) lacks */
static void report_unknown_params(ComposeLoad *c, const QDict *cmdline,
                                  GPtrArray *names)
{
    const QDictEntry *ce;

    for (ce = cmdline ? qdict_first(cmdline) : NULL; ce;
         ce = qdict_next(cmdline, ce)) {
        if (!g_ptr_array_find_with_equal_func(names, ce->key, g_str_equal,
                                              NULL)) {
            g_autofree char *hint =
                compose_did_you_mean(ce->key,
                                     (const char *const *)names->pdata,
                                     names->len);

            compose_doc_error(c->doc, NULL,
                              "-M composed,param.%s: the description has "
                              "no parameter '%s'%s", ce->key, ce->key,
                              hint);
        }
    }
}

/*
 * Values of the declared parameters: name -> QString.  The command line
 * wins over defaults.  Reports unknown, missing and ill-typed values.
 */
static QDict *param_values(ComposeLoad *c, QDict *board,
                          const QDict *cmdline)
{
    g_autoptr(QDict) values = qdict_new();
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    QList *list = qobject_to(QList, qdict_get(board, "params"));
    QListEntry *e;

    if (qdict_haskey(board, "params") && !list) {
        compose_doc_error(c->doc,
                          compose_doc_loc(c->doc, qdict_get(board, "params")),
                          "'params' must be a list");
        return NULL;
    }
    if (!list) {
        list = qlist_new();
        qdict_put(board, "params", list);
    }
    QTAILQ_FOREACH(e, &list->head, next) {
        QDict *p = qobject_to(QDict, e->value);
        QString *name = p ? qobject_to(QString, qdict_get(p, "name")) : NULL;
        QString *type = p ? qobject_to(QString, qdict_get(p, "type")) : NULL;
        QObject *def = p ? qdict_get(p, "default") : NULL;
        const char *n, *t, *v = NULL, *why;
        const ComposeLoc *vloc;
        QObject *cv;

        if (!name || !type) {
            /* reported by the checker's schema visit */
            continue;
        }
        n = qstring_get_str(name);
        t = qstring_get_str(type);
        if (!compose_param_name_valid(n, strlen(n))) {
            compose_doc_error(c->doc, compose_doc_loc(c->doc, QOBJECT(name)),
                              "invalid parameter name '%s' (letters, "
                              "digits, '-' and '_', starting with a letter)",
                              n);
            continue;
        }
        if (!g_strv_contains(param_types, t)) {
            /* reported by the checker's schema visit */
            continue;
        }
        g_ptr_array_add(names, (gpointer)n);
        g_hash_table_add(c->declared, g_strdup(n));
        cv = cmdline ? qdict_get(cmdline, n) : NULL;
        vloc = NULL;
        if (cv) {
            QString *s = qobject_to(QString, cv);

            if (!s) {
                compose_doc_error(c->doc, NULL,
                                  "-M composed,param.%s: expects a value",
                                  n);
                continue;
            }
            v = qstring_get_str(s);
        } else if (def) {
            QString *s = qobject_to(QString, def);

            if (!s) {
                compose_doc_error(c->doc, compose_doc_loc(c->doc, def),
                                  "parameter '%s': the default must be a "
                                  "scalar", n);
                continue;
            }
            v = qstring_get_str(s);
            vloc = compose_doc_loc(c->doc, def);
        } else {
            compose_doc_error(c->doc, compose_doc_loc(c->doc, e->value),
                              "parameter '%s' has no default: set it with "
                              "-M composed,param.%s=VALUE", n, n);
            continue;
        }
        why = param_value_error(t, v);
        if (why) {
            if (vloc) {
                compose_doc_error(c->doc, vloc,
                                  "parameter '%s': '%s' is not %s", n, v,
                                  why);
            } else {
                compose_doc_error(c->doc, NULL,
                                  "-M composed,param.%s=%s: not %s", n, v,
                                  why);
            }
            continue;
        }
        if (qdict_haskey(values, n)) {
            compose_doc_error(c->doc, compose_doc_loc(c->doc, QOBJECT(name)),
                              "parameter '%s' declared twice", n);
            continue;
        }
        if (qdict_haskey(p, "values")) {
            v = param_choice(c, p, n, v, vloc);
            if (!v) {
                continue;
            }
        }
        qdict_put_str(values, n, v);
    }
    report_unknown_params(c, cmdline, names);
    return g_steal_pointer(&values);
}

bool compose_resolve_params(ComposeLoad *c, QDict *board,
                            const QDict *cmdline)
{
    c->values = param_values(c, board, cmdline);
    return c->values != NULL;
}
