/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading back the inventory ConfigMaps of inventory_codec.c.  They come
 * from the cluster, where anyone with write access to the namespace may
 * have changed them, so nothing is trusted before it is checked: every
 * part must agree on the format, part count, entry count and checksum;
 * the chunk keys must run 0..n-1 without a gap; the stream must inflate
 * within a cap, match its SHA-256, and hold exactly the announced number
 * of canonical, strictly increasing lines.  Each error names the
 * ConfigMap and the field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply_int.h"
#include "apply/inventory.h"
#include "compress/compress.h"
#include "ga/alloc.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "util/base64.h"

#define FORMAT "gitops-agent.inventory/v1"
#define FORMAT_PREFIX "gitops-agent.inventory/"
#define MAX_PAYLOAD GA_INVENTORY__MAX_PAYLOAD
#define MAX_PARTS GA_INVENTORY__MAX_PARTS
#define MAX_CHUNKS 100000
#define MAX_ENTRIES 10000000
#define KEY_PREFIX "inventory."

typedef struct chunk {
	size_t index;
	const ga_node *value, *cm;
} chunk;

typedef struct decoder {
	const ga_node **cms; /* by part number */
	size_t parts, entries;
	const char *sha;
	chunk *chunks;
	size_t nchunks, cap;
} decoder;

static void fail_msg(const ga_node *cm, const char *field, const char *fmt, ...)
    GA_PRINTF(3, 4);

static void fail_msg(const ga_node *cm, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_INVALID, "inventory ConfigMap %s/%s: %s: %s",
	             ga_apply__str(cm, "metadata.namespace", "?"),
	             ga_apply__str(cm, "metadata.name", "?"), field, msg);
}

/* The message, then @code: a macro, so that static analysis sees the
 * code each failure returns (it does not follow varargs calls). */
#define fail(code, cm, ...) (fail_msg((cm), __VA_ARGS__), (code))

/* Plain decimal, no sign, no leading zero, at most @max. */
static bool parse_count(const char *s, size_t max, size_t *out)
{
	size_t v = 0;

	if (!s || !*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (size_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return true;
}

static int read_count(const ga_node *cm, const char *field, size_t max,
                      size_t *out)
{
	const char *s = ga_apply__str(cm, field, NULL);

	if (!parse_count(s, max, out))
		return fail(GA_EINVALID, cm, field,
		            "\"%s\" is not a count from 0 to %zu",
		            s ? s : "(missing)", max);
	return 0;
}

static int check_format(const ga_node *cm)
{
	const char *f = ga_apply__str(cm, "data.format", NULL);

	if (ga_node_type_of(cm) != GA_NODE_MAP ||
	    strcmp(ga_apply__str(cm, "kind", ""), "ConfigMap") != 0)
		return fail(GA_EINVALID, cm, "kind", "not a ConfigMap");
	if (!f)
		return fail(GA_EINVALID, cm, "data.format",
		            "missing: not an inventory");
	if (strcmp(f, FORMAT) == 0)
		return 0;
	if (strncmp(f, FORMAT_PREFIX, strlen(FORMAT_PREFIX)) == 0)
		return fail(GA_EUNSUPPORTED, cm, "data.format",
		            "\"%s\" is not supported (this agent reads %s)", f,
		            FORMAT);
	return fail(GA_EINVALID, cm, "data.format",
	            "\"%s\" is not an inventory format", f);
}

/* The header of one part, checked against the first part's. */
static int read_head(decoder *d, const ga_node *cm, bool first, size_t *part)
{
	size_t parts = 0, entries = 0;
	const char *sha = ga_apply__str(cm, "data.sha256", "");
	int err;

	if ((err = check_format(cm)) < 0 ||
	    (err = read_count(cm, "data.part", MAX_PARTS, part)) < 0 ||
	    (err = read_count(cm, "data.parts", MAX_PARTS, &parts)) < 0 ||
	    (err = read_count(cm, "data.entries", MAX_ENTRIES, &entries)) < 0)
		return err;
	if (strlen(sha) != (size_t)2 * GA_SHA256_LEN ||
	    strspn(sha, "0123456789abcdef") != strlen(sha))
		return fail(GA_EINVALID, cm, "data.sha256",
		            "not 64 lowercase hex digits");
	if (first) {
		d->parts = parts;
		d->entries = entries;
		d->sha = sha;
	} else if (parts != d->parts || entries != d->entries ||
	           strcmp(sha, d->sha) != 0) {
		return fail(GA_EINVALID, cm, "data",
		            "parts, entries or sha256 differ from another "
		            "part's: parts of different inventories");
	}
	return 0;
}

static int add_chunk(decoder *d, const ga_node *cm, size_t index,
                     const ga_node *value)
{
	if (d->nchunks == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		chunk *grown = ga_reallocarray(d->chunks, cap, sizeof(*grown));

		if (!grown)
			return GA_ENOMEM;
		d->chunks = grown;
		d->cap = cap;
	}
	d->chunks[d->nchunks++] = (chunk){index, value, cm};
	return 0;
}

/* "inventory.NNN" spelt exactly as the encoder spells it. */
static bool chunk_index(const char *key, size_t *out)
{
	const char *digits = key + strlen(KEY_PREFIX);
	char again[32];
	size_t v = 0;

	if (strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)) != 0 ||
	    strlen(digits) > 8 ||
	    strspn(digits, "0123456789") != strlen(digits))
		return false;
	for (const char *p = digits; *p; p++)
		v = v * 10 + (size_t)(*p - '0');
	(void)snprintf(again, sizeof(again), KEY_PREFIX "%03zu", v);
	if (v >= MAX_CHUNKS || strcmp(again, key) != 0)
		return false;
	*out = v;
	return true;
}

