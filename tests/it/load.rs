//! Loading: every error class gives `file:line: message`; every awkward-but-valid input loads.

use super::support::{COUNTRIES, DataDir, load_errors, load_ok, root};

const REL_HEADER: &str = "from,type,to,start,end,weight,note\n";

fn relations(rows: &str) -> Vec<u8> {
    format!("{REL_HEADER}{rows}").into_bytes()
}

/// Asserts the one problem both in the library and through `ties check`, which must print
/// it as `DIR/file:line: message` and exit 2.
#[track_caller]
fn assert_one_error(files: &[(&str, &[u8])], expected: &str) {
    let data = DataDir::new(files);
    assert_eq!(load_errors(&data), [expected]);
    let output = super::support::ties()
        .arg("--data")
        .arg(data.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "`ties check` must exit 2");
    assert!(
        output.stdout.is_empty(),
        "nothing on stdout when the data is bad"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    let prefix = format!("{}/", data.path().display());
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&prefix),
        "the path starts with the data dir as given: {first}"
    );
    assert_eq!(first.replace(&prefix, ""), expected);
    assert!(
        stderr.ends_with("error: 1 problem in the data; nothing was loaded\n"),
        "{stderr}"
    );
}

#[test]
fn zero_byte_file_is_an_error() {
    assert_one_error(
        &[COUNTRIES, ("entities/people.csv", b"")],
        "entities/people.csv: empty file: expected a header row",
    );
}

#[test]
fn a_file_in_another_encoding_gets_one_error_naming_it() {
    // Windows-1252, as Excel saves "CSV" in Western Europe: é is one byte, 0xE9.
    assert_one_error(
        &[
            COUNTRIES,
            (
                "entities/people.csv",
                b"id,name\nada,Ada\nzoe,Zo\xe9\nrene,Ren\xe9\n",
            ),
            ("relations/r.csv", &relations("zoe,knows,rene,,,,\n")),
        ],
        "entities/people.csv:3: not UTF-8 text (from this line on): it looks like windows-1252; \
         save it as CSV UTF-8, or pass `--encoding windows-1252` (or `encoding = \"windows-1252\"` in ties.toml)",
    );
}

#[test]
fn ragged_row_is_an_error() {
    assert_one_error(
        &[
            COUNTRIES,
            ("entities/people.csv", b"id,name\nada,Ada,extra\n"),
        ],
        "entities/people.csv:2: expected 2 fields, found 3",
    );
}

#[test]
fn missing_required_column_is_an_error() {
    assert_one_error(
        &[
            COUNTRIES,
            ("relations/r.csv", b"from,to\nkazakhstan,israel\n"),
        ],
        "relations/r.csv:1: missing required column `type` (the header is `from,to`)",
    );
    assert_one_error(
        &[("entities/people.csv", b"name\nAda\n")],
        "entities/people.csv:1: missing required column `id` (the header is `name`)",
    );
    // A typo: the header found, and the name nearest to the one missing.
    assert_one_error(
        &[
            COUNTRIES,
            ("relations/r.csv", b"form,type,to\nkazakhstan,r,israel\n"),
        ],
        "relations/r.csv:1: missing required column `from` (the header is `form,type,to`; did you mean `form`?)",
    );
}

#[test]
fn empty_id_from_type_to_are_errors() {
    assert_one_error(
        &[COUNTRIES, ("entities/people.csv", b"id,name\n,Nobody\n")],
        "entities/people.csv:2: empty id",
    );
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "relations/r.csv",
            &relations(",a,israel,,,,\nkazakhstan,,israel,,,,\nkazakhstan,a,,,,,\n"),
        ),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "relations/r.csv:2: empty `from`",
            "relations/r.csv:3: empty `type`",
            "relations/r.csv:4: empty `to`",
        ]
    );
}

#[test]
fn duplicate_id_names_both_places_across_files() {
    assert_one_error(
        &[
            COUNTRIES,
            (
                "entities/people.csv",
                b"id,name\nada,Ada\nisrael,Israel the person\n",
            ),
        ],
        "entities/people.csv:3: duplicate id `israel` (first at entities/countries.csv:3)",
    );
}

#[test]
fn relation_to_unknown_id_is_an_error() {
    assert_one_error(
        &[
            COUNTRIES,
            (
                "relations/r.csv",
                &relations("kazakhstan,visited,atlantis,,,,\n"),
            ),
        ],
        "relations/r.csv:2: column `to`: unknown entity `atlantis`",
    );
}

