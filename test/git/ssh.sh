# shellcheck shell=bash disable=SC2154
# SPDX-License-Identifier: Apache-2.0
#
# The ssh:// part of test/git/git.sh (sourced: it uses that script's
# helpers and variables).  OpenSSH's sshd runs on a high port of 127.0.0.1
# with its own config, host key and authorized key; the client must
# accept the host only through known_hosts (plain and hashed entries) and
# refuse an unknown host and a changed key.

ssh_tests=(
	"ssh: branch with a plain known_hosts entry"
	"ssh: unchanged poll transfers nothing"
	"ssh: hashed known_hosts entry"
	"ssh: unknown host refused"
	"ssh: changed host key refused"
	"ssh: passphrase-protected key"
	"ssh: key not authorized is refused"
	"ssh: no passphrase in the output"
	"timeout: an ssh server that stalls after the login gives up after the deadline"
	"ssh: a missing repository is named in the error"
	"ssh: a path with a quote and an exclamation mark"
)
sdir=$tmp/ssh
mkdir -p "$sdir"
chmod 700 "$sdir"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/other_host_key" -C other
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id" -C user
ssh-keygen -q -t ed25519 -N 'pass-phrase-QRS' -f "$sdir/id_pass" -C user2
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id_stranger" -C stranger
printf 'pass-phrase-QRS\n' >"$sdir/passphrase"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id_stall" -C stall
cat "$sdir/id.pub" "$sdir/id_pass.pub" >"$sdir/authorized_keys"
# This key logs in, but its session runs a command that never answers.
printf 'command="sleep 20",no-pty %s\n' "$(cat "$sdir/id_stall.pub")" \
	>>"$sdir/authorized_keys"

# The deadline holds over ssh:// too: a server that accepts and never
# speaks, and one that sends its SSH version line and then stalls in the
# key exchange.
printf '[127.0.0.1]:%s %s\n' "$sport" "$(cut -d' ' -f1,2 "$sdir/other_host_key.pub")" \
	>"$sdir/known_hosts_silent"
stall_server "$tmp/stall.port" $'SSH-2.0-OpenSSH_9.2\r\n'
pids+=("$stall_pid")
for case in "silent:$sport" "stalled key exchange:$stall_port"; do
	start=$(date +%s)
	fetch --url "ssh://git@127.0.0.1:${case##*:}/repo.git" --branch main \
		--ssh-key "$sdir/id" --known-hosts "$sdir/known_hosts_silent" --timeout 1s
	status=$?
	took=$(($(date +%s) - start))
	[[ $status -eq 1 && $took -le 3 ]] && grep -q "timed out after 1000 ms" "$tmp/err" &&
		ok "timeout: a ${case%%:*} ssh server gives up after the deadline" ||
		not_ok "timeout: a ${case%%:*} ssh server gives up after the deadline" \
			"exit $status after ${took}s: $(cat "$tmp/err")"
done
if ! start_sshd "$sdir" "$sdir/authorized_keys"; then
	for t in "${ssh_tests[@]}"; do
		skip "$t" "sshd not installed (Debian openssh-server)"
	done
	return 0
fi
pids+=("$sshd_pid")
sport=$sshd_port

surl=ssh://$(id -un)@127.0.0.1:$sport$tmp/srv/repo.git
cp "$sdir/known_hosts" "$sdir/known_hosts_hashed"
ssh-keygen -q -H -f "$sdir/known_hosts_hashed" >/dev/null 2>&1
printf '[127.0.0.2]:%s %s\n' "$sport" "$(cut -d' ' -f1,2 "$sdir/host_key.pub")" \
	>"$sdir/known_hosts_unknown"
printf '[127.0.0.1]:%s %s\n' "$sport" "$(cut -d' ' -f1,2 "$sdir/other_host_key.pub")" \
	>"$sdir/known_hosts_changed"

# sfetch KEY KNOWN_HOSTS ARGS...
sfetch() {
	local key=$1 kh=$2
	shift 2
	fetch --url "$surl" --ssh-key "$key" \
		--known-hosts "$kh" "$@"
}

sfetch "$sdir/id" "$sdir/known_hosts" --branch main
expect "${ssh_tests[0]}" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
sfetch "$sdir/id" "$sdir/known_hosts" --branch main
grep -q "unchanged=true received_objects=0" "$tmp/err" && ok "${ssh_tests[1]}" ||
	not_ok "${ssh_tests[1]}" "$(cat "$tmp/err")"
grep -q '^|1|' "$sdir/known_hosts_hashed" &&
	sfetch "$sdir/id" "$sdir/known_hosts_hashed" --tag v1.1.0
expect "${ssh_tests[2]}" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"
sfetch "$sdir/id" "$sdir/known_hosts_unknown" --branch main
[[ $? -eq 1 ]] && grep -q "unknown host" "$tmp/err" && ok "${ssh_tests[3]}" ||
	not_ok "${ssh_tests[3]}" "$(cat "$tmp/err")"
sfetch "$sdir/id" "$sdir/known_hosts_changed" --branch main
[[ $? -eq 1 ]] && grep -q "key has changed" "$tmp/err" && ok "${ssh_tests[4]}" ||
	not_ok "${ssh_tests[4]}" "$(cat "$tmp/err")"
sfetch "$sdir/id_pass" "$sdir/known_hosts" --ssh-passphrase-file "$sdir/passphrase" \
	--semver ">=1"
expect "${ssh_tests[5]}" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"
sfetch "$sdir/id_stranger" "$sdir/known_hosts" --branch main
[[ $? -eq 1 ]] && grep -q "authentication failed" "$tmp/err" && ok "${ssh_tests[6]}" ||
	not_ok "${ssh_tests[6]}" "$(cat "$tmp/err")"
grep -q "pass-phrase" "$tmp/out" "$tmp/err" && not_ok "${ssh_tests[7]}" ||
	ok "${ssh_tests[7]}"
start=$(date +%s)
sfetch "$sdir/id_stall" "$sdir/known_hosts" --branch main --timeout 2s
status=$?
took=$(($(date +%s) - start))
[[ $status -eq 1 && $took -le 5 ]] && grep -q "timed out after 2000 ms" "$tmp/err" &&
	ok "${ssh_tests[8]}" || not_ok "${ssh_tests[8]}" "exit $status after ${took}s: $(cat "$tmp/err")"
fetch --url "${surl%/repo.git}/missing.git" --ssh-key "$sdir/id" \
	--known-hosts "$sdir/known_hosts" --branch main
[[ $? -eq 1 ]] && grep -q "missing.git' does not appear to be a git repository" "$tmp/err" &&
	ok "${ssh_tests[9]}" || not_ok "${ssh_tests[9]}" "$(cat "$tmp/err")"
# The path reaches the remote shell quoted, as git quotes it.
cp -r "$tmp/srv/repo.git" "$tmp/srv/it's!.git"
fetch --url "${surl%/repo.git}/it's!.git" --ssh-key "$sdir/id" \
	--known-hosts "$sdir/known_hosts" --branch main
expect "${ssh_tests[10]}" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
