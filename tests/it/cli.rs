//! The binary on the frozen seed copy and on small fixtures: output, exit codes, messages. The
//! exact-output contracts (errors, exit codes, wire formats) are trycmd cases in
//! `tests/cmd/contract/` (see `cmd.rs`).

use super::support::{DataDir, assert_exit, run_ok, ties};

fn stdout_of(args: &[&str]) -> String {
    String::from_utf8(run_ok(ties().args(args)).stdout).unwrap()
}

#[test]
fn check_summarises_the_seed_data() {
    let out = stdout_of(&["check"]);
    assert!(
        out.starts_with("ok: 45 entities of 9 kinds, 83 relations of 30 types\n"),
        "{out}"
    );
    assert!(out.contains("dated from 1992 to 2025"), "{out}");
    assert!(
        out.contains("  visited                           6\n"),
        "{out}"
    );
    assert!(
        out.contains("  ministries                       11\n"),
        "{out}"
    );
}

#[test]
fn data_flag_goes_before_or_after_the_subcommand() {
    let before = stdout_of(&["--data", "data", "check"]);
    let after = stdout_of(&["check", "--data", "data"]);
    assert_eq!(before, after);
}

#[test]
fn show_lists_relations_in_date_order_with_provenance() {
    let out = stdout_of(&["show", "Shimon Peres"]);
    let expected_start = "Shimon Peres (shimon-peres) · people
  defined at tests/data/article/entities/people.csv:3
  title: President of Israel

relations (3)
  2009          —visited→ Kazakhstan (kazakhstan)
                visit_kind: official
                source: article § Mutual Visits: A Pattern of Deep Cooperation
                note: Israeli President visits Kazakhstan.
                at tests/data/article/relations/visits.csv:5
  2015          —visited→ Kazakhstan (kazakhstan)
";
    assert!(out.starts_with(expected_start), "{out}");
    assert!(
        out.contains("  undated       —held_office→ President of Israel (president-of-israel)")
    );
}

#[test]
fn show_json_has_typed_attributes() {
    let out = stdout_of(&["show", "trade-volume-2024", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["kind"], "figures");
    assert_eq!(json["attributes"]["value"], 236_000_000.0);
    assert_eq!(json["attributes"]["approximate"], true);
    let relations = json["relations"].as_array().unwrap();
    assert_eq!(relations[0]["from"], "kz-ministry-of-national-economy");
    assert_eq!(relations[0]["direction"], "in");
    assert_eq!(relations[0]["start"], "2024");
}

#[test]
fn find_ranks_exact_then_prefix_then_substring() {
    let out = stdout_of(&["find", "israel", "--limit", "100"]);
    let rows: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, "  ").map(str::trim).filter(|p| !p.is_empty());
            let id = parts.next().unwrap().to_owned();
            (id, l.to_lowercase())
        })
        .collect();
    assert_eq!(rows[0].0, "israel");
    let is_prefix = |(id, line): &(String, String)| {
        id.starts_with("israel")
            || line
                .split("  ")
                .last()
                .unwrap()
                .trim()
                .starts_with("israel")
    };
    let first_substring = rows.iter().position(|r| !is_prefix(r)).unwrap();
    assert!(
        rows[first_substring..].iter().all(|r| !is_prefix(r)),
        "{out}"
    );
    assert!(rows.iter().any(|(id, _)| id == "president-of-israel"));
}

