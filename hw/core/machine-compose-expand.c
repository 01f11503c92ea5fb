/*
 * Composed machine: repetitions, conditions and overrides of entries
 *
 * The last step of loading a description, once parameters and constants
 * have values: one walk over the merged tree expands repetitions
 * ("for"), removes the list entries whose condition ("if") is false,
 * substitutes "$" references and expressions in scalars and in keys,
 * and, in the named lists (clocks, cpus, memory, devices), applies the
 * entries that say "override: NAME" to the entry declared before with
 * that name.  A name declared twice without "override" is an error.
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

/* What the walk knows about the named list it is in */
typedef struct NamedList {
    const char *key;            /* "devices"... */
    bool resolve;               /* false: only overrides (params) */
    GHashTable *index;          /* name -> QListEntry * of the output */
    GHashTable *declared;       /* names declared, kept or not */
} NamedList;

static void resolve_node(ComposeLoad *c, const ComposeScope *scope,
                         QObject **slot);
static void resolve_entry(ComposeLoad *c, const ComposeScope *scope,
                          QObject *obj, QList *out, NamedList *nl);

static const ComposeLoc *loc_of(ComposeLoad *c, QObject *obj)
{
    return compose_doc_loc(c->doc, obj);
}

static const ComposeLoc *key_loc(ComposeLoad *c, QDict *d, const char *key)
{
    const ComposeLoc *loc = compose_doc_key_loc(c->doc, d, key);

    return loc ? loc : loc_of(c, QOBJECT(d));
}

/* --- conditions --- */

typedef struct Cond {
    ComposeLoad *c;
    const ComposeScope *scope;
    const ComposeLoc *loc;
    const char *text;
    const char *p;
    bool failed;
    unsigned depth;
} Cond;

static void G_GNUC_PRINTF(2, 3) cond_error(Cond *k, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    compose_error_once(k->c, &k->failed, k->loc, "invalid condition",
                       k->text, fmt, ap);
    va_end(ap);
}

static void cond_ws(Cond *k)
{
    while (g_ascii_isspace(*k->p)) {
        k->p++;
    }
}

static bool cond_take(Cond *k, const char *tok)
{
    size_t n = strlen(tok);

    cond_ws(k);
    if (strncmp(k->p, tok, n)) {
        return false;
    }
    /* "!" is not the start of "!=" */
    if (n == 1 && tok[0] == '!' && k->p[1] == '=') {
        return false;
    }
    k->p += n;
    return true;
}

/* A word: "${...}", a quoted string, or text up to a space or operator */
static char *cond_word(Cond *k, bool *quoted)
{
    const char *start;

    cond_ws(k);
    start = k->p;
    *quoted = false;
    if (*k->p == '\'' || *k->p == '"') {
        const char *close = strchr(k->p + 1, *k->p);

        if (!close) {
            cond_error(k, "unterminated quote");
            return NULL;
        }
        k->p = close + 1;
        *quoted = true;
        return g_strndup(start + 1, close - start - 1);
    }
    while (*k->p && !g_ascii_isspace(*k->p) && !strchr("()!&|=", *k->p)) {
        if (k->p[0] == '$' && k->p[1] == '{') {
            const char *close = strchr(k->p, '}');

            if (!close) {
                cond_error(k, "'${' without '}'");
                return NULL;
            }
            k->p = close;
        }
        k->p++;
    }
    if (k->p == start) {
        if (*k->p) {
            cond_error(k, "unexpected '%s'", k->p);
        } else {
            cond_error(k, "something is missing at the end");
        }
        return NULL;
    }
    return g_strndup(start, k->p - start);
}

