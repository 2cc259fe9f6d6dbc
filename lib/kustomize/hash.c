/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kustomize's generated-name hash (api/hasher/hasher.go of kustomize v5.5.0,
 * kustomize.md §2.9 and Appendix), reproduced byte for byte for ConfigMaps
 * and Secrets and checked against kubectl v1.32.4 (test-kust-hash.c).
 *
 * The hasher builds a Go map and hashes json.Marshal of it:
 *   ConfigMap: {"binaryData":B?,"data":D,"kind":"ConfigMap","name":N}
 *   Secret:    {"data":D,"kind":"Secret","name":N,"stringData":S?,"type":T}
 * Each field is looked up as one top-level key, so "metadata/name" is never
 * found and N is always "" in practice.  A field's value is:
 *   - absent: "";
 *   - a scalar: its text, as a JSON string ("5", "null", "true");
 *   - a map: the map after a YAML -> JSON -> map[string]interface{} round
 *     trip, so every number becomes a float64 (2^64-ish integers lose
 *     digits) and keys are sorted bytewise;
 *   - a list: null, because the hasher unmarshals it into a map, ignores
 *     the error and keeps the nil map.
 * binaryData and stringData are present when they are a map or a list (a
 * nil map still passes the hasher's type check), absent otherwise.  Strings
 * follow Go's escaping (\u003c \u003e \u0026 \u2028 \u2029, \b \f \n \r \t,
 * other control bytes as \u00XX).  The suffix is the first 10 hex digits of
 * the SHA-256 with 0->g 1->h 3->k a->m e->t.
 *
 * Known deviations, both outside what generators produce:
 *   - A scalar field keeps its source text in kubectl ("data: 1.50" hashes
 *     "1.50"); the node model keeps only the value, so floats hash in Go's
 *     JSON form ("1.5"), which is what a JSON 6902 patch leaves anyway.
 *
 * For any other kind (an input object with kustomize's needsHashSuffix
 * annotation, a generated one whose kind a patch changed) kubectl hashes
 * json.Marshal of its goyaml.v3 yaml.Node: {"Kind":4,"Style":0,"Tag":
 * "!!map",...,"Content":[...],"HeadComment":"",...,"Line":1,"Column":1},
 * node kinds, styles, tags, comments and source positions, as kyaml's
 * transformers left them (checked: an untouched input Service hashes
 * exactly so).  The node model keeps neither styles nor comments, so such
 * a hash is refused rather than computed some other way.
 */
#include "hash.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "ga/json.h"
#include "util/bytes.h"
#include "util/gofloat.h"

/* Go JSON, as encoding/json writes a map[string]interface{}. */
#define GO_JSON (GA_JSON_SORT_KEYS | GA_JSON_GO_ESCAPE)

/* Pending JSON is handed to SHA-256 once it reaches this size. */
#define FLUSH_AT ((size_t)64 << 10)

/* The buffer holds one pending chunk plus one escaped scalar or, for other
 * kinds, the whole object; inputs are capped far below (YAML: 32 MiB). */
#define HASH_BUF_MAX ((size_t)1 << 30)

/* Nesting allowed inside a hashed field (the parsers stop at 256 and 512). */
#define MAX_DEPTH 1024

struct hasher {
	ga_sha256_ctx *sha;
	ga_buf buf; /* JSON not yet fed to sha */
};

/* Feed the pending JSON to SHA-256; a sticky buffer error surfaces here. */
static int flush(struct hasher *h)
{
	int err;

	if (h->buf.err)
		return h->buf.err;
	if ((err = ga_sha256_update(h->sha, h->buf.ptr, h->buf.size)) < 0)
		return err;
	ga_buf_clear(&h->buf);
	return 0;
}

static int maybe_flush(struct hasher *h)
{
	return h->buf.size >= FLUSH_AT ? flush(h) : 0;
}

static int put_number(struct hasher *h, double x)
{
	char num[GA_FMT_FLOAT_MAX];
	int err;

	if ((err = ga_fmt_float_json(num, sizeof(num), x)) < 0)
		return err;
	return ga_buf_puts(&h->buf, num);
}

struct key {
	const char *key;
	size_t len;
	size_t index;
};

static int key_compare(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	return ga_bytes_cmp(x->key, x->len, y->key, y->len);
}

static int put_decoded(struct hasher *h, const ga_node *n, unsigned depth);

