/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The status kubesim's controllers write, against what the real
 * controllers write: a Deployment's first rollout and its conditions, a
 * never-ready rollout running into its progress deadline, scaling to
 * zero, a paused Deployment, StatefulSet revisions, Job completion and
 * failure, HPA clamping, condition timestamps, and image profiles.  The
 * clock is driven by hand through ks_step.
 */
#include <string.h>

#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"
#include "sim.h"

static ga_node *parse(const char *json)
{
	ga_node *obj = NULL;

	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "test"));
	return obj;
}

static ga_node *deployment(int replicas, const char *image, const char *extra)
{
	char json[1024];

	(void)snprintf(json, sizeof(json),
	               "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\","
	               "\"generation\":1,\"uid\":\"u1\"},"
	               "\"spec\":{\"replicas\":%d,%s\"template\":{\"spec\":{"
	               "\"containers\":[{\"name\":\"c\",\"image\":\"%s\"}]}}},"
	               "\"status\":{}}",
	               replicas, extra, image);
	return parse(json);
}

/* Change the first container's image (a new template). */
static void set_image(ga_node *d, const char *image)
{
	ga_node *tmpl = ks_get(ks_get(d, "spec"), "template");
	ga_node *c = ks_item(ks_get(ks_get(tmpl, "spec"), "containers"), 0);

	CHECK_OK(ks_set_str(c, "image", image));
}

/* Run one step at @t ms over @obj and store the status into it. */
static ga_node *step(ga_node *obj, const char *kind, ks_sim *sim, uint64_t t,
                     uint64_t delay)
{
	ks_step st;
	ga_node *status = NULL;

	memset(&st, 0, sizeof(st));
	st.now_ms = t;
	st.delay_ms = delay;
	st.nodes = 3;
	(void)snprintf(st.now, sizeof(st.now), "T%llu", (unsigned long long)t);
	CHECK_OK(ks_workload_status(&status, kind, obj, sim, &st));
	CHECK_OK(ga_node_map_set_take(obj, "status", status));
	return status;
}

static const char *cond(const ga_node *status, const char *type,
                        const char *field)
{
	const ga_node *list = ks_get(status, "conditions");
	size_t i;

	for (i = 0; i < ks_count(list); i++)
		if (strcmp(ks_str(ks_get(ks_item(list, i), "type")), type) == 0)
			return ks_str(ks_get(ks_item(list, i), field));
	return "(none)";
}

static int64_t num(const ga_node *status, const char *key)
{
	return ks_int(ks_get(status, key));
}

static void first_rollout(void)
{
	ga_node *d = deployment(3, "nginx:1", "");
	ks_sim sim;
	ga_node *s;

	memset(&sim, 0, sizeof(sim));
	s = step(d, "Deployment", &sim, 1000, 200);
	CHECK_EQ_INT(num(s, "observedGeneration"), 1);
	CHECK_EQ_INT(num(s, "replicas"), 3);
	CHECK_EQ_INT(num(s, "updatedReplicas"), 3);
	CHECK(!ks_get(s, "readyReplicas"));
	CHECK_EQ_INT(num(s, "unavailableReplicas"), 3);
	CHECK_EQ_STR(cond(s, "Available", "status"), "False");
	CHECK_EQ_STR(cond(s, "Available", "reason"),
	             "MinimumReplicasUnavailable");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "NewReplicaSetCreated");
	s = step(d, "Deployment", &sim, 1100, 200);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "ReplicaSetUpdated");
	s = step(d, "Deployment", &sim, 1200, 200);
	CHECK_EQ_INT(num(s, "readyReplicas"), 3);
	CHECK_EQ_INT(num(s, "availableReplicas"), 3);
	CHECK(!ks_get(s, "unavailableReplicas"));
	CHECK_EQ_STR(cond(s, "Available", "reason"),
	             "MinimumReplicasAvailable");
	CHECK_EQ_STR(cond(s, "Available", "message"),
	             "Deployment has minimum availability.");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "NewReplicaSetAvailable");
	CHECK(strstr(cond(s, "Progressing", "message"),
	             "has successfully progressed."));
	/* The transition happened at 1000 (True since then). */
	CHECK_EQ_STR(cond(s, "Progressing", "lastTransitionTime"), "T1000");
	CHECK_EQ_STR(cond(s, "Progressing", "lastUpdateTime"), "T1200");
	ga_node_free(d);
}

