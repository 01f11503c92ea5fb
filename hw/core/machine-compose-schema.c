/*
 * Composed machine: the structure of a description (QAPI schema)
 *
 * The first check of a merged description: the QAPI keyval visitor
 * against qapi/machine-compose.json, element by element so that every
 * element's problems are reported, each at its place, with every unknown
 * key and a suggestion for it.  Nothing here needs QOM, so the unit tests
 * and the fuzzer run it alone.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qapi/util.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/visitor-impl.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "hw/core/machine-compose.h"

/*
 * The entries of @d in document order (a QDict iterates in hash order),
 * NULL-terminated; free the array with g_free().  @d may be NULL.
 */
const QDictEntry **compose_doc_entries(ComposeDoc *doc, const QDict *d)
{
    g_autofree const char **keys = d ? compose_doc_keys(doc, d) : NULL;
    const QDictEntry **out = g_new0(const QDictEntry *,
                                    (d ? qdict_size(d) : 0) + 1);
    const QDictEntry *e;
    size_t i, n = 0;

    for (i = 0; keys && keys[i]; i++) {
        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            if (!strcmp(e->key, keys[i])) {
                out[n++] = e;
                break;
            }
        }
    }
    return out;
}

/* --- structure: the QAPI visitor, element by element --- */

typedef bool (*VisitFn)(Visitor *v, Error **errp);

#define DEFINE_VISIT(T)                                         \
    static bool visit_##T(Visitor *v, Error **errp)             \
    {                                                           \
        T *obj = NULL;                                          \
        bool ok = visit_type_##T(v, NULL, &obj, errp);          \
        qapi_free_##T(obj);                                     \
        return ok;                                              \
    }

DEFINE_VISIT(ComposeParam)
DEFINE_VISIT(ComposeMachine)
DEFINE_VISIT(ComposeClock)
DEFINE_VISIT(ComposeCpus)
DEFINE_VISIT(ComposeRegion)
DEFINE_VISIT(ComposeDevice)
DEFINE_VISIT(ComposeBoot)

/*
 * Member names, for "did you mean" and for the unknown keys of nested
 * members, derived from the schema: a visitor that records the name of
 * every member the generated visit functions visit.  Two walks per
 * type: one where every optional member is present (a dealloc visitor:
 * it is not shown enums), one where none is (an output visitor: it is).
 * Unions are walked once per value of their discriminator.
 */
typedef struct MemberWalk {
    Visitor visitor;
    int depth;
    const char *sub;            /* the struct member being walked */
    bool all_optional;
    GPtrArray *members;         /* of the type walked */
    GHashTable *subs;           /* member -> GPtrArray of its members */
} MemberWalk;

static void walk_add(GPtrArray *names, const char *name)
{
    if (name && !g_ptr_array_find_with_equal_func(names, name, g_str_equal,
                                                  NULL)) {
        g_ptr_array_add(names, (gpointer)name);
    }
}

static void walk_record(MemberWalk *w, const char *name)
{
    if (w->depth == 1) {
        walk_add(w->members, name);
    } else if (w->depth == 2 && w->sub) {
        GPtrArray *sub = g_hash_table_lookup(w->subs, w->sub);

        if (!sub) {
            sub = g_ptr_array_new();
            g_hash_table_insert(w->subs, (gpointer)w->sub, sub);
        }
        walk_add(sub, name);
    }
}

static bool walk_start_struct(Visitor *v, const char *name, void **obj,
                              size_t size, Error **errp)
{
    MemberWalk *w = container_of(v, MemberWalk, visitor);

    walk_record(w, name);
    if (w->depth == 1 && name) {
        w->sub = name;
    }
    if (obj && !*obj) {
        *obj = g_malloc0(size);
    }
    w->depth++;
    return true;
}

static void walk_end_struct(Visitor *v, void **obj)
{
    MemberWalk *w = container_of(v, MemberWalk, visitor);

    if (--w->depth == 1) {
        w->sub = NULL;
    }
}

