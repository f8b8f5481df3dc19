//! Weighted search: Dijkstra (over `(entity, hops)` states with a hop limit), and the DAG of
//! the relations that are tight on a least-weight path.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Blocked, Dag, DagKind, PathError, PathQuery, PathSearch, State, tolerance};

impl PathSearch<'_> {
    /// Dijkstra (over `(entity, hops)` when hop-limited), then the DAG of tight relations.
    pub(super) fn dijkstra_dag(
        &mut self,
        s: u32,
        t: u32,
        query: &PathQuery,
        blocked: &Blocked,
        hop_limit: Option<u32>,
    ) -> Result<Option<Dag>, PathError> {
        let directed = query.filter.directed;
        let endpoints = (s, t);
        let mut best: FxHashMap<State, f64> = FxHashMap::default();
        let mut heap = BinaryHeap::new();
        best.insert((s, 0), 0.0);
        heap.push(Reverse(Cost(0.0), (s, 0)));
        let mut found: Option<f64> = None;
        while let Some(Reverse(Cost(cost), state)) = heap.pop() {
            if best.get(&state).is_some_and(|&b| cost > b) {
                continue;
            }
            if found.is_some_and(|f| cost > f + tolerance(f)) {
                break;
            }
            let (v, hops) = state;
            if v == t {
                found.get_or_insert(cost);
                continue;
            }
            if hop_limit.is_some_and(|limit| hops >= limit) {
                continue;
            }
            for link in self.adjacency.forward(v, directed) {
                if !self.edge_allowed(query, blocked, link.edge)
                    || !self.can_enter(query, blocked, link.node, endpoints)
                    || link.node == s
                {
                    continue;
                }
                let next = (link.node, if hop_limit.is_some() { hops + 1 } else { 0 });
                let next_cost = cost + self.weight_of(link.edge)?;
                if best.get(&next).is_none_or(|&b| next_cost < b) {
                    best.insert(next, next_cost);
                    heap.push(Reverse(Cost(next_cost), next));
                }
            }
        }
        let Some(found) = found else { return Ok(None) };
        // Walk back from every best target state over tight relations.
        let mut succ: FxHashMap<State, Vec<(u32, State)>> = FxHashMap::default();
        let mut stack: Vec<State> = best
            .iter()
            .filter(|&(&(v, _), &c)| v == t && (c - found).abs() <= tolerance(found))
            .map(|(&state, _)| state)
            .collect();
        let mut seen: FxHashSet<State> = stack.iter().copied().collect();
        while let Some((v, hops)) = stack.pop() {
            if v == s {
                continue;
            }
            let cost = best[&(v, hops)];
            let previous_hops = if hop_limit.is_some() {
                hops.wrapping_sub(1)
            } else {
                0
            };
            for link in self.adjacency.backward(v, directed) {
                let previous = (link.node, previous_hops);
                let Some(&previous_cost) = best.get(&previous) else {
                    continue;
                };
                if link.node == t || !self.edge_allowed(query, blocked, link.edge) {
                    continue;
                }
                let weight = self.weight_of(link.edge)?;
                if (previous_cost + weight - cost).abs() <= tolerance(cost) {
                    succ.entry(previous)
                        .or_default()
                        .push((link.edge, (v, hops)));
                    if seen.insert(previous) {
                        stack.push(previous);
                    }
                }
            }
        }
        Ok(Some(Dag {
            kind: DagKind::Tight(succ),
            source: (s, 0),
            target: t,
        }))
    }
}

/// A path cost ordered for the heap (costs are finite: NaN weights are refused at load).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cost(f64);

impl Eq for Cost {}

impl PartialOrd for Cost {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cost {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// A min-heap entry: lowest cost first, then lowest state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reverse(Cost, State);

impl PartialOrd for Reverse {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Reverse {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}
