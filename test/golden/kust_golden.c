/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Golden tests of `gitops-agent build` against kubectl kustomize.  A case
 * directory holds tree/ (the kustomizations and resources), optionally
 * build-path (the directory to build, relative to tree/, default ".") and
 * reorder ("legacy" or "none"), and either expected.yaml, the bytes
 * `kubectl kustomize` printed, or expected.err, the exact message our
 * build must fail with (kubectl.err keeps kubectl's own message beside
 * it).  One TAP test point per case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/kustomize.h"
#include "golden.h"

#define CASE_MAX_BYTES ((size_t)16 << 20)

/* The file's contents without trailing newlines, or NULL. */
static char *slurp(const char *dir, const char *name)
{
	char path[4096 + 64];
	ga_buf b = GA_BUF_INIT(CASE_MAX_BYTES);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ga_file_read(&b, path) < 0) {
		ga_buf_dispose(&b);
		ga_error_clear();
		return NULL;
	}
	return ga_buf_detach(&b);
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int run_case(const char *dir)
{
	ga_kust_opts opts = GA_KUST_OPTS_INIT;
	ga_buf out = GA_BUF_INIT(CASE_MAX_BYTES);
	char *want = slurp(dir, "expected.yaml");
	char *want_err = want ? NULL : slurp(dir, "expected.err");
	char *path = slurp(dir, "build-path");
	char *reorder = slurp(dir, "reorder");
	char tree[4096 + 64], real[4096];
	ga_kust_fs *fs = NULL;
	int ok = 0, err;

	snprintf(tree, sizeof(tree), "%s/tree", dir);
	if (!realpath(tree, real) || (!want && !want_err)) {
		printf("#   case needs tree/ and expected.yaml or .err\n");
		goto out;
	}
	if (path)
		trim(path);
	if (reorder) {
		trim(reorder);
		opts.reorder = strcmp(reorder, "none") == 0
		                   ? GA_KUST_REORDER_NONE
		                   : GA_KUST_REORDER_LEGACY;
	}
	if (ga_kust_fs_new_os(&fs) < 0)
		goto out;
	err = ga_kust_build(&out, fs, real, path ? path : ".", &opts);
	if (want) {
		ok = err == 0 && strcmp(ga_buf_cstr(&out), want) == 0;
		if (err < 0)
			printf("#   error: %s\n", ga_error_last()->message);
		else if (!ok) {
			golden_print_commented("got", ga_buf_cstr(&out));
			golden_print_commented("want", want);
		}
	} else {
		trim(want_err);
		ok = err < 0 && strcmp(ga_error_last()->message, want_err) == 0;
		if (!ok) {
			printf("#   got:  %s\n#   want: %s\n",
			       err < 0 ? ga_error_last()->message : "(success)",
			       want_err);
		}
	}
out:
	ga_kust_fs_free(fs);
	ga_buf_dispose(&out);
	ga_free(want);
	ga_free(want_err);
	ga_free(path);
	ga_free(reorder);
	return ok;
}

int main(int argc, char **argv)
{
	return golden_main(argc, argv, run_case);
}
