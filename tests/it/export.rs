//! Exports of `tests/data/tiny`: golden files, schema validation, and injection attempts that
//! must come out as literal text. Bless changed goldens with `SNAPSHOTS=overwrite cargo test`
//! and read the diff: a golden change is a behaviour change.

use std::path::{Path, PathBuf};
use std::process::Command;

use ties::export::{Format, Warnings, export, export_to_path};
use ties::graph::KnowledgeGraph;
use ties::view::Subgraph;

use super::support::{root, run_ok, ties};

fn tiny() -> KnowledgeGraph {
    let dataset =
        ties::load::load_dir(&root().join("tests/data/tiny"), &ties::load::NoProgress).unwrap();
    KnowledgeGraph::from_dataset(dataset)
}

fn exported(kg: &KnowledgeGraph, format: Format) -> String {
    let mut out = Vec::new();
    export(
        kg,
        &Subgraph::whole(kg),
        format,
        &mut out,
        &mut Warnings::default(),
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[track_caller]
fn assert_golden(actual: &str, golden: &Path) {
    if std::env::var_os("SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; bless with SNAPSHOTS=overwrite",
            golden.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs; bless with SNAPSHOTS=overwrite and read the diff\n--- actual ---\n{actual}",
        golden.display()
    );
}

#[test]
fn every_one_file_format_matches_its_golden() {
    let kg = tiny();
    for (format, ext) in [
        (Format::Dot, "dot"),
        (Format::Graphml, "graphml"),
        (Format::Gexf, "gexf"),
        (Format::Json, "json"),
        (Format::Cypher, "cypher"),
        (Format::Ftm, "ftm.json"),
    ] {
        assert_golden(
            &exported(&kg, format),
            &root().join(format!("tests/golden/tiny.{ext}")),
        );
    }
}

#[test]
fn neo4j_folder_matches_its_golden() {
    let kg = tiny();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("neo4j");
    export_to_path(&kg, &Subgraph::whole(&kg), Format::Neo4j, &target).unwrap();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let listed: Vec<String> = names
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        listed,
        [
            "import.sh",
            "nodes_countries.csv",
            "nodes_people.csv",
            "relationships_diplomatic_relations.csv",
            "relationships_knows.csv",
            "relationships_mentions.csv",
            "relationships_visited.csv",
        ]
    );
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_golden(
            &std::fs::read_to_string(&path).unwrap(),
            &root().join("tests/golden/tiny.neo4j").join(name),
        );
    }
}

#[test]
fn exports_are_deterministic() {
    let kg = tiny();
    for format in [
        Format::Dot,
        Format::Graphml,
        Format::Gexf,
        Format::Json,
        Format::Cypher,
        Format::Ftm,
    ] {
        assert_eq!(exported(&kg, format), exported(&tiny(), format));
    }
}

/// Runs a command that CI installs; skips with a note locally when it is missing, fails in CI.
pub fn tool(name: &str) -> Option<Command> {
    let present = Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-V").output().is_ok();
    if present {
        return Some(Command::new(name));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "`{name}` is required in CI (.ci/run installs it)"
    );
    eprintln!("note: `{name}` not installed; skipping (CI installs it)");
    None
}

