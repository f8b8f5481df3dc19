//! An openCypher script that creates the view in Neo4j, Memgraph or FalkorDB, unchanged.
//!
//! FalkorDB reads two things differently, and the export warns when the data holds them: a
//! backtick inside a label, type or property name (openCypher doubles it, FalkorDB stops
//! there), and a control character other than newline, tab and carriage return in a string
//! (written as `\uXXXX`, which FalkorDB keeps as those six characters).
//!
//! - One `UNWIND [...] AS row CREATE ...` statement per kind (nodes) or relation type
//!   (relationships) and batch of [`BATCH`] rows, because labels and types cannot be
//!   parameters in portable Cypher.
//! - Every node gets the labels `Entity` and its kind, and the properties `id`, `name` and its
//!   attributes; every relationship the property `rid` (`e<N>`), `start`/`end` as written,
//!   `start_from`/`end_to` (the widened bounds as `YYYY-MM-DD` text, which sorts and compares
//!   like a date in every engine), `weight` and its attributes.
//! - Properties are listed explicitly (`{id: row.id, born: row.born}`) rather than set with
//!   `+=`, which not every engine accepts; an absent value is left out of its row, and a
//!   property read from a missing key is null, which every engine leaves unset.
//! - Strings are single-quoted through [`crate::export::escape::cypher_string`]; labels, types and keys go
//!   through [`crate::export::escape::cypher_name`]. No value can end its literal.

use std::io::{self, Write};

use crate::export::escape::{cypher_name, cypher_name_is_exact, cypher_string};
use crate::export::{Column, Warnings, attribute_columns, by_kind, by_type};
use crate::graph::KnowledgeGraph;
use crate::model::store::AttrId;
use crate::model::value::ValueRef;
use crate::view::Subgraph;

/// Rows per `UNWIND` statement: big statements are parsed in one piece and get slow.
pub const BATCH: usize = 1000;

const NODE_RESERVED: &[&str] = &crate::graph::ENTITY_PROPERTIES;
const EDGE_RESERVED: &[&str] = &crate::graph::RELATION_PROPERTIES;