/* A map's entries in Go's order: keys sorted bytewise. */
static int put_decoded_map(struct hasher *h, const ga_node *n, unsigned depth)
{
	size_t count = ga_node_count(n);
	struct key *keys = NULL;
	int err = 0;

	if (count && !(keys = ga_calloc(count, sizeof(*keys)))) {
		err = GA_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		keys[i].key = ga_node_map_key(n, i, &keys[i].len);
		keys[i].index = i;
	}
	if (count > 1)
		qsort(keys, count, sizeof(*keys), key_compare);
	ga_buf_putc(&h->buf, '{');
	for (size_t i = 0; i < count; i++) {
		if (i)
			ga_buf_putc(&h->buf, ',');
		ga_json_quoten(&h->buf, keys[i].key, keys[i].len, GO_JSON);
		ga_buf_putc(&h->buf, ':');
		err = put_decoded(h, ga_node_map_value(n, keys[i].index),
		                  depth + 1);
		if (err < 0 || (err = maybe_flush(h)) < 0)
			goto out;
	}
	ga_buf_putc(&h->buf, '}');
out:
	ga_free(keys);
	return err;
}

/*
 * @n as Go's json.Marshal writes what json.Unmarshal made of it: every
 * number a float64, map keys sorted.
 */
static int put_decoded(struct hasher *h, const ga_node *n, unsigned depth)
{
	int err = 0;

	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "name hash: value nested deeper than %d",
		             MAX_DEPTH);
		return GA_ELIMIT;
	}
	switch (ga_node_type_of(n)) {
	case GA_NODE_NULL:
		return ga_buf_puts(&h->buf, "null");
	case GA_NODE_BOOL:
		return ga_buf_puts(&h->buf, ga_node_bool(n) ? "true" : "false");
	case GA_NODE_INT:
		if (ga_node_is_uint(n))
			return put_number(h, (double)ga_node_uint(n));
		return put_number(h, (double)ga_node_int(n));
	case GA_NODE_FLOAT:
		return put_number(h, ga_node_float(n));
	case GA_NODE_STRING:
		return ga_json_quoten(&h->buf, ga_node_str(n),
		                      ga_node_str_len(n), GO_JSON);
	case GA_NODE_MAP:
		return put_decoded_map(h, n, depth);
	case GA_NODE_LIST:
		ga_buf_putc(&h->buf, '[');
		for (size_t i = 0; !err && i < ga_node_count(n); i++) {
			if (i)
				ga_buf_putc(&h->buf, ',');
			err = put_decoded(h, ga_node_list_get(n, i), depth + 1);
		}
		return err < 0 ? err : ga_buf_putc(&h->buf, ']');
	}
	return 0;
}

/* A scalar's text as kyaml's YNode().Value holds it, quoted. */
static int put_scalar_text(struct hasher *h, const ga_node *n)
{
	char num[GA_FMT_FLOAT_MAX];
	int err;

	switch (ga_node_type_of(n)) {
	case GA_NODE_STRING:
		return ga_json_quoten(&h->buf, ga_node_str(n),
		                      ga_node_str_len(n), GO_JSON);
	case GA_NODE_NULL:
		return ga_buf_puts(&h->buf, "\"null\"");
	case GA_NODE_BOOL:
		return ga_buf_puts(&h->buf,
		                   ga_node_bool(n) ? "\"true\"" : "\"false\"");
	case GA_NODE_INT:
		if (ga_node_is_uint(n))
			return ga_buf_printf(&h->buf, "\"%" PRIu64 "\"",
			                     ga_node_uint(n));
		return ga_buf_printf(&h->buf, "\"%" PRId64 "\"",
		                     ga_node_int(n));
	case GA_NODE_FLOAT:
		if ((err = ga_fmt_float_json(num, sizeof(num),
		                             ga_node_float(n))) < 0)
			return err;
		return ga_buf_printf(&h->buf, "\"%s\"", num);
	default:
		return 0;
	}
}

/* The hasher's getNodeValues() for one field; @n is NULL when absent. */
static int put_field(struct hasher *h, const ga_node *n)
{
	if (!n)
		return ga_buf_puts(&h->buf, "\"\"");
	if (ga_node_type_of(n) == GA_NODE_MAP)
		return put_decoded(h, n, 0);
	if (ga_node_type_of(n) == GA_NODE_LIST)
		return ga_buf_puts(&h->buf, "null");
	return put_scalar_text(h, n);
}

/* binaryData and stringData count when the hasher got a (maybe nil) map. */
static bool is_collection(const ga_node *n)
{
	return n && (ga_node_type_of(n) == GA_NODE_MAP ||
	             ga_node_type_of(n) == GA_NODE_LIST);
}

