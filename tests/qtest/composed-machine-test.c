/*
 * QTest for the composed machine
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

/* The machine type is registered and described */
static void test_listed(void)
{
    g_assert_true(qtest_has_machine("composed"));
}

/* Without a description it is an empty machine, exactly like -M none */
static void test_empty(void)
{
    QTestState *none = qtest_init("-M none");
    QTestState *qts = qtest_init("-M composed");
    g_autofree char *qtree_none = qtest_hmp(none, "info qtree");
    g_autofree char *qtree = qtest_hmp(qts, "info qtree");
    QDict *rsp;
    QList *cpus;

    g_assert_cmpstr(qtree, ==, qtree_none);
    g_assert_nonnull(strstr(qtree, "bus: main-system-bus"));
    g_assert_null(strstr(qtree, "dev:"));

    rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    cpus = qdict_get_qlist(rsp, "return");
    g_assert_nonnull(cpus);
    g_assert_true(qlist_empty(cpus));
    qobject_unref(rsp);

    qtest_quit(qts);
    qtest_quit(none);
}

/*
 * -m without a description: RAM at address 0.  (No memory accesses: qtest
 * makes them through the first CPU, and this machine has none.)
 */
static void test_ram_at_zero(void)
{
    QTestState *qts = qtest_init("-M composed -m 16M");
    g_autofree char *mtree = qtest_hmp(qts, "info mtree -f");

    g_assert_nonnull(strstr(mtree,
                    "0000000000000000-0000000000ffffff (prio 0, ram): ram"));
    qtest_quit(qts);
}

/* QEMU's exit status and stderr for the given extra arguments */
static int run_qemu(const char *args, char **err)
{
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *cmd = NULL;
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_nonnull(binary);
    cmd = g_strdup_printf("%s -display none -nodefaults %s", binary, args);
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &error));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err, &status, &error));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* -kernel needs a description that says where the kernel goes */
static void test_kernel_needs_desc(void)
{
    g_autofree char *err = NULL;

    g_assert_cmpint(run_qemu("-M composed -kernel /dev/null", &err), ==, 1);
    g_assert_nonnull(strstr(err, "-kernel needs a board description"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("composed/listed", test_listed);
    qtest_add_func("composed/empty", test_empty);
    qtest_add_func("composed/ram-at-zero", test_ram_at_zero);
    qtest_add_func("composed/kernel-needs-desc", test_kernel_needs_desc);

    return g_test_run();
}
