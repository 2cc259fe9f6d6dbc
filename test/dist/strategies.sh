#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks the vendor distribution (issue 3) on what kubectl builds from it, not
# on its source: each environment's Canaries express the release strategy the
# environment promises, and every workload is fit to run.
#
#   dist/app-kubernetes  provider kubernetes; blue/green for all four services
#   dist/app-istio       provider istio; frontend A/B testing (header/cookie),
#                        backend progressive canary, cache blue/green,
#                        database blue/green with traffic mirroring
#   dist/app-linkerd     provider gatewayapi:v1 (Linkerd HTTPRoutes, GAMMA
#                        parentRef = the service's Service); frontend and
#                        backend progressive canary, cache and database
#                        blue/green; SLOs through Linkerd MetricTemplates
#
# Every Canary: SLOs success rate >= 99 % and P99 duration <= 500 ms over 1m,
# analysis interval 1m, a pre-rollout conformance hook (synchronous) and a
# rollout load-test hook, both calling the tester Service of the build with a
# command the tester has, targetRef to a Deployment of the build and its port,
# autoscalerRef for frontend and backend, no Service of Flagger's own names.
# Every Deployment (dist/base too): probes, requests and limits, the
# restricted securityContext, pinned images, ConfigMaps and ports that exist.
# The worked example of each environment's README.md builds on top of it and
# adds its confirm-promotion gate.
#
# Usage: test/dist/strategies.sh [ROOT]   (ROOT defaults to the repository
#        root; KUBECTL=PATH picks the kubectl, default the one on PATH)
#
# Output is TAP.  A build failure is a failed test point with kubectl's
# message.  Without kubectl the whole test is skipped ("1..0 # SKIP", exit 0:
# meson's TAP protocol counts any nonzero exit, 77 included, as an error).
# Needs python3 with PyYAML (Debian: python3-yaml); without it: "Bail out!".
set -uo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
if [[ ! -d $root/dist ]]; then
	echo "Bail out! $root/dist: not a directory"
	exit 1
fi
kubectl=${KUBECTL:-kubectl}
if ! command -v "$kubectl" >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl not found (kubectl kustomize builds the distribution)"
	exit 0
fi
if ! python3 -c 'import yaml' >/dev/null 2>&1; then
	echo "Bail out! python3 module yaml missing (Debian package python3-yaml)"
	exit 1
fi

exec python3 - "$root/dist" "$kubectl" <<'PY'
import os
import re
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import yaml

dist, kubectl = sys.argv[1], sys.argv[2]

SERVICES = ["frontend", "backend", "cache", "database"]
AUTOSCALED = {"frontend", "backend"}
ENVS = {
    "app-kubernetes": {
        "provider": "kubernetes",
        "strategy": dict.fromkeys(SERVICES, "blue-green"),
    },
    "app-istio": {
        "provider": "istio",
        "strategy": {"frontend": "ab-testing", "backend": "canary",
                     "cache": "blue-green", "database": "blue-green-mirroring"},
    },
    "app-linkerd": {
        "provider": "gatewayapi:v1",
        "strategy": {"frontend": "canary", "backend": "canary",
                     "cache": "blue-green", "database": "blue-green"},
    },
}
BUILTIN_METRICS = {"request-success-rate", "request-duration"}
SLO = {"success_min": 99, "duration_max": 500, "interval": "1m"}
# The only kinds the distribution ships, at their current API versions.
API_VERSIONS = {
    "Namespace": "v1", "ConfigMap": "v1", "Service": "v1",
    "Deployment": "apps/v1", "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1", "Job": "batch/v1",
    "CronJob": "batch/v1", "Canary": "flagger.app/v1beta1",
    "MetricTemplate": "flagger.app/v1beta1",
}
# Flagger's -selector-labels default: the first one in matchLabels wins.
SELECTOR_LABELS = ["app", "name", "app.kubernetes.io/name"]
# Tools of the flagger-loadtester image a hook command may call directly.
IMAGE_TOOLS = {"bash", "curl", "hey", "wrk", "ghz", "jq", "kubectl", "helm"}