/* Write "<key>":<field of @obj under @key> followed by @sep. */
static int put_member(struct hasher *h, const char *key, const ga_node *obj,
                      const char *sep)
{
	int err;

	ga_buf_printf(&h->buf, "\"%s\":", key);
	if ((err = put_field(h, ga_node_map_get(obj, key))) < 0)
		return err;
	return ga_buf_puts(&h->buf, sep);
}

/* The name, looked up as kustomize does: as the single key
 * "metadata/name", which objects never have, so "" in practice. */
static int put_name(struct hasher *h, const ga_node *obj, const char *sep)
{
	int err;

	ga_buf_puts(&h->buf, "\"name\":");
	if ((err = put_field(h, ga_node_map_get(obj, "metadata/name"))) < 0)
		return err;
	return ga_buf_puts(&h->buf, sep);
}

static int put_config_map(struct hasher *h, const ga_node *obj)
{
	int err = 0;

	ga_buf_putc(&h->buf, '{');
	if (is_collection(ga_node_map_get(obj, "binaryData")))
		err = put_member(h, "binaryData", obj, ",");
	if (err < 0 || (err = put_member(h, "data", obj, ",")) < 0)
		return err;
	ga_buf_puts(&h->buf, "\"kind\":\"ConfigMap\",");
	if ((err = put_name(h, obj, "")) < 0)
		return err;
	return ga_buf_putc(&h->buf, '}');
}

static int put_secret(struct hasher *h, const ga_node *obj)
{
	int err;

	ga_buf_putc(&h->buf, '{');
	if ((err = put_member(h, "data", obj, ",")) < 0)
		return err;
	ga_buf_puts(&h->buf, "\"kind\":\"Secret\",");
	if ((err = put_name(h, obj, ",")) < 0)
		return err;
	if (is_collection(ga_node_map_get(obj, "stringData")) &&
	    (err = put_member(h, "stringData", obj, ",")) < 0)
		return err;
	if ((err = put_member(h, "type", obj, "")) < 0)
		return err;
	return ga_buf_putc(&h->buf, '}');
}

static bool kind_is(const ga_node *obj, const char *kind)
{
	const ga_node *k = ga_node_map_get(obj, "kind");
	size_t len = strlen(kind);

	return k && ga_node_type_of(k) == GA_NODE_STRING &&
	       ga_node_str_len(k) == len &&
	       memcmp(ga_node_str(k), kind, len) == 0;
}

static int refuse_other_kind(const ga_node *obj)
{
	const ga_node *k = ga_node_map_get(obj, "kind");

	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "the name hash of a %s: kubectl hashes the YAML node tree "
	             "of kinds other than ConfigMap and Secret, source lines, "
	             "columns, quoting and comments included; not supported "
	             "by gitops-agent build",
	             k && ga_node_str(k) ? ga_node_str(k) : "(no kind)");
	return GA_EUNSUPPORTED;
}

/* The first ten hex digits, with kubectl's substitutions (no vowels, no
 * digits that read like letters). */
static void encode_suffix(char out[GA_KUST_HASH_LEN + 1],
                          const unsigned char md[GA_SHA256_LEN])
{
	char hex[GA_SHA256_HEX_SIZE];

	ga_hex(hex, md, GA_SHA256_LEN);
	for (size_t i = 0; i < GA_KUST_HASH_LEN; i++) {
		switch (hex[i]) {
		case '0':
			hex[i] = 'g';
			break;
		case '1':
			hex[i] = 'h';
			break;
		case '3':
			hex[i] = 'k';
			break;
		case 'a':
			hex[i] = 'm';
			break;
		case 'e':
			hex[i] = 't';
			break;
		default:
			break;
		}
	}
	memcpy(out, hex, GA_KUST_HASH_LEN);
	out[GA_KUST_HASH_LEN] = '\0';
}

int ga_kust__name_hash(char out[GA_KUST_HASH_LEN + 1], const ga_node *obj)
{
	struct hasher h = {NULL, GA_BUF_INIT(HASH_BUF_MAX)};
	unsigned char md[GA_SHA256_LEN];
	int err = 0;

	if (!obj || ga_node_type_of(obj) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "name hash: the object is not a map");
		return GA_EINVALID;
	}
	if ((err = ga_sha256_new(&h.sha)) < 0)
		goto out;
	if (kind_is(obj, "ConfigMap"))
		err = put_config_map(&h, obj);
	else if (kind_is(obj, "Secret"))
		err = put_secret(&h, obj);
	else
		err = refuse_other_kind(obj);
	if (err < 0 || (err = flush(&h)) < 0 ||
	    (err = ga_sha256_final(md, h.sha)) < 0)
		goto out;

	encode_suffix(out, md);
out:
	ga_sha256_free(h.sha);
	ga_buf_dispose(&h.buf);
	return err;
}
