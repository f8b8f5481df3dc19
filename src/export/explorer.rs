//! The explorer's data: the graph of a view as one JSON document that the page's script
//! (`explorer/app.js`) reads, embedded in `index.html` so the page works offline.
//!
//! Entities and relations keep the shapes of the CLI's JSON (`ties show`, `ties path`):
//! attributes typed, relations named `e<N>`, partial dates as written plus their first and
//! last day, so the page filters by time exactly as `--as-of` and `--between` do. The JSON
//! goes inside `<script type="application/json">`; [`write_json`] escapes what could end
//! that element or confuse a JavaScript parser.

use std::io::{self, Write};

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Map, Value, json};

use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// The page's script: a Canvas 2D drawing, search, panel, filters, paths, `window.ties`.
pub const APP_JS: &str = include_str!("explorer/app.js");
/// The page's styles.
pub const APP_CSS: &str = include_str!("explorer/app.css");

/// The explorer's graph: a view and one position per entity of it, written as JSON by
/// [`write_json`] one entity and one relation at a time (a document tree of a large view would
/// take many times the memory of its text).
#[derive(Debug)]
pub struct ExplorerGraph<'g> {
    /// The graph the view selects from.
    pub kg: &'g KnowledgeGraph,
    /// What the page shows.
    pub view: Subgraph,
    /// One `(x, y)` per entity of `view`, in its order.
    pub positions: Vec<(f64, f64)>,
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

    fn node(&self, node: NodeIndex, (x, y): (f64, f64)) -> Value {
        let kg = self.kg;
        let mut attributes = Map::new();
        for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
            attributes.insert(def.name.clone(), json!(value));
        }
        let mut value = json!({
            "id": kg.id(node),
            "name": kg.name(node),
            "kind": kg.entity(node).kind,
            "x": (x * 10.0).round() / 10.0,
            "y": (y * 10.0).round() / 10.0,
            "attributes": attributes,
        });
        // Network metrics the build computed (PageRank to size by, community to colour by).
        if !self.view.computed.columns.is_empty() {
            let metrics: Map<String, Value> = self
                .view
                .computed
                .columns
                .iter()
                .map(|column| (column.name.clone(), json!(column.value(node))))
                .collect();
            value["metrics"] = Value::Object(metrics);
        }
        value
    }

    fn edge(&self, edge: EdgeIndex, (s, t): (usize, usize)) -> Value {
        let kg = self.kg;
        let relation = kg.relation(edge);
        let span = kg.catalog.timings.span(relation);
        let mut attributes = Map::new();
        for (def, value) in kg.catalog.relation_attrs(relation) {
            attributes.insert(def.name.clone(), json!(value));
        }
        json!({
            "id": KnowledgeGraph::relation_id(edge).to_string(),
            "s": s,
            "t": t,
            "type": relation.rel_type,
            "start": relation.start.map(|d| d.to_string()),
            "end": relation.end.map(|d| d.to_string()),
            "first": span.first.map(|d| d.to_string()),
            "last": span.last.map(|d| d.to_string()),
            "weight": relation.weight(),
            "attributes": attributes,
            "origin": kg.relation_origin(edge),
        })
    }
}

/// Writes `graph` as the explorer's JSON, safe inside `<script type="application/json">`:
/// every `<` as `\u003c` (so no `</script>` or `<!--` can end or bend the element), and
/// U+2028 and U+2029 as escapes. Each replaced character sits inside a JSON string, where the
/// escape means the same character.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_json(graph: &ExplorerGraph<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut out = ScriptSafe(out);
    let part = |out: &mut ScriptSafe<'_>, value: &Value| {
        serde_json::to_writer(&mut *out, value).map_err(io::Error::from)
    };
    write!(out, r#"{{"title":"#)?;
    part(&mut out, &json!(graph.view.title))?;
    write!(out, r#","kinds":"#)?;
    part(&mut out, &Value::Array(graph.kinds()))?;
    write!(out, r#","types":"#)?;
    part(&mut out, &Value::Array(graph.types()))?;
    write!(out, r#","nodes":["#)?;
    let mut place = std::collections::HashMap::with_capacity(graph.view.nodes.len());
    for (i, (&node, &xy)) in graph.view.nodes.iter().zip(&graph.positions).enumerate() {
        place.insert(node, i);
        if i > 0 {
            write!(out, ",")?;
        }
        part(&mut out, &graph.node(node, xy))?;
    }
    write!(out, r#"],"edges":["#)?;
    let mut first = true;
    for &edge in &graph.view.edges {
        let (from, to) = graph.kg.endpoints(edge);
        let (Some(&s), Some(&t)) = (place.get(&from), place.get(&to)) else {
            continue;
        };
        if !first {
            write!(out, ",")?;
        }
        first = false;
        part(&mut out, &graph.edge(edge, (s, t)))?;
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
}
