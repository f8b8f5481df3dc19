"""Round trip: real readers load what `ties build` wrote and agree with `ties stats`.

Usage: python check.py OUT_DIR STATS_JSON PROBE_JSON
  OUT_DIR     a folder written by `ties build`
  STATS_JSON  `ties stats --format json` of the same data
  PROBE_JSON  {"node": ID, "attr": NAME, "value": V, "edge_type": TYPE}: one typed attribute
              and one relation type that every reader must return unchanged

Readers: NetworkX (GraphML, GEXF, node-link JSON), igraph and rustworkx (GraphML), FalkorDB embedded
(falkordblite) running graph.cypher, pydot and Graphviz's gc (graph.dot), pyarrow and DuckDB
(parquet/), Python's csv module (neo4j/ headers and rows). Exits 1 with a message on the first
disagreement.
"""
import json
import os
import re
import sys
import tempfile

import igraph
import networkx as nx


def fail(message):
    print(f"roundtrip: FAIL: {message}")
    sys.exit(1)


def expect(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")
    shown = repr(got)
    print(f"roundtrip: ok  {what}: {shown if len(shown) <= 120 else shown[:117] + '...'}")


def main():
    out, stats_path, probe_path = sys.argv[1:4]
    stats = json.load(open(stats_path, encoding="utf-8"))
    probe = json.load(open(probe_path, encoding="utf-8"))
    n, m = stats["entities"], stats["relations"]
    types = {t["name"]: t["count"] for t in stats["rel_types"]}

    # NetworkX, GraphML: parallel relations make it a MultiDiGraph keyed by edge id.
    g = nx.read_graphml(os.path.join(out, "graph.graphml"))
    expect("networkx graphml nodes", g.number_of_nodes(), n)
    expect("networkx graphml edges", g.number_of_edges(), m)
    expect("networkx graphml directed", g.is_directed(), True)
    node = g.nodes[probe["node"]]
    expect("networkx graphml typed attribute", node[probe["attr"]], probe["value"])
    expect("networkx graphml label", node["label"], probe["name"])
    counted = {}
    for _, _, data in g.edges(data=True):
        counted[data["type"]] = counted.get(data["type"], 0) + 1
    expect("networkx graphml relation types", counted, types)
    graphml_ids = set(g.nodes)

    # igraph, GraphML.
    ig = igraph.Graph.Read_GraphML(os.path.join(out, "graph.graphml"))
    expect("igraph graphml nodes", ig.vcount(), n)
    expect("igraph graphml edges", ig.ecount(), m)
    vertex = ig.vs.find(id=probe["node"])
    expect("igraph graphml typed attribute", vertex[probe["attr"]], probe["value"])
    expect("igraph graphml ids", set(ig.vs["id"]), graphml_ids)

    # rustworkx, GraphML.
    import rustworkx

    rg = rustworkx.read_graphml(os.path.join(out, "graph.graphml"))[0]
    expect("rustworkx graphml nodes", rg.num_nodes(), n)
    expect("rustworkx graphml edges", rg.num_edges(), m)
    payload = next(p for p in rg.nodes() if p["id"] == probe["node"])
    expect("rustworkx graphml typed attribute", payload[probe["attr"]], probe["value"])
    expect("rustworkx graphml ids", {p["id"] for p in rg.nodes()}, graphml_ids)

    # NetworkX, GEXF.
    x = nx.read_gexf(os.path.join(out, "graph.gexf"))
    expect("networkx gexf nodes", x.number_of_nodes(), n)
    expect("networkx gexf edges", x.number_of_edges(), m)
    expect("networkx gexf ids", set(x.nodes), graphml_ids)
    expect("networkx gexf typed attribute", x.nodes[probe["node"]][probe["attr"]], probe["value"])
    gexf_types = {}
    for _, _, data in x.edges(data=True):
        gexf_types[data["type"]] = gexf_types.get(data["type"], 0) + 1
    expect("networkx gexf relation types", gexf_types, types)

    # NetworkX, node-link JSON.
    j = nx.node_link_graph(json.load(open(os.path.join(out, "graph.json"), encoding="utf-8")), edges="edges")
    expect("networkx json nodes", j.number_of_nodes(), n)
    expect("networkx json edges", j.number_of_edges(), m)
    expect("networkx json ids", set(j.nodes), graphml_ids)
    expect("networkx json typed attribute", j.nodes[probe["node"]][probe["attr"]], probe["value"])

    # FalkorDB embedded, the openCypher script statement by statement.
    from redislite.falkordb_client import FalkorDB

    script = open(os.path.join(out, "graph.cypher"), encoding="utf-8").read()
    code = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    statements = [s.strip() for s in re.split(r";\n", code + "\n") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        db = FalkorDB(os.path.join(tmp, "falkor.db"))
        graph = db.select_graph("ties")
        for statement in statements:
            try:
                graph.query(statement)
            except Exception as err:  # report which statement broke
                fail(f"FalkorDB refused a statement: {err}\n{statement[:400]}")
        expect("falkordb nodes", graph.query("MATCH (n) RETURN count(n)").result_set[0][0], n)
        expect("falkordb relationships", graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0], m)
        rows = graph.query(
            "MATCH (n:Entity {id: $id}) RETURN n[$attr], n.name", params={"id": probe["node"], "attr": probe["attr"]}
        ).result_set
        expect("falkordb typed attribute", rows[0][0], probe["value"])
        expect("falkordb name", rows[0][1], probe["name"])
        names = {row[0]: row[1] for row in graph.query("MATCH (n:Entity) RETURN n.id, n.name").result_set}
        expect("falkordb names, every one literal", names, {v: d["label"] for v, d in g.nodes(data=True)})
        edge_type = probe["edge_type"]
        count = graph.query(f"MATCH ()-[r:`{edge_type}`]->() RETURN count(r)").result_set[0][0]
        expect(f"falkordb `{edge_type}` relationships", count, types[edge_type])
        db.client.shutdown() if hasattr(db.client, "shutdown") else None
    # pydot and Graphviz's gc read graph.dot: exactly one node per entity (no legend node),
    # one edge per relation (the DOT export does not bundle).
    import pydot

    (dot_graph,) = pydot.graph_from_dot_file(os.path.join(out, "graph.dot"))
    dot_nodes = {node.get_name() for node in dot_graph.get_nodes()} - {"node", "edge", "graph"}
    expect("pydot nodes", len(dot_nodes), n)
    expect("pydot edges", len(dot_graph.get_edges()), m)
    import shutil
    import subprocess

    if shutil.which("gc"):
        counted = subprocess.run(["gc", "-n", "-e", os.path.join(out, "graph.dot")], capture_output=True, text=True)
        # One line per graph: the node count, the edge count, the graph's name.
        numbers = [int(word) for word in counted.stdout.split()[:2]]
        expect("gc nodes and edges", numbers, [n, m])
    else:
        fail("Graphviz's gc is not installed")
    check_parquet(out, n, m, types, probe, {v: d["label"] for v, d in g.nodes(data=True)})
    check_neo4j(out, n, m, types)
    print("roundtrip: all readers agree")


def check_parquet(out, n, m, types, probe, labels):
    """pyarrow and DuckDB read the Parquet tables: counts, ids, types and typed values."""
    import duckdb
    import pyarrow.parquet as pq

    nodes = pq.read_table(os.path.join(out, "parquet", "nodes.parquet"))
    edges = pq.read_table(os.path.join(out, "parquet", "edges.parquet"))
    expect("pyarrow parquet nodes", nodes.num_rows, n)
    expect("pyarrow parquet edges", edges.num_rows, m)
    expect("pyarrow parquet ids and labels", dict(zip(nodes["id"].to_pylist(), nodes["label"].to_pylist())), labels)
    expect("pyarrow parquet edge ids", edges["id"].to_pylist(), [f"e{i}" for i in range(m)])
    counted = {}
    for t in edges["type"].to_pylist():
        counted[t] = counted.get(t, 0) + 1
    expect("pyarrow parquet relation types", counted, types)
    row = next(r for r in nodes.to_pylist() if r["id"] == probe["node"])
    expect("pyarrow parquet typed attribute", row[probe["attr"]], probe["value"])
    expect("pyarrow parquet key types", [str(edges.schema.field(c).type) for c in ("src", "dst", "start_from", "weight")],
           ["string", "string", "date32[day]", "double"])
    nodes_file = os.path.join(out, "parquet", "nodes.parquet")
    edges_file = os.path.join(out, "parquet", "edges.parquet")
    con = duckdb.connect()
    expect("duckdb parquet counts",
           con.execute(f"SELECT (SELECT count(*) FROM '{nodes_file}'), (SELECT count(*) FROM '{edges_file}')").fetchall()[0],
           (n, m))
    # Every edge's endpoints are nodes: the join GraphFrames and DuckDB users write.
    dangling = con.execute(
        f"SELECT count(*) FROM '{edges_file}' e LEFT JOIN '{nodes_file}' s ON e.src = s.id "
        f"LEFT JOIN '{nodes_file}' d ON e.dst = d.id WHERE s.id IS NULL OR d.id IS NULL").fetchall()[0][0]
    expect("duckdb parquet endpoints are nodes", dangling, 0)
    typed = con.execute(f"SELECT \"{probe['attr']}\" FROM '{nodes_file}' WHERE id = $id",
                        {"id": probe["node"]}).fetchall()[0][0]
    expect("duckdb parquet typed attribute", typed, probe["value"])


def check_neo4j(out, n, m, types):
    """Python's csv module reads the neo4j-admin files: headers as neo4j-admin parses them
    (name:type, :ID/:START_ID/:END_ID, :LABEL/:TYPE), one row per entity and relation."""
    import csv

    folder = os.path.join(out, "neo4j")
    entities = relationships = 0
    relation_types = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        if any(len(row) != len(header) for row in body):
            fail(f"neo4j {name}: a row's width differs from its header's")
        for cell in header:
            if not re.fullmatch(r"[^:]*(:(ID|START_ID|END_ID)\(Entity\)|:LABEL|:TYPE|:(string|long|double|boolean|date)(\[\])?)?", cell):
                fail(f"neo4j {name}: header cell {cell!r} is not name:type")
        if name.startswith("nodes_"):
            expect(f"neo4j {name} header starts", header[:3], ["id:ID(Entity)", ":LABEL", "name"])
            entities += len(body)
        else:
            expect(f"neo4j {name} header starts", header[:3], [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"])
            relationships += len(body)
            for row in body:
                relation_types[row[2]] = relation_types.get(row[2], 0) + 1
    expect("neo4j csv entities", entities, n)
    expect("neo4j csv relationships", relationships, m)
    expect("neo4j csv relation types", relation_types, types)


if __name__ == "__main__":
    main()
