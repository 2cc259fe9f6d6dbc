/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for SSH signatures (lib/verify/sshsig.c, sshkey.c): the
 * input is parsed as armored text and, base64-armored by us, as a raw
 * sshsig blob, so mutations reach the binary fields too.  Whatever parses
 * is verified over a fixed message, which drives the key and signature
 * decoders and the primitives.  Invariants, each aborting on a violation:
 * parse errors are GA_EINVALID, GA_EUNSUPPORTED or GA_ELIMIT; verify
 * errors are GA_EVERIFY, GA_EUNSUPPORTED or GA_EINVALID; every error has a
 * message; a parsed signature's fields lie inside its blob.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "util/base64.h"
#include "verify/ssh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "sshsig fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void inside(const ga_sshsig *sig, ga_ssh_str s)
{
	const unsigned char *b = (const unsigned char *)sig->blob.ptr;

	if (s.p < b || s.p + s.len > b + sig->blob.size)
		fuzz_fail("a field outside the blob");
}

static void run(const char *text, size_t len)
{
	ga_sshsig sig = GA_SSHSIG_INIT;
	int err = ga_sshsig_parse(&sig, text, len);

	if (err != 0) {
		if (err != GA_EINVALID && err != GA_EUNSUPPORTED &&
		    err != GA_ELIMIT)
			fuzz_fail("unexpected parse error code");
		if (!ga_error_last()->message[0])
			fuzz_fail("a parse error without a message");
		ga_sshsig_dispose(&sig);
		return;
	}
	inside(&sig, sig.pubkey);
	inside(&sig, sig.nspace);
	inside(&sig, sig.hash_alg);
	inside(&sig, sig.signature);
	err = ga_sshsig_verify(&sig, "payload\n", 8, "git");
	if (err != 0 && err != GA_EVERIFY && err != GA_EUNSUPPORTED &&
	    err != GA_EINVALID)
		fuzz_fail("unexpected verify error code");
	if (err != 0 && !ga_error_last()->message[0])
		fuzz_fail("a verify error without a message");
	ga_sshsig_dispose(&sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf armored = GA_BUF_INIT(4 * size + 128);

	run((const char *)data, size);
	(void)ga_buf_puts(&armored, "-----BEGIN SSH SIGNATURE-----\n");
	(void)ga_base64_encode(&armored, data, size, true);
	(void)ga_buf_puts(&armored, "\n-----END SSH SIGNATURE-----\n");
	if (armored.err == 0)
		run(armored.ptr, armored.size);
	ga_buf_dispose(&armored);
	ga_error_clear();
	return 0;
}
