/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the verification files (lib/verify/).
 */
#ifndef GA_VERIFY_OBJECT_H
#define GA_VERIFY_OBJECT_H

#include <stddef.h>

#include "ga/verify.h"

/* The kind of signature whose armor starts at @p; GA_SIG_NONE if none. */
ga_sig_format ga_verify__sig_format(const char *p, size_t len);

#endif
