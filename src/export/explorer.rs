//! The explorer's data: the graph of a view as one JSON document that the page's scripts
//! (`explorer/rules.js` and `explorer/app.js`) read, embedded in `index.html` so the page
//! works offline.
//!
//! The document is columnar, so that a page of 500,000 relations stays a few tens of
//! megabytes and parses in a fraction of a second:
//!
//! - `kinds`, `types`: `[{name, label, color, shape}]`, `[{name, label, color, line}]`;
//! - `files`: the source files, as paths inside the data folder (never the machine's own);
//! - `nodes`: arrays `id`, `name`, `kind` (index into `kinds`), `x`, `y`, `r` (the layout's
//!   position and radius, in points, y growing upwards), `attributes` (one array per column,
//!   typed, `null` where a row has no value) and `metrics` (one array per computed metric);
//! - `edges`: arrays `id` (the relation's input position: its id is `e<id>`), `s`, `t`
//!   (indexes into the node arrays), `type`, `start`, `end` (partial dates as written, or
//!   `null`), `first`, `last` (the first and last day it is in force, as days since
//!   1970-01-01, `null` for an open side: what `--as-of` and `--between` compare), `weight`,
//!   `file` (index into `files`), `line`, and `attributes` by column;
//! - `groups`: the layout's groups, largest first, `{kind, x, y, r, members}`, where `kind` is
//!   `community`, `small` (small communities pooled) or `unconnected`.
//!
//! The JSON goes inside `<script type="application/json">`; [`write_json`] escapes what could
//! end that element or confuse a JavaScript parser.

use std::collections::HashMap;
use std::io::{self, Write};

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;
use serde_json::{Value, json};

use crate::graph::KnowledgeGraph;
use crate::layout::{GroupKind, Layout};
use crate::model::date::Day;
use crate::model::store::AttrId;
use crate::model::value::ValueRef;
use crate::view::Subgraph;

/// The page's rules (search, time, paths), apart from drawing; also tested under Node.
pub const RULES_JS: &str = include_str!("explorer/rules.js");
/// The page's script: a Canvas 2D drawing, overview, panel, controls, `window.ties`.
pub const APP_JS: &str = include_str!("explorer/app.js");
/// The page's styles.
pub const APP_CSS: &str = include_str!("explorer/app.css");

/// The explorer's graph: a view and its layout, written as JSON by [`write_json`] one column
/// at a time (a document tree of a large view would take many times the memory of its text).
#[derive(Debug)]
pub struct ExplorerGraph<'g> {
    /// The graph the view selects from.
    pub kg: &'g KnowledgeGraph,
    /// What the page shows.
    pub view: Subgraph,
    /// Where each entity of `view` sits, in its order.
    pub layout: Layout,
}

impl ExplorerGraph<'_> {
    fn kinds(&self) -> Vec<Value> {
        let kg = self.kg;
        kg.catalog
            .kinds
            .iter()
            .enumerate()
            .map(|(i, name)| {
                json!({
                    "name": name,
                    "label": kg.style.kind_label(name),
                    "color": kg.style.kind_color(name, i).to_string(),
                    "shape": kg.style.kind_shape(name),
                })
            })
            .collect()
    }

    fn types(&self) -> Vec<Value> {
        let kg = self.kg;
        kg.catalog
            .rel_types
            .iter()
            .map(|name| {
                let style = kg.style.rel_types.get(name);
                json!({
                    "name": name,
                    "label": kg.style.rel_type_label(name),
                    "color": style.and_then(|s| s.color).map(|c| c.to_string()),
                    "line": style.and_then(|s| s.line.clone()),
                })
            })
            .collect()
    }
}

/// JSON arrays written one value at a time into their own buffers.
struct Columns {
    names: Vec<String>,
    buffers: Vec<Vec<u8>>,
}

impl Columns {
    /// Columns named as `names`, each holding `rows` values once filled.
    fn new(names: Vec<String>) -> Self {
        let buffers = names.iter().map(|_| b"[".to_vec()).collect();
        Columns { names, buffers }
    }

