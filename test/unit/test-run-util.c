/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reconcile loop's pure parts: jitter stays within ±10% of the
 * interval, backoff doubles from a second and stops at the interval, the
 * token bucket refuses past its burst and refills at its rate, the
 * provider's customize reaches the built objects, and the source
 * process's answer reads back as written (and is refused cut short).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/runutil.h"
#include "agent/source.h"
#include "ga/config.h"
#include "ga/error.h"
#include "ga/kustomize.h"
#include "harness.h"

static void test_jitter(void)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (uint32_t r = 0; r < 5000; r += 7) {
		uint64_t w = ga_run_next_wait_ms(60000, 0, r * 2654435761u);

		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	CHECK(lo >= 54000 && lo < 55000);
	CHECK(hi <= 66000 && hi > 65000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(5, 0, 12345), 5);
}

static void test_backoff(void)
{
	CHECK_EQ_INT((int)ga_run_next_wait_ms(60000, 1, 99), 1000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(60000, 2, 99), 2000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(60000, 4, 99), 8000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(60000, 7, 99), 60000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(60000, 4000000000u, 99), 60000);
	CHECK_EQ_INT((int)ga_run_next_wait_ms(500, 1, 99), 500);
}

static void test_bucket(void)
{
	ga_run_bucket b;
	int taken = 0;

	ga_run_bucket_init(&b, 2.0, 5.0, 1000);
	for (int i = 0; i < 20; i++)
		taken += ga_run_bucket_take(&b, 1000);
	CHECK_EQ_INT(taken, 5);
	CHECK(!ga_run_bucket_take(&b, 1400));
	CHECK(ga_run_bucket_take(&b, 1500));
	CHECK(!ga_run_bucket_take(&b, 1500));
	/* A long pause saves no more than the burst. */
	taken = 0;
	for (int i = 0; i < 20; i++)
		taken += ga_run_bucket_take(&b, 100000);
	CHECK_EQ_INT(taken, 5);
	/* A clock that goes back adds nothing. */
	CHECK(!ga_run_bucket_take(&b, 50));
}

#define OVERLAY_CONFIG                                                         \
	"source:\n"                                                            \
	"  url: https://git.example.com/vendor/app.git\n"                      \
	"  verify: {keysSecretRef: vendor-keys}\n"                             \
	"path: dist/app\n"                                                     \
	"targetNamespace: shop\n"                                              \
	"customize:\n"                                                         \
	"  images:\n"                                                          \
	"  - {name: web, newTag: \"2.0\"}\n"                                   \
	"  replicas:\n"                                                        \
	"  - {name: web, count: 3}\n"                                          \
	"  commonLabels: {provider: a}\n"                                      \
	"  patches:\n"                                                         \
	"  - patch: |\n"                                                       \
	"      - op: add\n"                                                    \
	"        path: /metadata/annotations\n"                                \
	"        value: {patched: \"yes\"}\n"                                  \
	"    target: {kind: Deployment, name: web}\n"

static char root[] = "/tmp/ga-runov-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((f = fopen(path, "w"))) {
		(void)fputs(text, f);
		(void)fclose(f);
	}
}

/*
 * The configuration's customisations, laid over a distribution on disk
 * as over the Git tree, reach every object through the build engine.
 */
static void test_overlay(void)
{
	ga_buf kust = GA_BUF_INIT(1 << 20), out = GA_BUF_INIT(1 << 20);
	ga_kust_fs *os = NULL, *fs = NULL;
	ga_config *c = NULL;
	char dir[600], path[600];

	CHECK(mkdtemp(root) != NULL);
	(void)snprintf(path, sizeof(path), "%s/dist", root);
	(void)mkdir(path, 0755);
	(void)snprintf(path, sizeof(path), "%s/dist/app", root);
	(void)mkdir(path, 0755);
	put("dist/app/kustomization.yaml", "resources: [web.yaml]\n");
	put("dist/app/web.yaml",
	    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
	    "spec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
	    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
	    "      containers: [{name: c, image: web:1.0}]\n");
	CHECK_OK(ga_config_parse(&c, OVERLAY_CONFIG, strlen(OVERLAY_CONFIG),
	                         "test"));
	CHECK_OK(ga_reconcile_overlay_text(&kust, c));
	CHECK(strstr(ga_buf_cstr(&kust), "- ../dist/app") != NULL);
	(void)snprintf(dir, sizeof(dir), "%s" GA_RECONCILE_OVERLAY_DIR, root);
	CHECK_OK(ga_kust_fs_new_os(&os));
	CHECK_OK(ga_kust_fs_overlay(&fs, os, dir, kust.ptr, kust.size));
	CHECK_OK(ga_kust_build(&out, fs, "/", dir, NULL));
	CHECK(strstr(out.ptr, "namespace: shop") != NULL);
	CHECK(strstr(out.ptr, "image: web:2.0") != NULL);
	CHECK(strstr(out.ptr, "replicas: 3") != NULL);
	/* commonLabels reach the object and its pods, never the selector
	 * (immutable): the label is in metadata and the template only. */
	CHECK(strstr(out.ptr, "    provider: a") != NULL);
	CHECK(strstr(out.ptr, "        provider: a") != NULL);
	CHECK(strstr(out.ptr, "matchLabels:\n      app: web\n  template") !=
	      NULL);
	CHECK(strstr(out.ptr, "patched: \"yes\"") != NULL);
	ga_kust_fs_free(fs);
	ga_config_free(c);
	ga_buf_dispose(&kust);
	ga_buf_dispose(&out);
	(void)snprintf(path, sizeof(path), "%s/dist/app/kustomization.yaml",
	               root);
	(void)remove(path);
	(void)snprintf(path, sizeof(path), "%s/dist/app/web.yaml", root);
	(void)remove(path);
	(void)snprintf(path, sizeof(path), "%s/dist/app", root);
	(void)rmdir(path);
	(void)snprintf(path, sizeof(path), "%s/dist", root);
	(void)rmdir(path);
	(void)rmdir(root);
}

