//! The query corpus: `tests/queries/<name>.cypher` run on `tests/data/tiny`, compared with
//! `<name>.out` (a table, or the rendered error). Bless with `SNAPSHOTS=overwrite cargo test`.
//! A line `// param: name=value` passes a parameter.

use std::collections::BTreeMap;

use ties::cypher::{self, Value};

use super::support::root;

fn table(kg: &ties::graph::KnowledgeGraph, result: &cypher::QueryResult) -> String {
    let mut out = result.columns.join(" | ");
    out.push('\n');
    for row in &result.rows {
        out.push_str(
            &row.iter()
                .map(|v| v.display(kg))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push('\n');
    }
    out.push_str(&format!("({} rows)\n", result.rows.len()));
    for notice in &result.notices {
        out.push_str(&format!("note: {notice}\n"));
    }
    out
}

#[test]
fn corpus_matches_expected_results() {
    let kg = super::support::load_ok_path(&root().join("tests/data/tiny"));
    let adjacency = kg.adjacency();
    let dir = root().join("tests/queries");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "the corpus lost files");
    let overwrite = std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite");
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let params: BTreeMap<String, Value> = text
            .lines()
            .filter_map(|l| l.strip_prefix("// param: "))
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), cypher::param_value(v).unwrap()))
            .collect();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let actual = match cypher::run(&kg, adjacency, &text, params, cypher::Limits::default()) {
            Ok(result) => table(&kg, &result),
            Err(err) => format!("error: {}\n", err.render(&text, &name)),
        };
        let expected_path = path.with_extension("out");
        if overwrite {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {name}: expected ---\n{expected}--- actual ---\n{actual}"
            ));
        }
        let is_error_case = name.starts_with("error-");
        assert_eq!(
            actual.starts_with("error: "),
            is_error_case,
            "{name}: {actual}"
        );
    }
    assert!(
        failures.is_empty(),
        "{}\nbless with SNAPSHOTS=overwrite",
        failures.join("\n")
    );
}

/// The functions docs/cypher.md lists are exactly those the parser resolves.
#[test]
fn the_documented_functions_are_the_functions() {
    let docs = std::fs::read_to_string(root().join("docs/cypher.md")).unwrap();
    let section = docs
        .split("## Functions")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let mut documented: Vec<String> = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split('|').nth(1).unwrap();
        for (i, span) in first.split('`').enumerate() {
            if i % 2 == 1 {
                let name = span.split('(').next().unwrap().trim().to_owned();
                if !documented.contains(&name) {
                    documented.push(name);
                }
            }
        }
    }
    documented.sort();
    let mut known: Vec<String> = ties::cypher::ast::Function::ALL
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    known.sort();
    assert_eq!(documented, known);
}
