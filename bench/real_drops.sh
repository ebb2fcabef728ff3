#!/usr/bin/env bash
# Real positive controls for the stored-baseline verdict (issue 20, "Evaluation"): changes of a
# known size, measured end to end through `gilguard run`, `gilguard baseline update` and
# `gilguard check`, instead of recorded rounds scaled by (1 - d).
#
# The change: a user workload (`--workload FILE.py`) whose function holds one process-wide
# threading.Lock for a share S of the work of each call. Threads of the free-threaded build
# queue on it; the reference processes (forked, one lock each) do not, so the free-threaded
# speedup against processes (`ft-relative-2`, the gated metric) drops. Each strength rewrites the
# same file (one path, so one baseline key) with S written into it, as a code change would.
#
# One sitting, in this order (nothing else may run beside it; it takes about 1.5-2 hours with
# the defaults on 2 CPUs):
#   1. facts: the machine as gilguard sees it, the load, the steal;
#   2. the range: a short `run` at S = 0 sizes it (0.25 s sequential); every later run uses it;
#   3. calibration (unless --shares): one short `run` per share of --search, drop against S = 0,
#      and the shares for --targets interpolated from them;
#   4. the baseline: --baseline-runs `run`s at S = 0 (check's time budget), each added with
#      `baseline update` to a temporary baselines directory;
#   5. per strength: the true drop from --truth-runs short `run`s at S = 0 and S alternating
#      (the median ratio at S over the median at S = 0, same sitting, with a bootstrap 90%
#      interval), then --checks `gilguard check`s at S against the baseline;
#      --aa-checks checks at S = 0 first, the A/A control;
#   6. OUT/results.json and OUT/summary.txt (bench/real_drops.py): caught (overall regression),
#      inconclusive, passed, other, per strength, with the true drop beside each row.
#
# With --changed LABEL GIL FT (repeatable) the change is a CPython build instead: the baseline
# is GIL_PY/FT_PY, each strength is a changed pair, and the workload is check's default (primes,
# range 200,000). For the contention patch of the A/B evaluation (bench/ab/README.md), the base
# is the patched build switched off and the strengths the wrappers bench/ab/make-builds.sh
# writes:
#   W=~/.cache/gilguard/ab
#   bench/real_drops.sh build/default/gilguard $W/head-gil-0 $W/head-ft-0 out-patch \
#     --changed N16 $W/head-gil-16 $W/head-ft-16 --changed N8 $W/head-gil-8 $W/head-ft-8 \
#     --changed N4 $W/head-gil-4 $W/head-ft-4 --changed N2 $W/head-gil-2 $W/head-ft-2
#
# The baseline can come from another sitting or machine, as the issue asks: --baseline-only
# records it (with the calibration) and stops; a later run takes it with --baselines DIR (a
# baselines directory: OUT/baselines of the earlier run, or the repository's own baselines/) and
# --range/--shares as the earlier run chose them, so that every check has the same key.
#
#   bench/real_drops.sh GILGUARD GIL_PY FT_PY OUT [--checks N (10)] [--aa-checks N (5)]
#     [--baseline-runs N (3)] [--targets "3 5 10 20"] [--shares "S ..."] [--search "S ..."]
#     [--calibration-rounds N (20)] [--truth-runs N (2)] [--steps N (400)]
#     [--changed LABEL GIL FT]... [--time-budget SEC] [--range N] [--baselines DIR]
#     [--baseline-only] [--key KEY]
#
# --key: the baseline key of every update and check. A workload file's derived key holds its path
# in the repository, which differs between OUT folders; a sitting that checks against another
# sitting's baseline needs the key that baseline was written under (session 7's and 8's lock
# baselines: linux-x86_64-cpu2-py3.14-file_lockwork.py_workload-r4096, derived before keys held
# the path).
set -euo pipefail

