//! Path benchmark: the 1,000 pairs of `pairs.csv` from `../shared/bench/gen.py`, after loading.
//!
//! ```sh
//! python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
//! cargo bench --bench path -- /tmp/kg-large
//! ```
//!
//! Reports adjacency build time and the median, p90, p99 and max of one undirected unweighted
//! shortest path per pair (`ties path A B`), plus how many pairs were connected; then the same
//! for `ties path A B --chronological`, with the generator's `visited` and `signed` read as
//! events (as a `ties.toml` would declare them).

// Percentiles over a thousand timings: the float casts cannot lose anything that matters.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::time::Instant;

use ties::graph::adjacency::Adjacency;
use ties::model::schema::{Timing, Timings};
use ties::query::filter::Filter;
use ties::query::path::{PathMode, PathQuery, PathSearch};

mod common;

fn main() {
    let Some(root) = common::generated_dir("path") else {
        return;
    };
    let mut kg = common::load(&root);
    kg.catalog.timings = Timings(
        kg.catalog
            .rel_types
            .iter()
            .map(|t| match t.as_str() {
                "visited" | "signed" => Timing::Event,
                _ => Timing::State,
            })
            .collect(),
    );
    let started = Instant::now();
    let adjacency = kg.adjacency();
    let adjacency_time = started.elapsed();
    let pairs: Vec<_> = common::pairs(&root)
        .iter()
        .map(|(a, b)| {
            (
                kg.node_by_id(a).expect("pair ids exist"),
                kg.node_by_id(b).expect("pair ids exist"),
            )
        })
        .collect();
    for mode in [PathMode::Shortest, PathMode::Chronological] {
        let query = PathQuery {
            filter: Filter::everything(),
            max_hops: None,
            weighted: false,
            mode,
        };
        measure(
            &kg,
            adjacency,
            &pairs,
            &query,
            &root,
            adjacency_time.as_secs_f64(),
        );
    }
}

fn measure(
    kg: &ties::graph::KnowledgeGraph,
    adjacency: &Adjacency,
    pairs: &[(petgraph::graph::NodeIndex, petgraph::graph::NodeIndex)],
    query: &PathQuery,
    root: &std::path::Path,
    adjacency_seconds: f64,
) {
    let mut search = PathSearch::new(kg, adjacency);
    let mut times = Vec::with_capacity(pairs.len());
    let mut connected = 0;
    let mut hops = 0;
    for &(a, b) in pairs {
        let started = Instant::now();
        let paths = search
            .search(a, b, query)
            .expect("unweighted search cannot fail");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(path) = paths.first() {
            connected += 1;
            hops += path.len();
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| common::quantile(&times, q);
    println!(
        "path {} ({:?}): {} pairs ({connected} connected, mean length {:.2}); adjacency {:.2} s; per query median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        root.display(),
        query.mode,
        pairs.len(),
        hops as f64 / f64::from(connected.max(1)),
        adjacency_seconds,
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}
