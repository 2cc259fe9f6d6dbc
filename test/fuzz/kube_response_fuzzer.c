/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for what the Kubernetes API answers: a watch stream fed to
 * the client's consumer in two pieces split where the first byte says
 * (lines cut across reads), and the same bytes as the body of an error
 * answer (a Status, or not).  Every event handed over must have an
 * object; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "kube/kube_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_event(void *payload, ga_kube_event_type type, const ga_node *obj)
{
	unsigned *n = payload;

	if (!obj || type > GA_KUBE_BOOKMARK)
		abort();
	return ++*n >= 64; /* a handler that stops, sometimes */
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
	ga_error_clear();
	return 0;
}
