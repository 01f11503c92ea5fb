/*
 * Helpers of the composed machine's qtests
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "composed-util.h"

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
