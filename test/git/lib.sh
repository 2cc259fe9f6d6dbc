# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# Helpers shared by the scripts of the 'git' suite (sourced): TAP output
# (test/tap.sh), loopback ports, and gpg with the temporary GNUPGHOME
# the caller set.

here_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/tap.sh
. "$here_lib/../tap.sh"

# scratch: a temporary directory $tmp and a list $pids of the servers
# the script starts, both cleaned up when it exits.
scratch() {
	tmp=$(mktemp -d)
	pids=()
	trap scratch_cleanup EXIT
}
scratch_cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# A gpg-agent the script's own GNUPGHOME started, never the user's.
	[[ ${GNUPGHOME:-} == "$tmp"/* ]] && gpgconf --kill gpg-agent >/dev/null 2>&1
	rm -rf "$tmp"
}
# git_sandbox: git and gpg that read nothing of the user's, under $tmp.
git_sandbox() {
	export GNUPGHOME=$tmp/gnupg HOME=$tmp GIT_CONFIG_NOSYSTEM=1
	export GIT_CONFIG_GLOBAL=$tmp/gitconfig TZ=UTC
	git config --global user.name Tester
	git config --global user.email tester@example.com
	git config --global init.defaultBranch main
}

# A TCP port of 127.0.0.1 that was free a moment ago.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_ready PID LOG PATTERN: wait up to 10 s for the server PID to write
# a line matching PATTERN (ERE) to LOG, the server's own word that it
# listens.  A listener on the port is not enough: when another process
# took the port between free_port and the bind, that process answers
# and the server has exited.  On failure the server is stopped.
wait_ready() {
	local pid=$1 log=$2 pattern=$3
	for _ in $(seq 100); do
		grep -qE -- "$pattern" "$log" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 1
}

# start_git_daemon BASE-PATH: serve it over git:// on a free port of
# 127.0.0.1; sets $daemon_port and $daemon_pid (the caller stops it).
# git daemon cannot bind port 0 and say which it got: it tries again on
# another port when the one that was free is taken by then.
start_git_daemon() {
	local log
	log=$(mktemp "${tmp:-/tmp}/git-daemon.XXXXXX")
	for _ in 1 2 3 4 5; do
		daemon_port=$(free_port)
		: >"$log"
		git daemon --reuseaddr --export-all --verbose --base-path="$1" \
			--listen=127.0.0.1 --port="$daemon_port" "$1" 2>"$log" &
		# shellcheck disable=SC2034 # the caller's, to stop the daemon
		daemon_pid=$!
		wait_ready "$daemon_pid" "$log" 'Ready to rumble' && return 0
	done
	return 1
}

# stall_server PORT-FILE [GREETING]: on a free port of 127.0.0.1, accept
# connections, send GREETING (if any) and then nothing; writes its port to
# PORT-FILE and sets $stall_port and $stall_pid (the caller stops it).
stall_server() {
	python3 -c '
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    c, _ = s.accept()
    c.sendall(sys.argv[2].encode())
    conns.append(c)
' "$1" "${2:-}" &
	# shellcheck disable=SC2034 # the caller's, to stop it
	stall_pid=$!
	for _ in $(seq 100); do
		[[ -s $1 ]] && break
		sleep 0.1
	done
	# shellcheck disable=SC2034 # the caller's
	stall_port=$(cat "$1")
}

# gpg_gen ARGS...: run gpg in batch mode with an empty passphrase.
gpg_gen() { gpg --batch --passphrase '' "$@" >/dev/null 2>&1; }
# gpg_fpr USER: the fingerprint of USER's primary key.
gpg_fpr() {
	gpg --with-colons --list-keys "$1" 2>/dev/null | awk -F: '/^fpr/{print $10; exit}'
}

# make_test_pki DIR: a throw-away CA (ca.crt), a server certificate for
# localhost signed by it (srv.crt, srv.key) and a second, unrelated CA
# (other.crt).  Returns non-zero when openssl fails.
make_test_pki() {
	local pki=$1
	mkdir -p "$pki" &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca \
			-keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null &&
		openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
			-keyout "$pki/srv.key" -out "$pki/srv.csr" 2>/dev/null &&
		printf 'subjectAltName=DNS:localhost\n' >"$pki/ext" &&
		openssl x509 -req -in "$pki/srv.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
			-CAcreateserial -days 2 -extfile "$pki/ext" -out "$pki/srv.crt" 2>/dev/null &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca \
			-keyout "$pki/other.key" -out "$pki/other.crt" 2>/dev/null
}

# start_sshd DIR AUTHORIZED-KEYS: OpenSSH's sshd on a free port of
# 127.0.0.1 with its own config and host key (DIR/host_key, DIR must be
# private), accepting the keys of AUTHORIZED-KEYS; writes DIR/known_hosts
# for it and sets $sshd_port and $sshd_pid (the caller stops it).
# Returns 1 when sshd is not installed (Debian openssh-server).
start_sshd() {
	local dir=$1 keys=$2 bin
	bin=$(command -v sshd || echo /usr/sbin/sshd)
	[[ -x $bin ]] || return 1
	# sshd started by root insists on its privilege separation
	# directory, which the package normally leaves to boot-time
	# tmpfiles; containers often lack it.
	if [[ $(id -u) -eq 0 && ! -d /run/sshd ]]; then
		mkdir -m 0755 /run/sshd
	fi
	ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" -C host
	# As start_git_daemon: another port when the free one was taken.
	for _ in 1 2 3 4 5; do
		sshd_port=$(free_port)
		sshd_conf "$dir" "$keys" >"$dir/sshd_config"
		"$bin" -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
		# shellcheck disable=SC2034 # the caller's, to stop sshd
		sshd_pid=$!
		wait_ready "$sshd_pid" "$dir/sshd.log" "^Server listening on 127.0.0.1 port $sshd_port" &&
			break
		sshd_pid=
	done
	[[ -n $sshd_pid ]] || return 1
	printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$dir/host_key.pub")" \
		>"$dir/known_hosts"
}
# sshd_conf DIR AUTHORIZED-KEYS: start_sshd's configuration for $sshd_port.
sshd_conf() {
	local dir=$1 keys=$2
	cat <<EOF
Port $sshd_port
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $keys
PidFile $dir/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
EOF
}

# start_httpd ROOT PREFIX ARGS...: git http-backend as a CGI program of
# lighttpd (Debian lighttpd, lighttpd-mod-openssl) for the repositories
# under ROOT, on a free port of 127.0.0.1.  ARGS: --basic USER:PASSWORD
# (HTTP basic auth), --bearer TOKEN (only "Authorization: Bearer TOKEN"
# passes), --cert FILE --key FILE (https).  PREFIX.conf is the generated
# configuration, PREFIX.log the access log ("METHOD PATH STATUS BYTES",
# one line per request, written as it happens), PREFIX.err lighttpd's
# error log.  Sets $hport and $httpd_pid (the caller stops it); returns
# non-zero when no server came up.
start_httpd() {
	local root=$1 pre=$2 basic='' bearer='' cert='' key='' try
	shift 2
	while (($# >= 2)); do
		case $1 in
		--basic) basic=$2 ;;
		--bearer) bearer=$2 ;;
		--cert) cert=$2 ;;
		--key) key=$2 ;;
		*) return 2 ;;
		esac
		shift 2
	done
	: >"$pre.log"
	# lighttpd cannot bind port 0 and say which port it got: as
	# start_git_daemon, another port when the free one was taken.
	for try in 1 2 3 4 5; do
		hport=$(free_port)
		httpd_conf "$root" "$pre" "$basic" "$bearer" "$cert" "$key" >"$pre.conf"
		# Each try's own error log: the last one says what failed.
		: >"$pre.err"
		lighttpd -D -f "$pre.conf" 2>>"$pre.err" &
		# shellcheck disable=SC2034 # the caller's, to stop it
		httpd_pid=$!
		# Logged once the socket is bound (lighttpd 1.4).
		wait_ready "$httpd_pid" "$pre.err" "server started" && return 0
	done
	echo "start_httpd: $try tries failed" >>"$pre.err"
	return 1
}

# httpd_conf ROOT PREFIX BASIC BEARER CERT KEY: the lighttpd configuration
# of start_httpd (which sets $hport).
httpd_conf() {
	local root=$1 pre=$2 basic=$3 bearer=$4 cert=$5 key=$6
	cat <<EOF
server.modules = ("mod_alias", "mod_setenv", "mod_auth", "mod_authn_file",
                  "mod_cgi", "mod_accesslog", "mod_openssl")
server.document-root = "$root"
server.bind = "127.0.0.1"
server.port = $hport
server.errorlog = "$pre.err"
# Every path is a path inside git http-backend (its PATH_INFO).
alias.url = ("/" => "/usr/lib/git-core/git-http-backend/")
cgi.assign = ("" => "")
setenv.add-environment = ("GIT_PROJECT_ROOT" => "$root",
                          "GIT_HTTP_EXPORT_ALL" => "1")
# A pipe, not a file: lighttpd buffers file logs for up to a second, and
# the tests read the log right after each request.
accesslog.filename = "|exec cat >>$pre.log"
accesslog.format = "%m %U %>s %b"
EOF
	if [[ -n $basic ]]; then
		printf '%s\n' "$basic" >"$pre.users"
		cat <<EOF
auth.backend = "plain"
auth.backend.plain.userfile = "$pre.users"
auth.require = ("/" => ("method" => "basic", "realm" => "git",
                        "require" => "valid-user"))
EOF
	fi
	if [[ -n $bearer ]]; then
		# No user can log in with basic auth (empty user file): a
		# request without the token gets mod_auth's 401, with a
		# Bearer challenge instead of the basic one.
		: >"$pre.users"
		cat <<EOF
\$REQUEST_HEADER["Authorization"] != "Bearer $bearer" {
  auth.backend = "plain"
  auth.backend.plain.userfile = "$pre.users"
  auth.require = ("/" => ("method" => "basic", "realm" => "git",
                          "require" => "valid-user"))
  setenv.set-response-header = ("WWW-Authenticate" => "Bearer realm=\"git\"")
}
EOF
	fi
	if [[ -n $cert ]]; then
		cat <<EOF
ssl.engine = "enable"
ssl.pemfile = "$cert"
ssl.privkey = "$key"
EOF
	fi
}
