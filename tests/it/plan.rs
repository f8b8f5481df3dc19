//! Notices, `--strict`, `EXPLAIN` and `PROFILE` as a user meets them on the command line.

use super::support::ties;

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output = ties()
        .args(["query", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    (output.status.code(), value)
}

fn operators(plan: &serde_json::Value, out: &mut Vec<String>) {
    out.push(plan["operator"].as_str().unwrap().to_owned());
    for child in plan["children"].as_array().into_iter().flatten() {
        operators(child, out);
    }
}

#[test]
fn typos_are_noticed_by_name_without_changing_the_answer_or_the_exit_code() {
    let query = "MATCH (c:countrys)-[:visted]->(x) WHERE x.nmae = 'Israel' RETURN x";
    let (code, answer) = json(&["-e", query]);
    assert_eq!(code, Some(1), "nothing found stays exit 1");
    assert_eq!(answer["rows"].as_array().unwrap().len(), 0);
    let notices = answer["notices"].as_array().unwrap();
    let titles: Vec<&str> = notices
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "UnknownLabelWarning",
            "UnknownRelationshipTypeWarning",
            "UnknownPropertyKeyWarning"
        ]
    );
    assert_eq!(
        notices[0]["code"],
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(notices[0]["severity"], "WARNING");
    assert_eq!(
        (notices[0]["line"].as_u64(), notices[0]["column"].as_u64()),
        (Some(1), Some(7))
    );
    let messages: Vec<&str> = notices
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("did you mean `countries`"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("did you mean `visited`"),
        "{messages:?}"
    );
    assert!(messages[2].contains("did you mean `name`"), "{messages:?}");

    // The same query without typos matches, and is noticed nothing.
    let (code, answer) = json(&[
        "-e",
        "MATCH (p:people)-[:visited]->(x) WHERE x.name = 'Israel' RETURN x",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(answer["notices"], serde_json::json!([]));
}

#[test]
fn strict_turns_a_notice_into_a_usage_error() {
    let output = ties()
        .args(["query", "--strict", "-e", "MATCH (c:countrys) RETURN c"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning[UnknownLabelWarning]: no entity kind `countrys`"),
        "{stderr}"
    );
    ties()
        .args([
            "query",
            "--strict",
            "-e",
            "MATCH (c:countries) RETURN c.name",
        ])
        .assert()
        .code(0);
}

#[test]
fn explain_plans_every_clause_and_runs_nothing() {
    let query = "EXPLAIN MATCH (p:people) OPTIONAL MATCH (p)-[v:visited]->(c:countries)
        WITH p, count(v) AS visits WHERE visits > 0
        UNWIND [1, 2] AS n
        MATCH path = shortestPath((p)-[*..4]-(k:countries {id: 'kazakhstan'}))
        RETURN DISTINCT p.name AS name, length(path) AS hops ORDER BY name SKIP 0 LIMIT 5
        UNION MATCH (a:people), (b:countries) RETURN a.name AS name, 0 AS hops";
    let (code, answer) = json(&["-e", query]);
    assert_eq!(code, Some(0), "EXPLAIN answers with a plan");
    assert_eq!(answer["rows"], serde_json::json!([]));
    let mut found = Vec::new();
    operators(&answer["plan"], &mut found);
    for expected in [
        "Union",
        "ProduceResults",
        "Top",
        "Skip",
        "Distinct",
        "Projection",
        "ShortestPath",
        "Apply",
        "Unwind",
        "Filter",
        "EagerAggregation",
        "Optional",
        "Expand(All)",
        "NodeByLabelScan",
        "CartesianProduct",
    ] {
        assert!(
            found.iter().any(|o| o == expected),
            "{expected} missing from {found:?}"
        );
    }
    // A plan holds estimates only: nothing ran.
    assert!(answer["plan"].get("rows").is_none());
}

#[test]
fn profile_answers_and_counts_each_operator() {
    let query = "MATCH (p:people)-[:visited]->(c:countries) WITH c, count(*) AS visits
        RETURN c.name AS country, visits ORDER BY visits DESC";
    let (_, unprofiled) = json(&["-e", query]);
    let (code, profiled) = json(&["-e", &format!("PROFILE {query}")]);
    assert_eq!(code, Some(0));
    assert_eq!(
        profiled["rows"], unprofiled["rows"],
        "PROFILE answers as the query does"
    );
    let plan = &profiled["plan"];
    assert_eq!(plan["operator"], "ProduceResults");
    assert_eq!(plan["rows"].as_u64(), Some(2));
    assert!(plan["time_ms"].as_f64().is_some_and(|t| t >= 0.0));
    // The MATCH feeding the aggregate reports its matches: the six visits.
    let mut stack = vec![plan];
    let mut matched = None;
    while let Some(op) = stack.pop() {
        if op["operator"] == "Filter" && op["rows"].is_u64() {
            matched = op["rows"].as_u64();
        }
        stack.extend(op["children"].as_array().into_iter().flatten());
    }
    assert_eq!(matched, Some(6));

    // For people: the rows, then the plan as a table.
    let output = ties()
        .args(["query", "-e", &format!("PROFILE {query}")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("│ Operator"), "{text}");
    assert!(text.contains("Time (ms)"), "{text}");
}

#[test]
fn each_runs_the_query_once_per_row_of_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("leaders.csv");
    std::fs::write(
        &rows,
        "leader,since\nShimon Peres,2000\nNursultan Nazarbayev,\nNobody,1990\n",
    )
    .unwrap();
    let query = "MATCH (p:people {name: $leader})-[v:visited]->(c)
        WHERE $since IS NULL OR v.start >= date(toString($since))
        RETURN c.name AS visited, toString(v.start) AS year ORDER BY year";
    let (code, answer) = json(&["--each", rows.to_str().unwrap(), "-e", query]);
    assert_eq!(code, Some(0));
    assert_eq!(
        answer["columns"],
        serde_json::json!(["$leader", "$since", "visited", "year"])
    );
    let got: Vec<(String, String)> = answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["$leader"].as_str().unwrap().to_owned(),
                r["year"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Peres since 2000; Nazarbayev with no `since` (an empty cell is null): every visit.
    let peres = got.iter().filter(|(l, _)| l == "Shimon Peres").count();
    let nazarbayev = got
        .iter()
        .filter(|(l, _)| l == "Nursultan Nazarbayev")
        .count();
    assert_eq!((peres, nazarbayev), (2, 3), "{got:?}");
    assert!(got.iter().all(|(l, _)| l != "Nobody"));

    // A cell that is not a value names its file, line and column; EXPLAIN has no rows to
    // repeat.
    std::fs::write(&rows, "leader\n[oops\n").unwrap();
    let output = ties()
        .args([
            "query",
            "--each",
            rows.to_str().unwrap(),
            "-e",
            "RETURN $leader",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("leaders.csv:2: column `leader`"),
        "{stderr}"
    );
    ties()
        .args([
            "query",
            "--each",
            rows.to_str().unwrap(),
            "-e",
            "EXPLAIN RETURN 1",
        ])
        .assert()
        .code(2);
}
