//! Time-respecting paths: could something have passed from A to B along the relations, in
//! the order they were in force?
//!
//! # Semantics
//! A path is *chronological* when there are moments `t1 <= t2 <= ... <= tn` with each
//! relation `i` in force at `ti`, by its type's [`crate::model::schema::Timing`] (an event
//! on its own dates, a state from its start until its end). So a relation may not end before
//! the previous one began: after a visit in 2016, a link that ended in 2010 cannot carry the
//! path on, while diplomatic relations in force since 1992 can. In particular no relation
//! starts after the next one has ended, and an event is never followed by an earlier event.
//! Partial dates are the days they cover (`1992` and `1992-08` may be the same moment).
//! Undated relations cannot be placed in time and do not constrain the order.
//!
//! The search finds a path with the fewest relations. It runs a breadth-first search over
//! `(entity, moment)` labels, keeping at each entity only labels that arrive earlier than
//! every label with as few relations: arriving earlier never closes a door, so the pruned
//! labels could not lead to a shorter path. A shortest chronological walk never visits an
//! entity twice (the first visit could skip the loop), so the path is simple.

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;

use crate::graph::KnowledgeGraph;
use crate::model::date::Day;
use crate::query::adjacency::Adjacency;
use crate::query::filter::Filter;
use crate::query::path::Path;

/// The earliest moment a walk may be at an entity: `None` before any dated relation (the
/// beginning of time), which sorts before every day.
type Moment = Option<Day>;

/// One label: an entity reached at a moment, and how.
#[derive(Clone, Copy)]
struct Label {
    node: u32,
    moment: Moment,
    /// The label before, and the relation taken from it (none for the start).
    parent: Option<(usize, u32)>,
}

/// Returns a shortest chronological path from `from` to `to` within `max_hops` relations,
/// using only relations and inner entities `filter` allows; `None` when there is none.
#[must_use]
pub fn chronological_path(
    kg: &KnowledgeGraph,
    adjacency: &Adjacency,
    (from, to): (NodeIndex, NodeIndex),
    filter: &Filter,
    max_hops: Option<usize>,
) -> Option<Path> {
    let (start, target) = (index(from), index(to));
    let mut labels = vec![Label {
        node: start,
        moment: None,
        parent: None,
    }];
    if start == target {
        return Some(path_of(&labels, 0));
    }
    // The earliest moment each entity has been reached at so far, over all layers.
    let mut earliest: FxHashMap<u32, Moment> = FxHashMap::default();
    earliest.insert(start, None);
    let mut layer: Vec<usize> = vec![0];
    let mut hops = 0;
    while !layer.is_empty() && max_hops.is_none_or(|limit| hops < limit) {
        hops += 1;
        // The best label per entity reached in this layer, in the order first reached.
        let mut next: FxHashMap<u32, usize> = FxHashMap::default();
        let mut order: Vec<u32> = Vec::new();
        for &label_index in &layer {
            let Label {
                node: at, moment, ..
            } = labels[label_index];
            for link in adjacency.forward(at, filter.directed) {
                if link.node == at {
                    continue;
                }
                let edge = EdgeIndex::new(link.edge as usize);
                let relation = kg.relation(edge);
                if filter.filters_relations() && !filter.allows_relation(relation) {
                    continue;
                }
                let next_node = NodeIndex::new(link.node as usize);
                if link.node != target
                    && filter.filters_entities()
                    && !filter.allows_inner(next_node, kg.entity(next_node))
                {
                    continue;
                }
                let span = kg.catalog.timings.span(relation);
                // Still in force at or after the moment the walk is at...
                if let (Some(now), Some(last)) = (moment, span.last)
                    && last < now
                {
                    continue;
                }
                // ...and taken no earlier than it began.
                let arrival = match (moment, span.first) {
                    (Some(now), Some(first)) => Some(now.max(first)),
                    (now, first) => now.or(first),
                };
                if earliest
                    .get(&link.node)
                    .is_some_and(|&best| best <= arrival)
                {
                    continue;
                }
                let candidate = Label {
                    node: link.node,
                    moment: arrival,
                    parent: Some((label_index, link.edge)),
                };
                match next.get(&link.node) {
                    Some(&i) if labels[i].moment <= arrival => {}
                    Some(&i) => labels[i] = candidate,
                    None => {
                        next.insert(link.node, labels.len());
                        order.push(link.node);
                        labels.push(candidate);
                    }
                }
            }
        }
        if let Some(&reached) = next.get(&target) {
            return Some(path_of(&labels, reached));
        }
        layer = order.iter().map(|node| next[node]).collect();
        for &i in &layer {
            earliest.insert(labels[i].node, labels[i].moment);
        }
    }
    None
}

