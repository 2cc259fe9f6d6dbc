/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent verify-object --keys DIR [--allowed-signers FILE] FILE`:
 * check the signature of a raw Git commit or tag (as `git cat-file commit
 * X` prints it) against the allowed keys, and print who signed it or why
 * it is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/verify.h"
#include "verifyopts.h"

const char ga_cmd_verify_help[] =
    "usage: gitops-agent verify-object [--keys DIR] [--allowed-signers FILE]\n"
    "                                  [--sha256] FILE\n"
    "\n"
    "Check the signature of the raw Git commit or tag object in FILE (`-`\n"
    "for standard input), as `git cat-file commit|tag X` prints it.  On\n"
    "success print \"OK\", the signature kind, the signing key and the\n"
    "signer; otherwise print the reason (Unsigned, UnknownKey,\n"
    "BadSignature, ExpiredKey, RevokedKey, Malformed, Unsupported) first.\n"
    "\n"
    "Options:\n"
    "  --keys DIR             allowed keys: *.asc and *.gpg OpenPGP public\n"
    "                         keys, *.pub SSH keys (authorized_keys lines)\n"
    "  --allowed-signers FILE SSH keys bound to principals, in the format of\n"
    "                         git's gpg.ssh.allowedSignersFile\n"
    "  --sha256               the object is from a SHA-256 repository\n"
    "\n"
    "At least one of --keys and --allowed-signers is required.\n";

typedef struct verify_args {
	const char *keys_dir;
	const char *signers;
	const char *file;
	ga_git_hash hash;
} verify_args;

static int parse_args(int argc, char **argv, verify_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "--keys") == 0 && i + 1 < argc)
			a->keys_dir = argv[++i];
		else if (strcmp(o, "--allowed-signers") == 0 && i + 1 < argc)
			a->signers = argv[++i];
		else if (strcmp(o, "--sha256") == 0)
			a->hash = GA_GIT_SHA256;
		else if (o[0] == '-' && o[1])
			return ga_cli_usage_error("verify-object",
			                          "unknown option or missing "
			                          "value: '%s'",
			                          o);
		else if (a->file)
			return ga_cli_usage_error(
			    "verify-object", "unexpected argument '%s'", o);
		else
			a->file = o;
	}
	if (!a->file)
		return ga_cli_usage_error("verify-object", "missing FILE");
	if (!a->keys_dir && !a->signers)
		return ga_cli_usage_error("verify-object",
		                          "give --keys or --allowed-signers");
	return GA_EXIT_OK;
}

static int read_stdin(ga_buf *out)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			ga_error_set_os(errno, "reading standard input");
			return GA_EIO;
		}
		if (ga_buf_put(out, chunk, (size_t)n) < 0) {
			ga_error_set(GA_ERRCLASS_VERIFY,
			             "standard input: object exceeds %zu bytes",
			             out->max);
			return GA_ELIMIT;
		}
	}
	return 0;
}

static const char *format_name(ga_sig_format f)
{
	return f == GA_SIG_OPENPGP ? "openpgp" : f == GA_SIG_SSH ? "ssh" : "-";
}

static int run(const verify_args *a)
{
	ga_verify_opts opts = GA_VERIFY_OPTS_INIT;
	ga_buf obj = GA_BUF_INIT(GA_VERIFY_OBJECT_MAX);
	ga_verify_keys *keys = NULL;
	ga_verify_result res;
	int err, code = GA_EXIT_FAILURE;

	opts.hash = a->hash;
	if ((err = ga_cli_load_keys(&keys, a->keys_dir, a->signers)) < 0)
		goto out;
	err = !a->file || strcmp(a->file, "-") == 0
	          ? read_stdin(&obj)
	          : ga_file_read(&obj, a->file);
	if (err < 0)
		goto out;
	if (ga_verify_object(&res, keys, obj.ptr, obj.size, &opts) < 0) {
		(void)printf("%s\n", ga_error_last()->message);
		goto out;
	}
	(void)printf("OK %s %s %s\n", format_name(res.format), res.key,
	             res.signer);
	code = GA_EXIT_OK;
out:
	if (err < 0)
		code = ga_cli_fail("verify-object");
	ga_verify_keys_free(keys);
	ga_buf_dispose(&obj);
	return code;
}

int ga_cmd_verify(int argc, char **argv)
{
	verify_args a = {NULL, NULL, NULL, GA_GIT_SHA1};
	int code;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(ga_cmd_verify_help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(argc, argv, &a)) != GA_EXIT_OK)
		return code;
	return run(&a);
}
