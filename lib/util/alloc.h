/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal side of the allocator: overflow-checked size helpers and the
 * test-only switch that makes an allocation fail on purpose.
 */
#ifndef GA_UTIL_ALLOC_H
#define GA_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/alloc.h"

/**
 * Make the @n-th allocation from now fail (1 = the next one), and every one
 * after it when @sticky; 0 turns failure injection off.  For tests that walk
 * error paths, like curl's torture mode.  Applies to all threads.
 */
void ga_alloc__fail_after(unsigned long n, bool sticky);

/** How many allocations have been attempted since start (for tests). */
unsigned long ga_alloc__count(void);

/* Overflow-checked a + b and a * b; return false on overflow. */
static inline bool ga_add_size(size_t *out, size_t a, size_t b)
{
	return !__builtin_add_overflow(a, b, out);
}

static inline bool ga_mul_size(size_t *out, size_t a, size_t b)
{
	return !__builtin_mul_overflow(a, b, out);
}

#endif
