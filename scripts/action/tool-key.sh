#!/usr/bin/env bash
# Step outputs for caching the gilguard binary:
#   dir  the action's directory with symbolic links and `.` segments resolved: the runner gives a
#        local `uses: ./` the path `<workspace>/./`, and actions/cache (through @actions/glob)
#        rejects a path with a `.` segment, only warning, so nothing was ever cached;
#   binary  the gilguard binary the action builds and caches there (the action's output
#        `gilguard`, so later steps can call it);
#   key  what the binary depends on: the OS release (ID and VERSION_ID of /etc/os-release: the
#        shared libraries it links differ between releases), the compiler's version, and a
#        digest of the sources it is built from (CMake files and src/), computed here because
#        hashFiles() only sees the workspace. Moving refs (@main, a local `uses: ./`) rebuild
#        whenever the sources change.
# Environment: GITHUB_ACTION_PATH (default: this script's repository), CXX (default c++),
# GILGUARD_OS_RELEASE (default /etc/os-release).
set -euo pipefail
root=$(cd "${GITHUB_ACTION_PATH:-$(dirname "$0")/../..}" && pwd -P)
cd "$root"
hash=$(find CMakeLists.txt CMakePresets.json cmake src -type f -print0 2>/dev/null |
  LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)

os_release=${GILGUARD_OS_RELEASE:-/etc/os-release}
field() { sed -n "s/^$1=//p" "$os_release" 2>/dev/null | head -n1 | tr -d '"'"'"; }
os="$(field ID)-$(field VERSION_ID)"
# CMake's choice: CXX, else c++. The key keeps only characters a cache key may hold.
compiler=$("${CXX:-c++}" --version 2>/dev/null | head -n1 || true)
compiler=$(printf '%s' "${compiler:-unknown}" | tr -c 'A-Za-z0-9._+-' '_' | cut -c1-80)

{
  echo "dir=$root"
  echo "binary=$root/build/default/gilguard"
  echo "key=$os-$compiler-$hash"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
