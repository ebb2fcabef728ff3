#!/usr/bin/env bash
# Installs everything gilguard needs to build, test and build CPython, from
# Debian's packages. Idempotent and non-interactive: packages already present
# are skipped, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git clang-format clang-tidy
  # gilguard's libraries
  libgit2-dev libboost-json1.81-dev libboost-math1.81-dev libfmt-dev
  libgtest-dev libgmock-dev libcurl4-openssl-dev libcli11-dev
  # CPython's build dependencies (the modules the benchmark and tests need)
  make xz-utils libssl-dev zlib1g-dev libffi-dev liblzma-dev libbz2-dev
  libsqlite3-dev libreadline-dev libncurses-dev uuid-dev libgdbm-dev
  # test tooling
  curl jq
)
# Node.js with npm (the test tooling) may come from another packager than
# Debian; ask for Debian's only when no `npm` is on PATH.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
