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
#include <time.h>

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

static inline long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static inline int bench_cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return x < y ? -1 : x > y;
}

/*
 * Print "<tool>: N round trips of LEN bytes in T ms: R/s, p50 X us,
 * p99 Y us, lost L" for the @done latencies in @lat (us, sorted here)
 * of a run that took @elapsed us; frees @lat.  Exit status of the run.
 */
static inline int bench_report(long *lat, int done, size_t len,
                               long elapsed, int lost)
{
    if (!done) {
        printf("%s: all %d round trips lost\n",
               program_invocation_short_name, lost);
        free(lat);
        return 1;
    }
    qsort(lat, done, sizeof(*lat), bench_cmp_long);
    printf("%s: %d round trips of %zu bytes in %ld ms: %ld/s, "
           "p50 %ld us, p99 %ld us, lost %d\n",
           program_invocation_short_name, done, len, elapsed / 1000,
           elapsed ? done * 1000000L / elapsed : 0, lat[done / 2],
           lat[(done * 99) / 100 < done ? (done * 99) / 100 : done - 1],
           lost);
    free(lat);
    return 0;
}

#endif
