//! Path search: hand-checked answers on small fixtures and a brute-force comparison on random
//! multigraphs.

use petgraph::graph::NodeIndex;
use proptest::prelude::*;
use ties::graph::KnowledgeGraph;
use ties::query::filter::{Filter, FilterSpec, TimeFilter};
use ties::query::path::{Path, PathMode, PathQuery, PathSearch};

use super::support::{DataDir, load_ok, ties};

/// a - b - c - d in a line, a parallel pair b=c (2009, 2015), a shortcut a → d of type
/// `far` dated 1990–1991, and an office `o` between a and d.
fn line_graph() -> DataDir {
    DataDir::new(&[
        ("entities/people.csv", b"id,name\na,A\nb,B\nc,C\nd,D\n"),
        ("entities/offices.csv", b"id,name\no,O\n"),
        (
            "relations/r.csv",
            b"from,type,to,start,end,weight\n\
              a,knows,b,,,1\n\
              b,visited,c,2009,,5\n\
              c,visited,b,2015,,1\n\
              c,knows,d,,,1\n\
              a,far,d,1990,1991,10\n\
              a,holds,o,,,1\n\
              o,holds,d,2000,,1\n",
        ),
    ])
}

struct Fixture {
    kg: KnowledgeGraph,
}

impl Fixture {
    fn new(data: &DataDir) -> Self {
        Fixture { kg: load_ok(data) }
    }

    fn run(
        &self,
        from: &str,
        to: &str,
        spec: FilterSpec,
        mode: PathMode,
        max_hops: Option<usize>,
        weighted: bool,
    ) -> Vec<String> {
        let query = PathQuery {
            filter: Filter::new(&self.kg, &spec).unwrap(),
            max_hops,
            weighted,
            mode,
        };
        let mut search = PathSearch::new(&self.kg, self.kg.adjacency());
        let (from, to) = (self.kg.resolve(from).unwrap(), self.kg.resolve(to).unwrap());
        search
            .search(from, to, &query)
            .unwrap()
            .iter()
            .map(|p| self.show(p))
            .collect()
    }

    fn show(&self, path: &Path) -> String {
        let mut text = self.kg.id(path.nodes[0]).to_owned();
        for (i, &edge) in path.edges.iter().enumerate() {
            text.push_str(&format!(
                " -{}{}- {}",
                self.kg.rel_type(edge),
                edge.index(),
                self.kg.id(path.nodes[i + 1])
            ));
        }
        text
    }
}

fn spec() -> FilterSpec {
    FilterSpec::default()
}

/// A filter on relation types only.
fn types(names: &[&str]) -> FilterSpec {
    FilterSpec {
        rel_types: names.iter().map(|n| (*n).to_owned()).collect(),
        ..spec()
    }
}

#[test]
fn path_ignores_direction_by_default_and_prefers_input_order() {
    let f = Fixture::new(&line_graph());
    assert_eq!(
        f.run("a", "d", spec(), PathMode::Shortest, None, false),
        ["a -far4- d"]
    );
    assert_eq!(
        f.run(
            "a",
            "d",
            spec(),
            PathMode::AllShortest { limit: 10 },
            None,
            false
        ),
        ["a -far4- d"]
    );
    assert_eq!(
        f.run("d", "a", spec(), PathMode::Shortest, None, false),
        ["d -far4- a"]
    );
}

#[test]
fn parallel_relations_give_separate_paths() {
    let f = Fixture::new(&line_graph());
    let s = types(&["knows", "visited"]);
    assert_eq!(
        f.run(
            "a",
            "d",
            s,
            PathMode::AllShortest { limit: 10 },
            None,
            false
        ),
        [
            "a -knows0- b -visited1- c -knows3- d",
            "a -knows0- b -visited2- c -knows3- d"
        ]
    );
}

#[test]
fn directed_follows_stored_direction_only() {
    let f = Fixture::new(&line_graph());
    let s = FilterSpec {
        directed: true,
        rel_types: vec!["knows".into(), "visited".into()],
        ..spec()
    };
    assert_eq!(
        f.run(
            "a",
            "d",
            s.clone(),
            PathMode::AllShortest { limit: 10 },
            None,
            false
        ),
        ["a -knows0- b -visited1- c -knows3- d"]
    );
    assert!(
        f.run("d", "a", s, PathMode::Shortest, None, false)
            .is_empty()
    );
}

