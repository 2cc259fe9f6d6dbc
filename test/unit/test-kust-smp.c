/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strategic merge patch (lib/kustomize/smp.c) against kubectl kustomize:
 * every table case below was run through kubectl v1.32.5 (kustomize
 * v5.5.0) and its output or error message copied verbatim (the command is
 * named above each table), quirks included.  Each case is one TAP test
 * point.  After the tables: the merge-key table queried directly,
 * all-or-nothing failures, argument checks, the nesting bound and a walk
 * through every allocation failure.
 */
#include "kustomize/smp.h"

#include "ga/buf.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

struct smp_case {
	const char *name;
	bool allow_kind, allow_name;
	const char *obj, *patch;
	const char *want; /* kubectl's output; "" when the object is gone */
	const char *err;  /* else kubectl's error message */
};

#define DEPLOY_X "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
#define DEPLOY_X_TPL                                                           \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "           \
	"x\nspec:\n  template:\n    spec:\n"
#define DEPLOY_X_CTRS                                                          \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "           \
	"x\nspec:\n  template:\n    spec:\n      containers:\n"

/*
 * Maps and scalars.  Expected: what `kubectl kustomize DIR` printed with
 * DIR/base.yaml = obj, DIR/p.yaml = patch and DIR/kustomization.yaml:
 *   resources: [base.yaml] patches: - path: p.yaml
 */
