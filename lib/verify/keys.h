/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inside of a key set, shared by keys.c (loading) and policy.c
 * (deciding).
 */
#ifndef GA_VERIFY_KEYS_H
#define GA_VERIFY_KEYS_H

#include "ga/verify.h"
#include "pgp/pgp.h"
#include "verify/ssh.h"

/* The most files ga_verify_keys_load_dir() reads from one directory. */
#define GA_VERIFY_KEY_FILES_MAX 1024

struct ga_verify_keys {
	ga_pgp *pgp;        /* OpenPGP public keys */
	ga_ssh_signers ssh; /* SSH keys, with or without principals */
};

#endif
