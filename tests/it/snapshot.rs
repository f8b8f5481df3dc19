//! The graph snapshot: a graph opened from its snapshot answers exactly as the graph loaded
//! from the files, and a stale, damaged or hostile snapshot is never used.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use ties::graph::KnowledgeGraph;
use ties::graph::snapshot::{self, Cache, Inputs, Opened};
use ties::load::LoadOptions;

use crate::support::{DataDir, root, ties};

/// Sets every file under `dir` to have been modified an hour ago: a snapshot is not written
/// for inputs modified within the last seconds (they could still change unseen).
pub fn age(dir: &Path) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in walk(dir) {
        if entry.is_file() {
            let file = std::fs::File::options().write(true).open(&entry).unwrap();
            file.set_modified(hour_ago).unwrap();
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

/// Copies `tests/data/<name>` into a fresh folder, aged.
pub fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("tests/data").join(name);
    for path in walk(&from) {
        let to = dir.path().join(path.strip_prefix(&from).unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&path, &to).unwrap();
        }
    }
    age(dir.path());
    dir
}

/// Every export of the whole graph, and the load warnings, as text.
fn answers(kg: &KnowledgeGraph) -> Vec<String> {
    use ties::export::{Format, Warnings, export};
    let view = ties::view::Subgraph::whole(kg);
    let mut texts: Vec<String> = [
        Format::Dot,
        Format::Graphml,
        Format::Gexf,
        Format::Json,
        Format::Cypher,
        Format::Ftm,
    ]
    .into_iter()
    .map(|format| {
        let mut out = Vec::new();
        export(kg, &view, format, &mut out, &mut Warnings::default()).unwrap();
        String::from_utf8(out).unwrap()
    })
    .collect();
    texts.extend(kg.warnings.iter().map(ToString::to_string));
    texts.push(format!("{:?}", kg.style));
    texts.push(format!("{:?}", kg.schema));
    texts.push(format!("{:?}", kg.catalog.timings));
    texts
}

/// Loads `dir`, writes its snapshot to `file`, and opens it again.
fn round_trip(dir: &Path, file: &Path) -> (KnowledgeGraph, Opened) {
    let mut inputs = Inputs::of(dir, &LoadOptions::default());
    inputs.recently_modified = false;
    let kg = KnowledgeGraph::load(dir).unwrap();
    assert!(snapshot::write(file, &kg, dir, &inputs).unwrap());
    let opened = snapshot::open(file, dir, &inputs);
    (kg, opened)
}

fn current(opened: Opened) -> KnowledgeGraph {
    match opened {
        Opened::Current(kg) => *kg,
        other => panic!("expected the snapshot to open, got {other:?}"),
    }
}

#[test]
fn the_article_opened_from_its_snapshot_exports_byte_for_byte_the_same() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("graph.snapshot");
    let (loaded, opened) = round_trip(data.path(), &file);
    let opened = current(opened);
    assert_eq!(answers(&opened), answers(&loaded));
    assert_eq!(opened.entity_count(), loaded.entity_count());
    for node in loaded.node_indices() {
        assert_eq!(opened.node_by_id(loaded.id(node)), Some(node));
    }
}

/// An id, a name (quotes, commas, Cyrillic, accents), a kind's attributes of every type.
fn entity_rows() -> impl Strategy<Value = Vec<(String, Option<i64>, Option<String>)>> {
    let name = prop_oneof![
        Just("Нурсултан Назарбаев".to_owned()),
        Just("Shimon \"Peres\", jr".to_owned()),
        Just("Zoë Ça".to_owned()),
        "[a-z ]{0,12}",
    ];
    let date = prop_oneof![
        Just("1992".to_owned()),
        Just("1992-08".to_owned()),
        Just("2024-02-29".to_owned())
    ];
    prop::collection::vec(
        (name, prop::option::of(-5i64..5), prop::option::of(date)),
        1..12,
    )
}

fn relation_rows(
    n: usize,
) -> impl Strategy<Value = Vec<(usize, usize, u8, Option<u16>, Option<f64>)>> {
    prop::collection::vec(
        (
            0..n,
            0..n,
            0u8..3,
            prop::option::of(1990u16..2030),
            prop::option::of(0.0f64..10.0),
        ),
        0..30,
    )
}

