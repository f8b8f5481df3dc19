//! FollowTheMoney in: an FtM entity stream made into the tables of a `ties` data folder.
//!
//! FtM (the entity format of OpenSanctions and OCCRP Aleph) stores everything as entities:
//! people and companies, but also the ownerships, directorships and payments between them.
//! The model says which schemata are edges and which two properties are their ends
//! (`Ownership` runs from `owner` to `asset`); those become relations, the rest entities:
//!
//! - a kind per node schema (`Person`, `Company`, `Address`, ...), named as FtM names it;
//! - a relation type per edge schema, from its source to its target, with the edge's own id
//!   in an `id` column, `startDate`/`endDate` (else `date`) as `start`/`end`, and its other
//!   properties as columns;
//! - a relation per entity reference that is not an edge (`addressEntity`, `holder`, ...),
//!   named after the property;
//! - every other property as a column named after it, typed from FtM's type (`:date` where
//!   every value is a date `ties` reads, `:float` for numbers), an array where an entity has
//!   several values.
//!
//! Fragments sharing an id are merged (their schema is the narrower of the two, as FtM's
//! `common_schema` has it). Lines may also nest entities inside properties, as OpenSanctions'
//! `targets.nested.json` does: nested entities are taken out and linked as their property
//! says. Nothing is dropped quietly: an edge that misses an end stays as an entity of its
//! schema (its known end as a relation) with a warning naming it, and a reference to an id the
//! stream lacks is kept as text in a column, with a warning.

mod stream;
mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::BufRead;

use hashbrown::HashMap;

use crate::load::diag::Diagnostic;
use crate::model::date::PartialDate;
use crate::model::ftm::{Model, model};
use stream::{Entity, Reader, read_stream};
use table::{TableBuilder, write_table};

/// Past this many, problems of one sort are counted rather than listed.
const LISTED: usize = 5;

/// A data folder made from an FtM stream, in memory.
#[derive(Debug, Default)]
pub struct FtmImport {
    /// Each file of the folder, by its path inside it: `entities/Person.csv`,
    /// `relations/Ownership.csv`, `ties.toml`.
    pub files: Vec<(String, String)>,
    /// What did not import as it was, for the CLI to show.
    pub warnings: Vec<Diagnostic>,
    /// What was read and made.
    pub summary: ImportSummary,
}

/// Counts of what an import read and made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Lines (or array items) read.
    pub lines: usize,
    /// Entity fragments read, nested ones included.
    pub fragments: usize,
    /// Distinct entities after merging fragments, by schema.
    pub schemata: BTreeMap<String, usize>,
    /// Entities written, by kind.
    pub entities: BTreeMap<String, usize>,
    /// Relations written, by type.
    pub relations: BTreeMap<String, usize>,
}

/// The relation-side place of each entity: an edge (with both ends in the stream) or a node.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Node,
    Edge,
}

/// The earliest (or latest) of `values` that reads as a date, cut to the day.
fn date_bound(values: &[String], latest: bool) -> Option<PartialDate> {
    let dates = values
        .iter()
        .filter_map(|value| PartialDate::parse(value.get(..10).unwrap_or(value)).ok());
    if latest {
        dates.max_by_key(|date| date.last_day())
    } else {
        dates.min_by_key(|date| date.first_day())
    }
}

/// Whether `values` are exactly one date `ties` keeps as it is.
fn is_one_plain_date(values: &[String]) -> bool {
    values.len() == 1 && PartialDate::parse(&values[0]).is_ok()
}

/// The display name FtM gives an entity: the first value of its first caption property that
/// has one.
fn caption(model: &Model, entity: &Entity) -> Option<String> {
    model.schemata[entity.schema]
        .caption
        .iter()
        .find_map(|property| entity.values(property).first().cloned())
}

