/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus metrics (ga/metrics.h).  A family keeps its series sorted
 * by their label values joined with a unit separator, which is both the
 * lookup key (binary search) and the order client_golang renders them
 * in.  A histogram series keeps per-bucket counts; rendering makes them
 * cumulative.
 */
#include "ga/metrics.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "metrics_int.h"

int ga_metrics_new(ga_metrics **out)
{
	ga_metrics *m = ga_calloc(1, sizeof(*m));

	if (!m)
		return GA_ENOMEM;
	(void)pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return 0;
}

static void free_series(struct ga_metric__series *s, size_t nlabels)
{
	for (size_t i = 0; s->values && i < nlabels; i++)
		ga_free(s->values[i]);
	ga_free(s->values);
	ga_free(s->key);
	ga_free(s->buckets);
}

void ga_metric__free(ga_metric *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free_series(&f->series[i], f->nlabels);
	for (size_t i = 0; i < f->nlabels; i++)
		ga_free(f->labels[i]);
	ga_free(f->series);
	ga_free(f->labels);
	ga_free(f->bounds);
	ga_free(f->name);
	ga_free(f->help);
	ga_free(f);
}

void ga_metrics_free(ga_metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		ga_metric__free(m->fams[i]);
	ga_free(m->fams);
	(void)pthread_mutex_destroy(&m->lock);
	ga_free(m);
}

/* The key of a label set: the values joined by US (0x1f). */
static char *series_key(const ga_metric *f, const char *const *values)
{
	size_t len = 1;
	char *key, *p;

	for (size_t i = 0; i < f->nlabels; i++)
		len += strlen(values[i]) + 1;
	if (!(p = key = ga_malloc(len)))
		return NULL;
	for (size_t i = 0; i < f->nlabels; i++) {
		size_t l = strlen(values[i]);
		memcpy(p, values[i], l);
		p += l;
		*p++ = '\x1f';
	}
	*p = '\0';
	return key;
}

/* Where @key is in @f's series, or where it would go (*found false). */
static size_t find(const ga_metric *f, const char *key, bool *found)
{
	size_t lo = 0, hi = f->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->series[mid].key, key);

		if (c == 0)
			return *found = true, mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A new series of @values at @at, with its own copies. */
static int insert(ga_metric *f, size_t at, char *key, const char *const *values)
{
	struct ga_metric__series s = {0};

	if (f->n == GA_METRICS_MAX_SERIES) {
		ga_error_set(GA_ERRCLASS_INVALID, "metric %s: over %d series",
		             f->name, GA_METRICS_MAX_SERIES);
		return GA_ELIMIT;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		void *p = ga_reallocarray(f->series, cap, sizeof(*f->series));
		if (!p)
			return GA_ENOMEM;
		f->series = p;
		f->cap = cap;
	}
	s.key = key;
	if (!(s.values =
	          ga_calloc(f->nlabels ? f->nlabels : 1, sizeof(*s.values))) ||
	    (f->type == GA_METRIC__HISTOGRAM &&
	     !(s.buckets = ga_calloc(f->nbounds + 1, sizeof(*s.buckets)))))
		goto oom;
	for (size_t i = 0; i < f->nlabels; i++)
		if (!(s.values[i] = ga_strdup(values[i])))
			goto oom;
	memmove(&f->series[at + 1], &f->series[at],
	        (f->n - at) * sizeof(*f->series));
	f->series[at] = s;
	f->n++;
	return 0;
oom:
	s.key = NULL; /* the caller's to free */
	free_series(&s, f->nlabels);
	return GA_ENOMEM;
}

int ga_metric__series(ga_metric *f, const char *const *values,
                      struct ga_metric__series **out)
{
	char *key;
	bool found;
	size_t at;
	int err;

	for (size_t i = 0; i < f->nlabels; i++)
		if (!values || !values[i]) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "metric %s: no value for label %s",
			             f->name, f->labels[i]);
			return GA_EINVALID;
		}
	if (!(key = series_key(f, values)))
		return GA_ENOMEM;
	at = find(f, key, &found);
	if (found) {
		ga_free(key);
	} else if ((err = insert(f, at, key, values)) < 0) {
		ga_free(key);
		return err;
	}
	*out = &f->series[at];
	return 0;
}

/* One update of a series under the registry's lock. */
static int update(ga_metric *f, int type, const char *const *values, double v)
{
	struct ga_metric__series *s;
	int err;

	if (f->type != type || isnan(v) ||
	    (type == GA_METRIC__COUNTER && v < 0)) {
		ga_error_set(GA_ERRCLASS_INVALID, "metric %s: a bad update",
		             f->name);
		return GA_EINVALID;
	}
	(void)pthread_mutex_lock(&f->reg->lock);
	if ((err = ga_metric__series(f, values, &s)) == 0) {
		if (type == GA_METRIC__GAUGE) {
			s->value = v;
		} else if (type == GA_METRIC__COUNTER) {
			s->value += v;
		} else {
			size_t b = 0;
			while (b < f->nbounds && v > f->bounds[b])
				b++;
			s->buckets[b]++;
			s->count++;
			s->value += v;
		}
	}
	(void)pthread_mutex_unlock(&f->reg->lock);
	return err;
}

int ga_metric_add(ga_metric *f, const char *const *values, double v)
{
	return update(f, GA_METRIC__COUNTER, values, v);
}

int ga_metric_set(ga_metric *f, const char *const *values, double v)
{
	return update(f, GA_METRIC__GAUGE, values, v);
}

int ga_metric_observe(ga_metric *f, const char *const *values, double v)
{
	return update(f, GA_METRIC__HISTOGRAM, values, v);
}
