#!/usr/bin/env python3
"""The numbers of bench/real_drops.sh, with the system python3 (standard library only).

  real_drops.py range RESULTS            the range a run used (sized in its warm-up)
  real_drops.py pick "3 5 10" S=RESULTS...  the lock share for each target drop (percent),
                                          interpolated from runs at shares S (one at S = 0)
  real_drops.py summarize OUT            OUT/results.json and OUT/summary.txt

The metric throughout is the one that gates: the free-threaded speedup against processes at 2
threads (`ft-relative-2`), per round t_ref / t_par of the free-threaded 2-thread sample. A run's
value is the median over its rounds; the true drop of a change is 1 - (median of the changed
side's rounds) / (median of the unchanged side's rounds), both measured in the same sitting, with
a 90% percentile-bootstrap interval (rounds resampled within each side).
"""

import glob
import json
import os
import random
import statistics
import sys

THREADS = 2


def relative_rounds(path):
    """The per-round ft-relative-2 values of a results file."""
    with open(path) as f:
        samples = json.load(f)["samples"]
    out = []
    for s in samples:
        if (s.get("round", 0) >= 1 and s.get("flavor") == "ft" and s.get("threads") == THREADS
                and s.get("ok", True) and s.get("t_ref", 0) > 0 and s.get("t_par", 0) > 0
                and s.get("side", "head") == "head"):
            out.append(s["t_ref"] / s["t_par"])
    return out


def pooled(paths):
    values = []
    for p in paths:
        values += relative_rounds(p)
    return values


def true_drop(base, changed, resamples=2000, seed=20):
    """(drop, low, high): 1 - median(changed) / median(base), 90% bootstrap interval."""
    if not base or not changed:
        return None
    drop = 1 - statistics.median(changed) / statistics.median(base)
    rng = random.Random(seed)
    draws = []
    for _ in range(resamples):
        b = [rng.choice(base) for _ in base]
        c = [rng.choice(changed) for _ in changed]
        draws.append(1 - statistics.median(c) / statistics.median(b))
    draws.sort()
    return drop, draws[int(0.05 * resamples)], draws[int(0.95 * resamples) - 1]


def cmd_range(path):
    with open(path) as f:
        print(json.load(f)["parameters"]["range"])


def cmd_pick(targets, pairs):
    runs = {}
    for pair in pairs:
        share, path = pair.split("=", 1)
        runs[float(share)] = statistics.median(relative_rounds(path))
    base = runs[0.0]
    curve = sorted((s, 1 - v / base) for s, v in runs.items())
    print("calibration: share of each call under the lock -> drop of ft-relative-2 against share 0")
    for s, d in curve:
        print(f"  share {s:g}: median {runs[s]:.3f}, drop {d * 100:+.1f}%")
    picked = []
    for target in (float(t) / 100 for t in targets.split()):
        choice = None
        for (s0, d0), (s1, d1) in zip(curve, curve[1:]):
            if d0 <= target <= d1 and d1 > d0:
                choice = s0 + (s1 - s0) * (target - d0) / (d1 - d0)
                break
        if choice is None:  # not bracketed (a noisy, non-monotone curve): the nearest measured
            choice = min(curve[1:], key=lambda sd: abs(sd[1] - target))[0]
            print(f"  target {target * 100:g}%: not bracketed, nearest measured share {choice:g}")
        picked.append(round(max(choice, 0.001), 3))
    unique = list(dict.fromkeys(picked))  # two targets on one share: measure it once
    print(" ".join(f"{s:g}" for s in unique))


def check_outcome(comparison_path, exit_path):
    outcome = {"file": os.path.basename(comparison_path)}
    try:
        with open(exit_path) as f:
            outcome["exit"] = int(f.read().strip())
    except (OSError, ValueError):
        outcome["exit"] = None
    try:
        with open(comparison_path) as f:
            c = json.load(f)
    except (OSError, ValueError):
        outcome["verdict"] = "no comparison (tool error)"
        return outcome
    outcome["verdict"] = "failed check" if c.get("failed_checks") else c.get("overall")
    m = next((m for m in c.get("metrics", []) if m.get("metric") == f"ft-relative-{THREADS}"), None)
    if m:
        outcome["relative_verdict"] = m.get("verdict")
        outcome["relative_change"] = m.get("change")
        outcome["relative_change_low"] = m.get("change_low")
        outcome["relative_change_high"] = m.get("change_high")
        outcome["rounds"] = (m.get("current") or {}).get("rounds")
    return outcome


