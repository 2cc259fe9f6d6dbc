/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text exposition format, version 0.0.4, as client_golang writes it:
 * "# HELP" (backslash and newline escaped) and "# TYPE" lines, then one
 * line per series with its labels in registration order (values with
 * backslash, double quote and newline escaped); histograms as cumulative
 * _bucket lines ending with le="+Inf", then _sum and _count.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "metrics_int.h"
#include "util/gofloat.h"

static void escape(ga_buf *out, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			ga_buf_puts(out, "\\\\");
		else if (*s == '\n')
			ga_buf_puts(out, "\\n");
		else if (quote && *s == '"')
			ga_buf_puts(out, "\\\"");
		else
			ga_buf_putc(out, *s);
	}
}

/* Go's shortest form, or Prometheus's names of the special values. */
static void number(ga_buf *out, double v)
{
	char text[GA_FMT_FLOAT_MAX];

	if (isnan(v))
		ga_buf_puts(out, "NaN");
	else if (isinf(v))
		ga_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
	else if (ga_fmt_float_go(text, sizeof(text), v) == 0)
		ga_buf_puts(out, text);
}

/* "{a="x",b="y"}" with an optional le="..." last; nothing for none. */
static void labels(ga_buf *out, const ga_metric *f,
                   const struct ga_metric__series *s, const char *le)
{
	if (!f->nlabels && !le)
		return;
	ga_buf_putc(out, '{');
	for (size_t i = 0; i < f->nlabels; i++) {
		ga_buf_printf(out, "%s%s=\"", i ? "," : "", f->labels[i]);
		escape(out, s->values[i], true);
		ga_buf_putc(out, '"');
	}
	if (le)
		ga_buf_printf(out, "%sle=\"%s\"", f->nlabels ? "," : "", le);
	ga_buf_putc(out, '}');
}

static void histogram(ga_buf *out, const ga_metric *f,
                      const struct ga_metric__series *s)
{
	char le[GA_FMT_FLOAT_MAX];
	uint64_t sum = 0;

	for (size_t b = 0; b <= f->nbounds; b++) {
		sum += s->buckets[b];
		if (b == f->nbounds)
			snprintf(le, sizeof(le), "+Inf");
		else if (ga_fmt_float_go(le, sizeof(le), f->bounds[b]) < 0)
			continue; /* bounds are finite: never */
		ga_buf_printf(out, "%s_bucket", f->name);
		labels(out, f, s, le);
		ga_buf_printf(out, " %" PRIu64 "\n", sum);
	}
	ga_buf_printf(out, "%s_sum", f->name);
	labels(out, f, s, NULL);
	ga_buf_putc(out, ' ');
	number(out, s->value);
	ga_buf_printf(out, "\n%s_count", f->name);
	labels(out, f, s, NULL);
	ga_buf_printf(out, " %" PRIu64 "\n", s->count);
}

static void family(ga_buf *out, const ga_metric *f)
{
	static const char *const types[] = {"counter", "gauge", "histogram"};

	if (!f->n)
		return; /* client_golang leaves out families without series */
	ga_buf_printf(out, "# HELP %s ", f->name);
	escape(out, f->help, false);
	ga_buf_printf(out, "\n# TYPE %s %s\n", f->name, types[f->type]);
	for (size_t i = 0; i < f->n; i++) {
		if (f->type == GA_METRIC__HISTOGRAM) {
			histogram(out, f, &f->series[i]);
			continue;
		}
		ga_buf_puts(out, f->name);
		labels(out, f, &f->series[i], NULL);
		ga_buf_putc(out, ' ');
		number(out, f->series[i].value);
		ga_buf_putc(out, '\n');
	}
}

int ga_metrics_render(ga_metrics *m, ga_buf *out)
{
	(void)pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->n; i++)
		family(out, m->fams[i]);
	(void)pthread_mutex_unlock(&m->lock);
	return out->err;
}
