/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name-reference pass (kustomize.md §2.4; the rules come from the
 * transformer configuration: kustomize v5.5.0's built-in nameReference
 * table below, extended by configurations and crds): once every level
 * has run, each field that names another object of the build (a ConfigMap
 * in a volume, a ServiceAccount in a RoleBinding, a Deployment in an HPA,
 * ...) is pointed at that object's current name, and for map references
 * (subjects, webhook services) at its namespace too.  The referred object
 * is found by any name it ever had, among the objects the referrer can
 * see; a name no object of the build ever had is left alone (an external
 * reference).
 */
#include "transform.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "tconfig.h"

#define CM NULL, "v1", "ConfigMap"
#define SECRET NULL, "v1", "Secret"
#define SERVICE NULL, "v1", "Service"
#define SA NULL, "v1", "ServiceAccount"
#define RBAC "rbac.authorization.k8s.io"

/* A rule: the target's group, version and kind, then the referrer's
 * group, version, kind and path. */
#define RR(tg, tv, tk, g, v, k, path)                                          \
	{                                                                      \
		tg, tv, tk,                                                    \
		{                                                              \
			g, v, k, path, false                                   \
		}                                                              \
	}
#define R(...) RR(__VA_ARGS__)

/* The ConfigMap and Secret fields of a pod spec at @pre in kind @k. */
#define POD_REFS(v, k, pre)                                                    \
	R(CM, NULL, v, k, pre "volumes/configMap/name"),                       \
	    R(CM, NULL, v, k,                                                  \
	      pre "containers/env/valueFrom/configMapKeyRef/name"),            \
	    R(CM, NULL, v, k,                                                  \
	      pre "initContainers/env/valueFrom/configMapKeyRef/name"),        \
	    R(CM, NULL, v, k, pre "containers/envFrom/configMapRef/name"),     \
	    R(CM, NULL, v, k, pre "initContainers/envFrom/configMapRef/name"), \
	    R(CM, NULL, v, k, pre "volumes/projected/sources/configMap/name"), \
	    R(SECRET, NULL, v, k, pre "volumes/secret/secretName"),            \
	    R(SECRET, NULL, v, k,                                              \
	      pre "containers/env/valueFrom/secretKeyRef/name"),               \
	    R(SECRET, NULL, v, k,                                              \
	      pre "initContainers/env/valueFrom/secretKeyRef/name"),           \
	    R(SECRET, NULL, v, k, pre "containers/envFrom/secretRef/name"),    \
	    R(SECRET, NULL, v, k,                                              \
	      pre "initContainers/envFrom/secretRef/name"),                    \
	    R(SECRET, NULL, v, k, pre "imagePullSecrets/name"),                \
	    R(SECRET, NULL, v, k, pre "volumes/projected/sources/secret/name")

/* serviceAccountName, claimName and priorityClassName: these kinds only
 * (not ReplicaSet or PodTemplate; ReplicationController instead). */
#define POD_REFS_B(k, pre)                                                     \
	R(SA, NULL, NULL, k, pre "serviceAccountName"),                        \
	    R(NULL, "v1", "PersistentVolumeClaim", NULL, NULL, k,              \
	      pre "volumes/persistentVolumeClaim/claimName"),                  \
	    R("scheduling.k8s.io", "v1", "PriorityClass", NULL, NULL, k,       \
	      pre "priorityClassName")

#define SCALE(target)                                                          \
	R(NULL, NULL, target, NULL, NULL, "HorizontalPodAutoscaler",           \
	  "spec/scaleTargetRef/name")

