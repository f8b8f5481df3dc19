//! Unweighted search: a layered bidirectional breadth-first search, then the marks that
//! turn its two distance maps into the DAG of every shortest path.

use super::{Blocked, Dag, DagKind, PathQuery, PathSearch, edge_allowed};
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;

impl PathSearch<'_> {
    /// Layered bidirectional BFS, then marks every entity on a shortest path with its position.
    pub(super) fn bfs_dag(
        &mut self,
        s: u32,
        t: u32,
        query: &PathQuery,
        blocked: &Blocked,
        hop_limit: Option<u32>,
    ) -> Option<Dag> {
        let generation = self.next_generation();
        let adjacency = self.adjacency;
        let directed = query.filter.directed;
        let endpoints = (s, t);
        self.forward[s as usize] = (generation, 0);
        self.backward[t as usize] = (generation, 0);
        // Each side keeps its layers: the marking pass below walks them back.
        let mut forward_layers: Vec<Vec<u32>> = vec![vec![s]];
        let mut backward_layers: Vec<Vec<u32>> = vec![vec![t]];
        let mut meeting: Vec<u32> = Vec::new();
        while meeting.is_empty() {
            let forward_front = forward_layers.last().expect("starts with one layer");
            let backward_front = backward_layers.last().expect("starts with one layer");
            if forward_front.is_empty() || backward_front.is_empty() {
                return None;
            }
            let depths =
                u32::try_from(forward_layers.len() + backward_layers.len() - 2).unwrap_or(u32::MAX);
            if hop_limit.is_some_and(|limit| depths >= limit) {
                return None;
            }
            let forward_cost: usize = forward_front.iter().map(|&v| adjacency.degree(v)).sum();
            let backward_cost: usize = backward_front.iter().map(|&v| adjacency.degree(v)).sum();
            let expand_forward = forward_cost <= backward_cost;
            let (front, depth) = if expand_forward {
                (
                    forward_front,
                    u32::try_from(forward_layers.len()).unwrap_or(u32::MAX),
                )
            } else {
                (
                    backward_front,
                    u32::try_from(backward_layers.len()).unwrap_or(u32::MAX),
                )
            };
            let mut next = Vec::new();
            for &u in front {
                let links = if expand_forward {
                    adjacency.forward(u, directed)
                } else {
                    adjacency.backward(u, directed)
                };
                for link in links {
                    let (own, other) = if expand_forward {
                        (&self.forward, &self.backward)
                    } else {
                        (&self.backward, &self.forward)
                    };
                    if own[link.node as usize].0 == generation
                        || !self.edge_allowed(query, blocked, link.edge)
                        || !self.can_enter(query, blocked, link.node, endpoints)
                    {
                        continue;
                    }
                    let met = other[link.node as usize].0 == generation;
                    let own = if expand_forward {
                        &mut self.forward
                    } else {
                        &mut self.backward
                    };
                    own[link.node as usize] = (generation, depth);
                    next.push(link.node);
                    if met {
                        meeting.push(link.node);
                    }
                }
            }
            if expand_forward {
                forward_layers.push(next);
            } else {
                backward_layers.push(next);
            }
        }
        // Every shortest path crosses the last expanded layer at a meeting entity.
        let total =
            |search: &Self, v: u32| search.forward[v as usize].1 + search.backward[v as usize].1;
        let distance = meeting
            .iter()
            .map(|&v| total(self, v))
            .min()
            .expect("meeting is not empty");
        meeting.retain(|&v| total(self, v) == distance);
        if hop_limit.is_some_and(|limit| distance > limit) {
            return None;
        }
        let meeting_depth = self.forward[meeting[0] as usize].1;
        // Mark every entity on a shortest path with its position: towards the start a
        // position is the forward depth, towards the end the distance minus the backward depth.
        for &v in &meeting {
            self.marks[v as usize] = (generation, meeting_depth);
        }
        let context = MarkContext {
            kg: self.kg,
            adjacency,
            query,
            blocked,
            generation,
            meeting: &meeting,
        };
        context.mark_side(
            &self.forward,
            &mut self.marks,
            &forward_layers,
            meeting_depth,
            false,
            |d| d,
        );
        context.mark_side(
            &self.backward,
            &mut self.marks,
            &backward_layers,
            distance - meeting_depth,
            true,
            |r| distance - r,
        );
        Some(Dag {
            kind: DagKind::Marked { generation },
            source: (s, 0),
            target: t,
        })
    }
}

/// What marking one side of the shortest-path DAG needs besides the arrays it writes.
struct MarkContext<'a> {
    kg: &'a KnowledgeGraph,
    adjacency: &'a Adjacency,
    query: &'a PathQuery,
    blocked: &'a Blocked,
    generation: u32,
    meeting: &'a [u32],
}

impl MarkContext<'_> {
    /// Walks one side's layers from the meeting entities back to its end, marking each
    /// entity on a shortest path with `position(depth)`. `end_side` is false for the side of
    /// the start (whose walks run towards the meeting layer) and true for the side of the end.
    ///
    /// For each layer it scans whichever is cheaper: the links of the marked entities one
    /// layer nearer the meeting, or the links of the whole layer; with a hub among the
    /// meeting entities that is the difference between reading its thousands of links and
    /// reading a few.
    fn mark_side(
        &self,
        depths: &[(u32, u32)],
        marks: &mut [(u32, u32)],
        layers: &[Vec<u32>],
        meeting_depth: u32,
        end_side: bool,
        position: impl Fn(u32) -> u32,
    ) {
        let (adjacency, directed, generation) =
            (self.adjacency, self.query.filter.directed, self.generation);
        // Links leading away from the meeting layer, and links leading towards it.
        let away = |v: u32| {
            if end_side {
                adjacency.forward(v, directed)
            } else {
                adjacency.backward(v, directed)
            }
        };
        let toward = |v: u32| {
            if end_side {
                adjacency.backward(v, directed)
            } else {
                adjacency.forward(v, directed)
            }
        };
        let allowed = |edge: u32| edge_allowed(self.kg, self.query, self.blocked, edge);
        let mut marked: Vec<u32> = self.meeting.to_vec();
        for depth in (0..meeting_depth).rev() {
            let layer = &layers[depth as usize];
            let nearer = position(depth + 1);
            let marked_cost: usize = marked.iter().map(|&v| adjacency.degree(v)).sum();
            let layer_cost: usize = layer.iter().map(|&v| adjacency.degree(v)).sum();
            let mut next_marked = Vec::new();
            if marked_cost <= layer_cost {
                for &v in &marked {
                    for link in away(v) {
                        let u = link.node as usize;
                        if depths[u] == (generation, depth)
                            && marks[u].0 != generation
                            && allowed(link.edge)
                        {
                            marks[u] = (generation, position(depth));
                            next_marked.push(link.node);
                        }
                    }
                }
            } else {
                for &u in layer {
                    let on_path = toward(u).any(|link| {
                        marks[link.node as usize] == (generation, nearer) && allowed(link.edge)
                    });
                    if on_path {
                        marks[u as usize] = (generation, position(depth));
                        next_marked.push(u);
                    }
                }
            }
            marked = next_marked;
        }
    }
}
