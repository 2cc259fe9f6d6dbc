/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenPGP (RFC 4880) detached signatures over librnp, the only place that
 * calls it.  librnp rather than GPGME: it is a library, not a driver for a
 * gpg process with its own home directory and agent, so a key set is a
 * plain in-memory keyring and verification needs no files or daemons.
 *
 * How a signature maps to a reason: a key that is not in the keyring is
 * UnknownKey; a revoked signing key or primary key is RevokedKey; a key
 * whose validity ended before @now, or a signature that expired, is
 * ExpiredKey (git, too, fails on gpg's EXPKEYSIG); a signature that does
 * not match is BadSignature.  With several signatures, one good one is
 * enough; otherwise the first one's reason is reported.
 *
 * A known wart: Debian's librnp 0.16 is built with its internal RNP_LOG
 * switched on, so a failed check prints a line such as
 * "[signature_validate() ...] wrong lbits" on stderr.  librnp offers no
 * call to turn that off (rnp_ffi_set_log_fd() covers other messages, and
 * RNP_LOG_CONSOLE=0 is ignored by that build), and redirecting file
 * descriptor 2 is not ours to do in a multi-threaded daemon.  The lines
 * carry no secrets; the verdict and its message come from here.
 */
#include "pgp/pgp.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "rnp.h"

struct ga_pgp {
	rnp_ffi_t ffi;
};

static int rnp_fail(rnp_result_t rc, const char *what)
{
	if (rc == RNP_ERROR_OUT_OF_MEMORY) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	ga_error_set(GA_ERRCLASS_VERIFY, "openpgp: %s: %s", what,
	             rnp_result_to_string(rc));
	return GA_ERROR;
}

/* librnp refused our input: malformed, unless memory ran out. */
static int bad_input(rnp_result_t rc, const char *origin, const char *what)
{
	if (rc == RNP_ERROR_OUT_OF_MEMORY) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	ga_error_set(GA_ERRCLASS_VERIFY, "%s: %s: %s", origin, what,
	             rnp_result_to_string(rc));
	return GA_EINVALID;
}

int ga_pgp_new(ga_pgp **out)
{
	ga_pgp *pgp = ga_calloc(1, sizeof(*pgp));
	rnp_result_t rc;
	int err;

	if (!pgp)
		return GA_ENOMEM;
	if ((err = ga_rnp__load()) < 0) {
		ga_free(pgp);
		return err;
	}
	if ((rc = rnp_ffi_create(&pgp->ffi, RNP_KEYSTORE_GPG,
	                         RNP_KEYSTORE_GPG)) != RNP_SUCCESS) {
		ga_free(pgp);
		return rnp_fail(rc, "cannot create a keyring");
	}
	*out = pgp;
	return 0;
}

void ga_pgp_free(ga_pgp *pgp)
{
	if (!pgp)
		return;
	(void)rnp_ffi_destroy(pgp->ffi);
	ga_free(pgp);
}

size_t ga_pgp_count(const ga_pgp *pgp)
{
	size_t n = 0;

	if (rnp_get_public_key_count(pgp->ffi, &n) != RNP_SUCCESS)
		return 0;
	return n;
}

int ga_pgp_import(ga_pgp *pgp, const void *data, size_t len, const char *origin)
{
	rnp_input_t in = NULL;
	size_t before = ga_pgp_count(pgp), secret = 0;
	rnp_result_t rc;
	int err = 0;

	if (len > GA_PGP_KEYS_MAX) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "%s: %zu bytes exceed the limit of %zu", origin,
		             len, GA_PGP_KEYS_MAX);
		return GA_ELIMIT;
	}
	if ((rc = rnp_input_from_memory(&in, data, len, false)) ||
	    (rc = rnp_import_keys(pgp->ffi, in,
	                          RNP_LOAD_SAVE_PUBLIC_KEYS |
	                              RNP_LOAD_SAVE_SECRET_KEYS,
	                          NULL))) {
		err = bad_input(rc, origin, "not an OpenPGP public key");
		goto out;
	}
	/* A secret key in a trust store is a mistake worth stopping on. */
	if (rnp_get_secret_key_count(pgp->ffi, &secret) == RNP_SUCCESS &&
	    secret) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "%s: holds a secret key; give public keys only",
		             origin);
		err = GA_EINVALID;
		goto out;
	}
	if (ga_pgp_count(pgp) == before) {
		ga_error_set(GA_ERRCLASS_VERIFY, "%s: no new public key in it",
		             origin);
		err = GA_EINVALID;
	}
out:
	(void)rnp_input_destroy(in);
	return err;
}

static void copy_out(char *dst, size_t size, const char *src)
{
	(void)snprintf(dst, size, "%s", src ? src : "");
}

/* The primary key of @key (itself if it is one); NULL on failure. */
static rnp_key_handle_t primary_of(ga_pgp *pgp, rnp_key_handle_t key)
{
	rnp_key_handle_t primary = NULL;
	char *grip = NULL;
	bool is_primary = false;

	if (rnp_key_is_primary(key, &is_primary) != RNP_SUCCESS)
		return NULL;
	if (is_primary)
		return key;
	if (rnp_key_get_primary_grip(key, &grip) == RNP_SUCCESS && grip)
		(void)rnp_locate_key(pgp->ffi, "grip", grip, &primary);
	rnp_buffer_destroy(grip);
	return primary;
}

