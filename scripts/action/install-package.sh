#!/usr/bin/env bash
# The action's install step: makes a venv of each interpreter flavour (GIL and free-threaded) and
# runs the `install` input in each, in the package's tree, with that venv first on PATH and
# VIRTUAL_ENV set, so `pip install .` builds the package's C extensions once per ABI (cp3XY and
# cp3XYt). Sets the step outputs `gil` and `ft` to the venvs' interpreters, which the check step
# measures. It runs the pull request's code (setup.py, build backends), so, like check.sh, it
# never holds a token. A failed install names the flavour and the tree (head or base), shows the
# tail of its log and exits 1.
# Environment: GILGUARD_INSTALL (the command, run by bash; default `pip install .`),
# GILGUARD_PYTHON_GIL/_FT (the interpreters the venvs are made from), GILGUARD_TREE (the
# directory to run the command in; default the current one), GILGUARD_LABEL (head or base: names
# the venvs and the messages; default head), GILGUARD_LOG_LINES (lines of the log's tail shown
# on failure; default 40), GILGUARD_MODE (the mode input: with `imports` only the free-threaded
# venv is made, the one `gilguard imports` imports in, and no GIL interpreter is needed). With the
# default command, a tree without pyproject.toml or setup.py is not a package: a notice, no
# outputs, exit 0.
set -euo pipefail
# As in check.sh: start again without a token the workflow set for the whole job.
if [ -n "${GITHUB_TOKEN+set}${GH_TOKEN+set}" ]; then
  exec env -u GITHUB_TOKEN -u GH_TOKEN bash "$0" "$@"
fi
install=${GILGUARD_INSTALL:-pip install .}
tree=${GILGUARD_TREE:-.}
label=${GILGUARD_LABEL:-head}
lines=${GILGUARD_LOG_LINES:-40}
flavours=(gil ft)
[ "${GILGUARD_MODE:-check}" != imports ] || flavours=(ft)
# A value in a workflow command stays on one line, without the escape character.
clean() { local s=$1; echo "${s//[$'%\r\n']/?}"; }
fail() {
  echo "::error title=gilguard install::$(clean "$1")"
  exit "${2:-1}"
}
case "$label" in head | base) ;; *) fail "GILGUARD_LABEL must be head or base" 2 ;; esac
[ -d "$tree" ] || fail "the $label's tree $tree is not a directory" 2
tree=$(cd "$tree" && pwd -P)
# The default command in a tree that is not a Python project (a repository that only measures
# CPython, or one whose package base predates its packaging): nothing to install, no outputs, and
# the check measures the interpreters as they are.
if [ "$install" = "pip install ." ] && [ ! -e "$tree/pyproject.toml" ] && [ ! -e "$tree/setup.py" ]; then
  echo "::notice title=gilguard install::the $label's tree has no pyproject.toml or setup.py: nothing installed (set the install input to the command that installs your package)"
  exit 0
fi
venvs="${RUNNER_TEMP:-$PWD}/gilguard/venvs/$label"
mkdir -p "$venvs"

for flavour in "${flavours[@]}"; do
  if [ "$flavour" = gil ]; then
    python=${GILGUARD_PYTHON_GIL:-}
    name="GIL (gil)"
  else
    python=${GILGUARD_PYTHON_FT:-}
    name="free-threaded (ft)"
  fi
  [ -n "$python" ] || fail "no $name interpreter to install the $label into: give python-$flavour, cpython-source or python-version" 2
  venv="$venvs/$flavour"
  log="$venvs/$flavour-install.log"
  rm -rf "$venv"
  echo "::group::install the $label into a $name venv of $(clean "$python")"
  # The venv gets pip from the interpreter's own ensurepip: no index needed for that.
  if ! "$python" -I -m venv "$venv" >"$log" 2>&1; then
    cat "$log"
    echo "::endgroup::"
    fail "cannot make a $name venv of $python for the $label (see its output above); give a CPython with the venv and ensurepip modules"
  fi
  # Shown as it runs and kept for the tail a failure shows.
  set +e
  (
    cd "$tree"
    export VIRTUAL_ENV="$venv"
    export PATH="$venv/bin:$PATH"
    unset PYTHONHOME
    exec bash -eo pipefail -c "$install"
  ) </dev/null 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  set -e
  echo "::endgroup::"
  if [ "$status" -ne 0 ]; then
    echo "--- the last $lines lines of the $label's $name install log ($log):" >&2
    tail -n "$lines" "$log" >&2
    fail "installing the $label into the $name venv failed (exit $status) running '$install' in $tree: see the install log's tail above"
  fi
  echo "$flavour=$venv/bin/python" >>"${GITHUB_OUTPUT:-/dev/stdout}"
done
