"""Cold start: each command as a fresh process, loading the CSV files against opening the
graph snapshot.

Usage:
  python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
  python3 benches/cold_start.py target/release/ties /tmp/kg-large [--runs 5]

For each command: the median wall time and the peak memory (the child's max RSS) of
`ties --no-cache CMD` (the CSV files, as every command read them before snapshots) and of
`ties --cache DIR CMD` with a current snapshot in DIR. Then the first `check` that writes the
snapshot against `check --no-cache`. The page cache is warm for both (the data was just read):
what is measured is ties, not the disk. Prints a Markdown table for benches/results.
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import tempfile


def measure(ties, data, cache, args, runs):
    """Median wall time (GNU time's, to 10 ms) and peak memory over `runs` processes."""
    walls, peaks = [], []
    flags = ["--no-cache"] if cache is None else ["--cache", cache]
    for _ in range(runs):
        # GNU time's elapsed and maximum resident size are those of the ties process itself.
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M", ties, "--data", data, "-q", *flags, *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode not in (0, 1):
            raise SystemExit(f"ties {args} exited {done.returncode}: {done.stderr}")
        wall, peak = done.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peaks.append(int(peak))
    return statistics.median(walls), max(peaks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ties")
    parser.add_argument("root", help="gen.py's --out: data/ and pairs.csv")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = os.path.join(args.root, "data")
    with open(os.path.join(args.root, "pairs.csv"), newline="") as f:
        pair = next(csv.DictReader(f))
    a, b = pair["from"], pair["to"]
    commands = [
        ("path A B", ["path", a, b]),
        ("query, one typed hop", ["query", "-e",
                                  f"MATCH (p {{id: '{a}'}})-[:member_of|employs]-(x) RETURN x.id"]),
        ("show A", ["show", a]),
        ("neighbors A", ["neighbors", a]),
        ("stats", ["stats"]),
    ]
    cache = tempfile.mkdtemp(prefix="ties-cold-")
    try:
        # The first `check`, which writes the snapshot, `runs` times from no snapshot.
        first_checks = []
        for _ in range(args.runs):
            for name in os.listdir(cache):
                os.remove(os.path.join(cache, name))
            wall, _ = measure(args.ties, data, cache, ["check"], 1)
            first_checks.append(wall)
        first_check = statistics.median(first_checks)
        print(f"{args.root}: snapshot of {os.path.getsize(os.path.join(cache, os.listdir(cache)[0])) / 2**20:.0f} MiB")
        print()
        print("| command | CSV files: wall | peak | snapshot: wall | peak | speed-up |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, command in commands:
            csv_wall, csv_peak = measure(args.ties, data, None, command, args.runs)
            snap_wall, snap_peak = measure(args.ties, data, cache, command, args.runs)
            print(f"| `{name}` | {csv_wall:.2f} s | {csv_peak / 1024:.0f} MiB | "
                  f"{snap_wall:.2f} s | {snap_peak / 1024:.0f} MiB | {csv_wall / snap_wall:.1f}× |")
        plain, _ = measure(args.ties, data, None, ["check"], args.runs)
        print()
        print(f"first `check`, writing the snapshot (median of {args.runs}): {first_check:.2f} s; "
              f"`check --no-cache`: {plain:.2f} s (+{(first_check / plain - 1) * 100:.0f}%)")
    finally:
        shutil.rmtree(cache)


if __name__ == "__main__":
    main()