static bool walk_start_list(Visitor *v, const char *name, GenericList **list,
                            size_t size, Error **errp)
{
    MemberWalk *w = container_of(v, MemberWalk, visitor);

    walk_record(w, name);
    if (w->depth == 1) {
        w->sub = name;
    }
    if (list && !*list) {
        *list = g_malloc0(size);    /* one element, walked once */
    }
    return true;
}

static GenericList *walk_next_list(Visitor *v, GenericList *tail, size_t size)
{
    return NULL;
}

static void walk_end_list(Visitor *v, void **obj)
{
    MemberWalk *w = container_of(v, MemberWalk, visitor);

    if (w->depth == 1) {
        w->sub = NULL;
    }
}

static bool walk_true(Visitor *v, Error **errp)
{
    return true;
}

#define WALK_SCALAR(fn, T)                                              \
    static bool fn(Visitor *v, const char *name, T *obj, Error **errp)  \
    {                                                                   \
        walk_record(container_of(v, MemberWalk, visitor), name);        \
        return true;                                                    \
    }

WALK_SCALAR(walk_int64, int64_t)
WALK_SCALAR(walk_uint64, uint64_t)
WALK_SCALAR(walk_bool, bool)
WALK_SCALAR(walk_number, double)

WALK_SCALAR(walk_str, char *)
WALK_SCALAR(walk_any, QObject *)
WALK_SCALAR(walk_null, QNull *)

static void walk_optional(Visitor *v, const char *name, bool *present)
{
    MemberWalk *w = container_of(v, MemberWalk, visitor);

    walk_record(w, name);
    *present = w->all_optional;
}

/* Walk one type with @visit; @set_kind sets the discriminator of @obj */
typedef void *(*WalkNew)(int kind);
typedef void (*WalkFree)(void *obj);
typedef bool (*WalkVisit)(Visitor *v, void **obj);

static void walk_type(MemberWalk *w, WalkVisit visit, WalkNew new_obj,
                      WalkFree free_obj, int kinds, int kind)
{
    int k, pass;

    for (pass = 0; pass < 2; pass++) {
        for (k = 0; k < MAX(kinds, 1); k++) {
            if (kind >= 0 && k != kind) {
                continue;
            }
            void *obj = new_obj(k);

            /*
             * A dealloc visitor asks nothing of the values, but is not
             * shown enums; an output visitor shows enums as strings but
             * needs the optional members that are objects to exist, so
             * it gets none.
             */
            w->all_optional = pass == 0;
            w->visitor.type = pass == 0 ? VISITOR_DEALLOC : VISITOR_OUTPUT;
            w->depth = 0;
            w->sub = NULL;
            visit(&w->visitor, &obj);
            free_obj(obj);
        }
    }
}

#define DEFINE_WALK(T, KINDFIELD)                                       \
    static void *walk_new_##T(int kind)                                 \
    {                                                                   \
        T *obj = g_new0(T, 1);                                          \
        KINDFIELD;                                                      \
        return obj;                                                     \
    }                                                                   \
    static void walk_free_##T(void *obj)                                \
    {                                                                   \
        qapi_free_##T(obj);                                             \
    }                                                                   \
    static bool walk_visit_##T(Visitor *v, void **obj)                  \
    {                                                                   \
        return visit_type_##T(v, NULL, (T **)obj, NULL);                \
    }

DEFINE_WALK(ComposeBoard, (void)kind)
DEFINE_WALK(ComposeParam, (void)kind)
DEFINE_WALK(ComposeMachine, (void)kind)
DEFINE_WALK(ComposeClock, (void)kind)
DEFINE_WALK(ComposeCpus, (void)kind)
DEFINE_WALK(ComposeRegion, obj->kind = kind)
DEFINE_WALK(ComposeDevice, (void)kind)
DEFINE_WALK(ComposeBoot, obj->kind = kind)

typedef struct Section {
    const char *key;
    bool list;
    VisitFn visit;
    WalkVisit walk;
    WalkNew walk_new;
    WalkFree walk_free;
    const QEnumLookup *kinds;   /* of the discriminator of a union */
} Section;

