#!/usr/bin/env bash
# The main job on a fresh machine: install the build dependencies, build the gilguard executable
# (not the tests: only what the job runs, as the action does), build (or take from the cache)
# both CPython flavours, and run `gilguard check` on its embedded default: the prime workload,
# both interpreters, ./baselines. Extra arguments go to `gilguard check`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$repo_root/scripts/install-deps.sh" --build
build_gilguard default tool
gilguard="$repo_root/build/default/gilguard"
provide_interpreters "$gilguard"

cd "$repo_root"
log "gilguard check"
GILGUARD_PYTHON_GIL=$GIL_PY GILGUARD_PYTHON_FT=$FT_PY exec "$gilguard" check "$@"