/// Turns an FtM stream into the files of a data folder.
///
/// `shown` names the stream in messages; `title` is the data's title in `ties.toml`.
///
/// # Errors
/// Every line that is not an FtM entity (bad JSON, no id, an unknown schema, one id given two
/// unrelated schemata), with its line; nothing is made then.
pub fn import(shown: &str, input: impl BufRead, title: &str) -> Result<FtmImport, Vec<Diagnostic>> {
    let model = model();
    let mut reader = Reader {
        shown,
        model,
        entities: Vec::new(),
        by_id: HashMap::new(),
        errors: Vec::new(),
        unknown_properties: BTreeMap::new(),
        fragments: 0,
    };
    let mut summary = ImportSummary::default();
    read_stream(&mut reader, input, &mut summary)?;
    if !reader.errors.is_empty() {
        return Err(reader.errors);
    }
    let mut warnings = Vec::new();
    for ((schema, property), (count, line)) in &reader.unknown_properties {
        warnings.push(Diagnostic::line(
            shown,
            *line,
            format!(
                "`{property}` is not a property of `{schema}` in FtM {}; left out ({count} value{})",
                model.version,
                if *count == 1 { "" } else { "s" }
            ),
        ));
    }
    summary.fragments = reader.fragments;
    for entity in &reader.entities {
        *summary
            .schemata
            .entry(entity.schema.to_owned())
            .or_default() += 1;
    }
    let entities = reader.entities;
    let by_id = reader.by_id;
    let known = |id: &str| by_id.contains_key(id);

    // Which entities are edges: an edge schema with both ends in the stream.
    let mut roles = Vec::with_capacity(entities.len());
    let mut broken_edges: Vec<String> = Vec::new();
    for entity in &entities {
        let role = match &model.schemata[entity.schema].edge {
            Some(edge) => {
                let ends = [&edge.source, &edge.target];
                let whole = ends.iter().all(|end| {
                    let values = entity.values(end);
                    !values.is_empty() && values.iter().all(|id| known(id))
                });
                if whole {
                    Role::Edge
                } else {
                    let missing: Vec<String> = ends
                        .iter()
                        .filter_map(|end| {
                            let values = entity.values(end);
                            if values.is_empty() {
                                Some(format!("no `{end}`"))
                            } else {
                                values
                                    .iter()
                                    .find(|id| !known(id))
                                    .map(|id| format!("`{end}` `{id}` is not in the file"))
                            }
                        })
                        .collect();
                    broken_edges.push(format!(
                        "{} `{}` (line {}): {}",
                        entity.schema,
                        entity.id,
                        entity.line,
                        missing.join(", ")
                    ));
                    Role::Node
                }
            }
            None => Role::Node,
        };
        roles.push(role);
    }
    if !broken_edges.is_empty() {
        warnings.push(Diagnostic::file(
            shown,
            format!(
                "{} edge{} an end and {} kept as entities of {} schema, with the end they \
                 have as a relation: {}",
                broken_edges.len(),
                if broken_edges.len() == 1 {
                    " misses"
                } else {
                    "s miss"
                },
                if broken_edges.len() == 1 { "is" } else { "are" },
                if broken_edges.len() == 1 {
                    "its"
                } else {
                    "their"
                },
                listed(&broken_edges)
            ),
        ));
    }

    // Entity tables, one per kind (= schema); references that are not edges become relations.
    let mut kinds: BTreeMap<&str, (Vec<Vec<String>>, TableBuilder)> = BTreeMap::new();
    let mut references: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut dangling: Vec<String> = Vec::new();
    let mut several_names: BTreeSet<&str> = BTreeSet::new();
    for (entity, role) in entities.iter().zip(&roles) {
        if *role == Role::Node && entity.values("name").len() > 1 {
            several_names.insert(entity.schema);
        }
    }
    let mut edges: BTreeMap<&str, (Vec<Vec<String>>, TableBuilder)> = BTreeMap::new();
    let mut unordered_dates: Vec<String> = Vec::new();
    // Entities are consumed here: their values move into the tables instead of being copied.
    for (mut entity, role) in entities.into_iter().zip(&roles) {
        let definition = &model.schemata[entity.schema];
        if *role == Role::Node {
            let (rows, table) = kinds.entry(entity.schema).or_default();
            let row = rows.len();
            let label = caption(model, &entity).unwrap_or_default();
            let properties = std::mem::take(&mut entity.properties);
            for (name, values) in properties {
                let property = &definition.properties[name.as_str()];
                // The one name that is the label is the `name` column already.
                if name == "name"
                    && !several_names.contains(entity.schema)
                    && values.first() == Some(&label)
                {
                    continue;
                }
                if name == "name" {
                    table.add(row, "names", "name", values);
                    continue;
                }
                if property.is_entity() {
                    let (present, absent): (Vec<String>, Vec<String>) =
                        values.into_iter().partition(|id| known(id));
                    for id in present {
                        references.entry(name.clone()).or_default().push(vec![
                            entity.id.clone(),
                            name.clone(),
                            id,
                        ]);
                    }
                    if !absent.is_empty() {
                        dangling.extend(
                            absent
                                .iter()
                                .map(|id| format!("`{}` {name} `{id}`", entity.id)),
                        );
                        table.add(row, &name, "string", absent);
                    }
                    continue;
                }
                table.add(row, &name, &property.value_type, values);
            }
            rows.push(vec![entity.id, label]);
        } else {
            let edge = definition
                .edge
                .as_ref()
                .expect("edges have an edge definition");
            let (rows, table) = edges.entry(entity.schema).or_default();
            let dates = entity.values("date");
            let (mut start, mut end) = (
                date_bound(entity.values("startDate"), false),
                date_bound(entity.values("endDate"), true),
            );
            let mut keep_start = !entity.values("startDate").is_empty()
                && !is_one_plain_date(entity.values("startDate"));
            let mut keep_end = !entity.values("endDate").is_empty()
                && !is_one_plain_date(entity.values("endDate"));
            if start.is_none() && end.is_none() {
                start = date_bound(dates, false);
                end = date_bound(dates, true);
            }
            if let (Some(first), Some(last)) = (start, end)
                && last.last_day() < first.first_day()
            {
                unordered_dates.push(format!("{} `{}`", entity.schema, entity.id));
                start = None;
                end = None;
                keep_start = !entity.values("startDate").is_empty();
                keep_end = !entity.values("endDate").is_empty();
            }
            for source in entity.values(&edge.source) {
                for target in entity.values(&edge.target) {
                    let row = rows.len();
                    rows.push(vec![
                        source.clone(),
                        entity.schema.to_owned(),
                        target.clone(),
                        start.map_or_else(String::new, |date| date.to_string()),
                        end.map_or_else(String::new, |date| date.to_string()),
                        entity.id.clone(),
                    ]);
                    for (name, values) in &entity.properties {
                        let property = &definition.properties[name.as_str()];
                        let column_type = match name.as_str() {
                            _ if *name == edge.source || *name == edge.target => continue,
                            "startDate" if !keep_start => continue,
                            "endDate" if !keep_end => continue,
                            // An edge's other references (a payment's contract) stay ids.
                            _ if property.is_entity() => "string",
                            _ => property.value_type.as_str(),
                        };
                        table.add(row, name, column_type, values.clone());
                    }
                }
            }
        }
    }
    if !dangling.is_empty() {
        warnings.push(Diagnostic::file(
            shown,
            format!(
                "{} reference{} to entities the file does not have, kept as text in a column of \
                 the property's name: {}",
                dangling.len(),
                if dangling.len() == 1 { "" } else { "s" },
                listed(&dangling)
            ),
        ));
    }
    if !unordered_dates.is_empty() {
        warnings.push(Diagnostic::file(
            shown,
            format!(
                "{} edge{} end before they start; their dates are kept in `startDate` and \
                 `endDate` columns, not as `start` and `end`: {}",
                unordered_dates.len(),
                if unordered_dates.len() == 1 { "" } else { "s" },
                listed(&unordered_dates)
            ),
        ));
    }

    let mut files = Vec::new();
    let mut joined = Vec::new();
    for (kind, (rows, table)) in &kinds {
        summary.entities.insert((*kind).to_owned(), rows.len());
        files.push((
            format!("entities/{kind}.csv"),
            write_table(&["id", "name"], rows, table, &mut joined),
        ));
    }
    for (rel_type, (rows, table)) in &edges {
        summary.relations.insert((*rel_type).to_owned(), rows.len());
        files.push((
            format!("relations/{rel_type}.csv"),
            write_table(
                &["from", "type", "to", "start", "end", "id"],
                rows,
                table,
                &mut joined,
            ),
        ));
    }
    for (rel_type, rows) in &references {
        summary.relations.insert(rel_type.clone(), rows.len());
        files.push((
            format!("relations/{rel_type}.csv"),
            write_table(
                &["from", "type", "to"],
                rows,
                &TableBuilder::default(),
                &mut joined,
            ),
        ));
    }
    if !joined.is_empty() {
        joined.sort();
        joined.dedup();
        warnings.push(Diagnostic::file(
            shown,
            format!(
                "several values with a `;` inside them are kept as one text joined by `; ` (a \
                 `ties` array would split them) in: {}",
                joined.join(", ")
            ),
        ));
    }
    files.push(("ties.toml".to_owned(), config(title, model, &kinds, &edges)));
    Ok(FtmImport {
        files,
        warnings,
        summary,
    })
}

