/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's garbage collector and namespace controller (gc.c) run
 * directly on a store: Background, Foreground (blockOwnerDeletion holds
 * the owner) and Orphan propagation, owners found by uid only where an
 * owner may live, and a namespace emptied through Terminating, held by
 * an object's finalizer (and saying so in its conditions).
 */
#include <stdio.h>
#include <string.h>

#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"

static const ks_resource *cm_res(void)
{
	return ks_registry_find("", "v1", "configmaps");
}

static const ks_resource *ns_res(void)
{
	return ks_registry_find("", "v1", "namespaces");
}

/* Store a ConfigMap @ns/@name, owned by @owner (may be NULL), with the
 * finalizer @fin (may be NULL); its uid goes to @uid (may be NULL). */
static void put_cm(ks_store *s, const char *ns, const char *name,
                   const ga_node *owner, const char *fin, char uid[40])
{
	char json[768];
	ga_node *obj = NULL, *stored = NULL;

	(void)snprintf(json, sizeof(json),
	               "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	               "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\""
	               "%s%s%s%s%s%s%s}}",
	               name, ns, owner ? ",\"ownerReferences\":[{" : "",
	               owner ? "\"apiVersion\":\"v1\",\"kind\":\"X\","
	                       "\"name\":\"o\",\"blockOwnerDeletion\":true,"
	                       "\"uid\":\""
	                     : "",
	               owner ? ks_meta_str(owner, "uid") : "",
	               owner ? "\"}]" : "", fin ? ",\"finalizers\":[\"" : "",
	               fin ? fin : "", fin ? "\"]" : "");
	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "cm"));
	CHECK_OK(ks_store_stamp_new(s, cm_res(), obj, false));
	CHECK_OK(ks_store_put(s, cm_res(), obj, &stored));
	if (uid)
		(void)snprintf(uid, 40, "%s", ks_meta_str(stored, "uid"));
}

static void put_ns(ks_store *s, const char *name)
{
	char json[256];
	ga_node *obj = NULL;

	(void)snprintf(json, sizeof(json),
	               "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	               "\"metadata\":{\"name\":\"%s\"},\"spec\":{"
	               "\"finalizers\":[\"kubernetes\"]},\"status\":{"
	               "\"phase\":\"Active\"}}",
	               name);
	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "ns"));
	CHECK_OK(ks_store_stamp_new(s, ns_res(), obj, false));
	CHECK_OK(ks_store_put(s, ns_res(), obj, NULL));
}

static ga_node *cm(ks_store *s, const char *ns, const char *name)
{
	return ks_store_get(s, cm_res(), ns, name);
}

static void del(ks_store *s, const char *reskey, ga_node *obj, ks_propagation p)
{
	ga_node *gone = NULL;

	CHECK(obj != NULL);
	if (!obj)
		return;
	CHECK_OK(ks_delete_stored(s, reskey, obj, p, &gone));
	ga_node_free(gone);
}

static void run(ks_store *s)
{
	CHECK_OK(ks_gc_run(s, 0, NULL));
}

static void test_background(void)
{
	ks_store *s = NULL;

	CHECK_OK(ks_store_new(&s));
	put_cm(s, "a", "owner", NULL, NULL, NULL);
	put_cm(s, "a", "dep", cm(s, "a", "owner"), NULL, NULL);
	put_cm(s, "a", "grand", cm(s, "a", "dep"), NULL, NULL);
	run(s);
	CHECK(cm(s, "a", "dep") != NULL);
	del(s, "/configmaps", cm(s, "a", "owner"), KS_PROP_BACKGROUND);
	CHECK(cm(s, "a", "owner") == NULL);
	run(s);
	CHECK(cm(s, "a", "dep") == NULL);
	CHECK(cm(s, "a", "grand") == NULL);
	ks_store_free(s);
}

/* An owner in another namespace is no owner; a cluster-scoped one is. */
static void test_placement(void)
{
	ks_store *s = NULL;

	CHECK_OK(ks_store_new(&s));
	put_ns(s, "a");
	put_cm(s, "a", "owner", NULL, NULL, NULL);
	put_cm(s, "b", "elsewhere", cm(s, "a", "owner"), NULL, NULL);
	put_cm(s, "b", "by-ns", ks_store_get(s, ns_res(), "", "a"), NULL, NULL);
	run(s);
	CHECK(cm(s, "b", "elsewhere") == NULL);
	CHECK(cm(s, "b", "by-ns") != NULL);
	ks_store_free(s);
}

static void test_foreground(void)
{
	ks_store *s = NULL;
	ga_node *gone = NULL;

	CHECK_OK(ks_store_new(&s));
	put_cm(s, "a", "owner", NULL, NULL, NULL);
	put_cm(s, "a", "dep", cm(s, "a", "owner"), "x.io/hold", NULL);
	del(s, "/configmaps", cm(s, "a", "owner"), KS_PROP_FOREGROUND);
	CHECK(ks_has_finalizer(cm(s, "a", "owner"), "foregroundDeletion"));
	run(s);
	/* The dependent is being deleted and, blocking, holds the owner. */
	CHECK(ks_meta_str(cm(s, "a", "dep"), "deletionTimestamp") != NULL);
	CHECK(cm(s, "a", "owner") != NULL);
	CHECK_OK(
	    ks_store_remove_obj(s, "/configmaps", cm(s, "a", "dep"), &gone));
	ga_node_free(gone);
	run(s);
	CHECK(cm(s, "a", "owner") == NULL);
	ks_store_free(s);
}

