/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Server-side printing: kubectl get asks for
 * "application/json;as=Table;v=v1;g=meta.k8s.io" and prints the rows a
 * meta.k8s.io/v1 Table holds.  The columns follow kube-apiserver's
 * printers (pkg/printers/internalversion) for the kinds people look at
 * most, and its default (Name, Age) for the rest, as it does for CRDs
 * without additionalPrinterColumns.  Ages are worded as
 * k8s.io/apimachinery/pkg/util/duration.HumanDuration words them.  Each
 * row carries the object's metadata (PartialObjectMetadata), or the whole
 * object with includeObject=Object, for kubectl's --show-labels and -L.
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/json.h"

typedef void (*cell_fn)(ga_buf *b, const ga_node *obj);

struct column {
	const char *name;
	const char *type;
	const char *format;
	cell_fn cell;
};

bool ks_table_wanted(const ks_req *r)
{
	const char *accept = ga_httpd_request_header(r->http, "Accept");

	return accept && strstr(accept, "as=Table") &&
	       strstr(accept, "g=meta.k8s.io") && strstr(accept, "v=v1");
}

/* HumanDuration of @secs, e.g. "45s", "3m20s", "5h", "12d". */
static void human_duration(char *out, size_t cap, long long secs)
{
	long long m = secs / 60, h = secs / 3600, d = h / 24;

	if (secs < 0)
		(void)snprintf(out, cap, "0s");
	else if (secs < 120)
		(void)snprintf(out, cap, "%llds", secs);
	else if (m < 10 && secs % 60)
		(void)snprintf(out, cap, "%lldm%llds", m, secs % 60);
	else if (m < 180)
		(void)snprintf(out, cap, "%lldm", m);
	else if (h < 8 && m % 60)
		(void)snprintf(out, cap, "%lldh%lldm", h, m % 60);
	else if (h < 48)
		(void)snprintf(out, cap, "%lldh", h);
	else if (h < 192 && h % 24)
		(void)snprintf(out, cap, "%lldd%lldh", d, h % 24);
	else if (d < 730)
		(void)snprintf(out, cap, "%lldd", d);
	else if (d < 2920 && d % 365)
		(void)snprintf(out, cap, "%lldy%lldd", d / 365, d % 365);
	else
		(void)snprintf(out, cap, "%lldy", d / 365);
}

static void cell_name(ga_buf *b, const ga_node *obj)
{
	const char *name = ks_meta_str(obj, "name");

	(void)ga_json_quote(b, name ? name : "");
}

