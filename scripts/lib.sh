# Shared by the set-up scripts: paths and the steps both of them take.
# shellcheck shell=bash

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/gilguard

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Configures and builds gilguard with the given CMake preset: the whole tree (tests included),
# or with `tool` only the gilguard executable, as the action builds it.
build_gilguard() {
  local preset=$1 scope=${2:-all}
  if [ "$scope" = tool ]; then
    log "building gilguard (preset $preset, the executable only)"
    cmake --preset "$preset" -S "$repo_root" -DGILGUARD_BUILD_TESTS=OFF >/dev/null
    cmake --build --preset "$preset" --target gilguard
  else
    log "building gilguard (preset $preset)"
    cmake --preset "$preset" -S "$repo_root" -DGILGUARD_BUILD_TESTS=ON >/dev/null
    cmake --build --preset "$preset"
  fi
}

# provide_interpreters GILGUARD VERSION: builds (or takes from the cache) both CPython flavours of
# VERSION (3.13 or 3.14, see find-cpython-source.sh) with the gilguard executable GILGUARD; sets
# GIL_PY, FT_PY and CPYTHON_SOURCE.
provide_interpreters() {
  local gilguard=$1 version=${2:?provide_interpreters GILGUARD VERSION: give the CPython version}
  local source
  source=$("$repo_root/scripts/find-cpython-source.sh" "$version")
  log "CPython $version source: $source"
  local paths
  paths=$("$gilguard" build --source "$source" --flavor both)
  GIL_PY=$(jq -er '.gil' <<<"$paths")
  FT_PY=$(jq -er '.ft' <<<"$paths")
  CPYTHON_SOURCE=$source
  export GIL_PY FT_PY CPYTHON_SOURCE
  log "CPython $version interpreters: $GIL_PY and $FT_PY"
}
