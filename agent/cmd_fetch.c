/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent fetch`: poll a Git remote into the local mirror and print
 * the resolved revision the way Flux reports it ("main@sha1:…").
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ga/git.h"
#include "ga/gitverify.h"
#include "gitopts.h"

const char ga_cmd_fetch_help[] =
    "usage: gitops-agent fetch --url URL (--branch B | --tag T |\n"
    "           --semver RANGE | --commit SHA) [OPTIONS]\n"
    "\n"
    "Update the local mirror of the Git repository at URL (file://, "
    "git://,\nhttp(s)://, ssh://) and print the selected revision, e.g.\n"
    "main@sha1:<40 hex>, v1.2.3@sha1:<40 hex> or sha1:<40 hex>.  The "
    "remote's refs\nare listed first; nothing is transferred when the "
    "selected ref has not moved.\n"
    "\n"
    "With verification, the revision is printed only when it passed, "
    "followed by\none line per signature checked:\n"
    "  commit <40 hex> openpgp|ssh <key fingerprint> <user id or "
    "principals>\n"
    "  tag <40 hex> openpgp|ssh <key fingerprint> <user id or "
    "principals>\n"
    "\n"
    "Options:\n" GA_CLI_GIT_OPTIONS_HELP "\n"
    "Verification:\n" GA_CLI_VERIFY_OPTIONS_HELP;

static int parse_args(ga_cli_git *g, int argc, char **argv)
{
	int code;
	bool used;

	for (int i = 1; i < argc; i++) {
		if ((code = ga_cli_git_arg(g, "fetch", argc, argv, &i,
		                           &used)) != GA_EXIT_OK)
			return code;
		if (used)
			continue;
		if (argv[i][0] == '-')
			return ga_cli_usage_error(
			    "fetch", "unknown option '%s'", argv[i]);
		return ga_cli_usage_error("fetch", "unexpected argument '%s'",
		                          argv[i]);
	}
	return ga_cli_git_finish(g, "fetch");
}

static const char *format_name(ga_sig_format f)
{
	return f == GA_SIG_OPENPGP ? "openpgp" : f == GA_SIG_SSH ? "ssh" : "-";
}

/* Print the verified revision and who signed what. */
static int print_result(const ga_gitverify_result *res)
{
	const ga_verify_result *c = &res->commit_sig, *t = &res->tag_sig;

	if (printf("%s\n", res->revision) < 0)
		return -1;
	if (res->tag_checked &&
	    printf("tag %s %s %s %s\n", res->fetched.tag_object,
	           format_name(t->format), t->key, t->signer) < 0)
		return -1;
	if (res->commit_checked &&
	    printf("commit %s %s %s %s\n", res->commit, format_name(c->format),
	           c->key, c->signer) < 0)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}

int ga_cmd_fetch(int argc, char **argv)
{
	ga_cli_git g = {.url_flag = "--url"};
	ga_git_mirror *m = NULL;
	ga_gitverify_result res;
	int code;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(ga_cmd_fetch_help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(&g, argc, argv)) != GA_EXIT_OK)
		return code;
	code = ga_cli_git_fetch(&m, &res, &g, "fetch");
	if (code == GA_EXIT_OK && print_result(&res) < 0) {
		perror("gitops-agent fetch: write");
		code = GA_EXIT_FAILURE;
	}
	ga_git_mirror_free(m);
	ga_cli_git_dispose(&g);
	return code;
}
