/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Node tree → YAML text, byte-identical to kubectl kustomize's output
 * (reference: kustomize.md §4).  kustomize prints every object through
 * goyaml.v2, whose emitter is a port of libyaml's; so we drive libyaml's
 * emitter with the same event stream goyaml.v2 would produce and make the
 * decisions goyaml.v2 makes before the emitter sees a scalar: keys in
 * natural order, the requested scalar style (literal for multi-line text,
 * plain when the YAML 1.1 resolver would read the text back as a string,
 * double-quoted otherwise) and Go's number formatting.  libyaml then applies
 * the same downgrades (plain → single-quoted → double-quoted) goyaml.v2's
 * port does.
 */
#include "yaml.h"

#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <yaml.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "resolve.h"
#include "util/gofloat.h"
#include "util/utf8.h"

/* Deeper trees cannot come from our parser; built ones are refused before
 * they exhaust the C stack. */
#define EMIT_MAX_DEPTH 1000

struct emitter {
	yaml_emitter_t e;
	ga_buf *out;
	int err; /* our own failure (buffer cap, OOM), over libyaml's */
	/* goyaml.v2 bug emulation (quirks.c): strings starting with U+FEFF
	 * are emitted as placeholders "gaBOM<nonce>_<i>_" and replaced by
	 * their goyaml rendering afterwards; values ending with U+2028 or
	 * U+2029 mark the document for a single-quote fix-up. */
	ga_node *bom;
	uint64_t nonce;
	bool trailing_break;
	bool keep_order; /* ga_yaml_emit_ordered(): kyaml's own encoder */
};

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	struct emitter *em = data;
	int err = ga_buf_put(em->out, buffer, size);

	if (err < 0)
		em->err = err;
	return err < 0 ? 0 : 1;
}

static int emit_event(struct emitter *em, yaml_event_t *ev, int init_ok)
{
	if (!init_ok) {
		ga_error_set_oom();
		return em->err = GA_ENOMEM;
	}
	if (!yaml_emitter_emit(&em->e, ev)) {
		if (em->err)
			return em->err;
		ga_error_set(GA_ERRCLASS_YAML, "YAML emitter: %s",
		             em->e.problem ? em->e.problem : "failed");
		return em->err = GA_ERROR;
	}
	return 0;
}

static int emit_scalar(struct emitter *em, const char *text, size_t len,
                       yaml_scalar_style_t style)
{
	yaml_event_t ev;
	int ok = yaml_scalar_event_initialize(
	    &ev, NULL, NULL, (yaml_char_t *)text, (int)len, 1, 1, style);

	return emit_event(em, &ev, ok);
}

/*
 * Whether kustomize's JSON round trip changes the string: Go's encoder
 * replaces invalid UTF-8 with U+FFFD and writes NEL, DEL, C1 controls,
 * U+FFFE and U+FFFF raw, after which goyaml.v2 folds NEL like a line break
 * and refuses the others.
 */
static bool changed_by_json(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = ga_utf8_seq_len(s + i, len - i);

		if (n == 0 || s[i] == 0x7f)
			return true;
		/* NEL and the other C1 controls: U+0080..U+009F. */
		if (n == 2 && s[i] == 0xc2 && s[i + 1] <= 0x9f)
			return true;
		if (n == 3 && s[i] == 0xef && s[i + 1] == 0xbf &&
		    s[i + 2] >= 0xbe)
			return true;
		i += n;
	}
	return false;
}

/*
 * The string kustomize ends up printing for @s: Go-encode it as JSON, then
 * read that back as a YAML double-quoted scalar, exactly the two steps of
 * its pipeline that change such strings.  *out is a new string node.
 */
static int through_json(ga_node **out, const char *s, size_t len)
{
	ga_buf quoted = GA_BUF_INIT((size_t)INT32_MAX);
	ga_node *docs = NULL;
	int err;

	if ((err = ga_json_quoten(&quoted, s, len, GA_JSON_GO_ESCAPE)) < 0)
		goto out;
	err = ga_yaml_parse(&docs, ga_buf_cstr(&quoted), quoted.size,
	                    "string value", NULL);
	if (err == GA_EINVALID)
		ga_error_prefix("kubectl kustomize cannot print this string");
	if (err < 0)
		goto out;
	err = ga_node_clone(out, ga_node_list_get(docs, 0));
out:
	ga_node_free(docs);
	ga_buf_dispose(&quoted);
	return err;
}

static int emit_string(struct emitter *em, const char *s, size_t len);

