"""`ties serve` under LangChain's `Neo4jGraph`: it connects, reads the schema it would give a
language model (through `apoc.meta.data`), and answers queries as `ties query` does.

Usage: python langchain_check.py TIES_BINARY DATA_DIR
Exits 1 on the first difference. The server is stopped however the check ends.
"""
import json
import re
import subprocess
import sys

from langchain_neo4j import Neo4jGraph


def fail(message):
    print(f"langchain: FAIL {message}")
    sys.exit(1)


def main():
    ties, data = sys.argv[1:3]
    server = subprocess.Popen([ties, "--data", data, "serve", "--bolt", "127.0.0.1:0", "--auth", "reader:s3cret"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = re.search(r"bolt://(\S+)", server.stdout.readline()).group(1)
        graph = Neo4jGraph(url=f"bolt://{address}", username="reader", password="s3cret")
        schema = graph.get_structured_schema
        stats = json.loads(subprocess.run([ties, "--data", data, "-q", "stats", "--format", "json"],
                                          check=True, capture_output=True, text=True).stdout)
        kinds = {k["name"] for k in stats["kinds"]}
        if set(schema["node_props"]) != kinds:
            fail(f"node labels {sorted(schema['node_props'])} != kinds {sorted(kinds)}")
        for kind, props in schema["node_props"].items():
            names = {p["property"] for p in props}
            if not {"id", "name"} <= names:
                fail(f"{kind} lacks id or name: {names}")
        triples = {(r["start"], r["type"], r["end"]) for r in schema["relationships"]}
        query = "MATCH (a)-[r]->(b) RETURN DISTINCT labels(a)[1] AS a, type(r) AS t, labels(b)[1] AS b"
        ran = subprocess.run([ties, "--data", data, "-q", "query", "--format", "json", "-e", query],
                             check=True, capture_output=True, text=True)
        expected = {(row["a"], row["t"], row["b"]) for row in json.loads(ran.stdout)["rows"]}
        if triples != expected:
            fail(f"relationships differ: {sorted(triples ^ expected)[:5]}")
        if "Node properties:" not in graph.get_schema or "The relationships:" not in graph.get_schema:
            fail(f"the schema text lacks its parts:\n{graph.get_schema}")
        rows = graph.query("MATCH (c:countries) RETURN c.name AS name ORDER BY name")
        names = [r["name"] for r in rows]
        ran = subprocess.run([ties, "--data", data, "-q", "query", "--format", "json", "-e",
                              "MATCH (c:countries) RETURN c.name AS name ORDER BY name"],
                             check=True, capture_output=True, text=True)
        if names != [r["name"] for r in json.loads(ran.stdout)["rows"]]:
            fail(f"query answered {names}")
        print(f"langchain: Neo4jGraph reads {len(schema['node_props'])} labels, "
              f"{len(schema['rel_props'])} relationship types and {len(triples)} patterns, and queries")
        print(graph.get_schema.splitlines()[0])
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
