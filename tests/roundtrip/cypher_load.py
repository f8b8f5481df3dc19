"""How fast `graph.cypher` loads into FalkorDB as written, against the same graph loaded the
way FalkorDB's clients load bulk data: parameterised `UNWIND $rows` statements of 1,000 rows
after `CREATE INDEX FOR (n:Entity) ON (n.id)`.

Usage: python cypher_load.py OUT_DIR [MAX_RATIO]

OUT_DIR holds `graph.cypher` and `graph.json` of one `ties build`. Both loads go into fresh
embedded FalkorDB graphs (falkordblite); both must end with the same counts of nodes and
relationships, and the script must take at most MAX_RATIO (default 3) times as long as the
parameterised load. Prints both times; exits 1 when a check fails.
"""
import json
import os
import re
import sys
import tempfile
import time

from redislite.falkordb_client import FalkorDB

BATCH = 1000


def fail(message):
    print(f"cypher load: FAIL: {message}")
    sys.exit(1)


def script_statements(path):
    script = open(path, encoding="utf-8").read()
    code = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    return [s.strip() for s in re.split(r";\n", code + "\n") if s.strip()]


def counts(graph):
    nodes = graph.query("MATCH (n) RETURN count(n)").result_set[0][0]
    edges = graph.query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    return nodes, edges


def name(text):
    return "`" + text.replace("`", "``") + "`"


def parameterised(graph, data):
    """The node-link JSON loaded with UNWIND $rows, by kind and by type."""
    graph.query("CREATE INDEX FOR (n:Entity) ON (n.id)")
    by_kind, by_type = {}, {}
    for node in data["nodes"]:
        row = {k: v for k, v in node.items() if k != "kind" and v is not None and not isinstance(v, (list, dict))}
        by_kind.setdefault(node["kind"], []).append(row)
    for edge in data["edges"]:
        row = {k: v for k, v in edge.items() if k not in ("source", "target", "type") and v is not None
               and not isinstance(v, (list, dict))}
        row["from"], row["to"] = edge["source"], edge["target"]
        by_type.setdefault(edge["type"], []).append(row)
    for kind, rows in by_kind.items():
        for i in range(0, len(rows), BATCH):
            graph.query(f"UNWIND $rows AS row CREATE (n:Entity:{name(kind)}) SET n = row",
                        params={"rows": rows[i:i + BATCH]})
    for rel_type, rows in by_type.items():
        for i in range(0, len(rows), BATCH):
            graph.query(f"UNWIND $rows AS row MATCH (a:Entity {{id: row.from}}), (b:Entity {{id: row.to}}) "
                        f"CREATE (a)-[r:{name(rel_type)}]->(b) SET r = row",
                        params={"rows": rows[i:i + BATCH]})


def main():
    out = sys.argv[1]
    ratio_allowed = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    statements = script_statements(os.path.join(out, "graph.cypher"))
    if not statements[0].upper().startswith("CREATE INDEX"):
        fail(f"graph.cypher does not start by indexing :Entity(id): {statements[0][:80]}")
    data = json.load(open(os.path.join(out, "graph.json"), encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        db = FalkorDB(os.path.join(tmp, "falkor.db"))
        graph = db.select_graph("script")
        started = time.perf_counter()
        for statement in statements:
            graph.query(statement)
        script_seconds = time.perf_counter() - started
        script_counts = counts(graph)
        graph = db.select_graph("unwind")
        started = time.perf_counter()
        parameterised(graph, data)
        unwind_seconds = time.perf_counter() - started
        unwind_counts = counts(graph)
    wanted = (len(data["nodes"]), len(data["edges"]))
    print(f"cypher load: graph.cypher, {len(statements)} statements as written: {script_seconds:.2f} s; "
          f"parameterised UNWIND: {unwind_seconds:.2f} s ({wanted[0]} nodes, {wanted[1]} relationships)")
    if script_counts != wanted or unwind_counts != wanted:
        fail(f"counts: script {script_counts}, unwind {unwind_counts}, graph.json {wanted}")
    ratio = script_seconds / max(unwind_seconds, 1e-9)
    if ratio > ratio_allowed:
        fail(f"graph.cypher took {ratio:.1f} times the parameterised load (at most {ratio_allowed})")
    print(f"cypher load: ok, {ratio:.2f} times the parameterised load")


if __name__ == "__main__":
    main()
