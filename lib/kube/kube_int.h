/* SPDX-License-Identifier: Apache-2.0 */
/* Internal declarations of lib/kube. */
#ifndef GA_KUBE_KUBE_INT_H
#define GA_KUBE_KUBE_INT_H

#include "ga/buf.h"
#include "ga/kube.h"
#include "ga/node.h"

/*
 * The user's exec plugin (@exec, NULL when absent) of kubeconfig @file
 * into @c; @where names the user for messages.  Returns 0, GA_EINVALID
 * or GA_ENOMEM.
 */
int ga_kube__read_exec(ga_kube_config *c, const char *file, const ga_node *exec,
                       const char *where);

/*
 * The error for a non-2xx answer: our code for the Status reason (or the
 * HTTP status), and a message "@what: Reason: message; field: cause".
 * Returns the code.
 */
int ga_kube__status_error(long http, const char *body, size_t len,
                          const char *what);

/* The path of @r's collection, or of object @name in it; @ns for
 * namespaced resources.  Names are percent-encoded. */
int ga_kube__path(ga_buf *out, const ga_kube_resource *r, const char *ns,
                  const char *name);

/* The string at @key of @map, or @dflt (also when @map is not a map). */
const char *ga_kube__str(const ga_node *map, const char *key, const char *dflt);

/* @s percent-encoded for a query parameter's value. */
void ga_kube__query_escape(ga_buf *out, const char *s);
/* Append "?key=value", or "&key=value" after the first, to @path. */
void ga_kube__query(ga_buf *path, const char *key, const char *value);

/* client.c: the client and discovery. */
struct gv;
struct ga_kube {
	ga_http *http;
	char *base; /* the server's URL without a trailing '/' */
	struct gv *gvs;
	size_t ngv, capgv;
	long last_http;        /* the last failed answer's status */
	ga_node *last_status;  /* and its Status body, when it had one */
	ga_kube_counts counts; /* requests sent */
};

/*
 * One request of @method to @path (after the server's URL) with @body of
 * type @ctype (both may be NULL); a 2xx body parsed into *@out (when
 * @out), anything else an error whose message starts with @what.
 */
int ga_kube__call(ga_kube *k, const char *method, const char *path,
                  const char *ctype, const ga_buf *body, const char *what,
                  ga_node **out);

/* "apps/v1 Deployment ns/name" for messages. */
void ga_kube__describe(char *buf, size_t cap, const char *api_version,
                       const char *kind, const char *ns, const char *name);

/* The path of an object (@name) or collection (NULL), after discovery;
 * GA_EINVALID when a namespaced kind has no @ns, unless @all_ns (a
 * collection across all namespaces). */
int ga_kube__object_path(ga_kube *k, ga_buf *path, const char *api_version,
                         const char *kind, const char *ns, const char *name,
                         bool all_ns);

/* verbs.c: give the items of one LIST page (@page, a parsed answer of
 * any shape) their apiVersion and kind, which lists leave out, and move
 * them to the list @items; items that are not objects are dropped. */
int ga_kube__take_items(ga_node *items, ga_node *page, const char *api_version,
                        const char *kind);

/* watch.c: the consumer of a watch's stream, on its own for tests. */
typedef struct ga_kube__watch {
	ga_kube_watch_fn fn;
	void *payload;
	const char *what;
	ga_buf line; /* the event being read */
	char *rv;    /* the caller's, GA_KUBE_RV_MAX bytes */
	int err;     /* what stopped the stream, 0 when the handler did */
} ga_kube__watch;

/* Ready @w to hand events to @fn; dispose w->line after. */
void ga_kube__watch_init(ga_kube__watch *w, ga_kube_watch_fn fn, void *payload,
                         const char *what, char rv[GA_KUBE_RV_MAX]);
/* The next bytes of the stream; non-zero to stop it (w->err says why,
 * 0 when the handler asked). */
int ga_kube__watch_data(void *w, const char *data, size_t len);

#endif
