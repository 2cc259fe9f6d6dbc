/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of a reconcile pass shared between reconcile.c (the pass:
 * fetch, verify, build, apply, health) and reconcile_src.c (Secrets and
 * credentials).  The loop's thread only.
 */
#ifndef GA_AGENT_RECONCILE_H
#define GA_AGENT_RECONCILE_H

#include "ga/verify.h"
#include "run.h"

/* The verification keys the configuration names, read from Secrets. */
int ga_reconcile_load_keys(ga_agent *a, ga_verify_keys **out);

/* The Git credentials of source.secretRef, as files for the mirror. */
int ga_reconcile_credentials(ga_agent *a);

/*
 * The kustomization laid over the verified tree: the distribution path
 * as its resource, targetNamespace as namespace, and the provider's
 * customize fields.  Appends YAML to @out.  Returns 0 or a code.
 */
int ga_reconcile_overlay_text(ga_buf *out, const ga_config *c);

/* The virtual directory of that kustomization in the Git tree. */
#define GA_RECONCILE_OVERLAY_DIR "/.gitops-agent-overlay"

#endif
