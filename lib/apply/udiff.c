/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unified diff of two texts, line by line, in GNU diff -u's hunk format
 * (three lines of context, "@@ -a,b +c,d @@", a count of 1 written
 * without ",1", an empty range at the line before it), which is what
 * kubectl diff shows.  The common head and tail are trimmed first; the
 * rest gets a longest-common-subsequence table, or, above a size cap, is
 * shown as one replaced block: still a correct diff, only not minimal.
 */
#include "apply/udiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define CONTEXT 3
#define LCS_MAX_CELLS ((size_t)4 << 20)

typedef struct line {
	const char *p;
	size_t len;
} line;

typedef struct lines {
	line *v;
	size_t n;
} lines;

/* Split @len bytes at @s into lines (the newlines not included). */
static int split(lines *out, const char *s, size_t len)
{
	size_t n = 0, i = 0;

	for (size_t k = 0; k < len; k++)
		n += s[k] == '\n';
	n += len && s[len - 1] != '\n';
	out->v = ga_calloc(n ? n : 1, sizeof(line));
	out->n = n;
	if (!out->v)
		return GA_ENOMEM;
	for (const char *p = s, *end = s + len; p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		out->v[i] = (line){p, l};
		p += l + 1;
	}
	return 0;
}

static bool same(const line *a, const line *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* An edit script: ' ' keep, '-' drop from a, '+' add from b. */
typedef struct script {
	char *op;
	size_t n;
} script;

/* The script of the middles a[0..n) and b[0..m) by their LCS table. */
static int lcs_script(char *op, size_t *k, const line *a, size_t n,
                      const line *b, size_t m)
{
	uint32_t *t;
	size_t i = 0, j = 0;

	if (n && m && n * m <= LCS_MAX_CELLS) {
		if (!(t = ga_calloc((n + 1) * (m + 1), sizeof(*t))))
			return GA_ENOMEM;
		for (size_t x = n; x-- > 0;)
			for (size_t y = m; y-- > 0;)
				t[x * (m + 1) + y] =
				    same(&a[x], &b[y])
				        ? t[(x + 1) * (m + 1) + y + 1] + 1
				    : t[(x + 1) * (m + 1) + y] >
				            t[x * (m + 1) + y + 1]
				        ? t[(x + 1) * (m + 1) + y]
				        : t[x * (m + 1) + y + 1];
		while (i < n && j < m) {
			if (same(&a[i], &b[j])) {
				op[(*k)++] = ' ';
				i++, j++;
			} else if (t[(i + 1) * (m + 1) + j] >=
			           t[i * (m + 1) + j + 1]) {
				op[(*k)++] = '-';
				i++;
			} else {
				op[(*k)++] = '+';
				j++;
			}
		}
		ga_free(t);
	}
	for (; i < n; i++)
		op[(*k)++] = '-';
	for (; j < m; j++)
		op[(*k)++] = '+';
	return 0;
}

static int make_script(script *s, const lines *a, const lines *b)
{
	size_t head = 0, tail = 0, k = 0;
	int err;

	while (head < a->n && head < b->n && same(&a->v[head], &b->v[head]))
		head++;
	while (tail < a->n - head && tail < b->n - head &&
	       same(&a->v[a->n - 1 - tail], &b->v[b->n - 1 - tail]))
		tail++;
	if (!(s->op = ga_malloc(a->n + b->n + 1)))
		return GA_ENOMEM;
	memset(s->op, ' ', head);
	k = head;
	if ((err = lcs_script(s->op, &k, a->v + head, a->n - head - tail,
	                      b->v + head, b->n - head - tail)) < 0)
		return err;
	memset(s->op + k, ' ', tail);
	s->n = k + tail;
	return 0;
}

static void range(ga_buf *out, char sign, size_t start, size_t count)
{
	if (count == 1)
		(void)ga_buf_printf(out, "%c%zu", sign, start + 1);
	else
		(void)ga_buf_printf(out, "%c%zu,%zu", sign,
		                    count ? start + 1 : start, count);
}

/* One hunk: ops [from, to), a and b positions at @from given. */
static void hunk(ga_buf *out, const script *s, size_t from, size_t to,
                 size_t ai, size_t bi, const lines *a, const lines *b)
{
	size_t na = 0, nb = 0;

	for (size_t k = from; k < to; k++) {
		na += s->op[k] != '+';
		nb += s->op[k] != '-';
	}
	(void)ga_buf_puts(out, "@@ ");
	range(out, '-', ai, na);
	(void)ga_buf_putc(out, ' ');
	range(out, '+', bi, nb);
	(void)ga_buf_puts(out, " @@\n");
	for (size_t k = from; k < to; k++) {
		const line *l;

		if (s->op[k] == '+') {
			l = &b->v[bi++];
		} else {
			l = &a->v[ai++];
			bi += s->op[k] == ' ';
		}
		(void)ga_buf_putc(out, s->op[k]);
		(void)ga_buf_put(out, l->p, l->len);
		(void)ga_buf_putc(out, '\n');
	}
}

/* The hunks of @s: changes closer than 2*CONTEXT share one. */
static void hunks(ga_buf *out, const script *s, const lines *a, const lines *b)
{
	size_t k = 0, ai = 0, bi = 0;

	while (k < s->n) {
		size_t from, to, last, ai0, bi0;

		while (k < s->n && s->op[k] == ' ')
			k++, ai++, bi++;
		if (k == s->n)
			break;
		from = k > CONTEXT ? k - CONTEXT : 0;
		ai0 = ai - (k - from);
		bi0 = bi - (k - from);
		for (last = k, to = k; to < s->n; to++) {
			if (s->op[to] != ' ')
				last = to;
			else if (to - last > (size_t)2 * CONTEXT)
				break;
		}
		to = last + 1 + CONTEXT < s->n ? last + 1 + CONTEXT : s->n;
		hunk(out, s, from, to, ai0, bi0, a, b);
		for (; k < to; k++) {
			ai += s->op[k] != '+';
			bi += s->op[k] != '-';
		}
	}
}

int ga_apply__udiff(ga_buf *out, const char *a, size_t alen, const char *b,
                    size_t blen)
{
	lines la = {NULL, 0}, lb = {NULL, 0};
	script s = {NULL, 0};
	int err;

	if ((err = split(&la, a, alen)) < 0 ||
	    (err = split(&lb, b, blen)) < 0 ||
	    (err = make_script(&s, &la, &lb)) < 0)
		goto out;
	hunks(out, &s, &la, &lb);
	err = out->err;
out:
	ga_free(s.op);
	ga_free(la.v);
	ga_free(lb.v);
	return err;
}
