/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Durations written the way Go writes them ("30s", "1m30s", "-1.5h"), as
 * found in Flux and Kubernetes manifests (interval, timeout, retryInterval).
 * Parsing accepts exactly what Go's time.ParseDuration accepts and
 * formatting produces exactly Go's Duration.String().  Values are signed
 * 64-bit nanosecond counts, like Go's time.Duration.  Nothing here allocates
 * and every function is thread-safe.
 */
#ifndef GA_DURATION_H
#define GA_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

/**
 * Bytes that ga_duration_format() needs at most, NUL included: the longest
 * output is "-2562047h47m16.854775808s" (25 bytes).
 */
#define GA_DURATION_FORMAT_MAX 32

/**
 * Parse the NUL-terminated @s as a Go duration: an optional sign, then one
 * or more decimal numbers, each with an optional fraction and a unit ("ns",
 * "us", "µs", "μs", "ms", "s", "m", "h"), e.g. "300ms", "-1.5h", "2h45m".
 * A bare "0" (with or without a sign) is zero.  Fraction digits finer than a
 * nanosecond are dropped, as Go does.  On success *@out_ns holds the
 * duration in nanoseconds; on failure it is untouched.
 *
 * Returns 0, or GA_EINVALID (syntax error, unknown or missing unit, or a
 * value outside int64 nanoseconds) with a message naming the input.
 */
GA_EXTERN int ga_duration_parse(int64_t *out_ns, const char *s);

/**
 * As ga_duration_parse(), for intervals and timeouts: negative durations
 * are refused and the result is whole milliseconds, truncated toward zero
 * like Go's Duration.Milliseconds() ("1500us" is 1 ms, "999us" is 0 ms).
 *
 * Returns 0 or GA_EINVALID (also for a negative duration, with a message
 * saying it must not be negative).
 */
GA_EXTERN int ga_duration_parse_ms(uint64_t *out_ms, const char *s);

/**
 * Write @ns as Go's Duration.String() does ("1h30m0s", "1.5s", "500ms",
 * "1µs" with U+00B5, "0s", "-2m3s") into @buf, NUL-terminated.  A @cap of
 * GA_DURATION_FORMAT_MAX always suffices.  On failure @buf is untouched.
 *
 * Returns 0, GA_ELIMIT when the text and its NUL do not fit in @cap, or
 * GA_EINVALID for a NULL @buf with a non-zero @cap.
 */
GA_EXTERN int ga_duration_format(char *buf, size_t cap, int64_t ns);

#endif
