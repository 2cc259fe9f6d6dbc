#!/usr/bin/env bash
# Regenerate the YAML round-trip golden corpus with the kubectl on PATH.
#
#   test/golden/yaml/regen.sh            rewrite expected.yaml / expected.err of every case
#   test/golden/yaml/regen.sh --check    write nothing, only report what would change
#   test/golden/yaml/regen.sh CASE...    limit to some cases (directory names under cases/)
#
# For each cases/<name>/input.yaml this builds a throw-away directory holding that
# file and `kustomization.yaml` (`resources: [input.yaml]`) and runs
# `kubectl kustomize --reorder none DIR`.
#   - success: stdout, byte for byte, becomes expected.yaml (expected.err is removed);
#   - failure: expected.err holds the gist of the error. An existing expected.err
#     is kept when each of its non-empty lines still occurs in kubectl's error
#     message (so it can be trimmed by hand to the essential part); otherwise
#     it is rewritten with kubectl's whole error message (klog / "error: "
#     wrapper removed). expected.yaml is removed.
# Exit status: 0 if nothing changed, 1 if any case changed (drift), 2 on usage
# or environment errors. So the script doubles as a drift check.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
check=0
only=()
for arg in "$@"; do
	case "$arg" in
	--check) check=1 ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	-*) echo "regen.sh: unknown option $arg" >&2; exit 2 ;;
	*) only+=("${arg%/}") ;;
	esac
done

if ! command -v kubectl >/dev/null 2>&1; then
	echo "regen.sh: kubectl not found on PATH" >&2
	exit 2
fi
echo "== kubectl: $(command -v kubectl)"
kubectl version --client 2>&1 | sed 's/^/== /'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Turn kubectl's stderr into a plain error message.
#  klog build:   E1127 11:30:46.787066  4611 run.go:72] "command failed" err="..."
#  stock build:  error: ...
normalize_err() {
	grep -v '^Flag --reorder has been deprecated' "$1" |
	awk '
		inblock && /^ >$/ { inblock = 0; next }
		inblock { sub(/^\t/, ""); print; next }
		/^[EWIF][0-9][0-9][0-9][0-9] .*\] "command failed" err=<$/ { inblock = 1; next }
		/^[EWIF][0-9][0-9][0-9][0-9] .*\] "command failed" err="/ {
			sub(/^[^]]*\] "command failed" err="/, ""); sub(/"$/, "")
			gsub(/\\"/, "\""); gsub(/\\\\/, "\\"); print; next
		}
		{ sub(/^error: /, ""); print }
	'
}

# Does every non-empty line of file $1 occur in file $2?
gist_matches() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		[ -z "$line" ] && continue
		grep -qF -- "$line" "$2" || return 1
	done <"$1"
	return 0
}

total=0 changed=0 failed_cases=0
for dir in "$here"/cases/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	if [ ${#only[@]} -gt 0 ]; then
		match=0
		for o in "${only[@]}"; do [ "$o" = "$name" ] && match=1; done
		[ $match = 1 ] || continue
	fi
	if [ ! -f "$dir/input.yaml" ]; then
		echo "regen.sh: $name has no input.yaml" >&2
		changed=$((changed + 1))
		continue
	fi
	total=$((total + 1))
	t="$work/$name"
	mkdir -p "$t/kdir"
	cp "$dir/input.yaml" "$t/kdir/input.yaml"
	printf 'resources:\n- input.yaml\n' >"$t/kdir/kustomization.yaml"

	new_yaml="" new_err=""
	if kubectl kustomize --reorder none "$t/kdir" >"$t/out" 2>"$t/stderr"; then
		new_yaml="$t/out"
	else
		failed_cases=$((failed_cases + 1))
		normalize_err "$t/stderr" >"$t/msg"
		if [ -f "$dir/expected.err" ] && [ -s "$dir/expected.err" ] &&
			gist_matches "$dir/expected.err" "$t/msg"; then
			cp "$dir/expected.err" "$t/err"
		else
			cp "$t/msg" "$t/err"
		fi
		new_err="$t/err"
	fi

	diff_here=0
	for kind in yaml err; do
		committed="$dir/expected.$kind"
		if [ $kind = yaml ]; then fresh=$new_yaml; else fresh=$new_err; fi
		if [ -n "$fresh" ]; then
			if [ ! -f "$committed" ] || ! cmp -s "$fresh" "$committed"; then
				diff_here=1
				if [ -f "$committed" ]; then
					diff -u --label "committed/$name/expected.$kind" --label "kubectl/$name/expected.$kind" \
						"$committed" "$fresh" | head -n 40
				else
					echo "new: $name/expected.$kind"
				fi
				[ $check = 1 ] || cp "$fresh" "$committed"
			fi
		elif [ -f "$committed" ]; then
			diff_here=1
			echo "gone: $name/expected.$kind"
			[ $check = 1 ] || rm -f "$committed"
		fi
	done
	if [ $diff_here = 1 ]; then
		changed=$((changed + 1))
		echo "CHANGED $name"
	fi
done

echo "== $total cases ($failed_cases expected errors), $changed changed"
[ $changed = 0 ] || exit 1
exit 0
