/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request bodies into objects, and the checks kube-apiserver makes before
 * an object reaches storage: the media type (JSON or YAML; 415 otherwise),
 * apiVersion and kind (defaulted from the URL when absent, 400 when they
 * disagree with it), the namespace (taken from the URL, 400 when the body
 * names another), metadata.name (generateName, then the DNS-1123 rules of
 * k8s.io/apimachinery/pkg/util/validation; 422 Invalid) and the types of
 * labels and annotations.  This is the path the kubesim fuzz target
 * drives: nothing here may trust the body.
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "ga/error.h"
#include "ga/json.h"
#include "ga/yaml.h"

#define SUBDOMAIN_MSG                                                          \
	"a lowercase RFC 1123 subdomain must consist of lower case "           \
	"alphanumeric characters, '-' or '.', and must start and end with "    \
	"an alphanumeric character (e.g. 'example.com', regex used for "       \
	"validation is "                                                       \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define LABEL_MSG                                                              \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric "  \
	"characters or '-', and must start and end with an alphanumeric "      \
	"character (e.g. 'my-name',  or '123-abc', regex used for validation " \
	"is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

/* Whether @ct names the media type @type (parameters ignored). */
static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	return strncmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int ks_decode_body(ga_node **out, const char *content_type, const char *data,
                   size_t len, ks_status *st)
{
	const char *ct = content_type ? content_type : "application/json";
	ga_yaml_opts yopts = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL, *obj = NULL;
	int err;

	if (media_is(ct, "application/json")) {
		err = ga_json_parse(&obj, data, len, "request body");
	} else if (media_is(ct, "application/yaml")) {
		yopts.max_bytes = len + 1;
		err = ga_yaml_parse(&docs, data, len, "request body", &yopts);
		if (err == 0) {
			obj = ga_node_list_remove(docs, 0);
			ga_node_free(docs);
		}
	} else {
		ks_status_set(
		    st, 415, "UnsupportedMediaType",
		    "the body of the request was in an unknown format "
		    "- accepted media types include: "
		    "application/json, application/yaml");
		return GA_EINVALID;
	}
	if (err < 0) {
		ks_status_set(st, 400, "BadRequest", "%s",
		              ga_error_last()->message);
		return GA_EINVALID;
	}
	if (ks_type(obj) != GA_NODE_MAP) {
		ks_status_set(st, 400, "BadRequest",
		              "Object 'Kind' is missing in the request body: "
		              "not an object");
		ga_node_free(obj);
		return GA_EINVALID;
	}
	*out = obj;
	return 0;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over @n bytes. */
static bool dns_label(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

bool ks_valid_name(const char *name, bool label)
{
	const char *p = name, *dot;
	size_t len = strlen(name);

	if (label)
		return dns_label(name, len);
	if (len == 0 || len > 253)
		return false;
	for (;;) {
		dot = strchr(p, '.');
		if (!dns_label(p, dot ? (size_t)(dot - p) : strlen(p)))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

/* 400 BadRequest with a formatted message; evaluates to GA_EINVALID. */
#define BAD_REQUEST(st, ...)                                                   \
	(ks_status_set((st), 400, "BadRequest", __VA_ARGS__), GA_EINVALID)

/* apiVersion and kind: defaulted from the URL, else they must match. */
static int check_type(const ks_resource *res, ga_node *obj, ks_status *st)
{
	char want[256];
	const ga_node *av = ks_get(obj, "apiVersion");
	const ga_node *k = ks_get(obj, "kind");
	int err;

	(void)snprintf(want, sizeof(want), "%s%s%s", res->group,
	               res->group[0] ? "/" : "", res->version);
	if ((av && !ks_str(av)) || (k && !ks_str(k)))
		return BAD_REQUEST(st, "apiVersion and kind must be strings");
	if (!av || !ks_str_len(av)) {
		if ((err = ks_set_str(obj, "apiVersion", want)) < 0)
			return err;
	} else if (strcmp(ks_str(av), want) != 0) {
		return BAD_REQUEST(st,
		                   "the API version in the data (%s) does not "
		                   "match the expected API version (%s)",
		                   ks_str(av), want);
	}
	if (!k || !ks_str_len(k))
		return ks_set_str(obj, "kind", res->kind);
	if (strcmp(ks_str(k), res->kind) != 0)
		return BAD_REQUEST(st,
		                   "the kind in the data (%s) does not match "
		                   "the expected kind (%s)",
		                   ks_str(k), res->kind);
	return 0;
}

/* A map of strings, or absent: what labels and annotations must be. */
static int check_string_map(const ga_node *meta, const char *field,
                            ks_status *st)
{
	const ga_node *m = ks_get(meta, field);
	size_t i;

	if (!m || ks_type(m) == GA_NODE_NULL)
		return 0;
	if (ks_type(m) != GA_NODE_MAP)
		return BAD_REQUEST(st, "metadata.%s: expected a map", field);
	for (i = 0; i < ks_count(m); i++)
		if (!ks_str(ga_node_map_value(m, i)))
			return BAD_REQUEST(st,
			                   "metadata.%s.%s: expected a string",
			                   field, ga_node_map_key(m, i, NULL));
	return 0;
}

/* metadata.generateName plus five random characters, as the server. */
static int generate_name(ga_node *obj)
{
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	const char *prefix = ks_meta_str(obj, "generateName");
	unsigned char rnd[5];
	char name[256];
	size_t i, n;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return GA_EIO;
	n = (size_t)snprintf(name, sizeof(name) - sizeof(rnd), "%.58s", prefix);
	for (i = 0; i < sizeof(rnd); i++)
		name[n++] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
	name[n] = '\0';
	return ks_meta_set_str(obj, "name", name);
}

static int check_name(const ks_resource *res, const char *url_name,
                      ga_node *obj, ks_status *st)
{
	const char *name = ks_meta_str(obj, "name");
	char msg[600];
	int err;

	if ((!name || !name[0]) && ks_meta_str(obj, "generateName") &&
	    !url_name[0]) {
		if ((err = generate_name(obj)) < 0)
			return err;
		name = ks_meta_str(obj, "name");
	}
	if (!name || !name[0])
		return ks_status_invalid(
		    st, res, "", "metadata.name", "FieldValueRequired",
		    "Required value: name or generateName is "
		    "required");
	if (url_name[0] && strcmp(name, url_name) != 0)
		return BAD_REQUEST(st,
		                   "the name of the object (%s) does not match "
		                   "the name on the URL (%s)",
		                   name, url_name);
	if (!ks_valid_name(name, strcmp(res->kind, "Namespace") == 0)) {
		(void)snprintf(
		    msg, sizeof(msg), "Invalid value: \"%.200s\": %s", name,
		    strcmp(res->kind, "Namespace") == 0 ? LABEL_MSG
		                                        : SUBDOMAIN_MSG);
		return ks_status_invalid(st, res, name, "metadata.name",
		                         "FieldValueInvalid", msg);
	}
	return 0;
}

int ks_validate_object(const ks_resource *res, const char *ns, const char *name,
                       ga_node *obj, ks_status *st)
{
	ga_node *meta = ks_meta(obj);
	const char *body_ns;
	int err;

	if ((err = check_type(res, obj, st)) < 0)
		return err;
	if (meta && ks_type(meta) != GA_NODE_MAP)
		return BAD_REQUEST(st, "metadata: expected an object");
	if ((err = check_name(res, name, obj, st)) < 0)
		return err;
	meta = ks_meta(obj);
	if ((err = check_string_map(meta, "labels", st)) < 0 ||
	    (err = check_string_map(meta, "annotations", st)) < 0)
		return err;
	body_ns = ks_str(ks_get(meta, "namespace"));
	if (!res->namespaced) {
		/* The server drops a namespace on cluster-scoped objects. */
		ga_node_free(ks_remove(meta, "namespace"));
		return 0;
	}
	if (body_ns && body_ns[0] && strcmp(body_ns, ns) != 0)
		return BAD_REQUEST(st,
		                   "the namespace of the provided object does "
		                   "not match the namespace sent on the "
		                   "request");
	return ks_meta_set_str(obj, "namespace", ns);
}
