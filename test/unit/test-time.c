/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/time.h"

#include <time.h>

#include "harness.h"

static void test_monotonic(void)
{
	uint64_t a = ga_now_ns(), b, ms;
	struct timespec pause = {0, 2000000};

	(void)nanosleep(&pause, NULL);
	b = ga_now_ns();
	ms = ga_now_ms();
	/* The clock never goes back and a 2 ms sleep is at least 2 ms. */
	CHECK(b >= a + 2000000);
	CHECK(ms >= b / 1000000);
}

int main(void)
{
	RUN(test_monotonic);
	return DONE();
}