/* The value of a comparison operand */
static char *cond_operand(Cond *k, char *word, bool quoted)
{
    char *out;
    int r;

    if (quoted) {
        return word;
    }
    if (g_str_equal(word, "@machine.ram-size")) {
        /* 0 while the RAM size is not known */
        const ComposeFacts *f = k->c->facts;

        g_free(word);
        return g_strdup_printf("%" PRIu64, f ? f->ram_size : 0);
    }
    r = compose_substitute(k->c, k->scope, word, k->loc, &out);
    if (r < 0) {
        k->failed = true;
        g_free(word);
        return NULL;
    }
    if (r) {
        g_free(word);
        return out;
    }
    return word;
}

static bool cond_fact(Cond *k, const char *w)
{
    const ComposeFacts *f = k->c->facts;

    if (!strcmp(w, "kernel")) {
        return f && f->kernel;
    }
    if (!strcmp(w, "defaults")) {
        return !f || f->defaults;
    }
    if (g_str_has_prefix(w, "drive:")) {
        g_auto(GStrv) parts = g_strsplit(w, ":", 0);
        int64_t idx;

        if (g_strv_length(parts) != 3 || !*parts[1] ||
            qemu_strtoi64(parts[2], NULL, 0, &idx) || idx < 0 ||
            idx > INT_MAX) {
            cond_error(k, "'%s' (drive:IF:INDEX, e.g. drive:mtd:0)", w);
            return false;
        }
        return f && f->drive_present && f->drive_present(parts[1], idx);
    }
    if (w[0] == '$') {
        g_autofree char *v = cond_operand(k, g_strdup(w), false);
        bool b;

        if (!v) {
            return false;
        }
        if (!qapi_bool_parse("", v, &b, NULL)) {
            cond_error(k, "'%s' is '%s', not a boolean (compare it with == "
                       "or !=)", w, v);
            return false;
        }
        return b;
    }
    cond_error(k, "'%s' is not kernel, defaults, drive:IF:INDEX, $NAME or "
               "a comparison", w);
    return false;
}

static bool cond_or(Cond *k);

/*
 * Two sizes or integers compare as numbers ("1G" == "1073741824" ==
 * "0x40000000"), anything else as text
 */
static bool operands_equal(const char *a, const char *b)
{
    uint64_t x, y;

    if (!qemu_strtosz(a, NULL, &x) && !qemu_strtosz(b, NULL, &y)) {
        return x == y;
    }
    return !strcmp(a, b);
}

/* WORD | WORD == WORD | WORD != WORD */
static bool cond_atom(Cond *k)
{
    bool quoted, rquoted, eq;
    g_autofree char *w = cond_word(k, &quoted);
    g_autofree char *a = NULL, *b = NULL;

    if (!w) {
        return false;
    }
    if (cond_take(k, "==")) {
        eq = true;
    } else if (cond_take(k, "!=")) {
        eq = false;
    } else if (quoted) {
        cond_error(k, "a string alone is not a condition");
        return false;
    } else {
        return cond_fact(k, w);
    }
    a = cond_operand(k, g_steal_pointer(&w), quoted);
    b = cond_word(k, &rquoted);
    b = b ? cond_operand(k, b, rquoted) : NULL;
    if (!a || !b) {
        return false;
    }
    return operands_equal(a, b) == eq;
}

static bool cond_not(Cond *k)
{
    bool v;

    if (k->failed) {
        return false;
    }
    if (++k->depth > COMPOSE_MAX_EXPR_DEPTH) {
        cond_error(k, "nested deeper than %d", COMPOSE_MAX_EXPR_DEPTH);
        return false;
    }
    if (cond_take(k, "!")) {
        v = !cond_not(k);
    } else if (cond_take(k, "(")) {
        v = cond_or(k);
        if (!k->failed && !cond_take(k, ")")) {
            cond_error(k, *k->p ? "')' expected at '%s'"
                                : "')' expected at the end%s", k->p);
        }
    } else {
        v = cond_atom(k);
    }
    k->depth--;
    return v;
}

static bool cond_and(Cond *k)
{
    bool v = cond_not(k);

    while (!k->failed && cond_take(k, "&&")) {
        v &= cond_not(k);
    }
    return v;
}

