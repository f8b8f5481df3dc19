//! The explorer page as written: one self-contained file whose embedded graph reads back and
//! whose data cannot become markup. The page's behaviour is tested in a real browser by
//! `tests/explorer/check.py`, which `.ci/run` runs.

use super::support::{DataDir, root, ties};

fn embedded(page: &str) -> serde_json::Value {
    let start = page
        .find(r#"<script type="application/json" id="ties-data">"#)
        .expect("the graph is embedded");
    let body = &page[start..];
    let body = &body[body.find('>').unwrap() + 1..];
    let end = body.find("</script>").unwrap();
    serde_json::from_str(&body[..end]).unwrap()
}

#[test]
fn the_page_embeds_the_graph_with_positions_and_nothing_external() {
    let out = tempfile::tempdir().unwrap();
    let output = ties()
        .args(["-q", "build", "--queries", "queries", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let graph = embedded(&page);
    assert_eq!(graph["nodes"]["id"].as_array().unwrap().len(), 45);
    assert_eq!(graph["edges"]["id"].as_array().unwrap().len(), 83);
    assert!(graph["nodes"]["x"][0].is_number());
    assert_eq!(graph["edges"]["id"][0], 0);
    // Provenance names files inside the data folder, never where it sits on this machine.
    assert!(!page.contains(&root().display().to_string()));
    assert!(
        graph["files"].as_array().unwrap().iter().all(|f| f
            .as_str()
            .unwrap()
            .starts_with("entities/")
            || f.as_str().unwrap().starts_with("relations/"))
    );
    for external in [
        "<script src",
        "<link ",
        "src=\"http",
        "href=\"http",
        "url(http",
    ] {
        assert!(!page.contains(external), "the page loads `{external}`");
    }
    let questions = std::fs::read_dir(root().join("queries")).unwrap().count();
    assert_eq!(
        page.matches(r#"<table class="answer sortable">"#).count(),
        questions
    );
}

#[test]
fn names_cannot_end_the_embedded_script() {
    let data = DataDir::new(&[
        (
            "entities/people.csv",
            "id,name\na,</script><script>alert(1)</script>\nb,x\u{2028}y\n".as_bytes(),
        ),
        ("relations/r.csv", b"from,type,to\na,knows,b\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["-q", "build", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(!page.contains("<script>alert(1)"));
    assert!(!page.contains('\u{2028}'));
    let graph = embedded(&page);
    assert_eq!(
        graph["nodes"]["name"][0],
        "</script><script>alert(1)</script>"
    );
    assert_eq!(graph["nodes"]["name"][1], "x\u{2028}y");
}

#[test]
fn the_explorer_can_show_a_neighbourhood_instead_of_the_whole_graph() {
    let out = tempfile::tempdir().unwrap();
    let output = ties()
        .args([
            "-q",
            "build",
            "--explore-around",
            "Shimon Peres",
            "--explore-depth",
            "1",
            "-o",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let graph = embedded(&page);
    let mut ids: Vec<&str> = graph["nodes"]["id"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["kazakhstan", "president-of-israel", "shimon-peres"]);
    assert!(page.contains("The explorer shows 3 entities within 1 relation of Shimon Peres"));
}

/// The page's rules (`src/export/explorer/rules.js`) pass their own tests under Node
/// (`tests/explorer/rules.test.mjs`): search, time, views and paths, and a chain of 200,000
/// relations walked without recursion.
#[test]
fn the_explorer_rules_pass_their_tests_under_node() {
    let Some(mut node) = super::export::tool("node") else {
        return;
    };
    let output = node
        .current_dir(root())
        .args(["--test", "tests/explorer/"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