static const struct smp_case maps_cases[] = {
    {"scalar_override", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  replicas: 3\n", DEPLOY_X "spec:\n  replicas: 3\n",
     NULL},
    {"add_field", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  paused: true\n",
     DEPLOY_X "spec:\n  paused: true\n  replicas: 1\n", NULL},
    {"nested_merge", false, false,
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n",
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      c: d\n",
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n      c: d\n",
     NULL},
    {"null_deletes_scalar", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n  paused: true\n",
     DEPLOY_X "spec:\n  replicas: null\n", DEPLOY_X "spec:\n  paused: true\n",
     NULL},
    {"null_deletes_map", false, false, DEPLOY_X "  labels:\n    a: b\n",
     DEPLOY_X "  labels: null\n", DEPLOY_X, NULL},
    {"null_deletes_label", false, false,
     DEPLOY_X "  labels:\n    a: b\n    c: d\n",
     DEPLOY_X "  labels:\n    a: null\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n"
     "    c: d\n  name: x\n",
     NULL},
    {"null_deletes_list", false, false,
     DEPLOY_X_TPL "      tolerations:\n      - key: k\n",
     DEPLOY_X_TPL "      tolerations: null\n",
     DEPLOY_X "spec:\n  template:\n    spec: {}\n", NULL},
    {"null_for_absent_field", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  paused: null\n  tilde: ~\n",
     DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"null_inside_new_map", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X
     "spec:\n  strategy:\n    type: Recreate\n    rollingUpdate: null\n",
     DEPLOY_X "spec:\n  replicas: 1\n  strategy:\n    type: Recreate\n", NULL},
    {"object_null_kept", false, false,
     DEPLOY_X "  creationTimestamp: null\nspec:\n  foo: null\n  bar: ~\n",
     DEPLOY_X "spec:\n  replicas: 2\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
     "  creationTimestamp: null\n  name: x\nspec:\n  bar: null\n"
     "  foo: null\n  replicas: 2\n",
     NULL},
    {"object_empty_null_dropped", false, false,
     DEPLOY_X "spec:\n  foo:\n  replicas: 1\n  template:\n    spec:\n"
              "      volumes:\n      - name: v\n        emptyDir:\n",
     DEPLOY_X "spec:\n  replicas: 2\n",
     DEPLOY_X "spec:\n  replicas: 2\n  template:\n    spec:\n      volumes:\n"
              "      - name: v\n",
     NULL},
    {"object_null_replaced", false, false, DEPLOY_X "spec:\n  selector: null\n",
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n",
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n", NULL},
    {"null_over_null", false, false,
     DEPLOY_X "spec:\n  foo: null\n  replicas: 1\n",
     DEPLOY_X "spec:\n  foo: null\n", DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"quoted_object_string_keeps_type", false, false,
     DEPLOY_X_CTRS "      - name: a\n        env:\n        - name: E\n"
                   "          value: \"1\"\n",
     DEPLOY_X_CTRS "      - name: a\n        env:\n        - name: E\n"
                   "          value: 2\n",
     DEPLOY_X_CTRS "      - env:\n        - name: E\n          value: \"2\"\n"
                   "        name: a\n",
     NULL},
    {"plain_object_string_takes_int", false, false,
     DEPLOY_X_TPL "      hostname: abc\n", DEPLOY_X_TPL "      hostname: 7\n",
     DEPLOY_X_TPL "      hostname: 7\n", NULL},
    {"quoted_object_string_bool", false, false,
     DEPLOY_X "spec:\n  foo: \"yes\"\n  bar: \"1.5\"\n",
     DEPLOY_X "spec:\n  foo: true\n  bar: 2.5\n",
     DEPLOY_X "spec:\n  bar: \"2.5\"\n  foo: \"true\"\n", NULL},
    {"string_over_int", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  replicas: \"2\"\n",
     DEPLOY_X "spec:\n  replicas: \"2\"\n", NULL},
    {"empty_map_and_list_added", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  strategy: {}\n  template:\n    spec:\n"
              "      tolerations: []\n",
     DEPLOY_X "spec:\n  replicas: 1\n  strategy: {}\n  template:\n    spec:\n"
              "      tolerations: []\n",
     NULL},
    {"empty_map_in_patch_keeps_object_map", false, false,
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n",
     DEPLOY_X "spec:\n  selector: {}\n",
     DEPLOY_X "spec:\n  selector:\n    matchLabels:\n      a: b\n", NULL},
    {"map_replaces_nothing_new_keys", false, false,
     DEPLOY_X
     "spec:\n  template:\n    metadata:\n      labels:\n        app: x\n",
     DEPLOY_X "spec:\n  template:\n    metadata:\n      annotations:\n"
              "        a: b\n",
     DEPLOY_X "spec:\n  template:\n    metadata:\n      annotations:\n"
              "        a: b\n      labels:\n        app: x\n",
     NULL},
};

/*
 * "$patch" directives, and SMP keys kyaml does not know.  Expected: what
 * `kubectl kustomize DIR` printed with DIR/base.yaml = obj, DIR/p.yaml = patch
 * and DIR/kustomization.yaml: resources: [base.yaml] patches: - path: p.yaml
 *   resources: [base.yaml] patchesStrategicMerge: [p.yaml]
 */
static const struct smp_case directives_cases[] = {
    {"map_replace", false, false,
     DEPLOY_X "  annotations:\n    a: \"1\"\n    b: \"2\"\n",
     DEPLOY_X "  annotations:\n    $patch: replace\n    c: \"3\"\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n"
     "    c: \"3\"\n  name: x\n",
     NULL},
    {"map_replace_resources", false, false,
     DEPLOY_X_CTRS "      - name: a\n        resources:\n          limits:\n"
                   "            cpu: \"1\"\n          requests:\n"
                   "            cpu: \"1\"\n",
     DEPLOY_X_CTRS
     "      - name: a\n        resources:\n          $patch: replace\n"
     "          limits:\n            memory: 1Gi\n",
     DEPLOY_X_CTRS "      - name: a\n        resources:\n          limits:\n"
                   "            memory: 1Gi\n",
     NULL},
    {"map_delete", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n  strategy:\n    type: Recreate\n",
     DEPLOY_X "spec:\n  strategy:\n    $patch: delete\n",
     DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"map_merge_is_noop", false, false,
     DEPLOY_X "spec:\n  strategy:\n    type: Recreate\n",
     DEPLOY_X "spec:\n  strategy:\n    $patch: merge\n    foo: bar\n",
     DEPLOY_X "spec:\n  strategy:\n    foo: bar\n    type: Recreate\n", NULL},
    {"map_unknown_error", false, false,
     DEPLOY_X "spec:\n  strategy:\n    type: Recreate\n",
     DEPLOY_X "spec:\n  strategy:\n    $patch: bogus\n", NULL,
     "unknown patch strategy 'bogus'"},
    {"new_map_unknown_copied", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  strategy:\n    $patch: bogus\n    type: Recreate\n",
     DEPLOY_X "spec:\n  replicas: 1\n  strategy:\n    $patch: bogus\n"
              "    type: Recreate\n",
     NULL},
    {"new_map_nested_directives", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X
     "spec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n"
     "      $patch: delete\n      maxSurge: 1\n    extra:\n"
     "      $patch: replace\n      a: b\n",
     DEPLOY_X "spec:\n  replicas: 1\n  strategy:\n    extra:\n      a: b\n"
              "    type: RollingUpdate\n",
     NULL},
    {"new_map_nested_unknown_error", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "spec:\n  strategy:\n    extra:\n      $patch: nope\n", NULL,
     "unknown patch strategy 'nope'"},
    {"top_replace_is_noop", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "$patch: replace\nspec:\n  replicas: 5\n",
     DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"top_delete", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "$patch: delete\n", "", NULL},
    {"top_delete_psm", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     DEPLOY_X "$patch: delete\n", "", NULL},
    {"metadata_replace_restores_name", false, false,
     DEPLOY_X "  namespace: ns\n  labels:\n    a: b\n",
     DEPLOY_X "  namespace: ns\n  $patch: replace\n  annotations:\n    c: d\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n"
     "    c: d\n  name: x\n  namespace: ns\n",
     NULL},
    {"template_delete", false, false,
     DEPLOY_X
     "spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n",
     DEPLOY_X "spec:\n  template:\n    $patch: delete\n",
     DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"set_element_order_copied", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - name: b\n",
     DEPLOY_X_TPL "      $setElementOrder/containers:\n      - name: b\n"
                  "      - name: a\n      containers:\n      - name: b\n"
                  "        image: b\n",
     DEPLOY_X_TPL "      $setElementOrder/containers:\n      - name: b\n"
                  "      - name: a\n      containers:\n      - image: b\n"
                  "        name: b\n      - name: a\n",
     NULL},
    {"retain_keys_copied", false, false,
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        configMap:\n"
                  "          name: c\n",
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        $retainKeys:\n"
                  "        - name\n        - secret\n        secret:\n"
                  "          secretName: s\n",
     DEPLOY_X_TPL "      volumes:\n      - $retainKeys:\n        - name\n"
                  "        - secret\n        configMap:\n          name: c\n"
                  "        name: v\n        secret:\n          secretName: s\n",
     NULL},
    {"delete_from_primitive_list_copied", false, false,
     DEPLOY_X "  finalizers:\n  - a\n  - b\n",
     DEPLOY_X "  $deleteFromPrimitiveList/finalizers:\n  - a\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
     "  $deleteFromPrimitiveList/finalizers:\n  - a\n  finalizers:\n"
     "  - a\n  - b\n  name: x\n",
     NULL},
};

/*
 * Lists merged by one key (Prepend order, directives, quirks).  Expected: what
 * `kubectl kustomize DIR` printed with DIR/base.yaml = obj, DIR/p.yaml = patch
 * and DIR/kustomization.yaml: resources: [base.yaml] patches: - path: p.yaml
 */
static const struct smp_case lists_cases[] = {
    {"prepend_order", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n      - name: b\n"
                   "        image: b\n      - name: c\n        image: c\n",
     DEPLOY_X_CTRS "      - name: c\n        image: c2\n      - name: d\n"
                   "        image: d\n      - name: a\n        image: a2\n",
     DEPLOY_X_CTRS "      - image: c2\n        name: c\n      - image: d\n"
                   "        name: d\n      - image: a2\n        name: a\n"
                   "      - image: b\n        name: b\n",
     NULL},
    {"env_prepend", false, false,
     DEPLOY_X_CTRS "      - name: a\n        env:\n        - name: E1\n"
                   "          value: \"1\"\n        - name: E2\n"
                   "          value: \"2\"\n",
     DEPLOY_X_CTRS
     "      - name: a\n        env:\n        - name: E3\n"
     "          value: \"3\"\n        - name: E1\n          value: one\n",
     DEPLOY_X_CTRS
     "      - env:\n        - name: E3\n          value: \"3\"\n"
     "        - name: E1\n          value: one\n        - name: E2\n"
     "          value: \"2\"\n        name: a\n",
     NULL},
    {"element_delete", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - name: b\n      - name: c\n",
     DEPLOY_X_CTRS "      - name: b\n        $patch: delete\n",
     DEPLOY_X_CTRS "      - name: a\n      - name: c\n", NULL},
    {"element_replace_is_undone", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n      - name: b\n"
                   "        image: b\n",
     DEPLOY_X_CTRS
     "      - name: b\n        $patch: replace\n        image: b2\n",
     DEPLOY_X_CTRS "      - image: b\n        name: b\n      - image: a\n"
                   "        name: a\n",
     NULL},
    {"element_merge_directive", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n",
     DEPLOY_X_CTRS "      - name: a\n        $patch: merge\n        args:\n"
                   "        - x\n",
     DEPLOY_X_CTRS
     "      - args:\n        - x\n        image: a\n        name: a\n",
     NULL},
    {"list_replace", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - name: b\n",
     DEPLOY_X_CTRS
     "      - $patch: replace\n      - name: z\n        image: z\n",
     DEPLOY_X_CTRS "      - image: z\n        name: z\n", NULL},
    {"list_delete", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - name: b\n",
     DEPLOY_X_CTRS "      - $patch: delete\n",
     DEPLOY_X "spec:\n  template:\n    spec: {}\n", NULL},
    {"list_merge_directive", false, false, DEPLOY_X_CTRS "      - name: a\n",
     DEPLOY_X_CTRS "      - $patch: merge\n      - name: b\n",
     DEPLOY_X_CTRS "      - name: b\n      - name: a\n", NULL},
    {"list_unknown_error", false, false, DEPLOY_X_CTRS "      - name: a\n",
     DEPLOY_X_CTRS "      - $patch: bogus\n", NULL,
     "unknown patch strategy 'bogus'"},
    {"list_directive_with_other_field_ignored", false, false,
     DEPLOY_X_CTRS "      - name: a\n",
     DEPLOY_X_CTRS "      - $patch: replace\n        image: q\n",
     DEPLOY_X_TPL "      containers: []\n", NULL},
    {"patch_item_without_key_clears_named", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n      - name: b\n"
                   "        image: b\n",
     DEPLOY_X_CTRS "      - image: foo\n",
     DEPLOY_X_TPL "      containers: []\n", NULL},
    {"object_item_without_key", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n      - image: x\n"
                   "      - name: c\n        image: c\n",
     DEPLOY_X_CTRS "      - name: z\n", DEPLOY_X_CTRS "      - image: x\n",
     NULL},
    {"new_list_duplicates_collapse", false, false,
     DEPLOY_X_TPL "      hostname: h\n",
     DEPLOY_X_CTRS "      - name: a\n        image: one\n      - name: a\n"
                   "        args:\n        - two\n",
     DEPLOY_X_CTRS
     "      - args:\n        - two\n        name: a\n      hostname: h\n",
     NULL},
    {"new_list_with_directive", false, false,
     DEPLOY_X_TPL "      hostname: h\n",
     DEPLOY_X_CTRS "      - $patch: replace\n      - name: a\n",
     DEPLOY_X_CTRS "      - $patch: replace\n      hostname: h\n", NULL},
    {"object_null_and_empty_items_dropped", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - {}\n      - null\n",
     DEPLOY_X_CTRS "      - name: a\n        image: i\n",
     DEPLOY_X_CTRS "      - image: i\n        name: a\n", NULL},
    {"volumes_retain_keys_ignored", false, false,
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        configMap:\n"
                  "          name: c\n",
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        secret:\n"
                  "          secretName: s\n",
     DEPLOY_X_TPL "      volumes:\n      - configMap:\n          name: c\n"
                  "        name: v\n        secret:\n          secretName: s\n",
     NULL},
    {"init_containers", false, false,
     DEPLOY_X_TPL "      initContainers:\n      - name: i1\n      - name: i2\n",
     DEPLOY_X_TPL "      initContainers:\n      - name: i2\n        image: x\n",
     DEPLOY_X_TPL "      initContainers:\n      - image: x\n        name: i2\n"
                  "      - name: i1\n",
     NULL},
    {"volume_mounts_by_path", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        volumeMounts:\n        - mountPath: /a\n"
     "          name: v1\n        - mountPath: /b\n          name: v2\n",
     DEPLOY_X_CTRS
     "      - name: a\n        volumeMounts:\n        - mountPath: /b\n"
     "          name: v3\n",
     DEPLOY_X_CTRS
     "      - name: a\n        volumeMounts:\n        - mountPath: /b\n"
     "          name: v3\n        - mountPath: /a\n          name: v1\n",
     NULL},
    {"host_aliases_by_ip", false, false,
     DEPLOY_X_TPL
     "      hostAliases:\n      - ip: 1.1.1.1\n        hostnames: [a]\n",
     DEPLOY_X_TPL
     "      hostAliases:\n      - ip: 2.2.2.2\n        hostnames: [b]\n"
     "      - ip: 1.1.1.1\n        hostnames: [c]\n",
     DEPLOY_X_TPL "      hostAliases:\n      - hostnames:\n        - b\n"
                  "        ip: 2.2.2.2\n      - hostnames:\n        - c\n"
                  "        ip: 1.1.1.1\n",
     NULL},
    {"pod_image_pull_secrets_by_name", false, false,
     DEPLOY_X_TPL "      imagePullSecrets:\n      - name: r1\n",
     DEPLOY_X_TPL "      imagePullSecrets:\n      - name: r2\n",
     DEPLOY_X_TPL
     "      imagePullSecrets:\n      - name: r2\n      - name: r1\n",
     NULL},
    {"key_text_int_vs_string", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: x\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: \"80\"\n"
     "          hostPort: 81\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: \"80\"\n"
     "          hostPort: 81\n          name: x\n",
     NULL},
    {"scalar_item_in_map_list_error", false, false,
     DEPLOY_X_CTRS "      - name: a\n      - x\n",
     DEPLOY_X_CTRS "      - name: b\n", NULL,
     "wrong node kind: expected MappingNode but got ScalarNode: node "
     "contents:\n"
     "x"},
    {"map_where_list_error", false, false, DEPLOY_X_CTRS "      - name: a\n",
     DEPLOY_X_CTRS "        name: a\n", NULL,
     "wrong node kind: expected SequenceNode but got MappingNode: node "
     "contents:\n"
     "name: a"},
    {"list_where_map_error", false, false, DEPLOY_X_TPL "      hostname: h\n",
     DEPLOY_X "spec:\n  template:\n  - 1\n", NULL,
     "wrong node kind: expected MappingNode but got SequenceNode: node "
     "contents:\n"
     "- 1"},
    {"scalar_where_map_error", false, false, DEPLOY_X_TPL "      hostname: h\n",
     DEPLOY_X "spec:\n  template: 5\n", NULL,
     "wrong node kind: expected MappingNode but got ScalarNode: node "
     "contents:\n"
     "5"},
    {"list_where_scalar_error", false, false,
     DEPLOY_X_CTRS "      - name: a\n        image: a\n",
     DEPLOY_X_CTRS "      - name: a\n        image:\n        - x\n", NULL,
     "wrong node kind: expected ScalarNode but got SequenceNode: node "
     "contents:\n"
     "- x"},
};

/*
 * Lists merged by two keys (ports, topologySpreadConstraints).  Expected: what
 * `kubectl kustomize DIR` printed with DIR/base.yaml = obj, DIR/p.yaml = patch
 * and DIR/kustomization.yaml: resources: [base.yaml] patches: - path: p.yaml
 */
static const struct smp_case multikey_cases[] = {
    {"ports_protocol_in_object_only_dropped", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          protocol: TCP\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: http\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          protocol: TCP\n",
     NULL},
    {"ports_protocol_in_patch_only_dropped", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          protocol: TCP\n          name: http\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n",
     NULL},
    {"ports_no_protocol_merged", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: http\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: http\n",
     NULL},
    {"ports_both_protocols_merged", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          protocol: TCP\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          protocol: TCP\n          name: http\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: http\n          protocol: TCP\n",
     NULL},
    {"ports_udp_added", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 53\n"
     "          protocol: TCP\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 53\n"
     "          protocol: UDP\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 53\n"
     "          protocol: UDP\n        - containerPort: 53\n"
     "          protocol: TCP\n",
     NULL},
    {"ports_two_object_ports_patch_dropped", false, false,
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "        - containerPort: 80\n          protocol: UDP\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "          name: web\n",
     DEPLOY_X_CTRS
     "      - name: a\n        ports:\n        - containerPort: 80\n"
     "        - containerPort: 80\n          protocol: UDP\n",
     NULL},
    {"service_ports_merge", false, false,
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    targetPort: 8080\n  - port: 443\n",
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    targetPort: 9090\n",
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    targetPort: 9090\n  - port: 443\n",
     NULL},
    {"service_ports_protocol_dropped", false, false,
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 8080\n",
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    targetPort: 9090\n",
     "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n"
     "  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 8080\n",
     NULL},
    {"topology_spread", false, false,
     DEPLOY_X_TPL
     "      topologySpreadConstraints:\n      - topologyKey: zone\n"
     "        whenUnsatisfiable: DoNotSchedule\n        maxSkew: 1\n",
     DEPLOY_X_TPL
     "      topologySpreadConstraints:\n      - topologyKey: zone\n"
     "        whenUnsatisfiable: DoNotSchedule\n        maxSkew: 2\n"
     "      - topologyKey: host\n"
     "        whenUnsatisfiable: ScheduleAnyway\n        maxSkew: 1\n",
     DEPLOY_X_TPL
     "      topologySpreadConstraints:\n      - maxSkew: 1\n"
     "        topologyKey: host\n"
     "        whenUnsatisfiable: ScheduleAnyway\n      - maxSkew: 2\n"
     "        topologyKey: zone\n"
     "        whenUnsatisfiable: DoNotSchedule\n",
     NULL},
    {"topology_spread_missing_secondary", false, false,
     DEPLOY_X_TPL
     "      topologySpreadConstraints:\n      - topologyKey: zone\n"
     "        whenUnsatisfiable: DoNotSchedule\n        maxSkew: 1\n",
     DEPLOY_X_TPL
     "      topologySpreadConstraints:\n      - topologyKey: zone\n"
     "        maxSkew: 3\n",
     DEPLOY_X_TPL "      topologySpreadConstraints:\n      - maxSkew: 1\n"
                  "        topologyKey: zone\n"
                  "        whenUnsatisfiable: DoNotSchedule\n",
     NULL},
};

/*
 * Lists of scalars merged as sets.  Expected: what `kubectl kustomize DIR`
 * printed with DIR/base.yaml = obj, DIR/p.yaml = patch and
 * DIR/kustomization.yaml: resources: [base.yaml] patches: - path: p.yaml
 */
static const struct smp_case sets_cases[] = {
    {"finalizers_union", false, false, DEPLOY_X "  finalizers:\n  - a\n  - b\n",
     DEPLOY_X "  finalizers:\n  - c\n  - a\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  finalizers:\n"
     "  - c\n  - a\n  - b\n  name: x\n",
     NULL},
    {"finalizers_null_items_dropped", false, false,
     DEPLOY_X "  finalizers:\n  - null\n  - a\n  - null\n",
     DEPLOY_X "spec:\n  replicas: 1\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  finalizers:\n"
     "  - a\n  name: x\nspec:\n  replicas: 1\n",
     NULL},
    {"finalizers_replace", false, false,
     DEPLOY_X "  finalizers:\n  - a\n  - b\n",
     DEPLOY_X "  finalizers:\n  - $patch: replace\n  - c\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  finalizers:\n"
     "  - c\n  name: x\n",
     NULL},
    {"node_pod_cidrs", false, false,
     "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n"
     "  podCIDRs:\n  - 10.0.0.0/24\n",
     "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n"
     "  podCIDRs:\n  - 10.0.1.0/24\n  taints:\n  - key: k\n"
     "    effect: NoSchedule\n",
     "apiVersion: v1\nkind: Node\nmetadata:\n  name: \"n\"\nspec:\n"
     "  podCIDRs:\n  - 10.0.1.0/24\n  - 10.0.0.0/24\n  taints:\n"
     "  - effect: NoSchedule\n    key: k\n",
     NULL},
    {"set_with_map_item_error", false, false,
     DEPLOY_X "  finalizers:\n  - a\n  - x: 1\n",
     DEPLOY_X "  finalizers:\n  - b\n", NULL,
     "wrong node kind: expected ScalarNode but got MappingNode: node "
     "contents:\n"
     "x: 1"},
};

/*
 * Which apiVersion/kind has a schema, and which lists are atomic.  Expected:
 * what `kubectl kustomize DIR` printed with DIR/base.yaml = obj, DIR/p.yaml =
 * patch and DIR/kustomization.yaml: resources: [base.yaml] patches: - path:
 * p.yaml
 */
static const struct smp_case schema_cases[] = {
    {"args_atomic", false, false,
     DEPLOY_X_CTRS "      - name: a\n        args:\n        - x\n        - y\n",
     DEPLOY_X_CTRS "      - name: a\n        args:\n        - z\n",
     DEPLOY_X_CTRS "      - args:\n        - z\n        name: a\n", NULL},
    {"tolerations_atomic", false, false,
     DEPLOY_X_TPL "      tolerations:\n      - key: a\n      - key: b\n",
     DEPLOY_X_TPL "      tolerations:\n      - key: c\n",
     DEPLOY_X_TPL "      tolerations:\n      - key: c\n", NULL},
    {"apps_v1beta1_atomic", false, false,
     "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n        image: a\n      - name: b\n"
     "        image: b\n",
     "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n        image: a2\n",
     "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - image: a2\n        name: a\n",
     NULL},
    {"apps_v1beta2_atomic", false, false,
     "apiVersion: apps/v1beta2\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n      - name: b\n",
     "apiVersion: apps/v1beta2\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n        image: a2\n",
     "apiVersion: apps/v1beta2\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - image: a2\n        name: a\n",
     NULL},
    {"custom_resource_atomic", false, false,
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "  finalizers: [a]\nspec:\n  containers:\n  - name: a\n"
     "  - name: b\n  m:\n    k: v\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "  finalizers: [b]\nspec:\n  containers:\n  - name: a\n"
     "    image: a2\n  m:\n    j: w\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  finalizers:\n"
     "  - b\n  name: f\nspec:\n  containers:\n  - image: a2\n"
     "    name: a\n  m:\n    j: w\n    k: v\n",
     NULL},
    {"custom_resource_embedded_object", false, false,
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  object:\n    apiVersion: apps/v1\n    kind: Deployment\n"
     "    spec:\n      template:\n        spec:\n          containers:\n"
     "          - name: a\n          - name: b\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  object:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n          - name: b\n"
     "            image: b2\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  object:\n    apiVersion: apps/v1\n    kind: Deployment\n"
     "    spec:\n      template:\n        spec:\n          containers:\n"
     "          - image: b2\n            name: b\n          - name: a\n",
     NULL},
    {"custom_resource_list_directive_verbatim", false, false,
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  items:\n  - a\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  items:\n  - $patch: replace\n  - b\n",
     "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n"
     "spec:\n  items:\n  - $patch: replace\n  - b\n",
     NULL},
    {"hpa_v2_atomic", false, false,
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: Resource\n  - type: Pods\nstatus:\n  conditions:\n"
     "  - type: A\n    status: \"True\"\n",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: External\nstatus:\n  conditions:\n  - type: B\n"
     "    status: \"True\"\n",
     "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: External\nstatus:\n  conditions:\n  - status: \"True\"\n"
     "    type: B\n",
     NULL},
    {"hpa_v2beta2_metrics_atomic_conditions_atomic", false, false,
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: Resource\nstatus:\n  conditions:\n  - type: A\n"
     "    status: \"True\"\n",
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: External\nstatus:\n  conditions:\n  - type: B\n"
     "    status: \"True\"\n",
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\nspec:\n  maxReplicas: 3\n  metrics:\n"
     "  - type: External\nstatus:\n  conditions:\n  - status: \"True\"\n"
     "    type: B\n",
     NULL},
    {"hpa_v2beta2_finalizers_set", false, false,
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\n  finalizers: [a]\n",
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  name: h\n  finalizers: [b]\n",
     "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\n"
     "metadata:\n  finalizers:\n  - b\n  - a\n  name: h\n",
     NULL},
    {"cronjob_batch_v1_merges", false, false,
     "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: a\n            image: a\n          - name: b\n",
     "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: b\n            image: b2\n",
     "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n          - image: b2\n"
     "            name: b\n          - image: a\n            name: a\n"
     "  schedule: '* * * * *'\n",
     NULL},
    {"cronjob_batch_v1beta1_merges", false, false,
     "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: a\n            image: a\n          - name: b\n",
     "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: b\n            image: b2\n",
     "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n          - image: b2\n"
     "            name: b\n          - image: a\n            name: a\n"
     "  schedule: '* * * * *'\n",
     NULL},
    {"cronjob_batch_v2alpha1_atomic", false, false,
     "apiVersion: batch/v2alpha1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: a\n            image: a\n          - name: b\n",
     "apiVersion: batch/v2alpha1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n"
     "      template:\n        spec:\n          containers:\n"
     "          - name: b\n            image: b2\n",
     "apiVersion: batch/v2alpha1\nkind: CronJob\nmetadata:\n  name: cj\n"
     "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
     "          containers:\n          - image: b2\n"
     "            name: b\n  schedule: '* * * * *'\n",
     NULL},
    {"job", false, false,
     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n"
     "  template:\n    spec:\n      containers:\n      - name: a\n"
     "      - name: b\n",
     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n"
     "  template:\n    spec:\n      containers:\n      - name: c\n",
     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n"
     "  template:\n    spec:\n      containers:\n      - name: c\n"
     "      - name: a\n      - name: b\n",
     NULL},
    {"statefulset_claim_templates_atomic", false, false,
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n"
     "spec:\n  volumeClaimTemplates:\n  - metadata:\n      name: a\n"
     "  - metadata:\n      name: b\n  template:\n    spec:\n"
     "      containers:\n      - name: a\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n"
     "spec:\n  volumeClaimTemplates:\n  - metadata:\n      name: c\n"
     "  template:\n    spec:\n      containers:\n      - name: b\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n      - name: a\n  volumeClaimTemplates:\n"
     "  - metadata:\n      name: c\n",
     NULL},
    {"daemonset", false, false,
     "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n",
     "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n",
     "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n      - name: a\n",
     NULL},
    {"replicaset", false, false,
     "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n",
     "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n",
     "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: x\n"
     "spec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n      - name: a\n",
     NULL},
    {"replication_controller", false, false,
     "apiVersion: v1\nkind: ReplicationController\nmetadata:\n"
     "  name: x\nspec:\n  template:\n    spec:\n      containers:\n"
     "      - name: a\n",
     "apiVersion: v1\nkind: ReplicationController\nmetadata:\n"
     "  name: x\nspec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n",
     "apiVersion: v1\nkind: ReplicationController\nmetadata:\n"
     "  name: x\nspec:\n  template:\n    spec:\n      containers:\n"
     "      - name: b\n      - name: a\n",
     NULL},
    {"pod", false, false,
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
     "  containers:\n  - name: a\n  ephemeralContainers:\n  - name: e1\n",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
     "  containers:\n  - name: b\n  ephemeralContainers:\n  - name: e2\n",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"
     "  containers:\n  - name: b\n  - name: a\n  ephemeralContainers:\n"
     "  - name: e2\n  - name: e1\n",
     NULL},
    {"pod_template", false, false,
     "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\n"
     "template:\n  spec:\n    containers:\n    - name: a\n",
     "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\n"
     "template:\n  spec:\n    containers:\n    - name: b\n",
     "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\n"
     "template:\n  spec:\n    containers:\n    - name: b\n"
     "    - name: a\n",
     NULL},
    {"service_account_secrets_merge_pull_secrets_atomic", false, false,
     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"
     "secrets:\n- name: s1\nimagePullSecrets:\n- name: r1\n",
     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"
     "secrets:\n- name: s2\nimagePullSecrets:\n- name: r2\n",
     "apiVersion: v1\nimagePullSecrets:\n- name: r2\n"
     "kind: ServiceAccount\nmetadata:\n  name: sa\nsecrets:\n"
     "- name: s2\n- name: s1\n",
     NULL},
    {"rbac_rules_atomic", false, false,
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
     "  name: r\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n"
     "  verbs: [get]\n",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
     "  name: r\nrules:\n- apiGroups: [apps]\n"
     "  resources: [deployments]\n  verbs: [list]\n",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
     "  name: r\nrules:\n- apiGroups:\n  - apps\n  resources:\n"
     "  - deployments\n  verbs:\n  - list\n",
     NULL},
    {"rbac_subjects_atomic", false, false,
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
     "metadata:\n  name: rb\nsubjects:\n- kind: User\n  name: a\n"
     "roleRef:\n  kind: Role\n  name: r\n"
     "  apiGroup: rbac.authorization.k8s.io\n",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
     "metadata:\n  name: rb\nsubjects:\n- kind: User\n  name: b\n",
     "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
     "metadata:\n  name: rb\nroleRef:\n"
     "  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: r\n"
     "subjects:\n- kind: User\n  name: b\n",
     NULL},
    {"ingress_rules_atomic", false, false,
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
     "  name: i\nspec:\n  rules:\n  - host: a\n  tls:\n  - hosts: [a]\n",
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
     "  name: i\nspec:\n  rules:\n  - host: b\n",
     "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
     "  name: i\nspec:\n  rules:\n  - host: b\n  tls:\n  - hosts:\n"
     "    - a\n",
     NULL},
    {"network_policy_atomic", false, false,
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
     "  name: n\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n"
     "  policyTypes: [Ingress]\n",
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
     "  name: n\nspec:\n  policyTypes: [Egress]\n",
     "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
     "  name: \"n\"\nspec:\n  ingress:\n  - from:\n"
     "    - podSelector: {}\n  policyTypes:\n  - Egress\n",
     NULL},
    {"webhooks_by_name", false, false,
     "apiVersion: admissionregistration.k8s.io/v1\n"
     "kind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n"
     "webhooks:\n- name: a.example.com\n  sideEffects: None\n"
     "- name: b.example.com\n  sideEffects: None\n",
     "apiVersion: admissionregistration.k8s.io/v1\n"
     "kind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n"
     "webhooks:\n- name: b.example.com\n  failurePolicy: Ignore\n",
     "apiVersion: admissionregistration.k8s.io/v1\n"
     "kind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n"
     "webhooks:\n- failurePolicy: Ignore\n  name: b.example.com\n"
     "  sideEffects: None\n- name: a.example.com\n  sideEffects: None\n",
     NULL},
    {"pdb_policy_v1_selector_merged", false, false,
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"
     "  name: p\nspec:\n  minAvailable: 1\n  selector:\n"
     "    matchLabels:\n      a: b\nstatus:\n  conditions:\n"
     "  - type: A\n    status: \"True\"\n",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"
     "  name: p\nspec:\n  selector:\n    matchLabels:\n      c: d\n"
     "status:\n  conditions:\n  - type: B\n    status: \"True\"\n",
     "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"
     "  name: p\nspec:\n  minAvailable: 1\n  selector:\n"
     "    matchLabels:\n      a: b\n      c: d\nstatus:\n  conditions:\n"
     "  - status: \"True\"\n    type: B\n  - status: \"True\"\n"
     "    type: A\n",
     NULL},
    {"status_conditions_by_type", false, false,
     DEPLOY_X_CTRS
     "      - name: a\nstatus:\n  conditions:\n  - type: Available\n"
     "    status: \"False\"\n  - type: Progressing\n"
     "    status: \"True\"\n",
     DEPLOY_X "status:\n  conditions:\n  - type: Available\n"
              "    status: \"True\"\n",
     DEPLOY_X_CTRS
     "      - name: a\nstatus:\n  conditions:\n  - status: \"True\"\n"
     "    type: Available\n  - status: \"True\"\n    type: Progressing\n",
     NULL},
    {"csinode_drivers", false, false,
     "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata:\n"
     "  name: n\nspec:\n  drivers:\n  - name: a\n    nodeID: \"1\"\n",
     "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata:\n"
     "  name: n\nspec:\n  drivers:\n  - name: b\n    nodeID: \"2\"\n",
     "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata:\n"
     "  name: \"n\"\nspec:\n  drivers:\n  - name: b\n    nodeID: \"2\"\n"
     "  - name: a\n    nodeID: \"1\"\n",
     NULL},
    {"owner_references_by_uid", false, false,
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
     "  ownerReferences:\n  - uid: u1\n    name: a\n"
     "    kind: Deployment\n    apiVersion: apps/v1\ndata:\n  a: b\n",
     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
     "  ownerReferences:\n  - uid: u2\n    name: b\n"
     "    kind: Deployment\n    apiVersion: apps/v1\ndata:\n  c: d\n",
     "apiVersion: v1\ndata:\n  a: b\n  c: d\nkind: ConfigMap\n"
     "metadata:\n  name: c\n  ownerReferences:\n"
     "  - apiVersion: apps/v1\n    kind: Deployment\n    name: b\n"
     "    uid: u2\n  - apiVersion: apps/v1\n    kind: Deployment\n"
     "    name: a\n    uid: u1\n",
     NULL},
    {"ephemeral_claim_template_finalizers", false, false,
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        ephemeral:\n"
                  "          volumeClaimTemplate:\n            metadata:\n"
                  "              finalizers: [a]\n",
     DEPLOY_X_TPL "      volumes:\n      - name: v\n        ephemeral:\n"
                  "          volumeClaimTemplate:\n            metadata:\n"
                  "              finalizers: [b]\n",
     DEPLOY_X_TPL
     "      volumes:\n      - ephemeral:\n"
     "          volumeClaimTemplate:\n            metadata:\n"
     "              finalizers:\n              - b\n              - a\n"
     "        name: v\n",
     NULL},
    {"namespace_status_conditions", false, false,
     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\nstatus:\n"
     "  conditions:\n  - type: A\n    status: \"True\"\n",
     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\nstatus:\n"
     "  conditions:\n  - type: B\n    status: \"True\"\n",
     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"n\"\n"
     "status:\n  conditions:\n  - status: \"True\"\n    type: B\n"
     "  - status: \"True\"\n    type: A\n",
     NULL},
};

/*
 * Kind, name and namespace after a targeted patch.  Expected: what `kubectl
 * kustomize DIR` printed with DIR/base.yaml = obj, DIR/p.yaml = patch and
 * DIR/kustomization.yaml: resources: [base.yaml] patches: - path: p.yaml
 *   resources: [base.yaml] patches: - path: p.yaml target: {"kind":
 * "Deployment"} resources: [base.yaml] patches: - path: p.yaml target: {"kind":
 * "Deployment"} options: {"allowNameChange": true} resources: [base.yaml]
 * patches: - path: p.yaml target: {"kind": "Deployment"} options:
 * {"allowKindChange": true}
 */
static const struct smp_case restore_cases[] = {
    {"name_restored", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: y\n"
     "spec:\n  replicas: 2\n",
     DEPLOY_X "spec:\n  replicas: 2\n", NULL},
    {"name_change_allowed", false, true, DEPLOY_X "spec:\n  replicas: 1\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: y\n"
     "spec:\n  replicas: 2\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \"y\"\n"
     "spec:\n  replicas: 2\n",
     NULL},
    {"namespace_restored", false, false, DEPLOY_X "  namespace: a\n",
     DEPLOY_X "  namespace: b\n  labels:\n    l: v\n",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n"
     "    l: v\n  name: x\n  namespace: a\n",
     NULL},
    {"namespace_dropped_when_absent", false, false,
     DEPLOY_X "spec:\n  replicas: 1\n", DEPLOY_X "  namespace: b\n",
     DEPLOY_X "spec:\n  replicas: 1\n", NULL},
    {"kind_restored", false, false, DEPLOY_X "spec:\n  replicas: 1\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n"
     "spec:\n  replicas: 2\n",
     DEPLOY_X "spec:\n  replicas: 2\n", NULL},
    {"kind_change_allowed", true, false, DEPLOY_X "spec:\n  replicas: 1\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n"
     "spec:\n  replicas: 2\n",
     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\n"
     "spec:\n  replicas: 2\n",
     NULL},
    {"metadata_deleted_name_restored", false, false,
     DEPLOY_X "  labels:\n    a: b\n", DEPLOY_X "  $patch: delete\n", DEPLOY_X,
     NULL},
};
/* A second patch for the allocation-failure walk: a multi-key list. */
#define PORTS_PATCH                                                            \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"        \
	"  finalizers: [f]\nspec:\n  template:\n    spec:\n      "             \
	"containers:\n"                                                        \
	"      - name: a\n        ports:\n        - containerPort: 8080\n"     \
	"          protocol: TCP\n        - containerPort: 80\n"               \
	"        env:\n        - name: E\n          value: 1\n"

static ga_node *parse_one(const char *text)
{
	ga_node *docs = NULL, *doc = NULL;

	CHECK_OK(ga_yaml_parse(&docs, text, strlen(text), "t.yaml", NULL));
	if (docs && ga_node_count(docs) == 1)
		doc = ga_node_list_remove(docs, 0);
	CHECK(doc != NULL);
	ga_node_free(docs);
	return doc;
}

static void run_case(const struct smp_case *c)
{
	ga_node *obj = parse_one(c->obj), *patch = parse_one(c->patch);
	ga_node *before = NULL;
	ga_buf out = GA_BUF_INIT(1 << 20);
	int err;

	if (!obj || !patch)
		goto out;
	CHECK_OK(ga_node_clone(&before, obj));
	err =
	    ga_kust__smp_apply(&obj, patch, NULL, c->allow_kind, c->allow_name);
	if (c->err) {
		CHECK_EQ_INT(err, GA_EINVALID);
		CHECK_EQ_STR(ga_error_last()->message, c->err);
		/* All or nothing: the object is as it was. */
		CHECK(obj && ga_node_equal(obj, before));
		goto out;
	}
	CHECK_OK(err);
	if (!c->want[0]) {
		CHECK(obj == NULL);
		goto out;
	}
	CHECK(obj != NULL);
	if (obj)
		CHECK_OK(ga_yaml_emit(&out, obj));
	CHECK_EQ_STR(ga_buf_cstr(&out), c->want);
out:
	ga_buf_dispose(&out);
	ga_node_free(before);
	ga_node_free(obj);
	ga_node_free(patch);
}

/* One TAP test point per case, named after it (RUN() for a table). */
static void run_table(const char *group, const struct smp_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		th_current_failed = 0;
		ga_error_clear();
		run_case(&cases[i]);
		th_tests++;
		if (th_current_failed)
			th_failed_tests++;
		printf("%s %d - %s/%s\n", th_current_failed ? "not ok" : "ok",
		       th_tests, group, cases[i].name);
		(void)fflush(stdout);
	}
}

