/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --state FILE: the store kept across restarts, so that a test can stop
 * and start kubesim and the agent independently.  The file is one JSON
 * document:
 *
 *   {"kind":"KubesimState","version":1,"resourceVersion":N,"nextIP":M,
 *    "resources":{"<group>/<plural>":{"<ns>/<name>":{object}}}}
 *
 * CRD registrations are not stored apart: they are the stored CRD
 * objects, registered again on load before the objects of their kinds
 * are checked.  A saver thread writes the file when the store changed,
 * at most every SAVE_PERIOD_MS, and once more at shutdown.  Saving on
 * every change instead would put a file write and fsync into every
 * request (and every controller status write), which benchmarks would
 * measure; a test that restarts kubesim stops it with SIGTERM, which
 * saves, and a crash loses at most the last period.  The encoding is
 * taken under ks_server.lock, the write happens outside it, to a
 * temporary file that is synced and renamed over FILE
 * (ga_file_write_atomic), so the file is always whole.  Loading checks
 * everything the store relies on, and a corrupt or truncated file gets
 * an error naming the file and the part that is wrong.
 */
#include "sim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/json.h"

#define STATE_MAX GA_JSON_MAX_BYTES
#define SAVE_PERIOD_MS 200
#define CRDS "apiextensions.k8s.io/customresourcedefinitions"

static int fail(const char *what, const char *fmt, ...) GA_PRINTF(2, 3);
static int fail(const char *what, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_CONFIG, "%s: %s", what, msg);
	return GA_EINVALID;
}

/* The resource stored under "<group>/<plural>", in any served version. */
static const ks_resource *find_resource(const char *key)
{
	const char *slash = strchr(key, '/'), *versions[16];
	char group[256];
	size_t i, n;

	if (!slash || (size_t)(slash - key) >= sizeof(group))
		return NULL;
	(void)snprintf(group, sizeof(group), "%.*s", (int)(slash - key), key);
	n = ks_registry_versions(versions, 16, group);
	for (i = 0; i < n && i < 16; i++) {
		const ks_resource *r =
		    ks_registry_find(group, versions[i], slash + 1);
		if (r)
			return r;
	}
	return NULL;
}

/* One stored object: where it is kept must be what it says it is. */
static int check_object(const char *what, const char *res_key,
                        const ks_resource *res, const char *key,
                        const ga_node *obj, uint64_t rv)
{
	const char *ns = ks_meta_str(obj, "namespace");
	const char *name = ks_meta_str(obj, "name");
	const char *orv = ks_meta_str(obj, "resourceVersion");
	char want[600], *end = NULL;
	unsigned long long v;

	if (ks_type(obj) != GA_NODE_MAP || !name || !name[0])
		return fail(what,
		            "resources[\"%s\"][\"%s\"]: not an object "
		            "with metadata.name",
		            res_key, key);
	(void)snprintf(want, sizeof(want), "%s/%s",
	               res->namespaced && ns ? ns : "", name);
	if (strcmp(want, key) != 0 || (res->namespaced && (!ns || !ns[0])))
		return fail(what,
		            "resources[\"%s\"][\"%s\"]: metadata says \"%s\"",
		            res_key, key, want);
	if (!ks_meta_str(obj, "uid"))
		return fail(what, "resources[\"%s\"][\"%s\"]: no metadata.uid",
		            res_key, key);
	errno = 0;
	v = orv ? strtoull(orv, &end, 10) : 0;
	if (!orv || !orv[0] || *end || errno || v == 0 || v > rv)
		return fail(
		    what,
		    "resources[\"%s\"][\"%s\"]: metadata.resourceVersion "
		    "is not a number up to the state's %" PRIu64,
		    res_key, key, rv);
	return 0;
}

static int check_resources(const char *what, const ga_node *resources,
                           uint64_t rv)
{
	size_t i, j;
	int err;

	for (i = 0; i < ks_count(resources); i++) {
		const char *rk = ga_node_map_key(resources, i, NULL);
		const ga_node *objs = ga_node_map_value(resources, i);
		const ks_resource *res = find_resource(rk);
		if (!res)
			return fail(what, "resources[\"%s\"]: no such resource",
			            rk);
		if (ks_type(objs) != GA_NODE_MAP)
			return fail(what, "resources[\"%s\"]: not an object",
			            rk);
		for (j = 0; j < ks_count(objs); j++)
			if ((err = check_object(
			         what, rk, res, ga_node_map_key(objs, j, NULL),
			         ga_node_map_value(objs, j), rv)) < 0)
				return err;
	}
	return 0;
}

/* Serve the stored CRDs' kinds; undone on failure. */
static int register_crds(const char *what, const ga_node *crds)
{
	ks_status st;
	size_t i, k;

	for (i = 0; i < ks_count(crds); i++) {
		const ga_node *crd = ga_node_map_value(crds, i);
		if (ks_type(crd) == GA_NODE_MAP &&
		    ks_registry_add_crd(crd, &st) == 0)
			continue;
		for (k = 0; k < i; k++)
			ks_registry_remove_crd(
			    ks_meta_str(ga_node_map_value(crds, k), "name"));
		return fail(what, "resources[\"" CRDS "\"][\"%s\"]: %s",
		            ga_node_map_key(crds, i, NULL),
		            ks_type(crd) == GA_NODE_MAP ? st.message
		                                        : "not an object");
	}
	return 0;
}

