/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict SSH host-key checking against an OpenSSH known_hosts file
 * (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), for ssh.c, which hands it the
 * key the server proved it holds.  Parsed here rather than by libssh2's
 * known-host API: libssh2 1.10 compares host names literally (no "*",
 * "?" or "!" patterns), does not know the "@revoked" marker (such a line
 * would name a host "@revoked", so a revoked key listed elsewhere would
 * still pass) and stops reading a file at its first line it cannot
 * parse.  Pure: no I/O, no libgit2.
 */
#ifndef GA_GIT_KNOWNHOSTS_H
#define GA_GIT_KNOWNHOSTS_H

#include <stddef.h>

/* Cap on a known_hosts file. */
#define GA_GIT_KNOWN_HOSTS_MAX ((size_t)4 << 20)

/*
 * Check the server key @key (the SSH wire blob, as in the base64 field of
 * a known_hosts line) presented by @host on @port against the known_hosts
 * text @text of @len bytes.  Entries name hosts by patterns ("*", "?",
 * "!" negation, comma lists, "[host]:port" for ports other than 22) or by
 * OpenSSH's hashed form "|1|<base64 salt>|<base64 HMAC-SHA1>".  Lines that
 * cannot be parsed and "@cert-authority" lines match nothing.
 *
 * Returns 0 when an entry for the host holds exactly this key; otherwise
 * GA_EVERIFY with the reason: the host is unknown, its key has changed (the
 * host has entries but none with this key), or the key is marked
 * "@revoked".  GA_ENOMEM on allocation failure.
 */
int ga_git__known_hosts_check(const char *text, size_t len, const char *host,
                              unsigned port, const unsigned char *key,
                              size_t key_len);

#endif
