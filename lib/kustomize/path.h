/* SPDX-License-Identifier: Apache-2.0 */
/*
 * "/"-separated path arithmetic for the build engine's file trees, as Go's
 * path/filepath does it on Linux.
 */
#ifndef GA_KUSTOMIZE_PATH_H
#define GA_KUSTOMIZE_PATH_H

#include <stdbool.h>

#include "ga/buf.h"

/*
 * Append to @out the clean absolute path of @rel taken from the absolute
 * directory @dir (or @rel itself when absolute): "." and empty segments
 * dropped, ".." removing the previous segment (never above "/").
 */
int ga_kust__path_join(ga_buf *out, const char *dir, const char *rel);

/* Whether @path is @dir or lies below it (both clean and absolute). */
bool ga_kust__path_within(const char *path, const char *dir);

/* Append @to relative to the directory @from ("." when equal). */
int ga_kust__path_rel(ga_buf *out, const char *from, const char *to);

/*
 * Go's filepath.Join(@a, @b) on relative paths as written, without
 * touching the file system: the non-empty parts joined with "/" and
 * cleaned, ".." kept where there is nothing left to remove ("../x"),
 * "." when everything cancels, nothing at all when both are empty.
 * kustomize's origin annotations record paths this way.
 */
int ga_kust__path_join_lexical(ga_buf *out, const char *a, const char *b);

#endif
