//! Properties of nodes, relationships and maps, as `n.key`, `properties()` and `keys()` read
//! them: the entity's id and name, its typed columns, a relationship's dates and weight.

use crate::graph::KnowledgeGraph;

use super::{EdgeIndex, Engine, NodeIndex, Value};

impl Engine<'_> {
    /// Returns a property of a node, relationship or map (null when absent).
    pub(super) fn property(&self, value: &Value, key: &str) -> Value {
        match value {
            Value::Node(node) => self.node_property(*node, key),
            Value::Rel(edge) => self.rel_property(*edge, key),
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Value::Null, |(_, v)| v.clone()),
            Value::Date(date) => match key {
                "year" => Value::Int(i64::from(date.year())),
                "month" => date
                    .month()
                    .map_or(Value::Null, |m| Value::Int(i64::from(m))),
                "day" => date.day().map_or(Value::Null, |d| Value::Int(i64::from(d))),
                _ => Value::Null,
            },
            Value::Duration(duration) => duration.component(key).map_or(Value::Null, Value::Int),
            Value::Time(time) => match key {
                "timezone" | "offset" => time.offset_text().map_or(Value::Null, Value::Str),
                _ => time.component(key).map_or(Value::Null, Value::Int),
            },
            Value::DateTime(at) => match key {
                "timezone" | "offset" => at.time.offset_text().map_or(Value::Null, Value::Str),
                _ => at.component(key).map_or(Value::Null, Value::Int),
            },
            _ => Value::Null,
        }
    }

    /// Node properties as in the exports: see [`node_properties`].
    pub(super) fn node_properties(&self, node: NodeIndex) -> Vec<(String, Value)> {
        node_properties(self.kg, node)
    }

    pub(super) fn node_property(&self, node: NodeIndex, key: &str) -> Value {
        match key {
            "id" => Value::Str(self.kg.id(node).to_owned()),
            "name" => Value::Str(self.kg.name(node).to_owned()),
            _ => self
                .kg
                .catalog
                .entity_attr(self.kg.entity(node), key)
                .map_or(Value::Null, Value::from_stored),
        }
    }

    /// Relationship properties as in the exports: see [`rel_properties`].
    pub(super) fn rel_properties(&self, edge: EdgeIndex) -> Vec<(String, Value)> {
        rel_properties(self.kg, edge)
    }

    pub(super) fn rel_property(&self, edge: EdgeIndex, key: &str) -> Value {
        let relation = self.kg.relation(edge);
        match key {
            "rid" => Value::Str(KnowledgeGraph::relation_id(edge).to_string()),
            "start" => relation.start.map_or(Value::Null, Value::Date),
            "end" => relation.end.map_or(Value::Null, Value::Date),
            "start_from" => (self.kg.catalog.timings.span(relation).first)
                .map_or(Value::Null, |d| Value::Str(d.to_string())),
            "end_to" => (self.kg.catalog.timings.span(relation).last)
                .map_or(Value::Null, |d| Value::Str(d.to_string())),
            "weight" => relation.weight().map_or(Value::Null, Value::Float),
            _ => self
                .kg
                .catalog
                .relation_attr(relation, key)
                .map_or(Value::Null, Value::from_stored),
        }
    }
}

/// An entity's properties as Cypher, the server and the exports give them: `id`, `name`, then
/// the attributes in column order.
#[must_use]
pub fn node_properties(kg: &KnowledgeGraph, node: NodeIndex) -> Vec<(String, Value)> {
    let mut props = vec![
        ("id".to_owned(), Value::Str(kg.id(node).to_owned())),
        ("name".to_owned(), Value::Str(kg.name(node).to_owned())),
    ];
    for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
        props.push((def.name.clone(), Value::from_stored(value)));
    }
    props
}

/// A relation's properties as Cypher, the server and the exports give them: `rid`, `start`,
/// `start_from`, `end`, `end_to`, `weight` (those it has), then the attributes.
#[must_use]
pub fn rel_properties(kg: &KnowledgeGraph, edge: EdgeIndex) -> Vec<(String, Value)> {
    let relation = kg.relation(edge);
    let mut props = vec![(
        "rid".to_owned(),
        Value::Str(KnowledgeGraph::relation_id(edge).to_string()),
    )];
    let span = kg.catalog.timings.span(relation);
    if let Some(start) = relation.start {
        props.push(("start".to_owned(), Value::Date(start)));
    }
    if let Some(first) = span.first {
        props.push(("start_from".to_owned(), Value::Str(first.to_string())));
    }
    if let Some(end) = relation.end {
        props.push(("end".to_owned(), Value::Date(end)));
    }
    if let Some(last) = span.last {
        props.push(("end_to".to_owned(), Value::Str(last.to_string())));
    }
    if let Some(weight) = relation.weight() {
        props.push(("weight".to_owned(), Value::Float(weight)));
    }
    for (def, value) in kg.catalog.relation_attrs(relation) {
        props.push((def.name.clone(), Value::from_stored(value)));
    }
    props
}
