/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Our own Kubernetes Events (core/v1), as client-go's event recorder
 * writes them: named "<object>.<unix nanoseconds in hex>" in the object's
 * namespace ("default" for cluster-scoped objects), with the involved
 * object's reference, a reason, a message, the type, source and
 * reporting component, first/last timestamps and a count of one.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/error.h"
#include "ga/json.h"
#include "ga/time.h"
#include "kube_int.h"

/* A message longer than this is cut (events.k8s.io's note limit). */
#define MAX_MESSAGE 1024

/* "key":"value", with a comma before unless @first; skipped when NULL. */
static void field(ga_buf *b, const char *key, const char *value, bool first)
{
	if (!value)
		return;
	ga_buf_printf(b, "%s\"%s\":", first ? "" : ",", key);
	ga_json_quote(b, value);
}

/* The length of @s cut to @max bytes without splitting a UTF-8
 * sequence. */
static size_t cut_utf8(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return len;
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* The involvedObject reference of @about. */
static void reference(ga_buf *b, const ga_node *about)
{
	const ga_node *meta = ga_node_map_get(about, "metadata");

	ga_buf_puts(b, ",\"involvedObject\":{");
	field(b, "apiVersion", ga_kube__str(about, "apiVersion", NULL), true);
	field(b, "kind", ga_kube__str(about, "kind", NULL), false);
	field(b, "namespace", ga_kube__str(meta, "namespace", NULL), false);
	field(b, "name", ga_kube__str(meta, "name", NULL), false);
	field(b, "uid", ga_kube__str(meta, "uid", NULL), false);
	field(b, "resourceVersion", ga_kube__str(meta, "resourceVersion", NULL),
	      false);
	ga_buf_puts(b, "}");
}

/* The Event for @ev as JSON text in @b. */
static void event_json(ga_buf *b, const ga_kube_event *ev, const char *name,
                       const char *ns, uint64_t now_ns)
{
	char stamp[32], id[300];
	time_t secs = (time_t)(now_ns / 1000000000u);
	struct tm tm;

	gmtime_r(&secs, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* Names are at most 253 bytes: the id always fits. */
	snprintf(id, sizeof(id), "%.253s.%llx", name,
	         (unsigned long long)now_ns);
	ga_buf_puts(b, "{\"apiVersion\":\"v1\",\"kind\":\"Event\","
	               "\"metadata\":{");
	field(b, "name", id, true);
	field(b, "namespace", ns, false);
	ga_buf_puts(b, "}");
	reference(b, ev->about);
	field(b, "reason", ev->reason, false);
	ga_buf_puts(b, ",\"message\":");
	ga_json_quoten(b, ev->message, cut_utf8(ev->message, MAX_MESSAGE), 0);
	field(b, "type", ev->type, false);
	ga_buf_puts(b, ",\"source\":{");
	field(b, "component", ev->component, true);
	ga_buf_puts(b, "}");
	field(b, "reportingComponent", ev->component, false);
	field(b, "reportingInstance", ev->instance, false);
	field(b, "firstTimestamp", stamp, false);
	field(b, "lastTimestamp", stamp, false);
	ga_buf_puts(b, ",\"count\":1}");
}

int ga_kube_record_event(ga_kube *k, const ga_kube_event *ev)
{
	const ga_node *meta = ga_node_map_get(ev->about, "metadata");
	const char *name = ga_kube__str(meta, "name", NULL),
	           *ns = ga_kube__str(meta, "namespace", NULL);
	ga_buf json = GA_BUF_INIT(65536);
	ga_node *obj = NULL;
	int err;

	if (!name || !ev->reason || !ev->message || !ev->type ||
	    !ev->component) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "event: needs an object with a name, a reason, a "
		             "message, a type and a component");
		return GA_EINVALID;
	}
	event_json(&json, ev, name, ns && ns[0] ? ns : "default", ga_now_ns());
	if ((err = json.err) < 0 ||
	    (err = ga_json_parse(&obj, json.ptr, json.size, "event")) < 0 ||
	    (err = ga_kube_create(k, obj, ev->component, 0, NULL)) < 0)
		ga_error_prefix("event %s %s", ev->reason, name);
	ga_node_free(obj);
	ga_buf_dispose(&json);
	return err;
}
