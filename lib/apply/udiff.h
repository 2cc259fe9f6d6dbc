/* SPDX-License-Identifier: Apache-2.0 */
/* Line-based unified diff (udiff.c) for ga_apply_diff(). */
#ifndef GA_APPLY_UDIFF_H
#define GA_APPLY_UDIFF_H

#include <stddef.h>

#include "ga/buf.h"

/*
 * Append the hunks of a unified diff from the @alen bytes at @a to the
 * @blen bytes at @b (nothing when the texts are equal).  Returns 0,
 * GA_ENOMEM or GA_ELIMIT (@out's cap).
 */
int ga_apply__udiff(ga_buf *out, const char *a, size_t alen, const char *b,
                    size_t blen);

#endif
