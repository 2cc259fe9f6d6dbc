#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Everything CI checks, in one command (STYLE.md rule 24):
#
#   main      meson setup + build (gcc, -Dwerror=true), meson test (all suites)
#   san       -Db_sanitize=address,undefined build, meson test (all suites)
#   valgrind  meson test --setup valgrind --suite unit --suite fuzz --suite golden,
#             then suites kubesim, kube, apply and e2e with kubesim, the
#             API client and the agent under valgrind
#             (KUBESIM_VALGRIND=1; the suite's scripts are not wrapped)
#   tidy      clang-tidy (.clang-tidy) over lib/ and agent/ sources
#   cppcheck  cppcheck --project=<build>/compile_commands.json
#
# The last line printed is always "N passed, N failed": the meson test
# results of every run above (from meson-logs/testlog*.json), plus tidy and
# cppcheck as one test each, plus one failed test for a build that did not
# configure or compile.  The exit status is 1 when anything failed (or when
# nothing ran at all).
#
# Usage: scripts/test.sh [--quick] [--steps LIST] [--builddir DIR]
#   --quick          only the main step (configure, build, meson test)
#   --steps LIST     comma-separated subset of: main,san,valgrind,tidy,cppcheck
#   --builddir DIR   main build dir (default: build); the sanitizer build
#                    goes in DIR-san
# Environment: CC (default gcc), GA_WERROR (default true), MESON_TEST_ARGS
# (extra arguments for every meson test run).
set -Eeuo pipefail
# Whatever happens, end with the summary line CI reads.
trap 'echo "scripts/test.sh: unexpected failure at line $LINENO"; echo "0 passed, 1 failed"' ERR

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src"

builddir=build
steps=main,san,valgrind,tidy,cppcheck
while [[ $# -gt 0 ]]; do
	case $1 in
	--quick) steps=main ;;
	--steps) steps=${2:?--steps needs a list}; shift ;;
	--steps=*) steps=${1#*=} ;;
	--builddir) builddir=${2:?--builddir needs a directory}; shift ;;
	--builddir=*) builddir=${1#*=} ;;
	-h | --help)
		sed -n '3,/^set /s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "scripts/test.sh: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

for s in ${steps//,/ }; do
	case $s in
	main | san | valgrind | tidy | cppcheck) ;;
	*)
		echo "scripts/test.sh: unknown step '$s' (main,san,valgrind,tidy,cppcheck)" >&2
		exit 2
		;;
	esac
done

# A fresh machine has nothing installed by hand: install what is missing
# (a no-op when everything is there).
if ! bash "$src/scripts/deps.sh" </dev/null; then
	echo "scripts/test.sh: installing dependencies failed (scripts/deps.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi

export CC=${CC:-gcc}
werror=${GA_WERROR:-true}
jobs=$(nproc 2>/dev/null || echo 2)
read -r -a test_args <<<"${MESON_TEST_ARGS:-}"
# Make sanitizer reports fatal and readable; meson 1.0 sets none of these.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:halt_on_error=1:detect_leaks=1:print_summary=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1}

logs=()       # testlog*.json files written by this run
extra_pass=0  # non-meson checks (tidy, cppcheck) that passed
extra_fail=0  # ... that failed, plus builds that did not configure/compile
report=()     # one line per step for the final table

has_step() {
	[[ ",$steps," == *",$1,"* ]]
}

note() {
	printf '\n==== %s\n' "$*"
}

# step_result NAME STATUS SECONDS
step_result() {
	report+=("$(printf '%-10s %-5s %4ss' "$1" "$2" "$3")")
}

