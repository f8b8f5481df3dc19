//! Query benchmark: Cypher queries with a bound first node on a generated graph.
//!
//! ```sh
//! python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
//! cargo bench --bench query -- /tmp/kg-large
//! ```
//!
//! Each query runs once for each of the first 200 pairs of `pairs.csv` (`$a`, `$b`); the
//! report gives the median and p99 per query after loading. Then one query runs 10,000
//! times with a different `$a` each time, parsed every time (`cypher::run`) and prepared
//! once (`cypher::prepare`, then `Prepared::run`).

#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::collections::BTreeMap;
use std::time::Instant;

use ties::cypher::{self, Value};
use ties::graph::adjacency::Adjacency;

const QUERIES: [(&str, &str); 4] = [
    (
        "one hop, typed",
        "MATCH (p {id: $a})-[:member_of|employs]-(x) RETURN x.id",
    ),
    (
        "one hop, grouped",
        "MATCH (p {id: $a})-[r]-(x) RETURN type(r) AS t, count(*) AS n ORDER BY n DESC",
    ),
    (
        "two hops, label",
        "MATCH (p {id: $a})-[:member_of]->(o:organizations)<-[:member_of]-(q) RETURN count(DISTINCT q)",
    ),
    (
        "shortest path",
        "MATCH p = shortestPath((a {id: $a})-[*..12]-(b {id: $b})) RETURN length(p)",
    ),
];

mod common;

fn main() {
    let Some(root) = common::generated_dir("query") else {
        return;
    };
    let kg = common::load(&root);
    let adjacency = kg.adjacency();
    let pairs: Vec<(String, String)> = common::pairs(&root).into_iter().take(200).collect();
    for (name, text) in QUERIES {
        let mut times = Vec::with_capacity(pairs.len());
        let mut rows = 0;
        for (a, b) in &pairs {
            let params = BTreeMap::from([
                ("a".to_owned(), Value::Str(a.clone())),
                ("b".to_owned(), Value::Str(b.clone())),
            ]);
            let started = Instant::now();
            let result = cypher::run(&kg, adjacency, text, params, cypher::Limits::default())
                .expect("benchmark queries are valid");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            rows += result.rows.len();
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| common::quantile(&times, q);
        println!(
            "query {name:<18} {:>4} runs, {rows:>6} rows: median {:.4} ms, p99 {:.3} ms, max {:.3} ms",
            times.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    prepared(&kg, adjacency, &common::pairs(&root));
}

/// One query, 10,000 runs with a different `$a`: parsed each time, then prepared once.
fn prepared(kg: &ties::graph::KnowledgeGraph, adjacency: &Adjacency, pairs: &[(String, String)]) {
    const RUNS: usize = 10_000;
    let text = QUERIES[0].1;
    let params =
        |i: usize| BTreeMap::from([("a".to_owned(), Value::Str(pairs[i % pairs.len()].0.clone()))]);
    let started = Instant::now();
    let mut parsed_rows = 0;
    for i in 0..RUNS {
        let result = cypher::run(kg, adjacency, text, params(i), cypher::Limits::default())
            .expect("benchmark queries are valid");
        parsed_rows += result.rows.len();
    }
    let parsed = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let query = cypher::prepare(kg, text).expect("benchmark queries are valid");
    let mut prepared_rows = 0;
    for i in 0..RUNS {
        let result = query
            .run(kg, adjacency, params(i), cypher::Limits::default())
            .expect("benchmark queries are valid");
        prepared_rows += result.rows.len();
    }
    let prepared = started.elapsed().as_secs_f64();
    assert_eq!(
        parsed_rows, prepared_rows,
        "a prepared query answers the same"
    );
    println!(
        "prepared {:?} x{RUNS}: parsed each run {:.1} ms ({:.1} us/run), prepared once {:.1} ms ({:.1} us/run): {:.2}x",
        QUERIES[0].0,
        parsed * 1000.0,
        parsed * 1e6 / RUNS as f64,
        prepared * 1000.0,
        prepared * 1e6 / RUNS as f64,
        parsed / prepared
    );
}
