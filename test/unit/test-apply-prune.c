/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The prune plan (lib/apply/prune.c): what is deleted and in which order,
 * what is kept and why, and the refusal of a prune that would delete too
 * large a share of the inventory.
 */
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"

#define OWNER "metadata:\n  labels: {agent.io/name: web, agent.io/ns: ops}\n"

/* Live objects by name: a map from name to the object's YAML. */
typedef struct cluster {
	const char *const *names;
	const char *const *yaml;
	size_t n;
	ga_node *parsed[16];
	int fail;
} cluster;

static int live_of(const ga_node **out, const ga_apply_ref *ref, void *p)
{
	cluster *c = p;

	if (c->fail)
		return c->fail;
	*out = NULL;
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->names[i], ref->name) != 0)
			continue;
		if (!c->parsed[i])
			CHECK_OK(ga_yaml_parse(&c->parsed[i], c->yaml[i],
			                       strlen(c->yaml[i]), "live",
			                       NULL));
		*out = ga_node_list_get(c->parsed[i], 0);
	}
	return 0;
}

static void cluster_free(cluster *c)
{
	for (size_t i = 0; i < 16; i++)
		ga_node_free(c->parsed[i]);
}

static const ga_apply_label owner[] = {{"agent.io/name", "web"},
                                       {"agent.io/ns", "ops"}};

static const ga_apply_ref old_refs[] = {
    {"", "v1", "Namespace", "", "apps"},
    {"", "v1", "Namespace", "", "ops"},
    {"apps", "v1", "Deployment", "apps", "web"},
    {"", "v1", "ConfigMap", "apps", "cfg"},
    {"", "v1", "ConfigMap", "apps", "taken"},
    {"", "v1", "ConfigMap", "apps", "keep"},
    {"", "v1", "ConfigMap", "apps", "gone"},
    {"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "",
     "w.example.com"},
    {"", "v1", "PersistentVolumeClaim", "apps", "data"},
    {"admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration", "",
     "hook"},
    {"", "v1", "Service", "apps", "still"},
};
#define NOLD (sizeof(old_refs) / sizeof(old_refs[0]))

static const char *const names[] = {"apps",  "ops",          "web",  "cfg",
                                    "taken", "keep",         "data", "hook",
                                    "still", "w.example.com"};
static const char not_owned[] =
    "metadata:\n  labels: {agent.io/name: other, agent.io/ns: ops}\n";
static const char prune_disabled[] =
    OWNER "  annotations: {kustomize.toolkit.fluxcd.io/prune: Disabled}\n";
static const char *const yaml[] = {OWNER,     OWNER,          OWNER, OWNER,
                                   not_owned, prune_disabled, OWNER, OWNER,
                                   OWNER,     OWNER};

static ga_inventory *inv_of(const ga_apply_ref *refs, size_t n)
{
	ga_inventory *inv = NULL;

	CHECK_OK(ga_inventory_new(&inv));
	for (size_t i = 0; inv && i < n; i++)
		CHECK_OK(ga_inventory_add(inv, &refs[i]));
	return inv;
}

static void plan_is(const ga_prune_plan *p, const char *const *want_names,
                    const ga_prune_decision *want, size_t n)
{
	CHECK_EQ_INT(p->n, n);
	for (size_t i = 0; i < n && i < p->n; i++) {
		CHECK_EQ_STR(p->items[i].ref.name, want_names[i]);
		CHECK_EQ_INT(p->items[i].decision, want[i]);
	}
}

