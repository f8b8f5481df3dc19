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
//! # Algorithm
//! A bidirectional breadth-first search over labels. A forward label says "the start reaches
//! this entity in `h` relations, at the earliest at moment `a`"; a backward label says "this
//! entity reaches the end in `h` relations, setting out at the latest at moment `d`". Each
//! side keeps, per entity, only labels better than every label with as few relations
//! (arriving earlier or leaving later never closes a door), so every chronological walk is
//! matched, prefix by prefix, by a label at least as good. A forward label and a backward one
//! at the same entity meet when `a <= d`, giving a path of `hf + hb` relations. The side whose
//! frontier has fewer links is expanded, layer by layer, until the two depths add up to the
//! shortest meeting found: no shorter path can remain. A shortest chronological walk never
//! visits an entity twice (the first visit could skip the loop), so the path is simple.
//!
//! Ties are broken by the order of the search: the first meeting found with the fewest
//! relations, entities expanded in the order they were reached, links in adjacency order
//! (outgoing then incoming, each in input order). The explorer's page runs the same steps
//! and gives the same path.

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{Path, PathSearch, index};
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::model::date::Day;
use crate::query::filter::Filter;

/// No label, no parent.
const NONE: u32 = u32::MAX;

/// A moment as days since the epoch; the ends of time stand for missing dates.
type Moment = i32;
const BEGINNING: Moment = Moment::MIN;
const END: Moment = Moment::MAX;

fn moment_of(day: Option<Day>, missing: Moment) -> Moment {
    day.map_or(missing, Day::days_since_epoch)
}

/// One label of one side: an entity, how many relations from that side's end, and the
/// moment (forward: earliest arrival; backward: latest departure).
#[derive(Clone, Copy)]
struct Label {
    node: u32,
    moment: Moment,
    hops: u32,
    /// The label this one was reached from (towards the side's end), and the relation.
    parent: u32,
    edge: u32,
    /// The previous label at the same entity (with fewer relations and a worse moment).
    older: u32,
}

/// One side of the search.
struct Side<'s> {
    forward: bool,
    labels: Vec<Label>,
    /// The newest (best) label at each entity, valid where stamped with `generation`: the
    /// search's reusable scratch array, so a query touches only the entities it reaches.
    newest: &'s mut [(u32, u32)],
    generation: u32,
    /// The labels of the last layer, in the order their entities were first reached.
    frontier: Vec<u32>,
    depth: u32,
}

impl<'s> Side<'s> {
    fn new(forward: bool, end: u32, newest: &'s mut [(u32, u32)], generation: u32) -> Self {
        newest[end as usize] = (generation, 0);
        Side {
            forward,
            generation,
            labels: vec![Label {
                node: end,
                moment: if forward { BEGINNING } else { END },
                hops: 0,
                parent: NONE,
                edge: NONE,
                older: NONE,
            }],
            newest,
            frontier: vec![0],
            depth: 0,
        }
    }

    /// Whether moment `a` is better than `b` on this side: earlier forward, later backward.
    fn better(&self, a: Moment, b: Moment) -> bool {
        if self.forward { a < b } else { a > b }
    }

    /// The newest label at `node`, or `NONE`.
    fn newest(&self, node: u32) -> u32 {
        match self.newest[node as usize] {
            (generation, label) if generation == self.generation => label,
            _ => NONE,
        }
    }

    /// The labels at `node`, newest first.
    fn at(&self, node: u32) -> impl Iterator<Item = &Label> {
        let mut next = self.newest(node);
        std::iter::from_fn(move || {
            let label = self.labels.get(next as usize)?;
            next = label.older;
            Some(label)
        })
    }

    /// Adds the next layer; returns the labels it created or improved.
    fn expand(&mut self, search: &Search) -> Vec<u32> {
        self.depth += 1;
        let mut layer = Vec::new();
        let frontier = std::mem::take(&mut self.frontier);
        for &from in &frontier {
            let Label { node, moment, .. } = self.labels[from as usize];
            let links = if self.forward {
                search.adjacency.forward(node, search.filter.directed)
            } else {
                search.adjacency.backward(node, search.filter.directed)
            };
            for link in links {
                if link.node == node {
                    continue;
                }
                let Some(next) = search.step(self.forward, moment, link.node, link.edge) else {
                    continue;
                };
                let candidate = Label {
                    node: link.node,
                    moment: next,
                    hops: self.depth,
                    parent: from,
                    edge: link.edge,
                    older: NONE,
                };
                let newest = self.newest(link.node);
                match self.labels.get(newest as usize).copied() {
                    Some(label) if !self.better(next, label.moment) => {}
                    // Reached earlier in this layer: the better label takes its place.
                    Some(label) if label.hops == self.depth => {
                        self.labels[newest as usize] = Label {
                            older: label.older,
                            ..candidate
                        };
                    }
                    _ => {
                        let index = u32::try_from(self.labels.len()).unwrap_or(NONE);
                        self.labels.push(Label {
                            older: newest,
                            ..candidate
                        });
                        self.newest[link.node as usize] = (self.generation, index);
                        layer.push(index);
                    }
                }
            }
        }
        self.frontier.clone_from(&layer);
        layer
    }

