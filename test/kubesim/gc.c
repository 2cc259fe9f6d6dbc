/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The controllers behind deletion ("Garbage collection", "Owners and
 * dependents", "Namespaces" in the Kubernetes documentation): the
 * garbage collector and the namespace controller, one worker thread that
 * runs them every quarter second under ks_server.lock, and empties a
 * Terminating namespace only after a second or two, so that a GET right
 * after a DELETE still sees what a real cluster shows (a namespace
 * Terminating, an owner waiting in foreground deletion); tests call
 * ks_gc_run() directly to stay deterministic.
 *
 * Owners are found by uid, as the real collector does, and only where an
 * owner may be: a namespaced dependent's owner is cluster-scoped or in
 * its namespace, a cluster-scoped dependent's owner cluster-scoped; an
 * owner anywhere else counts as absent.  Rules, applied in sweeps:
 *  - an owner deleted with the orphan finalizer loses its references from
 *    every dependent, then its finalizer;
 *  - an owner deleted with foregroundDeletion has every dependent
 *    deleted, and loses its finalizer once no dependent with
 *    blockOwnerDeletion remains;
 *  - a dependent all of whose owners are absent is deleted (Background);
 *    one with a live owner loses its references to absent ones;
 *  - a Terminating namespace has its objects deleted, and while some wait
 *    for their finalizers its status says which (NamespaceContentRemaining,
 *    NamespaceFinalizersRemaining); when none remain, its "kubernetes"
 *    finalizer (spec.finalizers) goes, then the namespace.
 *
 * A sweep takes one snapshot of the store (indexed by uid, and by owner
 * for the dependents) and applies every rule it can before the next one,
 * so emptying a namespace of n objects costs a few snapshots, not n: a
 * removed object stays in the snapshot, marked gone (its strings kept
 * until the sweep ends), and counts as absent from then on.
 */
#include "kubesim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"

#define TICK_MS 250
/* A namespace is emptied once Terminating for this long (1-2 s with
 * timestamps to the second), about what a real controller takes. */
#define NS_AGE_S 2
#define MAX_CHANGES 100000

struct ks_gc {
	ks_ticker *ticker;
	ks_server *ks;
	uint64_t idle_rv; /* the store's resourceVersion after an idle round */
};

/* One stored object, as a sweep sees the store. */
struct item {
	char reskey[320];
	ga_node *obj;  /* NULL once removed */
	ga_node *gone; /* the removed object, owned: uid, ns, name live on */
	const char *uid, *ns, *name;
};

/* A reference from v[dep] to v[owner] (by uid alone: where the owner
 * may be is checked when the reference is used). */
struct edge {
	size_t owner, dep;
};

struct snap {
	struct item *v;
	size_t n, cap;
	const struct item **by_uid; /* v sorted by uid, for owner lookups */
	struct edge *edges;         /* sorted by owner, then dependent */
	size_t n_edges;
	bool young; /* a namespace waits for its age */
};

static int collect(void *payload, const char *reskey, ga_node *obj);

static int cmp_uid(const void *a, const void *b)
{
	const char *x = (*(const struct item *const *)a)->uid;
	const char *y = (*(const struct item *const *)b)->uid;

	return strcmp(x ? x : "", y ? y : "");
}

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->dep < y->dep ? -1 : x->dep > y->dep;
}

static const struct item *by_uid(const struct snap *s, const char *uid)
{
	struct item key;
	const struct item *k = &key, *const * hit;

	memset(&key, 0, sizeof(key));
	key.uid = uid;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
	hit = bsearch(&k, s->by_uid, s->n, sizeof(*s->by_uid), cmp_uid);
	return hit ? *hit : NULL;
}

