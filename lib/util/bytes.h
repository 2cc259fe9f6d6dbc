/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte-string helpers shared across modules.
 */
#ifndef GA_UTIL_BYTES_H
#define GA_UTIL_BYTES_H

#include <stddef.h>
#include <string.h>

/* Bytewise order of two byte strings (Go's string comparison). */
static inline int ga_bytes_cmp(const char *a, size_t alen, const char *b,
                               size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

#endif
