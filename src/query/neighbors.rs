//! The neighbourhood of an entity: everything within `depth` relations, by distance.

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;

use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::query::filter::Filter;

/// One entity near the centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// The entity.
    pub node: NodeIndex,
    /// How many relations away it is.
    pub distance: usize,
    /// The relations linking it to entities one step closer, in input order.
    pub via: Vec<EdgeIndex>,
}

/// Returns the entities within `depth` relations of `center`, nearest first, then in entity
/// order. The filter applies as for paths: relations by type, time and direction, entities by
/// kind and exclusion.
///
/// # Complexity
/// O(b) where b is the number of links inside the ball; hash maps sized to the ball only.
#[must_use]
pub fn neighbors(
    kg: &KnowledgeGraph,
    adjacency: &Adjacency,
    center: NodeIndex,
    depth: usize,
    filter: &Filter,
) -> Vec<Neighbor> {
    let start = u32::try_from(center.index()).expect("petgraph indices are u32");
    let mut distance: FxHashMap<u32, usize> = FxHashMap::default();
    distance.insert(start, 0);
    let mut found: Vec<Neighbor> = Vec::new();
    let mut front = vec![start];
    for step in 1..=depth {
        let mut via: FxHashMap<u32, Vec<EdgeIndex>> = FxHashMap::default();
        for &u in &front {
            for link in adjacency.forward(u, filter.directed) {
                let edge = EdgeIndex::new(link.edge as usize);
                if filter.filters_relations() && !filter.allows_relation(kg.relation(edge)) {
                    continue;
                }
                let node = NodeIndex::new(link.node as usize);
                if distance.get(&link.node).is_some_and(|&d| d < step) {
                    continue;
                }
                if filter.filters_entities() && !filter.allows_entity(node, kg.entity(node)) {
                    continue;
                }
                distance.insert(link.node, step);
                via.entry(link.node).or_default().push(edge);
            }
        }
        let mut layer: Vec<u32> = via.keys().copied().collect();
        layer.sort_unstable();
        for &node in &layer {
            let mut edges = via.remove(&node).expect("layer comes from via");
            edges.sort_unstable();
            edges.dedup();
            found.push(Neighbor {
                node: NodeIndex::new(node as usize),
                distance: step,
                via: edges,
            });
        }
        front = layer;
    }
    found
}
