#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Self-test of validate.sh on planted mistakes.  Output is TAP.
#
#   fixtures/bad/*.yaml   each must fail and report exactly the
#                         problems its "# expect: TEXT" header lines list
#                         (each TEXT a substring of one output line, one
#                         line per expect: no missed and no extra problem);
#   fixtures/good/        must pass (exit 0) with no output;
#   validate/audit.mjs    the model packages' validators read every field
#                         they declare (what strict.mjs relies on);
#   fixtures/overlay/     --kustomize build of a small app plus
#                         manifests/crds must pass;
#   fixtures/overlay-bad/ --kustomize build with a planted typo must fail;
#   a kustomize build error and a missing overlay must fail with a clear
#   message.
#
# When Node.js or the npm packages are missing the whole test is skipped
# (TAP "1..0 # SKIP", which meson counts as skipped) with the install
# command: npm ci --prefix test/dist/validate
#
# Usage: validate-selftest.sh [VALIDATE_SH [FIXTURES_DIR]]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
validate=${1:-$here/validate.sh}
fixtures=${2:-$here/fixtures}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash "$validate" "$fixtures/good" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 77 ]]; then
	echo "1..0 # SKIP $(sed -n 's/^validate.sh: SKIP: //p' "$tmp/err" | head -1)"
	exit 0
fi

bad=("$fixtures"/bad/*.yaml)
echo "1..$((${#bad[@]} + 6))"
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}
notok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $*"
}
show() {
	sed 's/^/# /' "$@"
}

if [[ $rc -eq 0 && ! -s $tmp/out ]]; then
	ok "good/: every object valid"
else
	notok "good/: exit $rc, want 0 and no problem"
	show "$tmp/out" "$tmp/err"
fi

# One run for all bad fixtures (start-up costs ~0.5 s a run), split by file.
bash "$validate" "${bad[@]}" >"$tmp/all" 2>"$tmp/err"
allrc=$?
# The assumption strict.mjs rests on, for the installed package versions.
validator_dir=$(dirname "$validate")/validate
if node "$validator_dir/audit.mjs" >"$tmp/out" 2>&1; then
	ok "audit: every field the model packages declare is checked"
else
	notok "audit: fields the generated validators never read (see validate/audit.mjs)"
	show "$tmp/out"
fi

for f in "${bad[@]}"; do
	name=bad/${f##*/}
	grep -F -- "$f: " "$tmp/all" >"$tmp/out"
	sed -n 's/^# expect: //p' "$f" >"$tmp/expect"
	problems=()
	if [[ ! -s $tmp/expect ]]; then
		problems+=("fixture has no '# expect:' line")
	fi
	if [[ $allrc -ne 1 ]]; then
		problems+=("exit $allrc, want 1")
	fi
	while IFS= read -r want; do
		grep -qF -- "$want" "$tmp/out" || problems+=("missing: $want")
	done <"$tmp/expect"
	got=$(grep -c . "$tmp/out")
	want=$(grep -c . "$tmp/expect")
	if [[ $got -ne $want ]]; then
		problems+=("$got problem line(s), want $want")
	fi
	if ((${#problems[@]} == 0)); then
		ok "$name: fails with the planted problem(s)"
	else
		notok "$name"
		printf '%s\n' "${problems[@]}" | sed 's/^/# /'
		echo "# output:"
		show "$tmp/out" "$tmp/err"
	fi
done

# --kustomize: a clean overlay, a planted typo, a build error, no overlay.
if ! command -v kubectl >/dev/null 2>&1; then
	for what in overlay overlay-bad overlay-broken no-overlay; do
		ok "--kustomize $what # SKIP kubectl not found"
	done
	exit $failed
fi

bash "$validate" --kustomize "$fixtures/overlay" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 0 && ! -s $tmp/out ]]; then
	ok "--kustomize overlay: valid"
else
	notok "--kustomize overlay: exit $rc, want 0 and no problem"
	show "$tmp/out" "$tmp/err"
fi

bash "$validate" --kustomize "$fixtures/overlay-bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
want="$fixtures/overlay-bad (kubectl kustomize): apps/v1 Deployment podinfo/podinfo: .spec.template.spec.containers[0].imagePullPolicyy: unknown field \"imagePullPolicyy\""
if [[ $rc -eq 1 ]] && grep -qF -- "$want" "$tmp/out" && [[ $(grep -c . "$tmp/out") -eq 1 ]]; then
	ok "--kustomize overlay-bad: planted typo reported"
else
	notok "--kustomize overlay-bad: exit $rc, want 1 and: $want"
	show "$tmp/out" "$tmp/err"
fi

bash "$validate" --kustomize "$fixtures/overlay-broken" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 1 ]] && grep -qF "$fixtures/overlay-broken: kubectl kustomize failed:" "$tmp/out"; then
	ok "--kustomize overlay-broken: build error reported"
else
	notok "--kustomize overlay-broken: exit $rc, want 1 and 'kubectl kustomize failed'"
	show "$tmp/out" "$tmp/err"
fi

bash "$validate" --kustomize "$tmp/no-such-overlay" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 1 ]] && grep -qF "$tmp/no-such-overlay: no such directory" "$tmp/out"; then
	ok "--kustomize of a missing directory fails clearly"
else
	notok "--kustomize of a missing directory: exit $rc, want 1 and 'no such directory'"
	show "$tmp/out" "$tmp/err"
fi

exit $failed
