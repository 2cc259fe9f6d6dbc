/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output order of a build.
 */
#ifndef GA_KUSTOMIZE_SORT_H
#define GA_KUSTOMIZE_SORT_H

#include <stddef.h>

#include "resource.h"

/* The orderFirst and orderLast kind lists of the legacy sort. */
typedef struct ga_kust_order {
	const char *const *first;
	size_t nfirst;
	const char *const *last;
	size_t nlast;
} ga_kust_order;

/* kustomize's default lists. */
void ga_kust__order_init_default(ga_kust_order *o);

/* Sort @m in kustomize's legacy order.  Returns 0 or GA_ENOMEM. */
int ga_kust__sort_legacy(ga_kust_resmap *m, const ga_kust_order *o);

#endif
