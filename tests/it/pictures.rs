//! Pictures a person would put in a briefing, measured from their SVG geometry (see
//! [`super::svg_geometry`]): nothing overlaps, labels are not crossed, text is readable when
//! the picture is fitted into a 1,400 px page, and a path reads from its start to its end.

use std::path::Path;

use super::support::{root, ties};
use super::svg_geometry::{Findings, Picture, read};

fn graphviz() -> bool {
    super::export::tool("dot").is_some()
}

fn render(data: &Path, args: &[&str], out: &Path) -> Picture {
    let output = ties()
        .arg("--data")
        .arg(data)
        .args(["-q", "render"])
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read(&std::fs::read_to_string(out).unwrap())
}

#[track_caller]
fn assert_readable(what: &str, findings: &Findings) {
    let crossed_share = if findings.edge_labels == 0 {
        0.0
    } else {
        findings.crossed_labels as f64 / findings.edge_labels as f64
    };
    assert!(
        findings.node_overlaps == 0
            && findings.text_overlaps == 0
            && findings.labels_on_nodes == 0
            && crossed_share <= 0.10
            && findings.smallest_label_px >= 8.0,
        "{what} is not readable: {findings:#?}"
    );
}

#[test]
fn the_seed_network_reads_at_page_size() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let picture = render(&root().join("data"), &[], &dir.path().join("graph.svg"));
    let findings = picture.findings();
    eprintln!("seed: {findings:?}");
    assert_readable("the seed network", &findings);
    assert_eq!(picture.nodes.len(), 45, "one drawn node per entity");
}

#[test]
fn a_denser_fixture_reads_at_page_size() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let picture = render(
        &root().join("tests/data/pictures"),
        &[],
        &dir.path().join("graph.svg"),
    );
    let findings = picture.findings();
    eprintln!("fixture: {findings:?}");
    assert_readable("the pictures fixture", &findings);
}

