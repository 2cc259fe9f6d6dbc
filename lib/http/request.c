/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One request with its retries: set up the handle, perform, classify the
 * outcome, wait, try again within the request's deadline.
 */
#include "http_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/error.h"
#include "ga/time.h"

#define SLEEP_STEP_MS 50

void ga_http__redact(char *out, size_t cap, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	size_t auth = strcspn(host, "/?#");
	const char *at = memchr(host, '@', auth);

	if (!at) {
		snprintf(out, cap, "%s", url);
		return;
	}
	snprintf(out, cap, "%.*s%s", (int)(host - url), url, at + 1);
}

static CURLcode set_tls(ga_http *h)
{
	const ga_http_opts *o = &h->o;
	CURLcode rc = CURLE_OK;
	struct curl_blob blob;

	if (o->insecure) {
		rc = curl_easy_setopt(h->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		if (!rc)
			rc = curl_easy_setopt(h->easy, CURLOPT_SSL_VERIFYHOST,
			                      0L);
	}
	if (!rc && o->ca_file)
		rc = curl_easy_setopt(h->easy, CURLOPT_CAINFO, o->ca_file);
	if (!rc && o->ca_pem) {
		blob = (struct curl_blob){(void *)o->ca_pem, strlen(o->ca_pem),
		                          CURL_BLOB_COPY};
		rc = curl_easy_setopt(h->easy, CURLOPT_CAINFO_BLOB, &blob);
	}
	if (!rc && o->cert_file)
		rc = curl_easy_setopt(h->easy, CURLOPT_SSLCERT, o->cert_file);
	if (!rc && o->key_file)
		rc = curl_easy_setopt(h->easy, CURLOPT_SSLKEY, o->key_file);
	if (!rc && o->cert_pem) {
		blob = (struct curl_blob){(void *)o->cert_pem,
		                          strlen(o->cert_pem), CURL_BLOB_COPY};
		rc = curl_easy_setopt(h->easy, CURLOPT_SSLCERT_BLOB, &blob);
	}
	if (!rc && o->key_pem) {
		blob = (struct curl_blob){(void *)o->key_pem,
		                          strlen(o->key_pem), CURL_BLOB_COPY};
		rc = curl_easy_setopt(h->easy, CURLOPT_SSLKEY_BLOB, &blob);
	}
	return rc;
}

static CURLcode set_method(ga_http *h, const ga_http_request *req)
{
	CURLcode rc = CURLE_OK;

	if (strcmp(req->method, "GET") == 0 && !req->body)
		return curl_easy_setopt(h->easy, CURLOPT_HTTPGET, 1L);
	if (strcmp(req->method, "HEAD") == 0)
		return curl_easy_setopt(h->easy, CURLOPT_NOBODY, 1L);
	if (req->body || strcmp(req->method, "GET") != 0) {
		rc = curl_easy_setopt(h->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		                      (curl_off_t)req->body_len);
		if (!rc)
			rc = curl_easy_setopt(h->easy, CURLOPT_POSTFIELDS,
			                      req->body ? req->body : "");
	}
	if (!rc && strcmp(req->method, "POST") != 0)
		rc = curl_easy_setopt(h->easy, CURLOPT_CUSTOMREQUEST,
		                      req->method);
	return rc;
}

static int add_header(struct curl_slist **list, const char *name,
                      const char *value)
{
	char line[8192];
	struct curl_slist *l;

	if (snprintf(line, sizeof(line), "%s: %s", name, value) >=
	    (int)sizeof(line)) {
		ga_error_set(GA_ERRCLASS_HTTP, "%s header too long", name);
		return GA_EINVALID;
	}
	l = curl_slist_append(*list, line);
	memset(line, 0, sizeof(line)); /* may hold the token */
	if (!l) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	*list = l;
	return 0;
}

static int headers(ga_http *h, const ga_http_request *req,
                   struct curl_slist **list)
{
	char bearer[8 + 65536];
	int err = 0;

	/* No "Expect: 100-continue" round trip before a body. */
	if ((err = add_header(list, "Expect", "")) < 0)
		return err;
	if (req->content_type &&
	    (err = add_header(list, "Content-Type", req->content_type)) < 0)
		return err;
	if (req->accept && (err = add_header(list, "Accept", req->accept)) < 0)
		return err;
	if (h->token && h->token[0]) {
		snprintf(bearer, sizeof(bearer), "Bearer %s", h->token);
		err = add_header(list, "Authorization", bearer);
		memset(bearer, 0, sizeof(bearer));
	}
	return err;
}

/* Every option of one attempt, on a freshly reset handle. */
static int setup(ga_http *h, const ga_http_request *req, uint64_t left_ms,
                 struct curl_slist **list)
{
	CURLcode rc;
	int err;

	curl_easy_reset(h->easy);
	h->err[0] = '\0';
	h->content_type[0] = '\0';
	h->retry_after_ms = 0;
	h->over_limit = h->stopped = h->got_data = false;
	if ((err = headers(h, req, list)) < 0)
		return err;
	rc = curl_easy_setopt(h->easy, CURLOPT_URL, req->url);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_PROTOCOLS_STR,
		                      "http,https");
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_ERRORBUFFER, h->err);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, *list);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_CONNECTTIMEOUT_MS,
		                      (long)h->o.connect_timeout_ms);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_TIMEOUT_MS,
		                      (long)(left_ms ? left_ms : 1));
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_HEADERFUNCTION,
		                      ga_http__on_header);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_HEADERDATA, h);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION,
		                      ga_http__on_data);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_XFERINFOFUNCTION,
		                      ga_http__on_progress);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_XFERINFODATA, h);
	if (!rc)
		rc = curl_easy_setopt(h->easy, CURLOPT_NOPROGRESS, 0L);
	if (!rc)
		rc = set_method(h, req);
	if (!rc)
		rc = set_tls(h);
	if (rc != CURLE_OK) {
		ga_error_set(GA_ERRCLASS_HTTP, "libcurl: %s",
		             curl_easy_strerror(rc));
		return GA_ERROR;
	}
	return 0;
}

