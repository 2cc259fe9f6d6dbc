# SPDX-License-Identifier: Apache-2.0
"""Checks the Containerfile without a container engine (none is installed
where the tests run); TAP on stdout.

  python3 containerfile.py ROOT GITOPS_AGENT [--self-test] [--not-like-image]

  - it parses: known instructions, JSON where exec form is used; two
    stages, `debian:bookworm AS build` and a `debian:bookworm-slim` runtime;
  - the build stage installs every build package of scripts/deps.sh (the
    project's one list: build tools and each library's -dev package) and
    nothing that list lacks; it configures a release build and runs the
    unit, fuzz, golden and kustomize suites;
  - the runtime stage: only files copied from the build stage, user 65532
    by number, ENTRYPOINT and CMD in exec form (no shell at run time), no
    -dev package, the apt lists removed, the OCI labels with the version of
    meson.build;
  - its packages are exactly what the built binary needs: every library
    `ldd` lists and every library lib/ loads on first use (its *_SONAME)
    mapped to its Debian package with `dpkg -S` is installed (or is glibc,
    in every Debian image), and no package is there without such a reason
    (ca-certificates excepted: the CA bundle for https:// remotes);
  - .containerignore keeps build directories, node_modules and .git out.
--self-test plants a mistake of each kind in a copy of the Containerfile and
expects each to be caught.  --not-like-image (meson passes it for sanitizer
builds and builds without mimalloc) skips the library checks: such a binary
links other libraries than the image's release build.
"""
import json
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import check, end, tap  # noqa: E402

KNOWN = {"FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER",
         "LABEL", "EXPOSE", "ENTRYPOINT", "CMD", "VOLUME", "STOPSIGNAL",
         "HEALTHCHECK", "SHELL", "ONBUILD"}
SUITES = ["unit", "fuzz", "golden", "kustomize"]
BUILD_TOOLS = {"meson", "ninja-build", "pkg-config", "gcc", "libc6-dev"}
# -dev packages of scripts/deps.sh the image build does not need: clang's
# sanitizer and libFuzzer runtime (the image is built with gcc).
NOT_FOR_IMAGE = {"libclang-rt-14-dev"}
# In every Debian image, debian:bookworm-slim included.
BASE = {"libc6"}
# Runtime packages that are not libraries of the binary.
NOT_LIBRARIES = {"ca-certificates": "the CA bundle for https:// Git remotes"}
LABELS = ["title", "description", "licenses", "version", "source"]
UID = "65532"


def parse(text):
    """[(INSTRUCTION, arguments)] with continuations joined and comment
    lines (also those inside a continuation) dropped, as builders do."""
    out, cur = [], ""
    for line in text.splitlines():
        if re.match(r"\s*#", line) or (not cur and not line.strip()):
            continue
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        word, _, rest = cur.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        cur = ""
    if cur.strip():
        word, _, rest = cur.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def stages(instrs):
    """[(from arguments, [instructions])]; instructions before the first
    FROM (ARG only) are dropped."""
    out = []
    for ins, args in instrs:
        if ins == "FROM":
            out.append((args, []))
        elif out:
            out[-1][1].append((ins, args))
    return out


def apt_packages(instrs):
    pkgs = []
    for ins, args in instrs:
        if ins != "RUN":
            continue
        for part in re.split(r"&&|;", args):
            words = shlex.split(part)
            if words[:2] == ["apt-get", "install"]:
                pkgs += [w for w in words[2:] if not w.startswith("-")]
    return pkgs


def runs(instrs):
    return " ".join(a for i, a in instrs if i == "RUN")


def exec_form(args):
    try:
        v = json.loads(args)
    except ValueError:
        return None
    return v if isinstance(v, list) and v and \
        all(isinstance(x, str) for x in v) else None


def labels(instrs):
    out = {}
    for ins, args in instrs:
        if ins == "LABEL":
            for w in shlex.split(args):
                k, _, v = w.partition("=")
                out[k] = v
    return out


# ---- the checks: each returns a list of problems --------------------------

def c_syntax(instrs):
    p = [f"unknown instruction {i}" for i, _ in instrs if i not in KNOWN]
    for i, a in instrs:
        if i in ("ENTRYPOINT", "CMD") and exec_form(a) is None:
            p.append(f"{i} {a}: not in exec form (a JSON array of strings)")
    st = stages(instrs)
    if len(st) != 2:
        p.append(f"{len(st)} stages, want build and runtime")
    else:
        if not re.fullmatch(r"debian:bookworm\s+AS\s+build", st[0][0], re.I):
            p.append(f"first stage FROM {st[0][0]}, want debian:bookworm "
                     "AS build")
        if not re.fullmatch(r"debian:bookworm-slim(\s+AS\s+\S+)?", st[1][0],
                            re.I):
            p.append(f"last stage FROM {st[1][0]}, want debian:bookworm-slim")
    return p


