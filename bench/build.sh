#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Build benchmark: `gitops-agent build` against `kubectl kustomize` on the
# three dist/ overlays and on a generated tree (2,000+ objects, 20
# overlays over shared bases, with prefixes, namespaces, labels, images,
# generators and patches), in the same run.  Prints the median wall time
# of N runs and the peak RSS of one run for each side, their ratios, and
# whether the outputs are byte-identical.
#
# Usage: bench/build.sh [BUILD_DIR] [RUNS]   (defaults: build-release, 10)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${2:-10}
ninja -C "$build" agent/gitops-agent >/dev/null
command -v kubectl >/dev/null || { echo "bench/build.sh: kubectl not found" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$build/agent/gitops-agent" "$src" "$work" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

agent, src, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def write(rel, text):
    path = os.path.join(work, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

def generate(nbases=10, per_base=100, noverlays=20):
    for b in range(nbases):
        docs = []
        for i in range(per_base):
            docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, labels: {{app: app-{i}}}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
      - name: main
        image: registry.example.com/app:1.0
        envFrom: [{{configMapRef: {{name: settings}}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}}}
spec: {{selector: {{app: app-{i}}}, ports: [{{port: 80}}]}}
""")
        write(f"bases/b{b}/objects.yaml", "---\n".join(docs))
        write(f"bases/b{b}/kustomization.yaml",
              "resources: [objects.yaml]\nconfigMapGenerator:\n"
              "- name: settings\n  literals: [LEVEL=info, MODE=base]\n")
    for o in range(noverlays):
        b = o % nbases
        write(f"overlays/o{o}/kustomization.yaml", f"""namespace: ns-{o}
namePrefix: o{o}-
commonLabels: {{overlay: o{o}}}
resources: [../../bases/b{b}]
images: [{{name: registry.example.com/app, newTag: "2.{o}"}}]
configMapGenerator:
- name: settings
  behavior: merge
  literals: [MODE=overlay-{o}]
patches:
- target: {{kind: Deployment}}
  patch: |-
    - {{op: replace, path: /spec/replicas, value: 2}}
""")
    write("top/kustomization.yaml",
          "resources:\n" + "".join(f"- ../overlays/o{o}\n" for o in range(noverlays)))
    return os.path.join(work, "top")

def measure(argv):
    walls, out = [], b""
    # One untimed run first, for either tool: the timed runs then all
    # find the program and its input in the page cache.
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t0)
        out = p.stdout
        if p.returncode:
            sys.exit(f"{argv}: {p.stderr.decode()[:300]}")
    rss = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return statistics.median(walls), int(rss.stderr.decode().split()[-1]), out

print(f"runs per case: {runs} after one untimed (median wall time; peak RSS of one run)")
print(f"{'case':<24} {'gitops-agent':>22} {'kubectl kustomize':>24} {'faster':>8} {'less RSS':>9}  output")
# The large tree is written only after the small cases are measured: the
# kernel writing its thousands of files back would slow whatever runs
# meanwhile.
cases = [(f"dist/app-{e}", lambda e=e: os.path.join(src, "dist", f"app-{e}"))
         for e in ("kubernetes", "istio", "linkerd")]
cases.append(("generated (2,000+ objs)", generate))
for name, make in cases:
    path = make()
    w1, r1, o1 = measure([agent, "build", path])
    w2, r2, o2 = measure(["kubectl", "kustomize", path])
    objs = o2.count(b"\n---\n") + 1
    same = "byte-identical" if o1 == o2 else "DIFFERS"
    print(f"{name:<24} {w1*1000:9.2f} ms {r1/1024:7.1f} MiB "
          f"{w2*1000:9.1f} ms {r2/1024:7.1f} MiB {w2/w1:7.1f}x {r2/r1:8.1f}x  "
          f"{same} ({objs} objects)")
PY
