//! The graph's counts that the planner's estimates start from: entities per kind (the graph's
//! per-kind lists, which label scans read too), relations per type (counted on first need:
//! it reads every relation), assuming independence.

use std::cell::OnceCell;

use crate::graph::KnowledgeGraph;

/// Counts the estimates start from.
pub(super) struct Counts<'g> {
    kg: &'g KnowledgeGraph,
    pub(super) entities: f64,
    relations: f64,
    /// Relations per type, by type number; counted when a pattern first names a type.
    per_type: OnceCell<Vec<f64>>,
}

impl<'g> Counts<'g> {
    #[allow(clippy::cast_precision_loss)]
    pub(super) fn of(kg: &'g KnowledgeGraph) -> Self {
        Counts {
            kg,
            entities: kg.entity_count() as f64,
            relations: kg.relation_count() as f64,
            per_type: OnceCell::new(),
        }
    }

    /// The entities a label disjunction finds.
    #[allow(clippy::cast_precision_loss)]
    pub(super) fn label_rows(&self, labels: &[String]) -> f64 {
        let kinds = self.kg.kinds_labelled(labels);
        self.kg.entities_in(kinds.as_deref()) as f64
    }

    /// Relations per entity of the given types, in one direction.
    pub(super) fn degree(&self, types: &[String]) -> f64 {
        let relations = if types.is_empty() {
            self.relations
        } else {
            let per_type = self.per_type.get_or_init(|| {
                let mut per_type = vec![0.0; self.kg.catalog.rel_types.len()];
                for edge in self.kg.edge_indices() {
                    per_type[usize::from(self.kg.relation(edge).rel_type)] += 1.0;
                }
                per_type
            });
            let names = &self.kg.catalog.rel_types;
            types
                .iter()
                .filter_map(|t| names.iter().position(|name| name == t))
                .map(|id| per_type[id])
                .sum()
        };
        relations / self.entities.max(1.0)
    }
}
