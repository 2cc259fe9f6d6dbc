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

#endif
