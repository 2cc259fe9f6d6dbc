/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The label and annotation transformers (kustomize.md §1.6, §2.5): each
 * `labels` entry, then `commonLabels`, then `commonAnnotations`, writes its
 * pairs as strings into every map its field specs reach, creating maps
 * where the spec says so (a Service without a selector gains one).
 */
#include "transform.h"

#include <string.h>

#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "tconfig.h"

static int set_pairs(ga_node *map, void *payload)
{
	const ga_node *pairs = payload;
	int err = 0;

	for (size_t i = 0; !err && i < ga_node_count(pairs); i++) {
		size_t klen;
		const char *k = ga_node_map_key(pairs, i, &klen);
		const ga_node *v = ga_node_map_value(pairs, i);
		ga_node *copy = NULL;

		if (!(err = ga_node_new_string(&copy, ga_node_str(v),
		                               ga_node_str_len(v))))
			err = ga_node_map_setn_take(map, k, klen, copy);
	}
	return err;
}

static int apply_specs(ga_kust_resmap *ra, const ga_node *pairs,
                       const ga_kust_fieldspec *specs, size_t n)
{
	int err = 0;

	for (size_t r = 0; !err && r < ra->n; r++)
		for (size_t i = 0; !err && i < n; i++)
			err = ga_kust__fieldspec_maps(ra->v[r]->obj, &specs[i],
			                              set_pairs, (void *)pairs,
			                              ra->v[r]->origin);
	return err;
}

/* The user's own field specs of a `labels` entry. */
static int apply_user_specs(ga_kust_resmap *ra, const ga_node *pairs,
                            const ga_node *fields)
{
	int err = 0;

	for (size_t i = 0; !err && fields && i < ga_node_count(fields); i++) {
		const ga_node *f = ga_node_list_get(fields, i);
		const ga_node *create = ga_node_map_get(f, "create");
		ga_kust_fieldspec spec = {
		    ga_node_map_get(f, "group")
		        ? ga_node_str(ga_node_map_get(f, "group"))
		        : NULL,
		    ga_node_map_get(f, "version")
		        ? ga_node_str(ga_node_map_get(f, "version"))
		        : NULL,
		    ga_node_map_get(f, "kind")
		        ? ga_node_str(ga_node_map_get(f, "kind"))
		        : NULL,
		    ga_node_map_get(f, "path")
		        ? ga_node_str(ga_node_map_get(f, "path"))
		        : "",
		    create && ga_node_bool(create),
		};
		err = apply_specs(ra, pairs, &spec, 1);
	}
	return err;
}

static bool flag(const ga_node *entry, const char *name)
{
	const ga_node *v = ga_node_map_get(entry, name);

	return v && ga_node_bool(v);
}

static int apply_section(ga_kust_resmap *ra, const ga_node *pairs,
                         const ga_kust_tconfig *cfg, ga_kust_tc_section sec)
{
	size_t n;
	const ga_kust_fieldspec *specs = ga_kust__tconfig_specs(cfg, sec, &n);

	return apply_specs(ra, pairs, specs, n);
}

int ga_kust__transform_labels(ga_kust_resmap *ra, const ga_node *doc,
                              const ga_kust_tconfig *cfg)
{
	static const ga_kust_fieldspec meta = {NULL, NULL, NULL,
	                                       "metadata/labels", true};
	const ga_node *labels = ga_node_map_get(doc, "labels");
	const ga_node *common = ga_node_map_get(doc, "commonLabels");
	const ga_node *ann = ga_node_map_get(doc, "commonAnnotations");
	int err = 0;

	for (size_t i = 0; !err && labels && i < ga_node_count(labels); i++) {
		const ga_node *e = ga_node_list_get(labels, i);
		const ga_node *pairs = ga_node_map_get(e, "pairs");

		if (!pairs || !ga_node_count(pairs))
			continue;
		if ((err = apply_user_specs(ra, pairs,
		                            ga_node_map_get(e, "fields"))) < 0)
			break;
		if (flag(e, "includeSelectors"))
			err = apply_section(ra, pairs, cfg,
			                    GA_KUST_TC_COMMONLABELS);
		else if (!(err = apply_specs(ra, pairs, &meta, 1)) &&
		         flag(e, "includeTemplates"))
			err = apply_section(ra, pairs, cfg,
			                    GA_KUST_TC_TEMPLATELABELS);
	}
	if (!err && common && ga_node_count(common))
		err = apply_section(ra, common, cfg, GA_KUST_TC_COMMONLABELS);
	if (!err && ann && ga_node_count(ann))
		err = apply_section(ra, ann, cfg, GA_KUST_TC_COMMONANNOTATIONS);
	return err;
}
