/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Secret's data as kube-apiserver keeps it (secret.c): base64 decoded
 * the way Go's base64.StdEncoding does (line breaks skipped, padding
 * required, the offset of the first illegal byte in the error), encoded
 * again canonically, stringData merged over data, and keys checked.
 */
#include <stdio.h>
#include <string.h>

#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"

/* @in decoded and encoded again, or "bad N". */
static const char *round_trip(const char *in)
{
	static char shown[128];
	ga_buf raw = GA_BUF_INIT(1 << 16), enc = GA_BUF_INIT(1 << 16);
	size_t bad = 0;

	if (ks_base64_decode(&raw, in, strlen(in), &bad) < 0) {
		(void)snprintf(shown, sizeof(shown), "bad %zu", bad);
	} else {
		CHECK_OK(ks_base64_encode(&enc, (const unsigned char *)raw.ptr,
		                          raw.size));
		(void)snprintf(shown, sizeof(shown), "%s", ga_buf_cstr(&enc));
	}
	ga_buf_dispose(&raw);
	ga_buf_dispose(&enc);
	return shown;
}

static void test_base64(void)
{
	CHECK_EQ_STR(round_trip(""), "");
	CHECK_EQ_STR(round_trip("Zg=="), "Zg==");
	CHECK_EQ_STR(round_trip("Zm8="), "Zm8=");
	CHECK_EQ_STR(round_trip("Zm9v"), "Zm9v");
	/* Line breaks anywhere are skipped; the answer is one line. */
	CHECK_EQ_STR(round_trip("aGVs\nbG8=\r\n"), "aGVsbG8=");
	CHECK_EQ_STR(round_trip("aGVsbG8\n=\n"), "aGVsbG8=");
	CHECK_EQ_STR(round_trip("Z\r\ng=\n="), "Zg==");
	/* Unused bits are ignored (not strict), then written as zero. */
	CHECK_EQ_STR(round_trip("Zh=="), "Zg==");
	/* Go's offsets: a short quantum at its start, else the byte. */
	CHECK_EQ_STR(round_trip("aGVsbG8"), "bad 4");
	CHECK_EQ_STR(round_trip("billy"), "bad 4");
	CHECK_EQ_STR(round_trip("<foo>"), "bad 0");
	CHECK_EQ_STR(round_trip("aGVs bG8="), "bad 4");
	CHECK_EQ_STR(round_trip("Zg="), "bad 3");
	CHECK_EQ_STR(round_trip("Zg=x"), "bad 2");
	CHECK_EQ_STR(round_trip("Zg==x"), "bad 4");
	CHECK_EQ_STR(round_trip("Zg==\nZg=="), "bad 5");
	CHECK_EQ_STR(round_trip("Z==="), "bad 1");
	CHECK_EQ_STR(round_trip("="), "bad 0");
}

/* @json canonicalised as a Secret; the result or the Status message. */
static const char *canonical(const char *json, unsigned *code)
{
	static char shown[1024];
	ga_buf b = GA_BUF_INIT(1 << 16);
	ga_node *obj = NULL;
	ks_status st;

	memset(&st, 0, sizeof(st));
	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "secret"));
	if (ks_secret_canonical(ks_registry_find("", "v1", "secrets"), obj,
	                        &st) < 0) {
		*code = st.code;
		(void)snprintf(shown, sizeof(shown), "%.600s%s%.300s",
		               st.message, st.field[0] ? " @" : "", st.field);
	} else {
		*code = 0;
		CHECK_OK(ga_json_emit(&b, obj, GA_JSON_COMPACT));
		(void)snprintf(shown, sizeof(shown), "%.1000s",
		               ga_buf_cstr(&b));
	}
	ga_buf_dispose(&b);
	ga_node_free(obj);
	return shown;
}

static void test_secret(void)
{
	unsigned code = 0;

	CHECK_EQ_STR(canonical("{\"metadata\":{\"name\":\"s\"},\"data\":{"
	                       "\"a\":\"aGVs\\nbG8=\",\"n\":null,\"z\":\"\"},"
	                       "\"stringData\":{\"b\":\"hi\",\"a\":\"x\"}}",
	                       &code),
	             "{\"metadata\":{\"name\":\"s\"},\"data\":{\"a\":\"eA==\","
	             "\"n\":null,\"z\":\"\",\"b\":\"aGk=\"}}");
	CHECK_EQ_INT(code, 0);
	CHECK_EQ_STR(canonical("{\"stringData\":{\"k\":\"v\"}}", &code),
	             "{\"data\":{\"k\":\"dg==\"}}");
	CHECK_EQ_STR(canonical("{\"data\":{},\"stringData\":null}", &code),
	             "{}");
	CHECK_EQ_STR(
	    canonical("{\"data\":{\"a\":\"Zg==\",\"b\":\"billy\"}}", &code),
	    "Secret in version \"v1\" cannot be handled as a Secret: "
	    "illegal base64 data at input byte 4");
	CHECK_EQ_INT(code, 400);
	CHECK_EQ_STR(canonical("{\"data\":{\"a\":5}}", &code),
	             "Secret in version \"v1\" cannot be handled as a Secret: "
	             "json: cannot unmarshal number into Go struct field "
	             "Secret.data of type []uint8");
	CHECK_EQ_STR(canonical("{\"data\":\"x\"}", &code),
	             "Secret in version \"v1\" cannot be handled as a Secret: "
	             "json: cannot unmarshal string into Go struct field "
	             "Secret.data of type map[string][]uint8");
	CHECK_EQ_INT(code, 400);
	CHECK_EQ_STR(canonical("{\"metadata\":{\"name\":\"s\"},"
	                       "\"stringData\":{\"a b\":\"x\"}}",
	                       &code),
	             "Secret \"s\" is invalid: data[a b]: Invalid value: "
	             "\"a b\": a valid config key must consist of "
	             "alphanumeric characters, '-', '_' or '.' (e.g. "
	             "'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
	             "for validation is '[-._a-zA-Z0-9]+') @data[a b]");
	CHECK_EQ_INT(code, 422);
	CHECK_EQ_STR(canonical("{\"metadata\":{\"name\":\"s\"},"
	                       "\"data\":{\"..x\":\"\"}}",
	                       &code),
	             "Secret \"s\" is invalid: data[..x]: Invalid value: "
	             "\"..x\": must not start with '..' @data[..x]");
}

/* Other kinds keep their data as sent. */
static void test_other_kinds(void)
{
	const char json[] = "{\"data\":{\"a\":\"not base64\"}}";
	ga_node *obj = NULL;
	ks_status st;

	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "cm"));
	CHECK_OK(ks_secret_canonical(ks_registry_find("", "v1", "configmaps"),
	                             obj, &st));
	CHECK_EQ_STR(ks_str(ks_get(ks_get(obj, "data"), "a")), "not base64");
	ga_node_free(obj);
}

int main(void)
{
	RUN(test_base64);
	RUN(test_secret);
	RUN(test_other_kinds);
	ks_registry_free();
	return DONE();
}