#define RUN_TABLE(t)                                                           \
	run_table(#t, t##_cases, sizeof(t##_cases) / sizeof(t##_cases[0]))

/*
 * The strategy of one list in the table, checked against the Kubernetes
 * v1.21.2 schema kubectl embeds (x-kubernetes-patch-strategy,
 * -patch-merge-key, -list-map-keys).
 */
struct strategy_case {
	const char *group, *version, *kind, *path;
	ga_kust_list_merge merge;
	const char *k1, *k2;
};

static const struct strategy_case strategies[] = {
    {"apps", "v1", "Deployment", "spec.template.spec.containers",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.ports",
     GA_KUST_LIST_KEYS, "containerPort", "protocol"},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.env",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.volumeMounts",
     GA_KUST_LIST_KEYS, "mountPath", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.volumeDevices",
     GA_KUST_LIST_KEYS, "devicePath", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.args",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.containers.envFrom",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.initContainers.env",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.ephemeralContainers.ports",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.volumes",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.imagePullSecrets",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.hostAliases",
     GA_KUST_LIST_KEYS, "ip", NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.topologySpreadConstraints",
     GA_KUST_LIST_KEYS, "topologyKey", "whenUnsatisfiable"},
    {"apps", "v1", "Deployment", "spec.template.spec.tolerations",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "Deployment", "spec.template.spec.readinessGates",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "Deployment", "spec.template.metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"apps", "v1", "Deployment", "metadata.finalizers", GA_KUST_LIST_SET, NULL,
     NULL},
    {"apps", "v1", "Deployment", "metadata.ownerReferences", GA_KUST_LIST_KEYS,
     "uid", NULL},
    {"apps", "v1", "Deployment", "metadata.managedFields", GA_KUST_LIST_ATOMIC,
     NULL, NULL},
    {"apps", "v1", "Deployment", "status.conditions", GA_KUST_LIST_KEYS, "type",
     NULL},
    {"apps", "v1", "StatefulSet", "spec.template.spec.containers",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "StatefulSet", "spec.volumeClaimTemplates",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1", "DaemonSet", "spec.template.spec.containers",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1", "ReplicaSet", "spec.template.spec.volumes",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"apps", "v1beta1", "Deployment", "spec.template.spec.containers",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"apps", "v1beta2", "Deployment", "spec.template.spec.containers",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"extensions", "v1beta1", "Deployment", "spec.template.spec.containers",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"batch", "v1", "Job", "spec.template.spec.containers", GA_KUST_LIST_KEYS,
     "name", NULL},
    {"batch", "v1", "Job", "status.conditions", GA_KUST_LIST_KEYS, "type",
     NULL},
    {"batch", "v1", "CronJob", "spec.jobTemplate.spec.template.spec.containers",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"batch", "v1", "CronJob", "spec.jobTemplate.metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"batch", "v1beta1", "CronJob",
     "spec.jobTemplate.spec.template.spec.volumes", GA_KUST_LIST_KEYS, "name",
     NULL},
    {"batch", "v2alpha1", "CronJob",
     "spec.jobTemplate.spec.template.spec.containers", GA_KUST_LIST_ATOMIC,
     NULL, NULL},
    {"", "v1", "Pod", "spec.containers", GA_KUST_LIST_KEYS, "name", NULL},
    {"", "v1", "Pod", "spec.ephemeralContainers", GA_KUST_LIST_KEYS, "name",
     NULL},
    {"", "v1", "Pod", "spec.ephemeralContainers.env", GA_KUST_LIST_KEYS, "name",
     NULL},
    {"", "v1", "Pod", "status.podIPs", GA_KUST_LIST_KEYS, "ip", NULL},
    {"", "v1", "Pod", "status.conditions", GA_KUST_LIST_KEYS, "type", NULL},
    {"", "v1", "Pod",
     "spec.volumes.ephemeral.volumeClaimTemplate."
     "metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"", "v1", "PodTemplate", "template.spec.containers", GA_KUST_LIST_KEYS,
     "name", NULL},
    {"", "v1", "ReplicationController", "spec.template.spec.containers",
     GA_KUST_LIST_KEYS, "name", NULL},
    {"", "v1", "Service", "spec.ports", GA_KUST_LIST_KEYS, "port", "protocol"},
    {"", "v1", "Service", "status.conditions", GA_KUST_LIST_KEYS, "type", NULL},
    {"", "v1", "Service", "spec.ipFamilies", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"", "v1", "ServiceAccount", "secrets", GA_KUST_LIST_KEYS, "name", NULL},
    {"", "v1", "ServiceAccount", "imagePullSecrets", GA_KUST_LIST_ATOMIC, NULL,
     NULL},
    {"", "v1", "ConfigMap", "metadata.finalizers", GA_KUST_LIST_SET, NULL,
     NULL},
    {"", "v1", "Secret", "metadata.ownerReferences", GA_KUST_LIST_KEYS, "uid",
     NULL},
    {"", "v1", "Endpoints", "subsets", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"", "v1", "Namespace", "status.conditions", GA_KUST_LIST_KEYS, "type",
     NULL},
    {"", "v1", "Node", "spec.podCIDRs", GA_KUST_LIST_SET, NULL, NULL},
    {"", "v1", "Node", "spec.taints", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"", "v1", "Node", "status.addresses", GA_KUST_LIST_KEYS, "type", NULL},
    {"", "v1", "PersistentVolumeClaim", "status.conditions", GA_KUST_LIST_KEYS,
     "type", NULL},
    {"", "v1", "PersistentVolume", "spec.accessModes", GA_KUST_LIST_ATOMIC,
     NULL, NULL},
    {"", "v1", "LimitRange", "spec.limits", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"", "v1", "ResourceQuota", "metadata.finalizers", GA_KUST_LIST_SET, NULL,
     NULL},
    {"", "v1", "ComponentStatus", "conditions", GA_KUST_LIST_KEYS, "type",
     NULL},
    {"policy", "v1", "PodDisruptionBudget", "status.conditions",
     GA_KUST_LIST_KEYS, "type", NULL},
    {"policy", "v1beta1", "PodDisruptionBudget", "status.conditions",
     GA_KUST_LIST_KEYS, "type", NULL},
    {"policy", "v1beta1", "PodSecurityPolicy", "spec.volumes",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"autoscaling", "v1", "HorizontalPodAutoscaler", "metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"autoscaling", "v2beta1", "HorizontalPodAutoscaler", "spec.metrics",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"autoscaling", "v2beta2", "HorizontalPodAutoscaler", "status.conditions",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"autoscaling", "v2", "HorizontalPodAutoscaler", "metadata.finalizers",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"networking.k8s.io", "v1", "Ingress", "spec.rules", GA_KUST_LIST_ATOMIC,
     NULL, NULL},
    {"networking.k8s.io", "v1", "Ingress", "metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"networking.k8s.io", "v1", "NetworkPolicy", "spec.ingress",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"rbac.authorization.k8s.io", "v1", "ClusterRole", "rules",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"rbac.authorization.k8s.io", "v1", "RoleBinding", "subjects",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
     "webhooks", GA_KUST_LIST_KEYS, "name", NULL},
    {"admissionregistration.k8s.io", "v1beta1",
     "ValidatingWebhookConfiguration", "webhooks", GA_KUST_LIST_KEYS, "name",
     NULL},
    {"admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
     "webhooks.rules", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"storage.k8s.io", "v1", "CSINode", "spec.drivers", GA_KUST_LIST_KEYS,
     "name", NULL},
    {"storage.k8s.io", "v1", "StorageClass", "mountOptions",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"scheduling.k8s.io", "v1", "PriorityClass", "metadata.finalizers",
     GA_KUST_LIST_SET, NULL, NULL},
    {"apiregistration.k8s.io", "v1", "APIService", "status.conditions",
     GA_KUST_LIST_KEYS, "type", NULL},
    {"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "spec.versions",
     GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"example.com", "v1", "Foo", "metadata.finalizers", GA_KUST_LIST_ATOMIC,
     NULL, NULL},
    {"", "v1", "List", "items", GA_KUST_LIST_ATOMIC, NULL, NULL},
    {"", "v1", "DeleteOptions", "dryRun", GA_KUST_LIST_ATOMIC, NULL, NULL},
};

