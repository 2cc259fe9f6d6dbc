#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test of `gitops-agent build` against `kubectl kustomize`.

Each seed generates a kustomization tree (bases, overlays, components,
resources, generators, patches, prefixes, namespaces, labels, images,
replicas, RBAC subjects, replacements into lists, YAML 1.1 words, vars,
build metadata), builds it with both tools and compares the output byte for byte
(or, when kubectl fails, requires that we fail too).  Prints TAP.  A failing
seed can be kept as a committed case with --save DIR.

Usage: random.py GITOPS_AGENT [--seeds N] [--first S] [--save DIR]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

KINDS = ["Deployment", "Service", "ConfigMap", "StatefulSet", "Job",
         "ServiceAccount", "HorizontalPodAutoscaler", "RoleBinding",
         "ClusterRoleBinding"]
# Plain scalars that YAML 1.1 (goyaml.v2, kustomization files) and YAML 1.2
# (goyaml.v3, resources) read differently, or that need quoting on output.
WORDS = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "0o17", "0x1F",
         "017", "1_000", ".5", "1e3", "+12", "-.inf", ".NaN", "2001-12-14",
         "12:30:45", "true", "False", "'q'", "a#b", "x"]


def obj(rnd, kind, name):
    img = rnd.choice(["nginx", "nginx:1.25", "registry.local:5000/app:2",
                      "busybox@sha256:abc", "app"])
    if kind in ("Deployment", "StatefulSet"):
        return f"""apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: {rnd.randint(1, 3)}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      serviceAccountName: sa
      containers:
      - name: main
        image: {img}
        args: ["--web=$(WEB)", "$(PORT)"]
        envFrom: [{{configMapRef: {{name: settings}}}}]
        env: [{{name: A, value: "{rnd.choice(['1', 'yes', '1.10', 'x y'])}"}}]
      volumes: [{{name: v, configMap: {{name: settings}}}}]
"""
    if kind == "Service":
        return f"""apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: {rnd.choice([80, 8080])}, targetPort: http}}]
"""
    if kind == "ConfigMap":
        return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  annotations:
    w: {rnd.choice(WORDS)}
data:
  k: "{rnd.choice(['v', 'on', '0755', 'a: b'])}"
  n: "1"
  w: {rnd.choice(WORDS)}
"""
    if kind == "Job":
        return f"""apiVersion: batch/v1
kind: Job
metadata: {{name: {name}}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: {img}}}]
"""
    if kind == "ServiceAccount":
        return f"apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: {name}}}\n"
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        ns = rnd.choice(["", "  namespace: default\n", "  namespace: other\n"])
        role = "ClusterRole" if kind == "ClusterRoleBinding" or rnd.random() < 0.3 else "Role"
        return f"""apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata: {{name: {name}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role}, name: reader}}
subjects:
- kind: ServiceAccount
  name: sa
{ns}- kind: User
  name: sa
"""
    return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: {name}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
  maxReplicas: 3
"""


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def transformers(rnd, lines):
    if rnd.random() < 0.5:
        lines.append(f"namespace: ns{rnd.randint(1, 3)}")
    if rnd.random() < 0.4:
        lines.append(f"namePrefix: p{rnd.randint(1, 9)}-")
    if rnd.random() < 0.3:
        lines.append(f"nameSuffix: -s{rnd.randint(1, 9)}")
    if rnd.random() < 0.4:
        lines.append(f"commonLabels: {{team: t{rnd.randint(1, 3)}}}")
    if rnd.random() < 0.3:
        lines.append("labels:\n- pairs: {tier: x}\n  includeTemplates: true")
    if rnd.random() < 0.3:
        lines.append(f"commonAnnotations: {{note: \"{rnd.choice(['a', 'yes', '2'])}\"}}")
    if rnd.random() < 0.4:
        tag = rnd.choice([f'"{rnd.randint(1, 30)}"', "1.10", "2", "latest", "yes"])
        lines.append(f"images:\n- name: nginx\n  newTag: {tag}")
    if rnd.random() < 0.3:
        lines.append("replicas:\n- {name: web, count: 4}")
    if rnd.random() < 0.1:
        lines.append(f"commonLabels: {{flag: {rnd.choice(WORDS)}}}")


# Fields of the generated Deployment "web" that a replacement may write:
# list elements by key and by index, a delimited part of a value, and a
# path that exists only when created.
REPLACEMENT_TARGETS = [
    "spec.template.spec.containers.[name=main].env.[name=A].value",
    "spec.template.spec.containers.0.image",
    "spec.template.spec.volumes.[name=v].configMap.name",
    "spec.template.spec.containers.[name=main].args.0",
    "metadata.annotations.from",
]


