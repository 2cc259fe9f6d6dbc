/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The apply engine's state, shared by engine*.c: one record per desired
 * object with what the dry run and the live GET said about it.
 */
#ifndef GA_ENGINE_INT_H
#define GA_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/apply.h"
#include "ga/kube.h"

typedef struct eng_obj {
	ga_node *obj; /* borrowed from the caller's list */
	ga_apply_ref ref;
	char group[256];
	const char *api_version;
	ga_node *live, *dry; /* owned; live NULL when absent */
	ga_apply_action action;
	bool deferred;   /* its kind comes from a CRD of the set */
	bool recreate;   /* immutable-field change, recreate allowed */
	char *source;    /* owned: the file it came from, or NULL */
	size_t entry;    /* its report entry: failed or not, and why */
	char digest[65]; /* of the desired object, with a memo */
	/* Skipped by the memo: unchanged, its live state (as the memo
	 * keeps it) from the LIST, no copy of the object kept. */
	bool skipped;
	char memo_mark[80], memo_meta[65];
} eng_obj;

struct eng_list;

typedef struct eng {
	ga_kube *k;
	const ga_apply_run_opts *o;
	ga_apply_report *rep;
	eng_obj *objs;
	size_t n;
	ga_apply_order order;
	uint64_t deadline_ms;
	struct eng_list *lists; /* engine_list.c */
	size_t nlists, caplists;
	char selector[1024];
	/* engine_prune.c: the inventory read before the apply, what is
	 * stored now (the widened one, or NULL: inv_old) and its parts. */
	ga_inventory *inv_old, *inv_stored;
	size_t inv_parts;
	bool widened;
} eng;

/* The API version of a reference ("v1", "apps/v1") into @buf. */
const char *eng_api_version(char *buf, size_t cap, const ga_apply_ref *ref);

/* Add a report entry for @ref (from the file @source, may be NULL);
 * *@idx is its index. */
int eng_entry_add(eng *e, const ga_apply_ref *ref, const char *source,
                  ga_apply_outcome outcome, size_t *idx);

/* Mark an entry failed with the last error's message (prefixed by what). */
int eng_entry_fail(eng *e, size_t idx, const char *what);

/*
 * Mark an entry failed by a request that returned @err: with the causes
 * of the server's Status (each field and its message) when it answered
 * 422/400 about this object, else as eng_entry_fail(); @note (may be
 * NULL) is added in parentheses.
 */
int eng_entry_fail_req(eng *e, size_t idx, int err, const char *what,
                       const char *note);

/* Whether @o failed (its report entry says so). */
bool eng_failed(const eng *e, const eng_obj *o);

/* How many objects of this reconcile failed. */
size_t eng_nfailed(const eng *e);

/* Set an entry's outcome, keeping the totals right. */
void eng_entry_set(eng *e, size_t idx, ga_apply_outcome outcome);

/* The dry run and classification of one object (engine_dry.c). */
int eng_dry_run(eng *e, eng_obj *o);

/* Whether Flux's per-object switches leave @o alone (engine_dry.c);
 * then it is marked skipped and unchanged. */
bool eng_skip(eng *e, eng_obj *o);

/* Apply a stage's changed objects, recreating where allowed
 * (engine_stage.c); then wait for its CRDs and Namespaces. */
int eng_apply_stage(eng *e, ga_apply_stage s);

/*
 * Before anything is written (engine_prune.c): read the inventory and,
 * when the set adds identities it lacks, store the union of both, so
 * that an apply cut short (a crash, a failed object) leaves no object
 * that no inventory names and no later prune would find.
 */
int eng_inventory_widen(eng *e);

/* Prune what the inventory read before has and the set lacks, then
 * store the set's inventory (engine_prune.c). */
int eng_inventory(eng *e);

/* Poll the health of every object until done (engine_wait.c). */
int eng_wait_health(eng *e);

/* The object @o as a LIST of its kind and namespace with the owner
 * selector shows it (borrowed; NULL: not there).  engine_list.c. */
int eng_listed(eng *e, const eng_obj *o, const ga_node **live);
void eng_lists_free(eng *e);

/* The memo of the last apply (engine_memo.c): the desired digest, whether
 * @live is as the last apply left it with the same desired object, and
 * recording this apply. */
int eng_memo_desired(eng_obj *o);
bool eng_memo_still(const eng *e, eng_obj *o, const ga_node *live);
int eng_memo_record(eng *e);
void eng_memo_forget(eng *e);

/* Milliseconds left before the deadline (0 when passed). */
uint64_t eng_left_ms(const eng *e);

/* Sleep @ms milliseconds. */
void eng_sleep_ms(uint64_t ms);

#endif