usage() {
  sed -n '/^#   bench\/real_drops.sh GILGUARD/,/^set -euo/p' "$0" | sed '$d; s/^#//' >&2
  exit 2
}
[ $# -ge 4 ] || usage
gilguard=$(realpath "$1") gil=$2 ft=$3 out=$4
shift 4
checks=10 aa_checks=5 baseline_runs=3 targets="3 5 10 20" shares="" steps=400
search="0.01 0.02 0.05 0.1 0.2 0.3 0.5" calibration_rounds=20 truth_runs=2 budget=()
fixed_range="" given_baselines="" baseline_only=0 key=()
changed_labels=() changed_gil=() changed_ft=()
while [ $# -gt 0 ]; do
  case "$1" in
    --checks) checks=$2; shift 2 ;;
    --aa-checks) aa_checks=$2; shift 2 ;;
    --baseline-runs) baseline_runs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --shares) shares=$2; shift 2 ;;
    --search) search=$2; shift 2 ;;
    --calibration-rounds) calibration_rounds=$2; shift 2 ;;
    --truth-runs) truth_runs=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --time-budget) budget=(--time-budget "$2"); shift 2 ;;
    --range) fixed_range=$2; shift 2 ;;
    --baselines) given_baselines=$(realpath "$2"); shift 2 ;;
    --baseline-only) baseline_only=1; shift ;;
    --key) key=(--baseline-key "$2"); shift 2 ;;
    --changed)
      [ $# -ge 4 ] || usage
      changed_labels+=("$2") changed_gil+=("$3") changed_ft+=("$4"); shift 4 ;;
    *) usage ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd -P)
summarizer=$here/real_drops.py
mkdir -p "$out"/{calibration,truth,baseline-runs,checks}
out=$(cd "$out" && pwd -P)
baselines=$(mktemp -d)
trap 'rm -rf "$baselines"' EXIT
facts=$out/facts.txt
rows=$out/rows.tsv  # one strength a line: label, kind (share or pair), the share or the pair
: > "$rows"

note() {  # a line in facts.txt: time, load, steal so far
  echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) steal $(awk '/^cpu /{print $9}' /proc/stat) ticks: $*" >> "$facts"
}

# The lock workload at share S, written to OUT/workload/lockwork.py before each run that uses it
# (one path for every S: the baseline key holds the file's path, so copies in per-share folders
# would each have a key of their own).
workload_file() {
  local share=$1 dir=$out/workload
  mkdir -p "$dir"
  cat > "$dir/lockwork.py" <<PY
# bench/real_drops.sh: a CPU-bound function holding one process-wide lock for a share of each call.
import threading

SHARE = $share  # the share of each call's steps taken under the lock
STEPS = $steps
LOCKED = round(STEPS * SHARE)
LOCK = threading.Lock()


def step(x, k):
    return (x * 1103515245 + 12345 + k) % 2147483648


def workload(i):
    x = i
    for k in range(STEPS - LOCKED):
        x = step(x, k)
    if LOCKED:
        with LOCK:
            for k in range(LOCKED):
                x = step(x, k)
    return x % 1000
PY
  echo "$dir/lockwork.py"
}

# `gilguard run` of the pair GIL FT at strength STRENGTH (a share, or "" for the pair as it is),
# then OUTPUT; extra arguments go to run.
measure() {
  local pair_gil=$1 pair_ft=$2 share=$3 output=$4
  shift 4
  local work=(--range 200000)
  if [ -n "$share" ]; then work=(--workload "$(workload_file "$share")" --range "$range"); fi
  "$gilguard" run --gil "$pair_gil" --ft "$pair_ft" "${work[@]}" "$@" --output "$output" \
    < /dev/null > "${output%.json}.txt" 2>&1
}

{
  echo "# bench/real_drops.sh $(date -u +%FT%TZ), $(uname -srm), $(nproc) CPUs usable"
  echo "# gilguard $("$gilguard" --version 2>&1 | head -1)"
  grep -m1 "model name" /proc/cpuinfo || true
  "$gilguard" probe "$gil" "$ft" 2>&1 | sed 's/^gilguard: //'
  for i in "${!changed_labels[@]}"; do
    echo "# changed ${changed_labels[$i]}: ${changed_gil[$i]} ${changed_ft[$i]}"
  done
} > "$facts"
note "start"

