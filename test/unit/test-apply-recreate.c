/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recreate decision (lib/apply/recreate.c) on Status bodies worded as
 * kube-apiserver words them: immutable selectors, Job templates, Service
 * cluster IPs, StatefulSet forbidden fields and immutable ConfigMaps are
 * immutable-field errors; a plain validation error, a generic 422 or a
 * 409 never are.
 */
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/yaml.h"
#include "harness.h"

static ga_node *parse(const char *text)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, text, strlen(text), "test"));
	return n;
}

#define STATUS(kind, causes)                                                   \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","   \
	"\"message\":\"" kind " \\\"x\\\" is invalid\",\"reason\":"            \
	"\"Invalid\",\"code\":422,\"details\":{\"name\":\"x\",\"kind\":"       \
	"\"" kind "\",\"causes\":[" causes "]}}"
#define CAUSE(reason, field, msg)                                              \
	"{\"reason\":\"" reason "\",\"message\":\"" msg                        \
	"\",\"field\":\"" field "\"}"

static const char *const deploy = "{\"apiVersion\":\"apps/v1\",\"kind\":"
                                  "\"Deployment\",\"metadata\":{\"name\":"
                                  "\"x\"}}";

static void check(long http, const char *status, const char *desired,
                  const ga_recreate_opts *o, bool immutable, bool allowed,
                  const char *why)
{
	ga_node *st = status ? parse(status) : NULL;
	ga_node *d = desired ? parse(desired) : NULL;
	ga_recreate r;

	ga_apply_recreate_check(&r, http, st, d, NULL, o);
	CHECK_EQ_INT(r.immutable, immutable);
	CHECK_EQ_INT(r.allowed, allowed);
	if (why)
		CHECK_EQ_STR(r.why, why);
	ga_node_free(st);
	ga_node_free(d);
}

static void test_immutable_kinds(void)
{
	ga_recreate_opts force = GA_RECREATE_OPTS_INIT;

	force.force = true;
	check(422,
	      STATUS("Deployment.apps",
	             CAUSE("FieldValueInvalid", "spec.selector",
	                   "Invalid value: v1.LabelSelector{MatchLabels:"
	                   "map[string]string{\\\"app\\\":\\\"b\\\"}}: field "
	                   "is immutable")),
	      deploy, NULL, true, false,
	      "an immutable field of apps/Deployment changed; recreate it by "
	      "setting kustomize.toolkit.fluxcd.io/force: Enabled on the "
	      "object or allowing the kind");
	check(422,
	      STATUS("Deployment.apps",
	             CAUSE("FieldValueInvalid", "spec.selector",
	                   "Invalid value: {}: field is immutable")),
	      deploy, &force, true, true, "force is set");
	/* Jobs may be recreated by default. */
	check(422,
	      STATUS("Job.batch",
	             CAUSE("FieldValueInvalid", "spec.template",
	                   "Invalid value: core.PodTemplateSpec{}: field is "
	                   "immutable")),
	      "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\"}", NULL, true,
	      true, "batch/Job may be recreated");
	check(422,
	      STATUS("Service",
	             CAUSE("FieldValueInvalid", "spec.clusterIPs[0]",
	                   "Invalid value: []string{\\\"10.0.0.9\\\"}: may "
	                   "not change once set") "," CAUSE("FieldValueInvalid",
	                                                    "spec.clusterIP",
	                                                    "Invalid value: "
	                                                    "\\\"10.0.0.9\\\": "
	                                                    "field is "
	                                                    "immutable")),
	      "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{"
	      "\"annotations\":{\"kustomize.toolkit.fluxcd.io/force\":"
	      "\"enabled\"}}}",
	      NULL, true, true,
	      "the object sets kustomize.toolkit.fluxcd.io/force: Enabled");
	check(422,
	      STATUS("StatefulSet.apps",
	             CAUSE("FieldValueForbidden", "spec",
	                   "Forbidden: updates to statefulset spec for fields "
	                   "other than 'replicas', 'ordinals', 'template', "
	                   "'updateStrategy', "
	                   "'persistentVolumeClaimRetentionPolicy' and "
	                   "'minReadySeconds' are forbidden")),
	      NULL, &force, true, true, NULL);
	check(422,
	      STATUS("ConfigMap",
	             CAUSE("FieldValueForbidden", "data",
	                   "Forbidden: field is immutable when `immutable` is "
	                   "set")),
	      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}", NULL, true,
	      false, NULL);
}

static void test_kind_list(void)
{
	static const char *const kinds[] = {"apps/Deployment", "ConfigMap"};
	ga_recreate_opts o = {false, kinds, 2};

	check(422,
	      STATUS("Deployment.apps",
	             CAUSE("FieldValueInvalid", "spec.selector",
	                   "Invalid value: {}: field is immutable")),
	      deploy, &o, true, true, "apps/Deployment may be recreated");
	check(422,
	      STATUS("ConfigMap",
	             CAUSE("FieldValueForbidden", "data",
	                   "Forbidden: field is immutable when `immutable` is "
	                   "set")),
	      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}", &o, true, true,
	      "/ConfigMap may be recreated");
	/* With a list of its own, Jobs are no longer allowed by default. */
	check(
	    422,
	    STATUS("Job.batch", CAUSE("FieldValueInvalid", "spec.template",
	                              "Invalid value: {}: field is immutable")),
	    "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\"}", &o, true, false,
	    NULL);
}

static void test_never_generic(void)
{
	ga_recreate_opts force = GA_RECREATE_OPTS_INIT;

	force.force = true;
	/* kustomize-controller#734: an invalid Service is not recreated. */
	check(422,
	      STATUS("Service", CAUSE("FieldValueRequired", "spec.ports",
	                              "Required value")),
	      NULL, &force, false, false,
	      "spec.ports: Required value is a validation error, not an "
	      "immutable field: recreating would not fix it");
	/* One plain cause among immutable ones rules recreate out. */
	check(422,
	      STATUS("Deployment.apps",
	             CAUSE("FieldValueInvalid", "spec.selector",
	                   "Invalid value: {}: field is "
	                   "immutable") "," CAUSE("FieldValueInva"
	                                          "lid",
	                                          "spec.template."
	                                          "spec."
	                                          "containers[0]."
	                                          "image",
	                                          "Invalid "
	                                          "value: "
	                                          "\\\"\\\": "
	                                          "must not be "
	                                          "empty")),
	      deploy, &force, false, false, NULL);
	check(409,
	      "{\"kind\":\"Status\",\"reason\":\"Conflict\",\"code\":409,"
	      "\"message\":\"field is immutable\"}",
	      deploy, &force, false, false,
	      "HTTP 409 Conflict is not an immutable-field error");
	check(422, "{\"kind\":\"Status\",\"reason\":\"Invalid\",\"code\":422}",
	      deploy, &force, false, false,
	      "422 Invalid without an immutable-field cause: (no message)");
	check(422, NULL, deploy, &force, false, false,
	      "HTTP 422 (no Status) is not an immutable-field error");
	check(400,
	      "{\"kind\":\"Status\",\"reason\":\"BadRequest\",\"message\":"
	      "\"field is immutable\"}",
	      deploy, &force, false, false, NULL);
	/* A 422 without causes whose message says it still counts. */
	check(422,
	      "{\"kind\":\"Status\",\"reason\":\"Invalid\",\"message\":\"spec."
	      "selector: Invalid value: {}: field is immutable\"}",
	      deploy, &force, true, true, "force is set");
}

int main(void)
{
	RUN(test_immutable_kinds);
	RUN(test_kind_list);
	RUN(test_never_generic);
	return DONE();
}
