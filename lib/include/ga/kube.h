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
#include "node.h"

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

/* The API client: one per thread (it holds an HTTP client). */
typedef struct ga_kube ga_kube;

/** A resource as discovery describes it. */
typedef struct ga_kube_resource {
	char group[256], version[64], kind[128], plural[256];
	bool namespaced;
} ga_kube_resource;

/** Flags of the writes. */
enum {
	GA_KUBE_FORCE = 1 << 0,   /**< apply: take fields others own */
	GA_KUBE_DRY_RUN = 1 << 1, /**< dryRun=All: validate, change nothing */
	GA_KUBE_STATUS = 1 << 2,  /**< update, apply: the status subresource */
};

/**
 * A client for @cfg (which must outlive it); @base: HTTP timeouts and
 * retries (NULL: the defaults).  Returns as ga_http_new().
 */
GA_EXTERN int ga_kube_new(ga_kube **out, const ga_kube_config *cfg,
                          const ga_http_opts *base);
GA_EXTERN void ga_kube_free(ga_kube *k);

/**
 * The resource of @kind in @api_version ("v1", "apps/v1"), discovered
 * from the server the first time its group-version is used; a kind not
 * found makes the client discover again once (a CRD established since).
 * Returns 0, GA_ENOTFOUND or a request failure.
 */
GA_EXTERN int ga_kube_resource_for(ga_kube *k, const char *api_version,
                                   const char *kind, ga_kube_resource *out);
/** Forget what discovery found (after CRDs were applied). */
GA_EXTERN void ga_kube_invalidate(ga_kube *k);

/*
 * The verbs.  API errors come back as codes from the Status reason:
 * GA_ENOTFOUND, GA_EEXISTS, GA_ECONFLICT, GA_EINVALID (Invalid,
 * BadRequest), GA_EAUTH, GA_ERETRY (429, 5xx, timeouts, after the HTTP
 * client's retries), GA_EUNSUPPORTED; the message names the object and
 * carries the server's message and causes with their fields.
 */
GA_EXTERN int ga_kube_get(ga_kube *k, const char *api_version, const char *kind,
                          const char *ns, const char *name, ga_node **out);
/** Every object of a kind (in @ns, or all namespaces when NULL) matching
 * the label @selector, read page by page; *@out is a list of objects
 * with their apiVersion and kind. */
GA_EXTERN int ga_kube_list(ga_kube *k, const char *api_version,
                           const char *kind, const char *ns,
                           const char *selector, ga_node **out);
/*
 * The writes of @obj (which names its apiVersion, kind, namespace and
 * name) with @manager as fieldManager (NULL: the server's default, except
 * for apply, which needs one); *@out (if @out) is the object the server
 * returns.
 */
/** Create @obj (POST); GA_EEXISTS when it exists. */
GA_EXTERN int ga_kube_create(ga_kube *k, const ga_node *obj,
                             const char *manager, unsigned flags,
                             ga_node **out);
/** Replace @obj (PUT); with metadata.resourceVersion set, GA_ECONFLICT
 * when the object changed since that version. */
GA_EXTERN int ga_kube_update(ga_kube *k, const ga_node *obj,
                             const char *manager, unsigned flags,
                             ga_node **out);
/** Server-side apply of @obj. */
GA_EXTERN int ga_kube_apply(ga_kube *k, const ga_node *obj, const char *manager,
                            unsigned flags, ga_node **out);
/** Delete an object; @propagation: "Foreground", "Background",
 * "Orphan" or NULL for the server's default. */
GA_EXTERN int ga_kube_delete(ga_kube *k, const char *api_version,
                             const char *kind, const char *ns, const char *name,
                             const char *propagation, unsigned flags);

/**
 * The HTTP status of the last request that failed with an answer (0:
 * none yet), and in *@status (if given) its Status body or NULL,
 * borrowed until the next failure: what deciding on a retry or a
 * recreate (ga_apply_recreate_check) needs beyond the error code.
 */
