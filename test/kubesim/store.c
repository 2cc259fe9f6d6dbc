/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's object store.  Objects are kept per resource in a map keyed
 * "<namespace>/<name>" (cluster-scoped objects under "/<name>"), so that
 * sorting the keys gives kube-apiserver's LIST order (etcd's key order,
 * /registry/<resource>/<namespace>/<name>).  One counter hands out
 * resourceVersions to every change of every resource, as etcd's revision
 * does; metadata.uid is a random UUID and creationTimestamp is RFC 3339 in
 * UTC, to the second, as the API server writes them.  Every change is
 * also recorded in the event history (events.c) that watch reads, with
 * the object before and after: ks_store_put() records ADDED or MODIFIED,
 * ks_store_remove() DELETED under a resourceVersion of its own, as etcd
 * gives a delete its own revision.  Callers hold ks_server.lock.
 */
#include "kubesim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct ks_store {
	ga_node *by_res;   /* "<group>/<plural>" -> "<ns>/<name>" -> object */
	uint64_t rv;       /* the last resourceVersion handed out */
	ks_events *events; /* the history watch reads */
	uint64_t changes;  /* every put and removal counts (--state saves) */
};

int ks_store_new(ks_store **out)
{
	ks_store *s = ga_calloc(1, sizeof(*s));

	if (!s)
		return GA_ENOMEM;
	if (ga_node_new_map(&s->by_res) < 0) {
		ga_free(s);
		return GA_ENOMEM;
	}
	/* Start where a fresh cluster's counter roughly is: clients must
	 * not read meaning into small numbers. */
	s->rv = 1000;
	if (ks_events_new(&s->events, KS_EVENTS_CAP, s->rv) < 0) {
		ga_node_free(s->by_res);
		ga_free(s);
		return GA_ENOMEM;
	}
	*out = s;
	return 0;
}

void ks_store_free(ks_store *store)
{
	if (!store)
		return;
	ga_node_free(store->by_res);
	ks_events_free(store->events);
	ga_free(store);
}

ks_events *ks_store_events(ks_store *store)
{
	return store->events;
}

uint64_t ks_store_rv(const ks_store *store)
{
	return store->rv;
}

uint64_t ks_store_next_rv(ks_store *store)
{
	return ++store->rv;
}

uint64_t ks_store_changes(const ks_store *store)
{
	return store->changes;
}

const ga_node *ks_store_tree(const ks_store *store)
{
	return store->by_res;
}

void ks_store_restore(ks_store *store, ga_node *tree, uint64_t rv)
{
	ga_node_free(store->by_res);
	store->by_res = tree;
	store->rv = rv;
	store->changes++;
}

void ks_res_key(char *out, size_t cap, const ks_resource *res)
{
	(void)snprintf(out, cap, "%s/%s", res->group, res->plural);
}

int ks_store_record(ks_store *store, const ks_resource *res, ks_event_type type,
                    const ga_node *obj, const ga_node *old)
{
	char key[512];

	ks_res_key(key, sizeof(key), res);
	return ks_store_record_at(store, key, type, obj, old);
}

int ks_store_record_at(ks_store *store, const char *reskey, ks_event_type type,
                       const ga_node *obj, const ga_node *old)
{
	store->changes++; /* a change made in place: --state saves it too */
	return ks_events_record(store->events, reskey, type, obj, old);
}

/* Give @obj the next resourceVersion. */
static int bump_rv(ks_store *store, ga_node *obj)
{
	char rv[24];

	(void)snprintf(rv, sizeof(rv), "%" PRIu64, ks_store_next_rv(store));
	return ks_meta_set_str(obj, "resourceVersion", rv);
}

int ks_store_bump(ks_store *store, ga_node *obj)
{
	return bump_rv(store, obj);
}

/* The map of @res's objects, created when @create. */
static ga_node *res_map(ks_store *store, const ks_resource *res, bool create)
{
	char key[512];
	ga_node *m;

	ks_res_key(key, sizeof(key), res);
	m = ks_get(store->by_res, key);
	if (m || !create)
		return m;
	if (ga_node_new_map(&m) < 0)
		return NULL;
	if (ga_node_map_set_take(store->by_res, key, m) < 0)
		return NULL;
	return m;
}

ga_node *ks_store_get(ks_store *store, const ks_resource *res, const char *ns,
                      const char *name)
{
	char key[600];

	(void)snprintf(key, sizeof(key), "%s/%s", ns, name);
	return ks_get(res_map(store, res, false), key);
}

struct entry {
	const char *key;
	const ga_node *obj;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
	              ((const struct entry *)b)->key);
}

int ks_store_list(ks_store *store, const ks_resource *res, const char *ns,
                  const ga_node ***out, size_t *n_out)
{
	const ga_node *m = res_map(store, res, false);
	size_t i, n = 0, count = ks_count(m), nslen = strlen(ns);
	struct entry *e = ga_calloc(count ? count : 1, sizeof(*e));
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
	const ga_node **objs = ga_calloc(count ? count : 1, sizeof(*objs));
	int err = 0;

	if (!e || !objs) {
		err = GA_ENOMEM;
		goto out;
	}
	for (i = 0; i < count; i++) {
		const char *key = ga_node_map_key(m, i, NULL);
		if (nslen &&
		    (strncmp(key, ns, nslen) != 0 || key[nslen] != '/'))
			continue;
		e[n].key = key;
		e[n++].obj = ga_node_map_value(m, i);
	}
	qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 0; i < n; i++)
		objs[i] = e[i].obj;
	*out = objs;
	*n_out = n;
	objs = NULL;
