/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Load on a Kubernetes API server through our own client (issue 6's load
 * test): N ConfigMaps applied by server-side apply from T threads, then W
 * watchers from the LIST's resourceVersion while M of the objects change
 * again, with GETs timed meanwhile (does the server stay responsive?),
 * and one LIST of all.  Prints one "key value" line per figure; exits 1
 * when an answer was wrong (an apply failed, a watcher missed an event,
 * the LIST lacks objects), so a small run doubles as a test.
 *
 * Usage: kubesim-load KUBECONFIG N T W M
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "ga/time.h"

#define NS "load"
#define MANAGER "kubesim-load"
#define MAX_THREADS 64
#define MAX_WATCHERS 256
#define GET_SAMPLES 4096

static ga_kube_config *cfg;
static unsigned n_objects, n_threads, n_watchers, n_changes;
static atomic_uint next_index, failures;
static atomic_uint watchers_ready;
static char list_rv[GA_KUBE_RV_MAX];

static void fail(const char *what)
{
	fprintf(stderr, "kubesim-load: %s: %s\n", what,
	        ga_error_last()->message);
	atomic_fetch_add(&failures, 1);
}

/* Apply ConfigMap @i with data value @gen. */
static int apply_one(ga_kube *k, unsigned i, unsigned gen)
{
	char json[512];
	ga_node *obj = NULL;
	int err;

	snprintf(json, sizeof(json),
	         "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
	         "{\"name\":\"cm-%05u\",\"namespace\":\"" NS "\",\"labels\":"
	         "{\"app\":\"load\",\"shard\":\"s%u\"}},\"data\":{\"gen\":"
	         "\"%u\",\"payload\":\"%0128u\"}}",
	         i, i % 10, gen, i);
	if ((err = ga_json_parse(&obj, json, strlen(json), "object")) == 0)
		err = ga_kube_apply(k, obj, MANAGER, 0, NULL);
	ga_node_free(obj);
	return err;
}

/* An applier thread: objects by index until none are left. */
static void *applier(void *arg)
{
	ga_kube *k = NULL;
	unsigned i;

	(void)arg;
	if (ga_kube_new(&k, cfg, NULL) < 0) {
		fail("client");
		return NULL;
	}
	while ((i = atomic_fetch_add(&next_index, 1)) < n_objects)
		if (apply_one(k, i, 1) < 0)
			fail("apply");
	ga_kube_free(k);
	return NULL;
}

struct watcher {
	pthread_t thread;
	unsigned seen; /* MODIFIED events */
	bool ok;
};

static int on_event(void *payload, ga_kube_event_type type, const ga_node *obj)
{
	struct watcher *w = payload;

	(void)obj;
	if (type == GA_KUBE_MODIFIED)
		w->seen++;
	return w->seen >= n_changes;
}

