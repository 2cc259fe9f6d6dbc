/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resource identity as kustomize's resid package defines it (kustomize.md
 * §2.2, §2.7): apiVersion splits into group and version, and two objects
 * are the same resource when group, version, kind, name and effective
 * namespace agree, where the effective namespace of a namespaced object
 * without one is "default" and cluster-scoped objects have none.
 */
#include "resource.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

static const char *str_at(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *n = ga_node_map_get(obj, a);

	if (n && b)
		n = ga_node_map_get(n, b);
	return n && ga_node_str(n) ? ga_node_str(n) : "";
}

/* Group and version from id->api_version; a group longer than the
 * buffer is cut (such an apiVersion matches nothing anyway). */
static void split_api_version(ga_kust_id *id)
{
	const char *slash = strchr(id->api_version, '/');
	size_t len;

	if (!slash) {
		id->group[0] = '\0';
		id->version = id->api_version;
		return;
	}
	len = (size_t)(slash - id->api_version);
	if (len >= sizeof(id->group))
		len = sizeof(id->group) - 1;
	memcpy(id->group, id->api_version, len);
	id->group[len] = '\0';
	id->version = slash + 1;
}

void ga_kust__id_of(ga_kust_id *id, const ga_node *obj)
{

	id->api_version = str_at(obj, "apiVersion", NULL);
	id->kind = str_at(obj, "kind", NULL);
	id->name = str_at(obj, "metadata", "name");
	id->ns = str_at(obj, "metadata", "namespace");
	split_api_version(id);
}

bool ga_kust__is_cluster_scoped(const char *api_version, const char *kind)
{
	/* apiVersion prefix (before any "/v1beta1" or "/v1") and kinds; a
	 * listed group holds these kinds at v1 and v1beta1 unless noted. */
	static const struct {
		const char *api;
		const char *kinds;
	} scoped[] = {
	    {"admissionregistration.k8s.io/v1",
	     ",MutatingWebhookConfiguration,ValidatingWebhookConfiguration,"},
	    {"admissionregistration.k8s.io/v1beta1",
	     ",MutatingWebhookConfiguration,ValidatingWebhookConfiguration,"},
	    {"apiextensions.k8s.io/v1", ",CustomResourceDefinition,"},
	    {"apiextensions.k8s.io/v1beta1", ",CustomResourceDefinition,"},
	    {"apiregistration.k8s.io/v1", ",APIService,"},
	    {"apiregistration.k8s.io/v1beta1", ",APIService,"},
	    {"certificates.k8s.io/v1", ",CertificateSigningRequest,"},
	    {"certificates.k8s.io/v1beta1", ",CertificateSigningRequest,"},
	    {"flowcontrol.apiserver.k8s.io/v1beta1",
	     ",FlowSchema,PriorityLevelConfiguration,"},
	    {"networking.k8s.io/v1", ",IngressClass,"},
	    {"networking.k8s.io/v1beta1", ",IngressClass,"},
	    {"node.k8s.io/v1", ",RuntimeClass,"},
	    {"node.k8s.io/v1beta1", ",RuntimeClass,"},
	    {"policy/v1beta1", ",PodSecurityPolicy,"},
	    {"rbac.authorization.k8s.io/v1",
	     ",ClusterRole,ClusterRoleBinding,"},
	    {"rbac.authorization.k8s.io/v1beta1",
	     ",ClusterRole,ClusterRoleBinding,"},
	    {"scheduling.k8s.io/v1", ",PriorityClass,"},
	    {"scheduling.k8s.io/v1beta1", ",PriorityClass,"},
	    {"storage.k8s.io/v1",
	     ",CSIDriver,CSINode,StorageClass,VolumeAttachment,"},
	    {"storage.k8s.io/v1beta1",
	     ",CSIDriver,CSINode,StorageClass,VolumeAttachment,"},
	    {"v1", ",ComponentStatus,Namespace,Node,NodeProxyOptions,"
	           "PersistentVolume,"},
	};
	size_t klen = strlen(kind);

	/* Called for every identity comparison: no formatting here. */
	for (size_t i = 0; i < sizeof(scoped) / sizeof(scoped[0]); i++) {
		if (strcmp(api_version, scoped[i].api) != 0)
			continue;
		for (const char *p = scoped[i].kinds; klen && *p;) {
			const char *end = strchr(p + 1, ',');

			if ((size_t)(end - p - 1) == klen &&
			    memcmp(p + 1, kind, klen) == 0)
				return true;
			p = end;
			if (!end[1])
				break;
		}
		return false;
	}
	return false;
}

static const char *effective_ns(const ga_kust_id *id)
{
	if (ga_kust__is_cluster_scoped(id->api_version, id->kind))
		return "";
	return id->ns[0] ? id->ns : "default";
}

