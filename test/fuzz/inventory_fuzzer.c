/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the inventory decoder (lib/apply/inventory_decode.c),
 * which reads ConfigMaps anyone with write access to the agent's
 * namespace could have changed.  The first byte picks what the rest is:
 *
 *  'P'  the payload text: it is compressed, checksummed and wrapped in a
 *       correct ConfigMap, so the line and ID parsers see it directly;
 *  'Z'  a zlib stream, wrapped with a checksum that cannot match, so the
 *       inflate path and its cap see arbitrary bytes;
 *  else the whole input is YAML (or JSON) of the ConfigMaps themselves.
 *
 * Invariants, each aborting on a violation: errors are the documented
 * codes with a message; a decoded inventory encodes and decodes again to
 * the same entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress/compress.h"
#include "ga/apply.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "util/base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "inventory fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_round_trip(const ga_inventory *inv)
{
	const ga_inventory_opts small = {32, 2};
	ga_node *cms = NULL;
	ga_inventory *back = NULL;

	if (ga_inventory_encode(&cms, inv, "inv", "ns", &small) != 0 ||
	    ga_inventory_decode(&back, cms) != 0)
		fuzz_fail("a decoded inventory does not round-trip");
	if (ga_inventory_count(back) != ga_inventory_count(inv))
		fuzz_fail("the round trip changed the entry count");
	for (size_t i = 0; i < ga_inventory_count(inv); i++)
		if (strcmp(ga_inventory_id(back, i), ga_inventory_id(inv, i)) !=
		        0 ||
		    strcmp(ga_inventory_get(back, i)->version,
		           ga_inventory_get(inv, i)->version) != 0)
			fuzz_fail("the round trip changed an entry");
	ga_inventory_free(back);
	ga_node_free(cms);
}

static void decode(const ga_node *cms)
{
	ga_inventory *inv = NULL;
	int err = ga_inventory_decode(&inv, cms);

	if (err != 0 && err != GA_EINVALID && err != GA_EUNSUPPORTED &&
	    err != GA_EVERIFY && err != GA_ELIMIT)
		fuzz_fail("unexpected error code");
	if (err != 0 && (inv || !ga_error_last()->message[0]))
		fuzz_fail("a failed decode left state or no message");
	if (err == 0)
		check_round_trip(inv);
	ga_inventory_free(inv);
}

/* One ConfigMap around the compressed bytes @z; @text for the checksum. */
static void wrap(const ga_buf *z, const uint8_t *text, size_t len,
                 size_t entries)
{
	ga_buf b64 = GA_BUF_INIT((size_t)64 << 20);
	ga_buf y = GA_BUF_INIT((size_t)64 << 20);
	unsigned char d[GA_SHA256_LEN];
	char hex[GA_SHA256_HEX_SIZE];
	ga_node *docs = NULL;

	if (ga_base64_encode(&b64, (const unsigned char *)z->ptr, z->size,
	                     true) < 0 ||
	    ga_sha256(d, len ? text : (const uint8_t *)"", len) < 0)
		goto out;
	ga_hex(hex, d, sizeof(d));
	(void)ga_buf_printf(&y,
	                    "kind: ConfigMap\ndata: {format: "
	                    "gitops-agent.inventory/v1, part: '0', parts: '1', "
	                    "entries: '%zu', sha256: %s}\nbinaryData: "
	                    "{inventory.000: '%s'}\n",
	                    entries, hex, ga_buf_cstr(&b64));
	if (ga_yaml_parse(&docs, y.ptr, y.size, "fuzz", NULL) == 0)
		decode(ga_node_list_get(docs, 0));
out:
	ga_node_free(docs);
	ga_buf_dispose(&b64);
	ga_buf_dispose(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf z = GA_BUF_INIT((size_t)64 << 20);
	ga_node *docs = NULL;
	size_t lines = 0;

	if (size > 0 && data[0] == 'P') {
		for (size_t i = 1; i < size; i++)
			lines += data[i] == '\n';
		if (ga_compress__deflate(&z, data + 1, size - 1) == 0)
			wrap(&z, data + 1, size - 1, lines);
	} else if (size > 0 && data[0] == 'Z') {
		if (ga_buf_put(&z, data + 1, size - 1) == 0)
			wrap(&z, data, 0, 0);
	} else if (ga_yaml_parse(&docs, (const char *)data, size, "fuzz",
	                         NULL) == 0 &&
	           ga_node_count(docs) > 0) {
		decode(ga_node_count(docs) == 1 ? ga_node_list_get(docs, 0)
		                                : docs);
	}
	ga_node_free(docs);
	ga_buf_dispose(&z);
	ga_error_clear();
	return 0;
}