static void test_orphan(void)
{
	ks_store *s = NULL;
	const ga_node *dep;

	CHECK_OK(ks_store_new(&s));
	put_cm(s, "a", "owner", NULL, NULL, NULL);
	put_cm(s, "a", "dep", cm(s, "a", "owner"), NULL, NULL);
	del(s, "/configmaps", cm(s, "a", "owner"), KS_PROP_ORPHAN);
	CHECK(ks_has_finalizer(cm(s, "a", "owner"), "orphan"));
	run(s);
	CHECK(cm(s, "a", "owner") == NULL);
	dep = cm(s, "a", "dep");
	CHECK(dep != NULL);
	CHECK(ks_get(ks_meta(dep), "ownerReferences") == NULL);
	ks_store_free(s);
}

static void test_namespace(void)
{
	ks_store *s = NULL;
	ga_node *nsobj, *gone = NULL;
	const ga_node *conds;

	CHECK_OK(ks_store_new(&s));
	put_ns(s, "t");
	put_cm(s, "t", "plain", NULL, NULL, NULL);
	put_cm(s, "t", "held", NULL, "x.io/hold", NULL);
	put_cm(s, "u", "other", NULL, NULL, NULL);
	del(s, "/namespaces", ks_store_get(s, ns_res(), "", "t"),
	    KS_PROP_BACKGROUND);
	nsobj = ks_store_get(s, ns_res(), "", "t");
	CHECK_EQ_STR(ks_str(ks_get(ks_get(nsobj, "status"), "phase")),
	             "Terminating");
	/* Too young for the controller yet. */
	CHECK_OK(ks_gc_run(s, 3600, NULL));
	CHECK(cm(s, "t", "plain") != NULL);
	run(s);
	CHECK(cm(s, "t", "plain") == NULL);
	CHECK(cm(s, "u", "other") != NULL);
	nsobj = ks_store_get(s, ns_res(), "", "t");
	CHECK(nsobj != NULL);
	conds = ks_get(ks_get(nsobj, "status"), "conditions");
	CHECK_EQ_INT(ks_count(conds), 5);
	CHECK_EQ_STR(ks_str(ks_get(ks_item(conds, 3), "message")),
	             "Some resources are remaining: configmaps. has 1 "
	             "resource instances");
	CHECK_EQ_STR(ks_str(ks_get(ks_item(conds, 4), "message")),
	             "Some content in the namespace has finalizers remaining: "
	             "x.io/hold in 1 resource instances");
	CHECK_EQ_STR(ks_str(ks_get(ks_item(conds, 4), "status")), "True");
	CHECK_OK(
	    ks_store_remove_obj(s, "/configmaps", cm(s, "t", "held"), &gone));
	ga_node_free(gone);
	run(s);
	CHECK(ks_store_get(s, ns_res(), "", "t") == NULL);
	ks_store_free(s);
}

/*
 * Emptying a namespace of many objects, and collecting many dependents
 * of one owner, takes a few sweeps of the store, not one per object:
 * one snapshot per deletion made this quadratic.
 */
static void test_many(void)
{
	ks_store *s = NULL;
	ks_gc_stats st;
	char name[32];
	size_t i, left = 0;

	CHECK_OK(ks_store_new(&s));
	put_ns(s, "big");
	put_cm(s, "a", "owner", NULL, NULL, NULL);
	for (i = 0; i < 500; i++) {
		(void)snprintf(name, sizeof(name), "cm-%zu", i);
		put_cm(s, "big", name, NULL, i % 50 ? NULL : "x.io/hold", NULL);
		put_cm(s, "a", name, cm(s, "a", "owner"), NULL, NULL);
	}
	del(s, "/namespaces", ks_store_get(s, ns_res(), "", "big"),
	    KS_PROP_BACKGROUND);
	del(s, "/configmaps", cm(s, "a", "owner"), KS_PROP_FOREGROUND);
	CHECK_OK(ks_gc_run(s, 0, &st));
	/* 500 deletions in the namespace, 500 dependents, the owner, the
	 * namespace's conditions. */
	CHECK_EQ_INT(st.changes, 1002);
	CHECK(st.snapshots <= 3);
	for (i = 0; i < 500; i++) {
		(void)snprintf(name, sizeof(name), "cm-%zu", i);
		left += cm(s, "big", name) != NULL;
		CHECK(cm(s, "a", name) == NULL);
	}
	CHECK_EQ_INT(left, 10);
	CHECK(cm(s, "a", "owner") == NULL);
	CHECK(ks_store_get(s, ns_res(), "", "big") != NULL);
	ks_store_free(s);
}

int main(void)
{
	RUN(test_background);
	RUN(test_placement);
	RUN(test_foreground);
	RUN(test_orphan);
	RUN(test_namespace);
	RUN(test_many);
	ks_registry_free();
	return DONE();
}
