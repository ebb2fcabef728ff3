#!/usr/bin/env bash
# Prints the path of a verified CPython source tarball (or of a source tree) of one version, for
# `gilguard build --source`.
#
#   find-cpython-source.sh [VERSION]
#   find-cpython-source.sh --versions    (prints the versions it knows, one a line)
#
# VERSION is 3.13 (release 3.13.5) or 3.14 (release 3.14.7); without it 3.14, the version the
# action installs by default. In order:
#   1. $GILGUARD_CPYTHON_SOURCE_3_13 or $GILGUARD_CPYTHON_SOURCE_3_14, the asked version's, when
#      set; else $GILGUARD_CPYTHON_SOURCE, which names the source for whatever version is asked
#      (so set it only when asking for one version). It must exist; a tarball is checked against
#      a <file>.sha256 beside it or the digests below;
#   2. a tarball already downloaded to the cache ($XDG_CACHE_HOME or ~/.cache)/gilguard/sources;
#   3. python.org's Python-<release>.tar.xz (short timeout);
#   4. Debian's python3.X source package, in a private apt configuration that leaves the system's
#      untouched, the newest version its mirror serves: python3.13 from trixie (3.13.5,
#      python.org's tarball byte for byte); python3.14 from forky or sid (newer than 3.14.7, so
#      apt's check against the signed archive index vouches for it).
# Whatever is found must be the asked version (Include/patchlevel.h of the tree or in the
# tarball), or the script fails naming the file. Only the path goes to stdout; progress and
# errors go to stderr. Exit 1 when nothing works, 2 for an unknown VERSION.
set -euo pipefail

readonly default_version=3.14
declare -A releases=([3.13]=3.13.5 [3.14]=3.14.7)
# Debian suites with the python3.X source package.
declare -A debian_suites=([3.13]=trixie [3.14]="forky sid")
# Known SHA-256 digests, by file name. Debian's orig tarball of 3.13.5 is python.org's release
# tarball byte for byte (22,856,016 bytes), so both names share one digest. Python-3.14.7.tar.xz's
# is python.org's published one (python.org is not reachable from this project's machines; two
# independent records of it agree): ../shared/cpython's file of that name is a `git archive` of a
# checked tree, another file, and verifies through the .sha256 beside it, which comes first.
declare -A known_sha256=(
  [Python-3.13.5.tar.xz]=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
  [python3.13_3.13.5.orig.tar.xz]=93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640
  [Python-3.14.7.tar.xz]=3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81
)
readonly cache_dir=${XDG_CACHE_HOME:-$HOME/.cache}/gilguard/sources
readonly debian_mirror=${GILGUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf 'find-cpython-source: %s\n' "$*" >&2; }

case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 0
    ;;
  --versions)
    printf '%s\n' "${!releases[@]}" | sort -V
    exit 0
    ;;
esac
readonly version=${1:-$default_version}
if [ -z "${releases[$version]:-}" ]; then
  say "unknown CPython version '$version'; pass 3.13 or 3.14 (no argument: $default_version)"
  exit 2
fi
readonly release=${releases[$version]}
readonly upstream_name=Python-$release.tar.xz
readonly upstream_url=https://www.python.org/ftp/python/$release/$upstream_name
readonly package=python$version
readonly version_variable=GILGUARD_CPYTHON_SOURCE_${version//./_}

absolute() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }

# verify FILE [trusted-by]: succeeds when FILE's SHA-256 matches FILE.sha256 beside it (the
# `sha256sum` format: "<hex>  <name>"), else the digest known for its name, else any known
# digest. With no expectation at all it is accepted only when a second argument says who
# vouches for it (apt checks downloads against the signed archive index).
verify() {
  local file=$1 trusted_by=${2:-} name actual expected="" hint
  name=$(basename "$file")
  actual=$(sha256sum "$file" | cut -d' ' -f1)
  if [ -f "$file.sha256" ]; then
    expected=$(awk 'NR == 1 { print $1 }' "$file.sha256")
    hint="a damaged or wrong file, or a stale $file.sha256"
  elif [ -n "${known_sha256[$name]:-}" ]; then
    expected=${known_sha256[$name]}
    hint="the release's digest for that name: a damaged or different file; if it is a"
    hint="$hint different archive of a source you trust, put '<sha256>  $name' into $file.sha256"
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
    say "SHA-256 mismatch for $file: expected $expected, got $actual ($hint)"
    return 1
  fi
}

# The PY_VERSION ("3.14.7") of a CPython source tree or tarball, from Include/patchlevel.h (at the
# top of a tree, or one directory down in a tarball, as releases and `git archive --prefix` put
# it); empty when there is none. A tarball is read only up to that file.
source_version() {
  local source=$1 text
  if [ -d "$source" ]; then
    text=$(cat "$source/Include/patchlevel.h" 2>/dev/null || true)
  else
    text=$(tar --occurrence=1 --wildcards -xOf "$source" '*/Include/patchlevel.h' 2>/dev/null ||
      true)
  fi
  sed -n 's/^#define[[:space:]]\{1,\}PY_VERSION[[:space:]]\{1,\}"\([^"]*\)".*/\1/p' <<<"$text" |
    head -n 1
}