#[test]
fn stats_reports_components_and_degrees() {
    let out = stdout_of(&["stats", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["entities"], 45);
    assert_eq!(json["components"], 1, "the seed network is connected");
    assert_eq!(json["top_degree"][0]["id"], "kazakhstan");
    assert_eq!(json["isolated_count"], 0);
}

#[test]
fn seed_question_normalisation_dates_from_1992() {
    let out = stdout_of(&["path", "Kazakhstan", "Israel", "--as-of", "2024"]);
    assert_eq!(
        out,
        "shortest path from Kazakhstan to Israel (as of 2024), length 1:\n  Kazakhstan —diplomatic_relations (1992-08)→ Israel\n"
    );
}

#[test]
fn path_json_follows_the_wire_format() {
    let out = stdout_of(&[
        "path",
        "Shimon Peres",
        "Nursultan Nazarbayev",
        "--all",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["from"], "shimon-peres");
    assert_eq!(json["to"], "nursultan-nazarbayev");
    let paths = json["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 29);
    let first = &paths[0];
    assert_eq!(first["length"], 3);
    assert!(first["weight"].is_null());
    assert_eq!(
        first["nodes"][0],
        serde_json::json!({"id": "shimon-peres", "name": "Shimon Peres", "kind": "people"})
    );
    // The last relation is walked backwards but keeps its stored direction.
    let last = &first["edges"][2];
    assert_eq!(
        (last["from"].as_str(), last["to"].as_str()),
        (Some("nursultan-nazarbayev"), Some("israel"))
    );
    assert_eq!(last["type"], "visited");
    assert_eq!(last["start"], "1995");
    assert!(last["end"].is_null());
    assert_eq!(last["attributes"]["visit_kind"], "official");
}

#[test]
fn path_from_an_entity_to_itself_has_length_zero() {
    let out = stdout_of(&["path", "israel", "Israel", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["paths"][0]["length"], 0);
    assert_eq!(json["paths"][0]["nodes"].as_array().unwrap().len(), 1);
}

#[test]
fn explain_shows_provenance_of_each_relation() {
    let out = stdout_of(&[
        "path",
        "kazakhstan",
        "israel",
        "--as-of",
        "1992",
        "--explain",
    ]);
    assert!(
        out.contains("note: Full diplomatic ties set up in August 1992"),
        "{out}"
    );
    assert!(
        out.contains("at tests/data/article/relations/diplomacy.csv:2"),
        "{out}"
    );
}

#[test]
fn pairs_answer_every_row_in_one_run() {
    let output = ties()
        .args(["path", "--pairs", "-", "--format", "json"])
        .write_stdin("from,to\nkazakhstan,israel\nShimon Peres,astana\nkazakhstan,united-states\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["paths"][0]["length"], 1);
    assert_eq!(lines[1]["from"], "shimon-peres");
    assert_eq!(lines[1]["paths"][0]["length"], 2);
    assert_eq!(
        lines[2]["paths"][0]["length"], 4,
        "via the Abraham Accords and Trump's office"
    );
}

#[test]
fn pairs_headers_and_cells_are_trimmed_as_the_loader_trims_them() {
    let output = ties()
        .args(["path", "--pairs", "-", "--format", "json"])
        .write_stdin("from, to\n kazakhstan , israel\n")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = ties()
        .args(["path", "--pairs", "-"])
        .write_stdin("form,to\nkazakhstan,israel\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "-:1: missing required column `from` (the header is `form,to`; did you mean `form`?)\n"
        ),
        "{stderr}"
    );
}

#[test]
fn pairs_with_unknown_entities_exit_2_naming_the_line() {
    let output = ties()
        .args(["path", "--pairs", "-"])
        .write_stdin("from,to\nkazakhstan,israel\nkazakhstan,atlantis\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("-:3: no entity has the id or name `atlantis`\n"),
        "{stderr}"
    );
}

#[test]
fn neighbors_group_by_distance_and_type() {
    let out = stdout_of(&[
        "neighbors",
        "Shimon Peres",
        "--depth",
        "2",
        "--types",
        "visited,held_office,office_of",
    ]);
    assert!(out.starts_with("Shimon Peres (shimon-peres): "), "{out}");
    assert!(out.contains("distance 1\n  held_office\n    → President of Israel (president-of-israel)\n  visited\n    → Kazakhstan (kazakhstan)  2009\n    → Kazakhstan (kazakhstan)  2015\n"), "{out}");
    assert!(out.contains("distance 2\n"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "neighbors",
        "israel",
        "--format",
        "json",
        "--types",
        "diplomatic_relations",
    ]))
    .unwrap();
    assert_eq!(json["neighbors"][0]["id"], "kazakhstan");
    assert_eq!(json["neighbors"][0]["via"][0]["start"], "1992-08");
}

#[test]
fn export_to_stdout_and_usage_errors() {
    let out = stdout_of(&[
        "export", "--format", "json", "-o", "-", "--types", "visited",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["edges"].as_array().unwrap().len(), 6);
    assert_eq!(
        json["nodes"].as_array().unwrap().len(),
        5,
        "entities left without relations are dropped"
    );
    assert_exit(
        2,
        &[
            &["export", "--format", "neo4j", "-o", "-"],
            &["export", "--format", "xml", "-o", "-"],
            &["render", "-o", "/tmp/x.jpeg"],
            &[
                "export", "--format", "dot", "-o", "-", "--around", "atlantis",
            ],
        ],
    );
}

#[test]
fn export_around_an_entity_keeps_its_neighbourhood() {
    let out = stdout_of(&[
        "export",
        "--format",
        "json",
        "-o",
        "-",
        "--around",
        "Shimon Peres",
        "--depth",
        "1",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kazakhstan", "president-of-israel", "shimon-peres"]);
}

#[test]
fn path_draws_dot_and_svg() {
    let dot = stdout_of(&[
        "path",
        "kazakhstan",
        "israel",
        "--as-of",
        "1995",
        "--format",
        "dot",
    ]);
    assert!(dot.starts_with("digraph \"ties\" {"), "{dot}");
    assert!(dot.contains("rankdir=\"LR\""));
    assert!(
        dot.contains(
            r#""kazakhstan" -> "israel" [tooltip="Kazakhstan → Israel: diplomatic_relations (1992-08)" label="diplomatic_relations (1992-08)""#
        ),
        "{dot}"
    );
    let svg = stdout_of(&["path", "kazakhstan", "israel", "--format", "svg"]);
    assert!(svg.contains("<svg"), "{svg}");
    let output = ties()
        .args([
            "path",
            "kazakhstan",
            "united-states",
            "--as-of",
            "2024",
            "--format",
            "dot",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}

#[test]
fn query_prints_a_table_json_and_csv() {
    let table = stdout_of(&["query", "queries/visits-timeline.cypher"]);
    assert!(table.contains("│ 1995 ┆ Nursultan Nazarbayev ┆"), "{table}");
    assert!(table.ends_with("6 rows\n"));
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "query",
        "-e",
        "MATCH p = shortestPath((a {id: 'kazakhstan'})-[*..3]-(b {id: 'israel'})) RETURN p, a",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["columns"], serde_json::json!(["p", "a"]));
    assert_eq!(json["truncated"], false);
    let rows = &json["rows"];
    assert_eq!(
        rows[0]["a"],
        serde_json::json!({"id": "kazakhstan", "name": "Kazakhstan", "kind": "countries"})
    );
    assert_eq!(rows[0]["p"]["length"], 1);
    assert_eq!(rows[0]["p"]["edges"][0]["type"], "diplomatic_relations");
    let csv = stdout_of(&[
        "query",
        "-e",
        "MATCH (p:people) RETURN p.id AS id, p.name AS name ORDER BY id LIMIT 2",
        "--format",
        "csv",
    ]);
    assert_eq!(
        csv,
        "id,name\nbenjamin-netanyahu,Benjamin Netanyahu\ndonald-trump,Donald Trump\n"
    );
}

#[test]
fn build_answers_the_saved_queries() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_ok(
        ties()
            .args(["build", "-q", "--queries", "queries", "-o"])
            .arg(dir.path()),
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("answered 7 saved questions"), "{stdout}");
    for file in [
        "queries/visits-timeline.txt",
        "queries/visits-timeline.json",
        "queries/peres-to-nazarbayev.svg",
    ] {
        assert!(dir.path().join(file).exists(), "{file} missing");
    }
    let page = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(page.contains("When did the leaders of Kazakhstan and Israel visit each other?"));
}

#[test]
fn every_saved_query_states_its_question_on_its_first_line() {
    for entry in std::fs::read_dir(super::support::root().join("queries")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("// ") && first.ends_with('?'),
            "{}: {first}",
            path.display()
        );
    }
}

/// The one CLI test on the real seed data (the others run on the frozen copy in
/// `tests/data/article`): it loads, and the article's point is one command away.
#[test]
fn smoke_the_seed_data_loads_and_shows_relations_since_1992() {
    let output = super::support::ties_on_seed()
        .args(["check"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let output = super::support::ties_on_seed()
        .args([
            "path",
            "kazakhstan",
            "israel",
            "--as-of",
            "1992",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found["paths"][0]["length"], 1);
}

#[test]
fn path_json_says_when_the_limit_cut_the_answer() {
    let answer = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "path",
            "shimon-peres",
            "nursultan-nazarbayev",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&stdout_of(&args)).unwrap()
    };
    let all = answer(&["--all"]);
    let count = all["paths"].as_array().unwrap().len();
    assert!(count > 2, "the fixture has several shortest paths");
    assert_eq!(
        (all["limit"].as_u64(), &all["truncated"]),
        (Some(1000), &false.into())
    );
    let cut = answer(&["--all", "--limit", "2"]);
    assert_eq!(cut["paths"].as_array().unwrap().len(), 2);
    assert_eq!(cut["truncated"], true);
    // Exactly as many paths as the limit: complete, not cut.
    let exact = answer(&["--all", "--limit", &count.to_string()]);
    assert_eq!(exact["truncated"], false);
    let k = answer(&["-k", "5", "--limit", "3"]);
    assert_eq!(
        (k["paths"].as_array().unwrap().len(), &k["truncated"]),
        (3, &true.into())
    );
    let one = answer(&[]);
    assert_eq!(
        (&one["limit"], &one["truncated"]),
        (&serde_json::Value::Null, &false.into())
    );
}

#[test]
fn stats_metrics_give_every_entity_in_json_and_csv() {
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "stats",
        "--metrics",
        "degree,pagerank,communities,kcore",
        "--format",
        "json",
    ]))
    .unwrap();
    let entities = json["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 45);
    let total: f64 = entities
        .iter()
        .map(|e| e["pagerank"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "PageRank sums to 1: {total}");
    let kazakhstan = entities.iter().find(|e| e["id"] == "kazakhstan").unwrap();
    assert_eq!(kazakhstan["degree"], 34);
    assert!(kazakhstan["community"].is_u64() && kazakhstan["core"].is_u64());
    assert!(json["graph"]["modularity"].as_f64().unwrap() > 0.2);
    assert!(
        entities[0].get("betweenness").is_none(),
        "only the metrics asked for"
    );
    let csv = stdout_of(&[
        "stats",
        "--metrics",
        "degree",
        "--format",
        "csv",
        "--types",
        "visited",
    ]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,name,kind,degree"));
    assert!(
        lines.all(|line| !line.ends_with(",0")),
        "the view drops entities without visits"
    );
    assert_exit(
        2,
        &[
            &["stats", "--metrics", "page_rank"],
            &["stats", "--format", "csv"],
        ],
    );
}

#[test]
fn the_data_folder_is_found_as_a_user_expects() {
    use assert_cmd::Command;
    let run_in = |dir: &std::path::Path| {
        Command::cargo_bin("ties")
            .unwrap()
            .current_dir(dir)
            .env_remove("TIES_DATA")
            .arg("check")
            .output()
            .unwrap()
    };
    // Inside the data folder itself: `cd data && ties check`.
    let inside = run_in(&super::support::root().join("tests/data/tiny"));
    assert!(inside.status.success(), "{inside:?}");
    assert!(String::from_utf8_lossy(&inside.stdout).starts_with("ok: 8 entities"));
    // Next to it, as ./data.
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    std::fs::create_dir_all(data.join("entities")).unwrap();
    std::fs::create_dir_all(data.join("relations")).unwrap();
    std::fs::write(data.join("entities/people.csv"), "id\nada\n").unwrap();
    assert!(run_in(parent.path()).status.success());
    // Neither: the message says what was tried.
    let empty = tempfile::tempdir().unwrap();
    let refused = run_in(empty.path());
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("tried ./data and the current folder"),
        "{said}"
    );
}

#[test]
fn schema_says_what_each_kind_and_type_holds() {
    let schema: serde_json::Value =
        serde_json::from_str(&stdout_of(&["schema", "--format", "json"])).unwrap();
    let visited = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "visited")
        .unwrap();
    assert_eq!(visited["relations"], 6);
    assert_eq!(visited["connects"][0]["from"], "people");
    assert_eq!(visited["connects"][0]["to"], "countries");
    assert_eq!(
        (&visited["first"], &visited["last"]),
        (&"1995".into(), &"2016".into())
    );
    let people = schema["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "people")
        .unwrap();
    assert_eq!(people["columns"][0]["name"], "title");
    assert_eq!(people["columns"][0]["fill_rate"], 1.0);
}

#[test]
fn check_finds_spellings_of_one_name_but_not_other_numbers() {
    let data = DataDir::new(&[
        (
            "entities/people.csv",
            "id,name\nsv,Sergei Volkov\nsv-cyr,Сергей Волков\nsv-de,Sergej Wolkow\nab,Alexandra Bergstrom\nab-typo,Alexandra Bergstrem\nmh,Mark Hale\nmh2,Mark Hall\nvs,\"VOLKOV, Sergei\"\n"
                .as_bytes(),
        ),
        (
            "entities/lots.csv",
            b"id,name\nlot7,Tender 2019 Lot 7\nlot8,Tender 2019 Lot 8\np1233,Person 1233\np1234,Person 1234\n",
        ),
        (
            "entities/companies.csv",
            b"id,name\nbh,Blue Harbour Trading Ltd\nbh-long,BLUE HARBOUR TRADING LIMITED\nnp,Nowak Partners LLC\nnp2,Nowak Partners PLC\n",
        ),
        ("relations/r.csv", b"from,type,to\nsv,knows,ab\n"),
    ]);
    let output = ties()
        .args([
            "--data",
            data.path().to_str().unwrap(),
            "check",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let similar: Vec<Vec<&str>> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "similar-name")
        .map(|w| {
            w["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        similar,
        // Files load in name order; Hale and Hall are one letter apart in a name of 8.
        [
            vec!["bh", "bh-long"],
            vec!["sv", "sv-cyr", "sv-de", "vs"],
            vec!["ab", "ab-typo"],
            vec!["mh", "mh2"],
        ],
        "{report:#}"
    );
}

#[test]
fn check_lists_twenty_warnings_of_a_kind_and_says_how_to_see_the_rest() {
    let mut people = String::from("id,name\n");
    for i in 0..25 {
        people.push_str(&format!("a{i},Anna Smith\nb{i},Bob Jones {i}\n"));
    }
    let data = DataDir::new(&[
        ("entities/people.csv", people.as_bytes()),
        ("relations/r.csv", b"from,type,to\na0,knows,b0\n"),
    ]);
    let dir = data.path().to_str().unwrap();
    let text = String::from_utf8(
        ties()
            .args(["--data", dir, "check"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        text.contains("entities without any relation (48, isolated)"),
        "{text}"
    );
    assert!(
        text.contains("    ... and 28 more; `--warnings all` or `--format json` for every one"),
        "{text}"
    );
    // One warning names every entity of a shared name.
    assert!(
        text.contains("same name on several entities (1, same-name)"),
        "{text}"
    );
    let all = String::from_utf8(
        ties()
            .args(["--data", dir, "check", "--warnings", "all"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(all.matches("has no relation").count(), 48);
}

#[test]
fn build_answers_the_queries_beside_its_data_and_reports_one_that_fails() {
    let case = DataDir::new(&[
        ("data/entities/people.csv", b"id,name\na,Anna\nb,Bob\n"),
        ("data/relations/r.csv", b"from,type,to\na,knows,b\n"),
        (
            "queries/good.cypher",
            b"// Who is there?\nMATCH (p:people) RETURN p.name AS name\n",
        ),
        (
            "queries/bad.cypher",
            b"// Broken\nMATCH (p:people RETURN p\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    // Run from elsewhere: the seed's own queries/ must not be the ones answered.
    let output = ties()
        .arg("--data")
        .arg(case.path().join("data"))
        .args(["build", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "a failing saved query is not bad data"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("answered 2 saved questions"), "{stdout}");
    assert!(stdout.contains("failed     Broken"), "{stdout}");
    assert!(
        stderr.contains("warning: saved query failed:") && stderr.contains("bad.cypher:2:17"),
        "{stderr}"
    );
    assert!(out.path().join("queries/good.txt").exists());
    assert!(out.path().join("graph.gexf").exists() && out.path().join("index.html").exists());
    let page = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(page.contains("<code>queries/bad.cypher</code> did not run"));
    // The page may be shared: no path of this machine in it.
    assert!(!page.contains(&case.path().display().to_string()));
}