#define SECTION(k, l, T, n)                                             \
    { .key = k, .list = l, .visit = visit_##T, .walk = walk_visit_##T,  \
      .walk_new = walk_new_##T, .walk_free = walk_free_##T, .kinds = n }

static const Section sections[] = {
    SECTION("params", true, ComposeParam, NULL),
    SECTION("machine", false, ComposeMachine, NULL),
    SECTION("clocks", true, ComposeClock, NULL),
    SECTION("cpus", true, ComposeCpus, NULL),
    SECTION("memory", true, ComposeRegion, &ComposeRegionKind_lookup),
    SECTION("devices", true, ComposeDevice, NULL),
    SECTION("boot", false, ComposeBoot, &ComposeBootKind_lookup),
};

/* Union kinds have at most this many values */
#define MAX_KINDS 8

/* The members of a section (NULL: of the board) and of its structs */
typedef struct Members {
    GPtrArray *members;
    GHashTable *subs;
} Members;

/* @kind: of a union, its members for that value; -1: for any */
static const Members *members_of(const Section *sec, int kind)
{
    static Members cache[ARRAY_SIZE(sections) + 1][MAX_KINDS + 1];
    size_t i = sec ? sec - sections : ARRAY_SIZE(sections);
    int kinds = sec && sec->kinds ? sec->kinds->size : 0;
    Members *m;
    MemberWalk w = {
        .visitor = {
            .start_struct = walk_start_struct,
            .check_struct = walk_true,
            .end_struct = walk_end_struct,
            .start_list = walk_start_list,
            .next_list = walk_next_list,
            .check_list = walk_true,
            .end_list = walk_end_list,
            .type_int64 = walk_int64,
            .type_uint64 = walk_uint64,
            .type_size = walk_uint64,
            .type_bool = walk_bool,
            .type_str = walk_str,
            .type_number = walk_number,
            .type_any = walk_any,
            .type_null = walk_null,
            .optional = walk_optional,
        },
    };

    assert(kinds <= MAX_KINDS);
    if (kind < 0 || kind >= kinds) {
        kind = -1;
    }
    m = &cache[i][kind + 1];
    if (!m->members) {
        w.members = g_ptr_array_new();
        w.subs = g_hash_table_new(g_str_hash, g_str_equal);
        if (sec) {
            walk_type(&w, sec->walk, sec->walk_new, sec->walk_free, kinds,
                      kind);
        } else {
            walk_type(&w, walk_visit_ComposeBoard, walk_new_ComposeBoard,
                      walk_free_ComposeBoard, 0, -1);
        }
        m->members = w.members;
        m->subs = w.subs;
    }
    return m;
}

/* The members of the struct member @sub of @sec, NULL if not a struct */
static GPtrArray *sub_members(const Section *sec, int kind, const char *sub)
{
    return g_hash_table_lookup(members_of(sec, kind)->subs, sub);
}

/* The value of the discriminator of the union element @d, -1 if none */
static int kind_of(const Section *sec, QDict *d)
{
    const char *k = qdict_get_try_str(d, "kind");

    if (!sec->kinds) {
        return -1;
    }
    return k ? qapi_enum_parse(sec->kinds, k, -1, NULL) : -1;
}

static bool is_member(GPtrArray *names, const char *name)
{
    return g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL);
}

/*
 * The node a visitor error is about: QEMU's input visitors quote the
 * full name of the parameter ('mmio.0.adr', keyval style).  Returns the
 * deepest existing node on that path and its parent mapping and key.
 */
