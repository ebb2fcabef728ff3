#!/usr/bin/env bash
# Installs what gilguard needs from the distribution's packages: Debian 12 or newer, Ubuntu 24.04
# or newer (GitHub's ubuntu-24.04 runners). Older releases stop here at once: they lack
# Boost.JSON 1.81 and a C++23 <expected> (Ubuntu 22.04 has Boost 1.74 and g++ 11). Idempotent
# and non-interactive: packages already present are skipped, so a second run costs one dpkg query.
#
#   install-deps.sh            everything: build, CPython build dependencies and test tooling
#   install-deps.sh --build    only what building gilguard and CPython needs (the action uses this)
#
# GILGUARD_OS_RELEASE names the os-release file to read (default /etc/os-release; for tests).
set -euo pipefail

mode=all
case "${1:-}" in
  "") ;;
  --build) mode=build ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "install-deps: unknown option '$1'; pass --build or nothing" >&2; exit 2 ;;
esac

# The release, before anything is installed. Fields are read, never sourced.
os_release=${GILGUARD_OS_RELEASE:-/etc/os-release}
field() { sed -n "s/^$1=//p" "$os_release" 2>/dev/null | head -n1 | tr -d '"'"'"; }
os_id=$(field ID)
os_version=$(field VERSION_ID)
os_name=$(field PRETTY_NAME)
too_old() {
  local message="${os_name:-this system} is too old for gilguard: it needs Ubuntu 24.04 or newer,
or Debian 12 or newer (Boost.JSON 1.81 and a C++23 compiler with <expected>). On GitHub Actions
use runs-on: ubuntu-24.04 (or ubuntu-24.04-arm)."
  message=${message//$'\n'/ }
  echo "install-deps: $message" >&2
  # On a runner, also as an annotation (one line, no escape character).
  [ "${GITHUB_ACTIONS:-}" != true ] || echo "::error title=gilguard::${message//%/?}"
  exit 2
}
# VERSION_ID's major and minor as one number: 22.04 -> 2204, 12 -> 1200.
version_number() {
  local major=${1%%.*} minor=0
  [[ $1 == *.* ]] && minor=${1#*.} && minor=${minor%%.*}
  [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || { echo 0; return; }
  echo $((10#$major * 100 + 10#$minor))
}
case "$os_id" in
  ubuntu) [ "$(version_number "$os_version")" -ge 2404 ] || too_old ;;
  # Debian testing and unstable have no VERSION_ID: newer than any release.
  debian) [ -z "$os_version" ] || [ "$(version_number "$os_version")" -ge 1200 ] || too_old ;;
  *)
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "install-deps: ${os_name:-this system} has no apt-get; gilguard's set-up supports" \
        "Ubuntu 24.04 or newer and Debian 12 or newer. Install the packages listed in" \
        "$0 by hand." >&2
      exit 2
    fi
    echo "install-deps: ${os_name:-unknown system} is neither Debian nor Ubuntu; trying apt-get" \
      "(gilguard needs the packages of Debian 12 / Ubuntu 24.04 or newer)" >&2
    ;;
esac

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
# `sudo` resets the environment, so the frontend rides on the command itself.
apt() { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
updated=false
apt_update() {
  $updated || { apt update -qq; updated=true; }
}

# Sets `picked` to the first of the given names the package lists know: Boost's -dev packages
# carry the Boost version in their name on Debian 12 (1.81) and have unversioned names on Ubuntu
# 24.04. Not called through $(...): a subshell would forget that the lists were updated.
picked=
pick() {
  local name
  for name in "$@"; do
    if apt-cache show "$name" >/dev/null 2>&1; then picked=$name; return; fi
  done
  apt_update
  for name in "$@"; do
    if apt-cache show "$name" >/dev/null 2>&1; then picked=$name; return; fi
  done
  echo "install-deps: none of $* is in the package lists; install one by hand" >&2
  exit 2
}

pick libboost-json1.81-dev libboost-json-dev
boost_json=$picked
pick libboost-math1.81-dev libboost-math-dev
boost_math=$picked
packages=(
  # toolchain, and curl for find-cpython-source.sh's python.org download
  g++ cmake ninja-build pkg-config git curl
  # gilguard's libraries
  libgit2-dev "$boost_json" "$boost_math" libfmt-dev libcurl4-openssl-dev libcli11-dev
  libssl-dev jq
  # CPython's build dependencies (the modules the benchmark and tests need)
  make xz-utils zlib1g-dev libffi-dev liblzma-dev libbz2-dev libsqlite3-dev libreadline-dev
  libncurses-dev uuid-dev libgdbm-dev
)
if [ "$mode" = all ]; then
  packages+=(clang-format clang-tidy libgtest-dev libgmock-dev)
  # The tests build a package with a C extension offline (no index is reachable): pip, setuptools
  # and wheel as wheels, for venvs of the CPython builds (tests/data/packages, docs/packages.md).
  packages+=(python3-setuptools-whl python3-pip-whl python3-wheel-whl)
  # The fuzz targets (scripts/fuzz.sh): clang 19 with libFuzzer and the sanitizer runtimes. An
  # older clang cannot compile gilguard against libstdc++'s <expected>.
  packages+=(clang-19 libclang-rt-19-dev)
  # Node.js with npm (the test tooling) may come from another packager than Debian; ask for
  # Debian's only when no `npm` is on PATH.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
apt_update
apt install -y -qq --no-install-recommends "${missing[@]}"
