//! Weakly connected components and core numbers, on the graph without direction.

use crate::analysis::MetricGraph;

/// Returns each entity's weakly connected component, numbered from 0 by size (largest
/// first; equal sizes by their first entity), and how many there are.
#[must_use]
pub fn components(graph: &MetricGraph) -> (Vec<usize>, usize) {
    let undirected = graph.undirected();
    let n = undirected.len();
    let mut found = vec![usize::MAX; n];
    let mut sizes: Vec<(usize, usize)> = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        if found[start] != usize::MAX {
            continue;
        }
        let id = sizes.len();
        found[start] = id;
        stack.push(start);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in undirected.successors(v) {
                let w = w as usize;
                if found[w] == usize::MAX {
                    found[w] = id;
                    stack.push(w);
                }
            }
        }
        sizes.push((size, id));
    }
    let count = sizes.len();
    let numbered = renumber_by_size(&found, count);
    (numbered, count)
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
/// without direction). Batagelj and Zaveršnik's bucket algorithm, linear time.
#[must_use]
pub fn core_numbers(graph: &MetricGraph) -> Vec<usize> {
    let undirected = graph.undirected();
    let n = undirected.len();
    let mut degree: Vec<usize> = (0..n).map(|v| undirected.successors(v).len()).collect();
    let max_degree = degree.iter().copied().max().unwrap_or(0);
    // Entities sorted by degree, with where each degree's run starts.
    let mut bin = vec![0usize; max_degree + 1];
    for &d in &degree {
        bin[d] += 1;
    }
    let mut start = 0;
    for count in &mut bin {
        let size = *count;
        *count = start;
        start += size;
    }
    let mut position = vec![0usize; n];
    let mut order = vec![0usize; n];
    for v in 0..n {
        position[v] = bin[degree[v]];
        order[position[v]] = v;
        bin[degree[v]] += 1;
    }
    for d in (1..=max_degree).rev() {
        bin[d] = bin[d - 1];
    }
    if max_degree > 0 || n > 0 {
        bin[0] = 0;
    }
    for i in 0..n {
        let v = order[i];
        for &u in undirected.successors(v) {
            let u = u as usize;
            if degree[u] > degree[v] {
                // Move u to the front of its degree's run, then shrink its degree.
                let du = degree[u];
                let pu = position[u];
                let pw = bin[du];
                let w = order[pw];
                if u != w {
                    order[pu] = w;
                    position[w] = pu;
                    order[pw] = u;
                    position[u] = pw;
                }
                bin[du] += 1;
                degree[u] -= 1;
            }
        }
    }
    degree
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
