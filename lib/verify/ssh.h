/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SSH signatures for git's gpg.format=ssh: the SSH wire encoding (RFC 4251
 * §5), OpenSSH public keys, the sshsig blob (OpenSSH PROTOCOL.sshsig) and
 * allowed-signers files (ssh-keygen(1)).  Internal to lib/verify/; the
 * public face is ga/verify.h.
 */
#ifndef GA_VERIFY_SSH_H
#define GA_VERIFY_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/buf.h"
#include "ga/verify.h"

/* The largest public key blob we accept (a 16384-bit RSA key is ~2 KiB). */
#define GA_SSH_KEY_MAX 4096
/* Room for "SHA256:" and 43 base64 characters, NUL included. */
#define GA_SSH_FP_SIZE 51
/* Caps on an allowed-signers or authorized_keys text. */
#define GA_SSH_SIGNERS_TEXT_MAX ((size_t)1 << 20)
#define GA_SSH_SIGNERS_MAX 4096

/* A byte string inside a buffer someone else owns. */
typedef struct ga_ssh_str {
	const unsigned char *p;
	size_t len;
} ga_ssh_str;

/* A cursor over SSH wire data; reads advance it only on success. */
typedef struct ga_ssh_reader {
	const unsigned char *p;
	size_t len;
} ga_ssh_reader;

int ga_ssh__read_u32(ga_ssh_reader *r, uint32_t *out);
int ga_ssh__read_string(ga_ssh_reader *r, ga_ssh_str *out);
bool ga_ssh__str_eq(ga_ssh_str s, const char *text);

/* A parsed sshsig: the decoded blob and views into it. */
typedef struct ga_sshsig {
	ga_buf blob;
	ga_ssh_str pubkey;    /* the signer's public key blob */
	ga_ssh_str nspace;    /* "git" for git */
	ga_ssh_str hash_alg;  /* "sha256" or "sha512" */
	ga_ssh_str reserved;  /* signed along, otherwise unused */
	ga_ssh_str signature; /* string sigtype, string sigdata */
} ga_sshsig;

#define GA_SSHSIG_INIT                                                         \
	{                                                                      \
		GA_BUF_INIT(GA_VERIFY_SIGNATURE_MAX), {0}, {0}, {0}, {0},      \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/*
 * Parse the armored signature at @text ("-----BEGIN SSH SIGNATURE-----",
 * base64 lines, "-----END SSH SIGNATURE-----", optional line breaks).  On
 * failure @out holds nothing of use, but must still be disposed.  Returns
 * 0, GA_EINVALID (message says what is wrong), GA_EUNSUPPORTED (another
 * sshsig version), GA_ELIMIT or GA_ENOMEM.
 */
int ga_sshsig_parse(ga_sshsig *out, const char *text, size_t len);
void ga_sshsig_dispose(ga_sshsig *sig);

/*
 * Check that @sig signs the @len bytes at @msg in namespace @nspace with
 * the key inside it.  Returns 0, GA_EVERIFY (wrong namespace, signature
 * does not match), GA_EUNSUPPORTED (key, signature or hash kind we do not
 * check), GA_EINVALID (malformed key or signature blob) or GA_ENOMEM.
 */
int ga_sshsig_verify(const ga_sshsig *sig, const void *msg, size_t len,
                     const char *nspace);

/*
 * Check the SSH signature blob @sig (string type, string data) over the
 * @len bytes at @data with the public key blob @key.  Same returns as
 * ga_sshsig_verify().
 */
int ga_ssh__verify_blob(ga_ssh_str key, ga_ssh_str sig, const void *data,
                        size_t len);

/* "SHA256:" and the unpadded base64 SHA-256 of @key, as ssh-keygen -l. */
void ga_ssh__fingerprint(char out[GA_SSH_FP_SIZE], ga_ssh_str key);

/* One allowed key. */
typedef struct ga_ssh_signer {
	char *principals; /* pattern list; NULL for an authorized_keys line */
	char *comment;    /* text after the key; NULL if none */
	char *nspaces;    /* namespaces="..." pattern list; NULL: any */
	int64_t valid_after;  /* INT64_MIN when not given */
	int64_t valid_before; /* INT64_MAX when not given */
	unsigned char *key;   /* the decoded public key blob */
	size_t key_len;
} ga_ssh_signer;

typedef struct ga_ssh_signers {
	ga_ssh_signer *v;
	size_t n, cap;
} ga_ssh_signers;

/*
 * Append the keys of an allowed-signers text (@with_principals) or of
 * authorized_keys-style lines (!@with_principals) to @list; @origin names
 * the text in messages ("FILE:LINE: ...").  On failure nothing is added.
 * Returns 0, GA_EINVALID, GA_EUNSUPPORTED (cert-authority, key options),
 * GA_ELIMIT or GA_ENOMEM.
 */
int ga_ssh__parse_signers(ga_ssh_signers *list, const char *text, size_t len,
                          const char *origin, bool with_principals);
void ga_ssh__signers_dispose(ga_ssh_signers *list);

/*
 * Whether @name matches the comma-separated pattern list @list (OpenSSH
 * match_pattern_list: '*' and '?' wildcards, '!' negates and wins).
 */
bool ga_ssh__match_list(const char *name, const char *list);

#endif
