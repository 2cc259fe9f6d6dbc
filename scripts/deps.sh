#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The one list of Debian bookworm packages needed to build gitops-agent and
# run every check in scripts/test.sh (plus the npm packages of the dist
# suite's validator).  README, .ci/run and the GitHub
# workflow all call this script, so the lists cannot drift.
#
# Usage: scripts/deps.sh            install what is missing (root or sudo);
#                                   does nothing when all are installed
#        scripts/deps.sh --force    apt-get update + install all regardless
#        scripts/deps.sh --list     print the package names, one per line
#        scripts/deps.sh --check    exit 1 (and name them) if any are missing
set -euo pipefail

packages=(
	# Build
	meson ninja-build pkg-config gcc libc6-dev
	clang libclang-rt-14-dev # clang builds, its sanitizers, -Dfuzzing=true
	# Libraries (rule 1: one boundary folder per library)
	libyaml-dev libjansson-dev nettle-dev
	zlib1g-dev # lib/compress: the apply inventory's compression
	libgmp-dev # nettle's RSA and ECDSA (hogweed) compute on GMP numbers
	librnp-dev # OpenPGP signatures of Git commits and tags (lib/pgp/)
	libgit2-dev # lib/git: the Git source (bookworm: 1.5, with libssh2)
	libmimalloc-dev # the agent's allocator, on large pages (meson.build says why)
	libcurl4-openssl-dev # lib/http: the HTTP(S) client (loaded on first use)
	libssh2-1-dev # lib/git/ssh.c: ssh:// remotes on libssh2 with our own deadline
	# lib/httpd: HTTP servers (kubesim, later webhooks and /metrics) and
	# their test certificates; both loaded on first use
	libmicrohttpd-dev libgnutls28-dev
	# Tests and analysis (rules 14, 20, 21, 24)
	python3 # test/lint/banned.sh, scripts/test.sh summary
	python3-yaml # test/dist/strategies.sh reads the built overlays
	git # integration tests use local repositories, git daemon, http-backend
	gnupg # suite git: real OpenPGP signatures
	openssh-server openssh-client # test/git: sshd on loopback, ssh-keygen, SSH signatures
	openssl # test/git: a throw-away CA for the https server
	# test/git: the smart-HTTP server, git http-backend as a CGI program of
	# lighttpd (basic auth, a bearer-token condition, access log) ...
	lighttpd
	lighttpd-mod-openssl # ... and its TLS module for the https:// cases
	curl # test-httpd: a TLS client for the generated certificates
	jq # test/conformance/kubectl.sh reads kubectl -o json (kubectl itself
	# is not in Debian: the kubesim suite skips without it)
	valgrind cppcheck clang-tidy clang-format clang-tools
	time # bench/: peak RSS of the measured programs
)

missing() {
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

case ${1:-} in
--list)
	printf '%s\n' "${packages[@]}"
	exit 0
	;;
--check)
	todo=$(missing)
	if [[ -n $todo ]]; then
		echo "missing packages: ${todo//$'\n'/ }" >&2
		exit 1
	fi
	exit 0
	;;
"" | --force) ;;
*)
	echo "usage: scripts/deps.sh [--list|--check|--force]" >&2
	exit 2
	;;
esac

sudo=
if [[ $(id -u) -ne 0 ]]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive

apt_install() {
	local try
	# Retry once: a mirror hiccup should not fail a CI run.
	for try in 1 2; do
		if $sudo apt-get update -q &&
			$sudo apt-get install -y -q --no-install-recommends "$@"; then
			return 0
		fi
		echo "deps: apt-get failed (try $try)" >&2
		sleep 5
	done
	return 1
}

# The dist suite's strict schema validator (test/dist/validate) runs on
# Node.js with npm packages pinned by its package-lock.json.  Machines of
# this kind ship Node.js 20; Debian's nodejs is the fallback elsewhere.
node_deps() {
	local dir lock stamp
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/dist/validate
	lock=$dir/package-lock.json
	stamp=$dir/node_modules/.package-lock.json
	if ! command -v npm >/dev/null; then
		apt_install nodejs npm || return 1
	fi
	if [[ ! -f $stamp || $lock -nt $stamp ]]; then
		echo "deps: npm ci in test/dist/validate"
		npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error || return 1
	fi
}

todo=$(missing)
if [[ -n $todo || ${1:-} == --force ]]; then
	echo "deps: installing ${todo:-(forced)}" | tr '\n' ' '
	echo
	apt_install "${packages[@]}" || exit 1
else
	echo "deps: all ${#packages[@]} packages installed"
fi
node_deps