/* kustomize v5.5.0's nameReference rules, in the order applied. */
const ga_kust_nameref ga_kust__nameref_defaults[] = {
    POD_REFS("v1", "Pod", "spec/"),
    POD_REFS(NULL, "PodTemplate", "template/spec/"),
    POD_REFS(NULL, "Deployment", "spec/template/spec/"),
    POD_REFS(NULL, "ReplicaSet", "spec/template/spec/"),
    POD_REFS(NULL, "DaemonSet", "spec/template/spec/"),
    POD_REFS(NULL, "StatefulSet", "spec/template/spec/"),
    POD_REFS(NULL, "Job", "spec/template/spec/"),
    POD_REFS(NULL, "CronJob", "spec/jobTemplate/spec/template/spec/"),
    POD_REFS_B("Pod", "spec/"),
    POD_REFS_B("StatefulSet", "spec/template/spec/"),
    POD_REFS_B("Deployment", "spec/template/spec/"),
    POD_REFS_B("ReplicationController", "spec/template/spec/"),
    POD_REFS_B("CronJob", "spec/jobTemplate/spec/template/spec/"),
    POD_REFS_B("Job", "spec/template/spec/"),
    POD_REFS_B("DaemonSet", "spec/template/spec/"),
    SCALE("Deployment"),
    SCALE("ReplicationController"),
    SCALE("ReplicaSet"),
    SCALE("StatefulSet"),
    R(CM, NULL, NULL, "Node", "spec/configSource/configMap"),
    R(CM, NULL, NULL, "Role", "rules/resourceNames"),
    R(CM, NULL, NULL, "ClusterRole", "rules/resourceNames"),
    R(CM, NULL, NULL, "Ingress",
      "metadata/annotations/nginx.ingress.kubernetes.io\\/"
      "fastcgi-params-configmap"),
    R(SECRET, NULL, NULL, "Ingress", "spec/tls/secretName"),
    R(SECRET, NULL, NULL, "Ingress",
      "metadata/annotations/ingress.kubernetes.io\\/auth-secret"),
    R(SECRET, NULL, NULL, "Ingress",
      "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret"),
    R(SECRET, NULL, NULL, "Ingress",
      "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret"),
    R(SECRET, NULL, NULL, "ServiceAccount", "imagePullSecrets/name"),
    R(SECRET, NULL, NULL, "StorageClass", "parameters/secretName"),
    R(SECRET, NULL, NULL, "StorageClass", "parameters/adminSecretName"),
    R(SECRET, NULL, NULL, "StorageClass", "parameters/userSecretName"),
    R(SECRET, NULL, NULL, "StorageClass", "parameters/secretRef"),
    R(SECRET, NULL, NULL, "Role", "rules/resourceNames"),
    R(SECRET, NULL, NULL, "ClusterRole", "rules/resourceNames"),
    R(SECRET, "serving.knative.dev", "v1", "Service",
      "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"),
    R(SECRET, NULL, NULL, "PersistentVolume", "spec/azureFile/secretName"),
    R(SERVICE, "apps", NULL, "StatefulSet", "spec/serviceName"),
    R(SERVICE, NULL, NULL, "Ingress",
      "spec/rules/http/paths/backend/serviceName"),
    R(SERVICE, NULL, NULL, "Ingress", "spec/backend/serviceName"),
    R(SERVICE, NULL, NULL, "Ingress",
      "spec/rules/http/paths/backend/service/name"),
    R(SERVICE, NULL, NULL, "Ingress", "spec/defaultBackend/service/name"),
    R(SERVICE, "apiregistration.k8s.io", NULL, "APIService",
      "spec/service/name"),
    R(SERVICE, "admissionregistration.k8s.io", NULL,
      "ValidatingWebhookConfiguration", "webhooks/clientConfig/service"),
    R(SERVICE, "admissionregistration.k8s.io", NULL,
      "MutatingWebhookConfiguration", "webhooks/clientConfig/service"),
    R(RBAC, NULL, "Role", RBAC, NULL, "RoleBinding", "roleRef/name"),
    R(RBAC, NULL, "ClusterRole", RBAC, NULL, "RoleBinding", "roleRef/name"),
    R(RBAC, NULL, "ClusterRole", RBAC, NULL, "ClusterRoleBinding",
      "roleRef/name"),
    R(SA, RBAC, NULL, "RoleBinding", "subjects"),
    R(SA, RBAC, NULL, "ClusterRoleBinding", "subjects"),
    R(NULL, "v1", "PersistentVolume", NULL, NULL, "PersistentVolumeClaim",
      "spec/volumeName"),
    R(NULL, "v1", "PersistentVolume", NULL, NULL, "ClusterRole",
      "rules/resourceNames"),
    R("storage.k8s.io", "v1", "StorageClass", NULL, NULL, "PersistentVolume",
      "spec/storageClassName"),
    R("storage.k8s.io", "v1", "StorageClass", NULL, NULL,
      "PersistentVolumeClaim", "spec/storageClassName"),
    R("storage.k8s.io", "v1", "StorageClass", NULL, NULL, "StatefulSet",
      "spec/volumeClaimTemplates/spec/storageClassName"),
    R("admissionregistration.k8s.io", NULL, "ValidatingAdmissionPolicy",
      "admissionregistration.k8s.io", NULL, "ValidatingAdmissionPolicyBinding",
      "spec/policyName"),
    /* IngressClass <- Ingress spec/ingressClassName is in kustomize's
     * table with the group written "networking.k8s.io/v1", which no
     * object has: the rule never applies, so it is left out. */
};
const size_t ga_kust__nameref_defaults_n =
    sizeof(ga_kust__nameref_defaults) / sizeof(ga_kust__nameref_defaults[0]);