out:
	ga_free(e);
	ga_free(objs);
	return err;
}

/* A random (version 4) UUID as the API server's uids are. */
static int new_uid(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		ga_error_set_os(errno, "getrandom");
		return GA_EIO;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	(void)snprintf(out, 37,
	               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	               "%02x%02x%02x%02x%02x%02x",
	               b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
	               b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

int ks_store_stamp_new(ks_store *store, const ks_resource *res, ga_node *obj,
                       bool dry_run)
{
	char uid[37], now[32];
	ga_node *gen;
	int err;

	ks_now_rfc3339(now);
	if ((err = new_uid(uid)) < 0 ||
	    (err = ks_meta_set_str(obj, "uid", uid)) < 0 ||
	    (err = ks_meta_set_str(obj, "creationTimestamp", now)) < 0)
		return err;
	ga_node_free(ks_remove(ks_meta(obj), "deletionTimestamp"));
	ga_node_free(ks_remove(ks_meta(obj), "resourceVersion"));
	ga_node_free(ks_remove(ks_meta(obj), "generation"));
	if (res->flags & KS_RES_GENERATION) {
		if (ga_node_new_int(&gen, 1) < 0 ||
		    ga_node_map_set_take(ks_meta(obj), "generation", gen) < 0)
			return GA_ENOMEM;
	}
	if (dry_run)
		return 0;
	return bump_rv(store, obj);
}

int ks_store_put(ks_store *store, const ks_resource *res, ga_node *obj,
                 ga_node **stored)
{
	const char *ns = ks_meta_str(obj, "namespace");
	const char *name = ks_meta_str(obj, "name");
	ga_node *m = res_map(store, res, true);
	const ga_node *old;
	char key[600];
	int err;

	if (!m) {
		ga_node_free(obj);
		return GA_ENOMEM;
	}
	(void)snprintf(key, sizeof(key), "%s/%s",
	               res->namespaced && ns ? ns : "", name ? name : "");
	old = ks_get(m, key);
	if ((err =
	         ks_store_record(store, res, old ? KS_EV_MODIFIED : KS_EV_ADDED,
	                         obj, old)) < 0) {
		ga_node_free(obj);
		return err;
	}
	if ((err = ga_node_map_set_take(m, key, obj)) < 0)
		return err;
	store->changes++;
	if (stored)
		*stored = obj;
	return 0;
}

int ks_store_remove(ks_store *store, const ks_resource *res, const char *ns,
                    const char *name, ga_node **out)
{
	char key[512];

	ks_res_key(key, sizeof(key), res);
	return ks_store_remove_at(store, key, ns, name, out);
}

int ks_store_remove_at(ks_store *store, const char *reskey, const char *ns,
                       const char *name, ga_node **out)
{
	ga_node *m = ks_get(store->by_res, reskey);
	char key[600];
	ga_node *obj;
	int err;

	(void)snprintf(key, sizeof(key), "%s/%s", ns ? ns : "", name);
	if (!(obj = ks_remove(m, key)))
		return GA_ENOTFOUND;
	store->changes++;
	if ((err = bump_rv(store, obj)) < 0 ||
	    (err = ks_events_record(store->events, reskey, KS_EV_DELETED, obj,
	                            NULL)) < 0) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

int ks_store_each(ks_store *store, ks_store_fn fn, void *payload)
{
	size_t r, i;
	int err;

	for (r = 0; r < ks_count(store->by_res); r++) {
		const char *reskey = ga_node_map_key(store->by_res, r, NULL);
		ga_node *m = ga_node_map_value(store->by_res, r);
		for (i = 0; i < ks_count(m); i++)
			if ((err = fn(payload, reskey,
			              ga_node_map_value(m, i))) != 0)
				return err;
	}
	return 0;
}

void ks_store_drop(ks_store *store, const char *group, const char *plural)
{
	char key[512];
	ga_node *m;
	size_t i;

	(void)snprintf(key, sizeof(key), "%s/%s", group, plural);
	m = ks_remove(store->by_res, key);
	store->changes++;
	/* Watchers of the kind see its objects go. */
	for (i = 0; i < ks_count(m); i++) {
		ga_node *obj = ga_node_map_value(m, i);
		if (bump_rv(store, obj) < 0 ||
		    ks_events_record(store->events, key, KS_EV_DELETED, obj,
		                     NULL) < 0)
			ga_error_clear();
	}
	ga_node_free(m);
}

ga_node *ks_meta(const ga_node *obj)
{
	return ks_get(obj, "metadata");
}

const char *ks_meta_str(const ga_node *obj, const char *field)
{
	return ks_str(ks_get(ks_meta(obj), field));
}

int ks_set_str(ga_node *map, const char *key, const char *value)
{
	ga_node *v;
	int err;

	if ((err = ga_node_new_string(&v, value, strlen(value))) < 0)
		return err;
	return ga_node_map_set_take(map, key, v);
}

int ks_meta_set_str(ga_node *obj, const char *field, const char *value)
{
	ga_node *meta = ks_meta(obj);
	int err;

	if (!meta) {
		if ((err = ga_node_new_map(&meta)) < 0 ||
		    (err = ga_node_map_set_take(obj, "metadata", meta)) < 0)
			return err;
	}
	return ks_set_str(meta, field, value);
}

void ks_now_rfc3339(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, 32, "1970-01-01T00:00:00Z");
}
