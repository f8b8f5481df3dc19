"""Runs openCypher TCK-style `.feature` files against `ties query`.

Usage: python run.py TIES_BINARY PATH... [--list-failures] [--require-all | --expect-fail]

PATH is a `.feature` file or a folder searched for them: our own scenarios in
`tests/tck/features/`, or a checkout of the openCypher TCK (`tck/features/`), which we do not
vendor. Each scenario's setup (`having executed:` with CREATE ...) runs on an embedded FalkorDB
(falkordblite); the graph it makes is written out as a ties data folder (one entity file per
label, one relation file), then `ties query` runs the scenario's query and its answer is
compared with the expected table in the TCK's notation.

A scenario the CSV model cannot express is counted as skipped, with the reason: unlabelled or
multi-labelled nodes, a property a column cannot hold (mixed types in one column, maps, empty
strings, an `id` property), writes and procedure calls in the query, parameters that are
nodes or relationships. Expected errors pass when ties refuses the query with exit code 2.

Prints one line per feature and a total; `--list-failures` also prints each failing scenario
with the two answers. `--require-all` exits 1 unless every scenario that ran passed;
`--expect-fail` exits 1 unless every scenario that ran failed (for `tests/tck/must-fail/`,
whose expectations are wrong on purpose).
"""
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

from redislite.falkordb_client import FalkorDB

WRITE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|CALL|FOREACH|LOAD\s+CSV)\b", re.I)


# --- Gherkin ------------------------------------------------------------------------------------

class Scenario:
    def __init__(self, feature, name):
        self.feature = feature
        self.name = name
        self.setup = []
        self.params = {}
        self.query = None
        self.expect = None  # ("rows", ordered, lists_unordered, header, rows) | ("empty",) | ("error", text)
        self.unsupported = None


def read_features(path):
    """Yields scenarios of one feature file, Scenario Outlines expanded by their Examples."""
    lines = open(path, encoding="utf-8").read().splitlines()
    feature = os.path.basename(path)
    graphs = named_graphs(path)
    i = 0
    pending = None  # (name, steps) of a Scenario Outline waiting for its Examples
    steps, name, outline = [], None, False
    # A Background's steps run before every scenario of the feature (Gherkin's rule); the
    # TCK's newer features set up their graph there.
    background, in_background = [], False

    def flush():
        if name is not None and not outline and not in_background:
            yield build(feature, name, steps, {}, graphs)

    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("Background:"):
            yield from flush()
            in_background, name, steps = True, "Background", background
            i += 1
            continue
        if line.startswith("Scenario Outline:") or line.startswith("Scenario:"):
            yield from flush()
            in_background = False
            outline = line.startswith("Scenario Outline:")
            name = line.split(":", 1)[1].strip()
            steps = [(text, list(args)) for text, args in background]
            pending = (name, steps) if outline else None
            i += 1
            continue
        if line.startswith("Examples:"):
            i += 1
            table, i = read_table(lines, i)
            header, rows = table[0], table[1:]
            for row in rows:
                bindings = dict(zip(header, row))
                label = f"{pending[0]} [{', '.join(row)}]"
                yield build(feature, label, pending[1], bindings, graphs)
            name = None
            continue
        if line.startswith('"""'):
            i += 1
            text = []
            while not lines[i].strip().startswith('"""'):
                text.append(lines[i])
                i += 1
            steps[-1][1].append("\n".join(text))
            i += 1
            continue
        if line.startswith("|"):
            table, i = read_table(lines, i)
            steps[-1][1].append(table)
            continue
        if re.match(r"(Given|And|When|Then|But)\b", line) and name is not None:
            steps.append((line.split(" ", 1)[1], []))
        i += 1
    yield from flush()


def read_table(lines, i):
    table = []
    while i < len(lines) and lines[i].strip().startswith("|"):
        table.append(table_cells(lines[i].strip()))
        i += 1
    return table, i