static void deadline_exceeded(void)
{
	ga_node *d = deployment(2, "nginx:1", "\"progressDeadlineSeconds\":2,");
	ks_sim sim;
	ga_node *s;

	memset(&sim, 0, sizeof(sim));
	(void)step(d, "Deployment", &sim, 0, 0);
	set_image(d, "bad:1");
	s = step(d, "Deployment", &sim, 1000, KS_NEVER);
	CHECK_EQ_INT(num(s, "replicas"), 4);
	CHECK_EQ_INT(num(s, "updatedReplicas"), 2);
	CHECK_EQ_INT(num(s, "availableReplicas"), 2);
	CHECK_EQ_STR(cond(s, "Available", "status"), "True");
	s = step(d, "Deployment", &sim, 2500, KS_NEVER);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "ReplicaSetUpdated");
	s = step(d, "Deployment", &sim, 3100, KS_NEVER);
	CHECK_EQ_STR(cond(s, "Progressing", "status"), "False");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "ProgressDeadlineExceeded");
	CHECK(strstr(cond(s, "Progressing", "message"),
	             "has timed out progressing."));
	ga_node_free(d);
}

/* A new template while a rollout is stuck starts over from there. */
static void new_generation_mid_rollout(void)
{
	ga_node *d = deployment(2, "nginx:1", "\"progressDeadlineSeconds\":2,");
	ks_sim sim;
	ga_node *s;
	char stuck[64];

	memset(&sim, 0, sizeof(sim));
	(void)step(d, "Deployment", &sim, 0, 0);
	set_image(d, "bad:1");
	(void)step(d, "Deployment", &sim, 100, KS_NEVER);
	s = step(d, "Deployment", &sim, 2200, KS_NEVER);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "ProgressDeadlineExceeded");
	(void)snprintf(stuck, sizeof(stuck), "%s",
	               cond(s, "Progressing", "message"));
	set_image(d, "nginx:2");
	s = step(d, "Deployment", &sim, 2300, 500);
	CHECK_EQ_STR(cond(s, "Progressing", "status"), "True");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "NewReplicaSetCreated");
	CHECK(strcmp(cond(s, "Progressing", "message"), stuck) != 0);
	/* The first template's pods still serve. */
	CHECK_EQ_INT(num(s, "availableReplicas"), 2);
	CHECK_EQ_INT(num(s, "replicas"), 4);
	s = step(d, "Deployment", &sim, 2800, 500);
	CHECK_EQ_INT(num(s, "replicas"), 2);
	CHECK_EQ_INT(num(s, "updatedReplicas"), 2);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "NewReplicaSetAvailable");
	ga_node_free(d);
}

static void scale_to_zero_and_pause(void)
{
	ga_node *d = deployment(0, "nginx:1", "");
	ks_sim sim;
	ga_node *s;

	memset(&sim, 0, sizeof(sim));
	s = step(d, "Deployment", &sim, 0, 500);
	CHECK(!ks_get(s, "replicas"));
	CHECK_EQ_STR(cond(s, "Available", "status"), "True");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "NewReplicaSetAvailable");
	ga_node_free(d);

	d = deployment(1, "nginx:1", "\"paused\":true,");
	memset(&sim, 0, sizeof(sim));
	s = step(d, "Deployment", &sim, 0, 0);
	CHECK_EQ_STR(cond(s, "Progressing", "status"), "Unknown");
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "DeploymentPaused");
	set_image(d, "nginx:2");
	s = step(d, "Deployment", &sim, 100, 0);
	/* No ReplicaSet for the new template while paused. */
	CHECK(!ks_get(s, "updatedReplicas"));
	CHECK_EQ_INT(num(s, "replicas"), 1);
	ga_node_free(ks_remove(ks_get(d, "spec"), "paused"));
	s = step(d, "Deployment", &sim, 200, 0);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"), "DeploymentResumed");
	s = step(d, "Deployment", &sim, 300, 0);
	CHECK_EQ_STR(cond(s, "Progressing", "reason"),
	             "NewReplicaSetAvailable");
	CHECK_EQ_INT(num(s, "updatedReplicas"), 1);
	ga_node_free(d);
}

