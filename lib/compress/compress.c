/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zlib boundary (RFC 1950/1951).  Both directions stream through a fixed
 * stack window into a ga_buf, so the buffer's cap, not zlib, decides how
 * much memory the output may take; zlib's own allocations go through our
 * allocators so that allocation failures surface as GA_ENOMEM.
 */
#include "compress/compress.h"

#include <limits.h>
#define ZLIB_CONST
#include <zlib.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define WINDOW 16384

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return ga_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	ga_free(p);
}

static void stream_init(z_stream *zs, const void *in, size_t len)
{
	*zs = (z_stream){0};
	zs->zalloc = z_alloc;
	zs->zfree = z_free;
	zs->next_in = in;
	zs->avail_in = (uInt)len;
}

int ga_compress__deflate(ga_buf *out, const void *in, size_t len)
{
	unsigned char win[WINDOW];
	z_stream zs;
	int zerr, err = 0;

	if (len > UINT_MAX) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "compress: %zu bytes is too "
		             "much for one stream",
		             len);
		return GA_ELIMIT;
	}
	stream_init(&zs, in, len);
	if (deflateInit(&zs, Z_BEST_COMPRESSION) != Z_OK) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	do {
		zs.next_out = win;
		zs.avail_out = sizeof(win);
		zerr = deflate(&zs, Z_FINISH);
		if (zerr == Z_STREAM_ERROR || zerr == Z_MEM_ERROR) {
			ga_error_set_oom();
			err = GA_ENOMEM;
			goto out;
		}
		if ((err = ga_buf_put(out, win, sizeof(win) - zs.avail_out)) <
		    0)
			goto out;
	} while (zerr != Z_STREAM_END);
out:
	(void)deflateEnd(&zs);
	return err;
}

/* One step of inflate(); 1 at the end of the stream. */
static int inflate_step(z_stream *zs, ga_buf *out, const char *what)
{
	unsigned char win[WINDOW];
	int zerr, err;

	zs->next_out = win;
	zs->avail_out = sizeof(win);
	zerr = inflate(zs, Z_NO_FLUSH);
	if (zerr == Z_MEM_ERROR) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	if (zerr == Z_NEED_DICT || zerr == Z_DATA_ERROR ||
	    zerr == Z_STREAM_ERROR ||
	    (zerr == Z_BUF_ERROR && zs->avail_in == 0)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: corrupt or truncated "
		             "zlib stream%s%s",
		             what, zs->msg ? ": " : "", zs->msg ? zs->msg : "");
		return GA_EINVALID;
	}
	if ((err = ga_buf_put(out, win, sizeof(win) - zs->avail_out)) < 0) {
		if (err == GA_ELIMIT)
			ga_error_set(GA_ERRCLASS_INVALID,
			             "%s: expands to more "
			             "than %zu bytes",
			             what, out->max);
		return err;
	}
	return zerr == Z_STREAM_END ? 1 : 0;
}

int ga_compress__inflate(ga_buf *out, const void *in, size_t len,
                         const char *what)
{
	z_stream zs;
	int err;

	if (len > UINT_MAX) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: %zu bytes is too much "
		             "for one stream",
		             what, len);
		return GA_ELIMIT;
	}
	stream_init(&zs, in, len);
	if (inflateInit(&zs) != Z_OK) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	while ((err = inflate_step(&zs, out, what)) == 0)
		;
	if (err == 1 && zs.avail_in != 0) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: %u bytes after the end "
		             "of the zlib stream",
		             what, zs.avail_in);
		err = GA_EINVALID;
	}
	(void)inflateEnd(&zs);
	return err < 0 ? err : 0;
}