# setup DIR [meson options...]: configure DIR, reusing it when possible.
setup() {
	local dir=$1
	shift
	if [[ -f $dir/meson-private/coredata.dat ]]; then
		meson setup --reconfigure "$dir" "$@" ||
			meson setup --wipe "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

# build_and_test NAME DIR [meson options...]: configure, compile, run every
# suite.  A configure or compile failure counts as one failed test.
build_and_test() {
	local name=$1 dir=$2 t0=$SECONDS rc=0
	shift 2
	last_built=no
	note "$name: meson setup $dir $*"
	rm -f "$dir"/meson-logs/testlog*.json
	last_conf=no
	if ! setup "$dir" -Dwerror="$werror" "$@"; then
		echo "$name: meson setup failed"
		extra_fail=$((extra_fail + 1))
		step_result "$name" FAIL $((SECONDS - t0))
		return 0
	fi
	last_conf=yes
	note "$name: build"
	if ! meson compile -C "$dir"; then
		echo "$name: build failed"
		extra_fail=$((extra_fail + 1))
		step_result "$name" FAIL $((SECONDS - t0))
		return 0
	fi
	last_built=yes
	note "$name: meson test (all suites)"
	meson test -C "$dir" --no-rebuild --print-errorlogs "${test_args[@]}" || rc=$?
	collect "$name" "$dir/meson-logs/testlog.json" "$rc" "$t0"
}

# collect NAME LOG RC T0: remember a meson test log; a run that failed
# without writing one counts as one failed test.
collect() {
	local name=$1 log=$2 rc=$3 t0=$4
	if [[ -f $log ]]; then
		logs+=("$log")
	elif [[ $rc -ne 0 ]]; then
		extra_fail=$((extra_fail + 1))
	fi
	if [[ $rc -eq 0 ]]; then
		step_result "$name" ok $((SECONDS - t0))
	else
		step_result "$name" FAIL $((SECONDS - t0))
	fi
}

# main_configured / main_ready: the main build dir is configured (enough
# for clang-tidy and cppcheck) / also built (valgrind).  Each tries at most
# once and returns 1 when the build dir cannot be had.
main_configured() {
	if [[ $main_conf == unknown ]]; then
		main_conf=bad
		if setup "$builddir" -Dwerror="$werror" >/dev/null; then
			main_conf=good
		fi
	fi
	[[ $main_conf == good ]]
}
main_ready() {
	if [[ $main_state == unknown ]]; then
		main_state=bad
		if main_configured && meson compile -C "$builddir" >/dev/null; then
			main_state=good
		fi
	fi
	[[ $main_state == good ]]
}
main_conf=unknown
main_state=unknown

run_valgrind() {
	local t0=$SECONDS rc=0
	note "valgrind: meson test --setup valgrind --suite unit --suite fuzz --suite golden"
	rm -f "$builddir"/meson-logs/testlog-valgrind.json
	if ! main_ready; then
		echo "valgrind: main build not available"
		extra_fail=$((extra_fail + 1))
		step_result valgrind FAIL $((SECONDS - t0))
		return 0
	fi
	if ! command -v valgrind >/dev/null; then
		echo "valgrind: not installed (scripts/deps.sh)"
		extra_fail=$((extra_fail + 1))
		step_result valgrind FAIL $((SECONDS - t0))
		return 0
	fi
	meson test -C "$builddir" --no-rebuild --print-errorlogs --setup valgrind \
		--suite unit --suite fuzz --suite golden "${test_args[@]}" || rc=$?
	collect valgrind "$builddir/meson-logs/testlog-valgrind.json" "$rc" "$t0"
	# kubesim under valgrind, driven by the conformance script, the API
	# client's tests, the apply scenarios and the agent's end-to-end
	# scenarios (the client and the agent under valgrind too): the
	# programs, not the shell scripts around them, are what must be
	# clean.
	t0=$SECONDS rc=0
	note "valgrind: suites kubesim, kube, apply and e2e with KUBESIM_VALGRIND=1"
	rm -f "$builddir"/meson-logs/testlog-kubesim-valgrind.json
	KUBESIM_VALGRIND=1 meson test -C "$builddir" --no-rebuild --print-errorlogs \
		--suite kubesim --suite kube --suite apply --suite e2e --timeout-multiplier 4 \
		--logbase testlog-kubesim-valgrind "${test_args[@]}" || rc=$?
	collect valgrind-kubesim "$builddir/meson-logs/testlog-kubesim-valgrind.json" "$rc" "$t0"
}

# Source files of lib/ and agent/ listed in the compile database.
tidy_sources() {
	python3 - "$builddir/compile_commands.json" "$src" <<'PY'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
seen = set()
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] in ("lib", "agent") and f not in seen:
        seen.add(f)
        print(f)
PY
}

