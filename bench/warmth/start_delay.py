# Summarizes the start-delay runs of bench/warmth (warmth.py, range 200,000, 2 threads): per
# interpreter and mode, the medians (and ranges) of the second thread's start delay, the speedup
# and the threads-against-processes ratio.
#
#   python3 bench/warmth/start_delay.py bench/data/warmth/e/start-delay.jsonl
import json
import statistics
import sys
from collections import defaultdict

from summarize import spread

groups = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        run = json.loads(line)
        build = run["version"] + ("" if run["gil"] else "t")
        groups[(build, run["mode"])].append(run)


print("| build | threads start | runs | 2nd thread's start delay (ms) | speedup | "
      "threads / processes |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for (build, mode), runs in sorted(groups.items()):
    print(f"| {build} | {mode} | {len(runs)} | "
          f"{spread([r['start_delay'][1] * 1e3 for r in runs], '{:.1f}')} | "
          f"{spread([r['speedup'] for r in runs])} | {spread([r['ratio'] for r in runs])} |")
