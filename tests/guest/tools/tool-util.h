/*
 * What the guest tools share; each tool is one C file built on its own,
 * so this header has the definitions.  Include it first.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef GUEST_TOOL_UTIL_H
#define GUEST_TOOL_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* program_invocation_short_name */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A decimal or 0x-prefixed number up to @max, the whole of @s; a usage
 * error (exit status 2) otherwise
 */
static inline unsigned long num(const char *s, unsigned long max)
{
    long long v = -1;
    int len = -1;

    if (sscanf(s, "%lli%n", &v, &len) != 1 || len != (int)strlen(s) ||
        v < 0 || (unsigned long long)v > max) {
        fprintf(stderr, "%s: bad number '%s'\n",
                program_invocation_short_name, s);
        exit(2);
    }
    return v;
}

#endif
