//! Layers only look left: model → load → graph → query → cypher → view → analysis → layout →
//! export → render → serve → cli.

use std::path::Path;

const LAYERS: [&str; 12] = [
    "model", "load", "graph", "query", "cypher", "view", "analysis", "layout", "export", "render",
    "serve", "cli",
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_uses_a_layer_to_its_right() {
    let src = super::support::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(own) = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .and_then(|first| rank(first.trim_end_matches(".rs")))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in logical_lines(&text) {
            for layer in layers_used(&line) {
                if rank(&layer).is_some_and(|used| used > own) {
                    violations.push(format!("{}:{}: {}", relative.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "uses that point right:\n{}",
        violations.join("\n")
    );
}

/// The file's lines, with a `crate::{` group that rustfmt spreads over several lines joined
/// into the line it starts on (numbered by that line).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut open: Option<(usize, String, i32)> = None;
    for (i, line) in text.lines().enumerate() {
        let depth = |l: &str| {
            i32::try_from(l.matches('{').count()).unwrap()
                - i32::try_from(l.matches('}').count()).unwrap()
        };
        match open.take() {
            Some((start, mut joined, level)) => {
                joined.push(' ');
                joined.push_str(line.trim());
                let level = level + depth(line);
                if level > 0 {
                    open = Some((start, joined, level));
                } else {
                    lines.push((start, joined));
                }
            }
            None if line.contains("crate::{") && depth(line) > 0 => {
                open = Some((i, line.to_owned(), depth(line)));
            }
            None => lines.push((i, line.to_owned())),
        }
    }
    if let Some((start, joined, _)) = open {
        lines.push((start, joined));
    }
    lines
}

/// The first path segments after each `crate::` on a line: `crate::render;`,
/// `crate::render::x`, and each item of `crate::{model, render::{x, y}}`.
fn layers_used(line: &str) -> Vec<String> {
    let first_name = |text: &str| -> String {
        text.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut used = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The group's items at its own level: nested groups belong to their item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.push(first_name(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 || c != '{' {
                    item.push(c);
                }
            }
            used.push(first_name(&item));
            used.retain(|name| !name.is_empty());
        } else {
            used.push(first_name(rest));
        }
    }
    used
}

#[test]
fn groups_over_several_lines_are_read_whole() {
    let text = "use crate::{\n    model::x,\n    render::{\n        a, b,\n    },\n};\nfn f() {}\n";
    let lines = logical_lines(text);
    assert_eq!(lines[0].0, 0);
    assert_eq!(layers_used(&lines[0].1), ["model", "render"]);
    assert_eq!(lines.len(), 2);
}

#[test]
fn every_form_of_a_crate_path_is_seen() {
    assert_eq!(layers_used("use crate::render;"), ["render"]);
    assert_eq!(layers_used("use crate::render::Engine;"), ["render"]);
    assert_eq!(
        layers_used("use crate::{model, render::x};"),
        ["model", "render"]
    );
    assert_eq!(
        layers_used("let x = crate::export::atomic::parent_of(crate::cli::f());"),
        ["export", "cli"]
    );
    assert!(layers_used("// no path here").is_empty());
}

/// A module is read whole: past about 600 lines of code (its tests not counted) it is split
/// along its seams, so none grows back unnoticed.
#[test]
fn no_source_file_is_over_600_lines_of_code() {
    const MOST: usize = 600;
    let src = super::support::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            let code = text
                .lines()
                .take_while(|line| *line != "#[cfg(test)]")
                .count();
            (code > MOST).then(|| format!("{} ({code} lines)", file.display()))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "split these files: {long:?}");
}