static bool cond_or(Cond *k)
{
    bool v = cond_and(k);

    while (!k->failed && cond_take(k, "||")) {
        v |= cond_and(k);
    }
    return v;
}

/*
 * Evaluate the condition @cond (an "if" value):
 *   kernel | defaults | drive:IF:INDEX | $NAME (a boolean)
 *   | OPERAND == OPERAND | OPERAND != OPERAND
 *   | !C | C && C | C || C | (C)        ("&&" binds tighter than "||")
 * An operand is text, "$NAME", "${EXPR}" or @machine.ram-size; two
 * numbers or sizes compare as numbers.
 * Returns 1, 0, or -1 after reporting a problem.
 */
int compose_eval_condition(ComposeLoad *c, const ComposeScope *scope,
                           QObject *cond)
{
    QString *s = qobject_to(QString, cond);
    Cond k = { .c = c, .scope = scope };
    bool v;

    k.loc = compose_doc_loc(c->doc, cond);
    if (!s) {
        compose_doc_error(c->doc, k.loc, "a condition must be a string");
        return -1;
    }
    k.text = k.p = qstring_get_str(s);
    v = cond_or(&k);
    cond_ws(&k);
    if (!k.failed && *k.p) {
        cond_error(&k, "unexpected '%s'", k.p);
    }
    return k.failed ? -1 : v;
}

/* --- named lists and overrides --- */

static bool entry_drops(QDict *d)
{
    QString *s = qobject_to(QString, qdict_get(d, "drop"));
    bool v;

    return s && qapi_bool_parse("drop", qstring_get_str(s), &v, NULL) && v;
}

/*
 * The text of the name @key ("name", "override") of @d; @scope: of an
 * entry not resolved yet, to resolve it in, else NULL.
 */
static char *entry_word(ComposeLoad *c, const ComposeScope *scope,
                        bool resolve, NamedList *nl, QDict *d,
                        const char *key)
{
    QString *s;
    char *out;

    if (!qdict_haskey(d, key)) {
        const char *def = !strcmp(key, "name") ?
                          compose_default_name(nl->key) : NULL;

        return g_strdup(def);
    }
    s = qobject_to(QString, qdict_get(d, key));
    if (!s) {
        return NULL;
    }
    if (resolve &&
        compose_substitute(c, scope, qstring_get_str(s),
                           loc_of(c, QOBJECT(s)), &out) > 0) {
        return out;
    }
    return g_strdup(qstring_get_str(s));
}

static void report_no_target(ComposeLoad *c, NamedList *nl, QDict *d,
                             const char *target)
{
    g_autofree const char **names = (const char **)
        g_hash_table_get_keys_as_array(nl->declared, NULL);
    g_autofree char *hint = compose_did_you_mean(
        target, names, g_hash_table_size(nl->declared));

    compose_doc_error(c->doc, loc_of(c, qdict_get(d, "override")),
                      "%s: nothing named '%s' to %s%s", nl->key, target,
                      entry_drops(d) ? "drop" : "override", hint);
}

/* An entry whose condition is false: it still declares its name */
static void named_skip(ComposeLoad *c, const ComposeScope *scope,
                       NamedList *nl, QDict *d)
{
    g_autofree char *target = entry_word(c, scope, nl->resolve, nl, d,
                                         "override");
    g_autofree char *name = NULL;

    if (target) {
        if (!g_hash_table_contains(nl->declared, target)) {
            report_no_target(c, nl, d, target);
        }
        return;
    }
    name = entry_word(c, scope, nl->resolve, nl, d, "name");
    if (name) {
        g_hash_table_add(nl->declared, g_steal_pointer(&name));
    }
}

