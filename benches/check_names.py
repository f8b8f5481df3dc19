#!/usr/bin/env python3
"""The near-duplicate-name benchmark: `ties check` on realistic names against `ties check` on
`gen.py`'s synthetic names, in the same run, and the recall of the planted twins.

    python3 benches/realistic.py --size leak --out /tmp/names-leak       # 20k / 100k
    python3 benches/realistic.py --size large --out /tmp/names-large     # 1M / 5M
    python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
    cargo build --release
    python3 benches/check_names.py target/release/ties /tmp/names-large /tmp/kg-large

Each folder holds `data/`; a folder with `twins.csv` (`a,b,category`, as realistic.py writes
it) also gets its recall: a planted pair counts as found when one same-name or similar-name
warning of `check --format json` names both. Times are the median wall time of three cold
`check -q` processes; memory is their peak resident set (wait4's ru_maxrss).
"""
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict


def timed(argv):
    """Runs argv with output discarded; returns (seconds, peak MB)."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(argv, stdout=null, stderr=null)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed")
    return seconds, usage.ru_maxrss / 1024


def recall(ties, root):
    run = subprocess.run([ties, "--data", f"{root}/data", "check", "--format", "json"],
                         capture_output=True, text=True, check=True)
    report = json.loads(run.stdout)
    kinds = Counter(w["kind"] for w in report["warnings"])
    together = defaultdict(set)  # entity -> warnings naming it
    for index, warning in enumerate(report["warnings"]):
        if warning["kind"] in ("same-name", "similar-name"):
            for entity in warning["entities"]:
                together[entity].add(index)
    found, planted, missed = Counter(), Counter(), defaultdict(list)
    with open(f"{root}/twins.csv", newline="") as f:
        for row in csv.DictReader(f):
            planted[row["category"]] += 1
            if together[row["a"]] & together[row["b"]]:
                found[row["category"]] += 1
            else:
                missed[row["category"]].append((row["a"], row["b"]))
    print("  warnings: " + ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items())))
    for category in sorted(planted):
        print(f"  recall {category:9} {found[category]:6,} of {planted[category]:6,}  "
              f"{100 * found[category] / planted[category]:5.1f}%")
    total = sum(planted.values())
    print(f"  recall {'all':9} {sum(found.values()):6,} of {total:6,}  "
          f"{100 * sum(found.values()) / max(total, 1):5.1f}%")
    if "-v" in sys.argv:
        for category, pairs in missed.items():
            print(f"  missed {category}: {pairs[:10]}")


def main():
    ties, folders = sys.argv[1], [a for a in sys.argv[2:] if not a.startswith("-")]
    medians = []
    for root in folders:
        runs = [timed([ties, "--data", f"{root}/data", "check", "-q"]) for _ in range(3)]
        seconds = statistics.median(s for s, _ in runs)
        peak = max(m for _, m in runs)
        medians.append(seconds)
        print(f"{root}: check {seconds:.2f} s (runs {', '.join(f'{s:.2f}' for s, _ in runs)}), "
              f"peak {peak:.0f} MB")
        if os.path.exists(f"{root}/twins.csv"):
            recall(ties, root)
    if len(medians) == 2:
        print(f"ratio {medians[0] / medians[1]:.2f} (first / second)")


if __name__ == "__main__":
    main()
