/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubeconfig files as kubectl reads them (ga/kube.h): the KUBECONFIG list
 * merged name by name, first definition winning; the context's cluster
 * and user looked up by name; relative file paths taken from the file
 * that named them; *-data fields decoded from base64.  Fields we do not
 * act on are refused by name rather than ignored, so a configuration
 * never silently means less than it says.
 */
#include "ga/kube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/yaml.h"
#include "kube_int.h"
#include "util/base64.h"

#define KUBECONFIG_MAX ((size_t)4 << 20)
#define KUBECONFIG_FILES 16

struct src {
	char path[4096];
	char dir[4096];
	ga_node *docs;
};

/* An entry of list @kind ("clusters") named @name in the first file
 * that has one; *@from is that file. */
static const ga_node *find_named(const struct src *v, size_t n,
                                 const char *kind, const char *name,
                                 const struct src **from)
{
	for (size_t f = 0; f < n; f++) {
		const ga_node *doc = ga_node_list_get(v[f].docs, 0);
		const ga_node *list = doc ? ga_node_map_get(doc, kind) : NULL;

		for (size_t i = 0; list && i < ga_node_count(list); i++) {
			const ga_node *e = ga_node_list_get(list, i);
			const ga_node *nm = ga_node_map_get(e, "name");

			if (nm && ga_node_str(nm) &&
			    strcmp(ga_node_str(nm), name) == 0) {
				*from = &v[f];
				return e;
			}
		}
	}
	return NULL;
}

static int bad(const struct src *s, const char *where, const char *what)
{
	ga_error_set(GA_ERRCLASS_CONFIG, "kubeconfig %s: %s: %s", s->path,
	             where, what);
	return GA_EINVALID;
}

/* The string field @key of @obj into *@out (left NULL when absent). */
static int str_field(char **out, const struct src *s, const ga_node *obj,
                     const char *where, const char *key)
{
	const ga_node *v = obj ? ga_node_map_get(obj, key) : NULL;
	char field[256];

	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	snprintf(field, sizeof(field), "%s.%s", where, key);
	if (!ga_node_str(v))
		return bad(s, field, "expected a string");
	if (!ga_node_str_len(v))
		return 0;
	return (*out = ga_strdup(ga_node_str(v))) ? 0 : GA_ENOMEM;
}

/* A path field, made absolute against the directory of its file. */
static int path_field(char **out, const struct src *s, const ga_node *obj,
                      const char *where, const char *key)
{
	char *p = NULL, full[8192];
	int err;

	if ((err = str_field(&p, s, obj, where, key)) < 0 || !p)
		return err;
	if (p[0] != '/') {
		snprintf(full, sizeof(full), "%s/%s", s->dir, p);
		ga_free(p);
		return (*out = ga_strdup(full)) ? 0 : GA_ENOMEM;
	}
	*out = p;
	return 0;
}

/* A *-data field: base64 of PEM text. */
static int data_field(char **out, const struct src *s, const ga_node *obj,
                      const char *where, const char *key)
{
	ga_buf pem = GA_BUF_INIT(KUBECONFIG_MAX);
	char *b64 = NULL, field[256];
	int err;

	if ((err = str_field(&b64, s, obj, where, key)) < 0 || !b64)
		return err;
	err = ga_base64_decode(&pem, b64, strlen(b64), true);
	ga_free(b64);
	if (err < 0 || memchr(pem.ptr, '\0', pem.size)) {
		ga_buf_dispose(&pem);
		if (err == GA_ENOMEM)
			return err;
		snprintf(field, sizeof(field), "%s.%s", where, key);
		return bad(s, field, "not base64 of PEM text");
	}
	*out = ga_strndup(pem.ptr ? pem.ptr : "", pem.size);
	ga_buf_dispose(&pem);
	return *out ? 0 : GA_ENOMEM;
}

static bool has(const ga_node *obj, const char *key)
{
	const ga_node *v = obj ? ga_node_map_get(obj, key) : NULL;

	return v && ga_node_type_of(v) != GA_NODE_NULL &&
	       !(ga_node_str(v) && !ga_node_str_len(v));
}

static int refuse(const struct src *s, const char *where, const char *key,
                  const char *why)
{
	ga_error_set(GA_ERRCLASS_CONFIG,
	             "kubeconfig %s: %s.%s: not supported: %s", s->path, where,
	             key, why);
	return GA_EUNSUPPORTED;
}