#[test]
fn values_that_do_not_parse_as_their_type_are_errors() {
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "entities/people.csv",
            b"id,born:int,height:float,alive:bool,since:date,tags:int[]\n\
              a,abc,,,,\n\
              b,,\"0,5\",,,\n\
              c,,,maybe,,\n\
              d,,,,1992-13,\n\
              e,,,,1992-02-30,\n\
              f,,,,,1;x\n",
        ),
        (
            "relations/r.csv",
            &relations("kazakhstan,a,israel,,,heavy,\n"),
        ),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "entities/people.csv:2: column `born`: `abc` is not an integer",
            "entities/people.csv:3: column `height`: `0,5` is not a number (use a dot for decimals, as in 0.5)",
            "entities/people.csv:4: column `alive`: `maybe` is not a boolean (use true or false)",
            "entities/people.csv:5: column `since`: `1992-13` has no month 13 (months run 01 to 12)",
            "entities/people.csv:6: column `since`: `1992-02-30` is not a calendar date (February has 29 days)",
            "entities/people.csv:7: column `tags`: `x` is not an integer",
            "relations/r.csv:2: column `weight`: `heavy` is not a number (use a dot for decimals, as in 0.5)",
        ]
    );
}

#[test]
fn relation_dates_are_checked() {
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "relations/r.csv",
            &relations("kazakhstan,a,israel,1992-13,,,\nkazakhstan,a,israel,1996,1992,,\n"),
        ),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "relations/r.csv:2: column `start`: `1992-13` has no month 13 (months run 01 to 12)",
            "relations/r.csv:3: ends (`1992`) before it starts (`1996`)",
        ]
    );
}

#[test]
fn every_error_is_reported_in_one_run_with_physical_lines() {
    // The quoted newline makes the second record start on line 4, not 3.
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "entities/people.csv",
            b"id,name\nada,\"Ada\nLovelace\"\n,Nobody\nada,Again\n",
        ),
        ("relations/r.csv", &relations("ada,knows,nobody,,,,\n")),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "entities/people.csv:4: empty id",
            "entities/people.csv:5: duplicate id `ada` (first at entities/people.csv:2)",
            "relations/r.csv:2: column `to`: unknown entity `nobody`",
        ]
    );
}

#[test]
fn header_problems_are_errors() {
    assert_one_error(
        &[COUNTRIES, ("entities/people.csv", b"id,born:integer\n")],
        "entities/people.csv:1: column `born:integer`: unknown type `integer` (use string, int, \
         float, bool or date, optionally with [] for a list)",
    );
    assert_one_error(
        &[
            ("entities/a.csv", b"id,founded:int\n"),
            ("entities/b.csv", b"id,founded:date\n"),
        ],
        "entities/b.csv:1: column `founded` is date here but int in entities/a.csv; one \
         column name needs one type across files",
    );
}

#[test]
fn missing_entities_folder_is_an_error() {
    let data = DataDir::new(&[("relations/r.csv", REL_HEADER.as_bytes())]);
    let errors = load_errors(&data);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("entities: cannot read folder"),
        "{errors:?}"
    );
}

#[test]
fn awkward_but_valid_files_load() {
    let data = DataDir::new(&[
        // BOM, CRLF, quotes with commas, quotes and newlines inside, non-ASCII, blank last line.
        (
            "entities/people.csv",
            "\u{feff}id,name,aliases:string[]\r\nada,\"Lovelace, Ada \"\"the first\"\"\",A;B\r\nnur,\"Нұрсұлтан\nНазарбаев\",\r\n\r\n"
                .as_bytes(),
        ),
        // A kind with no entities yet.
        ("entities/companies.csv", b"id,name\n"),
        COUNTRIES,
        (
            "relations/visits.csv",
            b"type,to,from,start,note\nvisited,israel,nur,1995,\"first, official\"\nvisited,israel,nur,2000,\nvisited,israel,nur,2013-05-01,\n",
        ),
    ]);
    let kg = load_ok(&data);
    assert_eq!(kg.entity_count(), 4);
    assert_eq!(
        kg.relation_count(),
        3,
        "parallel relations stay separate edges"
    );
    let ada = kg.resolve("ada").unwrap();
    assert_eq!(kg.name(ada), "Lovelace, Ada \"the first\"");
    let nur = kg.resolve("nur").unwrap();
    assert_eq!(kg.name(nur), "Нұрсұлтан\nНазарбаев");
    assert_eq!(kg.catalog.kinds, ["companies", "countries", "people"]);
    let aliases = kg.catalog.entity_attr(kg.entity(ada), "aliases").unwrap();
    assert_eq!(aliases.to_string(), "A;B");
}

