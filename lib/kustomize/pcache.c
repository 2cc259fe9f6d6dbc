/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-build parse cache (pcache.h).  Entries are looked up by length
 * first and compared in full, so a hit is exact, never a hash collision.
 * The cache holds at most PCACHE_MAX_BYTES of source text: large trees
 * whose bases are each read once gain nothing from it and should not pay
 * for it in memory.
 */
#include "pcache.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "util/alloc.h"

#define PCACHE_MAX_BYTES ((size_t)1 << 20)

struct entry {
	char *name;
	char *text;
	size_t len;
	ga_yaml_opts opts;
	ga_node *docs;
};

struct ga_kust_pcache {
	struct entry *v;
	size_t n, cap;
	size_t bytes;
};

/* One build per thread at a time; nested builds do not happen. */
static _Thread_local ga_kust_pcache *current;

int ga_kust__pcache_begin(ga_kust_pcache **c)
{
	if (!(*c = ga_calloc(1, sizeof(**c))))
		return GA_ENOMEM;
	current = *c;
	return 0;
}

void ga_kust__pcache_end(ga_kust_pcache *c)
{
	if (!c)
		return;
	if (current == c)
		current = NULL;
	for (size_t i = 0; i < c->n; i++) {
		ga_free(c->v[i].name);
		ga_free(c->v[i].text);
		ga_node_free(c->v[i].docs);
	}
	ga_free(c->v);
	ga_free(c);
}

static const struct entry *find(const ga_kust_pcache *c, const char *text,
                                size_t len, const char *name,
                                const ga_yaml_opts *opts)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->v[i];

		if (e->len == len && e->opts.flags == opts->flags &&
		    e->opts.max_bytes == opts->max_bytes &&
		    e->opts.max_depth == opts->max_depth &&
		    e->opts.max_nodes == opts->max_nodes &&
		    memcmp(e->text, text, len) == 0 &&
		    strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/* Remember a copy of @docs; a failure here only loses the saving. */
static void remember(ga_kust_pcache *c, const char *text, size_t len,
                     const char *name, const ga_yaml_opts *opts,
                     const ga_node *docs)
{
	struct entry e = {.len = len, .opts = *opts};

	if (len > PCACHE_MAX_BYTES - c->bytes)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct entry *v = ga_reallocarray(c->v, cap, sizeof(*v));

		if (!v)
			goto fail;
		c->v = v;
		c->cap = cap;
	}
	if (!(e.name = ga_strdup(name)) || !(e.text = ga_strndup(text, len)) ||
	    ga_node_clone(&e.docs, docs) < 0)
		goto fail;
	c->v[c->n++] = e;
	c->bytes += len;
	return;
fail:
	ga_free(e.name);
	ga_free(e.text);
	ga_error_clear();
}

int ga_kust__parse(ga_node **out, const char *text, size_t len,
                   const char *name, const ga_yaml_opts *opts)
{
	static const ga_yaml_opts defaults = GA_YAML_OPTS_INIT;
	const struct entry *e;
	int err;

	if (!opts)
		opts = &defaults;
	if (!current)
		return ga_yaml_parse(out, text, len, name, opts);
	if ((e = find(current, text, len, name, opts)))
		return ga_node_clone(out, e->docs);
	if ((err = ga_yaml_parse(out, text, len, name, opts)) < 0)
		return err;
	remember(current, text, len, name, opts, *out);
	return 0;
}
