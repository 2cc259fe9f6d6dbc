# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# Helpers shared by the scripts of the 'git' suite (sourced): TAP output,
# loopback ports, and gpg with the temporary GNUPGHOME the caller set.

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
# not_ok NAME [DETAIL]: DETAIL is shown as a TAP comment, 8 lines at most.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[[ -n ${2:-} ]] && printf '# %s\n' "$2" | head -8
}
# check NAME DETAIL COMMAND...: ok when COMMAND succeeds.
check() {
	local name=$1 detail=$2
	shift 2
	if "$@"; then ok "$name"; else not_ok "$name" "$detail"; fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
# The plan and the exit status; the last command of a script.
tap_end() {
	echo "1..$n"
	[[ $failed -eq 0 ]]
}

# A TCP port of 127.0.0.1 that was free a moment ago.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_port PORT: wait up to 5 s for a listener.
wait_port() {
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# start_git_daemon BASE-PATH: serve it over git:// on a free port of
# 127.0.0.1; sets $daemon_port and $daemon_pid (the caller stops it).
start_git_daemon() {
	daemon_port=$(free_port)
	git daemon --reuseaddr --export-all --base-path="$1" \
		--listen=127.0.0.1 --port="$daemon_port" "$1" 2>/dev/null &
	# shellcheck disable=SC2034 # the caller's, to stop the daemon
	daemon_pid=$!
	wait_port "$daemon_port"
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
	sshd_port=$(free_port)
	cat >"$dir/sshd_config" <<EOF
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
	"$bin" -D -e -f "$dir/sshd_config" 2>"$dir/sshd.log" &
	# shellcheck disable=SC2034 # the caller's, to stop sshd
	sshd_pid=$!
	printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$dir/host_key.pub")" \
		>"$dir/known_hosts"
	wait_port "$sshd_port"
}

# with_libgit2_ssh_leak COMMAND...: run COMMAND under the sanitizer
# options that tolerate libgit2's own ssh:// leak (lsan-libgit2-ssh.supp).
with_libgit2_ssh_leak() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 \
		LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(dirname "${BASH_SOURCE[0]}")/lsan-libgit2-ssh.supp \
		"$@"
}

# start_httpd ROOT PREFIX ARGS...: git http-backend for the repositories
# under ROOT, behind httpd.py on a free port of 127.0.0.1 (ARGS: its
# --basic, --bearer, --cert and --key); PREFIX.port, .log and .err are its
# files.  Sets $hport and $httpd_pid (the caller stops it).
start_httpd() {
	local root=$1 pre=$2
	shift 2
	: >"$pre.port"
	python3 "$(dirname "${BASH_SOURCE[0]}")/httpd.py" --root "$root" \
		--port-file "$pre.port" --log "$pre.log" "$@" 2>"$pre.err" &
	# shellcheck disable=SC2034 # the caller's, to stop it
	httpd_pid=$!
	for _ in $(seq 100); do
		[[ -s $pre.port ]] && break
		sleep 0.1
	done
	# shellcheck disable=SC2034 # the caller's
	hport=$(cat "$pre.port")
}
