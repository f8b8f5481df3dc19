// The explorer's rules (src/export/explorer/rules.js) under Node, apart from any page:
// `node --test tests/explorer/`. The browser test (check.py) compares the same rules with the
// CLI on real pages; these pin them down case by case, at sizes no page test reaches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const R = require("../../src/export/explorer/rules.js");

// A page's data in the columnar shape src/export/explorer.rs writes.
function page(nodes, edges, { types = ["knows"], kinds = ["people"] } = {}) {
  const column = (rows, key, missing = null) => rows.map((row) => (row[key] === undefined ? missing : row[key]));
  const day = (text, side) => (text === null || text === undefined ? null : R.daysOf(text, side));
  return {
    title: "test",
    kinds: kinds.map((name) => ({ name, label: name, color: "#888888", shape: "ellipse" })),
    types: types.map((name) => ({ name, label: name, color: null, line: null })),
    files: ["entities/people.csv", "relations/r.csv"],
    nodes: {
      id: column(nodes, "id"), name: column(nodes, "name"), kind: column(nodes, "kind", 0),
      x: nodes.map(() => 0), y: nodes.map(() => 0), r: nodes.map(() => 4),
      attributes: { born: column(nodes, "born") }, metrics: {},
    },
    edges: {
      id: edges.map((_, k) => k),
      s: column(edges, "s"), t: column(edges, "t"), type: column(edges, "type", 0),
      start: column(edges, "start"), end: column(edges, "end"),
      // A state: from its start's first day to its end's last day.
      first: edges.map((e) => day(e.start, "first")), last: edges.map((e) => day(e.end, "last")),
      weight: column(edges, "weight"), file: edges.map(() => 1), line: edges.map((_, k) => k + 2),
      attributes: { source: column(edges, "source"), note: column(edges, "note") },
    },
    groups: [],
  };
}

const people = [
  { id: "ann", name: "Ann Smith", born: 1950 }, { id: "bob", name: "Bob" }, { id: "cy", name: "Cy" },
  { id: "dee", name: "Dee" }, { id: "smith", name: "Smithers" },
];

test("days are counted as src/model/date.rs counts them, years below 100 included", () => {
  assert.equal(R.dayNumber(1970, 1, 1), 0);
  assert.equal(R.dayNumber(1992, 8, 1), Date.UTC(1992, 7, 1) / 86400000);
  assert.equal(R.dayNumber(2000, 2, 29) + 1, R.dayNumber(2000, 3, 1));
  assert.equal(R.dayNumber(201, 1, 1), -646114); // Python: date(201, 1, 1) - date(1970, 1, 1)
  assert.equal(R.daysOf("1992", "first"), R.dayNumber(1992, 1, 1));
  assert.equal(R.daysOf("1992", "last"), R.dayNumber(1992, 12, 31));
  assert.equal(R.daysOf("2024-02", "last"), R.dayNumber(2024, 2, 29));
  assert.equal(R.daysOf("1900-02", "last"), R.dayNumber(1900, 2, 28));
  assert.throws(() => R.daysOf("26.03.1973", "first"), /is not a date/);
  assert.deepEqual(R.timeDays({ between: "1992.." }), [R.dayNumber(1992, 1, 1), Infinity]);
  assert.equal(R.timeDays({}), null);
});

test("search ranks exact, then prefix, then substring matches, each by id", () => {
  const g = R.decode(page(people, []));
  assert.deepEqual(R.search(g, "smith").map((e) => e.id), ["smith", "ann"]);
  assert.deepEqual(R.search(g, "SMITH", 1).map((e) => e.id), ["smith"]);
  assert.deepEqual(R.search(g, "b").map((e) => e.id), ["bob"]);
});

test("entities resolve by id, else by one exact name; ambiguity and absence are errors", () => {
  const g = R.decode(page([...people, { id: "bob2", name: "Bob" }], []));
  assert.equal(R.resolve(g, "ann"), 0);
  assert.equal(R.resolve(g, " ann smith "), 0);
  assert.equal(R.resolve(g, "bob"), 1, "an id comes before names");
  assert.throws(() => R.resolve(g, "Bob"), /`Bob` matches 2 entities: bob \(Bob\), bob2 \(Bob\)/);
  assert.throws(() => R.resolve(g, "zed"), /no entity with the id or name `zed`/);
});

