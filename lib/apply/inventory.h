/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inventory internals shared by inventory.c (the set), inventory_codec.c
 * and inventory_decode.c (its ConfigMap encoding) and engine_prune.c
 * (which reads the ConfigMaps back).
 */
#ifndef GA_APPLY_INVENTORY_H
#define GA_APPLY_INVENTORY_H

#include "ga/apply.h"

/*
 * Append the entry whose ID is the @len bytes at @id and whose version is
 * @version; IDs must arrive in strictly increasing order.  @what names the
 * source in error messages.  Returns 0, GA_EINVALID or GA_ENOMEM.
 */
/* The largest payload (uncompressed) and number of ConfigMaps accepted. */
#define GA_INVENTORY__MAX_PAYLOAD ((size_t)64 << 20)
#define GA_INVENTORY__MAX_PARTS 1000

/*
 * Append to @out the name of part @part of the inventory @name: @name
 * itself, then @name-1, @name-2, ...  Returns 0 or @out's error.
 */
int ga_inventory__part_name(ga_buf *out, const char *name, size_t part);

int ga_inventory__append_id(ga_inventory *inv, const char *id, size_t len,
                            const char *version, const char *what);

#endif