static void test_list_strategy(void)
{
	for (size_t i = 0; i < sizeof(strategies) / sizeof(strategies[0]);
	     i++) {
		const struct strategy_case *c = &strategies[i];
		ga_kust_list_strategy st = {GA_KUST_LIST_KEYS, 9, {"x", "y"}};
		size_t nkeys = c->k2 ? 2 : c->k1 ? 1 : 0;

		CHECK_OK(ga_kust__smp_list_strategy(&st, c->group, c->version,
		                                    c->kind, c->path));
		if (st.merge != c->merge || st.nkeys != nkeys)
			printf("# %s/%s %s %s: merge %d keys %zu\n", c->group,
			       c->version, c->kind, c->path, (int)st.merge,
			       st.nkeys);
		CHECK_EQ_INT(st.merge, c->merge);
		CHECK_EQ_INT(st.nkeys, nkeys);
		if (c->k1)
			CHECK_EQ_STR(st.keys[0], c->k1);
		if (c->k2)
			CHECK_EQ_STR(st.keys[1], c->k2);
		if (!c->k2)
			CHECK(st.keys[1] == NULL);
	}
	CHECK_ERR(ga_kust__smp_list_strategy(NULL, "", "v1", "Pod", ""),
	          GA_EINVALID);
}

/* The patch is only read, even where kyaml would strip directives. */
static void test_patch_untouched(void)
{
	ga_node *obj = parse_one("apiVersion: v1\nkind: Pod\nmetadata:\n"
	                         "  name: p\nspec:\n  containers:\n"
	                         "  - name: a\n");
	ga_node *patch = parse_one("apiVersion: v1\nkind: Pod\nmetadata:\n"
	                           "  name: p\n  $patch: replace\nspec:\n"
	                           "  containers:\n  - $patch: replace\n"
	                           "  - name: b\n");
	ga_node *copy = NULL;

	CHECK_OK(ga_node_clone(&copy, patch));
	CHECK_OK(ga_kust__smp_apply(&obj, patch, "p.yaml", false, false));
	CHECK(ga_node_equal(patch, copy));
	ga_node_free(copy);
	ga_node_free(patch);
	ga_node_free(obj);
}

