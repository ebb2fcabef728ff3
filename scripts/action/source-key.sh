#!/usr/bin/env bash
# Step outputs `key` and `prefix` for caching the CPython builds of one source: the key names the
# source's content (a tarball's SHA-256; a git checkout's tree at HEAD plus its uncommitted
# changes; otherwise every file of the tree) and the build flags, and the prefix is a directory
# of its own under the gilguard cache, so that a cache entry holds exactly this source's builds.
# With GILGUARD_REF, a revision of the git checkout GILGUARD_SOURCE (the A/B base), the content
# is that revision's tree, spelled as a clean checkout of it is: the base of a pull request then
# finds the entry that a run on its base branch saved (key and paths both match). A shallow
# checkout that lacks the revision gets it with a fetch of that one commit from origin.
# Environment: GILGUARD_SOURCE (path, relative to the workspace), GILGUARD_OPTIMIZE (true|false),
# GILGUARD_REF (optional).
set -euo pipefail
source_path="${GILGUARD_SOURCE:?cpython-source is empty}"
ref="${GILGUARD_REF:-}"
out="${GITHUB_OUTPUT:-/dev/stdout}"
# A value in a workflow command stays on one line, without the escape character.
clean() { local s=$1; echo "${s//[$'%\r\n']/?}"; }
if [ -n "$ref" ]; then
  if [[ $ref == -* ]] || ! git -C "$source_path" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "::error title=gilguard::cpython-base '$(clean "$ref")' needs cpython-source to be a git checkout and a revision (commit, branch or tag) of it" >&2
    exit 2
  fi
  tree=$(git -C "$source_path" rev-parse --verify --quiet "$ref^{tree}" || true)
  shallow=$(git -C "$source_path" rev-parse --is-shallow-repository)
  # A shallow clone (actions/checkout's default fetches one commit) lacks the base: fetch that
  # one commit, as actions/checkout fetches the head, rather than the whole history.
  if [ -z "$tree" ] && [ "$shallow" = true ] &&
    git -C "$source_path" fetch --quiet --no-tags --depth=1 origin "$ref" >&2; then
    tree=$(git -C "$source_path" rev-parse --verify --quiet "$ref^{tree}" || true)
  fi
  if [ -z "$tree" ]; then
    hint="fetch it (git fetch origin $ref)"
    [ "$shallow" = true ] &&
      hint="the checkout is shallow: check out with fetch-depth: 0 (actions/checkout), or $hint"
    echo "::error title=gilguard::cpython-base $(clean "$ref") is not in the checkout $(clean "$source_path"); $(clean "$hint")" >&2
    exit 2
  fi
  # A clean checkout's changes digest is that of no changes at all (sha256 of nothing).
  content="$tree-e3b0c44298fc1c14"
elif [ -f "$source_path" ]; then
  content=$(sha256sum <"$source_path" | cut -c1-64)
elif [ -d "$source_path" ] && git -C "$source_path" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # The tree of this directory (it may be a subdirectory of the checkout) and its changes.
  tree=$(git -C "$source_path" rev-parse 'HEAD:./')
  changes=$({
    git -C "$source_path" diff HEAD --binary -- .
    git -C "$source_path" ls-files --others --exclude-standard
  } | sha256sum | cut -c1-16)
  content="$tree-$changes"
elif [ -d "$source_path" ]; then
  content=$(cd "$source_path" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
    sha256sum | cut -c1-64)
else
  echo "::error title=gilguard::cpython-source '$(clean "$source_path")' is neither a file nor a directory; give a CPython tarball or source tree relative to the workspace" >&2
  exit 2
fi

case "${GILGUARD_OPTIMIZE:-false}" in
  true | 1 | yes) flags=pgo-lto ;;
  false | 0 | no | '') flags=plain ;;
  *)
    echo "::error title=gilguard::optimize must be true or false, not '$(clean "$GILGUARD_OPTIMIZE")'" >&2
    exit 2
    ;;
esac

{
  echo "key=$content-$flags"
  echo "prefix=${XDG_CACHE_HOME:-$HOME/.cache}/gilguard/cpython/$content-$flags"
} >>"$out"
