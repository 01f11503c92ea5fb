/*
 * Helpers of the composed-machine qtests that compare a description
 * with QEMU's built-in board (tests/qtest/composed-*-test.c)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_QTEST_COMPOSED_UTIL_H
#define TESTS_QTEST_COMPOSED_UTIL_H

#include "libqtest.h"

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