#[test]
fn relations_folder_is_optional() {
    let kg = load_ok(&DataDir::new(&[COUNTRIES]));
    assert_eq!((kg.entity_count(), kg.relation_count()), (2, 0));
}

#[test]
fn names_resolve_case_insensitively_and_ambiguity_lists_candidates() {
    let data = DataDir::new(&[
        COUNTRIES,
        (
            "entities/people.csv",
            b"id,name\njohn-smith,John Smith\nsmith-ltd,Smith\nsmith-p,smith\n",
        ),
    ]);
    let kg = load_ok(&data);
    assert_eq!(kg.id(kg.resolve("ISRAEL").unwrap()), "israel");
    match kg.resolve("Smith").unwrap_err() {
        ties::graph::resolve::ResolveError::Ambiguous { candidates, .. } => {
            let ids: Vec<_> = candidates.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, ["smith-ltd", "smith-p"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    use proptest::prelude::*;
    proptest!(ProptestConfig::with_cases(64), |(bytes in proptest::collection::vec(any::<u8>(), 0..200))| {
        let data = DataDir::new(&[COUNTRIES, ("entities/x.csv", &bytes), ("relations/r.csv", &bytes)]);
        let _ = ties::load::load_dir(data.path(), &ties::load::NoProgress);
    });
}

#[track_caller]
fn check_fixture(dir: &str) -> String {
    let output = super::support::ties()
        .args(["--data", dir, "check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn broken_fixture_reports_every_problem_at_once() {
    let d = "tests/data/broken";
    let expected = [
        format!(
            "{d}/entities/bytes.csv:2: not UTF-8 text (from this line on): it looks like windows-1252; \
             save it as CSV UTF-8, or pass `--encoding windows-1252` (or `encoding = \"windows-1252\"` in ties.toml)"
        ),
        format!("{d}/entities/people.csv:3: empty id"),
        format!("{d}/entities/people.csv:4: column `born`: `abc` is not an integer"),
        format!(
            "{d}/entities/people.csv:5: column `height`: `0,5` is not a number (use a dot for decimals, as in 0.5)"
        ),
        format!(
            "{d}/entities/people.csv:6: column `alive`: `maybe` is not a boolean (use true or false)"
        ),
        format!(
            "{d}/entities/people.csv:7: column `since`: `1992-13` has no month 13 (months run 01 to 12)"
        ),
        format!(
            "{d}/entities/people.csv:8: column `since`: `1992-02-30` is not a calendar date (February has 29 days)"
        ),
        format!(
            "{d}/entities/people.csv:9: duplicate id `ada` (first at {d}/entities/people.csv:2)"
        ),
        format!("{d}/entities/people.csv:10: expected 6 fields, found 4"),
        format!("{d}/relations/r.csv:3: column `to`: unknown entity `nowhere`"),
        format!("{d}/relations/r.csv:4: empty `from`"),
        format!("{d}/relations/r.csv:5: empty `type`"),
        format!("{d}/relations/r.csv:6: ends (`1990`) before it starts (`1995`)"),
        format!(
            "{d}/relations/r.csv:7: column `weight`: `heavy` is not a number (use a dot for decimals, as in 0.5)"
        ),
        "error: 14 problems in the data; nothing was loaded".to_owned(),
    ];
    assert_eq!(check_fixture(d), expected.join("\n") + "\n");
}

#[test]
fn header_problems_do_not_hide_row_problems_in_other_files() {
    let d = "tests/data/broken-headers";
    let expected = [
        format!("{d}/entities/empty.csv: empty file: expected a header row"),
        format!("{d}/entities/people.csv:3: column `born`: `abc` is not an integer"),
        format!(
            "{d}/entities/typos.csv:1: column `x:integer`: unknown type `integer` (use string, int, float, bool or date, optionally with [] for a list)"
        ),
        format!(
            "{d}/relations/notype.csv:1: missing required column `type` (the header is `from,to`)"
        ),
        "error: 4 problems in the data; nothing was loaded".to_owned(),
    ];
    assert_eq!(check_fixture(d), expected.join("\n") + "\n");
}

#[test]
fn text_in_memory_loads_and_fails_as_files_do() {
    let kg = ties::graph::KnowledgeGraph::from_csv(
        &[("countries", "id,name\nkz,Kazakhstan\nil,Israel\n")],
        &[("ties", "from,type,to\nkz,knows,il\n")],
        Some("[kinds.countries]\ncolor = \"#d62728\"\n"),
    )
    .unwrap();
    assert_eq!((kg.entity_count(), kg.relation_count()), (2, 1));
    let err = ties::graph::KnowledgeGraph::from_csv(
        &[("countries", "id,name\nkz,Kazakhstan\nkz,Again\n")],
        &[("ties", "from,type,to\nkz,knows,atlantis\n")],
        None,
    )
    .unwrap_err();
    let messages: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    let data = DataDir::new(&[
        (
            "entities/countries.csv",
            b"id,name\nkz,Kazakhstan\nkz,Again\n",
        ),
        ("relations/ties.csv", b"from,type,to\nkz,knows,atlantis\n"),
    ]);
    assert_eq!(messages, load_errors(&data));
}

#[test]
fn check_warns_about_data_that_loads_but_looks_wrong() {
    let run = |args: &[&str]| {
        super::support::ties()
            .env("TIES_TODAY", "2026-11-29")
            .args(["--data", "tests/data/suspicious"])
            .args(args)
            .output()
            .unwrap()
    };
    let checked = run(&["check"]);
    assert!(checked.status.success(), "warnings do not fail the check");
    let expected =
        std::fs::read_to_string(root().join("tests/data/suspicious/check.expected")).unwrap();
    assert_eq!(String::from_utf8(checked.stdout).unwrap(), expected);
    let strict = run(&["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("15 warnings with --strict"));
    let quiet = run(&["-q", "check"]);
    assert!(!String::from_utf8(quiet.stdout).unwrap().contains("warning"));
    // The seed data has none: --strict passes.
    assert!(
        super::support::ties()
            .args(["--data", "tests/data/article", "check", "--strict"])
            .output()
            .unwrap()
            .status
            .success()
    );
}

#[test]
fn ties_toml_can_silence_a_kind_of_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("entities")).unwrap();
    std::fs::create_dir_all(dir.path().join("relations")).unwrap();
    std::fs::write(dir.path().join("entities/people.csv"), "id\nada\nbob\n").unwrap();
    std::fs::write(
        dir.path().join("relations/knows.csv"),
        "from,type,to\nada,knows,ada\n",
    )
    .unwrap();
    let check = || {
        super::support::ties()
            .arg("--data")
            .arg(dir.path())
            .args(["check", "--strict"])
            .output()
            .unwrap()
    };
    assert_eq!(
        check().status.code(),
        Some(2),
        "a self-loop and an isolated entity"
    );
    std::fs::write(
        dir.path().join("ties.toml"),
        "[check]\nallow = [\"self-loop\", \"isolated\"]\n",
    )
    .unwrap();
    assert!(check().status.success());
    std::fs::write(
        dir.path().join("ties.toml"),
        "[check]\nallow = [\"selfloop\"]\n",
    )
    .unwrap();
    let refused = check();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown warning `selfloop`"));
}

#[test]
fn an_unknown_id_in_a_relation_file_suggests_the_nearest_entity() {
    assert_one_error(
        &[
            COUNTRIES,
            (
                "relations/r.csv",
                b"from,type,to\nkazakhstan,trades_with,isreal\n",
            ),
        ],
        "relations/r.csv:2: column `to`: unknown entity `isreal` (did you mean `israel`, Israel?)",
    );
    // Nothing near: no guess.
    assert_one_error(
        &[
            COUNTRIES,
            (
                "relations/r.csv",
                b"from,type,to\nkazakhstan,trades_with,atlantis\n",
            ),
        ],
        "relations/r.csv:2: column `to`: unknown entity `atlantis`",
    );
}

#[test]
fn a_schema_in_ties_toml_is_enforced_at_every_row() {
    let output = super::support::ties()
        .args(["--data", "tests/data/schema-violations", "check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let expected =
        std::fs::read_to_string(root().join("tests/data/schema-violations/check.expected"))
            .unwrap();
    assert_eq!(String::from_utf8(output.stderr).unwrap(), expected);
    assert!(
        output.stdout.is_empty(),
        "nothing is loaded, nothing is summarised"
    );
}

#[test]
fn a_bad_ties_toml_does_not_hide_the_problems_of_the_csv_files() {
    let data = DataDir::new(&[
        ("entities/people.csv", b"id\nada\n"),
        ("relations/r.csv", b"from,type,to\nada,met,bob\n"),
        ("ties.toml", b"[schema.types.met]\ntime = \"evnt\"\n"),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "relations/r.csv:2: column `to`: unknown entity `bob`",
            "ties.toml:2: type `met`: time `evnt` is neither `state` (from start until end) nor \
             `event` (only on its dates)",
        ]
    );
}
