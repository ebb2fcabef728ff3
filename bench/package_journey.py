#!/usr/bin/env python3
"""The package example's pull-request job (.github/workflows/package-example.yml), run end to end
through action.yml's own steps, timed, N times: the evaluation of issue 22 (docs/evaluation.md,
"Issue 22").

Each run makes a git repository holding the test package (tests/data/packages/scalepkg, a C
extension) at a base commit and a head commit on top of it, then runs every step of action.yml in
order as the runner would: a `run` step with the environment and `if:` that
tests/integration/action/step-env.mjs evaluates from action.yml for the workflow's inputs and the
outputs of the steps before it; the `uses:` steps, which cannot run here, replaced as follows:
  actions/checkout        the repository made here (the workspace)
  actions/cache/restore   a hit when the action's directory already holds the gilguard binary
                          (a warm runner), a miss otherwise (--cold: a fresh clone, built here)
  actions/cache/save      nothing
  actions/setup-python    not run: the interpreters are given (python-gil, python-ft inputs), as
                          gilguard's cached CPython builds stand in for setup-python's 3.14/3.14t
The comment and push steps are not run (no GitHub here; `comment: never`).

The head is the base with a change in README.md (--head same: A/A, nothing the workload calls
changed), or with work(i) taking a threading.Lock over a share of each call's work (--head
lock:SHARE), or of one call in every N (--head lock:SHARE/N): at 2 threads a lock over 0.8% of
each call already cost the free-threaded speedup 5-7% on machine f (the lock changing hands
between the CPUs on every call), so smaller drops take the lock less often. The install input
is the offline equivalent of `pip install .` (no index here).

  bench/package_journey.py --out DIR --python-gil GIL --python-ft FT [--runs 10]
      [--head same|lock:SHARE[/N]] [--cold] [--action-dir DIR] [--time-budget S] [--reuse-venvs]
  bench/package_journey.py --summary DIR     (a line per runs.tsv found under DIR)

Writes DIR/run-K/ (each step's output, the check's results and comparison JSON) and appends one
line per run to DIR/runs.tsv: run, end time (UTC), load average at its start, head, cold or
warm, the check's exit code, the verdict (overall; each gated metric's change [interval] and
rounds), seconds per step, seconds from the first step to the verdict.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STEP_ENV = REPO / "tests/integration/action/step-env.mjs"
WHEELS = "/usr/share/python-wheels"
OFFLINE_INSTALL = (
    f"pip install -q --disable-pip-version-check --no-index --find-links {WHEELS} setuptools wheel"
    " && pip install -q --disable-pip-version-check --no-index --no-build-isolation ."
)


def node_json(*args):
    out = subprocess.run(["node", str(STEP_ENV), *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def git(workspace, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
    out = subprocess.run(["git", "-C", str(workspace), *args], check=True, capture_output=True,
                         text=True, env=env)
    return out.stdout.strip()


LOCKED_INIT = '''"""gilguard's test package, head of bench/package_journey.py: work(i) takes one process-wide
lock over a share of its mixing steps, in one call of every EVERY (those whose index is a
multiple of it)."""

import threading

from scalepkg._speedups import mix

STEPS = 4000
SHARE = {share}  # the share of a locking call's steps taken under the lock
EVERY = {every}
LOCKED = round(STEPS * SHARE)
_LOCK = threading.Lock()


def work(i):
    """The same amount of work as the base's, a share of it under the lock."""
    x = mix(i, STEPS - LOCKED)
    if LOCKED and i % EVERY == 0:
        with _LOCK:
            x ^= mix(i, LOCKED)
    return x & 0xFFFF
