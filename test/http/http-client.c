/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A command-line driver of lib/http for test/http/http.sh:
 *   http-client [options] METHOD URL...
 * sends one request per URL and prints, per request, a line
 *   "status=S attempts=N type=T bytes=B" and the body, or
 *   "error=NAME: message" on failure.  Options map onto ga_http_opts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/http.h"

struct cli {
	ga_http_opts o;
	const char *body, *content_type;
	bool stream;
	size_t stop_after;
	uint64_t request_timeout_ms;
};

static char *slurp(const char *path)
{
	ga_buf b = GA_BUF_INIT(1 << 20);
	char *s;

	if (ga_file_read(&b, path) < 0) {
		fprintf(stderr, "http-client: %s\n", ga_error_last()->message);
		exit(2);
	}
	s = ga_strdup(ga_buf_cstr(&b));
	ga_buf_dispose(&b);
	return s;
}

/* Options are "--name value"; returns the index of the first operand. */
static int parse(struct cli *c, int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *k = argv[i] + 2, *v = argv[i + 1];

		if (!strcmp(k, "ca-file"))
			c->o.ca_file = v;
		else if (!strcmp(k, "ca-pem-file"))
			ga_free((char *)c->o.ca_pem), c->o.ca_pem = slurp(v);
		else if (!strcmp(k, "cert-pem-file"))
			ga_free((char *)c->o.cert_pem),
			    c->o.cert_pem = slurp(v);
		else if (!strcmp(k, "key-pem-file"))
			ga_free((char *)c->o.key_pem), c->o.key_pem = slurp(v);
		else if (!strcmp(k, "token"))
			c->o.token = v;
		else if (!strcmp(k, "token-file"))
			c->o.token_file = v;
		else if (!strcmp(k, "insecure"))
			c->o.insecure = !strcmp(v, "1");
		else if (!strcmp(k, "timeout-ms"))
			c->o.timeout_ms = strtoull(v, NULL, 10);
		else if (!strcmp(k, "request-timeout-ms"))
			c->request_timeout_ms = strtoull(v, NULL, 10);
		else if (!strcmp(k, "retries"))
			c->o.retries = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(k, "backoff-ms"))
			c->o.backoff_ms = strtoull(v, NULL, 10);
		else if (!strcmp(k, "max-body"))
			c->o.max_body = strtoull(v, NULL, 10);
		else if (!strcmp(k, "body"))
			c->body = v;
		else if (!strcmp(k, "content-type"))
			c->content_type = v;
		else if (!strcmp(k, "stream"))
			c->stop_after = strtoull(v, NULL, 10), c->stream = true;
		else {
			fprintf(stderr, "http-client: unknown option %s\n", k);
			exit(2);
		}
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: http-client [--opt value]... METHOD "
		                "URL...\n");
		exit(2);
	}
	return i;
}

static int print_chunk(void *payload, const char *data, size_t len)
{
	size_t *left = payload;

	printf("chunk=%zu\n", len);
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return 1;
	if (*left && len >= *left)
		return 1;
	if (*left)
		*left -= len;
	return 0;
}

static void one(ga_http *h, struct cli *c, const char *method, const char *url)
{
	ga_http_request req = {method,
	                       url,
	                       c->content_type,
	                       NULL,
	                       c->body,
	                       c->body ? strlen(c->body) : 0,
	                       c->request_timeout_ms};
	ga_http_response resp;
	size_t left = c->stop_after;
	int err;

	ga_http_response_init(&resp);
	if (c->stream)
		err = ga_http_stream(h, &req, print_chunk, &left, &resp);
	else
		err = ga_http_do(h, &req, &resp);
	if (err < 0)
		printf("error=%s: %s\n", ga_error_name(err),
		       ga_error_last()->message);
	else if (c->stream)
		printf("status=%ld attempts=%u error-body=%s\n", resp.status,
		       resp.attempts, ga_buf_cstr(&resp.body));
	else
		printf("status=%ld attempts=%u type=%s bytes=%zu\n%s\n",
		       resp.status, resp.attempts, resp.content_type,
		       resp.body.size, ga_buf_cstr(&resp.body));
	ga_http_response_dispose(&resp);
}

int main(int argc, char **argv)
{
	struct cli c = {.o = GA_HTTP_OPTS_INIT};
	ga_http *h = NULL;
	int first = parse(&c, argc, argv);

	if (ga_http_new(&h, &c.o) < 0) {
		printf("error=%s\n", ga_error_last()->message);
		return 1;
	}
	for (int i = first + 1; i < argc; i++)
		one(h, &c, argv[first], argv[i]);
	ga_http_free(h);
	ga_free((char *)c.o.ca_pem);
	ga_free((char *)c.o.cert_pem);
	ga_free((char *)c.o.key_pem);
	return 0;
}