run_tidy() {
	local t0=$SECONDS out
	note "tidy: clang-tidy over lib/ and agent/ (.clang-tidy)"
	out=$(mktemp)
	if main_configured && command -v clang-tidy >/dev/null &&
		tidy_sources | sort >"$out.files" && [[ -s $out.files ]] &&
		# One file per clang-tidy process: clang-tidy 14 given several files
		# reports false clang-analyzer-valist.Uninitialized errors in all
		# but the first.
		xargs -a "$out.files" -P "$jobs" -n 1 clang-tidy -p "$builddir" \
			--quiet --extra-arg=-Wno-unknown-warning-option >"$out" 2>&1; then
		# clang-tidy prints "N warnings generated" noise on stderr.
		grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' "$out" || true
		echo "tidy: $(wc -l <"$out.files") files clean"
		extra_pass=$((extra_pass + 1))
		step_result tidy ok $((SECONDS - t0))
	else
		grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' "$out" || true
		[[ -s $out.files ]] || echo "tidy: no build dir, no clang-tidy or no sources"
		echo "tidy: FAILED"
		extra_fail=$((extra_fail + 1))
		step_result tidy FAIL $((SECONDS - t0))
	fi
	rm -f "$out" "$out.files"
}

run_cppcheck() {
	local t0=$SECONDS
	note "cppcheck: --project=$builddir/compile_commands.json"
	if main_configured && command -v cppcheck >/dev/null &&
		cppcheck --project="$builddir/compile_commands.json" \
			--enable=warning,portability,performance \
			--error-exitcode=1 --inline-suppr -q -j "$jobs" \
			-i"$src/test/fuzz/corpus" -i"$src/test/lint/fixtures"; then
		echo "cppcheck: clean"
		extra_pass=$((extra_pass + 1))
		step_result cppcheck ok $((SECONDS - t0))
	else
		echo "cppcheck: FAILED"
		extra_fail=$((extra_fail + 1))
		step_result cppcheck FAIL $((SECONDS - t0))
	fi
}

start=$SECONDS
if has_step main; then
	build_and_test main "$builddir"
	[[ $last_conf == yes ]] && main_conf=good || main_conf=bad
	[[ $last_built == yes ]] && main_state=good || main_state=bad
fi
if has_step san; then
	build_and_test san "$builddir-san" -Db_sanitize=address,undefined \
		-Db_lundef=false
fi
has_step valgrind && run_valgrind
has_step tidy && run_tidy
has_step cppcheck && run_cppcheck

trap - ERR
note "summary ($((SECONDS - start))s)"
printf '%s\n' "${report[@]}"
python3 - "$extra_pass" "$extra_fail" "${logs[@]}" <<'PY'
import json, sys
passed, failed = int(sys.argv[1]), int(sys.argv[2])
skipped = 0
bad = []
details = []


def why(r):
    """A failed test's 'not ok' points with their comments, else the
    tail of its output; 40 lines at most."""
    out = (r.get("stdout") or "").splitlines()
    lines, keep = [], False
    for line in out:
        if line.startswith("not ok"):
            keep = True
        elif not line.startswith("#"):
            keep = False
        if keep:
            lines.append(line)
    if not lines:
        lines = (out + (r.get("stderr") or "").splitlines())[-20:]
    return lines[:40]


for log in sys.argv[3:]:
    with open(log) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                r = {"result": "ERROR", "name": "unreadable testlog line"}
            res = r.get("result", "ERROR")
            if res in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif res == "SKIP":
                skipped += 1
            else:
                failed += 1
                bad.append(f"  {res:14} {r.get('name', '?')}  ({log})")
                details.append((r.get("name", "?"), why(r)))
if bad:
    print("failed meson tests:")
    print("\n".join(bad))
    # What failed, where a CI log that keeps only the tail shows it.
    for name, lines in details:
        print(f"---- {name}")
        print("\n".join(lines))
print(f"skipped: {skipped}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
PY