/// A data folder from generated rows: two kinds, two relation files, a `ties.toml` with a
/// schema timing.
fn write_data(
    rows: &[(String, Option<i64>, Option<String>)],
    links: &[(usize, usize, u8, Option<u16>, Option<f64>)],
) -> DataDir {
    let mut people = String::from("id,name,age:int,born:date,tags:string[]\n");
    let mut places = String::from("id,name\n");
    for (i, (name, age, born)) in rows.iter().enumerate() {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        if i % 3 == 2 {
            places.push_str(&format!("x{i},{quoted}\n"));
        } else {
            let age = age.map(|a| a.to_string()).unwrap_or_default();
            let born = born.clone().unwrap_or_default();
            people.push_str(&format!("p{i},{quoted},{age},{born},a;b{i}\n"));
        }
    }
    let id = |i: usize| {
        if i % 3 == 2 {
            format!("x{i}")
        } else {
            format!("p{i}")
        }
    };
    let mut visits = String::from("from,type,to,start,end,weight,note\n");
    let mut ties_file = String::from("from,type,to,start,source\n");
    for (k, &(a, b, t, year, weight)) in links.iter().enumerate() {
        let start = year.map(|y| y.to_string()).unwrap_or_default();
        if t == 0 {
            let weight = weight.map(|w| format!("{w:.3}")).unwrap_or_default();
            visits.push_str(&format!(
                "{},visited,{},{start},,{weight},\"note {k}, «q»\"\n",
                id(a),
                id(b)
            ));
        } else {
            let rel = if t == 1 { "knows" } else { "met" };
            ties_file.push_str(&format!("{},{rel},{},{start},s{k}\n", id(a), id(b)));
        }
    }
    DataDir::new(&[
        ("entities/people.csv", people.as_bytes()),
        ("entities/places.csv", places.as_bytes()),
        ("relations/visits.csv", visits.as_bytes()),
        ("relations/ties.csv", ties_file.as_bytes()),
        (
            "ties.toml",
            b"[kinds.people]\nlabel = \"Person\"\n\n[schema.types.visited]\ntime = \"event\"\n",
        ),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_graph_opened_from_its_snapshot_answers_as_the_loaded_graph(
        (rows, links) in entity_rows().prop_flat_map(|rows| {
            let n = rows.len();
            (Just(rows), relation_rows(n))
        })
    ) {
        let data = write_data(&rows, &links);
        let cache = tempfile::tempdir().unwrap();
        let (loaded, opened) = round_trip(data.path(), &cache.path().join("s"));
        let opened = current(opened);
        prop_assert_eq!(answers(&opened), answers(&loaded));
        let adjacency = (opened.adjacency(), loaded.adjacency());
        for node in 0..u32::try_from(loaded.entity_count()).unwrap() {
            prop_assert_eq!(adjacency.0.outgoing(node), adjacency.1.outgoing(node));
            prop_assert_eq!(adjacency.0.incoming(node), adjacency.1.incoming(node));
        }
    }
}

/// Runs `ties` on `dir` with `args`, keeping snapshots in `cache`; returns exit code, stdout
/// and stderr.
fn run(dir: &Path, cache: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = ties();
    cmd.env("TIES_DATA", dir).env("TIES_TODAY", "2026-12-01");
    match cache {
        Some(cache) => cmd.arg("--cache").arg(cache),
        None => cmd.arg("--no-cache"),
    };
    let output = cmd.args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The commands whose answers must not depend on the snapshot.
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["check", "--format", "json", "--warnings", "all"],
    &["stats"],
    &["stats", "--metrics", "all"],
    &["schema"],
    &["show", "kazakhstan"],
    &["find", "ministry"],
    &[
        "path",
        "Shimon Peres",
        "Nursultan Nazarbayev",
        "--all",
        "--format",
        "json",
    ],
    &["path", "kazakhstan", "israel", "-k", "3"],
    &["neighbors", "kazakhstan", "--depth", "2"],
    &[
        "query",
        "-e",
        "MATCH (p:people)-[v:visited]->(c:countries) RETURN p.name, c.name, v.start ORDER BY v.start",
    ],
    &[
        "query",
        "-e",
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, count(*) AS n ORDER BY n DESC, t",
    ],
    &["export", "--format", "graphml", "-o", "-"],
    &["export", "--format", "cypher", "-o", "-"],
    &["export", "--format", "json", "-o", "-"],
];

#[test]
fn every_command_answers_the_same_from_the_snapshot_as_from_the_files() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    for args in COMMANDS {
        let plain = run(data.path(), None, args);
        assert_eq!(plain.0, 0, "ties {args:?}: {}", plain.2);
        let first = run(data.path(), Some(cache.path()), args);
        assert_eq!(first, plain, "ties {args:?}, writing the snapshot");
        assert_eq!(
            std::fs::read_dir(cache.path()).unwrap().count(),
            1,
            "one snapshot file"
        );
        let second = run(data.path(), Some(cache.path()), args);
        assert_eq!(second, plain, "ties {args:?}, from the snapshot");
    }
}

/// The one snapshot file in `cache`.
pub fn snapshot_in(cache: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "snapshot"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn a_damaged_snapshot_is_ignored_with_one_warning_and_the_files_are_loaded() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    let args: &[&str] = &["path", "kazakhstan", "israel", "--all"];
    let plain = run(data.path(), None, args);
    run(data.path(), Some(cache.path()), args);
    let file = snapshot_in(cache.path());
    let whole = std::fs::read(&file).unwrap();
    let damages: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("one byte flipped", {
            let mut bytes = whole.clone();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x40;
            bytes
        }),
        (
            "foreign",
            b"PK\x03\x04 this is a zip file, not a snapshot".repeat(40),
        ),
        ("grown", [whole.as_slice(), b"tail"].concat()),
        ("another byte order", {
            let mut bytes = whole.clone();
            bytes[12..16].reverse();
            bytes
        }),
    ];
    for (damage, bytes) in damages {
        std::fs::write(&file, &bytes).unwrap();
        let (code, stdout, stderr) = run(data.path(), Some(cache.path()), args);
        assert_eq!((code, &stdout), (plain.0, &plain.1), "{damage}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("snapshot")).collect();
        if damage == "one byte flipped" && warnings.is_empty() {
            // The byte is in a part this command never reads (a relation file's attributes):
            // the answer is whole; the next command that reads that part finds the damage.
            let export = ["export", "--format", "json", "-o", "-"];
            let (code, stdout, stderr) = run(data.path(), Some(cache.path()), &export);
            assert_eq!((code, stdout), (0, run(data.path(), None, &export).1));
            assert_eq!(
                stderr.matches("ignoring the graph snapshot").count(),
                1,
                "{stderr}"
            );
            continue;
        }
        assert_eq!(warnings.len(), 1, "{damage}: {stderr}");
        assert!(
            warnings[0].starts_with("warning: ignoring the graph snapshot "),
            "{damage}: {stderr}"
        );
        // The files were loaded and the snapshot written again, whole.
        let (_, again, stderr) = run(data.path(), Some(cache.path()), args);
        assert_eq!(again, plain.1, "{damage}");
        assert!(!stderr.contains("snapshot"), "{damage}: {stderr}");
    }
}

/// Offset and length of each section of a snapshot, from its table.
pub fn sections_of(bytes: &[u8]) -> Vec<(usize, usize)> {
    let u64_at = |at: usize| {
        usize::try_from(u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())).unwrap()
    };
    let (at, len) = (u64_at(24), u64_at(32));
    (at..at + len)
        .step_by(24)
        .map(|entry| (u64_at(entry), u64_at(entry + 8)))
        .collect()
}