static bool flag(rnp_result_t (*fn)(rnp_key_handle_t, bool *),
                 rnp_key_handle_t key)
{
	bool v = false;

	return key && fn(key, &v) == RNP_SUCCESS && v;
}

/* Expired at @now: the key's own expiry, or its primary's. */
static bool expired_at(rnp_key_handle_t key, int64_t now)
{
	uint64_t till = 0;

	if (!key || rnp_key_valid_till64(key, &till) != RNP_SUCCESS)
		return false;
	return till != UINT64_MAX && (int64_t)till < now &&
	       !flag(rnp_key_is_revoked, key);
}

/* The reason for one signature whose signing key is @key. */
static ga_verify_reason judge(rnp_result_t status, rnp_key_handle_t key,
                              rnp_key_handle_t primary, int64_t now)
{
	if (flag(rnp_key_is_revoked, key) || flag(rnp_key_is_revoked, primary))
		return GA_VERIFY_REVOKED_KEY;
	if (expired_at(key, now) || expired_at(primary, now) ||
	    status == RNP_ERROR_SIGNATURE_EXPIRED)
		return GA_VERIFY_EXPIRED_KEY;
	if (status == RNP_SUCCESS)
		return GA_VERIFY_OK;
	if (status == RNP_ERROR_KEY_NOT_FOUND)
		return GA_VERIFY_UNKNOWN_KEY;
	return GA_VERIFY_BAD_SIGNATURE;
}

/* The key id a signature names, for an UnknownKey report. */
static void signature_keyid(rnp_op_verify_signature_t sig,
                            ga_verify_result *res)
{
	rnp_signature_handle_t handle = NULL;
	char *id = NULL;

	if (rnp_op_verify_signature_get_handle(sig, &handle) != RNP_SUCCESS)
		return;
	if (rnp_signature_get_key_fprint(handle, &id) != RNP_SUCCESS || !id)
		(void)rnp_signature_get_keyid(handle, &id);
	copy_out(res->key, sizeof(res->key), id);
	rnp_buffer_destroy(id);
	(void)rnp_signature_handle_destroy(handle);
}

static void describe_one(ga_pgp *pgp, rnp_op_verify_signature_t sig,
                         int64_t now, ga_verify_result *res)
{
	rnp_key_handle_t key = NULL, primary = NULL;
	rnp_result_t status = rnp_op_verify_signature_get_status(sig);
	char *fpr = NULL, *uid = NULL;

	res->key[0] = res->signer[0] = '\0';
	if (rnp_op_verify_signature_get_key(sig, &key) != RNP_SUCCESS || !key) {
		res->reason = GA_VERIFY_UNKNOWN_KEY;
		signature_keyid(sig, res);
		return;
	}
	primary = primary_of(pgp, key);
	res->reason = judge(status, key, primary, now);
	if (primary && rnp_key_get_fprint(primary, &fpr) == RNP_SUCCESS)
		copy_out(res->key, sizeof(res->key), fpr);
	if (primary && rnp_key_get_primary_uid(primary, &uid) == RNP_SUCCESS)
		copy_out(res->signer, sizeof(res->signer), uid);
	rnp_buffer_destroy(fpr);
	rnp_buffer_destroy(uid);
	if (primary && primary != key)
		(void)rnp_key_handle_destroy(primary);
	(void)rnp_key_handle_destroy(key);
}

static int run_verify(ga_pgp *pgp, rnp_op_verify_t op, int64_t now,
                      ga_verify_result *res)
{
	ga_verify_result one;
	size_t n = 0;

	(void)rnp_op_verify_execute(op);
	if (rnp_op_verify_get_signature_count(op, &n) != RNP_SUCCESS || !n) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "openpgp: no signature in the armored block");
		return GA_EINVALID;
	}
	for (size_t i = 0; i < n; i++) {
		rnp_op_verify_signature_t sig = NULL;

		if (rnp_op_verify_get_signature_at(op, i, &sig) != RNP_SUCCESS)
			continue;
		one = *res;
		describe_one(pgp, sig, now, &one);
		if (i == 0 || one.reason == GA_VERIFY_OK)
			*res = one;
		if (one.reason == GA_VERIFY_OK)
			break;
	}
	return 0;
}

int ga_pgp_verify(ga_pgp *pgp, const void *data, size_t len, const void *sig,
                  size_t sig_len, int64_t now, ga_verify_result *res)
{
	rnp_input_t in_data = NULL, in_sig = NULL;
	rnp_op_verify_t op = NULL;
	rnp_result_t rc;
	int err;

	res->format = GA_SIG_OPENPGP;
	/* librnp judges key validity at its own notion of "now". */
	(void)rnp_set_timestamp(pgp->ffi, (uint64_t)now);
	if ((rc = rnp_input_from_memory(&in_data, data, len, false)) ||
	    (rc = rnp_input_from_memory(&in_sig, sig, sig_len, false)) ||
	    (rc = rnp_op_verify_detached_create(&op, pgp->ffi, in_data,
	                                        in_sig))) {
		err = bad_input(rc, "openpgp", "cannot read the signature");
		goto out;
	}
	err = run_verify(pgp, op, now, res);
out:
	(void)rnp_op_verify_destroy(op);
	(void)rnp_input_destroy(in_sig);
	(void)rnp_input_destroy(in_data);
	return err;
}