static void placeholder(char *buf, size_t cap, uint64_t nonce, size_t i)
{
	snprintf(buf, cap, "gaBOM%016" PRIx64 "_%zu_", nonce, i);
}

static int emit_bom_placeholder(struct emitter *em, const char *s, size_t len)
{
	ga_buf text = GA_BUF_INIT((size_t)INT32_MAX * 2);
	ga_node *r = NULL;
	char token[64];
	int err;

	if (!em->bom && (err = ga_node_new_list(&em->bom)) < 0)
		return em->err = err;
	if (!em->nonce &&
	    getrandom(&em->nonce, sizeof(em->nonce), 0) != sizeof(em->nonce))
		em->nonce = (uint64_t)(uintptr_t)em ^ 0x9e3779b97f4a7c15ull;
	ga_yaml__write_v2_bom_quoted(&text, s, len);
	if ((err = text.err) < 0 ||
	    (err = ga_node_new_string(&r, ga_buf_cstr(&text), text.size)) < 0 ||
	    (err = ga_node_list_append_take(em->bom, r)) < 0) {
		ga_buf_dispose(&text);
		return em->err = err;
	}
	ga_buf_dispose(&text);
	placeholder(token, sizeof(token), em->nonce,
	            ga_node_count(em->bom) - 1);
	return emit_scalar(em, token, strlen(token), YAML_PLAIN_SCALAR_STYLE);
}

/* Replace every placeholder in the document text with its rendering. */
static int substitute_placeholders(struct emitter *em, size_t start)
{
	ga_buf *out = em->out;
	ga_buf tail = GA_BUF_INIT(out->max);
	int err = 0;

	for (size_t i = 0; !err && em->bom && i < ga_node_count(em->bom); i++) {
		const ga_node *r = ga_node_list_get(em->bom, i);
		char token[64];
		const char *at;

		placeholder(token, sizeof(token), em->nonce, i);
		at = memmem(out->ptr + start, out->size - start, token,
		            strlen(token));
		if (!at)
			continue;
		ga_buf_clear(&tail);
		ga_buf_put(&tail, at + strlen(token),
		           out->size - (size_t)(at - out->ptr) - strlen(token));
		ga_buf_truncate(out, (size_t)(at - out->ptr));
		ga_buf_put(out, ga_node_str(r), ga_node_str_len(r));
		ga_buf_put(out, ga_buf_cstr(&tail), tail.size);
		err = out->err ? out->err : tail.err;
	}
	ga_buf_dispose(&tail);
	return err;
}

static int emit_converted_string(struct emitter *em, const char *s, size_t len)
{
	ga_node *v = NULL;
	int err;

	if ((err = through_json(&v, s, len)) < 0)
		return em->err = err;
	err = emit_string(em, ga_node_str(v), ga_node_str_len(v));
	ga_node_free(v);
	return err;
}

/* goyaml.v2 stringv: literal if multi-line, plain if unambiguous.  What
 * kustomize marshals itself (keep_order) skips the JSON round trip. */
static int emit_string(struct emitter *em, const char *s, size_t len)
{
	yaml_scalar_style_t style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;

	if (!em->keep_order && changed_by_json((const unsigned char *)s, len))
		return emit_converted_string(em, s, len);
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return emit_bom_placeholder(em, s, len);
	if (len >= 3 && memcmp(s + len - 3, "\xe2\x80", 2) == 0 &&
	    ((unsigned char)s[len - 1] == 0xa8 ||
	     (unsigned char)s[len - 1] == 0xa9))
		em->trailing_break = true;
	if (len > INT32_MAX) {
		ga_error_set(GA_ERRCLASS_YAML, "string too long to emit");
		return em->err = GA_ELIMIT;
	}
	if (memchr(s, '\n', len))
		style = YAML_LITERAL_SCALAR_STYLE;
	else if (ga_yaml__v2_plain_is_string(s, len))
		style = YAML_PLAIN_SCALAR_STYLE;
	return emit_scalar(em, s, len, style);
}

static int emit_number(struct emitter *em, const ga_node *n)
{
	char text[64];
	int err;

	if (ga_node_type_of(n) == GA_NODE_FLOAT) {
		if ((err = ga_fmt_float_kustomize(text, sizeof(text),
		                                  ga_node_float(n))) < 0)
			return em->err = err;
	} else if (ga_node_is_uint(n)) {
		snprintf(text, sizeof(text), "%" PRIu64, ga_node_uint(n));
	} else {
		snprintf(text, sizeof(text), "%" PRId64, ga_node_int(n));
	}
	return emit_scalar(em, text, strlen(text), YAML_PLAIN_SCALAR_STYLE);
}

