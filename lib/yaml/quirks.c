/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulation of three goyaml bugs that kubectl kustomize's output carries
 * and libyaml does not have (reference: kustomize.md §4.5; the goldens
 * 043, 077 and 081 pin them):
 *
 *  - goyaml.v3's folded-scalar writer, used by kyaml's round trip of a
 *    folded (>) input scalar, decides whether to double a line break by
 *    looking at the start of the value instead of the text after the break;
 *  - goyaml.v2's double-quoted writer tests for a byte-order mark at the
 *    start of the value instead of at the current character, so a string
 *    that starts with U+FEFF comes out with every character escaped;
 *  - goyaml.v2's single-quoted writer, unlike libyaml's, does not indent
 *    after a line break (U+2028, U+2029) that ends the value.
 */
#include "yaml.h"

#include <string.h>

#include "ga/buf.h"
#include "util/utf8.h"

/* State of the folded writer: the body of "k: >" at indent 2, width 80. */
struct folded {
	ga_buf *out;
	size_t col;
	bool indention;
};

static bool is_brk(char c)
{
	return c == '\n';
}

static void folded_indent(struct folded *f)
{
	if (!f->indention || f->col > 2) {
		ga_buf_putc(f->out, '\n');
		f->col = 0;
	}
	while (f->col < 2) {
		ga_buf_putc(f->out, ' ');
		f->col++;
	}
	f->indention = true;
}

static void folded_hints(ga_buf *out, const char *s, size_t len)
{
	if (len && (s[0] == ' ' || is_brk(s[0])))
		ga_buf_putc(out, '2');
	if (!len || !is_brk(s[len - 1]))
		ga_buf_putc(out, '-');
	else if (len == 1 || is_brk(s[len - 2]))
		ga_buf_putc(out, '+');
}

void ga_yaml__write_folded_v3(ga_buf *out, const char *s, size_t len)
{
	struct folded f = {out, 0, false};
	bool breaks = true, leading_spaces = true;
	size_t k = 0;

	ga_buf_puts(out, "k: >");
	folded_hints(out, s, len);
	f.col = out->size;
	while (k < len && is_brk(s[k]))
		k++;
	/* The v3 quirk: this test does not depend on the position. */
	bool start_blankz = k == len || s[k] == ' ' || s[k] == '\t';
	for (size_t i = 0; i < len;) {
		if (is_brk(s[i])) {
			if (!breaks && !leading_spaces && !start_blankz)
				ga_buf_putc(out, '\n');
			ga_buf_putc(out, '\n');
			f.col = 0;
			f.indention = true;
			breaks = true;
			i++;
			continue;
		}
		if (breaks) {
			folded_indent(&f);
			leading_spaces = s[i] == ' ' || s[i] == '\t';
		}
		if (!breaks && s[i] == ' ' && i + 1 < len && s[i + 1] != ' ' &&
		    f.col > 80) {
			f.indention = false;
			folded_indent(&f);
			i++;
		} else {
			size_t n = ga_utf8_seq_len((const unsigned char *)s + i,
			                           len - i);
			ga_buf_put(out, s + i, n ? n : 1);
			i += n ? n : 1;
			f.col++;
		}
		f.indention = false;
		breaks = false;
	}
	if (!breaks)
		ga_buf_putc(out, '\n');
}

/* Decode the rune at s[*i] (valid UTF-8) and advance. */
static uint32_t rune_at(const unsigned char *s, size_t len, size_t *i)
{
	size_t n = ga_utf8_seq_len(s + *i, len - *i);
	uint32_t r;

	if (n <= 1) {
		return s[(*i)++];
	}
	r = s[*i] & (0x7fu >> n);
	for (size_t k = 1; k < n; k++)
		r = (r << 6) | (s[*i + k] & 0x3fu);
	*i += n;
	return r;
}

void ga_yaml__write_v2_bom_quoted(ga_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;

	ga_buf_putc(out, '"');
	for (size_t i = 0; i < len;) {
		uint32_t r = rune_at(u, len, &i);
		const char *short_esc = NULL;
		int digits;

		switch (r) {
		case 0x00:
			short_esc = "\\0";
			break;
		case 0x07:
			short_esc = "\\a";
			break;
		case 0x08:
			short_esc = "\\b";
			break;
		case 0x09:
			short_esc = "\\t";
			break;
		case 0x0a:
			short_esc = "\\n";
			break;
		case 0x0b:
			short_esc = "\\v";
			break;
		case 0x0c:
			short_esc = "\\f";
			break;
		case 0x0d:
			short_esc = "\\r";
			break;
		case 0x1b:
			short_esc = "\\e";
			break;
		case 0x22:
			short_esc = "\\\"";
			break;
		case 0x5c:
			short_esc = "\\\\";
			break;
		case 0x85:
			short_esc = "\\N";
			break;
		case 0xa0:
			short_esc = "\\_";
			break;
		case 0x2028:
			short_esc = "\\L";
			break;
		case 0x2029:
			short_esc = "\\P";
			break;
		default:
			break;
		}
		if (short_esc) {
			ga_buf_puts(out, short_esc);
			continue;
		}
		digits = r <= 0xff ? 2 : r <= 0xffff ? 4 : 8;
		ga_buf_puts(out, digits == 2   ? "\\x"
		                 : digits == 4 ? "\\u"
		                               : "\\U");
		for (int k = (digits - 1) * 4; k >= 0; k -= 4)
			ga_buf_putc(out, hex[(r >> k) & 15]);
	}
	ga_buf_putc(out, '"');
}

/* U+2028 or U+2029, followed by indentation and the closing quote. */
static size_t trailing_break_indent(const char *p, const char *end)
{
	const char *q;

	if (end - p < 5 || (unsigned char)p[0] != 0xe2 ||
	    (unsigned char)p[1] != 0x80 ||
	    ((unsigned char)p[2] != 0xa8 && (unsigned char)p[2] != 0xa9))
		return 0;
	for (q = p + 3; q < end && *q == ' '; q++)
		;
	if (q == p + 3 || q + 1 >= end || *q != '\'' ||
	    (q[1] != '\n' && q[1] != ':'))
		return 0;
	return (size_t)(q - (p + 3));
}

void ga_yaml__fix_v2_single_quoted(ga_buf *out, size_t start)
{
	size_t w = start;

	for (size_t r = start; r < out->size;) {
		size_t spaces =
		    trailing_break_indent(out->ptr + r, out->ptr + out->size);
		if (spaces) {
			memmove(out->ptr + w, out->ptr + r, 3);
			w += 3;
			r += 3 + spaces;
			continue;
		}
		out->ptr[w++] = out->ptr[r++];
	}
	ga_buf_truncate(out, w);
}
