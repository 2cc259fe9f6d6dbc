/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 validation shared by the JSON and YAML emitters.
 */
#ifndef GA_UTIL_UTF8_H
#define GA_UTIL_UTF8_H

#include <stddef.h>

/*
 * Length (1-4) of the well-formed UTF-8 sequence at the start of the @len
 * bytes at @s, or 0 when it is not one: a stray continuation byte, a
 * truncated sequence, an overlong form, a surrogate or a value past
 * U+10FFFF.  @len must be at least 1.
 */
size_t ga_utf8_seq_len(const unsigned char *s, size_t len);

#endif
