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
 * owner anywhere else counts as absent.  Rules, one change per step:
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
 */
#include "kubesim.h"

#include <errno.h>
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
#define MAX_STEPS 100000

struct ks_gc {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop;
	ks_server *ks;
	uint64_t idle_rv; /* the store's resourceVersion after an idle round */
};

/* One stored object, as a step sees the store. */
struct item {
	char reskey[320];
	ga_node *obj; /* valid until the step changes the store */
	const char *uid, *ns, *name;
};

struct snap {
	struct item *v;
	size_t n, cap;
	const struct item **by_uid; /* v sorted by uid, for owner lookups */
	bool young;                 /* a namespace waits for its age */
};

static int collect(void *payload, const char *reskey, ga_node *obj);

static int cmp_uid(const void *a, const void *b)
{
	const char *x = (*(const struct item *const *)a)->uid;
	const char *y = (*(const struct item *const *)b)->uid;

	return strcmp(x ? x : "", y ? y : "");
}

/* The store as it is now, indexed by uid; *s is disposed by the caller. */
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
	return 0;
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
	it->uid = ks_meta_str(obj, "uid");
	it->ns = ks_meta_str(obj, "namespace");
	it->name = ks_meta_str(obj, "name");
	if (!it->ns)
		it->ns = "";
	return 0;
}

static bool deleting(const struct item *it)
{
	return ks_meta_str(it->obj, "deletionTimestamp") != NULL;
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
	struct item key;
	const struct item *k = &key, *const * hit, *o;

	memset(&key, 0, sizeof(key));
	if (!(key.uid = ks_str(ks_get(ref, "uid"))))
		return NULL;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
	hit = bsearch(&k, s->by_uid, s->n, sizeof(*s->by_uid), cmp_uid);
	if (!hit)
		return NULL;
	o = *hit;
	return !o->ns[0] || strcmp(o->ns, dep->ns) == 0 ? o : NULL;
}

/* The index of @dep's reference to @owner, or -1. */
static long ref_to(const struct snap *s, const struct item *dep,
                   const struct item *owner)
{
	const ga_node *refs = refs_of(dep);
	size_t i;

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
		ga_node_free(gone);
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
	ga_node_free(gone);
	return 1;
}

static bool has_dependents(const struct snap *s, const struct item *owner)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (ref_to(s, &s->v[i], owner) >= 0)
			return true;
	return false;
}

static int orphan_step(ks_store *store, struct snap *s, struct item *owner)
{
	bool drop[256];
	size_t i, j;
	long at;

	for (i = 0; i < s->n; i++) {
		struct item *dep = &s->v[i];
		if ((at = ref_to(s, dep, owner)) < 0)
			continue;
		for (j = 0; j < sizeof(drop) / sizeof(drop[0]); j++)
			drop[j] = j == (size_t)at;
		if (ks_count(refs_of(dep)) > sizeof(drop) / sizeof(drop[0]))
			continue;
		return drop_refs(store, dep, drop);
	}
	return finish(store, owner, "orphan");
}