struct ref {
	ga_kust_resmap *ra;
	const ga_node *by_name; /* name -> list of indices into ra, every
	                         * name an object ever had */
	ga_kust_res *referrer;
	const ga_kust_nameref *to;
	bool roleref; /* the field is roleRef/name: kind and group too */
	const ga_node *holder; /* the map holding the field (roleRef) */
};

static bool selects(const char *want, const char *have)
{
	return !want || !want[0] || strcmp(want, have) == 0;
}

/* Whether group, version and kind (NULL or "": any) select the object of
 * @api_version and @kind. */
static bool gvk_selected(const char *group, const char *version_,
                         const char *kind_, const char *api_version,
                         const char *kind)
{
	const char *slash, *version;
	size_t glen;

	/* The kind decides most pairs; the apiVersion is split only then. */
	if (!selects(kind_, kind))
		return false;
	slash = strchr(api_version, '/');
	glen = slash ? (size_t)(slash - api_version) : 0;
	version = slash ? slash + 1 : api_version;
	if (group && group[0] &&
	    (strlen(group) != glen || strncmp(group, api_version, glen) != 0))
		return false;
	return selects(version_, version);
}

/* Whether the object, by its current or any earlier identity, is of the
 * kind the rule refers to, and had @name. */
static bool was(const ga_kust_res *c, const ga_kust_nameref *t,
                const char *name)
{
	ga_kust_id id;

	/* One identity must have both the kind and the name: an earlier
	 * name with another kind (or none, from an input object's
	 * previousNames annotation) does not count. */
	ga_kust__id_of(&id, c->obj);
	if (gvk_selected(t->group, t->version, t->kind, id.api_version,
	                 id.kind) &&
	    strcmp(id.name, name) == 0)
		return true;
	for (size_t i = 0; i < c->nprev; i++)
		if (gvk_selected(t->group, t->version, t->kind,
		                 c->prev[i].api_version, c->prev[i].kind) &&
		    strcmp(c->prev[i].name, name) == 0)
			return true;
	return false;
}

static const char *effective_ns(const ga_kust_id *id)
{
	if (ga_kust__is_cluster_scoped(id->api_version, id->kind))
		return "";
	return id->ns[0] ? id->ns : "default";
}

/* Namespaces as kustomize compares them: no namespace is "default". */
static bool ns_equal(const char *a, const char *b)
{
	return strcmp(a[0] ? a : "default", b[0] ? b : "default") == 0;
}

