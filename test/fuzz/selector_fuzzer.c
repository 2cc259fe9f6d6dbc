/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for label-selector parsing and matching.
 */
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/node.h"
#include "kustomize/selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_kust_selector *sel = NULL;
	ga_node *labels = NULL, *v = NULL;
	char *text = ga_malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ga_kust__selector_parse(&sel, text) == 0 &&
	    ga_node_new_map(&labels) == 0 &&
	    ga_node_new_string(&v, "web", 3) == 0) {
		(void)ga_node_map_set_take(labels, "app", v);
		(void)ga_kust__selector_matches(sel, labels);
		(void)ga_kust__selector_matches(sel, NULL);
	}
	ga_node_free(labels);
	ga_kust__selector_free(sel);
	ga_free(text);
	return 0;
}
