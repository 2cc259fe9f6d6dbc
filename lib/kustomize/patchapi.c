/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public face of the build's patch engines (ga/kustomize.h): thin
 * wrappers, so that another program patches objects exactly as
 * ga_kust_build() does without reaching into the internal headers.  The
 * build itself calls the internal functions; nothing here changes what
 * it prints.
 */
#include "ga/kustomize.h"

#include <string.h>

#include "ga/error.h"
#include "json6902.h"
#include "mergekeys.h"
#include "smp.h"

int ga_kust_smp_apply(ga_node **obj, const ga_node *patch)
{
	return ga_kust__smp_apply_server(obj, patch);
}

int ga_kust_json6902_parse(ga_node **ops, const char *text, size_t len)
{
	if (!ops || !text) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "json patch: missing argument");
		return GA_EINVALID;
	}
	return ga_kust__json6902_parse(ops, text, len, NULL);
}

int ga_kust_json6902_apply(ga_node **obj, const ga_node *ops)
{
	if (!obj || !*obj || !ops) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "json patch: missing argument");
		return GA_EINVALID;
	}
	return ga_kust__json6902_apply(obj, ops, NULL);
}

const ga_kust_schema_at *ga_kust_schema_root(const char *apiversion,
                                             const char *kind)
{
	if (!apiversion || !kind)
		return NULL;
	return ga_kust__mk_root(apiversion, strlen(apiversion), kind,
	                        strlen(kind));
}

const ga_kust_schema_at *ga_kust_schema_child(const ga_kust_schema_at *at,
                                              const char *name)
{
	if (!at)
		return NULL;
	if (!name)
		return ga_kust__mk_items(at);
	return ga_kust__mk_field(at, name, strlen(name));
}

ga_kust_list_kind ga_kust_schema_list(const ga_kust_schema_at *at,
                                      const char *keys[2], size_t *nkeys)
{
	*nkeys = 0;
	keys[0] = keys[1] = NULL;
	if (!at || !at->list)
		return GA_KUST_LIST_KIND_ATOMIC;
	if (at->merge == GA_KUST_LIST_SET)
		return GA_KUST_LIST_KIND_SET;
	if (at->merge != GA_KUST_LIST_KEYS)
		return GA_KUST_LIST_KIND_ATOMIC;
	*nkeys = at->nkeys;
	keys[0] = at->keys[0];
	keys[1] = at->keys[1];
	return GA_KUST_LIST_KIND_KEYS;
}
