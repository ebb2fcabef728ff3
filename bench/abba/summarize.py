"""The per-round spread of log(t_ref / t_par) at 2 threads, per flavour, before and after.

    python3 bench/abba/summarize.py OUT
"""
import glob
import json
import math
import os
import statistics
import sys

out = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    side = os.path.basename(path).split("-")[0]
    data = json.load(open(path))
    for s in data["samples"]:
        if s["round"] < 1 or not s["ok"] or s["threads"] != 2 or not s.get("t_ref"):
            continue
        key = (side, s["flavor"])
        r = rows.setdefault(key, {"logs": [], "faults_par": [], "faults_ref": [], "seconds": []})
        r["logs"].append(math.log(s["t_ref"] / s["t_par"]))
        loads = s.get("loads") or {}
        for name in ("par", "ref"):
            faults = (loads.get(name) or {}).get("faults")
            if faults is not None:
                r["faults_" + name].append(faults)
        r["seconds"].append(s.get("wall_seconds", 0))
print("| binary | flavour | rounds | ratio (median) | per-round sd of log ratio | MAD x 1.4826 "
      "| faults par / ref (median) | child wall s (median) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for (side, flavor), r in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0] != "before")):
    logs = r["logs"]
    med = statistics.median(logs)
    mad = statistics.median([abs(x - med) for x in logs]) * 1.4826
    faults = "-"
    if r["faults_par"]:
        faults = "%g / %g" % (statistics.median(r["faults_par"]), statistics.median(r["faults_ref"]))
    print("| %s | %s | %d | %.3f | %.4f | %.4f | %s | %.2f |" % (
        side, flavor, len(logs), math.exp(med), statistics.stdev(logs), mad, faults,
        statistics.median(r["seconds"])))
