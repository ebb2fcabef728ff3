#!/usr/bin/env bash
# Step output `hash`: a digest of the gilguard sources the action builds from (CMake files and
# src/), so the cached binary is rebuilt whenever they change even under a moving ref such as
# @main or a local `uses: ./`. Computed here because hashFiles() only sees the workspace.
set -euo pipefail
root="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root"
hash=$(find CMakeLists.txt CMakePresets.json cmake src -type f -print0 2>/dev/null |
  LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
echo "hash=$hash" >>"${GITHUB_OUTPUT:-/dev/stdout}"
