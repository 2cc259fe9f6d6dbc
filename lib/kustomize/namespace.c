/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The namespace, prefix and suffix transformers (kustomize.md §1.4, §1.5,
 * §2.7, §2.8), through the namespace, namePrefix and nameSuffix field
 * specs of the transformer configuration.  Each rename first records the
 * object's current identity, so that the name-reference pass at the top can
 * still find it by the name its referrers use.
 */
#include "transform.h"

#include <string.h>

#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"

static int set_string(ga_node *map, const char *key, const char *value)
{
	ga_node *v = NULL;
	int err = ga_node_new_string(&v, value, strlen(value));

	return err < 0 ? err : ga_node_map_set_take(map, key, v);
}

/* A namespace field spec's field: set where present, created where the
 * spec says; it must be a scalar (or null). */
struct ns_payload {
	const ga_kust_res *r;
	const char *ns;
	bool unset_only; /* only where empty (or absent) */
};

/* Whether a namespace setter writes over @have: always, or with
 * unsetOnly only over a missing, null or empty value. */
static bool overwrites(const struct ns_payload *p, const ga_node *have)
{
	return !p->unset_only || !have ||
	       ga_node_type_of(have) == GA_NODE_NULL ||
	       (ga_node_str(have) && !ga_node_str_len(have));
}

static int set_ns_field(ga_node *map, const char *key, bool create,
                        void *payload)
{
	const struct ns_payload *p = payload;
	const ga_kust_res *r = p->r;
	const ga_node *have = ga_node_map_get(map, key);

	if (!have && !create)
		return 0;
	if (have && !ga_node_is_scalar(have) &&
	    ga_node_type_of(have) != GA_NODE_NULL) {
		ga_buf what = GA_BUF_INIT(4096);
		ga_kust_id id;

		ga_kust__id_of(&id, r->obj);
		ga_kust__id_describe(&what, &id);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: field '%s': line %u: namespace field "
		             "specs must reach a scalar, found a %s",
		             r->origin, ga_buf_cstr(&what), key,
		             ga_node_line(have),
		             ga_node_type_name(ga_node_type_of(have)));
		ga_buf_dispose(&what);
		return GA_EINVALID;
	}
	return overwrites(p, have) ? set_string(map, key, p->ns) : 0;
}

/* RoleBinding and ClusterRoleBinding subjects get the namespace: in the
 * default mode those named "default", of any kind; in the
 * allServiceAccounts mode those of kind ServiceAccount; none in the none
 * mode (@mode "defaultOnly", "allServiceAccounts", "none"). */
static int bind_subjects(ga_kust_res *r, const struct ns_payload *p,
                         const char *mode)
{
	ga_node *subjects = ga_node_map_get(r->obj, "subjects");
	bool all_sa = strcmp(mode, "allServiceAccounts") == 0;
	int err = 0;

	if (strcmp(mode, "none") == 0)
		return 0;
	for (size_t i = 0; !err && subjects && i < ga_node_count(subjects);
	     i++) {
		ga_node *s = ga_node_list_get(subjects, i);
		const ga_node *v = ga_node_map_get(s, all_sa ? "kind" : "name");

		if (ga_node_type_of(s) == GA_NODE_MAP && v && ga_node_str(v) &&
		    strcmp(ga_node_str(v),
		           all_sa ? "ServiceAccount" : "default") == 0 &&
		    overwrites(p, ga_node_map_get(s, "namespace")))
			err = set_string(s, "namespace", p->ns);
	}
	return err;
}

/* A metadata/name spec renames an object to the namespace, but only one
 * whose apiVersion is exactly v1 (kustomize drops such specs for any
 * other object): a v1 Namespace by default, never example.com/v1. */
static int rename_to_ns(ga_kust_res *r, const ga_kust_fieldspec *fs,
                        const struct ns_payload *p)
{
	const char *ns = p->ns;
	ga_kust_id id;
	int err;

	ga_kust__id_of(&id, r->obj);
	if (strcmp(id.api_version, "v1") != 0 ||
	    !ga_kust__fieldspec_selects(fs, r->obj) ||
	    strcmp(id.name, ns) == 0 || (p->unset_only && id.name[0]))
		return 0;
	if ((err = ga_kust__res_remember(r)) < 0)
		return err;
	return ga_kust__res_set_meta(r, "name", ns);
}

static int namespace_one(ga_kust_res *r, const char *ns,
                         const ga_kust_tconfig *cfg, bool unset_only,
                         const char *mode)
{
	struct ns_payload p = {r, ns, unset_only};
	size_t n;
	const ga_kust_fieldspec *specs =
	    ga_kust__tconfig_specs(cfg, GA_KUST_TC_NAMESPACE, &n);
	ga_kust_id id;
	int err = 0;

	ga_kust__id_of(&id, r->obj);
	if (!ga_kust__is_cluster_scoped(id.api_version, id.kind) &&
	    strcmp(id.ns, ns) != 0 && (!unset_only || !id.ns[0]) &&
	    ((err = ga_kust__res_remember(r)) < 0 ||
	     (err = ga_kust__res_set_meta(r, "namespace", ns)) < 0))
		return err;
	if ((strcmp(id.kind, "RoleBinding") == 0 ||
	     strcmp(id.kind, "ClusterRoleBinding") == 0) &&
	    (err = bind_subjects(r, &p, mode)) < 0)
		return err;
	for (size_t i = 0; !err && i < n; i++) {
		if (strcmp(specs[i].path, "metadata/name") == 0)
			err = rename_to_ns(r, &specs[i], &p);
		else if (strcmp(specs[i].path, "metadata/namespace") != 0)
			err = ga_kust__fieldspec_fields(
			    r->obj, &specs[i], set_ns_field, &p, r->origin);
	}
	return err;
}

