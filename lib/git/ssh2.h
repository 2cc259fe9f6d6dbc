/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libssh2 for lib/git/ssh.c: its API as declared by its headers, every
 * function called through the table ssh2_api.h declares, so that libssh2
 * is loaded only when an ssh:// remote is first polled.  A call keeps its
 * name; libssh2's convenience macros (libssh2_channel_read() and the
 * like) expand to the _ex functions and so go through the table too.
 */
#ifndef GA_GIT_SSH2_H
#define GA_GIT_SSH2_H

#include "ssh2_api.h"

#define libssh2_channel_close (ga_ssh2__api.libssh2_channel_close)
#define libssh2_channel_free (ga_ssh2__api.libssh2_channel_free)
#define libssh2_channel_open_ex (ga_ssh2__api.libssh2_channel_open_ex)
#define libssh2_channel_process_startup                                        \
	(ga_ssh2__api.libssh2_channel_process_startup)
#define libssh2_channel_read_ex (ga_ssh2__api.libssh2_channel_read_ex)
#define libssh2_channel_write_ex (ga_ssh2__api.libssh2_channel_write_ex)
#define libssh2_init (ga_ssh2__api.libssh2_init)
#define libssh2_session_block_directions                                       \
	(ga_ssh2__api.libssh2_session_block_directions)
#define libssh2_session_disconnect_ex                                          \
	(ga_ssh2__api.libssh2_session_disconnect_ex)
#define libssh2_session_free (ga_ssh2__api.libssh2_session_free)
#define libssh2_session_handshake (ga_ssh2__api.libssh2_session_handshake)
#define libssh2_session_hostkey (ga_ssh2__api.libssh2_session_hostkey)
#define libssh2_session_init_ex (ga_ssh2__api.libssh2_session_init_ex)
#define libssh2_session_last_errno (ga_ssh2__api.libssh2_session_last_errno)
#define libssh2_session_last_error (ga_ssh2__api.libssh2_session_last_error)
#define libssh2_session_set_blocking (ga_ssh2__api.libssh2_session_set_blocking)
#define libssh2_userauth_authenticated                                         \
	(ga_ssh2__api.libssh2_userauth_authenticated)
#define libssh2_userauth_list (ga_ssh2__api.libssh2_userauth_list)
#define libssh2_userauth_publickey_fromfile_ex                                 \
	(ga_ssh2__api.libssh2_userauth_publickey_fromfile_ex)

#endif
