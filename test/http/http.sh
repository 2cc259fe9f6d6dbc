#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Integration tests of lib/http (ga/http.h) through test/http/http-client
# against test/http/server.py on 127.0.0.1: retries and their limits per
# method, Retry-After, body caps, timeouts, TLS with a throw-away CA and
# client certificates, bearer-token rotation, streaming, and messages
# without credentials.  TAP output.
set -uo pipefail

usage="usage: http.sh PATH-TO-http-client"
client=${1:?$usage}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# TAP helpers, scratch space and the throw-away CA are the git suite's.
# shellcheck source=test/git/lib.sh
. "$here/../git/lib.sh"
scratch

# serve NAME ARGS...: start server.py; sets $port, logs to $tmp/NAME.log.
serve() {
	local name=$1
	shift
	python3 "$here/server.py" --port-file "$tmp/$name.port" \
		--log "$tmp/$name.log" "$@" 2>"$tmp/$name.err" &
	pids+=($!)
	for _ in $(seq 100); do
		[[ -s $tmp/$name.port ]] && break
		sleep 0.05
	done
	port=$(cat "$tmp/$name.port")
}
# call ARGS...: run the client with fast retries; output in $out.
call() { out=$("$client" --backoff-ms 20 "$@" 2>&1); }
has() { [[ $out == *"$1"* ]]; }
# requests PATH: how many requests the plain server logged for PATH.
requests() { grep -c " $1 " "$tmp/plain.log"; }

serve plain
base=http://127.0.0.1:$port

call GET "$base/ok"
check "GET answers 200 with the body" "$out" has "status=200 attempts=1 type=text/plain bytes=5"
call --body '{"a":1}' --content-type application/json PATCH "$base/ok"
check "PATCH sends its body" "$out" has "PATCH 7"
call --body 'x' POST "$base/ok" "$base/ok"
check "two requests on one client" "$out" has $'POST 1\nstatus=200 attempts=1'

call GET "$base/flaky/2"
check "503 twice, then 200: three attempts" "$out" has "status=200 attempts=3"
call --retries 1 GET "$base/flaky/5"
check "retries are bounded; the last response is returned" "$out" has "status=503 attempts=2"
call --body x POST "$base/always/503"
check "POST is not retried on 503" "$out" has "status=503 attempts=1"
expect "POST 503 sent once" 1 "$(requests /always/503)"
call --body x POST "$base/always/500"
check "nor on 500" "$out" has "status=500 attempts=1"
call GET "$base/always/404"
check "404 is final" "$out" has "status=404 attempts=1"
call GET "$base/always/409"
check "409 is final" "$out" has "status=409 attempts=1"

call --body x POST "$base/busy/a"
check "429 is retried, POST included" "$out" has "status=200 attempts=2"
first=$(grep " /busy/a " "$tmp/plain.log" | head -1 | awk '{print $5}')
second=$(grep " /busy/a " "$tmp/plain.log" | tail -1 | awk '{print $5}')
check "Retry-After: 1 is honoured" "waited ${first}..${second}" \
	python3 -c "import sys; sys.exit(0 if $second - $first >= 0.95 else 1)"
call --timeout-ms 500 GET "$base/busy/b"
check "a Retry-After beyond the deadline returns the 429" "$out" has "status=429 attempts=1"

call --max-body 1000 GET "$base/big/1000"
check "a body at the cap is accepted" "$out" has "status=200 attempts=1 type=text/plain bytes=1000"
call --max-body 1000 GET "$base/big/1001"
check "a body over the cap is refused" "$out" has "error=ELIMIT: GET $base/big/1001: response body exceeds 1000 bytes"

call --timeout-ms 300 --retries 0 GET "$base/slow/2"
check "the deadline ends a slow response" "$out" has "error=ERETRY: GET $base/slow/2: Operation timed out"
call --timeout-ms 300 --request-timeout-ms 5000 --retries 0 GET "$base/slow/2"
check "a request's own deadline outlasts the client's" "$out" has "status=200 attempts=1"
call --request-timeout-ms 300 --retries 0 GET "$base/slow/2"
check "a request's own deadline ends it sooner" "$out" has "error=ERETRY: GET $base/slow/2: Operation timed out"

