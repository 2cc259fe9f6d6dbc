/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic versions (semver.org 2.0.0) and version ranges for selecting git
 * tags and chart versions the way Flux does ("semver: '>=1.2 <2'"), that is
 * with the rules of github.com/Masterminds/semver/v3.  A ga_semver is a
 * caller-allocated value that owns nothing; a ga_semver_range is opaque and
 * owned by the caller, who frees it with ga_semver_range_free().  Parsing
 * never keeps pointers into its input.  Thread-safe: distinct objects may be
 * used from different threads and a parsed range may be matched from many
 * threads at once.
 */
#ifndef GA_SEMVER_H
#define GA_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

/** The longest version text the parsers accept, in bytes. */
#define GA_SEMVER_MAX_LEN 256

/** The longest range text ga_semver_range_parse() accepts, in bytes. */
#define GA_SEMVER_RANGE_MAX_LEN 1024

/**
 * The most comparisons a range may hold, over all its "||" alternatives;
 * a hyphen range "1 - 2" counts as two.
 */
#define GA_SEMVER_RANGE_MAX_TERMS 64

/** Bytes that ga_semver_format() needs at most for a parsed version. */
#define GA_SEMVER_FORMAT_MAX (3 * 20 + 5 + 2 * GA_SEMVER_MAX_LEN)

typedef struct ga_semver {
	uint64_t major;
	uint64_t minor;
	uint64_t patch;
	/** Pre-release identifiers after the "-", e.g. "rc.1"; "" if none. */
	char pre[GA_SEMVER_MAX_LEN];
	/** Build metadata after the "+", e.g. "sha.5114f85"; "" if none. */
	char build[GA_SEMVER_MAX_LEN];
} ga_semver;

/** Version 0.0.0 with no pre-release and no build metadata. */
#define GA_SEMVER_INIT                                                         \
	{                                                                      \
		0, 0, 0, "", ""                                                \
	}

/** A parsed version range; see ga_semver_range_parse(). */
typedef struct ga_semver_range ga_semver_range;

/**
 * Parse the NUL-terminated @s leniently, as Masterminds' NewVersion does and
 * therefore as Flux reads git tags: an optional leading "v", then
 * MAJOR[.MINOR[.PATCH]] where a missing part is 0 and leading zeros are
 * allowed ("v1.2" is 1.2.0, "2024.01.15" is 2024.1.15), then an optional
 * "-" pre-release and "+" build metadata with strict semver identifiers.
 * On failure *@out is untouched.
 *
 * Returns 0, GA_EINVALID (not a version; the message names the input and
 * what is wrong) or GA_ELIMIT (longer than GA_SEMVER_MAX_LEN bytes).
 */
GA_EXTERN int ga_semver_parse(ga_semver *out, const char *s);

/**
 * Parse @s as a strict semver 2.0.0 version: MAJOR.MINOR.PATCH all present,
 * no leading zeros in numbers or numeric pre-release identifiers, non-empty
 * [0-9A-Za-z-] identifiers.  The only extension is an optional leading "v"
 * ("v1.2.3"), as git tags carry one.  On failure *@out is untouched.
 *
 * Returns 0, GA_EINVALID or GA_ELIMIT, as ga_semver_parse().
 */
GA_EXTERN int ga_semver_parse_strict(ga_semver *out, const char *s);

/**
 * Compare by semver precedence: numbers numerically, a pre-release below
 * its release, pre-release identifiers field by field (numeric ones as
 * numbers and below alphanumeric ones, which compare in ASCII order, and
 * fewer fields first).  Build metadata is ignored.  Never fails.
 *
 * Returns -1, 0 or 1 as @a sorts before, with or after @b.
 */
GA_EXTERN int ga_semver_compare(const ga_semver *a, const ga_semver *b);

/**
 * Write @v as "MAJOR.MINOR.PATCH[-PRE][+BUILD]" (no "v") into @buf,
 * NUL-terminated.  GA_SEMVER_FORMAT_MAX bytes always suffice.  The
 * identifiers are not validated.  On failure @buf is untouched.
 *
 * Returns 0, GA_ELIMIT (the text and its NUL do not fit in @cap) or
 * GA_EINVALID (NULL arguments, or a field of @v that is not NUL-terminated).
 */
GA_EXTERN int ga_semver_format(char *buf, size_t cap, const ga_semver *v);

/**
 * Parse a version range with the syntax and meaning of Masterminds/semver
 * v3 constraints (NewConstraint in v3.4):
 *
 *  - comparisons "=", "!=", ">", "<", ">=", "<=" (also "=>" and "=<"),
 *    with optional space between operator and version; no operator is "=";
 *  - versions may be partial and use "x", "X" or "*" wildcards: "1.2.x"
 *    and "=1.2" are >=1.2.0 <1.3.0, "*" is any release;
 *  - tilde "~1.2.3" (>=1.2.3 <1.3.0), "~1" (>=1.0.0 <2.0.0); "~>" is "~";
 *  - caret "^1.2.3" (>=1.2.3 <2.0.0), "^0.2.3" (>=0.2.3 <0.3.0),
 *    "^0.0.3" (>=0.0.3 <0.0.4);
 *  - hyphen ranges "1.2 - 1.4.5" (>=1.2 <=1.4.5; the spaces are required,
 *    "1.2-1.4.5" is version 1.2.0 with pre-release "1.4.5");
 *  - comparisons separated by spaces or one comma must all hold (AND), and
 *    "||" separates alternatives (OR).
 *
 * On success *@out is a new range the caller frees with
 * ga_semver_range_free(); on failure it is untouched.
 *
 * Returns 0, GA_EINVALID (the message names the range and the offending
 * part, e.g. "invalid semver range \">=1.2.x.y\": unexpected \".y\" after
 * \"1.2.x\""), GA_ELIMIT (longer than GA_SEMVER_RANGE_MAX_LEN bytes or
 * more than GA_SEMVER_RANGE_MAX_TERMS comparisons) or GA_ENOMEM.
 */
GA_EXTERN int ga_semver_range_parse(ga_semver_range **out, const char *s);

/** Free a range from ga_semver_range_parse(); NULL is ignored. */
GA_EXTERN void ga_semver_range_free(ga_semver_range *r);

/**
 * Whether @v satisfies @r.  As in Masterminds v3.4, a pre-release version
 * only matches an alternative in which some comparison names a pre-release
 * itself (">=1.2.3-0" admits "1.5.0-rc.1", ">=1.2.3" does not).  Build
 * metadata is ignored.  False when either argument is NULL.
 */
GA_EXTERN bool ga_semver_range_match(const ga_semver_range *r,
                                     const ga_semver *v);

#endif
