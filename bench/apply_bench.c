/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The apply engine's cost (issue 7's efficiency figures): N objects over
 * ten kinds in one namespace are applied once, then reconciled again
 * idle with the drift memo, as the agent's loop does.  Prints the
 * seconds and requests (reads, dry runs, writes) of each, and the peak
 * resident memory of this process.  With MAX_IDLE, exits 1 when the idle
 * reconcile sent more requests than that.
 *
 * Usage: apply-bench KUBECONFIG N [MAX_IDLE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "ga/time.h"

#define NS "apply-bench"

/* One object per kind, cycled: "@" becomes the object's number, "#"
 * a small value from it. */
static const char *const templates[] = {
    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
    "\"o@\",\"namespace\":\"" NS "\"},\"data\":{\"k\":\"v#\"}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":"
    "\"o@\",\"namespace\":\"" NS "\"},\"stringData\":{\"k\":\"v#\"}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{"
    "\"name\":\"o@\",\"namespace\":\"" NS "\",\"labels\":{\"n\":\"#\"}}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":"
    "\"o@\",\"namespace\":\"" NS "\"},\"spec\":{\"ports\":[{\"port\":80,"
    "\"targetPort\":#}]}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":"
    "\"o@\",\"namespace\":\"" NS "\",\"labels\":{\"n\":\"#\"}},"
    "\"spec\":{\"limits\":[{\"type\":\"Container\"}]}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{"
    "\"name\":\"o@\",\"namespace\":\"" NS "\",\"labels\":{\"n\":\"#\"}},"
    "\"spec\":{\"hard\":{\"pods\":\"100\"}}}",
    "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\","
    "\"metadata\":{\"name\":\"o@\",\"namespace\":\"" NS "\"},\"spec\":{"
    "\"minAvailable\":#,\"selector\":{\"matchLabels\":{\"a\":\"b\"}}}}",
    "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\","
    "\"metadata\":{\"name\":\"o@\",\"namespace\":\"" NS "\"},\"spec\":{"
    "\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
    "\"name\":\"o#\"},\"minReplicas\":1,\"maxReplicas\":2}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{"
    "\"name\":\"o@\",\"namespace\":\"" NS "\",\"labels\":{\"n\":\"#\"}},"
    "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{"
    "\"requests\":{\"storage\":\"1Gi\"}}}}",
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
    "\"name\":\"o@\",\"namespace\":\"" NS "\"},\"spec\":{\"replicas\":0,"
    "\"selector\":{\"matchLabels\":{\"app\":\"o@\"}},\"template\":{"
    "\"metadata\":{\"labels\":{\"app\":\"o@\"}},\"spec\":{\"containers\":"
    "[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}",
};

static int add(ga_node *set, const char *text)
{
	ga_node *n = NULL;
	int err = ga_json_parse(&n, text, strlen(text), "bench object");

	return err < 0 ? err : ga_node_list_append_take(set, n);
}

/* Template @t with its markers filled in for object @i. */
static void expand(char *out, size_t cap, const char *t, size_t i)
{
	size_t len = 0;

	for (; *t && len + 24 < cap; t++) {
		if (*t == '@')
			len += (size_t)snprintf(out + len, cap - len, "%zu", i);
		else if (*t == '#')
			len += (size_t)snprintf(out + len, cap - len, "%zu",
			                        i % 7 + 1);
		else
			out[len++] = *t;
	}
	out[len] = '\0';
}

static int make_set(ga_node **out, size_t n)
{
	char text[1024];
	int err;

	if ((err = ga_node_new_list(out)) < 0 ||
	    (err = add(*out, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	                     "\"metadata\":{\"name\":\"" NS "\"}}")) < 0)
		return err;
	for (size_t i = 0; i < n && err == 0; i++) {
		expand(text, sizeof(text), templates[i % 10], i);
		err = add(*out, text);
	}
	return err;
}

static int reconcile(ga_kube *k, ga_apply_memo *memo, size_t n,
                     const char *what, unsigned long long *total)
{
	static const ga_apply_label owner[] = {{"gitops-agent.io/name", "b"}};
	ga_apply_run_opts o = {.field_manager = "apply-bench",
	                       .owner_labels = owner,
	                       .nowner_labels = 1,
	                       .inventory_name = "apply-bench",
	                       .inventory_ns = NS,
	                       .memo = memo};
	ga_apply_report rep = {0};
	ga_node *set = NULL;
	uint64_t t0;
	int err;

	o.prune_opts = (ga_prune_opts)GA_PRUNE_OPTS_INIT;
	if ((err = make_set(&set, n)) < 0)
		return err;
	t0 = ga_now_ms();
	err = ga_apply_run(&rep, k, set, &o);
	printf("%s: %zu objects in %.2f s: %zu created, %zu unchanged, %zu "
	       "skipped by the memo; requests: %llu reads, %llu dry runs, "
	       "%llu writes\n",
	       what, rep.n, (double)(ga_now_ms() - t0) / 1000.0,
	       rep.totals[GA_OUTCOME_CREATED], rep.totals[GA_OUTCOME_UNCHANGED],
	       rep.skipped, rep.reads, rep.dry_runs, rep.writes);
	*total = rep.reads + rep.dry_runs + rep.writes;
	for (size_t i = 0; i < rep.n; i++) {
		if (rep.entries[i].outcome == GA_OUTCOME_FAILED)
			printf("  %s/%s failed: %s\n", rep.entries[i].kind,
			       rep.entries[i].name, rep.entries[i].message);
	}
	ga_apply_report_dispose(&rep);
	ga_node_free(set);
	return err;
}

int main(int argc, char **argv)
{
	ga_kube_config *cfg = NULL;
	ga_kube *k = NULL;
	ga_apply_memo *memo = NULL;
	unsigned long long first, idle;
	struct rusage ru;
	size_t n;
	int code = 1;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: apply-bench KUBECONFIG N [MAX_IDLE]\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	if (ga_kube_config_load(&cfg, argv[1], NULL) < 0 ||
	    ga_kube_new(&k, cfg, NULL) < 0 || ga_apply_memo_new(&memo) < 0 ||
	    reconcile(k, memo, n, "first apply", &first) < 0 ||
	    reconcile(k, memo, n, "idle reconcile", &idle) < 0) {
		fprintf(stderr, "apply-bench: %s\n", ga_error_last()->message);
		goto out;
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		printf("apply_bench_peak_rss_mib %.1f\n",
		       (double)ru.ru_maxrss / 1024.0);
	code = 0;
	if (argc == 4 && idle > strtoull(argv[3], NULL, 10)) {
		fprintf(stderr,
		        "apply-bench: the idle reconcile took %llu "
		        "requests, more than %s\n",
		        idle, argv[3]);
		code = 1;
	}
out:
	ga_apply_memo_free(memo);
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	return code;
}
