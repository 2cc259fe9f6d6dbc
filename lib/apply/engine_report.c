/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine's report: one entry per object with its outcome and
 * message, and the totals the CLI and the agent loop print.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/time.h"

static const char *const outcome_names[GA_OUTCOME_NKINDS] = {
    "created", "configured", "unchanged", "pruned", "failed", "skipped",
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
		ga_free(en->version);
		ga_free(en->source);
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

int eng_entry_add(eng *e, const ga_apply_ref *ref, const char *source,
                  ga_apply_outcome outcome, size_t *idx)
{
	ga_apply_report *r = e->rep;
	ga_apply_entry *en;
	int err;

	if ((err = grow(r)) < 0)
		return err;
	en = &r->entries[r->n];
	memset(en, 0, sizeof(*en));
	en->group = ga_strdup(ref->group);
	en->version = ga_strdup(ref->version);
	en->kind = ga_strdup(ref->kind);
	en->ns = ga_strdup(ref->ns);
	en->name = ga_strdup(ref->name);
	en->source = source ? ga_strdup(source) : NULL;
	en->outcome = outcome;
	r->n++;
	if (!en->group || !en->version || !en->kind || !en->ns || !en->name ||
	    (source && !en->source)) {
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

bool eng_failed(const eng *e, const eng_obj *o)
{
	return e->rep->entries[o->entry].outcome == GA_OUTCOME_FAILED;
}

size_t eng_nfailed(const eng *e)
{
	return e->rep->totals[GA_OUTCOME_FAILED];
}

/* "API-VERSION KIND NS/NAME", as the kube client names objects too. */
static void object_name(ga_buf *msg, const ga_apply_entry *en)
{
	ga_buf_printf(msg, "%s%s%s %s %s%s%s", en->group, *en->group ? "/" : "",
	              en->version, en->kind, en->ns, *en->ns ? "/" : "",
	              en->name);
}

/*
 * "FILE: API-VERSION KIND NS/NAME: ": the file first, as compilers name
 * theirs, so that whoever reads the message knows what to edit.
 */
static void describe(ga_buf *msg, const ga_apply_entry *en)
{
	if (en->source)
		ga_buf_printf(msg, "%s: ", en->source);
	object_name(msg, en);
	ga_buf_puts(msg, ": ");
}

/* "WHAT: " and the last error's message, which names the object again
 * when the kube client set it: that name is said once. */
static void put_last_error(ga_buf *msg, const ga_apply_entry *en,
                           const char *what)
{
	ga_buf name = GA_BUF_INIT(2048);
	const char *last = ga_error_last()->message;

	object_name(&name, en);
	ga_buf_puts(&name, ": ");
	if (!name.err && strncmp(last, ga_buf_cstr(&name), name.size) == 0)
		last += name.size;
	ga_buf_printf(msg, "%s: %s", what, last);
	ga_buf_dispose(&name);
}

static int set_failed(eng *e, size_t idx, ga_buf *msg)
{
	ga_apply_entry *en = &e->rep->entries[idx];
	/* A message over the cap keeps what fitted, as a truncated line
	 * still names the file and the object. */
	int err = msg->err == GA_ELIMIT ? 0 : msg->err;

	eng_entry_set(e, idx, GA_OUTCOME_FAILED);
	ga_free(en->message);
	en->message = NULL;
	if (err == 0 && !(en->message = ga_strdup(ga_buf_cstr(msg))))
		err = GA_ENOMEM;
	ga_buf_dispose(msg);
	if (err == GA_ENOMEM)
		ga_error_set_oom();
	return err;
}

int eng_entry_fail(eng *e, size_t idx, const char *what)
{
	ga_buf msg = GA_BUF_INIT(8192);

	/* The last error's message: the kube client's names the request
	 * and carries the server's reason and causes. */
	describe(&msg, &e->rep->entries[idx]);
	put_last_error(&msg, &e->rep->entries[idx], what);
	return set_failed(e, idx, &msg);
}

/* The causes of @status (a Status about the entry's object), or 0. */
static size_t put_causes(ga_buf *msg, const ga_node *status,
                         const ga_apply_entry *en)
{
	const ga_node *causes = ga_apply__at(status, "details.causes");
	size_t n = 0;

	if (!causes || ga_node_type_of(causes) != GA_NODE_LIST ||
	    strcmp(ga_apply__str(status, "details.name", ""), en->name) != 0)
		return 0;
	for (size_t i = 0; i < ga_node_count(causes) && i < 16; i++) {
		const ga_node *c = ga_node_list_get(causes, i);
		const char *field = ga_apply__str(c, "field", "");

		ga_buf_printf(msg, "%s%s%s%s", n ? "; " : "", field,
		              *field ? ": " : "",
		              ga_apply__str(c, "message", ""));
		n++;
	}
	return n;
}

int eng_entry_fail_req(eng *e, size_t idx, int err, const char *what,
                       const char *note)
{
	ga_apply_entry *en = &e->rep->entries[idx];
	ga_buf msg = GA_BUF_INIT(8192);
	const ga_node *status = NULL;

	/* Only a 422/400 is sure to be this request's own answer: a
	 * failure without one leaves the previous Status in place. */
	describe(&msg, en);
	if (err != GA_EINVALID || !ga_kube_last_failure(e->k, &status) ||
	    !status || !put_causes(&msg, status, en)) {
		ga_buf_clear(&msg);
		describe(&msg, en);
		put_last_error(&msg, en, what);
	}
	if (note)
		ga_buf_printf(&msg, " (%s)", note);
	return set_failed(e, idx, &msg);
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