    /// Appends one row: `cells` gives (column, value) for some columns, the rest are null.
    fn push_row<'v>(&mut self, row: usize, cells: impl Iterator<Item = (usize, ValueRef<'v>)>) {
        let mut filled = vec![false; self.buffers.len()];
        for (column, value) in cells {
            if filled[column] {
                continue;
            }
            filled[column] = true;
            let buffer = &mut self.buffers[column];
            if row > 0 {
                buffer.push(b',');
            }
            // Serializing a cell into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *buffer, &value);
        }
        for (column, done) in filled.into_iter().enumerate() {
            if !done {
                let buffer = &mut self.buffers[column];
                if row > 0 {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(b"null");
            }
        }
    }

    fn write(self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{")?;
        for (i, (name, mut buffer)) in self.names.iter().zip(self.buffers).enumerate() {
            if i > 0 {
                write!(out, ",")?;
            }
            serde_json::to_writer(&mut *out, name).map_err(io::Error::from)?;
            buffer.push(b']');
            write!(out, ":")?;
            out.write_all(&buffer)?;
        }
        write!(out, "}}")
    }
}

/// The distinct names of attribute definitions, and each definition's column among them.
fn attribute_columns<'a>(names: impl Iterator<Item = &'a str>) -> (Vec<String>, Vec<usize>) {
    let mut columns: Vec<String> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut of_attr = Vec::new();
    for name in names {
        let column = *seen.entry(name).or_insert_with(|| {
            columns.push(name.to_owned());
            columns.len() - 1
        });
        of_attr.push(column);
    }
    (columns, of_attr)
}

/// Writes `values` as one JSON array.
fn array<T: Serialize>(out: &mut dyn Write, values: impl Iterator<Item = T>) -> io::Result<()> {
    write!(out, "[")?;
    for (i, value) in values.enumerate() {
        if i > 0 {
            write!(out, ",")?;
        }
        serde_json::to_writer(&mut *out, &value).map_err(io::Error::from)?;
    }
    write!(out, "]")
}

