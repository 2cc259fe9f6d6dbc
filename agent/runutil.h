/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure parts of `gitops-agent run`, kept apart so that unit tests can
 * link them alone: the wait between reconciles (interval with jitter,
 * exponential backoff after failures), the webhook's token bucket and
 * the overlay kustomization.  No global state; a bucket is the caller's
 * to lock.
 */
#ifndef GA_AGENT_RUNUTIL_H
#define GA_AGENT_RUNUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/buf.h"
#include "ga/config.h"

/* The stages of a pass, in order; timings are kept per stage. */
typedef enum ga_run_stage {
	GA_STAGE_CONFIG,
	GA_STAGE_FETCH,
	GA_STAGE_VERIFY,
	GA_STAGE_BUILD,
	GA_STAGE_APPLY,
	GA_STAGE_PRUNE,
	GA_STAGE_HEALTH,
	GA_STAGE_N
} ga_run_stage;

const char *ga_run_stage_name(ga_run_stage s);

/* The first retry after a failure waits this long (then 2x, 4x, ...). */
#define GA_RUN_BACKOFF_BASE_MS 1000

/*
 * The wait after a reconcile: @interval_ms spread by up to ±10% with the
 * random @rnd (so many agents polling one Git host do not align), or,
 * after @failures consecutive failures, GA_RUN_BACKOFF_BASE_MS doubled
 * per failure, never more than the interval.
 */
uint64_t ga_run_next_wait_ms(uint64_t interval_ms, unsigned failures,
                             uint32_t rnd);

/* A token bucket: @rate tokens a second, at most @burst saved. */
typedef struct ga_run_bucket {
	double tokens, rate, burst;
	uint64_t last_ms;
} ga_run_bucket;

/* A full bucket at time @now_ms. */
void ga_run_bucket_init(ga_run_bucket *b, double rate, double burst,
                        uint64_t now_ms);

/* Take one token at @now_ms; false when the bucket is empty. */
bool ga_run_bucket_take(ga_run_bucket *b, uint64_t now_ms);

/*
 * The kustomization laid over the verified tree (run_overlay.c): the
 * distribution path as its resource, targetNamespace as namespace, and
 * the provider's customize fields.  Appends YAML to @out.  Returns 0,
 * GA_ENOMEM or GA_ELIMIT.
 */
int ga_reconcile_overlay_text(ga_buf *out, const ga_config *c);

/* The virtual directory of that kustomization in the Git tree. */
#define GA_RECONCILE_OVERLAY_DIR "/.gitops-agent-overlay"

#endif
