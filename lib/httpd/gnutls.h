/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GnuTLS for lib/httpd/pki.c: its API as declared by its headers, every
 * function called through the table gnutls_api.h declares, so that GnuTLS
 * is loaded only when certificates are made (ga_gnutls__load()).  A call
 * keeps its name.
 */
#ifndef GA_HTTPD_GNUTLS_H
#define GA_HTTPD_GNUTLS_H

#include "gnutls_api.h"

#define gnutls_strerror (ga_gnutls__api.gnutls_strerror)
#define gnutls_x509_crt_deinit (ga_gnutls__api.gnutls_x509_crt_deinit)
#define gnutls_x509_crt_export (ga_gnutls__api.gnutls_x509_crt_export)
#define gnutls_x509_crt_get_key_id (ga_gnutls__api.gnutls_x509_crt_get_key_id)
#define gnutls_x509_crt_init (ga_gnutls__api.gnutls_x509_crt_init)
#define gnutls_x509_crt_set_activation_time                                    \
	(ga_gnutls__api.gnutls_x509_crt_set_activation_time)
#define gnutls_x509_crt_set_authority_key_id                                   \
	(ga_gnutls__api.gnutls_x509_crt_set_authority_key_id)
#define gnutls_x509_crt_set_basic_constraints                                  \
	(ga_gnutls__api.gnutls_x509_crt_set_basic_constraints)
#define gnutls_x509_crt_set_dn (ga_gnutls__api.gnutls_x509_crt_set_dn)
#define gnutls_x509_crt_set_expiration_time                                    \
	(ga_gnutls__api.gnutls_x509_crt_set_expiration_time)
#define gnutls_x509_crt_set_key (ga_gnutls__api.gnutls_x509_crt_set_key)
#define gnutls_x509_crt_set_key_purpose_oid                                    \
	(ga_gnutls__api.gnutls_x509_crt_set_key_purpose_oid)
#define gnutls_x509_crt_set_key_usage                                          \
	(ga_gnutls__api.gnutls_x509_crt_set_key_usage)
#define gnutls_x509_crt_set_serial (ga_gnutls__api.gnutls_x509_crt_set_serial)
#define gnutls_x509_crt_set_subject_alt_name                                   \
	(ga_gnutls__api.gnutls_x509_crt_set_subject_alt_name)
#define gnutls_x509_crt_set_subject_key_id                                     \
	(ga_gnutls__api.gnutls_x509_crt_set_subject_key_id)
#define gnutls_x509_crt_set_version (ga_gnutls__api.gnutls_x509_crt_set_version)
#define gnutls_x509_crt_sign2 (ga_gnutls__api.gnutls_x509_crt_sign2)
#define gnutls_x509_privkey_deinit (ga_gnutls__api.gnutls_x509_privkey_deinit)
#define gnutls_x509_privkey_export_pkcs8                                       \
	(ga_gnutls__api.gnutls_x509_privkey_export_pkcs8)
#define gnutls_x509_privkey_generate                                           \
	(ga_gnutls__api.gnutls_x509_privkey_generate)
#define gnutls_x509_privkey_init (ga_gnutls__api.gnutls_x509_privkey_init)

#endif
