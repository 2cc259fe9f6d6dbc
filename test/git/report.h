/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PASS/FAIL lines for the library-level checks that the git suite's
 * scripts run and turn into TAP; the last error message explains a FAIL.
 */
#ifndef GA_TEST_GIT_REPORT_H
#define GA_TEST_GIT_REPORT_H

#include <stdio.h>

#include "ga/error.h"

static int failures;

static void report(const char *name, int ok, const char *detail)
{
	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	failures++;
	printf("FAIL %s: %s (last error: %s)\n", name, detail,
	       ga_error_last()->message);
}

#endif