#[test]
fn max_hops_cuts_longer_paths() {
    let f = Fixture::new(&line_graph());
    let s = types(&["knows", "visited"]);
    assert!(
        f.run("a", "d", s.clone(), PathMode::Shortest, Some(2), false)
            .is_empty()
    );
    assert_eq!(
        f.run("a", "d", s, PathMode::Shortest, Some(3), false).len(),
        1
    );
}

#[test]
fn kinds_and_exclude_filter_inner_entities_only() {
    let f = Fixture::new(&line_graph());
    let s = FilterSpec {
        kinds: vec!["offices".into()],
        rel_types: vec!["holds".into(), "knows".into()],
        ..spec()
    };
    assert_eq!(
        f.run("a", "d", s, PathMode::Shortest, None, false),
        ["a -holds5- o -holds6- d"]
    );
    let s = FilterSpec {
        exclude: vec!["o".into()],
        rel_types: vec!["holds".into(), "knows".into(), "visited".into()],
        ..spec()
    };
    assert_eq!(
        f.run("a", "d", s, PathMode::Shortest, None, false),
        ["a -knows0- b -visited1- c -knows3- d"]
    );
}

#[test]
fn as_of_and_between_select_relations_in_force() {
    let f = Fixture::new(&line_graph());
    let d = |t: &str| ties::model::date::PartialDate::parse(t).unwrap();
    let as_of = |t: &str| FilterSpec {
        time: Some(TimeFilter::AsOf(d(t))),
        ..spec()
    };
    assert_eq!(
        f.run("a", "d", as_of("1991"), PathMode::Shortest, None, false),
        ["a -far4- d"]
    );
    assert!(
        f.run("a", "d", as_of("1995"), PathMode::Shortest, None, false)
            .is_empty(),
        "nothing in force yet"
    );
    assert_eq!(
        f.run("a", "d", as_of("2005"), PathMode::Shortest, None, false),
        ["a -holds5- o -holds6- d"]
    );
    assert_eq!(
        f.run(
            "b",
            "c",
            as_of("2010"),
            PathMode::AllShortest { limit: 9 },
            None,
            false
        ),
        ["b -visited1- c"],
        "the 2015 visit had not happened by 2010"
    );
    let between = |range: &str| FilterSpec {
        time: Some(TimeFilter::parse_between(range).unwrap()),
        rel_types: vec!["knows".into(), "visited".into(), "far".into()],
        ..spec()
    };
    assert!(
        f.run(
            "a",
            "d",
            between("1992..1999"),
            PathMode::Shortest,
            None,
            false
        )
        .is_empty()
    );
    assert_eq!(
        f.run(
            "a",
            "d",
            between("2009..2010"),
            PathMode::AllShortest { limit: 9 },
            None,
            false
        ),
        ["a -knows0- b -visited1- c -knows3- d"]
    );
    assert_eq!(
        f.run(
            "a",
            "d",
            between("..1990-06"),
            PathMode::Shortest,
            None,
            false
        ),
        ["a -far4- d"]
    );
}

#[test]
fn weighted_minimises_total_weight() {
    let f = Fixture::new(&line_graph());
    assert_eq!(
        f.run("a", "d", spec(), PathMode::Shortest, None, true),
        ["a -holds5- o -holds6- d"]
    );
    let s = types(&["knows", "visited", "far"]);
    assert_eq!(
        f.run("a", "d", s.clone(), PathMode::Shortest, None, true),
        ["a -knows0- b -visited2- c -knows3- d"]
    );
    assert_eq!(
        f.run("a", "d", s, PathMode::KShortest(3), None, true),
        [
            "a -knows0- b -visited2- c -knows3- d",
            "a -knows0- b -visited1- c -knows3- d",
            "a -far4- d"
        ]
    );
}

#[test]
fn k_shortest_lists_simple_paths_in_order() {
    let f = Fixture::new(&line_graph());
    assert_eq!(
        f.run("a", "d", spec(), PathMode::KShortest(4), None, false),
        [
            "a -far4- d",
            "a -holds5- o -holds6- d",
            "a -knows0- b -visited1- c -knows3- d",
            "a -knows0- b -visited2- c -knows3- d",
        ]
    );
}

#[test]
fn same_start_and_end_is_a_path_of_length_zero() {
    let f = Fixture::new(&line_graph());
    assert_eq!(
        f.run("b", "b", spec(), PathMode::Shortest, None, false),
        ["b"]
    );
}

