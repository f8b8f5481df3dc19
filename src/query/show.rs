//! One entity's relations, in and out, in date order: the timeline `ties show` prints.

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::KnowledgeGraph;

/// A relation seen from one of its endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incident {
    /// The relation.
    pub edge: EdgeIndex,
    /// The entity at the other end.
    pub other: NodeIndex,
    /// Whether the relation goes out of the entity (it is the `from`).
    pub outgoing: bool,
}

/// Returns every relation of `node`, dated ones first by start day, then undated ones, ties by
/// input order. A self-relation appears once.
#[must_use]
pub fn incident_relations(kg: &KnowledgeGraph, node: NodeIndex) -> Vec<Incident> {
    let mut incident: Vec<Incident> = kg
        .edges_directed(node, Direction::Outgoing)
        .map(|(edge, other)| Incident {
            edge,
            other,
            outgoing: true,
        })
        .chain(
            kg.edges_directed(node, Direction::Incoming)
                .filter(|&(_, other)| other != node)
                .map(|(edge, other)| Incident {
                    edge,
                    other,
                    outgoing: false,
                }),
        )
        .collect();
    incident.sort_by_key(|i| {
        let relation = kg.relation(i.edge);
        (
            relation.start.is_none(),
            relation
                .start
                .map(crate::model::date::PartialDate::first_day),
            i.edge.index(),
        )
    });
    incident
}
