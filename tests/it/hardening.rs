//! Hostile input from outside: queries that nest or expand without bound, data dirs with
//! odd files and odd names. Each test is a reproducer from a probe of the built binary: it
//! must end with a clear message and exit 2, never a crash, a hang or a silent half answer.

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;
use ties::cypher::{self, Limits, error::ErrorKind};

use super::support::{COUNTRIES, DataDir, root, ties};

fn tiny() -> ties::graph::KnowledgeGraph {
    super::support::load_ok_path(&root().join("tests/data/tiny"))
}

fn run(
    kg: &ties::graph::KnowledgeGraph,
    text: &str,
    limits: Limits,
) -> Result<cypher::QueryResult, cypher::CypherError> {
    cypher::run(kg, kg.adjacency(), text, BTreeMap::new(), limits)
}

fn single_value(result: &cypher::QueryResult) -> String {
    assert_eq!(result.rows.len(), 1);
    format!("{:?}", result.rows[0][0])
}

#[test]
fn deep_nesting_within_the_bound_runs_on_the_query_stack() {
    let kg = tiny();
    let parens = format!("RETURN {}1{}", "(".repeat(2_500), ")".repeat(2_500));
    assert_eq!(
        single_value(&run(&kg, &parens, Limits::default()).unwrap()),
        "Int(1)"
    );
    let sum = format!("RETURN {}", vec!["1"; 5_000].join("+"));
    assert_eq!(
        single_value(&run(&kg, &sum, Limits::default()).unwrap()),
        "Int(5000)"
    );
    let ors: Vec<String> = (0..5_000).map(|i| format!("n.id = 'k{i}'")).collect();
    let where_or = format!(
        "MATCH (n) WHERE {} OR n.id = 'kz' RETURN n.id",
        ors.join(" OR ")
    );
    assert_eq!(
        single_value(&run(&kg, &where_or, Limits::default()).unwrap()),
        "Str(\"kz\")"
    );
}

#[test]
fn nesting_past_the_bound_is_refused_where_it_passes_it() {
    let kg = tiny();
    let deep = [
        format!("RETURN {}1{}", "(".repeat(20_000), ")".repeat(20_000)),
        format!("RETURN {}", vec!["1"; 100_000].join("+")),
        format!("RETURN {}{}", "[".repeat(20_000), "]".repeat(20_000)),
        format!("RETURN {}1{}", "{a:".repeat(20_000), "}".repeat(20_000)),
        format!("RETURN {}true", "NOT ".repeat(20_000)),
        format!("RETURN {}1", "-".repeat(20_000)),
        format!("RETURN {}1{}", "abs(".repeat(20_000), ")".repeat(20_000)),
        format!("MATCH (a){} RETURN a", "-->()".repeat(20_000)),
    ];
    for text in deep {
        let err = run(&kg, &text, Limits::default()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax, "{}", err.message);
        assert!(err.message.contains("nests more than"), "{}", err.message);
        let (line, col) = err.line_col(&text);
        assert_eq!(line, 1);
        assert!(
            col > 10_000,
            "the error points where the bound is passed, not at {col}"
        );
    }
}

fn limit_error(text: &str, limits: Limits) -> String {
    let kg = super::support::load_ok_path(&root().join("data"));
    let err = run(&kg, text, limits).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{text}: {}", err.message);
    err.message
}

const QUICK: Limits = Limits {
    timeout: Some(Duration::from_millis(300)),
    max_memory: Limits::DEFAULT_MAX_MEMORY,
};

#[test]
fn runaway_queries_stop_at_the_time_limit() {
    for text in [
        "MATCH p=(a)-[*]-(b) RETURN count(p)",
        "MATCH (a)-[*1..50]-(b) RETURN count(*)",
        "MATCH (a)-[*0..99999999]-(b) RETURN count(*)",
        "MATCH (a),(b),(c),(d),(e),(f) RETURN count(*)",
    ] {
        let message = limit_error(text, QUICK);
        assert!(message.contains("--timeout"), "{message}");
    }
}

#[test]
fn runaway_queries_stop_at_the_memory_limit() {
    let small = Limits {
        timeout: None,
        max_memory: 1 << 20,
    };
    let mut unwind = String::new();
    for i in 0..8 {
        unwind.push_str(&format!("UNWIND [1,2,3,4,5,6,7,8,9,10] AS x{i} "));
    }
    unwind.push_str("RETURN count(*)");
    for text in [
        "MATCH (a),(b),(c),(d),(e),(f) RETURN a, b, c, d, e, f",
        unwind.as_str(),
        "MATCH (a)-[*..6]-(b) RETURN collect(a)",
    ] {
        let message = limit_error(text, small);
        assert!(message.contains("--max-memory"), "{message}");
    }
}

