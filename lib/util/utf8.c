/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 well-formedness as RFC 3629 defines it (and as Go's utf8 package
 * and libyaml's reader apply it).
 */
#include "utf8.h"

#include <stdint.h>

size_t ga_utf8_seq_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t r;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (n > len)
		return 0;
	r = c & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		r = (r << 6) | (s[i] & 0x3fu);
	}
	if ((n == 3 && r < 0x800) ||
	    (n == 4 && (r < 0x10000 || r > 0x10ffff)) ||
	    (r >= 0xd800 && r <= 0xdfff))
		return 0;
	return n;
}