# check_version SOURCE WHAT FIX: succeeds when SOURCE is CPython $version.x; else says what it is
# and what to do (WHAT names where SOURCE came from, FIX is the advice).
check_version() {
  local source=$1 what=$2 fix=$3 found
  found=$(source_version "$source")
  if [ -z "$found" ]; then
    say "$what has no Include/patchlevel.h with a PY_VERSION, so it is not a CPython source" \
      "$([ -d "$source" ] && echo tree || echo tarball); $fix"
    return 1
  fi
  if [ "$found" != "$version" ] && [[ $found != "$version".* ]]; then
    say "$what is CPython $found, not $version; $fix"
    return 1
  fi
}

from_environment() {
  local variable=$1
  local source=${!variable}
  local fix="point $variable at a CPython $version source tarball (e.g. $upstream_name) or tree"
  if [ "$variable" = GILGUARD_CPYTHON_SOURCE ]; then
    fix="$fix, or set $version_variable for this version (GILGUARD_CPYTHON_SOURCE names the"
    fix="$fix source of every version asked), or unset it to download one"
  else
    fix="$fix, or unset it to download one"
  fi
  if [ ! -e "$source" ]; then
    say "$variable=$source does not exist; $fix"
    exit 1
  fi
  if [ ! -d "$source" ] && ! verify "$source"; then
    say "$variable=$source failed verification; fix or replace the file"
    exit 1
  fi
  check_version "$source" "$variable=$source" "$fix" || exit 1
  absolute "$source"
  exit 0
}

from_cache() {
  local file
  for file in "$cache_dir/$upstream_name" "$cache_dir/debian/${package}_"*.orig.tar.xz; do
    if [ -f "$file" ] && verify "$file" "the earlier download" 2>/dev/null &&
      check_version "$file" "the cached $file" "delete it" 2>/dev/null; then
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
  # One apt state per version: each has its own suites, and an update for one must not drop the
  # other's lists.
  local apt_dir=$cache_dir/apt/$package work=$cache_dir/debian suites=${debian_suites[$version]}
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" \
    "$work"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg suite
  for suite in $suites; do
    printf 'deb-src [signed-by=%s] %s %s main\n' "$keyring" "$debian_mirror" "$suite"
  done >"$apt_dir/sources.list"
  local options=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o Acquire::Retries=0 -o Acquire::http::Timeout=20 -o Debug::NoLocking=1
  )
  say "trying Debian's $package source package (${suites// /, }; $debian_mirror)"
  if ! timeout 300 apt-get -qq "${options[@]}" update >&2; then
    say "cannot read the source index of ${suites// / and } from $debian_mirror"
    return 1
  fi
  # Newest first; an older one when the mirror no longer (or not yet) has a version's files.
  local versions candidate downloaded=""
  versions=$(apt-cache "${options[@]}" showsrc "$package" 2>/dev/null |
    awk '/^Version: / { print $2 }' | sort -Vru)
  for candidate in $versions; do
    if (cd "$work" && timeout 600 apt-get -qq "${options[@]}" source --download-only \
      "$package=$candidate" >&2); then
      downloaded=$candidate
      break
    fi
    say "apt-get source $package=$candidate failed"
  done
  if [ -z "$downloaded" ]; then
    say "no version of Debian's $package source package could be downloaded" \
      "(versions in the index: ${versions//$'\n'/, })"
    return 1
  fi
  # The orig tarball is named by the upstream version: no epoch, no Debian revision.
  local upstream=${downloaded#*:}
  local file=$work/${package}_${upstream%-*}.orig.tar.xz
  if [ ! -f "$file" ]; then
    say "the source package $package=$downloaded has no $(basename "$file")"
    return 1
  fi
  verify "$file" "apt's check against the signed Debian archive index" || return 1
  check_version "$file" "Debian's $file" "report this (the package is not $package)" || return 1
  printf '%s\n' "$file"
}

if [ -n "${!version_variable:-}" ]; then from_environment "$version_variable"; fi
if [ -n "${GILGUARD_CPYTHON_SOURCE:-}" ]; then from_environment GILGUARD_CPYTHON_SOURCE; fi
from_cache || from_python_org || from_debian || {
  digest=${known_sha256[$upstream_name]}
  say "no CPython $version source found. Set $version_variable (or GILGUARD_CPYTHON_SOURCE)" \
    "to a CPython $version source tarball (e.g. $upstream_name, SHA-256 $digest) or source" \
    "tree, or make python.org or Debian's archive reachable, then run this again"
  exit 1
}
