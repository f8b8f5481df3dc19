"""Load test of `ties serve`: many Bolt clients at once, against `ties query` run per process.

Usage:
  python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
  python benches/bolt_load.py target/release/ties /tmp/kg-large [--clients 32] [--seconds 60]

Needs the `neo4j` driver (pip install neo4j). Starts `ties serve` on a free port of 127.0.0.1
(the time until it answers is the load time every `ties query` process pays), then:
- one client runs `RETURN 1` 1,000 times: the driver's round trip on a trivial query;
- CLIENTS processes, each with its own driver and session, run a mix of queries with ids
  from the data's pairs.csv for SECONDS: throughput, p50 and p99 latency;
- the server's peak memory (VmHWM) after all of it;
- each query of the mix once through `ties query`, a process of its own that loads the data.
Prints a Markdown table for benches/results.
"""
import argparse
import csv
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import time

MIX = [
    ("one hop, typed", "MATCH (p {id: $a})-[:member_of|employs]-(x) RETURN x.id"),
    ("one hop, grouped", "MATCH (p {id: $a})-[r]-(x) RETURN type(r) AS t, count(*) AS n ORDER BY n DESC"),
    ("two hops, label",
     "MATCH (p {id: $a})-[:member_of]->(o:organizations)<-[:member_of]-(q) RETURN count(DISTINCT q)"),
    ("shortest path", "MATCH p = shortestPath((a {id: $a})-[*..12]-(b {id: $b})) RETURN length(p)"),
    ("entity", "MATCH (p {id: $a}) RETURN p"),
]


def client(address, pairs, seconds, seed, out):
    from neo4j import GraphDatabase

    rng = random.Random(seed)
    latencies = {name: [] for name, _ in MIX}
    with GraphDatabase.driver(f"bolt://{address}") as driver, driver.session() as session:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            name, text = rng.choice(MIX)
            a, b = rng.choice(pairs)
            started = time.perf_counter()
            session.run(text, a=a, b=b).consume()
            latencies[name].append(time.perf_counter() - started)
    out.put(latencies)


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ties")
    parser.add_argument("root", help="a gen.py output folder (data/ and pairs.csv)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    data = os.path.join(args.root, "data")
    with open(os.path.join(args.root, "pairs.csv"), encoding="utf-8") as f:
        pairs = [(r["from"], r["to"]) for r in csv.DictReader(f)][:1000]

    started = time.monotonic()
    server = subprocess.Popen([args.ties, "--data", data, "-q", "serve", "--bolt", "127.0.0.1:0",
                               "--max-connections", str(args.clients + 8),
                               "--max-queries", str(args.clients)],
                              stdout=subprocess.PIPE, text=True)
    address = re.search(r"bolt://(\S+)", server.stdout.readline()).group(1)
    load_seconds = time.monotonic() - started
    try:
        from neo4j import GraphDatabase
        with GraphDatabase.driver(f"bolt://{address}") as driver, driver.session() as session:
            session.run("RETURN 1").consume()
            trivial = []
            for _ in range(1000):
                t = time.perf_counter()
                session.run("RETURN 1 AS one").consume()
                trivial.append(time.perf_counter() - t)

        queue = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=client, args=(address, pairs, args.seconds, i, queue))
                   for i in range(args.clients)]
        t0 = time.monotonic()
        for w in workers:
            w.start()
        results = [queue.get() for _ in workers]
        for w in workers:
            w.join()
        wall = time.monotonic() - t0
        status = open(f"/proc/{server.pid}/status", encoding="utf-8").read()
        peak_mib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    finally:
        server.terminate()
        server.wait()

    per_process = {}
    for name, text in MIX:
        a, b = pairs[0]
        t = time.monotonic()
        subprocess.run([args.ties, "--data", data, "-q", "query", "--param", f"a={a}", "--param", f"b={b}",
                        "-e", text], check=False, capture_output=True)
        per_process[name] = time.monotonic() - t

    total = sum(len(r[name]) for r in results for name, _ in MIX)
    everything = [x for r in results for name, _ in MIX for x in r[name]]
    print(f"ties serve on {args.root}: loaded and answering in {load_seconds:.1f} s; "
          f"peak memory {peak_mib:.0f} MiB")
    print(f"driver round trip, RETURN 1 x1000: p50 {quantile(trivial, 0.5) * 1000:.3f} ms, "
          f"p99 {quantile(trivial, 0.99) * 1000:.3f} ms")
    print(f"{args.clients} clients for {args.seconds:.0f} s: {total} queries, {total / wall:.0f} per second, "
          f"p50 {quantile(everything, 0.5) * 1000:.2f} ms, p99 {quantile(everything, 0.99) * 1000:.2f} ms")
    print()
    print("| query | served: runs | p50 ms | p99 ms | `ties query` process, s |")
    print("|---|---:|---:|---:|---:|")
    for name, _ in MIX:
        values = [x for r in results for x in r[name]]
        print(f"| {name} | {len(values)} | {quantile(values, 0.5) * 1000:.2f} | "
              f"{quantile(values, 0.99) * 1000:.2f} | {per_process[name]:.2f} |")


if __name__ == "__main__":
    main()
