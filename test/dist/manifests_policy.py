# SPDX-License-Identifier: Apache-2.0
"""The checks of manifests.sh (see there); TAP on stdout.

python3 manifests_policy.py ROOT GITOPS_AGENT CONFIG_CHECK [--self-test] KUBECTL
"""
import copy
import os
import re
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, end, tap  # noqa: E402

NS = "gitops-system"
NAME = "gitops-agent"
ARGS = ["run", "--configmap", f"{NS}/{NAME}", "--state-dir",
        "/var/lib/gitops-agent", "--listen", "0.0.0.0:8080"]
UID = 65532
PORT = 8080
# What every install holds: (kind, namespace or None, name).
EXPECTED = [
    ("Namespace", None, NS), ("ServiceAccount", NS, NAME),
    ("ClusterRole", None, NAME), ("ClusterRoleBinding", None, NAME),
    ("Role", NS, NAME), ("RoleBinding", NS, NAME),
    ("ConfigMap", NS, NAME), ("Deployment", NS, NAME),
    ("Service", NS, NAME), ("NetworkPolicy", NS, NAME),
    ("PodDisruptionBudget", NS, NAME),
    ("CustomResourceDefinition", None, "canaries.flagger.app"),
    ("CustomResourceDefinition", None, "metrictemplates.flagger.app"),
]
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding",
                  "CustomResourceDefinition"}
# What applying, pruning and taking over an object needs (rbac.yaml).
APPLY_VERBS = {"get", "list", "watch", "create", "patch", "update", "delete"}
ALLOWED_VERBS = APPLY_VERBS
# Namespaces are applied, never pruned by default (prune.namespaces).
NO_DELETE = {("", "namespaces")}
# (group, resource) the rollout engine writes besides the distribution's.
ROLLOUT = [("", "services"), ("", "configmaps"), ("apps", "deployments"),
           ("autoscaling", "horizontalpodautoscalers"),
           ("networking.istio.io", "virtualservices"),
           ("networking.istio.io", "destinationrules"),
           ("split.smi-spec.io", "trafficsplits"),
           ("gateway.networking.k8s.io", "httproutes")]
# Kinds of the distribution -> resource (plural) names.
PLURALS = {"Namespace": "namespaces", "ConfigMap": "configmaps",
           "Service": "services", "Deployment": "deployments",
           "HorizontalPodAutoscaler": "horizontalpodautoscalers",
           "PodDisruptionBudget": "poddisruptionbudgets",
           "Canary": "canaries", "MetricTemplate": "metrictemplates",
           "Job": "jobs", "CronJob": "cronjobs", "Secret": "secrets"}


def run(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, timeout=120, **kw)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(cmd, 127, b"", str(e).encode())


def get(obj, *path, default=None):
    for key in path:
        if isinstance(obj, list) and isinstance(key, int) and key < len(obj):
            obj = obj[key]
        elif isinstance(obj, dict) and key in obj:
            obj = obj[key]
        else:
            return default
    return obj


def find(objs, kind, name=NAME):
    for o in objs:
        if o.get("kind") == kind and get(o, "metadata", "name") == name:
            return o
    return None


def quantity(q):
    """Bytes or cores of a Kubernetes quantity (the suffixes used here)."""
    m = re.fullmatch(r"([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?", str(q))
    if not m:
        return None
    scale = {None: 1, "m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30,
             "k": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]
    return float(m.group(1)) * scale


def selects(selector, labels):
    ml = (selector or {}).get("matchLabels") or {}
    return bool(ml) and all(labels.get(k) == v for k, v in ml.items())


# ---- the checks: each returns a list of problems --------------------------

def c_objects(objs):
    p = []
    for kind, ns, name in EXPECTED:
        o = find(objs, kind, name)
        if not o:
            p.append(f"missing {kind} {ns + '/' if ns else ''}{name}")
        elif get(o, "metadata", "namespace") != ns:
            p.append(f"{kind} {name}: namespace "
                     f"{get(o, 'metadata', 'namespace')!r}, want {ns!r}")
    for o in objs:
        kind, md = o.get("kind"), o.get("metadata", {})
        if kind not in CLUSTER_SCOPED and md.get("namespace") != NS:
            p.append(f"{kind} {md.get('name')}: not in {NS}")
    return p


