//! Export benchmark: every format's `ties export` against `ties check` in the same run, as
//! ratios of wall time and peak memory (targets: ≤ 3× the time, ≤ 1.2× the memory).
//!
//! ```sh
//! python3 ../shared/bench/gen.py --size large --seed 42 --out /tmp/kg-large
//! cargo bench --bench export -- /tmp/kg-large/data [ROUNDS]
//! ```
//!
//! Each command runs as its own process (the release binary Cargo built for the bench), one
//! at a time. Peak memory is the child's `VmHWM` (Linux), read from `/proc` every 5 ms until it
//! exits: a high-water mark, so the last reading is the peak but for the final milliseconds.
//! Outputs go to a temporary folder beside the system's temporary files and are deleted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

const FORMATS: [&str; 7] = [
    "dot", "graphml", "gexf", "json", "cypher", "neo4j", "parquet",
];

/// A finished run: wall time, peak resident memory, size of what it wrote.
struct Run {
    seconds: f64,
    peak_mb: u64,
    bytes: u64,
}

fn run(args: &[&str], output: Option<&Path>) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ties"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the ties binary runs");
    let mut peak = 0;
    let status = loop {
        if let Some(mb) = common::peak_rss_mb(&child.id().to_string()) {
            peak = peak.max(mb);
        }
        if let Some(status) = child.try_wait().expect("waiting for ties") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.success(), "ties {args:?} failed: {status}");
    Run {
        seconds,
        peak_mb: peak,
        bytes: output.map_or(0, ties::export::index::size_on_disk),
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let Some(data) = args.next() else {
        eprintln!("usage: cargo bench --bench export -- DATA_DIR [ROUNDS]");
        return;
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(2);
    let work = tempfile::tempdir().expect("a temporary folder");
    println!("| round | command | time | × check | peak RSS | × check | output |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for round in 1..=rounds {
        let check = run(&["--data", &data, "-q", "check"], None);
        println!(
            "| {round} | `check` | {:.2} s | 1.00 | {} MB | 1.00 | |",
            check.seconds, check.peak_mb
        );
        for format in FORMATS {
            let output = work.path().join(format!("graph.{format}"));
            let output_text = output.to_string_lossy().into_owned();
            let exported = run(
                &[
                    "--data",
                    &data,
                    "-q",
                    "export",
                    "--format",
                    format,
                    "-o",
                    &output_text,
                ],
                Some(&output),
            );
            #[allow(clippy::cast_precision_loss)]
            let (time_ratio, memory_ratio, gb) = (
                exported.seconds / check.seconds,
                exported.peak_mb as f64 / check.peak_mb.max(1) as f64,
                exported.bytes as f64 / 1e9,
            );
            println!(
                "| {round} | `export --format {format}` | {:.2} s | {time_ratio:.2} | {} MB | {memory_ratio:.2} | {gb:.2} GB |",
                exported.seconds, exported.peak_mb
            );
            let _ = if output.is_dir() {
                std::fs::remove_dir_all(&output)
            } else {
                std::fs::remove_file(&output)
            };
        }
    }
}