/* Can the referrer see @c (kustomize.md §2.4 step 2d)? */
static bool visible(const struct ref *x, const ga_kust_res *c, const char *ns)
{
	ga_kust_id r, id, org;

	ga_kust__id_of(&r, x->referrer->obj);
	ga_kust__id_of(&id, c->obj);
	if (ns) {
		ga_kust__res_org(c, &org);
		return ns_equal(id.ns, ns) || ns_equal(org.ns, ns);
	}
	if (ga_kust__is_cluster_scoped(r.api_version, r.kind) ||
	    ga_kust__is_cluster_scoped(id.api_version, id.kind) ||
	    strcmp(id.kind, "ServiceAccount") == 0)
		return true;
	return strcmp(effective_ns(&r), effective_ns(&id)) == 0;
}

static bool roleref_matches(const struct ref *x, const ga_kust_res *c)
{
	const ga_node *kind = ga_node_map_get(x->holder, "kind");
	const ga_node *group = ga_node_map_get(x->holder, "apiGroup");
	ga_kust_id id;

	ga_kust__id_of(&id, c->obj);
	return kind && ga_node_str(kind) &&
	       strcmp(ga_node_str(kind), id.kind) == 0 &&
	       (!group || (ga_node_str(group) &&
	                   strcmp(ga_node_str(group), id.group) == 0));
}

static bool same_stack(const ga_node *a, const ga_node *b)
{
	if (!a || !b)
		return (!a || !ga_node_count(a)) && (!b || !ga_node_count(b));
	return ga_node_equal(a, b);
}

/*
 * The object a reference by @name (and @ns, for map references) means:
 * *out is NULL for an external reference.  Returns 0 or GA_EINVALID when
 * several objects with different names could be meant.
 */
static int find(const struct ref *x, const char *name, const char *ns,
                ga_kust_res **out)
{
	ga_kust_res *first = NULL, *affixed = NULL;
	bool ambiguous = false;
	size_t naffixed = 0;

	const ga_node *idx = ga_node_map_get(x->by_name, name);

	*out = NULL;
	for (size_t k = 0; idx && k < ga_node_count(idx); k++) {
		ga_kust_res *c =
		    x->ra->v[ga_node_int(ga_node_list_get(idx, k))];
		ga_kust_id a, b;

		if (!was(c, x->to, name) || !visible(x, c, ns) ||
		    (x->roleref && !roleref_matches(x, c)))
			continue;
		if (same_stack(c->prefixes, x->referrer->prefixes) &&
		    same_stack(c->suffixes, x->referrer->suffixes)) {
			affixed = c;
			naffixed++;
		}
		if (!first) {
			first = c;
			continue;
		}
		ga_kust__id_of(&a, first->obj);
		ga_kust__id_of(&b, c->obj);
		ambiguous = ambiguous || strcmp(a.name, b.name) != 0;
	}
	if (!ambiguous) {
		*out = first;
		return 0;
	}
	/* Several objects, renamed differently: the one renamed the way the
	 * referrer was (same prefixes and suffixes) is meant. */
	if (naffixed == 1) {
		*out = affixed;
		return 0;
	}
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: reference to \"%s\": found multiple possible "
	             "referrals",
	             x->referrer->origin, name);
	return GA_EINVALID;
}

static int string_node(ga_node **out, const char *s)
{
	return ga_node_new_string(out, s, strlen(s));
}

/* A scalar reference: the new name, or NULL to keep it. */
static int resolve_scalar(const struct ref *x, const ga_node *v, ga_node **out)
{
	ga_kust_res *c = NULL;
	ga_kust_id id;
	int err;

	*out = NULL;
	if (ga_node_type_of(v) != GA_NODE_STRING)
		return 0;
	if ((err = find(x, ga_node_str(v), NULL, &c)) < 0 || !c)
		return err;
	ga_kust__id_of(&id, c->obj);
	return strcmp(id.name, ga_node_str(v)) ? string_node(out, id.name) : 0;
}