'''


def make_workspace(workspace, workload, head):
    """The package at a base commit and the head on top; returns (base sha, head sha)."""
    shutil.copytree(REPO / "tests/data/packages/scalepkg", workspace)
    target = workspace / workload
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "tests/data/packages/scalepkg_bench.py", target)
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", ".")
    git(workspace, "commit", "-q", "-m", "base")
    base = git(workspace, "rev-parse", "HEAD")
    if head == "same":
        (workspace / "README.md").write_text("scalepkg: a change that touches no code\n")
    else:
        share, _, every = head.split(":", 1)[1].partition("/")
        (workspace / "scalepkg/__init__.py").write_text(
            LOCKED_INIT.format(share=float(share), every=int(every or 1)))
    git(workspace, "add", ".")
    git(workspace, "commit", "-q", "-m", f"head ({head})")
    return base, git(workspace, "rev-parse", "HEAD")


def read_outputs(path):
    outputs = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                name, value = line.split("=", 1)
                outputs[name] = value
        path.unlink()
    return outputs


def read_comparison(comparison):
    """(overall verdict, {gated metric: its entry}) of a check's comparison JSON, or None."""
    if not comparison.exists():
        return None
    data = json.loads(comparison.read_text())
    gated = {m["metric"]: m for m in data.get("metrics", [])
             if m.get("gating") and m.get("change") is not None}
    return data.get("overall", "?"), gated


def describe_verdict(comparison):
    """The overall verdict and each gated metric's change [interval] and rounds."""
    read = read_comparison(comparison)
    if read is None:
        return "no comparison"
    overall, gated = read
    parts = [overall]
    for name, m in gated.items():
        rounds = m.get("current", {}).get("rounds")
        parts.append(f"{name} {m['verdict']} {m['change']:+.1%} "
                     f"[{m['change_low']:+.1%}, {m['change_high']:+.1%}] {rounds} rounds")
    return "; ".join(parts)


# The steps --reuse-venvs runs in the first run only: their outputs stand for the later runs.
INSTALL_STEPS = ("install", "package-base", "install-base")


def one_run(args, k, inputs_template, steps_meta, kept=None):
    """Run k of the job. With `kept` (a dict, --reuse-venvs), the first run's workspace, venvs
    and install steps' outputs are kept in it and stand for the install steps of later runs."""
    run_dir = Path(args.out) / f"run-{k}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    reuse = kept is not None and "scratch" in kept
    scratch = kept["scratch"] if reuse else Path(tempfile.mkdtemp(prefix="gilguard-journey-"))
    try:
        workspace = scratch / "workspace"
        home = scratch / "home"  # no pip cache, no ~/.cache: a fresh runner's home
        if reuse:
            inputs = kept["inputs"]
            context = {"github": kept["github"],
                       "steps": {i: kept["steps"][i] for i in INSTALL_STEPS if i in kept["steps"]}}
        else:
            inputs = dict(inputs_template)
            base, head = make_workspace(workspace, inputs["workload"], args.head)
            inputs["package-base"] = base
            context = {"github": {"event": {"pull_request": {"base": {"sha": base}}}},
                       "steps": {}}
            home.mkdir()
        output_file = scratch / "github-output"
        base_env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(args.action_dir),
            "GITHUB_REPOSITORY": "example/scalepkg",
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(run_dir / "summary.md"),
            "RUNNER_TEMP": str(scratch / "runner-temp"),
            "RUNNER_OS": "Linux",
            "CCACHE_DISABLE": "1",
        }
        (scratch / "runner-temp").mkdir(exist_ok=True)
        times = {}
        check_rc = None
        load = "%.2f %.2f %.2f" % os.getloadavg()
        started = time.monotonic()
        for meta in steps_meta:
            key = meta["id"] or meta["name"]
            if meta["uses"]:
                if meta["id"] == "tool-cache":
                    binary = Path(context["steps"]["tool-key"]["outputs"]["binary"])
                    hit = "true" if binary.exists() else "false"
                    context["steps"]["tool-cache"] = {"outputs": {"cache-hit": hit}}
                    times["tool-cache-hit"] = hit
                continue
            if meta["name"] == "Linux runners only" or meta["id"] in ("comment", "push"):
                continue
            if reuse and meta["id"] in INSTALL_STEPS:
                continue
            step = node_json(str(args.action_dir / "action.yml"), key,
                             json.dumps(dict(context, inputs=inputs)))
            if not step["runs"]:
                continue
            env = dict(base_env, **step["env"])
            cwd = step["working-directory"] or str(workspace)
            t0 = time.monotonic()
            with open(run_dir / f"{key.replace(' ', '-')}.log", "w") as log:
                rc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env,
                                    stdout=log, stderr=subprocess.STDOUT).returncode
            times[key] = round(time.monotonic() - t0, 1)
            if meta["id"]:
                context["steps"][meta["id"]] = {"outputs": read_outputs(output_file)}
            if meta["id"] == "check":
                check_rc = rc
                break
            if rc != 0:
                print(f"run {k}: step '{key}' failed (exit {rc}); see {run_dir}", file=sys.stderr)
                check_rc = f"step-failed:{key}"
                break
        total = round(time.monotonic() - started, 1)
        for name in ("gilguard-results.json", "gilguard-comparison.json"):
            found = list((scratch / "runner-temp").rglob(name))
            if found:
                shutil.move(found[0], run_dir / name)
        if kept is not None and not reuse:
            kept.update(scratch=scratch, inputs=inputs, github=context["github"],
                        steps=context["steps"])
        verdict = describe_verdict(run_dir / "gilguard-comparison.json")
        (run_dir / "times.json").write_text(json.dumps(times, indent=1) + "\n")
        with open(Path(args.out) / "runs.tsv", "a") as tsv:
            tsv.write("\t".join([str(k), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                 f"load {load}", args.head, "cold" if args.cold else "warm",
                                 str(check_rc), verdict, json.dumps(times), str(total)]) + "\n")
        print(f"run {k}: exit {check_rc}, {total} s, {verdict}", flush=True)
    finally:
        if kept is None:
            shutil.rmtree(scratch, ignore_errors=True)


def summarize(out):
    """One line per runs.tsv under OUT: runs, verdicts, the free-threaded speedup's change
    (median and range, from each run's comparison JSON), seconds to the verdict."""
    import statistics
    for tsv in sorted(Path(out).rglob("runs.tsv")):
        rows = [line.split("\t") for line in tsv.read_text().splitlines() if line]
        verdicts, changes, totals = {}, [], []
        for row in rows:
            read = read_comparison(tsv.parent / f"run-{row[0]}" / "gilguard-comparison.json")
            overall = read[0] if read else "no comparison"
            verdicts[overall] = verdicts.get(overall, 0) + 1
            if read and "ft-speedup-2" in read[1]:
                changes.append(100 * read[1]["ft-speedup-2"]["change"])
            totals.append(float(row[-1]))  # the last column: seconds to the verdict
        counts = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))
        line = f"{tsv.parent.relative_to(out) if tsv.parent != Path(out) else '.'}: {len(rows)} runs: {counts}"
        if changes:
            line += (f"; ft-speedup-2 change median {statistics.median(changes):+.1f}% "
                     f"[{min(changes):+.1f}%, {max(changes):+.1f}%]")
        line += (f"; first verdict median {statistics.median(totals):.0f} s "
                 f"[{min(totals):.0f}, {max(totals):.0f}]")
        print(line)


def main():
    if sys.argv[1:2] == ["--summary"] and len(sys.argv) == 3:
        summarize(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--python-gil", required=True)
    parser.add_argument("--python-ft", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--first", type=int, default=1, help="number of the first run")
    parser.add_argument("--head", default="same", help="same, lock:SHARE or lock:SHARE/N")
    parser.add_argument("--cold", action="store_true",
                        help="a fresh clone of this repository as the action, gilguard built in "
                             "the run (no ccache)")
    parser.add_argument("--action-dir", type=Path,
                        help="the action's directory (default: a clone of this repository's HEAD "
                             "in OUT/action, kept between runs like a restored cache)")
    parser.add_argument("--time-budget", help="the time-budget input (default: the action's)")
    parser.add_argument("--reuse-venvs", action="store_true",
                        help="run the install steps in the first run only and keep their venvs "
                             "for the later runs' checks (the check step as action.yml declares "
                             "it, without the 20 s of installs each time)")
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    args.out = out
    if args.action_dir is None:
        args.action_dir = out / "action"
        if args.cold and args.action_dir.exists():
            shutil.rmtree(args.action_dir)
        if not args.action_dir.exists():
            subprocess.run(["git", "clone", "-q", str(REPO), str(args.action_dir)], check=True)
    args.action_dir = args.action_dir.resolve()

    workflow = node_json("--yaml", str(REPO / ".github/workflows/package-example.yml"))
    job = workflow["jobs"]["pull-request"]
    with_ = next(s["with"] for s in job["steps"] if "gilguard" in s.get("uses", ""))
    inputs = {name: str(value) for name, value in with_.items()}
    inputs.update({
        "install": OFFLINE_INSTALL,
        "import": "scalepkg, scalepkg._speedups",
        "python-gil": args.python_gil,
        "python-ft": args.python_ft,
        "comment": "never",
    })
    if args.time_budget:
        inputs["time-budget"] = args.time_budget
    steps_meta = node_json("--describe", str(args.action_dir / "action.yml"))["steps"]
    kept = {} if args.reuse_venvs else None
    try:
        for k in range(args.first, args.first + args.runs):
            one_run(args, k, inputs, steps_meta, kept)
    finally:
        if kept and "scratch" in kept:
            shutil.rmtree(kept["scratch"], ignore_errors=True)


if __name__ == "__main__":
    main()
