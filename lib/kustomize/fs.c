/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File trees for the build engine, and the operating-system backend.  The
 * OS backend canonicalises with realpath(3), as kustomize's
 * filepath.EvalSymlinks does, and reads with the same size cap as every
 * other input.
 */
#include "fs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"

int ga_kust_fs_new(ga_kust_fs **out, const ga_kust_fs_ops *ops, void *ctx)
{
	ga_kust_fs *fs = ga_calloc(1, sizeof(*fs));

	if (!fs) {
		if (ops->free)
			ops->free(ctx);
		return GA_ENOMEM;
	}
	fs->ops = *ops;
	fs->ctx = ctx;
	*out = fs;
	return 0;
}

void ga_kust_fs_free(ga_kust_fs *fs)
{
	if (!fs)
		return;
	if (fs->ops.free)
		fs->ops.free(fs->ctx);
	ga_free(fs);
}

/*
 * The OS backend remembers the directories it canonicalised: a file in one
 * of them then costs one lstat(2) instead of realpath(3)'s readlink(2) of
 * every component (a build resolves each path several times over).  Only
 * a plain name that is not a symbolic link takes the short way; anything
 * else goes through realpath() as before.
 */
#define OS_DIRS_MAX 512

struct os_ctx {
	char *dirs[OS_DIRS_MAX][2]; /* path as asked → canonical path */
	size_t ndirs;
};

static void os_remember(struct os_ctx *c, const char *path, const char *real)
{
	char *p, *r;

	if (c->ndirs == OS_DIRS_MAX)
		return;
	if (!(p = ga_strdup(path)) || !(r = ga_strdup(real))) {
		ga_free(p);
		ga_error_clear(); /* only the saving is lost */
		return;
	}
	c->dirs[c->ndirs][0] = p;
	c->dirs[c->ndirs++][1] = r;
}

/* The short way: @path is a remembered directory, "/", and a plain name
 * that is no symbolic link.  Returns 1 when it does not apply. */
static int os_resolve_known(struct os_ctx *c, const char *path,
                            ga_buf *canonical, ga_kust_fs_kind *kind)
{
	const char *slash = strrchr(path, '/'), *name;
	size_t dlen;
	struct stat st;

	if (!slash || !slash[1] || strcmp(slash + 1, ".") == 0 ||
	    strcmp(slash + 1, "..") == 0)
		return 1;
	name = slash + 1;
	dlen = (size_t)(slash - path);
	for (size_t i = 0; i < c->ndirs; i++) {
		const char *d = c->dirs[i][0];

		if (strlen(d) != dlen || memcmp(d, path, dlen) != 0)
			continue;
		ga_buf_printf(canonical, "%s/%s",
		              strcmp(c->dirs[i][1], "/") ? c->dirs[i][1] : "",
		              name);
		if (canonical->err)
			return canonical->err;
		if (lstat(canonical->ptr, &st) < 0) {
			if (errno != ENOENT && errno != ENOTDIR)
				break;
			ga_buf_clear(canonical);
			*kind = GA_KUST_FS_MISSING;
			return ga_buf_puts(canonical, path);
		}
		if (S_ISLNK(st.st_mode))
			break;
		*kind = S_ISDIR(st.st_mode) ? GA_KUST_FS_DIR : GA_KUST_FS_FILE;
		if (*kind == GA_KUST_FS_DIR)
			os_remember(c, path, canonical->ptr);
		return 0;
	}
	ga_buf_clear(canonical);
	return 1;
}

static int os_resolve(void *ctx, const char *path, ga_buf *canonical,
                      ga_kust_fs_kind *kind)
{
	char real[PATH_MAX];
	struct stat st;
	int err;

	if ((err = os_resolve_known(ctx, path, canonical, kind)) <= 0)
		return err;
	if (!realpath(path, real)) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*kind = GA_KUST_FS_MISSING;
			return ga_buf_puts(canonical, path);
		}
		ga_error_set_os(errno, "resolve %s", path);
		return GA_EIO;
	}
	if (stat(real, &st) < 0) {
		ga_error_set_os(errno, "stat %s", real);
		return GA_EIO;
	}
	*kind = S_ISDIR(st.st_mode) ? GA_KUST_FS_DIR : GA_KUST_FS_FILE;
	if (*kind == GA_KUST_FS_DIR)
		os_remember(ctx, path, real);
	return ga_buf_puts(canonical, real);
}

static void os_free(void *ctx)
{
	struct os_ctx *c = ctx;

	for (size_t i = 0; c && i < c->ndirs; i++) {
		ga_free(c->dirs[i][0]);
		ga_free(c->dirs[i][1]);
	}
	ga_free(c);
}

static int os_read(void *ctx, const char *path, ga_buf *out)
{
	(void)ctx;
	return ga_file_read(out, path);
}

int ga_kust_fs_new_os(ga_kust_fs **out)
{
	static const ga_kust_fs_ops os_ops = {os_resolve, os_read, os_free};
	struct os_ctx *c = ga_calloc(1, sizeof(*c));

	if (!c)
		return GA_ENOMEM;
	return ga_kust_fs_new(out, &os_ops, c);
}

int ga_kust__fs_resolve(ga_kust_fs *fs, const char *path, ga_buf *canonical,
                        ga_kust_fs_kind *kind)
{
	return fs->ops.resolve(fs->ctx, path, canonical, kind);
}

int ga_kust__fs_read(ga_kust_fs *fs, const char *path, ga_buf *out)
{
	return fs->ops.read(fs->ctx, path, out);
}