/* The binaryData keys of one part, which must all be chunks. */
static int read_chunks(decoder *d, const ga_node *cm)
{
	const ga_node *bin = ga_apply__at(cm, "binaryData");
	size_t n =
	    bin && ga_node_type_of(bin) == GA_NODE_MAP ? ga_node_count(bin) : 0;
	int err;

	if (!bin || ga_node_type_of(bin) != GA_NODE_MAP)
		return fail(GA_EINVALID, cm, "binaryData",
		            "missing or not a "
		            "map");
	for (size_t i = 0; i < n; i++) {
		const char *key = ga_node_map_key(bin, i, NULL);
		const ga_node *v = ga_node_map_value(bin, i);
		size_t index;

		if (!chunk_index(key, &index) || !ga_node_str(v))
			return fail(GA_EINVALID, cm, "binaryData",
			            "key \"%s\" is not inventory.NNN with a "
			            "string value",
			            key);
		if ((err = add_chunk(d, cm, index, v)) < 0)
			return err;
	}
	return 0;
}

static int cmp_chunk(const void *pa, const void *pb)
{
	const chunk *a = pa, *b = pb;

	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first part, which messages about the whole name. */
static const ga_node *first_cm(const decoder *d)
{
	return d->cms ? d->cms[0] : NULL;
}

/* The chunks in order, base64-decoded and concatenated. */
static int join_chunks(decoder *d, ga_buf *z)
{
	int err;

	if (d->nchunks == 0)
		return fail(GA_EINVALID, first_cm(d), "binaryData",
		            "no chunks");
	qsort(d->chunks, d->nchunks, sizeof(*d->chunks), cmp_chunk);
	for (size_t i = 0; i < d->nchunks; i++) {
		const chunk *c = &d->chunks[i];

		if (c->index != i)
			return fail(GA_EINVALID, c->cm, "binaryData",
			            "chunk inventory.%03zu is %s", i,
			            c->index > i ? "missing" : "repeated");
		err = ga_base64_decode(z, ga_node_str(c->value),
		                       ga_node_str_len(c->value), false);
		if (err == GA_EINVALID)
			return fail(err, c->cm, "binaryData",
			            "inventory.%03zu: %s", i,
			            ga_error_last()->message);
		if (err == GA_ELIMIT)
			return fail(err, c->cm, "binaryData",
			            "more than %zu "
			            "compressed bytes",
			            MAX_PAYLOAD);
		if (err < 0)
			return err;
	}
	return 0;
}

/* The "<id> <version>" lines of @text into @inv. */
static int read_lines(ga_inventory *inv, const ga_buf *text, const ga_node *cm)
{
	const char *p = text->ptr ? text->ptr : "", *end = p + text->size;
	char version[256], what[64];
	size_t line = 0;
	int err;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *sp = nl ? memchr(p, ' ', (size_t)(nl - p)) : NULL;

		line++;
		(void)snprintf(what, sizeof(what), "payload line %zu", line);
		if (!sp || (size_t)(nl - sp - 1) >= sizeof(version))
			return fail(GA_EINVALID, cm, what,
			            "not \"<id> "
			            "<version>\" ended by a newline");
		memcpy(version, sp + 1, (size_t)(nl - sp - 1));
		version[nl - sp - 1] = '\0';
		if ((err = ga_inventory__append_id(inv, p, (size_t)(sp - p),
		                                   version, what)) < 0)
			return err == GA_EINVALID
			           ? fail(err, cm, "binaryData", "%s",
			                  ga_error_last()->message)
			           : err;
		p = nl + 1;
	}
	return 0;
}

