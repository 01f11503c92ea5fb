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
#include "qapi/qobject-input-visitor.h"
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
 * Member names of the structs, for "did you mean" and for the unknown
 * keys of nested members (test-compose-merge checks a description that
 * uses every one of them).
 */
static const char *const members_param[] = {
    "name", "type", "default", "description",
};
static const char *const members_machine[] = { "ram-size", "ram-map", "cpus" };
static const char *const members_clock[] = { "name", "hz", "if" };
static const char *const members_cpus[] = {
    "name", "type", "count", "props", "start-powered-off", "gate", "if",
};
static const char *const members_region[] = {
    "name", "kind", "size", "alias", "offset", "file", "map", "if",
};
static const char *const members_device[] = {
    "name", "type", "bus", "props", "child-props", "clocks", "mmio", "nics",
    "irqs", "gate", "parent", "if", "drop",
};
static const char *const members_boot[] = {
    "kind", "cpu", "loader-start", "board-id", "psci-conduit", "images",
};
static const char *const members_map[] = {
    "container", "addr", "priority", NULL,
};
static const char *const members_mmio[] = {
    "index", "addr", "container", "priority", NULL,
};
static const char *const members_image[] = { "file", "addr", NULL };
static const char *const members_board[] = {
    "version", "name", "description", "include", "params", "machine",
    "clocks", "cpus", "memory", "devices", "boot",
};

typedef struct Section {
    const char *key;
    bool list;
    VisitFn visit;
    const char *const *members;
    size_t nmembers;
    /* nested structs: member -> its member names */
    const char *sub;
    const char *const *sub_members;
    size_t nsub_members;
} Section;


static const Section sections[] = {
    {
        .key = "params", .list = true, .visit = visit_ComposeParam,
        .members = members_param, .nmembers = ARRAY_SIZE(members_param),
    }, {
        .key = "machine", .visit = visit_ComposeMachine,
        .members = members_machine, .nmembers = ARRAY_SIZE(members_machine),
        .sub = "ram-map", .sub_members = members_map,
        .nsub_members = ARRAY_SIZE(members_map) - 1,
    }, {
        .key = "clocks", .list = true, .visit = visit_ComposeClock,
        .members = members_clock, .nmembers = ARRAY_SIZE(members_clock),
    }, {
        .key = "cpus", .list = true, .visit = visit_ComposeCpus,
        .members = members_cpus, .nmembers = ARRAY_SIZE(members_cpus),
    }, {
        .key = "memory", .list = true, .visit = visit_ComposeRegion,
        .members = members_region, .nmembers = ARRAY_SIZE(members_region),
        .sub = "map", .sub_members = members_map,
        .nsub_members = ARRAY_SIZE(members_map) - 1,
    }, {
        .key = "devices", .list = true, .visit = visit_ComposeDevice,
        .members = members_device, .nmembers = ARRAY_SIZE(members_device),
        .sub = "mmio", .sub_members = members_mmio,
        .nsub_members = ARRAY_SIZE(members_mmio) - 1,
    }, {
        .key = "boot", .visit = visit_ComposeBoot,
        .members = members_boot, .nmembers = ARRAY_SIZE(members_boot),
        .sub = "images", .sub_members = members_image,
        .nsub_members = ARRAY_SIZE(members_image) - 1,
    },
};

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

/* Report the unknown keys of one nested mapping; a copy without them */
static QDict *clean_sub(ComposeDoc *doc, const Section *sec,
                        QDict *d, const char *what, bool *ok)
{
    QDict *copy = qdict_clone_shallow(d);
    const QDictEntry *e;

    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        g_autofree char *hint = NULL;

        if (g_strv_contains((const char *const *)sec->sub_members, e->key)) {
            continue;
        }
        hint = compose_did_you_mean(e->key, sec->sub_members,
                                    sec->nsub_members);
        compose_doc_error(doc, compose_doc_key_loc(doc, d, e->key),
                          "%s: %s: unknown key '%s'%s", what, sec->sub,
                          e->key, hint);
        qdict_del(copy, e->key);
        *ok = false;
    }
    return copy;
}

/*
 * Unknown keys of the nested struct members (map, mmio, images): all
 * reported here, since the visitor stops at the first problem.  @work
 * gets copies without them.
 */
static bool check_sub_keys(ComposeDoc *doc, const Section *sec,
                           QDict *work, const char *what)
{
    QObject *v = sec->sub ? qdict_get(work, sec->sub) : NULL;
    bool ok = true;

    if (v && qobject_type(v) == QTYPE_QDICT) {
        qdict_put(work, sec->sub,
                  clean_sub(doc, sec, qobject_to(QDict, v), what, &ok));
    } else if (v && qobject_type(v) == QTYPE_QLIST) {
        QList *copy = qlist_new();
        QListEntry *e;

        QTAILQ_FOREACH(e, &qobject_to(QList, v)->head, next) {
            if (qobject_type(e->value) == QTYPE_QDICT) {
                qlist_append(copy, clean_sub(doc, sec,
                                             qobject_to(QDict, e->value),
                                             what, &ok));
            } else {
                qlist_append_obj(copy, qobject_ref(e->value));
            }
        }
        qdict_put(work, sec->sub, copy);
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
    work = qdict_clone_shallow(qobject_to(QDict, elem));
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
            const char *const *cands = sec->members;
            size_t n = sec->nmembers;
            g_autofree char *hint = NULL;

            if (strchr(path, '.')) {
                cands = sec->sub_members;
                n = sec->nsub_members;
            }
            hint = cands ? compose_did_you_mean(last, cands, n)
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
static bool visit_board(QDict *b, ComposeBoard **board, Error **errp)
{
    g_autoptr(QDict) copy = qdict_clone_shallow(b);
    Visitor *v;
    bool ok;

    qdict_del(copy, "include");
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
        if (!g_strv_contains((const char *const[]) {
                "version", "name", "description", "include", "params",
                "machine", "clocks", "cpus", "memory", "devices", "boot",
                NULL }, e->key)) {
            g_autofree char *hint =
                compose_did_you_mean(e->key, members_board,
                                     ARRAY_SIZE(members_board));

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
    if (ok && visit_board(b, board, NULL)) {
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

        if (!visit_board(b, board, &err)) {
            compose_doc_error(doc, NULL, "%s", error_get_pretty(err));
            error_free(err);
            return false;
        }
    }
    return true;
}
