/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An overlay file tree: one virtual directory holding only a
 * kustomization.yaml from memory, over another tree that answers every
 * other path.  The agent puts the provider's customisations there, with
 * the vendor's distribution as its resource, so that they are applied by
 * the same build engine as kustomize applies an overlay (kustomize's
 * "resources: [../base]" layout; a directory resource may lie outside the
 * kustomization's root, a file may not).
 */
#include <string.h>

#include "fs.h"
#include "ga/alloc.h"
#include "ga/error.h"

#define KUST_FILE "/kustomization.yaml"

struct overlay_ctx {
	ga_kust_fs *base;
	char *dir;  /* the virtual directory */
	char *file; /* dir + KUST_FILE */
	char *text;
	size_t len;
};

/* Whether @path is @dir or below it. */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (!path[n] || path[n] == '/');
}

static int overlay_resolve(void *ctx, const char *path, ga_buf *canonical,
                           ga_kust_fs_kind *kind)
{
	struct overlay_ctx *c = ctx;

	if (!under(path, c->dir))
		return ga_kust__fs_resolve(c->base, path, canonical, kind);
	/* Nothing of the base shows through the virtual directory. */
	if (strcmp(path, c->dir) == 0)
		*kind = GA_KUST_FS_DIR;
	else if (strcmp(path, c->file) == 0)
		*kind = GA_KUST_FS_FILE;
	else
		*kind = GA_KUST_FS_MISSING;
	return ga_buf_puts(canonical, path);
}

static int overlay_read(void *ctx, const char *path, ga_buf *out)
{
	struct overlay_ctx *c = ctx;

	if (!under(path, c->dir))
		return ga_kust__fs_read(c->base, path, out);
	if (strcmp(path, c->file) != 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: no such file", path);
		return GA_ENOTFOUND;
	}
	return ga_buf_put(out, c->text, c->len);
}

static void overlay_free(void *ctx)
{
	struct overlay_ctx *c = ctx;

	if (!c)
		return;
	ga_kust_fs_free(c->base);
	ga_free(c->dir);
	ga_free(c->file);
	ga_free(c->text);
	ga_free(c);
}

int ga_kust_fs_overlay(ga_kust_fs **out, ga_kust_fs *base, const char *dir,
                       const char *text, size_t len)
{
	static const ga_kust_fs_ops ops = {overlay_resolve, overlay_read,
	                                   overlay_free};
	size_t n = strlen(dir);
	struct overlay_ctx *c;

	if (dir[0] != '/' || n < 2 || dir[n - 1] == '/') {
		ga_kust_fs_free(base);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "overlay directory '%s' is not a clean absolute "
		             "path",
		             dir);
		return GA_EINVALID;
	}
	if (!(c = ga_calloc(1, sizeof(*c)))) {
		ga_kust_fs_free(base);
		return GA_ENOMEM;
	}
	c->base = base;
	c->len = len;
	c->dir = ga_strdup(dir);
	c->file = ga_malloc(n + sizeof(KUST_FILE));
	c->text = ga_strndup(text, len);
	if (!c->dir || !c->file || !c->text) {
		overlay_free(c);
		return GA_ENOMEM;
	}
	memcpy(c->file, dir, n);
	memcpy(c->file + n, KUST_FILE, sizeof(KUST_FILE));
	return ga_kust_fs_new(out, &ops, c);
}
