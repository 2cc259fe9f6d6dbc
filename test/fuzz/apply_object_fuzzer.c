/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the apply engine's readers of objects that come from
 * the cluster (lib/apply: health, normalisation, drift verdict, diff and
 * the recreate decision on a Status body).  The input is YAML; each
 * document is treated as a live object, as a desired object and as a
 * Status.  Invariants, each aborting on a violation:
 *
 *  - health never fails and names a known status and a reason;
 *  - an object compared with itself (given a resourceVersion) is
 *    unchanged, and its diff with itself is empty;
 *  - a normalised object normalises again to the same tree;
 *  - a Secret's data values never appear in its diff;
 *  - a recreate is only ever allowed for an immutable-field error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "apply object fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

static void check_health(const ga_node *obj)
{
	ga_health h;

	ga_apply_health(&h, obj);
	if ((unsigned)h.status > GA_HEALTH_TERMINATING || !h.reason[0])
		fuzz_fail("health gave no valid status and reason");
}

static void check_self(const ga_node *obj)
{
	ga_buf out = GA_BUF_INIT((size_t)64 << 20);
	const ga_node *meta = ga_node_type_of(obj) == GA_NODE_MAP
	                          ? ga_node_map_get(obj, "metadata")
	                          : NULL;
	const ga_node *rv = meta && ga_node_type_of(meta) == GA_NODE_MAP
	                        ? ga_node_map_get(meta, "resourceVersion")
	                        : NULL;
	bool has_rv = rv && ga_node_str(rv) && *ga_node_str(rv);
	ga_apply_action a;
	int err = ga_apply_classify(&a, obj, obj);

	if (err != 0 &&
	    (err != GA_EINVALID || ga_node_type_of(obj) == GA_NODE_MAP))
		fuzz_fail("classify failed on an object");
	if (err == 0 && a != (has_rv ? GA_APPLY_UNCHANGED : GA_APPLY_CREATED))
		fuzz_fail("an object is not unchanged against itself");
	err = ga_apply_diff(&out, obj, obj);
	if (err != 0 && err != GA_EINVALID)
		fuzz_fail("diff: unexpected error");
	if (err == 0 && out.size != 0)
		fuzz_fail("an object differs from itself");
	ga_buf_dispose(&out);
}

static const char *str_of(const ga_node *obj, const char *key)
{
	const ga_node *v = ga_node_map_get(obj, key);
	const char *s = v ? ga_node_str(v) : NULL;

	return s ? s : "";
}

/* Diff against nothing: no Secret value may be printed. */
static void check_masked(const ga_node *obj)
{
	ga_buf out = GA_BUF_INIT((size_t)64 << 20);
	ga_buf rest = GA_BUF_INIT((size_t)64 << 20);
	const ga_node *d = ga_node_map_get(obj, "data");
	ga_node *other = NULL;

	if (strcmp(str_of(obj, "kind"), "Secret") != 0 ||
	    strcmp(str_of(obj, "apiVersion"), "v1") != 0 || !d ||
	    ga_node_type_of(d) != GA_NODE_MAP ||
	    ga_apply_diff(&out, NULL, obj) != 0 ||
	    ga_node_clone(&other, obj) != 0)
		goto out;
	/* A value that also appears outside data, or as a key, may show. */
	ga_node_free(ga_node_map_remove(other, "data"));
	ga_node_free(ga_node_map_remove(other, "stringData"));
	if (ga_yaml_emit(&rest, other) != 0)
		goto out;
	for (size_t i = 0; i < ga_node_count(d); i++)
		(void)ga_buf_puts(&rest, ga_node_map_key(d, i, NULL));
	for (size_t i = 0; i < ga_node_count(d); i++) {
		const char *v = ga_node_str(ga_node_map_value(d, i));

		if (v && strlen(v) >= 8 && strstr(ga_buf_cstr(&out), v) &&
		    !strstr(ga_buf_cstr(&rest), v) &&
		    !strstr("*** (before)*** (after)", v))
			fuzz_fail("a Secret value reached the diff");
	}
out:
	ga_node_free(other);
	ga_buf_dispose(&rest);
	ga_buf_dispose(&out);
}

static void check_normalize(const ga_node *obj)
{
	ga_node *a = NULL, *b = NULL;

	if (ga_node_clone(&a, obj) != 0)
		return;
	if (ga_apply_normalize(a) == 0) {
		if (ga_node_clone(&b, a) != 0)
			goto out;
		if (ga_apply_normalize(b) != 0 || !ga_node_equal(a, b))
			fuzz_fail("normalising twice changed the object");
	}
out:
	ga_node_free(a);
	ga_node_free(b);
}

static void check_recreate(const ga_node *obj)
{
	static const long codes[] = {409, 422};
	ga_recreate r;

	for (size_t i = 0; i < 2; i++) {
		ga_recreate_opts o = GA_RECREATE_OPTS_INIT;

		o.force = true;
		ga_apply_recreate_check(&r, codes[i], obj, obj, obj, &o);
		if ((r.allowed && !r.immutable) || !r.why[0] ||
		    (codes[i] == 409 && r.immutable))
			fuzz_fail("recreate decision broke its contract");
	}
}

/* Taking over kubectl's managedFields: a second pass has nothing left. */
static void check_take_over(const ga_node *obj)
{
	ga_node *once = NULL, *twice = NULL;

	if (ga_apply_take_over(&once, obj, "fuzz") == 0 && once &&
	    ga_apply_take_over(&twice, once, "fuzz") == 0 && twice)
		fuzz_fail("take over left something to take over");
	ga_node_free(once);
	ga_node_free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_node *docs = NULL;

	if (ga_yaml_parse(&docs, (const char *)data, size, "fuzz", NULL) == 0) {
		for (size_t i = 0; i < ga_node_count(docs); i++) {
			const ga_node *obj = ga_node_list_get(docs, i);

			check_health(obj);
			check_self(obj);
			check_recreate(obj);
			if (ga_node_type_of(obj) != GA_NODE_MAP)
				continue;
			check_masked(obj);
			check_normalize(obj);
			check_take_over(obj);
		}
	}
	ga_node_free(docs);
	ga_error_clear();
	return 0;
}
