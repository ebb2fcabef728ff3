#!/usr/bin/env bash
# Step outputs `key` and `prefix` for caching the CPython builds of the cpython-source input:
# the key names the source's content (a tarball's SHA-256; a git checkout's tree at HEAD plus its
# uncommitted changes; otherwise every file of the tree) and the build flags.
# Environment: GILGUARD_SOURCE (path, relative to the workspace), GILGUARD_OPTIMIZE (true|false).
set -euo pipefail
source_path="${GILGUARD_SOURCE:?cpython-source is empty}"
out="${GITHUB_OUTPUT:-/dev/stdout}"

if [ -f "$source_path" ]; then
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
  echo "::error title=gilguard::cpython-source '${source_path//[$'%\r\n']/?}' is neither a file nor a directory; give a CPython tarball or source tree relative to the workspace" >&2
  exit 2
fi

case "${GILGUARD_OPTIMIZE:-false}" in
  true | 1 | yes) flags=pgo-lto ;;
  false | 0 | no | '') flags=plain ;;
  *)
    echo "::error title=gilguard::optimize must be true or false, not '${GILGUARD_OPTIMIZE//[$'%\r\n']/?}'" >&2
    exit 2
    ;;
esac

{
  echo "key=$content-$flags"
  echo "prefix=${XDG_CACHE_HOME:-$HOME/.cache}/gilguard/cpython"
} >>"$out"
