/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the Kubernetes API is and how to authenticate to it: a kubeconfig
 * (one file or the KUBECONFIG list, merged as kubectl merges them) or the
 * pod's in-cluster service account.
 */
#ifndef GA_KUBE_H
#define GA_KUBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "http.h"

typedef struct ga_kube_config {
	char *context, *cluster, *user; /**< the names chosen */
	char *server;                   /**< "https://host:port" */
	char *ns;                       /**< the context's namespace */
	/** Trust and credentials; files are absolute paths. */
	char *ca_file, *ca_pem;
	char *cert_file, *key_file, *cert_pem, *key_pem;
	char *token, *token_file;
	bool insecure;
	/** An exec credential plugin (client.authentication.k8s.io):
	 * the command, its arguments and NAME=VALUE environment. */
	char *exec_command;
	char **exec_args, **exec_env;
	size_t exec_nargs, exec_nenv;
	char *exec_api_version;
} ga_kube_config;

/**
 * Read the kubeconfig: @path if given, else the files of $KUBECONFIG
 * (":"-separated; the first definition of a name and the first
 * current-context win), else ~/.kube/config.  @context: the context to
 * use, NULL for current-context.  Errors name the file and the field.
 * Returns 0, GA_ENOTFOUND (no such file or context), GA_EINVALID (bad
 * content) or GA_EUNSUPPORTED (auth-provider, basic auth, proxy-url,
 * tls-server-name, impersonation), or GA_ENOMEM.
 */
GA_EXTERN int ga_kube_config_load(ga_kube_config **out, const char *path,
                                  const char *context);

/**
 * The pod's service account: $KUBERNETES_SERVICE_HOST and _PORT, the
 * token, CA and namespace files under @sa_dir (NULL:
 * /var/run/secrets/kubernetes.io/serviceaccount).  The token file is
 * re-read by the HTTP client as it rotates.
 */
GA_EXTERN int ga_kube_config_in_cluster(ga_kube_config **out,
                                        const char *sa_dir);

GA_EXTERN void ga_kube_config_free(ga_kube_config *c);

/**
 * Run @c's exec credential plugin, if it has one, and take the token or
 * client certificate it prints into @c; *@expiry is when they expire
 * (Unix seconds, 0: not said).  The plugin runs without a terminal and
 * within 60 s; its stderr goes into the message of a failure.  Returns 0,
 * GA_EAUTH (the plugin failed), GA_EINVALID (not an ExecCredential),
 * GA_EIO or GA_ENOMEM.
 */
GA_EXTERN int ga_kube_config_exec(ga_kube_config *c, int64_t *expiry);

/**
 * HTTP client options for @c (pointers into @c, which must outlive
 * them), over the defaults already in @o.
 */
GA_EXTERN void ga_kube_config_http_opts(const ga_kube_config *c,
                                        ga_http_opts *o);

/** A resource as discovery describes it. */
typedef struct ga_kube_resource {
	char group[256], version[64], kind[128], plural[256];
	bool namespaced;
} ga_kube_resource;

#endif
