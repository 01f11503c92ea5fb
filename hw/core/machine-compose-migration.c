/*
 * Composed machine: a fingerprint of the board in the migration stream
 *
 * Two composed machines can have the same devices, hence the same device
 * state sections, and still be different boards: an interrupt or a clock
 * wired elsewhere, a region mapped at another address.  Migration would
 * then load the state and the guest would run on the wrong board.  So
 * the stream carries a fingerprint of the effective description (after
 * includes, overrides, parameters and conditions): a SHA-256 over a
 * canonical serialization, made of one hash per entry (each element of
 * the lists, each other member).  The destination compares it with its
 * own, and refuses a different board naming both fingerprints and the
 * first entry that differs.
 *
 * The section is sent at setup, before RAM (early_setup, highest
 * priority): a wrong destination refuses before anything is copied.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qapi/error.h"
#include "qapi/qapi-visit-machine-compose.h"
#include "qapi/qobject-output-visitor.h"
#include "qapi/visitor.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "migration/vmstate.h"
#include "hw/core/machine-composer.h"
#include "hw/core/machine-compose-migration.h"
#include "machine-compose-plan.h"

#define FP_LEN 32               /* SHA-256 */

/* Members that describe the description, not the board */
static const char *const not_board[] = { "description", "include", "params" };

typedef struct ComposeFingerprint {
    char *desc;                 /* this machine's description file */
    uint8_t digest[FP_LEN];     /* this machine's fingerprint */
    char *entries;              /* "LABEL\tHASH\n" per entry, in order */

    /* what goes over the wire (ours when saving, the source's loaded) */
    uint8_t wire_digest[FP_LEN];
    uint32_t wire_len;
    uint8_t *wire_entries;
} ComposeFingerprint;

static ComposeFingerprint fingerprint;

static int compare_keys(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* JSON with the keys of every object sorted: the same board, same text */
static void canonical_json(GString *out, QObject *o)
{
    switch (qobject_type(o)) {
    case QTYPE_QDICT: {
        QDict *d = qobject_to(QDict, o);
        g_autoptr(GPtrArray) keys = g_ptr_array_new();
        const QDictEntry *e;
        guint i;

        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            g_ptr_array_add(keys, (gpointer)qdict_entry_key(e));
        }
        g_ptr_array_sort(keys, compare_keys);
        g_string_append_c(out, '{');
        for (i = 0; i < keys->len; i++) {
            g_autoptr(QString) k = qstring_from_str(keys->pdata[i]);

            if (i) {
                g_string_append_c(out, ',');
            }
            canonical_json(out, QOBJECT(k));
            g_string_append_c(out, ':');
            canonical_json(out, qdict_get(d, keys->pdata[i]));
        }
        g_string_append_c(out, '}');
        break;
    }
    case QTYPE_QLIST: {
        QListEntry *e;
        bool first = true;

        g_string_append_c(out, '[');
        QLIST_FOREACH_ENTRY(qobject_to(QList, o), e) {
            if (!first) {
                g_string_append_c(out, ',');
            }
            first = false;
            canonical_json(out, qlist_entry_obj(e));
        }
        g_string_append_c(out, ']');
        break;
    }
    default: {
        g_autoptr(GString) s = qobject_to_json(o);

        g_string_append_len(out, s->str, s->len);
        break;
    }
    }
}

static void add_entry(GString *entries, const char *label, QObject *o)
{
    g_autoptr(GString) json = g_string_new(NULL);
    g_autofree char *sum = NULL;
    g_autofree char *safe = g_strescape(label, NULL);

    canonical_json(json, o);
    sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, json->str,
                                        json->len);
    g_string_append_printf(entries, "%s\t%s\n", safe, sum);
}

/* "devices[3] 'uart0'" for a list element with a name, else "devices[3]" */
static char *element_label(const char *key, unsigned i, QObject *elt)
{
    QDict *d = qobject_to(QDict, elt);
    const char *name = d ? qdict_get_try_str(d, "name") : NULL;

    return name ? g_strdup_printf("%s[%u] '%s'", key, i, name)
                : g_strdup_printf("%s[%u]", key, i);
}

static bool board_member(const char *key)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(not_board); i++) {
        if (g_str_equal(key, not_board[i])) {
            return false;
        }
    }
    return true;
}

/* The entries of @board, members in name order, list elements in order */
static char *board_entries(ComposeBoard *board, Error **errp)
{
    QObject *out = NULL;
    g_autoptr(GPtrArray) keys = g_ptr_array_new();
    GString *entries = g_string_new(NULL);
    Visitor *v = qobject_output_visitor_new(&out);
    const QDictEntry *e;
    QDict *d;
    guint i;
    bool ok;

    ok = visit_type_ComposeBoard(v, NULL, &board, errp);
    if (ok) {
        visit_complete(v, &out);
    }
    visit_free(v);
    d = qobject_to(QDict, out);
    if (!ok || !d) {
        qobject_unref(out);
        g_string_free(entries, true);
        return NULL;
    }
    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        if (board_member(qdict_entry_key(e))) {
            g_ptr_array_add(keys, (gpointer)qdict_entry_key(e));
        }
    }
    g_ptr_array_sort(keys, compare_keys);
    for (i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        QList *list = qdict_get_qlist(d, key);
        QListEntry *le;
        unsigned n = 0;

        if (!list) {
            add_entry(entries, key, qdict_get(d, key));
            continue;
        }
        QLIST_FOREACH_ENTRY(list, le) {
            g_autofree char *label = element_label(key, n++,
                                                   qlist_entry_obj(le));

            add_entry(entries, label, qlist_entry_obj(le));
        }
    }
    qobject_unref(out);
    return g_string_free(entries, false);
}

