//! What drivers and tools ask a server besides Cypher: `CALL db.labels()` and its kin,
//! `SHOW DATABASES`. A procedure's rows can go on through `YIELD ... RETURN ...`: the rest of
//! the query runs over them as Cypher.

use std::collections::BTreeMap;

use super::Status;
use super::session::{Answer, Answered, run_cypher};
use super::{Loaded, Shared};
use crate::cypher::Value;
use crate::graph::KnowledgeGraph;

/// The database every client sees.
pub const DATABASE: &str = "neo4j";

/// Answers `text`: a procedure or `SHOW`, else Cypher.
pub(super) fn run(
    shared: &Shared,
    graph: &Loaded,
    text: &str,
    params: BTreeMap<String, Value>,
) -> Answer {
    let trimmed = text.trim().trim_end_matches(';').trim();
    if let Some((columns, rows)) = show(trimmed) {
        return Ok(Answered::plain(columns, rows));
    }
    let Some((name, rest)) = call(trimmed) else {
        return run_cypher(shared, graph, text, params);
    };
    let Some((columns, rows)) = procedure(&graph.kg, &name) else {
        return Err((
            Status::PROCEDURE_NOT_FOUND,
            format!(
                "There is no procedure with the name `{name}` registered for this database \
                 instance (ties serves db.ping, db.labels, db.relationshipTypes, \
                 db.propertyKeys, dbms.components, dbms.clientConfig)"
            ),
        ));
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(Answered::plain(columns, rows));
    }
    // `YIELD a, b [WHERE ...] RETURN ...`: the rows become a list the rest of the query
    // unwinds, each column a variable.
    let (yielded, rest) = match strip_keyword(rest, "YIELD") {
        Some(after) => {
            let end = ["WHERE", "RETURN", "WITH", "ORDER", "UNWIND", "MATCH"]
                .iter()
                .filter_map(|k| find_keyword(after, k))
                .min()
                .unwrap_or(after.len());
            let names: Vec<String> = after[..end]
                .split(',')
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            (names, after[end..].trim())
        }
        None => (columns.clone(), rest),
    };
    let mut binding = Vec::new();
    for item in &yielded {
        let (column, alias) = match item.split_once(|c: char| c.is_whitespace()) {
            Some((column, alias)) => (
                column.trim(),
                strip_keyword(alias.trim(), "AS").unwrap_or(alias).trim(),
            ),
            None => (item.as_str(), item.as_str()),
        };
        if column == "*" {
            binding.extend(columns.iter().map(|c| format!("row.`{c}` AS `{c}`")));
        } else if columns.iter().any(|c| c == column) {
            binding.push(format!("row.`{column}` AS `{alias}`"));
        } else {
            return Err((
                Status::SYNTAX,
                format!(
                    "procedure `{name}` yields no column `{column}` (it yields {})",
                    columns.join(", ")
                ),
            ));
        }
    }
    let (filter, rest) = match strip_keyword(rest, "WHERE") {
        Some(after) => {
            let end = ["RETURN", "WITH", "UNWIND", "MATCH", "ORDER"]
                .iter()
                .filter_map(|k| find_keyword(after, k))
                .min()
                .unwrap_or(after.len());
            (format!(" WHERE {}", &after[..end]), &after[end..])
        }
        None => (String::new(), rest),
    };
    let query = format!(
        "UNWIND $__ties_rows AS row WITH {}{filter} {rest}",
        binding.join(", ")
    );
    let mut params = params;
    params.insert(
        "__ties_rows".to_owned(),
        Value::List(
            rows.into_iter()
                .map(|row| Value::Map(columns.iter().cloned().zip(row).collect()))
                .collect(),
        ),
    );
    run_cypher(shared, graph, &query, params)
}

/// `CALL name(...)` → the name and the text after the call.
fn call(text: &str) -> Option<(String, &str)> {
    let after = strip_keyword(text, "CALL")?;
    let open = after.find('(')?;
    let name = after[..open].trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '_')
    {
        return None;
    }
    let close = after[open..].find(')')? + open;
    Some((name.to_owned(), &after[close + 1..]))
}

fn strip_keyword<'t>(text: &'t str, keyword: &str) -> Option<&'t str> {
    let head = text.get(..keyword.len())?;
    let next = text[keyword.len()..].chars().next();
    (head.eq_ignore_ascii_case(keyword) && next.is_none_or(|c| !c.is_alphanumeric() && c != '_'))
        .then(|| text[keyword.len()..].trim_start())
}

