/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library half of the Git source integration tests, run by git.sh on
 * repositories it made: raw objects, ancestry, commit ranges, selection
 * from the mirror alone, the tree reader's link handling, and
 * cancellation.  Prints one "PASS name" or "FAIL name: detail" line per
 * check; git.sh turns them into TAP.
 *
 * usage: mirror-test URL CACHE TAG-OBJECT OLD NEW COUNT DIST-URL NET-URL
 *   URL        file:// URL of the main repository (branch main, tag v1.1.0)
 *   TAG-OBJECT the id of the annotated tag v1.1.0
 *   OLD, NEW   commits with OLD an ancestor of NEW, COUNT commits apart
 *   DIST-URL   file:// URL of the repository with links/ and escape/
 *   NET-URL   a git:// URL of the main repository
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/git.h"
#include "ga/kustomize.h"
#include "kustomize/fs.h"
#include "report.h"

static ga_git_mirror *open_mirror(const char *url, const char *cache,
                                  const atomic_int *cancel)
{
	ga_git_opts opts = {0};
	ga_git_mirror *m = NULL;

	opts.url = url;
	opts.cache_dir = cache;
	opts.timeout_ms = 30000;
	opts.cancel = cancel;
	if (ga_git_mirror_open(&m, &opts) < 0)
		report("open mirror", 0, url);
	return m;
}

static void check_objects(ga_git_mirror *m, const ga_git_result *res,
                          char **argv)
{
	ga_buf raw = GA_BUF_INIT(1 << 20);
	int err;

	err = ga_git_object_raw(&raw, m, res->commit);
	report("raw commit", err == 0 && strncmp(raw.ptr, "tree ", 5) == 0,
	       "does not start with a tree header");
	ga_buf_clear(&raw);
	err = ga_git_object_raw(&raw, m, argv[3]);
	report("raw annotated tag",
	       err == 0 && strncmp(raw.ptr, "object ", 7) == 0 &&
	           strstr(raw.ptr, "\ntag v1.1.0\n"),
	       "not the tag object");
	ga_buf_clear(&raw);
	err = ga_git_object_raw(&raw, m,
	                        "0123456789012345678901234567890123456789");
	report("raw missing object", err == GA_ENOTFOUND, "not ENOTFOUND");
	err = ga_git_object_raw(&raw, m, "xyz");
	report("raw bad id", err == GA_EINVALID, "not EINVALID");
	ga_buf_dispose(&raw);
}

static void check_ancestry(ga_git_mirror *m, char **argv)
{
	ga_git_oid_list list = GA_GIT_OID_LIST_INIT;
	size_t count = strtoul(argv[6], NULL, 10);
	bool anc = false;
	int err;

	err = ga_git_is_ancestor(&anc, m, argv[4], argv[5]);
	report("ancestor", err == 0 && anc, "OLD not an ancestor of NEW");
	err = ga_git_is_ancestor(&anc, m, argv[5], argv[4]);
	report("not ancestor", err == 0 && !anc, "NEW is an ancestor of OLD");
	err = ga_git_is_ancestor(&anc, m, argv[5], argv[5]);
	report("self ancestor", err == 0 && anc, "a commit is its own");
	err = ga_git_commits_between(&list, m, argv[4], argv[5], 1000);
	report("range count", err == 0 && list.count == count,
	       "wrong number of commits");
	report("range newest first",
	       err == 0 && list.count && strcmp(list.ids[0], argv[5]) == 0,
	       "NEW is not first");
	ga_git_oid_list_dispose(&list);
	err = ga_git_commits_between(&list, m, argv[4], argv[5], count - 1);
	report("range cap", err == GA_ELIMIT && list.count == 0, "not ELIMIT");
	err = ga_git_commits_between(&list, m, NULL, argv[4], 1000);
	report("range from the root", err == 0 && list.count >= 1,
	       "no commits");
	ga_git_oid_list_dispose(&list);
}

/* Resolve @path in @fs; the canonical path, or "MISSING"/"ERROR". */
static const char *resolve(ga_kust_fs *fs, const char *path, ga_buf *canon)
{
	ga_kust_fs_kind kind;

	ga_buf_clear(canon);
	if (ga_kust__fs_resolve(fs, path, canon, &kind) < 0)
		return "ERROR";
	if (kind == GA_KUST_FS_MISSING)
		return "MISSING";
	return ga_buf_cstr(canon);
}

