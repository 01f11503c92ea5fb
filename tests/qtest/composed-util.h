/*
 * Helpers of the composed machine's qtests: descriptions in temporary
 * files, and QEMU runs that are expected to fail.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef COMPOSED_UTIL_H
#define COMPOSED_UTIL_H

/* A description in a temporary file; returns its path */
char *composed_write_desc(const char *text);

/*
 * QEMU's exit status and stderr (@err) for the given extra arguments,
 * run with -display none -nodefaults -accel qtest (at most 120 s)
 */
int composed_run_qemu(const char *args, char **err);
/* The same; @defaults: with the default devices (no -nodefaults) */
int composed_run_qemu_defaults(const char *args, bool defaults, char **err);

#endif
