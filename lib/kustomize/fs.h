/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal side of the build engine's file trees.
 */
#ifndef GA_KUSTOMIZE_FS_H
#define GA_KUSTOMIZE_FS_H

#include "ga/kustomize.h"

struct ga_kust_fs {
	ga_kust_fs_ops ops;
	void *ctx;
};

int ga_kust__fs_resolve(ga_kust_fs *fs, const char *path, ga_buf *canonical,
                        ga_kust_fs_kind *kind);
int ga_kust__fs_read(ga_kust_fs *fs, const char *path, ga_buf *out);

#endif
