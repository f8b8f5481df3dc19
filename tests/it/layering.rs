//! Layers only look left: model → load → graph → query → view → export → render → cli.

use std::path::Path;

const LAYERS: [&str; 8] = [
    "model", "load", "graph", "query", "view", "export", "render", "cli",
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
        for (i, line) in text.lines().enumerate() {
            for layer in LAYERS {
                let used = format!("crate::{layer}::");
                let used_braced = format!("crate::{{{layer}");
                if (line.contains(&used) || line.contains(&used_braced))
                    && rank(layer).unwrap() > own
                {
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
