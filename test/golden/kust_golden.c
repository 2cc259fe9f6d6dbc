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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/kustomize.h"

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

static void print_commented(const char *label, const char *text)
{
	printf("#   --- %s\n#   ", label);
	for (; *text; text++) {
		putchar(*text);
		if (*text == '\n' && text[1])
			printf("#   ");
	}
	printf("\n");
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
			print_commented("got", ga_buf_cstr(&out));
			print_commented("want", want);
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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	int failed = 0;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		printf("not ok 1 - cannot read cases\n1..1\n");
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown =
			          ga_reallocarray(names, cap, sizeof(*names))))
				break;
			names = grown;
		}
		if (!(names[n] = ga_strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/%s", argv[1], names[i]);
		int ok = run_case(dir);
		failed += !ok;
		printf("%s %zu - %s\n", ok ? "ok" : "not ok", i + 1, names[i]);
		ga_free(names[i]);
	}
	ga_free(names);
	printf("1..%zu\n", n);
	return failed || !n ? 1 : 0;
}
