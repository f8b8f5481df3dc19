//! The JSON shapes of entities, relations, paths and query answers: one home for the CLI
//! (`show`, `path`, `neighbors`, `query --format json`) and the server (`POST /query`).
//!
//! Wire format of an entity: `{"id", "name", "kind"}`; of a relation:
//! `{"id": "e<N>", "from", "to", "type", "start", "end", "weight", "attributes": {...}}` where
//! `id` is the relation's position in input order, `start`/`end` are the partial dates as
//! written (or null), `weight` a number or null, and attribute values keep their column types
//! (numbers, booleans, arrays; dates as text). Endpoints are in stored direction.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Map, Value, json};

use crate::cypher::{QueryResult, Value as CypherValue};
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
        "id": KnowledgeGraph::relation_id(edge).to_string(),
        "from": kg.id(from),
        "to": kg.id(to),
        "type": kg.rel_type(edge),
        "start": relation.start.map(|d| d.to_string()),
        "end": relation.end.map(|d| d.to_string()),
        "weight": relation.weight(),
        "attributes": attributes,
    })
}

/// Returns a path (entities and relations) in the `ties path` JSON shape.
pub fn nodes_edges_json(
    kg: &KnowledgeGraph,
    nodes: &[NodeIndex],
    edges: &[EdgeIndex],
    weight: Option<f64>,
) -> Value {
    json!({
        "length": edges.len(),
        "weight": weight,
        "nodes": nodes.iter().map(|&n| entity_json(kg, n)).collect::<Vec<_>>(),
        "edges": edges.iter().map(|&e| relation_json(kg, e)).collect::<Vec<_>>(),
    })
}

/// Returns a query value as JSON: nodes, relationships and paths as in the path JSON, dates
/// as their text, maps as objects.
pub fn cypher_value_json(kg: &KnowledgeGraph, value: &CypherValue) -> Value {
    match value {
        CypherValue::Null => Value::Null,
        CypherValue::Bool(b) => json!(b),
        CypherValue::Int(i) => json!(i),
        CypherValue::Float(x) => json!(x),
        CypherValue::Str(s) => json!(s),
        CypherValue::Date(d) => json!(d.to_string()),
        CypherValue::Duration(d) => json!(d.to_string()),
        CypherValue::Time(t) => json!(t.to_string()),
        CypherValue::DateTime(d) => json!(d.to_string()),
        CypherValue::List(items) => {
            Value::Array(items.iter().map(|v| cypher_value_json(kg, v)).collect())
        }
        CypherValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), cypher_value_json(kg, v)))
                .collect(),
        ),
        CypherValue::Node(node) => entity_json(kg, *node),
        CypherValue::Rel(edge) => relation_json(kg, *edge),
        CypherValue::Path(path) => nodes_edges_json(kg, &path.nodes, &path.edges, None),
    }
}

/// Returns query results as `{"columns", "rows", "truncated", "notices"}`: rows are objects
/// keyed by column, in column order; `truncated` says a cap cut the search (see
/// [`QueryResult::truncated`]).
pub fn result_json(kg: &KnowledgeGraph, result: &QueryResult) -> Value {
    let rows: Vec<Value> = result
        .rows
        .iter()
        .map(|row| {
            Value::Object(
                result
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.clone(), cypher_value_json(kg, v)))
                    .collect::<Map<_, _>>(),
            )
        })
        .collect();
    let mut object = json!({
        "columns": result.columns,
        "rows": rows,
        "truncated": result.truncated,
        "notices": result.notices,
    });
    if let Some(plan) = &result.plan {
        object["plan"] = json!(plan);
    }
    object
}