/* "override: NAME": change (or drop) the entry of that name in @out */
static void named_override(ComposeLoad *c, NamedList *nl, QDict *d,
                           QList *out)
{
    QString *s = qobject_to(QString, qdict_get(d, "override"));
    QListEntry *target;
    const char *name;

    if (qdict_haskey(d, "name")) {
        compose_doc_error(c->doc, key_loc(c, d, "name"),
                          "%s: an entry has 'name' or 'override', not both "
                          "(an override keeps the name it changes)",
                          nl->key);
        return;
    }
    if (!s) {
        compose_doc_error(c->doc, key_loc(c, d, "override"),
                          "%s: 'override' must be the name of an entry "
                          "declared before", nl->key);
        return;
    }
    name = qstring_get_str(s);
    target = g_hash_table_lookup(nl->index, name);
    if (!target) {
        if (!g_hash_table_contains(nl->declared, name)) {
            report_no_target(c, nl, d, name);
        }
        /* else its condition was false: so is the override's purpose */
        return;
    }
    if (entry_drops(d)) {
        g_hash_table_remove(nl->index, name);
        QTAILQ_REMOVE(&out->head, target, next);
        qobject_unref(target->value);
        g_free(target);
        return;
    }
    if (qobject_type(target->value) != QTYPE_QDICT) {
        return;
    }
    qdict_del(d, "override");
    compose_merge_dict(c, qobject_to(QDict, target->value), d);
}

/* A resolved entry of a named list, appended to @out unless it overrides */
static void named_add(ComposeLoad *c, NamedList *nl, QObject *obj,
                      QList *out)
{
    QDict *d = qobject_to(QDict, obj);
    g_autofree char *name = NULL;
    QListEntry *first;

    if (d && qdict_haskey(d, "override")) {
        named_override(c, nl, d, out);
        qobject_unref(obj);
        return;
    }
    name = d ? entry_word(c, NULL, false, nl, d, "name") : NULL;
    if (name && entry_drops(d)) {
        compose_doc_error(c->doc, key_loc(c, d, "drop"),
                          "%s: 'drop' removes an entry declared before: "
                          "write 'override: %s' with it", nl->key, name);
        qobject_unref(obj);
        return;
    }
    first = name ? g_hash_table_lookup(nl->index, name) : NULL;
    if (first) {
        QDict *fd = qobject_to(QDict, first->value);
        const ComposeLoc *floc = qdict_haskey(fd, "name") ?
            loc_of(c, qdict_get(fd, "name")) : loc_of(c, first->value);
        const ComposeLoc *loc = qdict_haskey(d, "name") ?
            loc_of(c, qdict_get(d, "name")) : loc_of(c, obj);

        compose_doc_error(c->doc, loc, "%s: '%s' is already declared at "
                          "%s:%u:%u (to change it, write 'override: %s')",
                          nl->key, name, floc ? floc->file : "?",
                          floc ? floc->line : 0, floc ? floc->col : 0, name);
        qobject_unref(obj);
        return;
    }
    qlist_append_obj(out, obj);
    if (name) {
        g_hash_table_insert(nl->index, g_strdup(name),
                            QTAILQ_LAST(&out->head));
        g_hash_table_add(nl->declared, g_steal_pointer(&name));
    }
}

/* --- repetitions --- */

typedef struct ForLoop {
    QDict *entry;               /* the entry with "for" */
    QDict *vars;                /* its "for": variable -> values */
    const char **names;         /* the variables in the order written */
    size_t nvars;
    QList *each;                /* "each", or NULL: the entry is the body */
    size_t nodes;               /* nodes of one copy of the body */
    QList *out;
    NamedList *nl;
    bool failed;
} ForLoop;

static size_t count_nodes(QObject *obj)
{
    size_t n = 1;

    if (qobject_type(obj) == QTYPE_QDICT) {
        const QDictEntry *e;
        QDict *d = qobject_to(QDict, obj);

        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            n += count_nodes(e->value);
        }
    } else if (qobject_type(obj) == QTYPE_QLIST) {
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, obj)->head, next) {
            n += count_nodes(e->value);
        }
    }
    return n;
}