#[test]
fn damage_found_in_a_part_read_on_first_use_reruns_the_command_on_the_files() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    // `show` prints each relation's provenance: it reads the relation files' attributes,
    // the part of the snapshot read on first use.
    let args: &[&str] = &["show", "shimon-peres"];
    let plain = run(data.path(), None, args);
    assert!(plain.1.contains("source"), "{}", plain.1);
    run(data.path(), Some(cache.path()), args);
    let file = snapshot_in(cache.path());
    let mut bytes = std::fs::read(&file).unwrap();
    let entity_files = 9;
    for (offset, len) in &sections_of(&bytes)[2 + entity_files..2 + entity_files + 6] {
        bytes[offset + len / 2] ^= 0x20;
    }
    std::fs::write(&file, &bytes).unwrap();
    let (code, stdout, stderr) = run(data.path(), Some(cache.path()), args);
    assert_eq!(
        (
            code,
            stdout,
            stderr.matches("ignoring the graph snapshot").count()
        ),
        (plain.0, plain.1.clone(), 1),
        "{stderr}"
    );
    // Load warnings are not repeated by the second run.
    assert_eq!(
        stderr.lines().count(),
        1 + plain.2.lines().count(),
        "{stderr}"
    );
    // The damaged snapshot was removed and a whole one written by the second run.
    let again = run(data.path(), Some(cache.path()), args);
    assert_eq!(again, plain);
}

#[test]
fn an_edited_data_file_is_never_answered_from_the_stale_snapshot() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    let people = data.path().join("entities/people.csv");
    let show = |cache: Option<&Path>| run(data.path(), cache, &["show", "shimon-peres"]).1;
    let before = show(Some(cache.path()));
    assert!(before.contains("Shimon Peres"), "{before}");
    let stat = |path: &Path| std::fs::metadata(path).unwrap();
    let modified = stat(&people).modified().unwrap();
    // The same size, the old modification time: only the content and the status change.
    let text = std::fs::read_to_string(&people).unwrap();
    let edited = text.replace("Shimon Peres", "Shimon Perez");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&people, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&people)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let after = show(Some(cache.path()));
    assert!(after.contains("Shimon Perez"), "{after}");
    assert_eq!(after, show(None));
    // A new file, a changed ties.toml and --encoding each make the snapshot stale too.
    std::fs::write(
        data.path().join("relations/more.csv"),
        "from,type,to\nshimon-peres,met,kazakhstan\n",
    )
    .unwrap();
    age(data.path());
    let (_, out, _) = run(
        data.path(),
        Some(cache.path()),
        &["query", "-e", "MATCH ()-[r:met]->() RETURN count(r) AS n"],
    );
    assert!(out.contains('1'), "{out}");
    let toml = data.path().join("ties.toml");
    let styled = std::fs::read_to_string(&toml).unwrap().replacen(
        "label = \"Person\"",
        "label = \"Human\"",
        1,
    );
    std::fs::write(&toml, styled).unwrap();
    age(data.path());
    let dot = ["export", "--format", "dot", "-o", "-"];
    let (_, out, _) = run(data.path(), Some(cache.path()), &dot);
    assert!(out.contains("Human") && !out.contains("Person"));
    assert_eq!(out, run(data.path(), None, &dot).1);
}