dead=$(free_port)
call --retries 2 GET "http://127.0.0.1:$dead/x"
check "connection refused: retried, then ERETRY" "$out" has "error=ERETRY: GET http://127.0.0.1:$dead/x:"
call GET "http://user:s3cr3t@127.0.0.1:$dead/x"
check "user information never shown" "$out" bash -c "[[ '$out' != *s3cr3t* && '$out' == *'GET http://127.0.0.1:$dead/x'* ]]"
call GET "ftp://127.0.0.1/x"
check "other protocols are refused" "$out" has "error=EINVALID"

call --stream 0 GET "$base/stream/4"
check "a stream arrives in pieces" "$out" has $'line 3\nstatus=200'
check "as it is sent" "$out" bash -c "[[ \$(grep -c '^chunk=' <<<'$out') -ge 2 ]]"
call --stream 7 GET "$base/stream/50"
check "the consumer can stop a stream" "$out" bash -c "[[ '$out' == *status=200* && '$out' != *'line 40'* ]]"
call --stream 0 GET "$base/flaky/1"
check "a stream's 503 is retried before it starts" "$out" has "status=200 attempts=2 error-body="
call --stream 0 --retries 0 GET "$base/always/403"
check "an error's body is kept, never streamed" "$out" bash -c "[[ '$out' == 'status=403 attempts=1 error-body=status' ]]"

# --- bearer tokens ----------------------------------------------------------
printf 'tok-old\n' >"$tmp/token"
serve tokens --token-file "$tmp/token" --tokens tok-1,tok-2
call --token-file "$tmp/token" GET "http://127.0.0.1:$port/token" "http://127.0.0.1:$port/token"
check "401: the token file is read again" "$out" has "status=200 attempts=2"
check "a rotated file is picked up without a 401" "$out" has $'token ok\nstatus=200 attempts=1'
check "the tokens were sent" "$(cat "$tmp/tokens.log")" bash -c "[[ \$(grep -c bearer '$tmp/tokens.log') -eq 3 ]]"
call --token-file "$tmp/missing" GET "http://127.0.0.1:$port/token"
check "a missing token file is an error" "$out" has "bearer token file"

# --- TLS --------------------------------------------------------------------
pki=$tmp/pki
if make_test_pki "$pki"; then
	openssl req -newkey rsa:2048 -nodes -subj /CN=client \
		-keyout "$pki/cli.key" -out "$pki/cli.csr" 2>/dev/null &&
		openssl x509 -req -in "$pki/cli.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
			-CAcreateserial -days 2 -out "$pki/cli.crt" 2>/dev/null
	serve tls --cert "$pki/srv.crt" --key "$pki/srv.key"
	tls=https://localhost:$port
	call --ca-file "$pki/ca.crt" GET "$tls/ok"
	check "https with the CA file" "$out" has "status=200"
	call --ca-pem-file "$pki/ca.crt" GET "$tls/ok"
	check "https with the CA in memory" "$out" has "status=200"
	call --ca-file "$pki/other.crt" GET "$tls/ok"
	check "another CA: EVERIFY" "$out" has "error=EVERIFY"
	call --ca-file "$pki/ca.crt" GET "https://127.0.0.1:$port/ok"
	check "a name not in the certificate: EVERIFY" "$out" has "error=EVERIFY"
	call --insecure 1 GET "$tls/ok"
	check "verification off only when asked" "$out" has "status=200"
	serve mtls --cert "$pki/srv.crt" --key "$pki/srv.key" --client-ca "$pki/ca.crt"
	mtls=https://localhost:$port
	call --ca-file "$pki/ca.crt" --cert-pem-file "$pki/cli.crt" \
		--key-pem-file "$pki/cli.key" GET "$mtls/ok"
	check "client certificate from memory" "$out" has "status=200"
	call --ca-file "$pki/ca.crt" --retries 0 GET "$mtls/ok"
	check "no client certificate: refused" "$out" has "error="
else
	skip "TLS" "openssl failed"
fi

tap_end