const chain = [
  { s: 0, t: 1, start: "1990", end: "1995", source: "registry", note: "first" },
  { s: 1, t: 2, start: "2000" },
  { s: 2, t: 3 },
  { s: 0, t: 3, start: "2010", end: "2012" },
];

test("a time filter keeps what was in force, as --as-of and --between do", () => {
  const g = R.decode(page(people, chain));
  const view = (spec) => Array.from(R.selectView(g, spec).edges);
  assert.deepEqual(view({}), [1, 1, 1, 1]);
  assert.deepEqual(view({ asOf: "1992" }), [1, 0, 1, 0]);
  assert.deepEqual(view({ asOf: "2011-06" }), [0, 1, 1, 1]);
  assert.deepEqual(view({ between: "1996..1999" }), [0, 0, 1, 0]);
  // With a relation filter, only entities with a relation stay.
  assert.deepEqual(Array.from(R.selectView(g, { asOf: "1992" }).nodes), [1, 1, 1, 1, 0]);
});

test("an entity's relations are listed as ties show lists them, and under a time filter", () => {
  const g = R.decode(page(people, chain));
  const shown = R.show(g, 0);
  assert.deepEqual(shown.attributes, { born: 1950 });
  assert.deepEqual(shown.relations.map((r) => r.id), ["e0", "e3"]);
  assert.equal(shown.relations[0].origin, "relations/r.csv:2");
  assert.deepEqual(shown.relations[0].attributes, { source: "registry", note: "first" });
  assert.deepEqual(R.show(g, 0, R.timeDays({ asOf: "2011" })).relations.map((r) => r.id), ["e3"]);
});

test("paths: every shortest in relation order, cut at the limit, with their evidence", () => {
  const g = R.decode(page(people, [...chain, { s: 0, t: 1 }]));
  const all = R.findPaths(g, 0, 2, { all: true });
  assert.deepEqual(all.map(([, es]) => es), [[0, 1], [3, 2], [4, 1]]);
  const cut = R.pathJson(g, "ann", "Cy", { all: true, limit: 1 }).json;
  assert.equal(cut.truncated, true);
  assert.equal(cut.paths.length, 1);
  assert.deepEqual(cut.paths[0].nodes.map((n) => n.id), ["ann", "bob", "cy"]);
  assert.deepEqual(R.findPaths(g, 0, 2, { asOf: "1992" }), []);
  assert.deepEqual(R.findPaths(g, 2, 0, { directed: true }), []);
  const [[ns, es]] = R.findPaths(g, 0, 2, {});
  const evidence = R.evidence(g, ns, es);
  assert.deepEqual(evidence[0], {
    from: "Ann Smith", to: "Bob", forward: true, type: "knows", dates: "1990 – 1995",
    source: "registry", note: "first", origin: "relations/r.csv:2",
  });
});

test("a path in time order may be longer than the shortest, or not exist", () => {
  // ann—dee directly in 2010-2012, and dee—cy undated; ann—bob until 1995, bob—cy from 2000.
  const g = R.decode(page(people, chain));
  const [[ns]] = R.findChronological(g, 0, 2, {});
  assert.deepEqual(ns, [0, 1, 2]);
  const none = R.findChronological(g, 3, 1, { directed: true });
  assert.deepEqual(none, []);
});

test("a chain of 200,000 relations is walked without recursion", () => {
  const n = 200001;
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, name: `N ${i}` }));
  const edges = Array.from({ length: n - 1 }, (_, i) => ({ s: i, t: i + 1, start: `${1900 + (i % 100)}` }));
  const g = R.decode(page(nodes, edges));
  const [[ns, es]] = R.findPaths(g, 0, n - 1, {});
  assert.equal(ns.length, n);
  assert.equal(es.length, n - 1);
  const view = R.selectView(g, { between: "1950..1960" });
  // States run from their start on: those that began by 1960.
  assert.equal(view.edges.reduce((sum, kept) => sum + kept, 0), 122000);
});