static void statefulset_revisions(void)
{
	ga_node *d = deployment(2, "redis:7", "");
	char first[64];
	ks_sim sim;
	ga_node *s;

	memset(&sim, 0, sizeof(sim));
	(void)step(d, "StatefulSet", &sim, 0, 100);
	s = step(d, "StatefulSet", &sim, 100, 100);
	CHECK_EQ_INT(num(s, "readyReplicas"), 2);
	CHECK_EQ_STR(ks_str(ks_get(s, "currentRevision")),
	             ks_str(ks_get(s, "updateRevision")));
	(void)snprintf(first, sizeof(first), "%s",
	               ks_str(ks_get(s, "currentRevision")));
	CHECK(strncmp(first, "web-", 4) == 0 && strlen(first) == 14);
	set_image(d, "redis:8");
	s = step(d, "StatefulSet", &sim, 200, 100);
	CHECK_EQ_STR(ks_str(ks_get(s, "currentRevision")), first);
	CHECK(strcmp(ks_str(ks_get(s, "updateRevision")), first) != 0);
	CHECK_EQ_INT(num(s, "updatedReplicas"), 1);
	CHECK_EQ_INT(num(s, "readyReplicas"), 1);
	s = step(d, "StatefulSet", &sim, 300, 100);
	CHECK_EQ_STR(ks_str(ks_get(s, "currentRevision")),
	             ks_str(ks_get(s, "updateRevision")));
	CHECK_EQ_INT(num(s, "updatedReplicas"), 2);
	s = step(d, "DaemonSet", &sim, 300, 100);
	CHECK_EQ_INT(num(s, "desiredNumberScheduled"), 3);
	ga_node_free(d);
}

static void jobs(void)
{
	ga_node *j = parse("{\"metadata\":{\"name\":\"j\"},\"spec\":{"
	                   "\"backoffLimit\":2},\"status\":{}}");
	ga_node *status = NULL;
	ks_step st;
	ks_sim sim;

	memset(&sim, 0, sizeof(sim));
	memset(&st, 0, sizeof(st));
	st.delay_ms = 100;
	(void)snprintf(st.now, sizeof(st.now), "T0");
	CHECK_OK(ks_job_status(&status, j, &sim, &st));
	CHECK_EQ_INT(num(status, "active"), 1);
	CHECK_EQ_STR(ks_str(ks_get(status, "startTime")), "T0");
	CHECK_OK(ga_node_map_set_take(j, "status", status));
	st.now_ms = 100;
	(void)snprintf(st.now, sizeof(st.now), "T1");
	CHECK_OK(ks_job_status(&status, j, &sim, &st));
	CHECK_EQ_INT(num(status, "succeeded"), 1);
	CHECK_EQ_STR(ks_str(ks_get(status, "startTime")), "T0");
	CHECK_EQ_STR(ks_str(ks_get(status, "completionTime")), "T1");
	CHECK_EQ_STR(cond(status, "Complete", "reason"), "CompletionsReached");
	ga_node_free(status);
	st.profile = KS_PROFILE_CRASHLOOP;
	CHECK_OK(ks_job_status(&status, j, &sim, &st));
	CHECK_EQ_INT(num(status, "failed"), 3);
	CHECK_EQ_STR(cond(status, "Failed", "reason"), "BackoffLimitExceeded");
	ga_node_free(status);
	ga_node_free(j);
}