/// Returns a value as a Cypher literal.
#[must_use]
pub fn literal(value: &ValueRef<'_>) -> String {
    match value {
        ValueRef::Str(text) => cypher_string(text),
        ValueRef::Int(value) => value.to_string(),
        // `{:?}` always writes a decimal point or exponent, so the value stays a float.
        ValueRef::Float(value) => format!("{value:?}"),
        ValueRef::Bool(value) => value.to_string(),
        ValueRef::Date(date) => cypher_string(&date.to_string()),
        ValueRef::List(list) => {
            let items: Vec<String> = list.items().map(|item| literal(&item)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn check_name(name: &str, what: &str, warnings: &mut Warnings) {
    if !cypher_name_is_exact(name) {
        warnings.push(format!(
            "Cypher: {what} `{name}` has a backslash or control character; written with `_`"
        ));
    }
    if name.contains('`') {
        warnings.push(format!(
            "Cypher: {what} `{name}` has a backtick, written doubled as openCypher reads it \
             (Neo4j, Memgraph); FalkorDB cannot load the statements that use it"
        ));
    }
}

/// Returns whether a string value is written with `\uXXXX` escapes, which FalkorDB keeps as
/// text.
fn has_unicode_escape(value: &ValueRef<'_>) -> bool {
    match value {
        ValueRef::Str(text) => text_has_unicode_escape(text),
        ValueRef::List(list) => list.items().any(|item| has_unicode_escape(&item)),
        _ => false,
    }
}

fn text_has_unicode_escape(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Writes `view` as an openCypher script.
///
/// # Errors
/// I/O errors from `out`.
pub fn write(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (node_columns, edge_columns) =
        attribute_columns(kg, (NODE_RESERVED, EDGE_RESERVED), "Cypher", warnings);
    for column in node_columns.iter().chain(&edge_columns) {
        check_name(&column.name, "column", warnings);
    }
    let mut rows_with_escapes = 0usize;
    writeln!(
        out,
        "// ties {} export: {}, {} entities, {} relations (openCypher, CREATE mode: run it on an empty graph)",
        env!("CARGO_PKG_VERSION"),
        view.title.replace(['\n', '\r'], " "),
        view.nodes.len(),
        view.edges.len()
    )?;
    writeln!(
        out,
        "// Neo4j: cypher-shell -f graph.cypher · Memgraph: mgconsole < graph.cypher · FalkorDB: one GRAPH.QUERY per statement"
    )?;
    writeln!(
        out,
        "// On large graphs index :Entity(id) first. Neo4j 5: CREATE CONSTRAINT ties_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"
    )?;
    writeln!(
        out,
        "// Memgraph: CREATE INDEX ON :Entity(id); · FalkorDB: CREATE INDEX FOR (n:Entity) ON (n.id)"
    )?;
    // Nodes by kind, in kind order; rows in entity order.
    for (kind, nodes) in by_kind(kg, view) {
        let kind_name = kg.catalog.kind_name(kind);
        check_name(kind_name, "kind", warnings);
        for batch in nodes.chunks(BATCH) {
            let mut used: Vec<AttrId> = Vec::new();
            writeln!(out)?;
            writeln!(out, "UNWIND [")?;
            for (i, &node) in batch.iter().enumerate() {
                let mut fields = vec![
                    format!("id: {}", cypher_string(kg.id(node))),
                    format!("name: {}", cypher_string(kg.name(node))),
                ];
                let escapes = attribute_fields(
                    kg.catalog.entity_cells(kg.entity(node)),
                    &node_columns,
                    &mut fields,
                    &mut used,
                );
                if escapes
                    || text_has_unicode_escape(kg.id(node))
                    || text_has_unicode_escape(kg.name(node))
                {
                    rows_with_escapes += 1;
                }
                let comma = if i + 1 < batch.len() { "," } else { "" };
                writeln!(out, "  {{{}}}{comma}", fields.join(", "))?;
            }
            used.sort_unstable();
            writeln!(
                out,
                "] AS row\nCREATE (n:Entity:{} {{id: row.id, name: row.name{}}});",
                cypher_name(kind_name),
                property_list(&node_columns, &used)
            )?;
        }
    }
    // Relationships by type, in type order; rows in relation order.
    for (rel_type, edges) in by_type(kg, view) {
        let type_name = kg.catalog.rel_type_name(rel_type);
        check_name(type_name, "relation type", warnings);
        for batch in edges.chunks(BATCH) {
            let mut used: Vec<AttrId> = Vec::new();
            let (mut has_start, mut has_end, mut has_weight) = (false, false, false);
            writeln!(out)?;
            writeln!(out, "UNWIND [")?;
            for (i, &edge) in batch.iter().enumerate() {
                let relation = kg.relation(edge);
                let (from, to) = kg.endpoints(edge);
                let mut fields = vec![
                    format!("from: {}", cypher_string(kg.id(from))),
                    format!("to: {}", cypher_string(kg.id(to))),
                    format!("rid: '{}'", KnowledgeGraph::relation_id(edge)),
                ];
                if let Some(start) = relation.start {
                    fields.push(format!(
                        "start: {}, start_from: '{}'",
                        cypher_string(&start.to_string()),
                        start.first_day()
                    ));
                    has_start = true;
                }
                if let Some(end) = relation.end {
                    fields.push(format!(
                        "end: {}, end_to: '{}'",
                        cypher_string(&end.to_string()),
                        end.last_day()
                    ));
                    has_end = true;
                }
                if let Some(weight) = relation.weight() {
                    fields.push(format!("weight: {weight:?}"));
                    has_weight = true;
                }
                if attribute_fields(
                    kg.catalog.relation_cells(relation),
                    &edge_columns,
                    &mut fields,
                    &mut used,
                ) {
                    rows_with_escapes += 1;
                }
                let comma = if i + 1 < batch.len() { "," } else { "" };
                writeln!(out, "  {{{}}}{comma}", fields.join(", "))?;
            }
            used.sort_unstable();
            let mut properties = String::from("rid: row.rid");
            if has_start {
                properties.push_str(", start: row.start, start_from: row.start_from");
            }
            if has_end {
                properties.push_str(", end: row.end, end_to: row.end_to");
            }
            if has_weight {
                properties.push_str(", weight: row.weight");
            }
            properties.push_str(&property_list(&edge_columns, &used));
            writeln!(
                out,
                "] AS row\nMATCH (a:Entity {{id: row.from}}), (b:Entity {{id: row.to}})\nCREATE (a)-[:{} {{{properties}}}]->(b);",
                cypher_name(type_name)
            )?;
        }
    }
    if rows_with_escapes > 0 {
        warnings.push(format!(
            "Cypher: {rows_with_escapes} row(s) hold control characters, written as \\uXXXX escapes that \
             Neo4j and Memgraph read; FalkorDB keeps them as text"
        ));
    }
    Ok(())
}

/// Appends `key: literal` for each attribute of a row and records which columns appear.
/// Adds the attribute fields of one row; returns whether a value needed `\uXXXX` escapes.
fn attribute_fields<'a>(
    cells: impl Iterator<Item = (AttrId, ValueRef<'a>)>,
    columns: &[Column],
    fields: &mut Vec<String>,
    used: &mut Vec<AttrId>,
) -> bool {
    let mut escapes = false;
    for (attr, value) in cells {
        escapes |= has_unicode_escape(&value);
        fields.push(format!(
            "{}: {}",
            cypher_name(&columns[usize::from(attr)].name),
            literal(&value)
        ));
        if !used.contains(&attr) {
            used.push(attr);
        }
    }
    escapes
}

fn property_list(columns: &[Column], used: &[AttrId]) -> String {
    let mut list = String::new();
    for &attr in used {
        let name = cypher_name(&columns[usize::from(attr)].name);
        list.push_str(", ");
        list.push_str(&name);
        list.push_str(": row.");
        list.push_str(&name);
    }
    list
}