def c_build(instrs, deps):
    st = stages(instrs)
    if not st:
        return ["no stage"]
    body = st[0][1]
    pkgs = set(apt_packages(body))
    want = BUILD_TOOLS | {d for d in deps if d.endswith("-dev")}
    want -= NOT_FOR_IMAGE
    p = [f"build stage lacks {x} (scripts/deps.sh)"
         for x in sorted(want - pkgs)]
    p += [f"build stage installs {x}, which scripts/deps.sh does not list"
          for x in sorted(pkgs - set(deps))]
    r = runs(body)
    if not re.search(r"meson setup \S+.*--buildtype=release", r):
        p.append("no release build (meson setup --buildtype=release)")
    m = re.search(r"meson test ([^&;]*)", r)
    got = re.findall(r"--suite (\S+)", m.group(1)) if m else []
    if sorted(got) != sorted(SUITES):
        p.append(f"meson test suites {got}, want {SUITES}")
    return p


def c_runtime(instrs, version):
    st = stages(instrs)
    if len(st) < 2:
        return ["no runtime stage"]
    body = st[-1][1]
    p = []
    for i, a in body:
        if i in ("COPY", "ADD") and not a.startswith("--from=build "):
            p.append(f"{i} {a}: the runtime takes only the build's output")
        if i == "SHELL":
            p.append("SHELL in the runtime stage")
    users = [a for i, a in body if i == "USER"]
    if not users or users[-1].split(":")[0] != UID:
        p.append(f"USER {users[-1] if users else '(none)'}, want {UID}")
    ep = [exec_form(a) for i, a in body if i == "ENTRYPOINT"]
    if not ep or not ep[-1] or not ep[-1][0].startswith("/"):
        p.append("no ENTRYPOINT in exec form with an absolute path")
    elif ep[-1][0] in ("/bin/sh", "/bin/bash", "sh", "bash"):
        p.append("the ENTRYPOINT is a shell")
    for x in apt_packages(body):
        if x.endswith("-dev"):
            p.append(f"runtime installs {x}")
    if "rm -rf /var/lib/apt/lists" not in runs(body):
        p.append("the runtime keeps the apt lists")
    lab = labels(body)
    for k in LABELS:
        if not lab.get(f"org.opencontainers.image.{k}"):
            p.append(f"no label org.opencontainers.image.{k}")
    if lab.get("org.opencontainers.image.version") != version:
        p.append(f"label version {lab.get('org.opencontainers.image.version')}"
                 f", meson.build says {version}")
    return p


def package_of(path):
    """The Debian package owning @path (merged /usr: either spelling)."""
    tries = [path, os.path.realpath(path)]
    tries += ["/usr" + t for t in tries if not t.startswith("/usr/")]
    tries += [t[4:] for t in tries if t.startswith("/usr/")]
    for t in tries:
        r = subprocess.run(["dpkg", "-S", t], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].strip()
    return None


def needed(root, binary):
    """{library: (path, package)} of what @binary links and loads."""
    libs = {}
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(\S+)", line) or \
            re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs[m.group(1)] = m.group(m.lastindex)
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True,
                           text=True).stdout
    for dirpath, _, files in os.walk(f"{root}/lib"):
        for f in files:
            if not f.endswith(".c"):
                continue
            text = open(os.path.join(dirpath, f), errors="replace").read()
            for so in re.findall(r'#define \w+_SONAME "([^"]+)"', text):
                m = re.search(rf"^\s*{re.escape(so)} .*=> (\S+)$", cache,
                              re.M)
                libs[so] = m.group(1) if m else None
    return {so: (path, package_of(path) if path else None)
            for so, path in libs.items()}


def c_coverage(instrs, libs):
    st = stages(instrs)
    pkgs = set(apt_packages(st[-1][1])) if st else set()
    p, reasons = [], set(NOT_LIBRARIES)
    for so, (path, pkg) in sorted(libs.items()):
        if not path or not pkg:
            p.append(f"{so}: {'not found here' if not path else path + ' is in no package'}")
            continue
        reasons.add(pkg)
        if pkg not in pkgs and pkg not in BASE:
            p.append(f"{so} ({pkg}) is not installed in the runtime stage")
    for x in sorted(pkgs - reasons):
        p.append(f"runtime package {x} is no library of the binary")
    return p


