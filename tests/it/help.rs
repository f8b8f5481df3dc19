//! One `--help` snapshot per subcommand, so help text changes show in review.
//! Bless with `SNAPSHOTS=overwrite cargo test`.

use super::support::{root, ties};

const COMMANDS: [&str; 15] = [
    "",
    "check",
    "stats",
    "show",
    "find",
    "path",
    "neighbors",
    "export",
    "render",
    "query",
    "build",
    "schema",
    "import",
    "import ftm",
    "serve",
];

#[test]
fn help_text_matches_its_snapshot() {
    let overwrite = std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite");
    let mut changed = Vec::new();
    for command in COMMANDS {
        let mut cmd = ties();
        cmd.env_remove("TIES_DATA");
        cmd.args(command.split_whitespace());
        let output = cmd.arg("--help").env("COLUMNS", "100").output().unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        let name = if command.is_empty() {
            "ties".to_owned()
        } else {
            command.replace(' ', "-")
        };
        let path = root().join(format!("tests/cmd/help/{name}.txt"));
        if overwrite {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != text {
            changed.push(format!("{name}:\n{text}"));
        }
    }
    assert!(
        changed.is_empty(),
        "help changed; bless with SNAPSHOTS=overwrite:\n{}",
        changed.join("\n")
    );
}