int ga_kust__transform_namespace(ga_kust_resmap *ra, const char *ns,
                                 const ga_kust_tconfig *cfg)
{
	return ga_kust__transform_namespace_opts(ra, ns, cfg, false,
	                                         "defaultOnly");
}

int ga_kust__transform_namespace_opts(ga_kust_resmap *ra, const char *ns,
                                      const ga_kust_tconfig *cfg,
                                      bool unset_only, const char *subjects)
{
	int err = 0;

	if (!ns || !ns[0])
		return 0;
	for (size_t i = 0; !err && i < ra->n; i++)
		err = namespace_one(ra->v[i], ns, cfg, unset_only, subjects);
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

/* Whether @fs is for the (original) identity @id. */
static bool picks(const char *want, const char *have)
{
	return !want || !want[0] || strcmp(want, have) == 0;
}

static bool org_selected(const ga_kust_fieldspec *fs, const ga_kust_id *id)
{
	return picks(fs->group, id->group) && picks(fs->version, id->version) &&
	       picks(fs->kind, id->kind);
}

struct affix {
	const char *prefix, *suffix;
};

/* Another field of a prefix or suffix spec: a string gets the affix. */
static int affix_field(ga_node *map, const char *key, bool create,
                       void *payload)
{
	const struct affix *a = payload;
	const ga_node *have = ga_node_map_get(map, key);
	ga_buf text = GA_BUF_INIT((size_t)1 << 20);
	ga_node *v = NULL;
	int err;

	if ((!have && !create) ||
	    (have && ga_node_type_of(have) != GA_NODE_STRING &&
	     ga_node_type_of(have) != GA_NODE_NULL))
		return 0;
	ga_buf_printf(&text, "%s%s%s", a->prefix,
	              have && ga_node_str(have) ? ga_node_str(have) : "",
	              a->suffix);
	if (!(err = text.err) &&
	    !(err = ga_node_new_string(&v, ga_buf_cstr(&text), text.size)))
		err = ga_node_map_set_take(map, key, v);
	ga_buf_dispose(&text);
	return err;
}

/* The specs of @sec for @org: how many are metadata/name (each renames,
 * as in kustomize), and the others applied to their fields. */
static int affix_specs(ga_kust_res *r, const ga_kust_tconfig *cfg,
                       ga_kust_tc_section sec, const struct affix *a,
                       const ga_kust_id *org, size_t *renames)
{
	size_t n;
	const ga_kust_fieldspec *specs = ga_kust__tconfig_specs(cfg, sec, &n);
	int err = 0;

	*renames = 0;
	for (size_t i = 0; !err && i < n; i++) {
		if (!org_selected(&specs[i], org))
			continue;
		if (strcmp(specs[i].path, "metadata/name") == 0)
			++*renames;
		else
			err = ga_kust__fieldspec_fields(r->obj, &specs[i],
			                                affix_field, (void *)a,
			                                r->origin);
	}
	return err;
}

static int affix_one(ga_kust_res *r, const char *prefix, const char *suffix,
                     const ga_kust_tconfig *cfg, ga_buf *name)
{
	struct affix pa = {prefix, ""}, sa = {"", suffix};
	size_t np = 0, ns = 0;
	ga_kust_id id, org;
	int err;

	ga_kust__res_org(r, &org);
	if ((prefix[0] && (err = affix_specs(r, cfg, GA_KUST_TC_NAMEPREFIX, &pa,
	                                     &org, &np)) < 0) ||
	    (suffix[0] && (err = affix_specs(r, cfg, GA_KUST_TC_NAMESUFFIX, &sa,
	                                     &org, &ns)) < 0))
		return err;
	if (!np && !ns)
		return 0;
	ga_kust__id_of(&id, r->obj);
	ga_buf_clear(name);
	for (size_t i = 0; i < np; i++)
		ga_buf_puts(name, prefix);
	ga_buf_puts(name, id.name);
	for (size_t i = 0; i < ns; i++)
		ga_buf_puts(name, suffix);
	if ((err = name->err) < 0 || (err = ga_kust__res_remember(r)) < 0 ||
	    (err = ga_kust__res_set_meta(r, "name", ga_buf_cstr(name))) < 0)
		return err;
	/* kustomize's SetName writes a new, untyped scalar. */
	ga_node_set_tagless(
	    ga_node_map_get(ga_node_map_get(r->obj, "metadata"), "name"), true);
	for (size_t i = 0; i < np; i++)
		if ((err = push(&r->prefixes, prefix)) < 0)
			return err;
	for (size_t i = 0; i < ns; i++)
		if ((err = push(&r->suffixes, suffix)) < 0)
			return err;
	return 0;
}

int ga_kust__transform_affix(ga_kust_resmap *ra, const char *prefix,
                             const char *suffix, const ga_kust_tconfig *cfg)
{
	ga_buf name = GA_BUF_INIT((size_t)1 << 20);
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++)
		if (!keeps_name(ra->v[i]))
			err = affix_one(ra->v[i], prefix, suffix, cfg, &name);
	ga_buf_dispose(&name);
	return err ? err : ga_kust__resmap_reindex(ra, "name prefix or suffix");
}
