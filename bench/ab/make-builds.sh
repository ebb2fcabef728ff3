#!/usr/bin/env bash
# Builds the interpreters of the A/B evaluation (bench/ab/README.md): CPython 3.13.5 from the
# source tarball as a git repository (one commit, "3.13.5"), bench/ab/contention.patch committed
# on top, then both flavours of that commit with `gilguard build --source REPO --ref HEAD`
# (gilguard's own path for building a revision) into the default build cache, and wrapper
# scripts that switch the contention on at a strength N:
#
#   ~/.cache/gilguard/ab/head-gil-N, head-ft-N:  exec env GILGUARD_CONTENTION_EVERY=N python3.13[t]
#
# N=0 is the patched build with the contention off: the A/A reference and the base of the A/B
# runs. gilguard gives its children a scrubbed environment, so the variable is set by the
# wrapper, after the scrub.
#
#   bench/ab/make-builds.sh [--every "0 2 4 8"] [--jobs N]
#
# Environment: GILGUARD (the gilguard binary; default build/default/gilguard),
# GILGUARD_CPYTHON_SOURCE (the tarball; default /work/shared/cpython/python3.13_3.13.5.orig.tar.xz),
# GILGUARD_AB_DIR (the repository and wrappers; default ~/.cache/gilguard/ab).
# Commits have a fixed author and date, so the commit and tree ids are the same on every machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
gilguard=${GILGUARD:-$root/build/default/gilguard}
tarball=${GILGUARD_CPYTHON_SOURCE:-/work/shared/cpython/python3.13_3.13.5.orig.tar.xz}
ab_dir=${GILGUARD_AB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gilguard/ab}
repo=$ab_dir/cpython-3.13.5
patch=$here/contention.patch
every="0 2 3 4 8 12 16 24 32"
jobs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --every) every=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "usage: $0 [--every \"N ...\"] [--jobs N]" >&2; exit 2 ;;
  esac
done
[ -x "$gilguard" ] || { echo "no gilguard at $gilguard: build it (cmake --build build/default) or set GILGUARD" >&2; exit 2; }
[ -f "$tarball" ] || { echo "no CPython tarball at $tarball: set GILGUARD_CPYTHON_SOURCE" >&2; exit 2; }

export GIT_AUTHOR_NAME="gilguard bench" GIT_AUTHOR_EMAIL="bench@gilguard.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2025-06-11T00:00:00Z" GIT_COMMITTER_DATE="2025-06-11T00:00:00Z"
git_() { git -C "$repo" -c core.autocrlf=false -c init.defaultBranch=main "$@"; }
patch_digest=$(sha256sum <"$patch" | cut -c1-16)
subject="contention in fast_mod, switched by GILGUARD_CONTENTION_EVERY (patch $patch_digest)"

# The repository: 3.13.5 exactly as the tarball holds it (ignored files too), then the patch.
if [ "$(git_ log -1 --format=%s 2>/dev/null || true)" != "$subject" ]; then
  if [ "$(git_ log -1 --format=%s HEAD~1 2>/dev/null || true)" = "3.13.5" ] ||
    [ "$(git_ log -1 --format=%s 2>/dev/null || true)" = "3.13.5" ]; then
    git_ reset -q --hard "$(git_ rev-list --max-parents=0 HEAD)"
  else
    rm -rf "$repo"
    mkdir -p "$repo"
    echo "unpacking $tarball into $repo ..." >&2
    tar -xJf "$tarball" -C "$repo" --strip-components=1 --no-same-owner
    git_ init -q
    git_ add -A -f .
    git_ commit -q -m "3.13.5"
  fi
  git_ apply --index "$patch"
  git_ commit -q -m "$subject"
fi
echo "repository $repo: $(git_ log --format='%h %s' -2 | tr '\n' ';')" >&2

built=$("$gilguard" build --source "$repo" --ref HEAD --flavor both --jobs "$jobs")
echo "$built"
gil=$(jq -er .gil <<<"$built")
ft=$(jq -er .ft <<<"$built")

for n in $every; do
  for flavor in gil ft; do
    python=$gil
    [ "$flavor" = ft ] && python=$ft
    wrapper=$ab_dir/head-$flavor-$n
    printf '#!/bin/sh\nexec env GILGUARD_CONTENTION_EVERY=%s %s "$@"\n' "$n" "$python" >"$wrapper.tmp"
    chmod +x "$wrapper.tmp"
    mv "$wrapper.tmp" "$wrapper"
    echo "$wrapper" >&2
  done
done
