/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Map key order of kubectl kustomize output: goyaml.v2's keyList.Less for
 * string keys (reference: kustomize.md §4.4).  Keys compare rune by rune;
 * letters compare by code point, a non-letter sorts before a letter, and
 * runs of digits compare as numbers ("item9" < "item09" < "item10").  Go
 * classifies letters with unicode.IsLetter; for non-ASCII runes we ask the
 * C.UTF-8 locale's iswalpha, which agrees for letters of every script
 * kubectl users put in keys.  Digits are ASCII only, as in practice.
 */
#include "yaml.h"

#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util/bytes.h"

/* Decode one UTF-8 rune at s[*i] (advancing *i); invalid bytes decode as
 * U+FFFD one at a time, as Go's []rune conversion does. */
static uint32_t next_rune(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	size_t n = c < 0x80    ? 1
	           : c >= 0xf0 ? 4
	           : c >= 0xe0 ? 3
	           : c >= 0xc2 ? 2
	                       : 0;
	uint32_t r;

	if (n == 0 || *i + n > len) {
		(*i)++;
		return n == 1 ? c : 0xfffd;
	}
	r = n == 1 ? c : n == 2 ? c & 0x1fu : n == 3 ? c & 0x0fu : c & 0x07u;
	for (size_t k = 1; k < n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		r = (r << 6) | (s[*i + k] & 0x3fu);
	}
	*i += n;
	return r;
}

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static bool is_letter(uint32_t r)
{
	if (r < 0x80)
		return (r | 0x20) >= 'a' && (r | 0x20) <= 'z';
	(void)pthread_once(&utf8_once, utf8_init);
	return utf8_locale && iswalpha_l((wint_t)r, utf8_locale);
}

static bool is_digit(uint32_t r)
{
	return r >= '0' && r <= '9';
}

/* Decode a whole key into runes; keys are short, so a fixed cap with a
 * byte-wise fallback for monsters keeps this allocation-free. */
#define KEY_RUNES_MAX 512

static size_t to_runes(uint32_t *out, const char *s, size_t len)
{
	size_t n = 0, i = 0;

	while (i < len && n < KEY_RUNES_MAX)
		out[n++] = next_rune((const unsigned char *)s, len, &i);
	return n;
}

static int digit_run_compare(const uint32_t *a, size_t an, const uint32_t *b,
                             size_t bn, size_t i)
{
	uint64_t av = 0, bv = 0;
	size_t ai, bi;

	/* A zero inside a number that already had a non-zero digit does not
	 * start a "leading zeros" run: both sides count from one. */
	if (a[i] == '0' || b[i] == '0') {
		for (size_t j = i; j-- > 0 && is_digit(a[j]);) {
			if (a[j] != '0') {
				av = bv = 1;
				break;
			}
		}
	}
	/* Go's int64 arithmetic wraps; so does this, compared as signed. */
	for (ai = i; ai < an && is_digit(a[ai]); ai++)
		av = av * 10 + (a[ai] - '0');
	for (bi = i; bi < bn && is_digit(b[bi]); bi++)
		bv = bv * 10 + (b[bi] - '0');
	if (av != bv)
		return (int64_t)av < (int64_t)bv ? -1 : 1;
	if (ai != bi)
		return ai < bi ? -1 : 1;
	return a[i] < b[i] ? -1 : 1;
}

int ga_yaml__key_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	uint32_t ar[KEY_RUNES_MAX], br[KEY_RUNES_MAX];
	size_t an = to_runes(ar, a, alen), bn = to_runes(br, b, blen);

	for (size_t i = 0; i < an && i < bn; i++) {
		bool al, bl;

		if (ar[i] == br[i])
			continue;
		al = is_letter(ar[i]);
		bl = is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i] ? -1 : 1;
		if (al || bl)
			return bl ? -1 : 1;
		return digit_run_compare(ar, an, br, bn, i);
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	/* Equal up to the rune cap: fall back to bytes for a total order. */
	return ga_bytes_cmp(a, alen, b, blen);
}

static int byte_order(const void *a, const void *b)
{
	const struct ga_yaml__key *x = a, *y = b;

	return ga_bytes_cmp(x->key, x->len, y->key, y->len);
}

/* Bottom-up stable merge sort by the natural order. */
static void merge_natural(struct ga_yaml__key *a, struct ga_yaml__key *tmp,
                          size_t n)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi) {
				bool right = ga_yaml__key_compare(
				                 a[j].key, a[j].len, a[i].key,
				                 a[i].len) < 0;
				tmp[k++] = right ? a[j++] : a[i++];
			}
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof(*a));
	}
}

void ga_yaml__sort_keys(struct ga_yaml__key *keys, struct ga_yaml__key *tmp,
                        size_t n)
{
	if (n < 2)
		return;
	qsort(keys, n, sizeof(*keys), byte_order);
	merge_natural(keys, tmp, n);
}
