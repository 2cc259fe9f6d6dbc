/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading and writing whole files with the same caps as every other
 * untrusted input: a file larger than the buffer's cap is refused from its
 * size before a byte is read.  Writes go to a temporary file that is synced
 * and renamed over the target, so readers see the old or the new content,
 * never a mix.  Thread-safe.
 */
#ifndef GA_FS_H
#define GA_FS_H

#include <stddef.h>

#include "buf.h"
#include "common.h"

/**
 * Append the contents of @path to @out (which keeps its cap).
 * Returns 0, GA_ENOTFOUND, GA_ELIMIT (larger than what @out may hold),
 * GA_EIO or GA_ENOMEM.
 */
GA_EXTERN int ga_file_read(ga_buf *out, const char *path);

/**
 * Replace @path atomically with @len bytes at @data (mode 0644).
 * Returns 0 or GA_EIO.
 */
GA_EXTERN int ga_file_write_atomic(const char *path, const void *data,
                                   size_t len);

#endif