/// Writes `graph` as the explorer's JSON (see the module documentation), safe inside
/// `<script type="application/json">`: every `<` as `\u003c` (so no `</script>` or `<!--`
/// can end or bend the element), and U+2028 and U+2029 as escapes. Each replaced character
/// sits inside a JSON string, where the escape means the same character.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_json(graph: &ExplorerGraph<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut safe = ScriptSafe(out);
    let out: &mut dyn Write = &mut safe;
    let kg = graph.kg;
    let view = &graph.view;
    let layout = &graph.layout;
    let part = |out: &mut dyn Write, value: &Value| {
        serde_json::to_writer(&mut *out, value).map_err(io::Error::from)
    };
    write!(out, r#"{{"title":"#)?;
    part(out, &json!(view.title))?;
    write!(out, r#","kinds":"#)?;
    part(out, &Value::Array(graph.kinds()))?;
    write!(out, r#","types":"#)?;
    part(out, &Value::Array(graph.types()))?;
    write!(out, r#","files":"#)?;
    array(out, kg.catalog.files.iter().map(|f| f.relative.as_str()))?;

    let nodes = &view.nodes;
    write!(out, r#","nodes":{{"id":"#)?;
    array(out, nodes.iter().map(|&n| kg.id(n)))?;
    write!(out, r#","name":"#)?;
    array(out, nodes.iter().map(|&n| kg.name(n)))?;
    write!(out, r#","kind":"#)?;
    array(out, nodes.iter().map(|&n| kg.entity(n).kind))?;
    write!(out, r#","x":"#)?;
    array(out, layout.points.iter().map(|p| p.0))?;
    write!(out, r#","y":"#)?;
    array(out, layout.points.iter().map(|p| p.1))?;
    write!(out, r#","r":"#)?;
    array(out, layout.radii.iter().map(|r| (r * 10.0).round() / 10.0))?;
    let (names, column_of) =
        attribute_columns(kg.catalog.entity_attrs.iter().map(|d| d.name.as_str()));
    let mut columns = Columns::new(names);
    for (row, &node) in nodes.iter().enumerate() {
        let cells = kg
            .catalog
            .entity_cells(kg.entity(node))
            .map(|(attr, value): (AttrId, ValueRef<'_>)| (column_of[usize::from(attr)], value));
        columns.push_row(row, cells);
    }
    write!(out, r#","attributes":"#)?;
    columns.write(out)?;
    write!(out, r#","metrics":{{"#)?;
    for (i, column) in view.computed.columns.iter().enumerate() {
        if i > 0 {
            write!(out, ",")?;
        }
        serde_json::to_writer(&mut *out, &column.name).map_err(io::Error::from)?;
        write!(out, ":")?;
        array(out, nodes.iter().map(|&n| column.value(n)))?;
    }
    write!(out, "}}}}")?;

    // Relations whose ends are both in the view, in relation order.
    let mut place = vec![u32::MAX; kg.entity_count()];
    for (i, &node) in nodes.iter().enumerate() {
        place[node.index()] = u32::try_from(i).expect("fewer than 4 G entities");
    }
    let ends = |edge: EdgeIndex| {
        let (from, to) = kg.endpoints(edge);
        let at = |n: NodeIndex| place[n.index()];
        (at(from) != u32::MAX && at(to) != u32::MAX).then(|| (at(from), at(to)))
    };
    let edges: Vec<(EdgeIndex, (u32, u32))> = view
        .edges
        .iter()
        .filter_map(|&edge| ends(edge).map(|ends| (edge, ends)))
        .collect();
    write!(out, r#","edges":{{"id":"#)?;
    array(out, edges.iter().map(|(e, _)| e.index()))?;
    write!(out, r#","s":"#)?;
    array(out, edges.iter().map(|(_, (s, _))| s))?;
    write!(out, r#","t":"#)?;
    array(out, edges.iter().map(|(_, (_, t))| t))?;
    write!(out, r#","type":"#)?;
    array(out, edges.iter().map(|(e, _)| kg.relation(*e).rel_type))?;
    write!(out, r#","start":"#)?;
    array(
        out,
        edges
            .iter()
            .map(|(e, _)| kg.relation(*e).start.map(|d| d.to_string())),
    )?;
    write!(out, r#","end":"#)?;
    array(
        out,
        edges
            .iter()
            .map(|(e, _)| kg.relation(*e).end.map(|d| d.to_string())),
    )?;
    let spans: Vec<_> = edges
        .iter()
        .map(|(e, _)| kg.catalog.timings.span(kg.relation(*e)))
        .collect();
    write!(out, r#","first":"#)?;
    array(
        out,
        spans.iter().map(|s| s.first.map(Day::days_since_epoch)),
    )?;
    write!(out, r#","last":"#)?;
    array(out, spans.iter().map(|s| s.last.map(Day::days_since_epoch)))?;
    write!(out, r#","weight":"#)?;
    array(out, edges.iter().map(|(e, _)| kg.relation(*e).weight()))?;
    write!(out, r#","file":"#)?;
    array(
        out,
        edges.iter().map(|(e, _)| kg.relation(*e).origin().file),
    )?;
    write!(out, r#","line":"#)?;
    array(
        out,
        edges.iter().map(|(e, _)| kg.relation(*e).origin().line),
    )?;
    let (names, column_of) =
        attribute_columns(kg.catalog.relation_attrs.iter().map(|d| d.name.as_str()));
    let mut columns = Columns::new(names);
    for (row, (edge, _)) in edges.iter().enumerate() {
        let cells = kg
            .catalog
            .relation_cells(kg.relation(*edge))
            .map(|(attr, value)| (column_of[usize::from(attr)], value));
        columns.push_row(row, cells);
    }
    write!(out, r#","attributes":"#)?;
    columns.write(out)?;
    write!(out, "}}")?;

    write!(out, r#","groups":["#)?;
    for (i, group) in layout.groups.iter().enumerate() {
        if i > 0 {
            write!(out, ",")?;
        }
        let kind = match group.kind {
            GroupKind::Community => "community",
            GroupKind::SmallCommunities => "small",
            GroupKind::Unconnected => "unconnected",
        };
        write!(out, r#"{{"kind":"{kind}","x":"#)?;
        serde_json::to_writer(&mut *out, &group.center.0).map_err(io::Error::from)?;
        write!(out, r#","y":"#)?;
        serde_json::to_writer(&mut *out, &group.center.1).map_err(io::Error::from)?;
        write!(out, r#","r":"#)?;
        serde_json::to_writer(&mut *out, &((group.radius * 10.0).round() / 10.0))
            .map_err(io::Error::from)?;
        write!(out, r#","members":"#)?;
        array(out, group.members.iter())?;
        write!(out, "}}")?;
    }
    write!(out, "]}}")
}

/// A writer that escapes, as [`write_json`] says, the JSON text going through it. `serde_json`
/// writes whole characters, so a multi-byte one never straddles two writes.
struct ScriptSafe<'w>(&'w mut dyn Write);

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        let mut i = 0;
        while i < buf.len() {
            let escape: Option<&[u8]> = match buf[i..] {
                [b'<', ..] => Some(b"\\u003c"),
                [0xe2, 0x80, 0xa8, ..] => Some(b"\\u2028"),
                [0xe2, 0x80, 0xa9, ..] => Some(b"\\u2029"),
                _ => None,
            };
            match escape {
                Some(text) => {
                    self.0.write_all(&buf[start..i])?;
                    self.0.write_all(text)?;
                    i += if buf[i] == b'<' { 1 } else { 3 };
                    start = i;
                }
                None => i += 1,
            }
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_end_its_script_element() {
        let text = serde_json::to_string(&json!({
            "name": "</script><img src=x onerror=alert(1)>\u{2028}<!--"
        }))
        .unwrap();
        let mut safe = Vec::new();
        ScriptSafe(&mut safe).write_all(text.as_bytes()).unwrap();
        let safe = String::from_utf8(safe).unwrap();
        assert!(!safe.contains('<'));
        assert!(!safe.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["name"],
            "</script><img src=x onerror=alert(1)>\u{2028}<!--"
        );
    }

    #[test]
    fn the_document_is_columnar_and_names_files_inside_the_data_folder() {
        let kg = KnowledgeGraph::from_csv(
            &[("people", "id,name,born:int\na,Anna,1970\nb,Bob,\n")],
            &[(
                "knows",
                "from,type,to,start,source\na,knows,b,1990-05,notes\nb,knows,a,,\n",
            )],
            None,
        )
        .unwrap();
        let view = Subgraph::whole(&kg);
        let layout = crate::layout::by_communities(&kg, &view);
        let graph = ExplorerGraph {
            kg: &kg,
            view,
            layout,
        };
        let mut text = Vec::new();
        write_json(&graph, &mut text).unwrap();
        let data: Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(
            data["files"],
            json!(["entities/people.csv", "relations/knows.csv"])
        );
        assert_eq!(data["nodes"]["id"], json!(["a", "b"]));
        assert_eq!(data["nodes"]["attributes"]["born"], json!([1970, null]));
        assert_eq!(data["edges"]["id"], json!([0, 1]));
        assert_eq!(data["edges"]["start"], json!(["1990-05", null]));
        // 1990-05-01 is day 7425 after 1970-01-01; a state with no end is open.
        assert_eq!(data["edges"]["first"], json!([7425, null]));
        assert_eq!(data["edges"]["last"], json!([null, null]));
        assert_eq!(
            data["edges"]["attributes"]["source"],
            json!(["notes", null])
        );
        assert_eq!(data["edges"]["line"], json!([2, 3]));
    }
}
