/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The in-cluster configuration, and what every configuration shares:
 * freeing it and turning it into HTTP client options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "kube_int.h"

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

static void wipe_free(char *s)
{
	if (s)
		memset(s, 0, strlen(s));
	ga_free(s);
}

void ga_kube_config_free(ga_kube_config *c)
{
	if (!c)
		return;
	ga_free(c->context);
	ga_free(c->cluster);
	ga_free(c->user);
	ga_free(c->server);
	ga_free(c->ns);
	ga_free(c->ca_file);
	ga_free(c->ca_pem);
	ga_free(c->cert_file);
	ga_free(c->key_file);
	ga_free(c->cert_pem);
	wipe_free(c->key_pem);
	wipe_free(c->token);
	ga_free(c->token_file);
	ga_free(c->exec_command);
	for (size_t i = 0; i < c->exec_nargs; i++)
		ga_free(c->exec_args[i]);
	ga_free(c->exec_args);
	for (size_t i = 0; i < c->exec_nenv; i++)
		wipe_free(c->exec_env[i]);
	ga_free(c->exec_env);
	ga_free(c->exec_api_version);
	ga_free(c);
}

static int set_path(char **out, const char *dir, const char *name)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return (*out = ga_strdup(p)) ? 0 : GA_ENOMEM;
}

int ga_kube_config_in_cluster(ga_kube_config **out, const char *sa_dir)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	ga_buf ns = GA_BUF_INIT(256);
	ga_kube_config *c;
	char server[512], nsfile[4096];
	int err = GA_ENOMEM;

	if (!sa_dir)
		sa_dir = SA_DIR;
	if (!host || !host[0] || !port || !port[0]) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "not in a cluster: KUBERNETES_SERVICE_HOST and "
		             "KUBERNETES_SERVICE_PORT are not set");
		return GA_ENOTFOUND;
	}
	/* An IPv6 address needs brackets in a URL. */
	snprintf(server, sizeof(server),
	         strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s", host,
	         port);
	if (!(c = ga_calloc(1, sizeof(*c))))
		return GA_ENOMEM;
	if (!(c->server = ga_strdup(server)) ||
	    !(c->context = ga_strdup("in-cluster")) ||
	    set_path(&c->token_file, sa_dir, "token") < 0 ||
	    set_path(&c->ca_file, sa_dir, "ca.crt") < 0)
		goto fail;
	snprintf(nsfile, sizeof(nsfile), "%s/namespace", sa_dir);
	if (ga_file_read(&ns, nsfile) < 0) {
		ga_error_prefix("in-cluster namespace");
		err = GA_ENOTFOUND;
		goto fail;
	}
	while (ns.size && strchr(" \t\r\n", ns.ptr[ns.size - 1]))
		ns.size--;
	if (!ns.size || !(c->ns = ga_strndup(ns.ptr, ns.size))) {
		err = ns.size ? GA_ENOMEM : GA_EINVALID;
		if (err == GA_EINVALID)
			ga_error_set(
			    GA_ERRCLASS_CONFIG,
			    "in-cluster namespace file %s/namespace is "
			    "empty",
			    sa_dir);
		goto fail;
	}
	ga_buf_dispose(&ns);
	*out = c;
	return 0;
fail:
	ga_buf_dispose(&ns);
	ga_kube_config_free(c);
	return err;
}

void ga_kube_config_http_opts(const ga_kube_config *c, ga_http_opts *o)
{
	o->ca_file = c->ca_file;
	o->ca_pem = c->ca_pem;
	o->cert_file = c->cert_file;
	o->key_file = c->key_file;
	o->cert_pem = c->cert_pem;
	o->key_pem = c->key_pem;
	o->token = c->token;
	o->token_file = c->token ? NULL : c->token_file;
	o->insecure = c->insecure;
}
