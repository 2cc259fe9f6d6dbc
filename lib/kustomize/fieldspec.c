/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field-spec paths as kustomize's fieldspec filter walks them
 * (kustomize.md §2.3): "/"-separated keys, "\/" for a slash inside a key,
 * a leading "/" ignored; a sequence met on the way applies the rest of the
 * path to each element ("name[]" only says it is a sequence and disables
 * creation); create: true makes missing maps and turns nulls into maps.
 */
#include "fieldspec.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "resource.h"

#define FS_MAX_SEGMENTS 32

struct walk {
	char seg[FS_MAX_SEGMENTS][128];
	bool seq[FS_MAX_SEGMENTS]; /* written "name[]" */
	size_t n;
	bool create;
	int (*fn)(ga_node *map, void *payload);
	void *payload;
	const char *file;
	const char *path;
	const ga_node *obj;
};

static int split(struct walk *w, const char *path)
{
	size_t len = 0;

	w->n = 0;
	if (*path == '/')
		path++;
	for (const char *p = path;; p++) {
		if (*p == '\\' && p[1] == '/') {
			p++;
		} else if (*p == '/' || !*p) {
			if (w->n == FS_MAX_SEGMENTS)
				return GA_ELIMIT;
			w->seg[w->n][len] = '\0';
			if (len > 2 &&
			    strcmp(w->seg[w->n] + len - 2, "[]") == 0) {
				w->seg[w->n][len - 2] = '\0';
				w->seq[w->n] = true;
			} else {
				w->seq[w->n] = false;
			}
			w->n++;
			len = 0;
			if (!*p)
				return 0;
			continue;
		}
		if (len + 1 >= sizeof(w->seg[0]))
			return GA_ELIMIT;
		w->seg[w->n][len++] = *p;
	}
}

static int scalar_error(const struct walk *w, const ga_node *at)
{
	ga_buf id = GA_BUF_INIT(4096);
	ga_kust_id i;

	ga_kust__id_of(&i, w->obj);
	ga_kust__id_describe(&id, &i);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: %s: field '%s': line %u: expected a map or a list, "
	             "found a %s",
	             w->file, ga_buf_cstr(&id), w->path, ga_node_line(at),
	             ga_node_type_name(ga_node_type_of(at)));
	ga_buf_dispose(&id);
	return GA_EINVALID;
}

static int walk(struct walk *w, ga_node *map, size_t i)
{
	ga_node *child = ga_node_map_get(map, w->seg[i]);
	bool may_create = w->create && !w->seq[i];
	int err;

	if (!child || ga_node_type_of(child) == GA_NODE_NULL) {
		if (!may_create)
			return 0;
		if ((err = ga_node_new_map(&child)) < 0 ||
		    (err = ga_node_map_set_take(map, w->seg[i], child)) < 0)
			return err;
	}
	if (ga_node_type_of(child) == GA_NODE_LIST) {
		for (size_t k = 0; k < ga_node_count(child); k++) {
			ga_node *el = ga_node_list_get(child, k);
			if (ga_node_type_of(el) != GA_NODE_MAP)
				continue;
			if (i + 1 == w->n)
				err = w->fn(el, w->payload);
			else
				err = walk(w, el, i + 1);
			if (err < 0)
				return err;
		}
		return 0;
	}
	if (ga_node_type_of(child) != GA_NODE_MAP)
		return scalar_error(w, child);
	if (i + 1 == w->n)
		return w->fn(child, w->payload);
	return walk(w, child, i + 1);
}

static bool matches(const char *want, const char *have)
{
	return !want || !want[0] || strcmp(want, have) == 0;
}

static const char *str_of(const ga_node *obj, const char *key)
{
	const ga_node *n = ga_node_map_get(obj, key);
	const char *s = n ? ga_node_str(n) : NULL;

	return s ? s : "";
}

/* Runs for every object and field spec of every transformer: the kind,
 * which most field specs name, decides before the apiVersion is split. */
bool ga_kust__fieldspec_selects(const ga_kust_fieldspec *fs, const ga_node *obj)
{
	const char *api, *slash;
	size_t glen;

	if (!matches(fs->kind, str_of(obj, "kind")))
		return false;
	if ((!fs->group || !fs->group[0]) && (!fs->version || !fs->version[0]))
		return true;
	api = str_of(obj, "apiVersion");
	slash = strchr(api, '/');
	glen = slash ? (size_t)(slash - api) : 0;
	if (fs->group && fs->group[0] &&
	    (strlen(fs->group) != glen || memcmp(fs->group, api, glen) != 0))
		return false;
	return matches(fs->version, slash ? slash + 1 : api);
}

