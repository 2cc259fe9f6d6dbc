/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The overlay tree: a kustomization from memory laid over a directory on
 * disk builds as kustomize builds an overlay ("resources: [../app]"), its
 * fields applied on top; the virtual directory shows nothing of the disk;
 * a file outside it stays refused by the load restriction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ga/error.h"
#include "ga/kustomize.h"
#include "harness.h"
#include "kustomize/fs.h"

static char root[] = "/tmp/ga-kov-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		(void)fputs(text, f);
		(void)fclose(f);
	}
}

/* Build the overlay at <root>/ov holding @kust into @out. */
static int build(ga_buf *out, const char *kust)
{
	ga_kust_fs *os = NULL, *fs = NULL;
	char dir[512];
	int err;

	(void)snprintf(dir, sizeof(dir), "%s/ov", root);
	if ((err = ga_kust_fs_new_os(&os)) < 0)
		return err;
	if ((err = ga_kust_fs_overlay(&fs, os, dir, kust, strlen(kust))) < 0)
		return err;
	err = ga_kust_build(out, fs, "/", dir, NULL);
	ga_kust_fs_free(fs);
	return err;
}

static void test_overlay_applies_fields(void)
{
	ga_buf out = GA_BUF_INIT(1 << 20);

	CHECK_OK(build(&out, "resources: [../app]\n"
	                     "namespace: shop\n"
	                     "commonLabels: {provider: a}\n"));
	CHECK(strstr(ga_buf_cstr(&out), "namespace: shop") != NULL);
	CHECK(strstr(ga_buf_cstr(&out), "provider: a") != NULL);
	CHECK(strstr(ga_buf_cstr(&out), "name: c1") != NULL);
	ga_buf_dispose(&out);
}

static void test_virtual_dir_hides_disk(void)
{
	ga_kust_fs *os = NULL, *fs = NULL;
	ga_buf canon = GA_BUF_INIT(4096);
	ga_kust_fs_kind kind;
	char dir[512], file[600];

	(void)snprintf(dir, sizeof(dir), "%s/ov", root);
	(void)snprintf(file, sizeof(file), "%s/ov/extra.yaml", root);
	CHECK_OK(ga_kust_fs_new_os(&os));
	CHECK_OK(ga_kust_fs_overlay(&fs, os, dir, "x", 1));
	CHECK_OK(ga_kust__fs_resolve(fs, file, &canon, &kind));
	CHECK_EQ_INT(kind, GA_KUST_FS_MISSING);
	ga_buf_clear(&canon);
	CHECK_OK(ga_kust__fs_resolve(fs, dir, &canon, &kind));
	CHECK_EQ_INT(kind, GA_KUST_FS_DIR);
	ga_buf_dispose(&canon);
	ga_kust_fs_free(fs);
}

static void test_file_outside_refused(void)
{
	ga_buf out = GA_BUF_INIT(1 << 20);

	CHECK(build(&out, "resources: [../app/cm.yaml]\n") < 0);
	CHECK_EQ_INT((int)out.size, 0);
	ga_buf_dispose(&out);
}

static void test_bad_dir(void)
{
	ga_kust_fs *os = NULL, *fs = NULL;

	CHECK_OK(ga_kust_fs_new_os(&os));
	CHECK_ERR(ga_kust_fs_overlay(&fs, os, "rel/dir", "x", 1), GA_EINVALID);
	CHECK_OK(ga_kust_fs_new_os(&os));
	CHECK_ERR(ga_kust_fs_overlay(&fs, os, "/", "x", 1), GA_EINVALID);
	CHECK(fs == NULL);
}

static void cleanup(void)
{
	static const char *const names[] = {"app/kustomization.yaml",
	                                    "app/cm.yaml", "ov/extra.yaml",
	                                    "app", "ov"};
	char path[512];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", root, names[i]);
		(void)remove(path);
	}
	(void)rmdir(root);
}

int main(void)
{
	char path[512];

	if (!mkdtemp(root))
		return 1;
	(void)snprintf(path, sizeof(path), "%s/app", root);
	(void)mkdir(path, 0755);
	(void)snprintf(path, sizeof(path), "%s/ov", root);
	(void)mkdir(path, 0755);
	put("app/kustomization.yaml", "resources: [cm.yaml]\n");
	put("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\n"
	                   "metadata: {name: c1}\ndata: {k: v}\n");
	put("ov/extra.yaml", "not seen\n");
	RUN(test_overlay_applies_fields);
	RUN(test_virtual_dir_hides_disk);
	RUN(test_file_outside_refused);
	RUN(test_bad_dir);
	cleanup();
	return DONE();
}