def container(objs):
    return get(find(objs, "Deployment"), "spec", "template", "spec",
               "containers", 0) or {}


def named_port(c, port):
    """A probe's or Service's port resolved to a number."""
    if isinstance(port, int):
        return port
    for p in c.get("ports") or []:
        if p.get("name") == port:
            return p.get("containerPort")
    return None


def c_pod_security(objs):
    d = find(objs, "Deployment") or {}
    pod = get(d, "spec", "template", "spec", default={})
    sc = pod.get("securityContext") or {}
    p = []
    if get(d, "spec", "replicas") != 2:
        p.append(f"replicas {get(d, 'spec', 'replicas')}, want 2 (HA)")
    if pod.get("serviceAccountName") != NAME:
        p.append(f"serviceAccountName {pod.get('serviceAccountName')!r}")
    if sc.get("runAsNonRoot") is not True:
        p.append("pod securityContext.runAsNonRoot is not true")
    if sc.get("runAsUser") != UID:
        p.append(f"pod securityContext.runAsUser {sc.get('runAsUser')}, "
                 f"want {UID}")
    if get(sc, "seccompProfile", "type") != "RuntimeDefault":
        p.append("pod seccompProfile is not RuntimeDefault")
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(key):
            p.append(f"{key} is set")
    if not isinstance(pod.get("terminationGracePeriodSeconds"), int):
        p.append("no terminationGracePeriodSeconds")
    if len(pod.get("containers") or []) != 1 or pod.get("initContainers"):
        p.append("want exactly one container and no init containers")
    return p


def c_container_security(objs):
    c = container(objs)
    sc = c.get("securityContext") or {}
    p = []
    if sc.get("allowPrivilegeEscalation") is not False:
        p.append("allowPrivilegeEscalation is not false")
    if sc.get("readOnlyRootFilesystem") is not True:
        p.append("readOnlyRootFilesystem is not true")
    if get(sc, "capabilities", "drop") != ["ALL"]:
        p.append(f"capabilities.drop {get(sc, 'capabilities', 'drop')}, "
                 "want [ALL]")
    if get(sc, "capabilities", "add"):
        p.append("capabilities.add is set")
    if sc.get("privileged"):
        p.append("privileged")
    if "runAsUser" in sc and sc["runAsUser"] != UID:
        p.append(f"container runAsUser {sc['runAsUser']}")
    return p


def c_container_run(objs):
    c = container(objs)
    p = []
    if c.get("args") != ARGS or c.get("command"):
        p.append(f"args {c.get('args')} (command {c.get('command')}), "
                 f"want args {ARGS}")
    image = c.get("image", "")
    if not re.fullmatch(r"[^:@]+(:[^:@/]+)?(@sha256:[0-9a-f]{64})?", image) \
            or (":" not in image.split("/")[-1] and "@" not in image) \
            or image.endswith(":latest"):
        p.append(f"image {image!r} is not pinned to a tag or digest")
    env = {e.get("name"): get(e, "valueFrom", "fieldRef", "fieldPath")
           for e in c.get("env") or []}
    for var, path in (("POD_NAMESPACE", "metadata.namespace"),
                      ("POD_NAME", "metadata.name")):
        if env.get(var) != path:
            p.append(f"env {var} is not the downward API's {path}")
    ports = [x.get("containerPort") for x in c.get("ports") or []]
    if ports != [PORT]:
        p.append(f"container ports {ports}, want [{PORT}]")
    for probe, path in (("livenessProbe", "/healthz"),
                        ("readinessProbe", "/readyz")):
        hg = get(c, probe, "httpGet") or {}
        if hg.get("path") != path or named_port(c, hg.get("port")) != PORT:
            p.append(f"{probe} is not GET {path} on {PORT}")
    return p


