/*
 * Helpers of the composed machine's qtests: descriptions in temporary
 * files, QEMU runs that are expected to fail, and the comparison of a
 * description with QEMU's built-in board (tests/qtest/composed-*-test.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_QTEST_COMPOSED_UTIL_H
#define TESTS_QTEST_COMPOSED_UTIL_H

#include "libqtest.h"

/* A description in a temporary file; returns its path */
char *composed_write_desc(const char *text);

/*
 * QEMU's exit status and stderr (@err) for the given extra arguments,
 * run with -display none -nodefaults -accel qtest (at most 120 s)
 */
int composed_run_qemu(const char *args, char **err);
/* The same; @defaults: with the default devices (no -nodefaults) */
int composed_run_qemu_defaults(const char *args, bool defaults, char **err);

/* machines/@name next to QTEST_QEMU_BINARY, as an absolute path */
char *composed_machine_path(const char *name);

/* The output of HMP @cmd, with "\n" line ends */
char *composed_hmp_text(QTestState *qts, const char *cmd);

/*
 * "info mtree -f" lists its FlatViews in hash-table order and numbers
 * them in that order: drop the numbers, sort the views.
 */
char *composed_normalize_mtree(const char *text);

/* @a == @b; else print a unified diff of them, labelled @what */
bool composed_compare(const char *what, const char *a, const char *b);

/* The contents of @file once they start with @want, or after about 30 s */
char *composed_wait_output(const char *file, const char *want);

#endif /* TESTS_QTEST_COMPOSED_UTIL_H */
