#!/usr/bin/env bash
# The action's comment step: gilguard's sticky pull request comment from the comparison (and the
# results) the check step wrote. The only step of the action that gets the token, and it runs
# none of the pull request's code: `gilguard comment` reads the two JSON files and calls the
# REST API (docs/security.md, "The token"). Outside a pull request it says so and exits 0; a
# read-only token (a fork's pull request) is a notice and a failed comment a warning, never a
# failed step: the check step's exit code is the action's verdict.
# Environment: GILGUARD_COMPARISON, GILGUARD_RESULTS (the check step's outputs), GILGUARD_COMMENT
# (auto, always or never), GILGUARD_BASELINES, GITHUB_TOKEN; GILGUARD_BINARY overrides the
# gilguard to run.
set -euo pipefail
gilguard="${GILGUARD_BINARY:-$GITHUB_ACTION_PATH/build/default/gilguard}"
args=(comment --from "${GILGUARD_COMPARISON:?the check step wrote no comparison}"
  --mode "${GILGUARD_COMMENT:-auto}" --on-failure warn)
if [ -n "${GILGUARD_RESULTS:-}" ] && [ -f "$GILGUARD_RESULTS" ]; then
  args+=(--results "$GILGUARD_RESULTS")
fi
[ -n "${GILGUARD_BASELINES:-}" ] && args+=(--baselines "$GILGUARD_BASELINES")
exec "$gilguard" "${args[@]}"
