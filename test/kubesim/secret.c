/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Secret as kube-apiserver stores it.  Its data values are bytes
 * ([]byte in the Go type), which JSON carries as base64: the server
 * decodes them when it reads the body and encodes them again when it
 * writes an answer, so what a client reads back is the canonical
 * encoding (padded, one line) whatever it sent: a value wrapped over
 * lines, as kustomize's secretGenerator writes long ones, reads back
 * unwrapped.  The decoder is Go's base64.StdEncoding, which skips CR and
 * LF anywhere, requires padding and ignores the unused bits of the last
 * character; a value it refuses fails the decoding of the whole body, a
 * 400 BadRequest ("Secret in version "v1" cannot be handled as a Secret:
 * illegal base64 data at input byte N"), as do values of the wrong JSON
 * type.  stringData is write-only: the conversion to the internal type
 * moves each value into data (over a key data already has) and drops
 * it.  Then validation: every key must be a config key (422 Invalid on
 * data[KEY], IsConfigMapKey's messages).
 */
#include "kubesim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

#define KEY_MAX 253
#define KEY_MSG                                                                \
	"a valid config key must consist of alphanumeric characters, '-', "    \
	"'_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "  \
	"used for validation is '[-._a-zA-Z0-9]+')"

/* The alphabet, then the padding character at 64. */
static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

/* The 6 bits @c stands for, or -1. */
static int b64_val(unsigned char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p && p - b64 < 64 ? (int)(p - b64) : -1;
}

static bool newline(char c)
{
	return c == '\n' || c == '\r';
}

/*
 * One quantum of up to four characters from @in at *@si, as Go's
 * decodeQuantum: *@bad is the offset of the first illegal byte (then
 * -1 is returned), else the number of bytes appended to @out (0 at the
 * end).
 */
static int quantum(ga_buf *out, const char *in, size_t len, size_t *si,
                   size_t *bad)
{
	unsigned char dbuf[4] = {0, 0, 0, 0};
	size_t j, dlen = 4;
	unsigned val;

	for (j = 0; j < 4; j++) {
		int v;
		char c;
		if (*si == len) {
			if (j == 0)
				return 0;
			/* Padding is required: a short quantum is illegal. */
			*bad = *si - j;
			return -1;
		}
		c = in[(*si)++];
		if ((v = b64_val((unsigned char)c)) >= 0) {
			dbuf[j] = (unsigned char)v;
			continue;
		}
		if (newline(c)) {
			j--;
			continue;
		}
		if (c != '=' || j < 2) {
			*bad = *si - 1;
			return -1;
		}
		if (j == 2) {
			/* "==": the second one, perhaps after newlines. */
			while (*si < len && newline(in[*si]))
				(*si)++;
			if (*si == len) {
				*bad = len;
				return -1;
			}
			if (in[(*si)++] != '=') {
				*bad = *si - 2;
				return -1;
			}
		}
		while (*si < len && newline(in[*si]))
			(*si)++;
		if (*si < len) {
			*bad = *si; /* trailing garbage after the padding */
			return -1;
		}
		dlen = j;
		break;
	}
	val = (unsigned)dbuf[0] << 18 | (unsigned)dbuf[1] << 12 |
	      (unsigned)dbuf[2] << 6 | dbuf[3];
	for (j = 0; j + 1 < dlen; j++)
		(void)ga_buf_putc(out, (char)(val >> (16 - 8 * j) & 0xff));
	return (int)dlen - 1;
}

int ks_base64_decode(ga_buf *out, const char *in, size_t len, size_t *bad)
{
	size_t si = 0;
	int n;

	while ((n = quantum(out, in, len, &si, bad)) > 0)
		;
	if (n < 0)
		return GA_EINVALID;
	return out->err;
}

int ks_base64_encode(ga_buf *out, const unsigned char *in, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
		             in[i + 2];
		(void)ga_buf_putc(out, b64[v >> 18 & 63]);
		(void)ga_buf_putc(out, b64[v >> 12 & 63]);
		(void)ga_buf_putc(out, b64[v >> 6 & 63]);
		(void)ga_buf_putc(out, b64[v & 63]);
	}
	if (i < len) {
		unsigned v = (unsigned)in[i] << 16 |
		             (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0);
		(void)ga_buf_putc(out, b64[v >> 18 & 63]);
		(void)ga_buf_putc(out, b64[v >> 12 & 63]);
		(void)ga_buf_putc(out, b64[i + 1 < len ? v >> 6 & 63 : 64]);
		(void)ga_buf_putc(out, '=');
	}
	return out->err;
}

/* The JSON type encoding/json names in an UnmarshalTypeError. */
static const char *json_type(const ga_node *v)
{
	switch (ks_type(v)) {
	case GA_NODE_MAP:
		return "object";
	case GA_NODE_LIST:
		return "array";
	case GA_NODE_BOOL:
		return "bool";
	case GA_NODE_STRING:
		return "string";
	default:
		return "number";
	}
}

/* 400: the body cannot be decoded into a v1 Secret. */
static int undecodable(ks_status *st, const char *fmt, ...) GA_PRINTF(2, 3);

static int undecodable(ks_status *st, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ks_status_set(st, 400, "BadRequest",
	              "Secret in version \"v1\" cannot be handled as a "
	              "Secret: %s",
	              why);
	return GA_EINVALID;
}

/* @v (a data value) decoded and encoded again, in place. */
static int canonical_value(ga_node *data, size_t i, ks_status *st)
{
	ga_buf raw = GA_BUF_INIT(64u << 20), enc = GA_BUF_INIT(96u << 20);
	const ga_node *v = ga_node_map_value(data, i);
	size_t klen = 0, bad = 0;
	const char *key = ga_node_map_key(data, i, &klen);
	ga_node *s = NULL;
	int err;

	if (ks_type(v) == GA_NODE_NULL)
		return 0; /* a nil []byte, written back as null */
	if (ks_type(v) != GA_NODE_STRING)
		return undecodable(st,
		                   "json: cannot unmarshal %s into Go struct "
		                   "field Secret.%s of type []uint8",
		                   json_type(v), "data");
	err = ks_base64_decode(&raw, ks_str(v), ks_str_len(v), &bad);
	if (err == GA_EINVALID) {
		err = undecodable(st, "illegal base64 data at input byte %zu",
		                  bad);
		goto out;
	}
	if (err < 0 ||
	    (err = ks_base64_encode(&enc, (const unsigned char *)raw.ptr,
	                            raw.size)) < 0 ||
	    (err = ga_node_new_string(&s, enc.size ? enc.ptr : "", enc.size)) <
	        0 ||
	    (err = ga_node_map_setn_take(data, key, klen, s)) < 0)
		goto out;
out:
	ga_buf_dispose(&raw);
	ga_buf_dispose(&enc);
	return err;
}

/* stringData's values moved into @data, encoded; stringData dropped. */
static int merge_string_data(ga_node *obj, ga_node *data, ks_status *st)
{
	ga_node *sd = ks_remove(obj, "stringData"), *s = NULL;
	ga_buf enc = GA_BUF_INIT(96u << 20);
	size_t i, klen;
	int err = 0;

	for (i = 0; i < ks_count(sd) && err == 0; i++) {
		const ga_node *v = ga_node_map_value(sd, i);
		const char *key = ga_node_map_key(sd, i, &klen);
		if (ks_type(v) != GA_NODE_STRING &&
		    ks_type(v) != GA_NODE_NULL) {
			err =
			    undecodable(st,
			                "json: cannot unmarshal %s into Go "
			                "struct field Secret.%s of type string",
			                json_type(v), "stringData");
			break;
		}
		ga_buf_clear(&enc);
		/* null is the empty string, as encoding/json leaves it. */
		if ((err = ks_base64_encode(&enc,
		                            (const unsigned char *)ks_str(v),
		                            ks_str_len(v))) < 0 ||
		    (err = ga_node_new_string(&s, enc.size ? enc.ptr : "",
		                              enc.size)) < 0)
			break;
		err = ga_node_map_setn_take(data, key, klen, s);
	}
	ga_buf_dispose(&enc);
	ga_node_free(sd);
	return err;
}

/* data and stringData must be maps (or null) before anything else. */
static int check_maps(const ga_node *obj, ks_status *st)
{
	const ga_node *data = ks_get(obj, "data");
	const ga_node *sd = ks_get(obj, "stringData");

	if (data && ks_type(data) != GA_NODE_NULL &&
	    ks_type(data) != GA_NODE_MAP)
		return undecodable(st,
		                   "json: cannot unmarshal %s into Go struct "
		                   "field Secret.data of type %s",
		                   json_type(data), "map[string][]uint8");
	if (sd && ks_type(sd) != GA_NODE_NULL && ks_type(sd) != GA_NODE_MAP)
		return undecodable(st,
		                   "json: cannot unmarshal %s into Go struct "
		                   "field Secret.stringData of type %s",
		                   json_type(sd), "map[string]string");
	return 0;
}

/* Why @key (of @len bytes) is no config key, or NULL. */
static const char *bad_key(const char *key, size_t len)
{
	size_t i;

	if (len > KEY_MAX)
		return "must be no more than 253 characters";
	for (i = 0; i < len; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') ||
		      (key[i] >= 'A' && key[i] <= 'Z') ||
		      (key[i] >= '0' && key[i] <= '9') || key[i] == '-' ||
		      key[i] == '_' || key[i] == '.'))
			return KEY_MSG;
	if (!len)
		return KEY_MSG;
	if (len == 1 && key[0] == '.')
		return "must not be '.'";
	if (len == 2 && key[0] == '.' && key[1] == '.')
		return "must not be '..'";
	if (key[0] == '.' && key[1] == '.')
		return "must not start with '..'";
	return NULL;
}