#[test]
fn negative_weights_are_refused_when_weighted() {
    let data = DataDir::new(&[
        ("entities/people.csv", b"id\na\nb\n"),
        ("relations/r.csv", b"from,type,to,weight\na,t,b,-1\n"),
    ]);
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["path", "a", "b", "--weighted"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("relations/r.csv:2 has negative weight -1"),
        "{stderr}"
    );
}

// ---- brute force on random multigraphs -------------------------------------------------

#[derive(Debug, Clone)]
struct RandomGraph {
    kinds: Vec<u8>,
    edges: Vec<(usize, usize, u8, Option<u16>, Option<u8>)>,
}

fn random_graph() -> impl Strategy<Value = RandomGraph> {
    (2usize..7).prop_flat_map(|n| {
        let edge = (
            0..n,
            0..n,
            0u8..2,
            proptest::option::of(1990u16..1996),
            proptest::option::of(0u8..4),
        );
        (
            proptest::collection::vec(0u8..2, n),
            proptest::collection::vec(edge, 0..12),
        )
            .prop_map(|(kinds, edges)| RandomGraph { kinds, edges })
    })
}

impl RandomGraph {
    fn data(&self) -> DataDir {
        let mut a = String::from("id\n");
        let mut b = String::from("id\n");
        for (i, kind) in self.kinds.iter().enumerate() {
            if *kind == 0 {
                a.push_str(&format!("n{i}\n"));
            } else {
                b.push_str(&format!("n{i}\n"));
            }
        }
        let mut rel = String::from("from,type,to,start,weight\n");
        for (from, to, t, start, weight) in &self.edges {
            let start = start.map(|y| y.to_string()).unwrap_or_default();
            let weight = weight
                .map(|w| f64::from(w) * 0.5)
                .map(|w| w.to_string())
                .unwrap_or_default();
            rel.push_str(&format!("n{from},t{t},n{to},{start},{weight}\n"));
        }
        DataDir::new(&[
            ("entities/a.csv", a.as_bytes()),
            ("entities/b.csv", b.as_bytes()),
            ("relations/r.csv", rel.as_bytes()),
        ])
    }
}

/// Every simple path from `s` to `t`, as (cost, edge indices), sorted by (cost, edges).
fn brute_force(
    kg: &KnowledgeGraph,
    filter: &Filter,
    s: NodeIndex,
    t: NodeIndex,
    weighted: bool,
) -> Vec<(f64, Vec<usize>)> {
    fn walk(
        kg: &KnowledgeGraph,
        filter: &Filter,
        t: NodeIndex,
        nodes: &mut Vec<NodeIndex>,
        edges: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let here = *nodes.last().unwrap();
        if here == t {
            out.push(edges.clone());
            return;
        }
        for edge in kg.edge_indices() {
            let (a, b) = kg.endpoints(edge);
            let next = if a == here {
                b
            } else if b == here && !filter.directed {
                a
            } else {
                continue;
            };
            if nodes.contains(&next) || !filter.allows_relation(kg.relation(edge)) {
                continue;
            }
            if next != t && !filter.allows_inner(next, kg.entity(next)) {
                continue;
            }
            nodes.push(next);
            edges.push(edge.index());
            walk(kg, filter, t, nodes, edges, out);
            nodes.pop();
            edges.pop();
        }
    }
    let mut out = Vec::new();
    walk(kg, filter, t, &mut vec![s], &mut Vec::new(), &mut out);
    let mut costed: Vec<(f64, Vec<usize>)> = out
        .into_iter()
        .map(|edges| {
            let cost = if weighted {
                edges
                    .iter()
                    .map(|&e| {
                        kg.relation(petgraph::graph::EdgeIndex::new(e))
                            .weight()
                            .unwrap_or(1.0)
                    })
                    .sum()
            } else {
                edges.len() as f64
            };
            (cost, edges)
        })
        .collect();
    costed.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    costed
}

