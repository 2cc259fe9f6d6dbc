/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Golden test of the YAML round trip against kubectl kustomize.  Each case
 * directory holds input.yaml (one object) and either expected.yaml, the
 * bytes `kubectl kustomize --reorder none` printed for it, or expected.err
 * when kubectl refused it.  We parse input.yaml and print it back; the
 * output must match expected.yaml byte for byte, or fail where kubectl
 * failed.  One TAP test point per case; a mismatch prints both texts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "golden.h"

#define CASE_MAX_BYTES (8u * 1024 * 1024)

static int read_file(ga_buf *out, const char *path)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (ga_buf_put(out, chunk, n) < 0)
			break;
	fclose(f);
	return out->err ? -1 : 0;
}

/* With GA_GOLDEN_OUT=DIR, keep what we printed as DIR/<case>.yaml, for
 * diffing by hand. */
static void save_output(const char *dir, const ga_buf *got)
{
	const char *out = getenv("GA_GOLDEN_OUT");
	const char *name = strrchr(dir, '/');
	char path[4096 + 64];
	FILE *f;

	if (!out)
		return;
	snprintf(path, sizeof(path), "%s/%s.yaml", out, name ? name + 1 : dir);
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(got->ptr ? got->ptr : "", 1, got->size, f);
		fclose(f);
	}
}

/* Show where the texts part, so a failure is readable in the test log. */
static void show_difference(const char *got, const char *want)
{
	size_t i = 0, line = 1;

	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n')
			line++;
		i++;
	}
	printf("#   first difference at byte %zu (line %zu)\n", i, line);
	golden_print_commented("got", got);
	golden_print_commented("want", want);
}

static int run_case(const char *dir)
{
	char path[4096 + 64];
	ga_buf input = GA_BUF_INIT(CASE_MAX_BYTES);
	ga_buf want = GA_BUF_INIT(CASE_MAX_BYTES);
	ga_buf got = GA_BUF_INIT(CASE_MAX_BYTES);
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL;
	struct stat st;
	int ok = 0, err, want_err;

	opts.flags = GA_YAML_RESOURCES;
	snprintf(path, sizeof(path), "%s/expected.err", dir);
	want_err = stat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/input.yaml", dir);
	if (read_file(&input, path) < 0) {
		printf("# cannot read %s\n", path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/expected.yaml", dir);
	if (!want_err && read_file(&want, path) < 0) {
		printf("# cannot read %s\n", path);
		goto out;
	}
	err = ga_yaml_parse(&docs, input.ptr, input.size, "input.yaml", &opts);
	if (err == 0)
		err = ga_yaml_emit_stream(&got, docs);
	save_output(dir, &got);
	if (want_err) {
		ok = err < 0;
		printf("#   %s\n", err < 0 ? ga_error_last()->message
		                           : "accepted what kubectl refused");
	} else if (err < 0) {
		printf("#   error: %s\n", ga_error_last()->message);
	} else {
		ok = got.size == want.size &&
		     memcmp(ga_buf_cstr(&got), ga_buf_cstr(&want), got.size) ==
		         0;
		if (!ok)
			show_difference(ga_buf_cstr(&got), ga_buf_cstr(&want));
	}
out:
	ga_node_free(docs);
	ga_buf_dispose(&input);
	ga_buf_dispose(&want);
	ga_buf_dispose(&got);
	return ok;
}

int main(int argc, char **argv)
{
	return golden_main(argc, argv, run_case);
}
