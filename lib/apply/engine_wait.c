/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The health wait: every object of the set is read and judged by kstatus
 * rules (ga_apply_health) each round until all are Current, one is
 * Failed (a Deployment's ProgressDeadlineExceeded among them: no point
 * waiting longer), or the timeout; the objects that held it up are
 * reported with their status, reason and message.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/time.h"

#define DEFAULT_POLL_MS 500
#define DEFAULT_TIMEOUT_MS ((uint64_t)5 * 60 * 1000)

/* Read and judge one object; a failed read is Unknown with why. */
static int check(eng *e, eng_obj *o, ga_health *h)
{
	ga_node *live = NULL;
	int err = ga_kube_get(e->k, o->api_version, o->ref.kind, o->ref.ns,
	                      o->ref.name, &live);

	if (err == GA_ENOMEM)
		return err;
	if (err < 0) {
		memset(h, 0, sizeof(*h));
		h->status = GA_HEALTH_UNKNOWN;
		(void)snprintf(h->reason, sizeof(h->reason), "%s",
		               err == GA_ENOTFOUND ? "NotFound" : "ReadFailed");
		(void)snprintf(h->message, sizeof(h->message), "%s",
		               ga_error_last()->message);
	} else {
		ga_apply_health(h, live);
	}
	ga_node_free(live);
	return 0;
}

/* One round; *@pending counts the objects not Current yet, *@failed
 * the Failed ones. */
static int round_once(eng *e, size_t *pending, size_t *failed)
{
	int err;

	*pending = *failed = 0;
	for (size_t i = 0; i < e->order.n; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];
		ga_health *h = &e->rep->entries[o->entry].health;

		/* A skipped object is not ours to wait for (it may not
		 * even exist). */
		if (eng_failed(e, o) ||
		    e->rep->entries[o->entry].outcome == GA_OUTCOME_SKIPPED)
			continue;
		if ((err = check(e, o, h)) < 0)
			return err;
		*pending += h->status != GA_HEALTH_CURRENT;
		*failed += h->status == GA_HEALTH_FAILED;
	}
	return 0;
}

/* Mark every object not Current failed, with its health. */
static int report_unhealthy(eng *e, const char *when)
{
	size_t bad = 0;
	int err;

	for (size_t i = 0; i < e->order.n; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];
		ga_apply_entry *en = &e->rep->entries[o->entry];

		if (eng_failed(e, o) || en->outcome == GA_OUTCOME_SKIPPED ||
		    en->health.status == GA_HEALTH_CURRENT)
			continue;
		ga_error_set(GA_ERRCLASS_ROLLOUT, "%s %s: %s%s%s", when,
		             ga_health_status_name(en->health.status),
		             en->health.reason[0] ? en->health.reason : "-",
		             en->health.message[0] ? ": " : "",
		             en->health.message);
		if ((err = eng_entry_fail(e, o->entry, "health")) < 0)
			return err;
		bad++;
	}
	ga_error_set(GA_ERRCLASS_ROLLOUT, "%zu object%s not healthy (%s)", bad,
	             bad == 1 ? " is" : "s are", when);
	return GA_ERROR;
}

int eng_wait_health(eng *e)
{
	uint64_t poll = e->o->poll_ms ? e->o->poll_ms : DEFAULT_POLL_MS;
	size_t pending, failed;
	int err;

	e->deadline_ms = ga_now_ms() + (e->o->timeout_ms ? e->o->timeout_ms
	                                                 : DEFAULT_TIMEOUT_MS);
	for (;;) {
		if ((err = round_once(e, &pending, &failed)) < 0)
			return err;
		if (pending == 0)
			return 0;
		if (failed)
			return report_unhealthy(e, "failed");
		if (eng_left_ms(e) == 0)
			return report_unhealthy(e, "timed out");
		eng_sleep_ms(poll < eng_left_ms(e) ? poll : eng_left_ms(e));
	}
}
