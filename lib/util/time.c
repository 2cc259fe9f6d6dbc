/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Monotonic clock (bgpd's monotime, libuv's uv_now).
 */
#include "ga/time.h"

#include <time.h>

uint64_t ga_now_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ga_now_ms(void)
{
	return ga_now_ns() / 1000000u;
}