static void test_arguments(void)
{
	ga_node *obj = parse_one("a: 1\n"), *none = NULL;

	CHECK_ERR(ga_kust__smp_apply(NULL, obj, NULL, false, false),
	          GA_EINVALID);
	CHECK_ERR(ga_kust__smp_apply(&none, obj, NULL, false, false),
	          GA_EINVALID);
	CHECK_ERR(ga_kust__smp_apply(&obj, NULL, NULL, false, false),
	          GA_EINVALID);
	ga_node_free(obj);
}

/* Messages name the patch before kubectl's own text. */
static void test_message_names_patch(void)
{
	ga_node *obj = parse_one("kind: K\nspec:\n  a: 1\n");
	ga_node *patch = parse_one("kind: K\nspec:\n- 1\n");

	CHECK_ERR(
	    ga_kust__smp_apply(&obj, patch, "overlay/p.yaml", false, false),
	    GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "overlay/p.yaml: wrong node kind: expected MappingNode "
	             "but got SequenceNode: node contents:\n- 1");
	ga_node_free(patch);
	patch = parse_one("kind: K\nspec:\n  $patch: nope\n");
	CHECK_ERR(ga_kust__smp_apply(&obj, patch, "p", false, false),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "p: unknown patch strategy 'nope'");
	ga_node_free(patch);
	ga_node_free(obj);
}

