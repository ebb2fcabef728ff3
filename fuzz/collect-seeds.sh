#!/usr/bin/env bash
# Collects the fuzzers' seed corpora from the repository's own JSON: the results, baselines and
# comparisons in tests/data, bench/data and baselines/ (each kind told by a member only it has),
# up to 64 KiB each (the fuzzers' -max_len), and the webhook events in fuzz/seeds/event/ and, when
# the npm test tooling is installed, GitHub's examples of pull_request, push and workflow_run.
#
#   fuzz/collect-seeds.sh OUT      writes OUT/{results,baseline,comparison,event}/, replacing OUT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: fuzz/collect-seeds.sh OUT}
rm -rf "$out"
mkdir -p "$out"/{results,baseline,comparison,event}

while IFS= read -r -d '' file; do
  if grep -q '"baseline_key":' "$file"; then
    kind=comparison
  elif grep -q '"samples": \[' "$file"; then
    kind=results
  elif grep -q '"runs":' "$file"; then
    kind=baseline
  else
    continue
  fi
  # Named by content, so copies of one file are one seed.
  cp "$file" "$out/$kind/$(sha1sum < "$file" | cut -c1-16).json"
done < <(find "$root/tests/data" "$root/bench/data" "$root/baselines" -name '*.json' \
  -size -65537c -print0)
cp "$root"/fuzz/seeds/event/*.json "$out/event/"
# GitHub's own webhook examples, when the npm test tooling is installed (scripts/test.sh does).
examples=$root/tests/js/node_modules/@octokit/webhooks-examples/api.github.com/index.json
if [ -f "$examples" ] && command -v jq >/dev/null 2>&1; then
  n=0
  while IFS= read -r payload; do
    n=$((n + 1))
    printf '%s\n' "$payload" > "$out/event/example-$n.json"
  done < <(jq -c '.[] | select(.name == "pull_request" or .name == "push" or
    .name == "workflow_run") | .examples[]' "$examples")
fi

for kind in results baseline comparison event; do
  count=$(find "$out/$kind" -type f | wc -l)
  if [ "$count" -eq 0 ]; then
    echo "collect-seeds: no $kind seeds found; the fuzzer would start from nothing" >&2
    exit 1
  fi
  echo "collect-seeds: $count $kind seeds" >&2
done
