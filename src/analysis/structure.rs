//! Weakly connected components and core numbers, on the graph without direction.

use crate::analysis::MetricGraph;

/// Returns each entity's weakly connected component, numbered from 0 by size (largest
/// first; equal sizes by their first entity), and how many there are.
///
/// A union-find over the links on all cores: each link joins its ends' trees by pointing the
/// higher root at the lower with a compare-and-swap (a lost race is retried), with path
/// halving on the way up. Every arc is seen once, in either direction, so a directed graph
/// needs no undirected copy.
#[must_use]
pub fn components(graph: &MetricGraph) -> (Vec<usize>, usize) {
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

    use rayon::prelude::*;

    let n = graph.len();
    let parent: Vec<AtomicU32> = (0..n)
        .map(|i| AtomicU32::new(u32::try_from(i).expect("fewer than 4 G entities")))
        .collect();
    let find = |mut x: u32| -> u32 {
        loop {
            let p = parent[x as usize].load(Relaxed);
            if p == x {
                return x;
            }
            let grand = parent[p as usize].load(Relaxed);
            if grand != p {
                // Path halving; losing this race only leaves the path longer.
                let _ = parent[x as usize].compare_exchange(p, grand, Relaxed, Relaxed);
            }
            x = grand;
        }
    };
    (0..n).into_par_iter().for_each(|v| {
        let v32 = u32::try_from(v).expect("fewer than 4 G entities");
        for &w in graph.successors(v) {
            let (mut a, mut b) = (find(v32), find(w));
            while a != b {
                let (high, low) = if a > b { (a, b) } else { (b, a) };
                match parent[high as usize].compare_exchange(high, low, Relaxed, Relaxed) {
                    Ok(_) => break,
                    Err(_) => {
                        a = find(high);
                        b = find(low);
                    }
                }
            }
        }
    });
    let roots: Vec<u32> = (0..n)
        .into_par_iter()
        .map(|v| find(u32::try_from(v).expect("fewer than 4 G entities")))
        .collect();
    // Roots become dense labels, in order of first entity.
    let mut dense = vec![usize::MAX; n];
    let mut count = 0;
    let labels: Vec<usize> = roots
        .iter()
        .map(|&root| {
            let slot = &mut dense[root as usize];
            if *slot == usize::MAX {
                *slot = count;
                count += 1;
            }
            *slot
        })
        .collect();
    (renumber_by_size(&labels, count), count)
}

/// Renumbers group labels `0..count` so that 0 is the largest group (ties: the group whose
/// first member comes first).
pub(crate) fn renumber_by_size(labels: &[usize], count: usize) -> Vec<usize> {
    let mut sizes = vec![0usize; count];
    let mut first = vec![usize::MAX; count];
    for (i, &label) in labels.iter().enumerate() {
        sizes[label] += 1;
        first[label] = first[label].min(i);
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&label| (std::cmp::Reverse(sizes[label]), first[label]));
    let mut rank = vec![0; count];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new;
    }
    labels.iter().map(|&label| rank[label]).collect()
}

/// Returns each entity's core number: the largest `k` such that it belongs to a subgraph
/// where every entity has at least `k` neighbours (as NetworkX's `core_number`, on the graph
/// without direction).
///
/// Peeling level by level on all cores (as `ParK`, Dasari et al. 2014): at level `k`, every
/// entity left with at most `k` neighbours gets core number `k` and leaves, which may bring
/// its neighbours down to `k` in turn; then `k` rises. Each link is crossed once.
#[must_use]
pub fn core_numbers(graph: &MetricGraph) -> Vec<usize> {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

    use rayon::prelude::*;

    let undirected = graph.undirected();
    let n = undirected.len();
    let as_u32 = |i: usize| u32::try_from(i).expect("fewer than 4 G entities");
    let degree: Vec<AtomicU32> = (0..n)
        .into_par_iter()
        .map(|v| AtomicU32::new(as_u32(undirected.successors(v).len())))
        .collect();
    let removed: Vec<AtomicBool> = (0..n).map(|_| AtomicBool::new(false)).collect();
    let core: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
    let mut left = n;
    let mut k = 0u32;
    while left > 0 {
        let mut frontier: Vec<u32> = (0..n)
            .into_par_iter()
            .filter(|&v| !removed[v].load(Relaxed) && degree[v].load(Relaxed) <= k)
            .map(as_u32)
            .collect();
        while !frontier.is_empty() {
            left -= frontier.len();
            frontier.par_iter().for_each(|&v| {
                removed[v as usize].store(true, Relaxed);
                core[v as usize].store(k, Relaxed);
            });
            frontier = frontier
                .par_iter()
                .fold(Vec::new, |mut next, &v| {
                    for &u in undirected.successors(v as usize) {
                        if removed[u as usize].load(Relaxed) {
                            continue;
                        }
                        // The one decrement that brings u from k + 1 to k puts it next.
                        if degree[u as usize].fetch_sub(1, Relaxed) == k + 1 {
                            next.push(u);
                        }
                    }
                    next
                })
                .reduce(Vec::new, |mut a, b| {
                    a.extend(b);
                    a
                });
        }
        k += 1;
    }
    core.into_iter().map(|c| c.into_inner() as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::metric_graph;

    #[test]
    fn components_are_numbered_by_size() {
        // {0}, {1, 2}, {3, 4, 5}: direction is ignored.
        let g = metric_graph(6, &[(2, 1), (3, 4), (5, 4)], true);
        let (labels, count) = components(&g);
        assert_eq!(count, 3);
        assert_eq!(labels, [2, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn a_triangle_with_a_tail_is_a_two_core_and_its_tail_a_one_core() {
        // Triangle 0-1-2, tail 2-3-4, and an isolated 5.
        let g = metric_graph(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)], false);
        assert_eq!(core_numbers(&g), [2, 2, 2, 1, 1, 0]);
        // A 4-clique is a 3-core.
        let clique = metric_graph(4, &[(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], false);
        assert_eq!(core_numbers(&clique), [3, 3, 3, 3]);
    }
}
