"""Runs scripts/spark_graph.py in Spark (local mode) over `ties`' Parquet and compares its
degree, components and hop counts with `ties stats --metrics degree,components` and
`ties path`.

    python spark_check.py TIES DATA_DIR SOURCE_ID|auto WORK_DIR

`auto` starts the hop counts at the most connected entity.

Components are compared as partitions (Spark labels them by smallest id, `ties` by size).
Exits 1 naming each difference.
"""

import csv
import json
import os
import subprocess
import sys
import time

import pyarrow.parquet as pq


def table(path):
    return pq.read_table(path).to_pylist()


def main():
    ties, data, source, work = sys.argv[1:5]
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "spark_graph.py")
    parquet = os.path.join(work, "parquet")
    out = os.path.join(work, "spark")
    subprocess.run([ties, "--data", data, "-q", "export", "--format", "parquet", "-o", parquet], check=True)
    stats = json.loads(
        subprocess.run(
            [ties, "--data", data, "-q", "stats", "--metrics", "degree,components", "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    entities = stats["entities"]
    if source == "auto":
        source = max(entities, key=lambda entity: entity["degree"])["id"]
    began = time.monotonic()
    subprocess.run([sys.executable, script, parquet, source, out], check=True)
    seconds = time.monotonic() - began
    problems = []

    spark_degree = {row["id"]: row["degree"] for row in table(f"{out}/degree")}
    for entity in entities:
        if spark_degree.get(entity["id"]) != entity["degree"]:
            problems.append(f"degree of {entity['id']}: ties {entity['degree']}, Spark {spark_degree.get(entity['id'])}")

    def partition(pairs):
        groups = {}
        for entity_id, label in pairs:
            groups.setdefault(label, set()).add(entity_id)
        return sorted(sorted(group) for group in groups.values())

    spark_parts = partition((row["id"], row["component"]) for row in table(f"{out}/component"))
    ties_parts = partition((entity["id"], entity["component"]) for entity in entities)
    if spark_parts != ties_parts:
        problems.append(f"components: ties {len(ties_parts)}, Spark {len(spark_parts)} (or different members)")

    pairs = os.path.join(work, "pairs.csv")
    with open(pairs, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["from", "to"])
        for entity in entities:
            writer.writerow([source, entity["id"]])
    answers = subprocess.run(
        [ties, "--data", data, "-q", "path", "--pairs", pairs, "--format", "json"],
        capture_output=True,
        text=True,
    )
    ties_hops = {}
    for line in answers.stdout.splitlines():
        answer = json.loads(line)
        if answer["paths"]:
            ties_hops[answer["to"]] = answer["paths"][0]["length"]
        elif answer["from"] == answer["to"]:
            ties_hops[answer["to"]] = 0
    ties_hops.setdefault(source, 0)
    spark_hops = {row["id"]: row["hops"] for row in table(f"{out}/hops")}
    if spark_hops != ties_hops:
        differ = sorted(set(spark_hops.items()) ^ set(ties_hops.items()))[:5]
        problems.append(f"hops from {source}: {len(ties_hops)} reached by ties, {len(spark_hops)} by Spark; e.g. {differ}")

    print(
        f"spark: {len(entities)} entities, {stats['graph']['links']} links, {len(ties_parts)} components, "
        f"{len(ties_hops)} reached from {source} in up to {max(ties_hops.values())} hops; job {seconds:.1f} s"
    )
    for problem in problems[:20]:
        print(problem)
    if problems:
        print(f"spark: {len(problems)} differences from ties")
        sys.exit(1)
    print("spark: degree, components and hop counts agree with ties")


if __name__ == "__main__":
    main()
