#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Format check, STYLE.md rule 20: clang-format 14 --dry-run --Werror over
# every C file in ROOT/{agent,lib,test,bench} (the lint fixtures and fuzz
# corpora excepted).  Exits 77 (meson's "skipped") when clang-format 14 is
# not installed, since other versions format differently.
#
# Usage: test/lint/format.sh [ROOT]     (fix findings with clang-format-14 -i FILE)
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}

cf=
for c in "${CLANG_FORMAT:-}" clang-format-14 clang-format; do
	if [[ -z $c ]] || ! command -v "$c" >/dev/null 2>&1; then
		continue
	fi
	if [[ $("$c" --version) =~ version\ 14\. ]]; then
		cf=$c
		break
	fi
done
if [[ -z $cf ]]; then
	echo "SKIP: clang-format 14 not found (apt-get install clang-format-14)"
	exit 77
fi

mapfile -d '' files < <(cd "$root" && find agent lib test bench \
	\( -path test/lint/fixtures -o -path test/fuzz/corpus \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)
if [[ ${#files[@]} -eq 0 ]]; then
	echo "no C files under $root"
	exit 0
fi

cd "$root"
if "$cf" --style=file --dry-run --Werror "${files[@]}"; then
	echo "format: ${#files[@]} files clean ($cf)"
else
	echo "format: files above differ from .clang-format; run: $cf -i FILE" >&2
	exit 1
fi
