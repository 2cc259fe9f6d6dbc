/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-object diff of the CLI's diff command, laid out as kubectl diff
 * shows it (diff -u -N over files named group.version.Kind.namespace.name
 * under LIVE and MERGED directories) and cleaned as Flux's ssa.Diff
 * cleans it (flux.md §3.1): managedFields are left out, and a Secret's
 * data and stringData values are masked before anything is printed:
 * "***" where both sides agree or one side lacks the key, "*** (before)"
 * and "*** (after)" where the value changed.  The secret never reaches
 * the output, so the caller cannot leak it by logging the diff.
 */
#include <string.h>

#include "apply/apply_int.h"
#include "apply/udiff.h"
#include "ga/error.h"
#include "ga/yaml.h"

#define DIFF_MAX ((size_t)64 << 20)

static bool is_secret(const ga_node *obj)
{
	return obj && strcmp(ga_apply__str(obj, "apiVersion", ""), "v1") == 0 &&
	       strcmp(ga_apply__str(obj, "kind", ""), "Secret") == 0;
}

static int set_mask(ga_node *map, const char *key, const char *mask)
{
	ga_node *v = NULL;
	int err = ga_node_new_string(&v, mask, strlen(mask));

	return err < 0 ? err : ga_node_map_set_take(map, key, v);
}

/* Mask every value of @field in @mine, comparing with @other's. */
static int mask_field(ga_node *mine, const ga_node *other, const char *field,
                      const char *changed)
{
	ga_node *m = (ga_node *)ga_apply__at(mine, field);
	const ga_node *o = ga_apply__at(other, field);
	int err;

	if (!m || ga_node_type_of(m) != GA_NODE_MAP) {
		/* Not a map: nothing to keep of it. */
		ga_node_free(m ? ga_node_map_remove(mine, field) : NULL);
		return 0;
	}
	for (size_t i = 0; i < ga_node_count(m); i++) {
		const char *key = ga_node_map_key(m, i, NULL);
		const ga_node *ov = o && ga_node_type_of(o) == GA_NODE_MAP
		                        ? ga_node_map_get(o, key)
		                        : NULL;
		bool differs =
		    ov && !ga_node_equal(ov, ga_node_map_value(m, i));

		if ((err = set_mask(m, key, differs ? changed : "***")) < 0)
			return err;
	}
	return 0;
}

/* A printable copy of @obj (NULL stays NULL); @other is the other side. */
static int printable(ga_node **out, const ga_node *obj, const ga_node *other,
                     const char *changed)
{
	ga_node *c = NULL, *meta;
	int err;

	*out = NULL;
	if (!obj)
		return 0;
	if ((err = ga_node_clone(&c, obj)) < 0)
		return err;
	meta = (ga_node *)ga_apply__at(c, "metadata");
	if (meta)
		ga_node_free(ga_node_map_remove(meta, "managedFields"));
	if (is_secret(c) &&
	    ((err = mask_field(c, other, "data", changed)) < 0 ||
	     (err = mask_field(c, other, "stringData", changed)) < 0)) {
		ga_node_free(c);
		return err;
	}
	*out = c;
	return 0;
}

/* kubectl's file name: [group.]version.Kind.namespace.name */
static void file_name(ga_buf *out, const ga_node *obj)
{
	const char *api = ga_apply__str(obj, "apiVersion", "");
	const char *slash = strchr(api, '/');

	if (slash)
		(void)ga_buf_printf(out, "%.*s.%s", (int)(slash - api), api,
		                    slash + 1);
	else
		(void)ga_buf_puts(out, api);
	(void)ga_buf_printf(out, ".%s.%s.%s", ga_apply__str(obj, "kind", ""),
	                    ga_apply__str(obj, "metadata.namespace", ""),
	                    ga_apply__str(obj, "metadata.name", ""));
}

static int emit(ga_buf *out, const ga_node *obj)
{
	return obj ? ga_yaml_emit(out, obj) : 0;
}

int ga_apply_diff(ga_buf *out, const ga_node *live, const ga_node *merged)
{
	ga_node *a = NULL, *b = NULL;
	ga_buf ya = GA_BUF_INIT(DIFF_MAX), yb = GA_BUF_INIT(DIFF_MAX);
	ga_buf name = GA_BUF_INIT(1024), hunks = GA_BUF_INIT(DIFF_MAX);
	int err;

	if ((!live || ga_node_type_of(live) != GA_NODE_MAP) &&
	    (!merged || ga_node_type_of(merged) != GA_NODE_MAP)) {
		ga_error_set(GA_ERRCLASS_INVALID, "diff: neither side is an "
		                                  "object");
		return GA_EINVALID;
	}
	if ((err = printable(&a, live, merged, "*** (before)")) < 0 ||
	    (err = printable(&b, merged, live, "*** (after)")) < 0 ||
	    (err = emit(&ya, a)) < 0 || (err = emit(&yb, b)) < 0 ||
	    (err = ga_apply__udiff(&hunks, ga_buf_cstr(&ya), ya.size,
	                           ga_buf_cstr(&yb), yb.size)) < 0)
		goto out;
	if (hunks.size == 0)
		goto out;
	file_name(&name, merged ? merged : live);
	(void)ga_buf_printf(out,
	                    "diff -u -N live/%s merged/%s\n--- live/%s\n+++ "
	                    "merged/%s\n",
	                    ga_buf_cstr(&name), ga_buf_cstr(&name),
	                    ga_buf_cstr(&name), ga_buf_cstr(&name));
	err = ga_buf_put(out, hunks.ptr, hunks.size);
out:
	ga_buf_dispose(&hunks);
	ga_buf_dispose(&name);
	ga_buf_dispose(&yb);
	ga_buf_dispose(&ya);
	ga_node_free(b);
	ga_node_free(a);
	return err;
}
