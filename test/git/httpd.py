#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Smart-HTTP Git server for the integration tests.

Runs `git http-backend` as a CGI program behind Python's http.server on
127.0.0.1, with HTTP basic auth or a bearer token, optionally over TLS.
It binds port 0 and writes the port it got to --port-file, so tests never
race for a port.  Every request is logged to --log as
"METHOD PATH STATUS BYTES" so tests can see what was transferred.
"""
import argparse
import base64
import http.server
import os
import ssl
import subprocess
import sys


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True, help="GIT_PROJECT_ROOT")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--basic", help="user:password")
    p.add_argument("--bearer", help="token")
    p.add_argument("--cert")
    p.add_argument("--key")
    return p.parse_args()


ARGS = parse_args()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def authorized(self):
        got = self.headers.get("Authorization", "")
        if ARGS.basic:
            want = base64.b64encode(ARGS.basic.encode()).decode()
            return got == "Basic " + want
        if ARGS.bearer:
            return got == "Bearer " + ARGS.bearer
        return True

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def reply(self, status, headers, content):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        with open(ARGS.log, "a") as f:
            f.write("%s %s %d %d\n" % (self.command, self.path, status,
                                       len(content)))

    def run_backend(self):
        body = self.read_body() if self.command == "POST" else b""
        if not self.authorized():
            scheme = "Basic" if ARGS.basic else "Bearer"
            self.reply(401, [("WWW-Authenticate", scheme + ' realm="git"')],
                       b"")
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ARGS.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_USER": "test",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        out = subprocess.run(["git", "http-backend"], input=body, env=env,
                             capture_output=True, check=False).stdout
        sep = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
        head, _, content = out.partition(sep)
        status, headers = 200, []
        for line in head.decode().splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.reply(status, headers, content)

    do_GET = run_backend
    do_POST = run_backend


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if ARGS.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.cert, ARGS.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
