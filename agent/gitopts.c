/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Git source options shared by `fetch` and `build --git-url`: the ref
 * selection (exactly one of --branch, --tag, --semver, --commit), the
 * credentials (files only: a secret on the command line would show in
 * ps(1)), the cache directory and the timeout.  SIGINT and SIGTERM cancel
 * a poll in progress through the library's cancellation flag.
 */
#include "gitopts.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ga/duration.h"
#include "ga/error.h"

/* Flux's default for GitRepository.spec.timeout. */
#define DEFAULT_TIMEOUT_MS 60000

static atomic_int cancel_flag;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, 1);
}

static const char *const string_flags[] = {
    "--cache",   "--username", "--password-file",       "--token-file",
    "--ca-file", "--ssh-key",  "--ssh-passphrase-file", "--known-hosts",
    "--timeout",
};

/* The index of @flag in @names (of @n), or -1. */
static int flag_index(const char *const *names, size_t n, const char *flag)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(flag, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* Where the value of string_flags[@k] goes. */
static const char **string_slot(ga_cli_git *g, int k)
{
	const char **slots[] = {
	    &g->opts.cache_dir,
	    &g->opts.username,
	    &g->opts.password_file,
	    &g->opts.token_file,
	    &g->opts.ca_file,
	    &g->opts.ssh_key_file,
	    &g->opts.ssh_passphrase_file,
	    &g->opts.known_hosts_file,
	    &g->timeout,
	};

	return slots[k];
}

int ga_cli_git_arg(ga_cli_git *g, const char *cmd, int argc, char **argv,
                   int *i, bool *used)
{
	static const char *const ref_names[] = {"--branch", "--tag", "--semver",
	                                        "--commit"};
	static const ga_git_ref_kind kinds[] = {
	    GA_GIT_REF_BRANCH, GA_GIT_REF_TAG, GA_GIT_REF_SEMVER,
	    GA_GIT_REF_COMMIT};
	const char *flag = argv[*i];
	const char **slot;
	int k;

	*used = false;
	if ((k = flag_index(ref_names, 4, flag)) >= 0) {
		if (g->ref.name)
			return ga_cli_usage_error(
			    cmd, "give one of --branch, --tag, --semver and "
			         "--commit");
		g->ref.kind = kinds[k];
		slot = &g->ref.name;
	} else if (strcmp(flag, g->url_flag) == 0) {
		slot = &g->opts.url;
	} else if ((k = flag_index(string_flags,
	                           sizeof(string_flags) /
	                               sizeof(string_flags[0]),
	                           flag)) >= 0) {
		slot = string_slot(g, k);
	} else {
		return GA_EXIT_OK;
	}
	if (*i + 1 >= argc)
		return ga_cli_usage_error(cmd, "%s needs a value", flag);
	*slot = argv[++*i];
	*used = true;
	return GA_EXIT_OK;
}

static const char *default_cache(char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		(void)snprintf(buf, cap, "%s/gitops-agent/git", xdg);
	else if (home && home[0] == '/')
		(void)snprintf(buf, cap, "%s/.cache/gitops-agent/git", home);
	else
		return NULL;
	return buf;
}

int ga_cli_git_finish(ga_cli_git *g, const char *cmd)
{
	struct sigaction sa;

	if (!g->opts.url)
		return ga_cli_usage_error(cmd, "missing %s", g->url_flag);
	if (!g->ref.name)
		return ga_cli_usage_error(
		    cmd, "give one of --branch, --tag, --semver and --commit");
	if (!g->opts.cache_dir && !(g->opts.cache_dir = default_cache(
	                                g->cache_buf, sizeof(g->cache_buf))))
		return ga_cli_usage_error(cmd, "--cache is needed when "
		                               "neither XDG_CACHE_HOME nor "
		                               "HOME is set");
	g->opts.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (g->timeout &&
	    ga_duration_parse_ms(&g->opts.timeout_ms, g->timeout) < 0)
		return ga_cli_usage_error(cmd, "--timeout: %s",
		                          ga_error_last()->message);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	g->opts.cancel = &cancel_flag;
	return GA_EXIT_OK;
}

int ga_cli_git_fetch(ga_git_mirror **m, ga_git_result *res, ga_cli_git *g,
                     const char *cmd)
{
	if (ga_git_mirror_open(m, &g->opts) < 0 ||
	    ga_git_fetch(res, *m, &g->ref) < 0)
		return ga_cli_fail(cmd);
	return GA_EXIT_OK;
}
