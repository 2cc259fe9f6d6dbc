/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's configuration: a full one read with every field, the
 * defaults of a minimal one, the verification mode each kind of ref gets
 * by default, the ConfigMap wrapper, and one refusal per rule with its
 * exact message (origin, line, key, why).
 */
#include <stdio.h>
#include <string.h>

#include "ga/config.h"
#include "ga/error.h"
#include "ga/json.h"
#include "harness.h"

#define ORIGIN "configmap gitops-system/gitops-agent"
#define MINIMAL                                                                \
	"source:\n"                                                            \
	"  url: https://git.example.com/vendor/app.git\n"                      \
	"  verify:\n"                                                          \
	"    keysSecretRef: vendor-keys\n"                                     \
	"environment: istio\n"

static ga_config *parse(const char *text)
{
	ga_config *c = NULL;

	(void)ga_config_parse(&c, text, strlen(text), ORIGIN);
	return c;
}

static void test_full(void)
{
	ga_config *c = parse("source:\n"
	                     "  url: ssh://git@git.example.com/vendor/app.git\n"
	                     "  tag: v1.2.0\n"
	                     "  interval: 5m\n"
	                     "  timeout: 20s\n"
	                     "  secretRef: vendor-git\n"
	                     "  verify:\n"
	                     "    mode: tag-and-head\n"
	                     "    keysSecretRef: vendor-keys\n"
	                     "    allowedSignersSecretRef: vendor-signers\n"
	                     "environment: linkerd\n"
	                     "path: overlays/provider-a\n"
	                     "targetNamespace: shop\n"
	                     "customize:\n"
	                     "  images:\n"
	                     "  - {name: frontend, newTag: 1.2.1}\n"
	                     "  replicas:\n"
	                     "  - {name: backend, count: 3}\n"
	                     "  commonLabels: {provider: a}\n"
	                     "  patches:\n"
	                     "  - patch: |\n"
	                     "      - op: add\n"
	                     "        path: /metadata/labels/x\n"
	                     "        value: y\n"
	                     "    target: {kind: Deployment, name: frontend}\n"
	                     "prune:\n"
	                     "  maxPercent: 30\n"
	                     "  namespaces: true\n"
	                     "webhook:\n"
	                     "  type: github\n"
	                     "  secretRef: webhook-token\n");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_STR(c->source.url, "ssh://git@git.example.com/vendor/app.git");
	CHECK_EQ_STR(c->source.ref_kind, "tag");
	CHECK_EQ_STR(c->source.ref, "v1.2.0");
	CHECK_EQ_INT(c->source.interval_ms, 300000);
	CHECK_EQ_INT(c->source.timeout_ms, 20000);
	CHECK_EQ_STR(c->source.secret_ref, "vendor-git");
	CHECK_EQ_STR(c->source.verify_mode, "tag-and-head");
	CHECK_EQ_STR(c->source.allowed_signers_secret_ref, "vendor-signers");
	CHECK_EQ_STR(c->environment, "linkerd");
	CHECK_EQ_STR(c->path, "overlays/provider-a");
	CHECK_EQ_STR(c->target_namespace, "shop");
	CHECK_EQ_INT(ga_node_count(c->customize), 4);
	CHECK(c->prune.enabled && c->prune.namespaces && !c->prune.crds);
	CHECK_EQ_INT(c->prune.max_percent, 30);
	CHECK_EQ_STR(c->webhook.type, "github");
	CHECK_EQ_STR(c->webhook.secret_ref, "webhook-token");
	ga_config_free(c);
}

static void test_defaults(void)
{
	ga_config *c = parse(MINIMAL);

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_STR(c->source.ref_kind, "branch");
	CHECK_EQ_STR(c->source.ref, "main");
	CHECK_EQ_INT(c->source.interval_ms, 60000);
	CHECK_EQ_INT(c->source.timeout_ms, 60000);
	CHECK_EQ_STR(c->source.verify_mode, "range");
	CHECK_EQ_STR(c->path, "dist/app-istio");
	CHECK(c->source.secret_ref == NULL && c->customize == NULL);
	CHECK(c->prune.enabled && !c->prune.namespaces);
	CHECK_EQ_INT(c->prune.max_percent, 50);
	CHECK(c->webhook.type == NULL);
	ga_config_free(c);
}

/* The source section @ref (a ref line or ""), @mode (a mode or NULL):
 * the verification mode the configuration ends with. */
static void mode_is(const char *ref, const char *mode, const char *want)
{
	char text[512];
	ga_config *c;

	(void)snprintf(text, sizeof(text),
	               "source:\n"
	               "  url: https://git.example.com/vendor/app.git\n"
	               "%s"
	               "  verify:\n"
	               "%s%s%s"
	               "    keysSecretRef: vendor-keys\n"
	               "environment: istio\n",
	               ref, mode ? "    mode: " : "", mode ? mode : "",
	               mode ? "\n" : "");
	c = parse(text);
	CHECK(c != NULL);
	if (c)
		CHECK_EQ_STR(c->source.verify_mode, want);
	ga_config_free(c);
}

/* Range follows a branch's history; a tag, a semver range or a commit
 * names one release, whose commit alone is checked.  A mode given is
 * kept whatever the ref. */
