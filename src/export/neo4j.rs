//! A folder of neo4j-admin import CSVs and an `import.sh` with the exact command.
//!
//! # Files
//! - `nodes_<kind>.csv`: `id:ID(Entity),:LABEL,name,<attr>[:<type>]...`; `:LABEL` is
//!   `Entity` and the kind, between them the array delimiter; one ID space `Entity`.
//! - `relationships_<type>.csv`: `:START_ID(Entity),:END_ID(Entity),:TYPE,rid,start,end,
//!   start_from:date,end_to:date,weight:double,<attr>[:<type>]...`; `start`/`end` are the
//!   partial dates as written, `start_from`/`end_to` the widened bounds (`1992-08` →
//!   1992-08-01 … 1992-08-31), because a `:date` column would silently turn `1992-08` into
//!   1992-08-01.
//! - Types: int → `long`, float → `double`, bool → `boolean`, date → the text as `string`
//!   plus `<name>_from:date` and `<name>_to:date`, arrays → `[]` with the array delimiter
//!   between items.
//! - The array delimiter is `;` (neo4j-admin's default) unless a kind, a relation type or an
//!   array item of the data holds one; then the first of `|`, `^`, `~`, `¦` and the private-use
//!   characters U+E000… that none holds, so every name and item is written whole.
//! - `import.sh`: `neo4j-admin database import full neo4j --overwrite-destination ...
//!   --array-delimiter=...` (Neo4j 5 and 2025.x; 4.x used `neo4j-admin import --database=neo4j`).
//!
//! File names keep letters, digits, `-` and `_` of the kind or type; anything else becomes `_`.

use std::fmt::{Display, Write as _};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use petgraph::graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;

use crate::export::{Column, EscapedIds, Warnings, atomic, attribute_columns, by_kind, by_type};
use crate::graph::KnowledgeGraph;

use crate::model::store::AttrId;
use crate::model::value::{ColumnType, ListRef, ScalarType, ValueRef};
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

/// Writes the cells of one attribute value, or empty cells when it is absent; `scratch` is
/// reused for the text of each cell.
fn write_value_cells(
    csv: &mut csv::Writer<&mut dyn Write>,
    column: &Column,
    value: Option<&ValueRef<'_>>,
    delimiter: char,
    scratch: &mut String,
) -> csv::Result<()> {
    let is_date = !column.column_type.is_list && column.column_type.scalar == ScalarType::Date;
    let mut cell = |csv: &mut csv::Writer<&mut dyn Write>, text: std::fmt::Arguments<'_>| {
        scratch.clear();
        let _ = std::fmt::Write::write_fmt(scratch, text);
        csv.write_field(scratch.as_bytes())
    };
    match value {
        None if is_date => {
            for _ in 0..3 {
                csv.write_field([])?;
            }
            Ok(())
        }
        None => csv.write_field([]),
        Some(ValueRef::Date(date)) => {
            cell(csv, format_args!("{date}"))?;
            cell(csv, format_args!("{}", date.first_day()))?;
            cell(csv, format_args!("{}", date.last_day()))
        }
        Some(ValueRef::Str(text)) => csv.write_field(text.as_bytes()),
        Some(ValueRef::List(list)) => {
            scratch.clear();
            for (i, item) in list.items().enumerate() {
                if i > 0 {
                    scratch.push(delimiter);
                }
                let _ = write!(scratch, "{item}");
            }
            csv.write_field(scratch.as_bytes())
        }
        Some(other) => cell(csv, format_args!("{other}")),
    }
}

/// Whether a cell holds a line break (neo4j-admin then needs `--multiline-fields`).
fn multiline(text: &str) -> bool {
    text.contains(['\n', '\r'])
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

/// Returns the array delimiter: `;` unless a kind, a relation type or an array item of the
/// view holds one, else the first candidate that none holds.
fn array_delimiter(kg: &KnowledgeGraph, view: &Subgraph) -> char {
    const READABLE: [char; 5] = [';', '|', '^', '~', '¦'];
    let names: Vec<&str> = by_kind(kg, view)
        .keys()
        .map(|&kind| kg.catalog.kind_name(kind))
        .chain(
            by_type(kg, view)
                .keys()
                .map(|&rel_type| kg.catalog.rel_type_name(rel_type)),
        )
        .collect();
    // Array items never hold `;`: it separates them in a ties cell.
    if !names.iter().any(|name| name.contains(';')) {
        return ';';
    }
    let mut used: std::collections::HashSet<char> =
        names.iter().flat_map(|name| name.chars()).collect();
    let mut list_chars = |value: ValueRef<'_>| {
        if let ValueRef::List(list) = value {
            used.extend(list.text.chars());
        }
    };
    for &node in &view.nodes {
        kg.catalog
            .entity_cells(kg.entity(node))
            .for_each(|(_, value)| list_chars(value));
    }
    for &edge in &view.edges {
        kg.catalog
            .relation_cells(kg.relation(edge))
            .for_each(|(_, value)| list_chars(value));
    }
    READABLE[1..]
        .iter()
        .copied()
        .chain(('\u{e000}'..='\u{f8ff}').filter(|c| !c.is_control()))
        .find(|c| !used.contains(c))
        .unwrap_or('\u{f8ff}')
}

