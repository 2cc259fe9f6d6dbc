/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kstatus (flux.md §2.9: Flux's fork of cli-utils, status.Compute) in the
 * order it applies its rules: a deletion timestamp means Terminating; an
 * observedGeneration behind metadata.generation means InProgress; the
 * Reconciling and Stalled conditions; then the kind's own rules
 * (health_workloads.c); then a Ready condition, whose False is InProgress,
 * not Failed; and an object with none of these is Current at once.
 */
#include "apply/health.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "apply/apply_int.h"

const ga_node *ga_apply__condition(const ga_node *obj, const char *type)
{
	const ga_node *conds = ga_apply__at(obj, "status.conditions");
	size_t n = conds && ga_node_type_of(conds) == GA_NODE_LIST
	               ? ga_node_count(conds)
	               : 0;

	for (size_t i = 0; i < n; i++) {
		const ga_node *c = ga_node_list_get(conds, i);

		if (strcmp(ga_apply__str(c, "type", ""), type) == 0)
			return c;
	}
	return NULL;
}

bool ga_apply__cond_is(const ga_node *obj, const char *type, const char *status)
{
	const ga_node *c = ga_apply__condition(obj, type);

	return c && strcmp(ga_apply__str(c, "status", ""), status) == 0;
}

void ga_apply__health_set(ga_health *h, ga_health_status status,
                          const char *reason, const char *fmt, ...)
{
	va_list ap;

	h->status = status;
	(void)snprintf(h->reason, sizeof(h->reason), "%s", reason);
	va_start(ap, fmt);
	(void)vsnprintf(h->message, sizeof(h->message), fmt, ap);
	va_end(ap);
}

/* The rules every kind shares before its own; true when one decided. */
static bool generic_first(ga_health *h, const ga_node *obj)
{
	int64_t gen, observed;
	const ga_node *c;

	if (ga_apply__at(obj, "metadata.deletionTimestamp")) {
		ga_apply__health_set(h, GA_HEALTH_TERMINATING, "Terminating",
		                     "Resource scheduled for deletion");
		return true;
	}
	if (ga_apply__int(obj, "status.observedGeneration", 0, &observed)) {
		(void)ga_apply__int(obj, "metadata.generation", 0, &gen);
		if (observed != gen) {
			ga_apply__health_set(
			    h, GA_HEALTH_IN_PROGRESS,
			    "LatestGenerationNotObserved",
			    "%s generation is %lld, but latest observed "
			    "generation is %lld",
			    ga_apply__str(obj, "kind", "resource"),
			    (long long)gen, (long long)observed);
			return true;
		}
	}
	if ((c = ga_apply__condition(obj, "Reconciling")) &&
	    strcmp(ga_apply__str(c, "status", ""), "True") == 0) {
		ga_apply__health_set(h, GA_HEALTH_IN_PROGRESS,
		                     ga_apply__str(c, "reason", "Reconciling"),
		                     "%s", ga_apply__str(c, "message", ""));
		return true;
	}
	if ((c = ga_apply__condition(obj, "Stalled")) &&
	    strcmp(ga_apply__str(c, "status", ""), "True") == 0) {
		ga_apply__health_set(h, GA_HEALTH_FAILED,
		                     ga_apply__str(c, "reason", "Stalled"),
		                     "%s", ga_apply__str(c, "message", ""));
		return true;
	}
	return false;
}

/* A Ready condition, else Current (a resource with no conditions). */
static void generic_last(ga_health *h, const ga_node *obj)
{
	const ga_node *c = ga_apply__condition(obj, "Ready");

	if (!c) {
		ga_apply__health_set(h, GA_HEALTH_CURRENT, "Current",
		                     "Resource is current");
		return;
	}
	if (strcmp(ga_apply__str(c, "status", ""), "True") == 0)
		ga_apply__health_set(
		    h, GA_HEALTH_CURRENT, ga_apply__str(c, "reason", "Ready"),
		    "%s", ga_apply__str(c, "message", "Resource is Ready"));
	else
		ga_apply__health_set(
		    h, GA_HEALTH_IN_PROGRESS,
		    ga_apply__str(c, "reason", "NotReady"), "%s",
		    ga_apply__str(c, "message", "Resource is not Ready"));
}

void ga_apply_health(ga_health *out, const ga_node *obj)
{
	const ga_node *st = ga_apply__at(obj, "status");

	if (!obj || ga_node_type_of(obj) != GA_NODE_MAP ||
	    !*ga_apply__str(obj, "kind", "")) {
		ga_apply__health_set(out, GA_HEALTH_UNKNOWN, "NotAnObject",
		                     "not a Kubernetes object (no kind)");
		return;
	}
	if (st && ga_node_type_of(st) != GA_NODE_MAP &&
	    ga_node_type_of(st) != GA_NODE_NULL) {
		ga_apply__health_set(out, GA_HEALTH_UNKNOWN, "InvalidStatus",
		                     "status is a %s, not a map",
		                     ga_node_type_name(ga_node_type_of(st)));
		return;
	}
	if (generic_first(out, obj) || ga_apply__health_kind(out, obj))
		return;
	generic_last(out, obj);
}

const char *ga_health_status_name(ga_health_status status)
{
	switch (status) {
	case GA_HEALTH_CURRENT:
		return "Current";
	case GA_HEALTH_IN_PROGRESS:
		return "InProgress";
	case GA_HEALTH_FAILED:
		return "Failed";
	case GA_HEALTH_TERMINATING:
		return "Terminating";
	case GA_HEALTH_UNKNOWN:
	default:
		return "Unknown";
	}
}
