/*
 * Helpers of the composed machine's qtests: descriptions and programs in
 * temporary files, QEMU runs that are expected to fail and their
 * diagnostics, serial output, and the comparison of a description
 * with QEMU's built-in board
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "composed-util.h"
#include "qobject/qdict.h"

char *composed_write_desc(const char *text)
{
    g_autoptr(GError) err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("composed-XXXXXX.yaml", &path, &err);

    g_assert_no_error(err);
    g_assert_true(g_file_set_contents(path, text, -1, &err));
    g_assert_no_error(err);
    close(fd);
    return path;
}

int composed_run_qemu_defaults(const char *args, bool defaults, char **err)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_nonnull(binary);
    /* a description QEMU loops on must fail the test, not hang it */
    cmd = g_strdup_printf("timeout 120 %s -display none %s -accel qtest %s",
                          binary,
                          defaults ? "-serial null -monitor none"
                                   : "-nodefaults", args);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &error));
    g_assert_true(g_spawn_sync(NULL, argv, NULL,
                               G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_SEARCH_PATH,
                               NULL, NULL, NULL, err, &status, &error));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int composed_run_qemu(const char *args, char **err)
{
    return composed_run_qemu_defaults(args, false, err);
}

char *composed_machine_path(const char *name)
{
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *rel = g_build_filename(dir, "machines", name, NULL);

    return g_canonicalize_filename(rel, NULL);
}

char *composed_qom_get_str(QTestState *qts, const char *path,
                           const char *prop)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                           "{'path': %s, 'property': %s}}", path, prop);
    char *s = g_strdup(qdict_get_try_str(rsp, "return"));

    qobject_unref(rsp);
    return s ? s : g_strdup("?");
}

char *composed_hmp_text(QTestState *qts, const char *cmd)
{
    g_autofree char *out = qtest_hmp(qts, "%s", cmd);
    g_auto(GStrv) lines = g_strsplit(out, "\r\n", -1);

    return g_strjoinv("\n", lines);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *composed_normalize_mtree(const char *text)
{
    g_auto(GStrv) blocks = g_regex_split_simple("FlatView #[0-9]+\n", text,
                                                0, 0);
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();
    GString *out = g_string_new(NULL);
    unsigned i;

    for (i = 0; blocks[i]; i++) {
        g_strstrip(blocks[i]);
        if (*blocks[i]) {
            g_ptr_array_add(sorted, blocks[i]);
        }
    }
    g_ptr_array_sort(sorted, cmp_str);
    for (i = 0; i < sorted->len; i++) {
        g_string_append_printf(out, "FlatView\n%s\n",
                               (char *)g_ptr_array_index(sorted, i));
    }
    return g_string_free(out, false);
}

/* @text in a new temporary file; returns its name */
static char *temp_file(const char *label, const char *text)
{
    g_autofree char *tmpl = g_strdup_printf("composed-%s-XXXXXX", label);
    char *path = NULL;
    int fd = g_file_open_tmp(tmpl, &path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

bool composed_compare(const char *what, const char *a, const char *b)
{
    g_autofree char *fa = NULL;
    g_autofree char *fb = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *out = NULL;

    if (g_str_equal(a, b)) {
        return true;
    }
    fa = temp_file("builtin", a);
    fb = temp_file("composed", b);
    cmd = g_strdup_printf("diff -u %s %s", fa, fb);
    g_spawn_command_line_sync(cmd, &out, NULL, NULL, NULL);
    fprintf(stderr, "%s differs (built-in, composed):\n%s", what,
            out ? out : "");
    unlink(fa);
    unlink(fb);
    return false;
}

/*
 * The contents of @file once @want is at their start (@at_start) or
 * anywhere in them, or after @polls polls 50 ms apart
 */
static char *wait_file(const char *file, const char *want, bool at_start,
                       int polls)
{
    char *text = NULL;
    int i;

    for (i = 0; i < polls; i++) {
        g_free(text);
        text = NULL;
        g_file_get_contents(file, &text, NULL, NULL);
        if (text && (at_start ? g_str_has_prefix(text, want)
                              : strstr(text, want) != NULL)) {
            break;
        }
        g_usleep(50 * 1000);
    }
    return text;
}

char *composed_wait_output(const char *file, const char *want)
{
    return wait_file(file, want, true, 600);
}

char *composed_wait_serial(const char *file, const char *want, int polls)
{
    return wait_file(file, want, false, polls);
}

char *composed_rejected(const char *yaml, char **path_out)
{
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s", path);
    char *err = NULL;

    g_assert_cmpint(composed_run_qemu(args, &err), ==, 1);
    *path_out = g_steal_pointer(&path);
    return err;
}

void composed_assert_refused_at(const char *yaml, int line, int col,
                                const char *msg)
{
    g_autofree char *path = NULL;
    g_autofree char *err = composed_rejected(yaml, &path);

    g_test_message("%s", err);
    composed_assert_diag(err, path, line, col, msg);
    composed_assert_all_located(err, path);
    unlink(path);
}

char *composed_rejected_with(const char *yaml, const char *extra,
                             bool defaults, char **path_out)
{
    g_autofree char *path = composed_write_desc(yaml);
    g_autofree char *args = g_strdup_printf("-M composed,desc=%s %s", path,
                                            extra);
    char *err = NULL;

    g_assert_cmpint(composed_run_qemu_defaults(args, defaults, &err), ==, 1);
    *path_out = g_steal_pointer(&path);
    return err;
}

void composed_assert_all_located(const char *err, const char *path)
{
    g_auto(GStrv) lines = g_strsplit(err, "\n", 0);
    g_autofree char *prefix = g_strdup_printf("%s:", path);
    guint n = g_strv_length(lines), i;

    /* the last line is empty, the one before it QEMU's summary */
    g_assert_cmpuint(n, >=, 3);
    for (i = 0; i + 2 < n; i++) {
        const char *p = lines[i] + strlen(prefix);
        unsigned line, col;
        int used = 0;

        if (!g_str_has_prefix(lines[i], prefix) ||
            sscanf(p, "%u:%u: %n", &line, &col, &used) != 2 || !used) {
            g_test_message("not located: '%s'", lines[i]);
            g_test_message("stderr: %s", err);
            g_assert_not_reached();
        }
    }
}

void composed_assert_contains(const char *err, const char *want)
{
    if (!strstr(err, want)) {
        g_test_message("expected: %s", want);
        g_test_message("stderr: %s", err);
        g_assert_not_reached();
    }
}

void composed_assert_diag(const char *err, const char *path, int line,
                          int col, const char *msg)
{
    g_autofree char *want = g_strdup_printf("%s:%d:%d: %s\n", path, line,
                                            col, msg);

    composed_assert_contains(err, want);
}

char *composed_write_program(const uint32_t *code, size_t n,
                             const char *text, size_t len)
{
    g_autoptr(GByteArray) image = g_byte_array_new();
    char *path = NULL;
    size_t i;
    int fd;

    for (i = 0; i < n; i++) {
        uint32_t le = cpu_to_le32(code[i]);

        g_byte_array_append(image, (guint8 *)&le, 4);
    }
    g_byte_array_append(image, (const guint8 *)text, len);
    fd = g_file_open_tmp("composed-prog-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, (char *)image->data, image->len,
                                      NULL));
    return path;
}