def replacements(rnd, lines):
    src = rnd.choice(["{kind: ServiceAccount, name: sa}",
                      "{kind: ConfigMap, name: settings}",
                      "{kind: Deployment, name: web, fieldPath: "
                      "spec.template.spec.containers.[name=main].image}",
                      "{kind: Deployment, name: web, fieldPath: spec.replicas}"])
    paths = rnd.sample(REPLACEMENT_TARGETS, rnd.randint(1, 3))
    opts = rnd.choice(["", "\n    options: {create: true}",
                       "\n    options: {delimiter: ':', index: 1}",
                       "\n    options: {delimiter: '-', index: -1}"])
    lines.append("replacements:\n- source: " + src + "\n  targets:\n"
                 "  - select: {kind: Deployment}\n    fieldPaths: [" +
                 ", ".join(paths) + "]" + opts)


def tree(rnd, root):
    nbases = rnd.randint(1, 2)
    bases = []
    for b in range(nbases):
        names = ["web", "sa", "settings"] + [f"o{i}" for i in range(rnd.randint(0, 3))]
        docs = [obj(rnd, "Deployment", "web"), obj(rnd, "ServiceAccount", "sa")]
        for n in names[3:]:
            docs.append(obj(rnd, rnd.choice(KINDS), n))
        if rnd.random() < 0.5:
            docs.append(obj(rnd, "Service", "web"))
        if rnd.random() < 0.5:
            docs.append("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n"
                        "metadata: {name: reader}\nrules: []\n")
        write(root, f"base{b}/objects.yaml", "---\n".join(docs))
        lines = ["resources: [objects.yaml]"]
        if rnd.random() < 0.8:
            lines.append("configMapGenerator:\n- name: settings\n"
                         f"  literals: [LEVEL={rnd.choice(['info', 'debug'])}]")
        else:
            write(root, f"base{b}/settings.yaml", obj(rnd, "ConfigMap", "settings"))
            lines[0] = "resources: [objects.yaml, settings.yaml]"
        if rnd.random() < 0.5:
            transformers(rnd, lines)
        write(root, f"base{b}/kustomization.yaml", "\n".join(lines) + "\n")
        bases.append(f"../base{b}")
    comp = rnd.random() < 0.3
    if comp:
        write(root, "comp/kustomization.yaml",
              "kind: Component\ncommonAnnotations: {component: \"yes\"}\n"
              "patches:\n- target: {kind: Deployment}\n  patch: |-\n"
              "    - {op: add, path: /metadata/annotations/c, value: x}\n")
    lines = ["resources: [" + ", ".join(bases[:1]) + "]"]
    if comp:
        lines.append("components: [../comp]")
    transformers(rnd, lines)
    if rnd.random() < 0.3:
        replacements(rnd, lines)
    if rnd.random() < 0.2:
        lines.append("vars:\n- name: WEB\n  objref: {apiVersion: v1, kind: Service, name: web}\n"
                     "- name: PORT\n  objref: {apiVersion: v1, kind: Service, name: web}\n"
                     "  fieldref: {fieldPath: spec.ports[0].port}")
    if rnd.random() < 0.15:
        opts = rnd.sample(["originAnnotations", "transformerAnnotations",
                           "managedByLabel"], rnd.randint(1, 3))
        lines.append("buildMetadata: [" + ", ".join(opts) + "]")
    if rnd.random() < 0.5:
        write(root, "top/p.yaml", "apiVersion: apps/v1\nkind: Deployment\n"
              "metadata: {name: web}\nspec:\n  template:\n    spec:\n"
              "      containers:\n      - name: side\n        image: side:1\n")
        lines.append("patches:\n- path: p.yaml")
    if rnd.random() < 0.4:
        lines.append("configMapGenerator:\n- name: settings\n  behavior: merge\n"
                     "  literals: [EXTRA=1]")
    write(root, "top/kustomization.yaml", "\n".join(lines) + "\n")
    return os.path.join(root, "top")


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("agent")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--save")
    args = ap.parse_args()
    if not shutil.which("kubectl"):
        print("1..0 # SKIP kubectl not found")
        return 0
    failed = 0
    for i, seed in enumerate(range(args.first, args.first + args.seeds), 1):
        rnd = random.Random(seed)
        with tempfile.TemporaryDirectory() as root:
            top = tree(rnd, root)
            kc, kout = run(["kubectl", "kustomize", top])
            ac, aout = run([args.agent, "build", top])
            ok = (kc == 0 and ac == 0 and kout == aout) or (kc != 0 and ac != 0)
            if not ok:
                failed += 1
                print(f"# seed {seed}: kubectl exit {kc}, ours exit {ac}")
                if args.save:
                    dst = os.path.join(args.save, f"random-seed-{seed}")
                    shutil.copytree(root, os.path.join(dst, "tree"))
                    with open(os.path.join(dst, "build-path"), "w") as f:
                        f.write("top\n")
            print(f"{'ok' if ok else 'not ok'} {i} - seed {seed}")
    print(f"1..{args.seeds}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
