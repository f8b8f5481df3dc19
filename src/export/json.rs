//! Node-link JSON, as NetworkX's `node_link_graph` reads it (edge list key `edges`), one
//! entity or relation per line (compact), so a million-entity file streams and greps.
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

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::export::sink::{Chunk, Sink};
use crate::export::{Column, Warnings, attribute_columns};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

const NODE_RESERVED: &[&str] = &["id", "label", "kind"];
const EDGE_RESERVED: &[&str] = &[
    "source", "target", "key", "type", "start", "end", "weight", "id",
];

/// One entity as a JSON object, serialized straight from the graph.
struct NodeObject<'g> {
    kg: &'g KnowledgeGraph,
    view: &'g Subgraph,
    node: petgraph::graph::NodeIndex,
    columns: &'g [Column],
}

impl Serialize for NodeObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kg, view, node) = (self.kg, self.view, self.node);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", kg.id(node))?;
        map.serialize_entry("label", kg.name(node))?;
        map.serialize_entry("kind", kg.kind(node))?;
        for (attr, value) in crate::export::entity_cells(kg, view, node) {
            map.serialize_entry(&self.columns[usize::from(attr)].name, &value)?;
        }
        map.end()
    }
}

/// One relation as a JSON object, serialized straight from the graph.
struct EdgeObject<'g> {
    kg: &'g KnowledgeGraph,
    edge: petgraph::graph::EdgeIndex,
    columns: &'g [Column],
}

impl Serialize for EdgeObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kg, edge) = (self.kg, self.edge);
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("source", kg.id(from))?;
        map.serialize_entry("target", kg.id(to))?;
        map.serialize_entry(
            "key",
            &format_args!("{}", KnowledgeGraph::relation_id(edge)),
        )?;
        map.serialize_entry("type", kg.rel_type(edge))?;
        if let Some(start) = relation.start {
            map.serialize_entry("start", &format_args!("{start}"))?;
        }
        if let Some(end) = relation.end {
            map.serialize_entry("end", &format_args!("{end}"))?;
        }
        if let Some(weight) = relation.weight() {
            map.serialize_entry("weight", &weight)?;
        }
        for (attr, value) in kg.catalog.relation_cells(relation) {
            map.serialize_entry(&self.columns[usize::from(attr)].name, &value)?;
        }
        map.end()
    }
}

/// Appends `value` as compact JSON.
fn compact(out: &mut Chunk, value: &impl Serialize) {
    // Serializing into a Vec fails only for maps with non-string keys, which these are not.
    let _ = serde_json::to_writer(out.vec(), value);
}

/// Writes `view` as node-link JSON, one entity or relation per line.
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
        attribute_columns(kg, view, (NODE_RESERVED, EDGE_RESERVED), "JSON", warnings);
    let mut out = Sink::new(out);
    out.raw("{\n  \"directed\": true,\n  \"multigraph\": true,\n  \"graph\": ");
    compact(
        &mut out,
        &serde_json::json!({"name": "ties", "title": view.title}),
    );
    out.raw(",\n  \"nodes\": [");
    let last_node = view.nodes.last().copied();
    out.each(&view.nodes, |out, &node| {
        out.raw("\n    ");
        compact(
            out,
            &NodeObject {
                kg,
                view,
                node,
                columns: &node_columns,
            },
        );
        if Some(node) != last_node {
            out.raw(",");
        }
    })?;
    out.raw(if view.nodes.is_empty() {
        "],\n"
    } else {
        "\n  ],\n"
    });
    out.raw("  \"edges\": [");
    let last_edge = view.edges.last().copied();
    out.each(&view.edges, |out, &edge| {
        out.raw("\n    ");
        compact(
            out,
            &EdgeObject {
                kg,
                edge,
                columns: &edge_columns,
            },
        );
        if Some(edge) != last_edge {
            out.raw(",");
        }
    })?;
    out.raw(if view.edges.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out.finish()
}
