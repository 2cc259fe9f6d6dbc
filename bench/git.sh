#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Git source benchmark: `gitops-agent fetch` against `git` itself, in the
# same run, on a 10,000-commit repository served by `git daemon` on
# 127.0.0.1:
#   - the first fetch (mirror creation) against `git clone --mirror`;
#   - a no-op poll (the branch has not moved) against `git fetch` in a
#     mirror: median wall time of N runs, objects and bytes received;
#   - a one-commit change, the same way;
#   - verifying a range of 100 SSH-signed commits against
#     `git verify-commit` on each of them.
#
# Usage: bench/git.sh [BUILD_DIR] [RUNS]   (defaults: build-release, 10)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${2:-10}
ninja -C "$build" agent/gitops-agent >/dev/null
# shellcheck source=test/git/lib.sh
source "$src/test/git/lib.sh"
agent=$build/agent/gitops-agent
work=$(mktemp -d)
daemon_pid=
trap '[[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null; rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home GIT_AUTHOR_NAME=bench \
	GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench \
	GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME" "$work/srv"

# 10,000 commits, each changing one of 100 files, written by fast-import.
git init -q --bare -b main "$work/srv/repo.git"
python3 - <<'PY' | git -C "$work/srv/repo.git" fast-import --quiet
import sys
out = sys.stdout
for i in range(1, 10001):
    data = f"revision {i}\n"
    out.write(f"commit refs/heads/main\nmark :{i}\n")
    out.write(f"committer bench <bench@example.com> {1700000000 + i} +0000\n")
    out.write(f"data {len(f'change {i}')}\nchange {i}\n")
    if i > 1:
        out.write(f"from :{i - 1}\n")
    out.write(f"M 644 inline file-{i % 100}.txt\ndata {len(data)}\n{data}\n")
PY
start_git_daemon "$work/srv"
url=git://127.0.0.1:$daemon_port/repo.git

python3 - "$agent" "$work" "$url" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time

agent, work, url, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
cache, mirror = os.path.join(work, "cache"), os.path.join(work, "mirror.git")
src = os.path.join(work, "srv", "repo.git")
env = dict(os.environ)

def run(argv, cwd=None):
    t0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    if p.returncode:
        sys.exit(f"{argv}: {p.stderr.decode()[:300]}")
    return dt, p.stderr.decode()

def agent_poll(*extra):
    dt, err = run([agent, "fetch", "--cache", cache, "--url", url,
                   "--branch", "main", *extra])
    stats = {}
    for line in err.splitlines():
        if '"received_objects"' in line:
            stats = json.loads(line)
    return dt, stats

def median(f, n):
    ts, last = [], None
    for _ in range(n):
        dt, last = f()
        ts.append(dt)
    return statistics.median(ts), last

def row(name, ours, ref, note):
    print(f"{name:<30} {ours*1000:10.1f} ms {ref*1000:10.1f} ms "
          f"{ref/ours:7.1f}x  {note}")

def add_commits(n, sign=None):
    wt = os.path.join(work, "wt")
    if not os.path.isdir(wt):
        subprocess.run(["git", "clone", "-q", src, wt], check=True, env=env)
    cfg = []
    if sign:
        cfg = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={sign}",
               "-c", "commit.gpgsign=true"]
    for i in range(n):
        with open(os.path.join(wt, "new.txt"), "a") as f:
            f.write(f"{i}\n")
        subprocess.run(["git", "-C", wt, "add", "new.txt"], check=True, env=env)
        subprocess.run(["git", "-C", wt, *cfg, "commit", "-qm", f"new {i}"],
                       check=True, env=env)
    subprocess.run(["git", "-C", wt, "push", "-q", "origin", "HEAD:main"],
                   check=True, env=env)
    return subprocess.run(["git", "-C", wt, "rev-parse", "HEAD"], check=True,
                          env=env, stdout=subprocess.PIPE).stdout.decode().strip()

print(f"runs per case: {runs} (median wall time), repository: 10,000 commits over git://127.0.0.1")
print(f"{'case':<30} {'gitops-agent':>13} {'git':>13} {'faster':>8}  received by gitops-agent")
t1, s = agent_poll()
t2, _ = run(["git", "clone", "-q", "--mirror", url, mirror])
row("first fetch (mirror)", t1, t2, f"{s.get('received_objects')} objects, {s.get('received_bytes')} bytes")
t1, s = median(agent_poll, runs)
t2, _ = median(lambda: run(["git", "-C", mirror, "fetch", "-q", "origin"]), runs)
row("no-op poll", t1, t2, f"{s.get('received_objects')} objects, {s.get('received_bytes')} bytes")
add_commits(1)
t1, s = agent_poll()
t2, _ = run(["git", "-C", mirror, "fetch", "-q", "origin"])
row("one-commit change", t1, t2, f"{s.get('received_objects')} objects, {s.get('received_bytes')} bytes")

# 100 SSH-signed commits, then the range since the previous head.
key = os.path.join(work, "signer")
subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key,
                "-C", "bench"], check=True)
signers = os.path.join(work, "allowed_signers")
with open(signers, "w") as f:
    f.write("bench@example.com " + " ".join(open(key + ".pub").read().split()[:2]) + "\n")
since = subprocess.run(["git", "-C", src, "rev-parse", "main"], check=True,
                       stdout=subprocess.PIPE).stdout.decode().strip()
head = add_commits(100, sign=key)
run([agent, "fetch", "--cache", cache, "--url", url, "--branch", "main"])
def ours():
    return run([agent, "fetch", "--cache", cache, "--url", url, "--branch",
                "main", "--allowed-signers", signers, "--since", since])
def theirs():
    revs = subprocess.run(["git", "-C", src, "rev-list", f"{since}..{head}"],
                          check=True, stdout=subprocess.PIPE).stdout.decode().split()
    t0 = time.perf_counter()
    for r in revs:
        subprocess.run(["git", "-C", src, "-c",
                        f"gpg.ssh.allowedSignersFile={signers}",
                        "verify-commit", r], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, ""
t1, _ = median(ours, runs)
t2, _ = median(theirs, max(1, runs // 5))
row("verify a 100-commit range", t1, t2, "100 SSH signatures (git: verify-commit each)")
PY
