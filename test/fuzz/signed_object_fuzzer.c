/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for cutting Git commits and tags into payload and signature
 * (lib/verify/object.c).  The input is parsed as either object format.
 * Invariants checked, each aborting on a violation:
 *
 *  - errors are GA_EINVALID or GA_ELIMIT and leave a message;
 *  - the format is GA_SIG_NONE exactly when the signature is empty;
 *  - a tag's payload and signature are the input, split in two;
 *  - a commit's payload and signature are no longer than the input, and
 *    the payload parses again, unsigned and unchanged (git's header
 *    removal is idempotent).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "signed_object fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_commit(const ga_signed_object *o, size_t size,
                         ga_git_hash hash)
{
	ga_signed_object again = GA_SIGNED_OBJECT_INIT;

	if (o->payload.size > size || o->signature.size > size)
		fuzz_fail("commit parts longer than the object");
	if (ga_signed_object_parse(&again, o->payload.ptr, o->payload.size,
	                           GA_GIT_COMMIT, hash) != 0)
		fuzz_fail("a commit payload does not parse");
	if (again.format != GA_SIG_NONE ||
	    again.payload.size != o->payload.size ||
	    memcmp(again.payload.ptr, o->payload.ptr, o->payload.size) != 0)
		fuzz_fail("removing the signature is not idempotent");
	ga_signed_object_dispose(&again);
}

static void check_tag(const ga_signed_object *o, const uint8_t *data,
                      size_t size)
{
	if (o->payload.size + o->signature.size != size ||
	    memcmp(o->payload.ptr, data, o->payload.size) != 0 ||
	    (o->signature.size &&
	     memcmp(o->signature.ptr, data + o->payload.size,
	            o->signature.size) != 0))
		fuzz_fail("a tag is not payload followed by signature");
}

static void run(const uint8_t *data, size_t size, ga_git_hash hash)
{
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;
	int err = ga_signed_object_parse(&o, (const char *)data, size,
	                                 GA_GIT_ANY, hash);

	if (err != 0) {
		if (err != GA_EINVALID && err != GA_ELIMIT)
			fuzz_fail("unexpected error code");
		if (!ga_error_last()->message[0])
			fuzz_fail("an error without a message");
		ga_signed_object_dispose(&o);
		return;
	}
	if ((o.format == GA_SIG_NONE) != (o.signature.size == 0))
		fuzz_fail("format and signature disagree");
	if (o.kind == GA_GIT_TAG)
		check_tag(&o, data, size);
	else
		check_commit(&o, size, hash);
	ga_signed_object_dispose(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, GA_GIT_SHA1);
	run(data, size, GA_GIT_SHA256);
	ga_error_clear();
	return 0;
}