/* The text of a scalar with its references substituted */
static char *value_text(ComposeLoad *c, const ComposeScope *scope,
                        const char *text, const ComposeLoc *loc)
{
    char *out;
    int r = compose_substitute(c, scope, text, loc, &out);

    return r < 0 ? NULL : r ? out : g_strdup(text);
}

/* FIRST..LAST: the integers from FIRST to LAST, both included */
static bool range_values(ComposeLoad *c, const ComposeScope *scope,
                         const char *var, const char *text,
                         const char *dots, const ComposeLoc *loc,
                         GPtrArray *values)
{
    g_autofree char *lo_text = g_strstrip(g_strndup(text, dots - text));
    g_autofree char *hi_text = g_strstrip(g_strdup(dots + 2));
    g_autofree char *lo_s = value_text(c, scope, lo_text, loc);
    g_autofree char *hi_s = lo_s ? value_text(c, scope, hi_text, loc) : NULL;
    int64_t lo, hi, i;

    if (!hi_s) {
        return false;
    }
    if (!compose_parse_int(lo_s, strlen(lo_s), &lo) ||
        !compose_parse_int(hi_s, strlen(hi_s), &hi)) {
        compose_doc_error(c->doc, loc, "for: '%s' of '%s' is not a range "
                          "of integers (FIRST..LAST)", text, var);
        return false;
    }
    if (hi >= lo && (uint64_t)hi - (uint64_t)lo >= COMPOSE_MAX_FOR_VALUES) {
        compose_doc_error(c->doc, loc, "for: '%s' takes %" PRIu64 " values "
                          "(at most %d)", var,
                          (uint64_t)hi - (uint64_t)lo + 1,
                          COMPOSE_MAX_FOR_VALUES);
        return false;
    }
    for (i = lo; i <= hi; i++) {
        g_ptr_array_add(values, g_strdup_printf("%" PRId64, i));
        if (i == INT64_MAX) {
            break;
        }
    }
    return true;
}

/* The values of loop variable @var, as written in @spec */
static GPtrArray *for_values(ComposeLoad *c, const ComposeScope *scope,
                             const char *var, QObject *spec,
                             const ComposeLoc *kloc)
{
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
    QString *s = qobject_to(QString, spec);
    QList *l = qobject_to(QList, spec);
    const ComposeLoc *loc = loc_of(c, spec) ? loc_of(c, spec) : kloc;

    if (s) {
        const char *text = qstring_get_str(s);
        const char *dots = strstr(text, "..");
        char *v;

        if (dots) {
            return range_values(c, scope, var, text, dots, loc, values) ?
                   g_steal_pointer(&values) : NULL;
        }
        v = value_text(c, scope, text, loc);
        if (!v) {
            return NULL;
        }
        g_ptr_array_add(values, v);
    } else if (l) {
        QListEntry *e;

        QTAILQ_FOREACH(e, &l->head, next) {
            QString *item = qobject_to(QString, e->value);
            char *v;

            if (!item) {
                compose_doc_error(c->doc, loc_of(c, e->value) ?: loc,
                                  "for: the values of '%s' must be scalars",
                                  var);
                return NULL;
            }
            v = value_text(c, scope, qstring_get_str(item),
                           loc_of(c, e->value));
            if (!v) {
                return NULL;
            }
            g_ptr_array_add(values, v);
        }
    } else {
        compose_doc_error(c->doc, loc, "for: '%s' takes a range "
                          "(FIRST..LAST), a list or one value", var);
        return NULL;
    }
    return g_steal_pointer(&values);
}

static void for_over_budget(ComposeLoad *c, ForLoop *f)
{
    compose_doc_error(c->doc, key_loc(c, f->entry, "for"),
                      "for: repetitions make more than %d nodes",
                      COMPOSE_MAX_FOR_NODES);
    f->failed = true;
}

