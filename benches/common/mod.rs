//! What the generated-data benchmarks share: loading `DIR/data` and `DIR/pairs.csv`,
//! percentiles, and peak memory.

#![allow(
    dead_code,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::path::{Path, PathBuf};

use ties::graph::KnowledgeGraph;

/// Returns the generated folder named on the command line, or prints the usage and `None`.
pub fn generated_dir(bench: &str) -> Option<PathBuf> {
    let dir = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if dir.is_none() {
        eprintln!("usage: cargo bench --bench {bench} -- GENERATED_DIR (with data/ and pairs.csv)");
    }
    dir.map(PathBuf::from)
}

/// Loads `root/data`, exiting with 2 when it does not load.
pub fn load(root: &Path) -> KnowledgeGraph {
    match ties::load::load_dir(&root.join("data"), &ties::load::NoProgress) {
        Ok(dataset) => KnowledgeGraph::from_dataset(dataset),
        Err(err) => {
            eprintln!("did not load: {err}");
            std::process::exit(2);
        }
    }
}

/// Returns the `from,to` ids of `root/pairs.csv`.
pub fn pairs(root: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root.join("pairs.csv")).expect("pairs.csv next to data/");
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_once(','))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

/// Returns the `q` quantile (0..=1) of sorted milliseconds.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Returns the peak resident memory (`VmHWM`, Linux) of process `pid` (`"self"` for this
/// one) in MB.
pub fn peak_rss_mb(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