static int emit_node(struct emitter *em, const ga_node *n, unsigned depth);

static int emit_map(struct emitter *em, const ga_node *n, unsigned depth)
{
	size_t count = ga_node_count(n);
	struct ga_yaml__key *keys = NULL;
	yaml_event_t ev;
	int err = 0;

	/* One allocation: the keys, then the merge sort's scratch space. */
	if (count && !(keys = ga_calloc(count, 2 * sizeof(*keys))))
		return em->err = GA_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		keys[i].key = ga_node_map_key(n, i, &keys[i].len);
		keys[i].index = i;
	}
	if (count && !em->keep_order)
		ga_yaml__sort_keys(keys, keys + count, count);
	err = emit_event(em, &ev,
	                 yaml_mapping_start_event_initialize(
	                     &ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
	for (size_t i = 0; !err && i < count; i++) {
		if ((err = emit_string(em, keys[i].key, keys[i].len)) < 0)
			break;
		err = emit_node(em, ga_node_map_value(n, keys[i].index),
		                depth + 1);
	}
	if (!err)
		err =
		    emit_event(em, &ev, yaml_mapping_end_event_initialize(&ev));
	ga_free(keys);
	return err;
}

static int emit_list(struct emitter *em, const ga_node *n, unsigned depth)
{
	yaml_event_t ev;
	int err;

	err = emit_event(em, &ev,
	                 yaml_sequence_start_event_initialize(
	                     &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
	for (size_t i = 0; !err && i < ga_node_count(n); i++)
		err = emit_node(em, ga_node_list_get(n, i), depth + 1);
	if (!err)
		err = emit_event(em, &ev,
		                 yaml_sequence_end_event_initialize(&ev));
	return err;
}

static int emit_node(struct emitter *em, const ga_node *n, unsigned depth)
{
	if (depth > EMIT_MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_YAML,
		             "document nested deeper than %d levels",
		             EMIT_MAX_DEPTH);
		return em->err = GA_ELIMIT;
	}
	switch (ga_node_type_of(n)) {
	case GA_NODE_NULL:
		return emit_scalar(em, "null", 4, YAML_PLAIN_SCALAR_STYLE);
	case GA_NODE_BOOL:
		return ga_node_bool(n)
		           ? emit_scalar(em, "true", 4, YAML_PLAIN_SCALAR_STYLE)
		           : emit_scalar(em, "false", 5,
		                         YAML_PLAIN_SCALAR_STYLE);
	case GA_NODE_INT:
	case GA_NODE_FLOAT:
		return emit_number(em, n);
	case GA_NODE_STRING:
		return emit_string(em, ga_node_str(n), ga_node_str_len(n));
	case GA_NODE_MAP:
		return emit_map(em, n, depth);
	case GA_NODE_LIST:
		return emit_list(em, n, depth);
	}
	return 0;
}

/*
 * Start an emitter writing to @out with goyaml.v2's settings (unicode on,
 * indent 2, width 80: libyaml's defaults) and open one implicit document.
 * On failure the emitter needs no cleanup.
 */
static int emitter_open(struct emitter *em, ga_buf *out, bool keep_order)
{
	yaml_event_t ev;
	int err;

	memset(em, 0, sizeof(*em));
	em->out = out;
	em->keep_order = keep_order;
	if (!yaml_emitter_initialize(&em->e)) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	yaml_emitter_set_output(&em->e, write_handler, em);
	yaml_emitter_set_unicode(&em->e, 1);
	/* goyaml.v3 does not fold long plain scalars; libyaml reads a
	 * negative width as unlimited. */
	if (keep_order)
		yaml_emitter_set_width(&em->e, -1);
	if ((err = emit_event(em, &ev,
	                      yaml_stream_start_event_initialize(
	                          &ev, YAML_UTF8_ENCODING))) < 0 ||
	    (err = emit_event(em, &ev,
	                      yaml_document_start_event_initialize(
	                          &ev, NULL, NULL, NULL, 1))) < 0) {
		yaml_emitter_delete(&em->e);
		return err;
	}
	return 0;
}

/* Close the document and the stream, flushing everything to the buffer. */
static int emitter_close(struct emitter *em)
{
	yaml_event_t ev;
	int err;

	if ((err = emit_event(em, &ev,
	                      yaml_document_end_event_initialize(&ev, 1))) < 0)
		return err;
	return emit_event(em, &ev, yaml_stream_end_event_initialize(&ev));
}

static int emit_doc(ga_buf *out, const ga_node *doc, bool keep_order, bool fast)
{
	struct emitter em;
	size_t start = out->size;
	int err;

	if (fast &&
	    (err = ga_yaml__emit_fast(out, doc, keep_order)) != GA_YAML__SLOW)
		return err;
	if ((err = emitter_open(&em, out, keep_order)) < 0)
		return err;
	if ((err = emit_node(&em, doc, 0)) < 0 ||
	    (err = emitter_close(&em)) < 0)
		goto out;
	/* libyaml ends a document whose last scalar kept its trailing
	 * newlines (|+) with "..."; goyaml.v2 does not.  A string "..."
	 * would be quoted, so a last line "..." is always that marker. */
	if (out->size - start >= 4 &&
	    memcmp(out->ptr + out->size - 4, "...\n", 4) == 0 &&
	    (out->size - start == 4 || out->ptr[out->size - 5] == '\n'))
		ga_buf_truncate(out, out->size - 4);
	if (em.trailing_break)
		ga_yaml__fix_v2_single_quoted(out, start);
	err = substitute_placeholders(&em, start);
out:
	ga_node_free(em.bom);
	yaml_emitter_delete(&em.e);
	if (err < 0 && !out->err)
		ga_buf_truncate(out, start);
	return err;
}

int ga_yaml_emit(ga_buf *out, const ga_node *doc)
{
	return emit_doc(out, doc, false, true);
}

int ga_yaml__emit_libyaml(ga_buf *out, const ga_node *doc)
{
	return emit_doc(out, doc, false, false);
}

int ga_yaml_emit_ordered(ga_buf *out, const ga_node *doc)
{
	return emit_doc(out, doc, true, true);
}

int ga_yaml_emit_stream(ga_buf *out, const ga_node *docs)
{
	bool first = true;
	int err;

	for (size_t i = 0; i < ga_node_count(docs); i++) {
		const ga_node *doc = ga_node_list_get(docs, i);

		if (ga_node_type_of(doc) == GA_NODE_NULL)
			continue;
		if (!first && (err = ga_buf_puts(out, "---\n")) < 0)
			return err;
		if ((err = ga_yaml_emit(out, doc)) < 0)
			return err;
		first = false;
	}
	return 0;
}

/* Whether libyaml (like goyaml) may write @s as a block scalar at all. */
static int folded_allowed(bool *out, const char *s, size_t len)
{
	struct emitter em;
	ga_buf text = GA_BUF_INIT((size_t)INT32_MAX);
	int err;

	if ((err = emitter_open(&em, &text, false)) < 0)
		return err; /* nothing was written to text yet */
	if ((err = emit_scalar(&em, s, len, YAML_FOLDED_SCALAR_STYLE)) < 0 ||
	    (err = emitter_close(&em)) < 0)
		goto out;
	*out = text.size > 0 && text.ptr[0] == '>';
out:
	yaml_emitter_delete(&em.e);
	ga_buf_dispose(&text);
	return err;
}

/*
 * Whether goyaml.v3's folded writer can differ from libyaml's for @s: only
 * when the value starts with a blank or a break, or a run of breaks is
 * followed by a blank or ends the value.  Most folded values are single
 * paragraphs and skip the round trip entirely.
 */
static bool refold_may_change(const char *s, size_t len)
{
	if (len == 0 || s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
		return true;
	for (size_t i = 1; i < len; i++) {
		if (s[i] != '\n')
			continue;
		while (i < len && s[i] == '\n')
			i++;
		if (i == len || s[i] == ' ' || s[i] == '\t')
			return true;
	}
	return false;
}

int ga_yaml__refold(ga_node **out, const char *s, size_t len)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_buf text = GA_BUF_INIT((size_t)INT32_MAX);
	ga_node *docs = NULL;
	bool folded = false;
	int err;

	if (!refold_may_change(s, len))
		return ga_node_new_string(out, s, len);
	if ((err = folded_allowed(&folded, s, len)) < 0)
		return err;
	/* Written any other way, the round trip is lossless. */
	if (!folded)
		return ga_node_new_string(out, s, len);
	ga_yaml__write_folded_v3(&text, s, len);
	opts.flags = GA_YAML__NO_REFOLD;
	if ((err = text.err) < 0 ||
	    (err = ga_yaml_parse(&docs, ga_buf_cstr(&text), text.size,
	                         "folded scalar", &opts)) < 0)
		goto out;
	err =
	    ga_node_clone(out, ga_node_map_get(ga_node_list_get(docs, 0), "k"));
out:
	ga_node_free(docs);
	ga_buf_dispose(&text);
	return err;
}
