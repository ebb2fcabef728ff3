#!/usr/bin/env bash
# The action's main step, the one that runs the pull request's code (the workload, the package,
# the interpreters), and so gets no token: the sticky comment is the later comment step's
# (comment.sh). mode=check: `gilguard check --comment never`, which inside GitHub Actions writes
# the annotations, the job summary and the step outputs. mode=update: the same run without
# failing on a regression, then `gilguard baseline update --commit`; the workflow pushes the
# commit. mode=imports: `gilguard imports`, the import check alone (no rounds, no comparison).
# Every input arrives as an environment variable (never spliced into this script):
# GILGUARD_PYTHON_GIL/_FT, GILGUARD_MODE, GILGUARD_THREADS, GILGUARD_RANGE, GILGUARD_TIME_BUDGET,
# GILGUARD_THRESHOLD, GILGUARD_GATE_SINGLE_THREAD (yes, no or auto), GILGUARD_IMPORT (modules,
# newline- or comma-separated: passed as one
# --import, which gilguard splits), GILGUARD_WORKLOAD (--workload: primes, builtin:NAME or
# FILE.py[:FUNCTION]; empty means primes), GILGUARD_BASELINES, GILGUARD_BASELINE_KEY,
# GILGUARD_FAIL_ON_REGRESSION; GILGUARD_BASE_GIL/_FT, the base's two interpreters
# for an A/B check (mode check only) and GILGUARD_BASE_LABEL, its revision; GILGUARD_DISTRIBUTION
# (mode imports: distributions, newline- or comma-separated, each passed as --distribution);
# GILGUARD_BINARY overrides the gilguard to run.
set -euo pipefail
# The action gives this step no token, but a workflow may set one for the whole job (env: at the
# job level). Then start again without it: unsetting is not enough, /proc/PID/environ of this
# shell (gilguard's parent in update mode) would still show the block it started with.
if [ -n "${GITHUB_TOKEN+set}${GH_TOKEN+set}" ]; then
  exec env -u GITHUB_TOKEN -u GH_TOKEN bash "$0" "$@"
fi
gilguard="${GILGUARD_BINARY:-$GITHUB_ACTION_PATH/build/default/gilguard}"
mode="${GILGUARD_MODE:-check}"
baselines="${GILGUARD_BASELINES:-baselines}"
out_dir="${RUNNER_TEMP:-$PWD}/gilguard"
mkdir -p "$out_dir"
results="$out_dir/gilguard-results.json"
comparison="$out_dir/gilguard-comparison.json"
imports=${GILGUARD_IMPORT:-}

if [ "$mode" = imports ]; then
  # The import check alone, no rounds: the modules of the import input and every compiled
  # extension module of each distribution named (newline- or comma-separated).
  args=(imports)
  [ -n "${GILGUARD_PYTHON_FT:-}" ] && args+=(--ft "$GILGUARD_PYTHON_FT")
  [ -n "${imports//[$' \t\r\n,']/}" ] && args+=(--import "$imports")
  while IFS= read -r name; do
    name="${name//[$' \t\r']/}"
    [ -n "$name" ] && args+=(--distribution "$name")
  done < <(printf '%s\n' "${GILGUARD_DISTRIBUTION:-}" | tr ',' '\n')
  exec "$gilguard" "${args[@]}"
fi

args=(check --baselines "$baselines" --results "$results" --comparison "$comparison")
[ -n "${GILGUARD_PYTHON_GIL:-}" ] && args+=(--gil "$GILGUARD_PYTHON_GIL")
[ -n "${GILGUARD_PYTHON_FT:-}" ] && args+=(--ft "$GILGUARD_PYTHON_FT")
[ -n "${GILGUARD_THREADS:-}" ] && args+=(--threads "$GILGUARD_THREADS")
[ -n "${GILGUARD_RANGE:-}" ] && args+=(--range "$GILGUARD_RANGE")
[ -n "${GILGUARD_TIME_BUDGET:-}" ] && args+=(--time-budget "$GILGUARD_TIME_BUDGET")
[ -n "${GILGUARD_THRESHOLD:-}" ] && args+=(--threshold "$GILGUARD_THRESHOLD")
[ -n "${GILGUARD_GATE_SINGLE_THREAD:-}" ] && args+=(--gate-single-thread "$GILGUARD_GATE_SINGLE_THREAD")
[ -n "${GILGUARD_BASELINE_KEY:-}" ] && args+=(--baseline-key "$GILGUARD_BASELINE_KEY")
[ -n "${imports//[$' \t\r\n,']/}" ] && args+=(--import "$imports")
[ -n "${GILGUARD_WORKLOAD:-}" ] && args+=(--workload "$GILGUARD_WORKLOAD")

case "$mode" in
  check)
    # A/B: the head measured against the base's interpreters in the same rounds.
    [ -n "${GILGUARD_BASE_GIL:-}" ] && args+=(--base-gil "$GILGUARD_BASE_GIL")
    [ -n "${GILGUARD_BASE_FT:-}" ] && args+=(--base-ft "$GILGUARD_BASE_FT")
    [ -n "${GILGUARD_BASE_FT:-}" ] && [ -n "${GILGUARD_BASE_LABEL:-}" ] &&
      args+=(--base-label "$GILGUARD_BASE_LABEL")
    args+=(--comment never --fail-on-regression "${GILGUARD_FAIL_ON_REGRESSION:-true}")
    exec "$gilguard" "${args[@]}"
    ;;
  update)
    # A regression against the old baseline is what an update records; failed checks still stop
    # here (exit 1) and nothing is written.
    "$gilguard" "${args[@]}" --comment never --fail-on-regression false
    update=(baseline update "$results" --baselines "$baselines" --commit)
    [ -n "${GILGUARD_BASELINE_KEY:-}" ] && update+=(--baseline-key "$GILGUARD_BASELINE_KEY")
    exec "$gilguard" "${update[@]}"
    ;;
  *)
    # The value goes into a workflow command: keep it on one line with no escape character.
    echo "::error title=gilguard::the mode input must be check, update or imports, not '${mode//[$'%\r\n']/?}'" >&2
    exit 2
    ;;
esac
