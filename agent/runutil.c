/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timing of the reconcile loop.  The backoff follows Flux's controllers
 * (exponential from a second, capped: here at the interval, since a poll
 * every interval happens anyway); the jitter is source-controller's ±10%.
 */
#include "runutil.h"

#include "ga/error.h"

uint64_t ga_run_next_wait_ms(uint64_t interval_ms, unsigned failures,
                             uint32_t rnd)
{
	uint64_t spread = interval_ms / 10, wait;

	if (failures > 0) {
		wait = GA_RUN_BACKOFF_BASE_MS;
		for (unsigned i = 1; i < failures && wait < interval_ms; i++)
			wait *= 2;
		return wait < interval_ms ? wait : interval_ms;
	}
	if (spread == 0)
		return interval_ms;
	/* interval - spread .. interval + spread */
	return interval_ms - spread + (uint64_t)rnd % (2 * spread + 1);
}

void ga_run_bucket_init(ga_run_bucket *b, double rate, double burst,
                        uint64_t now_ms)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
	b->last_ms = now_ms;
}

bool ga_run_bucket_take(ga_run_bucket *b, uint64_t now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last_ms = now_ms;
	}
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

const char *ga_run_stage_name(ga_run_stage s)
{
	static const char *const names[] = {
	    "config", "fetch", "verify", "build", "apply", "prune", "health"};

	return s < GA_STAGE_N ? names[s] : "unknown";
}