static int foreground_step(ks_store *store, struct snap *s, struct item *owner)
{
	bool blocked = false;
	size_t i;
	long at;

	for (i = 0; i < s->n; i++) {
		struct item *dep = &s->v[i];
		if ((at = ref_to(s, dep, owner)) < 0)
			continue;
		if (!deleting(dep))
			return delete_item(store, dep,
			                   has_dependents(s, dep)
			                       ? KS_PROP_FOREGROUND
			                       : KS_PROP_BACKGROUND);
		if (ks_bool(ks_get(ks_item(refs_of(dep), (size_t)at),
		                   "blockOwnerDeletion")))
			blocked = true;
	}
	return blocked ? 0 : finish(store, owner, "foregroundDeletion");
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
		if (it && strcmp(it->ns, nsi->name) != 0)
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
		const ga_node *fin = ks_get(ks_meta(s->v[i].obj), "finalizers");
		if (strcmp(s->v[i].ns, nsi->name) != 0)
			continue;
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

static int namespace_step(ks_store *store, struct snap *s, struct item *nsi,
                          unsigned min_age)
{
	ga_node *old = NULL, *gone = NULL;
	bool left = false;
	size_t i;
	int err;

	if (deleted_for(nsi) < (long long)min_age) {
		s->young = true;
		return 0;
	}
	for (i = 0; i < s->n; i++) {
		struct item *it = &s->v[i];
		if (strcmp(it->ns, nsi->name) != 0)
			continue;
		if (!deleting(it))
			return delete_item(store, it, KS_PROP_BACKGROUND);
		left = true;
	}
	if (left)
		return namespace_conditions(store, s, nsi);
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
	ga_node_free(gone);
	return 1;
}

/* A dependent's owners: delete it when all are absent, drop the absent
 * ones when another lives. */
static int dependent_step(ks_store *store, struct snap *s, struct item *dep)
{
	const ga_node *refs = refs_of(dep);
	bool drop[256];
	size_t i, n = ks_count(refs), absent = 0, live = 0;

	if (!n || deleting(dep) || n > sizeof(drop) / sizeof(drop[0]))
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

/* One change, or 0 when there is nothing to do (*young: not yet). */
static int step(ks_store *store, unsigned min_age, bool *young)
{
	struct snap s;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = snapshot(store, &s)) < 0)
		goto out;
	for (i = 0; i < s.n && rc == 0; i++) {
		struct item *it = &s.v[i];
		if (!deleting(it))
			continue;
		if (ks_has_finalizer(it->obj, "orphan"))
			rc = orphan_step(store, &s, it);
		else if (ks_has_finalizer(it->obj, "foregroundDeletion"))
			rc = foreground_step(store, &s, it);
		else if (strcmp(it->reskey, "/namespaces") == 0)
			rc = namespace_step(store, &s, it, min_age);
	}
	for (i = 0; i < s.n && rc == 0; i++)
		rc = dependent_step(store, &s, &s.v[i]);
	*young = s.young;
out:
	ga_free(s.by_uid);
	ga_free(s.v);
	return rc;
}

int ks_gc_run(ks_store *store, unsigned ns_age, size_t *changes)
{
	bool young = false;
	size_t n = 0;
	int rc = 0;

	while (n < MAX_STEPS && (rc = step(store, ns_age, &young)) > 0)
		n++;
	if (changes)
		*changes = n;
	return rc < 0 ? rc : young;
}

/*
 * One round under the server's lock, skipped while nothing changed since
 * an idle round: the controllers react to changes, and a store of many
 * objects should not pay for a full scan four times a second.
 */
static void round_once(struct ks_gc *gc)
{
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

static void *worker(void *arg)
{
	struct ks_gc *gc = arg;
	struct timespec until;

	(void)pthread_mutex_lock(&gc->mu);
	while (!gc->stop) {
		(void)clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += (long)TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&gc->cond, &gc->mu, &until) !=
		        ETIMEDOUT ||
		    gc->stop)
			continue;
		(void)pthread_mutex_unlock(&gc->mu);
		round_once(gc);
		(void)pthread_mutex_lock(&gc->mu);
	}
	(void)pthread_mutex_unlock(&gc->mu);
	return NULL;
}

int ks_gc_start(ks_server *ks)
{
	struct ks_gc *gc = ga_calloc(1, sizeof(*gc));
	pthread_condattr_t attr;

	if (!gc)
		return GA_ENOMEM;
	gc->ks = ks;
	(void)pthread_mutex_init(&gc->mu, NULL);
	(void)pthread_condattr_init(&attr);
	(void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	(void)pthread_cond_init(&gc->cond, &attr);
	(void)pthread_condattr_destroy(&attr);
	if (pthread_create(&gc->thread, NULL, worker, gc) != 0) {
		(void)pthread_cond_destroy(&gc->cond);
		(void)pthread_mutex_destroy(&gc->mu);
		ga_free(gc);
		ga_error_set(GA_ERRCLASS_OS, "cannot start the gc thread");
		return GA_EIO;
	}
	ks->gc = gc;
	return 0;
}

void ks_gc_stop(ks_server *ks)
{
	struct ks_gc *gc = ks->gc;

	if (!gc)
		return;
	(void)pthread_mutex_lock(&gc->mu);
	gc->stop = true;
	(void)pthread_cond_signal(&gc->cond);
	(void)pthread_mutex_unlock(&gc->mu);
	(void)pthread_join(gc->thread, NULL);
	(void)pthread_cond_destroy(&gc->cond);
	(void)pthread_mutex_destroy(&gc->mu);
	ga_free(gc);
	ks->gc = NULL;
}
