/* SPDX-License-Identifier: Apache-2.0 */
/* Internal declarations of lib/http. */
#ifndef GA_HTTP_HTTP_INT_H
#define GA_HTTP_HTTP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <sys/stat.h>

#include "curl.h"
#include "ga/http.h"

struct ga_http {
	CURL *easy;
	ga_http_opts o; /* strings owned */
	char *token;
	struct stat token_st; /* token_file when last read */
	uint64_t rng;
	char err[CURL_ERROR_SIZE];
	/* The transfer in progress. */
	ga_buf *sink; /* buffered body, or NULL when streaming */
	int (*fn)(void *payload, const char *data, size_t len);
	void *payload;
	ga_buf *err_sink; /* streaming: the body of a non-2xx answer */
	char content_type[128];
	uint64_t retry_after_ms;
	bool over_limit, stopped, got_data;
};

/* Re-read the token file if it changed (always with @force). */
int ga_http__read_token(ga_http *h, bool force);

/* libcurl's callbacks for a transfer of @h (http.c). */
size_t ga_http__on_header(char *data, size_t size, size_t n, void *p);
size_t ga_http__on_data(char *data, size_t size, size_t n, void *p);
int ga_http__on_progress(void *p, curl_off_t a, curl_off_t b, curl_off_t c,
                         curl_off_t d);

/* Whether sending @method twice is harmless. */
bool ga_http__idempotent(const char *method);

/* Whether a response with @status to @method is worth another try. */
bool ga_http__retry_status(long status, const char *method);

/* A Retry-After header's value in milliseconds; 0 if absent or bad. */
uint64_t ga_http__parse_retry_after(const char *v, time_t now);

/*
 * The wait before try @attempt + 1 (0-based): @o's backoff doubled per
 * attempt up to its cap, half of it random, and never less than the
 * server's @retry_after_ms.  @rng: the caller's generator state.
 */
uint64_t ga_http__backoff(const ga_http_opts *o, unsigned attempt,
                          uint64_t retry_after_ms, uint64_t *rng);

/* @url without user information ("https://u:p@h/x" → "https://h/x"),
 * for messages; at most @cap bytes. */
void ga_http__redact(char *out, size_t cap, const char *url);

#endif
