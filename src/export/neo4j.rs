//! A folder of neo4j-admin import CSVs and an `import.sh` with the exact command.
//!
//! # Files
//! - `nodes_<kind>.csv`: `id:ID(Entity),:LABEL,name,<attr>[:<type>]...`; `:LABEL` is
//!   `Entity;<kind>`, one ID space `Entity` for all kinds.
//! - `relationships_<type>.csv`: `:START_ID(Entity),:END_ID(Entity),:TYPE,rid,start,end,
//!   start_from:date,end_to:date,weight:double,<attr>[:<type>]...`; `start`/`end` are the
//!   partial dates as written, `start_from`/`end_to` the widened bounds (`1992-08` →
//!   1992-08-01 … 1992-08-31), because a `:date` column would silently turn `1992-08` into
//!   1992-08-01.
//! - Types: int → `long`, float → `double`, bool → `boolean`, date → the text as `string`
//!   plus `<name>_from:date` and `<name>_to:date`, arrays → `[]` with `;` between items.
//! - `import.sh`: `neo4j-admin database import full neo4j --overwrite-destination ...`
//!   (Neo4j 5 and 2025.x; 4.x used `neo4j-admin import --database=neo4j`).
//!
//! File names keep letters, digits, `-` and `_` of the kind or type; anything else becomes `_`.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::export::{Column, Warnings, atomic, attribute_columns, by_kind, by_type, write_atomic};
use crate::graph::KnowledgeGraph;
use crate::model::store::AttrId;
use crate::model::value::{ColumnType, ScalarType, ValueRef};
use crate::view::Subgraph;

const NODE_RESERVED: &[&str] = &crate::graph::ENTITY_PROPERTIES;
const EDGE_RESERVED: &[&str] = &crate::graph::RELATION_PROPERTIES;

fn neo4j_scalar(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String | ScalarType::Date => "string",
        ScalarType::Int => "long",
        ScalarType::Float => "double",
        ScalarType::Bool => "boolean",
    }
}

/// Returns the header cells for one attribute column.
fn header_cells(column: &Column) -> Vec<String> {
    let ColumnType { scalar, is_list } = column.column_type;
    if is_list {
        return vec![format!("{}:{}[]", column.name, neo4j_scalar(scalar))];
    }
    match scalar {
        ScalarType::String => vec![column.name.clone()],
        ScalarType::Date => vec![
            format!("{}:string", column.name),
            format!("{}_from:date", column.name),
            format!("{}_to:date", column.name),
        ],
        ScalarType::Int | ScalarType::Float | ScalarType::Bool => {
            vec![format!("{}:{}", column.name, neo4j_scalar(scalar))]
        }
    }
}

/// Returns the cells for one attribute value (or empty cells when absent).
fn value_cells(column: &Column, value: Option<&ValueRef<'_>>) -> Vec<String> {
    let width = header_cells(column).len();
    let Some(value) = value else {
        return vec![String::new(); width];
    };
    match value {
        ValueRef::Date(date) => vec![
            date.to_string(),
            date.first_day().to_string(),
            date.last_day().to_string(),
        ],
        other => vec![other.to_string()],
    }
}

/// The most characters of a kind or type that go into a file name: file systems refuse names
/// past 255 bytes, and the full name is in the file's `:LABEL` or `:TYPE` cells anyway.
const STEM_CHARS: usize = 80;

