/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for allowed-signers files and authorized_keys-style lines
 * (lib/verify/signers.c).  The input is parsed both ways.  Invariants,
 * each aborting on a violation: errors are GA_EINVALID, GA_EUNSUPPORTED
 * or GA_ELIMIT with a message, and add nothing; every parsed key is a
 * non-empty blob no larger than GA_SSH_KEY_MAX that starts with an SSH
 * string; principals exist exactly for allowed-signers lines.
 * Principals and namespaces also run through the pattern matcher.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ga/error.h"
#include "verify/ssh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "allowed_signers fuzzer: %s (last error \"%s\")\n",
	        what, ga_error_last()->message);
	abort();
}

static void check_signer(const ga_ssh_signer *s, bool with_principals)
{
	ga_ssh_reader r = {s->key, s->key_len};
	ga_ssh_str type;

	if (!s->key || !s->key_len || s->key_len > GA_SSH_KEY_MAX)
		fuzz_fail("key of impossible size");
	if (ga_ssh__read_string(&r, &type) != 0 || !type.len)
		fuzz_fail("key without a type");
	if ((s->principals != NULL) != with_principals)
		fuzz_fail("principals where none belong");
	if (s->principals)
		(void)ga_ssh__match_list("user@example.com", s->principals);
	if (s->nspaces)
		(void)ga_ssh__match_list("git", s->nspaces);
}

static void run(const uint8_t *data, size_t size, bool with_principals)
{
	ga_ssh_signers list = {0};
	int err = ga_ssh__parse_signers(&list, (const char *)data, size, "fuzz",
	                                with_principals);

	if (err != 0) {
		if (err != GA_EINVALID && err != GA_EUNSUPPORTED &&
		    err != GA_ELIMIT)
			fuzz_fail("unexpected error code");
		if (!ga_error_last()->message[0])
			fuzz_fail("an error without a message");
		if (list.n)
			fuzz_fail("a failed parse added keys");
	}
	for (size_t i = 0; i < list.n; i++)
		check_signer(&list.v[i], with_principals);
	ga_ssh__signers_dispose(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, true);
	run(data, size, false);
	ga_error_clear();
	return 0;
}