/* A map reference {name, namespace?}: both are rewritten. */
static int resolve_map(const struct ref *x, ga_node *m)
{
	const ga_node *name = ga_node_map_get(m, "name");
	const ga_node *ns = ga_node_map_get(m, "namespace");
	ga_kust_res *c = NULL;
	ga_node *v = NULL;
	ga_kust_id id;
	int err;

	if (!name || !ga_node_str(name))
		return 0;
	if ((err = find(x, ga_node_str(name), ns ? ga_node_str(ns) : NULL,
	                &c)) < 0 ||
	    !c)
		return err;
	ga_kust__id_of(&id, c->obj);
	if ((err = string_node(&v, id.name)) < 0 ||
	    (err = ga_node_map_set_take(m, "name", v)) < 0)
		return err;
	if (!id.ns[0])
		return 0;
	v = NULL;
	if ((err = string_node(&v, id.ns)) < 0)
		return err;
	return ga_node_map_set_take(m, "namespace", v);
}

/* The field at the end of the path: a name, a list of names or maps, or
 * a map. */
static int resolve_field(const struct ref *x, ga_node *parent, const char *key)
{
	ga_node *v = ga_node_map_get(parent, key), *fresh = NULL;
	int err = 0;

	if (!v)
		return 0;
	if (ga_node_type_of(v) == GA_NODE_MAP)
		return resolve_map(x, v);
	if (ga_node_type_of(v) != GA_NODE_LIST) {
		if ((err = resolve_scalar(x, v, &fresh)) < 0 || !fresh)
			return err;
		return ga_node_map_set_take(parent, key, fresh);
	}
	for (size_t i = 0; !err && i < ga_node_count(v); i++) {
		ga_node *el = ga_node_list_get(v, i);

		if (ga_node_type_of(el) == GA_NODE_MAP) {
			err = resolve_map(x, el);
			continue;
		}
		if ((err = resolve_scalar(x, el, &fresh)) < 0 || !fresh)
			continue;
		ga_node_free(ga_node_list_remove(v, i));
		err = ga_node_list_insert_take(v, i, fresh);
	}
	return err;
}

/* Split @path at unescaped slashes into @seg (at most @max segments). */
static size_t split_path(char seg[][128], size_t max, const char *path)
{
	size_t n = 0, len = 0;

	for (const char *p = path;; p++) {
		if (*p == '\\' && p[1] == '/') {
			p++;
		} else if (*p == '/' || !*p) {
			/* "name[]" only says the field is a list. */
			if (len > 2 && seg[n][len - 1] == ']' &&
			    seg[n][len - 2] == '[')
				len -= 2;
			seg[n][len] = '\0';
			n++;
			len = 0;
			if (!*p || n == max)
				return n;
			continue;
		}
		if (len + 1 < 128)
			seg[n][len++] = *p;
	}
}

static int walk(const struct ref *x, ga_node *map, char seg[][128], size_t n,
                size_t i)
{
	struct ref here = *x;
	ga_node *child;
	int err = 0;

	if (i + 1 == n) {
		here.holder = map;
		return resolve_field(&here, map, seg[i]);
	}
	child = ga_node_map_get(map, seg[i]);
	if (!child)
		return 0;
	if (ga_node_type_of(child) == GA_NODE_MAP)
		return walk(x, child, seg, n, i + 1);
	for (size_t k = 0; !err && ga_node_type_of(child) == GA_NODE_LIST &&
	                   k < ga_node_count(child);
	     k++) {
		ga_node *el = ga_node_list_get(child, k);
		if (ga_node_type_of(el) == GA_NODE_MAP)
			err = walk(x, el, seg, n, i + 1);
	}
	return err;
}

/* Apply one rule to every referrer it selects (by original identity). */
/* Each object's original apiVersion and kind, copied: a rule may
 * rewrite any field of any object, so nothing may point into them. */
