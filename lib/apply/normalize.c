/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Normalisation before apply and the drift test after the dry run
 * (flux.md §2.6).  Before apply kustomize-controller round-trips typed
 * objects through their Go types, which defaults container and Service
 * port protocols to TCP (structured-merge-diff#130), merges a Secret's
 * stringData into data (kubernetes#108008), writes
 * metadata.creationTimestamp as null and drops status except on CRDs;
 * a CRD's conversion caBundle that holds no certificate is removed.
 * Drift is judged against the dry-run result: a result without
 * resourceVersion is a create; labels or annotations that differ, or any
 * difference once metadata and status are removed and HPA metrics are
 * deduplicated (kubernetes#118293), is a change.  Fields other managers
 * own are in both sides, so they never show as drift.
 */
#include <string.h>

#include "apply/apply_int.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "util/base64.h"

static bool is_kind(const ga_node *obj, const char *group, const char *kind)
{
	const char *api = ga_apply__str(obj, "apiVersion", "");
	const char *slash = strchr(api, '/');
	size_t glen = slash ? (size_t)(slash - api) : 0;

	return strcmp(ga_apply__str(obj, "kind", ""), kind) == 0 &&
	       strlen(group) == glen && strncmp(api, group, glen) == 0;
}

/* Give every item of the port list @ports a protocol. */
static int default_protocols(ga_node *ports)
{
	size_t n = ports && ga_node_type_of(ports) == GA_NODE_LIST
	               ? ga_node_count(ports)
	               : 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		ga_node *port = ga_node_list_get(ports, i), *tcp = NULL;

		if (ga_node_type_of(port) != GA_NODE_MAP ||
		    ga_node_map_get(port, "protocol"))
			continue;
		if ((err = ga_node_new_string(&tcp, "TCP", 3)) < 0 ||
		    (err = ga_node_map_set_take(port, "protocol", tcp)) < 0)
			return err;
	}
	return 0;
}

/* The ports of every container list of the pod spec @spec. */
static int pod_spec_ports(ga_node *spec)
{
	static const char *const lists[] = {"containers", "initContainers",
	                                    "ephemeralContainers"};
	int err;

	for (size_t l = 0; l < 3; l++) {
		const ga_node *cs = ga_apply__at(spec, lists[l]);
		size_t n = cs && ga_node_type_of(cs) == GA_NODE_LIST
		               ? ga_node_count(cs)
		               : 0;

		for (size_t i = 0; i < n; i++)
			if ((err = default_protocols((ga_node *)ga_apply__at(
			         ga_node_list_get(cs, i), "ports"))) < 0)
				return err;
	}
	return 0;
}

/* Where the built-in workload kinds keep their pod spec, or NULL. */
static ga_node *pod_spec_of(ga_node *obj)
{
	static const char *const apps[] = {"Deployment", "StatefulSet",
	                                   "DaemonSet", "ReplicaSet"};

	for (size_t i = 0; i < 4; i++)
		if (is_kind(obj, "apps", apps[i]))
			return (ga_node *)ga_apply__at(obj,
			                               "spec.template.spec");
	if (is_kind(obj, "batch", "Job") ||
	    is_kind(obj, "", "ReplicationController") ||
	    is_kind(obj, "", "PodTemplate"))
		return (ga_node *)ga_apply__at(obj,
		                               is_kind(obj, "", "PodTemplate")
		                                   ? "template.spec"
		                                   : "spec.template.spec");
	if (is_kind(obj, "batch", "CronJob"))
		return (ga_node *)ga_apply__at(
		    obj, "spec.jobTemplate.spec.template.spec");
	if (is_kind(obj, "", "Pod"))
		return (ga_node *)ga_apply__at(obj, "spec");
	return NULL;
}

/* stringData into data (base64), as the API server does on write. */
static int merge_string_data(ga_node *obj)
{
	ga_node *sd = ga_node_map_remove(obj, "stringData"), *data, *v = NULL;
	ga_buf b64 = GA_BUF_INIT((size_t)4 << 20);
	int err = 0;

	if (!sd)
		return 0;
	if (ga_node_type_of(sd) != GA_NODE_MAP) {
		err = GA_EINVALID;
		goto out;
	}
	data = ga_node_map_get(obj, "data");
	if (!data || ga_node_type_of(data) != GA_NODE_MAP) {
		if ((err = ga_node_new_map(&v)) < 0 ||
		    (err = ga_node_map_set_take(obj, "data", v)) < 0)
			goto out;
		data = ga_node_map_get(obj, "data");
	}
	for (size_t i = 0; i < ga_node_count(sd); i++) {
		const ga_node *s = ga_node_map_value(sd, i);

		if (!ga_node_str(s)) {
			err = GA_EINVALID;
			goto out;
		}
		ga_buf_clear(&b64);
		v = NULL;
		if ((err = ga_base64_encode(
		         &b64, (const unsigned char *)ga_node_str(s),
		         ga_node_str_len(s), true)) < 0 ||
		    (err = ga_node_new_string(&v, ga_buf_cstr(&b64),
		                              b64.size)) < 0 ||
		    (err = ga_node_map_set_take(
		         data, ga_node_map_key(sd, i, NULL), v)) < 0)
			goto out;
	}
out:
	if (err == GA_EINVALID)
		ga_error_set(GA_ERRCLASS_INVALID,
		             "v1 Secret %s/%s: stringData "
		             "must be a map of strings",
		             ga_apply__str(obj, "metadata.namespace", ""),
		             ga_apply__str(obj, "metadata.name", "?"));
	ga_buf_dispose(&b64);
	ga_node_free(sd);
	return err;
}

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

/*
 * 1 when the PEM text @pem holds at least one certificate block and every
 * block's body is base64 of a DER SEQUENCE, 0 when not, or GA_ENOMEM.  A
 * shallow test: it finds what the API server rejects (text that is no
 * PEM at all, a truncated or corrupted block), not every malformed
 * certificate.
 */
static int pem_has_cert(const char *pem, size_t len)
{
	ga_buf der = GA_BUF_INIT((size_t)1 << 20);
	const char *end = pem + len, *p = pem;
	int found = 0, err = 0;

	while ((p = memmem(p, (size_t)(end - p), PEM_BEGIN,
	                   strlen(PEM_BEGIN))) != NULL) {
		const char *body = p + strlen(PEM_BEGIN);
		const char *stop = memmem(body, (size_t)(end - body), PEM_END,
		                          strlen(PEM_END));

		ga_buf_clear(&der);
		if (!stop ||
		    (err = ga_base64_decode(&der, body, (size_t)(stop - body),
		                            true)) < 0 ||
		    der.size < 2 || (unsigned char)der.ptr[0] != 0x30) {
			found = 0;
			break;
		}
		found = 1;
		p = stop + strlen(PEM_END);
	}
	ga_buf_dispose(&der);
	return err == GA_ENOMEM ? err : found;
}

/*
 * A CRD's conversion webhook caBundle that is set but holds no valid
 * certificate is removed, as Flux's RemoveCABundleFromCRD does:
 * Kubernetes 1.31 and later reject such CRDs.  Returns 0 or GA_ENOMEM.
 */
static int strip_bad_ca_bundle(ga_node *crd)
{
	ga_node *cc = (ga_node *)ga_apply__at(
	    crd, "spec.conversion.webhook.clientConfig");
	const ga_node *ca = ga_apply__at(cc, "caBundle");
	ga_buf pem = GA_BUF_INIT((size_t)4 << 20);
	int valid = 0;

	if (!ca || (ga_node_str(ca) && !ga_node_str_len(ca)))
		return 0;
	if (ga_node_str(ca)) {
		valid = ga_base64_decode(&pem, ga_node_str(ca),
		                         ga_node_str_len(ca), false);
		if (valid == 0)
			valid = pem_has_cert(ga_buf_cstr(&pem), pem.size);
	}
	ga_buf_dispose(&pem);
	if (valid == GA_ENOMEM)
		return valid;
	/* Not base64, or no certificate in it: the error is handled. */
	ga_error_clear();
	if (valid != 1)
		ga_node_free(ga_node_map_remove(cc, "caBundle"));
	return 0;
}

int ga_apply_normalize(ga_node *obj)
{
	ga_node *meta = (ga_node *)ga_apply__at(obj, "metadata"), *null = NULL;
	int err;

	if (!obj || ga_node_type_of(obj) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_INVALID, "normalize: not an object");
		return GA_EINVALID;
	}
	if ((err = pod_spec_ports(pod_spec_of(obj))) < 0 ||
	    (is_kind(obj, "", "Service") &&
	     (err = default_protocols(
	          (ga_node *)ga_apply__at(obj, "spec.ports"))) < 0) ||
	    (is_kind(obj, "", "Secret") && (err = merge_string_data(obj)) < 0))
		return err;
	if (meta && ga_node_type_of(meta) == GA_NODE_MAP &&
	    ((err = ga_node_new_null(&null)) < 0 ||
	     (err = ga_node_map_set_take(meta, "creationTimestamp", null)) < 0))
		return err;
	if (!is_kind(obj, "apiextensions.k8s.io", "CustomResourceDefinition"))
		ga_node_free(ga_node_map_remove(obj, "status"));
	else if ((err = strip_bad_ca_bundle(obj)) < 0)
		return err;
	return 0;
}

/* Absent, null and {} are the same labels (apimachinery's DeepEqual). */
static bool meta_equal(const ga_node *a, const ga_node *b, const char *path)
{
	const ga_node *x = ga_apply__at(a, path), *y = ga_apply__at(b, path);
	bool ex = !x || ga_node_type_of(x) == GA_NODE_NULL ||
	          (ga_node_type_of(x) == GA_NODE_MAP && !ga_node_count(x));
	bool ey = !y || ga_node_type_of(y) == GA_NODE_NULL ||
	          (ga_node_type_of(y) == GA_NODE_MAP && !ga_node_count(y));

	if (ex || ey)
		return ex && ey;
	return ga_node_equal(x, y);
}

/* HPA spec.metrics without empty or repeated items (kubernetes#118293). */
static void dedupe_metrics(ga_node *obj)
{
	ga_node *m = (ga_node *)ga_apply__at(obj, "spec.metrics");

	if (!m || ga_node_type_of(m) != GA_NODE_LIST)
		return;
	for (size_t i = ga_node_count(m); i-- > 0;) {
		const ga_node *item = ga_node_list_get(m, i);
		bool drop = ga_node_type_of(item) == GA_NODE_NULL ||
		            (ga_node_type_of(item) == GA_NODE_MAP &&
		             !ga_node_count(item));

		for (size_t j = 0; j < i && !drop; j++)
			drop = ga_node_equal(ga_node_list_get(m, j), item);
		if (drop)
			ga_node_free(ga_node_list_remove(m, i));
	}
}

/* A copy of @obj without metadata and status, HPA metrics deduplicated. */
static int comparable(ga_node **out, const ga_node *obj)
{
	ga_node *c = NULL;
	int err;

	if (!obj) {
		*out = NULL;
		return 0;
	}
	if ((err = ga_node_clone(&c, obj)) < 0)
		return err;
	ga_node_free(ga_node_map_remove(c, "metadata"));
	ga_node_free(ga_node_map_remove(c, "status"));
	if (strncmp(ga_apply__str(c, "apiVersion", ""), "autoscaling/", 12) ==
	        0 &&
	    strcmp(ga_apply__str(c, "kind", ""), "HorizontalPodAutoscaler") ==
	        0)
		dedupe_metrics(c);
	*out = c;
	return 0;
}

int ga_apply_classify(ga_apply_action *out, const ga_node *live,
                      const ga_node *dry_run)
{
	ga_node *a = NULL, *b = NULL;
	int err;

	if (!dry_run || ga_node_type_of(dry_run) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "classify: the dry-run result "
		             "is not an object");
		return GA_EINVALID;
	}
	if (!*ga_apply__str(dry_run, "metadata.resourceVersion", "")) {
		*out = GA_APPLY_CREATED;
		return 0;
	}
	if (!live || !meta_equal(live, dry_run, "metadata.labels") ||
	    !meta_equal(live, dry_run, "metadata.annotations")) {
		*out = GA_APPLY_CONFIGURED;
		return 0;
	}
	if ((err = comparable(&a, live)) < 0 ||
	    (err = comparable(&b, dry_run)) < 0)
		goto out;
	*out = ga_node_equal(a, b) ? GA_APPLY_UNCHANGED : GA_APPLY_CONFIGURED;
out:
	ga_node_free(a);
	ga_node_free(b);
	return err;
}

const char *ga_apply_action_name(ga_apply_action action)
{
	switch (action) {
	case GA_APPLY_CREATED:
		return "created";
	case GA_APPLY_CONFIGURED:
		return "configured";
	case GA_APPLY_UNCHANGED:
		return "unchanged";
	default:
		return "unknown";
	}
}