/* One pass of the body of @f, its variables bound in @scope */
static void for_body(ComposeLoad *c, ForLoop *f, const ComposeScope *scope)
{
    unsigned errors = compose_doc_error_count(c->doc);
    QListEntry *e;

    if (c->for_nodes + f->nodes > COMPOSE_MAX_FOR_NODES) {
        for_over_budget(c, f);
        return;
    }
    c->for_nodes += f->nodes;
    if (!f->each) {
        QObject *copy = compose_doc_copy(c->doc, QOBJECT(f->entry), false,
                                         NULL);

        qdict_del(qobject_to(QDict, copy), "for");
        resolve_entry(c, scope, copy, f->out, f->nl);
    } else if (!qdict_haskey(f->entry, "if") ||
               compose_eval_condition(c, scope,
                                      qdict_get(f->entry, "if")) > 0) {
        QTAILQ_FOREACH(e, &f->each->head, next) {
            resolve_entry(c, scope,
                          compose_doc_copy(c->doc, e->value, false, NULL),
                          f->out, f->nl);
        }
    }
    /* one report of a problem in the body, not one per pass */
    f->failed = compose_doc_error_count(c->doc) != errors;
}

static void for_level(ComposeLoad *c, ForLoop *f, const ComposeScope *scope,
                      size_t i)
{
    g_autoptr(GPtrArray) values = NULL;
    size_t j;

    if (i == f->nvars) {
        for_body(c, f, scope);
        return;
    }
    values = for_values(c, scope, f->names[i],
                        qdict_get(f->vars, f->names[i]),
                        compose_doc_key_loc(c->doc, f->vars, f->names[i]));
    if (!values) {
        f->failed = true;
        return;
    }
    if (c->for_nodes + (uint64_t)values->len * f->nodes >
        COMPOSE_MAX_FOR_NODES) {
        /* known before making any: too many */
        for_over_budget(c, f);
        return;
    }
    for (j = 0; j < values->len && !f->failed; j++) {
        ComposeScope s = {
            .outer = scope, .name = f->names[i],
            .value = g_ptr_array_index(values, j),
        };

        for_level(c, f, &s, i + 1);
    }
}

/* Is @name free for a loop variable? */
static bool loop_var_ok(ComposeLoad *c, const ComposeScope *scope,
                        const char *name, const ComposeLoc *loc)
{
    const ComposeScope *s;
    const char *what = NULL;

    if (!compose_param_name_valid(name, strlen(name))) {
        compose_doc_error(c->doc, loc, "for: invalid variable name '%s' "
                          "(letters, digits, '-' and '_', starting with a "
                          "letter)", name);
        return false;
    }
    for (s = scope; s; s = s->outer) {
        if (!strcmp(s->name, name)) {
            what = "a loop variable around it";
        }
    }
    if (c->constants && qdict_haskey(c->constants, name)) {
        what = "a constant";
    } else if (g_hash_table_contains(c->declared, name)) {
        what = "a parameter";
    }
    if (what) {
        compose_doc_error(c->doc, loc, "for: variable '%s' has the name of "
                          "%s", name, what);
        return false;
    }
    return true;
}

/*
 * "for: {VAR: VALUES, ...}" with the entry itself as the body, or with
 * "each: [ENTRIES]" (and perhaps "if"): the body once for each value of
 * each variable, the first variable outermost.
 */
