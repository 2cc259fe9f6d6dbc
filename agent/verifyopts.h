/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line options of verified fetch (ga/gitverify.h), shared by
 * `fetch` and `build --git-url`, and the key loading shared with
 * `verify-object`.
 */
#ifndef GA_AGENT_VERIFYOPTS_H
#define GA_AGENT_VERIFYOPTS_H

#include <stdbool.h>

#include "ga/gitverify.h"
#include "ga/verify.h"

typedef struct ga_cli_verify {
	const char *mode;     /* --verify-mode, NULL: range */
	const char *keys_dir; /* --verify-keys */
	const char *signers;  /* --allowed-signers */
	ga_gitverify_opts opts;
	ga_verify_keys *keys; /* loaded by ga_cli_verify_fetch() */
} ga_cli_verify;

/* The help lines of the verification options. */
#define GA_CLI_VERIFY_OPTIONS_HELP                                             \
	"  --verify-keys DIR    verify signatures against the keys in DIR:\n"  \
	"                       *.asc, *.gpg OpenPGP public keys, *.pub SSH "  \
	"keys\n"                                                               \
	"  --allowed-signers FILE  SSH keys bound to principals (git's\n"      \
	"                       gpg.ssh.allowedSignersFile format)\n"          \
	"  --verify-mode MODE   what must be signed by an allowed key:\n"      \
	"                       head: the selected commit;\n"                  \
	"                       tag: the annotated tag (a lightweight tag "    \
	"is Unsigned);\n"                                                      \
	"                       tag-and-head: both;\n"                         \
	"                       range (default): every commit since --since "  \
	"(merge\n"                                                             \
	"                       commits and the commits they merge all "       \
	"count), and\n"                                                        \
	"                       the new commit must descend from --since; "    \
	"without\n"                                                            \
	"                       --since, the selected commit alone.  At "      \
	"most 1000\n"                                                          \
	"                       commits; a longer range is refused "           \
	"(RangeTooLong)\n"                                                     \
	"  --since SHA          range: the last applied commit\n"              \
	"  --allow-non-fast-forward  range: accept a rollback or a rewritten " \
	"history\n"                                                            \
	"                       (the new commits are still verified)\n"        \
	"\n"                                                                   \
	"Without --verify-keys or --allowed-signers nothing is verified (a "   \
	"warning\n"                                                            \
	"is logged).  On a verification failure the command prints nothing "   \
	"on\n"                                                                 \
	"standard output and exits 1 with the reason (Unsigned, UnknownKey,\n" \
	"BadSignature, ExpiredKey, RevokedKey, Malformed, Unsupported,\n"      \
	"NonFastForward, RangeTooLong) and the offending commit or tag on "    \
	"standard\n"                                                           \
	"error: the last verified revision stays the one to use.\n"

/*
 * Take argv[*i] (and its value) when it is a verification option; *@used
 * says whether it was.  Returns GA_EXIT_OK or GA_EXIT_USAGE (printed).
 */
int ga_cli_verify_arg(ga_cli_verify *v, const char *cmd, int argc, char **argv,
                      int *i, bool *used);

/* True when any verification option was given. */
bool ga_cli_verify_given(const ga_cli_verify *v);

/* True when keys were given, so verification is on. */
bool ga_cli_verify_on(const ga_cli_verify *v);

/* Check the combination and fill in the mode.  GA_EXIT_OK or _USAGE. */
int ga_cli_verify_finish(ga_cli_verify *v, const char *cmd);

/*
 * Load the keys of --verify-keys DIR and --allowed-signers FILE (either
 * may be NULL) into a new key set.  Returns 0 or a library error (set).
 */
int ga_cli_load_keys(ga_verify_keys **out, const char *dir,
                     const char *signers);

/* Free the loaded keys. */
void ga_cli_verify_dispose(ga_cli_verify *v);

#endif
