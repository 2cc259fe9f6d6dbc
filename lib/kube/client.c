/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Kubernetes API client (ga/kube.h): one request with API errors
 * turned into our codes and messages (status.c), and discovery of the
 * resources of each group-version when first needed.  The verbs are in
 * verbs.c.
 */
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "kube_int.h"

#define MAX_GROUP_VERSIONS 512

/* What discovery found for one group-version. */
struct gv {
	char name[320];        /* "v1", "apps/v1" */
	ga_kube_resource *res; /* none when the server does not serve it */
	size_t n;
};

int ga_kube_new(ga_kube **out, const ga_kube_config *cfg,
                const ga_http_opts *base)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT;
	ga_kube *k;
	size_t len;
	int err;

	if (base)
		o = *base;
	ga_kube_config_http_opts(cfg, &o);
	if (!(k = ga_calloc(1, sizeof(*k))))
		return GA_ENOMEM;
	len = strlen(cfg->server);
	while (len && cfg->server[len - 1] == '/')
		len--;
	if (!(k->base = ga_strndup(cfg->server, len))) {
		err = GA_ENOMEM;
		goto fail;
	}
	if ((err = ga_http_new(&k->http, &o)) < 0)
		goto fail;
	*out = k;
	return 0;
fail:
	ga_kube_free(k);
	return err;
}

void ga_kube_invalidate(ga_kube *k)
{
	for (size_t i = 0; i < k->ngv; i++)
		ga_free(k->gvs[i].res);
	k->ngv = 0;
}

/* Forget one group-version, so that its next use discovers it again. */
static void forget(ga_kube *k, struct gv *gv)
{
	ga_free(gv->res);
	*gv = k->gvs[--k->ngv];
}

void ga_kube_free(ga_kube *k)
{
	if (!k)
		return;
	ga_kube_invalidate(k);
	ga_node_free(k->last_status);
	ga_free(k->gvs);
	ga_http_free(k->http);
	ga_free(k->base);
	ga_free(k);
}

/* Keep a failed answer's status and Status body for
 * ga_kube_last_failure(); a body that is not JSON is not kept. */
static void keep_failure(ga_kube *k, const ga_http_response *resp)
{
	ga_node *status = NULL;

	k->last_http = resp->status;
	ga_node_free(k->last_status);
	k->last_status = NULL;
	if (ga_json_parse(&status, ga_buf_cstr(&resp->body), resp->body.size,
	                  "status") == 0 &&
	    ga_node_type_of(status) == GA_NODE_MAP)
		k->last_status = status;
	else
		ga_node_free(status);
	ga_error_clear(); /* the caller sets the request's error next */
}

long ga_kube_last_failure(const ga_kube *k, const ga_node **status)
{
	if (status)
		*status = k->last_status;
	return k->last_http;
}

void ga_kube_request_counts(const ga_kube *k, ga_kube_counts *out)
{
	*out = k->counts;
}

int ga_kube__call(ga_kube *k, const char *method, const char *path,
                  const char *ctype, const ga_buf *body, const char *what,
                  ga_node **out)
{
	ga_buf url = GA_BUF_INIT(16384);
	ga_http_request req = {.method = method,
	                       .content_type = ctype,
	                       .accept = "application/json",
	                       .body = body ? body->ptr : NULL,
	                       .body_len = body ? body->size : 0};
	ga_http_response resp;
	int err;

	ga_http_response_init(&resp);
	ga_buf_printf(&url, "%s%s", k->base, path);
	if ((err = url.err) < 0)
		goto out;
	req.url = url.ptr;
	if (strcmp(method, "GET") == 0)
		k->counts.reads++;
	else if (strstr(path, "dryRun=All"))
		k->counts.dry_runs++;
	else
		k->counts.writes++;
	if ((err = ga_http_do(k->http, &req, &resp)) < 0) {
		ga_error_prefix("%s", what);
		goto out;
	}
	if (resp.status < 200 || resp.status > 299) {
		keep_failure(k, &resp);
		err = ga_kube__status_error(resp.status, resp.body.ptr,
		                            resp.body.size, what);
		goto out;
	}
	if (out && (err = ga_json_parse(out, ga_buf_cstr(&resp.body),
	                                resp.body.size, what)) < 0)
		ga_error_prefix("response");
out:
	ga_http_response_dispose(&resp);
	ga_buf_dispose(&url);
	return err;
}

