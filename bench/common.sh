# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the benchmarks: resolve the build directory ($1 of the script,
# default build-release) and set it up, when new, as a release build (-O2,
# NDEBUG), the way the agent ships; a debug build measures something else.
# Sets $src and $build.
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-build-release}
[[ $build = /* ]] || build=$src/$build
[[ -f $build/build.ninja ]] ||
	meson setup "$build" "$src" --buildtype=release -Db_ndebug=true >/dev/null
