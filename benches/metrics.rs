//! Metrics benchmark: each metric's time on a generated graph, without the load, and the
//! process's peak memory, beside the load's.
//!
//! ```sh
//! python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
//! cargo bench --bench metrics -- /tmp/kg-large/data [SAMPLES]
//! python3 benches/networkit_metrics.py /tmp/kg-large/data [SAMPLES]   # the same, in networkit
//! ```
//!
//! Rayon uses every core (2 on this project's machine); set `RAYON_NUM_THREADS` to change it.

use std::time::Instant;

use ties::analysis::{Metric, MetricOptions, compute};

mod common;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let Some(dir) = args.next() else {
        eprintln!("usage: cargo bench --bench metrics -- DATA_DIR [SAMPLES]");
        return;
    };
    let samples: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(256);
    let started = Instant::now();
    let dataset = match ties::load::load_dir(dir.as_ref(), &ties::load::NoProgress) {
        Ok(dataset) => dataset,
        Err(err) => {
            eprintln!("{dir} did not load: {err}");
            std::process::exit(2);
        }
    };
    let kg = ties::graph::KnowledgeGraph::from_dataset(dataset);
    let view = ties::view::Subgraph::whole(&kg);
    let loaded = started.elapsed();
    let after_load = common::peak_rss_mb("self").unwrap_or(0);
    println!(
        "loaded {} entities, {} relations in {:.2} s, peak RSS {after_load} MB; {} threads",
        kg.entity_count(),
        kg.relation_count(),
        loaded.as_secs_f64(),
        rayon::current_num_threads()
    );
    let options = MetricOptions {
        samples: Some(samples),
        seed: ties::analysis::DEFAULT_SEED,
        ..MetricOptions::default()
    };
    println!("| metric | time | notes |");
    println!("| --- | --- | --- |");
    for metric in [
        Metric::Degree,
        Metric::Pagerank,
        Metric::Components,
        Metric::Kcore,
        Metric::Communities,
        Metric::Eigenvector,
        Metric::Betweenness,
    ] {
        let started = Instant::now();
        let table = compute(&kg, &view, &[metric], &options);
        let total = started.elapsed();
        let spent = table
            .summary
            .timings
            .iter()
            .map(|(_, d)| d.as_secs_f64())
            .sum::<f64>();
        let summary = &table.summary;
        let notes = match metric {
            Metric::Pagerank => format!(
                "{} iterations (tolerance n × 1e-10)",
                summary.pagerank_iterations.map_or(0, |(i, _)| i)
            ),
            Metric::Eigenvector => format!(
                "{} iterations",
                summary.eigenvector_iterations.map_or(0, |(i, _)| i)
            ),
            Metric::Components => format!("{} components", summary.components.unwrap_or(0)),
            Metric::Communities => format!(
                "{} communities, modularity {:.4}",
                summary.communities.unwrap_or(0),
                summary.modularity.unwrap_or(0.0)
            ),
            Metric::Betweenness => summary.sample.map_or_else(String::new, |s| {
                format!(
                    "{} sampled sources ({:.3} s a source), with closeness; error bound {:.3}",
                    s.sources,
                    spent / f64::from(u32::try_from(s.sources).unwrap_or(u32::MAX)),
                    s.error_bound
                )
            }),
            _ => String::new(),
        };
        println!(
            "| {metric} | {spent:.2} s (with the simple graph: {:.2} s) | {notes} |",
            total.as_secs_f64()
        );
    }
    println!(
        "peak RSS {} MB (after the load: {after_load} MB)",
        common::peak_rss_mb("self").unwrap_or(0)
    );
}
