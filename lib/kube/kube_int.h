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

/* @s percent-encoded for a query parameter's value. */
void ga_kube__query_escape(ga_buf *out, const char *s);

#endif
