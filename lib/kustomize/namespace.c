/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The namespace, prefix and suffix transformers (kustomize.md §1.4, §1.5,
 * §2.7, §2.8).  Each rename first records the object's current identity,
 * so that the name-reference pass at the top can still find it by the
 * name its referrers use.
 */
#include "transform.h"

#include <string.h>

#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/error.h"

static int set_string(ga_node *map, const char *key, const char *value)
{
	ga_node *v = NULL;
	int err = ga_node_new_string(&v, value, strlen(value));

	return err < 0 ? err : ga_node_map_set_take(map, key, v);
}

/* Set "namespace" in the map a field spec reaches; with @only_existing,
 * only where the key is already there (a spec without create). */
struct ns_payload {
	const char *ns;
	bool only_existing;
};

static int set_namespace_key(ga_node *map, void *payload)
{
	const struct ns_payload *p = payload;

	if (p->only_existing && !ga_node_map_get(map, "namespace"))
		return 0;
	return set_string(map, "namespace", p->ns);
}

/* RoleBinding and ClusterRoleBinding subjects named "default", of any
 * kind, get the namespace (kustomize's default subject mode). */
static int bind_default_subjects(ga_kust_res *r, const char *ns)
{
	ga_node *subjects = ga_node_map_get(r->obj, "subjects");
	int err = 0;

	for (size_t i = 0; !err && subjects && i < ga_node_count(subjects);
	     i++) {
		ga_node *s = ga_node_list_get(subjects, i);
		const ga_node *name = ga_node_map_get(s, "name");

		if (ga_node_type_of(s) == GA_NODE_MAP && name &&
		    ga_node_str(name) &&
		    strcmp(ga_node_str(name), "default") == 0)
			err = set_string(s, "namespace", ns);
	}
	return err;
}

static int namespace_one(ga_kust_res *r, const char *ns)
{
	static const ga_kust_fieldspec apiservice = {
	    "apiregistration.k8s.io", NULL, "APIService", "spec/service", true};
	static const ga_kust_fieldspec crd = {
	    "apiextensions.k8s.io", NULL, "CustomResourceDefinition",
	    "spec/conversion/webhook/clientConfig/service", false};
	struct ns_payload create = {ns, false}, existing = {ns, true};
	ga_kust_id id;
	int err = 0;

	ga_kust__id_of(&id, r->obj);
	if (!ga_kust__is_cluster_scoped(id.api_version, id.kind) &&
	    strcmp(id.ns, ns) != 0 &&
	    ((err = ga_kust__res_remember(r)) < 0 ||
	     (err = ga_kust__res_set_meta(r, "namespace", ns)) < 0))
		return err;
	/* A v1 Namespace object takes the target namespace's name. */
	ga_kust__id_of(&id, r->obj);
	if (strcmp(id.api_version, "v1") == 0 &&
	    strcmp(id.kind, "Namespace") == 0 && strcmp(id.name, ns) != 0 &&
	    ((err = ga_kust__res_remember(r)) < 0 ||
	     (err = ga_kust__res_set_meta(r, "name", ns)) < 0))
		return err;
	if ((err =
	         ga_kust__fieldspec_maps(r->obj, &apiservice, set_namespace_key,
	                                 &create, r->origin)) < 0 ||
	    (err = ga_kust__fieldspec_maps(r->obj, &crd, set_namespace_key,
	                                   &existing, r->origin)) < 0)
		return err;
	if (strcmp(id.kind, "RoleBinding") == 0 ||
	    strcmp(id.kind, "ClusterRoleBinding") == 0)
		err = bind_default_subjects(r, ns);
	return err;
}

int ga_kust__transform_namespace(ga_kust_resmap *ra, const char *ns)
{
	int err = 0;

	if (!ns || !ns[0])
		return 0;
	for (size_t i = 0; !err && i < ra->n; i++)
		err = namespace_one(ra->v[i], ns);
	return err ? err
	           : ga_kust__resmap_reindex(ra, "namespace transformation");
}

/* Kinds prefixes and suffixes leave alone (checked on the original id). */
static bool keeps_name(const ga_kust_res *r)
{
	ga_kust_id org;

	ga_kust__res_org(r, &org);
	return strcmp(org.kind, "CustomResourceDefinition") == 0 ||
	       strcmp(org.kind, "Namespace") == 0 ||
	       (strcmp(org.kind, "APIService") == 0 &&
	        strcmp(org.group, "apiregistration.k8s.io") == 0);
}

static int push(ga_node **stack, const char *s)
{
	ga_node *v = NULL;
	int err;

	if (!*stack && (err = ga_node_new_list(stack)) < 0)
		return err;
	if ((err = ga_node_new_string(&v, s, strlen(s))) < 0)
		return err;
	return ga_node_list_insert_take(*stack, 0, v);
}

int ga_kust__transform_affix(ga_kust_resmap *ra, const char *prefix,
                             const char *suffix)
{
	ga_buf name = GA_BUF_INIT((size_t)1 << 20);
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++) {
		ga_kust_res *r = ra->v[i];
		ga_kust_id id;

		if (keeps_name(r))
			continue;
		ga_kust__id_of(&id, r->obj);
		ga_buf_clear(&name);
		ga_buf_printf(&name, "%s%s%s", prefix, id.name, suffix);
		if ((err = name.err) < 0 ||
		    (err = ga_kust__res_remember(r)) < 0 ||
		    (err = ga_kust__res_set_meta(r, "name",
		                                 ga_buf_cstr(&name))) < 0 ||
		    (prefix[0] && (err = push(&r->prefixes, prefix)) < 0) ||
		    (suffix[0] && (err = push(&r->suffixes, suffix)) < 0))
			break;
		/* kustomize's SetName writes a new, untyped scalar. */
		ga_node_set_tagless(
		    ga_node_map_get(ga_node_map_get(r->obj, "metadata"),
		                    "name"),
		    true);
	}
	ga_buf_dispose(&name);
	return err ? err : ga_kust__resmap_reindex(ra, "name prefix or suffix");
}
