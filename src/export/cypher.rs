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
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::export::escape::{cypher_name, cypher_name_is_exact, cypher_string_into};
use crate::export::sink::{Chunk, Sink};
use crate::export::{EscapedIds, Warnings, attribute_columns, by_kind, by_type};
use crate::graph::KnowledgeGraph;
use crate::model::store::AttrId;
use crate::model::value::ValueRef;
use crate::view::Subgraph;

/// Rows per `UNWIND` statement: big statements are parsed in one piece and get slow.
pub const BATCH: usize = 1000;

const NODE_RESERVED: &[&str] = &crate::graph::ENTITY_PROPERTIES;
const EDGE_RESERVED: &[&str] = &crate::graph::RELATION_PROPERTIES;

/// Appends a value as a Cypher literal; returns whether a string in it needed `\uXXXX`
/// escapes (which FalkorDB keeps as text).
fn literal_into(out: &mut Chunk, value: &ValueRef<'_>) -> bool {
    match value {
        ValueRef::Str(text) => return cypher_string_into(out.vec(), text),
        ValueRef::Int(value) => out.int(*value),
        // `{:?}` always writes a decimal point or exponent, so the value stays a float.
        ValueRef::Float(value) => out.display(format_args!("{value:?}")),
        ValueRef::Bool(value) => out.raw(if *value { "true" } else { "false" }),
        ValueRef::Date(date) => {
            out.raw("'");
            out.display(date);
            out.raw("'");
        }
        ValueRef::List(list) => {
            let mut escapes = false;
            out.raw("[");
            for (i, item) in list.items().enumerate() {
                if i > 0 {
                    out.raw(", ");
                }
                escapes |= literal_into(out, &item);
            }
            out.raw("]");
            return escapes;
        }
    }
    false
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

/// Statements formatted by one task: a few thousand rows.
const STATEMENTS_PER_TASK: usize = 4;

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
        attribute_columns(kg, view, (NODE_RESERVED, EDGE_RESERVED), "Cypher", warnings);
    for column in node_columns.iter().chain(&edge_columns) {
        check_name(&column.name, "column", warnings);
    }
    let node_names: Vec<String> = node_columns.iter().map(|c| cypher_name(&c.name)).collect();
    let edge_names: Vec<String> = edge_columns.iter().map(|c| cypher_name(&c.name)).collect();
    let rows_with_escapes = AtomicUsize::new(0);
    let ids = EscapedIds::new(kg, |_, id, bytes| cypher_string_into(bytes, id));
    let mut out = Sink::new(out);
    out.display(format_args!(
        "// ties {} export: {}, {} entities, {} relations (openCypher, CREATE mode: run it on an empty graph)\n",
        env!("CARGO_PKG_VERSION"),
        view.title.replace(['\n', '\r'], " "),
        view.nodes.len(),
        view.edges.len()
    ));
    out.raw(
        "// Neo4j: cypher-shell -f graph.cypher · Memgraph: mgconsole < graph.cypher · FalkorDB: one GRAPH.QUERY per statement\n",
    );
    out.raw(
        "// On large graphs index :Entity(id) first. Neo4j 5: CREATE CONSTRAINT ties_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;\n",
    );
    out.raw(
        "// Memgraph: CREATE INDEX ON :Entity(id); · FalkorDB: CREATE INDEX FOR (n:Entity) ON (n.id)\n",
    );
    // Nodes by kind, in kind order; rows in entity order; statements of BATCH rows.
    let kinds = by_kind(kg, view);
    let mut node_statements = Vec::new();
    for (kind, nodes) in &kinds {
        let kind_name = kg.catalog.kind_name(*kind);
        check_name(kind_name, "kind", warnings);
        let label = cypher_name(kind_name);
        node_statements.extend(nodes.chunks(BATCH).map(|batch| (label.clone(), batch)));
    }
    out.each_by(
        STATEMENTS_PER_TASK,
        &node_statements,
        |out, (label, batch)| {
            let mut used: Vec<AttrId> = Vec::new();
            out.raw("\nUNWIND [\n");
            for (i, &node) in batch.iter().enumerate() {
                out.raw("  {id: ");
                out.bytes(ids.get(node));
                let mut escapes = ids.flag(node);
                out.raw(", name: ");
                escapes |= cypher_string_into(out.vec(), kg.name(node));
                escapes |= attribute_fields(
                    out,
                    crate::export::entity_cells(kg, view, node),
                    &node_names,
                    &mut used,
                );
                if escapes {
                    rows_with_escapes.fetch_add(1, Ordering::Relaxed);
                }
                out.raw(if i + 1 < batch.len() { "},\n" } else { "}\n" });
            }
            used.sort_unstable();
            out.raw("] AS row\nCREATE (n:Entity:");
            out.raw(label);
            out.raw(" {id: row.id, name: row.name");
            property_list(out, &node_names, &used);
            out.raw("});\n");
        },
    )?;
    // Relationships by type, in type order; rows in relation order.
    let types = by_type(kg, view);
    let mut edge_statements = Vec::new();
    for (rel_type, edges) in &types {
        let type_name = kg.catalog.rel_type_name(*rel_type);
        check_name(type_name, "relation type", warnings);
        let label = cypher_name(type_name);
        edge_statements.extend(edges.chunks(BATCH).map(|batch| (label.clone(), batch)));
    }
    out.each_by(
        STATEMENTS_PER_TASK,
        &edge_statements,
        |out, (label, batch)| {
            let mut used: Vec<AttrId> = Vec::new();
            let (mut has_start, mut has_end, mut has_weight) = (false, false, false);
            let (mut has_first, mut has_last) = (false, false);
            out.raw("\nUNWIND [\n");
            for (i, &edge) in batch.iter().enumerate() {
                let relation = kg.relation(edge);
                let (from, to) = kg.endpoints(edge);
                out.raw("  {from: ");
                out.bytes(ids.get(from));
                out.raw(", to: ");
                out.bytes(ids.get(to));
                let mut escapes = ids.flag(from) | ids.flag(to);
                out.raw(", rid: 'e");
                out.int(edge.index());
                out.raw("'");
                let span = kg.catalog.timings.span(relation);
                if let Some(start) = relation.start {
                    out.raw(", start: '");
                    out.display(start);
                    out.raw("'");
                    has_start = true;
                }
                if let Some(first) = span.first {
                    out.raw(", start_from: '");
                    out.display(first);
                    out.raw("'");
                    has_first = true;
                }
                if let Some(end) = relation.end {
                    out.raw(", end: '");
                    out.display(end);
                    out.raw("'");
                    has_end = true;
                }
                if let Some(last) = span.last {
                    out.raw(", end_to: '");
                    out.display(last);
                    out.raw("'");
                    has_last = true;
                }
                if let Some(weight) = relation.weight() {
                    out.display(format_args!(", weight: {weight:?}"));
                    has_weight = true;
                }
                escapes |= attribute_fields(
                    out,
                    kg.catalog.relation_cells(relation),
                    &edge_names,
                    &mut used,
                );
                if escapes {
                    rows_with_escapes.fetch_add(1, Ordering::Relaxed);
                }
                out.raw(if i + 1 < batch.len() { "},\n" } else { "}\n" });
            }
            used.sort_unstable();
            out.raw(
                "] AS row\nMATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})\nCREATE (a)-[:",
            );
            out.raw(label);
            out.raw(" {rid: row.rid");
            for (has, field) in [
                (has_start, ", start: row.start"),
                (has_first, ", start_from: row.start_from"),
                (has_end, ", end: row.end"),
                (has_last, ", end_to: row.end_to"),
            ] {
                if has {
                    out.raw(field);
                }
            }
            if has_weight {
                out.raw(", weight: row.weight");
            }
            property_list(out, &edge_names, &used);
            out.raw("}]->(b);\n");
        },
    )?;
    out.finish()?;
    let rows_with_escapes = rows_with_escapes.into_inner();
    if rows_with_escapes > 0 {
        warnings.push(format!(
            "Cypher: {rows_with_escapes} row(s) hold control characters, written as \\uXXXX escapes that \
             Neo4j and Memgraph read; FalkorDB keeps them as text"
        ));
    }
    Ok(())
}

/// Appends `, key: literal` for each attribute of a row and records which columns appear;
/// returns whether a value needed `\uXXXX` escapes.
fn attribute_fields<'a>(
    out: &mut Chunk,
    cells: impl Iterator<Item = (AttrId, ValueRef<'a>)>,
    names: &[String],
    used: &mut Vec<AttrId>,
) -> bool {
    let mut escapes = false;
    for (attr, value) in cells {
        out.raw(", ");
        out.raw(&names[usize::from(attr)]);
        out.raw(": ");
        escapes |= literal_into(out, &value);
        if !used.contains(&attr) {
            used.push(attr);
        }
    }
    escapes
}

/// Appends `, name: row.name` for each column used in a statement.
fn property_list(out: &mut Chunk, names: &[String], used: &[AttrId]) {
    for &attr in used {
        let name = &names[usize::from(attr)];
        out.raw(", ");
        out.raw(name);
        out.raw(": row.");
        out.raw(name);
    }
}