fn path_picture(from: &str, to: &str, extra: &[&str]) -> Picture {
    let output = ties()
        .args(["-q", "path", from, to, "--format", "svg"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read(&String::from_utf8(output.stdout).unwrap())
}

#[test]
fn a_path_reads_from_its_start_on_the_left_to_its_end_on_the_right() {
    if !graphviz() {
        return;
    }
    for (from, to, from_id, to_id, extra) in [
        (
            "Shimon Peres",
            "Nursultan Nazarbayev",
            "shimon-peres",
            "nursultan-nazarbayev",
            &["--all"][..],
        ),
        (
            "Nursultan Nazarbayev",
            "Shimon Peres",
            "nursultan-nazarbayev",
            "shimon-peres",
            &["--all"][..],
        ),
        (
            "Donald Trump",
            "Kazakhstan",
            "donald-trump",
            "kazakhstan",
            &["-k", "3"][..],
        ),
    ] {
        let picture = path_picture(from, to, extra);
        let findings = picture.findings();
        eprintln!("{from} → {to}: {findings:?}");
        assert_readable(&format!("the path picture {from} → {to}"), &findings);
        let (start, end) = (picture.centre_of(from_id).0, picture.centre_of(to_id).0);
        for node in &picture.nodes {
            let x = node.rect.centre().0;
            if node.title != from_id {
                assert!(start < x, "{from} is not left of {}", node.title);
            }
            if node.title != to_id {
                assert!(end > x, "{to} is not right of {}", node.title);
            }
        }
        let marks: Vec<&str> = picture
            .nodes
            .iter()
            .flat_map(|n| n.texts.iter().map(|t| t.content.as_str()))
            .filter(|t| *t == "FROM" || *t == "TO")
            .collect();
        assert!(
            marks.contains(&"FROM") && marks.contains(&"TO"),
            "{marks:?}"
        );
    }
}

#[test]
fn clusters_do_not_overlap_and_engines_that_ignore_options_are_refused() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for data in [root().join("data"), root().join("tests/data/pictures")] {
        let picture = render(&data, &["--cluster-by", "kind"], &dir.path().join("c.svg"));
        assert!(picture.clusters.len() > 2, "{:?}", picture.clusters);
        for (i, a) in picture.clusters.iter().enumerate() {
            for b in &picture.clusters[i + 1..] {
                assert!(!a.overlaps(b, 0.5), "cluster boxes overlap: {a:?} {b:?}");
            }
        }
    }
    for args in [
        &["--engine", "neato", "--cluster-by", "kind"][..],
        &["--engine", "sfdp", "--left-to-right"][..],
    ] {
        let output = ties()
            .args(["render", "-o"])
            .arg(dir.path().join("x.svg"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("has no effect with the"), "{stderr}");
    }
}

#[test]
fn graph_dot_has_exactly_one_node_per_entity() {
    let dir = tempfile::tempdir().unwrap();
    let dot_path = dir.path().join("graph.dot");
    let output = ties()
        .args(["export", "--format", "dot", "-o"])
        .arg(&dot_path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let dot = std::fs::read_to_string(&dot_path).unwrap();
    let graphviz_rust::dot_structures::Graph::DiGraph { stmts, .. } =
        graphviz_rust::parse(&dot).unwrap()
    else {
        panic!("a digraph");
    };
    let nodes = stmts
        .iter()
        .filter(|s| matches!(s, graphviz_rust::dot_structures::Stmt::Node(_)))
        .count();
    assert_eq!(nodes, 45);
    if let Some(mut gc) = super::export::tool("gc") {
        let counted = gc.arg("-n").arg(&dot_path).output().unwrap();
        let text = String::from_utf8(counted.stdout).unwrap();
        assert_eq!(text.split_whitespace().next(), Some("45"), "{text}");
    }
}

#[test]
fn parallel_relations_are_one_edge_with_a_count_and_dates_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("tests/data/pictures");
    let dot_of = |extra: &[&str]| {
        let path = dir.path().join("p.dot");
        let output = ties()
            .arg("--data")
            .arg(&data)
            .args(["-q", "render", "-o"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        std::fs::read_to_string(path).unwrap()
    };
    let bundled = dot_of(&[]);
    let visits: Vec<&str> = bundled
        .lines()
        .filter(|l| l.contains("\"p00\" -> \"south\""))
        .collect();
    assert_eq!(visits.len(), 1, "{visits:?}");
    assert!(
        visits[0].contains(r#"tooltip="visited ×5 (1994, 1998, 2003, …)\nAmina Serik → Southland: visited (1994)\n"#)
            && visits[0].contains("visited (2019)\""),
        "{}",
        visits[0]
    );
    let every = dot_of(&["--no-bundle"]);
    assert_eq!(
        every
            .lines()
            .filter(|l| l.contains("\"p00\" -> \"south\""))
            .count(),
        5
    );
    // The picture's DOT names its engine, so `dot -Tsvg` alone draws the same.
    assert!(every.contains("layout=\"neato\""));
}

/// A made-up network of `entities` entities of three kinds with about `relations` relations,
/// some hubs and parallel relations, from a fixed linear congruential sequence.
fn made_up(entities: usize, relations: usize) -> super::support::DataDir {
    let mut state: u64 = 42;
    let mut next = move |below: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((state >> 33) % below as u64).unwrap()
    };
    let kinds = ["people", "organizations", "places"];
    let mut files: Vec<(String, String)> = kinds
        .iter()
        .map(|k| (format!("entities/{k}.csv"), "id,name\n".to_owned()))
        .collect();
    for i in 0..entities {
        let words = [
            "North", "Trade", "Council", "of", "the", "Eastern", "Ministry", "Energy",
        ];
        let name: Vec<&str> = (0..=next(5)).map(|_| words[next(words.len())]).collect();
        files[i % 3]
            .1
            .push_str(&format!("e{i},{} {i}\n", name.join(" ")));
    }
    let mut ties = String::from("from,type,to,start\n");
    let types = ["knows", "member_of", "located_in", "funds"];
    for _ in 0..relations {
        // Half the relations touch one of a few hubs.
        let a = if next(2) == 0 {
            next(5)
        } else {
            next(entities)
        };
        let b = next(entities);
        if a != b {
            ties.push_str(&format!(
                "e{a},{},e{b},{}\n",
                types[next(4)],
                1990 + next(30)
            ));
        }
    }
    files.push(("relations/ties.csv".to_owned(), ties));
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_bytes()))
        .collect();
    super::support::DataDir::new(&borrowed)
}

#[test]
fn larger_networks_stay_readable_at_page_size() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (entities, relations) in [(80, 200), (300, 800)] {
        let data = made_up(entities, relations);
        let picture = render(data.path(), &[], &dir.path().join("big.svg"));
        let findings = picture.findings();
        eprintln!("{entities} entities: {findings:?}");
        assert_readable(&format!("a made-up network of {entities}"), &findings);
    }
}