/* 422 on the first key of @data that is no config key. */
static int check_keys(const ks_resource *res, const ga_node *obj,
                      const ga_node *data, ks_status *st)
{
	const char *name = ks_meta_str(obj, "name"), *why;
	char field[600], msg[800];
	size_t i, len = 0;

	for (i = 0; i < ks_count(data); i++) {
		const char *key = ga_node_map_key(data, i, &len);
		if (!(why = bad_key(key, len)))
			continue;
		(void)snprintf(field, sizeof(field), "data[%.*s]", (int)len,
		               key);
		(void)snprintf(msg, sizeof(msg), "Invalid value: \"%.*s\": %s",
		               (int)len, key, why);
		return ks_status_invalid(st, res, name ? name : "", field,
		                         "FieldValueInvalid", msg);
	}
	return 0;
}

int ks_secret_canonical(const ks_resource *res, ga_node *obj, ks_status *st)
{
	ga_node *data;
	size_t i;
	int err;

	if (res->group[0] || strcmp(res->kind, "Secret") != 0)
		return 0;
	if ((err = check_maps(obj, st)) < 0)
		return err;
	data = ks_get(obj, "data");
	for (i = 0; ks_type(data) == GA_NODE_MAP && i < ks_count(data); i++)
		if ((err = canonical_value(data, i, st)) < 0)
			return err;
	if (ks_count(ks_get(obj, "stringData"))) {
		if (ks_type(data) != GA_NODE_MAP) {
			if ((err = ga_node_new_map(&data)) < 0 ||
			    (err = ga_node_map_set_take(obj, "data", data)) < 0)
				return err;
		}
		if ((err = merge_string_data(obj, data, st)) < 0)
			return err;
	}
	ga_node_free(ks_remove(obj, "stringData"));
	/* An empty or null map is omitted, as the server writes it. */
	if (!ks_count(data))
		ga_node_free(ks_remove(obj, "data"));
	return check_keys(res, obj, ks_get(obj, "data"), st);
}