def c_resources(objs):
    r = container(objs).get("resources") or {}
    p = []
    for kind in ("requests", "limits"):
        for res in ("cpu", "memory"):
            if quantity(get(r, kind, res)) is None:
                p.append(f"no {kind}.{res}")
    if p:
        return p
    req, lim = r["requests"], r["limits"]
    if quantity(req["memory"]) < 16 * 2**20:
        p.append(f"requests.memory {req['memory']} is under the idle 16Mi")
    if quantity(lim["memory"]) > 256 * 2**20:
        p.append(f"limits.memory {lim['memory']} is over 256Mi for a "
                 "16 MiB agent")
    for res in ("cpu", "memory"):
        if quantity(lim[res]) < quantity(req[res]):
            p.append(f"limits.{res} below requests.{res}")
    return p


def c_volumes(objs):
    pod = get(find(objs, "Deployment"), "spec", "template", "spec",
              default={})
    vols = {v.get("name"): v for v in pod.get("volumes") or []}
    mounts = {m.get("mountPath"): m.get("name")
              for m in container(objs).get("volumeMounts") or []}
    p = []
    for name, v in vols.items():
        if set(v) != {"name", "emptyDir"}:
            p.append(f"volume {name} is not an emptyDir")
    if set(mounts) != {"/var/lib/gitops-agent", "/tmp"}:
        p.append(f"mounts {sorted(mounts)}, want /var/lib/gitops-agent "
                 "and /tmp only")
    for path, name in mounts.items():
        if name not in vols:
            p.append(f"{path}: no volume {name}")
    return p


def c_service(objs):
    s = find(objs, "Service") or {}
    d = find(objs, "Deployment") or {}
    labels = get(d, "spec", "template", "metadata", "labels", default={})
    ports = get(s, "spec", "ports", default=[])
    p = []
    if not selects({"matchLabels": get(s, "spec", "selector")}, labels):
        p.append("Service selector does not select the agent's pods")
    if len(ports) != 1 or ports[0].get("port") != 80 or \
            named_port(container(objs), ports[0].get("targetPort")) != PORT:
        p.append(f"Service ports {ports}, want 80 -> {PORT}")
    if get(s, "spec", "type", default="ClusterIP") != "ClusterIP":
        p.append("Service is not ClusterIP")
    return p


def port_set(rule):
    return {(x.get("protocol", "TCP"), x.get("port"))
            for x in rule.get("ports") or []}


def c_netpol(objs):
    np = find(objs, "NetworkPolicy") or {}
    d = find(objs, "Deployment") or {}
    spec = np.get("spec") or {}
    p = []
    if not selects(spec.get("podSelector"),
                   get(d, "spec", "template", "metadata", "labels",
                       default={})):
        p.append("podSelector does not select the agent's pods")
    if sorted(spec.get("policyTypes") or []) != ["Egress", "Ingress"]:
        p.append("policyTypes are not Ingress and Egress")
    ingress = spec.get("ingress") or []
    if not ingress or any(port_set(r) != {("TCP", PORT)} for r in ingress):
        p.append(f"ingress is not TCP {PORT} only")
    egress = spec.get("egress") or []
    allowed = set()
    for r in egress:
        if not r.get("ports"):
            p.append(f"egress rule without ports (allows all): {r}")
        allowed |= port_set(r)
    for want in (("UDP", 53), ("TCP", 53), ("TCP", 443), ("TCP", 6443),
                 ("TCP", 22), ("TCP", 9418)):
        if want not in allowed:
            p.append(f"egress misses {want[0]} {want[1]}")
    return p


def c_pdb(objs):
    pdb = find(objs, "PodDisruptionBudget") or {}
    d = find(objs, "Deployment") or {}
    spec = pdb.get("spec") or {}
    p = []
    if not selects(spec.get("selector"),
                   get(d, "spec", "template", "metadata", "labels",
                       default={})):
        p.append("selector does not select the agent's pods")
    replicas = get(d, "spec", "replicas", default=1)
    if spec.get("maxUnavailable") not in (None, 1) or \
            spec.get("minAvailable") not in (None, replicas - 1):
        p.append("the PDB must let exactly one replica go at a time")
    if "maxUnavailable" not in spec and "minAvailable" not in spec:
        p.append("neither maxUnavailable nor minAvailable")
    return p


def rules(objs, kind):
    return get(find(objs, kind), "rules", default=[]) or []


