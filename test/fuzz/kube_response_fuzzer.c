/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for what the Kubernetes API answers: a watch stream fed to
 * the client's consumer in two pieces split where the first byte says
 * (lines cut across reads), and the same bytes as the body of an error
 * answer (a Status, or not) and as a LIST page.  Every event handed over must
 * have an object; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "kube/kube_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_event(void *payload, ga_kube_event_type type, const ga_node *obj)
{
	unsigned *n = payload;

	if (!obj || type > GA_KUBE_BOOKMARK)
		abort();
	return ++*n >= 64; /* a handler that stops, sometimes */
}

/* The bytes as a LIST page: every item kept is an object with the
 * kind's apiVersion and kind. */
static void list_page(const uint8_t *data, size_t size)
{
	ga_node *page = NULL, *items = NULL;

	if (ga_json_parse(&page, (const char *)data, size, "fuzz") == 0 &&
	    ga_node_new_list(&items) == 0 &&
	    ga_kube__take_items(items, page, "v1", "ConfigMap") == 0) {
		for (size_t i = 0; i < ga_node_count(items); i++) {
			const ga_node *kind =
			    ga_node_map_get(ga_node_list_get(items, i), "kind");
			if (!kind ||
			    strcmp(ga_node_str(kind), "ConfigMap") != 0)
				abort();
		}
	}
	ga_node_free(items);
	ga_node_free(page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char rv[GA_KUBE_RV_MAX];
	ga_kube__watch w;
	unsigned n = 0;
	size_t cut;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	data++, size--;
	if (cut > size)
		cut = size;
	ga_kube__watch_init(&w, on_event, &n, "fuzz", rv);
	rv[0] = '\0';
	if (ga_kube__watch_data(&w, (const char *)data, cut) == 0)
		(void)ga_kube__watch_data(&w, (const char *)data + cut,
		                          size - cut);
	ga_buf_dispose(&w.line);
	if (w.err > 0 || !memchr(rv, '\0', sizeof(rv)))
		abort();
	(void)ga_kube__status_error(400 + (long)(cut % 200), (const char *)data,
	                            size, "fuzz");
	list_page(data, size);
	ga_error_clear();
	return 0;
}