/// How `import.sh` passes `delimiter` to `--array-delimiter`: printable ASCII as itself,
/// anything else as `U+XXXX`, which neo4j-admin also takes.
fn delimiter_argument(delimiter: char) -> String {
    if delimiter.is_ascii_graphic()
        && delimiter != '"'
        && delimiter != '\\'
        && delimiter != '$'
        && delimiter != '`'
    {
        format!("\"{delimiter}\"")
    } else {
        format!("\"U+{:04X}\"", u32::from(delimiter))
    }
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
    atomic::write_folder_atomic(path, |dir| write_files(kg, view, dir, warnings))
}

fn write_files(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    dir: &Path,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (node_columns, edge_columns) =
        attribute_columns(kg, view, (NODE_RESERVED, EDGE_RESERVED), "neo4j", warnings);
    let delimiter = array_delimiter(kg, view);
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
    // File names and warnings first, in order; then the files, written in parallel.
    let node_jobs: Vec<(String, String, Vec<NodeIndex>)> = by_kind(kg, view)
        .into_iter()
        .map(|(kind, nodes)| {
            let kind_name = kg.catalog.kind_name(kind);
            let file = format!("{}.csv", unique(format!("nodes_{}", file_stem(kind_name))));
            (file, format!("Entity{delimiter}{kind_name}"), nodes)
        })
        .collect();
    let edge_jobs: Vec<(String, String, Vec<EdgeIndex>)> = by_type(kg, view)
        .into_iter()
        .map(|(rel_type, edges)| {
            let type_name = kg.catalog.rel_type_name(rel_type);
            let file = format!(
                "{}.csv",
                unique(format!("relationships_{}", file_stem(type_name)))
            );
            (file, type_name.to_owned(), edges)
        })
        .collect();
    // Ids packed for the random lookups of relation endpoints (see `EscapedIds`).
    let ids = EscapedIds::new(kg, |_, id, bytes| {
        bytes.extend_from_slice(id.as_bytes());
        multiline(id)
    });
    let nodes_multiline = node_jobs
        .par_iter()
        .map(|(file, labels, nodes)| {
            let mut multiline = false;
            atomic::write_in_staged_folder(&dir.join(file), |out| {
                multiline = write_nodes(
                    kg,
                    view,
                    &ids,
                    (&node_columns, delimiter),
                    labels,
                    nodes,
                    out,
                )?;
                Ok(())
            })
            .map(|()| multiline)
        })
        .collect::<io::Result<Vec<bool>>>()?;
    let edges_multiline = edge_jobs
        .par_iter()
        .map(|(file, type_cell, edges)| {
            let mut multiline = false;
            atomic::write_in_staged_folder(&dir.join(file), |out| {
                multiline = write_relationships(
                    kg,
                    &ids,
                    (&edge_columns, delimiter),
                    type_cell,
                    edges,
                    out,
                )?;
                Ok(())
            })
            .map(|()| multiline)
        })
        .collect::<io::Result<Vec<bool>>>()?;
    let multiline = nodes_multiline
        .into_iter()
        .chain(edges_multiline)
        .any(|m| m);
    let node_files: Vec<String> = node_jobs.into_iter().map(|job| job.0).collect();
    let relationship_files: Vec<String> = edge_jobs.into_iter().map(|job| job.0).collect();
    atomic::write_in_staged_folder(&dir.join("import.sh"), |out| {
        import_script(out, &node_files, &relationship_files, multiline, delimiter)
    })?;
    set_executable(&dir.join("import.sh"))
}

/// Returns the attribute columns that at least one of `rows` fills, in column order.
fn used_columns<'a>(
    columns: &[Column],
    rows: impl Iterator<Item = impl Iterator<Item = (AttrId, ValueRef<'a>)>>,
) -> Vec<AttrId> {
    let mut used = vec![false; columns.len()];
    for row in rows {
        for (attr, _) in row {
            used[usize::from(attr)] = true;
        }
    }
    columns
        .iter()
        .filter(|c| used[usize::from(c.attr)])
        .map(|c| c.attr)
        .collect()
}

