/*
 * Helpers of the composed machine's qtests: descriptions and programs in
 * temporary files, QEMU runs that are expected to fail and their
 * diagnostics, serial output, and the comparison of a description
 * with QEMU's built-in board (tests/qtest/composed-*-test.c)
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

/*
 * Property @prop of the QOM object @path as a string, "?" when it is
 * not one (or not there)
 */
char *composed_qom_get_str(QTestState *qts, const char *path,
                           const char *prop);

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

/*
 * Run QEMU on a description that must be rejected (exit status 1);
 * returns its stderr, the description's path in @path_out
 */
char *composed_rejected(const char *yaml, char **path_out);
/* The same with more QEMU options; @defaults: without -nodefaults */
char *composed_rejected_with(const char *yaml, const char *extra,
                             bool defaults, char **path_out);

/*
 * Every line of @err but the last (QEMU's summary) is a diagnostic of
 * @path that says where: "PATH:LINE:COL: ..."
 */
void composed_assert_all_located(const char *err, const char *path);
/* @err contains @want; else print both and fail */
void composed_assert_contains(const char *err, const char *want);
/* @err contains the line "PATH:LINE:COL: MSG" */
void composed_assert_diag(const char *err, const char *path, int line,
                          int col, const char *msg);
/*
 * @yaml is refused, among its problems "PATH:LINE:COL: MSG", and every
 * problem is located
 */
void composed_assert_refused_at(const char *yaml, int line, int col,
                                const char *msg);

/* A program image in a temporary file: @n @code words, then @len of @text */
char *composed_write_program(const uint32_t *code, size_t n,
                             const char *text, size_t len);

/*
 * What QEMU wrote to the serial file @file, once it contains @want, or
 * after @polls polls 50 ms apart
 */
char *composed_wait_serial(const char *file, const char *want, int polls);

#endif /* TESTS_QTEST_COMPOSED_UTIL_H */
