/* SPDX-License-Identifier: Apache-2.0 */
/* Internal declarations of lib/metrics. */
#ifndef GA_METRICS_METRICS_INT_H
#define GA_METRICS_METRICS_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ga/metrics.h"

enum { GA_METRIC__COUNTER, GA_METRIC__GAUGE, GA_METRIC__HISTOGRAM };

struct ga_metric__series {
	char **values;     /* one per label name */
	char *key;         /* the values joined by 0x1f: order and lookup */
	double value;      /* counter, gauge; a histogram's sum */
	uint64_t count;    /* a histogram's observations */
	uint64_t *buckets; /* a histogram's per-bucket counts, +Inf last */
};

struct ga_metric {
	ga_metrics *reg;
	int type;
	char *name, *help;
	char **labels;
	size_t nlabels;
	double *bounds; /* a histogram's upper bounds, +Inf left out */
	size_t nbounds;
	struct ga_metric__series *series; /* sorted by key */
	size_t n, cap;
};

struct ga_metrics {
	pthread_mutex_t lock; /* every family and series */
	ga_metric **fams;     /* in registration order */
	size_t n, cap;
};

/* The series of @values in @f, made when new; the caller holds the
 * registry's lock. */
int ga_metric__series(ga_metric *f, const char *const *values,
                      struct ga_metric__series **out);

/* Free a family and its series (NULL is ignored). */
void ga_metric__free(ga_metric *f);

#endif