static void cell_age(ga_buf *b, const ga_node *obj)
{
	const char *ts = ks_meta_str(obj, "creationTimestamp");
	struct tm tm;
	char age[32] = "<unknown>";

	memset(&tm, 0, sizeof(tm));
	if (ts && strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
		human_duration(age, sizeof(age),
		               (long long)(time(NULL) - timegm(&tm)));
	(void)ga_json_quote(b, age);
}

static void cell_str(ga_buf *b, const ga_node *v)
{
	(void)ga_json_quote(b, ks_str(v) ? ks_str(v) : "");
}

static void cell_phase(ga_buf *b, const ga_node *obj)
{
	cell_str(b, ks_get(ks_get(obj, "status"), "phase"));
}

static void cell_data(ga_buf *b, const ga_node *obj)
{
	(void)ga_buf_printf(b, "%zu",
	                    ks_count(ks_get(obj, "data")) +
	                        ks_count(ks_get(obj, "binaryData")));
}

static void cell_type(ga_buf *b, const ga_node *obj)
{
	cell_str(b, ks_get(obj, "type"));
}

static long long status_int(const ga_node *obj, const char *field)
{
	return (long long)ks_int(ks_get(ks_get(obj, "status"), field));
}

static void cell_ready(ga_buf *b, const ga_node *obj)
{
	const ga_node *want = ks_get(ks_get(obj, "spec"), "replicas");

	(void)ga_buf_printf(b, "\"%lld/%lld\"",
	                    status_int(obj, "readyReplicas"),
	                    want ? (long long)ks_int(want) : 1LL);
}

static void cell_updated(ga_buf *b, const ga_node *obj)
{
	(void)ga_buf_printf(b, "%lld", status_int(obj, "updatedReplicas"));
}

static void cell_available(ga_buf *b, const ga_node *obj)
{
	(void)ga_buf_printf(b, "%lld", status_int(obj, "availableReplicas"));
}

/* A DaemonSet's status count, by field. */
#define DS_CELL(fn, field)                                                     \
	static void fn(ga_buf *b, const ga_node *obj)                          \
	{                                                                      \
		(void)ga_buf_printf(b, "%lld", status_int(obj, field));        \
	}
DS_CELL(cell_ds_desired, "desiredNumberScheduled")
DS_CELL(cell_ds_current, "currentNumberScheduled")
DS_CELL(cell_ds_ready, "numberReady")
DS_CELL(cell_ds_updated, "updatedNumberScheduled")
DS_CELL(cell_ds_available, "numberAvailable")

/* The template's nodeSelector as key=value,... ("<none>" for none). */
static void cell_node_selector(ga_buf *b, const ga_node *obj)
{
	const ga_node *sel =
	    ks_get(ks_get(ks_get(ks_get(obj, "spec"), "template"), "spec"),
	           "nodeSelector");
	ga_buf text = GA_BUF_INIT(4096);
	size_t i;

	for (i = 0; i < ks_count(sel); i++) {
		const char *v = ks_str(ga_node_map_value(sel, i));
		(void)ga_buf_printf(&text, "%s%s=%s", i ? "," : "",
		                    ga_node_map_key(sel, i, NULL), v ? v : "");
	}
	(void)ga_json_quote(b, text.size ? ga_buf_cstr(&text) : "<none>");
	ga_buf_dispose(&text);
}

static void cell_created(ga_buf *b, const ga_node *obj)
{
	cell_str(b, ks_get(ks_meta(obj), "creationTimestamp"));
}

#define NAME                                                                   \
	{                                                                      \
		"Name", "string", "name", cell_name                            \
	}
#define AGE                                                                    \
	{                                                                      \
		"Age", "string", "", cell_age                                  \
	}

static const struct column cols_default[] = {NAME, AGE, {NULL}};
static const struct column cols_namespace[] = {
    NAME, {"Status", "string", "", cell_phase}, AGE, {NULL}};
static const struct column cols_configmap[] = {
    NAME, {"Data", "integer", "", cell_data}, AGE, {NULL}};
static const struct column cols_secret[] = {NAME,
                                            {"Type", "string", "", cell_type},
                                            {"Data", "integer", "", cell_data},
                                            AGE,
                                            {NULL}};
static const struct column cols_deployment[] = {
    NAME,
    {"Ready", "string", "", cell_ready},
    {"Up-to-date", "integer", "", cell_updated},
    {"Available", "integer", "", cell_available},
    AGE,
    {NULL}};
static const struct column cols_statefulset[] = {
    NAME, {"Ready", "string", "", cell_ready}, AGE, {NULL}};
static const struct column cols_daemonset[] = {
    NAME,
    {"Desired", "integer", "", cell_ds_desired},
    {"Current", "integer", "", cell_ds_current},
    {"Ready", "integer", "", cell_ds_ready},
    {"Up-to-date", "integer", "", cell_ds_updated},
    {"Available", "integer", "", cell_ds_available},
    {"Node Selector", "string", "", cell_node_selector},
    AGE,
    {NULL}};
static const struct column cols_crd[] = {
    NAME, {"Created At", "date", "", cell_created}, {NULL}};

static const struct column *columns_of(const ks_resource *res)
{
	static const struct {
		const char *group, *kind;
		const struct column *cols;
	} by_kind[] = {
	    {"", "Namespace", cols_namespace},
	    {"", "ConfigMap", cols_configmap},
	    {"", "Secret", cols_secret},
	    {"apps", "Deployment", cols_deployment},
	    {"apps", "StatefulSet", cols_statefulset},
	    {"apps", "DaemonSet", cols_daemonset},
	    {"apiextensions.k8s.io", "CustomResourceDefinition", cols_crd},
	};
	size_t i;

	for (i = 0; i < sizeof(by_kind) / sizeof(by_kind[0]); i++)
		if (strcmp(res->group, by_kind[i].group) == 0 &&
		    strcmp(res->kind, by_kind[i].kind) == 0)
			return by_kind[i].cols;
	return cols_default;
}

static void put_row(ga_buf *b, const struct column *cols, const ga_node *obj,
                    bool whole)
{
	size_t i;

	(void)ga_buf_puts(b, "{\"cells\":[");
	for (i = 0; cols[i].name; i++) {
		if (i)
			(void)ga_buf_putc(b, ',');
		cols[i].cell(b, obj);
	}
	(void)ga_buf_puts(b, "],\"object\":");
	if (whole) {
		(void)ga_json_emit(b, obj, GA_JSON_COMPACT);
	} else {
		(void)ga_buf_puts(b, "{\"kind\":\"PartialObjectMetadata\","
		                     "\"apiVersion\":\"meta.k8s.io/v1\","
		                     "\"metadata\":");
		if (ks_meta(obj))
			(void)ga_json_emit(b, ks_meta(obj), GA_JSON_COMPACT);
		else
			(void)ga_buf_puts(b, "{}");
		(void)ga_buf_putc(b, '}');
	}
	(void)ga_buf_putc(b, '}');
}

static void put_columns(ga_buf *b, const struct column *cols)
{
	size_t i;

	(void)ga_buf_puts(b, ",\"columnDefinitions\":[");
	for (i = 0; cols[i].name; i++)
		(void)ga_buf_printf(b,
		                    "%s{\"name\":\"%s\",\"type\":\"%s\","
		                    "\"format\":\"%s\",\"description\":\"\","
		                    "\"priority\":0}",
		                    i ? "," : "", cols[i].name, cols[i].type,
		                    cols[i].format);
	(void)ga_buf_putc(b, ']');
}

int ks_table_render(ks_req *r, const ga_node *const *objs, size_t n,
                    const ks_page *page)
{
	const struct column *cols = columns_of(r->res);
	const char *inc = ga_httpd_request_query(r->http, "includeObject");
	ga_buf *b = ga_httpd_response_body(r->resp);
	bool whole = inc && strcmp(inc, "Object") == 0;
	size_t i;

	ga_buf_clear(b);
	(void)ga_buf_printf(b,
	                    "{\"kind\":\"Table\",\"apiVersion\":"
	                    "\"meta.k8s.io/v1\",\"metadata\":{"
	                    "\"resourceVersion\":\"%s\"",
	                    page->rv);
	ks_page_meta_end(b, page);
	put_columns(b, cols);
	(void)ga_buf_puts(b, ",\"rows\":[");
	for (i = 0; i < n; i++) {
		if (i)
			(void)ga_buf_putc(b, ',');
		put_row(b, cols, objs[i], whole);
	}
	(void)ga_buf_puts(b, "]}\n");
	if (b->err)
		return b->err;
	ga_httpd_response_set_status(r->resp, 200);
	return ga_httpd_response_add_header(
	    r->resp, "Content-Type",
	    "application/json;as=Table;v=v1;g=meta.k8s.io");
}

/*
 * A watch event's Table: one row, its metadata.resourceVersion the
 * object's; the column definitions only in a stream's first event, as
 * kube-apiserver sends them (kubectl keeps the last ones it saw).
 */
int ks_table_event(ga_buf *b, const ks_resource *res, const ga_node *obj,
                   bool whole, bool defs)
{
	const struct column *cols = columns_of(res);
	const char *rv = ks_meta_str(obj, "resourceVersion");

	(void)ga_buf_puts(b, "{\"kind\":\"Table\",\"apiVersion\":"
	                     "\"meta.k8s.io/v1\",\"metadata\":{"
	                     "\"resourceVersion\":");
	(void)ga_json_quote(b, rv ? rv : "");
	(void)ga_buf_putc(b, '}');
	if (defs)
		put_columns(b, cols);
	else
		(void)ga_buf_puts(b, ",\"columnDefinitions\":null");
	(void)ga_buf_puts(b, ",\"rows\":[");
	put_row(b, cols, obj, whole);
	(void)ga_buf_puts(b, "]}");
	return b->err;
}