/* Every ownerReference whose uid is stored, as an edge. */
static int index_edges(struct snap *s)
{
	size_t i, j, n = 0, cap = 0;
	const struct item *o;

	for (i = 0; i < s->n; i++)
		cap +=
		    ks_count(ks_get(ks_meta(s->v[i].obj), "ownerReferences"));
	if (!(s->edges = ga_calloc(cap ? cap : 1, sizeof(*s->edges))))
		return GA_ENOMEM;
	for (i = 0; i < s->n; i++) {
		const ga_node *refs =
		    ks_get(ks_meta(s->v[i].obj), "ownerReferences");
		for (j = 0; j < ks_count(refs); j++) {
			const char *uid =
			    ks_str(ks_get(ks_item(refs, j), "uid"));
			if (!uid || !(o = by_uid(s, uid)))
				continue;
			s->edges[n].owner = (size_t)(o - s->v);
			s->edges[n++].dep = i;
		}
	}
	qsort(s->edges, n, sizeof(*s->edges), cmp_edge);
	s->n_edges = n;
	return 0;
}

/* The store as it is now, indexed; *s is disposed by the caller. */
static int snapshot(ks_store *store, struct snap *s)
{
	size_t i;
	int err;

	if ((err = ks_store_each(store, collect, s)) < 0)
		return err;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
	if (!(s->by_uid = ga_calloc(s->n ? s->n : 1, sizeof(*s->by_uid))))
		return GA_ENOMEM;
	for (i = 0; i < s->n; i++)
		s->by_uid[i] = &s->v[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
	qsort(s->by_uid, s->n, sizeof(*s->by_uid), cmp_uid);
	return index_edges(s);
}

static void snap_dispose(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		ga_node_free(s->v[i].gone);
	ga_free(s->edges);
	ga_free(s->by_uid);
	ga_free(s->v);
}

/* The first edge from @owner's dependents; they run to the returned end. */
static size_t dependents(const struct snap *s, const struct item *owner,
                         size_t *end)
{
	size_t at = (size_t)(owner - s->v), lo = 0, hi = s->n_edges, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->edges[mid].owner < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < s->n_edges && s->edges[lo].owner == at)
		lo++;
	*end = lo;
	return first;
}

/* @it left the store during the sweep; *@gone keeps its strings. */
static void mark_gone(struct item *it, ga_node *gone)
{
	it->gone = gone;
	it->obj = NULL;
}

static int collect(void *payload, const char *reskey, ga_node *obj)
{
	struct snap *s = payload;
	struct item *it;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct item *v = ga_reallocarray(s->v, cap, sizeof(*v));
		if (!v)
			return GA_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	it = &s->v[s->n++];
	(void)snprintf(it->reskey, sizeof(it->reskey), "%s", reskey);
	it->obj = obj;
	it->gone = NULL;
	it->uid = ks_meta_str(obj, "uid");
	it->ns = ks_meta_str(obj, "namespace");
	it->name = ks_meta_str(obj, "name");
	if (!it->ns)
		it->ns = "";
	return 0;
}