pub fn validate(kind: &str, file: &Path) {
    let schemas = root().join("tests/schemas");
    let Some(mut xmllint) = tool("xmllint") else {
        return;
    };
    let output = match kind {
        "graphml" => xmllint
            .env("XML_CATALOG_FILES", schemas.join("graphml/catalog.xml"))
            .args(["--noout", "--nonet", "--schema"])
            .arg(schemas.join("graphml/graphml.xsd"))
            .arg(file)
            .output(),
        _ => xmllint
            .args(["--noout", "--nonet", "--relaxng"])
            .arg(schemas.join("gexf-1.3/gexf.rng"))
            .arg(file)
            .output(),
    }
    .unwrap();
    assert!(
        output.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn graphml_and_gexf_validate_against_the_official_schemas() {
    let dir = tempfile::tempdir().unwrap();
    for (name, kg) in [
        ("tiny", tiny()),
        ("seed", super::support::load_ok_path(&root().join("data"))),
    ] {
        for (format, ext) in [(Format::Graphml, "graphml"), (Format::Gexf, "gexf")] {
            let file = dir.path().join(format!("{name}.{ext}"));
            std::fs::write(&file, exported(&kg, format)).unwrap();
            validate(ext, &file);
        }
    }
}

#[test]
fn xml_keeps_injected_markup_as_text() {
    use quick_xml::events::Event;
    let kg = tiny();
    for format in [Format::Graphml, Format::Gexf] {
        let text = exported(&kg, format);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut labels: Vec<String> = Vec::new();
        let mut in_label = false;
        let mut data_elements = 0;
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) if e.name().as_ref() == "data" => {
                    data_elements += 1;
                    in_label = e
                        .try_get_attribute("key")
                        .unwrap()
                        .is_some_and(|a| &*a.value == "label");
                    if in_label {
                        labels.push(String::new());
                    }
                }
                Event::Text(t) if in_label => {
                    labels
                        .last_mut()
                        .unwrap()
                        .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
                // Entity references arrive as their own events.
                Event::GeneralRef(r) if in_label => {
                    let resolved = match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&r)
                            .unwrap()
                            .to_owned(),
                    };
                    labels.last_mut().unwrap().push_str(&resolved);
                }
                Event::End(_) => in_label = false,
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "node" => {
                    if let Some(label) = e.try_get_attribute("label").unwrap() {
                        labels.push(
                            label
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        );
                    }
                }
                _ => {}
            }
        }
        for name in [
            "</data><data key=\"label\">",
            "x\" image=\"/etc/passwd",
            "<script>alert(1)</script>",
            "a];b [URL=\"javascript:alert(1)\"]",
        ] {
            assert!(
                labels.iter().any(|l| l == name),
                "{format:?}: `{name}` not read back literally from {labels:?}"
            );
        }
        if format == Format::Graphml {
            // An injected `<data>` would add elements: count them against the fixture.
            let per_node = 8 * 5; // label, kind, r, g, b
            let node_attributes = 4 + 2 + 2; // ada: 4, nur: 2, kz and il: founded
            let per_edge = 6 * 2; // label, type
            let edge_values = 3 + 4 + 1 + 6; // weights, starts, ends, notes
            assert_eq!(
                data_elements,
                per_node + node_attributes + per_edge + edge_values,
                "unexpected <data> elements"
            );
        }
    }
}

/// Returns the script with string literals and comments removed, honouring escapes.
fn cypher_code_only(script: &str) -> String {
    let mut code = String::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '\'' => break,
                        _ => {}
                    }
                }
                code.push_str("''");
            }
            '`' => {
                // A doubled backtick inside a quoted name is an escaped backtick.
                loop {
                    match chars.next() {
                        Some('`') if chars.peek() == Some(&'`') => {
                            chars.next();
                        }
                        Some('`') | None => break,
                        Some(_) => {}
                    }
                }
                code.push_str("``");
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                code.push('\n');
            }
            _ => code.push(c),
        }
    }
    code
}

#[test]
fn cypher_values_never_leave_their_literals() {
    let script = exported(&tiny(), Format::Cypher);
    let code = cypher_code_only(&script);
    assert!(
        !code.contains("DETACH") && !code.contains("DELETE"),
        "injected keywords reached code:\n{code}"
    );
    assert!(!code.contains("*/"));
    assert!(
        script.contains(r"'\'}) DETACH DELETE n //'"),
        "the note is kept, escaped"
    );
    assert!(script.contains(r"'C:\\new\\ path & <b>bold</b>'"));
    // Every statement ends where we put a `;`: the index, then one per UNWIND.
    let statements = code.matches(';').count();
    assert_eq!(statements, script.matches("UNWIND [").count() + 1);
    assert!(
        code.trim_start()
            .starts_with("CREATE INDEX FOR (n:Entity) ON (n.id);"),
        "{code}"
    );
}