n = 0
failed = 0


def tap(ok, name, problems=()):
    global n, failed
    n += 1
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")
    for p in problems:
        for line in str(p).splitlines():
            print(f"#   {line}")
    if not ok:
        failed += 1


def check(name, problems):
    tap(not problems, name, problems)


def build(target):
    path = target if os.path.isabs(target) else f"{dist}/{target}"
    try:
        res = subprocess.run([kubectl, "kustomize", path],
                             capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if res.returncode != 0:
        return None, res.stderr.strip() or f"exit {res.returncode}"
    try:
        return [d for d in yaml.safe_load_all(res.stdout) if d], ""
    except yaml.YAMLError as e:
        return None, f"output is not YAML: {e}"


def get(obj, *path, default=None):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return default
        obj = obj[key]
    return obj


def selects(selector, labels):
    """Kubernetes label selector (matchLabels + matchExpressions) match."""
    if not selector:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, vals = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In" and labels.get(key) not in vals:
            return False
        if op == "NotIn" and labels.get(key) in vals:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


class Build:
    def __init__(self, docs):
        self.docs = docs
        self.by_kind = {}
        for d in docs:
            self.by_kind.setdefault(d.get("kind"), []).append(d)

    def all(self, kind):
        return self.by_kind.get(kind, [])

    def find(self, kind, name, ns=None):
        for d in self.all(kind):
            m = d.get("metadata") or {}
            if m.get("name") == name and (ns is None or m.get("namespace") == ns):
                return d
        return None


def ns_of(obj):
    return get(obj, "metadata", "namespace")


def name_of(obj):
    return get(obj, "metadata", "name")


def containers(dep):
    spec = get(dep, "spec", "template", "spec", default={}) or {}
    return ([("container", c) for c in spec.get("containers") or []] +
            [("initContainer", c) for c in spec.get("initContainers") or []])


def selector_label(dep):
    ml = get(dep, "spec", "selector", "matchLabels", default={}) or {}
    for key in SELECTOR_LABELS:
        if key in ml:
            return key, ml[key]
    return None, None


# ---------------------------------------------------------------------------
# Checks on any build (dist/base included)

def check_objects(env, b):
    probs = []
    for d in b.docs:
        kind, api = d.get("kind"), d.get("apiVersion")
        if kind not in API_VERSIONS:
            probs.append(f"{kind}/{name_of(d)}: a kind the distribution does not ship")
        elif api != API_VERSIONS[kind]:
            probs.append(f"{kind}/{name_of(d)}: apiVersion {api}, want {API_VERSIONS[kind]}")
    check(f"{env}: only current API versions", probs)

    probs = []
    spaces = b.all("Namespace")
    if len(spaces) != 1:
        probs.append(f"{len(spaces)} Namespace objects, want 1")
    else:
        ns = name_of(spaces[0])
        for d in b.docs:
            if d.get("kind") != "Namespace" and ns_of(d) != ns:
                probs.append(f"{d.get('kind')}/{name_of(d)}: namespace {ns_of(d)}, want {ns}")
    check(f"{env}: one Namespace, every object in it", probs)


def check_deployment(env, b, dep):
    name, ns = name_of(dep), ns_of(dep)
    pod = get(dep, "spec", "template", "spec", default={}) or {}
    pod_sc = pod.get("securityContext") or {}
    volumes = {v.get("name"): v for v in pod.get("volumes") or []}
    probs = []

    ml = get(dep, "spec", "selector", "matchLabels")
    tl = get(dep, "spec", "template", "metadata", "labels", default={}) or {}
    if not ml:
        probs.append("no spec.selector.matchLabels")
    elif any(tl.get(k) != v for k, v in ml.items()):
        probs.append(f"selector {ml} does not select its pod labels {tl}")

    own = [c for kind, c in containers(dep) if kind == "container"]
    if not own:
        probs.append("no containers")
    for kind, c in containers(dep):
        cn = f"{kind} {c.get('name')}"
        image = c.get("image") or ""
        if "@sha256:" not in image:
            m = re.match(r"^(.+/)?[^/:]+:([^/:]+)$", image)
            if not m or m.group(2) == "latest":
                probs.append(f"{cn}: image {image!r} is not pinned to a tag or digest")
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        if kind == "container":
            for probe in ("readinessProbe", "livenessProbe"):
                pr = c.get(probe)
                if not pr:
                    probs.append(f"{cn}: no {probe}")
                    continue
                port = get(pr, "httpGet", "port") or get(pr, "tcpSocket", "port")
                if isinstance(port, str) and port not in ports:
                    probs.append(f"{cn}: {probe} port {port!r} is not a container port")
        res = c.get("resources") or {}
        for part in ("requests", "limits"):
            for what in ("cpu", "memory"):
                if what not in (res.get(part) or {}):
                    probs.append(f"{cn}: no resources.{part}.{what}")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            probs.append(f"{cn}: allowPrivilegeEscalation is not false")
        if sc.get("readOnlyRootFilesystem") is not True:
            probs.append(f"{cn}: readOnlyRootFilesystem is not true")
        if "ALL" not in (get(sc, "capabilities", "drop") or []):
            probs.append(f"{cn}: capabilities do not drop ALL")
        if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
            probs.append(f"{cn}: runAsNonRoot is not true (container or pod)")
        seccomp = get(sc, "seccompProfile", "type") or get(pod_sc, "seccompProfile", "type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            probs.append(f"{cn}: seccompProfile is {seccomp}, want RuntimeDefault")
        for vm in c.get("volumeMounts") or []:
            vol = volumes.get(vm.get("name"))
            if vol is None:
                probs.append(f"{cn}: mounts undeclared volume {vm.get('name')!r}")
                continue
            cm_name = get(vol, "configMap", "name")
            if cm_name is None:
                continue
            cm = b.find("ConfigMap", cm_name, ns)
            if cm is None:
                probs.append(f"volume {vm.get('name')}: ConfigMap {cm_name} is not in the build")
            elif vm.get("subPath") and vm["subPath"] not in (cm.get("data") or {}):
                probs.append(f"{cn}: subPath {vm['subPath']!r} is not a key of ConfigMap {cm_name}")
    check(f"{env}: Deployment/{name}: probes, requests and limits, "
          "restricted securityContext, pinned image, existing config", probs)


def serving_labels(b, dep):
    """Labels of the pods that serve traffic: with a Canary on this
    Deployment, Flagger's primary copy, whose selector label value gets
    the suffix -primary."""
    labels = dict(get(dep, "spec", "template", "metadata", "labels", default={}) or {})
    for can in b.all("Canary"):
        if (get(can, "spec", "targetRef", "kind") == "Deployment" and
                get(can, "spec", "targetRef", "name") == name_of(dep) and
                ns_of(can) == ns_of(dep)):
            key, value = selector_label(dep)
            if key:
                labels[key] = f"{value}-primary"
    return labels


def check_services_and_budgets(env, b):
    probs = []
    targets = {get(c, "spec", "targetRef", "name") for c in b.all("Canary")}
    flagger_names = set()
    for t in targets:
        flagger_names |= {t, f"{t}-primary", f"{t}-canary"}
    for svc in b.all("Service"):
        name = name_of(svc)
        if name in flagger_names:
            probs.append(f"Service/{name}: Flagger generates this Service from the Canary")
            continue
        sel = get(svc, "spec", "selector") or {}
        deps = [d for d in b.all("Deployment") if ns_of(d) == ns_of(svc) and sel and
                all((get(d, "spec", "template", "metadata", "labels") or {}).get(k) == v
                    for k, v in sel.items())]
        if not deps:
            probs.append(f"Service/{name}: selector {sel} selects no Deployment's pods")
        for port in get(svc, "spec", "ports") or []:
            tp = port.get("targetPort", port.get("port"))
            for d in deps:
                cports = [p for _, c in containers(d) for p in c.get("ports") or []]
                if not any(tp in (p.get("name"), p.get("containerPort")) for p in cports):
                    probs.append(f"Service/{name}: targetPort {tp!r} is not a port of Deployment/{name_of(d)}")
    check(f"{env}: Services select pods and ports; none collides with Flagger's", probs)

    probs = []
    for pdb in b.all("PodDisruptionBudget"):
        sel = get(pdb, "spec", "selector")
        hits = [d for d in b.all("Deployment")
                if ns_of(d) == ns_of(pdb) and selects(sel, serving_labels(b, d))]
        if not hits:
            probs.append(f"PodDisruptionBudget/{name_of(pdb)}: selects no serving pods "
                         f"(a Canary's target serves through its -primary copy): {sel}")
    for hpa in b.all("HorizontalPodAutoscaler"):
        ref = get(hpa, "spec", "scaleTargetRef") or {}
        if ref.get("kind") != "Deployment" or not b.find("Deployment", ref.get("name"), ns_of(hpa)):
            probs.append(f"HorizontalPodAutoscaler/{name_of(hpa)}: scaleTargetRef {ref} is not a Deployment of the build")
    check(f"{env}: PodDisruptionBudgets and autoscalers point at existing pods", probs)


# ---------------------------------------------------------------------------
# Canary checks (the environments)

def derived_strategy(a):
    """Flagger's Canary.DeploymentStrategy, with mirroring told apart."""
    if (a.get("iterations") or 0) > 0:
        if a.get("match"):
            return "ab-testing"
        return "blue-green-mirroring" if a.get("mirror") else "blue-green"
    if (a.get("stepWeight") or 0) > 0 or a.get("stepWeights"):
        return "canary"
    return "none"


def check_strategy(env, b, can, want_provider, want):
    name = name_of(can)
    spec = can.get("spec") or {}
    a = spec.get("analysis") or {}
    got = derived_strategy(a)
    probs = []
    if spec.get("provider") != want_provider:
        probs.append(f"provider {spec.get('provider')!r}, want {want_provider!r}")
    if got != want:
        probs.append(f"analysis expresses {got!r}, want {want!r}")
    label = get(can, "metadata", "labels", "release-strategy")
    if label is not None and label != got:
        probs.append(f"label release-strategy={label} but the analysis is {got!r}")
    if got == "canary":
        for k in ("iterations", "match", "mirror"):
            if a.get(k):
                probs.append(f"progressive canary with {k}")
        mw = a.get("maxWeight", 100)
        if not (0 < mw <= 100) or (a.get("stepWeight") or 0) >= mw:
            probs.append(f"stepWeight {a.get('stepWeight')} / maxWeight {mw}: not a progression")
    elif got != "none":
        for k in ("stepWeight", "stepWeights", "maxWeight"):
            if k in a:
                probs.append(f"{got} with {k} (blue/green and A/B shift no weights)")
    if got == "ab-testing":
        conds = [h for m in a.get("match") or [] for h in (m.get("headers") or {})]
        if not conds:
            probs.append("A/B testing without a header or cookie condition")
    if got == "blue-green-mirroring" and not (0 < (a.get("mirrorWeight") or 0) <= 100):
        probs.append(f"mirrorWeight {a.get('mirrorWeight')} not in 1..100")
    if want_provider == "kubernetes" and (a.get("match") or a.get("mirror")):
        probs.append("match/mirror need a mesh; the kubernetes provider ignores them")
    check(f"{env}: Canary/{name}: {want} ({want_provider})", probs)


def check_slo(env, b, can, provider):
    name, ns = name_of(can), ns_of(can)
    a = get(can, "spec", "analysis", default={}) or {}
    metrics = a.get("metrics") or []
    probs = []
    if a.get("interval") != SLO["interval"]:
        probs.append(f"analysis interval {a.get('interval')!r}, want {SLO['interval']!r}")
    if not isinstance(a.get("threshold"), int) or a["threshold"] < 1:
        probs.append(f"threshold {a.get('threshold')!r}: want failed checks before rollback >= 1")
    success = [m for m in metrics if "min" in (m.get("thresholdRange") or {})]
    latency = [m for m in metrics if "max" in (m.get("thresholdRange") or {})]
    if len(metrics) != 2 or len(success) != 1 or len(latency) != 1:
        probs.append(f"want one success-rate (min) and one latency (max) metric, got {metrics}")
    else:
        s, l = success[0], latency[0]
        if s["thresholdRange"]["min"] != SLO["success_min"]:
            probs.append(f"{s['name']}: min {s['thresholdRange']['min']}, want {SLO['success_min']}")
        if l["thresholdRange"]["max"] != SLO["duration_max"]:
            probs.append(f"{l['name']}: max {l['thresholdRange']['max']}, want {SLO['duration_max']}")
        for m in (s, l):
            if m.get("interval") != SLO["interval"]:
                probs.append(f"{m['name']}: interval {m.get('interval')!r}, want {SLO['interval']!r}")
        if provider == "gatewayapi:v1":
            # The gatewayapi built-ins read the app's histogram, not Linkerd's.
            for m, series in ((s, "response_total"), (l, "response_latency_ms_bucket")):
                ref = m.get("templateRef") or {}
                if m.get("name") in BUILTIN_METRICS:
                    probs.append(f"{m['name']}: a built-in name with a template is evaluated twice")
                tmpl = b.find("MetricTemplate", ref.get("name"), ref.get("namespace", ns))
                if tmpl is None:
                    probs.append(f"{m.get('name')}: templateRef {ref} is not a MetricTemplate of the build")
                    continue
                q = get(tmpl, "spec", "query") or ""
                if series not in q or 'direction="inbound"' not in q:
                    probs.append(f"MetricTemplate/{name_of(tmpl)}: no inbound {series} in {q!r}")
                if m is s and 'classification!="failure"' not in q:
                    probs.append(f"MetricTemplate/{name_of(tmpl)}: success rate without classification")
                if m is l and "histogram_quantile(0.99" not in q.replace(" ", ""):
                    probs.append(f"MetricTemplate/{name_of(tmpl)}: latency is not the 99th percentile")
                if get(tmpl, "spec", "provider", "type") != "prometheus" or \
                        not get(tmpl, "spec", "provider", "address"):
                    probs.append(f"MetricTemplate/{name_of(tmpl)}: no Prometheus provider address")
        else:
            if s.get("name") != "request-success-rate" or l.get("name") != "request-duration":
                probs.append(f"metric names {s.get('name')}, {l.get('name')}: want the built-ins")
            for m in (s, l):
                if m.get("templateRef") or m.get("query"):
                    probs.append(f"{m['name']}: built-in metric with a template or query")
    check(f"{env}: Canary/{name}: SLOs success >= {SLO['success_min']} %, "
          f"P99 <= {SLO['duration_max']} ms over {SLO['interval']}", probs)


def tester_commands(b, ns, svc):
    """Commands the tester behind Service ns/svc can run: files of its
    ConfigMaps mounted into a bin directory, plus the image's tools."""
    cmds = set(IMAGE_TOOLS)
    sel = get(svc, "spec", "selector") or {}
    for d in b.all("Deployment"):
        tl = get(d, "spec", "template", "metadata", "labels", default={}) or {}
        if ns_of(d) != ns or not sel or any(tl.get(k) != v for k, v in sel.items()):
            continue
        for _, c in containers(d):
            for vm in c.get("volumeMounts") or []:
                path = vm.get("mountPath", "")
                if re.match(r"^/(usr/(local/)?)?s?bin/[^/]+$", path):
                    cmds.add(path.rsplit("/", 1)[1])
    return cmds


def check_hooks(env, b, can):
    name, ns = name_of(can), ns_of(can)
    hooks = get(can, "spec", "analysis", "webhooks", default=[]) or []
    probs = []
    pre = [h for h in hooks if h.get("type") == "pre-rollout"]
    roll = [h for h in hooks if h.get("type") in ("rollout", "", None)]
    if len(pre) != 1:
        probs.append(f"{len(pre)} pre-rollout hooks, want 1 (the conformance gate)")
    if len(roll) != 1:
        probs.append(f"{len(roll)} rollout hooks, want 1 (the load test)")
    for h in hooks:
        hn = h.get("name")
        url = urlsplit(h.get("url") or "")
        host = (url.hostname or "").split(".")
        svc_name, svc_ns = host[0], host[1] if len(host) > 1 else ns
        svc = b.find("Service", svc_name, svc_ns)
        if url.scheme != "http" or svc is None:
            probs.append(f"{hn}: url {h.get('url')!r} is not a Service of the build")
            continue
        port = url.port or 80
        if port not in [p.get("port") for p in get(svc, "spec", "ports") or []]:
            probs.append(f"{hn}: port {port} is not a port of Service {svc_ns}/{svc_name}")
        cmd = get(h, "metadata", "cmd") or ""
        if not re.search(rf"\b{re.escape(name)}-canary\b", cmd):
            probs.append(f"{hn}: command {cmd!r} does not address {name}-canary")
        word = cmd.split()[0] if cmd.split() else ""
        if word not in tester_commands(b, svc_ns, svc):
            probs.append(f"{hn}: the tester has no command {word!r}")
    for h in pre:
        if get(h, "metadata", "type") != "bash":
            probs.append(f"{h.get('name')}: a pre-rollout test must be synchronous (metadata.type bash)")
    for h in roll:
        if get(h, "metadata", "type") not in (None, "cmd"):
            probs.append(f"{h.get('name')}: a load test runs asynchronously (metadata.type cmd)")
    check(f"{env}: Canary/{name}: pre-rollout conformance and rollout load test call the tester", probs)


def check_refs(env, b, can, provider):
    name, ns = name_of(can), ns_of(can)
    spec = can.get("spec") or {}
    probs = []
    ref = spec.get("targetRef") or {}
    dep = b.find("Deployment", ref.get("name"), ns)
    if ref.get("apiVersion") != "apps/v1" or ref.get("kind") != "Deployment" or dep is None:
        probs.append(f"targetRef {ref} is not a Deployment of the build")
    else:
        if selector_label(dep)[0] is None:
            probs.append(f"Deployment/{name_of(dep)}: no selector label Flagger knows ({SELECTOR_LABELS})")
        port = get(spec, "service", "port")
        tp = get(spec, "service", "targetPort", default=port)
        if not isinstance(port, int):
            probs.append(f"service.port {port!r} is not a number")
        cports = [p for _, c in containers(dep) for p in c.get("ports") or []]
        if not any(tp in (p.get("name"), p.get("containerPort")) for p in cports):
            probs.append(f"service.targetPort {tp!r} is not a container port of Deployment/{name_of(dep)}")
    hpa_ref = spec.get("autoscalerRef")
    hpas = [h for h in b.all("HorizontalPodAutoscaler") if ns_of(h) == ns and
            get(h, "spec", "scaleTargetRef", "name") == ref.get("name")]
    if name in AUTOSCALED and not hpa_ref:
        probs.append("no autoscalerRef")
    if hpa_ref:
        hpa = b.find("HorizontalPodAutoscaler", hpa_ref.get("name"), ns)
        if (hpa_ref.get("apiVersion") != "autoscaling/v2" or
                hpa_ref.get("kind") != "HorizontalPodAutoscaler" or hpa not in hpas):
            probs.append(f"autoscalerRef {hpa_ref} is not an autoscaling/v2 HPA of the target")
    elif hpas:
        probs.append(f"HPA {name_of(hpas[0])} scales the target but the Canary has no autoscalerRef")
    refs = get(spec, "service", "gatewayRefs")
    if provider == "gatewayapi:v1":
        apex = get(spec, "service", "name") or ref.get("name")
        want = {"group": "core", "kind": "Service", "name": apex,
                "port": get(spec, "service", "port")}
        if not refs or len(refs) != 1 or \
                {k: v for k, v in refs[0].items() if k != "namespace"} != want or \
                refs[0].get("namespace", ns) != ns:
            probs.append(f"gatewayRefs {refs}, want [{want}] (GAMMA: the service's own Service)")
    elif refs:
        probs.append(f"gatewayRefs {refs} without the gatewayapi provider")
    check(f"{env}: Canary/{name}: targetRef, port, autoscalerRef"
          f"{', gatewayRefs' if provider == 'gatewayapi:v1' else ''}", probs)


def check_mesh(env, b):
    spaces = b.all("Namespace")
    if not spaces:
        return
    labels = get(spaces[0], "metadata", "labels", default={}) or {}
    notes = get(spaces[0], "metadata", "annotations", default={}) or {}
    inject = {"app-istio": labels.get("istio-injection") == "enabled",
              "app-linkerd": notes.get("linkerd.io/inject") == "enabled"}
    probs = []
    for e, on in inject.items():
        if on != (e == env):
            probs.append(f"{'no ' if on else ''}{e.split('-')[1]} injection on the namespace")
    psa = labels.get("pod-security.kubernetes.io/enforce")
    if env == "app-kubernetes" and psa != "restricted":
        probs.append(f"pod-security enforce {psa!r}, want 'restricted' (no mesh init containers)")
    if env != "app-kubernetes" and psa == "restricted":
        probs.append("pod-security restricted would reject the mesh's init containers")
    if env != "app-linkerd" and b.all("MetricTemplate"):
        probs.append("MetricTemplates outside the Linkerd environment")
    check(f"{env}: namespace set up for the environment's mesh", probs)


def check_readme_example(env):
    """The README's worked example: a provider overlay next to a checkout of
    the vendor's repository (../webapp), built as the README says."""
    try:
        with open(f"{dist}/{env}/README.md", encoding="utf-8") as f:
            blocks = re.findall(r"^```yaml\n(.*?)^```", f.read(), re.M | re.S)
    except OSError as e:
        tap(False, f"{env}: README.md worked example builds", [str(e)])
        return
    example = next((b for b in blocks if "kind: Kustomization" in b), None)
    name = f"{env}: README.md worked example builds, with its approval gate"
    if example is None:
        tap(False, name, ["no ```yaml block with a Kustomization"])
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.dirname(os.path.abspath(dist)), f"{tmp}/webapp")
        os.mkdir(f"{tmp}/my-cluster")
        with open(f"{tmp}/my-cluster/kustomization.yaml", "w", encoding="utf-8") as f:
            f.write(example)
        docs, err = build(f"{tmp}/my-cluster")
    if docs is None:
        tap(False, name, [err])
        return
    gates = [h for c in Build(docs).all("Canary")
             for h in get(c, "spec", "analysis", "webhooks", default=[]) or []
             if h.get("type") == "confirm-promotion"]
    check(name, [] if gates else ["no confirm-promotion webhook in the result"])


def main():
    for env in ["base"] + list(ENVS):
        docs, err = build(env)
        tap(docs is not None, f"{env}: kubectl kustomize dist/{env} builds", [err] if err else [])
        if docs is None:
            continue
        b = Build(docs)
        check_objects(env, b)
        for dep in b.all("Deployment"):
            check_deployment(env, b, dep)
        check_services_and_budgets(env, b)
        if env not in ENVS:
            continue
        want = ENVS[env]
        check_mesh(env, b)
        canaries = {name_of(c): c for c in b.all("Canary")}
        check(f"{env}: one Canary per service", [] if sorted(canaries) == sorted(SERVICES)
              else [f"Canaries {sorted(canaries)}, want {sorted(SERVICES)}"])
        for svc in SERVICES:
            can = canaries.get(svc)
            if can is None:
                continue
            check_strategy(env, b, can, want["provider"], want["strategy"][svc])
            check_slo(env, b, can, want["provider"])
            check_hooks(env, b, can)
            check_refs(env, b, can, want["provider"])
        check_readme_example(env)
    print(f"1..{n}")
    return 1 if failed else 0


sys.exit(main())
PY
