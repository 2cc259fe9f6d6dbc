#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# Push webhook -> applied, measured from outside the agent (the demo and
# bench/agent.sh): POST a generic-hmac push to the agent's /hook, then
# read the objects the commit changed from the API server over one kept
# HTTPS connection every 5 ms until every one of them has its new value.
# Prints the milliseconds from the POST to the read that saw the last
# change.  One process does both so that no process start sits between
# the two clocks.
#
# Usage: push_latency.py HOOK_URL TIMEOUT_S CHECK...
#   CHECK: API_PATH FIELD VALUE, FIELD a dotted path into the object
#          (list indexes as numbers), VALUE compared as a string.
# Environment: KUBE_SERVER (https://host:port), KUBE_CA (file),
# KUBE_TOKEN, HOOK_SECRET (the webhook's HMAC secret).
# Exit status: 0 applied, 1 not within TIMEOUT_S or the hook was refused,
# 2 usage error.
import hashlib
import hmac
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse
import urllib.request


def field(obj, path):
    for part in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(part)] if part.isdigit() and int(part) < len(obj) else None
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            return None
    return obj


def main():
    if len(sys.argv) < 6 or (len(sys.argv) - 3) % 3:
        print(__doc__ or "usage: push_latency.py HOOK_URL TIMEOUT_S (PATH FIELD VALUE)...",
              file=sys.stderr)
        return 2
    hook, timeout = sys.argv[1], float(sys.argv[2])
    args = sys.argv[3:]
    checks = [(args[i], args[i + 1], args[i + 2]) for i in range(0, len(args), 3)]
    server = urllib.parse.urlsplit(os.environ["KUBE_SERVER"])
    ctx = ssl.create_default_context(cafile=os.environ["KUBE_CA"])
    conn = http.client.HTTPSConnection(server.hostname, server.port, context=ctx, timeout=5)
    auth = {"Authorization": "Bearer " + os.environ["KUBE_TOKEN"]}

    def value(path, dotted):
        conn.request("GET", path, headers=auth)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            return None
        v = field(json.loads(body), dotted)
        return None if v is None else str(v)

    body = b'{"ref":"refs/heads/main"}'
    sig = hmac.new(os.environ["HOOK_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(hook, data=body, method="POST",
                                 headers={"X-Signature": "sha256=" + sig})
    t0 = time.monotonic()
    try:
        code = urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e:
        code = e.code
    if code != 200:
        print(f"the webhook answered {code}", file=sys.stderr)
        return 1
    pending = list(checks)
    while pending:
        pending = [c for c in pending if value(c[0], c[1]) != c[2]]
        if not pending:
            break
        if time.monotonic() - t0 > timeout:
            for path, dotted, want in pending:
                print(f"{path} {dotted}: {value(path, dotted)!r}, want {want!r}",
                      file=sys.stderr)
            return 1
        time.sleep(0.005)
    print(round((time.monotonic() - t0) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
