/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformer configuration (kustomize.md §1.13), merged as kustomize
 * merges its TransformerConfig: a spec joins a list unless one there is
 * "already" it (same path, kind selected by the newcomer's), which with
 * another create flag is a conflict; every merge then sorts the lists by
 * kind, so which of two overlapping specs survives depends on the order
 * of the merges, and build.c repeats kustomize's order exactly.
 *
 * Until something custom is merged, a configuration points at the static
 * built-in tables: a build without `configurations` or `crds` copies
 * nothing, and applies the tables in their static order (the same specs
 * kustomize applies, in an order that does not change the output).
 * Strings of added specs are owned by the configuration.
 */
#include "tconfig.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "sort.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* kustomize's nameprefix, namesuffix, namespace, images and replicas
 * defaults.  metadata/namespace is not a namespace spec: the namespace
 * transformer sets it on namespaced kinds only, by its own rule. */
static const ga_kust_fieldspec fs_name[] = {
    {NULL, NULL, NULL, "metadata/name", false},
};
static const ga_kust_fieldspec fs_namespace[] = {
    {NULL, NULL, "Namespace", "metadata/name", true},
    {"apiregistration.k8s.io", NULL, "APIService", "spec/service/namespace",
     true},
    {"apiextensions.k8s.io", NULL, "CustomResourceDefinition",
     "spec/conversion/webhook/clientConfig/service/namespace", false},
};
/* create: true, though the image transformer never creates. */
static const ga_kust_fieldspec fs_images[] = {
    {NULL, NULL, NULL, "spec/containers[]/image", true},
    {NULL, NULL, NULL, "spec/initContainers[]/image", true},
    {NULL, NULL, NULL, "spec/template/spec/containers[]/image", true},
    {NULL, NULL, NULL, "spec/template/spec/initContainers[]/image", true},
};
static const ga_kust_fieldspec fs_replicas[] = {
    {NULL, NULL, "Deployment", "spec/replicas", true},
    {NULL, NULL, "ReplicationController", "spec/replicas", true},
    {NULL, NULL, "ReplicaSet", "spec/replicas", true},
    {NULL, NULL, "StatefulSet", "spec/replicas", true},
};

struct section {
	const ga_kust_fieldspec *v;
	size_t n;
	ga_kust_fieldspec *own; /* == v once copied */
	size_t cap;
};

struct str {
	struct str *next;
	char s[];
};

/*
 * A configuration is empty (a fresh accumulation), the built-in one
 * (pointing at the static tables), or materialised (arrays of its own,
 * in kustomize's order).  The built-in tables merged into an empty or a
 * built-in configuration leave it built-in: nothing in them covers
 * anything else, so the merge would only reorder them.
 */
enum state { EMPTY, BUILTIN, OWN };

struct ga_kust_tconfig {
	enum state state;
	struct section sec[GA_KUST_TC_NSECTIONS];
	const ga_kust_nameref *refs; /* grouped by target */
	size_t nrefs;
	ga_kust_nameref *own_refs;
	size_t refs_cap;
	struct str *strings;
};

static const char *const section_names[GA_KUST_TC_NSECTIONS] = {
    "namePrefix",   "nameSuffix",     "namespace",
    "commonLabels", "templateLabels", "commonAnnotations",
    "varReference", "images",         "replicas",
    "labels",
};

const char *ga_kust__tconfig_section_name(ga_kust_tc_section sec)
{
	return section_names[sec];
}

static void use(struct section *s, const ga_kust_fieldspec *v, size_t n)
{
	s->v = v;
	s->n = n;
}

static void use_builtin(ga_kust_tconfig *c)
{
	use(&c->sec[GA_KUST_TC_NAMEPREFIX], fs_name, N(fs_name));
	use(&c->sec[GA_KUST_TC_NAMESUFFIX], fs_name, N(fs_name));
	use(&c->sec[GA_KUST_TC_NAMESPACE], fs_namespace, N(fs_namespace));
	use(&c->sec[GA_KUST_TC_COMMONLABELS], ga_kust__fs_common_labels,
	    ga_kust__fs_common_labels_n);
	use(&c->sec[GA_KUST_TC_TEMPLATELABELS], ga_kust__fs_template_labels,
	    ga_kust__fs_template_labels_n);
	use(&c->sec[GA_KUST_TC_COMMONANNOTATIONS], ga_kust__fs_annotations,
	    ga_kust__fs_annotations_n);
	use(&c->sec[GA_KUST_TC_VARREF], ga_kust__fs_var_reference,
	    ga_kust__fs_var_reference_n);
	use(&c->sec[GA_KUST_TC_IMAGES], fs_images, N(fs_images));
	use(&c->sec[GA_KUST_TC_REPLICAS], fs_replicas, N(fs_replicas));
	c->refs = ga_kust__nameref_defaults;
	c->nrefs = ga_kust__nameref_defaults_n;
	c->state = BUILTIN;
}

int ga_kust__tconfig_new(ga_kust_tconfig **out)
{
	ga_kust_tconfig *c = ga_calloc(1, sizeof(*c));

	if (!c)
		return GA_ENOMEM;
	use_builtin(c);
	*out = c;
	return 0;
}

int ga_kust__tconfig_new_empty(ga_kust_tconfig **out)
{
	ga_kust_tconfig *c = ga_calloc(1, sizeof(*c));

	if (!c)
		return GA_ENOMEM;
	c->state = EMPTY;
	*out = c;
	return 0;
}

void ga_kust__tconfig_free(ga_kust_tconfig *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < GA_KUST_TC_NSECTIONS; i++)
		ga_free(cfg->sec[i].own);
	ga_free(cfg->own_refs);
	while (cfg->strings) {
		struct str *next = cfg->strings->next;
		ga_free(cfg->strings);
		cfg->strings = next;
	}
	ga_free(cfg);
}

