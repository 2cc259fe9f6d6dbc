/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Quoted excerpts of untrusted input for error messages.
 */
#ifndef GA_UTIL_QUOTE_H
#define GA_UTIL_QUOTE_H

#include <stddef.h>

/* Bytes of input shown before "..." and the buffer that always suffices. */
#define GA_QUOTE_MAX 64
#define GA_QUOTE_SIZE (GA_QUOTE_MAX * 4 + 8)

/*
 * Write the first GA_QUOTE_MAX of the @len bytes at @s double-quoted into
 * @out (GA_QUOTE_SIZE bytes), with quotes, backslashes, control and
 * non-ASCII bytes escaped (as Go's strconv.Quote escapes them), because the
 * text comes from manifests, tags and configuration and ends up in logs.
 */
void ga_quote_excerpt(char *out, const char *s, size_t len);

#endif