static void expand_for(ComposeLoad *c, const ComposeScope *scope, QDict *d,
                       QList *out, NamedList *nl)
{
    QObject *spec = qdict_get(d, "for");
    QObject *each = qdict_get(d, "each");
    g_autofree const char **names = NULL;
    ForLoop f = { .entry = d, .out = out, .nl = nl };
    const QDictEntry *e;
    size_t i;

    f.vars = qobject_to(QDict, spec);
    if (!f.vars || !qdict_size(f.vars)) {
        compose_doc_error(c->doc, key_loc(c, d, "for"),
                          "'for' must map loop variables to their values "
                          "(for: {i: 0..3})");
        return;
    }
    if (each) {
        f.each = qobject_to(QList, each);
        if (!f.each) {
            compose_doc_error(c->doc, key_loc(c, d, "each"),
                              "'each' must be a list of entries");
            return;
        }
        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            if (strcmp(e->key, "for") && strcmp(e->key, "each") &&
                strcmp(e->key, "if")) {
                compose_doc_error(c->doc, key_loc(c, d, e->key),
                                  "'%s' beside 'for' and 'each': it goes "
                                  "in the entries of 'each'", e->key);
                return;
            }
        }
        f.nodes = count_nodes(each);
    } else {
        f.nodes = count_nodes(QOBJECT(d));
    }
    names = compose_doc_keys(c->doc, f.vars);
    f.names = names;
    f.nvars = qdict_size(f.vars);
    for (i = 0; i < f.nvars; i++) {
        if (!loop_var_ok(c, scope, names[i],
                         compose_doc_key_loc(c->doc, f.vars, names[i]))) {
            return;
        }
    }
    for_level(c, &f, scope, 0);
}

/* --- the walk --- */

/* A copy of @d whose keys have their "${...}" substituted, in order */
static QDict *substitute_keys(ComposeLoad *c, const ComposeScope *scope,
                              QDict *d)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, d);
    QDict *n = qdict_new();
    size_t i;

    for (i = 0; keys[i]; i++) {
        const ComposeLoc *kloc = compose_doc_key_loc(c->doc, d, keys[i]);
        g_autofree char *sub = NULL;
        const char *k = keys[i];

        if (strstr(k, "${") &&
            compose_substitute(c, scope, k, kloc, &sub) > 0) {
            k = sub;
        }
        if (qdict_haskey(n, k)) {
            compose_doc_error(c->doc, kloc, "key '%s' (from '%s') is there "
                              "already", k, keys[i]);
            continue;
        }
        qdict_put_obj(n, k, qobject_ref(qdict_get(d, keys[i])));
        compose_doc_set_key_loc(c->doc, n, k, kloc);
    }
    if (loc_of(c, QOBJECT(d))) {
        compose_doc_set_loc(c->doc, QOBJECT(n), loc_of(c, QOBJECT(d)));
    }
    return n;
}

static void resolve_list(ComposeLoad *c, const ComposeScope *scope,
                         QList *l, NamedList *nl)
{
    QList *out = qlist_new();
    QListEntry *e;

    while ((e = QTAILQ_FIRST(&l->head))) {
        QObject *obj = e->value;

        QTAILQ_REMOVE(&l->head, e, next);
        g_free(e);
        resolve_entry(c, scope, obj, out, nl);
    }
    while ((e = QTAILQ_FIRST(&out->head))) {
        QTAILQ_REMOVE(&out->head, e, next);
        QTAILQ_INSERT_TAIL(&l->head, e, next);
    }
    qobject_unref(out);
}

static void resolve_named_list(ComposeLoad *c, QList *l, const char *key,
                               bool resolve)
{
    NamedList nl = {
        .key = key, .resolve = resolve,
        .index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       NULL),
        .declared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          NULL),
    };

    resolve_list(c, NULL, l, &nl);
    g_hash_table_destroy(nl.index);
    g_hash_table_destroy(nl.declared);
}

