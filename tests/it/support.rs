//! Helpers: temporary data dirs written from inline CSV, and running the binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A data dir in a temporary folder, removed on drop.
pub struct DataDir {
    pub dir: tempfile::TempDir,
}

impl DataDir {
    /// Writes `files` (path relative to the data dir, bytes) into a fresh data dir.
    pub fn new(files: &[(&str, &[u8])]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, bytes).unwrap();
        }
        DataDir { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The minimal valid files: two countries and one relation.
pub const COUNTRIES: (&str, &[u8]) = (
    "entities/countries.csv",
    b"id,name\nkazakhstan,Kazakhstan\nisrael,Israel\n",
);

/// Loads a data dir and returns the diagnostics as `file:line: message` with the temp dir
/// prefix removed.
pub fn load_errors(data: &DataDir) -> Vec<String> {
    let err = ties::load::load_dir(data.path(), &ties::load::NoProgress).unwrap_err();
    let prefix = format!("{}/", data.path().display());
    err.diagnostics
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect()
}

/// Loads a data dir that must be valid.
pub fn load_ok(data: &DataDir) -> ties::graph::KnowledgeGraph {
    match ties::load::load_dir(data.path(), &ties::load::NoProgress) {
        Ok(dataset) => ties::graph::KnowledgeGraph::from_dataset(dataset),
        Err(err) => panic!("{:?}", err.diagnostics),
    }
}

/// Returns the repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the `ties` binary, run from the repository root.
///
/// Its default data is `tests/data/article`, a frozen copy of the seed data, so correcting a
/// fact in `data/` never breaks a CLI contract test; [`ties_on_seed`] runs on `data/` itself.
pub fn ties() -> Command {
    let mut cmd = Command::cargo_bin("ties").unwrap();
    cmd.current_dir(root())
        .env("TIES_DATA", "tests/data/article");
    cmd
}

/// Returns the `ties` binary on the real seed data in `data/` (the README's examples, the
/// smoke test).
pub fn ties_on_seed() -> Command {
    let mut cmd = Command::cargo_bin("ties").unwrap();
    cmd.current_dir(root()).env("TIES_DATA", "data");
    cmd
}

/// Loads a data dir at `path` that must be valid.
pub fn load_ok_path(path: &Path) -> ties::graph::KnowledgeGraph {
    match ties::load::load_dir(path, &ties::load::NoProgress) {
        Ok(dataset) => ties::graph::KnowledgeGraph::from_dataset(dataset),
        Err(err) => panic!("{:?}", err.diagnostics),
    }
}

/// Runs a command that must succeed and returns its output; a failure shows its stderr.
pub fn run_ok(cmd: &mut Command) -> std::process::Output {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Asserts that `ties` exits with `code` for each argument list.
#[track_caller]
pub fn assert_exit(code: i32, cases: &[&[&str]]) {
    for args in cases {
        ties().args(*args).assert().code(code);
    }
}
