/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lexical path handling (Go's filepath.Join, Clean and Rel), used
 * for kustomize's load restriction: a file is loadable when its resolved
 * path lies in or below the kustomization's resolved root.
 */
#include "path.h"

#include <string.h>

int ga_kust__path_join(ga_buf *out, const char *dir, const char *rel)
{
	size_t base = out->size;
	const char *p = rel;

	if (rel[0] != '/') {
		/* dir is clean already; its segments go through the same
		 * loop so that the code has one shape. */
		int err = ga_kust__path_join(out, "/", dir);
		if (err < 0)
			return err;
	}
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash =
			    memrchr(out->ptr + base, '/', out->size - base);
			if (slash)
				ga_buf_truncate(out,
				                (size_t)(slash - out->ptr));
		} else if (len && !(len == 1 && p[0] == '.')) {
			ga_buf_putc(out, '/');
			ga_buf_put(out, p, len);
		}
		p += len + (end != NULL);
	}
	if (out->size == base)
		ga_buf_putc(out, '/');
	return out->err;
}

bool ga_kust__path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

int ga_kust__path_rel(ga_buf *out, const char *from, const char *to)
{
	size_t common = 0, i = 0;
	bool first = true;

	/* The longest common prefix that ends at a segment boundary. */
	while (from[i] && from[i] == to[i]) {
		i++;
		if ((from[i] == '/' || !from[i]) && (to[i] == '/' || !to[i]))
			common = i;
	}
	/* One ".." for every segment of @from past the common part. */
	for (const char *p = from + common; *p; p++) {
		if (*p != '/' || !p[1])
			continue;
		ga_buf_puts(out, first ? ".." : "/..");
		first = false;
	}
	if (to[common] == '/' && to[common + 1]) {
		if (!first)
			ga_buf_putc(out, '/');
		ga_buf_puts(out, to + common + 1);
		first = false;
	}
	if (first)
		ga_buf_putc(out, '.');
	return out->err;
}

/* Append the segment @p of @len bytes to the clean path being built in
 * @out from @base; @keep ends the leading "../" run nothing can remove. */
static void clean_segment(ga_buf *out, size_t base, size_t *keep, bool rooted,
                          const char *p, size_t len)
{
	bool empty = out->size == base + rooted;

	if (!len || (len == 1 && p[0] == '.'))
		return;
	if (len == 2 && p[0] == '.' && p[1] == '.') {
		if (out->size > *keep) {
			char *slash =
			    memrchr(out->ptr + *keep, '/', out->size - *keep);
			size_t at = slash ? (size_t)(slash - out->ptr) : *keep;
			ga_buf_truncate(out, at);
			return;
		}
		if (rooted)
			return;
	}
	if (!empty && out->ptr[out->size - 1] != '/')
		ga_buf_putc(out, '/');
	ga_buf_put(out, p, len);
	if (len == 2 && p[0] == '.' && p[1] == '.')
		*keep = out->size;
}

int ga_kust__path_join_lexical(ga_buf *out, const char *a, const char *b)
{
	size_t base = out->size, keep = out->size;
	const char *parts[2] = {a, b};
	bool rooted = a[0] == '/' || (!a[0] && b[0] == '/');

	if (!a[0] && !b[0])
		return out->err;
	if (rooted) {
		ga_buf_putc(out, '/');
		keep = out->size;
	}
	for (size_t i = 0; i < 2; i++) {
		const char *p = parts[i];

		while (*p) {
			const char *end = strchr(p, '/');
			size_t len = end ? (size_t)(end - p) : strlen(p);

			clean_segment(out, base, &keep, rooted, p, len);
			p += len + (end != NULL);
		}
	}
	if (out->size == base)
		ga_buf_putc(out, '.');
	return out->err;
}