/// The first few of `items`, then how many more.
fn listed(items: &[String]) -> String {
    let mut text = items[..items.len().min(LISTED)].join("; ");
    if items.len() > LISTED {
        let _ = write!(text, "; and {} more", items.len() - LISTED);
    }
    text
}

/// The `ties.toml` of an import: each kind and edge type tied to its FtM schema, so that
/// `ties export --format ftm` gives them back as they were.
fn config<T>(
    title: &str,
    model: &Model,
    kinds: &BTreeMap<&str, T>,
    edges: &BTreeMap<&str, T>,
) -> String {
    use crate::load::config::toml_key;
    let quoted = |text: &str| toml::Value::String(text.to_owned()).to_string();
    let mut out = format!(
        "# Made by `ties import ftm` from FollowTheMoney entities (model {}): a kind per node\n\
         # schema, a relation type per edge schema and per entity reference that is not an edge.\n\
         # `ftm` ties each back to its schema for `ties export --format ftm`.\n\n\
         title = {}\n",
        model.version,
        quoted(title)
    );
    for kind in kinds.keys() {
        let _ = write!(
            out,
            "\n[kinds.{}]\nftm = {}\n",
            toml_key(kind),
            quoted(kind)
        );
    }
    for rel_type in edges.keys() {
        let _ = write!(
            out,
            "\n[types.{}]\nftm = {}\n",
            toml_key(rel_type),
            quoted(rel_type)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &str) -> FtmImport {
        import("in.ijson", lines.as_bytes(), "test").unwrap()
    }

    fn file<'a>(import: &'a FtmImport, path: &str) -> &'a str {
        &import
            .files
            .iter()
            .find(|(name, _)| name == path)
            .unwrap_or_else(|| panic!("no {path} in {:?}", import.files))
            .1
    }

    const OWNERSHIP: &str = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Anna Nowak"], "birthDate": ["1970-02-03"], "nationality": ["pl"]}}
{"id": "c1", "schema": "Company", "properties": {"name": ["Nowak Holding Sp. z o.o."], "addressEntity": ["a1"]}}
{"id": "a1", "schema": "Address", "properties": {"full": ["ul. Długa 5, Kraków"], "city": ["Kraków"]}}
{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"], "startDate": ["2015-06"], "percentage": ["51"]}}
"#;

    #[test]
    fn nodes_become_kinds_and_edges_relations_with_their_dates() {
        let import = run(OWNERSHIP);
        assert_eq!(
            file(&import, "entities/Person.csv"),
            "id,name,birthDate:date,nationality\np1,Anna Nowak,1970-02-03,pl\n"
        );
        assert_eq!(
            file(&import, "relations/Ownership.csv"),
            "from,type,to,start,end,id,percentage\np1,Ownership,c1,2015-06,,o1,51\n"
        );
        assert_eq!(
            file(&import, "relations/addressEntity.csv"),
            "from,type,to\nc1,addressEntity,a1\n"
        );
        assert_eq!(
            file(&import, "entities/Address.csv"),
            "id,name,city,full\na1,\"ul. Długa 5, Kraków\",Kraków,\"ul. Długa 5, Kraków\"\n"
        );
        assert!(file(&import, "ties.toml").contains("[types.Ownership]\nftm = \"Ownership\""));
        assert!(import.warnings.is_empty(), "{:?}", import.warnings);
        assert_eq!(import.summary.schemata.len(), 4);
    }

    #[test]
    fn fragments_of_one_id_merge_into_the_narrower_schema() {
        let import = run(concat!(
            r#"{"id": "x", "schema": "LegalEntity", "properties": {"name": ["Ivan Petrov"]}}"#,
            "\n",
            r#"{"id": "x", "schema": "Person", "properties": {"name": ["Иван Петров"], "birthDate": ["1961"]}}"#,
            "\n"
        ));
        assert_eq!(
            file(&import, "entities/Person.csv"),
            "id,name,birthDate:date,names:string[]\nx,Ivan Petrov,1961,Ivan Petrov;Иван Петров\n"
        );
        assert_eq!(import.summary.fragments, 2);
    }

    #[test]
    fn an_edge_missing_an_end_is_kept_and_named() {
        let import = run(concat!(
            r#"{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}"#,
            "\n",
            r#"{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "role": ["CEO"]}}"#,
            "\n"
        ));
        assert_eq!(
            file(&import, "entities/Directorship.csv"),
            "id,name,role\nd1,CEO,CEO\n"
        );
        assert_eq!(
            file(&import, "relations/director.csv"),
            "from,type,to\nd1,director,p1\n"
        );
        let warning = import.warnings[0].to_string();
        assert!(
            warning.contains("Directorship `d1` (line 2): no `organization`"),
            "{warning}"
        );
    }

    #[test]
    fn nested_entities_are_taken_out_and_linked_back() {
        // OpenSanctions' targets.nested.json: adjacent entities nest under reverse properties.
        let line = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["A"], "ownershipOwner": [{"id": "o1", "schema": "Ownership", "properties": {"asset": [{"id": "c1", "schema": "Company", "properties": {"name": ["C"]}}]}}], "addressEntity": [{"id": "a1", "schema": "Address", "properties": {"full": ["Main St 1"]}}]}}"#;
        let import = run(line);
        assert_eq!(
            file(&import, "relations/Ownership.csv"),
            "from,type,to,start,end,id\np1,Ownership,c1,,,o1\n"
        );
        assert_eq!(
            file(&import, "relations/addressEntity.csv"),
            "from,type,to\np1,addressEntity,a1\n"
        );
        assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    }

    #[test]
    fn bad_lines_are_errors_with_their_line() {
        let errors = import(
            "in.ijson",
            "{\"id\": \"a\", \"schema\": \"Persn\"}\nnot json\n{\"schema\": \"Person\"}\n"
                .as_bytes(),
            "t",
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("in.ijson:1: entity `a`: unknown FtM schema `Persn`"));
        assert!(shown[1].starts_with("in.ijson:2: not JSON"));
        assert!(shown[2].starts_with("in.ijson:3: an entity without an `id`"));
    }

    #[test]
    fn dangling_references_and_semicolons_are_kept_with_a_warning() {
        let import = run(concat!(
            r#"{"id": "p1", "schema": "Person", "properties": {"name": ["A"], "addressEntity": ["gone"], "alias": ["x; y", "z"]}}"#,
            "\n"
        ));
        assert_eq!(
            file(&import, "entities/Person.csv"),
            "id,name,addressEntity,alias\np1,A,gone,x; y; z\n"
        );
        assert_eq!(import.warnings.len(), 2, "{:?}", import.warnings);
    }
}