const ga_kust_fieldspec *ga_kust__tconfig_specs(const ga_kust_tconfig *cfg,
                                                ga_kust_tc_section sec,
                                                size_t *n)
{
	*n = cfg->sec[sec].n;
	return cfg->sec[sec].v;
}

const ga_kust_nameref *ga_kust__tconfig_namerefs(const ga_kust_tconfig *cfg,
                                                 size_t *n)
{
	*n = cfg->nrefs;
	return cfg->refs;
}

/* A copy of @s owned by @cfg; NULL stays NULL. */
static int own_str(ga_kust_tconfig *cfg, const char **s)
{
	size_t len;
	struct str *copy;

	if (!*s)
		return 0;
	len = strlen(*s);
	if (!(copy = ga_malloc(sizeof(*copy) + len + 1)))
		return GA_ENOMEM;
	memcpy(copy->s, *s, len + 1);
	copy->next = cfg->strings;
	cfg->strings = copy;
	*s = copy->s;
	return 0;
}

static int own_spec(ga_kust_tconfig *cfg, ga_kust_fieldspec *fs)
{
	int err;

	if ((err = own_str(cfg, &fs->group)) < 0 ||
	    (err = own_str(cfg, &fs->version)) < 0 ||
	    (err = own_str(cfg, &fs->kind)) < 0)
		return err;
	return own_str(cfg, &fs->path);
}

