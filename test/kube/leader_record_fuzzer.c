/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the leader elector's Lease record decoder
 * (lib/kube/leader.c), which reads what the API server says about the
 * Lease.  Any JSON object must decode to a record whose strings fit their
 * buffers and whose numbers lie in 0..INT32_MAX, or be refused with
 * GA_EINVALID and a message; a decoded record equals itself.  A broken
 * invariant aborts, which the fuzzer and the replay test both report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "kube/leader_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "leader_record fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_str(const char *s, size_t cap)
{
	if (strnlen(s, cap) >= cap)
		fuzz_fail("a string overran its buffer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_leader__record r;
	ga_node *n = NULL;
	int err;

	if (ga_json_parse(&n, (const char *)data, size, "fuzz") < 0) {
		ga_error_clear();
		return 0;
	}
	ga_error_clear();
	err = ga_leader__decode(&r, n);
	if (err == 0) {
		check_str(r.holder, sizeof(r.holder));
		check_str(r.acquire, sizeof(r.acquire));
		check_str(r.renew, sizeof(r.renew));
		if (r.lease_s < 0 || r.lease_s > INT32_MAX ||
		    r.transitions < 0 || r.transitions > INT32_MAX)
			fuzz_fail("a number out of range");
		if (!ga_leader__same(&r, &r))
			fuzz_fail("a record differs from itself");
	} else if (err != GA_EINVALID || !ga_error_last()->message[0]) {
		fuzz_fail("a refusal without GA_EINVALID and a message");
	}
	ga_node_free(n);
	ga_error_clear();
	return 0;
}
