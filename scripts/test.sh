#!/usr/bin/env bash
# The test suite on a fresh machine: install dependencies, build with warnings as errors, build
# (or take from the cache) both CPython flavours of every version gilguard supports (3.13 and
# 3.14: four interpreters), install the npm test tooling, run the unit tests once, then the
# integration tests once per version with that version's interpreters and source. Each pass
# writes its JUnit report to build/ci/integration-<version>.xml; every pass runs, and the script
# fails when any of them failed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

mapfile -t versions < <("$repo_root/scripts/find-cpython-source.sh" --versions)

"$repo_root/scripts/install-deps.sh"
build_gilguard ci
gilguard="$repo_root/build/ci/gilguard"
declare -A gil_python ft_python cpython_source
for version in "${versions[@]}"; do
  provide_interpreters "$gilguard" "$version"
  gil_python[$version]=$GIL_PY
  ft_python[$version]=$FT_PY
  cpython_source[$version]=$CPYTHON_SOURCE
done

if [ -f "$repo_root/tests/js/package-lock.json" ]; then
  log "npm test tooling"
  npm ci --prefix "$repo_root/tests/js" --no-audit --no-fund --loglevel=error
fi

export GILGUARD_TEST_BUILD_PREFIX=$cache_root/cpython

log "unit tests"
ctest --preset ci -L unit -j2

failed=()
for version in "${versions[@]}"; do
  # Integration tests measure thread scaling: one at a time, so they don't steal each other's
  # CPUs.
  log "integration tests on CPython $version (${gil_python[$version]}, ${ft_python[$version]})"
  outcome=passed
  # The other release is the base of the A/B test that compares two releases.
  other=""
  for candidate in "${versions[@]}"; do [ "$candidate" = "$version" ] || other=$candidate; done
  GILGUARD_TEST_PYTHON_GIL=${gil_python[$version]} \
    GILGUARD_TEST_PYTHON_FT=${ft_python[$version]} \
    GILGUARD_TEST_BASE_PYTHON_GIL=${other:+${gil_python[$other]}} \
    GILGUARD_TEST_BASE_PYTHON_FT=${other:+${ft_python[$other]}} \
    GILGUARD_TEST_CPYTHON_SOURCE=${cpython_source[$version]} \
    ctest --preset ci -L integration -j1 \
    --output-junit "$repo_root/build/ci/integration-$version.xml" || outcome=FAILED
  log "integration tests on CPython $version: $outcome"
  [ "$outcome" = passed ] || failed+=("$version")
done
if [ "${#failed[@]}" -gt 0 ]; then
  log "integration tests failed on CPython ${failed[*]} (reports: build/ci/integration-*.xml)"
  exit 1
fi
