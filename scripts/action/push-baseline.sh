#!/usr/bin/env bash
# Pushes the commit `gilguard baseline update --commit` made (HEAD) to a branch, rebasing on
# whatever reached the branch meanwhile (in a matrix each job commits its own baseline file, so
# every job after the first must rebase). Bounded: a few attempts, then a clear failure.
#
#   push-baseline.sh [BRANCH]     default: $GITHUB_REF_NAME
#
# The rebase rewrites the commit and so needs a committer identity, which a runner does not have
# ("Committer identity unknown"): like gilguard's own commit it takes GIT_COMMITTER_NAME/_EMAIL,
# else git's user.name/user.email, else gilguard-bot. A failed rebase is aborted, never left
# half done. Environment: GILGUARD_PUSH_REMOTE (origin), GILGUARD_PUSH_ATTEMPTS (5),
# GILGUARD_PUSH_DELAY (seconds before the second attempt, doubled after each; 2).
set -euo pipefail
branch=${1:-${GITHUB_REF_NAME:-}}
remote=${GILGUARD_PUSH_REMOTE:-origin}
attempts=${GILGUARD_PUSH_ATTEMPTS:-5}
delay=${GILGUARD_PUSH_DELAY:-2}
# A value in a workflow command stays on one line, without the escape character.
clean() { local s=$1; echo "${s//[$'%\r\n']/?}"; }
fail() {
  echo "::error title=gilguard baseline push::$(clean "$1")"
  exit 1
}
case "${GITHUB_EVENT_NAME:-}" in
  pull_request*) fail "a pull request run has no branch of its own to push a baseline to; record baselines on the default branch (workflow_dispatch or push)" ;;
esac
[ -n "$branch" ] || fail "no branch to push to: pass one or set GITHUB_REF_NAME"
[[ $attempts =~ ^[1-9][0-9]*$ ]] || fail "GILGUARD_PUSH_ATTEMPTS must be a positive number"

# The identity the rebase commits with (the author of the baseline commit is kept).
committer_name=${GIT_COMMITTER_NAME:-$(git config user.name || true)}
committer_email=${GIT_COMMITTER_EMAIL:-$(git config user.email || true)}
export GIT_COMMITTER_NAME=${committer_name:-gilguard-bot}
export GIT_COMMITTER_EMAIL=${committer_email:-gilguard-bot@users.noreply.github.com}

for ((attempt = 1; attempt <= attempts; attempt++)); do
  if output=$(git push "$remote" "HEAD:refs/heads/$branch" 2>&1); then
    echo "$output"
    echo "pushed the baseline commit to $branch (attempt $attempt)" >&2
    exit 0
  fi
  echo "$output" >&2
  case "$output" in
    *"protected branch"* | *GH006* | *GH013* | *"rule violation"*)
      fail "$branch is protected and rejects pushes from this token: push with a GitHub App token that may bypass the protection, or open a pull request with the baseline commit instead (docs/action.md, 'Protected branches')"
      ;;
    *"Permission to"*"denied"* | *"returned error: 403"* | *"Authentication failed"* | *"could not read Username"*)
      fail "the token may not push to $branch: give the workflow 'permissions: contents: write' and check out with persist-credentials (the default)"
      ;;
  esac
  [ "$attempt" -lt "$attempts" ] || break
  echo "push rejected (attempt $attempt of $attempts); rebasing on the new $branch" >&2
  if ! git fetch --quiet "$remote" "refs/heads/$branch"; then
    fail "cannot fetch $branch from $remote to rebase on"
  fi
  if ! git rebase --quiet FETCH_HEAD; then
    git rebase --abort || true
    fail "the baseline commit does not rebase cleanly on $branch (another job changed the same baseline file?); nothing was pushed. Give each job its own baseline-key, or run the update again."
  fi
  sleep "$delay"
  delay=$((delay * 2))
done
fail "the push to $branch was still rejected after $attempts attempts (the branch keeps moving); run the update again"
