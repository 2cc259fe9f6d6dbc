/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The status of batch/v1 Jobs and autoscaling/v2 HorizontalPodAutoscalers
 * as their controllers write them (Kubernetes 1.32).  A Job's pods run
 * for the step's delay and then succeed: status.succeeded reaches
 * spec.completions with the SuccessCriteriaMet and Complete conditions
 * (reason CompletionsReached); a crash-looping image exhausts
 * spec.backoffLimit instead (FailureTarget and Failed,
 * BackoffLimitExceeded); a never-ready one stays active.  kubesim serves
 * no metrics API, so an HPA behaves as the real controller does when
 * metrics are missing: it keeps the target's replicas, clamped to
 * [minReplicas, maxReplicas] (normalizeDesiredReplicas' TooFewReplicas
 * and TooManyReplicas), and reports ScalingActive False.
 */
#include "sim.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

#define STATUS_MAX ((size_t)64 << 10)

static int64_t int_or(const ga_node *n, int64_t dflt)
{
	return n ? ks_int(n) : dflt;
}

static void put_time(ga_buf *b, const char *key, const ga_node *old,
                     const char *now)
{
	const char *t = ks_str(ks_get(old, key));

	(void)ga_buf_printf(b, "\"%s\":\"%s\",", key, t ? t : now);
}

/* A Job that reached an end: Complete or Failed, with its interim. */
static void job_end(ga_buf *b, const ga_node *spec, const ga_node *old,
                    bool failed, const ks_step *st)
{
	const ga_node *conds = ks_get(old, "conditions");
	int64_t completions = int_or(ks_get(spec, "completions"), 1);

	(void)ga_buf_puts(b, "{\"conditions\":[");
	if (failed) {
		static const char msg[] = "Job has reached the specified "
		                          "backoff limit";
		(void)ks_condition(b, conds, "FailureTarget", "True",
		                   "BackoffLimitExceeded", msg, st->now,
		                   "lastProbeTime");
		(void)ks_condition(b, conds, "Failed", "True",
		                   "BackoffLimitExceeded", msg, st->now,
		                   "lastProbeTime");
	} else {
		static const char msg[] = "Reached expected number of "
		                          "succeeded pods";
		(void)ks_condition(b, conds, "SuccessCriteriaMet", "True",
		                   "CompletionsReached", msg, st->now,
		                   "lastProbeTime");
		(void)ks_condition(b, conds, "Complete", "True",
		                   "CompletionsReached", msg, st->now,
		                   "lastProbeTime");
	}
	(void)ga_buf_puts(b, "],");
	put_time(b, "startTime", old, st->now);
	if (failed) {
		(void)ga_buf_printf(b, "\"failed\":%" PRId64 ",",
		                    int_or(ks_get(spec, "backoffLimit"), 6) +
		                        1);
	} else {
		put_time(b, "completionTime", old, st->now);
		(void)ga_buf_printf(b, "\"succeeded\":%" PRId64 ",",
		                    completions);
	}
	(void)ga_buf_puts(b, "\"terminating\":0,"
	                     "\"uncountedTerminatedPods\":{},\"ready\":0}");
}

int ks_job_status(ga_node **out, const ga_node *obj, ks_sim *sim,
                  const ks_step *step)
{
	const ga_node *spec = ks_get(obj, "spec");
	const ga_node *old = ks_get(obj, "status");
	int64_t par = int_or(ks_get(spec, "parallelism"), 1);
	int64_t completions = int_or(ks_get(spec, "completions"), 1);
	ga_buf b = GA_BUF_INIT(STATUS_MAX);
	bool done;
	int err;

	if (!sim->seen) {
		sim->seen = true;
		sim->since_ms = step->now_ms;
	}
	if (ks_bool(ks_get(spec, "suspend")))
		sim->since_ms = step->now_ms;
	done = step->delay_ms != KS_NEVER &&
	       step->now_ms - sim->since_ms >= step->delay_ms;
	if (done) {
		job_end(&b, spec, old, step->profile == KS_PROFILE_CRASHLOOP,
		        step);
	} else if (ks_bool(ks_get(spec, "suspend"))) {
		(void)ga_buf_puts(&b, "{}");
	} else {
		(void)ga_buf_putc(&b, '{');
		put_time(&b, "startTime", old, step->now);
		(void)ga_buf_printf(
		    &b,
		    "\"active\":%" PRId64 ",\"terminating\":0,"
		    "\"uncountedTerminatedPods\":{},\"ready\":0}",
		    par < completions ? par : completions);
	}
	err = b.err ? b.err : ga_json_parse(out, b.ptr, b.size, "status");
	ga_buf_dispose(&b);
	return err;
}

