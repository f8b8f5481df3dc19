//! The explorer's data: the graph of a view as one JSON document that the page's script
//! (`explorer/app.js`) reads, embedded in `index.html` so the page works offline.
//!
//! Entities and relations keep the shapes of the CLI's JSON (`ties show`, `ties path`):
//! attributes typed, relations named `e<N>`, partial dates as written plus their first and
//! last day, so the page filters by time exactly as `--as-of` and `--between` do. The JSON
//! goes inside `<script type="application/json">`; [`script_safe`] escapes what could end
//! that element or confuse a JavaScript parser.

use serde_json::{Map, Value, json};

use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// The page's script: a Canvas 2D drawing, search, panel, filters, paths, `window.ties`.
pub const APP_JS: &str = include_str!("explorer/app.js");
/// The page's styles.
pub const APP_CSS: &str = include_str!("explorer/app.css");

/// Returns the explorer's JSON for `view` with one position per entity of the view.
#[must_use]
pub fn graph_json(kg: &KnowledgeGraph, view: &Subgraph, positions: &[(f64, f64)]) -> Value {
    let place: std::collections::HashMap<_, _> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i))
        .collect();
    let kinds: Vec<Value> = kg
        .catalog
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
        .collect();
    let types: Vec<Value> = kg
        .catalog
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
        .collect();
    let nodes: Vec<Value> = view
        .nodes
        .iter()
        .zip(positions)
        .map(|(&node, &(x, y))| {
            let mut attributes = Map::new();
            for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
                attributes.insert(def.name.clone(), json!(value));
            }
            json!({
                "id": kg.id(node),
                "name": kg.name(node),
                "kind": kg.entity(node).kind,
                "x": (x * 10.0).round() / 10.0,
                "y": (y * 10.0).round() / 10.0,
                "attributes": attributes,
            })
        })
        .collect();
    let edges: Vec<Value> = view
        .edges
        .iter()
        .filter_map(|&edge| {
            let (from, to) = kg.endpoints(edge);
            let relation = kg.relation(edge);
            let mut attributes = Map::new();
            for (def, value) in kg.catalog.relation_attrs(relation) {
                attributes.insert(def.name.clone(), json!(value));
            }
            Some(json!({
                "id": KnowledgeGraph::relation_id(edge).to_string(),
                "s": place.get(&from)?,
                "t": place.get(&to)?,
                "type": relation.rel_type,
                "start": relation.start.map(|d| d.to_string()),
                "end": relation.end.map(|d| d.to_string()),
                "first": relation.start.map(|d| d.first_day().to_string()),
                "last": relation.end.map(|d| d.last_day().to_string()),
                "weight": relation.weight(),
                "attributes": attributes,
                "origin": kg.relation_origin(edge),
            }))
        })
        .collect();
    json!({
        "title": view.title,
        "kinds": kinds,
        "types": types,
        "nodes": nodes,
        "edges": edges,
    })
}

/// Returns JSON text safe inside `<script type="application/json">`: every `<` as `\u003c`
/// (so no `</script>` or `<!--` can end or bend the element), and U+2028 and U+2029 as
/// escapes. Each replaced character sits inside a JSON string, where the escape means the
/// same character.
#[must_use]
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_end_its_script_element() {
        let text = serde_json::to_string(
            &json!({"name": "</script><img src=x onerror=alert(1)>\u{2028}<!--"}),
        )
        .unwrap();
        let safe = script_safe(&text);
        assert!(!safe.contains('<'));
        assert!(!safe.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["name"],
            "</script><img src=x onerror=alert(1)>\u{2028}<!--"
        );
    }
}
