//! README.md's console examples are real: each `$ ties ...` block (or `$ cargo run --release
//! -- ...`) is run and its output compared, so the README cannot rot. Blocks that write files
//! (`build`, `-o`) or abridge their output (a `...` line) are not run.

use super::support::{root, ties_on_seed};

/// Splits a command line the way a shell would for these examples: spaces, '...' and "...".
fn split(command: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ' | '\n') => {
                if started || !current.is_empty() {
                    args.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (_, c) => current.push(c),
        }
    }
    if started || !current.is_empty() {
        args.push(current);
    }
    args
}

fn quotes_balanced(text: &str) -> bool {
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '\'' || c == '"' => quote = Some(c),
            _ => {}
        }
    }
    quote.is_none()
}

/// The examples of one console block: each `$ ` command (with the lines that finish a quoted
/// argument) and the lines it prints, up to the next `$ `.
fn examples(block: &str) -> Vec<(String, Vec<&str>)> {
    let mut examples: Vec<(String, Vec<&str>)> = Vec::new();
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        match line.strip_prefix("$ ") {
            Some(first) => {
                let mut command = first.to_owned();
                while !quotes_balanced(&command) {
                    command.push('\n');
                    command.push_str(lines.next().expect("a quoted argument ends in its block"));
                }
                examples.push((command, Vec::new()));
            }
            None => {
                if let Some((_, expected)) = examples.last_mut() {
                    expected.push(line);
                }
            }
        }
    }
    examples
}

#[test]
fn readme_console_examples_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut checked = 0;
    let blocks = readme.split("```console\n").skip(1);
    for block in blocks {
        let block = block.split("```").next().unwrap();
        // A block that imports makes a folder: it runs in a scratch folder holding a copy of
        // the file it imports, so the repository stays clean.
        let scratch = block.contains("$ ties import").then(|| {
            let dir = tempfile::tempdir().unwrap();
            let fixtures = dir.path().join("tests/data/ftm");
            std::fs::create_dir_all(&fixtures).unwrap();
            for entry in std::fs::read_dir(root().join("tests/data/ftm")).unwrap() {
                let path = entry.unwrap().path();
                std::fs::copy(&path, fixtures.join(path.file_name().unwrap())).unwrap();
            }
            dir
        });
        checked += run_block(block, scratch.as_ref().map(tempfile::TempDir::path));
    }
    assert!(checked >= 8, "only {checked} README examples were checked");
}

/// Runs the examples of one console block (in `cwd` when given) and returns how many ran.
fn run_block(block: &str, cwd: Option<&std::path::Path>) -> usize {
    let mut checked = 0;
    for (command, expected) in examples(block) {
        let mut command = command;
        // `NAME=value ties ...`: one environment variable for the command.
        let mut env: Option<(String, String)> = None;
        if let Some((assignment, rest)) = command.split_once(' ')
            && let Some((name, value)) = assignment.split_once('=')
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        {
            env = Some((name.to_owned(), value.to_owned()));
            command = rest.to_owned();
        }
        let args_text = command
            .strip_prefix("cargo run --release -- ")
            .or_else(|| command.strip_prefix("ties "));
        let Some(args_text) = args_text else { continue };
        let args = split(args_text);
        if args.iter().any(|a| a == "build" || a == "-o")
            || expected.iter().any(|l| l.trim() == "...")
        {
            continue;
        }
        let mut ties = ties_on_seed();
        if let Some((name, value)) = &env {
            ties.env(name, value);
        }
        if let Some(cwd) = cwd {
            ties.current_dir(cwd);
        }
        let output = ties.args(&args).output().unwrap();
        let mut actual = String::from_utf8(output.stdout).unwrap();
        actual.push_str(&String::from_utf8(output.stderr).unwrap());
        assert_eq!(
            actual.trim_end(),
            expected.join("\n").trim_end(),
            "README example `{command}` prints something else now; update README.md"
        );
        checked += 1;
    }
    checked
}

#[test]
fn readme_timeline_sentence_counts_what_the_seed_gexf_holds() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let sentence = readme
        .split_once(" relations are\n   undated")
        .expect("README's Gephi steps say how many of the seed's relations are undated")
        .0;
    let words: Vec<&str> = sentence.rsplit(' ').take(5).collect();
    assert_eq!(
        words[1..4],
        ["seed's", "the", "of"],
        "`N of the seed's M relations`"
    );
    let total: usize = words[0].parse().unwrap();
    let undated: usize = words[4].parse().unwrap();
    let output = ties_on_seed()
        .args(["export", "--format", "gexf", "-o", "-"])
        .output()
        .unwrap();
    let gexf = String::from_utf8(output.stdout).unwrap();
    let edges: Vec<&str> = gexf
        .lines()
        .filter(|line| line.trim_start().starts_with("<edge "))
        .collect();
    assert_eq!(edges.len(), total);
    let always_on_screen = edges
        .iter()
        .filter(|edge| !edge.contains(" start=") && !edge.contains(" end="))
        .count();
    assert_eq!(always_on_screen, undated);
    // Events leave the timeline again: every dated visit has an end.
    let visits: Vec<&&str> = edges
        .iter()
        .filter(|edge| edge.contains(r#"label="visited""#))
        .collect();
    assert!(!visits.is_empty());
    assert!(
        visits.iter().all(|edge| edge.contains(" end=")),
        "{visits:?}"
    );
}
