/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kind-specific kstatus readers (health_workloads.c) and the helpers
 * they share with the generic rules (health.c).
 */
#ifndef GA_APPLY_HEALTH_H
#define GA_APPLY_HEALTH_H

#include "ga/apply.h"
#include "ga/common.h"

/* The condition of @type in status.conditions, or NULL. */
const ga_node *ga_apply__condition(const ga_node *obj, const char *type);
/* Whether condition @type has status @status ("True", "False"). */
bool ga_apply__cond_is(const ga_node *obj, const char *type,
                       const char *status);

void ga_apply__health_set(ga_health *h, ga_health_status status,
                          const char *reason, const char *fmt, ...)
    GA_PRINTF(4, 5);

/*
 * The rules of one kind; false when @obj's kind has none (the generic
 * Ready-condition rule applies then).
 */
bool ga_apply__health_kind(ga_health *h, const ga_node *obj);

#endif