/* Trees built in memory are not bounded by a parser: the walk is. */
static void test_depth_limit(void)
{
	ga_node *obj = NULL, *patch = NULL, *m = NULL;

	CHECK_OK(ga_node_new_map(&obj));
	CHECK_OK(ga_node_new_map(&patch));
	for (int i = 0; i < 1100; i++) {
		CHECK_OK(ga_node_new_map(&m));
		CHECK_OK(ga_node_map_set_take(m, "a", patch));
		patch = m;
	}
	CHECK_ERR(ga_kust__smp_apply(&obj, patch, "deep", false, false),
	          GA_ELIMIT);
	CHECK(obj && ga_node_count(obj) == 0);
	ga_node_free(patch);
	ga_node_free(obj);
}

/*
 * Every allocation failure, one after another, on a merge that takes most
 * paths: the result is GA_ENOMEM and the object unchanged until the merge
 * succeeds, with the expected output.
 */
static void test_oom_walk(void)
{
	const struct smp_case *c = &lists_cases[0];
	ga_node *obj = NULL, *patch = parse_one(lists_cases[0].patch);
	ga_node *orig = parse_one(c->obj), *p2 = parse_one(PORTS_PATCH);
	ga_buf out = GA_BUF_INIT(1 << 20);
	unsigned long k;
	int err = GA_ENOMEM;

	for (k = 1; err == GA_ENOMEM && k < 100000; k++) {
		CHECK_OK(ga_node_clone(&obj, orig));
		ga_alloc__fail_after(k, false);
		err = ga_kust__smp_apply(&obj, patch, "oom", false, false);
		if (!err)
			err = ga_kust__smp_apply(&obj, p2, "oom", false, false);
		ga_alloc__fail_after(0, false);
		if (err) {
			CHECK_EQ_INT(err, GA_ENOMEM);
			CHECK(obj != NULL);
		}
		if (err) {
			ga_node_free(obj);
			obj = NULL;
		}
	}
	CHECK_OK(err);
	CHECK(k > 10);
	if (obj)
		CHECK_OK(ga_yaml_emit(&out, obj));
	CHECK(strstr(ga_buf_cstr(&out), "containerPort: 8080") != NULL);
	ga_buf_dispose(&out);
	ga_node_free(obj);
	ga_node_free(orig);
	ga_node_free(patch);
	ga_node_free(p2);
}

int main(void)
{
	RUN_TABLE(maps);
	RUN_TABLE(directives);
	RUN_TABLE(lists);
	RUN_TABLE(multikey);
	RUN_TABLE(sets);
	RUN_TABLE(schema);
	RUN_TABLE(restore);
	RUN(test_list_strategy);
	RUN(test_patch_untouched);
	RUN(test_arguments);
	RUN(test_message_names_patch);
	RUN(test_depth_limit);
	RUN(test_oom_walk);
	return DONE();
}
