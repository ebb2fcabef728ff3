#!/usr/bin/env bash
# The test suite on a fresh machine: install dependencies, build with warnings as errors, build
# (or take from the cache) both CPython flavours, install the npm test tooling, run every test.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$repo_root/scripts/install-deps.sh"
build_gilguard ci
gilguard="$repo_root/build/ci/gilguard"
provide_interpreters "$gilguard"

if [ -f "$repo_root/tests/js/package-lock.json" ]; then
  log "npm test tooling"
  npm ci --prefix "$repo_root/tests/js" --no-audit --no-fund --loglevel=error
fi

export GILGUARD_TEST_PYTHON_GIL=$GIL_PY
export GILGUARD_TEST_PYTHON_FT=$FT_PY
export GILGUARD_TEST_CPYTHON_SOURCE=$CPYTHON_SOURCE
export GILGUARD_TEST_BUILD_PREFIX=$cache_root/cpython

log "unit tests"
ctest --preset ci -L unit -j2
# Integration tests measure thread scaling: one at a time, so they don't steal each other's CPUs.
log "integration tests"
ctest --preset ci -L integration -j1
