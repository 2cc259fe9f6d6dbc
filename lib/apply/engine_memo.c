/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the last apply saw, for the idle loop's drift check: per object,
 * the digest of the desired object and of the live object's labels and
 * annotations, and its generation (resourceVersion for kinds without
 * one, such as ConfigMaps).  When all three still match, nobody touched
 * the object and the set did not change it, so its dry run is skipped;
 * the live side comes from one LIST per (kind, namespace) with the
 * owner label selector instead of a GET per object.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "ga/json.h"

typedef struct memo_entry {
	char *id; /* group/kind/namespace/name */
	char desired[GA_SHA256_HEX_SIZE], meta[GA_SHA256_HEX_SIZE];
	char mark[80]; /* "g:<generation>" or "rv:<resourceVersion>" */
} memo_entry;

struct ga_apply_memo {
	memo_entry *e;
	size_t n, cap;
};

int ga_apply_memo_new(ga_apply_memo **out)
{
	if (!(*out = ga_calloc(1, sizeof(**out)))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	return 0;
}

static void memo_clear(ga_apply_memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		ga_free(m->e[i].id);
	m->n = 0;
}

void ga_apply_memo_free(ga_apply_memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	ga_free(m->e);
	ga_free(m);
}

size_t ga_apply_memo_count(const ga_apply_memo *m)
{
	return m ? m->n : 0;
}

static int digest_of(char hex[GA_SHA256_HEX_SIZE], const ga_node *n)
{
	ga_buf b = GA_BUF_INIT((size_t)64 << 20);
	int err;

	if ((err = ga_json_emit(&b, n, GA_JSON_SORT_KEYS)) == 0)
		err = ga_sha256_hex(hex, b.ptr, b.size);
	ga_buf_dispose(&b);
	return err;
}

/* The live side of an entry: its mark and its metadata digest. */
static int live_state(memo_entry *me, const ga_node *live)
{
	const ga_node *meta = ga_apply__at(live, "metadata");
	ga_node *pick = NULL, *c = NULL;
	int64_t gen;
	int err;

	if (ga_apply__int(live, "metadata.generation", 0, &gen))
		(void)snprintf(me->mark, sizeof(me->mark), "g:%lld",
		               (long long)gen);
	else
		(void)snprintf(
		    me->mark, sizeof(me->mark), "rv:%s",
		    ga_apply__str(live, "metadata.resourceVersion", ""));
	if ((err = ga_node_new_map(&pick)) < 0)
		return err;
	for (int i = 0; i < 2 && err == 0; i++) {
		const char *key = i ? "annotations" : "labels";
		const ga_node *v = ga_node_map_get(meta, key);

		c = NULL;
		if (v && ((err = ga_node_clone(&c, v)) < 0 ||
		          (err = ga_node_map_set_take(pick, key, c)) < 0))
			break;
	}
	if (err == 0)
		err = digest_of(me->meta, pick);
	ga_node_free(pick);
	return err;
}

static void id_of(char *buf, size_t cap, const ga_apply_ref *r)
{
	(void)snprintf(buf, cap, "%s/%s/%s/%s", r->group, r->kind, r->ns,
	               r->name);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const memo_entry *)a)->id, ((const memo_entry *)b)->id);
}

static const memo_entry *memo_find(const ga_apply_memo *m,
                                   const ga_apply_ref *r)
{
	char id[1024];
	memo_entry key = {.id = id};

	id_of(id, sizeof(id), r);
	return m->n ? bsearch(&key, m->e, m->n, sizeof(*m->e), cmp_entry)
	            : NULL;
}

int eng_memo_desired(eng_obj *o)
{
	return digest_of(o->digest, o->obj);
}

bool eng_memo_still(const eng *e, eng_obj *o, const ga_node *live)
{
	const memo_entry *me =
	    e->o->memo ? memo_find(e->o->memo, &o->ref) : NULL;
	memo_entry now;

	if (!me || !live || strcmp(me->desired, o->digest) != 0 ||
	    live_state(&now, live) < 0 || strcmp(now.mark, me->mark) != 0 ||
	    strcmp(now.meta, me->meta) != 0)
		return false;
	/* The next memo records the same live state. */
	memcpy(o->memo_mark, now.mark, sizeof(o->memo_mark));
	memcpy(o->memo_meta, now.meta, sizeof(o->memo_meta));
	return true;
}

static int memo_add(ga_apply_memo *m, const eng_obj *o)
{
	char id[1024];
	memo_entry *me;
	int err;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		memo_entry *grown = ga_reallocarray(m->e, cap, sizeof(*grown));

		if (!grown) {
			ga_error_set_oom();
			return GA_ENOMEM;
		}
		m->e = grown;
		m->cap = cap;
	}
	me = &m->e[m->n];
	id_of(id, sizeof(id), &o->ref);
	if (!(me->id = ga_strdup(id))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	m->n++;
	memcpy(me->desired, o->digest, sizeof(me->desired));
	if (o->skipped) {
		memcpy(me->mark, o->memo_mark, sizeof(me->mark));
		memcpy(me->meta, o->memo_meta, sizeof(me->meta));
		return 0;
	}
	if ((err = live_state(me, o->live)) < 0)
		return err;
	return 0;
}

void eng_memo_forget(eng *e)
{
	if (e->o->memo)
		memo_clear(e->o->memo);
}

int eng_memo_record(eng *e)
{
	ga_apply_memo *m = e->o->memo;
	int err = 0;

	if (!m)
		return 0;
	memo_clear(m);
	for (size_t i = 0; i < e->n && err == 0; i++) {
		const eng_obj *o = &e->objs[i];

		/* A skipped object is checked again each time: its
		 * annotations, not its digests, decide. */
		if (e->rep->entries[o->entry].outcome != GA_OUTCOME_FAILED &&
		    e->rep->entries[o->entry].outcome != GA_OUTCOME_SKIPPED &&
		    (o->live || o->skipped))
			err = memo_add(m, &e->objs[i]);
	}
	if (err < 0) {
		memo_clear(m);
		return err;
	}
	qsort(m->e, m->n, sizeof(*m->e), cmp_entry);
	return 0;
}