static char *hex(const uint8_t *digest)
{
    GString *s = g_string_new(NULL);
    int i;

    for (i = 0; i < FP_LEN; i++) {
        g_string_append_printf(s, "%02x", digest[i]);
    }
    return g_string_free(s, false);
}

/* "LABEL\tHASH\n" lines to a table LABEL -> HASH, and the labels in order */
static GHashTable *entry_table(char *text, GPtrArray *order)
{
    GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
    char *line, *next, *tab;

    for (line = text; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        tab = strchr(line, '\t');
        if (tab) {
            *tab = '\0';
            g_hash_table_insert(t, line, tab + 1);
            g_ptr_array_add(order, line);
        }
    }
    return t;
}

/* The first entry of @order that @other lacks or has with another hash */
static const char *first_unmatched(GPtrArray *order, GHashTable *mine,
                                   GHashTable *other, bool *missing)
{
    guint i;

    for (i = 0; i < order->len; i++) {
        const char *theirs = g_hash_table_lookup(other, order->pdata[i]);

        if (!theirs || !g_str_equal(theirs,
                                    g_hash_table_lookup(mine,
                                                        order->pdata[i]))) {
            *missing = !theirs;
            return order->pdata[i];
        }
    }
    return NULL;
}

/*
 * Which entry differs first (ours in order, then the source's), in
 * words; NULL if none does (then only the fingerprints tell).
 */
static char *first_difference(const char *ours, const char *source)
{
    g_autofree char *a = g_strdup(ours), *b = g_strdup(source);
    g_autoptr(GPtrArray) oa = g_ptr_array_new(), ob = g_ptr_array_new();
    g_autoptr(GHashTable) ta = entry_table(a, oa);
    g_autoptr(GHashTable) tb = entry_table(b, ob);
    g_autofree char *label = NULL;
    const char *l;
    bool missing;

    l = first_unmatched(oa, ta, tb, &missing);
    if (l) {
        label = g_strcompress(l);
        return g_strdup_printf("%s%s", label,
                               missing ? " (only on this machine)" : "");
    }
    l = first_unmatched(ob, tb, ta, &missing);
    if (l) {
        label = g_strcompress(l);
        return g_strdup_printf("%s%s", label,
                               missing ? " (only on the source)" : "");
    }
    return NULL;
}

static int fingerprint_pre_save(void *opaque)
{
    ComposeFingerprint *f = opaque;

    memcpy(f->wire_digest, f->digest, FP_LEN);
    f->wire_entries = (uint8_t *)f->entries;
    f->wire_len = strlen(f->entries);
    return 0;
}

static int fingerprint_post_save(void *opaque)
{
    ComposeFingerprint *f = opaque;

    f->wire_entries = NULL;
    f->wire_len = 0;
    return 0;
}

static int fingerprint_pre_load(void *opaque)
{
    ComposeFingerprint *f = opaque;

    /* filled by the load (VMS_ALLOC) */
    f->wire_entries = NULL;
    f->wire_len = 0;
    return 0;
}

static int fingerprint_post_load(void *opaque, int version_id)
{
    ComposeFingerprint *f = opaque;
    g_autofree char *theirs = NULL, *diff = NULL;
    g_autofree char *src = NULL, *dst = NULL;
    bool same = !memcmp(f->wire_digest, f->digest, FP_LEN);

    theirs = g_strndup((const char *)f->wire_entries, f->wire_len);
    g_clear_pointer(&f->wire_entries, g_free);
    f->wire_len = 0;
    if (same) {
        return 0;
    }
    src = hex(f->wire_digest);
    dst = hex(f->digest);
    diff = first_difference(f->entries, theirs);
    error_report("composed: refusing the incoming machine state: the source "
                 "was built from another board description (fingerprint "
                 "%s, this machine's %s, from %s)%s%s",
                 src, dst, f->desc, diff ? "; first difference: " : "",
                 diff ? diff : "");
    return -EINVAL;
}

static const VMStateDescription vmstate_compose_fingerprint = {
    .name = "composed-machine/board-fingerprint",
    .version_id = 1,
    .minimum_version_id = 1,
    /* before RAM, and before every device: refuse before copying */
    .early_setup = true,
    .priority = MIG_PRI_MAX,
    .pre_save = fingerprint_pre_save,
    .post_save = fingerprint_post_save,
    .pre_load = fingerprint_pre_load,
    .post_load = fingerprint_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8_ARRAY(wire_digest, ComposeFingerprint, FP_LEN),
        VMSTATE_UINT32(wire_len, ComposeFingerprint),
        VMSTATE_VBUFFER_ALLOC_UINT32(wire_entries, ComposeFingerprint, 1,
                                     NULL, wire_len),
        VMSTATE_END_OF_LIST()
    },
};

static char *fingerprint_get(Object *obj, Error **errp)
{
    return hex(fingerprint.digest);
}

bool compose_migration_register(ComposedMachineState *s, Error **errp)
{
    ComposeFingerprint *f = &fingerprint;
    g_autoptr(GChecksum) sum = NULL;
    gsize len = FP_LEN;

    if (f->entries) {
        error_setg(errp, "a composed machine exists already");
        return false;
    }
    f->entries = board_entries(s->plan->board, errp);
    if (!f->entries) {
        return false;
    }
    f->desc = g_strdup(s->desc);
    sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, (const guchar *)f->entries, strlen(f->entries));
    g_checksum_get_digest(sum, f->digest, &len);

    object_property_add_str(OBJECT(s), "fingerprint", fingerprint_get, NULL);
    object_property_set_description(OBJECT(s), "fingerprint",
        "SHA-256 of the effective board description, checked by migration");
    if (vmstate_register_any(NULL, &vmstate_compose_fingerprint, f)) {
        error_setg(errp, "cannot register the board fingerprint for migration");
        return false;
    }
    return true;
}