def cmd_summarize(out):
    rows = [("aa", "A/A", "share 0 / the unchanged pair")]
    with open(os.path.join(out, "rows.tsv")) as f:
        for line in f:
            label, kind, what = line.rstrip("\n").split("\t")
            rows.append((label, kind, what))
    table = []
    for label, kind, what in rows:
        checks = []
        for comparison in sorted(glob.glob(os.path.join(out, "checks", label, "comparison-*.json")),
                                 key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0])):
            checks.append(check_outcome(comparison, comparison.replace("comparison-", "check-")
                                        .replace(".json", ".exit")))
        n = len(checks)
        count = lambda v: sum(1 for c in checks if c["verdict"] == v)
        row = {"label": label, "kind": kind, "change": what, "checks": n,
               "caught": count("regression"), "inconclusive": count("inconclusive"),
               "passed": count("pass"), "outcomes": checks}
        row["other"] = n - row["caught"] - row["inconclusive"] - row["passed"]
        if label != "aa":
            base = sorted(glob.glob(os.path.join(out, "truth", f"{label}-base-*.json")))
            changed = [p for p in sorted(glob.glob(os.path.join(out, "truth", f"{label}-*.json")))
                       if p not in base]
            truth = true_drop(pooled(base), pooled(changed))
            row["true_drop"] = None if truth is None else {
                "drop": truth[0], "low": truth[1], "high": truth[2],
                "rounds_base": len(pooled(base)), "rounds_changed": len(pooled(changed))}
        table.append(row)
    with open(os.path.join(out, "facts.txt")) as f:
        facts = f.read()
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"metric": f"ft-relative-{THREADS}", "rows": table, "facts": facts}, f, indent=2)

    lines = [f"bench/real_drops.sh: {out}",
             f"checks against a stored baseline of the unchanged side; gated metric ft-relative-{THREADS}",
             "caught = overall regression; other = improvement, no baseline, failed check or tool error",
             "",
             "| change | true drop [90%] (same sitting) | checks | caught | inconclusive | passed | other |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in table:
        t = r.get("true_drop")
        truth = ("none (A/A)" if r["label"] == "aa" else "not measured" if not t else
                 f"{t['drop'] * 100:+.1f}% [{t['low'] * 100:+.1f}%, {t['high'] * 100:+.1f}%] "
                 f"({t['rounds_changed']} vs {t['rounds_base']} rounds)")
        name = ("A/A (" + r["change"] + ")" if r["label"] == "aa" else
                f"lock share {r['change']}" if r["kind"] == "share" else r["label"])
        lines.append(f"| {name} | {truth} | {r['checks']} | {r['caught']} | {r['inconclusive']} "
                     f"| {r['passed']} | {r['other']} |")
    lines += ["", "per check: exit, overall verdict, ft-relative change [interval], rounds"]
    for r in table:
        for c in r["outcomes"]:
            change = c.get("relative_change")
            interval = ("" if change is None or c.get("relative_change_low") is None else
                        f" [{c['relative_change_low'] * 100:+.1f}%, {c['relative_change_high'] * 100:+.1f}%]")
            lines.append(f"  {r['label']} {c['file']}: exit {c['exit']}, {c['verdict']}, "
                         f"{'-' if change is None else f'{change * 100:+.1f}%'}{interval}, "
                         f"{c.get('rounds', '-')} rounds")
    lines += ["", "machine and load (facts.txt):", facts]
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write("\n".join(lines))


def main(argv):
    if len(argv) == 2 and argv[0] == "range":
        cmd_range(argv[1])
    elif len(argv) >= 3 and argv[0] == "pick":
        cmd_pick(argv[1], argv[2:])
    elif len(argv) == 2 and argv[0] == "summarize":
        cmd_summarize(argv[1])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
