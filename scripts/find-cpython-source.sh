#!/usr/bin/env bash
# Prints the path of a verified CPython source tarball (or of a source tree), for
# `gilguard build --source`. In order:
#   1. $GILGUARD_CPYTHON_SOURCE, when set (it must exist; a tarball is checked against a
#      <file>.sha256 beside it or the digests below);
#   2. a tarball already downloaded to the cache ($XDG_CACHE_HOME or ~/.cache)/gilguard/sources;
#   3. python.org's Python-$version.tar.xz (short timeout);
#   4. Debian's python3.13 source package (deb-src for trixie, in a private apt configuration
#      that leaves the system's untouched).
# Only the path goes to stdout; progress and errors go to stderr. Exit 1 when nothing works.
set -euo pipefail

readonly version=3.13.5
readonly upstream_name=Python-$version.tar.xz
readonly upstream_url=https://www.python.org/ftp/python/$version/$upstream_name
# Known SHA-256 digests. Debian's orig tarball of 3.13.5 is python.org's release tarball byte
# for byte (22,856,016 bytes), so both names share one digest.
declare -A known_sha256=(
  [$upstream_name]=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
  [python3.13_$version.orig.tar.xz]=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
)
readonly cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/gilguard/sources
readonly debian_mirror=${GILGUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf 'find-cpython-source: %s\n' "$*" >&2; }

absolute() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }

# verify FILE [trusted-by]: succeeds when FILE's SHA-256 matches FILE.sha256 beside it (the
# `sha256sum` format: "<hex>  <name>"), else the digest known for its name, else any known
# digest. With no expectation at all it is accepted only when a second argument says who
# vouches for it (apt checks downloads against the signed archive index).
verify() {
  local file=$1 trusted_by=${2:-} name actual expected=""
  name=$(basename "$file")
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  if [ -f "$file.sha256" ]; then
    expected=$(awk 'NR == 1 { print $1 }' "$file.sha256")
  elif [ -n "${known_sha256[$name]:-}" ]; then
    expected=${known_sha256[$name]}
  else
    local digest
    for digest in "${known_sha256[@]}"; do
      if [ "$actual" = "$digest" ]; then return 0; fi
    done
    if [ -n "$trusted_by" ]; then
      say "no known SHA-256 for $name; relying on $trusted_by"
      return 0
    fi
    say "no known SHA-256 for $name ($actual); put '<sha256>  $name' into $file.sha256 to use it"
    return 1
  fi
  if [ "$actual" != "$expected" ]; then
    say "SHA-256 mismatch for $file: expected $expected, got $actual (a damaged or wrong file)"
    return 1
  fi
}

from_environment() {
  local source=$GILGUARD_CPYTHON_SOURCE
  if [ ! -e "$source" ]; then
    say "GILGUARD_CPYTHON_SOURCE=$source does not exist; point it at a CPython source tarball" \
      "(e.g. $upstream_name) or source tree, or unset it to download one"
    exit 1
  fi
  if [ -d "$source" ]; then
    absolute "$source"
    exit 0
  fi
  if ! verify "$source"; then
    say "GILGUARD_CPYTHON_SOURCE=$source failed verification; fix or replace the file"
    exit 1
  fi
  absolute "$source"
  exit 0
}

from_cache() {
  local file
  for file in "$cache_dir/$upstream_name" "$cache_dir"/debian/python3.13_*.orig.tar.xz; do
    if [ -f "$file" ] && verify "$file" "the earlier download" 2>/dev/null; then
      printf '%s\n' "$file"
      return 0
    fi
  done
  return 1
}

from_python_org() {
  command -v curl >/dev/null || return 1
  mkdir -p "$cache_dir"
  local part=$cache_dir/$upstream_name.part
  say "downloading $upstream_url"
  if ! curl --fail --silent --show-error --location --max-time 10 --output "$part" \
    "$upstream_url" 2>/dev/null; then
    rm -f "$part"
    say "python.org is not reachable"
    return 1
  fi
  if ! verify "$part" || ! mv "$part" "$cache_dir/$upstream_name"; then
    rm -f "$part"
    return 1
  fi
  printf '%s\n' "$cache_dir/$upstream_name"
}

from_debian() {
  command -v apt-get >/dev/null || return 1
  local apt_dir=$cache_dir/apt work=$cache_dir/debian
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" \
    "$work"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  printf 'deb-src [signed-by=%s] %s trixie main\n' "$keyring" "$debian_mirror" \
    >"$apt_dir/sources.list"
  local options=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o Acquire::Retries=0 -o Acquire::http::Timeout=20 -o Debug::NoLocking=1
  )
  say "trying Debian's python3.13 source package (trixie, $debian_mirror)"
  if ! timeout 300 apt-get -qq "${options[@]}" update >&2; then
    say "cannot read the trixie source index from $debian_mirror"
    return 1
  fi
  if ! (cd "$work" && timeout 600 apt-get -qq "${options[@]}" source --download-only \
    python3.13 >&2); then
    say "apt-get source python3.13 failed"
    return 1
  fi
  local file
  file=$(find "$work" -maxdepth 1 -name 'python3.13_*.orig.tar.xz' | sort -V | tail -n 1)
  if [ -z "$file" ]; then
    say "the source package has no python3.13_*.orig.tar.xz"
    return 1
  fi
  verify "$file" "apt's check against the signed Debian archive index" || return 1
  printf '%s\n' "$file"
}

if [ -n "${GILGUARD_CPYTHON_SOURCE:-}" ]; then from_environment; fi
from_cache || from_python_org || from_debian || {
  say "no CPython source found. Set GILGUARD_CPYTHON_SOURCE to a CPython source tarball" \
    "(e.g. $upstream_name, SHA-256 ${known_sha256[$upstream_name]}) or source tree," \
    "or make python.org or Debian's archive reachable, then run this again"
  exit 1
}
