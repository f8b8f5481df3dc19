//! Load benchmark: time and peak memory of `load_dir` + graph build on a generated data dir.
//!
//! ```sh
//! python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
//! cargo bench --bench load -- /tmp/kg-large/data
//! ```
//!
//! Peak memory is the process's `VmHWM` (Linux), so run one load per process.

use std::time::Instant;

mod common;

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench load -- DATA_DIR");
        return;
    };
    let started = Instant::now();
    let dataset = match ties::load::load_dir(dir.as_ref(), &ties::load::NoProgress) {
        Ok(dataset) => dataset,
        Err(err) => {
            eprintln!("{dir} did not load: {err}");
            std::process::exit(2);
        }
    };
    let loaded = started.elapsed();
    let graph = ties::graph::KnowledgeGraph::from_dataset(dataset);
    let built = started.elapsed();
    println!(
        "load {dir}: {} entities, {} relations; parse+validate {:.2} s, graph {:.2} s, total {:.2} s, peak RSS {} MB",
        graph.entity_count(),
        graph.relation_count(),
        loaded.as_secs_f64(),
        built.saturating_sub(loaded).as_secs_f64(),
        built.as_secs_f64(),
        common::peak_rss_mb("self").map_or_else(|| "?".to_owned(), |mb| mb.to_string())
    );
}