def grants(rule_list, group, resource):
    verbs = set()
    for r in rule_list:
        if group in r.get("apiGroups", []) and \
                resource in r.get("resources", []) and \
                not r.get("resourceNames"):
            verbs |= set(r.get("verbs", []))
    return verbs


def c_rbac_shape(objs):
    p = []
    for kind in ("ClusterRole", "Role"):
        for i, r in enumerate(rules(objs, kind)):
            for key in ("apiGroups", "resources", "verbs", "resourceNames"):
                if any("*" in str(x) for x in r.get(key) or []):
                    p.append(f"{kind} rule {i}: wildcard in {key}")
            bad = set(r.get("verbs", [])) - ALLOWED_VERBS
            if bad:
                p.append(f"{kind} rule {i}: verbs {sorted(bad)}")
            if r.get("nonResourceURLs"):
                p.append(f"{kind} rule {i}: nonResourceURLs")
    for r in rules(objs, "ClusterRole"):
        for res in ("secrets", "leases", "pods/exec", "serviceaccounts/token"):
            if res in r.get("resources", []):
                p.append(f"ClusterRole grants {res}: only the Role may, "
                         f"in {NS}")
    role_secrets = [r for r in rules(objs, "Role")
                    if "secrets" in r.get("resources", [])]
    if not role_secrets or any(set(r["verbs"]) != {"get"}
                               for r in role_secrets):
        p.append("the Role must grant Secrets get only (no list/watch)")
    for r in rules(objs, "Role"):
        if "leases" in r.get("resources", []) and \
                set(r["verbs"]) - {"create"} and \
                r.get("resourceNames") != ["gitops-agent-leader"]:
            p.append("Lease rights beyond create must name "
                     "gitops-agent-leader")
    for kind, ref in (("ClusterRoleBinding", "ClusterRole"),
                      ("RoleBinding", "Role")):
        b = find(objs, kind) or {}
        if get(b, "roleRef", "kind") != ref or \
                get(b, "roleRef", "name") != NAME or \
                b.get("subjects") != [{"kind": "ServiceAccount",
                                       "name": NAME, "namespace": NS}]:
            p.append(f"{kind} does not bind {ref} {NAME} to "
                     f"ServiceAccount {NS}/{NAME} alone")
    return p


def c_rbac_coverage(objs, dist_kinds):
    cr = rules(objs, "ClusterRole")
    p = []
    need = {(g, PLURALS.get(k, k.lower() + "s")) for g, k in dist_kinds}
    need |= set(ROLLOUT)
    for group, res in sorted(need):
        want = APPLY_VERBS - ({"delete"} if (group, res) in NO_DELETE
                              else set())
        missing = want - grants(cr, group, res)
        if missing:
            p.append(f"ClusterRole: {group or 'core'}/{res} lacks "
                     f"{sorted(missing)}")
    if not {"update", "patch"} <= grants(cr, "flagger.app",
                                         "canaries/status"):
        p.append("ClusterRole: canaries/status is not writable")
    if not {"create", "patch"} <= grants(cr, "", "events"):
        p.append("ClusterRole: cannot record Events on Canaries")
    role = rules(objs, "Role")
    for group, res, verbs in (("", "configmaps", APPLY_VERBS),
                              ("", "events", {"create"})):
        if not verbs <= grants(role, group, res):
            p.append(f"Role: {res} lacks {sorted(verbs - grants(role, group, res))}")
    return p


def c_rbac_comments(root):
    """Every rule of rbac.yaml has a comment just above it."""
    p = []
    lines = open(f"{root}/manifests/rbac.yaml").read().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("- apiGroups:") and \
                (i == 0 or not lines[i - 1].startswith("#")):
            p.append(f"rbac.yaml:{i + 1}: rule without a comment")
    return p


def c_config(objs, config_check):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
        yaml.safe_dump_all(objs, f)
        f.flush()
        res = run([config_check, f.name, f"{NS}/{NAME}"])
    if res.returncode != 0:
        return [res.stderr.decode(errors="replace").strip()
                or f"config-check exit {res.returncode}"]
    out = res.stdout.decode()
    if "path dist/app-" not in out or "webhook.type" not in out:
        return [f"unexpected config-check output:\n{out}"]
    return []