/* Resolve one list entry (a reference we own) into @out */
static void resolve_entry(ComposeLoad *c, const ComposeScope *scope,
                          QObject *obj, QList *out, NamedList *nl)
{
    QDict *d = qobject_to(QDict, obj);

    if (nl && !nl->resolve) {
        named_add(c, nl, obj, out);
        return;
    }
    if (d && qdict_haskey(d, "for")) {
        expand_for(c, scope, d, out, nl);
        qobject_unref(obj);
        return;
    }
    if (d && qdict_haskey(d, "if")) {
        int r = compose_eval_condition(c, scope, qdict_get(d, "if"));

        if (r <= 0) {
            if (r == 0 && nl) {
                named_skip(c, scope, nl, d);
            }
            qobject_unref(obj);
            return;
        }
        qdict_del(d, "if");
    }
    resolve_node(c, scope, &obj);
    if (nl) {
        named_add(c, nl, obj, out);
    } else {
        qlist_append_obj(out, obj);
    }
}

/* The description's top level, in the order written (for messages) */
static void resolve_top(ComposeLoad *c, QDict *board)
{
    g_autofree const char **keys = compose_doc_keys(c->doc, board);
    size_t i;

    for (i = 0; keys[i]; i++) {
        QObject *value = qdict_get(board, keys[i]);
        QList *l = qobject_to(QList, value);

        if (!strcmp(keys[i], "params") || !strcmp(keys[i], "if")) {
            continue;
        }
        if (l && compose_is_named_list(keys[i])) {
            resolve_named_list(c, l, keys[i], true);
            continue;
        }
        qobject_ref(value);
        resolve_node(c, NULL, &value);
        qdict_put_obj(board, keys[i], value);
    }
}

static void resolve_dict(ComposeLoad *c, const ComposeScope *scope,
                         QObject **slot)
{
    QDict *d = qobject_to(QDict, *slot);
    g_autofree const char **keys = compose_doc_keys(c->doc, d);
    size_t i;

    for (i = 0; keys[i]; i++) {
        if (strstr(keys[i], "${")) {
            QDict *n = substitute_keys(c, scope, d);

            qobject_unref(d);
            *slot = QOBJECT(n);
            d = n;
            g_free(keys);
            keys = compose_doc_keys(c->doc, d);
            break;
        }
    }
    for (i = 0; keys[i]; i++) {
        QObject *old = qdict_get(d, keys[i]);
        QObject *value = old;
        QString *s = qobject_to(QString, old);

        if (!strcmp(keys[i], "if") ||
            (s && !strchr(qstring_get_str(s), '$'))) {
            continue;
        }
        qobject_ref(value);
        resolve_node(c, scope, &value);
        if (value != old) {
            qdict_put_obj(d, keys[i], value);
        } else {
            qobject_unref(value);
        }
    }
}

static void resolve_node(ComposeLoad *c, const ComposeScope *scope,
                         QObject **slot)
{
    QObject *obj = *slot;

    switch (qobject_type(obj)) {
    case QTYPE_QDICT:
        resolve_dict(c, scope, slot);
        break;
    case QTYPE_QLIST:
        resolve_list(c, scope, qobject_to(QList, obj), NULL);
        break;
    case QTYPE_QSTRING: {
        const ComposeLoc *loc = loc_of(c, obj);
        char *out;
        QObject *n;

        if (compose_substitute(c, scope, qstring_get_str(qobject_to(QString,
                                                                    obj)),
                               loc, &out) <= 0) {
            break;
        }
        n = QOBJECT(qstring_from_str(out));
        g_free(out);
        if (loc) {
            compose_doc_set_loc(c->doc, n, loc);
        }
        qobject_unref(obj);
        *slot = n;
        break;
    }
    default:
        break;
    }
}

bool compose_resolve(ComposeLoad *c, QDict *board, const QDict *cmdline,
                     const ComposeFacts *facts)
{
    unsigned errors = compose_doc_error_count(c->doc);
    QList *params = qobject_to(QList, qdict_get(board, "params"));

    c->facts = facts;
    if (params) {
        resolve_named_list(c, params, "params", false);
    }
    if (!compose_resolve_params(c, board, cmdline)) {
        return false;
    }
    compose_resolve_constants(c, board);
    resolve_top(c, board);
    return compose_doc_error_count(c->doc) == errors;
}
