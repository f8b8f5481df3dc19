//! JSON shapes shared by several commands (`show`, `path`, `neighbors`).
//!
//! Wire format of an entity: `{"id", "name", "kind"}`; of a relation:
//! `{"id": "e<N>", "from", "to", "type", "start", "end", "weight", "attributes": {...}}` where
//! `id` is the relation's position in input order, `start`/`end` are the partial dates as
//! written (or null), `weight` a number or null, and attribute values keep their column types
//! (numbers, booleans, arrays; dates as text). Endpoints are in stored direction.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Map, Value, json};

use crate::graph::KnowledgeGraph;

/// Returns `{"id", "name", "kind"}` for an entity.
pub fn entity_json(kg: &KnowledgeGraph, node: NodeIndex) -> Value {
    json!({"id": kg.id(node), "name": kg.name(node), "kind": kg.kind(node)})
}

/// Returns an entity's attributes as a JSON object in column order.
pub fn entity_attributes_json(kg: &KnowledgeGraph, node: NodeIndex) -> Value {
    let mut map = Map::new();
    for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
        map.insert(def.name.clone(), json!(value));
    }
    Value::Object(map)
}

/// Returns a relation in its stored direction, with typed attributes.
pub fn relation_json(kg: &KnowledgeGraph, edge: EdgeIndex) -> Value {
    let relation = kg.relation(edge);
    let (from, to) = kg.endpoints(edge);
    let mut attributes = Map::new();
    for (def, value) in kg.catalog.relation_attrs(relation) {
        attributes.insert(def.name.clone(), json!(value));
    }
    json!({
        "id": format!("e{}", edge.index()),
        "from": kg.id(from),
        "to": kg.id(to),
        "type": kg.rel_type(edge),
        "start": relation.start.map(|d| d.to_string()),
        "end": relation.end.map(|d| d.to_string()),
        "weight": relation.weight(),
        "attributes": attributes,
    })
}
