#!/usr/bin/env bash
# Installs what gilguard needs from the distribution's packages (Debian 12 here; Ubuntu 24.04
# on GitHub's runners). Idempotent and non-interactive: packages already present are skipped,
# so a second run costs one dpkg query.
#
#   install-deps.sh            everything: build, CPython build dependencies and test tooling
#   install-deps.sh --build    only what building gilguard and CPython needs (the action uses this)
set -euo pipefail

mode=all
case "${1:-}" in
  "") ;;
  --build) mode=build ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  *) echo "install-deps: unknown option '$1'; pass --build or nothing" >&2; exit 2 ;;
esac

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
updated=false
apt_update() {
  $updated || { "${sudo_cmd[@]}" apt-get update -qq; updated=true; }
}

# The first of the given names the package lists know: Boost's -dev packages carry the Boost
# version in their name on Debian 12 (1.81) and have unversioned names on Ubuntu 24.04.
pick() {
  local name
  for name in "$@"; do
    if apt-cache show "$name" >/dev/null 2>&1; then echo "$name"; return; fi
  done
  apt_update
  for name in "$@"; do
    if apt-cache show "$name" >/dev/null 2>&1; then echo "$name"; return; fi
  done
  echo "install-deps: none of $* is in the package lists; install one by hand" >&2
  exit 2
}

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # gilguard's libraries
  libgit2-dev "$(pick libboost-json1.81-dev libboost-json-dev)"
  "$(pick libboost-math1.81-dev libboost-math-dev)" libfmt-dev libcurl4-openssl-dev libcli11-dev
  libssl-dev jq
  # CPython's build dependencies (the modules the benchmark and tests need)
  make xz-utils zlib1g-dev libffi-dev liblzma-dev libbz2-dev libsqlite3-dev libreadline-dev
  libncurses-dev uuid-dev libgdbm-dev
)
if [ "$mode" = all ]; then
  packages+=(clang-format clang-tidy libgtest-dev libgmock-dev curl)
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
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