static int check_header(const char *what, const ga_node *root, uint64_t *rv,
                        unsigned *next_ip)
{
	const ga_node *r = ks_get(root, "resourceVersion");
	const ga_node *ip = ks_get(root, "nextIP");

	if (ks_type(root) != GA_NODE_MAP || !ks_str(ks_get(root, "kind")) ||
	    strcmp(ks_str(ks_get(root, "kind")), "KubesimState") != 0)
		return fail(what, "not a kubesim state file (kind is not "
		                  "KubesimState)");
	if (ks_type(ks_get(root, "version")) != GA_NODE_INT ||
	    ks_int(ks_get(root, "version")) != 1)
		return fail(what, "version: want 1");
	if (ks_type(r) != GA_NODE_INT || ks_int(r) <= 0)
		return fail(what, "resourceVersion: want a positive integer");
	if (ks_type(ip) != GA_NODE_INT || ks_int(ip) < 0 ||
	    ks_int(ip) >= 1 << 20)
		return fail(what, "nextIP: want an integer in [0, 2^20)");
	if (ks_type(ks_get(root, "resources")) != GA_NODE_MAP)
		return fail(what, "resources: want an object");
	*rv = (uint64_t)ks_int(r);
	*next_ip = (unsigned)ks_int(ip);
	return 0;
}

int ks_state_decode(ks_server *ks, const char *data, size_t len,
                    const char *what)
{
	ga_node *root = NULL, *resources;
	const ga_node *crds;
	unsigned next_ip = 0;
	uint64_t rv = 0;
	int err;

	if ((err = ga_json_parse(&root, data, len, what)) < 0)
		return err;
	if ((err = check_header(what, root, &rv, &next_ip)) < 0)
		goto out;
	resources = ks_get(root, "resources");
	crds = ks_get(resources, CRDS);
	if (crds && ks_type(crds) != GA_NODE_MAP) {
		err = fail(what, "resources[\"" CRDS "\"]: not an object");
		goto out;
	}
	if ((err = register_crds(what, crds)) < 0)
		goto out;
	if ((err = check_resources(what, resources, rv)) < 0) {
		size_t k;
		for (k = 0; k < ks_count(crds); k++)
			ks_registry_remove_crd(
			    ks_meta_str(ga_node_map_value(crds, k), "name"));
		goto out;
	}
	ks_store_restore(ks->store, ks_remove(root, "resources"), rv);
	ks->next_ip = next_ip;
out:
	ga_node_free(root);
	return err;
}

int ks_state_load(ks_server *ks, const char *path, bool *loaded)
{
	ga_buf b = GA_BUF_INIT(STATE_MAX);
	char what[600];
	int err;

	*loaded = false;
	(void)snprintf(what, sizeof(what), "state file %.500s", path);
	err = ga_file_read(&b, path);
	if (err == GA_ENOTFOUND) {
		err = 0; /* the first run: saved from now on */
	} else if (err < 0) {
		ga_error_set(GA_ERRCLASS_CONFIG, "%s: %s", what,
		             ga_error_last()->message);
	} else if (b.size == 0) {
		err = fail(what, "empty (truncated?)");
	} else if ((err = ks_state_decode(ks, b.ptr, b.size, what)) == 0) {
		*loaded = true;
	}
	ga_buf_dispose(&b);
	return err;
}

int ks_state_encode(ks_server *ks, ga_buf *out)
{
	(void)ga_buf_printf(out,
	                    "{\"kind\":\"KubesimState\",\"version\":1,"
	                    "\"resourceVersion\":%" PRIu64
	                    ",\"nextIP\":%u,\"resources\":",
	                    ks_store_rv(ks->store), ks->next_ip);
	(void)ga_json_emit(out, ks_store_tree(ks->store), GA_JSON_COMPACT);
	return ga_buf_puts(out, "}\n");
}

struct ks_saver {
	ks_server *ks;
	const char *path;
	ks_ticker *ticker;
	uint64_t saved; /* ks_store_changes() at the last save */
};

/* Save when the store changed since the last time (or @force). */
static int save(ks_saver *s, bool force)
{
	ga_buf b = GA_BUF_INIT(STATE_MAX);
	uint64_t changes;
	int err = 0;

	(void)pthread_mutex_lock(&s->ks->lock);
	changes = ks_store_changes(s->ks->store);
	if (force || changes != s->saved)
		err = ks_state_encode(s->ks, &b);
	(void)pthread_mutex_unlock(&s->ks->lock);
	if (err == 0 && b.size &&
	    (err = ga_file_write_atomic(s->path, b.ptr, b.size)) == 0)
		s->saved = changes;
	if (err < 0)
		fprintf(stderr, "kubesim: saving state file %s: %s\n", s->path,
		        ga_error_last()->message);
	ga_buf_dispose(&b);
	return err;
}

static void tick(void *arg)
{
	(void)save(arg, false);
}

int ks_saver_start(ks_saver **out, ks_server *ks, const char *path)
{
	ks_saver *s = ga_calloc(1, sizeof(*s));
	int err;

	if (!s)
		return GA_ENOMEM;
	s->ks = ks;
	s->path = path;
	/* Write the file at once: a bad path shows now, not at exit. */
	if ((err = save(s, true)) < 0 ||
	    (err = ks_ticker_start(&s->ticker, "state saver", SAVE_PERIOD_MS,
	                           false, tick, s)) < 0) {
		ga_free(s);
		return err;
	}
	*out = s;
	return 0;
}

int ks_saver_stop(ks_saver *s)
{
	int err;

	if (!s)
		return 0;
	ks_ticker_stop(s->ticker);
	err = save(s, false);
	ga_free(s);
	return err;
}