static int read_cluster(ga_kube_config *c, const struct src *s,
                        const ga_node *cl, const char *where)
{
	const ga_node *insecure =
	    ga_node_map_get(cl, "insecure-skip-tls-verify");
	int err;

	if (has(cl, "proxy-url"))
		return refuse(s, where, "proxy-url", "use HTTPS_PROXY");
	if (has(cl, "tls-server-name"))
		return refuse(s, where, "tls-server-name",
		              "the server's name must be in its certificate");
	if ((err = str_field(&c->server, s, cl, where, "server")) < 0 ||
	    (err = path_field(&c->ca_file, s, cl, where,
	                      "certificate-authority")) < 0 ||
	    (err = data_field(&c->ca_pem, s, cl, where,
	                      "certificate-authority-data")) < 0)
		return err;
	if (!c->server)
		return bad(s, where, "no server");
	if (insecure && ga_node_type_of(insecure) != GA_NODE_BOOL)
		return bad(s, where,
		           "insecure-skip-tls-verify: expected true or false");
	c->insecure = insecure && ga_node_bool(insecure);
	return 0;
}

static int read_user(ga_kube_config *c, const struct src *s, const ga_node *u,
                     const char *where)
{
	static const char *const unsupported[][2] = {
	    {"auth-provider", "removed from kubectl; use an exec plugin"},
	    {"username", "basic authentication; use a token or a certificate"},
	    {"password", "basic authentication; use a token or a certificate"},
	    {"as", "impersonation"},
	    {"as-groups", "impersonation"},
	    {"as-uid", "impersonation"},
	    {"as-user-extra", "impersonation"},
	};
	int err;

	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]);
	     i++)
		if (has(u, unsupported[i][0]))
			return refuse(s, where, unsupported[i][0],
			              unsupported[i][1]);
	if ((err = path_field(&c->cert_file, s, u, where,
	                      "client-certificate")) < 0 ||
	    (err = path_field(&c->key_file, s, u, where, "client-key")) < 0 ||
	    (err = data_field(&c->cert_pem, s, u, where,
	                      "client-certificate-data")) < 0 ||
	    (err = data_field(&c->key_pem, s, u, where, "client-key-data")) <
	        0 ||
	    (err = str_field(&c->token, s, u, where, "token")) < 0 ||
	    (err = path_field(&c->token_file, s, u, where, "tokenFile")) < 0)
		return err;
	if (!c->cert_file != !c->key_file || !c->cert_pem != !c->key_pem)
		return bad(s, where,
		           "a client certificate needs its key, and a key its "
		           "certificate");
	return ga_kube__read_exec(c, s->path, ga_node_map_get(u, "exec"),
	                          where);
}

/* The files to read: @path, $KUBECONFIG's list, or ~/.kube/config. */
static int load_files(struct src *v, size_t *n, const char *path)
{
	const char *list = path ? path : getenv("KUBECONFIG");
	char def[4096];
	int err = 0;

	*n = 0;
	if (!list || !list[0]) {
		snprintf(def, sizeof(def), "%s/.kube/config",
		         getenv("HOME") ? getenv("HOME") : "");
		list = def;
	}
	for (const char *p = list; *p && !err;) {
		size_t len = path ? strlen(p) : strcspn(p, ":");
		ga_yaml_opts opts = GA_YAML_OPTS_INIT;
		ga_buf text = GA_BUF_INIT(KUBECONFIG_MAX);
		struct src *s = &v[*n];
		char *slash;

		if (len && *n == KUBECONFIG_FILES) {
			ga_error_set(GA_ERRCLASS_CONFIG,
			             "KUBECONFIG: more than %d files",
			             KUBECONFIG_FILES);
			return GA_ELIMIT;
		}
		if (len && len < sizeof(s->path)) {
			memcpy(s->path, p, len);
			s->path[len] = '\0';
			snprintf(s->dir, sizeof(s->dir), "%s", s->path);
			slash = strrchr(s->dir, '/');
			if (!slash)
				snprintf(s->dir, sizeof(s->dir), ".");
			else if (slash == s->dir)
				s->dir[1] = '\0'; /* "/config": the root */
			else
				*slash = '\0';
			opts.max_bytes = KUBECONFIG_MAX;
			opts.flags = GA_YAML_V2_SCALARS;
			if ((err = ga_file_read(&text, s->path)) == 0 &&
			    (err = ga_yaml_parse(&s->docs, ga_buf_cstr(&text),
			                         text.size, s->path, &opts)) ==
			        0)
				(*n)++;
			else if (err == GA_ENOTFOUND && !path)
				err =
				    0; /* kubectl skips missing list entries */
		}
		ga_buf_dispose(&text);
		p += len;
		if (*p == ':')
			p++;
	}
	if (!err && !*n) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "kubeconfig: no file found (%s)", list);
		err = GA_ENOTFOUND;
	}
	return err;
}

