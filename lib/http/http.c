/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP client (ga/http.h) over libcurl, the only folder that calls it.
 * One easy handle per client: libcurl keeps its connections open across
 * curl_easy_reset(), which every attempt starts with so that no option of
 * an earlier request leaks into the next.
 */
#include "http_int.h"

#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/time.h"

#define TOKEN_MAX 65536 /* a service-account token is about 1 KiB */

static void free_opts(ga_http_opts *o)
{
	ga_free((char *)o->ca_file);
	ga_free((char *)o->ca_pem);
	ga_free((char *)o->cert_file);
	ga_free((char *)o->key_file);
	ga_free((char *)o->cert_pem);
	ga_free((char *)o->key_pem);
	ga_free((char *)o->token);
	ga_free((char *)o->token_file);
}

static int dup_str(const char **dst, const char *src)
{
	if (!src)
		return 0;
	return (*dst = ga_strdup(src)) ? 0 : GA_ENOMEM;
}

static int copy_opts(ga_http_opts *dst, const ga_http_opts *src)
{
	*dst = *src;
	dst->ca_file = dst->ca_pem = dst->cert_file = dst->key_file = NULL;
	dst->cert_pem = dst->key_pem = dst->token = dst->token_file = NULL;
	if (dup_str(&dst->ca_file, src->ca_file) ||
	    dup_str(&dst->ca_pem, src->ca_pem) ||
	    dup_str(&dst->cert_file, src->cert_file) ||
	    dup_str(&dst->key_file, src->key_file) ||
	    dup_str(&dst->cert_pem, src->cert_pem) ||
	    dup_str(&dst->key_pem, src->key_pem) ||
	    dup_str(&dst->token, src->token) ||
	    dup_str(&dst->token_file, src->token_file))
		return GA_ENOMEM;
	return 0;
}

/* (Re-)read the token file when it changed since the last read, or
 * always with @force.  A file that cannot be read keeps the old token
 * once there is one: a rotation in progress is not a failure. */
int ga_http__read_token(ga_http *h, bool force)
{
	ga_buf text = GA_BUF_INIT(TOKEN_MAX);
	struct stat st;
	char *tok;
	size_t n;
	int err;

	if (!h->o.token_file)
		return 0;
	if (stat(h->o.token_file, &st) == 0 && !force && h->token &&
	    st.st_ino == h->token_st.st_ino &&
	    st.st_size == h->token_st.st_size &&
	    st.st_mtim.tv_sec == h->token_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == h->token_st.st_mtim.tv_nsec)
		return 0;
	if ((err = ga_file_read(&text, h->o.token_file)) < 0) {
		ga_buf_dispose(&text);
		if (h->token)
			return 0;
		ga_error_prefix("bearer token file");
		return err == GA_ENOMEM ? err : GA_EINVALID;
	}
	n = text.size;
	while (n && strchr(" \t\r\n", text.ptr[n - 1]))
		n--;
	tok = ga_strndup(text.ptr ? text.ptr : "", n);
	ga_buf_dispose(&text);
	if (!tok)
		return GA_ENOMEM;
	ga_free(h->token);
	h->token = tok;
	(void)stat(h->o.token_file, &h->token_st);
	return 0;
}

int ga_http_new(ga_http **out, const ga_http_opts *opts)
{
	static const ga_http_opts defaults = GA_HTTP_OPTS_INIT;
	ga_http *h;
	int err;

	if ((err = ga_curl__init()) < 0)
		return err;
	if (!(h = ga_calloc(1, sizeof(*h))))
		return GA_ENOMEM;
	if ((err = copy_opts(&h->o, opts ? opts : &defaults)) < 0)
		goto fail;
	if (h->o.token && !(h->token = ga_strdup(h->o.token))) {
		err = GA_ENOMEM;
		goto fail;
	}
	if ((err = ga_http__read_token(h, true)) < 0)
		goto fail;
	if (!(h->easy = curl_easy_init())) {
		ga_error_set(GA_ERRCLASS_HTTP,
		             "libcurl: cannot create a handle");
		err = GA_ENOMEM;
		goto fail;
	}
	*out = h;
	return 0;
fail:
	ga_http_free(h);
	return err;
}

void ga_http_free(ga_http *h)
{
	if (!h)
		return;
	if (h->easy)
		curl_easy_cleanup(h->easy);
	free_opts(&h->o);
	if (h->token)
		memset(h->token, 0, strlen(h->token));
	ga_free(h->token);
	ga_free(h);
}

void ga_http_response_init(ga_http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->body = (ga_buf)GA_BUF_INIT((size_t)64 << 20);
}

void ga_http_response_dispose(ga_http_response *r)
{
	ga_buf_dispose(&r->body);
	r->status = 0;
}

size_t ga_http__on_header(char *data, size_t size, size_t n, void *p)
{
	ga_http *h = p;
	size_t len = size * n;
	char line[256];

	if (len >= sizeof(line))
		return len; /* neither header we read is that long */
	memcpy(line, data, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "Retry-After:", 12) == 0)
		h->retry_after_ms =
		    ga_http__parse_retry_after(line + 12, time(NULL));
	else if (strncasecmp(line, "Content-Type:", 13) == 0)
		snprintf(h->content_type, sizeof(h->content_type), "%s",
		         line + 13 + strspn(line + 13, " \t"));
	return len;
}

size_t ga_http__on_data(char *data, size_t size, size_t n, void *p)
{
	ga_http *h = p;
	size_t len = size * n;
	long status = 0;

	if (h->sink) {
		if (ga_buf_put(h->sink, data, len) < 0) {
			h->over_limit = true;
			return 0;
		}
		return len;
	}
	/* A stream hands over only a 2xx body; an error's is kept (its
	 * start, for the message) and may still be retried. */
	(void)curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		(void)ga_buf_put(h->err_sink, data, len);
		return len;
	}
	h->got_data = true;
	if (h->fn(h->payload, data, len) != 0) {
		h->stopped = true;
		return 0;
	}
	return len;
}

int ga_http__on_progress(void *p, curl_off_t a, curl_off_t b, curl_off_t c,
                         curl_off_t d)
{
	const ga_http *h = p;

	(void)a, (void)b, (void)c, (void)d;
	return h->o.cancel && atomic_load(h->o.cancel) ? 1 : 0;
}