/* Inflate, verify and parse the joined chunks. */
static int read_payload(ga_inventory *inv, decoder *d, const ga_buf *z)
{
	ga_buf text = GA_BUF_INIT(MAX_PAYLOAD);
	char hex[GA_SHA256_HEX_SIZE];
	int err;

	err = ga_compress__inflate(&text, z->ptr, z->size, "zlib stream");
	if (err == GA_EINVALID || err == GA_ELIMIT) {
		err = fail(err, first_cm(d), "binaryData", "%s",
		           ga_error_last()->message);
		goto out;
	}
	if (err < 0 || (err = ga_sha256_hex(hex, text.ptr, text.size)) < 0)
		goto out;
	if (strcmp(hex, d->sha) != 0) {
		err = fail(GA_EVERIFY, first_cm(d), "data.sha256",
		           "the payload's digest is %s", hex);
		goto out;
	}
	if ((err = read_lines(inv, &text, first_cm(d))) < 0)
		goto out;
	if (ga_inventory_count(inv) != d->entries)
		err = fail(GA_EINVALID, first_cm(d), "data.entries",
		           "says %zu, the payload holds %zu", d->entries,
		           ga_inventory_count(inv));
out:
	ga_buf_dispose(&text);
	return err;
}

/* Every part's header and chunks, each part number exactly once. */
static int read_parts(decoder *d, const ga_node *cms)
{
	bool one = ga_node_type_of(cms) == GA_NODE_MAP;
	size_t n = one ? 1 : ga_node_count(cms), part = 0;
	int err;

	if (n == 0) /* the caller refuses an empty list; d->cms needs one */
		return fail(GA_EINVALID, NULL, "items", "no ConfigMaps");
	if (!(d->cms = ga_calloc(n, sizeof(const ga_node *))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const ga_node *cm = one ? cms : ga_node_list_get(cms, i);

		if ((err = read_head(d, cm, i == 0, &part)) < 0)
			return err;
		if (i == 0 && d->parts != n)
			return fail(GA_EINVALID, cm, "data.parts",
			            "says %zu, %zu ConfigMaps given", d->parts,
			            n);
		if (part >= n || d->cms[part])
			return fail(GA_EINVALID, cm, "data.part",
			            "%zu is out of range or repeated", part);
		d->cms[part] = cm;
		if ((err = read_chunks(d, cm)) < 0)
			return err;
	}
	return 0;
}

int ga_inventory_decode(ga_inventory **out, const ga_node *cms)
{
	decoder d = {0};
	ga_buf z = GA_BUF_INIT(MAX_PAYLOAD);
	ga_inventory *inv = NULL;
	int err;

	if (!cms || (ga_node_type_of(cms) != GA_NODE_MAP &&
	             (ga_node_type_of(cms) != GA_NODE_LIST ||
	              ga_node_count(cms) == 0))) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "inventory: expected a "
		             "ConfigMap or a non-empty list of them");
		return GA_EINVALID;
	}
	if ((err = read_parts(&d, cms)) < 0 ||
	    (err = join_chunks(&d, &z)) < 0 ||
	    (err = ga_inventory_new(&inv)) < 0 ||
	    (err = read_payload(inv, &d, &z)) < 0)
		goto out;
	*out = inv;
	inv = NULL;
out:
	ga_inventory_free(inv);
	ga_buf_dispose(&z);
	ga_free(d.chunks);
	ga_free(d.cms);
	return err;
}
