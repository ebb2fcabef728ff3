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

# Builds (or takes from the cache) both CPython flavours; sets GIL_PY and FT_PY.
provide_interpreters() {
  local gilguard=$1
  local source
  source=$("$repo_root/scripts/find-cpython-source.sh")
  log "CPython source: $source"
  local paths
  paths=$("$gilguard" build --source "$source" --flavor both)
  GIL_PY=$(jq -er '.gil' <<<"$paths")
  FT_PY=$(jq -er '.ft' <<<"$paths")
  CPYTHON_SOURCE=$source
  export GIL_PY FT_PY CPYTHON_SOURCE
  log "interpreters: $GIL_PY and $FT_PY"
}
