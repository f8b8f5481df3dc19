//! Query values as Bolt sends them, and Bolt parameters as query values.
//!
//! Entities are `Node`s labelled `Entity` and their kind, relations `Relationship`s of their
//! type, both with the properties the exports give them (`cypher::node_properties`); a
//! partial date that is a whole day is a Bolt `Date`, one known only to the year or month is
//! its text (`1992`, `1992-08`), as in every export.

use std::collections::BTreeMap;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::packstream::Bolt;
use crate::cypher::{self, Value};
use crate::graph::KnowledgeGraph;
use crate::model::date::{Day, PartialDate};

/// Structure tags of the values Bolt carries.
pub mod tag {
    /// A node.
    pub const NODE: u8 = 0x4E;
    /// A relationship.
    pub const RELATIONSHIP: u8 = 0x52;
    /// A relationship inside a path.
    pub const UNBOUND_RELATIONSHIP: u8 = 0x72;
    /// A path.
    pub const PATH: u8 = 0x50;
    /// A date (days since 1970-01-01).
    pub const DATE: u8 = 0x44;
    /// A duration (months, days, seconds, nanoseconds).
    pub const DURATION: u8 = 0x45;
}

/// Turns query values into Bolt values for one protocol version.
pub struct Encoder<'g> {
    pub(crate) kg: &'g KnowledgeGraph,
    /// Bolt 5 adds element ids to nodes and relationships.
    pub(crate) element_ids: bool,
}

impl Encoder<'_> {
    /// The Bolt form of a query value.
    #[must_use]
    pub fn value(&self, value: &Value) -> Bolt {
        match value {
            Value::Null => Bolt::Null,
            Value::Bool(b) => Bolt::Bool(*b),
            Value::Int(i) => Bolt::Int(*i),
            Value::Float(x) => Bolt::Float(*x),
            Value::Str(text) => Bolt::Str(text.clone()),
            Value::Date(date) => date_bolt(*date),
            Value::Duration(d) => Bolt::Struct(
                tag::DURATION,
                vec![
                    Bolt::Int(d.months),
                    Bolt::Int(d.days),
                    Bolt::Int(0),
                    Bolt::Int(0),
                ],
            ),
            // Times are rare in CSV data; their ISO text keeps them exact.
            Value::Time(t) => Bolt::Str(t.to_string()),
            Value::DateTime(d) => Bolt::Str(d.to_string()),
            Value::List(items) => Bolt::List(items.iter().map(|v| self.value(v)).collect()),
            Value::Map(entries) => Bolt::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.value(v)))
                    .collect(),
            ),
            Value::Node(node) => self.node(*node),
            Value::Rel(edge) => self.relationship(*edge),
            Value::Path(path) => self.path(&path.nodes, &path.edges),
        }
    }

    fn properties(&self, properties: Vec<(String, Value)>) -> Bolt {
        Bolt::Map(
            properties
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, self.value(&v)))
                .collect(),
        )
    }

    fn node(&self, node: NodeIndex) -> Bolt {
        let mut fields = vec![
            Bolt::Int(index(node.index())),
            Bolt::List(vec![Bolt::str("Entity"), Bolt::str(self.kg.kind(node))]),
            self.properties(cypher::node_properties(self.kg, node)),
        ];
        if self.element_ids {
            fields.push(Bolt::str(self.kg.id(node)));
        }
        Bolt::Struct(tag::NODE, fields)
    }

    fn relationship(&self, edge: EdgeIndex) -> Bolt {
        let (from, to) = self.kg.endpoints(edge);
        let mut fields = vec![
            Bolt::Int(index(edge.index())),
            Bolt::Int(index(from.index())),
            Bolt::Int(index(to.index())),
            Bolt::str(self.kg.rel_type(edge)),
            self.properties(cypher::rel_properties(self.kg, edge)),
        ];
        if self.element_ids {
            fields.push(Bolt::str(KnowledgeGraph::relation_id(edge).to_string()));
            fields.push(Bolt::str(self.kg.id(from)));
            fields.push(Bolt::str(self.kg.id(to)));
        }
        Bolt::Struct(tag::RELATIONSHIP, fields)
    }

    /// A path: its distinct nodes and relationships, and the walk through them as indices
    /// (a relationship's is negative when the walk goes against its direction).
    fn path(&self, nodes: &[NodeIndex], edges: &[EdgeIndex]) -> Bolt {
        let mut distinct_nodes: Vec<NodeIndex> = Vec::new();
        let mut distinct_edges: Vec<EdgeIndex> = Vec::new();
        let mut indices = Vec::with_capacity(edges.len() * 2);
        let position = |list: &mut Vec<NodeIndex>, node: NodeIndex| {
            list.iter().position(|&n| n == node).unwrap_or_else(|| {
                list.push(node);
                list.len() - 1
            })
        };
        if let Some(&first) = nodes.first() {
            position(&mut distinct_nodes, first);
        }
        for (step, &edge) in edges.iter().enumerate() {
            let at = distinct_edges
                .iter()
                .position(|&e| e == edge)
                .unwrap_or_else(|| {
                    distinct_edges.push(edge);
                    distinct_edges.len() - 1
                });
            let forward = self.kg.endpoints(edge).0 == nodes[step];
            let one_based = index(at + 1);
            indices.push(Bolt::Int(if forward { one_based } else { -one_based }));
            indices.push(Bolt::Int(index(position(
                &mut distinct_nodes,
                nodes[step + 1],
            ))));
        }
        let unbound = distinct_edges
            .iter()
            .map(|&edge| {
                let mut fields = vec![
                    Bolt::Int(index(edge.index())),
                    Bolt::str(self.kg.rel_type(edge)),
                    self.properties(cypher::rel_properties(self.kg, edge)),
                ];
                if self.element_ids {
                    fields.push(Bolt::str(KnowledgeGraph::relation_id(edge).to_string()));
                }
                Bolt::Struct(tag::UNBOUND_RELATIONSHIP, fields)
            })
            .collect();
        Bolt::Struct(
            tag::PATH,
            vec![
                Bolt::List(distinct_nodes.iter().map(|&n| self.node(n)).collect()),
                Bolt::List(unbound),
                Bolt::List(indices),
            ],
        )
    }
}

