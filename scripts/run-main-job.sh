#!/usr/bin/env bash
# The main job on a fresh machine: install the build dependencies, build the gilguard executable
# (not the tests: only what the job runs, as the action does), build (or take from the cache)
# both CPython flavours of one version, and run `gilguard check` on its embedded default: the
# prime workload, both interpreters, ./baselines. Extra arguments go to `gilguard check`.
#
#   GILGUARD_PYTHON_VERSION=3.13 ./scripts/run-main-job.sh [CHECK-ARGUMENTS...]
#
# GILGUARD_PYTHON_VERSION: the CPython version to measure, 3.13 or 3.14; default 3.14, the
# version the action installs by default. The source comes from scripts/find-cpython-source.sh
# (GILGUARD_CPYTHON_SOURCE_3_13 / _3_14 name one).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

python_version=${GILGUARD_PYTHON_VERSION:-3.14}

"$repo_root/scripts/install-deps.sh" --build
build_gilguard default tool
gilguard="$repo_root/build/default/gilguard"
provide_interpreters "$gilguard" "$python_version"

cd "$repo_root"
log "gilguard check (CPython $python_version)"
GILGUARD_PYTHON_GIL=$GIL_PY GILGUARD_PYTHON_FT=$FT_PY exec "$gilguard" check "$@"