#[test]
fn counting_matches_holds_no_rows() {
    // Far more matches than a 1 MiB budget could hold as rows: 6 nodes, 6^6 combinations.
    let kg = tiny();
    let small = Limits {
        timeout: None,
        max_memory: 1 << 20,
    };
    let nodes = kg.entity_count();
    let result = run(
        &kg,
        "MATCH (a),(b),(c),(d),(e),(f),(g) RETURN count(*) AS n",
        small,
    )
    .unwrap();
    assert_eq!(
        single_value(&result),
        format!("Int({})", nodes.pow(7)),
        "count(*) streamed"
    );
}

#[test]
fn a_bound_relationship_cannot_become_a_variable_length_one() {
    let kg = tiny();
    let err = run(
        &kg,
        "MATCH (a)-[r]->(b) WITH r MATCH (c)-[r*]->(d) RETURN count(*)",
        Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Semantic);
    assert!(
        err.message.contains("`r` is already bound"),
        "{}",
        err.message
    );
}

#[test]
fn limits_are_flags_of_ties_query() {
    let output = ties()
        .args(["query", "--timeout", "0.2", "-e"])
        .arg("MATCH p=(a)-[*]-(b) RETURN count(p)")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("ran out of time after 0.2 s"), "{stderr}");
    let output = ties()
        .args(["query", "--max-memory", "1", "-e"])
        .arg("MATCH (a),(b),(c),(d),(e),(f) RETURN a, b, c, d, e, f")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("more than 1 MiB of rows"), "{stderr}");
}

/// Pieces of Cypher, so random queries get past the lexer and reach the parser and engine.
const TOKENS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "WITH",
    "RETURN",
    "UNWIND",
    "AS",
    "ORDER",
    "BY",
    "SKIP",
    "LIMIT",
    "DISTINCT",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "count",
    "collect",
    "shortestPath",
    "ALL",
    "SHORTEST",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "->",
    "<-",
    "*",
    "..",
    ":",
    ",",
    ".",
    "=",
    "<>",
    "+",
    "/",
    "%",
    "=~",
    "a",
    "b",
    "r",
    "p",
    "n.id",
    "'kz'",
    "1",
    "2.5",
    "$x",
    "`q`",
    "people",
    "knows",
    "id",
    "size",
    "(a)",
    "-[r]->",
    "-[*]-",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_crash_the_query_parser(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = ties::cypher::parser::parse(&text);
    }

    #[test]
    fn random_token_soup_never_crashes_or_hangs_the_engine(
        picks in proptest::collection::vec(0..TOKENS.len(), 1..40)
    ) {
        let kg = tiny();
        let text: Vec<&str> = picks.iter().map(|&i| TOKENS[i]).collect();
        let text = text.join(" ");
        let limits = Limits { timeout: Some(Duration::from_millis(200)), max_memory: 64 << 20 };
        let started = std::time::Instant::now();
        let _ = run(&kg, &text, limits);
        prop_assert!(started.elapsed() < Duration::from_secs(10), "{text}");
    }
}