# ---- the run ---------------------------------------------------------------

POLICY = [
    ("the install's objects, in gitops-system", c_objects),
    ("pod: 2 replicas, non-root 65532, seccomp RuntimeDefault, no host "
     "namespaces, grace period", c_pod_security),
    ("container: read-only root, no escalation, ALL capabilities dropped",
     c_container_security),
    ("container: run arguments, pinned image, downward API, probes on 8080",
     c_container_run),
    ("container: requests and limits fit a 16 MiB agent", c_resources),
    ("volumes: emptyDirs at /var/lib/gitops-agent and /tmp only", c_volumes),
    ("Service gitops-agent: 80 -> 8080", c_service),
    ("NetworkPolicy: ingress 8080 only, egress DNS/API/Git, no allow-all",
     c_netpol),
    ("PodDisruptionBudget: one replica at a time", c_pdb),
    ("RBAC: no wildcards, Secrets and Lease only in gitops-system",
     c_rbac_shape),
]


def kinds_of(objs):
    return {(o["apiVersion"].rpartition("/")[0], o["kind"]) for o in objs}


def build(kubectl, path):
    res = run([kubectl, "kustomize", path])
    if res.returncode != 0:
        return None, None, res.stderr.decode(errors="replace").strip()
    return res.stdout, [d for d in yaml.safe_load_all(res.stdout) if d], ""


def dist_kinds(root, kubectl):
    kinds, problems = set(), []
    for env in ("kubernetes", "istio", "linkerd"):
        _, objs, err = build(kubectl, f"{root}/dist/app-{env}")
        if objs is None:
            problems.append(f"dist/app-{env}: {err}")
        else:
            kinds |= kinds_of(objs)
    return kinds, problems


def mutate(objs, kind, fn, name=NAME):
    objs = copy.deepcopy(objs)
    fn(find(objs, kind, name))
    return objs


def pod(d):
    return d["spec"]["template"]["spec"]


def ctr(d):
    return pod(d)["containers"][0]


# Planted mistakes: (what, kind, change, the check that must catch it).
PLANTED = [
    ("runAsUser 0", "Deployment",
     lambda d: pod(d)["securityContext"].update(runAsUser=0), c_pod_security),
    ("no seccomp", "Deployment",
     lambda d: pod(d)["securityContext"].pop("seccompProfile"),
     c_pod_security),
    ("one replica", "Deployment", lambda d: d["spec"].update(replicas=1),
     c_pod_security),
    ("hostNetwork", "Deployment", lambda d: pod(d).update(hostNetwork=True),
     c_pod_security),
    ("writable root", "Deployment",
     lambda d: ctr(d)["securityContext"].update(readOnlyRootFilesystem=False),
     c_container_security),
    ("NET_ADMIN added", "Deployment",
     lambda d: ctr(d)["securityContext"]["capabilities"].update(
         add=["NET_ADMIN"]), c_container_security),
    ("escalation allowed", "Deployment",
     lambda d: ctr(d)["securityContext"].pop("allowPrivilegeEscalation"),
     c_container_security),
    ("image :latest", "Deployment",
     lambda d: ctr(d).update(image="ghcr.io/x/gitops-agent:latest"),
     c_container_run),
    ("readiness on /healthz", "Deployment",
     lambda d: ctr(d)["readinessProbe"]["httpGet"].update(path="/healthz"),
     c_container_run),
    ("POD_NAME missing", "Deployment",
     lambda d: ctr(d).update(env=ctr(d)["env"][:1]), c_container_run),
    ("other listen address", "Deployment",
     lambda d: ctr(d)["args"].__setitem__(-1, "0.0.0.0:9090"),
     c_container_run),
    ("no memory limit", "Deployment",
     lambda d: ctr(d)["resources"]["limits"].pop("memory"), c_resources),
    ("hostPath volume", "Deployment",
     lambda d: pod(d)["volumes"].append({"name": "h", "hostPath":
                                         {"path": "/"}}), c_volumes),
    ("Service to 9090", "Service",
     lambda s: s["spec"]["ports"][0].update(targetPort=9090), c_service),
    ("ingress to any port", "NetworkPolicy",
     lambda n: n["spec"]["ingress"][0].pop("ports"), c_netpol),
    ("egress allow-all", "NetworkPolicy",
     lambda n: n["spec"]["egress"].append({}), c_netpol),
    ("PDB of the wrong pods", "PodDisruptionBudget",
     lambda b: b["spec"]["selector"].update(matchLabels={"x": "y"}), c_pdb),
    ("wildcard verb", "ClusterRole",
     lambda r: r["rules"][0].update(verbs=["*"]), c_rbac_shape),
    ("wildcard resource", "ClusterRole",
     lambda r: r["rules"][0].update(resources=["*"]), c_rbac_shape),
    ("Secrets cluster-wide", "ClusterRole",
     lambda r: r["rules"].append({"apiGroups": [""], "resources": ["secrets"],
                                  "verbs": ["get"]}), c_rbac_shape),
    ("Secrets listed", "Role",
     lambda r: [x.update(verbs=["get", "list"]) for x in r["rules"]
                if "secrets" in x["resources"]], c_rbac_shape),
    ("Lease renewed by any name", "Role",
     lambda r: [x.pop("resourceNames") for x in r["rules"]
                if x.get("resourceNames")], c_rbac_shape),
    ("escalate", "Role",
     lambda r: r["rules"][0]["verbs"].append("escalate"), c_rbac_shape),
    ("unknown config key", "ConfigMap",
     lambda c: c["data"].update({"agent.yaml": c["data"]["agent.yaml"] +
                                 "\nreplicas: 3\n"}), "config"),
    ("config without verification keys", "ConfigMap",
     lambda c: c["data"].update({"agent.yaml": c["data"]["agent.yaml"]
                                 .replace("keysSecretRef:", "#")
                                 .replace("allowedSignersSecretRef:", "#")}),
     "config"),
]


