"""Network metrics against NetworkX and igraph.

Usage: python metrics.py TIES_BINARY DATA_DIR...

For each data folder (a real one, plus random graphs this script writes: a sparse one of
2,000 entities with parallel relations, self-loops, weights and several components, and a
denser one of 600), runs `ties stats --metrics all --format json` undirected, directed and
weighted, and compares every entity's values with NetworkX on the same simple graph:
PageRank within 1e-6, exact betweenness and harmonic closeness within 1e-9, eigenvector
within 1e-6, components and core numbers identical, and Louvain's modularity at least
igraph's community_multilevel's minus 0.01. Exits 1 on the first disagreement.
"""
import csv
import json
import os
import random
import subprocess
import sys
import tempfile

import igraph
import networkx as nx


def fail(message):
    print(f"metrics: FAIL: {message}")
    sys.exit(1)


def ok(message):
    print(f"metrics: ok  {message}")


def ties_metrics(ties, data, *flags):
    ran = subprocess.run(
        [ties, "--data", data, "-q", "stats", "--metrics", "all", "--format", "json", *flags],
        capture_output=True,
        text=True,
    )
    if ran.returncode != 0:
        fail(f"ties stats {flags} on {data} exited {ran.returncode}: {ran.stderr}")
    return json.loads(ran.stdout)