/* A walk over the path of @fs in @obj; an empty path is refused. */
static int start(struct walk **out, ga_node *obj, const ga_kust_fieldspec *fs,
                 const char *file)
{
	/* Not zeroed: split() writes what it counts, the callers the rest,
	 * and this runs per object and field spec. */
	struct walk *w = ga_malloc(sizeof(*w));
	int err;

	if (!(*out = w))
		return GA_ENOMEM;
	w->fn = NULL;
	w->payload = NULL;
	w->create = fs->create;
	w->file = file;
	w->path = fs->path;
	w->obj = obj;
	if ((err = split(w, fs->path ? fs->path : "")) < 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "field spec path too long: %s", fs->path);
	} else if (w->n == 1 && !w->seg[0][0]) {
		ga_kust_id id;
		ga_buf what = GA_BUF_INIT(4096);

		ga_kust__id_of(&id, obj);
		ga_kust__id_describe(&what, &id);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: a field spec with an empty path", file,
		             ga_buf_cstr(&what));
		ga_buf_dispose(&what);
		err = GA_EINVALID;
	}
	if (err < 0) {
		ga_free(w);
		*out = NULL;
	}
	return err;
}

int ga_kust__fieldspec_maps(ga_node *obj, const ga_kust_fieldspec *fs,
                            int (*fn)(ga_node *map, void *payload),
                            void *payload, const char *file)
{
	struct walk *w;
	int err;

	if (!ga_kust__fieldspec_selects(fs, obj))
		return 0;
	if ((err = start(&w, obj, fs, file)) < 0)
		return err;
	w->fn = fn;
	w->payload = payload;
	err = walk(w, obj, 0);
	ga_free(w);
	return err;
}

struct field_ctx {
	int (*fn)(ga_node *map, const char *key, bool create, void *payload);
	void *payload;
	const char *key;
	bool create;
};

static int at_parent(ga_node *map, void *payload)
{
	const struct field_ctx *f = payload;

	return f->fn(map, f->key, f->create, f->payload);
}