static void hpa(void)
{
	ga_node *h = parse("{\"spec\":{\"minReplicas\":2,\"maxReplicas\":5}}");
	ga_node *status = NULL;
	int64_t desired = 0;
	ks_step st;

	memset(&st, 0, sizeof(st));
	(void)snprintf(st.now, sizeof(st.now), "T0");
	CHECK_OK(ks_hpa_status(&status, h, 1, &desired, &st));
	CHECK_EQ_INT(desired, 2);
	CHECK_EQ_STR(cond(status, "ScalingLimited", "reason"),
	             "TooFewReplicas");
	CHECK_EQ_STR(cond(status, "AbleToScale", "reason"), "SucceededRescale");
	ga_node_free(status);
	CHECK_OK(ks_hpa_status(&status, h, 9, &desired, &st));
	CHECK_EQ_INT(desired, 5);
	CHECK_EQ_STR(cond(status, "ScalingLimited", "reason"),
	             "TooManyReplicas");
	ga_node_free(status);
	CHECK_OK(ks_hpa_status(&status, h, 3, &desired, &st));
	CHECK_EQ_INT(desired, 3);
	CHECK_EQ_INT(num(status, "currentReplicas"), 3);
	CHECK_EQ_STR(cond(status, "ScalingActive", "status"), "False");
	CHECK_EQ_STR(cond(status, "ScalingLimited", "reason"),
	             "DesiredWithinRange");
	ga_node_free(status);
	ga_node_free(h);
}

/* The template hash ignores key order; any change moves it. */
static void template_hash(void)
{
	ga_node *a = parse("{\"metadata\":{\"labels\":{\"a\":\"1\"}},"
	                   "\"spec\":{\"containers\":[]}}");
	ga_node *b = parse("{\"spec\":{\"containers\":[]},"
	                   "\"metadata\":{\"labels\":{\"a\":\"1\"}}}");
	ga_node *c = parse("{\"spec\":{\"containers\":[]},"
	                   "\"metadata\":{\"labels\":{\"a\":\"2\"}}}");
	char name[16];

	CHECK_EQ_INT(ks_template_hash(a), ks_template_hash(b));
	CHECK(ks_template_hash(a) != ks_template_hash(c));
	ks_hash_name(name, ks_template_hash(a));
	CHECK_EQ_INT(strlen(name), 10);
	CHECK_EQ_INT(strspn(name, "bcdfghjklmnpqrstvwxz2456789"), 10);
	ga_node_free(a);
	ga_node_free(b);
	ga_node_free(c);
}

static void profiles(void)
{
	ga_node *t = parse("{\"spec\":{\"containers\":[{\"image\":\"a/x:1\"},"
	                   "{\"image\":\"b/y:2\"}]}}");
	ks_profiles *p = NULL;
	uint64_t slow = 0;

	CHECK_OK(ks_profiles_new(&p));
	CHECK_EQ_INT(ks_profiles_match(p, t, &slow), KS_PROFILE_NORMAL);
	CHECK_OK(ks_profiles_add(p, "^a/=slow:2s"));
	CHECK_EQ_INT(ks_profiles_match(p, t, &slow), KS_PROFILE_SLOW);
	CHECK_EQ_INT(slow, 2000);
	CHECK_OK(ks_profiles_add(p, "y:2$=never-ready"));
	CHECK_EQ_INT(ks_profiles_match(p, t, &slow), KS_PROFILE_NEVER_READY);
	CHECK_OK(ks_profiles_add(p, "nothing=crashloop"));
	CHECK_EQ_INT(ks_profiles_match(p, t, &slow), KS_PROFILE_NEVER_READY);
	CHECK_ERR(ks_profiles_add(p, "x=sometimes"), GA_EINVALID);
	CHECK_ERR(ks_profiles_add(p, "=crashloop"), GA_EINVALID);
	CHECK_ERR(ks_profiles_add(p, "([=crashloop"), GA_EINVALID);
	CHECK_ERR(ks_profiles_add(p, "x=slow:soon"), GA_EINVALID);
	ks_profiles_clear(p);
	CHECK_EQ_INT(ks_profiles_match(p, t, &slow), KS_PROFILE_NORMAL);
	ks_profiles_free(p);
	ga_node_free(t);
}

int main(void)
{
	RUN(first_rollout);
	RUN(deadline_exceeded);
	RUN(new_generation_mid_rollout);
	RUN(scale_to_zero_and_pause);
	RUN(statefulset_revisions);
	RUN(jobs);
	RUN(hpa);
	RUN(template_hash);
	RUN(profiles);
	return DONE();
}
