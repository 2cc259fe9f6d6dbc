/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict host-key checking against known_hosts text (lib/git/knownhosts.c):
 * plain and hashed host names, ports, patterns and negation, revoked keys,
 * unknown and changed keys.  The keys and the hashed lines were made with
 * ssh-keygen (-t ed25519, then -H over a plain file), so the HMAC-SHA1
 * matching is checked against OpenSSH's own output.
 */
#include "git/knownhosts.h"

#include <string.h>

#include "ga/buf.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "harness.h"
#include "util/base64.h"

#define KEY1                                                                   \
	"AAAAC3NzaC1lZDI1NTE5AAAAIFAfd+fcoRRrZumhzyE2Kx5ncK6RUxK8T3vTiATtBnMd"
#define KEY2                                                                   \
	"AAAAC3NzaC1lZDI1NTE5AAAAIKX+NdyJYPcMTUHK+1+4ZgBj6zKwuRBTZW8BL8h0CnSi"
/* ssh-keygen -H of "example.com KEY1" and "[example.com]:2222 KEY2". */
#define HASHED1 "|1|V+PeCiacHGlp8g0eIhclbijCObg=|kc53y/udQzOQIAUIqxCxedpn+Go="
#define HASHED2 "|1|rkwGk/IUnBR+Dw/Yprg0tb+NzAo=|8RwxxjCYUT4EnoUGeTZkww0Ise8="

static ga_buf key1 = GA_BUF_INIT(1024), key2 = GA_BUF_INIT(1024);

static int check(const char *text, const char *host, unsigned port,
                 const ga_buf *key)
{
	return ga_git__known_hosts_check(text, strlen(text), host, port,
	                                 (const unsigned char *)key->ptr,
	                                 key->size);
}

static void test_plain(void)
{
	const char *kh = "# comment\n\nexample.com ssh-ed25519 " KEY1 " c\n";

	CHECK_OK(check(kh, "example.com", 22, &key1));
	CHECK_OK(check(kh, "EXAMPLE.com", 22, &key1));
	CHECK_ERR(check(kh, "example.com", 22, &key2), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "changed"));
	CHECK_ERR(check(kh, "other.com", 22, &key1), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "unknown host"));
	/* A plain name covers port 22 only, as in ssh(1). */
	CHECK_ERR(check(kh, "example.com", 2222, &key1), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "[example.com]:2222"));
}

static void test_ports_and_lists(void)
{
	const char *kh =
	    "[127.0.0.1]:2222,host.example ssh-ed25519 " KEY1 "\r\n";

	CHECK_OK(check(kh, "127.0.0.1", 2222, &key1));
	CHECK_OK(check(kh, "host.example", 22, &key1));
	CHECK_ERR(check(kh, "127.0.0.1", 22, &key1), GA_EVERIFY);
	CHECK_ERR(check(kh, "127.0.0.1", 2223, &key1), GA_EVERIFY);
}

static void test_patterns(void)
{
	const char *kh = "*.example.com,!bad.example.com ssh-ed25519 " KEY1 "\n"
	                 "git?.example.org ssh-ed25519 " KEY2 "\n";

	CHECK_OK(check(kh, "a.example.com", 22, &key1));
	CHECK_ERR(check(kh, "bad.example.com", 22, &key1), GA_EVERIFY);
	CHECK_ERR(check(kh, "example.com", 22, &key1), GA_EVERIFY);
	CHECK_OK(check(kh, "git1.example.org", 22, &key2));
	CHECK_ERR(check(kh, "git12.example.org", 22, &key2), GA_EVERIFY);
}

static void test_hashed(void)
{
	const char *kh =
	    HASHED1 " ssh-ed25519 " KEY1 "\n" HASHED2 " ssh-ed25519 " KEY2 "\n";

	CHECK_OK(check(kh, "example.com", 22, &key1));
	CHECK_OK(check(kh, "example.com", 2222, &key2));
	CHECK_ERR(check(kh, "example.com", 22, &key2), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "changed"));
	CHECK_ERR(check(kh, "example.org", 22, &key1), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "unknown"));
}

static void test_revoked_and_markers(void)
{
	const char *revoked = "example.com ssh-ed25519 " KEY1 "\n"
	                      "@revoked * ssh-ed25519 " KEY1 "\n";
	const char *ca = "@cert-authority example.com ssh-ed25519 " KEY1 "\n";

	CHECK_ERR(check(revoked, "example.com", 22, &key1), GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message, "revoked"));
	/* Certificate authorities are not supported: they grant nothing. */
	CHECK_ERR(check(ca, "example.com", 22, &key1), GA_EVERIFY);
}

static void test_garbage(void)
{
	const char *kh = "example.com\n"
	                 "example.com ssh-ed25519\n"
	                 "example.com ssh-ed25519 !!notbase64!!\n"
	                 "|1|bad|bad ssh-ed25519 " KEY1 "\n"
	                 "|1|=|= ssh-ed25519 " KEY1 "\n";

	/* Unreadable lines match nothing. */
	CHECK_ERR(check(kh, "example.com", 22, &key1), GA_EVERIFY);
	CHECK_ERR(check("", "example.com", 22, &key1), GA_EVERIFY);
	CHECK_ERR(ga_git__known_hosts_check(
	              "example.com ssh-ed25519 " KEY1, 10, "example.com", 22,
	              (const unsigned char *)key1.ptr, key1.size),
	          GA_EVERIFY);
}

static void test_hmac_base64(void)
{
	/* RFC 2202 test case 2. */
	unsigned char mac[GA_SHA1_LEN];
	char hex[2 * GA_SHA1_LEN + 1];
	ga_buf b = GA_BUF_INIT(64);

	CHECK_OK(
	    ga_hmac_sha1(mac, "Jefe", 4, "what do ya want for nothing?", 28));
	ga_hex(hex, mac, GA_SHA1_LEN);
	CHECK_EQ_STR(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	CHECK_OK(ga_base64_decode(&b, "Zm9vYg==", 8, false));
	CHECK_EQ_STR(ga_buf_cstr(&b), "foob");
	CHECK_ERR(ga_base64_decode(&b, "Zm9vYg=", 7, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zm9v Yg==", 9, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zm=vYg==", 8, false), GA_EINVALID);
	ga_buf_dispose(&b);
}

int main(void)
{
	if (ga_base64_decode(&key1, KEY1, strlen(KEY1), false) < 0 ||
	    ga_base64_decode(&key2, KEY2, strlen(KEY2), false) < 0)
		return 1;
	RUN(test_plain);
	RUN(test_ports_and_lists);
	RUN(test_patterns);
	RUN(test_hashed);
	RUN(test_revoked_and_markers);
	RUN(test_garbage);
	RUN(test_hmac_base64);
	ga_buf_dispose(&key1);
	ga_buf_dispose(&key2);
	return DONE();
}