bool ga_kust__id_equal(const ga_kust_id *a, const ga_kust_id *b)
{
	return strcmp(a->group, b->group) == 0 &&
	       strcmp(a->version, b->version) == 0 &&
	       strcmp(a->kind, b->kind) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(effective_ns(a), effective_ns(b)) == 0;
}

int ga_kust__id_format(ga_buf *out, const ga_kust_id *id)
{
	return ga_buf_printf(out, "%s.%s.%s/%s.%s", id->kind,
	                     id->version[0] ? id->version : "[noVer]",
	                     id->group[0] ? id->group : "[noGrp]", id->name,
	                     id->ns[0] ? id->ns : "[noNs]");
}

int ga_kust__id_describe(ga_buf *out, const ga_kust_id *id)
{
	return ga_buf_printf(out, "%s %s %s%s%s", id->api_version, id->kind,
	                     id->ns, id->ns[0] ? "/" : "", id->name);
}

void ga_kust__res_free(ga_kust_res *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nprev; i++) {
		ga_free(r->prev[i].api_version);
		ga_free(r->prev[i].kind);
		ga_free(r->prev[i].name);
		ga_free(r->prev[i].ns);
	}
	ga_free(r->prev);
	ga_node_free(r->aliases);
	ga_node_free(r->prefixes);
	ga_node_free(r->suffixes);
	ga_node_free(r->vars);
	ga_node_free(r->obj);
	ga_free(r->origin);
	ga_free(r->meta_origin);
	ga_free(r->meta_trans);
	ga_free(r);
}

int ga_kust__res_remember(ga_kust_res *r)
{
	ga_kust_prev *grown, *p;
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	grown = ga_reallocarray(r->prev, r->nprev + 1, sizeof(*grown));
	if (!grown)
		return GA_ENOMEM;
	r->prev = grown;
	p = &r->prev[r->nprev];
	p->api_version = ga_strdup(id.api_version);
	p->kind = ga_strdup(id.kind);
	p->name = ga_strdup(id.name);
	p->ns = ga_strdup(id.ns);
	if (!p->api_version || !p->kind || !p->name || !p->ns) {
		ga_free(p->api_version);
		ga_free(p->kind);
		ga_free(p->name);
		ga_free(p->ns);
		return GA_ENOMEM;
	}
	r->nprev++;
	return 0;
}

void ga_kust__res_id_at(const ga_kust_res *r, size_t i, ga_kust_id *id)
{
	if (i >= r->nprev) {
		ga_kust__id_of(id, r->obj);
		return;
	}
	id->api_version = r->prev[i].api_version;
	id->kind = r->prev[i].kind;
	id->name = r->prev[i].name;
	id->ns = r->prev[i].ns;
	split_api_version(id);
}

void ga_kust__res_org(const ga_kust_res *r, ga_kust_id *id)
{
	ga_kust__res_id_at(r, 0, id);
}

int ga_kust__res_set_meta(ga_kust_res *r, const char *field, const char *value)
{
	ga_node *meta = ga_node_map_get(r->obj, "metadata"), *v = NULL;
	int err;

	if (!meta || ga_node_type_of(meta) != GA_NODE_MAP) {
		if ((err = ga_node_new_map(&meta)) < 0 ||
		    (err = ga_node_map_set_take(r->obj, "metadata", meta)) < 0)
			return err;
	}
	if ((err = ga_node_new_string(&v, value, strlen(value))) < 0)
		return err;
	return ga_node_map_set_take(meta, field, v);
}

static int duplicate_error(const ga_kust_res *r, const ga_kust_id *id)
{
	ga_buf text = GA_BUF_INIT(1024);

	ga_kust__id_format(&text, id);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: may not add resource with an already registered id: "
	             "%s",
	             r->origin, ga_buf_cstr(&text));
	ga_buf_dispose(&text);
	return GA_EINVALID;
}

/* The identity as one byte string, parts separated by NUL (which no
 * part can contain): the key of the duplicate index. */
static int id_key(ga_buf *out, const ga_kust_id *id)
{
	const char *parts[] = {id->group, id->version, id->kind, id->name,
	                       effective_ns(id)};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		ga_buf_put(out, parts[i], strlen(parts[i]) + 1);
	return out->err;
}

static int resmap_grow(ga_kust_resmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16;
	ga_kust_res **v;

	if (m->n < m->cap)
		return 0;
	if (!(v = ga_reallocarray(m->v, ncap, sizeof(ga_kust_res *))))
		return GA_ENOMEM;
	m->v = v;
	m->cap = ncap;
	return 0;
}

