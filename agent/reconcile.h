/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of a reconcile pass shared between reconcile.c (the pass:
 * fetch, verify, build, apply, health), reconcile_src.c (Secrets and
 * credentials) and source_proc.c.  The loop's thread only.
 */
#ifndef GA_AGENT_RECONCILE_H
#define GA_AGENT_RECONCILE_H

#include "run.h"

/* The Git credentials of source.secretRef, as files for the mirror. */
int ga_reconcile_credentials(ga_agent *a);

#endif
