/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared internals of the Git source module: the mirror handle, the error
 * translation from libgit2, and the per-poll network state that the
 * libgit2 callbacks read (deadline, cancellation, credentials).
 */
#ifndef GA_GIT_INT_H
#define GA_GIT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ga/buf.h"
#include "ga/git.h"
#include "git2.h"

/* Secrets of one poll, read from their files just before use and wiped
 * afterwards. */
typedef struct ga_git__secrets {
	char *password;
	char *token;
	char *passphrase;
	char *auth_header; /* "Authorization: Bearer <token>" */
} ga_git__secrets;

struct ga_git_mirror {
	git_repository *repo;
	char *path;     /* <cache>/<hash>.git */
	char *redacted; /* the URL as messages show it */
	char *userinfo; /* the URL's "user:secret", scrubbed from messages */
	ga_git_opts opts;
	unsigned port;   /* of the URL, for known_hosts lookups */
	bool url_creds;  /* the URL carries a password */
	bool own_stream; /* git://, http(s)://: our TCP stream (stream.c) */
	bool ssh;        /* ssh://: our subtransport (ssh.c) */
	/* Network state of the operation in progress. */
	uint64_t deadline_ms; /* 0: none */
	bool timed_out;
	bool cancelled;
	int cred_calls;
	int refusal;        /* GA_EAUTH or GA_EVERIFY set by a callback */
	ga_buf refusal_msg; /* why the callback refused */
	ga_git__secrets secrets;
};

/*
 * Translate libgit2's last error after @gerr into a GA_E* code with the
 * message "<what>: <libgit2's message>", scrubbed of the mirror's secrets
 * and of user information in URLs.  @m may be NULL.
 */
int ga_git__fail(ga_git_mirror *m, int gerr, const char *what);

/* Parse 40 hex digits into @oid; GA_EINVALID with a message otherwise. */
int ga_git__oid_parse(git_oid *oid, const char *hex);

/* Process-wide libgit2 initialisation, once.  Returns 0 or GA_ERROR. */
int ga_git__init(void);

struct ga_git__head;

/*
 * The network half (remote.c).  ga_git__net_begin() reads the secrets,
 * starts the deadline and takes the process-wide network lock;
 * ga_git__net_end() wipes the secrets and releases it.
 */
int ga_git__net_begin(ga_git_mirror *m);
void ga_git__net_end(ga_git_mirror *m);
void ga_git__callbacks_init(git_remote_callbacks *cb, ga_git_mirror *m);
void ga_git__connect_opts(git_remote_connect_options *co, ga_git_mirror *m);

/* Select @ref among the mirror's own refs (local.c). */
int ga_git__local_heads(struct ga_git__head **out, size_t *n,
                        git_repository *repo);

/* The result for the selected mirror ref @h (local.c). */
int ga_git__fill_result(ga_git_result *out, git_repository *repo,
                        const ga_git_ref *ref, const struct ga_git__head *h);

/* The result for a pinned commit reachable from one of @heads. */
int ga_git__fill_pinned(ga_git_result *out, git_repository *repo,
                        const ga_git_ref *ref, const struct ga_git__head *heads,
                        size_t n);

/* Peel the object @oid to a commit; GA_EINVALID when it is none. */
int ga_git__peel_commit(git_oid *commit, git_repository *repo,
                        const git_oid *oid);

/*
 * Make libgit2 open TCP connections through stream.c, honouring @m's
 * deadline and cancellation, until ga_git__stream_uninstall().  Only
 * under the network lock.  Returns 0 or a libgit2 error.
 */
int ga_git__stream_install(ga_git_mirror *m);
void ga_git__stream_uninstall(void);

/*
 * Wait until @fd is ready for @events (poll(2) events), in short slices
 * so that @m's deadline and cancellation flag are honoured.  Returns 0,
 * or -1 with libgit2's error set and m->timed_out or m->cancelled marked
 * (or a poll failure).
 */
int ga_git__wait_fd(ga_git_mirror *m, int fd, short events);

/*
 * Connect a non-blocking TCP socket to @host:@port (each address in
 * turn) within @m's deadline; *@out is the socket, or -1.  Returns 0 or
 * -1 with libgit2's error set.
 */
int ga_git__tcp_connect(int *out, ga_git_mirror *m, const char *host,
                        const char *port);

/*
 * Make libgit2 reach ssh:// remotes through ssh.c (libssh2 on our own
 * socket, host key checked against @m's known_hosts, public-key login)
 * until ga_git__ssh_uninstall().  Only under the network lock.  Returns 0
 * or a GA_E* code with the message set.
 */
int ga_git__ssh_install(ga_git_mirror *m);
void ga_git__ssh_uninstall(void);

/* Record why a poll was refused (GA_EAUTH or GA_EVERIFY): it becomes the
 * poll's error, whatever libgit2 reports. */
void ga_git__refuse(ga_git_mirror *m, int code, const char *msg);

#endif