/* @len bytes of @src as a string in @dst; false when they do not fit. */
static bool copy(char *dst, size_t cap, const char *src, size_t len)
{
	if (len >= cap)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

/* The resources of @gv from its APIResourceList (subresources left out). */
static int read_resources(struct gv *gv, const ga_node *list)
{
	const ga_node *res = ga_node_map_get(list, "resources");
	const char *slash = strchr(gv->name, '/');
	size_t n = res ? ga_node_count(res) : 0;

	if (!(gv->res = ga_calloc(n ? n : 1, sizeof(*gv->res))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const ga_node *r = ga_node_list_get(res, i);
		const char *name = ga_node_str(ga_node_map_get(r, "name"));
		const char *kind = ga_node_str(ga_node_map_get(r, "kind"));
		const ga_node *nsd = ga_node_map_get(r, "namespaced");
		ga_kube_resource *d = &gv->res[gv->n];

		if (!name || !kind || strchr(name, '/'))
			continue;
		if (!copy(d->group, sizeof(d->group), gv->name,
		          slash ? (size_t)(slash - gv->name) : 0) ||
		    !copy(d->version, sizeof(d->version),
		          slash ? slash + 1 : gv->name,
		          strlen(slash ? slash + 1 : gv->name)) ||
		    !copy(d->kind, sizeof(d->kind), kind, strlen(kind)) ||
		    !copy(d->plural, sizeof(d->plural), name, strlen(name)))
			continue; /* longer than Kubernetes allows */
		d->namespaced = nsd && ga_node_bool(nsd);
		gv->n++;
	}
	return 0;
}

/* Discover @api_version once: its resources, or that it is not served. */
static int discover(ga_kube *k, const char *api_version, struct gv **out)
{
	ga_buf path = GA_BUF_INIT(512);
	ga_node *list = NULL;
	struct gv *gv;
	int err;

	for (size_t i = 0; i < k->ngv; i++)
		if (strcmp(k->gvs[i].name, api_version) == 0)
			return *out = &k->gvs[i], 0;
	if (k->ngv == MAX_GROUP_VERSIONS)
		ga_kube_invalidate(k);
	if (k->ngv == k->capgv) {
		size_t cap = k->capgv ? 2 * k->capgv : 16;
		struct gv *v = ga_reallocarray(k->gvs, cap, sizeof(*v));

		if (!v)
			return GA_ENOMEM;
		k->gvs = v;
		k->capgv = cap;
	}
	gv = &k->gvs[k->ngv];
	memset(gv, 0, sizeof(*gv));
	if (!copy(gv->name, sizeof(gv->name), api_version,
	          strlen(api_version))) {
		ga_error_set(GA_ERRCLASS_KUBE, "apiVersion too long: %.64s...",
		             api_version);
		return GA_EINVALID;
	}
	ga_buf_printf(&path, strchr(api_version, '/') ? "/apis/%s" : "/api/%s",
	              api_version);
	err = path.err ? path.err
	               : ga_kube__call(k, "GET", path.ptr, NULL, NULL,
	                               api_version, &list);
	ga_buf_dispose(&path);
	if (err == GA_ENOTFOUND) {
		ga_error_clear();
		err = 0; /* remembered as not served */
	} else if (!err) {
		err = read_resources(gv, list);
	}
	ga_node_free(list);
	if (err < 0)
		return err;
	k->ngv++;
	*out = gv;
	return 0;
}

int ga_kube_resource_for(ga_kube *k, const char *api_version, const char *kind,
                         ga_kube_resource *out)
{
	for (int pass = 0; pass < 2; pass++) {
		struct gv *gv;
		int err;

		if ((err = discover(k, api_version, &gv)) < 0)
			return err;
		for (size_t i = 0; i < gv->n; i++)
			if (strcmp(gv->res[i].kind, kind) == 0)
				return *out = gv->res[i], 0;
		/* Not known yet: a CRD may have been established since. */
		if (pass == 0)
			forget(k, gv);
	}
	ga_error_set(GA_ERRCLASS_KUBE,
	             "the server has no resource %s for apiVersion %s", kind,
	             api_version);
	return GA_ENOTFOUND;
}

void ga_kube__describe(char *buf, size_t cap, const char *api_version,
                       const char *kind, const char *ns, const char *name)
{
	snprintf(buf, cap, "%s %s %s%s%s", api_version, kind,
	         ns && ns[0] ? ns : "", ns && ns[0] ? "/" : "",
	         name ? name : "");
}

int ga_kube__object_path(ga_kube *k, ga_buf *path, const char *api_version,
                         const char *kind, const char *ns, const char *name,
                         bool all_ns)
{
	ga_kube_resource r;
	int err;

	if ((err = ga_kube_resource_for(k, api_version, kind, &r)) < 0)
		return err;
	if (r.namespaced && (!ns || !ns[0]) && !all_ns) {
		ga_error_set(GA_ERRCLASS_KUBE, "%s %s %s: needs a namespace",
		             api_version, kind, name ? name : "");
		return GA_EINVALID;
	}
	return ga_kube__path(path, &r, ns, name);
}