def relations(data):
    """(from, to, weight) of every relation, and every entity id, read from the CSVs."""
    ids, rows = [], []
    for name in sorted(os.listdir(os.path.join(data, "entities"))):
        with open(os.path.join(data, "entities", name), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = [h.split(":")[0].strip() for h in next(reader)]
            for row in reader:
                if any(cell.strip() for cell in row):
                    ids.append(row[header.index("id")].strip())
    for name in sorted(os.listdir(os.path.join(data, "relations"))):
        with open(os.path.join(data, "relations", name), encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = [h.split(":")[0].strip() for h in next(reader)]
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                cell = dict(zip(header, row))
                weight = cell.get("weight", "").strip()
                rows.append((cell["from"].strip(), cell["to"].strip(), float(weight) if weight else 1.0))
    return ids, rows


def simple_graph(ids, rows, directed, weighted):
    """The graph ties measures: parallel relations once (weights summed when weighted), no
    self-loops."""
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(ids)
    for a, b, w in rows:
        if a == b:
            continue
        if g.has_edge(a, b):
            if weighted:
                g[a][b]["weight"] += w
        else:
            g.add_edge(a, b, weight=w if weighted else 1.0)
    return g


def close(what, ours, theirs, tolerance):
    worst = max((abs(ours[k] - theirs[k]), k) for k in theirs)
    if worst[0] > tolerance:
        fail(f"{what}: {worst[1]} differs by {worst[0]:.3g} (ours {ours[worst[1]]!r}, NetworkX {theirs[worst[1]]!r})")
    ok(f"{what}: {len(theirs)} entities within {tolerance:g} (worst {worst[0]:.2g})")


def partition(labels):
    groups = {}
    for node, label in labels.items():
        groups.setdefault(label, set()).add(node)
    return sorted(sorted(g) for g in groups.values())


def check(ties, data, name):
    ids, rows = relations(data)
    for directed, weighted in [(False, False), (True, False), (False, True)]:
        flags = (["--directed"] if directed else []) + (["--weighted"] if weighted else [])
        label = f"{name} {'directed' if directed else 'undirected'}{' weighted' if weighted else ''}"
        result = ties_metrics(ties, data, *flags)
        entities = result["entities"]
        if len(entities) != len(ids):
            fail(f"{label}: {len(entities)} entities, want {len(ids)}")
        ours = {metric: {e["id"]: e[metric] for e in entities} for metric in entities[0] if metric not in ("id", "name", "kind")}
        g = simple_graph(ids, rows, directed, weighted)
        weight = "weight" if weighted else None
        if not weighted:
            expected_degree = dict(g.degree())
            if ours["degree"] != expected_degree:
                fail(f"{label}: degree differs")
            ok(f"{label} degree: identical")
        close(f"{label} pagerank", ours["pagerank"], nx.pagerank(g, alpha=0.85, tol=1e-12, weight=weight, max_iter=10000), 1e-6)
        if weighted and any(w == 0 for _, _, w in rows):
            # A length of 0 makes ties of equal distance that NetworkX counts in settling
            # order both ways; ties counts each such link one way (docs/metrics.md).
            ok(f"{label} betweenness and closeness: not compared (a relation weighs 0)")
        else:
            close(f"{label} betweenness", ours["betweenness"],
                  nx.betweenness_centrality(g, normalized=True, weight=weight), 1e-9)
            close(f"{label} closeness", ours["closeness"], nx.harmonic_centrality(g, distance=weight), 1e-9)
        try:
            theirs = nx.eigenvector_centrality(g, max_iter=20000, tol=1e-12, weight=weight)
        except nx.PowerIterationFailedConvergence:
            # No stable eigenvector (a graph without cycles): both must say so.
            if result["graph"]["eigenvector_converged"]:
                fail(f"{label}: NetworkX's eigenvector does not converge, ours says it did")
            ok(f"{label} eigenvector: neither converges, and ties says so")
        else:
            close(f"{label} eigenvector", ours["eigenvector"], theirs, 1e-6)
        undirected = g.to_undirected() if directed else g
        if partition(ours["component"]) != partition(
            {n: i for i, c in enumerate(nx.connected_components(undirected)) for n in c}
        ):
            fail(f"{label}: components differ")
        ok(f"{label} components: identical ({result['graph']['components']})")
        if ours["core"] != nx.core_number(nx.Graph(undirected)):
            fail(f"{label}: core numbers differ")
        ok(f"{label} core numbers: identical")
        random.seed(1)  # igraph draws from Python's random module
        ig = igraph.Graph.from_networkx(nx.Graph(undirected))
        ig_weights = "weight" if weighted else None
        theirs = ig.community_multilevel(weights=ig_weights).modularity
        q = result["graph"]["modularity"]
        recomputed = nx.community.modularity(
            nx.Graph(undirected), [set(c) for c in partition(ours["community"])], weight="weight"
        )
        if abs(recomputed - q) > 1e-9:
            fail(f"{label}: reported modularity {q} but NetworkX computes {recomputed} for the same communities")
        if q < theirs - 0.01:
            fail(f"{label}: Louvain modularity {q:.4f} below igraph's {theirs:.4f} - 0.01")
        ok(f"{label} communities: modularity {q:.4f} (igraph multilevel {theirs:.4f})")


def random_data(folder, n, m, seed):
    """A random multigraph with parallel relations, self-loops, weights and small components."""
    rng = random.Random(seed)
    os.makedirs(os.path.join(folder, "entities"))
    os.makedirs(os.path.join(folder, "relations"))
    with open(os.path.join(folder, "entities", "things.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for i in range(n):
            w.writerow([f"t{i}", f"Thing {i}"])
    with open(os.path.join(folder, "relations", "link.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["from", "type", "to", "weight:float"])
        core = int(n * 0.9)
        for _ in range(m):
            # Preferential-ish: low ids are hubs; the last tenth only links among itself.
            if rng.random() < 0.05:
                a, b = rng.randrange(core, n), rng.randrange(core, n)
            else:
                a = int(core * rng.random() ** 2)
                b = rng.randrange(core)
            w.writerow([f"t{a}", "link", f"t{b}", rng.choice(["", "0.5", "1", "2", "3.25"])])
        for _ in range(m // 20):  # parallel copies
            a, b = rng.randrange(core), rng.randrange(core)
            w.writerow([f"t{a}", "link", f"t{b}", "1"])
            w.writerow([f"t{a}", "link", f"t{b}", "2"])


def main():
    ties, *folders = sys.argv[1:]
    for data in folders:
        check(ties, data, data)
    with tempfile.TemporaryDirectory() as tmp:
        for n, m, seed in [(2000, 5000, 7), (600, 4000, 11)]:
            folder = os.path.join(tmp, f"random-{n}")
            random_data(folder, n, m, seed)
            check(ties, folder, f"random {n}/{m}")
    print("metrics: ties agrees with NetworkX and igraph")


if __name__ == "__main__":
    main()
