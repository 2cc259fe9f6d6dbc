/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus text exposition: the exact text of counters, gauges and
 * histograms with and without labels (as client_golang prints them:
 * series sorted by label values, Go's float text, cumulative buckets),
 * escaping, refusals, and updates from several threads at once.
 */
#include <pthread.h>
#include <string.h>

#include "ga/error.h"
#include "ga/metrics.h"
#include "harness.h"
#include "util/alloc.h"

static void rendered(ga_metrics *m, const char *want)
{
	ga_buf out = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_metrics_render(m, &out));
	CHECK_EQ_STR(ga_buf_cstr(&out), want);
	ga_buf_dispose(&out);
}

static void test_text(void)
{
	static const char *const result[] = {"result"};
	static const char *const kv[] = {"kind", "name"};
	static const double buckets[] = {0.1, 1, 10};
	ga_metric *c = NULL, *g = NULL, *h = NULL, *idle = NULL, *quiet = NULL;
	ga_metrics *m = NULL;

	CHECK_OK(ga_metrics_new(&m));
	CHECK_OK(ga_metrics_counter(m, &c, "ga_reconciles_total",
	                            "Reconciles by result.", result, 1));
	CHECK_OK(ga_metrics_gauge(m, &g, "ga_info", "Line one\\nwith \\ too",
	                          kv, 2));
	CHECK_OK(ga_metrics_histogram(m, &h, "ga_duration_seconds",
	                              "Reconcile time.", NULL, 0, buckets, 3));
	CHECK_OK(ga_metrics_gauge(m, &idle, "ga_up", "Up.", NULL, 0));
	CHECK_OK(ga_metrics_counter(m, &quiet, "ga_none_total", "None yet.",
	                            result, 1));
	if (!c || !g || !h || !idle)
		goto out;
	CHECK_OK(ga_metric_add(c, (const char *const[]){"success"}, 1));
	CHECK_OK(ga_metric_add(c, (const char *const[]){"failure"}, 2));
	CHECK_OK(ga_metric_add(c, (const char *const[]){"success"}, 1));
	CHECK_OK(
	    ga_metric_set(g, (const char *const[]){"a\"b", "x\\y\nz"}, 1e6));
	CHECK_OK(ga_metric_set(g, (const char *const[]){"a", "b"}, -0.25));
	CHECK_OK(ga_metric_observe(h, NULL, 0.05));
	CHECK_OK(ga_metric_observe(h, NULL, 1));
	CHECK_OK(ga_metric_observe(h, NULL, 42));
	rendered(m, "# HELP ga_reconciles_total Reconciles by result.\n"
	            "# TYPE ga_reconciles_total counter\n"
	            "ga_reconciles_total{result=\"failure\"} 2\n"
	            "ga_reconciles_total{result=\"success\"} 2\n"
	            "# HELP ga_info Line one\\\\nwith \\\\ too\n"
	            "# TYPE ga_info gauge\n"
	            "ga_info{kind=\"a\",name=\"b\"} -0.25\n"
	            "ga_info{kind=\"a\\\"b\",name=\"x\\\\y\\nz\"} 1e+06\n"
	            "# HELP ga_duration_seconds Reconcile time.\n"
	            "# TYPE ga_duration_seconds histogram\n"
	            "ga_duration_seconds_bucket{le=\"0.1\"} 1\n"
	            "ga_duration_seconds_bucket{le=\"1\"} 2\n"
	            "ga_duration_seconds_bucket{le=\"10\"} 2\n"
	            "ga_duration_seconds_bucket{le=\"+Inf\"} 3\n"
	            "ga_duration_seconds_sum 43.05\n"
	            "ga_duration_seconds_count 3\n"
	            "# HELP ga_up Up.\n"
	            "# TYPE ga_up gauge\n"
	            "ga_up 0\n");
out:
	ga_metrics_free(m);
}