static bool deleting(const struct item *it)
{
	return it->obj && ks_meta_str(it->obj, "deletionTimestamp") != NULL;
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const ga_node *refs_of(const struct item *it)
{
	return ks_get(ks_meta(it->obj), "ownerReferences");
}

/* The owner @ref names for @dep, or NULL when absent (or misplaced). */
static const struct item *owner_of(const struct snap *s, const struct item *dep,
                                   const ga_node *ref)
{
	const char *uid = ks_str(ks_get(ref, "uid"));
	const struct item *o = uid ? by_uid(s, uid) : NULL;

	if (!o || !o->obj)
		return NULL;
	return !o->ns[0] || strcmp(o->ns, dep->ns) == 0 ? o : NULL;
}

/* The index of @dep's reference to @owner, or -1. */
static long ref_to(const struct snap *s, const struct item *dep,
                   const struct item *owner)
{
	const ga_node *refs;
	size_t i;

	if (!dep->obj)
		return -1;
	refs = refs_of(dep);
	for (i = 0; i < ks_count(refs); i++)
		if (same(ks_str(ks_get(ks_item(refs, i), "uid")), owner->uid) &&
		    owner_of(s, dep, ks_item(refs, i)) == owner)
			return (long)i;
	return -1;
}

/* Remove @dep's references at the indexes @drop says; MODIFIED. */
static int drop_refs(ks_store *store, struct item *dep, const bool *drop)
{
	ga_node *old = NULL, *refs;
	size_t i, j, n;
	int err;

	if ((err = ga_node_clone(&old, dep->obj)) < 0)
		return err;
	refs = ks_get(ks_meta(dep->obj), "ownerReferences");
	n = ks_count(refs);
	for (i = n, j = n; i-- > 0;)
		if (drop[i]) {
			ga_node_free(ga_node_list_remove(refs, i));
			j--;
		}
	if (!j)
		ga_node_free(ks_remove(ks_meta(dep->obj), "ownerReferences"));
	err = ks_store_changed(store, dep->reskey, dep->obj, old);
	ga_node_free(old);
	return err < 0 ? err : 1;
}

/*
 * @it's finalizer @name is done: it goes, and so does @it when it was
 * the last one (as the registry deletes rather than updates).
 */
static int finish(ks_store *store, struct item *it, const char *name)
{
	const ga_node *fin = ks_get(ks_meta(it->obj), "finalizers");
	ga_node *old = NULL, *gone = NULL;
	int err;

	if (ks_count(fin) == 1) {
		if ((err = ks_store_remove_obj(store, it->reskey, it->obj,
		                               &gone)) < 0)
			return err;
		mark_gone(it, gone);
		return 1;
	}
	if ((err = ga_node_clone(&old, it->obj)) < 0)
		return err;
	ks_remove_finalizer(it->obj, name);
	err = ks_store_changed(store, it->reskey, it->obj, old);
	ga_node_free(old);
	return err < 0 ? err : 1;
}

static int delete_item(ks_store *store, struct item *it, ks_propagation p)
{
	ga_node *gone = NULL;
	int err;

	if ((err = ks_delete_stored(store, it->reskey, it->obj, p, &gone)) < 0)
		return err;
	if (gone)
		mark_gone(it, gone);
	return 1;
}

static bool has_dependents(const struct snap *s, const struct item *owner)
{
	size_t i, end;

	for (i = dependents(s, owner, &end); i < end; i++)
		if (ref_to(s, &s->v[s->edges[i].dep], owner) >= 0)
			return true;
	return false;
}

/* Every dependent loses its reference, then the owner its finalizer;
 * the number of changes or a negative code. */
static int orphan_step(ks_store *store, struct snap *s, struct item *owner)
{
	bool drop[256];
	size_t i, j, end;
	int n = 0, err;
	long at;

	for (i = dependents(s, owner, &end); i < end; i++) {
		struct item *dep = &s->v[s->edges[i].dep];
		if ((at = ref_to(s, dep, owner)) < 0 ||
		    ks_count(refs_of(dep)) > sizeof(drop) / sizeof(drop[0]))
			continue;
		for (j = 0; j < sizeof(drop) / sizeof(drop[0]); j++)
			drop[j] = j == (size_t)at;
		if ((err = drop_refs(store, dep, drop)) < 0)
			return err;
		n++;
	}
	if ((err = finish(store, owner, "orphan")) < 0)
		return err;
	return n + 1;
}

/* Every dependent is deleted; the owner loses its finalizer unless one
 * still there blocks it.  The number of changes or a negative code. */
static int foreground_step(ks_store *store, struct snap *s, struct item *owner)
{
	bool blocked = false;
	size_t i, end;
	int n = 0, err;
	long at;

	for (i = dependents(s, owner, &end); i < end; i++) {
		struct item *dep = &s->v[s->edges[i].dep];
		if ((at = ref_to(s, dep, owner)) < 0)
			continue;
		if (!deleting(dep)) {
			if ((err = delete_item(store, dep,
			                       has_dependents(s, dep)
			                           ? KS_PROP_FOREGROUND
			                           : KS_PROP_BACKGROUND)) < 0)
				return err;
			n++;
		}
		if (dep->obj &&
		    ks_bool(ks_get(ks_item(refs_of(dep), (size_t)at),
		                   "blockOwnerDeletion")))
			blocked = true;
	}
	if (blocked)
		return n;
	if ((err = finish(store, owner, "foregroundDeletion")) < 0)
		return err;
	return n + 1;
}

/* Seconds since @it's deletionTimestamp. */
static long long deleted_for(const struct item *it)
{
	const char *ts = ks_meta_str(it->obj, "deletionTimestamp");
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!ts || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return (long long)(time(NULL) - timegm(&tm));
}

/* Append "<plural>.<group> has N resource instances" for what is left. */
static void remaining_resources(ga_buf *b, const struct snap *s,
                                const struct item *nsi)
{
	const char *cur = NULL;
	size_t i, count = 0;

	for (i = 0; i <= s->n; i++) {
		const struct item *it = i < s->n ? &s->v[i] : NULL;
		if (it && (!it->obj || strcmp(it->ns, nsi->name) != 0))
			continue;
		if (cur && (!it || strcmp(it->reskey, cur) != 0)) {
			const char *slash = strchr(cur, '/');
			(void)ga_buf_printf(
			    b, "%s%s.%.*s has %zu resource instances",
			    b->size ? ", " : "", slash + 1, (int)(slash - cur),
			    cur, count);
			count = 0;
		}
		if (it) {
			cur = it->reskey;
			count++;
		}
	}
}

/* Append "<finalizer> in N resource instances" for what is left. */
static void remaining_finalizers(ga_buf *b, const struct snap *s,
                                 const struct item *nsi)
{
	const char *names[16];
	size_t counts[16], n = 0, i, j, k;

	for (i = 0; i < s->n; i++) {
		const ga_node *fin;
		if (!s->v[i].obj || strcmp(s->v[i].ns, nsi->name) != 0)
			continue;
		fin = ks_get(ks_meta(s->v[i].obj), "finalizers");
		for (j = 0; j < ks_count(fin); j++) {
			const char *f = ks_str(ks_item(fin, j));
			for (k = 0; k < n && f && strcmp(names[k], f) != 0; k++)
				;
			if (!f || (k == n && n == 16))
				continue;
			if (k == n) {
				names[n] = f;
				counts[n++] = 0;
			}
			counts[k]++;
		}
	}
	for (i = 0; i < n; i++)
		(void)ga_buf_printf(b, "%s%s in %zu resource instances",
		                    i ? ", " : "", names[i], counts[i]);
}

/* One condition; its lastTransitionTime kept while its status is. */
static void put_condition(ga_buf *b, const ga_node *was, const char *type,
                          bool status, const char *reason, const char *msg)
{
	const char *st = status ? "True" : "False", *when = NULL;
	char now[32];
	size_t i;

	for (i = 0; i < ks_count(was); i++) {
		const ga_node *c = ks_item(was, i);
		if (same(ks_str(ks_get(c, "type")), type) &&
		    same(ks_str(ks_get(c, "status")), st))
			when = ks_str(ks_get(c, "lastTransitionTime"));
	}
	ks_now_rfc3339(now);
	(void)ga_buf_printf(b,
	                    "%s{\"type\":\"%s\",\"status\":\"%s\","
	                    "\"lastTransitionTime\":\"%s\",\"reason\":\"%s\","
	                    "\"message\":",
	                    b->size > 1 ? "," : "", type, st, when ? when : now,
	                    reason);
	(void)ga_json_quote(b, msg);
	(void)ga_buf_putc(b, '}');
}

/*
 * The conditions the namespace controller writes while content remains
 * (NamespaceContentRemaining, NamespaceFinalizersRemaining ...).  1 when
 * they changed, 0 when not, or a negative code.
 */
static int namespace_conditions(ks_store *store, const struct snap *s,
                                struct item *nsi)
{
	ga_buf res = GA_BUF_INIT(1 << 16), fin = GA_BUF_INIT(1 << 16);
	ga_buf msg = GA_BUF_INIT(1 << 17), b = GA_BUF_INIT(1 << 18);
	const ga_node *was = ks_get(ks_get(nsi->obj, "status"), "conditions");
	ga_node *conds = NULL, *old = NULL;
	int err;

	if (!ks_get(nsi->obj, "status"))
		return 0;
	remaining_resources(&res, s, nsi);
	remaining_finalizers(&fin, s, nsi);
	(void)ga_buf_putc(&b, '[');
	put_condition(&b, was, "NamespaceDeletionDiscoveryFailure", false,
	              "ResourcesDiscovered",
	              "All resources successfully discovered");
	put_condition(&b, was, "NamespaceDeletionGroupVersionParsingFailure",
	              false, "ParsedGroupVersions",
	              "All legacy kube types successfully parsed");
	put_condition(&b, was, "NamespaceDeletionContentFailure", false,
	              "ContentDeleted",
	              "All content successfully deleted, may be waiting on "
	              "finalization");
	(void)ga_buf_printf(&msg, "Some resources are remaining: %s",
	                    ga_buf_cstr(&res));
	put_condition(&b, was, "NamespaceContentRemaining", true,
	              "SomeResourcesRemain", ga_buf_cstr(&msg));
	ga_buf_clear(&msg);
	(void)ga_buf_printf(&msg,
	                    "Some content in the namespace has finalizers "
	                    "remaining: %s",
	                    ga_buf_cstr(&fin));
	put_condition(&b, was, "NamespaceFinalizersRemaining", fin.size > 0,
	              fin.size ? "SomeFinalizersRemain"
	                       : "ContentHasNoFinalizers",
	              fin.size ? ga_buf_cstr(&msg)
	                       : "All content-preserving finalizers finished");
	(void)ga_buf_putc(&b, ']');
	if ((err = b.err) < 0 ||
	    (err = ga_json_parse(&conds, b.ptr, b.size, "conditions")) < 0 ||
	    (err = ga_node_clone(&old, nsi->obj)) < 0)
		goto out;
	if ((err = ga_node_map_set_take(ks_get(nsi->obj, "status"),
	                                "conditions", conds)) < 0)
		goto out;
	conds = NULL;
	err = ks_equal(nsi->obj, old) ? 0 : 1;
	if (err &&
	    (err = ks_store_changed(store, "/namespaces", nsi->obj, old)) == 0)
		err = 1;
out:
	ga_node_free(conds);
	ga_node_free(old);
	ga_buf_dispose(&res);
	ga_buf_dispose(&fin);
	ga_buf_dispose(&msg);
	ga_buf_dispose(&b);
	return err;
}

/*
 * A Terminating namespace: its objects deleted, its conditions written
 * while some remain, else its finalizer or itself removed.  The number
 * of changes or a negative code.
 */
static int namespace_step(ks_store *store, struct snap *s, struct item *nsi,
                          unsigned min_age)
{
	ga_node *old = NULL, *gone = NULL;
	bool left = false;
	size_t i;
	int n = 0, err;

	if (deleted_for(nsi) < (long long)min_age) {
		s->young = true;
		return 0;
	}
	for (i = 0; i < s->n; i++) {
		struct item *it = &s->v[i];
		if (!it->obj || strcmp(it->ns, nsi->name) != 0)
			continue;
		if (!deleting(it)) {
			if ((err = delete_item(store, it, KS_PROP_BACKGROUND)) <
			    0)
				return err;
			n++;
		}
		left = left || it->obj != NULL;
	}
	if (left) {
		err = namespace_conditions(store, s, nsi);
		return err < 0 ? err : n + err;
	}
	/* Emptied now: its finalizer goes in the next sweep, as before. */
	if (n)
		return n;
	if (ks_count(ks_get(ks_get(nsi->obj, "spec"), "finalizers"))) {
		if ((err = ga_node_clone(&old, nsi->obj)) < 0)
			return err;
		ga_node_free(ks_remove(ks_get(nsi->obj, "spec"), "finalizers"));
		err = ks_store_changed(store, "/namespaces", nsi->obj, old);
		ga_node_free(old);
		return err < 0 ? err : 1;
	}
	if (ks_count(ks_get(ks_meta(nsi->obj), "finalizers")))
		return 0;
	if ((err = ks_store_remove_obj(store, "/namespaces", nsi->obj, &gone)) <
	    0)
		return err;
	mark_gone(nsi, gone);
	return 1;
}

/* A dependent's owners: delete it when all are absent, drop the absent
 * ones when another lives. */
static int dependent_step(ks_store *store, struct snap *s, struct item *dep)
{
	const ga_node *refs = refs_of(dep);
	bool drop[256];
	size_t i, n = ks_count(refs), absent = 0, live = 0;

	if (!dep->obj || !n || deleting(dep) ||
	    n > sizeof(drop) / sizeof(drop[0]))
		return 0;
	for (i = 0; i < n; i++) {
		const struct item *o = owner_of(s, dep, ks_item(refs, i));
		drop[i] = !o;
		if (!o)
			absent++;
		else if (!deleting(o) ||
		         !ks_has_finalizer(o->obj, "foregroundDeletion"))
			live++;
	}
	if (!absent)
		return 0;
	if (!live && absent == n)
		return delete_item(store, dep, KS_PROP_BACKGROUND);
	return live ? drop_refs(store, dep, drop) : 0;
}

/* The owners being deleted: one rule each. */
static int owner_step(ks_store *store, struct snap *s, struct item *it,
                      unsigned min_age)
{
	if (!deleting(it))
		return 0;
	if (ks_has_finalizer(it->obj, "orphan"))
		return orphan_step(store, s, it);
	if (ks_has_finalizer(it->obj, "foregroundDeletion"))
		return foreground_step(store, s, it);
	if (strcmp(it->reskey, "/namespaces") == 0)
		return namespace_step(store, s, it, min_age);
	return 0;
}

/*
 * Every rule over one snapshot: the number of changes, 0 when there was
 * nothing to do (*young: a namespace is not old enough yet), or a
 * negative code.
 */
static int sweep(ks_store *store, unsigned min_age, bool *young,
                 ks_gc_stats *stats)
{
	struct snap s;
	size_t i;
	int rc = 0, n = 0;

	memset(&s, 0, sizeof(s));
	stats->snapshots++;
	if ((rc = snapshot(store, &s)) < 0)
		goto out;
	for (i = 0; i < s.n && rc >= 0; i++)
		if ((rc = owner_step(store, &s, &s.v[i], min_age)) > 0)
			n += rc;
	for (i = 0; i < s.n && rc >= 0; i++)
		if ((rc = dependent_step(store, &s, &s.v[i])) > 0)
			n += rc;
	*young = s.young;
out:
	snap_dispose(&s);
	return rc < 0 ? rc : n;
}

int ks_gc_run(ks_store *store, unsigned ns_age, ks_gc_stats *stats)
{
	ks_gc_stats local;
	bool young = false;
	int rc = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	while (stats->changes < MAX_CHANGES &&
	       (rc = sweep(store, ns_age, &young, stats)) > 0)
		stats->changes += (size_t)rc;
	return rc < 0 ? rc : young;
}

/*
 * One round under the server's lock, skipped while nothing changed since
 * an idle round: the controllers react to changes, and a store of many
 * objects should not pay for a full scan four times a second.
 */
static void round_once(void *arg)
{
	struct ks_gc *gc = arg;
	uint64_t rv;
	int rc;

	(void)pthread_mutex_lock(&gc->ks->lock);
	rv = ks_store_rv(gc->ks->store);
	if (rv != gc->idle_rv) {
		rc = ks_gc_run(gc->ks->store, NS_AGE_S, NULL);
		if (rc < 0)
			ga_error_clear();
		gc->idle_rv = rc == 0 ? ks_store_rv(gc->ks->store) : 0;
	}
	(void)pthread_mutex_unlock(&gc->ks->lock);
}

int ks_gc_start(ks_server *ks)
{
	struct ks_gc *gc = ga_calloc(1, sizeof(*gc));
	int err;

	if (!gc)
		return GA_ENOMEM;
	gc->ks = ks;
	if ((err = ks_ticker_start(&gc->ticker, "gc", TICK_MS, false,
	                           round_once, gc)) < 0) {
		ga_free(gc);
		return err;
	}
	ks->gc = gc;
	return 0;
}

void ks_gc_stop(ks_server *ks)
{
	struct ks_gc *gc = ks->gc;

	if (!gc)
		return;
	ks_ticker_stop(gc->ticker);
	ga_free(gc);
	ks->gc = NULL;
}
