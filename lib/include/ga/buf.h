/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable byte buffer, always NUL-terminated, with a hard size cap so that
 * untrusted input (HTTP bodies, blobs, YAML) cannot grow it without bound.  A
 * ga_buf is caller-allocated: initialise it with GA_BUF_INIT(max) and release
 * its contents with ga_buf_dispose().  Failures are sticky: after one failed
 * append every further append returns the same code, so a sequence of appends
 * can be checked once at the end.  Not thread-safe.
 */
#ifndef GA_BUF_H
#define GA_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "common.h"

typedef struct ga_buf {
	char *ptr;    /**< contents; NULL until the first append */
	size_t size;  /**< bytes used, not counting the NUL */
	size_t asize; /**< bytes allocated */
	size_t max;   /**< cap on size; appends past it fail with GA_ELIMIT */
	int err;      /**< 0, or the sticky error of a failed append */
} ga_buf;

/** An empty buffer that may grow to @max bytes. */
#define GA_BUF_INIT(max)                                                       \
	{                                                                      \
		NULL, 0, 0, (max), 0                                           \
	}

/** Append @len bytes.  Returns 0, GA_ENOMEM or GA_ELIMIT. */
GA_EXTERN int ga_buf_put(ga_buf *buf, const void *data, size_t len);

/** Append a NUL-terminated string.  Returns 0, GA_ENOMEM or GA_ELIMIT. */
GA_EXTERN int ga_buf_puts(ga_buf *buf, const char *s);

/** Append one byte.  Returns 0, GA_ENOMEM or GA_ELIMIT. */
GA_EXTERN int ga_buf_putc(ga_buf *buf, char c);

/**
 * Append @s percent-encoded (RFC 3986): letters, digits, "-._~" and the
 * characters of @safe stay as they are.  Returns 0, GA_ENOMEM or GA_ELIMIT.
 */
GA_EXTERN int ga_buf_put_percent(ga_buf *buf, const char *s, const char *safe);

/** Append formatted text.  Returns 0, GA_ENOMEM or GA_ELIMIT. */
GA_EXTERN int ga_buf_printf(ga_buf *buf, const char *fmt, ...) GA_PRINTF(2, 3);

/** ga_buf_printf() with a va_list. */
GA_EXTERN int ga_buf_vprintf(ga_buf *buf, const char *fmt, va_list ap)
    GA_PRINTF(2, 0);

/** The contents as a C string; "" for an empty buffer.  Borrowed. */
GA_EXTERN const char *ga_buf_cstr(const ga_buf *buf);

/** Drop the contents but keep the allocation and clear a sticky error. */
GA_EXTERN void ga_buf_clear(ga_buf *buf);

/** Shorten the contents to @size bytes (no-op when already shorter). */
GA_EXTERN void ga_buf_truncate(ga_buf *buf, size_t size);

/**
 * Hand the contents over as an owned C string (free with ga_free()) and
 * reset the buffer.  An empty buffer yields an allocated "".  NULL on
 * failure (GA_ENOMEM set) or when the buffer holds a sticky error.
 */
GA_EXTERN char *ga_buf_detach(ga_buf *buf);

/** Release the contents; the buffer is empty and reusable afterwards. */
GA_EXTERN void ga_buf_dispose(ga_buf *buf);

#endif
