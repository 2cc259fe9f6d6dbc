/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Base64 (RFC 4648 §4, the standard alphabet) for key and signature blobs:
 * OpenSSH public keys, armored SSH signatures and SSH key fingerprints.
 * Decoding is strict about the alphabet and padding, so two spellings of
 * one blob cannot both be accepted.
 */
#ifndef GA_UTIL_BASE64_H
#define GA_UTIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"

/*
 * Append the bytes that the @len characters at @in encode to @out.  With
 * @skip_space, ASCII spaces, tabs, CR and LF anywhere are ignored (armored
 * text); otherwise they are errors.  Padding is required when the input
 * length is not a multiple of 4, and the unused bits of the last character
 * must be zero.  Returns 0, GA_EINVALID (message set), GA_ENOMEM or
 * GA_ELIMIT (from @out).
 */
int ga_base64_decode(ga_buf *out, const char *in, size_t len, bool skip_space);

/*
 * Append the base64 text of the @len bytes at @in to @out, with "="
 * padding when @pad.  Returns 0, GA_ENOMEM or GA_ELIMIT.
 */
int ga_base64_encode(ga_buf *out, const unsigned char *in, size_t len,
                     bool pad);

#endif