#[test]
fn dot_quotes_every_id_and_label() {
    let dot = exported(&tiny(), Format::Dot);
    assert!(
        dot.contains(r#""1992-08"[label="a];b [URL=\"javascript:alert(1)\"]""#),
        "{dot}"
    );
    assert!(dot.contains(r#""x1"[label="x\" image=\"/etc/passwd""#));
    assert!(dot.contains(r#""node"[label="</data><data key=\"label\">""#));
    assert!(dot.contains(r#"label="Нұрсұлтан\nНазарбаев 🇰🇿""#));
    assert!(!dot.contains("strict"));
}

#[test]
fn dot_renders_with_graphviz_and_labels_come_back_literally() {
    let Some(mut dot) = tool("dot") else { return };
    let source = exported(&tiny(), Format::Dot);
    let mut child = dot
        .args(["-Tjson"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), source.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let objects = json["objects"].as_array().unwrap();
    let names: Vec<&str> = objects.iter().filter_map(|o| o["name"].as_str()).collect();
    for id in ["1992-08", "node", "x1", "ada", "nur", "kz", "il", "script"] {
        assert!(
            names.contains(&id),
            "node `{id}` missing or split: {names:?}"
        );
    }
    assert_eq!(
        json["edges"].as_array().unwrap().len(),
        6,
        "parallel relations stay two edges"
    );
    let x1 = objects.iter().find(|o| o["name"] == "x1").unwrap();
    assert_eq!(x1["label"], "x\" image=\"/etc/passwd");
    assert!(x1.get("image").is_none() && x1.get("URL").is_none());
}

#[test]
fn svg_falls_back_to_the_builtin_layout_without_graphviz() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tiny.svg");
    let output = run_ok(
        super::support::ties()
            .env("TIES_NO_GRAPHVIZ", "1")
            .args(["--data", "tests/data/tiny", "render", "-o"])
            .arg(&out),
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("Graphviz not found: drawn with the built-in layout"),
        "{stderr}"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..100]
    );
    assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("fallback SVG is not well-formed: {err}"),
        }
    }
    // PNG needs Graphviz: a clear error and exit 2.
    let output = super::support::ties()
        .env("TIES_NO_GRAPHVIZ", "1")
        .args(["--data", "tests/data/tiny", "render", "-o"])
        .arg(dir.path().join("tiny.png"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("install the `graphviz` package"));
}

#[test]
fn index_html_escapes_names() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        super::support::ties()
            .args(["--data", "tests/data/tiny", "build", "-q", "-o"])
            .arg(dir.path()),
    );
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(page.contains("8 entities of 2 kinds, 6 relations of 4 types"));
    assert!(!page.contains("<script>alert"));
    for file in [
        "graph.dot",
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.cypher",
        "neo4j/import.sh",
        "index.html",
    ] {
        assert!(dir.path().join(file).exists(), "{file} missing");
    }
}

#[test]
fn the_output_name_gives_the_format_and_a_contradiction_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let gexf = out.path().join("graph.gexf");
    let output = ties().args(["export", "-o"]).arg(&gexf).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(std::fs::read_to_string(&gexf).unwrap().contains("<gexf"));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains(&format!("wrote {} (", gexf.display())) && said.contains("gexf, 45 entities"),
        "{said}"
    );
    let json = out.path().join("graph.json");
    let refused = ties()
        .args(["export", "--format", "gexf", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("means --format json"));
    assert!(!json.exists(), "nothing written on a usage error");
    let unknown = ties()
        .args(["export", "-o"])
        .arg(out.path().join("graph.xyz"))
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_path_written_to_an_svg_file_is_a_picture() {
    let out = tempfile::tempdir().unwrap();
    let svg = out.path().join("path.svg");
    let output = ties()
        .args(["path", "kazakhstan", "israel", "-o"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stdout.is_empty(),
        "the picture goes to the file, not stdout"
    );
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let json = out.path().join("path.json");
    let written = ties()
        .args(["path", "kazakhstan", "israel", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert!(written.status.success());
    let answer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(answer["paths"][0]["length"], 1);
    let refused = ties()
        .args(["path", "kazakhstan", "israel", "--format", "json", "-o"])
        .arg(out.path().join("p.svg"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

/// Reads a Parquet file back into one record batch.
fn read_parquet(path: &Path) -> arrow_array::RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut batches: Vec<_> = reader.map(Result::unwrap).collect();
    assert_eq!(batches.len(), 1, "the tiny tables are one row group");
    batches.remove(0)
}

#[test]
fn parquet_tables_read_back_with_their_types_and_values() {
    use arrow_array::Array as _;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Float64Type, Int64Type};

    let kg = tiny();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("parquet");
    export_to_path(&kg, &Subgraph::whole(&kg), Format::Parquet, &folder).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["edges.parquet", "nodes.parquet"]);

    let nodes = read_parquet(&folder.join("nodes.parquet"));
    let column = |name: &str| nodes.column_by_name(name).unwrap().clone();
    let ids = column("id");
    let ids: Vec<&str> = ids.as_string::<i32>().iter().flatten().collect();
    assert_eq!(
        ids,
        ["kz", "il", "1992-08", "script", "ada", "nur", "x1", "node"]
    );
    let labels = column("label");
    assert_eq!(
        labels.as_string::<i32>().value(5),
        "Нұрсұлтан\nНазарбаев 🇰🇿"
    );
    let born = column("born");
    let born = born.as_primitive::<Int64Type>();
    assert_eq!((born.is_null(0), born.value(4)), (true, 1815));
    assert!((column("height").as_primitive::<Float64Type>().value(4) - 1.65).abs() < 1e-12);
    assert!(column("active").as_boolean().value(4));
    let aliases = column("aliases");
    let ada: Vec<String> = aliases
        .as_list::<i32>()
        .value(4)
        .as_string::<i32>()
        .iter()
        .map(|s| s.unwrap().to_owned())
        .collect();
    assert_eq!(ada, ["Ada", "A. L."]);
    // `1991-12-16` is a day; `1948-05` is a month: no day, but the month's first and last.
    let founded = column("founded");
    let founded = founded.as_primitive::<Date32Type>();
    assert_eq!((founded.value(0), founded.is_null(1)), (8_019, true));
    assert_eq!(
        column("founded_text").as_string::<i32>().value(1),
        "1948-05"
    );
    let from = column("founded_from");
    let to = column("founded_to");
    assert_eq!(
        (
            from.as_primitive::<Date32Type>().value(1),
            to.as_primitive::<Date32Type>().value(1)
        ),
        (-7_915, -7_885)
    );

    let edges = read_parquet(&folder.join("edges.parquet"));
    let column = |name: &str| edges.column_by_name(name).unwrap().clone();
    let text = |name: &str, row: usize| column(name).as_string::<i32>().value(row).to_owned();
    assert_eq!(edges.num_rows(), 6);
    assert_eq!(
        (
            text("src", 0),
            text("dst", 0),
            text("type", 0),
            text("id", 0)
        ),
        ("nur".into(), "il".into(), "visited".into(), "e0".into())
    );
    assert_eq!(
        (text("start", 3), text("end", 3)),
        ("1990".into(), "1991-12-31".into())
    );
    let end_to = column("end_to");
    assert_eq!(end_to.as_primitive::<Date32Type>().value(3), 8_034);
    let weight = column("weight");
    let weight = weight.as_primitive::<Float64Type>();
    assert_eq!(
        (
            weight.value(0).to_bits(),
            weight.is_null(1),
            weight.value(3).to_bits()
        ),
        (2.5f64.to_bits(), true, 0.0f64.to_bits())
    );
    assert_eq!(text("note", 3), "bell\u{7} here");
}

#[test]
fn metrics_asked_for_are_typed_attributes_in_the_exports() {
    let out = tempfile::tempdir().unwrap();
    let graphml = out.path().join("graph.graphml");
    let written = ties()
        .args(["export", "--metrics", "pagerank,communities", "-o"])
        .arg(&graphml)
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    let text = std::fs::read_to_string(&graphml).unwrap();
    assert!(
        text.contains(r#"<key id="pagerank" for="node" attr.name="pagerank" attr.type="double"/>"#)
    );
    assert!(
        text.contains(r#"<key id="community" for="node" attr.name="community" attr.type="long"/>"#)
    );
    let json_path = out.path().join("graph.json");
    assert!(
        ties()
            .args(["export", "--metrics", "degree", "-o"])
            .arg(&json_path)
            .output()
            .unwrap()
            .status
            .success()
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let kazakhstan = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "kazakhstan")
        .unwrap();
    assert_eq!(kazakhstan["degree"], 34);
    // build writes degree, PageRank and community by default, so Gephi can size and colour.
    let built = out.path().join("built");
    assert!(
        ties()
            .args(["-q", "build", "-o"])
            .arg(&built)
            .output()
            .unwrap()
            .status
            .success()
    );
    let gexf = std::fs::read_to_string(built.join("graph.gexf")).unwrap();
    for declared in [
        r#"<attribute id="degree" title="degree" type="long"/>"#,
        r#"<attribute id="pagerank" title="pagerank" type="double"/>"#,
        r#"<attribute id="community" title="community" type="long"/>"#,
    ] {
        assert!(gexf.contains(declared), "{declared}");
    }
}
