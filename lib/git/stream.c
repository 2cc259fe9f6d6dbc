/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A TCP stream with a deadline, for the git:// and http(s):// transports.
 * libgit2 1.5 has no network timeouts (GIT_OPT_SET_SERVER_TIMEOUT came in
 * 1.7): its own sockets block until the kernel gives up, so a server that
 * accepts and then goes silent would hang a poll for many minutes.  This
 * stream is registered as libgit2's GIT_STREAM_STANDARD for the duration
 * of one poll (polls take turns under the network lock) and waits with
 * poll(2) in short slices, so both the deadline and the cancellation flag
 * are honoured while connecting, reading and writing.  TLS (mbedTLS inside
 * libgit2) runs on top of it.
 *
 * ssh:// has its own subtransport (ssh.c), whose sessions use the same
 * connect and wait functions.
 */
#include "git_int.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <git2/sys/stream.h>

#include "ga/alloc.h"
#include "ga/time.h"

/* How often a wait wakes up to look at the cancellation flag. */
#define SLICE_MS 200

typedef struct ga_stream {
	git_stream parent;
	int fd;
	char *host;
	char *port;
	ga_git_mirror *m;
} ga_stream;

/* The mirror whose poll holds the network lock (see ga_git__net_begin). */
static ga_git_mirror *current;

int ga_git__wait_fd(ga_git_mirror *m, int fd, short events)
{
	for (;;) {
		struct pollfd p = {fd, events, 0};
		int slice = SLICE_MS, r;

		if (m->opts.cancel && atomic_load(m->opts.cancel)) {
			m->cancelled = true;
			git_error_set_str(GIT_ERROR_NET, "cancelled");
			return -1;
		}
		if (m->deadline_ms) {
			uint64_t now = ga_now_ms();

			if (now >= m->deadline_ms) {
				m->timed_out = true;
				git_error_set_str(GIT_ERROR_NET, "timed out");
				return -1;
			}
			if (m->deadline_ms - now < (uint64_t)slice)
				slice = (int)(m->deadline_ms - now);
		}
		r = poll(&p, 1, slice);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR) {
			git_error_set(GIT_ERROR_OS, "poll: %s",
			              strerror(errno));
			return -1;
		}
	}
}

static int connect_one(int *out, ga_git_mirror *m, const struct addrinfo *ai)
{
	int fd, soerr = 0;
	socklen_t len = sizeof(soerr);

	fd = socket(ai->ai_family,
	            ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	            ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
	    errno != EINPROGRESS)
		goto fail;
	if (ga_git__wait_fd(m, fd, POLLOUT) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr)
		goto fail;
	*out = fd;
	return 0;
fail:
	(void)close(fd);
	return -1;
}

int ga_git__tcp_connect(int *out, ga_git_mirror *m, const char *host,
                        const char *port)
{
	struct addrinfo hints, *res = NULL;
	int r;

	*out = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		git_error_set(GIT_ERROR_NET, "failed to resolve %s: %s", host,
		              gai_strerror(r));
		return -1;
	}
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (connect_one(out, m, ai) == 0)
			break;
		if (m->timed_out || m->cancelled)
			break;
	}
	freeaddrinfo(res);
	if (*out < 0) {
		if (!m->timed_out && !m->cancelled)
			git_error_set(GIT_ERROR_NET, "failed to connect to %s",
			              host);
		return -1;
	}
	return 0;
}

static int stream_connect(git_stream *stream)
{
	ga_stream *s = (ga_stream *)stream;

	return ga_git__tcp_connect(&s->fd, s->m, s->host, s->port);
}

static ssize_t stream_read(git_stream *stream, void *data, size_t len)
{
	ga_stream *s = (ga_stream *)stream;

	for (;;) {
		ssize_t n = recv(s->fd, data, len, 0);

		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			git_error_set(GIT_ERROR_NET, "read: %s",
			              strerror(errno));
			return -1;
		}
		if (ga_git__wait_fd(s->m, s->fd, POLLIN) < 0)
			return -1;
	}
}

static ssize_t stream_write(git_stream *stream, const char *data, size_t len,
                            int flags)
{
	ga_stream *s = (ga_stream *)stream;

	(void)flags;
	for (;;) {
		ssize_t n = send(s->fd, data, len, MSG_NOSIGNAL);

		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			git_error_set(GIT_ERROR_NET, "write: %s",
			              strerror(errno));
			return -1;
		}
		if (ga_git__wait_fd(s->m, s->fd, POLLOUT) < 0)
			return -1;
	}
}

static int stream_close(git_stream *stream)
{
	ga_stream *s = (ga_stream *)stream;

	if (s->fd >= 0)
		(void)close(s->fd);
	s->fd = -1;
	return 0;
}

static void stream_free(git_stream *stream)
{
	ga_stream *s = (ga_stream *)stream;

	(void)stream_close(stream);
	ga_free(s->host);
	ga_free(s->port);
	ga_free(s);
}

static int stream_new(git_stream **out, const char *host, const char *port)
{
	ga_stream *s = ga_calloc(1, sizeof(*s));

	if (!s || !(s->host = ga_strdup(host)) ||
	    !(s->port = ga_strdup(port ? port : "80"))) {
		if (s)
			ga_free(s->host);
		ga_free(s);
		git_error_set_oom();
		return -1;
	}
	s->fd = -1;
	s->m = current;
	s->parent.version = GIT_STREAM_VERSION;
	s->parent.connect = stream_connect;
	s->parent.read = stream_read;
	s->parent.write = stream_write;
	s->parent.close = stream_close;
	s->parent.free = stream_free;
	*out = &s->parent;
	return 0;
}

int ga_git__stream_install(ga_git_mirror *m)
{
	git_stream_registration reg = {GIT_STREAM_VERSION, stream_new, NULL};

	current = m;
	return git_stream_register(GIT_STREAM_STANDARD, &reg);
}

void ga_git__stream_uninstall(void)
{
	(void)git_stream_register(GIT_STREAM_STANDARD, NULL);
	git_error_clear();
	current = NULL;
}
