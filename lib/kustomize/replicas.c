/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replica-count transformer (kustomize.md §1.8): each `replicas`
 * entry sets the count through every replicas field spec (by default
 * spec/replicas of Deployments, ReplicationControllers, ReplicaSets and
 * StatefulSets of any group) in the objects that spec selects whose
 * current or any earlier name is the entry's name; an entry that matches
 * nothing fails the build.
 */
#include "transform.h"

#include <string.h>

#include "fieldspec.h"
#include "ga/buf.h"
#include "ga/error.h"

static bool picks(const char *want, const char *have)
{
	return !want || !want[0] || strcmp(want, have) == 0;
}

/* Whether @fs selects the group, version and kind of @api_version and
 * @kind. */
static bool selects(const ga_kust_fieldspec *fs, const char *api_version,
                    const char *kind)
{
	const char *slash = strchr(api_version, '/');
	size_t glen = slash ? (size_t)(slash - api_version) : 0;

	if (fs->group && fs->group[0] &&
	    (strlen(fs->group) != glen ||
	     strncmp(fs->group, api_version, glen) != 0))
		return false;
	return picks(fs->version, slash ? slash + 1 : api_version) &&
	       picks(fs->kind, kind);
}

/* kustomize matches by any id, current or earlier: one of the spec's
 * kind with the entry's name. */
static bool had_id(const ga_kust_res *r, const ga_kust_fieldspec *fs,
                   const char *name)
{
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	if (strcmp(id.name, name) == 0 && selects(fs, id.api_version, id.kind))
		return true;
	for (size_t i = 0; i < r->nprev; i++)
		if (strcmp(r->prev[i].name, name) == 0 &&
		    selects(fs, r->prev[i].api_version, r->prev[i].kind))
			return true;
	return false;
}

static int set_count(ga_node *map, const char *key, bool create, void *payload)
{
	const int64_t *count = payload;
	ga_node *v = NULL;
	int err;

	if (!create && !ga_node_map_get(map, key))
		return 0;
	if ((err = ga_node_new_int(&v, *count)) < 0)
		return err;
	return ga_node_map_set_take(map, key, v);
}

/* "Deployment, ReplicaSet or StatefulSet", from the configured kinds. */
static void kinds(ga_buf *out, const ga_kust_fieldspec *specs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = specs[i].kind && specs[i].kind[0]
		                    ? specs[i].kind
		                    : "object";

		if (i)
			ga_buf_puts(out, i + 1 == n ? " or " : ", ");
		ga_buf_puts(out, k);
	}
}

static int not_found(const char *file, const char *name,
                     const ga_kust_fieldspec *specs, size_t n)
{
	ga_buf what = GA_BUF_INIT(4096);

	kinds(&what, specs, n);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replicas: no %s is named \"%s\"", file,
	             ga_buf_cstr(&what), name);
	ga_buf_dispose(&what);
	return GA_EINVALID;
}

/* One entry: every spec, every object it selects by any id. */
static int replicas_one(ga_kust_resmap *ra, const ga_node *e, const char *file,
                        const ga_kust_tconfig *cfg)
{
	const ga_node *name = ga_node_map_get(e, "name");
	const ga_node *count = ga_node_map_get(e, "count");
	const char *n = name && ga_node_str(name) ? ga_node_str(name) : "";
	int64_t c = count ? ga_node_int(count) : 0;
	size_t nspecs;
	const ga_kust_fieldspec *specs =
	    ga_kust__tconfig_specs(cfg, GA_KUST_TC_REPLICAS, &nspecs);
	bool found = false;
	int err = 0;

	for (size_t s = 0; !err && s < nspecs; s++) {
		for (size_t r = 0; !err && r < ra->n; r++) {
			if (!had_id(ra->v[r], &specs[s], n))
				continue;
			found = true;
			err = ga_kust__fieldspec_fields(ra->v[r]->obj,
			                                &specs[s], set_count,
			                                &c, ra->v[r]->origin);
		}
	}
	if (!err && !found)
		err = not_found(file, n, specs, nspecs);
	return err;
}

int ga_kust__transform_replicas(ga_kust_resmap *ra, const ga_node *doc,
                                const char *file, const ga_kust_tconfig *cfg)
{
	const ga_node *list = ga_node_map_get(doc, "replicas");
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++)
		err = replicas_one(ra, ga_node_list_get(list, i), file, cfg);
	return err;
}
