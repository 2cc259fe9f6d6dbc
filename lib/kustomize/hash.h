/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The name-hash suffix that kustomize appends to generated ConfigMaps and
 * Secrets ("cm-4h2mbtbbt6"), computed on the object as it stands at the end
 * of the top-level build (kustomize.md §2.9 and its Appendix).  Pure: it
 * reads the object, keeps no state and is thread-safe.
 */
#ifndef GA_KUSTOMIZE_HASH_H
#define GA_KUSTOMIZE_HASH_H

#include "ga/node.h"

/* Characters in a name-hash suffix, without the "-" or the NUL. */
#define GA_KUST_HASH_LEN 10

/*
 * Write the 10-character suffix of @obj, NUL-terminated, into @out.  For a
 * ConfigMap or Secret it hashes what kustomize's hasher hashes: data,
 * binaryData / stringData, type and an always-empty name.  Any other kind
 * is refused: kubectl hashes its in-memory YAML node, styles and comments
 * included (see hash.c).  @out is written only on success.
 * Returns 0, GA_EINVALID (@obj is not a map, or holds NaN or an infinity,
 * which Go's JSON encoder refuses too), GA_EUNSUPPORTED (another kind),
 * GA_ELIMIT (nested too deeply) or GA_ENOMEM.
 */
int ga_kust__name_hash(char out[GA_KUST_HASH_LEN + 1], const ga_node *obj);

#endif
