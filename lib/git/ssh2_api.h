/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the libssh2 functions lib/git calls (ssh.c), filled when the
 * first ssh:// poll loads libssh2 (util/dl.h says why the agent links no
 * network library).  Only ssh2.c includes this header alone; ssh.c
 * includes ssh2.h, which routes every call through the table.
 */
#ifndef GA_GIT_SSH2_API_H
#define GA_GIT_SSH2_API_H

#include <libssh2.h>

#define GA_SSH2_FUNCS(X)                                                       \
	X(libssh2_channel_close)                                               \
	X(libssh2_channel_free)                                                \
	X(libssh2_channel_open_ex)                                             \
	X(libssh2_channel_process_startup)                                     \
	X(libssh2_channel_read_ex)                                             \
	X(libssh2_channel_write_ex)                                            \
	X(libssh2_init)                                                        \
	X(libssh2_session_block_directions)                                    \
	X(libssh2_session_disconnect_ex)                                       \
	X(libssh2_session_free)                                                \
	X(libssh2_session_handshake)                                           \
	X(libssh2_session_hostkey)                                             \
	X(libssh2_session_init_ex)                                             \
	X(libssh2_session_last_errno)                                          \
	X(libssh2_session_last_error)                                          \
	X(libssh2_session_set_blocking)                                        \
	X(libssh2_userauth_authenticated)                                      \
	X(libssh2_userauth_list)                                               \
	X(libssh2_userauth_publickey_fromfile_ex)

struct ga_ssh2_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_SSH2_PTR(f) __typeof__(f) *f;
	GA_SSH2_FUNCS(GA_SSH2_PTR)
#undef GA_SSH2_PTR
};

extern struct ga_ssh2_api ga_ssh2__api;

/*
 * Load libssh2, fill the table and initialise the library, once per
 * process; later calls repeat the outcome.  Returns 0 or GA_EUNSUPPORTED
 * (message set).
 */
int ga_ssh2__init(void);

#endif
