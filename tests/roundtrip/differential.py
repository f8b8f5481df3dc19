"""Differential test: the query corpus on ties and on FalkorDB must give the same results.

Usage: python differential.py TIES_BINARY DATA_DIR QUERIES_DIR

Loads `ties export --format cypher` of DATA_DIR into an embedded FalkorDB (falkordblite), then
runs every QUERIES_DIR/*.cypher that both engines support on both and compares the result sets:
as lists when the query has ORDER BY, else as multisets. Nodes compare by their `id` property,
relationships by `rid`, paths by their relationship ids. A query opts out with a line
`// differential: skip (reason)`; error cases (`error-*.cypher`) are skipped. Exits 1 on the
first difference.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path
from redislite.falkordb_client import FalkorDB

from answers import normalise_ties


def normalise_falkor(value):
    if isinstance(value, Node):
        return ("node", value.properties.get("id"))
    if isinstance(value, Edge):
        return ("rel", value.properties.get("rid"))
    if isinstance(value, Path):
        return ("path", tuple(e.properties.get("rid") for e in value.edges()))
    if isinstance(value, list):
        return tuple(normalise_falkor(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, normalise_falkor(v)) for k, v in value.items()))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def main():
    ties, data, queries = sys.argv[1:4]
    script = subprocess.run([ties, "--data", data, "-q", "export", "--format", "cypher", "-o", "-"],
                            check=True, capture_output=True, text=True).stdout
    code = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    statements = [s.strip() for s in re.split(r";\n", code + "\n") if s.strip()]
    compared = 0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        graph = FalkorDB(os.path.join(tmp, "falkor.db")).select_graph("ties")
        for statement in statements:
            graph.query(statement)
        for name in sorted(os.listdir(queries)):
            if not name.endswith(".cypher") or name.startswith("error-"):
                continue
            text = open(os.path.join(queries, name), encoding="utf-8").read()
            skip = re.search(r"^// differential: skip(.*)$", text, re.M)
            if skip:
                print(f"differential: skip {name}{skip.group(1)}")
                continue
            params = dict(re.findall(r"^// param: (\w+)=(.*)$", text, re.M))
            args = [ties, "--data", data, "-q", "query", "--format", "json", os.path.join(queries, name)]
            for key, value in params.items():
                args += ["--param", f"{key}={value}"]
            ran = subprocess.run(args, capture_output=True, text=True)
            if ran.returncode not in (0, 1):
                print(f"differential: FAIL {name}: ties exited {ran.returncode}\n{ran.stderr}")
                sys.exit(1)
            ours = [tuple(normalise_ties(v) for v in row.values()) for row in json.loads(ran.stdout)["rows"]]
            typed = {k: (int(v) if v.lstrip("-").isdigit() else v) for k, v in params.items()}
            try:
                rows = graph.query(text, params=typed).result_set
            except Exception as err:  # FalkorDB refused: mark the query `differential: skip`
                failures.append(f"{name}: FalkorDB refused it: {err}")
                continue
            theirs = [tuple(normalise_falkor(v) for v in row) for row in rows]
            if "ORDER BY" not in text.upper():
                ours, theirs = sorted(ours, key=repr), sorted(theirs, key=repr)
            if ours != theirs:
                failures.append(f"{name}\n  ties:     {ours}\n  FalkorDB: {theirs}")
                continue
            compared += 1
            print(f"differential: ok   {name} ({len(ours)} rows)")
    for failure in failures:
        print(f"differential: FAIL {failure}")
    if failures:
        sys.exit(1)
    print(f"differential: {compared} queries agree")
    if compared < 5:
        print("differential: FAIL too few queries compared")
        sys.exit(1)


if __name__ == "__main__":
    main()
