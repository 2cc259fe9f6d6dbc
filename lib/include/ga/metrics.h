/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Metrics in the Prometheus text exposition format (version 0.0.4): a
 * registry of counter, gauge and histogram families, each with fixed
 * label names, rendered as client_golang renders them (families in
 * registration order, series sorted by label values, floats in Go's
 * shortest form, histogram buckets cumulative with "+Inf" last).  A
 * registry is thread-safe: updates and rendering take its lock.
 */
#ifndef GA_METRICS_H
#define GA_METRICS_H

#include <stddef.h>

#include "buf.h"
#include "common.h"

typedef struct ga_metrics ga_metrics;
typedef struct ga_metric ga_metric;

/** Series one family may hold; more is a bug, refused with GA_ELIMIT. */
#define GA_METRICS_MAX_SERIES 10000

GA_EXTERN int ga_metrics_new(ga_metrics **out);
GA_EXTERN void ga_metrics_free(ga_metrics *m);

/**
 * A new family in @m: @name and @help as Prometheus shows them, @labels
 * the label names (@nlabels of them, may be 0).  A histogram takes its
 * @nbuckets upper bounds, increasing (+Inf is added).  *@out stays valid
 * as long as @m.  Returns 0, GA_EINVALID (a bad or duplicate name, a
 * reserved label, unsorted buckets) or GA_ENOMEM.
 */
GA_EXTERN int ga_metrics_counter(ga_metrics *m, ga_metric **out,
                                 const char *name, const char *help,
                                 const char *const *labels, size_t nlabels);
GA_EXTERN int ga_metrics_gauge(ga_metrics *m, ga_metric **out, const char *name,
                               const char *help, const char *const *labels,
                               size_t nlabels);
GA_EXTERN int ga_metrics_histogram(ga_metrics *m, ga_metric **out,
                                   const char *name, const char *help,
                                   const char *const *labels, size_t nlabels,
                                   const double *buckets, size_t nbuckets);

/*
 * The series of @values (one per label name, in order): add @v (>= 0) to
 * a counter, set a gauge, observe @v in a histogram.  Returns 0,
 * GA_EINVALID (the wrong call for the type, a negative counter step, a
 * NaN), GA_ELIMIT (GA_METRICS_MAX_SERIES) or GA_ENOMEM.
 */
GA_EXTERN int ga_metric_add(ga_metric *f, const char *const *values, double v);
GA_EXTERN int ga_metric_set(ga_metric *f, const char *const *values, double v);
GA_EXTERN int ga_metric_observe(ga_metric *f, const char *const *values,
                                double v);

/** Append every family to @out.  Returns 0 or @out's error. */
GA_EXTERN int ga_metrics_render(ga_metrics *m, ga_buf *out);

#endif