/* ScalingActive False: which metric could not be read. */
static const char *metric_reason(const ga_node *spec)
{
	const char *type =
	    ks_str(ks_get(ks_item(ks_get(spec, "metrics"), 0), "type"));

	if (!type || strcmp(type, "Resource") == 0)
		return "FailedGetResourceMetric";
	if (strcmp(type, "Pods") == 0)
		return "FailedGetPodsMetric";
	if (strcmp(type, "Object") == 0)
		return "FailedGetObjectMetric";
	if (strcmp(type, "External") == 0)
		return "FailedGetExternalMetric";
	return "FailedGetContainerResourceMetric";
}

static void hpa_conditions(ga_buf *b, const ga_node *spec, const ga_node *old,
                           int64_t current, int64_t desired, const ks_step *st)
{
	const ga_node *conds = ks_get(old, "conditions");
	char msg[160];

	(void)ga_buf_puts(b, ",\"conditions\":[");
	if (desired != current) {
		(void)snprintf(msg, sizeof(msg),
		               "the HPA controller was able to update the "
		               "target scale to %" PRId64,
		               desired);
		(void)ks_condition(b, conds, "AbleToScale", "True",
		                   "SucceededRescale", msg, st->now, NULL);
	} else {
		(void)ks_condition(b, conds, "AbleToScale", "True",
		                   "SucceededGetScale",
		                   "the HPA controller was able to get the "
		                   "target's current scale",
		                   st->now, NULL);
	}
	if (current == 0)
		(void)ks_condition(
		    b, conds, "ScalingActive", "False", "ScalingDisabled",
		    "scaling is disabled since the replica count "
		    "of the target is zero",
		    st->now, NULL);
	else
		(void)ks_condition(b, conds, "ScalingActive", "False",
		                   metric_reason(spec),
		                   "the HPA was unable to compute the replica "
		                   "count: no metrics API is served",
		                   st->now, NULL);
	if (desired > current)
		(void)ks_condition(b, conds, "ScalingLimited", "True",
		                   "TooFewReplicas",
		                   "the desired replica count is less than the "
		                   "minimum replica count",
		                   st->now, NULL);
	else if (desired < current)
		(void)ks_condition(b, conds, "ScalingLimited", "True",
		                   "TooManyReplicas",
		                   "the desired replica count is more than the "
		                   "maximum replica count",
		                   st->now, NULL);
	else
		(void)ks_condition(b, conds, "ScalingLimited", "False",
		                   "DesiredWithinRange",
		                   "the desired count is within the acceptable "
		                   "range",
		                   st->now, NULL);
	(void)ga_buf_puts(b, "]}");
}

int ks_hpa_status(ga_node **out, const ga_node *hpa, int64_t current,
                  int64_t *desired, const ks_step *step)
{
	const ga_node *spec = ks_get(hpa, "spec");
	const ga_node *old = ks_get(hpa, "status");
	int64_t lo = int_or(ks_get(spec, "minReplicas"), 1);
	int64_t hi = int_or(ks_get(spec, "maxReplicas"), lo);
	const char *last = ks_str(ks_get(old, "lastScaleTime"));
	ga_buf b = GA_BUF_INIT(STATUS_MAX);
	int64_t want = current;
	int err;

	/* A target at zero replicas has scaling switched off. */
	if (current > 0)
		want = current < lo ? lo : current > hi ? hi : current;
	(void)ga_buf_putc(&b, '{');
	if (want != current || last)
		(void)ga_buf_printf(&b, "\"lastScaleTime\":\"%s\",",
		                    want != current ? step->now : last);
	(void)ga_buf_printf(
	    &b, "\"currentReplicas\":%" PRId64 ",\"desiredReplicas\":%" PRId64,
	    current, want);
	hpa_conditions(&b, spec, old, current, want, step);
	err = b.err ? b.err : ga_json_parse(out, b.ptr, b.size, "status");
	ga_buf_dispose(&b);
	if (err == 0)
		*desired = want;
	return err;
}
