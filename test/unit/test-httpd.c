/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/httpd against real clients on loopback: a raw socket for plain
 * HTTP (query decoding, headers, bodies and their cap, chunked streams
 * that end, that the client abandons and that the server's stop ends)
 * and the curl program for TLS with a generated certificate.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/fs.h"
#include "ga/httpd.h"
#include "harness.h"

static atomic_int streams_freed;

static int stream_counted(void *payload, ga_buf *out, unsigned wait_ms)
{
	int *n = payload;

	(void)wait_ms;
	if (*n >= 3)
		return GA_HTTPD_STREAM_DONE;
	(*n)++;
	return ga_buf_printf(out, "chunk %d\n", *n);
}

/* Says one line, then has nothing more to say, forever. */
static int stream_idle(void *payload, ga_buf *out, unsigned wait_ms)
{
	int *n = payload;
	struct timespec ts = {0, (long)wait_ms * 1000000L};

	if (*n == 0) {
		(*n)++;
		return ga_buf_puts(out, "hello\n");
	}
	(void)nanosleep(&ts, NULL);
	return GA_HTTPD_STREAM_MORE;
}

static void stream_free(void *payload)
{
	ga_free(payload);
	atomic_fetch_add(&streams_freed, 1);
}

static int handler(const ga_httpd_request *req, ga_httpd_response *resp,
                   void *payload)
{
	const char *path = ga_httpd_request_path(req);
	const char *a = ga_httpd_request_query(req, "a");
	const char *flag = ga_httpd_request_query(req, "flag");
	const char *hdr = ga_httpd_request_header(req, "x-test");
	size_t len = 0;
	const char *body = ga_httpd_request_body(req, &len);
	int *n;

	(void)payload;
	if (strcmp(path, "/fail") == 0) {
		ga_error_set(GA_ERRCLASS_HTTP, "planted failure");
		return GA_ERROR;
	}
	if (strcmp(path, "/stream") == 0 || strcmp(path, "/idle") == 0) {
		if (!(n = ga_calloc(1, sizeof(*n))))
			return GA_ENOMEM;
		ga_httpd_response_stream(
		    resp, path[1] == 's' ? stream_counted : stream_idle,
		    stream_free, n);
		return 0;
	}
	ga_httpd_response_set_status(resp, 201);
	if (ga_httpd_response_add_header(resp, "X-Echo", "yes") < 0)
		return GA_ERROR;
	(void)ga_buf_printf(ga_httpd_response_body(resp),
	                    "%s %s a=%s flag=%s hdr=%s len=%zu body=%s",
	                    ga_httpd_request_method(req), path, a ? a : "-",
	                    flag ? "set" : "-", hdr ? hdr : "-", len, body);
	return 0;
}

static int connect_to(unsigned port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send @req, read until the server closes; the whole answer in @out. */
static int exchange(unsigned port, const char *req, size_t len, ga_buf *out)
{
	char chunk[4096];
	ssize_t n;
	int fd = connect_to(port);

	if (fd < 0)
		return -1;
	if (write(fd, req, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		(void)ga_buf_put(out, chunk, (size_t)n);
	close(fd);
	return 0;
}

static ga_httpd *start(ga_httpd_opts *opts)
{
	ga_httpd *srv = NULL;

	CHECK_OK(ga_httpd_start(&srv, opts, handler, NULL));
	CHECK(srv && ga_httpd_port(srv) > 0);
	return srv;
}

static void test_request_parts(void)
{
	ga_httpd_opts opts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv = start(&opts);
	ga_buf out = GA_BUF_INIT(1 << 20);
	const char *req = "POST /x%20y?a=b%20c&flag HTTP/1.1\r\nHost: t\r\n"
	                  "X-Test: v1\r\nContent-Length: 5\r\n"
	                  "Connection: close\r\n\r\nhello";

	if (!srv)
		return;
	CHECK_OK(exchange(ga_httpd_port(srv), req, strlen(req), &out));
	CHECK(strncmp(ga_buf_cstr(&out), "HTTP/1.1 201", 12) == 0);
	CHECK(strstr(ga_buf_cstr(&out), "X-Echo: yes\r\n"));
	CHECK(strstr(ga_buf_cstr(&out), "POST /x y a=b c flag=set hdr=v1 "
	                                "len=5 body=hello"));
	ga_buf_clear(&out);
	req = "GET /plain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	CHECK_OK(exchange(ga_httpd_port(srv), req, strlen(req), &out));
	CHECK(strstr(ga_buf_cstr(&out), "GET /plain a=- flag=- hdr=- len=0"));
	ga_buf_clear(&out);
	req = "GET /fail HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	CHECK_OK(exchange(ga_httpd_port(srv), req, strlen(req), &out));
	CHECK(strncmp(ga_buf_cstr(&out), "HTTP/1.1 500", 12) == 0);
	CHECK(strstr(ga_buf_cstr(&out), "planted failure"));
	ga_buf_dispose(&out);
	ga_httpd_stop(srv);
}

static void test_body_cap(void)
{
	ga_httpd_opts opts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv;
	ga_buf out = GA_BUF_INIT(1 << 20), req = GA_BUF_INIT(1 << 20);
	size_t i;

	opts.max_body = 100;
	if (!(srv = start(&opts)))
		return;
	/* Declared too large: refused from the headers. */
	(void)ga_buf_puts(&req, "POST /big HTTP/1.1\r\nHost: t\r\n"
	                        "Content-Length: 101\r\nConnection: close"
	                        "\r\n\r\n");
	for (i = 0; i < 101; i++)
		(void)ga_buf_putc(&req, 'x');
	CHECK_OK(exchange(ga_httpd_port(srv), req.ptr, req.size, &out));
	CHECK(strncmp(ga_buf_cstr(&out), "HTTP/1.1 413", 12) == 0);
	/* Chunked, so only counting finds it too large. */
	ga_buf_clear(&out);
	ga_buf_clear(&req);
	(void)ga_buf_puts(&req, "POST /big HTTP/1.1\r\nHost: t\r\n"
	                        "Transfer-Encoding: chunked\r\nConnection: "
	                        "close\r\n\r\n");
	for (i = 0; i < 3; i++)
		(void)ga_buf_printf(&req, "40\r\n%064d\r\n", 0);
	(void)ga_buf_puts(&req, "0\r\n\r\n");
	CHECK_OK(exchange(ga_httpd_port(srv), req.ptr, req.size, &out));
	CHECK(strncmp(ga_buf_cstr(&out), "HTTP/1.1 413", 12) == 0);
	/* Exactly at the cap is fine. */
	ga_buf_clear(&out);
	ga_buf_clear(&req);
	(void)ga_buf_puts(&req, "POST /ok HTTP/1.1\r\nHost: t\r\n"
	                        "Content-Length: 100\r\nConnection: close"
	                        "\r\n\r\n");
	for (i = 0; i < 100; i++)
		(void)ga_buf_putc(&req, 'y');
	CHECK_OK(exchange(ga_httpd_port(srv), req.ptr, req.size, &out));
	CHECK(strncmp(ga_buf_cstr(&out), "HTTP/1.1 201", 12) == 0);
	CHECK(strstr(ga_buf_cstr(&out), "len=100"));
	ga_buf_dispose(&out);
	ga_buf_dispose(&req);
	ga_httpd_stop(srv);
}

static void wait_freed(int want)
{
	int i;

	for (i = 0; i < 100 && atomic_load(&streams_freed) < want; i++)
		(void)usleep(20000);
	CHECK_EQ_INT(atomic_load(&streams_freed), want);
}

static void test_streams(void)
{
	ga_httpd_opts opts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv = start(&opts);
	ga_buf out = GA_BUF_INIT(1 << 20);
	const char *req = "GET /stream HTTP/1.1\r\nHost: t\r\n"
	                  "Connection: close\r\n\r\n";
	char chunk[256];
	int fd;

	if (!srv)
		return;
	atomic_store(&streams_freed, 0);
	CHECK_OK(exchange(ga_httpd_port(srv), req, strlen(req), &out));
	CHECK(strstr(ga_buf_cstr(&out), "Transfer-Encoding: chunked"));
	CHECK(strstr(ga_buf_cstr(&out), "chunk 1\n"));
	CHECK(strstr(ga_buf_cstr(&out), "chunk 3\n"));
	CHECK(strstr(ga_buf_cstr(&out), "\r\n0\r\n\r\n"));
	wait_freed(1);

	/* The client goes away: the stream ends and is freed. */
	req = "GET /idle HTTP/1.1\r\nHost: t\r\n\r\n";
	fd = connect_to(ga_httpd_port(srv));
	CHECK(fd >= 0);
	CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	CHECK(read(fd, chunk, sizeof(chunk)) > 0);
	close(fd);
	wait_freed(2);

	/* The server stops under an open stream. */
	fd = connect_to(ga_httpd_port(srv));
	CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	CHECK(read(fd, chunk, sizeof(chunk)) > 0);
	ga_httpd_stop(srv);
	CHECK_EQ_INT(atomic_load(&streams_freed), 3);
	close(fd);
	ga_buf_dispose(&out);
}

/* Run curl with @args; its stdout in @out.  Returns its exit status. */
static int run_curl(char *const args[], ga_buf *out)
{
	int p[2], status = -1;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);

		(void)dup2(p[1], 1);
		if (null >= 0)
			(void)dup2(null, 2);
		close(p[0]);
		close(p[1]);
		execvp("curl", args);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		(void)ga_buf_put(out, chunk, (size_t)n);
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_tls(void)
{
	ga_httpd_pki pki = GA_HTTPD_PKI_INIT;
	ga_httpd_opts opts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv = NULL;
	ga_buf out = GA_BUF_INIT(1 << 20);
	char dir[] = "/tmp/test-httpd-XXXXXX", ca[64], url[64], url2[64];
	char curl[] = "curl", flags[] = "-sS", cacert[] = "--cacert";
	int rc;

	CHECK_OK(ga_httpd_pki_generate(&pki, 1));
	CHECK(pki.ca_cert_pem && strstr(pki.ca_cert_pem, "BEGIN CERTIFICATE"));
	CHECK(pki.key_pem && strstr(pki.key_pem, "PRIVATE KEY"));
	opts.tls_cert_pem = pki.cert_pem;
	opts.tls_key_pem = pki.key_pem;
	if (!pki.ca_cert_pem || !mkdtemp(dir) || !(srv = start(&opts)))
		goto out;
	(void)snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	CHECK_OK(
	    ga_file_write_atomic(ca, pki.ca_cert_pem, strlen(pki.ca_cert_pem)));
	(void)snprintf(url, sizeof(url), "https://127.0.0.1:%u/tls?a=1",
	               ga_httpd_port(srv));
	(void)snprintf(url2, sizeof(url2), "https://localhost:%u/tls",
	               ga_httpd_port(srv));
	{
		char *args[] = {curl, flags, cacert, ca, url, NULL};
		rc = run_curl(args, &out);
		if (rc == 127) {
			printf("# SKIP curl is not installed\n");
			goto out;
		}
		CHECK_EQ_INT(rc, 0);
		CHECK(strstr(ga_buf_cstr(&out), "GET /tls a=1"));
	}
	{
		char *args[] = {curl, flags, cacert, ca, url2, NULL};
		ga_buf_clear(&out);
		CHECK_EQ_INT(run_curl(args, &out), 0);
		CHECK(strstr(ga_buf_cstr(&out), "GET /tls a=-"));
	}
	{
		/* Not trusted without the CA. */
		char *args[] = {curl, flags, url, NULL};
		CHECK(run_curl(args, &out) != 0);
	}
out:
	ga_httpd_stop(srv);
	(void)unlink(ca);
	(void)rmdir(dir);
	ga_buf_dispose(&out);
	ga_httpd_pki_dispose(&pki);
}

static void test_bad_opts(void)
{
	ga_httpd_opts opts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv = NULL;

	opts.address = "localhost";
	CHECK_ERR(ga_httpd_start(&srv, &opts, handler, NULL), GA_EINVALID);
	opts.address = "127.0.0.1";
	opts.tls_cert_pem = "x";
	CHECK_ERR(ga_httpd_start(&srv, &opts, handler, NULL), GA_EINVALID);
	opts.tls_key_pem = "not a key";
	CHECK_ERR(ga_httpd_start(&srv, &opts, handler, NULL), GA_EIO);
	CHECK(srv == NULL);
}

int main(void)
{
	RUN(test_request_parts);
	RUN(test_body_cap);
	RUN(test_streams);
	RUN(test_tls);
	RUN(test_bad_opts);
	return DONE();
}
