/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 against the NIST examples (FIPS 180-2 appendix B, and the
 * "SHA256.pdf" example values of the CSRC examples page): the empty message,
 * "abc", the 448-bit and 896-bit two-block messages and one million 'a'.
 */
#include "ga/digest.h"

#include "harness.h"
#include "util/alloc.h"

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG896                                                                 \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"             \
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

static const struct vector {
	const char *msg;
	const char *hex;
} vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {MSG448,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {MSG896,
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

#define MILLION_A_HEX                                                          \
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static void check_digest(const unsigned char md[GA_SHA256_LEN],
                         const char *want)
{
	char hex[GA_SHA256_HEX_SIZE];

	ga_hex(hex, md, GA_SHA256_LEN);
	CHECK_EQ_STR(hex, want);
}

static void test_one_shot(void)
{
	unsigned char md[GA_SHA256_LEN];
	char hex[GA_SHA256_HEX_SIZE];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const char *m = vectors[i].msg;

		CHECK_OK(ga_sha256(md, m, strlen(m)));
		check_digest(md, vectors[i].hex);
		CHECK_OK(ga_sha256_hex(hex, m, strlen(m)));
		CHECK_EQ_STR(hex, vectors[i].hex);
	}
	CHECK_EQ_INT(ga_sha256_hex(hex, NULL, 1), GA_EINVALID);
	/* The empty message may come as NULL. */
	CHECK_OK(ga_sha256(md, NULL, 0));
	check_digest(md, vectors[0].hex);
}

/* Feed each vector in pieces of @step bytes through one reused context. */
static void check_pieces(ga_sha256_ctx *ctx, size_t step)
{
	unsigned char md[GA_SHA256_LEN];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const char *m = vectors[i].msg;
		size_t len = strlen(m);

		for (size_t off = 0; off < len; off += step) {
			size_t n = len - off < step ? len - off : step;
			CHECK_OK(ga_sha256_update(ctx, m + off, n));
		}
		CHECK_OK(ga_sha256_final(md, ctx));
		check_digest(md, vectors[i].hex);
	}
}

static void test_incremental(void)
{
	ga_sha256_ctx *ctx = NULL;

	CHECK_OK(ga_sha256_new(&ctx));
	if (!ctx)
		return;
	/* 1 byte at a time, an odd split, a block and more than all. */
	check_pieces(ctx, 1);
	check_pieces(ctx, 7);
	check_pieces(ctx, 64);
	check_pieces(ctx, 1000);
	ga_sha256_free(ctx);
}

static void test_million_a(void)
{
	char chunk[997];
	unsigned char md[GA_SHA256_LEN];
	ga_sha256_ctx *ctx = NULL;
	size_t left = 1000000;

	memset(chunk, 'a', sizeof(chunk));
	CHECK_OK(ga_sha256_new(&ctx));
	if (!ctx)
		return;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		CHECK_OK(ga_sha256_update(ctx, chunk, n));
		left -= n;
	}
	CHECK_OK(ga_sha256_final(md, ctx));
	check_digest(md, MILLION_A_HEX);
	ga_sha256_free(ctx);
}

/* A context is reusable after final, and final alone digests nothing. */
static void test_reuse(void)
{
	unsigned char md[GA_SHA256_LEN];
	ga_sha256_ctx *ctx = NULL;

	CHECK_OK(ga_sha256_new(&ctx));
	if (!ctx)
		return;
	CHECK_OK(ga_sha256_final(md, ctx));
	check_digest(md, vectors[0].hex);
	CHECK_OK(ga_sha256_final(md, ctx));
	check_digest(md, vectors[0].hex);
	CHECK_OK(ga_sha256_update(ctx, NULL, 0));
	CHECK_OK(ga_sha256_update(ctx, "ab", 2));
	CHECK_OK(ga_sha256_update(ctx, "c", 1));
	CHECK_OK(ga_sha256_final(md, ctx));
	check_digest(md, vectors[1].hex);
	ga_sha256_free(ctx);
	ga_sha256_free(NULL);
}

static void test_hex(void)
{
	const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	char out[2 * sizeof(in) + 1];

	ga_hex(out, in, sizeof(in));
	CHECK_EQ_STR(out, "00017f80abff");
	out[0] = 'x';
	ga_hex(out, in, 0);
	CHECK_EQ_STR(out, "");
}

static void test_invalid(void)
{
	unsigned char md[GA_SHA256_LEN];
	ga_sha256_ctx *ctx = NULL;

	CHECK_ERR(ga_sha256(NULL, "abc", 3), GA_EINVALID);
	CHECK_ERR(ga_sha256(md, NULL, 3), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "sha256") != NULL);
	CHECK_ERR(ga_sha256_new(NULL), GA_EINVALID);
	CHECK_ERR(ga_sha256_update(NULL, "abc", 3), GA_EINVALID);
	CHECK_ERR(ga_sha256_final(md, NULL), GA_EINVALID);
	CHECK_OK(ga_sha256_new(&ctx));
	CHECK_ERR(ga_sha256_update(ctx, NULL, 1), GA_EINVALID);
	CHECK_ERR(ga_sha256_final(NULL, ctx), GA_EINVALID);
	/* A refused call leaves the context usable. */
	CHECK_OK(ga_sha256_update(ctx, "abc", 3));
	CHECK_OK(ga_sha256_final(md, ctx));
	check_digest(md, vectors[1].hex);
	ga_sha256_free(ctx);
}

/* The context wrapper is ours: an allocation failure is GA_ENOMEM, the
 * out-parameter stays untouched and nothing leaks (valgrind setup). */
static void test_alloc_failure(void)
{
	ga_sha256_ctx *ctx = NULL;

	ga_alloc__fail_after(1, false);
	CHECK_ERR(ga_sha256_new(&ctx), GA_ENOMEM);
	ga_alloc__fail_after(0, false);
	CHECK(ctx == NULL);
	CHECK(ga_error_last()->klass == GA_ERRCLASS_NOMEMORY);
	/* The one-shot form allocates nothing of ours. */
	ga_alloc__fail_after(1, true);
	{
		unsigned char md[GA_SHA256_LEN];
		CHECK_OK(ga_sha256(md, "abc", 3));
		check_digest(md, vectors[1].hex);
	}
	ga_alloc__fail_after(0, false);
}

/* RFC 4231, test cases 2 and 6 (a key longer than the block). */
static void test_hmac_sha256(void)
{
	unsigned char mac[GA_SHA256_LEN], key[131];
	char hex[2 * GA_SHA256_LEN + 1];
	static const char big[] = "Test Using Larger Than Block-Size Key - "
	                          "Hash Key First";

	CHECK_OK(
	    ga_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28));
	ga_hex(hex, mac, sizeof(mac));
	CHECK_EQ_STR(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec"
	                  "58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	CHECK_OK(ga_hmac_sha256(mac, key, sizeof(key), big, sizeof(big) - 1));
	ga_hex(hex, mac, sizeof(mac));
	CHECK_EQ_STR(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546"
	                  "040f0ee37f54");
	CHECK_ERR(ga_hmac_sha256(NULL, "k", 1, "d", 1), GA_EINVALID);
	CHECK(ga_memeq_secret("abcd", "abcd", 4));
	CHECK(!ga_memeq_secret("abcd", "abce", 4));
	CHECK(ga_memeq_secret("", "", 0));
}

int main(void)
{
	RUN(test_one_shot);
	RUN(test_incremental);
	RUN(test_million_a);
	RUN(test_reuse);
	RUN(test_hex);
	RUN(test_hmac_sha256);
	RUN(test_invalid);
	RUN(test_alloc_failure);
	return DONE();
}
