//! An openCypher script that creates the view in Neo4j, Memgraph or FalkorDB.
//!
//! The engines read names and strings differently ([`CypherDialect`]), so the script is
//! written for one (`--dialect`, Neo4j by default, whose script FalkorDB also runs unless
//! a name holds a backslash, a backtick or a control character, or a string a control
//! character; the export warns when the data holds them).
//!
//! - First the index on `:Entity(id)` in the dialect's syntax, so that each batch of
//!   relationships finds its ends by index rather than by scanning every entity: OpenFlights
//!   (14,000 entities, 99,000 relations) loads into FalkorDB in seconds rather than hours.
//! - One `UNWIND [...] AS row CREATE ...` statement (for FalkorDB `CYPHER rows=[...] UNWIND
//!   $rows AS row CREATE ...`, the rows as a query parameter, which it reads fifty times
//!   faster than a literal list) per kind (nodes) or relation type
//!   (relationships) and batch of [`BATCH`] rows, because labels and types cannot be
//!   parameters in portable Cypher.
//! - Every node gets the labels `Entity` and its kind, and the properties `id`, `name` and its
//!   attributes; every relationship the property `rid` (`e<N>`), `start`/`end` as written,
//!   `start_from`/`end_to` (the widened bounds as `YYYY-MM-DD` text, which sorts and compares
//!   like a date in every engine), `weight` and its attributes.
//! - Rows are lists (`[id, name, born]`) and properties are listed explicitly
//!   (`{id: row[0], name: row[1], born: row[2]}`) rather than set with `+=`, which not every
//!   engine accepts: FalkorDB matches the ends of a relationship from a list of lists twice as
//!   fast as from a list of maps. An absent value is `null` in its row, which every engine
//!   leaves unset.
//! - Strings are single-quoted through [`crate::export::escape::cypher_string_for`]; labels,
//!   types and keys go through [`crate::export::escape::cypher_name`]. No value can end its
//!   literal, and every name is read back byte for byte (a backtick in FalkorDB excepted).

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use crate::export::escape::CypherDialect;
use crate::export::escape::{cypher_name, cypher_name_is_exact, cypher_string_for};
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
fn literal_into(out: &mut Chunk, value: &ValueRef<'_>, dialect: CypherDialect) -> bool {
    match value {
        ValueRef::Str(text) => return cypher_string_for(out.vec(), text, dialect),
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
                escapes |= literal_into(out, &item, dialect);
            }
            out.raw("]");
            return escapes;
        }
    }
    false
}

fn check_name(name: &str, what: &str, dialect: CypherDialect, warnings: &mut Warnings) {
    if !cypher_name_is_exact(name, dialect) {
        warnings.push(format!(
            "Cypher: {what} `{name}` has a backtick, which FalkorDB cannot read in a name; written with `_`"
        ));
    } else if dialect == CypherDialect::Neo4j
        && (name.contains('`') || name.chars().any(|c| c == '\\' || c.is_control()))
    {
        warnings.push(format!(
            "Cypher: {what} `{name}` has a backtick, backslash or control character, written as \
             Neo4j reads it; for FalkorDB export with --dialect falkordb"
        ));
    }
}

/// The statement that indexes `:Entity(id)`, in `dialect`'s syntax.
#[must_use]
pub fn id_index(dialect: CypherDialect) -> &'static str {
    match dialect {
        CypherDialect::Neo4j | CypherDialect::FalkorDb => "CREATE INDEX FOR (n:Entity) ON (n.id);",
        CypherDialect::Memgraph => "CREATE INDEX ON :Entity(id);",
    }
}

/// Statements formatted by one task: a few thousand rows.
const STATEMENTS_PER_TASK: usize = 4;

/// Writes `view` as an openCypher script for Neo4j (which FalkorDB also runs, see the module
/// documentation).
///
/// # Errors
/// I/O errors from `out`.
pub fn write(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    write_for(kg, view, CypherDialect::default(), out, warnings)
}

