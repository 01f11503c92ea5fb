/*
 * The entry points libFuzzer calls in a fuzz target
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_FUZZ_LIBFUZZER_H
#define TESTS_FUZZ_LIBFUZZER_H

/* Once, before any input; may look at and change the command line */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One input of @size bytes at @data; returns 0 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* TESTS_FUZZ_LIBFUZZER_H */
