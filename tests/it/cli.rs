//! The binary on the seed data and on small fixtures: output, exit codes, messages.

use super::support::{COUNTRIES, DataDir, ties};

fn stdout_of(args: &[&str]) -> String {
    let output = ties().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
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
  defined at data/entities/people.csv:3
  title: President of Israel

relations (3)
  2009          —visited→ Kazakhstan (kazakhstan)
                visit_kind: official
                source: article § Mutual Visits: A Pattern of Deep Cooperation
                note: Israeli President visits Kazakhstan.
                at data/relations/visits.csv:5
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
fn find_nothing_exits_1() {
    ties()
        .args(["find", "atlantis"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn ambiguous_name_exits_2_and_lists_candidates() {
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "entities/people.csv",
            b"id,name\njohn-smith,John Smith\nsmith-ltd,Smith\n",
        ),
        ("entities/companies.csv", b"id,name\nsmith-co,SMITH\n"),
    ]);
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["show", "smith"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: `smith` matches 2 entities:\n  smith-co   companies  SMITH\n  smith-ltd  people     Smith\nhint: pass the id instead of the name.\n"
    );
}

#[test]
fn unknown_node_exits_2_with_suggestions() {
    let output = ties().args(["show", "Peres"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: no entity has the id or name `Peres`\nhint: did you mean one of these?\n  shimon-peres"), "{stderr}");
}

#[test]
fn bad_data_exits_2_with_every_problem() {
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "relations/r.csv",
            b"from,type,to,start\nkazakhstan,a,nowhere,\nkazakhstan,a,israel,1992-02-30\n",
        ),
    ]);
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let dir = data.path().display();
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "{dir}/relations/r.csv:2: column `to`: unknown entity `nowhere`\n\
             {dir}/relations/r.csv:3: column `start`: `1992-02-30` is not a calendar date (February has 29 days)\n\
             error: 2 problems in the data; nothing was loaded\n"
        )
    );
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
fn usage_errors_exit_2() {
    ties().args(["show"]).assert().code(2);
    ties().args(["stats", "--format", "yaml"]).assert().code(2);
}
