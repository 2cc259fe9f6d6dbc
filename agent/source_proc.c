/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parent side of source.h: the request (the configuration's source,
 * the credential files, the verification keys read from their Secrets,
 * the provider's overlay, the last applied revision), the child started
 * with posix_spawn (safe in a threaded program, unlike fork), the
 * exchange over two pipes with a cap on the answer, SIGTERM forwarded
 * when the agent stops, and the answer read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ga/error.h"
#include "ga/json.h"
#include "ga/log.h"
#include "ga/time.h"
#include "logsink.h"
#include "reconcile.h"
#include "runutil.h"
#include "source.h"

extern char **environ;

/* The child's build output cap, and room for the header line. */
#define ANSWER_MAX (GA_SOURCE_BUILD_MAX + ((size_t)64 << 10))
/* After SIGTERM, the child gets this long before SIGKILL. */
#define TERM_GRACE_MS 10000
#define POLL_SLICE_MS 200

/* `,"key":"value"`, or nothing when @value is NULL. */
static void put_field(ga_buf *b, const char *key, const char *value)
{
	if (!value)
		return;
	(void)ga_buf_printf(b, ",\"%s\":", key);
	(void)ga_json_quote(b, value);
}

/* {"name":KEY,"data":VALUE} items of a JSON list, being written. */
typedef struct key_list {
	ga_buf items;
	size_t n;
} key_list;

static int add_item(key_list *l, const char *key, const char *value, size_t len)
{
	(void)ga_buf_puts(&l->items, l->n++ ? ",{\"name\":" : "{\"name\":");
	(void)ga_json_quote(&l->items, key);
	(void)ga_buf_puts(&l->items, ",\"data\":");
	(void)ga_json_quoten(&l->items, value, len, 0);
	return ga_buf_puts(&l->items, "}");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The keys Secret: *.asc to lists[0], *.pub to lists[1], others not. */
static int sort_key(void *payload, const char *key, const char *value,
                    size_t len)
{
	key_list *lists = payload;

	if (ends_with(key, ".asc"))
		return add_item(&lists[0], key, value, len);
	if (ends_with(key, ".pub"))
		return add_item(&lists[1], key, value, len);
	return 0;
}

static int any_key(void *payload, const char *key, const char *value,
                   size_t len)
{
	return add_item(payload, key, value, len);
}

/*
 * "verify": the mode, the last applied commit and the keys: of the keys
 * Secret, the *.asc keys as OpenPGP key blobs (Flux's verification
 * Secret) and the *.pub keys as authorized_keys-style SSH lines; every
 * key of the allowed-signers Secret as an allowed-signers file.  When a
 * Secret cannot be read, the keys are unknown: the child refuses the
 * revision (KeysUnavailable) and builds the last applied one.
 */
static void put_verify(ga_agent *a, ga_buf *b)
{
	static const char *const names[] = {"pgp", "ssh", "allowedSigners"};
	const ga_config *c = a->config;
	key_list lists[3];
	int err = 0;

	for (size_t i = 0; i < 3; i++)
		lists[i] = (key_list){GA_BUF_INIT(b->max), 0};
	if (c->source.keys_secret_ref)
		err = ga_run_read_secret(a, c->source.keys_secret_ref, sort_key,
		                         lists);
	if (err == 0 && c->source.allowed_signers_secret_ref)
		err =
		    ga_run_read_secret(a, c->source.allowed_signers_secret_ref,
		                       any_key, &lists[2]);
	(void)ga_buf_puts(b, ",\"verify\":{\"mode\":");
	(void)ga_json_quote(b, c->source.verify_mode);
	put_field(b, "since", a->applied_commit[0] ? a->applied_commit : NULL);
	for (size_t i = 0; i < 3; i++) {
		if (err == 0)
			(void)ga_buf_printf(b, ",\"%s\":[%s]", names[i],
			                    ga_buf_cstr(&lists[i].items));
		if (lists[i].items.err)
			b->err = lists[i].items.err;
		ga_buf_dispose(&lists[i].items);
	}
	if (err < 0) {
		put_field(b, "keysUnavailable", ga_error_last()->message);
		ga_error_clear();
	}
	(void)ga_buf_puts(b, "}");
}

static void put_build(ga_agent *a, ga_buf *b)
{
	ga_buf overlay = GA_BUF_INIT((size_t)4 << 20);

	(void)ga_reconcile_overlay_text(&overlay, a->config);
	(void)ga_buf_puts(b, ",\"build\":{\"overlay\":");
	(void)ga_json_quoten(b, overlay.ptr ? overlay.ptr : "", overlay.size,
	                     0);
	/* Each object names its file, so a failed apply can say where the
	 * bad object is in the vendor's tree (the apply engine strips it). */
	put_field(b, "sourceAnnotation", GA_APPLY_SOURCE_ANNOTATION);
	(void)ga_buf_puts(b, "}");
	if (overlay.err)
		b->err = overlay.err;
	ga_buf_dispose(&overlay);
}

static int request(ga_agent *a, ga_source_op op, ga_buf *b)
{
	const ga_config *c = a->config;
	const ga_git_opts *g = &a->gopts;

	(void)ga_buf_printf(
	    b, "{\"op\":\"%s\",\"parent\":%ld,\"timeoutMs\":%llu",
	    op == GA_SOURCE_PASS ? "pass" : "poll", (long)getpid(),
	    (unsigned long long)c->source.timeout_ms);
	put_field(b, "url", c->source.url);
	put_field(b, "refKind", c->source.ref_kind);
	put_field(b, "ref", c->source.ref);
	put_field(b, "cacheDir", g->cache_dir);
	/* The credentials: the user name, and the files the Secret's
	 * other keys were written to (ga_reconcile_credentials). */
	put_field(b, "username", g->username);
	put_field(b, "password", g->password_file);
	put_field(b, "bearerToken", g->token_file);
	put_field(b, "ca.crt", g->ca_file);
	put_field(b, "identity", g->ssh_key_file);
	put_field(b, "passphrase", g->ssh_passphrase_file);
	put_field(b, "known_hosts", g->known_hosts_file);
	if (op == GA_SOURCE_PASS) {
		put_verify(a, b);
		put_build(a, b);
		if (a->applied_commit[0]) {
			put_field(b, "fallbackCommit", a->applied_commit);
			put_field(b, "fallbackRevision", a->applied_revision);
		}
	}
	(void)ga_buf_puts(b, "}");
	if (b->err)
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source request: larger than %zu bytes (keys and "
		             "customisations)",
		             b->max);
	return b->err;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/* The child with stdin @to[0] and stdout @from[1]. */
static int spawn(ga_agent *a, pid_t *pid, int to[2], int from[2])
{
	posix_spawn_file_actions_t fa;
	/* posix_spawn's argv is not const; nothing writes to it. */
	char *argv[] = {a->self_exe,
	                (char *)"--log-format",
	                (char *)ga_logsink_format_name(),
	                (char *)"--log-level",
	                (char *)ga_log_level_name(ga_logsink_level()),
	                (char *)"source-process",
	                NULL};
	int err;

	if (pipe2(to, O_CLOEXEC) < 0 || pipe2(from, O_CLOEXEC) < 0) {
		ga_error_set_os(errno, "source process: pipe");
		return GA_EIO;
	}
	if ((err = posix_spawn_file_actions_init(&fa)) != 0) {
		ga_error_set_os(err, "source process: spawn");
		return GA_ENOMEM;
	}
	/* Only stdin, stdout and the log's stderr: no API connection, no
	 * listener, no other pipe reaches the child. */
	if ((err = posix_spawn_file_actions_adddup2(&fa, to[0], 0)) == 0 &&
	    (err = posix_spawn_file_actions_adddup2(&fa, from[1], 1)) == 0 &&
	    (err = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0)
		err = posix_spawn(pid, a->self_exe, &fa, NULL, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	close_fd(&to[0]);
	close_fd(&from[1]);
	if (err != 0) {
		ga_error_set_os(err, "source process: start %s", a->self_exe);
		return GA_EIO;
	}
	(void)fcntl(to[1], F_SETFL, O_NONBLOCK);
	return 0;
}

/* Forward the agent's stop: SIGTERM at once, SIGKILL after the grace. */
static void forward_stop(ga_agent *a, pid_t pid, uint64_t *termed_ms)
{
	if (!atomic_load(&a->stop))
		return;
	if (!*termed_ms) {
		*termed_ms = ga_now_ms();
		(void)kill(pid, SIGTERM);
	} else if (ga_now_ms() - *termed_ms >= TERM_GRACE_MS) {
		(void)kill(pid, SIGKILL);
	}
}

/* Write what is left of @req to @fd; -1 into @fd once all is sent. */
static void feed(int *fd, const ga_buf *req, size_t *sent)
{
	ssize_t n = write(*fd, req->ptr + *sent, req->size - *sent);

	if (n > 0)
		*sent += (size_t)n;
	/* EPIPE: the child left early; its answer or status says why. */
	if ((n < 0 && errno != EAGAIN && errno != EINTR) || *sent == req->size)
		close_fd(fd);
}

/* Read from @fd into @out; -1 into @fd at the end.  GA_ELIMIT when full. */
static int drain(int *fd, ga_buf *out)
{
	char chunk[65536];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(fd);
	if (n > 0 && ga_buf_put(out, chunk, (size_t)n) < 0) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: answer larger than %zu bytes",
		             out->max);
		return GA_ELIMIT;
	}
	return 0;
}

static int exchange(ga_agent *a, pid_t pid, int to, int from, const ga_buf *req,
                    ga_buf *out)
{
	uint64_t termed_ms = 0;
	size_t sent = 0;
	int err = 0;

	while (from >= 0) {
		struct pollfd p[2] = {{from, POLLIN, 0}, {to, POLLOUT, 0}};

		forward_stop(a, pid, &termed_ms);
		if (poll(p, to >= 0 ? 2 : 1, POLL_SLICE_MS) <= 0)
			continue;
		if (to >= 0 && p[1].revents)
			feed(&to, req, &sent);
		if (p[0].revents && (err = drain(&from, out)) < 0) {
			(void)kill(pid, SIGKILL);
			break;
		}
	}
	close_fd(&to);
	close_fd(&from);
	return err;
}

/* Wait for the child; its peak memory goes to the metrics. */
static int reap(ga_agent *a, pid_t pid, int *status)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, status, 0, &ru) < 0) {
		if (errno != EINTR) {
			ga_error_set_os(errno, "source process: wait");
			return GA_EIO;
		}
	}
	ga_serve_set_source_rss(a->serve, (uint64_t)ru.ru_maxrss * 1024);
	return 0;
}

