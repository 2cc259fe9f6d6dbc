/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line options of the Git source, shared by `fetch` and
 * `build --git-url`.
 */
#ifndef GA_AGENT_GITOPTS_H
#define GA_AGENT_GITOPTS_H

#include <stdbool.h>

#include "ga/git.h"
#include "ga/gitverify.h"
#include "verifyopts.h"

typedef struct ga_cli_git {
	const char *url_flag; /* "--url" or "--git-url" */
	ga_git_opts opts;
	ga_git_ref ref;
	const char *timeout;
	ga_cli_verify verify;
	char cache_buf[4096];
} ga_cli_git;

/* The help lines of the shared options. */
#define GA_CLI_GIT_OPTIONS_HELP                                                \
	"  --branch B           the tip of branch B\n"                         \
	"  --tag T              tag T (peeled to its commit)\n"                \
	"  --semver RANGE       the highest tag matching RANGE (e.g. "         \
	"'>=1.2 <2')\n"                                                        \
	"  --commit SHA         a commit (40 hex digits) reachable from the "  \
	"remote's\n"                                                           \
	"                       branches or tags\n"                            \
	"  --cache DIR          mirror directory (default "                    \
	"$XDG_CACHE_HOME/gitops-agent/git\n"                                   \
	"                       or ~/.cache/gitops-agent/git)\n"               \
	"  --ssh-key FILE       ssh://: private key\n"                         \
	"  --ssh-passphrase-file F  ssh://: the key's passphrase\n"            \
	"  --known-hosts FILE   ssh://: known_hosts; unknown or changed host " \
	"keys are\n"                                                           \
	"                       refused\n"                                     \
	"  --token-file F       http(s)://: bearer token\n"                    \
	"  --username U --password-file F  http(s)://: basic auth\n"           \
	"  --ca-file F          https://: PEM CA bundle to trust instead of "  \
	"the system's\n"                                                       \
	"  --timeout DUR        network deadline, e.g. 30s (default 60s)\n"

/*
 * Take argv[*i] (and its value) when it is a Git option; *@used says
 * whether it was.  Returns GA_EXIT_OK or GA_EXIT_USAGE (message printed).
 */
int ga_cli_git_arg(ga_cli_git *g, const char *cmd, int argc, char **argv,
                   int *i, bool *used);

/* Check the options and fill in defaults.  GA_EXIT_OK or GA_EXIT_USAGE. */
int ga_cli_git_finish(ga_cli_git *g, const char *cmd);

/*
 * Open the mirror, poll it and verify what it selected when keys were
 * given (otherwise log a warning that nothing is verified).  @res->commit
 * and @res->revision are what the caller may use: set on success only.
 * Returns GA_EXIT_OK or GA_EXIT_FAILURE (the reason printed).
 */
int ga_cli_git_fetch(ga_git_mirror **m, ga_gitverify_result *res, ga_cli_git *g,
                     const char *cmd);

/* Release what the options hold (the loaded keys). */
void ga_cli_git_dispose(ga_cli_git *g);

#endif