fn edges_of(paths: &[Path]) -> Vec<Vec<usize>> {
    paths
        .iter()
        .map(|p| p.edges.iter().map(|e| e.index()).collect())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn searches_agree_with_brute_force(
        graph in random_graph(),
        directed in any::<bool>(),
        only_type in proptest::option::of(0u8..2),
        only_kind in proptest::option::of(0u8..2),
        as_of in proptest::option::of(1990u16..1997),
        max_hops in proptest::option::of(1usize..4),
        k in 1usize..5,
        pick in any::<(usize, usize)>(),
    ) {
        let data = graph.data();
        let fixture = Fixture::new(&data);
        let kg = &fixture.kg;
        let spec = FilterSpec {
            rel_types: only_type.map(|t| vec![format!("t{t}")]).into_iter().flatten()
                .filter(|t| kg.catalog.rel_types.contains(t)).collect(),
            kinds: only_kind.map(|k| vec![["a", "b"][k as usize].to_owned()]).unwrap_or_default(),
            time: as_of.map(|y| TimeFilter::AsOf(ties::model::date::PartialDate::parse(&y.to_string()).unwrap())),
            directed,
            ..FilterSpec::default()
        };
        let filter = Filter::new(kg, &spec).unwrap();
        let n = kg.entity_count();
        let (s, t) = (NodeIndex::new(pick.0 % n), NodeIndex::new(pick.1 % n));
        let mut search = PathSearch::new(kg, kg.adjacency());
        for weighted in [false, true] {
            let mut all = brute_force(kg, &filter, s, t, weighted);
            let hop_ok = |edges: &Vec<usize>| max_hops.is_none_or(|h| edges.len() <= h);
            all.retain(|(_, edges)| hop_ok(edges));
            let query = |mode| PathQuery { filter: filter.clone(), max_hops, weighted, mode };
            let shortest = search.search(s, t, &query(PathMode::Shortest)).unwrap();
            let every = search.search(s, t, &query(PathMode::AllShortest { limit: 10_000 })).unwrap();
            let k_paths = search.search(s, t, &query(PathMode::KShortest(k))).unwrap();
            let best = all.first().map(|(c, _)| *c);
            let tied: Vec<Vec<usize>> = all.iter().filter(|(c, _)| Some(*c) == best).map(|(_, e)| e.clone()).collect();
            if weighted {
                // Weighted ties may order differently after float sums; compare costs and sets.
                prop_assert_eq!(shortest.first().and_then(|p| p.weight), best);
                let mut got = edges_of(&every);
                got.sort();
                let mut want = tied.clone();
                want.sort();
                prop_assert_eq!(got, want);
                let costs: Vec<f64> = k_paths.iter().map(|p| p.weight.unwrap()).collect();
                let want_costs: Vec<f64> = all.iter().take(k).map(|(c, _)| *c).collect();
                prop_assert_eq!(costs, want_costs);
            } else {
                prop_assert_eq!(edges_of(&shortest), tied.iter().take(1).cloned().collect::<Vec<_>>());
                prop_assert_eq!(edges_of(&every), tied);
                let want: Vec<Vec<usize>> = all.iter().take(k).map(|(_, e)| e.clone()).collect();
                prop_assert_eq!(edges_of(&k_paths), want);
            }
        }
    }
}

// ---- chronological paths against brute force --------------------------------------------

/// A random multigraph whose relations of type `e` are events and of type `s` states, each
/// with an optional start year and an optional length in years.
#[derive(Debug, Clone)]
struct TimedGraph {
    nodes: usize,
    /// (from, to, whether an event, start year, years until the end)
    edges: Vec<(usize, usize, bool, Option<u16>, Option<u16>)>,
    directed: bool,
}

fn timed_graph() -> impl Strategy<Value = TimedGraph> {
    (2usize..8).prop_flat_map(|nodes| {
        let edge = (
            0..nodes,
            0..nodes,
            any::<bool>(),
            proptest::option::of(2000u16..2010),
            proptest::option::of(0u16..4),
        );
        (proptest::collection::vec(edge, 0..16), any::<bool>()).prop_map(
            move |(edges, directed)| TimedGraph {
                nodes,
                edges,
                directed,
            },
        )
    })
}

impl TimedGraph {
    fn graph(&self) -> KnowledgeGraph {
        let entities: String = std::iter::once("id\n".to_owned())
            .chain((0..self.nodes).map(|i| format!("n{i}\n")))
            .collect();
        let mut relations = String::from("from,type,to,start,end\n");
        for &(from, to, event, start, length) in &self.edges {
            // An end needs a start here, so that no end comes before its start.
            let end = start.zip(length).map(|(s, l)| (s + l).to_string());
            relations.push_str(&format!(
                "n{from},{},n{to},{},{}\n",
                if event { "e" } else { "s" },
                start.map(|s| s.to_string()).unwrap_or_default(),
                end.unwrap_or_default()
            ));
        }
        KnowledgeGraph::from_csv(
            &[("people", &entities)],
            &[("r", &relations)],
            Some("[schema.types.e]\ntime = \"event\"\n"),
        )
        .unwrap()
    }

