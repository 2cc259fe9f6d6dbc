/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the GnuTLS functions lib/httpd calls to make certificates,
 * filled when GnuTLS is loaded on first use (util/dl.h says why).  Only
 * gnutls.c includes this header alone; pki.c includes gnutls.h, which
 * routes every call through the table.
 */
#ifndef GA_HTTPD_GNUTLS_API_H
#define GA_HTTPD_GNUTLS_API_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define GA_GNUTLS_FUNCS(X)                                                     \
	X(gnutls_strerror)                                                     \
	X(gnutls_x509_crt_deinit)                                              \
	X(gnutls_x509_crt_export)                                              \
	X(gnutls_x509_crt_get_key_id)                                          \
	X(gnutls_x509_crt_init)                                                \
	X(gnutls_x509_crt_set_activation_time)                                 \
	X(gnutls_x509_crt_set_authority_key_id)                                \
	X(gnutls_x509_crt_set_basic_constraints)                               \
	X(gnutls_x509_crt_set_dn)                                              \
	X(gnutls_x509_crt_set_expiration_time)                                 \
	X(gnutls_x509_crt_set_key)                                             \
	X(gnutls_x509_crt_set_key_purpose_oid)                                 \
	X(gnutls_x509_crt_set_key_usage)                                       \
	X(gnutls_x509_crt_set_serial)                                          \
	X(gnutls_x509_crt_set_subject_alt_name)                                \
	X(gnutls_x509_crt_set_subject_key_id)                                  \
	X(gnutls_x509_crt_set_version)                                         \
	X(gnutls_x509_crt_sign2)                                               \
	X(gnutls_x509_privkey_deinit)                                          \
	X(gnutls_x509_privkey_export_pkcs8)                                    \
	X(gnutls_x509_privkey_generate)                                        \
	X(gnutls_x509_privkey_init)

struct ga_gnutls_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_GNUTLS_PTR(f) __typeof__(f) *f;
	GA_GNUTLS_FUNCS(GA_GNUTLS_PTR)
#undef GA_GNUTLS_PTR
};

extern struct ga_gnutls_api ga_gnutls__api;

/*
 * Load GnuTLS and fill the table, once per process; later calls repeat
 * the outcome.  Returns 0 or GA_EUNSUPPORTED (message set).
 */
int ga_gnutls__load(void);

#endif
