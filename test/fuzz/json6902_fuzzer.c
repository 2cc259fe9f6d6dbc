/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for JSON 6902 patches (lib/kustomize/json6902*.c).  The input
 * is a patch text (JSON or YAML), a NUL byte, then the object as YAML; with
 * no NUL the whole input is the patch and a small built-in object is
 * patched.  Besides "no crash, no leak, no sanitizer report" it checks the
 * all-or-nothing contract: a failed application leaves the object exactly
 * as it was, and a successful one leaves an object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/node.h"
#include "ga/yaml.h"
#include "kustomize/json6902.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char default_doc[] =
    "apiVersion: v1\nkind: Thing\nmetadata:\n  name: obj\n"
    "spec:\n  a: 1\n  f: 1.5\n  s: hello\n  n: null\n  l: [x, {k: [1]}]\n"
    "  m: {k: v, x/y: 1, x~y: 2}\n  e: {}\n";

static ga_node *load_doc(const char *text, size_t len)
{
	ga_yaml_opts lim = {1u << 16, 32, 5000, GA_YAML_RESOURCES};
	ga_node *docs = NULL, *doc = NULL;

	if (ga_yaml_parse(&docs, text, len, "doc", &lim) == 0 &&
	    ga_node_count(docs) > 0 &&
	    ga_node_type_of(ga_node_list_get(docs, 0)) == GA_NODE_MAP)
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t plen = nul ? (size_t)(nul - text) : size;
	ga_node *ops = NULL, *doc = NULL, *before = NULL;
	ga_buf out = GA_BUF_INIT(8u << 20);

	if (plen > (1u << 16))
		return 0;
	doc = nul ? load_doc(nul + 1, size - plen - 1)
	          : load_doc(default_doc, sizeof(default_doc) - 1);
	if (!doc || ga_kust__json6902_parse(&ops, text, plen, "fuzz") != 0 ||
	    ga_node_clone(&before, doc) != 0)
		goto out;
	if (ga_kust__json6902_apply(&doc, ops, "fuzz") != 0) {
		/* A NaN in the object is unequal to itself: skip those. */
		if (!ga_node_equal(before, doc) &&
		    ga_node_equal(before, before))
			abort();
	} else {
		if (ga_node_type_of(doc) != GA_NODE_MAP)
			abort();
		/* Patched objects print like any other (NaN cannot come from a
		 * patch, but may from the object). */
		(void)ga_yaml_emit(&out, doc);
		/* Parsed operations are reusable. */
		(void)ga_kust__json6902_apply(&before, ops, "again");
	}
out:
	ga_buf_dispose(&out);
	ga_node_free(before);
	ga_node_free(ops);
	ga_node_free(doc);
	return 0;
}