    /// The years relation `i` is in force, written out from the rule's definition: a state
    /// from its start on (until its end), an event on its dates only; `None` is open.
    fn years(&self, i: usize) -> (Option<u16>, Option<u16>) {
        let (_, _, event, start, length) = self.edges[i];
        let end = start.zip(length).map(|(s, l)| s + l);
        if event {
            (start, end.or(start))
        } else {
            (start, end)
        }
    }

    /// Whether moments in order exist, one in force for each relation of `path`.
    fn in_order(&self, path: &[usize]) -> bool {
        let mut now: Option<u16> = None;
        for &i in path {
            let (first, last) = self.years(i);
            if let (Some(now), Some(last)) = (now, last)
                && last < now
            {
                return false;
            }
            now = now.max(first);
        }
        true
    }

    /// The fewest relations of a simple path from `s` to `t` that is in order, by trying
    /// every simple path.
    fn brute_force(&self, s: usize, t: usize) -> Option<usize> {
        fn walk(
            g: &TimedGraph,
            at: usize,
            t: usize,
            seen: &mut Vec<bool>,
            path: &mut Vec<usize>,
            best: &mut Option<usize>,
        ) {
            if at == t {
                if g.in_order(path) {
                    *best = Some(best.map_or(path.len(), |b| b.min(path.len())));
                }
                return;
            }
            for (i, &(from, to, ..)) in g.edges.iter().enumerate() {
                let next = if from == at {
                    to
                } else if to == at && !g.directed {
                    from
                } else {
                    continue;
                };
                if seen[next] {
                    continue;
                }
                seen[next] = true;
                path.push(i);
                walk(g, next, t, seen, path, best);
                path.pop();
                seen[next] = false;
            }
        }
        let mut seen = vec![false; self.nodes];
        seen[s] = true;
        let mut best = None;
        walk(self, s, t, &mut seen, &mut Vec::new(), &mut best);
        best
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn chronological_paths_are_in_order_shortest_and_never_shorter_than_plain(g in timed_graph()) {
        let kg = g.graph();
        let adjacency = kg.adjacency();
        let mut search = PathSearch::new(&kg, adjacency);
        let filter = Filter::new(&kg, &FilterSpec { directed: g.directed, ..FilterSpec::default() })
            .unwrap();
        let query = |mode| PathQuery { filter: filter.clone(), max_hops: None, weighted: false, mode };
        for s in 0..g.nodes {
            for t in 0..g.nodes {
                let (from, to) = (
                    kg.node_by_id(&format!("n{s}")).unwrap(),
                    kg.node_by_id(&format!("n{t}")).unwrap(),
                );
                let timed = search.search(from, to, &query(PathMode::Chronological)).unwrap();
                let plain = search.search(from, to, &query(PathMode::Shortest)).unwrap();
                prop_assert_eq!(timed.first().map(Path::len), g.brute_force(s, t), "{} to {}", s, t);
                let within_two = PathQuery { max_hops: Some(2), ..query(PathMode::Chronological) };
                let near = search.search(from, to, &within_two).unwrap();
                prop_assert_eq!(
                    near.first().map(Path::len),
                    g.brute_force(s, t).filter(|&hops| hops <= 2),
                    "{} to {} within 2", s, t
                );
                if let Some(path) = timed.first() {
                    let edges: Vec<usize> = path.edges.iter().map(|e| e.index()).collect();
                    prop_assert!(g.in_order(&edges), "{:?} is out of order", edges);
                    prop_assert!(path.len() >= plain[0].len());
                    prop_assert_eq!(path.nodes.first(), Some(&from));
                    prop_assert_eq!(path.nodes.last(), Some(&to));
                    for (i, &edge) in path.edges.iter().enumerate() {
                        let (a, b) = kg.endpoints(edge);
                        let (x, y) = (path.nodes[i], path.nodes[i + 1]);
                        prop_assert!((a, b) == (x, y) || (!g.directed && (a, b) == (y, x)));
                    }
                }
            }
        }
    }
}

// ---- events and states --------------------------------------------------------------------

/// The ids `neighbors ada --as-of DATE` lists in `dir`.
fn neighbours_as_of(dir: &std::path::Path, date: &str) -> Vec<String> {
    let output = ties()
        .arg("--data")
        .arg(dir)
        .args(["neighbors", "ada", "--as-of", date, "--format", "json"])
        .output()
        .unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    answer["neighbors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn as_of_keeps_a_state_but_not_an_event_that_is_over() {
    let events = super::support::root().join("tests/data/events");
    assert_eq!(neighbours_as_of(&events, "2016-04-12"), ["bob", "cy"]);
    assert_eq!(
        neighbours_as_of(&events, "2017"),
        ["cy"],
        "the meeting is over"
    );
    // The same rows without the schema: the meeting counts as a state, in force ever after.
    let read = |p: &str| std::fs::read(events.join(p)).unwrap();
    let (people, relations) = (read("entities/people.csv"), read("relations/r.csv"));
    let undeclared = DataDir::new(&[
        ("entities/people.csv", &people),
        ("relations/r.csv", &relations),
    ]);
    assert_eq!(neighbours_as_of(undeclared.path(), "2017"), ["bob", "cy"]);
}

#[test]
fn every_time_view_of_an_event_uses_its_own_dates() {
    let events = super::support::root().join("tests/data/events");
    let run = |args: &[&str]| {
        let output = ties()
            .arg("--data")
            .arg(&events)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Cypher's end_to is the last day the relation is in force.
    let rows = run(&[
        "query",
        "--format",
        "csv",
        "-e",
        "MATCH ()-[r]->() RETURN type(r) AS t, r.start_from AS from, r.end_to AS to ORDER BY r.rid",
    ]);
    assert_eq!(
        rows,
        "t,from,to\nmet,2016-04-12,2016-04-12\nworks_with,2016-04-12,\nmet,2015-06-01,2015-07-31\n"
    );
    // The GEXF timeline shows the meeting on its day only, the work from its start on.
    let gexf = run(&["export", "--format", "gexf", "-o", "-"]);
    let edge = |id: &str| {
        gexf.lines()
            .find(|line| line.contains(&format!("<edge id=\"{id}\"")))
            .unwrap()
            .to_owned()
    };
    assert!(
        edge("e0").contains(r#"start="2016-04-12" end="2016-04-12""#),
        "{}",
        edge("e0")
    );
    assert!(
        edge("e1").contains(r#"start="2016-04-12">"#),
        "{}",
        edge("e1")
    );
    // A chronological path may go from the 2015 conference to the 2016 meeting, not back.
    let forward = run(&["path", "cy", "ada", "--chronological", "--types", "met"]);
    assert!(
        forward.contains("Cy ←met (2015-06 – 2015-07)— Bob ←met (2016-04-12)— Ada"),
        "{forward}"
    );
    let backward = ties()
        .arg("--data")
        .arg(&events)
        .args(["path", "ada", "cy", "--chronological", "--types", "met"])
        .output()
        .unwrap();
    assert_eq!(backward.status.code(), Some(1));
}

#[test]
fn cyphers_documented_in_force_rule_keeps_what_as_of_keeps() {
    for year in ["1992", "1995", "2016", "2017", "2025"] {
        let query = format!(
            "MATCH ()-[r]->() WITH r, date('{year}') AS d WHERE (r.start_from IS NULL OR \
             r.start_from <= d) AND (r.end_to IS NULL OR r.end_to >= d) RETURN r.rid AS rid \
             ORDER BY rid"
        );
        let cypher = ties()
            .args(["query", "--format", "csv", "-e", &query])
            .output()
            .unwrap();
        let mut by_cypher: Vec<String> = String::from_utf8(cypher.stdout)
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect();
        let view = ties()
            .args(["export", "--format", "json", "--as-of", year, "-o", "-"])
            .output()
            .unwrap();
        let mut by_view: Vec<String> = String::from_utf8(view.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| {
                serde_json::from_str::<serde_json::Value>(line.trim_end_matches(',')).ok()
            })
            .filter_map(|element| {
                element
                    .get("key")
                    .and_then(|k| k.as_str())
                    .map(str::to_owned)
            })
            .collect();
        by_cypher.sort();
        by_view.sort();
        assert!(!by_view.is_empty());
        assert_eq!(by_cypher, by_view, "as of {year}");
    }
}
