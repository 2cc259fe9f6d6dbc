/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Throw-away X.509 certificates for loopback test servers (RFC 5280
 * profile as Go's crypto/x509 verifies it, since kubectl and client-go are
 * the clients): a self-signed CA with basicConstraints CA:TRUE and
 * keyCertSign, and a server certificate it signs with subjectAltName IP
 * 127.0.0.1 and DNS localhost, extKeyUsage serverAuth.  Keys are ECDSA
 * P-256: generating one takes microseconds where RSA takes a noticeable
 * fraction of a second, which matters under valgrind.
 */
#include "ga/httpd.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "gnutls.h"

/* PEM of a P-256 key or a small certificate is well under this. */
#define PEM_MAX 8192

/* Record a GnuTLS failure of @what; returns GA_ERROR. */
static int tls_fail(int rc, const char *what)
{
	ga_error_set(GA_ERRCLASS_HTTP, "certificate generation: %s: %s", what,
	             gnutls_strerror(rc));
	return GA_ERROR;
}

static int new_key(gnutls_x509_privkey_t *out)
{
	gnutls_x509_privkey_t key = NULL;
	int rc;

	if ((rc = gnutls_x509_privkey_init(&key)) < 0)
		return tls_fail(rc, "key init");
	rc = gnutls_x509_privkey_generate(
	    key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (rc < 0) {
		gnutls_x509_privkey_deinit(key);
		return tls_fail(rc, "key generation");
	}
	*out = key;
	return 0;
}

/*
 * The fields both certificates share: version 3, a random positive
 * serial, validity from an hour ago (clock skew between processes is
 * nil on loopback, but a fresh certificate must never be "not yet
 * valid"), the subject @dn and the public key of @key.
 */
static int set_common(gnutls_x509_crt_t crt, const char *dn,
                      gnutls_x509_privkey_t key, unsigned days)
{
	unsigned char serial[16];
	unsigned char id[64];
	size_t idlen = sizeof(id);
	time_t now = time(NULL);
	const char *bad = NULL;
	int rc;

	if (getrandom(serial, sizeof(serial), 0) != (ssize_t)sizeof(serial)) {
		ga_error_set_os(errno, "certificate serial");
		return GA_EIO;
	}
	serial[0] &= 0x7f; /* DER integers are signed: keep it positive */
	serial[0] |= 0x01; /* and without a leading zero byte */
	if ((rc = gnutls_x509_crt_set_version(crt, 3)) < 0)
		return tls_fail(rc, "version");
	if ((rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0)
		return tls_fail(rc, "serial");
	if ((rc = gnutls_x509_crt_set_activation_time(crt, now - 3600)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(
	         crt, now + (time_t)days * 86400)) < 0)
		return tls_fail(rc, "validity");
	if ((rc = gnutls_x509_crt_set_dn(crt, dn, &bad)) < 0)
		return tls_fail(rc, "subject");
	if ((rc = gnutls_x509_crt_set_key(crt, key)) < 0)
		return tls_fail(rc, "public key");
	if ((rc = gnutls_x509_crt_get_key_id(crt, 0, id, &idlen)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_key_id(crt, id, idlen)) < 0)
		return tls_fail(rc, "subject key id");
	return 0;
}

static int make_ca(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
                   unsigned days)
{
	int rc, err;

	if ((err = set_common(crt, "CN=gitops-agent test CA", key, days)) < 0)
		return err;
	if ((rc = gnutls_x509_crt_set_basic_constraints(crt, 1, 0)) < 0)
		return tls_fail(rc, "basic constraints");
	if ((rc = gnutls_x509_crt_set_key_usage(
	         crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN |
	                  GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0)
		return tls_fail(rc, "key usage");
	if ((rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0)) <
	    0)
		return tls_fail(rc, "CA signature");
	return 0;
}

static int make_server(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
                       gnutls_x509_crt_t ca, gnutls_x509_privkey_t ca_key,
                       unsigned days)
{
	static const unsigned char loopback[4] = {127, 0, 0, 1};
	unsigned char id[64];
	size_t idlen = sizeof(id);
	int rc, err;

	if ((err = set_common(crt, "CN=localhost", key, days)) < 0)
		return err;
	if ((rc = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0)
		return tls_fail(rc, "basic constraints");
	if ((rc = gnutls_x509_crt_set_key_usage(
	         crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0)
		return tls_fail(rc, "key usage");
	if ((rc = gnutls_x509_crt_set_key_purpose_oid(
	         crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0)
		return tls_fail(rc, "extended key usage");
	if ((rc = gnutls_x509_crt_set_subject_alt_name(
	         crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND)) <
	        0 ||
	    (rc = gnutls_x509_crt_set_subject_alt_name(
	         crt, GNUTLS_SAN_IPADDRESS, loopback, sizeof(loopback),
	         GNUTLS_FSAN_APPEND)) < 0)
		return tls_fail(rc, "subject alternative names");
	if ((rc = gnutls_x509_crt_get_key_id(ca, 0, id, &idlen)) < 0 ||
	    (rc = gnutls_x509_crt_set_authority_key_id(crt, id, idlen)) < 0)
		return tls_fail(rc, "authority key id");
	if ((rc = gnutls_x509_crt_sign2(crt, ca, ca_key, GNUTLS_DIG_SHA256,
	                                0)) < 0)
		return tls_fail(rc, "server signature");
	return 0;
}

/* PEM-encode @crt, or @key when @crt is NULL, into a new string. */
static int export_pem(char **out, gnutls_x509_crt_t crt,
                      gnutls_x509_privkey_t key)
{
	char *pem = ga_malloc(PEM_MAX);
	size_t len = PEM_MAX - 1;
	int rc;

	if (!pem)
		return GA_ENOMEM;
	if (crt)
		rc =
		    gnutls_x509_crt_export(crt, GNUTLS_X509_FMT_PEM, pem, &len);
	else
		rc = gnutls_x509_privkey_export_pkcs8(key, GNUTLS_X509_FMT_PEM,
		                                      NULL, GNUTLS_PKCS_PLAIN,
		                                      pem, &len);
	if (rc < 0) {
		ga_free(pem);
		return tls_fail(rc, "PEM export");
	}
	pem[len < PEM_MAX ? len : PEM_MAX - 1] = '\0';
	*out = pem;
	return 0;
}

int ga_httpd_pki_generate(ga_httpd_pki *out, unsigned days)
{
	gnutls_x509_privkey_t ca_key = NULL, key = NULL;
	gnutls_x509_crt_t ca = NULL, crt = NULL;
	ga_httpd_pki pki = GA_HTTPD_PKI_INIT;
	int rc, err;

	if ((err = ga_gnutls__load()) < 0)
		return err;
	if ((err = new_key(&ca_key)) < 0 || (err = new_key(&key)) < 0)
		goto out;
	if ((rc = gnutls_x509_crt_init(&ca)) < 0 ||
	    (rc = gnutls_x509_crt_init(&crt)) < 0) {
		err = tls_fail(rc, "certificate init");
		goto out;
	}
	if ((err = make_ca(ca, ca_key, days)) < 0 ||
	    (err = make_server(crt, key, ca, ca_key, days)) < 0)
		goto out;
	if ((err = export_pem(&pki.ca_cert_pem, ca, NULL)) < 0 ||
	    (err = export_pem(&pki.cert_pem, crt, NULL)) < 0 ||
	    (err = export_pem(&pki.key_pem, NULL, key)) < 0)
		goto out;
	*out = pki;
	memset(&pki, 0, sizeof(pki));
out:
	ga_httpd_pki_dispose(&pki);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (key)
		gnutls_x509_privkey_deinit(key);
	if (ca_key)
		gnutls_x509_privkey_deinit(ca_key);
	return err;
}

void ga_httpd_pki_dispose(ga_httpd_pki *pki)
{
	ga_free(pki->ca_cert_pem);
	ga_free(pki->cert_pem);
	ga_free(pki->key_pem);
	pki->ca_cert_pem = pki->cert_pem = pki->key_pem = NULL;
}
