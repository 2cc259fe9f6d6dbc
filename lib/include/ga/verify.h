/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signature verification of Git commits and tags.  The input is the raw
 * object as `git cat-file commit|tag X` prints it; the payload and the
 * signature are cut out of it exactly as git does, and the signature is
 * checked against a caller-built set of allowed keys: armored OpenPGP
 * public keys, and SSH public keys given as authorized_keys-style lines or
 * an allowed-signers file (ssh-keygen(1), git's
 * gpg.ssh.allowedSignersFile).  X.509 (gpgsm) signatures are refused as
 * unsupported.  A key set is owned by its creator and is not thread-safe
 * (its OpenPGP keyring is librnp's, which is not): use one key set per
 * thread.  Object parsing is thread-safe.
 */
#ifndef GA_VERIFY_H
#define GA_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

/** Why an object was or was not accepted; stable, for status and metrics. */
typedef enum ga_verify_reason {
	GA_VERIFY_OK = 0,        /**< signed by an allowed key */
	GA_VERIFY_UNSIGNED,      /**< the object carries no signature */
	GA_VERIFY_UNKNOWN_KEY,   /**< signed, but not by an allowed key */
	GA_VERIFY_BAD_SIGNATURE, /**< the signature does not match */
	GA_VERIFY_EXPIRED_KEY,   /**< the signing key has expired */
	GA_VERIFY_REVOKED_KEY,   /**< the signing key has been revoked */
	GA_VERIFY_MALFORMED,     /**< the object or signature cannot be read */
	GA_VERIFY_UNSUPPORTED,   /**< a signature or key kind we do not check */
	/*
	 * The two reasons below judge a revision's history, not an object:
	 * only the revision policy (ga/gitverify.h) gives them, never
	 * ga_verify_object().
	 */
	/** the new revision does not descend from the last applied one */
	GA_VERIFY_NON_FAST_FORWARD,
	/** more commits to check than the cap allows; none was checked */
	GA_VERIFY_RANGE_TOO_LONG,
} ga_verify_reason;

/** What kind of object the bytes are. */
typedef enum ga_git_kind {
	GA_GIT_ANY = 0, /**< decide from the first header (tree/object) */
	GA_GIT_COMMIT,
	GA_GIT_TAG,
} ga_git_kind;

/** The repository's object format; picks gpgsig or gpgsig-sha256. */
typedef enum ga_git_hash {
	GA_GIT_SHA1 = 0,
	GA_GIT_SHA256,
} ga_git_hash;

/** The kind of signature found. */
typedef enum ga_sig_format {
	GA_SIG_NONE = 0,
	GA_SIG_OPENPGP, /**< -----BEGIN PGP SIGNATURE/MESSAGE----- */
	GA_SIG_SSH,     /**< -----BEGIN SSH SIGNATURE----- */
	GA_SIG_X509,    /**< -----BEGIN SIGNED MESSAGE----- (gpgsm) */
} ga_sig_format;

/** The largest object and signature accepted, in bytes. */
#define GA_VERIFY_OBJECT_MAX ((size_t)16 << 20)
#define GA_VERIFY_SIGNATURE_MAX ((size_t)64 << 10)

/** An object split into what was signed and the signature. */
typedef struct ga_signed_object {
	ga_git_kind kind;     /**< GA_GIT_COMMIT or GA_GIT_TAG */
	ga_sig_format format; /**< GA_SIG_NONE when unsigned */
	ga_buf payload;       /**< the signed bytes */
	ga_buf signature;     /**< the armored signature; empty if unsigned */
	int64_t time;         /**< committer/tagger time (s), or -1 */
} ga_signed_object;

#define GA_SIGNED_OBJECT_INIT                                                  \
	{                                                                      \
		GA_GIT_ANY, GA_SIG_NONE, GA_BUF_INIT(GA_VERIFY_OBJECT_MAX),    \
		    GA_BUF_INIT(GA_VERIFY_SIGNATURE_MAX), -1                   \
	}

/** Options of ga_verify_object(). */
typedef struct ga_verify_opts {
	ga_git_kind kind; /**< GA_GIT_ANY by default */
	ga_git_hash hash; /**< GA_GIT_SHA1 by default */
	/** How messages name the object ("commit 1a2b3c"); NULL: the kind. */
	const char *name;
	/** Seconds since the epoch to judge expiry by; 0: the current time. */
	int64_t now;
} ga_verify_opts;

#define GA_VERIFY_OPTS_INIT                                                    \
	{                                                                      \
		GA_GIT_ANY, GA_GIT_SHA1, NULL, 0                               \
	}

/** The outcome of ga_verify_object(). */
typedef struct ga_verify_result {
	ga_verify_reason reason;
	ga_sig_format format;
	/**
	 * The signing key: an OpenPGP primary key fingerprint (40 or 64
	 * uppercase hex digits) or an SSH key fingerprint ("SHA256:" and
	 * unpadded base64).  "" when no key was identified.
	 */
	char key[96];
	/**
	 * Who the key belongs to: the OpenPGP primary user id, or the
	 * principals of the matching allowed-signers line (the comment of an
	 * authorized_keys-style line).  Truncated to fit; "" if unknown.
	 */
	char signer[256];
} ga_verify_result;

/** A set of allowed keys (opaque). */
typedef struct ga_verify_keys ga_verify_keys;

/** The reason's stable name: "OK", "Unsigned", "UnknownKey", ... */
GA_EXTERN const char *ga_verify_reason_name(ga_verify_reason reason);

/**
 * Split the @len bytes at @data into payload and signature as git does:
 * for a commit, the gpgsig header (gpgsig-sha256 for GA_GIT_SHA256) with
 * its continuation lines is the signature and the object without it (and
 * without the other format's header) is the payload; for a tag, the
 * trailing block that starts at the last line beginning with a signature
 * marker is the signature.  @out must be GA_SIGNED_OBJECT_INIT; dispose of
 * it with ga_signed_object_dispose() whatever the result.  An unsigned
 * object is not an error (format GA_SIG_NONE).  Returns 0, GA_EINVALID
 * (not a commit or tag, NUL bytes, a missing end of headers, a signature
 * header in the wrong place), GA_ELIMIT (object or signature too large) or
 * GA_ENOMEM.
 */
GA_EXTERN int ga_signed_object_parse(ga_signed_object *out, const char *data,
                                     size_t len, ga_git_kind kind,
                                     ga_git_hash hash);

/** Release what @obj holds; it may be parsed into again afterwards. */
GA_EXTERN void ga_signed_object_dispose(ga_signed_object *obj);

/**
 * An empty key set.  Returns 0, GA_EINVALID (NULL @out), GA_ENOMEM or
 * GA_ERROR (the OpenPGP library could not start).
 */
GA_EXTERN int ga_verify_keys_new(ga_verify_keys **out);

/** Free @keys; NULL is ignored. */
GA_EXTERN void ga_verify_keys_free(ga_verify_keys *keys);

/**
 * Add the OpenPGP public keys of an armored or binary key blob; @origin
 * names it in messages.  Secret keys are refused.  Returns 0, GA_EINVALID
 * (not a key blob, or no key in it), GA_ELIMIT or GA_ENOMEM.
 */
GA_EXTERN int ga_verify_keys_add_pgp(ga_verify_keys *keys, const void *data,
                                     size_t len, const char *origin);

/**
 * Add SSH public keys given as authorized_keys-style lines ("keytype
 * base64 [comment]"; blank lines and # comments skipped; options are
 * refused).  Such keys may sign for anyone; the comment is reported as the
 * signer.  Returns 0, GA_EINVALID (with the line number), GA_ELIMIT or
 * GA_ENOMEM.
 */
GA_EXTERN int ga_verify_keys_add_ssh(ga_verify_keys *keys, const char *text,
                                     size_t len, const char *origin);

/**
 * Add the lines of an allowed-signers file (ssh-keygen(1) ALLOWED
 * SIGNERS): principals, optional namespaces="...", valid-after="...",
 * valid-before="..." and the key.  Returns 0, GA_EINVALID (with the line
 * number), GA_EUNSUPPORTED (cert-authority), GA_ELIMIT or GA_ENOMEM.
 */
GA_EXTERN int ga_verify_keys_add_allowed_signers(ga_verify_keys *keys,
                                                 const char *text, size_t len,
                                                 const char *origin);

/**
 * Add every key file of the directory @dir: "*.asc" and "*.gpg" as OpenPGP
 * key blobs, "*.pub" as authorized_keys-style lines; other files are
 * ignored.  Returns 0 or the error of the first file that fails (its name
 * prefixed), GA_ENOTFOUND or GA_EIO for the directory itself.
 */
GA_EXTERN int ga_verify_keys_load_dir(ga_verify_keys *keys, const char *dir);

/**
 * Decide whether the object at @data (@len bytes) is signed by a key of
 * @keys.  Fills @res in every case it can (reason, format, key, signer).
 * Returns 0 when the reason is GA_VERIFY_OK; otherwise a negative code with
 * the message starting with the reason's name ("UnknownKey: commit 1a2b:
 * signed by key SHA256:... which is not allowed"): GA_EVERIFY (Unsigned,
 * UnknownKey, BadSignature, ExpiredKey, RevokedKey), GA_EINVALID
 * (Malformed), GA_EUNSUPPORTED (Unsupported), GA_ELIMIT (Malformed: too
 * large) or GA_ENOMEM.  @opts may be NULL for the defaults.
 */
GA_EXTERN int ga_verify_object(ga_verify_result *res,
                               const ga_verify_keys *keys, const char *data,
                               size_t len, const ga_verify_opts *opts);

#endif