static QObject *node_at_path(QObject *root, const char *path, QDict **parent,
                             const char **key, GStrv *parts_out)
{
    g_auto(GStrv) parts = g_strsplit(path, ".", 0);
    QObject *cur = root;
    size_t i;

    *parent = NULL;
    *key = NULL;
    for (i = 0; parts[i]; i++) {
        QObject *next = NULL;

        if (qobject_type(cur) == QTYPE_QDICT) {
            next = qdict_get(qobject_to(QDict, cur), parts[i]);
            *parent = qobject_to(QDict, cur);
            *key = parts[i];
            if (!next) {
                break;
            }
        } else if (qobject_type(cur) == QTYPE_QLIST) {
            QList *l = qobject_to(QList, cur);
            QListEntry *e;
            uint64_t n;

            if (qemu_strtou64(parts[i], NULL, 10, &n)) {
                break;
            }
            QTAILQ_FOREACH(e, &l->head, next) {
                if (!n--) {
                    next = e->value;
                    break;
                }
            }
            if (!next) {
                break;
            }
            *parent = NULL;
            *key = NULL;
        } else {
            break;
        }
        cur = next;
    }
    *parts_out = g_steal_pointer(&parts);
    return cur;
}

static char *quoted(const char *msg)
{
    const char *a = strchr(msg, '\'');
    const char *b = a ? strchr(a + 1, '\'') : NULL;

    return b ? g_strndup(a + 1, b - a - 1) : NULL;
}

/*
 * What the visitor sees of an element of a union section: the default
 * kind of boot ("none"), and without the members of another kind that
 * an included description brought, when the including one changed the
 * kind (include: [board.yaml] then boot: {kind: none}).  A new
 * reference.
 */
static QDict *union_view(ComposeDoc *doc, const Section *sec, QDict *d)
{
    QDict *view = qdict_clone_shallow(d);
    const ComposeLoc *kloc;
    const QDictEntry *e;
    GPtrArray *own;
    int kind;

    if (!sec->kinds) {
        return view;
    }
    if (!qdict_haskey(view, "kind")) {
        qdict_put_str(view, "kind", "none");    /* only boot has a default */
    }
    kind = kind_of(sec, view);
    kloc = compose_doc_loc(doc, qdict_get(d, "kind"));
    if (kind < 0 || !kloc) {
        return view;
    }
    own = members_of(sec, kind)->members;
    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        const ComposeLoc *l = compose_doc_key_loc(doc, d, e->key);

        if (!is_member(own, e->key) &&
            is_member(members_of(sec, -1)->members, e->key) &&
            l && strcmp(l->file, kloc->file)) {
            qdict_del(view, e->key);
        }
    }
    return view;
}

/* Report the unknown keys of one nested mapping; a copy without them */
static QDict *clean_sub(ComposeDoc *doc, GPtrArray *members, const char *sub,
                        QDict *d, const char *what, bool *ok)
{
    QDict *copy = qdict_clone_shallow(d);
    const QDictEntry *e;

    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        g_autofree char *hint = NULL;

        if (is_member(members, e->key)) {
            continue;
        }
        hint = compose_did_you_mean(e->key,
                                    (const char *const *)members->pdata,
                                    members->len);
        compose_doc_error(doc, compose_doc_key_loc(doc, d, e->key),
                          "%s: %s: unknown key '%s'%s", what, sub, e->key,
                          hint);
        qdict_del(copy, e->key);
        *ok = false;
    }
    return copy;
}

/*
 * Unknown keys of the nested struct members (map, mmio, images...): all
 * reported here, since the visitor stops at the first problem.  @work
 * gets copies without them.
 */
static bool check_sub_keys(ComposeDoc *doc, const Section *sec,
                           QDict *work, const char *what)
{
    g_autoptr(QDict) orig = qdict_clone_shallow(work);
    int kind = kind_of(sec, work);
    const QDictEntry *de;
    bool ok = true;

    for (de = qdict_first(orig); de; de = qdict_next(orig, de)) {
        GPtrArray *members = sub_members(sec, kind, de->key);
        QObject *v = de->value;

        if (!members) {
            continue;
        }
        if (qobject_type(v) == QTYPE_QDICT) {
            qdict_put(work, de->key,
                      clean_sub(doc, members, de->key, qobject_to(QDict, v),
                                what, &ok));
        } else if (qobject_type(v) == QTYPE_QLIST) {
            QList *copy = qlist_new();
            QListEntry *e;

            QTAILQ_FOREACH(e, &qobject_to(QList, v)->head, next) {
                QDict *ed = qobject_to(QDict, e->value);

                if (ed) {
                    qlist_append(copy, clean_sub(doc, members, de->key, ed,
                                                 what, &ok));
                } else {
                    qlist_append_obj(copy, qobject_ref(e->value));
                }
            }
            qdict_put(work, de->key, copy);
        }
    }
    return ok;
}