def self_test(objs, dkinds, config_check):
    for what, kind, fn, chk in PLANTED:
        bad = mutate(objs, kind, fn)
        problems = c_config(bad, config_check) if chk == "config" else chk(bad)
        tap(bool(problems), f"planted: {what} is caught",
            [] if problems else ["not caught"])
        if problems:
            print(f"#   {problems[0].splitlines()[0]}")
    bad = mutate(objs, "ClusterRole",
                 lambda r: r["rules"].__setitem__(
                     slice(None), [x for x in r["rules"]
                                   if "httproutes" not in x["resources"]]))
    problems = c_rbac_coverage(bad, dkinds)
    tap(bool(problems), "planted: HTTPRoutes not granted is caught",
        problems[:1] if problems else ["not caught"])


def main():
    args = sys.argv[1:]
    self = "--self-test" in args
    args = [a for a in args if a != "--self-test"]
    root, agent, config_check, kubectl = args
    text, objs, err = build(kubectl, f"{root}/manifests")
    tap(objs is not None, "kubectl kustomize manifests builds", [err])
    if objs is None:
        return end()
    dkinds, dproblems = dist_kinds(root, kubectl)
    if self:
        # A planted mistake counts only against a build that passes.
        check("the build itself passes every policy check",
              [f"{name}: {fn(objs)[0]}" for name, fn in POLICY if fn(objs)]
              + dproblems + c_rbac_coverage(objs, dkinds)
              + c_config(objs, config_check))
        self_test(objs, dkinds, config_check)
        return end()
    res = run([agent, "build", f"{root}/manifests"])
    same = res.returncode == 0 and res.stdout == text
    problems = []
    if not same:
        problems = [res.stderr.decode(errors="replace").strip()] \
            if res.returncode else \
            ["gitops-agent build differs from kubectl kustomize"]
    tap(same, "gitops-agent build prints what kubectl kustomize prints",
        problems)
    for name, fn in POLICY:
        check(name, fn(objs))
    check("RBAC covers every kind of dist/app-* and of the rollout engine",
          dproblems + c_rbac_coverage(objs, dkinds))
    check("RBAC: every rule of rbac.yaml is explained", c_rbac_comments(root))
    check("ConfigMap agent.yaml accepted by ga_config_from_configmap",
          c_config(objs, config_check))
    return end()


if __name__ == "__main__":
    sys.exit(main())
