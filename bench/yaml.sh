#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# YAML read/print benchmark: gitops-agent's parser and emitter (bench driver
# yaml-print) against `kubectl kustomize --reorder none` on the same
# manifest file, in the same run, plus the hostile inputs of the security
# bounds (alias bomb, 10,000-deep nesting, 100 MB document), for which only
# our side is measured.  Prints median wall time over N runs and peak RSS of
# each side, the ratios, and whether the outputs are byte-identical.
#
# Usage: bench/yaml.sh [BUILD_DIR] [RUNS]   (defaults: build-release, 10)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${2:-10}
ninja -C "$build" bench/yaml-print >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$build/bench/yaml-print" "$work" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

tool, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path

def workload(n):
    docs = []
    for i in range(n):
        k = i % 3
        if k == 0:
            docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{app: app-{i}, tier: backend, version: "1.10"}}
  annotations:
    description: >-
      Deployment number {i} of the benchmark, with a long folded description
      that the emitter has to fold again at eighty columns when printing it.
spec:
  replicas: 3
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
      - name: main
        image: ghcr.io/stefanprodan/podinfo:6.7.{i % 10}
        args: ["--port=9898", "--level=info"]
        ports: [{{containerPort: 9898, name: http}}]
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
          limits: {{cpu: "1", memory: 128Mi}}
        env:
        - {{name: ENABLED, value: "yes"}}
        - {{name: RATIO, value: "0.75"}}
""")
        elif k == 1:
            docs.append(f"""apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector: {{app: app-{i}}}
  ports:
  - {{name: http, port: 80, targetPort: http, protocol: TCP}}
""")
        else:
            docs.append(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-{i}
data:
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
  on: "true"
  level: info
""")
    return "---\n".join(docs)

def measure(argv, cwd=None):
    walls, out, err, code = [], b"", b"", 0
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        out, err = p.communicate()
        walls.append(time.perf_counter() - t0)
        code = p.returncode
    return statistics.median(walls), out, err, code

def measure_rss(argv, cwd=None):
    # GNU time forks from a small process, so the child's peak RSS is the
    # tool's own, not inherited from this Python interpreter.
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(p.stderr.decode().strip().splitlines()[-1])  # KiB

def row(name, wall, rss, note=""):
    print(f"{name:<34} {wall*1000:9.2f} ms {rss/1024:9.1f} MiB  {note}")

print(f"runs per case: {runs} (median wall time; peak RSS of one run)")
kubectl = subprocess.run(["sh", "-c", "command -v kubectl"],
                         capture_output=True, text=True).stdout.strip()
for n in (15, 300, 3000):
    path = write(f"objects-{n}.yaml", workload(n))
    d = os.path.join(work, f"k-{n}")
    os.makedirs(d)
    os.symlink(path, os.path.join(d, "res.yaml"))
    write(f"k-{n}/kustomization.yaml", "resources:\n- res.yaml\n")
    w1, out1, _, c1 = measure([tool, path])
    r1 = measure_rss([tool, path])
    print(f"\n{n} objects ({os.path.getsize(path)//1024} KiB)")
    row("gitops-agent yaml-print", w1, r1)
    if kubectl:
        w2, out2, _, c2 = measure([kubectl, "kustomize", "--reorder", "none",
                                    "--load-restrictor", "LoadRestrictionsNone", d])
        r2 = measure_rss([kubectl, "kustomize", "--reorder", "none",
                          "--load-restrictor", "LoadRestrictionsNone", d])
        row("kubectl kustomize --reorder none", w2, r2)
        same = "byte-identical" if out1 == out2 and c1 == c2 == 0 else "OUTPUT DIFFERS"
        print(f"{'ratio (kubectl / ours)':<34} {w2/w1:9.1f} x  {r2/r1:9.1f} x  {same}")

print("\nhostile inputs (ours only; each must fail fast with a clear error)")
bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98+i)}: &{chr(98+i)} [" + ", ".join([f"*{chr(97+i)}"] * 10) + "]\n"
    for i in range(8))
cases = {
    "alias bomb (10^9 nodes)": write("bomb.yaml", bomb),
    "10,000-deep nesting": write("deep.yaml", "a: " + "[" * 10000 + "]" * 10000 + "\n"),
}
big = os.path.join(work, "big.yaml")
with open(big, "w") as f:
    f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n")
    line = "  k%08d: " + "v" * 90 + "\n"
    for i in range(100 * 1024 * 1024 // 103 + 1):
        f.write(line % i)
cases["100 MB document"] = big
for name, path in cases.items():
    w, _, err, code = measure([tool, path])
    r = measure_rss([tool, path])
    msg = err.decode().strip().splitlines()[0] if err else ""
    row(name, w, r, f"exit {code}: {msg[:90]}")
PY