    /// The links the next layer would scan.
    fn cost(&self, adjacency: &Adjacency) -> usize {
        self.frontier
            .iter()
            .map(|&i| adjacency.degree(self.labels[i as usize].node))
            .sum()
    }
}

/// What both sides share: the graph, the filter and the two ends.
struct Search<'a> {
    kg: &'a KnowledgeGraph,
    adjacency: &'a Adjacency,
    filter: &'a Filter,
    start: u32,
    target: u32,
}

impl Search<'_> {
    /// The moment after taking relation `edge` into `node` from a label at `moment`, or
    /// `None` when the filter or time forbids it.
    fn step(&self, forward: bool, moment: Moment, node: u32, edge: u32) -> Option<Moment> {
        let relation = self.kg.relation(EdgeIndex::new(edge as usize));
        if self.filter.filters_relations() && !self.filter.allows_relation(relation) {
            return None;
        }
        let end = if forward { self.target } else { self.start };
        if node != end && self.filter.filters_entities() {
            let entity = NodeIndex::new(node as usize);
            if !self.filter.allows_inner(entity, self.kg.entity(entity)) {
                return None;
            }
        }
        let span = self.kg.catalog.timings.span(relation);
        let (first, last) = (moment_of(span.first, BEGINNING), moment_of(span.last, END));
        if forward {
            // Still in force when the walk gets there; taken no earlier than it began.
            (last >= moment).then_some(moment.max(first))
        } else {
            // Begun by the time the rest must set out; left no later than it ends.
            (first <= moment).then_some(moment.min(last))
        }
    }
}

impl PathSearch<'_> {
    /// Returns a shortest chronological path from `from` to `to` within `max_hops` relations,
    /// using only relations and inner entities `filter` allows; `None` when there is none.
    pub(super) fn chronological(
        &mut self,
        (from, to): (NodeIndex, NodeIndex),
        filter: &Filter,
        max_hops: Option<usize>,
    ) -> Option<Path> {
        let generation = self.next_generation();
        let (start, target) = (index(from), index(to));
        let search = Search {
            kg: self.kg,
            adjacency: self.adjacency,
            filter,
            start,
            target,
        };
        let adjacency = self.adjacency;
        let mut forward = Side::new(true, start, &mut self.forward, generation);
        let mut backward = Side::new(false, target, &mut self.backward, generation);
        let hop_limit = max_hops.map_or(u32::MAX, |h| u32::try_from(h).unwrap_or(u32::MAX));
        // The shortest meeting so far: (relations, forward label, backward label).
        let mut best: Option<(u32, u32, u32)> = (start == target).then_some((0, 0, 0));
        loop {
            let reach = forward.depth + backward.depth;
            if best.is_some_and(|(hops, ..)| hops <= reach)
                || reach >= hop_limit
                || forward.frontier.is_empty()
                || backward.frontier.is_empty()
            {
                break;
            }
            let expand_forward = forward.cost(adjacency) <= backward.cost(adjacency);
            let (grown, other) = if expand_forward {
                (&mut forward, &backward)
            } else {
                (&mut backward, &forward)
            };
            for label in grown.expand(&search) {
                let new = grown.labels[label as usize];
                for (i, old) in other.at(new.node).enumerate() {
                    let (arrival, departure) = if grown.forward {
                        (new.moment, old.moment)
                    } else {
                        (old.moment, new.moment)
                    };
                    let hops = new.hops + old.hops;
                    if arrival <= departure
                        && hops <= hop_limit
                        && best.is_none_or(|(shortest, ..)| hops < shortest)
                    {
                        let old_index = nth_label(other, new.node, i);
                        best = Some(if grown.forward {
                            (hops, label, old_index)
                        } else {
                            (hops, old_index, label)
                        });
                    }
                }
            }
        }
        best.map(|(_, meet_forward, meet_backward)| {
            path_of(&forward, meet_forward, &backward, meet_backward)
        })
    }
}

/// The index of the `n`-th newest label at `node`.
fn nth_label(side: &Side<'_>, node: u32, n: usize) -> u32 {
    let mut index = side.newest(node);
    for _ in 0..n {
        index = side.labels[index as usize].older;
    }
    index
}

/// Joins the forward chain to `meet_forward` and the backward chain from `meet_backward`.
fn path_of(forward: &Side<'_>, meet_forward: u32, backward: &Side<'_>, meet_backward: u32) -> Path {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut at = meet_forward;
    while at != NONE {
        let label = forward.labels[at as usize];
        nodes.push(NodeIndex::new(label.node as usize));
        if label.edge != NONE {
            edges.push(EdgeIndex::new(label.edge as usize));
        }
        at = label.parent;
    }
    nodes.reverse();
    edges.reverse();
    let mut at = meet_backward;
    loop {
        let label = backward.labels[at as usize];
        if label.parent == NONE {
            break;
        }
        edges.push(EdgeIndex::new(label.edge as usize));
        at = label.parent;
        nodes.push(NodeIndex::new(backward.labels[at as usize].node as usize));
    }
    Path {
        nodes,
        edges,
        weight: None,
    }
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
        let adjacency = kg.adjacency();
        let filter = Filter::new(kg, &FilterSpec::default()).unwrap();
        let ends = (kg.resolve(from).unwrap(), kg.resolve(to).unwrap());
        PathSearch::new(kg, adjacency)
            .chronological(ends, &filter, None)
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