/// Where `keyword` starts as a word in `text` (outside quotes is not checked: procedure
/// tails are short and written by tools).
fn find_keyword(text: &str, keyword: &str) -> Option<usize> {
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(found) = upper[from..].find(keyword) {
        let at = from + found;
        let before = upper[..at].chars().next_back();
        let after = upper[at + keyword.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !word(before) && !word(after) {
            return Some(at);
        }
        from = at + keyword.len();
    }
    None
}

fn strings(items: impl IntoIterator<Item = String>) -> Vec<Vec<Value>> {
    items.into_iter().map(|s| vec![Value::Str(s)]).collect()
}

fn procedure(kg: &KnowledgeGraph, name: &str) -> Option<(Vec<String>, Vec<Vec<Value>>)> {
    let columns = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    Some(match name.to_ascii_lowercase().as_str() {
        "db.ping" => (columns(&["success"]), vec![vec![Value::Bool(true)]]),
        "db.labels" => (
            columns(&["label"]),
            strings(std::iter::once("Entity".to_owned()).chain(kg.catalog.kinds.iter().cloned())),
        ),
        "db.relationshiptypes" => (
            columns(&["relationshipType"]),
            strings(kg.catalog.rel_types.iter().cloned()),
        ),
        "db.propertykeys" => {
            let mut keys: Vec<String> = [
                "id",
                "name",
                "rid",
                "start",
                "start_from",
                "end",
                "end_to",
                "weight",
            ]
            .into_iter()
            .map(str::to_owned)
            .chain(kg.catalog.entity_attrs.iter().map(|d| d.name.clone()))
            .chain(kg.catalog.relation_attrs.iter().map(|d| d.name.clone()))
            .collect();
            keys.sort();
            keys.dedup();
            (columns(&["propertyKey"]), strings(keys))
        }
        "dbms.components" => (
            columns(&["name", "versions", "edition"]),
            vec![vec![
                Value::Str("Neo4j Kernel".to_owned()),
                Value::List(vec![Value::Str("5.26.0".to_owned())]),
                Value::Str("community".to_owned()),
            ]],
        ),
        "dbms.clientconfig" => (
            columns(&["name", "description", "value", "dynamic"]),
            Vec::new(),
        ),
        "apoc.meta.data" => meta_data(kg),
        // No indexes: every lookup is in memory.
        "apoc.schema.nodes" => (
            columns(&[
                "name",
                "label",
                "properties",
                "status",
                "type",
                "failure",
                "populationProgress",
                "size",
                "valuesSelectivity",
                "userDescription",
            ]),
            Vec::new(),
        ),
        _ => return None,
    })
}

/// The rows of APOC's `apoc.meta.data()`, which the `Neo4jGraph` of `LangChain` and `neo4j-graphrag`
/// read for the schema they give a language model: each kind's properties with their types,
/// each relation type's properties, and for each kind the types of relations leaving it with
/// the kinds they reach (`type` `RELATIONSHIP`, `other` those kinds). From every entity and
/// relation, not a sample.
fn meta_data(kg: &KnowledgeGraph) -> (Vec<String>, Vec<Vec<Value>>) {
    use std::collections::BTreeSet;

    use crate::model::value::ScalarType;
    let type_name = |column: crate::model::value::ColumnType| {
        if column.is_list {
            return "LIST";
        }
        match column.scalar {
            ScalarType::String => "STRING",
            ScalarType::Int => "INTEGER",
            ScalarType::Float => "FLOAT",
            ScalarType::Bool => "BOOLEAN",
            ScalarType::Date => "DATE",
        }
    };
    let mut node_props: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for node in kg.node_indices() {
        let props = node_props.entry(kg.kind(node)).or_default();
        props.insert("id", "STRING");
        props.insert("name", "STRING");
        for (def, _) in kg.catalog.entity_attrs(kg.entity(node)) {
            props.insert(def.name.as_str(), type_name(def.column_type));
        }
    }
    let mut rel_props: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    let mut links: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for edge in kg.edge_indices() {
        let rel_type = kg.rel_type(edge);
        let relation = kg.relation(edge);
        let props = rel_props.entry(rel_type).or_default();
        props.insert("rid", "STRING");
        for (key, value) in [
            ("start", relation.start.is_some()),
            ("end", relation.end.is_some()),
        ] {
            if value {
                props.insert(key, "DATE");
                props.insert(
                    if key == "start" {
                        "start_from"
                    } else {
                        "end_to"
                    },
                    "STRING",
                );
            }
        }
        if relation.weight().is_some() {
            props.insert("weight", "FLOAT");
        }
        for (def, _) in kg.catalog.relation_attrs(relation) {
            props.insert(def.name.as_str(), type_name(def.column_type));
        }
        links
            .entry((kg.kind(kg.endpoints(edge).0), rel_type))
            .or_default()
            .insert(kg.kind(kg.endpoints(edge).1));
    }
    let row = |label: &str, property: &str, kind: &str, element: &str, other: Vec<Value>| {
        vec![
            Value::Str(label.to_owned()),
            Value::Str(property.to_owned()),
            Value::Int(0),
            Value::Bool(false),
            Value::Bool(false),
            Value::Bool(false),
            Value::Str(kind.to_owned()),
            Value::Str(element.to_owned()),
            Value::List(other),
        ]
    };
    let mut rows = Vec::new();
    for (label, props) in &node_props {
        for (property, kind) in props {
            rows.push(row(label, property, kind, "node", Vec::new()));
        }
    }
    for ((label, rel_type), targets) in &links {
        let other = targets
            .iter()
            .map(|t| Value::Str((*t).to_owned()))
            .collect();
        rows.push(row(label, rel_type, "RELATIONSHIP", "node", other));
    }
    for (label, props) in &rel_props {
        for (property, kind) in props {
            rows.push(row(label, property, kind, "relationship", Vec::new()));
        }
    }
    let columns = [
        "label",
        "property",
        "count",
        "unique",
        "index",
        "existence",
        "type",
        "elementType",
        "other",
    ];
    (columns.iter().map(|&c| c.to_owned()).collect(), rows)
}

/// `SHOW DATABASES`, `SHOW DATABASE neo4j`, `SHOW DEFAULT DATABASE`, `SHOW HOME DATABASE`:
/// one database, `neo4j`, online and read-only in spirit (its access says `read-write` as
/// drivers expect of a standalone server).
fn show(text: &str) -> Option<(Vec<String>, Vec<Vec<Value>>)> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    if words.first().is_some_and(|w| w == "SHOW")
        && words
            .iter()
            .skip(1)
            .take(2)
            .any(|w| ["CONSTRAINT", "CONSTRAINTS", "INDEX", "INDEXES"].contains(&w.as_str()))
    {
        // No constraints and no indexes: the data is checked on load and looked up in memory.
        let columns = [
            "id",
            "name",
            "type",
            "entityType",
            "labelsOrTypes",
            "properties",
        ];
        return Some((columns.iter().map(|&c| c.to_owned()).collect(), Vec::new()));
    }
    let is_show = words.first().is_some_and(|w| w == "SHOW")
        && words
            .iter()
            .skip(1)
            .take(2)
            .any(|w| w == "DATABASES" || w == "DATABASE");
    if !is_show {
        return None;
    }
    let columns = [
        "name",
        "type",
        "aliases",
        "access",
        "address",
        "role",
        "writer",
        "requestedStatus",
        "currentStatus",
        "statusMessage",
        "default",
        "home",
        "constituents",
    ];
    let row = vec![
        Value::Str(DATABASE.to_owned()),
        Value::Str("standard".to_owned()),
        Value::List(Vec::new()),
        Value::Str("read-write".to_owned()),
        Value::Null,
        Value::Str("primary".to_owned()),
        Value::Bool(true),
        Value::Str("online".to_owned()),
        Value::Str("online".to_owned()),
        Value::Str(String::new()),
        Value::Bool(true),
        Value::Bool(true),
        Value::List(Vec::new()),
    ];
    // `SHOW DATABASE system` names a database that is not here: no rows.
    let named = words
        .get(2)
        .filter(|_| words.get(1).is_some_and(|w| w == "DATABASE"))
        .map(|w| w.trim_matches('`').to_ascii_lowercase());
    let rows = match named {
        Some(name) if name != DATABASE && name != "yield" => Vec::new(),
        _ => vec![row],
    };
    Some((columns.iter().map(|&c| c.to_owned()).collect(), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_shows_are_recognised() {
        assert_eq!(call("CALL db.labels()"), Some(("db.labels".to_owned(), "")));
        assert_eq!(
            call("call dbms.components() YIELD name RETURN name"),
            Some(("dbms.components".to_owned(), " YIELD name RETURN name"))
        );
        assert_eq!(call("MATCH (n) RETURN n"), None);
        assert!(show("SHOW DATABASES").is_some());
        assert_eq!(show("show database system").unwrap().1.len(), 0);
        assert_eq!(show("SHOW DATABASE neo4j").unwrap().1.len(), 1);
        assert!(show("MATCH (n) RETURN n").is_none());
        assert_eq!(find_keyword("name, version RETURN x", "RETURN"), Some(14));
        assert_eq!(find_keyword("returned", "RETURN"), None);
    }
}
