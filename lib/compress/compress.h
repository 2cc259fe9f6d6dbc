/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-buffer compression for data the agent stores in the cluster (the
 * apply inventory): zlib's format (RFC 1950 around RFC 1951 deflate).
 * zlib is called from this folder only; its types never leave it.  The
 * output buffer's cap bounds decompression, so a small hostile input
 * cannot expand without limit.  Thread-safe.
 */
#ifndef GA_COMPRESS_H
#define GA_COMPRESS_H

#include <stddef.h>

#include "ga/buf.h"

/*
 * Append the zlib stream of the @len bytes at @in to @out.
 * Returns 0, GA_ENOMEM or GA_ELIMIT (@out's cap).
 */
int ga_compress__deflate(ga_buf *out, const void *in, size_t len);

/*
 * Append the bytes the zlib stream at @in (@len bytes, exactly one
 * stream, nothing after it) expands to.  @what names the data in error
 * messages.  Returns 0, GA_EINVALID (not a complete zlib stream, or bytes
 * after it), GA_ELIMIT (expands past @out's cap) or GA_ENOMEM.
 */
int ga_compress__inflate(ga_buf *out, const void *in, size_t len,
                         const char *what);

#endif
