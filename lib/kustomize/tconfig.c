/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformer configuration (kustomize.md §1.13).  A section points at
 * its built-in table until something is added to it; only then does it
 * get an array of its own (the built-in entries copied by pointer, strings
 * not), so a build without `configurations` or `crds` copies nothing.
 * Strings of added specs are owned by the configuration.
 */
#include "tconfig.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* kustomize's nameprefix, namesuffix, namespace, images and replicas
 * defaults.  metadata/namespace is not a namespace spec: the namespace
 * transformer sets it on namespaced kinds only, by its own rule. */
static const ga_kust_fieldspec fs_name[] = {
    {NULL, NULL, NULL, "metadata/name", false},
};
static const ga_kust_fieldspec fs_namespace[] = {
    {"", "v1", "Namespace", "metadata/name", true},
    {"apiregistration.k8s.io", NULL, "APIService", "spec/service/namespace",
     true},
    {"apiextensions.k8s.io", NULL, "CustomResourceDefinition",
     "spec/conversion/webhook/clientConfig/service/namespace", false},
};
static const ga_kust_fieldspec fs_images[] = {
    {NULL, NULL, NULL, "spec/containers[]/image", false},
    {NULL, NULL, NULL, "spec/initContainers[]/image", false},
    {NULL, NULL, NULL, "spec/template/spec/containers[]/image", false},
    {NULL, NULL, NULL, "spec/template/spec/initContainers[]/image", false},
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

struct ga_kust_tconfig {
	struct section sec[GA_KUST_TC_NSECTIONS];
	const ga_kust_nameref *refs;
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

int ga_kust__tconfig_new(ga_kust_tconfig **out)
{
	ga_kust_tconfig *c = ga_calloc(1, sizeof(*c));

	if (!c)
		return GA_ENOMEM;
	use(&c->sec[GA_KUST_TC_NAMEPREFIX], fs_name, N(fs_name));
	use(&c->sec[GA_KUST_TC_NAMESUFFIX], fs_name, N(fs_name));
	use(&c->sec[GA_KUST_TC_NAMESPACE], fs_namespace, N(fs_namespace));
	use(&c->sec[GA_KUST_TC_COMMONLABELS], ga_kust__fs_common_labels,
	    ga_kust__fs_common_labels_n);
	use(&c->sec[GA_KUST_TC_TEMPLATELABELS], ga_kust__fs_template_labels,
	    ga_kust__fs_template_labels_n);
	use(&c->sec[GA_KUST_TC_COMMONANNOTATIONS], ga_kust__fs_annotations,
	    ga_kust__fs_annotations_n);
	/* varReference: its built-in table comes with vars support. */
	use(&c->sec[GA_KUST_TC_IMAGES], fs_images, N(fs_images));
	use(&c->sec[GA_KUST_TC_REPLICAS], fs_replicas, N(fs_replicas));
	c->refs = ga_kust__nameref_defaults;
	c->nrefs = ga_kust__nameref_defaults_n;
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

/* kustomize's "effectively equal" specs: the same path, and one's kind
 * selects the other's.  Configurations are merged in both directions on
 * the way (defaults into a file's, that into the accumulated one), so the
 * test is symmetric: {kind: X, path: metadata/name} is covered by the
 * default {path: metadata/name}, and the other way round. */
static bool covers(const ga_kust_fieldspec *have, const ga_kust_fieldspec *x)
{
	return str_eq(have->path, x->path) &&
	       (gvk_selected(have, x) || gvk_selected(x, have));
}

static int conflict(const char *what, const ga_kust_fieldspec *have,
                    const ga_kust_fieldspec *x)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: conflicting field specs: path '%s'%s%s with create: "
	             "%s, already configured%s%s with create: %s",
	             what, x->path ? x->path : "", empty(x->kind) ? "" : " of ",
	             empty(x->kind) ? "" : x->kind,
	             x->create ? "true" : "false",
	             empty(have->kind) ? "" : " for ",
	             empty(have->kind) ? "" : have->kind,
	             have->create ? "true" : "false");
	return GA_EINVALID;
}

/* Make @s's entries its own (copy on first write) with room for one more. */
static int grow(struct section *s)
{
	size_t cap = s->cap ? s->cap * 2 : s->n + 8;
	ga_kust_fieldspec *v;

	if (s->own && s->n < s->cap)
		return 0;
	if (!(v = ga_calloc(cap, sizeof(*v))))
		return GA_ENOMEM;
	if (s->n)
		memcpy(v, s->v, s->n * sizeof(*v));
	ga_free(s->own);
	s->v = s->own = v;
	s->cap = cap;
	return 0;
}

int ga_kust__tconfig_add_spec(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                              const ga_kust_fieldspec *fs)
{
	struct section *s = &cfg->sec[sec];
	ga_kust_fieldspec copy = *fs;
	int err;

	for (size_t i = 0; i < s->n; i++) {
		if (!covers(&s->v[i], fs))
			continue;
		if (s->v[i].create != fs->create)
			return conflict(section_names[sec], &s->v[i], fs);
		return 0;
	}
	if ((err = grow(s)) < 0 || (err = own_spec(cfg, &copy)) < 0)
		return err;
	s->own[s->n++] = copy;
	return 0;
}

static bool same_target(const ga_kust_nameref *a, const ga_kust_nameref *b)
{
	return str_eq(a->group, b->group) && str_eq(a->version, b->version) &&
	       str_eq(a->kind, b->kind);
}

static int append_ref(ga_kust_tconfig *cfg, const ga_kust_nameref *to,
                      const ga_kust_fieldspec *fs)
{
	ga_kust_nameref r = {to->group, to->version, to->kind, *fs};
	int err;

	if (!cfg->own_refs || cfg->nrefs == cfg->refs_cap) {
		size_t cap =
		    cfg->refs_cap ? cfg->refs_cap * 2 : cfg->nrefs + 16;
		ga_kust_nameref *v = ga_calloc(cap, sizeof(*v));

		if (!v)
			return GA_ENOMEM;
		if (cfg->nrefs)
			memcpy(v, cfg->refs, cfg->nrefs * sizeof(*v));
		ga_free(cfg->own_refs);
		cfg->refs = cfg->own_refs = v;
		cfg->refs_cap = cap;
	}
	if ((err = own_str(cfg, &r.group)) < 0 ||
	    (err = own_str(cfg, &r.version)) < 0 ||
	    (err = own_str(cfg, &r.kind)) < 0 || (err = own_spec(cfg, &r.fs)))
		return err;
	cfg->own_refs[cfg->nrefs++] = r;
	return 0;
}

/* One referrer spec into an existing target's specs. */
static int merge_ref(ga_kust_tconfig *cfg, const ga_kust_nameref *to,
                     const ga_kust_fieldspec *fs)
{
	for (size_t i = 0; i < cfg->nrefs; i++) {
		if (!same_target(&cfg->refs[i], to) ||
		    !covers(&cfg->refs[i].fs, fs))
			continue;
		if (cfg->refs[i].fs.create != fs->create)
			return conflict("nameReference", &cfg->refs[i].fs, fs);
		return 0;
	}
	return append_ref(cfg, to, fs);
}

int ga_kust__tconfig_add_nameref(ga_kust_tconfig *cfg,
                                 const ga_kust_nameref *to,
                                 const ga_kust_fieldspec *specs, size_t n)
{
	bool known = false;
	int err = 0;

	for (size_t i = 0; !known && i < cfg->nrefs; i++)
		known = same_target(&cfg->refs[i], to);
	for (size_t i = 0; !err && i < n; i++)
		err = known ? merge_ref(cfg, to, &specs[i])
		            : append_ref(cfg, to, &specs[i]);
	return err;
}

int ga_kust__tconfig_merge(ga_kust_tconfig *cfg, const ga_kust_tconfig *from)
{
	int err = 0;

	/* Built-in tables are in every configuration already. */
	for (size_t s = 0; !err && s < GA_KUST_TC_NSECTIONS; s++)
		for (size_t i = 0;
		     !err && from->sec[s].own && i < from->sec[s].n; i++)
			err = ga_kust__tconfig_add_spec(cfg, s,
			                                &from->sec[s].v[i]);
	for (size_t i = 0; !err && from->own_refs && i < from->nrefs; i++)
		err = ga_kust__tconfig_add_nameref(cfg, &from->refs[i],
		                                   &from->refs[i].fs, 1);
	return err;
}