/// Writes the attribute cells of one row for the `used` columns; returns whether a cell
/// holds a line break.
fn write_attribute_cells<'a>(
    csv: &mut csv::Writer<&mut dyn Write>,
    (columns, delimiter): (&[Column], char),
    used: &[AttrId],
    cells: impl Iterator<Item = (AttrId, ValueRef<'a>)>,
    values: &mut Vec<(AttrId, ValueRef<'a>)>,
    scratch: &mut String,
) -> csv::Result<bool> {
    let mut multiline = false;
    values.clear();
    values.extend(cells);
    for &attr in used {
        let value = values.iter().find(|(a, _)| *a == attr).map(|(_, v)| v);
        if let Some(ValueRef::Str(text) | ValueRef::List(ListRef { text, .. })) = value {
            multiline |= self::multiline(text);
        }
        write_value_cells(csv, &columns[usize::from(attr)], value, delimiter, scratch)?;
    }
    Ok(multiline)
}

/// Writes one node file; returns whether a cell holds a line break.
fn write_nodes(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    ids: &EscapedIds,
    (columns, delimiter): (&[Column], char),
    labels: &str,
    nodes: &[NodeIndex],
    out: &mut dyn Write,
) -> io::Result<bool> {
    let used = used_columns(
        columns,
        nodes
            .iter()
            .map(|&n| crate::export::entity_cells(kg, view, n)),
    );
    let mut csv = csv::Writer::from_writer(out);
    let mut header = vec![
        "id:ID(Entity)".to_owned(),
        ":LABEL".to_owned(),
        "name".to_owned(),
    ];
    for &attr in &used {
        header.extend(header_cells(&columns[usize::from(attr)]));
    }
    csv.write_record(&header)?;
    let mut multiline = false;
    let mut scratch = String::new();
    let mut values = Vec::new();
    for &node in nodes {
        csv.write_field(ids.get(node))?;
        csv.write_field(labels)?;
        csv.write_field(kg.name(node))?;
        multiline |= ids.flag(node) || self::multiline(kg.name(node));
        multiline |= write_attribute_cells(
            &mut csv,
            (columns, delimiter),
            &used,
            crate::export::entity_cells(kg, view, node),
            &mut values,
            &mut scratch,
        )?;
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()?;
    Ok(multiline)
}

/// Writes one relationship file; returns whether a cell holds a line break.
fn write_relationships(
    kg: &KnowledgeGraph,
    ids: &EscapedIds,
    (columns, delimiter): (&[Column], char),
    type_cell: &str,
    edges: &[EdgeIndex],
    out: &mut dyn Write,
) -> io::Result<bool> {
    let used = used_columns(
        columns,
        edges
            .iter()
            .map(|&e| kg.catalog.relation_cells(kg.relation(e))),
    );
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
        header.extend(header_cells(&columns[usize::from(attr)]));
    }
    csv.write_record(&header)?;
    let mut multiline = false;
    let mut scratch = String::new();
    let mut values = Vec::new();
    for &edge in edges {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        csv.write_field(ids.get(from))?;
        csv.write_field(ids.get(to))?;
        csv.write_field(type_cell)?;
        multiline |= ids.flag(from) || ids.flag(to);
        let mut cell = |csv: &mut csv::Writer<&mut dyn Write>, value: Option<&dyn Display>| {
            scratch.clear();
            if let Some(value) = value {
                let _ = write!(scratch, "{value}");
            }
            csv.write_field(scratch.as_bytes())
        };
        let (start, end) = (relation.start, relation.end);
        let span = kg.catalog.timings.span(relation);
        let (first_day, last_day) = (span.first, span.last);
        let weight = relation.weight();
        cell(&mut csv, Some(&KnowledgeGraph::relation_id(edge)))?;
        cell(&mut csv, start.as_ref().map(|d| d as &dyn Display))?;
        cell(&mut csv, end.as_ref().map(|d| d as &dyn Display))?;
        cell(&mut csv, first_day.as_ref().map(|d| d as &dyn Display))?;
        cell(&mut csv, last_day.as_ref().map(|d| d as &dyn Display))?;
        cell(&mut csv, weight.as_ref().map(|w| w as &dyn Display))?;
        multiline |= write_attribute_cells(
            &mut csv,
            (columns, delimiter),
            &used,
            kg.catalog.relation_cells(relation),
            &mut values,
            &mut scratch,
        )?;
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()?;
    Ok(multiline)
}

fn import_script(
    out: &mut dyn Write,
    nodes: &[String],
    relationships: &[String],
    multiline: bool,
    delimiter: char,
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
    writeln!(out, "  --array-delimiter={}", delimiter_argument(delimiter))
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
