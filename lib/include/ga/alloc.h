/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checked allocation.  Every allocation of the library and of the agent goes
 * through these wrappers (malloc and friends are banned elsewhere): they set
 * the error message on failure, check size arithmetic for overflow and can be
 * told to fail on purpose so that tests walk every error path.  Memory from
 * these functions is released with ga_free().  Thread-safe.
 */
#ifndef GA_ALLOC_H
#define GA_ALLOC_H

#include <stddef.h>

#include "common.h"

/** malloc(@size); NULL (and GA_ENOMEM set) on failure. */
GA_EXTERN void *ga_malloc(size_t size);

/** calloc(@n, @size) with the product overflow-checked. */
GA_EXTERN void *ga_calloc(size_t n, size_t size);

/**
 * Resize @ptr to @n * @size bytes, overflow-checked.  On failure @ptr is left
 * untouched and still owned by the caller.
 */
GA_EXTERN void *ga_reallocarray(void *ptr, size_t n, size_t size);

/** A copy of the NUL-terminated @s. */
GA_EXTERN char *ga_strdup(const char *s);

/** A NUL-terminated copy of the first @len bytes of @s. */
GA_EXTERN char *ga_strndup(const char *s, size_t len);

/** Release memory from the functions above; NULL is ignored. */
GA_EXTERN void ga_free(void *ptr);

#endif
