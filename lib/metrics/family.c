/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registering metric families (ga/metrics.h): names and label names as
 * Prometheus allows them, no family twice, buckets increasing, and a
 * label-less family's one series made at once, so that it shows as 0
 * before its first update, as client_golang shows it.
 */
#include <math.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "metrics_int.h"

/* [a-zA-Z_:][a-zA-Z0-9_:]* (metric names) or without ':' (labels). */
static bool valid_name(const char *s, bool colon)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' ||
		      (colon && *s == ':')))
			return false;
	return true;
}

static int check_family(const ga_metrics *m, int type, const char *name,
                        const char *const *labels, size_t nlabels)
{
	if (!valid_name(name, true)) {
		ga_error_set(GA_ERRCLASS_INVALID, "metric name %.64s: invalid",
		             name ? name : "(none)");
		return GA_EINVALID;
	}
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->fams[i]->name, name) == 0) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "metric %s: registered twice", name);
			return GA_EINVALID;
		}
	for (size_t i = 0; i < nlabels; i++)
		if (!valid_name(labels[i], false) ||
		    strncmp(labels[i], "__", 2) == 0 ||
		    (type == GA_METRIC__HISTOGRAM &&
		     strcmp(labels[i], "le") == 0)) {
			ga_error_set(
			    GA_ERRCLASS_INVALID,
			    "metric %s: label name %.64s is invalid or "
			    "reserved",
			    name, labels[i] ? labels[i] : "(none)");
			return GA_EINVALID;
		}
	return 0;
}

static int check_buckets(const char *name, const double *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isnan(b[i]) || isinf(b[i]) || (i && b[i] <= b[i - 1])) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "metric %s: buckets must be finite and "
			             "increasing",
			             name);
			return GA_EINVALID;
		}
	return 0;
}

/* The family's own copies of its names and bounds. */
static int fill(ga_metric *f, const char *name, const char *help,
                const char *const *labels, size_t nlabels, const double *b,
                size_t nb)
{
	if (!(f->name = ga_strdup(name)) || !(f->help = ga_strdup(help)) ||
	    !(f->labels = ga_calloc(nlabels ? nlabels : 1, sizeof(char *))) ||
	    !(f->bounds = ga_calloc(nb ? nb : 1, sizeof(double))))
		return GA_ENOMEM;
	for (size_t i = 0; i < nlabels; f->nlabels = ++i)
		if (!(f->labels[i] = ga_strdup(labels[i])))
			return GA_ENOMEM;
	if (nb)
		memcpy(f->bounds, b, nb * sizeof(double));
	f->nbounds = nb;
	return 0;
}

static int add_family(ga_metrics *m, ga_metric **out, int type,
                      const char *name, const char *help,
                      const char *const *labels, size_t nlabels,
                      const double *b, size_t nb)
{
	struct ga_metric__series *s;
	ga_metric *f = NULL;
	int err;

	(void)pthread_mutex_lock(&m->lock);
	if ((err = check_family(m, type, name, labels, nlabels)) < 0 ||
	    (err = check_buckets(name, b, nb)) < 0)
		goto out;
	err = GA_ENOMEM;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		void *p = ga_reallocarray(m->fams, cap, sizeof(ga_metric *));
		if (!p)
			goto out;
		m->fams = p;
		m->cap = cap;
	}
	if (!(f = ga_calloc(1, sizeof(*f))))
		goto out;
	f->reg = m;
	f->type = type;
	if ((err = fill(f, name, help ? help : "", labels, nlabels, b, nb)) <
	        0 ||
	    (nlabels == 0 && (err = ga_metric__series(f, NULL, &s)) < 0))
		goto out;
	m->fams[m->n++] = f;
	*out = f;
	f = NULL;
out:
	(void)pthread_mutex_unlock(&m->lock);
	ga_metric__free(f); /* NULL once registered */
	return err;
}

int ga_metrics_counter(ga_metrics *m, ga_metric **out, const char *name,
                       const char *help, const char *const *labels,
                       size_t nlabels)
{
	return add_family(m, out, GA_METRIC__COUNTER, name, help, labels,
	                  nlabels, NULL, 0);
}

int ga_metrics_gauge(ga_metrics *m, ga_metric **out, const char *name,
                     const char *help, const char *const *labels,
                     size_t nlabels)
{
	return add_family(m, out, GA_METRIC__GAUGE, name, help, labels, nlabels,
	                  NULL, 0);
}

int ga_metrics_histogram(ga_metrics *m, ga_metric **out, const char *name,
                         const char *help, const char *const *labels,
                         size_t nlabels, const double *buckets, size_t nbuckets)
{
	return add_family(m, out, GA_METRIC__HISTOGRAM, name, help, labels,
	                  nlabels, buckets, nbuckets);
}
