/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The periodic worker thread kubesim's background jobs share: the
 * controllers, the garbage collector and the --state saver each run one
 * function every period until stopped.  The thread sleeps on a condition
 * variable against CLOCK_MONOTONIC, so a stop wakes it at once (shutdown
 * does not wait out a period) and a change of the wall clock neither
 * stalls nor hurries it.  The function runs without the ticker's mutex
 * held: it takes ks_server.lock itself, and a stop requested meanwhile is
 * seen when it returns.
 */
#include "kubesim.h"

#include <errno.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct ks_ticker {
	pthread_t thread;
	pthread_mutex_t mu; /* stop and cv */
	pthread_cond_t cv;
	bool stop;
	uint64_t period_ms;
	bool at_once;
	ks_tick_fn fn;
	void *arg;
};

/* Wait one period or until stopped; whether to go on. */
static bool wait_period(ks_ticker *t)
{
	struct timespec until;

	(void)clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(t->period_ms / 1000);
	until.tv_nsec += (long)(t->period_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	/* Spurious wake-ups go back to sleep until the deadline. */
	while (!t->stop &&
	       pthread_cond_timedwait(&t->cv, &t->mu, &until) != ETIMEDOUT)
		;
	return !t->stop;
}

static void *run(void *arg)
{
	ks_ticker *t = arg;
	bool go;

	(void)pthread_mutex_lock(&t->mu);
	go = t->at_once ? !t->stop : wait_period(t);
	while (go) {
		(void)pthread_mutex_unlock(&t->mu);
		t->fn(t->arg);
		(void)pthread_mutex_lock(&t->mu);
		go = wait_period(t);
	}
	(void)pthread_mutex_unlock(&t->mu);
	return NULL;
}

int ks_ticker_start(ks_ticker **out, const char *what, uint64_t period_ms,
                    bool at_once, ks_tick_fn fn, void *arg)
{
	ks_ticker *t = ga_calloc(1, sizeof(*t));
	pthread_condattr_t attr;
	int rc;

	if (!t)
		return GA_ENOMEM;
	t->period_ms = period_ms;
	t->at_once = at_once;
	t->fn = fn;
	t->arg = arg;
	(void)pthread_mutex_init(&t->mu, NULL);
	(void)pthread_condattr_init(&attr);
	(void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	(void)pthread_cond_init(&t->cv, &attr);
	(void)pthread_condattr_destroy(&attr);
	if ((rc = pthread_create(&t->thread, NULL, run, t)) != 0) {
		ga_error_set_os(rc, "cannot start the %s thread", what);
		(void)pthread_cond_destroy(&t->cv);
		(void)pthread_mutex_destroy(&t->mu);
		ga_free(t);
		return GA_EIO;
	}
	*out = t;
	return 0;
}

void ks_ticker_stop(ks_ticker *t)
{
	if (!t)
		return;
	(void)pthread_mutex_lock(&t->mu);
	t->stop = true;
	(void)pthread_cond_signal(&t->cv);
	(void)pthread_mutex_unlock(&t->mu);
	(void)pthread_join(t->thread, NULL);
	(void)pthread_cond_destroy(&t->cv);
	(void)pthread_mutex_destroy(&t->mu);
	ga_free(t);
}