/*
 * Check one element with the visitor; report every unknown key and the
 * first other problem.  @what names the element in messages.
 */
static bool check_element(ComposeDoc *doc, const Section *sec,
                          QObject *elem, const char *what)
{
    g_autoptr(QDict) work = NULL;
    bool ok = true;
    int rounds;

    if (qobject_type(elem) != QTYPE_QDICT) {
        compose_doc_error(doc, compose_doc_loc(doc, elem),
                          "%s: expected a mapping", what);
        return false;
    }
    work = union_view(doc, sec, qobject_to(QDict, elem));
    ok = check_sub_keys(doc, sec, work, what);

    for (rounds = 0; rounds < 64; rounds++) {
        Visitor *v = qobject_input_visitor_new_keyval(QOBJECT(work));
        Error *err = NULL;
        g_autofree char *path = NULL;
        g_auto(GStrv) parts = NULL;
        const char *msg, *key = NULL;
        QDict *parent = NULL;
        QObject *node;
        const ComposeLoc *loc;

        sec->visit(v, &err);
        visit_free(v);
        if (!err) {
            return ok;
        }
        ok = false;
        msg = error_get_pretty(err);
        path = quoted(msg);
        node = path ? node_at_path(elem, path, &parent, &key, &parts)
                    : elem;
        loc = compose_doc_loc(doc, node);

        if (path && strstr(msg, "is unexpected")) {
            const char *last = strrchr(path, '.') ? strrchr(path, '.') + 1
                                                  : path;
            g_autofree char *sub = g_strndup(path, strcspn(path, "."));
            int kind = kind_of(sec, work);
            GPtrArray *cands = strchr(path, '.') ?
                               sub_members(sec, kind, sub) :
                               members_of(sec, kind)->members;
            g_autofree char *hint = NULL;

            hint = cands ? compose_did_you_mean(last,
                                                (const char *const *)
                                                cands->pdata, cands->len)
                         : g_strdup("");
            if (parent && key) {
                loc = compose_doc_key_loc(doc, parent, key);
            }
            compose_doc_error(doc, loc, "%s: unknown key '%s'%s", what,
                              last, hint);
            if (!strchr(path, '.')) {
                qdict_del(work, path);
                error_free(err);
                continue;
            }
        } else if (path && strstr(msg, "is missing")) {
            compose_doc_error(doc,
                              compose_doc_loc(doc,
                                              parent ? QOBJECT(parent)
                                                     : elem),
                              "%s: '%s' is missing", what, path);
        } else {
            compose_doc_error(doc, loc, "%s: %s", what, msg);
        }
        error_free(err);
        break;
    }
    return false;
}

/* Visit the whole description @b into @board */
static bool visit_board(ComposeDoc *doc, QDict *b, ComposeBoard **board,
                        Error **errp)
{
    g_autoptr(QDict) copy = qdict_clone_shallow(b);
    size_t i;
    Visitor *v;
    bool ok;

    qdict_del(copy, "include");
    for (i = 0; i < ARRAY_SIZE(sections); i++) {
        const Section *sec = &sections[i];
        QObject *o = qdict_get(copy, sec->key);
        QListEntry *le;
        QList *l;

        if (!sec->kinds || !o) {
            continue;
        }
        if (qobject_type(o) == QTYPE_QDICT) {
            qdict_put(copy, sec->key,
                      union_view(doc, sec, qobject_to(QDict, o)));
        } else if (qobject_type(o) == QTYPE_QLIST) {
            l = qlist_new();
            QTAILQ_FOREACH(le, &qobject_to(QList, o)->head, next) {
                QDict *ed = qobject_to(QDict, le->value);

                qlist_append_obj(l, ed ? QOBJECT(union_view(doc, sec, ed))
                                       : qobject_ref(le->value));
            }
            qdict_put(copy, sec->key, l);
        }
    }
    v = qobject_input_visitor_new_keyval(QOBJECT(copy));
    ok = visit_type_ComposeBoard(v, NULL, board, errp);
    visit_free(v);
    return ok;
}

