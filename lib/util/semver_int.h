/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal interface between semver.c (versions, precedence) and
 * semver_range.c (Masterminds-compatible ranges): the borrowed-text version
 * both compare, character classes of the shared grammar, and helpers.
 */
#ifndef GA_UTIL_SEMVER_INT_H
#define GA_UTIL_SEMVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/common.h"
#include "ga/semver.h"

/* A version whose pre-release is borrowed from some other text. */
struct sv {
	uint64_t major, minor, patch;
	const char *pre; /* not NUL-terminated */
	size_t pre_len;  /* 0: a release */
};

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_ident(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

/* Go's regexp \s. */
static inline bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Upstream's [0-9|x|X|\*], "|" included. */
static inline bool is_xnum(char c)
{
	return is_digit(c) || c == '|' || c == 'x' || c == 'X' || c == '*';
}

static inline bool is_opchar(char c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '~' ||
	       c == '^';
}

/* @s[@i], or NUL past the end: scanners work on unterminated slices. */
static inline char at(const char *s, size_t len, size_t i)
{
	if (i >= len)
		return '\0';
	return s[i];
}

static inline bool all_digits(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return false;
	return true;
}

/* A numeric identifier with a leading zero, which semver forbids. */
static inline bool leading_zero(const char *p, size_t n)
{
	return n > 1 && p[0] == '0' && all_digits(p, n);
}

/* Decimal digits to uint64; false on overflow. */
bool ga_semver__digits_to_u64(uint64_t *out, const char *p, size_t n);

/* Set "invalid <what> "<input>": <reason>" and return @code. */
int ga_semver__fail(int code, const char *what, const char *in, size_t in_len,
                    const char *fmt, ...) GA_PRINTF(5, 6);

/* Precedence of two versions, and of two pre-release strings (-1, 0, 1). */
int ga_semver__sv_cmp(const struct sv *a, const struct sv *b);
int ga_semver__cmp_pre(const char *a, size_t an, const char *b, size_t bn);

/* A borrowed view of @v. */
struct sv ga_semver__sv_of(const ga_semver *v);

#endif
