"""The metrics benchmark in networkit, for side-by-side figures with `cargo bench --bench metrics`.

Usage: python benches/networkit_metrics.py DATA_DIR [SAMPLES] [THREADS]

Reads the same CSVs (ids mapped to 0..n-1, relations as an undirected simple graph, as ties
measures it), then times PageRank (tolerance 1e-8), connected components, PLM (Louvain),
core decomposition and EstimateBetweenness with SAMPLES sources (default 256), on THREADS
threads (default 2). Prints the load time apart: only the metric times compare with ties'.
"""
import csv
import glob
import os
import sys
import time

import networkit as nk


def main():
    data = sys.argv[1]
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    nk.setNumberOfThreads(threads)
    started = time.perf_counter()
    index = {}
    for path in sorted(glob.glob(os.path.join(data, "entities", "*.csv"))):
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            column = [h.split(":")[0] for h in next(reader)].index("id")
            for row in reader:
                index.setdefault(row[column], len(index))
    g = nk.Graph(len(index), weighted=False, directed=False)
    for path in sorted(glob.glob(os.path.join(data, "relations", "*.csv"))):
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = [h.split(":")[0] for h in next(reader)]
            a, b = header.index("from"), header.index("to")
            for row in reader:
                u, v = index[row[a]], index[row[b]]
                if u != v:
                    g.addEdge(u, v, checkMultiEdge=False)
    g.removeMultiEdges()
    g.removeSelfLoops()
    print(f"networkit {nk.__version__}: loaded {g.numberOfNodes()} nodes, {g.numberOfEdges()} edges "
          f"in {time.perf_counter() - started:.1f} s; {threads} threads")
    print("| metric | time | notes |")
    print("| --- | --- | --- |")

    def timed(name, run, notes=lambda result: ""):
        started = time.perf_counter()
        result = run()
        print(f"| {name} | {time.perf_counter() - started:.2f} s | {notes(result)} |")

    def pagerank():
        pr = nk.centrality.PageRank(g, damp=0.85, tol=1e-8)
        pr.run()
        return pr

    timed("pagerank", pagerank, lambda pr: f"{pr.numberOfIterations()} iterations (tol 1e-8)")

    def components():
        cc = nk.components.ConnectedComponents(g)
        cc.run()
        return cc

    timed("components", components, lambda cc: f"{cc.numberOfComponents()} components")

    def cores():
        core = nk.centrality.CoreDecomposition(g)
        core.run()
        return core

    timed("kcore", cores)

    def plm():
        communities = nk.community.detectCommunities(g, algo=nk.community.PLM(g, refine=False), inspect=False)
        return communities

    timed("communities (PLM)", plm, lambda p: f"{p.numberOfSubsets()} communities, modularity "
          f"{nk.community.Modularity().getQuality(p, g):.4f}")

    def betweenness():
        b = nk.centrality.EstimateBetweenness(g, samples, normalized=True, parallel=True)
        b.run()
        return b

    timed("betweenness", betweenness, lambda b: f"{samples} sampled sources")


if __name__ == "__main__":
    main()