/* The child's exit, as a message, when it did not end normally. */
static int check_exit(int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		ga_error_set(GA_ERRCLASS_OS,
		             "source process: killed by signal %d",
		             WTERMSIG(status));
	else
		ga_error_set(GA_ERRCLASS_OS,
		             "source process: exited with status %d (its log "
		             "says why)",
		             WEXITSTATUS(status));
	return GA_EIO;
}

int ga_source_run(ga_agent *a, ga_source_op op, ga_source_result *res)
{
	ga_buf req = GA_BUF_INIT(GA_SOURCE_REQUEST_MAX);
	ga_buf out = GA_BUF_INIT(ANSWER_MAX);
	int to[2] = {-1, -1}, from[2] = {-1, -1};
	pid_t pid = -1;
	int status = 0, err, xerr;

	memset(res, 0, sizeof(*res));
	res->yaml = (ga_buf)GA_BUF_INIT(0);
	if ((err = request(a, op, &req)) < 0 ||
	    (err = spawn(a, &pid, to, from)) < 0)
		goto out;
	xerr = exchange(a, pid, to[1], from[0], &req, &out);
	to[1] = from[0] = -1; /* closed by exchange */
	if ((err = reap(a, pid, &status)) < 0)
		goto out;
	if ((err = xerr) < 0 || (err = check_exit(status)) < 0)
		goto out;
	err = ga_source_answer_read(res, &out);
out:
	close_fd(&to[0]);
	close_fd(&to[1]);
	close_fd(&from[0]);
	close_fd(&from[1]);
	ga_buf_dispose(&req);
	ga_buf_dispose(&out);
	return err;
}
