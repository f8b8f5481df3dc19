//! FollowTheMoney in and out: `ties import ftm` on a real FtM file and on one that uses every
//! way an FtM line can come, `check --strict` on what it makes, and `export --format ftm` back,
//! compared entity by entity with the original.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::support::{root, ties};

/// An FtM stream read back: per id, its schema and the set of values of each property.
type Entities = BTreeMap<String, (String, BTreeMap<String, BTreeSet<String>>)>;

/// Reads a stream, merging fragments of one id (the narrower schema is the one that is not
/// `LegalEntity`, which is all these files need).
fn read_stream(text: &str) -> Entities {
    let mut entities = Entities::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let value: Value = serde_json::from_str(line).unwrap();
        let id = value["id"].as_str().unwrap().to_owned();
        let schema = value["schema"].as_str().unwrap().to_owned();
        let entry = entities
            .entry(id)
            .or_insert_with(|| (schema.clone(), BTreeMap::new()));
        if entry.0 == "LegalEntity" {
            entry.0 = schema;
        }
        for (name, values) in value["properties"].as_object().unwrap() {
            let set = entry.1.entry(name.clone()).or_default();
            for value in values.as_array().unwrap() {
                set.insert(value.as_str().unwrap().to_owned());
            }
        }
    }
    entities
}

fn import(input: &Path, output: &Path) -> std::process::Output {
    ties()
        .args(["import", "ftm"])
        .arg(input)
        .arg("-o")
        .arg(output)
        .output()
        .unwrap()
}

fn export_ftm(data: &Path) -> String {
    let output = ties()
        .arg("--data")
        .arg(data)
        .args(["-q", "export", "--format", "ftm", "-o", "-"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn check_strict(data: &Path) {
    let output = ties()
        .arg("--data")
        .arg(data)
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "check --strict: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_real_ftm_file_imports_checks_strictly_and_exports_back_unchanged() {
    let input = root().join("tests/data/ftm/donations.ijson");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("donations");
    let output = import(&input, &folder);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("read 474 FtM entities")
            && stdout.contains("184 entities of 4 kinds, 393 relations of 2 types"),
        "{stdout}"
    );
    check_strict(&folder);

    let original = read_stream(&std::fs::read_to_string(&input).unwrap());
    let exported = read_stream(&export_ftm(&folder));
    let by_schema = |entities: &Entities| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (schema, _) in entities.values() {
            *counts.entry(schema.clone()).or_default() += 1;
        }
        counts
    };
    assert_eq!(by_schema(&exported), by_schema(&original));
    for (id, before) in &original {
        assert_eq!(exported.get(id), Some(before), "entity {id}");
    }
    assert_eq!(exported.len(), original.len());
}

#[test]
fn every_way_a_line_can_come_imports_and_says_what_it_kept() {
    let input = root().join("tests/data/ftm/small.ijson");
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("small");
    let output = import(&input, &folder);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    for named in [
        "Directorship `d-2` (line 6): no `organization`",
        "`p-nazarbayev` addressEntity `a-elsewhere`",
        "joined by `; ` (a `ties` array would split them) in: alias",
    ] {
        assert!(stderr.contains(named), "{named} not in {stderr}");
    }
    let read = |path: &str| std::fs::read_to_string(folder.join(path)).unwrap();
    // Fragments merged into the narrower schema, both names kept.
    assert!(
        read("entities/Person.csv")
            .contains("p-nazarbayev,Nursultan Nazarbayev,a-elsewhere,Elbasy; Leader of the Nation; Papa,1940-07-06,Nursultan Nazarbayev;Нұрсұлтан Назарбаев,kz"),
        "{}",
        read("entities/Person.csv")
    );
    // Nested entities taken out and linked: the ownership under its owner, the address.
    assert_eq!(
        read("relations/Ownership.csv"),
        "from,type,to,start,end,id,percentage\npb-samruk,Ownership,c-kazmunaigas,2008-10,,o-1,90.42\n"
    );
    assert_eq!(
        read("relations/addressEntity.csv"),
        "from,type,to\nc-kazmunaigas,addressEntity,a-astana\n"
    );
    // The edge without an organization is an entity, linked to its director.
    assert_eq!(
        read("relations/director.csv"),
        "from,type,to\nd-2,director,p-nazarbayev\n"
    );
    assert!(read("ties.toml").contains("[schema.types.Payment]"));
    check_strict(&folder);

    // Back out, the edge without an organization is still a Directorship with its director.
    let exported = read_stream(&export_ftm(&folder));
    assert_eq!(exported["d-2"].0, "Directorship");
    assert_eq!(
        exported["d-2"].1["director"],
        BTreeSet::from(["p-nazarbayev".to_owned()])
    );
    assert_eq!(
        exported["pay-1"].1["date"],
        BTreeSet::from(["2021-05-04".to_owned()])
    );
    assert!(
        !exported["pay-1"].1.contains_key("startDate"),
        "{:?}",
        exported["pay-1"]
    );
}

#[test]
fn bad_lines_are_reported_with_their_line_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.ijson");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"schema\": \"Persn\", \"properties\": {}}\n{not json\n{\"id\": \"b\", \"schema\": \"Person\"}\n{\"id\": \"b\", \"schema\": \"Vessel\"}\n",
    )
    .unwrap();
    let folder = dir.path().join("out");
    let output = import(&input, &folder);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("bad.ijson:1: entity `a`: unknown FtM schema `Persn`"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.ijson:2: not JSON"), "{stderr}");
    assert!(
        stderr.contains("bad.ijson:4: entity `b` is a `Vessel` here but a `Person` at line 3"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 3 problems in"), "{stderr}");
    assert!(!folder.exists());
}

#[test]
fn an_existing_folder_is_replaced_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("small");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let input = root().join("tests/data/ftm/small.ijson");
    let output = import(&input, &folder);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert!(folder.join("notes.txt").exists());
    let output = ties()
        .args(["import", "ftm", "--force", "-o"])
        .arg(&folder)
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!folder.join("notes.txt").exists());
    assert!(folder.join("entities/Person.csv").exists());
}

#[test]
fn the_seed_exports_as_valid_ftm_with_its_schemata() {
    let output = super::support::ties_on_seed()
        .args(["-q", "export", "--format", "ftm", "-o", "-"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let exported = read_stream(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(exported["shimon-peres"].0, "Person");
    assert_eq!(exported["kazakhstan"].0, "LegalEntity");
    let valid = |id: &str| {
        id.len() <= 200
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && id.starts_with(|c: char| c.is_ascii_alphanumeric())
            && id.ends_with(|c: char| c.is_ascii_alphanumeric())
    };
    for (id, (schema, properties)) in &exported {
        assert!(valid(id), "{id}");
        if schema == "UnknownLink" {
            for end in ["subject", "object"] {
                let ends = &properties[end];
                assert!(
                    ends.iter().all(|end| exported.contains_key(end)),
                    "{id} {end}"
                );
            }
            assert!(properties.contains_key("role"), "{id}");
        }
    }
    // ties.toml maps `represents` to Representation.
    assert!(exported.values().any(|(schema, properties)| {
        schema == "Representation" && properties["agent"].contains("kazakh-embassy-tel-aviv")
    }));
    // The diplomatic relations of 1992, dated as FtM dates.
    assert!(exported.values().any(|(_, properties)| {
        properties
            .get("role")
            .is_some_and(|r| r.contains("diplomatic_relations"))
            && properties
                .get("startDate")
                .is_some_and(|d| d.contains("1992-08"))
    }));
}
