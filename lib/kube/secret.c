/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret data as the caller needs it: decoded.  The API server sends
 * every value base64-encoded; the decoder is the strict one of lib/util,
 * so one value has one spelling and a corrupt answer is an error rather
 * than a different key.
 */
#include "ga/kube.h"

#include "ga/error.h"
#include "kube_int.h"
#include "util/base64.h"

/* Kubernetes caps a whole Secret at 1 MiB. */
#define SECRET_VALUE_MAX ((size_t)1 << 20)

int ga_kube_secret_each(const ga_node *secret, ga_kube_secret_fn fn,
                        void *payload)
{
	ga_buf val = GA_BUF_INIT(SECRET_VALUE_MAX);
	const ga_node *data = ga_node_map_get(secret, "data");
	const ga_node *meta = ga_node_map_get(secret, "metadata");
	int err = 0;

	for (size_t i = 0; data && i < ga_node_count(data); i++) {
		const char *key = ga_node_map_key(data, i, NULL);
		const ga_node *v = ga_node_map_value(data, i);

		ga_buf_clear(&val);
		if (ga_node_type_of(v) != GA_NODE_STRING ||
		    (err = ga_base64_decode(&val, ga_node_str(v),
		                            ga_node_str_len(v), false)) < 0) {
			err = err == GA_ENOMEM ? err : GA_EINVALID;
			ga_error_set(GA_ERRCLASS_KUBE,
			             "secret %s/%s: data.%s is not base64",
			             ga_kube__str(meta, "namespace", ""),
			             ga_kube__str(meta, "name", ""), key);
			goto out;
		}
		if ((err = fn(payload, key, ga_buf_cstr(&val), val.size)) != 0)
			goto out;
	}
out:
	ga_buf_dispose(&val);
	return err;
}