fn file_stem(name: &str) -> String {
    name.chars()
        .take(STEM_CHARS)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Returns `name` with the array delimiter replaced, for `:LABEL` and `:TYPE` cells.
fn label(name: &str, warnings: &mut Warnings) -> String {
    if name.contains(';') {
        warnings.push(format!(
            "neo4j: `{name}` contains `;`, the array delimiter; written with `_`"
        ));
    }
    name.replace(';', "_")
}

/// Writes the folder at `path`, replacing an existing one only once the new one is complete.
///
/// # Errors
/// I/O errors from writing files or renaming the folder.
pub fn write_folder(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    path: &Path,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let staging = atomic::temp_folder(atomic::parent_of(path))?;
    write_files(kg, view, staging.path(), warnings)?;
    atomic::replace_folder(&staging.keep()?, path)
}

fn write_files(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    dir: &Path,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (node_columns, edge_columns) =
        attribute_columns(kg, (NODE_RESERVED, EDGE_RESERVED), "neo4j", warnings);
    let mut node_files = Vec::new();
    let mut relationship_files = Vec::new();
    let mut multiline = false;
    // Compared without case: `People` and `people` are one file on macOS and Windows.
    let mut taken: Vec<String> = Vec::new();
    let mut unique = |stem: String| {
        let mut candidate = stem.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_ascii_lowercase()) {
            candidate = format!("{stem}_{n}");
            n += 1;
        }
        taken.push(candidate.to_ascii_lowercase());
        candidate
    };

    for (kind, nodes) in by_kind(kg, view) {
        let kind_name = kg.catalog.kind_name(kind);
        let file = format!("{}.csv", unique(format!("nodes_{}", file_stem(kind_name))));
        let used = used_columns(nodes.iter().map(|&n| {
            kg.catalog
                .entity_cells(kg.entity(n))
                .map(|(a, _)| a)
                .collect()
        }));
        let labels = format!("Entity;{}", label(kind_name, warnings));
        write_atomic(&dir.join(&file), |out| {
            let mut csv = csv::Writer::from_writer(out);
            let mut header = vec![
                "id:ID(Entity)".to_owned(),
                ":LABEL".to_owned(),
                "name".to_owned(),
            ];
            for &attr in &used {
                header.extend(header_cells(&node_columns[usize::from(attr)]));
            }
            csv.write_record(&header)?;
            for &node in &nodes {
                let values: Vec<(AttrId, ValueRef<'_>)> =
                    kg.catalog.entity_cells(kg.entity(node)).collect();
                let mut row = vec![
                    kg.id(node).to_owned(),
                    labels.clone(),
                    kg.name(node).to_owned(),
                ];
                for &attr in &used {
                    let value = values.iter().find(|(a, _)| *a == attr).map(|(_, v)| v);
                    row.extend(value_cells(&node_columns[usize::from(attr)], value));
                }
                multiline |= row.iter().any(|cell| cell.contains(['\n', '\r']));
                csv.write_record(&row)?;
            }
            csv.flush()
        })?;
        node_files.push(file);
    }

    for (rel_type, edges) in by_type(kg, view) {
        let type_name = kg.catalog.rel_type_name(rel_type);
        let file = format!(
            "{}.csv",
            unique(format!("relationships_{}", file_stem(type_name)))
        );
        let used = used_columns(edges.iter().map(|&e| {
            kg.catalog
                .relation_cells(kg.relation(e))
                .map(|(a, _)| a)
                .collect()
        }));
        let type_cell = label(type_name, warnings);
        write_atomic(&dir.join(&file), |out| {
            let mut csv = csv::Writer::from_writer(out);
            let mut header: Vec<String> = [
                ":START_ID(Entity)",
                ":END_ID(Entity)",
                ":TYPE",
                "rid",
                "start",
                "end",
                "start_from:date",
                "end_to:date",
                "weight:double",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
            for &attr in &used {
                header.extend(header_cells(&edge_columns[usize::from(attr)]));
            }
            csv.write_record(&header)?;
            for &edge in &edges {
                let relation = kg.relation(edge);
                let (from, to) = kg.endpoints(edge);
                let text = |d: Option<String>| d.unwrap_or_default();
                let mut row = vec![
                    kg.id(from).to_owned(),
                    kg.id(to).to_owned(),
                    type_cell.clone(),
                    KnowledgeGraph::relation_id(edge).to_string(),
                    text(relation.start.map(|d| d.to_string())),
                    text(relation.end.map(|d| d.to_string())),
                    text(relation.start.map(|d| d.first_day().to_string())),
                    text(relation.end.map(|d| d.last_day().to_string())),
                    text(relation.weight().map(|w| w.to_string())),
                ];
                let values: Vec<(AttrId, ValueRef<'_>)> =
                    kg.catalog.relation_cells(relation).collect();
                for &attr in &used {
                    let value = values.iter().find(|(a, _)| *a == attr).map(|(_, v)| v);
                    row.extend(value_cells(&edge_columns[usize::from(attr)], value));
                }
                multiline |= row.iter().any(|cell| cell.contains(['\n', '\r']));
                csv.write_record(&row)?;
            }
            csv.flush()
        })?;
        relationship_files.push(file);
    }
    write_atomic(&dir.join("import.sh"), |out| {
        import_script(out, &node_files, &relationship_files, multiline)
    })?;
    set_executable(&dir.join("import.sh"))
}

fn used_columns(rows: impl Iterator<Item = Vec<AttrId>>) -> Vec<AttrId> {
    let mut used: Vec<AttrId> = rows.flatten().collect();
    used.sort_unstable();
    used.dedup();
    used
}

fn import_script(
    out: &mut dyn Write,
    nodes: &[String],
    relationships: &[String],
    multiline: bool,
) -> io::Result<()> {
    writeln!(out, "#!/bin/sh")?;
    writeln!(
        out,
        "# Written by ties: imports these CSV files into the database `neo4j` of a stopped Neo4j 5.x or"
    )?;
    writeln!(
        out,
        "# 2025.x, replacing what it holds. Set NEO4J_HOME to the Neo4j folder (default /var/lib/neo4j)."
    )?;
    writeln!(
        out,
        "# Neo4j 4.x: bin/neo4j-admin import --database=neo4j --nodes=... --relationships=..."
    )?;
    writeln!(out, "set -eu")?;
    writeln!(out, "here=$(cd \"$(dirname \"$0\")\" && pwd)")?;
    writeln!(out, "NEO4J_HOME=${{NEO4J_HOME:-/var/lib/neo4j}}")?;
    writeln!(
        out,
        "\"$NEO4J_HOME/bin/neo4j-admin\" database import full neo4j \\"
    )?;
    writeln!(out, "  --overwrite-destination \\")?;
    for file in nodes {
        writeln!(out, "  --nodes=\"$here/{file}\" \\")?;
    }
    for file in relationships {
        writeln!(out, "  --relationships=\"$here/{file}\" \\")?;
    }
    if multiline {
        writeln!(out, "  --multiline-fields=true \\")?;
    }
    writeln!(out, "  --array-delimiter=\";\"")
}

#[cfg(unix)]
fn set_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> io::Result<()> {
    Ok(())
}
