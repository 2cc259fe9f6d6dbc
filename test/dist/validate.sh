#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Strict schema validation of Kubernetes manifests: every object is checked
# against the schema of its apiVersion and kind (Kubernetes, Istio, Gateway
# API, and the CRDs of manifests/crds/), and unknown fields are errors.
#
# Usage:
#   validate.sh [--crds PATH]... FILE_OR_DIR...
#   validate.sh [--crds PATH]... --kustomize DIR [--kustomize DIR]...
#
# --kustomize DIR builds DIR with `kubectl kustomize` and validates its
# output.  --crds PATH adds CRD files (manifests/crds/ is always loaded, and
# so is every CustomResourceDefinition in the input).  One line per
# problem on stdout:
#   FILE: APIVERSION KIND NAMESPACE/NAME: PATH: MESSAGE (line N)
# Exit status: 0 valid, 1 invalid, 2 usage error, 77 skipped (Node.js, the
# npm packages or kubectl missing; the message says how to install them).
#
# The validator is test/dist/validate/validate.mjs; its npm packages are
# installed with:  npm ci --prefix test/dist/validate
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=$here/validate
repo=$(cd "$here/../.." && pwd)

skip() {
	echo "validate.sh: SKIP: $*" >&2
	exit 77
}

if ! command -v node >/dev/null 2>&1; then
	skip "node not found: install Node.js >= 18 (Debian: apt-get install nodejs npm), then: npm ci --prefix ${tool#"$repo"/}"
fi
for pkg in kubernetes-models @kubernetes-models/istio @kubernetes-models/gateway-api ajv yaml; do
	if [[ ! -f $tool/node_modules/$pkg/package.json ]]; then
		skip "the validator's npm packages are not installed ($pkg missing): run  npm ci --prefix ${tool#"$repo"/}  (from $repo)"
	fi
done

kustomize=()
args=()
inputs=0
while (($#)); do
	case $1 in
	--kustomize)
		[[ $# -ge 2 ]] || { echo "validate.sh: --kustomize needs a directory" >&2; exit 2; }
		kustomize+=("$2")
		shift 2
		;;
	--kustomize=*)
		kustomize+=("${1#--kustomize=}")
		shift
		;;
	-h | --help)
		sed -n '3,/^set /p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	--crds)
		[[ $# -ge 2 ]] || { echo "validate.sh: --crds needs a path" >&2; exit 2; }
		args+=("$1" "$2")
		shift 2
		;;
	*)
		args+=("$1")
		inputs=1
		shift
		;;
	esac
done

if ((${#kustomize[@]} == 0)); then
	exec node "$tool/validate.mjs" "${args[@]}"
fi

if ((inputs)); then
	echo "validate.sh: give either --kustomize DIR... or FILE_OR_DIR..., not both" >&2
	exit 2
fi
if ! command -v kubectl >/dev/null 2>&1; then
	skip "kubectl not found: --kustomize needs kubectl (v1.32) to build ${kustomize[*]}"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
i=0
for dir in "${kustomize[@]}"; do
	i=$((i + 1))
	if [[ ! -d $dir ]]; then
		echo "$dir: no such directory: nothing to build (is the overlay written yet?)"
		rc=1
		continue
	fi
	if [[ ! -f $dir/kustomization.yaml && ! -f $dir/kustomization.yml && ! -f $dir/Kustomization ]]; then
		echo "$dir: no kustomization.yaml: not a kustomize overlay"
		rc=1
		continue
	fi
	if ! kubectl kustomize "$dir" >"$tmp/out.$i.yaml" 2>"$tmp/err"; then
		echo "$dir: kubectl kustomize failed:"
		sed 's/^/    /' "$tmp/err"
		rc=1
		continue
	fi
	node "$tool/validate.mjs" --stdin-name "$dir (kubectl kustomize)" "${args[@]}" - <"$tmp/out.$i.yaml"
	r=$?
	((r > rc)) && rc=$r
done
exit $rc
