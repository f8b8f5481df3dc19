//! Node-link JSON, as NetworkX's `node_link_graph` reads it (edge list key `edges`).
//!
//! ```text
//! {"directed": true, "multigraph": true, "graph": {"name": "ties", "title": ...},
//!  "nodes": [{"id", "label", "kind", <attributes>...}],
//!  "edges": [{"source", "target", "key": "e<N>", "type", "start", "end", "weight", <attributes>...}]}
//! ```
//! Attribute values keep their types (numbers, booleans, arrays; dates as text). `start`,
//! `end` and `weight` appear only when the relation has them. Attribute columns whose names
//! clash with these keys are written as `attr_<name>`. (NetworkX before 3.4 needs
//! `edges="links"`.) This schema is versioned apart from the `ties path` JSON.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::export::{Warnings, attribute_columns};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

const NODE_RESERVED: &[&str] = &["id", "label", "kind"];
const EDGE_RESERVED: &[&str] = &[
    "source", "target", "key", "type", "start", "end", "weight", "id",
];

/// Writes `view` as node-link JSON.
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
        attribute_columns(kg, (NODE_RESERVED, EDGE_RESERVED), "JSON", warnings);
    let nodes: Vec<Value> = view
        .nodes
        .iter()
        .map(|&node| {
            let mut map = Map::new();
            map.insert("id".into(), json!(kg.id(node)));
            map.insert("label".into(), json!(kg.name(node)));
            map.insert("kind".into(), json!(kg.kind(node)));
            for (attr, value) in kg.catalog.entity_cells(kg.entity(node)) {
                map.insert(node_columns[usize::from(attr)].name.clone(), json!(value));
            }
            Value::Object(map)
        })
        .collect();
    let edges: Vec<Value> = view
        .edges
        .iter()
        .map(|&edge| {
            let relation = kg.relation(edge);
            let (from, to) = kg.endpoints(edge);
            let mut map = Map::new();
            map.insert("source".into(), json!(kg.id(from)));
            map.insert("target".into(), json!(kg.id(to)));
            map.insert(
                "key".into(),
                json!(KnowledgeGraph::relation_id(edge).to_string()),
            );
            map.insert("type".into(), json!(kg.rel_type(edge)));
            if let Some(start) = relation.start {
                map.insert("start".into(), json!(start.to_string()));
            }
            if let Some(end) = relation.end {
                map.insert("end".into(), json!(end.to_string()));
            }
            if let Some(weight) = relation.weight() {
                map.insert("weight".into(), json!(weight));
            }
            for (attr, value) in kg.catalog.relation_cells(relation) {
                map.insert(edge_columns[usize::from(attr)].name.clone(), json!(value));
            }
            Value::Object(map)
        })
        .collect();
    let document = json!({
        "directed": true,
        "multigraph": true,
        "graph": {"name": "ties", "title": view.title},
        "nodes": nodes,
        "edges": edges,
    });
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::from)?;
    writeln!(out)
}
