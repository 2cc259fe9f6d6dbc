#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Scripted HTTP(S) server for lib/http's tests.

Binds 127.0.0.1 port 0, writes the port to --port-file, logs one line per
request to --log ("PATH STATUS AUTH TIME"), and answers by path:
  /ok            200, body "METHOD LEN" (the request body's length)
  /flaky/N       503 for the first N requests to this path, then 200
  /busy/K        429 with Retry-After: 1 the first time, then 200
  /always/S      status S every time
  /big/N         200 with N bytes
  /slow/S        200 after S seconds
  /token         200 if "Authorization: Bearer <expected>", else 401; on a
                 wrong token, writes the expected one to --token-file (a
                 rotation the client missed); after a success, rotates to
                 the next of --tokens and writes it there
  /stream/N      N chunks "line I\n", 50 ms apart (chunked encoding)
With --cert/--key it speaks TLS; with --client-ca it requires a client
certificate signed by that CA.
"""
import argparse
import http.server
import os
import ssl
import sys
import threading
import time

ARGS = None
LOCK = threading.Lock()
COUNTS = {}
TOKENS = {"i": 0}


def write_token(value):
    tmp = ARGS.token_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(value + "\n")
    os.rename(tmp, ARGS.token_file)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def count(self):
        with LOCK:
            COUNTS[self.path] = COUNTS.get(self.path, 0) + 1
            return COUNTS[self.path]

    def log(self, status):
        auth = "bearer" if self.headers.get("Authorization") else "none"
        with open(ARGS.log, "a") as f:
            f.write(f"{self.command} {self.path} {status} {auth} {time.time():.3f}\n")

    def reply(self, status, body=b"", headers=()):
        self.log(status)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        parts = self.path.split("/")
        n_seen = self.count()
        if self.path == "/ok":
            return self.reply(200, f"{self.command} {len(body)}".encode())
        if parts[1] == "flaky":
            return self.reply(503 if n_seen <= int(parts[2]) else 200, b"x")
        if parts[1] == "busy":
            if n_seen == 1:
                return self.reply(429, b"busy", [("Retry-After", "1")])
            return self.reply(200, b"done")
        if parts[1] == "always":
            return self.reply(int(parts[2]), b"status")
        if parts[1] == "big":
            return self.reply(200, b"b" * int(parts[2]))
        if parts[1] == "slow":
            time.sleep(float(parts[2]))
            return self.reply(200, b"slow")
        if self.path == "/token":
            return self.token()
        if parts[1] == "stream":
            return self.stream(int(parts[2]))
        return self.reply(404, b"no such path")

    def token(self):
        tokens = ARGS.tokens.split(",")
        want = tokens[TOKENS["i"]]
        if self.headers.get("Authorization") != "Bearer " + want:
            write_token(want)
            return self.reply(401, b"unauthorized")
        if TOKENS["i"] + 1 < len(tokens):
            TOKENS["i"] += 1
            write_token(tokens[TOKENS["i"]])
        return self.reply(200, b"token ok")

    def stream(self, n):
        self.log(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for i in range(n):
                data = f"line {i}\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    p.add_argument("--token-file")
    p.add_argument("--tokens", default="tok-1")
    ARGS = p.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    if ARGS.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.cert, ARGS.key)
        if ARGS.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(ARGS.client_ca)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