GA_EXTERN long ga_kube_last_failure(const ga_kube *k, const ga_node **status);

/** Requests a client sent; watches are not counted. */
typedef struct ga_kube_counts {
	uint64_t reads;    /**< GET and LIST, discovery included */
	uint64_t dry_runs; /**< writes with dryRun=All */
	uint64_t writes;   /**< every other request */
} ga_kube_counts;

/** How many requests @k sent so far: what an efficiency check needs
 * without the server's audit log. */
GA_EXTERN void ga_kube_request_counts(const ga_kube *k, ga_kube_counts *out);

/** One of our own Events (core/v1). */
typedef struct ga_kube_event {
	const ga_node *about;  /**< the object (apiVersion, kind, metadata) */
	const char *type;      /**< "Normal" or "Warning" */
	const char *reason;    /**< CamelCase: "ReconciliationSucceeded" */
	const char *message;   /**< cut at 1024 bytes */
	const char *component; /**< source and reporting component, and the
	                        * field manager of the write */
	const char *instance;  /**< reportingInstance (the pod), or NULL */
} ga_kube_event;

/** Record @ev as client-go's recorder does: an Event named after the
 * object in its namespace ("default" when cluster-scoped). */
GA_EXTERN int ga_kube_record_event(ga_kube *k, const ga_kube_event *ev);

/** Called by ga_kube_secret_each() for each key: @value is decoded,
 * @len bytes plus a NUL.  A non-zero return stops the walk. */
typedef int (*ga_kube_secret_fn)(void *payload, const char *key,
                                 const char *value, size_t len);

/**
 * Decode each key of a Secret's data (strict base64, as the API server
 * writes it) and call @fn with it, in the object's key order.  Returns 0,
 * the first non-zero of @fn, GA_EINVALID (a value that is not a string
 * or not base64: the message names the Secret and the key, never a
 * value) or GA_ENOMEM.
 */
GA_EXTERN int ga_kube_secret_each(const ga_node *secret, ga_kube_secret_fn fn,
                                  void *payload);

/** What a watch event says happened. */
typedef enum ga_kube_event_type {
	GA_KUBE_ADDED,
	GA_KUBE_MODIFIED,
	GA_KUBE_DELETED,
	GA_KUBE_BOOKMARK, /**< only metadata.resourceVersion: progress */
} ga_kube_event_type;

/** A watch's handler: @obj is borrowed for the call; return 0 to go on,
 * non-zero to end the watch. */
typedef int (*ga_kube_watch_fn)(void *payload, ga_kube_event_type type,
                                const ga_node *obj);

typedef struct ga_kube_watch_opts {
	const char *ns;               /**< NULL: all namespaces */
	const char *selector;         /**< label selector, or NULL */
	const char *field_selector;   /**< "metadata.name=x", or NULL */
	const char *resource_version; /**< changes after this one (from a
	                               * LIST); NULL: the current objects
	                               * as ADDED events first */
	unsigned timeout_s;           /**< the server ends the watch after
	                               * it; 0: 300 s */
} ga_kube_watch_opts;

/** Room for a resourceVersion (an opaque string; etcd's are integers). */
#define GA_KUBE_RV_MAX 64

/**
 * Watch the objects of a kind; @fn sees each event until it returns
 * non-zero or the server ends the watch (its timeout).  @rv gets the
 * last resourceVersion seen, bookmarks included, to resume from (it
 * may be the buffer o->resource_version points to).
 * Returns 0 when the watch ended, GA_ECONFLICT when @resource_version
 * is too old (410 Expired: list again), or a request failure.
 */
GA_EXTERN int ga_kube_watch(ga_kube *k, const char *api_version,
                            const char *kind, const ga_kube_watch_opts *o,
                            ga_kube_watch_fn fn, void *payload,
                            char rv[GA_KUBE_RV_MAX]);

#endif
