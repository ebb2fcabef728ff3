#!/usr/bin/env bash
# Builds both CPython flavours from the cpython-source input with `gilguard build` (a no-op when
# the restored cache already holds them) and sets the step outputs `gil` and `ft` to the two
# interpreters. With GILGUARD_REF (the A/B base) it builds that revision of the checkout instead
# (`gilguard build --ref`, the checkout left as it is) and sets `commit` to the commit it names.
# Environment: GILGUARD_SOURCE, GILGUARD_REF, GILGUARD_OPTIMIZE, GILGUARD_PREFIX, and
# GILGUARD_BINARY to use another gilguard than the action's own build.
set -euo pipefail
gilguard="${GILGUARD_BINARY:-$GITHUB_ACTION_PATH/build/default/gilguard}"
args=(build --source "${GILGUARD_SOURCE:?cpython-source is empty}" --flavor both)
[ -n "${GILGUARD_REF:-}" ] && args+=(--ref "$GILGUARD_REF")
[ -n "${GILGUARD_PREFIX:-}" ] && args+=(--prefix "$GILGUARD_PREFIX")
case "${GILGUARD_OPTIMIZE:-false}" in
  true | 1 | yes) args+=(--optimize) ;;
esac
built=$("$gilguard" "${args[@]}")
echo "$built"
{
  echo "gil=$(jq -er .gil <<<"$built")"
  echo "ft=$(jq -er .ft <<<"$built")"
  [ -z "${GILGUARD_REF:-}" ] || echo "commit=$(jq -er .commit <<<"$built")"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
