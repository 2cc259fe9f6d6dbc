/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whether an apply error allows delete-and-recreate (flux.md §2.6 and
 * §8.4).  Flux's IsImmutableError takes any 409 or 422, so with force on
 * a plain validation error deletes the live object
 * (kustomize-controller#734: a Service with empty ports).  Here only a
 * 422 Invalid qualifies, and only when every cause is one kube-apiserver
 * words as an immutable field: "field is immutable" (Deployment, DaemonSet
 * and ReplicaSet selectors, Job selector and template, Service clusterIP,
 * and ConfigMap/Secret data with "when `immutable` is set"), "may not
 * change once set" (Service clusterIPs), StatefulSet's "updates to
 * statefulset spec for fields other than ... are forbidden", PVC's "spec
 * is immutable after creation" and Pod's "pod updates may not change
 * fields other than".  A recreate could not fix any other cause, so one
 * such cause among them rules it out.
 */
#include <stdio.h>
#include <string.h>

#include "apply/apply_int.h"

static const char *const immutable_phrases[] = {
    "field is immutable",
    "may not change once set",
    "updates to statefulset spec for fields other than",
    "spec is immutable after creation",
    "pod updates may not change fields other than",
};

static bool immutable_text(const char *msg)
{
	for (size_t i = 0;
	     i < sizeof(immutable_phrases) / sizeof(immutable_phrases[0]); i++)
		if (strstr(msg, immutable_phrases[i]))
			return true;
	return false;
}

/* Every cause immutable; @why names the first one that is not. */
static bool all_causes_immutable(ga_recreate *out, const ga_node *status)
{
	const ga_node *causes = ga_apply__at(status, "details.causes");
	size_t n = causes && ga_node_type_of(causes) == GA_NODE_LIST
	               ? ga_node_count(causes)
	               : 0;

	if (n == 0) {
		if (immutable_text(ga_apply__str(status, "message", "")))
			return true;
		(void)snprintf(
		    out->why, sizeof(out->why),
		    "422 Invalid without an immutable-field cause: "
		    "%s",
		    ga_apply__str(status, "message", "(no message)"));
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const ga_node *c = ga_node_list_get(causes, i);

		if (immutable_text(ga_apply__str(c, "message", "")))
			continue;
		(void)snprintf(out->why, sizeof(out->why),
		               "%s: %s is a validation error, not an immutable "
		               "field: recreating would not fix it",
		               ga_apply__str(c, "field", "(no field)"),
		               ga_apply__str(c, "message", "(no message)"));
		return false;
	}
	return true;
}

/* "group/Kind" of the object, from whichever source has it. */
static void group_kind(char *out, size_t size, const ga_node *desired,
                       const ga_node *live, const ga_node *status)
{
	const ga_node *obj = desired ? desired : live;
	const char *api = ga_apply__str(obj, "apiVersion", "");
	const char *slash = strchr(api, '/');

	if (obj)
		(void)snprintf(out, size, "%.*s/%s",
		               slash ? (int)(slash - api) : 0, api,
		               ga_apply__str(obj, "kind", ""));
	else
		(void)snprintf(out, size, "%s/%s",
		               ga_apply__str(status, "details.group", ""),
		               ga_apply__str(status, "details.kind", ""));
}

static bool kind_allowed(const char *gk, const ga_recreate_opts *o)
{
	static const char *const dflt[] = {"batch/Job"};
	const char *const *kinds = o->kinds ? o->kinds : dflt;
	size_t n = o->kinds ? o->nkinds : 1;

	for (size_t i = 0; i < n; i++)
		if (strcmp(kinds[i], gk) == 0 ||
		    (gk[0] == '/' && strcmp(kinds[i], gk + 1) == 0))
			return true;
	return false;
}

void ga_apply_recreate_check(ga_recreate *out, long http, const ga_node *status,
                             const ga_node *desired, const ga_node *live,
                             const ga_recreate_opts *opts)
{
	ga_recreate_opts o = GA_RECREATE_OPTS_INIT;
	char gk[384];

	if (opts)
		o = *opts;
	*out = (ga_recreate){false, false, ""};
	if (http != 422 || !status ||
	    strcmp(ga_apply__str(status, "reason", ""), "Invalid") != 0) {
		(void)snprintf(out->why, sizeof(out->why),
		               "HTTP %ld %s is not an immutable-field error",
		               http,
		               ga_apply__str(status, "reason", "(no Status)"));
		return;
	}
	if (!all_causes_immutable(out, status))
		return;
	out->immutable = true;
	group_kind(gk, sizeof(gk), desired, live, status);
	if (o.force)
		(void)snprintf(out->why, sizeof(out->why), "force is set");
	else if (kind_allowed(gk, &o))
		(void)snprintf(out->why, sizeof(out->why),
		               "%.160s may be recreated", gk);
	else if (ga_apply__meta_is(desired, GA_APPLY__FLUX "force",
	                           "enabled") ||
	         ga_apply__meta_is(live, GA_APPLY__FLUX "force", "enabled"))
		(void)snprintf(out->why, sizeof(out->why),
		               "the object sets " GA_APPLY__FLUX
		               "force: Enabled");
	else {
		(void)snprintf(
		    out->why, sizeof(out->why),
		    "an immutable field of %.100s changed; recreate it by "
		    "setting " GA_APPLY__FLUX "force: Enabled on the "
		    "object or allowing the kind",
		    gk);
		return;
	}
	out->allowed = true;
}
