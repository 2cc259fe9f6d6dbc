/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine's report: one entry per object with its outcome and
 * message, and the totals the CLI and the agent loop print.
 */
#include "apply/engine_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/time.h"

static const char *const outcome_names[GA_OUTCOME_NKINDS] = {
    "created", "configured", "unchanged", "pruned", "failed",
};

const char *ga_apply_outcome_name(ga_apply_outcome outcome)
{
	return (unsigned)outcome < GA_OUTCOME_NKINDS ? outcome_names[outcome]
	                                             : "unknown";
}

void ga_apply_report_dispose(ga_apply_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		ga_apply_entry *en = &r->entries[i];

		ga_free(en->group);
		ga_free(en->kind);
		ga_free(en->ns);
		ga_free(en->name);
		ga_free(en->message);
	}
	ga_free(r->entries);
	ga_buf_dispose(&r->diff);
	r->entries = NULL;
	r->n = r->cap = 0;
	memset(r->totals, 0, sizeof(r->totals));
	r->changed = false;
}

const char *eng_api_version(char *buf, size_t cap, const ga_apply_ref *ref)
{
	(void)snprintf(buf, cap, "%s%s%s", ref->group, *ref->group ? "/" : "",
	               ref->version);
	return buf;
}

static int grow(ga_apply_report *r)
{
	size_t cap = r->cap ? r->cap * 2 : 32;
	ga_apply_entry *e;

	if (r->n < r->cap)
		return 0;
	if (!(e = ga_reallocarray(r->entries, cap, sizeof(*e)))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	r->entries = e;
	r->cap = cap;
	return 0;
}

int eng_entry_add(eng *e, const ga_apply_ref *ref, ga_apply_outcome outcome,
                  size_t *idx)
{
	ga_apply_report *r = e->rep;
	ga_apply_entry *en;
	int err;

	if ((err = grow(r)) < 0)
		return err;
	en = &r->entries[r->n];
	memset(en, 0, sizeof(*en));
	en->group = ga_strdup(ref->group);
	en->kind = ga_strdup(ref->kind);
	en->ns = ga_strdup(ref->ns);
	en->name = ga_strdup(ref->name);
	en->outcome = outcome;
	r->n++;
	if (!en->group || !en->kind || !en->ns || !en->name) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	r->totals[outcome]++;
	*idx = r->n - 1;
	return 0;
}

void eng_entry_set(eng *e, size_t idx, ga_apply_outcome outcome)
{
	ga_apply_entry *en = &e->rep->entries[idx];

	e->rep->totals[en->outcome]--;
	en->outcome = outcome;
	e->rep->totals[outcome]++;
}

int eng_entry_fail(eng *e, size_t idx, const char *what)
{
	ga_apply_entry *en = &e->rep->entries[idx];
	char msg[4096];

	/* The message is the last error's: the kube client's names the
	 * object and carries the server's causes with their fields. */
	(void)snprintf(msg, sizeof(msg), "%s: %s", what,
	               ga_error_last()->message);
	if (en->outcome != GA_OUTCOME_FAILED)
		e->nfailed++;
	eng_entry_set(e, idx, GA_OUTCOME_FAILED);
	ga_free(en->message);
	if (!(en->message = ga_strdup(msg))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	return 0;
}

uint64_t eng_left_ms(const eng *e)
{
	uint64_t now = ga_now_ms();

	return now >= e->deadline_ms ? 0 : e->deadline_ms - now;
}

void eng_sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
	                      (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}