/// Writes `view` as an openCypher script for `dialect`.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_for(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    dialect: CypherDialect,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (node_columns, edge_columns) =
        attribute_columns(kg, view, (NODE_RESERVED, EDGE_RESERVED), "Cypher", warnings);
    for column in node_columns.iter().chain(&edge_columns) {
        check_name(&column.name, "column", dialect, warnings);
    }
    let name = |text: &str| cypher_name(text, dialect);
    let node_names: Vec<String> = node_columns.iter().map(|c| name(&c.name)).collect();
    let edge_names: Vec<String> = edge_columns.iter().map(|c| name(&c.name)).collect();
    let rows_with_escapes = AtomicUsize::new(0);
    let ids = EscapedIds::new(kg, |_, id, bytes| cypher_string_for(bytes, id, dialect));
    let mut out = Sink::new(out);
    out.display(format_args!(
        "// ties {} export: {}, {} entities, {} relations (openCypher, CREATE mode: run it on an empty graph)\n",
        env!("CARGO_PKG_VERSION"),
        view.title.replace(['\n', '\r'], " "),
        view.nodes.len(),
        view.edges.len()
    ));
    out.display(format_args!(
        "// Written for {} (--dialect). Neo4j: cypher-shell -f graph.cypher · Memgraph: mgconsole < graph.cypher · FalkorDB: one GRAPH.QUERY per statement\n",
        dialect.name()
    ));
    out.raw("// The index first, so that each batch of relationships finds its ends by id.\n");
    out.raw(id_index(dialect));
    out.raw("\n");
    // Nodes by kind, in kind order; rows in entity order; statements of BATCH rows.
    let kinds = by_kind(kg, view);
    let mut node_statements = Vec::new();
    for (kind, nodes) in &kinds {
        let kind_name = kg.catalog.kind_name(*kind);
        check_name(kind_name, "kind", dialect, warnings);
        let label = name(kind_name);
        node_statements.extend(nodes.chunks(BATCH).map(|batch| (label.clone(), batch)));
    }
    out.each_by(
        STATEMENTS_PER_TASK,
        &node_statements,
        |out, (label, batch)| {
            // Rows are lists, in the order `id, name`, then the columns this batch fills: FalkorDB
            // evaluates a literal list of maps several times slower than one of lists.
            let mut used: Vec<AttrId> = Vec::new();
            for &node in *batch {
                for (attr, _) in crate::export::entity_cells(kg, view, node) {
                    if !used.contains(&attr) {
                        used.push(attr);
                    }
                }
            }
            used.sort_unstable();
            open_rows(out, dialect);
            for (i, &node) in batch.iter().enumerate() {
                row_separator(out, i);
                out.raw("[");
                out.bytes(ids.get(node));
                let mut escapes = ids.flag(node);
                out.raw(", ");
                escapes |= cypher_string_for(out.vec(), kg.name(node), dialect);
                escapes |= attribute_values(
                    out,
                    crate::export::entity_cells(kg, view, node),
                    &used,
                    dialect,
                );
                if escapes {
                    rows_with_escapes.fetch_add(1, Ordering::Relaxed);
                }
                out.raw("]");
            }
            close_rows(out, dialect);
            out.raw("CREATE (n:Entity:");
            out.raw(label);
            out.raw(" {id: row[0], name: row[1]");
            property_list(
                out,
                used.iter()
                    .map(|&attr| node_names[usize::from(attr)].as_str()),
                2,
            );
            out.raw("});\n");
        },
    )?;
    // Relationships by type, in type order; rows in relation order.
    let types = by_type(kg, view);
    let mut edge_statements = Vec::new();
    for (rel_type, edges) in &types {
        let type_name = kg.catalog.rel_type_name(*rel_type);
        check_name(type_name, "relation type", dialect, warnings);
        let label = name(type_name);
        edge_statements.extend(edges.chunks(BATCH).map(|batch| (label.clone(), batch)));
    }
    out.each_by(
        STATEMENTS_PER_TASK,
        &edge_statements,
        |out, (label, batch)| {
            // Rows are lists: `from, to, rid`, then the dates and weight this batch has, then
            // the columns it fills.
            let mut used: Vec<AttrId> = Vec::new();
            let mut has = [false; 5]; // start, start_from, end, end_to, weight
            for &edge in *batch {
                let relation = kg.relation(edge);
                let span = kg.catalog.timings.span(relation);
                has[0] |= relation.start.is_some();
                has[1] |= span.first.is_some();
                has[2] |= relation.end.is_some();
                has[3] |= span.last.is_some();
                has[4] |= relation.weight().is_some();
                for (attr, _) in kg.catalog.relation_cells(relation) {
                    if !used.contains(&attr) {
                        used.push(attr);
                    }
                }
            }
            used.sort_unstable();
            open_rows(out, dialect);
            for (i, &edge) in batch.iter().enumerate() {
                let relation = kg.relation(edge);
                let (from, to) = kg.endpoints(edge);
                row_separator(out, i);
                out.raw("[");
                out.bytes(ids.get(from));
                out.raw(", ");
                out.bytes(ids.get(to));
                let mut escapes = ids.flag(from) | ids.flag(to);
                out.raw(", 'e");
                out.int(edge.index());
                out.raw("'");
                let span = kg.catalog.timings.span(relation);
                let dates = [
                    relation.start.map(|d| d.to_string()),
                    span.first.map(|d| d.to_string()),
                    relation.end.map(|d| d.to_string()),
                    span.last.map(|d| d.to_string()),
                ];
                for (date, wanted) in dates.iter().zip(has) {
                    if !wanted {
                        continue;
                    }
                    match date {
                        Some(date) => {
                            out.raw(", '");
                            out.raw(date);
                            out.raw("'");
                        }
                        None => out.raw(", null"),
                    }
                }
                if has[4] {
                    match relation.weight() {
                        Some(weight) => out.display(format_args!(", {weight:?}")),
                        None => out.raw(", null"),
                    }
                }
                escapes |=
                    attribute_values(out, kg.catalog.relation_cells(relation), &used, dialect);
                if escapes {
                    rows_with_escapes.fetch_add(1, Ordering::Relaxed);
                }
                out.raw("]");
            }
            close_rows(out, dialect);
            out.raw("MATCH (a:Entity {id: row[0]}), (b:Entity {id: row[1]})\nCREATE (a)-[:");
            out.raw(label);
            out.raw(" {rid: row[2]");
            let fields = ["start", "start_from", "end", "end_to", "weight"]
                .into_iter()
                .zip(has)
                .filter_map(|(field, has)| has.then_some(field));
            let names = fields.chain(
                used.iter()
                    .map(|&attr| edge_names[usize::from(attr)].as_str()),
            );
            property_list(out, names, 3);
            out.raw("}]->(b);\n");
        },
    )?;
    out.finish()?;
    let rows_with_escapes = rows_with_escapes.into_inner();
    if rows_with_escapes > 0 {
        warnings.push(format!(
            "Cypher: {rows_with_escapes} row(s) hold control characters, written as \\uXXXX escapes that \
             Neo4j and Memgraph read; FalkorDB keeps them as text, so export with --dialect falkordb for it"
        ));
    }
    Ok(())
}