bool compose_check_structure(ComposeDoc *doc, QDict *b,
                             ComposeBoard **board)
{
    const QDictEntry *e;
    QObject *ver;
    bool ok = true;
    size_t i;

    g_autofree const QDictEntry **e_all = compose_doc_entries(doc, b);
    const QDictEntry **e_p;

    for (e_p = e_all; (e = *e_p); e_p++) {
        GPtrArray *top = members_of(NULL, -1)->members;

        if (!is_member(top, e->key)) {
            g_autofree char *hint =
                compose_did_you_mean(e->key,
                                     (const char *const *)top->pdata,
                                     top->len);

            compose_doc_error(doc, compose_doc_key_loc(doc, b, e->key),
                              "unknown key '%s'%s", e->key, hint);
            ok = false;
        }
    }

    ver = qdict_get(b, "version");
    if (!ver) {
        compose_doc_error(doc, compose_doc_loc(doc, QOBJECT(b)),
                          "'version' is missing (this QEMU reads version 1)");
        ok = false;
    } else if (qobject_type(ver) != QTYPE_QSTRING ||
               strcmp(qstring_get_str(qobject_to(QString, ver)), "1")) {
        compose_doc_error(doc, compose_doc_loc(doc, ver),
                          "unsupported description version (this QEMU "
                          "reads version 1)");
        ok = false;
    }
    for (e_p = e_all; (e = *e_p); e_p++) {
        QObject *v = e->value;

        if (g_str_equal(e->key, "name") || g_str_equal(e->key, "description")) {
            if (qobject_type(v) != QTYPE_QSTRING) {
                compose_doc_error(doc, compose_doc_loc(doc, v),
                                  "'%s' must be a string", e->key);
                ok = false;
            }
        }
    }

    /* A valid description is visited once, as a whole */
    if (ok && visit_board(doc, b, board, NULL)) {
        return true;
    }

    /*
     * Otherwise each element on its own, as the visitor stops at its first
     * problem and every problem is to be reported
     */
    for (i = 0; i < ARRAY_SIZE(sections); i++) {
        const Section *sec = &sections[i];
        QObject *v = qdict_get(b, sec->key);

        if (!v) {
            continue;
        }
        if (sec->list) {
            QList *l = qobject_to(QList, v);
            QListEntry *le;
            unsigned n = 0;

            if (!l) {
                compose_doc_error(doc, compose_doc_loc(doc, v),
                                  "'%s' must be a list", sec->key);
                ok = false;
                continue;
            }
            QTAILQ_FOREACH(le, &l->head, next) {
                g_autofree char *what = g_strdup_printf("%s[%u]", sec->key,
                                                        n++);
                QDict *d = qobject_to(QDict, le->value);
                const char *name = d ? qdict_get_try_str(d, "name") : NULL;

                if (name) {
                    g_free(what);
                    what = g_strdup_printf("%s[%u] '%s'", sec->key, n - 1,
                                           name);
                }
                ok &= check_element(doc, sec, le->value, what);
            }
        } else {
            ok &= check_element(doc, sec, v, sec->key);
        }
    }
    if (!ok) {
        return false;
    }

    /* Every element is fine, the whole is not: say why */
    {
        Error *err = NULL;

        if (!visit_board(doc, b, board, &err)) {
            compose_doc_error(doc, NULL, "%s", error_get_pretty(err));
            error_free(err);
            return false;
        }
    }
    return true;
}