#[test]
fn a_snapshot_is_beside_the_data_only_for_large_data_and_never_with_no_cache() {
    let data = copy_of("article");
    let (code, _, _) = run(data.path(), None, &["stats"]);
    assert_eq!(code, 0);
    let mut cmd = ties();
    cmd.env("TIES_DATA", data.path())
        .arg("stats")
        .assert()
        .success();
    assert!(
        !data.path().join(snapshot::BESIDE).exists(),
        "small data gets no .ties/"
    );
    // Past the threshold: a snapshot beside the data, kept out of version control.
    let mut filler = String::from("id,name\n");
    for i in 0..60_000 {
        filler.push_str(&format!("f{i},Filler number {i}\n"));
    }
    std::fs::write(data.path().join("entities/fillers.csv"), filler).unwrap();
    age(data.path());
    let mut cmd = ties();
    cmd.env("TIES_DATA", data.path())
        .arg("stats")
        .assert()
        .success();
    let beside = data.path().join(snapshot::BESIDE);
    assert!(beside.join("graph.snapshot").is_file());
    #[cfg(unix)]
    {
        // As readable as the data folder, not private as a temporary file is.
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&beside.join("graph.snapshot")),
            mode(data.path()) & 0o644
        );
    }
    assert_eq!(
        std::fs::read_to_string(beside.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert!(
        std::fs::read_to_string(beside.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    let location = snapshot::location(
        data.path(),
        &Cache::Beside,
        &Inputs::of(data.path(), &LoadOptions::default()),
    );
    assert_eq!(location, Some(beside.join("graph.snapshot")));
    let mut cmd = ties();
    cmd.env("TIES_DATA", data.path())
        .args(["--no-cache", "--cache", "x", "stats"])
        .assert()
        .code(2);
}

#[test]
fn inputs_modified_just_now_get_no_snapshot_until_they_settle() {
    let data = DataDir::new(&[crate::support::COUNTRIES]);
    let cache = tempfile::tempdir().unwrap();
    run(data.path(), Some(cache.path()), &["stats"]);
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
    age(data.path());
    run(data.path(), Some(cache.path()), &["stats"]);
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);
}

#[test]
fn builders_writing_at_once_leave_one_whole_snapshot() {
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("graph.snapshot");
    let mut inputs = Inputs::of(data.path(), &LoadOptions::default());
    inputs.recently_modified = false;
    let kg = KnowledgeGraph::load(data.path()).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..5 {
                    assert!(snapshot::write(&file, &kg, data.path(), &inputs).unwrap());
                    let opened = current(snapshot::open(&file, data.path(), &inputs));
                    assert_eq!(opened.relation_count(), kg.relation_count());
                }
            });
        }
    });
    // No temporary files are left behind.
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);
}

#[test]
fn paths_in_warnings_follow_how_this_command_spells_the_data_folder() {
    let data = copy_of("suspicious");
    let cache = tempfile::tempdir().unwrap();
    let spelled = |dir: &Path| {
        let mut cmd = ties();
        let output = cmd
            .current_dir(dir.parent().unwrap())
            .env("TIES_DATA", dir.file_name().unwrap())
            .env("TIES_TODAY", "2026-12-01")
            .arg("--cache")
            .arg(cache.path())
            .args(["check", "--warnings", "all"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap()
    };
    let first = run(
        data.path(),
        Some(cache.path()),
        &["check", "--warnings", "all"],
    );
    assert!(
        first.1.contains(&data.path().display().to_string())
            || first.2.contains(&data.path().display().to_string())
    );
    let relative = spelled(data.path());
    let plain = {
        let mut cmd = ties();
        let output = cmd
            .current_dir(data.path().parent().unwrap())
            .env("TIES_DATA", data.path().file_name().unwrap())
            .env("TIES_TODAY", "2026-12-01")
            .args(["--no-cache", "check", "--warnings", "all"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap()
    };
    assert_eq!(relative, plain);
    assert!(
        !relative.contains(&data.path().display().to_string()),
        "{relative}"
    );
}