def table_cells(line):
    """The cells of a Gherkin table row, unescaped as Gherkin does: `\\|` is a bar inside a
    cell, `\\\\` a backslash, `\\n` a line break. What is left is the TCK's value notation."""
    cells, cell, at = [], [], 1  # past the leading bar
    while at < len(line):
        c = line[at]
        if c == "\\" and at + 1 < len(line):
            following = line[at + 1]
            cell.append({"|": "|", "\\": "\\", "n": "\n"}.get(following, "\\" + following))
            at += 2
            continue
        if c == "|":
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(c)
        at += 1
    return cells


def named_graphs(path):
    """The TCK's named graphs (`Given the binary-tree-1 graph`): `graphs/NAME/NAME.cypher` in
    the first folder above the feature file that has a `graphs` folder."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.isdir(os.path.join(folder, "graphs")):
            return os.path.join(folder, "graphs")
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def build(feature, name, steps, bindings, graphs=None):
    def bind(text):
        for key, value in bindings.items():
            text = text.replace(f"<{key}>", value)
        return text

    scenario = Scenario(feature, name)
    for step, args in steps:
        args = [bind(a) if isinstance(a, str) else [[bind(c) for c in row] for row in a] for a in args]
        named = re.match(r"the (\S+) graph$", step)
        if named:
            script = os.path.join(graphs or "", named.group(1), f"{named.group(1)}.cypher")
            if graphs is None or not os.path.exists(script):
                scenario.unsupported = f"the named graph {named.group(1)} is not beside the features"
            else:
                scenario.setup.append(open(script, encoding="utf-8").read().strip().rstrip(";"))
        elif step.startswith("having executed"):
            scenario.setup.append(args[0])
        elif step.startswith("parameters are"):
            scenario.params = {row[0]: row[1] for row in args[0]}
        elif step.startswith("executing query"):
            scenario.query = args[0]
        elif step.startswith("executing control query") or step.startswith("there exists a procedure"):
            scenario.unsupported = "procedure or control query"
        elif step.startswith("the result should be empty"):
            scenario.expect = ("empty",)
        elif step.startswith("the result should be"):
            ordered = "in order" in step
            lists_unordered = "ignoring element order for lists" in step
            table = args[0]
            scenario.expect = ("rows", ordered, lists_unordered, table[0], table[1:])
        elif " should be raised" in step:
            scenario.expect = ("error", step)
    return scenario


# --- The TCK's value notation -------------------------------------------------------------------

class Notation:
    """Parses a table cell: null, booleans, numbers, 'strings', lists, maps, (:nodes),
    [:relationships] and <paths>. Values become comparable tuples (see `node`, `rel`)."""

    def __init__(self, text):
        self.text, self.at = text, 0

    def parse(self):
        value = self.value()
        self.space()
        if self.at != len(self.text):
            raise ValueError(f"trailing text in {self.text!r}")
        return value

    def space(self):
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def peek(self):
        self.space()
        return self.text[self.at] if self.at < len(self.text) else ""

    def eat(self, token):
        self.space()
        if not self.text.startswith(token, self.at):
            raise ValueError(f"expected {token!r} at {self.at} in {self.text!r}")
        self.at += len(token)

    def value(self):
        c = self.peek()
        if c == "'":
            return ("str", self.string())
        if c == "[" and self.text.startswith("[:", self.at):
            return self.relationship()
        if c == "[":
            return ("list", tuple(self.sequence("[", "]", self.value)))
        if c == "{":
            return ("map", self.map())
        if c == "(":
            return self.node()
        if c == "<":
            return self.path()
        match = re.compile(r"-?(Infinity|Inf|NaN|[0-9.]+(?:[eE][-+]?[0-9]+)?)|null|true|false").match(self.text, self.at)
        if not match:
            raise ValueError(f"cannot read {self.text[self.at:]!r}")
        self.at = match.end()
        return scalar_from_text(match.group(0))

    def string(self):
        self.eat("'")
        out = []
        escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
        while self.text[self.at] != "'":
            if self.text[self.at] == "\\":
                self.at += 1
                out.append(escapes.get(self.text[self.at], self.text[self.at]))
            else:
                out.append(self.text[self.at])
            self.at += 1
        self.at += 1
        return "".join(out)

    def sequence(self, open_, close, item):
        self.eat(open_)
        items = []
        if self.peek() == close:
            self.at += 1
            return items
        while True:
            items.append(item())
            if self.peek() == ",":
                self.at += 1
                continue
            self.eat(close)
            return items

    def map(self):
        def entry():
            self.space()
            key = re.compile(r"`[^`]*`|[A-Za-z_][A-Za-z0-9_]*").match(self.text, self.at).group(0)
            self.at += len(key)
            self.eat(":")
            return key.strip("`"), self.value()

        return tuple(sorted(self.sequence("{", "}", entry)))

    def labels(self):
        labels = []
        while self.peek() == ":":
            self.at += 1
            self.space()
            name = re.compile(r"`[^`]*`|[A-Za-z_][A-Za-z0-9_]*").match(self.text, self.at).group(0)
            self.at += len(name)
            labels.append(name.strip("`"))
        return labels

    def node(self):
        self.eat("(")
        labels = self.labels()
        props = self.map() if self.peek() == "{" else ()
        self.eat(")")
        return node(labels, props)

    def relationship(self):
        self.eat("[")
        (rel_type,) = self.labels()
        props = self.map() if self.peek() == "{" else ()
        self.eat("]")
        return rel(rel_type, props)

    def path(self):
        self.eat("<")
        steps = [self.node()]
        while self.peek() in "-<":
            backwards = self.peek() == "<"
            self.eat("<-" if backwards else "-")
            relationship = self.relationship()
            self.eat("-" if backwards else "->")
            steps += [(relationship, "<" if backwards else ">"), self.node()]
        self.eat(">")
        return ("path", tuple(steps))


def scalar_from_text(token):
    if token == "null":
        return ("null",)
    if token in ("true", "false"):
        return ("bool", token == "true")
    if re.fullmatch(r"-?[0-9]+", token):
        return ("int", int(token))
    return number(float(token.replace("Infinity", "inf").replace("Inf", "inf")))


def number(value):
    if math.isnan(value):
        return ("float", "NaN")
    return ("float", float(f"{value:.12g}"))


def node(labels, props):
    return ("node", tuple(sorted(labels)), tuple(sorted(props)))


def rel(rel_type, props):
    return ("rel", rel_type, tuple(sorted(props)))


def unorder_lists(value):
    if value[0] == "list":
        return ("list", tuple(sorted((unorder_lists(v) for v in value[1]), key=repr)))
    if value[0] == "map":
        return ("map", tuple((k, unorder_lists(v)) for k, v in value[1]))
    return value


# --- Setup: FalkorDB graph -> ties data folder ----------------------------------------------------

class NotExpressible(Exception):
    pass


def column_type(values):
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("bool")
        elif isinstance(v, int):
            kinds.add("int")
        elif isinstance(v, float):
            kinds.add("float")
        elif isinstance(v, str):
            if v == "" or v != v.strip():
                raise NotExpressible("a string a CSV cell cannot keep (empty or padded)")
            kinds.add("string")
        elif isinstance(v, list):
            if not v:
                raise NotExpressible("an empty list property")
            inner = column_type(v)
            if inner.endswith("[]"):
                raise NotExpressible("a nested list property")
            if inner == "string" and any(";" in s for s in v):
                raise NotExpressible("a list item holding ';'")
            kinds.add(inner + "[]")
        else:
            raise NotExpressible(f"a property of type {type(v).__name__}")
    if len(kinds) != 1:
        raise NotExpressible(f"one column holding {sorted(kinds)}")
    return kinds.pop()


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(cell(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_table(path, fixed, rows):
    """rows: list of (fixed cells, props). Writes typed columns for every property key."""
    keys = sorted({k for _, props in rows for k in props})
    types = {k: column_type([p[k] for _, p in rows if k in p]) for k in keys}
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(fixed + [k if types[k] == "string" else f"{k}:{types[k]}" for k in keys])
        for cells, props in rows:
            writer.writerow(cells + [cell(props.get(k)) for k in keys])


def materialise(graph, folder):
    """Writes the FalkorDB graph as a ties data folder; returns what ties's answers are mapped
    back with: entity id -> (label, props), relation order -> props."""
    nodes = graph.query("MATCH (n) RETURN id(n), labels(n), properties(n)").result_set
    rels = graph.query("MATCH (a)-[r]->(b) RETURN id(a), id(b), type(r), properties(r), id(r) "
                       "ORDER BY id(r)").result_set
    entities, by_label = {}, {}
    for node_id, labels, props in nodes:
        if len(labels) != 1:
            raise NotExpressible("a node without exactly one label")
        if "id" in props:
            raise NotExpressible("a node property named id")
        if "name" in props and not isinstance(props["name"], str):
            raise NotExpressible("a name that is not a string")
        ident = f"n{node_id}"
        entities[ident] = (labels[0], props)
        by_label.setdefault(labels[0], []).append(([ident, props.get("name", ident)], {
            k: v for k, v in props.items() if k != "name"}))
    os.makedirs(os.path.join(folder, "entities"))
    os.makedirs(os.path.join(folder, "relations"))
    # ties gives a column name one type across all entity files (so every export has one
    # type per property); a key that is an int on one label and a string on another is not
    # expressible.
    key_types = {}
    for rows in by_label.values():
        for key in {k for _, props in rows for k in props}:
            key_types.setdefault(key, set()).add(column_type([p[key] for _, p in rows if key in p]))
    if any(len(types) > 1 for types in key_types.values()):
        raise NotExpressible("a property whose type differs between labels")
    for label, rows in by_label.items():
        write_table(os.path.join(folder, "entities", f"{label}.csv"), ["id", "name"], rows)
    if not by_label:
        # ties refuses a folder without entity files (a wrong --data); an empty graph is a
        # header-only file.
        write_table(os.path.join(folder, "entities", "empty.csv"), ["id", "name"], [])
    rows = []
    for a, b, rel_type, props, _ in rels:
        if set(props) & {"from", "to", "type", "start", "end", "weight", "rid"}:
            raise NotExpressible("a relationship property ties reserves")
        rows.append(([f"n{a}", rel_type, f"n{b}"], props))
    if rows:
        write_table(os.path.join(folder, "relations", "relations.csv"), ["from", "type", "to"], rows)
    return entities


# --- ties's answer in the TCK's terms -------------------------------------------------------------

def from_ties(value, entities):
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, list):
        return ("list", tuple(from_ties(v, entities) for v in value))
    if set(value) == {"id", "name", "kind"}:
        return entity(value["id"], entities)
    if {"id", "from", "to", "type", "attributes"} <= set(value):
        return ties_rel(value, entities)
    if {"nodes", "edges", "length"} <= set(value):
        steps = [entity(value["nodes"][0]["id"], entities)]
        for edge, after in zip(value["edges"], value["nodes"][1:]):
            steps += [(ties_rel(edge, entities), ">" if edge["to"] == after["id"] else "<"),
                      entity(after["id"], entities)]
        return ("path", tuple(steps))
    return ("map", tuple(sorted((k, from_ties(v, entities)) for k, v in value.items())))


def entity(ident, entities):
    label, props = entities[ident]
    return node([label], [(k, from_ties(v, entities)) for k, v in props.items()])


def ties_rel(value, entities):
    return rel(value["type"], [(k, from_ties(v, entities)) for k, v in value["attributes"].items()])


def param_arg(name, text):
    """`--param` reads numbers, booleans, null, 'quoted text' and Cypher lists and maps."""
    value = Notation(text).parse()
    if value[0] in ("node", "rel", "path"):
        raise NotExpressible("a parameter --param cannot carry")
    return f"{name}={text}"


# --- Running ----------------------------------------------------------------------------------------

def run(ties, scenario, db, work):
    """Returns ("pass" | "fail" | "skip", detail)."""
    if scenario.unsupported:
        return "skip", scenario.unsupported
    if scenario.query is None or scenario.expect is None:
        return "skip", "no query or no expectation"
    if WRITE.search(re.sub(r"'[^']*'", "''", scenario.query)):
        return "skip", "writes or calls procedures"
    graph = db.select_graph(f"g{abs(hash(scenario.feature + scenario.name))}")
    folder = tempfile.mkdtemp(dir=work)
    try:
        for statement in scenario.setup:
            graph.query(statement)
        entities = materialise(graph, folder)
        args = [ties, "--data", folder, "-q", "query", "--format", "json", "--timeout", "20",
                "-e", scenario.query]
        for name, text in scenario.params.items():
            args += ["--param", param_arg(name, text)]
    except NotExpressible as why:
        return "skip", str(why)
    finally:
        try:
            graph.delete()
        except Exception:
            pass
    try:
        ran = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "fail", "hung (no answer in 60 s)"
    if ran.returncode not in (0, 1, 2) or "panicked" in ran.stderr:
        return "fail", f"crashed (exit {ran.returncode}): {ran.stderr.strip()}"
    if scenario.expect[0] == "error":
        if ran.returncode == 2:
            # Also noted: whether ties names the error as the TCK does (`error[Name]:`).
            code = scenario.expect[1].rsplit(":", 1)[-1].strip()
            return "pass", "named" if f"error[{code}]" in ran.stderr else "unnamed"
        return "fail", f"expected {scenario.expect[1]}; ties answered (exit {ran.returncode}): {ran.stdout.strip()[:300]}"
    if ran.returncode == 2:
        return "fail", f"ties refused a valid query: {ran.stderr.strip()}"
    answer = json.loads(ran.stdout)
    ours = [tuple(from_ties(row[c], entities) for c in answer["columns"]) for row in answer["rows"]]
    if scenario.expect[0] == "empty":
        return ("pass", "") if not ours else ("fail", f"expected no rows, got {ours}")
    _, ordered, lists_unordered, header, rows = scenario.expect
    try:
        theirs = [tuple(Notation(c).parse() for c in row) for row in rows]
    except (ValueError, AttributeError, IndexError) as err:
        return "skip", f"expected value not read: {err}"
    if answer["columns"] != header:
        return "fail", f"columns {answer['columns']} != {header}"
    if lists_unordered:
        ours = [tuple(unorder_lists(v) for v in row) for row in ours]
        theirs = [tuple(unorder_lists(v) for v in row) for row in theirs]
    same = ours == theirs if ordered else Counter(map(repr, ours)) == Counter(map(repr, theirs))
    return ("pass", "") if same else ("fail", f"\n      ties:     {ours}\n      expected: {theirs}")


def feature_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in sorted(os.walk(path)):
                yield from (os.path.join(root, n) for n in sorted(names) if n.endswith(".feature"))
        else:
            yield path


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    list_failures = "--list-failures" in sys.argv
    require_all = "--require-all" in sys.argv
    expect_fail = "--expect-fail" in sys.argv
    ties, paths = args[0], args[1:]
    totals = Counter()
    skips = Counter()
    names = Counter()
    with tempfile.TemporaryDirectory() as work:
        db = FalkorDB(os.path.join(work, "falkor.db"))
        for path in feature_files(paths):
            counts = Counter()
            for scenario in read_features(path):
                try:
                    outcome, detail = run(ties, scenario, db, work)
                except Exception as err:  # the setup itself failed on FalkorDB
                    outcome, detail = "skip", f"setup did not run on FalkorDB: {err}"
                counts[outcome] += 1
                if outcome == "pass" and detail in ("named", "unnamed"):
                    names[detail] += 1
                if outcome == "skip":
                    skips[detail] += 1
                if outcome == "fail" and list_failures:
                    print(f"  FAIL {scenario.feature}: {scenario.name}\n    {scenario.query.strip()}\n    {detail}")
            totals.update(counts)
            print(f"tck: {os.path.basename(path)}: {counts['pass']} pass, {counts['fail']} fail, "
                  f"{counts['skip']} skipped")
    ran = totals["pass"] + totals["fail"]
    rate = 100 * totals["pass"] / ran if ran else 0
    print(f"tck: total {totals['pass']} of {ran} pass ({rate:.1f}%), {totals['skip']} skipped")
    if names:
        print(f"tck: of {sum(names.values())} expected errors raised, {names['named']} carry the "
              f"TCK's name for the error")
    for reason, count in skips.most_common():
        print(f"tck: skipped {count}: {reason}")
    if require_all and (totals["fail"] or not ran):
        sys.exit(1)
    if expect_fail and (totals["pass"] or not ran):
        print("tck: FAIL a scenario with a wrong expectation passed")
        sys.exit(1)


if __name__ == "__main__":
    main()