static void test_plan(void)
{
	cluster c = {names, yaml, 10, {NULL}, 0};
	ga_inventory *old = inv_of(old_refs, NOLD);
	ga_inventory *cur = inv_of(old_refs + NOLD - 1, 1);
	ga_prune_opts o = GA_PRUNE_OPTS_INIT;
	ga_prune_plan p;
	static const char *const order[] = {
	    "hook", "data", "web", "taken", "keep",
	    "gone", "cfg",  "ops", "apps",  "w.example.com"};
	static const ga_prune_decision want[] = {
	    GA_PRUNE_DELETE,    GA_PRUNE_PROTECTED, GA_PRUNE_DELETE,
	    GA_PRUNE_NOT_OWNED, GA_PRUNE_DISABLED,  GA_PRUNE_GONE,
	    GA_PRUNE_DELETE,    GA_PRUNE_PROTECTED, GA_PRUNE_PROTECTED,
	    GA_PRUNE_PROTECTED};

	o.owner_labels = owner;
	o.nowner_labels = 2;
	o.agent_namespace = "ops";
	o.max_percent = 100;
	CHECK_OK(ga_prune_plan_make(&p, old, cur, live_of, &c, &o));
	plan_is(&p, order, want, 10);
	CHECK_EQ_INT(p.ndelete, 3);
	CHECK_EQ_STR(p.items[7].why, "the agent's own namespace is never "
	                             "pruned");
	CHECK_EQ_STR(p.items[8].why, "Namespaces are pruned only when allowed");
	ga_prune_plan_dispose(&p);

	/* Allowed: Namespaces, CRDs and volumes go too, never "ops". */
	o.allow_namespaces = o.allow_crds = o.allow_volumes = true;
	CHECK_OK(ga_prune_plan_make(&p, old, cur, live_of, &c, &o));
	CHECK_EQ_INT(p.ndelete, 6);
	CHECK_EQ_INT(p.items[7].decision, GA_PRUNE_PROTECTED);
	ga_prune_plan_dispose(&p);
	cluster_free(&c);
	ga_inventory_free(old);
	ga_inventory_free(cur);
}

static void test_share_guard(void)
{
	cluster c = {names, yaml, 10, {NULL}, 0};
	ga_inventory *old = inv_of(old_refs + 2, 2);
	ga_inventory *cur = inv_of(NULL, 0);
	ga_inventory *half = inv_of(old_refs + 3, 1);
	ga_prune_opts o = GA_PRUNE_OPTS_INIT;
	ga_prune_plan p = {NULL, NULL, 0, 0};

	o.owner_labels = owner;
	o.nowner_labels = 2;
	CHECK_ERR(ga_prune_plan_make(&p, old, cur, live_of, &c, &o), GA_ELIMIT);
	CHECK(p.items == NULL);
	CHECK_EQ_STR(ga_error_last()->message,
	             "prune refused: it would delete 2 of the 2 objects in the "
	             "inventory (100%), more than the allowed 50%, which looks "
	             "like a renamed or emptied source path rather than "
	             "removed objects; it would have deleted apps/v1 "
	             "Deployment apps/web, v1 ConfigMap apps/cfg");
	/* Exactly half is allowed. */
	CHECK_OK(ga_prune_plan_make(&p, old, half, live_of, &c, &o));
	CHECK_EQ_INT(p.ndelete, 1);
	CHECK_EQ_STR(p.items[0].ref.name, "web");
	ga_prune_plan_dispose(&p);
	/* Objects already gone do not count against the share. */
	c.n = 0;
	CHECK_OK(ga_prune_plan_make(&p, old, cur, live_of, &c, &o));
	CHECK_EQ_INT(p.ndelete, 0);
	CHECK_EQ_INT(p.items[0].decision, GA_PRUNE_GONE);
	ga_prune_plan_dispose(&p);
	cluster_free(&c);
	ga_inventory_free(old);
	ga_inventory_free(cur);
	ga_inventory_free(half);
}

static void test_errors(void)
{
	cluster c = {names, yaml, 10, {NULL}, GA_ERETRY};
	ga_inventory *old = inv_of(old_refs, 2), *cur = inv_of(NULL, 0);
	ga_prune_opts o = GA_PRUNE_OPTS_INIT;
	ga_prune_plan p = {NULL, NULL, 0, 0};

	CHECK_ERR(ga_prune_plan_make(&p, old, cur, live_of, &c, &o),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "prune: no owner labels to match live objects against");
	o.owner_labels = owner;
	o.nowner_labels = 2;
	CHECK_ERR(ga_prune_plan_make(&p, old, cur, NULL, &c, &o), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "prune: no way to look up live objects");
	CHECK_ERR(ga_prune_plan_make(&p, old, cur, live_of, &c, &o), GA_ERETRY);
	CHECK(p.items == NULL);
	cluster_free(&c);
	ga_inventory_free(old);
	ga_inventory_free(cur);
}

int main(void)
{
	RUN(test_plan);
	RUN(test_share_guard);
	RUN(test_errors);
	return DONE();
}
