//! Path search: hand-checked answers on small fixtures and a brute-force comparison on random
//! multigraphs.

use petgraph::graph::NodeIndex;
use proptest::prelude::*;
use ties::graph::KnowledgeGraph;
use ties::query::adjacency::Adjacency;
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
    adjacency: Adjacency,
}

impl Fixture {
    fn new(data: &DataDir) -> Self {
        let kg = load_ok(data);
        let adjacency = Adjacency::new(&kg);
        Fixture { kg, adjacency }
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
        let mut search = PathSearch::new(&self.kg, &self.adjacency);
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
        for edge in kg.graph.edge_indices() {
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
        let mut search = PathSearch::new(kg, &fixture.adjacency);
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