fn index(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

fn date_bolt(date: PartialDate) -> Bolt {
    if date.day().is_some() {
        Bolt::Struct(
            tag::DATE,
            vec![Bolt::Int(i64::from(date.first_day().days_since_epoch()))],
        )
    } else {
        Bolt::Str(date.to_string())
    }
}

/// The query parameters a Bolt `RUN` carries.
///
/// # Errors
/// A value no query can hold (bytes, a node sent back, a point): its name and what it is.
pub fn params(map: &Bolt) -> Result<BTreeMap<String, Value>, String> {
    let Bolt::Map(entries) = map else {
        return Err("the parameters are not a map".to_owned());
    };
    entries
        .iter()
        .map(|(name, value)| {
            param(value)
                .map(|v| (name.clone(), v))
                .map_err(|what| format!("parameter `{name}`: {what}"))
        })
        .collect()
}

fn param(value: &Bolt) -> Result<Value, String> {
    Ok(match value {
        Bolt::Null => Value::Null,
        Bolt::Bool(b) => Value::Bool(*b),
        Bolt::Int(i) => Value::Int(*i),
        Bolt::Float(x) => Value::Float(*x),
        Bolt::Str(text) => Value::Str(text.clone()),
        Bolt::List(items) => Value::List(items.iter().map(param).collect::<Result<_, _>>()?),
        Bolt::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| Ok((k.clone(), param(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Bolt::Struct(tag::DATE, fields) => {
            let day = fields
                .first()
                .and_then(Bolt::as_int)
                .and_then(|d| i32::try_from(d).ok())
                .and_then(Day::from_days_since_epoch)
                .ok_or("a date outside the years 1 to 9999")?;
            let text = format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
            Value::Date(PartialDate::parse(&text).map_err(|e| e.to_string())?)
        }
        Bolt::Struct(tag::DURATION, fields) => {
            let field = |i: usize| fields.get(i).and_then(Bolt::as_int).unwrap_or(0);
            if field(2) != 0 || field(3) != 0 {
                return Err("a duration with seconds (ties' durations are months and days)".into());
            }
            Value::Duration(cypher::duration::Duration {
                months: field(0),
                days: field(1),
            })
        }
        Bolt::Bytes(_) => return Err("bytes (no query value holds bytes)".to_owned()),
        Bolt::Struct(tag, _) => {
            return Err(format!(
                "a structure 0x{tag:02X} (nodes, points and times cannot be parameters here)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_of_every_bolt_type_become_query_values() {
        let map = Bolt::map([
            ("n", Bolt::Int(7)),
            ("x", Bolt::Float(0.5)),
            ("s", Bolt::str("Astana")),
            ("l", Bolt::List(vec![Bolt::Null, Bolt::Bool(true)])),
            ("m", Bolt::map([("k", Bolt::Int(1))])),
            ("d", Bolt::Struct(tag::DATE, vec![Bolt::Int(8035)])),
            (
                "p",
                Bolt::Struct(
                    tag::DURATION,
                    vec![Bolt::Int(14), Bolt::Int(3), Bolt::Int(0), Bolt::Int(0)],
                ),
            ),
        ]);
        let params = params(&map).unwrap();
        assert_eq!(params["n"], Value::Int(7));
        assert_eq!(
            params["d"],
            Value::Date(PartialDate::parse("1992-01-01").unwrap())
        );
        assert_eq!(
            params["l"],
            Value::List(vec![Value::Null, Value::Bool(true)])
        );
        let err = super::params(&Bolt::map([("b", Bolt::Bytes(vec![1]))])).unwrap_err();
        assert!(err.starts_with("parameter `b`: bytes"), "{err}");
    }

    #[test]
    fn whole_days_are_bolt_dates_and_partial_dates_their_text() {
        assert_eq!(
            date_bolt(PartialDate::parse("1992-01-01").unwrap()),
            Bolt::Struct(tag::DATE, vec![Bolt::Int(8035)])
        );
        assert_eq!(
            date_bolt(PartialDate::parse("1992-08").unwrap()),
            Bolt::str("1992-08")
        );
    }
}