static bool empty(const char *s)
{
	return !s || !s[0];
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Whether the group, version and kind of @a are selected by @sel's. */
static bool gvk_selected(const ga_kust_fieldspec *a,
                         const ga_kust_fieldspec *sel)
{
	return (empty(sel->group) || str_eq(a->group, sel->group)) &&
	       (empty(sel->version) || str_eq(a->version, sel->version)) &&
	       (empty(sel->kind) || str_eq(a->kind, sel->kind));
}

/* kustomize's "already there": a spec with the same path whose group,
 * version and kind @x selects.  So {kind: X, path: metadata/name} covers
 * nothing in a list holding {path: metadata/name}, but the other way
 * round it is covered: which one is kept depends on the order of the
 * merges, as in kustomize. */
static bool covers(const ga_kust_fieldspec *have, const ga_kust_fieldspec *x)
{
	return str_eq(have->path, x->path) && gvk_selected(have, x);
}

static int conflict(const char *what, const ga_kust_fieldspec *have,
                    const ga_kust_fieldspec *x)
{
	ga_error_set(
	    GA_ERRCLASS_KUSTOMIZE,
	    "%s: conflicting field specs for path '%s': create: %s "
	    "for %s%s and create: %s for %s%s",
	    what, x->path ? x->path : "", have->create ? "true" : "false",
	    empty(have->kind) ? "any kind" : "kind ",
	    empty(have->kind) ? "" : have->kind, x->create ? "true" : "false",
	    empty(x->kind) ? "any kind" : "kind ",
	    empty(x->kind) ? "" : x->kind);
	return GA_EINVALID;
}

/* kustomize's order of field specs: by kind in the legacy sort's
 * orderFirst/orderLast rank, then by "group_version_kind" text with "~G",
 * "~V", "~K" for what is empty (so the empty sorts last). */
static int rank(const char *kind)
{
	ga_kust_order o;

	ga_kust__order_init_default(&o);
	for (size_t i = 0; kind && i < o.nfirst; i++)
		if (strcmp(kind, o.first[i]) == 0)
			return (int)i - (int)o.nfirst;
	for (size_t i = 0; kind && i < o.nlast; i++)
		if (strcmp(kind, o.last[i]) == 0)
			return 1 + (int)i;
	return 0;
}

static bool gvk_less(const char *ga, const char *va, const char *ka,
                     const char *gb, const char *vb, const char *kb)
{
	char a[768], b[768];
	int ra = rank(ka), rb = rank(kb);

	if (ra != rb)
		return ra < rb;
	snprintf(a, sizeof(a), "%s_%s_%s", empty(ga) ? "~G" : ga,
	         empty(va) ? "~V" : va, empty(ka) ? "~K" : ka);
	snprintf(b, sizeof(b), "%s_%s_%s", empty(gb) ? "~G" : gb,
	         empty(vb) ? "~V" : vb, empty(kb) ? "~K" : kb);
	return strcmp(a, b) < 0;
}

/* Stable insertion sorts: lists are short, and only custom
 * configurations are sorted. */
static void sort_specs(ga_kust_fieldspec *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		ga_kust_fieldspec x = v[i];
		size_t j = i;

		while (j > 0 &&
		       gvk_less(x.group, x.version, x.kind, v[j - 1].group,
		                v[j - 1].version, v[j - 1].kind)) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static void sort_refs(ga_kust_nameref *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		ga_kust_nameref x = v[i];
		size_t j = i;

		while (j > 0 &&
		       gvk_less(x.group, x.version, x.kind, v[j - 1].group,
		                v[j - 1].version, v[j - 1].kind)) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * Room for @more entries of @size bytes after the @n in use at *@v, in an
 * array of its own (*@own, which *@v then points at too): a shared
 * built-in table is copied on the first change.
 */
static int grow_array(const void **v, void **own, size_t *cap, size_t n,
                      size_t more, size_t size, size_t first)
{
	size_t c = *cap;
	void *a;

	if (*own && n + more <= *cap)
		return 0;
	while (c < n + more)
		c = c ? c * 2 : first;
	if (!(a = ga_calloc(c, size)))
		return GA_ENOMEM;
	if (n)
		memcpy(a, *v, n * size);
	ga_free(*own);
	*v = *own = a;
	*cap = c;
	return 0;
}

static int grow(struct section *s, size_t more)
{
	const void *v = s->v;
	void *own = s->own;
	int err = grow_array(&v, &own, &s->cap, s->n, more, sizeof(*s->v), 16);

	s->v = v;
	s->own = own;
	return err;
}

static int grow_refs(ga_kust_tconfig *cfg, size_t more)
{
	const void *v = cfg->refs;
	void *own = cfg->own_refs;
	int err = grow_array(&v, &own, &cfg->refs_cap, cfg->nrefs, more,
	                     sizeof(*cfg->refs), 64);

	cfg->refs = v;
	cfg->own_refs = own;
	return err;
}

void ga_kust__tconfig_sort(ga_kust_tconfig *cfg)
{
	if (cfg->state != OWN)
		return;
	for (size_t i = 0; i < GA_KUST_TC_NSECTIONS; i++)
		sort_specs(cfg->sec[i].own, cfg->sec[i].n);
	sort_refs(cfg->own_refs, cfg->nrefs);
}

/* Arrays of its own: the built-in tables copied in kustomize's order
 * (the strings stay static). */
static int materialize(ga_kust_tconfig *cfg)
{
	int err = 0;

	if (cfg->state == OWN)
		return 0;
	for (size_t i = 0; !err && i < GA_KUST_TC_NSECTIONS; i++)
		err = grow(&cfg->sec[i], 1);
	if (err || (err = grow_refs(cfg, 1)) < 0)
		return err;
	cfg->state = OWN;
	ga_kust__tconfig_sort(cfg);
	return 0;
}

int ga_kust__tconfig_append_spec(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                                 const ga_kust_fieldspec *fs)
{
	struct section *s = &cfg->sec[sec];
	ga_kust_fieldspec copy = *fs;
	int err;

	if ((err = materialize(cfg)) < 0 || (err = grow(s, 1)) < 0 ||
	    (err = own_spec(cfg, &copy)) < 0)
		return err;
	s->own[s->n++] = copy;
	return 0;
}

int ga_kust__tconfig_add_spec(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                              const ga_kust_fieldspec *fs)
{
	const struct section *s = &cfg->sec[sec];

	for (size_t i = 0; i < s->n; i++) {
		if (!covers(&s->v[i], fs))
			continue;
		if (s->v[i].create != fs->create)
			return conflict(section_names[sec], &s->v[i], fs);
		return 0;
	}
	return ga_kust__tconfig_append_spec(cfg, sec, fs);
}

static bool same_target(const ga_kust_nameref *a, const ga_kust_nameref *b)
{
	return str_eq(a->group, b->group) && str_eq(a->version, b->version) &&
	       str_eq(a->kind, b->kind);
}

/* Insert the rule (@to, @fs) at @at. */
static int insert_ref(ga_kust_tconfig *cfg, size_t at,
                      const ga_kust_nameref *to, const ga_kust_fieldspec *fs)
{
	ga_kust_nameref r = {to->group, to->version, to->kind, *fs};
	int err;

	if ((err = grow_refs(cfg, 1)) < 0 ||
	    (err = own_str(cfg, &r.group)) < 0 ||
	    (err = own_str(cfg, &r.version)) < 0 ||
	    (err = own_str(cfg, &r.kind)) < 0 || (err = own_spec(cfg, &r.fs)))
		return err;
	memmove(&cfg->own_refs[at + 1], &cfg->own_refs[at],
	        (cfg->nrefs - at) * sizeof(*cfg->own_refs));
	cfg->own_refs[at] = r;
	cfg->nrefs++;
	return 0;
}

int ga_kust__tconfig_add_nameref(ga_kust_tconfig *cfg,
                                 const ga_kust_nameref *to,
                                 const ga_kust_fieldspec *specs, size_t n)
{
	size_t lo = 0, hi;
	bool known;
	int err;

	if ((err = materialize(cfg)) < 0)
		return err;
	while (lo < cfg->nrefs && !same_target(&cfg->refs[lo], to))
		lo++;
	for (hi = lo; hi < cfg->nrefs && same_target(&cfg->refs[hi], to);)
		hi++;
	/* A new target is taken as it is; a known one merges its specs. */
	known = lo < hi;
	for (size_t i = 0; !err && i < n; i++) {
		size_t k = lo;

		while (known && k < hi && !covers(&cfg->refs[k].fs, &specs[i]))
			k++;
		if (known && k < hi) {
			if (cfg->refs[k].fs.create != specs[i].create)
				return conflict("nameReference",
				                &cfg->refs[k].fs, &specs[i]);
			continue;
		}
		if (!(err = insert_ref(cfg, hi, to, &specs[i])))
			hi++;
	}
	return err;
}

/* Merge the materialised @from into @cfg. */
static int merge_own(ga_kust_tconfig *cfg, const ga_kust_tconfig *from)
{
	int err = 0;

	for (size_t s = 0; !err && s < GA_KUST_TC_NSECTIONS; s++)
		for (size_t i = 0; !err && i < from->sec[s].n; i++)
			err = ga_kust__tconfig_add_spec(cfg, s,
			                                &from->sec[s].v[i]);
	for (size_t i = 0, j; !err && i < from->nrefs; i = j) {
		ga_kust_fieldspec specs[64];
		size_t n = 0;

		for (j = i; j < from->nrefs && n < 64 &&
		            same_target(&from->refs[i], &from->refs[j]);
		     j++)
			specs[n++] = from->refs[j].fs;
		err =
		    ga_kust__tconfig_add_nameref(cfg, &from->refs[i], specs, n);
	}
	return err;
}

int ga_kust__tconfig_merge(ga_kust_tconfig *cfg, const ga_kust_tconfig *from)
{
	ga_kust_tconfig *tmp = NULL;
	int err;

	if (from->state == EMPTY ||
	    (from->state == BUILTIN && cfg->state == BUILTIN))
		return 0;
	if (from->state == BUILTIN && cfg->state == EMPTY) {
		use_builtin(cfg);
		return 0;
	}
	if ((err = materialize(cfg)) < 0)
		return err;
	/* The built-in tables take part in kustomize's order. */
	if (from->state == BUILTIN) {
		if ((err = ga_kust__tconfig_new(&tmp)) < 0 ||
		    (err = materialize(tmp)) < 0) {
			ga_kust__tconfig_free(tmp);
			return err;
		}
		from = tmp;
	}
	if (!(err = merge_own(cfg, from)))
		ga_kust__tconfig_sort(cfg);
	ga_kust__tconfig_free(tmp);
	return err;
}

int ga_kust__tconfig_remerge(ga_kust_tconfig *cfg)
{
	ga_kust_tconfig *fresh = NULL, tmp;
	int err;

	if (cfg->state != OWN)
		return 0;
	if ((err = ga_kust__tconfig_new_empty(&fresh)) < 0)
		return err;
	if (!(err = ga_kust__tconfig_merge(fresh, cfg))) {
		tmp = *cfg;
		*cfg = *fresh;
		*fresh = tmp;
	}
	ga_kust__tconfig_free(fresh);
	return err;
}