/// Rows per line of a statement: FalkorDB reads a statement's newlines slowly, so each line
/// holds several rows.
const ROWS_PER_LINE: usize = 16;

/// Opens a statement's list of rows: a literal list to `UNWIND`, or for FalkorDB the query
/// parameter `rows` given in the statement itself (`CYPHER rows=[...]`), which it reads
/// some fifty times faster than a literal list.
fn open_rows(out: &mut Chunk, dialect: CypherDialect) {
    out.raw(match dialect {
        CypherDialect::FalkorDb => "\nCYPHER rows=[\n",
        CypherDialect::Neo4j | CypherDialect::Memgraph => "\nUNWIND [\n",
    });
}

fn row_separator(out: &mut Chunk, row: usize) {
    if row > 0 {
        out.raw(if row.is_multiple_of(ROWS_PER_LINE) {
            ",\n"
        } else {
            ", "
        });
    }
}

/// Closes the list of rows and names each `row`.
fn close_rows(out: &mut Chunk, dialect: CypherDialect) {
    out.raw(match dialect {
        CypherDialect::FalkorDb => "\n] UNWIND $rows AS row\n",
        CypherDialect::Neo4j | CypherDialect::Memgraph => "\n] AS row\n",
    });
}

/// Appends `, literal` for each column of `used` (`null` where the row has no value); returns
/// whether a value needed `\uXXXX` escapes.
fn attribute_values<'a>(
    out: &mut Chunk,
    cells: impl Iterator<Item = (AttrId, ValueRef<'a>)>,
    used: &[AttrId],
    dialect: CypherDialect,
) -> bool {
    let cells: Vec<(AttrId, ValueRef<'a>)> = cells.collect();
    let mut escapes = false;
    for attr in used {
        out.raw(", ");
        match cells.iter().find(|(a, _)| a == attr) {
            Some((_, value)) => escapes |= literal_into(out, value, dialect),
            None => out.raw("null"),
        }
    }
    escapes
}

/// Appends `, name: row[i]` for each name, `i` counting from `first`.
fn property_list<'n>(out: &mut Chunk, names: impl Iterator<Item = &'n str>, first: usize) {
    for (i, name) in names.enumerate() {
        out.raw(", ");
        out.raw(name);
        out.raw(": row[");
        out.int(first + i);
        out.raw("]");
    }
}