int ga_kust__fieldspec_fields(ga_node *obj, const ga_kust_fieldspec *fs,
                              int (*fn)(ga_node *map, const char *key,
                                        bool create, void *payload),
                              void *payload, const char *file)
{
	struct field_ctx f = {fn, payload, NULL, false};
	struct walk *w;
	int err;

	if (!ga_kust__fieldspec_selects(fs, obj))
		return 0;
	if ((err = start(&w, obj, fs, file)) < 0)
		return err;
	w->n--;
	f.key = w->seg[w->n];
	f.create = fs->create && !w->seq[w->n];
	w->fn = at_parent;
	w->payload = &f;
	err = w->n ? walk(w, obj, 0) : at_parent(obj, &f);
	ga_free(w);
	return err;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define AFFINITY(kind, what)                                                   \
	{"apps", NULL, kind,                                                   \
	 "spec/template/spec/affinity/" what                                   \
	 "/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"   \
	 "labelSelector/matchLabels",                                          \
	 false},                                                               \
	{                                                                      \
		"apps", NULL, kind,                                            \
		    "spec/template/spec/affinity/" what                        \
		    "/requiredDuringSchedulingIgnoredDuringExecution/"         \
		    "labelSelector/matchLabels",                               \
		    false                                                      \
	}

const ga_kust_fieldspec ga_kust__fs_common_labels[] = {
    {NULL, NULL, NULL, "metadata/labels", true},
    {"", "v1", "Service", "spec/selector", true},
    {"", "v1", "ReplicationController", "spec/selector", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/labels", true},
    {NULL, NULL, "Deployment", "spec/selector/matchLabels", true},
    {NULL, NULL, "Deployment", "spec/template/metadata/labels", true},
    {NULL, NULL, "ReplicaSet", "spec/selector/matchLabels", true},
    {NULL, NULL, "ReplicaSet", "spec/template/metadata/labels", true},
    {NULL, NULL, "DaemonSet", "spec/selector/matchLabels", true},
    {NULL, NULL, "DaemonSet", "spec/template/metadata/labels", true},
    {"apps", NULL, "StatefulSet", "spec/selector/matchLabels", true},
    {"apps", NULL, "StatefulSet", "spec/template/metadata/labels", true},
    {"apps", NULL, "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels",
     true},
    {"batch", NULL, "Job", "spec/selector/matchLabels", false},
    {"batch", NULL, "Job", "spec/template/metadata/labels", true},
    {"batch", NULL, "CronJob", "spec/jobTemplate/spec/selector/matchLabels",
     false},
    {"batch", NULL, "CronJob", "spec/jobTemplate/metadata/labels", true},
    {"batch", NULL, "CronJob", "spec/jobTemplate/spec/template/metadata/labels",
     true},
    {"policy", NULL, "PodDisruptionBudget", "spec/selector/matchLabels", false},
    {"networking.k8s.io", NULL, "NetworkPolicy", "spec/podSelector/matchLabels",
     false},
    {"networking.k8s.io", NULL, "NetworkPolicy",
     "spec/ingress/from/podSelector/matchLabels", false},
    {"networking.k8s.io", NULL, "NetworkPolicy",
     "spec/egress/to/podSelector/matchLabels", false},
    AFFINITY("Deployment", "podAffinity"),
    AFFINITY("Deployment", "podAntiAffinity"),
    {"apps", NULL, "Deployment",
     "spec/template/spec/topologySpreadConstraints/labelSelector/"
     "matchLabels",
     false},
    AFFINITY("StatefulSet", "podAffinity"),
    AFFINITY("StatefulSet", "podAntiAffinity"),
    {"apps", NULL, "StatefulSet",
     "spec/template/spec/topologySpreadConstraints/labelSelector/"
     "matchLabels",
     false},
};
const size_t ga_kust__fs_common_labels_n = N(ga_kust__fs_common_labels);

const ga_kust_fieldspec ga_kust__fs_template_labels[] = {
    {NULL, NULL, NULL, "metadata/labels", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/labels", true},
    {NULL, NULL, "Deployment", "spec/template/metadata/labels", true},
    {NULL, NULL, "ReplicaSet", "spec/template/metadata/labels", true},
    {NULL, NULL, "DaemonSet", "spec/template/metadata/labels", true},
    {"apps", NULL, "StatefulSet", "spec/template/metadata/labels", true},
    {"apps", NULL, "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels",
     true},
    {"batch", NULL, "Job", "spec/template/metadata/labels", true},
    {"batch", NULL, "CronJob", "spec/jobTemplate/metadata/labels", true},
    {"batch", NULL, "CronJob", "spec/jobTemplate/spec/template/metadata/labels",
     true},
};
const size_t ga_kust__fs_template_labels_n = N(ga_kust__fs_template_labels);

const ga_kust_fieldspec ga_kust__fs_annotations[] = {
    {NULL, NULL, NULL, "metadata/annotations", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/annotations",
     true},
    {NULL, NULL, "Deployment", "spec/template/metadata/annotations", true},
    {NULL, NULL, "ReplicaSet", "spec/template/metadata/annotations", true},
    {NULL, NULL, "DaemonSet", "spec/template/metadata/annotations", true},
    {NULL, NULL, "StatefulSet", "spec/template/metadata/annotations", true},
    {"batch", NULL, "Job", "spec/template/metadata/annotations", true},
    {"batch", NULL, "CronJob", "spec/jobTemplate/metadata/annotations", true},
    {"batch", NULL, "CronJob",
     "spec/jobTemplate/spec/template/metadata/annotations", true},
};
const size_t ga_kust__fs_annotations_n = N(ga_kust__fs_annotations);

/* The eight container fields of a pod spec at @spec, for @kind. */
#define POD_VARS(kind, spec)                                                   \
	{NULL, NULL, kind, spec "/containers/args", false},                    \
	    {NULL, NULL, kind, spec "/containers/command", false},             \
	    {NULL, NULL, kind, spec "/containers/env/value", false},           \
	    {NULL, NULL, kind, spec "/containers/volumeMounts/mountPath",      \
	     false},                                                           \
	    {NULL, NULL, kind, spec "/initContainers/args", false},            \
	    {NULL, NULL, kind, spec "/initContainers/command", false},         \
	    {NULL, NULL, kind, spec "/initContainers/env/value", false},       \
	{                                                                      \
		NULL, NULL, kind,                                              \
		    spec "/initContainers/volumeMounts/mountPath", false       \
	}

/*
 * kustomize's varReference defaults, in its order.  Two oddities are
 * kustomize's own and kept: a CronJob's NFS server is looked for under
 * spec/jobTemplate/spec/template/volumes (without the inner "spec"), and
 * only a Deployment has its template's annotations here.
 */
const ga_kust_fieldspec ga_kust__fs_var_reference[] = {
    POD_VARS("CronJob", "spec/jobTemplate/spec/template/spec"),
    {NULL, NULL, "CronJob", "spec/jobTemplate/spec/template/volumes/nfs/server",
     false},
    POD_VARS("DaemonSet", "spec/template/spec"),
    {NULL, NULL, "DaemonSet", "spec/template/spec/volumes/nfs/server", false},
    POD_VARS("Deployment", "spec/template/spec"),
    {NULL, NULL, "Deployment", "spec/template/spec/volumes/nfs/server", false},
    {NULL, NULL, "Deployment", "spec/template/metadata/annotations", false},
    {NULL, NULL, "Ingress", "spec/rules/host", false},
    {NULL, NULL, "Ingress", "spec/tls/hosts", false},
    {NULL, NULL, "Ingress", "spec/tls/secretName", false},
    POD_VARS("Job", "spec/template/spec"),
    {NULL, NULL, "Job", "spec/template/spec/volumes/nfs/server", false},
    POD_VARS("Pod", "spec"),
    {NULL, NULL, "Pod", "spec/volumes/nfs/server", false},
    POD_VARS("ReplicaSet", "spec/template/spec"),
    {NULL, NULL, "ReplicaSet", "spec/template/spec/volumes/nfs/server", false},
    {NULL, NULL, "Service", "spec/ports/port", false},
    {NULL, NULL, "Service", "spec/ports/targetPort", false},
    POD_VARS("StatefulSet", "spec/template/spec"),
    {NULL, NULL, "StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server",
     false},
    {NULL, NULL, "PersistentVolume", "spec/nfs/server", false},
    {NULL, NULL, NULL, "metadata/labels", false},
    {NULL, NULL, NULL, "metadata/annotations", false},
};
const size_t ga_kust__fs_var_reference_n = N(ga_kust__fs_var_reference);
