/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared driver of the golden suites: every directory under the cases
 * root is one case, run in name order, one TAP test point each.
 */
#ifndef GA_TEST_GOLDEN_H
#define GA_TEST_GOLDEN_H

/* Print @text as TAP diagnostics under a "--- @label" line. */
void golden_print_commented(const char *label, const char *text);

/*
 * Run @run_case (returning 1 for a pass) on every case directory under
 * argv[1]; print the TAP plan.  Returns the process exit status.
 */
int golden_main(int argc, char **argv, int (*run_case)(const char *dir));

#endif
