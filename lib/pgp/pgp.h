/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenPGP keyrings and detached-signature checks over librnp, the only
 * folder that calls it.  Internal: lib/verify/ uses it for signatures of
 * Git objects.  A keyring is not thread-safe (librnp's ffi object is not).
 */
#ifndef GA_PGP_H
#define GA_PGP_H

#include <stddef.h>
#include <stdint.h>

#include "ga/verify.h"

/* The largest key blob accepted. */
#define GA_PGP_KEYS_MAX ((size_t)1 << 20)

typedef struct ga_pgp ga_pgp;

/* An empty keyring.  Returns 0, GA_ENOMEM or GA_ERROR. */
int ga_pgp_new(ga_pgp **out);
void ga_pgp_free(ga_pgp *pgp);

/*
 * Import the public keys of an armored or binary blob.  Returns 0,
 * GA_EINVALID (not keys, secret keys, no key), GA_ELIMIT or GA_ENOMEM.
 */
int ga_pgp_import(ga_pgp *pgp, const void *data, size_t len,
                  const char *origin);

/* The number of primary and sub keys imported so far. */
size_t ga_pgp_count(const ga_pgp *pgp);

/*
 * Check the armored detached @sig over @data at time @now (seconds since
 * the epoch).  Fills res->reason (OK, UnknownKey, BadSignature,
 * ExpiredKey, RevokedKey), res->key (the primary key fingerprint, or the
 * signature's key id when the key is unknown) and res->signer (the primary
 * user id).  Returns 0 when a reason was found, GA_EINVALID when @sig holds
 * no OpenPGP signature (message set), GA_ENOMEM or GA_ERROR.
 */
int ga_pgp_verify(ga_pgp *pgp, const void *data, size_t len, const void *sig,
                  size_t sig_len, int64_t now, ga_verify_result *res);

#endif
