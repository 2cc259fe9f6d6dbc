/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capped growable buffer (curl's dynbuf with libgit2's sticky-error git_str).
 * Growth doubles the allocation, so n appends cost O(n) copies in total.
 */
#include "ga/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "ga/error.h"

static int buf_fail(ga_buf *buf, int err)
{
	buf->err = err;
	return err;
}

/* Make room for @extra more bytes plus the NUL. */
static int buf_reserve(ga_buf *buf, size_t extra)
{
	size_t need, nsize;
	char *p;

	if (buf->err)
		return buf->err;
	if (!ga_add_size(&need, buf->size, extra) || need > buf->max) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "data exceeds the limit of %zu bytes", buf->max);
		return buf_fail(buf, GA_ELIMIT);
	}
	need++;
	if (need <= buf->asize)
		return 0;
	nsize = buf->asize < 64 ? 64 : buf->asize;
	while (nsize < need)
		nsize = nsize > SIZE_MAX / 2 ? need : nsize * 2;
	p = ga_reallocarray(buf->ptr, nsize, 1);
	if (!p)
		return buf_fail(buf, GA_ENOMEM);
	buf->ptr = p;
	buf->asize = nsize;
	return 0;
}

int ga_buf_put(ga_buf *buf, const void *data, size_t len)
{
	int err;

	if ((err = buf_reserve(buf, len)) < 0)
		return err;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int ga_buf_puts(ga_buf *buf, const char *s)
{
	return ga_buf_put(buf, s, strlen(s));
}

int ga_buf_putc(ga_buf *buf, char c)
{
	return ga_buf_put(buf, &c, 1);
}

int ga_buf_put_percent(ga_buf *buf, const char *s, const char *safe)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) ||
		    strchr(safe, c)) {
			(void)ga_buf_putc(buf, (char)c);
		} else {
			(void)ga_buf_putc(buf, '%');
			(void)ga_buf_putc(buf, hex[c >> 4]);
			(void)ga_buf_putc(buf, hex[c & 15]);
		}
	}
	return buf->err;
}

int ga_buf_vprintf(ga_buf *buf, const char *fmt, va_list ap)
{
	va_list aq;
	int n, err;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		ga_error_set(GA_ERRCLASS_INVALID, "bad format string");
		return buf_fail(buf, GA_ERROR);
	}
	if ((err = buf_reserve(buf, (size_t)n)) < 0)
		return err;
	(void)vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return 0;
}

int ga_buf_printf(ga_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = ga_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return err;
}

const char *ga_buf_cstr(const ga_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

void ga_buf_clear(ga_buf *buf)
{
	buf->size = 0;
	buf->err = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void ga_buf_truncate(ga_buf *buf, size_t size)
{
	if (size < buf->size) {
		buf->size = size;
		buf->ptr[size] = '\0';
	}
}

char *ga_buf_detach(ga_buf *buf)
{
	char *p;

	if (buf->err)
		return NULL;
	p = buf->ptr ? buf->ptr : ga_strdup("");
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}

void ga_buf_dispose(ga_buf *buf)
{
	ga_free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	buf->err = 0;
}