static void test_default_modes(void)
{
	mode_is("", NULL, "range");
	mode_is("  branch: release-1.2\n", NULL, "range");
	mode_is("  tag: v1.2.0\n", NULL, "head");
	mode_is("  semver: \">=1.2.0 <2.0.0\"\n", NULL, "head");
	mode_is("  commit: 0123456789abcdef0123456789abcdef01234567\n", NULL,
	        "head");
	mode_is("  branch: main\n", "head", "head");
	mode_is("", "head", "head");
	mode_is("  branch: main\n", "range", "range");
	mode_is("  tag: v1.2.0\n", "range", "range");
	mode_is("  tag: v1.2.0\n", "tag", "tag");
	mode_is("  semver: \"~1.2\"\n", "range", "range");
	mode_is("  semver: \"~1.2\"\n", "tag-and-head", "tag-and-head");
	mode_is("  commit: 0123456789abcdef0123456789abcdef01234567\n", "range",
	        "range");
}

static void test_configmap(void)
{
	static const char cm[] =
	    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":"
	    "{\"agent.yaml\":\"source:\\n  url: file:///srv/app.git\\n"
	    "  verify: {keysSecretRef: k}\\nenvironment: kubernetes\\n\"}}";
	ga_node *obj = NULL;
	ga_config *c = NULL;

	CHECK_OK(ga_json_parse(&obj, cm, strlen(cm), "cm"));
	CHECK_OK(ga_config_from_configmap(&c, obj, ORIGIN));
	if (c)
		CHECK_EQ_STR(c->path, "dist/app-kubernetes");
	ga_config_free(c);
	c = NULL;
	ga_node_free(obj);
	obj = NULL;
	CHECK_OK(ga_json_parse(&obj, "{\"data\":{}}", 11, "cm"));
	CHECK_ERR(ga_config_from_configmap(&c, obj, ORIGIN), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             ORIGIN ": no data key agent.yaml");
	ga_node_free(obj);
}

/* @text is refused with exactly @msg. */
static void refused(const char *text, const char *msg)
{
	ga_config *c = NULL;

	CHECK_ERR(ga_config_parse(&c, text, strlen(text), ORIGIN), GA_EINVALID);
	CHECK(c == NULL);
	CHECK_EQ_STR(ga_error_last()->message, msg);
}

static void test_refusals(void)
{
	refused(MINIMAL "prune: {maxPercent: 101}\n",
	        ORIGIN ":6: prune.maxPercent: must be a whole number from 0 "
	               "to 100");
	refused(MINIMAL "colour: blue\n", ORIGIN ":6: colour: unknown key");
	refused(MINIMAL "targetNamespace: Shop\n",
	        ORIGIN ":6: targetNamespace: \"Shop\" is not a valid "
	               "namespace name");
	refused(MINIMAL "path: ../other\n",
	        ORIGIN ":6: path: must stay inside the repository (no \"..\")");
	refused(MINIMAL "path: /etc\n",
	        ORIGIN ":6: path: must be relative to the repository");
	refused("source:\n  url: https://u:pw@git.example.com/a.git\n",
	        ORIGIN ":2: source.url: holds a password: credentials belong "
	               "in the Secret source.secretRef names");
	refused("source:\n  url: file:///a\n  branch: a\n  tag: b\n",
	        ORIGIN ":4: source.tag: only one of branch, tag, semver and "
	               "commit may be given");
	refused("source:\n  interval: 10ms\n",
	        ORIGIN ":2: source.interval: must be a duration of 1s or more "
	               "(\"30s\", \"5m\")");
	refused("source:\n  verify: {mode: none}\n",
	        ORIGIN ":2: source.verify.mode: must be head, tag, "
	               "tag-and-head or range");
	refused("environment: openshift\n",
	        ORIGIN ":1: environment: must be kubernetes, istio or linkerd");
	refused("environment: istio\n", ORIGIN ":1: source.url: is required");
	refused("source: {url: file:///a}\nenvironment: istio\n",
	        ORIGIN ":1: source.verify.keysSecretRef: is required (or "
	               "allowedSignersSecretRef): every revision is verified");
	refused(MINIMAL "webhook: {type: github}\n",
	        ORIGIN ":1: webhook.secretRef: is required with webhook.type");
	refused(MINIMAL "webhook: {type: bitbucket, secretRef: s}\n",
	        ORIGIN ":6: webhook.type: must be github, gitlab or "
	               "generic-hmac");
	refused(MINIMAL "customize:\n  patches:\n  - path: p.yaml\n",
	        ORIGIN ":8: customize.patches: unknown key path");
	refused(MINIMAL "customize:\n  replicas:\n  - {name: a, count: -1}\n",
	        ORIGIN ":8: customize.replicas: a replicas item needs a name "
	               "and a count of 0 or more");
	refused(MINIMAL "customize:\n  commonLabels: {a: 1}\n",
	        ORIGIN ":7: customize.commonLabels: a must be a string");
	refused(MINIMAL "customize:\n  namePrefix: x-\n",
	        ORIGIN ":7: customize.namePrefix: unknown key");
	refused(MINIMAL "---\n" MINIMAL,
	        ORIGIN ":0: agent.yaml: must hold exactly one YAML document");
	refused("- a\n", ORIGIN ":1: : must be a mapping");
}

int main(void)
{
	RUN(test_full);
	RUN(test_defaults);
	RUN(test_default_modes);
	RUN(test_configmap);
	RUN(test_refusals);
	return DONE();
}
