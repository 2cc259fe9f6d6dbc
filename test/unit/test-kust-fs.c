/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build engine's OS file tree: every path resolves to what realpath(3)
 * says, whether it takes the short way through a remembered directory or
 * not (symbolic links to files and directories, missing names, "..").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ga/kustomize.h"
#include "harness.h"
#include "kustomize/fs.h"

static char root[] = "/tmp/ga-kfs-XXXXXX";

static const char *at(const char *rel)
{
	static char buf[8][PATH_MAX];
	static int k;
	char *p = buf[k++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", root, rel);
	return p;
}

/* Resolve @rel and compare with realpath(3) and the kind wanted. */
static void same(ga_kust_fs *fs, const char *rel, ga_kust_fs_kind want)
{
	ga_buf out = GA_BUF_INIT(PATH_MAX);
	ga_kust_fs_kind kind;
	char real[PATH_MAX];
	const char *path = at(rel);

	CHECK_OK(ga_kust__fs_resolve(fs, path, &out, &kind));
	CHECK_EQ_INT(kind, want);
	if (want == GA_KUST_FS_MISSING)
		CHECK_EQ_STR(ga_buf_cstr(&out), path);
	else if (realpath(path, real))
		CHECK_EQ_STR(ga_buf_cstr(&out), real);
	else
		CHECK(!"realpath failed");
	ga_buf_dispose(&out);
}

static void test_resolve(void)
{
	ga_kust_fs *fs = NULL;

	CHECK(mkdir(at("a"), 0700) == 0 && mkdir(at("b"), 0700) == 0);
	CHECK(fclose(fopen(at("a/f"), "w")) == 0);
	CHECK(fclose(fopen(at("b/g"), "w")) == 0);
	CHECK(symlink("../b/g", at("a/l")) == 0);
	CHECK(symlink("a", at("ln")) == 0);
	CHECK(symlink("../b", at("a/lb")) == 0);
	CHECK_OK(ga_kust_fs_new_os(&fs));
	if (!fs)
		return;
	/* Twice each: the first may remember, the second uses it. */
	for (int pass = 0; pass < 2; pass++) {
		same(fs, "a", GA_KUST_FS_DIR);
		same(fs, "a/f", GA_KUST_FS_FILE);
		same(fs, "a/l", GA_KUST_FS_FILE);
		same(fs, "a/missing", GA_KUST_FS_MISSING);
		same(fs, "a/missing/x", GA_KUST_FS_MISSING);
		same(fs, "a/..", GA_KUST_FS_DIR);
		same(fs, "a/.", GA_KUST_FS_DIR);
		same(fs, "ln", GA_KUST_FS_DIR);
		same(fs, "ln/f", GA_KUST_FS_FILE);
		same(fs, "a/lb", GA_KUST_FS_DIR);
		same(fs, "a/lb/g", GA_KUST_FS_FILE);
		same(fs, "a/lb/../a/f", GA_KUST_FS_FILE);
	}
	ga_kust_fs_free(fs);
}

static void cleanup(void)
{
	static const char *const names[] = {"a/l", "a/lb", "ln", "a/f",
	                                    "b/g", "a",    "b"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)remove(at(names[i]));
	(void)rmdir(root);
}

int main(void)
{
	if (!mkdtemp(root))
		return 99;
	RUN(test_resolve);
	cleanup();
	return DONE();
}
