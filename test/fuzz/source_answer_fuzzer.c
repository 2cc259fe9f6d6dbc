/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the source process's answer (agent/source_answer.c),
 * which the agent reads from the child that parsed the vendor's Git data.
 * Any input must be refused with a message, or read into a result that,
 * written again with its YAML, reads back to the same result.  A broken
 * invariant aborts, which the fuzzer and the replay test both report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/source.h"
#include "ga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "source_answer fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_same(const ga_source_result *a, const ga_source_result *b)
{
	if (a->failed != b->failed || a->verdict != b->verdict ||
	    a->stage != b->stage || strcmp(a->reason, b->reason) != 0 ||
	    strcmp(a->message, b->message) != 0 ||
	    strcmp(a->polled, b->polled) != 0 ||
	    strcmp(a->revision, b->revision) != 0 ||
	    strcmp(a->commit, b->commit) != 0 ||
	    strcmp(a->signer, b->signer) != 0 ||
	    strcmp(a->built, b->built) != 0 || a->yaml.size != b->yaml.size ||
	    (a->yaml.size &&
	     memcmp(a->yaml.ptr, b->yaml.ptr, a->yaml.size) != 0) ||
	    memcmp(a->ms, b->ms, sizeof(a->ms)) != 0)
		fuzz_fail("the answer changed when written and read again");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_source_result res, again;
	ga_buf in = GA_BUF_INIT(size + 1), out = GA_BUF_INIT(2 * size + 65536);

	memset(&res, 0, sizeof(res));
	memset(&again, 0, sizeof(again));
	if (ga_buf_put(&in, data, size) < 0)
		fuzz_fail("input buffer");
	if (ga_source_answer_read(&res, &in) < 0) {
		if (!ga_error_last()->message[0])
			fuzz_fail("refused without a message");
		ga_error_clear();
		goto out;
	}
	/* Strings were cut at their field's size and may have lost valid
	 * UTF-8 at the cut: the JSON writer then replaces it, so compare
	 * what a second round gives with the first round's. */
	if (ga_source_answer_write(&res, &out) < 0 ||
	    ga_buf_put(&out, res.yaml.ptr ? res.yaml.ptr : "", res.yaml.size) <
	        0 ||
	    ga_source_answer_read(&again, &out) < 0)
		fuzz_fail("a result read does not write and read again");
	ga_source_result_dispose(&res);
	res = again;
	memset(&again, 0, sizeof(again));
	out = (ga_buf)GA_BUF_INIT(2 * size + 65536);
	if (ga_source_answer_write(&res, &out) < 0 ||
	    ga_buf_put(&out, res.yaml.ptr ? res.yaml.ptr : "", res.yaml.size) <
	        0 ||
	    ga_source_answer_read(&again, &out) < 0)
		fuzz_fail("the second round failed");
	check_same(&res, &again);
out:
	ga_source_result_dispose(&res);
	ga_source_result_dispose(&again);
	ga_buf_dispose(&in);
	ga_buf_dispose(&out);
	return 0;
}
