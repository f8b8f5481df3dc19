"""Two builds of ties on the same queries: each `ties query` a fresh process, alternated.

Usage:
  python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
  python3 benches/compare_queries.py OLD_TIES NEW_TIES /tmp/kg-large/data \
      [--queries benches/queries/timing-large.cypher] [--runs 5]

Each build keeps its own snapshot (`--cache` in a temporary folder: a snapshot is tied to the
build that wrote it), written by a first run that is not timed; that run also checks that
both builds give the same answer and exit code. Then each query runs `--runs` times per build,
the two builds taking turns (which one goes first alternates), and the table gives the median
wall time of each and the change. The queries file has one query per line (`//` comments).
Exits 1 when the answers differ.
"""
import argparse
import statistics
import subprocess
import tempfile
import time


def run(ties, data, cache, query):
    began = time.perf_counter()
    done = subprocess.run([ties, "--data", data, "--cache", cache, "query", "--format", "csv", "-e", query],
                          capture_output=True, text=True)
    return time.perf_counter() - began, (done.returncode, done.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("data")
    parser.add_argument("--queries", default="benches/queries/timing-large.cypher")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with open(args.queries, encoding="utf-8") as lines:
        queries = [q.strip() for q in lines if q.strip() and not q.strip().startswith("//")]
    builds = {"old": args.old, "new": args.new}
    with tempfile.TemporaryDirectory() as old_cache, tempfile.TemporaryDirectory() as new_cache:
        caches = {"old": old_cache, "new": new_cache}
        differ = False
        for query in queries:
            answers = {name: run(ties, args.data, caches[name], query)[1] for name, ties in builds.items()}
            if answers["old"] != answers["new"]:
                differ = True
                print(f"different answers: {query}")
        times = {query: {"old": [], "new": []} for query in queries}
        for turn in range(args.runs):
            for query in queries:
                for name in ("old", "new") if turn % 2 == 0 else ("new", "old"):
                    times[query][name].append(run(builds[name], args.data, caches[name], query)[0])
    print("| old | new | change | query |")
    print("|---:|---:|---:|---|")
    worst = 0.0
    for query in queries:
        old = statistics.median(times[query]["old"])
        new = statistics.median(times[query]["new"])
        worst = max(worst, new / old)
        print(f"| {old:.3f} s | {new:.3f} s | {100 * (new / old - 1):+.0f}% | `{query}` |")
    print(f"\nslowest relative to the old build: {100 * (worst - 1):+.0f}%")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