/* The context's name, its cluster's and user's, into @c. */
static int choose(ga_kube_config *c, const struct src *v, size_t n,
                  const char *context, const struct src **cs)
{
	const ga_node *ctx, *inner;
	int err;

	for (size_t f = 0; !context && f < n; f++) {
		const ga_node *doc = ga_node_list_get(v[f].docs, 0);
		const ga_node *cur =
		    doc ? ga_node_map_get(doc, "current-context") : NULL;

		if (cur && ga_node_str(cur) && ga_node_str_len(cur))
			context = ga_node_str(cur);
	}
	if (!context) {
		ga_error_set(
		    GA_ERRCLASS_CONFIG,
		    "kubeconfig %s: no current-context, and none asked "
		    "for",
		    v[0].path);
		return GA_ENOTFOUND;
	}
	if (!(ctx = find_named(v, n, "contexts", context, cs))) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "kubeconfig: context \"%s\" not found", context);
		return GA_ENOTFOUND;
	}
	inner = ga_node_map_get(ctx, "context");
	if (!(c->context = ga_strdup(context)))
		return GA_ENOMEM;
	if ((err = str_field(&c->cluster, *cs, inner, "context", "cluster")) <
	        0 ||
	    (err = str_field(&c->user, *cs, inner, "context", "user")) < 0 ||
	    (err = str_field(&c->ns, *cs, inner, "context", "namespace")) < 0)
		return err;
	if (!c->cluster)
		return bad(*cs, context, "the context names no cluster");
	return 0;
}

/* The entry of @c's context in list @kind ("clusters"), named @name, and
 * the value of its @field ("cluster"); *@where names it for messages. */
static int entry(const ga_node **out, const struct src **s,
                 const ga_kube_config *c, const struct src *v, size_t n,
                 const char *kind, const char *field, const char *name,
                 char *where, size_t cap)
{
	const ga_node *e = find_named(v, n, kind, name, s);

	if (!e) {
		ga_error_set(
		    GA_ERRCLASS_CONFIG,
		    "kubeconfig: %s \"%s\" of context \"%s\" not found", field,
		    name, c->context);
		return GA_ENOTFOUND;
	}
	snprintf(where, cap, "%s[%s].%s", kind, name, field);
	return (*out = ga_node_map_get(e, field)) ? 0
	                                          : bad(*s, where, "missing");
}

static int fill(ga_kube_config *c, const struct src *v, size_t n)
{
	const struct src *s = NULL;
	const ga_node *e;
	char where[512];
	int err;

	if ((err = entry(&e, &s, c, v, n, "clusters", "cluster", c->cluster,
	                 where, sizeof(where))) < 0 ||
	    (err = read_cluster(c, s, e, where)) < 0 || !c->user ||
	    (err = entry(&e, &s, c, v, n, "users", "user", c->user, where,
	                 sizeof(where))) < 0)
		return err;
	return read_user(c, s, e, where);
}

int ga_kube_config_load(ga_kube_config **out, const char *path,
                        const char *context)
{
	struct src *v = ga_calloc(KUBECONFIG_FILES, sizeof(*v));
	const struct src *cs = NULL;
	ga_kube_config *c = NULL;
	size_t n = 0;
	int err;

	if (!v || !(c = ga_calloc(1, sizeof(*c)))) {
		err = GA_ENOMEM;
		goto out;
	}
	if ((err = load_files(v, &n, path)) < 0 ||
	    (err = choose(c, v, n, context, &cs)) < 0 ||
	    (err = fill(c, v, n)) < 0)
		goto out;
	if (!c->ns && !(c->ns = ga_strdup("default"))) {
		err = GA_ENOMEM;
		goto out;
	}
	*out = c;
	c = NULL;
out:
	for (size_t i = 0; v && i < n; i++)
		ga_node_free(v[i].docs);
	ga_free(v);
	ga_kube_config_free(c);
	return err;
}
