"""Whether `graph.cypher` is written to load fast, and loads whole, into FalkorDB; with the
time it took beside the same graph loaded the way FalkorDB's clients load bulk data
(parameterised `UNWIND $rows` statements of 1,000 rows after `CREATE INDEX FOR (n:Entity) ON
(n.id)`).

Usage: python cypher_load.py OUT_DIR [--dialect falkordb] [--max-ratio R]

OUT_DIR holds `graph.cypher` and `graph.json` of one `ties build`. The checks are of the
script's shape, which is what made it slow when it was slow (one statement per row, ends
found by scanning every node, a literal list FalkorDB parses slowly): it starts by indexing
`:Entity(id)`, rows come in batches of at most 1,000 per kind or type, every relationship
finds its ends through that index, and the FalkorDB dialect passes its rows as a parameter.
Both loads go into fresh embedded FalkorDB graphs (falkordblite) and must end with the
counts of graph.json. The times are printed, not judged: a timing bound in CI fails on a
shared runner's noise (`--max-ratio` judges them, for a benchmark on a quiet machine).
Exits 1 when a check fails.
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


def shape(statements, data, dialect):
    """The problems of the script's shape, as sentences."""
    problems = []
    if not statements[0].upper().startswith("CREATE INDEX"):
        problems.append(f"it does not start by indexing :Entity(id): {statements[0][:80]}")
    kinds, types = {}, {}
    for node in data["nodes"]:
        kinds[node["kind"]] = kinds.get(node["kind"], 0) + 1
    for edge in data["edges"]:
        types[edge["type"]] = types.get(edge["type"], 0) + 1
    most = 1 + sum(-(-rows // BATCH) for rows in [*kinds.values(), *types.values()])
    if len(statements) > most:
        problems.append(f"{len(statements)} statements for {len(data['nodes'])} nodes and "
                        f"{len(data['edges'])} relationships: rows are not batched by {BATCH} "
                        f"(at most {most})")
    relationship_statements = [s for s in statements if "MATCH" in s]
    if len(relationship_statements) < -(-len(data["edges"]) // BATCH):
        problems.append("fewer relationship statements than batches of relationships")
    for statement in relationship_statements:
        if not re.search(r"MATCH \(a:Entity \{id: row\[0\]\}\), \(b:Entity \{id: row\[1\]\}\)",
                         statement):
            problems.append(f"a relationship statement does not find its ends by :Entity(id): "
                            f"{statement[:120]}")
            break
    if dialect == "falkordb" and not all(s.startswith("CYPHER rows=") for s in statements[1:]):
        problems.append("the FalkorDB dialect writes rows as a literal list, not a parameter")
    return problems


def main():
    args = sys.argv[1:]
    out = args[0]
    dialect = args[args.index("--dialect") + 1] if "--dialect" in args else "neo4j"
    ratio_allowed = float(args[args.index("--max-ratio") + 1]) if "--max-ratio" in args else None
    statements = script_statements(os.path.join(out, "graph.cypher"))
    data = json.load(open(os.path.join(out, "graph.json"), encoding="utf-8"))
    for problem in shape(statements, data, dialect):
        fail(f"graph.cypher ({dialect}): {problem}")
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
    ratio = script_seconds / max(unwind_seconds, 1e-9)
    print(f"cypher load ({dialect}): graph.cypher, {len(statements)} statements as written: "
          f"{script_seconds:.2f} s; parameterised UNWIND: {unwind_seconds:.2f} s "
          f"({ratio:.2f} times; {wanted[0]} nodes, {wanted[1]} relationships)")
    if script_counts != wanted or unwind_counts != wanted:
        fail(f"counts: script {script_counts}, unwind {unwind_counts}, graph.json {wanted}")
    if ratio_allowed is not None and ratio > ratio_allowed:
        fail(f"graph.cypher took {ratio:.1f} times the parameterised load (at most {ratio_allowed})")
    print("cypher load: ok")


if __name__ == "__main__":
    main()
