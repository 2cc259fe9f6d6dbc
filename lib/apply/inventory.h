/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inventory internals shared by inventory.c (the set) and
 * inventory_codec.c (its ConfigMap encoding).
 */
#ifndef GA_APPLY_INVENTORY_H
#define GA_APPLY_INVENTORY_H

#include "ga/apply.h"

/*
 * Append the entry whose ID is the @len bytes at @id and whose version is
 * @version; IDs must arrive in strictly increasing order.  @what names the
 * source in error messages.  Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_inventory__append_id(ga_inventory *inv, const char *id, size_t len,
                            const char *version, const char *what);

#endif
