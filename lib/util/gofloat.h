/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go-compatible float text: the shortest round-trip formatting of Go's
 * strconv.FormatFloat(x, 'g', -1, 64), what kubectl kustomize finally prints
 * for a float64 after its YAML -> JSON -> YAML round trip, Go's
 * encoding/json number text, and the decimal subset of strconv.ParseFloat.
 * Nothing here depends on the C locale: text is produced and read with '.'
 * whatever LC_NUMERIC says.  No allocation, no global state; thread-safe.
 */
#ifndef GA_UTIL_GOFLOAT_H
#define GA_UTIL_GOFLOAT_H

#include <stddef.h>

/*
 * A buffer of this size always holds the output of the formatters (the
 * longest forms, such as "-0.0000012345678901234567" from
 * ga_fmt_float_json(), take 25 bytes plus the NUL).
 */
#define GA_FMT_FLOAT_MAX 32

/**
 * Write Go's strconv.FormatFloat(@x, 'g', -1, 64) into @buf (@cap bytes,
 * NUL included): the shortest digits that read back as @x, in exponent
 * form when the decimal exponent is < -4 or >= 6, with at least two
 * exponent digits ("1e+06", "1e-05", "1.2345675e+06", "123456.5", "5e-324",
 * "-0").  Returns 0, GA_EINVALID (@x is NaN or infinite) or GA_ELIMIT
 * (@cap too small; GA_FMT_FLOAT_MAX always suffices).
 */
int ga_fmt_float_go(char *buf, size_t cap, double x);

/**
 * Write what kubectl kustomize prints for the float64 @x.  kustomize turns
 * the value into JSON (encoding/json: integral values below 1e21 as their
 * shortest digits padded with zeros, e.g. 2^63 as "9223372036854776000")
 * and goyaml.v2 reads that back as an int when it fits int64 or uint64, so
 * 1.0 prints "1", -0.0 "0", 1e3 "1000"; every other value prints as
 * ga_fmt_float_go().  Returns 0, GA_EINVALID (NaN or infinite; the message
 * is kustomize's "json: unsupported value: +Inf") or GA_ELIMIT (@cap too
 * small).
 */
int ga_fmt_float_kustomize(char *buf, size_t cap, double x);

/**
 * Write Go's encoding/json text for the float64 @x (floatEncoder, "as ES6
 * does"): FormatFloat(x, 'f', -1, 64) when x is 0 or 1e-6 <= |x| < 1e21,
 * else FormatFloat(x, 'e', -1, 64) with a one-digit negative exponent
 * unpadded: "1000000", "0.000001", "1.5e-7", "1e+21", "-0".  Returns 0,
 * GA_EINVALID (NaN or infinite; "json: unsupported value: +Inf") or
 * GA_ELIMIT (@cap too small).
 */
int ga_fmt_float_json(char *buf, size_t cap, double x);

/**
 * Parse the @len bytes at @s as Go's strconv.ParseFloat(s, 64) parses a
 * decimal literal: optional sign, digits with at most one '.', at least one
 * digit, optional exponent, and '_' only between digits.  Underflow rounds
 * to zero or a subnormal without error, as in Go.  Hexadecimal floats and
 * the words Inf/NaN, which Go also accepts, are refused (no YAML resolver
 * path can reach them).  *out is written only on success.  Returns 0,
 * GA_EINVALID (syntax) or GA_ELIMIT (out of float64 range; Go's ErrRange).
 */
int ga_parse_float_go(double *out, const char *s, size_t len);

/**
 * Convert the @len bytes at @s, which the caller has already checked to be
 * a decimal float ([sign] digits [. digits] [e [sign] digits]), to the
 * nearest double; '_' bytes anywhere are skipped, as goyaml does by
 * deleting them before it calls ParseFloat.  *out is written only on
 * success.  Returns 0, GA_EINVALID (not of that shape) or GA_ELIMIT
 * (overflows float64).
 */
int ga_float_from_decimal(double *out, const char *s, size_t len);

#endif
