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
#include "ga/git.h"
#include "ga/gitverify.h"
#include "ga/kustomize.h"
#include "gitopts.h"

/* The largest build output we are willing to hold. */
#define BUILD_OUTPUT_MAX ((size_t)256 << 20)

const char ga_cmd_build_help[] =
    "usage: gitops-agent build [--reorder legacy|none] PATH\n"
    "       gitops-agent build --git-url URL (--branch B | --tag T |\n"
    "           --semver RANGE | --commit SHA) [GIT OPTIONS] PATH\n"
    "\n"
    "Build the kustomization in the directory PATH and print the result,\n"
    "byte for byte what `kubectl kustomize PATH` prints.  Files are read\n"
    "only from within each kustomization's own directory; remote bases,\n"
    "helm charts and plugins other than kustomize's builtin ones are\n"
    "refused.\n"
    "\n"
    "With --git-url, the repository is fetched into the local mirror (as\n"
    "`gitops-agent fetch` does) and PATH is taken from the root of the\n"
    "selected revision's tree, read from the object database without a\n"
    "checkout; symbolic links are followed only inside the tree.  With\n"
    "verification keys, only a revision that passed verification is built;\n"
    "on a failure nothing is printed on standard output.\n"
    "\n"
    "Options:\n"
    "  --reorder legacy  sort objects the way kustomize does (default)\n"
    "  --reorder none    keep the order in which objects were read\n"
    "  --git-url URL     build from this Git repository\n"
    "\n"
    "Git options (with --git-url):\n" GA_CLI_GIT_OPTIONS_HELP "\n"
    "Verification (with --git-url):\n" GA_CLI_VERIFY_OPTIONS_HELP;

static int parse_args(int argc, char **argv, ga_kust_opts *opts,
                      const char **path, ga_cli_git *git)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool used;
		int code;

		if ((code = ga_cli_git_arg(git, "build", argc, argv, &i,
		                           &used)) != GA_EXIT_OK)
			return code;
		if (used)
			continue;
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
	if (git->opts.url || git->ref.name || ga_cli_verify_given(&git->verify))
		return ga_cli_git_finish(git, "build");
	return GA_EXIT_OK;
}

/* The file tree: the working directory's, or a fetched revision's. */
static int open_tree(ga_kust_fs **fs, ga_git_mirror **m, ga_cli_git *git,
                     char *cwd, size_t cap)
{
	ga_gitverify_result res;
	int code;

	if (!git->opts.url) {
		if (!getcwd(cwd, cap)) {
			perror("gitops-agent build: getcwd");
			return GA_EXIT_FAILURE;
		}
		return ga_kust_fs_new_os(fs) < 0 ? ga_cli_fail("build")
		                                 : GA_EXIT_OK;
	}
	(void)snprintf(cwd, cap, "/");
	if ((code = ga_cli_git_fetch(m, &res, git, "build")) != GA_EXIT_OK)
		return code;
	return ga_git_tree_fs(fs, *m, res.commit) < 0 ? ga_cli_fail("build")
	                                              : GA_EXIT_OK;
}

int ga_cmd_build(int argc, char **argv)
{
	ga_kust_opts opts = GA_KUST_OPTS_INIT;
	ga_buf out = GA_BUF_INIT(BUILD_OUTPUT_MAX);
	ga_kust_fs *fs = NULL;
	ga_git_mirror *m = NULL;
	ga_cli_git git = {.url_flag = "--git-url"};
	const char *path = NULL;
	char cwd[PATH_MAX];
	int code;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(ga_cmd_build_help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(argc, argv, &opts, &path, &git)) != GA_EXIT_OK)
		return code;
	if ((code = open_tree(&fs, &m, &git, cwd, sizeof(cwd))) != GA_EXIT_OK)
		goto out;
	if (ga_kust_build(&out, fs, cwd, path, &opts) < 0) {
		code = ga_cli_fail("build");
	} else if (fwrite(ga_buf_cstr(&out), 1, out.size, stdout) != out.size ||
	           fflush(stdout) != 0) {
		perror("gitops-agent build: write");
		code = GA_EXIT_FAILURE;
	}
out:
	ga_kust_fs_free(fs);
	ga_git_mirror_free(m);
	ga_cli_git_dispose(&git);
	ga_buf_dispose(&out);
	return code;
}
