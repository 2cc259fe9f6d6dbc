/* SPDX-License-Identifier: Apache-2.0 */
/* Internal declarations of lib/kube. */
#ifndef GA_KUBE_KUBE_INT_H
#define GA_KUBE_KUBE_INT_H

#include "ga/kube.h"
#include "ga/node.h"

/*
 * The user's exec plugin (@exec, NULL when absent) of kubeconfig @file
 * into @c; @where names the user for messages.  Returns 0, GA_EINVALID
 * or GA_ENOMEM.
 */
int ga_kube__read_exec(ga_kube_config *c, const char *file, const ga_node *exec,
                       const char *where);

#endif