static void test_refusals(void)
{
	static const char *const le[] = {"le"}, *const under[] = {"__x"};
	static const double unsorted[] = {1, 1};
	ga_metric *f = NULL, *h = NULL;
	ga_metrics *m = NULL;

	CHECK_OK(ga_metrics_new(&m));
	if (!m)
		return;
	CHECK_ERR(ga_metrics_counter(m, &f, "9bad", "", NULL, 0), GA_EINVALID);
	CHECK_ERR(ga_metrics_counter(m, &f, "a-b", "", NULL, 0), GA_EINVALID);
	CHECK_ERR(ga_metrics_counter(m, &f, "ok", "", under, 1), GA_EINVALID);
	CHECK_ERR(ga_metrics_histogram(m, &f, "h", "", le, 1, NULL, 0),
	          GA_EINVALID);
	CHECK_ERR(ga_metrics_histogram(m, &f, "h", "", NULL, 0, unsorted, 2),
	          GA_EINVALID);
	CHECK_OK(ga_metrics_counter(m, &f, "ok_total", "", NULL, 0));
	CHECK_ERR(ga_metrics_gauge(m, &f, "ok_total", "", NULL, 0),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "registered twice") != NULL);
	CHECK_OK(
	    ga_metrics_histogram(m, &h, "h_seconds", "", NULL, 0, NULL, 0));
	if (f && h) {
		CHECK_ERR(ga_metric_add(f, NULL, -1), GA_EINVALID);
		CHECK_ERR(ga_metric_set(f, NULL, 1), GA_EINVALID);
		CHECK_ERR(ga_metric_observe(f, NULL, 1), GA_EINVALID);
		CHECK_OK(ga_metric_observe(h, NULL, 3));
	}
	ga_metrics_free(m);
}

static ga_metric *shared;

static void *adder(void *arg)
{
	const char *const v[] = {arg};

	for (int i = 0; i < 10000; i++)
		(void)ga_metric_add(shared, v, 1);
	return NULL;
}

static void test_threads(void)
{
	static const char *const who[] = {"who"};
	static char even[] = "even", odd[] = "odd";
	pthread_t t[4];
	ga_metrics *m = NULL;

	CHECK_OK(ga_metrics_new(&m));
	CHECK_OK(ga_metrics_counter(m, &shared, "n_total", "N.", who, 1));
	if (!shared)
		goto out;
	for (int i = 0; i < 4; i++)
		(void)pthread_create(&t[i], NULL, adder, i % 2 ? odd : even);
	for (int i = 0; i < 4; i++)
		(void)pthread_join(t[i], NULL);
	rendered(m,
	         "# HELP n_total N.\n# TYPE n_total counter\n"
	         "n_total{who=\"even\"} 20000\nn_total{who=\"odd\"} 20000\n");
out:
	ga_metrics_free(m);
}

/* Every allocation of a registry's life fails in turn: each failure is
 * GA_ENOMEM, nothing crashes, nothing leaks (valgrind setup). */
static void test_alloc_failures(void)
{
	static const char *const kv[] = {"k", "v"};
	static const double b[] = {1};

	for (unsigned long n = 1; n < 80; n++) {
		ga_metrics *m = NULL;
		ga_metric *c = NULL, *h = NULL;
		ga_buf out = GA_BUF_INIT(4096);
		int err;

		ga_alloc__fail_after(n, false);
		err = ga_metrics_new(&m);
		if (!err)
			err = ga_metrics_counter(m, &c, "c_total", "C.", kv, 2);
		if (!err)
			err = ga_metrics_histogram(m, &h, "h", "H.", NULL, 0, b,
			                           1);
		if (!err)
			err = ga_metric_add(c, (const char *const[]){"a", "b"},
			                    1);
		if (!err)
			err = ga_metric_add(c, (const char *const[]){"c", "d"},
			                    1);
		if (!err)
			err = ga_metrics_render(m, &out);
		ga_alloc__fail_after(0, false);
		CHECK(err == 0 || err == GA_ENOMEM);
		ga_buf_dispose(&out);
		ga_metrics_free(m);
	}
}

int main(void)
{
	RUN(test_text);
	RUN(test_refusals);
	RUN(test_threads);
	RUN(test_alloc_failures);
	return DONE();
}
