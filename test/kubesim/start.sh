# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# Start and stop kubesim for a test script (sourced).  The script sets
# $tmp (a private directory) first.
#
# start_kubesim KUBESIM [ARGS...]: kubesim on a free port of 127.0.0.1
# (HTTPS, a generated CA and bearer token unless ARGS say otherwise),
# its kubeconfig in $tmp/kubeconfig, its stderr in $tmp/kubesim.log;
# sets $kubesim_pid, and $server and $token (empty without one) from the
# kubeconfig, with the CA in $tmp/ca.crt for curl.  With KUBESIM_VALGRIND=1 it runs under valgrind
# (report in $tmp/valgrind.log), and any error or definite leak fails
# stop_kubesim.  Returns 1 when no kubeconfig appeared within 30 s.
start_kubesim() {
	local bin=$1 wrapper=()
	shift
	if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
		wrapper=(valgrind --error-exitcode=99 --leak-check=full
			--errors-for-leak-kinds=definite --quiet
			--log-file="$tmp/valgrind.log")
	fi
	rm -f "$tmp/kubeconfig"
	"${wrapper[@]}" "$bin" --listen 127.0.0.1:0 --kubeconfig-out "$tmp/kubeconfig" \
		"$@" 2>"$tmp/kubesim.log" &
	kubesim_pid=$!
	for _ in $(seq 300); do
		if [[ -s $tmp/kubeconfig ]]; then
			kubesim_creds
			return 0
		fi
		kill -0 "$kubesim_pid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# start_kubesim_or_bail KUBESIM [ARGS...]: start_kubesim, or end the
# script as one failed TAP point with what kubesim said.
start_kubesim_or_bail() {
	start_kubesim "$@" && return 0
	echo "not ok 1 - kubesim starts"
	kubesim_report
	echo "1..1"
	exit 1
}

# kubesim_creds: $server, $token and $tmp/ca.crt from $tmp/kubeconfig.
kubesim_creds() {
	server=$(awk '/server:/ {print $2; exit}' "$tmp/kubeconfig")
	token=$(awk '/token:/ {print $2; exit}' "$tmp/kubeconfig")
	awk '/certificate-authority-data:/ {print $2}' "$tmp/kubeconfig" | base64 -d >"$tmp/ca.crt"
}

# stop_kubesim: SIGTERM, then kubesim's exit status (0 when it stopped
# cleanly); nothing when it is not running.
stop_kubesim() {
	local status=0
	[[ -n ${kubesim_pid:-} ]] || return 0
	kill -TERM "$kubesim_pid" 2>/dev/null
	wait "$kubesim_pid" || status=$?
	kubesim_pid=
	return $status
}

# kubesim_report: what kubesim and valgrind said, as TAP comments.
kubesim_report() {
	sed 's/^/# /' "$tmp/kubesim.log" | tail -20
	[[ -f $tmp/valgrind.log ]] && sed 's/^/# /' "$tmp/valgrind.log" | head -60
	return 0
}