int ga_kust__resmap_add_take(ga_kust_resmap *m, ga_kust_res *r)
{
	ga_buf key = GA_BUF_INIT((size_t)1 << 20);
	ga_node *mark = NULL;
	ga_kust_id id;
	int err;

	ga_kust__id_of(&id, r->obj);
	if ((err = resmap_grow(m)) < 0 || (err = id_key(&key, &id)) < 0 ||
	    (!m->ids && (err = ga_node_new_map(&m->ids)) < 0) ||
	    (err = ga_node_new_null(&mark)) < 0)
		goto out;
	err = ga_node_map_addn_take(m->ids, key.ptr, key.size, mark);
	if (err == GA_EEXISTS)
		err = duplicate_error(r, &id);
	if (err < 0)
		goto out;
	m->v[m->n++] = r;
	r = NULL;
out:
	ga_kust__res_free(r);
	ga_buf_dispose(&key);
	return err;
}

int ga_kust__resmap_reindex(ga_kust_resmap *m, const char *what)
{
	ga_kust_resmap fresh = {0};
	int err = 0;

	/* Re-add everything to a fresh map: the same duplicate check. */
	for (size_t i = 0; i < m->n; i++) {
		if (!err) {
			err = ga_kust__resmap_add_take(&fresh, m->v[i]);
			if (err == GA_EINVALID)
				ga_error_prefix("%s produces an id conflict",
				                what);
		} else {
			ga_kust__res_free(m->v[i]);
		}
		m->v[i] = NULL;
	}
	ga_kust__resmap_dispose(m);
	*m = fresh;
	return err;
}

int ga_kust__resmap_absorb(ga_kust_resmap *to, ga_kust_resmap *from)
{
	int err = 0;

	for (size_t i = 0; i < from->n; i++) {
		ga_kust_res *r = from->v[i];

		from->v[i] = NULL;
		if (!err)
			err = ga_kust__resmap_add_take(to, r);
		else
			ga_kust__res_free(r);
	}
	from->n = 0;
	return err;
}

void ga_kust__resmap_dispose(ga_kust_resmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		ga_kust__res_free(m->v[i]);
	ga_free(m->v);
	ga_node_free(m->ids);
	memset(m, 0, sizeof(*m));
}

int ga_kust__scalar_text(const ga_node *n, char buf[GA_FMT_FLOAT_MAX],
                         const char **text, size_t *len)
{
	double f;
	int err = 0;

	*text = buf;
	if (ga_node_is_scalar(n) && ga_node_source_text(n)) {
		*text = ga_node_source_text(n);
		*len = strlen(*text);
		return 0;
	}
	switch (ga_node_type_of(n)) {
	case GA_NODE_STRING:
		*text = ga_node_str(n);
		*len = ga_node_str_len(n);
		return 0;
	case GA_NODE_NULL:
		(void)snprintf(buf, GA_FMT_FLOAT_MAX, "null");
		break;
	case GA_NODE_BOOL:
		(void)snprintf(buf, GA_FMT_FLOAT_MAX, "%s",
		               ga_node_bool(n) ? "true" : "false");
		break;
	case GA_NODE_INT:
		if (ga_node_is_uint(n))
			(void)snprintf(buf, GA_FMT_FLOAT_MAX, "%llu",
			               (unsigned long long)ga_node_uint(n));
		else
			(void)snprintf(buf, GA_FMT_FLOAT_MAX, "%lld",
			               (long long)ga_node_int(n));
		break;
	case GA_NODE_FLOAT:
		f = ga_node_float(n);
		if (isnan(f))
			(void)snprintf(buf, GA_FMT_FLOAT_MAX, ".nan");
		else if (isinf(f))
			(void)snprintf(buf, GA_FMT_FLOAT_MAX, "%s.inf",
			               f < 0 ? "-" : "");
		else
			err = ga_fmt_float_go(buf, GA_FMT_FLOAT_MAX, f);
		break;
	default:
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "expected a scalar, found a collection");
		return GA_EINVALID;
	}
	if (err < 0)
		return err;
	*len = strlen(buf);
	return 0;
}

int ga_kust__stringify_values(ga_node *map, int how)
{
	int err = 0;

	for (size_t i = 0; !err && map && ga_node_type_of(map) == GA_NODE_MAP &&
	                   i < ga_node_count(map);
	     i++) {
		const ga_node *v = ga_node_map_value(map, i);
		char buf[GA_FMT_FLOAT_MAX];
		const char *text = "";
		ga_node *s = NULL;
		size_t klen, len = 0;
		const char *k = ga_node_map_key(map, i, &klen);

		if ((ga_node_type_of(v) == GA_NODE_STRING &&
		     !ga_node_source_text(v)) ||
		    (!ga_node_is_scalar(v) && how == GA_KUST_STR_DATA))
			continue;
		if (ga_node_is_scalar(v) &&
		    !(ga_node_type_of(v) == GA_NODE_NULL &&
		      how == GA_KUST_STR_DATA) &&
		    (err = ga_kust__scalar_text(v, buf, &text, &len)) < 0)
			break;
		if (!(err = ga_node_new_string(&s, text, len)))
			err = ga_node_map_setn_take(map, k, klen, s);
	}
	return err;
}
