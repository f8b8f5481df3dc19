"""`ties serve` through Neo4j's official Python driver: answers equal `ties query`'s.

Usage: python bolt_check.py TIES_BINARY DATA_DIR QUERIES_DIR [MIN_COMPARED]

Starts `ties serve` on a free port of 127.0.0.1 (with a password), then through the driver
installed in this Python (6.x and 5.28 in CI):
- `verify_connectivity`, `execute_query` over bolt:// and over neo4j:// (a routing table);
- every QUERIES_DIR/*.cypher (with its `// param:` lines), compared row by row with
  `ties query --format json` on the same data; a query ties refuses (exit 2) must fail in
  the driver with a Neo4j status code;
- a session with an explicit transaction, `result.graph()`, parameters of each type, the
  procedures tools call on connect, a write refused with AccessMode, a wrong password.
Exits 1 on the first difference. The server is stopped however the check ends.
"""
import datetime
import json
import os
import re
import subprocess
import sys

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, Neo4jError
from neo4j.graph import Node, Path, Relationship

from answers import normalise_ties

AUTH = ("reader", "s3cret")


def normalise_driver(value):
    if isinstance(value, Node):
        return ("node", value["id"])
    if isinstance(value, Relationship):
        return ("rel", value["rid"])
    if isinstance(value, Path):
        return ("path", tuple(r["rid"] for r in value.relationships))
    if isinstance(value, list):
        return tuple(normalise_driver(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, normalise_driver(v)) for k, v in value.items()))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if hasattr(value, "iso_format"):  # neo4j.time.Date: a whole day
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return f"duration({value.months},{value.days})"
    return value


def duration_text(value):
    """ties' JSON writes a duration as ISO text; the driver reads a Duration."""
    duration = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", value)
    if duration and value != "P":
        years, months, days = (int(g or 0) for g in duration.groups())
        return f"duration({years * 12 + months},{days})"
    return value


def fail(message):
    print(f"bolt: FAIL {message}")
    sys.exit(1)


def start(ties, data):
    server = subprocess.Popen(
        [ties, "--data", data, "serve", "--bolt", "127.0.0.1:0", "--auth", ":".join(AUTH)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    match = re.search(r"bolt://(\S+)", line)
    if not match:
        server.kill()
        fail(f"no address in {line!r}")
    return server, match.group(1)


def corpus(driver, ties, data, queries, least):
    compared = refused = 0
    for name in sorted(os.listdir(queries)):
        if not name.endswith(".cypher"):
            continue
        text = open(os.path.join(queries, name), encoding="utf-8").read()
        params = dict(re.findall(r"^// param: (\w+)=(.*)$", text, re.M))
        args = [ties, "--data", data, "-q", "query", "--format", "json", os.path.join(queries, name)]
        for key, value in params.items():
            args += ["--param", f"{key}={value}"]
        ran = subprocess.run(args, capture_output=True, text=True)
        typed = {k: (int(v) if v.lstrip("-").isdigit() else v.strip("'")) for k, v in params.items()}
        if ran.returncode == 2:
            try:
                driver.execute_query(text, typed)
            except Neo4jError as err:
                if not (err.code or "").startswith("Neo."):
                    fail(f"{name}: refused without a status code: {err}")
                refused += 1
                continue
            fail(f"{name}: ties query refuses it, the server answered")
        ours = [tuple(normalise_ties(v, duration_text) for v in row.values()) for row in json.loads(ran.stdout)["rows"]]
        records, _, keys = driver.execute_query(text, typed)
        theirs = [tuple(normalise_driver(r[k]) for k in keys) for r in records]
        if list(keys) != json.loads(ran.stdout)["columns"]:
            fail(f"{name}: columns {keys} != {json.loads(ran.stdout)['columns']}")
        if "ORDER BY" not in text.upper():
            ours, theirs = sorted(ours, key=repr), sorted(theirs, key=repr)
        if ours != theirs:
            fail(f"{name}\n  ties query: {ours}\n  driver:     {theirs}")
        compared += 1
    print(f"bolt: {compared} corpus queries agree, {refused} refused by both")
    if compared < least:
        fail("too few queries compared")


def session_checks(driver):
    with driver.session() as session:
        with session.begin_transaction() as tx:
            one = tx.run("RETURN $n + 1 AS n, $s AS s, $l AS l, $m AS m, $d AS d",
                         n=41, s="Астана", l=[1, "two", None], m={"k": 1.5},
                         d=datetime.date(1992, 12, 27)).single()
            if (one["n"], one["s"], one["l"], one["m"]) != (42, "Астана", [1, "two", None], {"k": 1.5}):
                fail(f"parameters came back as {dict(one)}")
            if one["d"].iso_format() != "1992-12-27":
                fail(f"a date parameter came back as {one['d']!r}")
            many = tx.run("UNWIND range(1, 2500) AS i RETURN i").value()
            if many != list(range(1, 2501)):
                fail("2,500 rows did not come back in order")
            tx.commit()
        graph = session.run("MATCH (a)-[r]->(b) RETURN a, r, b LIMIT 5").graph()
        if not graph.nodes or not graph.relationships:
            fail("result.graph() is empty")
        for rel in graph.relationships:
            if not {"Entity"} <= set(rel.start_node.labels) and rel.start_node.labels:
                fail(f"labels {rel.start_node.labels}")
        summary = session.run("MATCH (c:countrys) RETURN c").consume()
        titles = [n.get("title") for n in (summary.notifications or [])]
        if "UnknownLabelWarning" not in titles:
            fail(f"a typo gave the notifications {summary.notifications}")
        labels = [r["label"] for r in session.run("CALL db.labels()")]
        if "Entity" not in labels:
            fail(f"db.labels() gave {labels}")
        for query in ["CALL db.ping()", "CALL dbms.components()", "SHOW DATABASES",
                      "CALL db.relationshipTypes()", "CALL db.propertyKeys()"]:
            if not list(session.run(query)):
                fail(f"{query} gave no rows")
        try:
            session.run("CREATE (n:Person {name: 'x'})").consume()
            fail("a write was accepted")
        except ClientError as err:
            if err.code != "Neo.ClientError.Statement.AccessMode":
                fail(f"a write failed with {err.code}")
    print("bolt: sessions, transactions, graph(), parameters, procedures and writes behave")


def main():
    ties, data, queries = sys.argv[1:4]
    least = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    server, address = start(ties, data)
    try:
        for scheme in ("bolt", "neo4j"):
            with GraphDatabase.driver(f"{scheme}://{address}", auth=AUTH) as driver:
                driver.verify_connectivity()
                records, _, _ = driver.execute_query("RETURN 1 AS one")
                if records[0]["one"] != 1:
                    fail(f"{scheme}:// answered {records}")
        with GraphDatabase.driver(f"bolt://{address}", auth=AUTH) as driver:
            corpus(driver, ties, data, queries, least)
            session_checks(driver)
        with GraphDatabase.driver(f"bolt://{address}", auth=(AUTH[0], "wrong")) as driver:
            try:
                driver.verify_connectivity()
                fail("a wrong password was accepted")
            except AuthError:
                pass
        with GraphDatabase.driver(f"bolt://{address}", auth=AUTH) as driver:
            driver.verify_connectivity()
        print(f"bolt: neo4j driver {neo4j.__version__} agrees with ties query")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