def c_packages_exist(instrs):
    """Installed here (one dpkg-query for all), else known to apt."""
    names = sorted(set(apt_packages([i for _, s in stages(instrs)
                                     for i in s])))
    q = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\\n"] + names,
                       capture_output=True, text=True)
    known = set(q.stdout.split())
    p = []
    for x in names:
        if x in known:
            continue
        r = subprocess.run(["apt-cache", "show", "--no-all-versions", x],
                           capture_output=True)
        if r.returncode != 0 or not r.stdout:
            p.append(f"{x}: no such Debian package here")
    return p


def c_ignore(root):
    try:
        lines = set(open(f"{root}/.containerignore").read().split())
    except OSError as e:
        return [str(e)]
    return [f".containerignore lacks {x}" for x in
            (".git", "build*/", "test/dist/validate/node_modules")
            if x not in lines]


# Planted mistakes: (what, old text, new text, the check that must catch it).
PLANTED = [
    ("shell-form ENTRYPOINT", 'ENTRYPOINT ["/usr/bin/gitops-agent"]',
     "ENTRYPOINT /usr/bin/gitops-agent", "runtime"),
    ("USER root", "USER 65532:65532", "USER root", "runtime"),
    ("libcurl4 missing", "librnp0 libcurl4", "librnp0", "coverage"),
    ("an unneeded runtime package", "ca-certificates \\",
     "ca-certificates libxml2 \\", "coverage"),
    ("a -dev package at run time", "\tlibmimalloc2.0 libgit2",
     "\tlibmimalloc-dev libgit2", "runtime"),
    ("nettle-dev missing from the build", "nettle-dev ", "", "build"),
    ("the fuzz suite skipped", "--suite fuzz ", "", "build"),
    ("a debug build", "--buildtype=release", "--buildtype=debug", "build"),
    ("a third stage", "FROM debian:bookworm-slim AS runtime",
     "FROM debian:bookworm-slim AS runtime\nFROM scratch", "syntax"),
    ("an unknown instruction", "WORKDIR /src", "WORKDIRR /src", "syntax"),
    ("a misspelt package", "libgmp-dev ", "libgmp-devel ", "packages"),
    ("the wrong version label", 'image.version="', 'image.version="9', "runtime"),
]


def run_checks(text, deps, version, libs):
    instrs = parse(text)
    return {"syntax": c_syntax(instrs), "build": c_build(instrs, deps),
            "runtime": c_runtime(instrs, version),
            "coverage": c_coverage(instrs, libs),
            "packages": c_packages_exist(instrs)}


def main():
    flags = {"--self-test", "--not-like-image"}
    args = [a for a in sys.argv[1:] if a not in flags]
    self = "--self-test" in sys.argv[1:]
    like_image = "--not-like-image" not in sys.argv[1:]
    skip = "" if like_image else " # SKIP this build links other " \
        "libraries than the image's (sanitizers or no mimalloc)"
    root, binary = args
    text = open(f"{root}/Containerfile").read()
    deps = subprocess.run(["bash", f"{root}/scripts/deps.sh", "--list"],
                          capture_output=True, text=True).stdout.split()
    version = re.search(r"version:\s*'([^']+)'",
                        open(f"{root}/meson.build").read()).group(1)
    libs = needed(root, binary)
    if self:
        # A planted mistake counts only against a file that passes.
        base = run_checks(text, deps, version, libs)
        check("the Containerfile itself passes", [
            f"{k}: {v[0]}" for k, v in base.items()
            if v and (like_image or k != "coverage")])
        for what, old, new, which in PLANTED:
            if which == "coverage" and not like_image:
                tap(True, f"planted: {what}{skip}")
                continue
            if old not in text:
                tap(False, f"planted: {what}", [f"{old!r} not in the file"])
                continue
            res = run_checks(text.replace(old, new, 1), deps, version, libs)
            tap(bool(res[which]), f"planted: {what} is caught",
                res[which][:1] or ["not caught"])
        return end()
    res = run_checks(text, deps, version, libs)
    check("Containerfile parses: two stages, bookworm build, bookworm-slim "
          "runtime, exec form", res["syntax"])
    check("build stage: scripts/deps.sh's build packages, release build, "
          "unit/fuzz/golden/kustomize suites", res["build"])
    check("runtime stage: build output only, user 65532, exec-form "
          "entry point, no -dev, OCI labels", res["runtime"])
    tap(not res["coverage"] or not like_image, "runtime packages are "
        "exactly the binary's libraries (ldd and *_SONAME, by dpkg -S)"
        + skip, res["coverage"] + [f"{so} -> {pkg}" for so, (_, pkg)
                                   in sorted(libs.items())])
    check("every package named is a Debian package", res["packages"])
    check(".containerignore keeps build output, node_modules and .git out",
          c_ignore(root))
    return end()


if __name__ == "__main__":
    sys.exit(main())
