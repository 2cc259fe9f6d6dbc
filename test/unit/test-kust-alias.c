/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label values shared between fields (alias.c): an in-place change shows
 * in every field sharing the value, a field rewritten with a value of its
 * own leaves the sharing, a rebuilt object shares nothing.
 */
#include "kustomize/alias.h"

#include "ga/yaml.h"
#include "harness.h"

static ga_node *parse(const char *yaml)
{
	ga_node *docs = NULL, *doc = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	if (docs)
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

/* The three label maps of the test Deployment. */
static ga_node *at(ga_kust_res *r, int which)
{
	ga_node *spec = ga_node_map_get(r->obj, "spec");

	switch (which) {
	case 0:
		return ga_node_map_get(ga_node_map_get(r->obj, "metadata"),
		                       "labels");
	case 1:
		return ga_node_map_get(ga_node_map_get(spec, "selector"),
		                       "matchLabels");
	default:
		return ga_node_map_get(
		    ga_node_map_get(ga_node_map_get(spec, "template"),
		                    "metadata"),
		    "labels");
	}
}

static const char *team(ga_kust_res *r, int which)
{
	const ga_node *v = ga_node_map_get(at(r, which), "team");

	return v ? ga_node_str(v) : NULL;
}

static void setup(ga_kust_res *r)
{
	ga_node *maps[3];

	r->obj = parse("metadata: {labels: {team: a}}\n"
	               "spec:\n  selector: {matchLabels: {team: a}}\n"
	               "  template: {metadata: {labels: {team: a}}}\n");
	r->aliases = NULL;
	for (int i = 0; i < 3; i++)
		maps[i] = at(r, i);
	CHECK_OK(ga_kust__alias_record(r, "team", maps, 3));
}

/* Set team in map @which to @v in place, as a transformer would. */
static void set_in_place(ga_kust_res *r, int which, const char *v)
{
	ga_node *old = NULL, *now = NULL;

	CHECK_OK(ga_node_clone(&old, ga_node_map_get(at(r, which), "team")));
	CHECK_OK(ga_node_new_string(&now, v, strlen(v)));
	CHECK_OK(ga_node_map_set_take(at(r, which), "team", now));
	CHECK_OK(ga_kust__alias_update(r, at(r, which), "team", old,
	                               ga_node_map_get(at(r, which), "team")));
	ga_node_free(old);
}

static void test_update(void)
{
	ga_kust_res r = {0};

	setup(&r);
	set_in_place(&r, 0, "b");
	CHECK_EQ_STR(team(&r, 1), "b");
	CHECK_EQ_STR(team(&r, 2), "b");
	ga_kust__alias_forget(&r);
	set_in_place(&r, 0, "c");
	CHECK_EQ_STR(team(&r, 1), "b");
	ga_node_free(r.obj);
}

static void test_merge(void)
{
	ga_kust_res r = {0};
	ga_node *snap = NULL, *v = NULL;

	setup(&r);
	/* A merge writes two of the fields; the last write wins. */
	CHECK_OK(ga_kust__alias_snapshot(&r, &snap));
	CHECK_OK(ga_node_new_string(&v, "q", 1));
	CHECK_OK(ga_node_map_set_take(at(&r, 1), "team", v));
	CHECK_OK(ga_node_new_string(&v, "z", 1));
	CHECK_OK(ga_node_map_set_take(at(&r, 2), "team", v));
	CHECK_OK(ga_kust__alias_settle(&r, snap));
	for (int i = 0; i < 3; i++)
		CHECK_EQ_STR(team(&r, i), "z");
	ga_kust__alias_forget(&r);
	ga_node_free(r.obj);

	/* A field the merge deleted stays deleted. */
	setup(&r);
	CHECK_OK(ga_kust__alias_snapshot(&r, &snap));
	ga_node_free(ga_node_map_remove(at(&r, 1), "team"));
	CHECK_OK(ga_node_new_string(&v, "z", 1));
	CHECK_OK(ga_node_map_set_take(at(&r, 0), "team", v));
	CHECK_OK(ga_kust__alias_settle(&r, snap));
	CHECK(team(&r, 1) == NULL);
	CHECK_EQ_STR(team(&r, 2), "z");
	ga_kust__alias_forget(&r);
	ga_node_free(r.obj);
}

int main(void)
{
	RUN(test_update);
	RUN(test_merge);
	return DONE();
}