if [ ${#changed_labels[@]} -eq 0 ]; then
  # The range, sized once by gilguard at S = 0 and then fixed, so that every run and check has
  # the same work and the same baseline key.
  range=0
  if [ -n "$fixed_range" ]; then
    range=$fixed_range
    note "range $range (given)"
  else
    run_args=(--workload "$(workload_file 0)" --rounds 2 --output "$out/calibration/range.json")
    "$gilguard" run --gil "$gil" --ft "$ft" "${run_args[@]}" < /dev/null \
      > "$out/calibration/range.txt" 2>&1
    range=$(python3 "$summarizer" range "$out/calibration/range.json")
    note "range $range"
  fi
  if [ -z "$shares" ]; then
    cal=()
    for s in 0 $search; do
      measure "$gil" "$ft" "$s" "$out/calibration/share-$s.json" --rounds "$calibration_rounds"
      cal+=("$s=$out/calibration/share-$s.json")
      note "calibration share $s"
    done
    shares=$(python3 "$summarizer" pick "$targets" "${cal[@]}" | tee "$out/calibration/pick.txt" | tail -1)
    note "shares for drops of $targets%: $shares"
  fi
  for s in $shares; do printf '%s\tshare\t%s\n' "share-$s" "$s" >> "$rows"; done
  base_share=0
else
  range=200000
  for i in "${!changed_labels[@]}"; do
    printf '%s\tpair\t%s %s\n' "${changed_labels[$i]}" "${changed_gil[$i]}" "${changed_ft[$i]}" >> "$rows"
  done
  base_share=""
fi

# The baseline: runs at S = 0 (or of the unchanged pair), at check's time budget; or the one given.
if [ -n "$given_baselines" ]; then
  cp -r "$given_baselines/." "$baselines/"
  note "baseline from $given_baselines (not recorded in this sitting)"
else
  for ((r = 1; r <= baseline_runs; r++)); do
    measure "$gil" "$ft" "$base_share" "$out/baseline-runs/r-$r.json" --time-budget 100
    "$gilguard" baseline update "$out/baseline-runs/r-$r.json" --baselines "$baselines" "${key[@]}" \
      > /dev/null
    note "baseline run $r"
  done
fi
cp -r "$baselines" "$out/baselines"
if [ "$baseline_only" = 1 ]; then
  note "end (baseline only)"
  exit 0
fi

# One `gilguard check` against the baseline: OUT/checks/LABEL/check-I.{json,txt} and its
# comparison-I.json; its exit status in check-I.exit.
check() {
  local label=$1 i=$2 pair_gil=$3 pair_ft=$4 share=$5 dir=$out/checks/$1 rc=0 work=()
  mkdir -p "$dir"
  if [ -n "$share" ]; then work=(--workload "$(workload_file "$share")" --range "$range"); fi
  "$gilguard" check --gil "$pair_gil" --ft "$pair_ft" "${work[@]}" "${budget[@]}" "${key[@]}" \
    --baselines "$baselines" --results "$dir/results-$i.json" \
    --comparison "$dir/comparison-$i.json" --comment never < /dev/null > "$dir/check-$i.txt" 2>&1 ||
    rc=$?
  echo "$rc" > "$dir/check-$i.exit"
  note "check $label $i exit $rc"
}

for ((i = 1; i <= aa_checks; i++)); do check aa "$i" "$gil" "$ft" "$base_share"; done

while IFS=$'\t' read -r -u 3 label kind what; do
  # The true drop, in this sitting: short runs of the unchanged and the changed side, alternating.
  for ((t = 1; t <= truth_runs; t++)); do
    measure "$gil" "$ft" "$base_share" "$out/truth/$label-base-$t.json" --rounds "$calibration_rounds"
    if [ "$kind" = share ]; then
      measure "$gil" "$ft" "$what" "$out/truth/$label-$t.json" --rounds "$calibration_rounds"
    else
      read -r pair_gil pair_ft <<< "$what"
      measure "$pair_gil" "$pair_ft" "" "$out/truth/$label-$t.json" --rounds "$calibration_rounds"
    fi
  done
  note "true drop of $label measured"
  for ((i = 1; i <= checks; i++)); do
    if [ "$kind" = share ]; then
      check "$label" "$i" "$gil" "$ft" "$what"
    else
      read -r pair_gil pair_ft <<< "$what"
      check "$label" "$i" "$pair_gil" "$pair_ft" ""
    fi
  done
done 3< "$rows"
note "end"

python3 "$summarizer" summarize "$out"
cat "$out/summary.txt"