static void check_tree(const char *url, const char *cache)
{
	ga_git_ref ref = {GA_GIT_REF_BRANCH, "main"};
	ga_buf canon = GA_BUF_INIT(8192), data = GA_BUF_INIT(1 << 20);
	ga_git_mirror *m = open_mirror(url, cache, NULL);
	ga_kust_fs *fs = NULL;
	ga_git_result res;

	if (!m || ga_git_fetch(&res, m, &ref) < 0 ||
	    ga_git_tree_fs(&fs, m, res.commit) < 0) {
		report("tree fs", 0, "cannot open the tree");
		goto out;
	}
	report("tree root", strcmp(resolve(fs, "/", &canon), "/") == 0, "");
	report("tree link to a directory",
	       strcmp(resolve(fs, "/links/kube/kustomization.yaml", &canon),
	              "/dist/app-kubernetes/kustomization.yaml") == 0,
	       ga_buf_cstr(&canon));
	report("tree read through a link",
	       ga_kust__fs_read(fs, "/links/kube/kustomization.yaml", &data) ==
	               0 &&
	           data.size > 0,
	       "");
	report("tree missing",
	       strcmp(resolve(fs, "/nope/x", &canon), "MISSING") == 0,
	       ga_buf_cstr(&canon));
	report("tree file as directory",
	       strcmp(resolve(fs, "/escape/kustomization.yaml/x", &canon),
	              "MISSING") == 0,
	       ga_buf_cstr(&canon));
	report("tree link above the root stays outside",
	       resolve(fs, "/escape/up", &canon)[0] != '/',
	       ga_buf_cstr(&canon));
	report("tree absolute link stays outside",
	       resolve(fs, "/escape/abs", &canon)[0] != '/',
	       ga_buf_cstr(&canon));
	report("tree link loop bounded",
	       strcmp(resolve(fs, "/escape/loop", &canon), "ERROR") == 0,
	       ga_buf_cstr(&canon));
	ga_buf_clear(&data);
	report("tree read of an escaping link",
	       ga_kust__fs_read(fs, "/escape/up", &data) == GA_ENOTFOUND, "");
	report("tree commit missing",
	       ga_git_tree_fs(&fs, m,
	                      "0123456789012345678901234567890123456789") ==
	           GA_ENOTFOUND,
	       "");
out:
	ga_kust_fs_free(fs);
	ga_git_mirror_free(m);
	ga_buf_dispose(&canon);
	ga_buf_dispose(&data);
}

static void check_cancel(const char *url, const char *cache)
{
	static atomic_int cancel = 1;
	ga_git_ref ref = {GA_GIT_REF_BRANCH, "main"};
	ga_git_mirror *m = open_mirror(url, cache, &cancel);
	ga_git_result res;
	int err;

	if (!m)
		return;
	err = ga_git_fetch(&res, m, &ref);
	report("cancelled fetch",
	       err < 0 && strstr(ga_error_last()->message, "cancelled"),
	       "not cancelled");
	ga_git_mirror_free(m);
}

int main(int argc, char **argv)
{
	ga_git_ref main_ref = {GA_GIT_REF_BRANCH, "main"};
	ga_git_result res, local;
	ga_git_mirror *m;
	char cache2[4096];

	if (argc != 9) {
		fprintf(stderr, "usage: mirror-test URL CACHE TAG OLD NEW "
		                "COUNT DIST-URL NET-URL\n");
		return 2;
	}
	if (!(m = open_mirror(argv[1], argv[2], NULL)))
		return 1;
	if (ga_git_fetch(&res, m, &main_ref) < 0) {
		report("fetch", 0, "");
		ga_git_mirror_free(m);
		return 1;
	}
	report("resolve local",
	       ga_git_resolve_local(&local, m, &main_ref) == 0 &&
	           strcmp(local.revision, res.revision) == 0,
	       local.revision);
	check_objects(m, &res, argv);
	check_ancestry(m, argv);
	ga_git_mirror_free(m);
	check_tree(argv[7], argv[2]);
	/* A fresh cache, so that there is something to transfer. */
	(void)snprintf(cache2, sizeof(cache2), "%s-cancel", argv[2]);
	check_cancel(argv[8], cache2);
	return failures ? 1 : 0;
}
