//! The graph's counts that the planner's estimates start from: entities per kind, relations
//! per type, assuming independence.

use std::collections::HashMap;

use crate::graph::KnowledgeGraph;

/// Counts the estimates start from.
pub(super) struct Counts {
    pub(super) entities: f64,
    relations: f64,
    per_label: HashMap<String, f64>,
    per_type: HashMap<String, f64>,
}

impl Counts {
    pub(super) fn of(kg: &KnowledgeGraph) -> Self {
        let mut per_kind = vec![0.0; kg.catalog.kinds.len()];
        for node in kg.node_indices() {
            per_kind[usize::from(kg.entity(node).kind)] += 1.0;
        }
        let mut per_label: HashMap<String, f64> = HashMap::new();
        for (kind, count) in kg.catalog.kinds.iter().zip(&per_kind) {
            *per_label.entry(kind.clone()).or_default() += count;
            let label = kg.style.kind_label(kind);
            if label != kind {
                *per_label.entry(label.to_owned()).or_default() += count;
            }
        }
        let mut per_type: HashMap<String, f64> = HashMap::new();
        for edge in kg.edge_indices() {
            *per_type.entry(kg.rel_type(edge).to_owned()).or_default() += 1.0;
        }
        #[allow(clippy::cast_precision_loss)]
        Counts {
            entities: kg.entity_count() as f64,
            relations: kg.relation_count() as f64,
            per_label,
            per_type,
        }
    }

    pub(super) fn label_rows(&self, labels: &[String]) -> f64 {
        if labels.is_empty() || labels.iter().any(|l| l == "Entity") {
            return self.entities;
        }
        labels
            .iter()
            .map(|l| self.per_label.get(l).copied().unwrap_or(0.0))
            .sum()
    }

    /// Relations per entity of the given types, in one direction.
    pub(super) fn degree(&self, types: &[String]) -> f64 {
        let relations = if types.is_empty() {
            self.relations
        } else {
            types
                .iter()
                .map(|t| self.per_type.get(t).copied().unwrap_or(0.0))
                .sum()
        };
        relations / self.entities.max(1.0)
    }
}
