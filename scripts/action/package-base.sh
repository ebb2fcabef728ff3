#!/usr/bin/env bash
# The action's package-base step (A/B for a package): writes the base revision of the workspace's
# git checkout into a directory of its own beside it with `gilguard checkout` (libgit2; the
# checkout's work tree, index and HEAD are left as they are), for the install step to build the
# base's pair of venvs from. A shallow checkout that lacks the revision (actions/checkout's
# default, one commit) gets that one commit fetched from origin first, as source-key.sh does for
# a CPython base; when that fails, gilguard's error says how to get the history.
# Step outputs: `dir` (the base's tree), `commit` (the commit the revision names) and `label`
# (the revision as given, for the reports). Runs none of the pull request's code.
# Environment: GILGUARD_REF (the package-base input), GILGUARD_REPO (the checkout; default the
# current directory, the workspace), GILGUARD_BINARY overrides the gilguard to run.
set -euo pipefail
gilguard="${GILGUARD_BINARY:-$GITHUB_ACTION_PATH/build/default/gilguard}"
ref=${GILGUARD_REF:-}
repo=${GILGUARD_REPO:-.}
# A value in a workflow command stays on one line, without the escape character.
clean() { local s=$1; echo "${s//[$'%\r\n']/?}"; }
fail() {
  echo "::error title=gilguard package-base::$(clean "$1")" >&2
  exit 2
}
[ -n "$ref" ] || fail "package-base is empty: give the base revision (commit, branch or tag)"
[[ $ref != -* ]] || fail "package-base '$ref' is not a revision (it starts with a dash)"
if ! git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  fail "package-base needs the workspace to be a git checkout (actions/checkout) of the package"
fi
if ! git -C "$repo" rev-parse --verify --quiet "$ref^{commit}" >/dev/null &&
  [ "$(git -C "$repo" rev-parse --is-shallow-repository)" = true ]; then
  echo "the shallow checkout lacks $ref: fetching that one commit from origin" >&2
  git -C "$repo" fetch --quiet --no-tags --depth=1 origin "$ref" >&2 || true
fi
into="${RUNNER_TEMP:-$PWD}/gilguard/package-base"
rm -rf "$into"
commit=$("$gilguard" checkout --repo "$repo" --ref "$ref" --into "$into") ||
  fail "cannot check out package-base $ref of the workspace (gilguard's error above)"
{
  echo "dir=$into"
  echo "commit=$commit"
  echo "label=$(clean "$ref")"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
