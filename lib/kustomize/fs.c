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

static int os_resolve(void *ctx, const char *path, ga_buf *canonical,
                      ga_kust_fs_kind *kind)
{
	char real[PATH_MAX];
	struct stat st;

	(void)ctx;
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
	return ga_buf_puts(canonical, real);
}

static int os_read(void *ctx, const char *path, ga_buf *out)
{
	(void)ctx;
	return ga_file_read(out, path);
}

int ga_kust_fs_new_os(ga_kust_fs **out)
{
	static const ga_kust_fs_ops os_ops = {os_resolve, os_read, NULL};

	return ga_kust_fs_new(out, &os_ops, NULL);
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