/* The source process's answer reads back as written. */
static void test_answer_round_trip(void)
{
	ga_source_result r = {
	    .failed = true, .verdict = true, .stage = GA_STAGE_VERIFY};
	ga_source_result back;
	ga_buf out = GA_BUF_INIT(1 << 20);
	const char yaml[] = "kind: A\n---\nkind: B\n";

	(void)snprintf(r.reason, sizeof(r.reason), "Unsigned");
	(void)snprintf(r.message, sizeof(r.message), "line 1\n\"line\" 2");
	(void)snprintf(r.polled, sizeof(r.polled), "main@sha1:%040d", 7);
	(void)snprintf(r.built, sizeof(r.built), "%040d", 3);
	r.ms[GA_STAGE_FETCH] = 12;
	r.ms[GA_STAGE_BUILD] = 3;
	r.yaml = (ga_buf)GA_BUF_INIT(1 << 20);
	CHECK_EQ_INT(ga_buf_puts(&r.yaml, yaml), 0);
	CHECK_EQ_INT(ga_source_answer_write(&r, &out), 0);
	CHECK_EQ_INT(ga_buf_put(&out, r.yaml.ptr, r.yaml.size), 0);
	memset(&back, 0, sizeof(back));
	CHECK_EQ_INT(ga_source_answer_read(&back, &out), 0);
	CHECK(back.failed && back.verdict);
	CHECK_EQ_INT((int)back.stage, (int)GA_STAGE_VERIFY);
	CHECK_EQ_STR(back.reason, "Unsigned");
	CHECK_EQ_STR(back.message, r.message);
	CHECK_EQ_STR(back.polled, r.polled);
	CHECK_EQ_STR(back.built, r.built);
	CHECK_EQ_STR(back.revision, "");
	CHECK_EQ_INT((int)back.ms[GA_STAGE_FETCH], 12);
	CHECK_EQ_INT((int)back.ms[GA_STAGE_BUILD], 3);
	CHECK_EQ_STR(ga_buf_cstr(&back.yaml), yaml);
	ga_source_result_dispose(&back);
	ga_buf_dispose(&r.yaml);
	ga_buf_dispose(&out);
}

/* An answer cut short, or without its header, is refused. */
static void test_answer_refused(void)
{
	static const char *const bad[] = {
	    "",
	    "{\"yamlBytes\":0,\"ms\":{}}",      /* no newline */
	    "{\"yamlBytes\":5,\"ms\":{}}\nabc", /* cut short */
	    "{\"yamlBytes\":-1,\"ms\":{}}\n",   /* negative */
	    "{\"yamlBytes\":0}\n",              /* no timings */
	    "[\"yamlBytes\",0]\n",              /* not a map */
	    "{\"yamlBytes\":0,\"ms\":{}\n",     /* bad JSON */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ga_source_result res;
		ga_buf in = GA_BUF_INIT(1024);

		memset(&res, 0, sizeof(res));
		CHECK_EQ_INT(ga_buf_puts(&in, bad[i]), 0);
		CHECK(ga_source_answer_read(&res, &in) < 0);
		CHECK(ga_error_last()->message[0] != '\0');
		ga_error_clear();
		ga_buf_dispose(&in);
	}
}

int main(void)
{
	RUN(test_jitter);
	RUN(test_backoff);
	RUN(test_bucket);
	RUN(test_overlay);
	RUN(test_answer_round_trip);
	RUN(test_answer_refused);
	return DONE();
}
