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

#[test]
fn readme_console_examples_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut checked = 0;
    let blocks = readme.split("```console\n").skip(1);
    for block in blocks {
        let block = block.split("```").next().unwrap();
        let mut lines = block.lines();
        let Some(first) = lines.next().and_then(|l| l.strip_prefix("$ ")) else {
            continue;
        };
        let mut command = first.to_owned();
        while !quotes_balanced(&command) {
            command.push('\n');
            command.push_str(lines.next().expect("a quoted argument ends in its block"));
        }
        let expected: Vec<&str> = lines.collect();
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
    assert!(checked >= 8, "only {checked} README examples were checked");
}