static void *watcher(void *arg)
{
	struct watcher *w = arg;
	ga_kube_watch_opts o = {NS, "app=load", NULL, list_rv, 120};
	char rv[GA_KUBE_RV_MAX];
	ga_kube *k = NULL;

	if (ga_kube_new(&k, cfg, NULL) < 0) {
		fail("client");
		atomic_fetch_add(&watchers_ready, 1);
		return NULL;
	}
	/* The watch is open once its first request is sent; a BOOKMARK or
	 * the first change proves it, but counting threads that started is
	 * enough: events after list_rv are delivered whenever it opens. */
	atomic_fetch_add(&watchers_ready, 1);
	if (ga_kube_watch(k, "v1", "ConfigMap", &o, on_event, w, rv) < 0)
		fail("watch");
	w->ok = w->seen >= n_changes;
	ga_kube_free(k);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Change @n_changes objects while timing a GET after each. */
static void change_and_time(ga_kube *k, uint64_t *samples, size_t *n)
{
	*n = 0;
	if (!n_objects)
		return;
	for (unsigned i = 0; i < n_changes; i++) {
		ga_node *got = NULL;
		uint64_t t0;

		if (apply_one(k, i % n_objects, 2 + i / n_objects) < 0)
			fail("change");
		t0 = ga_now_ns();
		if (ga_kube_get(k, "v1", "ConfigMap", NS, "cm-00000", &got) < 0)
			fail("get");
		if (*n < GET_SAMPLES)
			samples[(*n)++] = ga_now_ns() - t0;
		ga_node_free(got);
	}
	qsort(samples, *n, sizeof(*samples), cmp_u64);
}

static int setup(ga_kube *k)
{
	const char *ns = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	                 "\"metadata\":{\"name\":\"" NS "\"}}";
	ga_node *obj = NULL;
	int err;

	if ((err = ga_json_parse(&obj, ns, strlen(ns), "namespace")) == 0)
		err = ga_kube_apply(k, obj, MANAGER, 0, NULL);
	ga_node_free(obj);
	return err;
}

/* Apply every object from n_threads threads; the seconds it took. */
static double apply_all(void)
{
	pthread_t t[MAX_THREADS];
	uint64_t t0 = ga_now_ns();

	for (unsigned i = 0; i < n_threads; i++)
		(void)pthread_create(&t[i], NULL, applier, NULL);
	for (unsigned i = 0; i < n_threads; i++)
		(void)pthread_join(t[i], NULL);
	return (double)(ga_now_ns() - t0) / 1e9;
}

/* LIST everything; its count, and *secs the time it took. */
static size_t list_all(ga_kube *k, double *secs, bool keep_rv)
{
	uint64_t t0 = ga_now_ns();
	ga_node *items = NULL;
	size_t n = 0;

	if (ga_kube_list(k, "v1", "ConfigMap", NS, "app=load", &items) < 0)
		fail("list");
	*secs = (double)(ga_now_ns() - t0) / 1e9;
	n = items ? ga_node_count(items) : 0;
	if (keep_rv && n) {
		/* The newest object's version: watch from there. */
		uint64_t max = 0;
		for (size_t i = 0; i < n; i++) {
			const ga_node *rv = ga_node_map_get(
			    ga_node_map_get(ga_node_list_get(items, i),
			                    "metadata"),
			    "resourceVersion");
			uint64_t v =
			    rv ? strtoull(ga_node_str(rv), NULL, 10) : 0;
			max = v > max ? v : max;
		}
		snprintf(list_rv, sizeof(list_rv), "%llu",
		         (unsigned long long)max);
	}
	ga_node_free(items);
	return n;
}

static int run(void)
{
	static struct watcher w[MAX_WATCHERS];
	static uint64_t samples[GET_SAMPLES];
	ga_kube *k = NULL;
	double secs, list_secs;
	size_t n_samples, listed;
	unsigned watched_ok = 0;

	if (ga_kube_new(&k, cfg, NULL) < 0 || setup(k) < 0) {
		fail("setup");
		goto out;
	}
	secs = apply_all();
	printf("apply_objects %u\napply_seconds %.3f\napply_per_second %.0f\n",
	       n_objects, secs, n_objects / secs);
	if (list_all(k, &list_secs, true) != n_objects)
		atomic_fetch_add(&failures, 1);
	for (unsigned i = 0; i < n_watchers; i++)
		(void)pthread_create(&w[i].thread, NULL, watcher, &w[i]);
	while (atomic_load(&watchers_ready) < n_watchers)
		nanosleep(&(struct timespec){0, 10000000}, NULL);
	change_and_time(k, samples, &n_samples);
	/* While the watchers still drain their events. */
	listed = list_all(k, &list_secs, false);
	for (unsigned i = 0; i < n_watchers; i++) {
		(void)pthread_join(w[i].thread, NULL);
		watched_ok += w[i].ok;
	}
	printf("watchers %u\nwatchers_saw_every_change %u\n", n_watchers,
	       watched_ok);
	if (n_samples) {
		size_t p50 = n_samples / 2, p99 = n_samples * 99 / 100;

		printf("get_ms_p50 %.2f\nget_ms_p99 %.2f\n",
		       (double)samples[p50] / 1e6, (double)samples[p99] / 1e6);
	}
	printf("list_objects %zu\nlist_seconds %.3f\n", listed, list_secs);
	if (listed != n_objects || watched_ok != n_watchers)
		atomic_fetch_add(&failures, 1);
out:
	ga_kube_free(k);
	return atomic_load(&failures) ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc != 6) {
		fprintf(stderr, "usage: kubesim-load KUBECONFIG N THREADS "
		                "WATCHERS CHANGES\n");
		return 2;
	}
	n_objects = (unsigned)strtoul(argv[2], NULL, 10);
	n_threads = (unsigned)strtoul(argv[3], NULL, 10);
	n_watchers = (unsigned)strtoul(argv[4], NULL, 10);
	n_changes = (unsigned)strtoul(argv[5], NULL, 10);
	if (!n_objects || !n_threads || n_threads > MAX_THREADS ||
	    n_watchers > MAX_WATCHERS || !n_changes) {
		fprintf(stderr,
		        "kubesim-load: N, THREADS (<= %d) and CHANGES "
		        "> 0, WATCHERS <= %d\n",
		        MAX_THREADS, MAX_WATCHERS);
		return 2;
	}
	if (ga_kube_config_load(&cfg, argv[1], NULL) < 0) {
		fail("kubeconfig");
		return 1;
	}
	rc = run();
	ga_kube_config_free(cfg);
	return rc;
}