/// Follows parents back from `end` to the start.
fn path_of(labels: &[Label], end: usize) -> Path {
    let mut nodes = vec![NodeIndex::new(labels[end].node as usize)];
    let mut edges = Vec::new();
    let mut at = end;
    while let Some((parent, edge)) = labels[at].parent {
        edges.push(EdgeIndex::new(edge as usize));
        nodes.push(NodeIndex::new(labels[parent].node as usize));
        at = parent;
    }
    nodes.reverse();
    edges.reverse();
    Path {
        nodes,
        edges,
        weight: None,
    }
}

fn index(node: NodeIndex) -> u32 {
    u32::try_from(node.index()).expect("node indices fit u32")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::filter::FilterSpec;

    /// a -[2010]- b -[2005]- c as states and as events, plus a slow way round through d.
    fn graph(toml: Option<&str>) -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[("people", "id\na\nb\nc\nd\ne\n")],
            &[(
                "r",
                "from,type,to,start,end\na,met,b,2010,\nb,met,c,2005,\na,knows,d,2001,\n\
                 d,knows,e,2003,\ne,knows,c,2004,\n",
            )],
            toml,
        )
        .unwrap()
    }

    fn find(kg: &KnowledgeGraph, from: &str, to: &str) -> Option<Vec<String>> {
        let adjacency = Adjacency::new(kg);
        let filter = Filter::new(kg, &FilterSpec::default()).unwrap();
        let ends = (kg.resolve(from).unwrap(), kg.resolve(to).unwrap());
        chronological_path(kg, &adjacency, ends, &filter, None)
            .map(|path| path.nodes.iter().map(|&n| kg.id(n).to_owned()).collect())
    }

    #[test]
    fn a_state_carries_the_path_on_but_an_earlier_event_does_not() {
        let as_states = graph(None);
        assert_eq!(find(&as_states, "a", "c").unwrap(), ["a", "b", "c"]);
        let as_events = graph(Some("[schema.types.met]\ntime = \"event\"\n"));
        // Meeting b in 2010 comes after b met c in 2005: the long way, in order, is left.
        assert_eq!(find(&as_events, "a", "c").unwrap(), ["a", "d", "e", "c"]);
        // The other way round the dates run forwards: c met b in 2005, b met a in 2010.
        assert_eq!(find(&as_events, "c", "a").unwrap(), ["c", "b", "a"]);
    }

    #[test]
    fn an_entity_reached_later_by_a_shorter_walk_is_still_explored() {
        // x reaches m in one hop but only in 2020; the two-hop way arrives in 2001, in time
        // for the 2005 relation to y.
        let kg = KnowledgeGraph::from_csv(
            &[("people", "id\nx\nm\nn\ny\n")],
            &[(
                "r",
                "from,type,to,start,end\nx,met,m,2020,\nx,met,n,2000,\nn,met,m,2001,\n\
                 m,met,y,2005,\n",
            )],
            Some("[schema.types.met]\ntime = \"event\"\n"),
        )
        .unwrap();
        assert_eq!(find(&kg, "x", "y").unwrap(), ["x", "n", "m", "y"]);
    }
}
