/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the YAML parser and emitter.  Besides "no crash, no leak,
 * no sanitizer report", it checks a property kubectl's own output has:
 * printing is idempotent, i.e. parsing what we printed and printing it again
 * gives the same bytes.  Limits are small so that the fuzzer explores
 * structure rather than size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/node.h"
#include "ga/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int print(ga_buf *out, const char *text, size_t len,
                 const ga_yaml_opts *lim)
{
	ga_node *docs = NULL;
	int err = ga_yaml_parse(&docs, text, len, "fuzz", lim);

	if (!err)
		err = ga_yaml_emit_stream(out, docs);
	ga_node_free(docs);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_yaml_opts lim = {1u << 20, 64, 20000, GA_YAML_RESOURCES};
	ga_buf first = GA_BUF_INIT(8u << 20);
	ga_buf second = GA_BUF_INIT(8u << 20);

	if (print(&first, (const char *)data, size, &lim) == 0) {
		/* Our own output may expand aliases: allow it more nodes. */
		lim.max_nodes *= 4;
		lim.max_bytes = second.max;
		if (print(&second, ga_buf_cstr(&first), first.size, &lim) !=
		        0 ||
		    second.size != first.size ||
		    memcmp(ga_buf_cstr(&first), ga_buf_cstr(&second),
		           first.size) != 0)
			abort();
	}
	ga_buf_dispose(&first);
	ga_buf_dispose(&second);
	return 0;
}