struct orgs {
	ga_buf text; /* "apiVersion\0kind\0" per object */
	size_t *at;  /* offset of object i's pair in text */
};

static int orgs_read(struct orgs *o, const ga_kust_resmap *ra)
{
	if (ra->n && !(o->at = ga_calloc(ra->n, sizeof(*o->at))))
		return GA_ENOMEM;
	for (size_t i = 0; i < ra->n; i++) {
		ga_kust_id org;

		ga_kust__res_org(ra->v[i], &org);
		o->at[i] = o->text.size;
		ga_buf_put(&o->text, org.api_version,
		           strlen(org.api_version) + 1);
		ga_buf_put(&o->text, org.kind, strlen(org.kind) + 1);
	}
	return o->text.err;
}

static bool org_selected(const struct orgs *o, size_t i,
                         const ga_kust_fieldspec *fs)
{
	const char *api = o->text.ptr + o->at[i];

	return gvk_selected(fs->group, fs->version, fs->kind, api,
	                    api + strlen(api) + 1);
}

static int apply_rule(ga_kust_resmap *ra, const ga_node *by_name,
                      const struct orgs *orgs, const ga_kust_nameref *rule)
{
	const ga_kust_fieldspec *fs = &rule->fs;
	char seg[24][128];
	size_t n = 0;
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++) {
		struct ref x = {ra, by_name, ra->v[i], rule, false, NULL};

		if (!org_selected(orgs, i, fs))
			continue;
		if (!n)
			n = split_path(seg, 24, fs->path ? fs->path : "");
		x.roleref = fs->path && strcmp(fs->path, "roleRef/name") == 0;
		err = walk(&x, ra->v[i]->obj, seg, n, 0);
	}
	return err;
}

/* Index every object under every name it ever had: a reference then
 * looks at its few candidates instead of the whole build. */
static int index_names(ga_node **out, const ga_kust_resmap *ra)
{
	ga_node *map = NULL;
	int err = ga_node_new_map(&map);

	for (size_t i = 0; !err && i < ra->n; i++) {
		const ga_kust_res *r = ra->v[i];
		ga_kust_id id;

		ga_kust__id_of(&id, r->obj);
		for (size_t p = 0; !err && p <= r->nprev; p++) {
			const char *name =
			    p < r->nprev ? r->prev[p].name : id.name;
			ga_node *list = ga_node_map_get(map, name), *v = NULL;

			if (!list &&
			    ((err = ga_node_new_list(&list)) < 0 ||
			     (err = ga_node_map_set_take(map, name, list)) < 0))
				break;
			/* An object is listed once per name. */
			if (ga_node_count(list) &&
			    (size_t)ga_node_int(ga_node_list_get(
			        list, ga_node_count(list) - 1)) == i)
				continue;
			if (!(err = ga_node_new_int(&v, (int64_t)i)))
				err = ga_node_list_append_take(list, v);
		}
	}
	if (err < 0) {
		ga_node_free(map);
		return err;
	}
	*out = map;
	return 0;
}

int ga_kust__transform_namerefs(ga_kust_resmap *ra, const ga_kust_tconfig *cfg)
{
	ga_node *by_name = NULL;
	size_t n;
	const ga_kust_nameref *rules = ga_kust__tconfig_namerefs(cfg, &n);
	int err;

	struct orgs orgs = {GA_BUF_INIT((size_t)64 << 20), NULL};

	/* Rules neither add nor remove objects: the objects' original
	 * kinds are read once for all rules. */
	if ((err = orgs_read(&orgs, ra)) < 0 ||
	    (err = index_names(&by_name, ra)) < 0)
		goto out;
	for (size_t i = 0; !err && i < n; i++)
		err = apply_rule(ra, by_name, &orgs, &rules[i]);
out:
	ga_node_free(by_name);
	ga_buf_dispose(&orgs.text);
	ga_free(orgs.at);
	return err;
}