static bool transient(CURLcode rc, const char *method)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return true; /* nothing was sent */
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return ga_http__idempotent(method);
	default:
		return false;
	}
}

/* The message and code for a transfer that ended with @rc. */
static int fail(const ga_http *h, const ga_http_request *req, CURLcode rc)
{
	char url[512];
	const char *why = h->err[0] ? h->err : curl_easy_strerror(rc);
	int code;

	ga_http__redact(url, sizeof(url), req->url);
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		code = GA_EVERIFY;
		break;
	case CURLE_SSL_CERTPROBLEM:
		code = GA_EAUTH;
		break;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		code = GA_EINVALID;
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		why = "cancelled";
		code = GA_EIO;
		break;
	case CURLE_WRITE_ERROR:
		if (h->over_limit) {
			ga_error_set(GA_ERRCLASS_HTTP,
			             "%s %s: response body exceeds %zu bytes",
			             req->method, url, h->o.max_body);
			return GA_ELIMIT;
		}
		code = GA_ERROR;
		break;
	default:
		code = GA_ERETRY;
		break;
	}
	ga_error_set(GA_ERRCLASS_HTTP, "%s %s: %s", req->method, url, why);
	return code;
}

/* Wait @ms unless the deadline or a cancellation comes first; false
 * when it did. */
static bool pause_for(const ga_http *h, uint64_t ms, uint64_t deadline)
{
	uint64_t until = ga_now_ms() + ms;

	if (until > deadline)
		return false;
	while (ga_now_ms() < until) {
		uint64_t left = until - ga_now_ms(),
		         step = left < SLEEP_STEP_MS ? left : SLEEP_STEP_MS;
		struct timespec ts = {(time_t)(step / 1000),
		                      (long)(step % 1000) * 1000000L};

		if (h->o.cancel && atomic_load(h->o.cancel))
			return false;
		nanosleep(&ts, NULL);
	}
	return true;
}

/* Perform @req until it succeeds, fails for good or time runs out;
 * *@status is the last response's status (0: none). */
static int run(ga_http *h, const ga_http_request *req, long *status,
               unsigned *attempts)
{
	uint64_t deadline =
	    ga_now_ms() + (req->timeout_ms ? req->timeout_ms : h->o.timeout_ms);
	bool reauth = h->o.token_file != NULL;
	int err = 0;

	*status = 0;
	for (unsigned n = 0;; n++) {
		struct curl_slist *list = NULL;
		uint64_t now = ga_now_ms(), wait;
		CURLcode rc;
		bool again;

		if ((err = ga_http__read_token(h, false)) < 0 ||
		    (err = setup(h, req, deadline > now ? deadline - now : 1,
		                 &list)) < 0) {
			curl_slist_free_all(list);
			return err;
		}
		if (h->sink)
			ga_buf_clear(h->sink);
		if (h->err_sink)
			ga_buf_clear(h->err_sink);
		rc = curl_easy_perform(h->easy);
		curl_slist_free_all(list);
		*attempts = n + 1;
		*status = 0;
		if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && h->stopped))
			(void)curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE,
			                        status);
		if (*status == 401 && reauth) {
			reauth = false; /* a rotated token: read it again */
			if ((err = ga_http__read_token(h, true)) < 0)
				return err;
			continue;
		}
		again =
		    n < h->o.retries && !(h->fn && h->got_data) &&
		    (*status ? ga_http__retry_status(*status, req->method)
		             : rc != CURLE_OK && transient(rc, req->method));
		wait = ga_http__backoff(&h->o, n, h->retry_after_ms, &h->rng);
		if (!again || !pause_for(h, wait, deadline))
			return *status ? 0 : fail(h, req, rc);
	}
}

int ga_http_do(ga_http *h, const ga_http_request *req, ga_http_response *resp)
{
	int err;

	resp->body.max = h->o.max_body;
	h->sink = &resp->body;
	h->fn = NULL;
	err = run(h, req, &resp->status, &resp->attempts);
	snprintf(resp->content_type, sizeof(resp->content_type), "%s",
	         h->content_type);
	h->sink = NULL;
	return err;
}

int ga_http_stream(ga_http *h, const ga_http_request *req,
                   int (*fn)(void *payload, const char *data, size_t len),
                   void *payload, ga_http_response *resp)
{
	int err;

	/* Only the start of an error's body: a Status is short. */
	resp->body.max = 65536;
	h->sink = NULL;
	h->err_sink = &resp->body;
	h->fn = fn;
	h->payload = payload;
	err = run(h, req, &resp->status, &resp->attempts);
	snprintf(resp->content_type, sizeof(resp->content_type), "%s",
	         h->content_type);
	h->fn = NULL;
	h->err_sink = NULL;
	return err;
}
