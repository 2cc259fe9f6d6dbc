/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for armored OpenPGP input as it reaches librnp through
 * lib/pgp/: the input is checked as a detached signature over a fixed
 * payload against a keyring holding one real key, and imported as a key
 * blob into an empty keyring.  Invariants, each aborting on a violation:
 * verification returns 0 with a reason from the OpenPGP set, or
 * GA_EINVALID/GA_ERROR with a message; an import returns 0 or GA_EINVALID
 * or GA_ELIMIT with a message.  librnp itself is the code under test for
 * the packet parsing; this target checks our handling of whatever it says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ga/error.h"
#include "pgp/pgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The public key of test/unit/verify/good.asc. */
static const char key[] =
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
    "\n"
    "mDMEawmWXxYJKwYBBAHaRw8BAQdAyje6UKJZctrmMFltl4PpTHW86pM6ubmkb7xh\n"
    "0gx8UA60Hkdvb2QgU2lnbmVyIDxnb29kQGV4YW1wbGUuY29tPoiQBBMWCAA4FiEE\n"
    "ZbdY6jmDlStGVFhdsVYMizLaxtYFAmsJll8CGwMFCwkIBwIGFQoJCAsCBBYCAwEC\n"
    "HgECF4AACgkQsVYMizLaxtbY8wEArNPvDbjuzZP1sFnAjWghyj7E4aWXBl1Hv60r\n"
    "VFcri/oBALebxXHSgc1o7ceLCMcz/LsKCMLhutELnULf3A1aS9oF\n"
    "=KP+f\n"
    "-----END PGP PUBLIC KEY BLOCK-----\n";

static ga_pgp *keyring;

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "pgp fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_verify(const uint8_t *data, size_t size)
{
	ga_verify_result res = {0};
	int err = ga_pgp_verify(keyring, "payload\n", 8, data, size, 1700000000,
	                        &res);

	if (err == 0) {
		if (res.reason != GA_VERIFY_OK &&
		    res.reason != GA_VERIFY_UNKNOWN_KEY &&
		    res.reason != GA_VERIFY_BAD_SIGNATURE &&
		    res.reason != GA_VERIFY_EXPIRED_KEY &&
		    res.reason != GA_VERIFY_REVOKED_KEY)
			fuzz_fail("a reason outside the OpenPGP set");
		return;
	}
	if (err != GA_EINVALID && err != GA_ERROR)
		fuzz_fail("unexpected verify error code");
	if (!ga_error_last()->message[0])
		fuzz_fail("a verify error without a message");
}

static void check_import(const uint8_t *data, size_t size)
{
	ga_pgp *empty = NULL;
	int err;

	if (ga_pgp_new(&empty) != 0)
		fuzz_fail("cannot create a keyring");
	err = ga_pgp_import(empty, data, size, "fuzz");
	if (err != 0 && err != GA_EINVALID && err != GA_ELIMIT)
		fuzz_fail("unexpected import error code");
	if (err != 0 && !ga_error_last()->message[0])
		fuzz_fail("an import error without a message");
	ga_pgp_free(empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!keyring &&
	    (ga_pgp_new(&keyring) != 0 ||
	     ga_pgp_import(keyring, key, sizeof(key) - 1, "good.asc") != 0))
		fuzz_fail("cannot load the fixed key");
	check_verify(data, size);
	check_import(data, size);
	ga_error_clear();
	return 0;
}