#[test]
fn non_regular_files_in_data_folders_are_refused_by_name() {
    let data = DataDir::new(&[COUNTRIES, ("relations/ties.csv", b"from,to,type\n")]);
    let relations = data.path().join("relations");
    std::os::unix::fs::symlink("/nonexistent", relations.join("dangling.csv")).unwrap();
    std::fs::create_dir(relations.join("folder.csv")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", relations.join("zero.csv")).unwrap();
    std::os::unix::fs::symlink("..", data.path().join("entities/up.csv")).unwrap();
    let fifo = relations.join("fifo.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // A symbolic link to a regular file is followed.
    std::os::unix::fs::symlink(
        data.path().join("relations/ties.csv"),
        relations.join("link.csv"),
    )
    .unwrap();
    assert_eq!(
        super::support::load_errors(&data),
        [
            "entities/up.csv: not a regular file but a folder; a data folder holds only data files (.csv, .xlsx, .ods)",
            "relations/dangling.csv: a symbolic link to nothing readable: No such file or directory (os error 2)",
            "relations/fifo.csv: not a regular file but a FIFO; a data folder holds only data files (.csv, .xlsx, .ods)",
            "relations/folder.csv: not a regular file but a folder; a data folder holds only data files (.csv, .xlsx, .ods)",
            "relations/zero.csv: not a regular file but a device; a data folder holds only data files (.csv, .xlsx, .ods)",
        ]
    );
}

#[test]
fn a_wide_header_is_read_in_linear_time_with_one_message_per_problem() {
    let mut header = String::from("id,name");
    for i in 0..70_000 {
        header.push_str(&format!(",a{i}"));
    }
    header.push_str(",dup,dup,dup\n");
    let data = DataDir::new(&[(
        "entities/countries.csv",
        format!("{header}kz,Kazakhstan\n").as_bytes(),
    )]);
    let errors = super::support::load_errors(&data);
    assert_eq!(
        errors,
        [
            "entities/countries.csv:1: column `dup` appears 3 times (columns 70003, 70004 and 70005)",
            "entities/countries.csv:1: more than 65535 attribute columns across the files of this class",
        ]
    );
}

#[test]
fn control_characters_from_the_data_are_escaped_in_messages() {
    let data = DataDir::new(&[
        (
            "entities/countries.csv",
            b"id,\"na\nme\",\"na\nme\",x\x1b[2J:bad\nkz,a,b,c\n",
        ),
        (
            "entities/people.csv",
            b"id,name,born:int\np1,x,\x1b]0;pwned\x07\xe2\x80\xaeevil\n",
        ),
    ]);
    let output = ties()
        .args(["--data"])
        .arg(data.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !stderr
            .chars()
            .any(|c| ties::model::printable::is_unprintable(c) && c != '\n'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("column `na\\u{a}me` appears twice"),
        "{stderr}"
    );
    assert!(stderr.contains("x\\u{1b}[2J:bad"), "{stderr}");
    assert!(
        stderr.contains("\\u{1b}]0;pwned\\u{7}\\u{202e}evil"),
        "{stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        4,
        "one line per problem, then the summary:\n{stderr}"
    );
}

/// A data dir whose names try every trick on the writers: ids that differ only by a control
/// character, character references, markup in column names, a column that collides with a
/// renamed one, a name past Graphviz's limits, and a kind and a type too long for a file name.
fn hostile_data() -> DataDir {
    let long_name = "N".repeat(16_500);
    let long_kind = "k".repeat(250);
    let long_type = "t".repeat(300);
    let people = format!(
        "id,name,a b,<script>,team\n\
         ab,Plain,1,x,\"x\ty\"\n\
         \"a\tb\",Tabbed,2,y,&#0;\n\
         amp,\"&#0; and &#x1b; and &amp;\",3,z,c\n\
         long,{long_name},4,w,d\n\
         bt,\"`id`\",5,v,\"bell\x07\"\n"
    );
    let relations = format!(
        "from,to,type,source,attr_source\n\
         ab,\"a\tb\",knows,s1,a1\n\
         amp,long,{long_type},s2,a2\n\
         bt,other,knows,s3,\n"
    );
    DataDir::new(&[
        ("entities/people.csv", people.as_bytes()),
        (
            &format!("entities/{long_kind}.csv"),
            b"id,name\nother,Other\n" as &[u8],
        ),
        ("entities/`id`.csv", b"id,name\nquoted,Quoted\n"),
        ("relations/ties.csv", relations.as_bytes()),
    ])
}

fn build_into(data: &DataDir, out: &std::path::Path) -> std::process::Output {
    let empty = tempfile::tempdir().unwrap();
    ties()
        .arg("--data")
        .arg(data.path())
        .args(["-q", "build", "--queries"])
        .arg(empty.path())
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn hostile_names_stay_data_in_every_output() {
    let data = hostile_data();
    let out = tempfile::tempdir().unwrap();
    let output = build_into(&data, out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // DOT: one node per entity, `ab` and `a<TAB>b` distinct, read back by a DOT parser.
    let dot = std::fs::read_to_string(out.path().join("graph.dot")).unwrap();
    let graph = graphviz_rust::parse(&dot).unwrap();
    let graphviz_rust::dot_structures::Graph::DiGraph { stmts, .. } = graph else {
        panic!("a digraph");
    };
    let mut ids: Vec<String> = stmts
        .iter()
        .filter_map(|stmt| match stmt {
            graphviz_rust::dot_structures::Stmt::Node(node) => Some(node.id.0.to_string()),
            _ => None,
        })
        .filter(|id| !id.contains("ties:legend"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert!(
        dot.contains("\"a&#x2409;b\""),
        "a tab is escaped, not dropped"
    );
    assert!(dot.contains("&amp;#0;"), "`&` is escaped for Graphviz");
    assert!(
        dot.split('"').all(|s| s.len() < 16_384),
        "every DOT string fits Graphviz"
    );

    // SVG from Graphviz is well-formed XML.
    if super::export::tool("dot").is_some() {
        let svg = std::fs::read_to_string(out.path().join("graph.svg")).unwrap();
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("graph.svg is not well-formed: {err}"),
            }
        }
        assert!(svg.contains("N…"), "a long name is cut with an ellipsis");
    }

    // GraphML and GEXF validate; GraphML names are tokens.
    super::export::validate("graphml", &out.path().join("graph.graphml"));
    super::export::validate("gexf", &out.path().join("graph.gexf"));
    let graphml = std::fs::read_to_string(out.path().join("graph.graphml")).unwrap();
    assert!(graphml.contains(r#"attr.name="a_x0020_b""#), "{graphml}");
    assert!(graphml.contains(r#"<node id="a_x0009_b">"#));

    // JSON keeps both `source` (renamed) and `attr_source`.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("graph.json")).unwrap())
            .unwrap();
    let first = &json["edges"][0];
    assert_eq!(first["attr_source"], "a1", "{first}");
    assert_eq!(first["attr_source_2"], "s1", "{first}");

    // neo4j: file names shortened and unique, full names inside.
    let mut files: Vec<String> = std::fs::read_dir(out.path().join("neo4j"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.iter().all(|f| f.len() < 120), "{files:?}");
    let long_type_file = files
        .iter()
        .find(|f| f.starts_with("relationships_ttt"))
        .unwrap();
    let text = std::fs::read_to_string(out.path().join("neo4j").join(long_type_file)).unwrap();
    assert!(text.contains(&"t".repeat(300)));

    // Nothing left behind but the outputs and the build lock.
    let stray: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ties-tmp-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn clusters_survive_any_value() {
    let data = hostile_data();
    let out = tempfile::tempdir().unwrap();
    for by in ["team", "kind", "name"] {
        let svg = out.path().join(format!("{by}.svg"));
        let output = ties()
            .arg("--data")
            .arg(data.path())
            .args(["-q", "render", "--cluster-by", by, "-o"])
            .arg(&svg)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "--cluster-by {by}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_cypher_script_says_what_falkordb_cannot_read() {
    let data = hostile_data();
    let out = tempfile::tempdir().unwrap();
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["export", "--format", "cypher", "-o"])
        .arg(out.path().join("graph.cypher"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("kind `\\`id\\`` has a backtick") || stderr.contains("has a backtick"),
        "{stderr}"
    );
    assert!(stderr.contains("FalkorDB keeps them as text"), "{stderr}");
}

#[test]
fn file_system_errors_name_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let output = ties()
        .args(["-q", "build", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot create the folder") && stderr.contains("a-file"),
        "{stderr}"
    );
    let output = ties()
        .args(["export", "--format", "json", "-o"])
        .arg(file.join("x.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("a-file"), "{stderr}");
}

#[test]
fn stale_temporaries_of_killed_runs_are_removed_by_the_next() {
    let out = tempfile::tempdir().unwrap();
    // What a run killed mid-write leaves: a temporary nobody holds a lock on.
    std::fs::write(out.path().join(".ties-tmp-killed"), "half a file").unwrap();
    std::fs::create_dir(out.path().join(".ties-tmp-killedfolder")).unwrap();
    // Left a minute ago: younger ones may be a writer's that it has not locked yet.
    let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for left in [".ties-tmp-killed", ".ties-tmp-killedfolder"] {
        std::fs::File::open(out.path().join(left))
            .unwrap()
            .set_modified(a_minute_ago)
            .unwrap();
    }
    let output = ties()
        .args(["-q", "export", "--format", "json", "-o"])
        .arg(out.path().join("graph.json"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["graph.json"]);
}

#[test]
fn concurrent_builds_into_one_folder_both_succeed() {
    let out = tempfile::tempdir().unwrap();
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("ties"))
            .current_dir(root())
            .args(["-q", "build", "-o"])
            .arg(out.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut first, mut second) = (spawn(), spawn());
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    assert!(out.path().join("neo4j/import.sh").exists());
    assert!(out.path().join("index.html").exists());
}

#[test]
fn the_deepest_short_query_fits_the_callers_stack() {
    // Queries of at most 100 bytes skip the query thread; the deepest of them must still fit
    // a test thread's 2 MiB stack, unoptimised (a level of parentheses takes about 25 KiB
    // there, 96 levels overflow it).
    let kg = tiny();
    // Two bytes a level, after `RETURN 1`: the deepest a 100-byte query can nest.
    let n = 46;
    for text in [
        format!("RETURN {}1{}", "(".repeat(n), ")".repeat(n)),
        format!("RETURN {}1", "-".repeat(2 * n)),
        format!("RETURN {}true", "NOT ".repeat(22)),
        format!("RETURN {}", vec!["1"; n].join("+")),
        format!("RETURN {}{}", "[".repeat(n), "]".repeat(n)),
    ] {
        assert!(text.len() <= 100, "{}", text.len());
        assert!(run(&kg, &text, Limits::default()).is_ok(), "{text}");
    }
}

/// Names that broke exports once: an id starting with a byte-order mark, an astral character
/// (GraphML's NMTOKEN refuses both), relation types with `;` (neo4j-admin's array delimiter),
/// a backslash, a control character and a backtick (Cypher), and an array item holding `|`.
fn names_that_broke_exports() -> DataDir {
    DataDir::new(&[
        (
            "entities/peo;ple.csv",
            "id,name,tags:string[]\n\u{feff}bom,Bom,x|y;z\na😀b,Emoji,p\nНазарбаев-Әлия,Әлия,\n"
                .as_bytes(),
        ),
        (
            "relations/r.csv",
            "from,type,to\n\u{feff}bom,rel;type,a😀b\na😀b,back\\slash,Назарбаев-Әлия\n\
             Назарбаев-Әлия,bell\u{7},\u{feff}bom\n\u{feff}bom,tick`tick,Назарбаев-Әлия\n"
                .as_bytes(),
        ),
    ])
}

const BROKE_IDS: [&str; 3] = ["\u{feff}bom", "a😀b", "Назарбаев-Әлия"];
const BROKE_TYPES: [&str; 4] = ["rel;type", "back\\slash", "bell\u{7}", "tick`tick"];

/// Reads an `XmlConvert`-encoded name back: `_xHHHH_` and `_xHHHHHHHH_` are characters.
fn xml_decode(token: &str) -> String {
    let mut out = String::new();
    let mut rest = token;
    while let Some(start) = rest.find("_x") {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 2..];
        let digits = tail.find('_').filter(|&n| n == 4 || n == 8);
        match digits.and_then(|n| u32::from_str_radix(&tail[..n], 16).ok().map(|c| (n, c))) {
            Some((n, code)) => {
                out.push(char::from_u32(code).unwrap());
                rest = &tail[n + 1..];
            }
            None => {
                out.push_str("_x");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads the backtick names of a Neo4j-dialect script as Neo4j does: a doubled backtick is
/// one, `\\` a backslash, `\uXXXX` the character.
fn neo4j_names(script: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '`' {
            continue;
        }
        let mut name = String::new();
        loop {
            match chars.next() {
                Some('`') if chars.peek() == Some(&'`') => {
                    chars.next();
                    name.push('`');
                }
                Some('`') | None => break,
                Some('\\') => match chars.next() {
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        name.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    Some(other) => name.push(other),
                    None => break,
                },
                Some(other) => name.push(other),
            }
        }
        names.push(name);
    }
    names
}

#[test]
fn names_survive_every_export() {
    let data = names_that_broke_exports();
    let out = tempfile::tempdir().unwrap();
    let output = build_into(&data, out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // GraphML: valid against the XSD, and every id reads back.
    let graphml_path = out.path().join("graph.graphml");
    super::export::validate("graphml", &graphml_path);
    let graphml = std::fs::read_to_string(&graphml_path).unwrap();
    let ids: Vec<String> = graphml
        .split("<node id=\"")
        .skip(1)
        .map(|rest| xml_decode(&rest[..rest.find('"').unwrap()]))
        .collect();
    for id in BROKE_IDS {
        assert!(ids.iter().any(|read| read == id), "{id:?} not in {ids:?}");
    }

    // neo4j: a delimiter none of the names holds, written into import.sh.
    let neo4j = out.path().join("neo4j");
    let script = std::fs::read_to_string(neo4j.join("import.sh")).unwrap();
    let delimiter = script
        .split("--array-delimiter=\"")
        .nth(1)
        .and_then(|rest| rest.chars().next())
        .unwrap();
    assert!(delimiter != ';' && delimiter != '|', "{script}");
    let mut types = Vec::new();
    for entry in std::fs::read_dir(&neo4j).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header = reader.headers().unwrap().clone();
        let column = |name: &str| header.iter().position(|h| h == name);
        for record in reader.records() {
            let record = record.unwrap();
            if let Some(at) = column(":TYPE") {
                types.push(record[at].to_owned());
            }
            if let Some(at) = column(":LABEL") {
                let labels: Vec<&str> = record[at].split(delimiter).collect();
                assert_eq!(labels, ["Entity", "peo;ple"]);
            }
            if let Some(at) = column("tags:string[]")
                && record[0] == *"\u{feff}bom"
            {
                let tags: Vec<&str> = record[at].split(delimiter).collect();
                assert_eq!(tags, ["x|y", "z"]);
            }
        }
    }
    types.sort();
    let mut expected: Vec<&str> = BROKE_TYPES.to_vec();
    expected.sort_unstable();
    assert_eq!(types, expected);

    // Cypher for Neo4j: every type and the kind, byte for byte, nothing turned into `_`.
    let cypher = std::fs::read_to_string(out.path().join("graph.cypher")).unwrap();
    let names = neo4j_names(&cypher);
    for name in BROKE_TYPES.iter().chain(&["peo;ple"]) {
        assert!(
            names.iter().any(|read| read == name),
            "{name:?} not in {names:?}"
        );
    }

    // DOT: every relation keeps its type in an attribute of its own.
    let dot = std::fs::read_to_string(out.path().join("graph.dot")).unwrap();
    let graphviz_rust::dot_structures::Graph::DiGraph { stmts, .. } =
        graphviz_rust::parse(&dot).unwrap()
    else {
        panic!("a digraph");
    };
    let dot_types: Vec<String> = stmts
        .iter()
        .filter_map(|stmt| match stmt {
            graphviz_rust::dot_structures::Stmt::Edge(edge) => edge
                .attributes
                .iter()
                .find(|a| matches!(&a.0, graphviz_rust::dot_structures::Id::Plain(key) if key == "type"))
                .map(|a| match &a.1 {
                    graphviz_rust::dot_structures::Id::Escaped(text)
                    | graphviz_rust::dot_structures::Id::Plain(text) => text.clone(),
                    other => format!("{other:?}"),
                }),
            _ => None,
        })
        .collect();
    assert_eq!(dot_types.len(), 4, "{dot_types:?}");
    assert!(
        dot_types.contains(&"\"rel;type\"".to_owned()),
        "{dot_types:?}"
    );
    assert!(
        dot_types.contains(&"\"back\\\\slash\"".to_owned()),
        "{dot_types:?}"
    );
}

#[test]
fn dot_exports_keep_types_and_attributes_at_any_size() {
    // Past the edge-label limit the labels go, the data stays.
    let mut relations = String::from("from,type,to,start,source\n");
    for i in 0..400 {
        relations.push_str(&format!(
            "p{},operates,p{},{},src{i}\n",
            i % 20,
            (i + 1) % 20,
            1990 + i % 30
        ));
    }
    let people: String = std::iter::once("id,name\n".to_owned())
        .chain((0..20).map(|i| format!("p{i},P {i}\n")))
        .collect();
    let data = DataDir::new(&[
        ("entities/people.csv", people.as_bytes()),
        ("relations/r.csv", relations.as_bytes()),
    ]);
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["-q", "export", "--format", "dot", "-o", "-"])
        .output()
        .unwrap();
    let dot = String::from_utf8(output.stdout).unwrap();
    let edges: Vec<&str> = dot.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(edges.len(), 400);
    assert!(
        edges.iter().all(|e| !e.contains(" label=")),
        "labels left out"
    );
    assert!(
        edges.iter().all(|e| e.contains("type=\"operates\"")
            && e.contains(" start=\"")
            && e.contains(" source=\"src")),
        "{}",
        edges[0]
    );
}
