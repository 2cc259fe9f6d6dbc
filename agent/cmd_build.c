/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent build PATH`: print what `kubectl kustomize PATH` prints.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/kustomize.h"

/* The largest build output we are willing to hold. */
#define BUILD_OUTPUT_MAX ((size_t)256 << 20)

const char ga_cmd_build_help[] =
    "usage: gitops-agent build [--reorder legacy|none] PATH\n"
    "\n"
    "Build the kustomization in the directory PATH and print the result,\n"
    "byte for byte what `kubectl kustomize PATH` prints.  Files are read\n"
    "only from within each kustomization's own directory; remote bases,\n"
    "helm charts and plugins are refused.\n"
    "\n"
    "Options:\n"
    "  --reorder legacy  sort objects the way kustomize does (default)\n"
    "  --reorder none    keep the order in which objects were read\n";

static int parse_args(int argc, char **argv, ga_kust_opts *opts,
                      const char **path)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--reorder") == 0 && i + 1 < argc) {
			a = argv[++i];
			if (strcmp(a, "legacy") == 0)
				opts->reorder = GA_KUST_REORDER_LEGACY;
			else if (strcmp(a, "none") == 0)
				opts->reorder = GA_KUST_REORDER_NONE;
			else
				return ga_cli_usage_error(
				    "build",
				    "--reorder takes legacy or none, not "
				    "'%s'",
				    a);
		} else if (a[0] == '-' && a[1]) {
			return ga_cli_usage_error("build",
			                          "unknown option '%s'", a);
		} else if (*path) {
			return ga_cli_usage_error(
			    "build", "unexpected argument '%s'", a);
		} else {
			*path = a;
		}
	}
	if (!*path)
		return ga_cli_usage_error("build", "missing PATH");
	return GA_EXIT_OK;
}

int ga_cmd_build(int argc, char **argv)
{
	ga_kust_opts opts = GA_KUST_OPTS_INIT;
	ga_buf out = GA_BUF_INIT(BUILD_OUTPUT_MAX);
	ga_kust_fs *fs = NULL;
	const char *path = NULL;
	char cwd[PATH_MAX];
	int code;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(ga_cmd_build_help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(argc, argv, &opts, &path)) != GA_EXIT_OK)
		return code;
	if (!getcwd(cwd, sizeof(cwd))) {
		perror("gitops-agent build: getcwd");
		return GA_EXIT_FAILURE;
	}
	if (ga_kust_fs_new_os(&fs) < 0 ||
	    ga_kust_build(&out, fs, cwd, path, &opts) < 0) {
		code = ga_cli_fail("build");
	} else if (fwrite(ga_buf_cstr(&out), 1, out.size, stdout) != out.size ||
	           fflush(stdout) != 0) {
		perror("gitops-agent build: write");
		code = GA_EXIT_FAILURE;
	}
	ga_kust_fs_free(fs);
	ga_buf_dispose(&out);
	return code;
}
