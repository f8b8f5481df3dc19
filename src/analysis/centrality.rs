//! PageRank, eigenvector centrality, and betweenness with harmonic closeness (one pass of
//! Brandes' algorithm serves both).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::analysis::{MetricGraph, SplitMix};

/// Iterations after which PageRank and eigenvector stop even if not converged.
pub const MAX_ITERATIONS: usize = 1000;

/// PageRank with damping 0.85, as NetworkX's `pagerank`: an entity's rank flows to its
/// successors in proportion to the links' weights; entities without successors spread
/// theirs over every entity; iterate until the ranks move by less than `tolerance` in total
/// per entity. Returns the ranks (summing to 1), the iterations run and whether they
/// converged within 1,000 iterations.
#[must_use]
pub fn pagerank(graph: &MetricGraph, tolerance: f64) -> (Vec<f64>, usize, bool) {
    const DAMPING: f64 = 0.85;
    let n = graph.len();
    if n == 0 {
        return (Vec::new(), 0, true);
    }
    #[allow(clippy::cast_precision_loss)]
    let n_f = n as f64;
    let out_weight: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| graph.successor_weights(i).iter().sum())
        .collect();
    let mut ranks = vec![1.0 / n_f; n];
    let mut share = vec![0.0; n];
    for iteration in 1..=MAX_ITERATIONS {
        // What each entity hands each unit of link weight, and what the dangling ones spread.
        share
            .par_iter_mut()
            .zip(&ranks)
            .zip(&out_weight)
            .for_each(|((s, &r), &w)| *s = if w > 0.0 { r / w } else { 0.0 });
        let dangling: f64 = ranks
            .par_iter()
            .zip(&out_weight)
            .filter(|&(_, &w)| w <= 0.0)
            .map(|(&r, _)| r)
            .sum();
        let base = (1.0 - DAMPING) / n_f + DAMPING * dangling / n_f;
        let next: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|v| {
                let pulled: f64 = graph
                    .predecessors(v)
                    .iter()
                    .zip(graph.predecessor_weights(v))
                    .map(|(&u, &w)| share[u as usize] * w)
                    .sum();
                base + DAMPING * pulled
            })
            .collect();
        let change: f64 = next
            .par_iter()
            .zip(&ranks)
            .map(|(a, b)| (a - b).abs())
            .sum();
        ranks = next;
        if change < n_f * tolerance {
            return (ranks, iteration, true);
        }
    }
    (ranks, MAX_ITERATIONS, false)
}

/// Eigenvector centrality, as NetworkX's `eigenvector_centrality`: power iteration on
/// `A + I` (each entity keeps its score and adds its predecessors'), scaled to unit length
/// each round, from equal scores, until the scores move by less than `tolerance` per entity.
/// Returns the scores, the iterations run and whether they converged within
/// 1,000 iterations (they may not: on a graph without cycles the scores drift towards the
/// sinks for ever, and NetworkX then raises `PowerIterationFailedConvergence`).
#[must_use]
pub fn eigenvector(graph: &MetricGraph, tolerance: f64) -> (Vec<f64>, usize, bool) {
    let n = graph.len();
    if n == 0 {
        return (Vec::new(), 0, true);
    }
    #[allow(clippy::cast_precision_loss)]
    let n_f = n as f64;
    let mut scores = vec![1.0 / n_f; n];
    for iteration in 1..=MAX_ITERATIONS {
        let mut next: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|v| {
                scores[v]
                    + graph
                        .predecessors(v)
                        .iter()
                        .zip(graph.predecessor_weights(v))
                        .map(|(&u, &w)| scores[u as usize] * w)
                        .sum::<f64>()
            })
            .collect();
        let norm = next.par_iter().map(|x| x * x).sum::<f64>().sqrt();
        let norm = if norm > 0.0 { norm } else { 1.0 };
        next.par_iter_mut().for_each(|x| *x /= norm);
        let change: f64 = next
            .par_iter()
            .zip(&scores)
            .map(|(a, b)| (a - b).abs())
            .sum();
        scores = next;
        if change < n_f * tolerance {
            return (scores, iteration, true);
        }
    }
    (scores, MAX_ITERATIONS, false)
}

/// How betweenness and closeness were estimated from sampled sources.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetweennessSample {
    /// Sources used.
    pub sources: usize,
    /// With probability at least 95%, every entity's estimate is within this of its exact
    /// normalised betweenness (Hoeffding's inequality with a union bound over entities).
    pub error_bound: f64,
}

/// Scratch arrays of one Brandes pass, reused from source to source on one thread.
struct Pass {
    distance: Vec<f64>,
    paths: Vec<f64>,
    dependency: Vec<f64>,
    order: Vec<u32>,
    /// Where each entity stands in `order` (Dijkstra): a predecessor was settled first, so
    /// a link of length 0 counts one way, not both.
    settled_at: Vec<u32>,
    queue: std::collections::VecDeque<u32>,
    heap: BinaryHeap<Reached>,
    betweenness: Vec<f64>,
    closeness: Vec<f64>,
}

/// A heap entry of Dijkstra: smallest distance first, then the lower entity.
#[derive(Debug, PartialEq)]
struct Reached(f64, u32);

impl Eq for Reached {}

impl PartialOrd for Reached {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Reached {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

// Distances are compared exactly, as NetworkX compares them: a path is shortest when its
// length sums to the very same float, and unweighted distances are small whole numbers.
#[allow(clippy::float_cmp)]
impl Pass {
    fn new(n: usize) -> Self {
        Pass {
            distance: vec![f64::INFINITY; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            order: Vec::with_capacity(n),
            settled_at: vec![0; n],
            queue: std::collections::VecDeque::new(),
            heap: BinaryHeap::new(),
            betweenness: vec![0.0; n],
            closeness: vec![0.0; n],
        }
    }

    /// One source: shortest paths out of `s`, then dependencies back in reverse order.
    fn run(&mut self, graph: &MetricGraph, s: usize, weighted: bool) {
        for &v in &self.order {
            let v = v as usize;
            self.distance[v] = f64::INFINITY;
            self.paths[v] = 0.0;
            self.dependency[v] = 0.0;
        }
        self.order.clear();
        self.distance[s] = 0.0;
        self.paths[s] = 1.0;
        if weighted {
            self.dijkstra(graph, s);
        } else {
            self.breadth_first(graph, s);
        }
        // Dependencies, farthest first; predecessors are the neighbours one step closer.
        for index in (0..self.order.len()).rev() {
            let w = self.order[index] as usize;
            let coefficient = (1.0 + self.dependency[w]) / self.paths[w];
            for (&v, &length) in graph
                .predecessors(w)
                .iter()
                .zip(graph.predecessor_weights(w))
            {
                let v = v as usize;
                let step = if weighted { length } else { 1.0 };
                let before = !weighted || self.settled_at[v] < self.settled_at[w];
                if before
                    && self.distance[v].is_finite()
                    && self.distance[v] + step == self.distance[w]
                {
                    self.dependency[v] += self.paths[v] * coefficient;
                }
            }
            if w != s {
                self.betweenness[w] += self.dependency[w];
                self.closeness[w] += 1.0 / self.distance[w];
            }
        }
    }

    fn breadth_first(&mut self, graph: &MetricGraph, s: usize) {
        self.queue.clear();
        self.queue
            .push_back(u32::try_from(s).expect("fewer than 4 G entities"));
        while let Some(v) = self.queue.pop_front() {
            self.order.push(v);
            let v = v as usize;
            let next = self.distance[v] + 1.0;
            for &w in graph.successors(v) {
                let w = w as usize;
                if self.distance[w].is_infinite() {
                    self.distance[w] = next;
                    self.queue
                        .push_back(u32::try_from(w).expect("fewer than 4 G entities"));
                }
                if self.distance[w] == next {
                    self.paths[w] += self.paths[v];
                }
            }
        }
    }

    fn dijkstra(&mut self, graph: &MetricGraph, s: usize) {
        // Settled entities are marked by pushing them on `order`; `dependency` doubles as
        // the settled flag until the backward pass (1.0 = settled).
        self.heap.clear();
        self.heap.push(Reached(
            0.0,
            u32::try_from(s).expect("fewer than 4 G entities"),
        ));
        while let Some(Reached(d, v)) = self.heap.pop() {
            let v_index = v as usize;
            if self.dependency[v_index] > 0.0 || d > self.distance[v_index] {
                continue;
            }
            self.dependency[v_index] = 1.0;
            self.settled_at[v_index] = u32::try_from(self.order.len()).expect("fewer than 4 G");
            self.order.push(v);
            for (&w, &length) in graph
                .successors(v_index)
                .iter()
                .zip(graph.successor_weights(v_index))
            {
                let w_index = w as usize;
                let through = d + length;
                if self.dependency[w_index] > 0.0 {
                    continue;
                }
                if through < self.distance[w_index] {
                    self.distance[w_index] = through;
                    self.paths[w_index] = self.paths[v_index];
                    self.heap.push(Reached(through, w));
                } else if through == self.distance[w_index] {
                    self.paths[w_index] += self.paths[v_index];
                }
            }
        }
        for &v in &self.order {
            self.dependency[v as usize] = 0.0;
        }
    }
}

/// Betweenness (normalised as NetworkX's `betweenness_centrality`) and harmonic closeness
/// (as NetworkX's `harmonic_centrality`: the sum of `1/d(v, u)` over every other `v`), in one
/// pass of Brandes' algorithm from every source, or from `samples` sources drawn with `seed`
/// (both then scaled by `n / samples`). With `weighted`, link weights are lengths (Dijkstra).
#[must_use]
pub fn betweenness_and_closeness(
    graph: &MetricGraph,
    weighted: bool,
    samples: Option<usize>,
    seed: u64,
) -> (Vec<f64>, Vec<f64>, Option<BetweennessSample>) {
    let n = graph.len();
    let mut sources: Vec<usize> = (0..n).collect();
    let sample = match samples {
        Some(k) if k < n => {
            SplitMix::new(seed).shuffle(&mut sources);
            sources.truncate(k.max(1));
            sources.sort_unstable();
            Some(sources.len())
        }
        _ => None,
    };
    // One run of sources per thread: each run holds its own arrays (about 50 bytes an
    // entity), so more runs than threads would only cost memory.
    let per_thread = sources.len().div_ceil(rayon::current_num_threads()).max(1);
    let (mut betweenness, mut closeness) = sources
        .par_iter()
        .with_min_len(per_thread)
        .fold(
            || Pass::new(n),
            |mut pass, &s| {
                pass.run(graph, s, weighted);
                pass
            },
        )
        .map(|pass| (pass.betweenness, pass.closeness))
        .reduce(
            || (vec![0.0; n], vec![0.0; n]),
            |(mut b, mut c), (b2, c2)| {
                b.iter_mut().zip(b2).for_each(|(x, y)| *x += y);
                c.iter_mut().zip(c2).for_each(|(x, y)| *x += y);
                (b, c)
            },
        );
    #[allow(clippy::cast_precision_loss)]
    let (n_f, used) = (n as f64, sources.len() as f64);
    let mut scale = if n > 2 {
        1.0 / ((n_f - 1.0) * (n_f - 2.0))
    } else {
        1.0
    };
    let mut closeness_scale = 1.0;
    if sample.is_some() {
        scale *= n_f / used;
        closeness_scale = n_f / used;
    }
    betweenness.par_iter_mut().for_each(|b| *b *= scale);
    closeness.par_iter_mut().for_each(|c| *c *= closeness_scale);
    let sample = sample.map(|k| {
        // Each sampled source adds a term in [0, n/(n-1)] to the mean; Hoeffding's bound
        // for every entity at once (a union bound), at 95%.
        #[allow(clippy::cast_precision_loss)]
        let k_f = k as f64;
        let range = if n > 1 { n_f / (n_f - 1.0) } else { 1.0 };
        BetweennessSample {
            sources: k,
            error_bound: range * ((2.0 * n_f / 0.05).ln() / (2.0 * k_f)).sqrt(),
        }
    });
    (betweenness, closeness, sample)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::metric_graph;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    #[test]
    fn a_path_of_three_has_its_middle_as_the_only_broker() {
        // 0 - 1 - 2: the middle lies on the one path between the ends.
        let g = metric_graph(3, &[(0, 1), (1, 2)], false);
        let (betweenness, closeness, sample) = betweenness_and_closeness(&g, false, None, 0);
        assert!(close(&betweenness, &[0.0, 1.0, 0.0]), "{betweenness:?}");
        assert!(close(&closeness, &[1.5, 2.0, 1.5]), "{closeness:?}");
        assert_eq!(sample, None);
    }

    #[test]
    fn a_star_centre_brokers_every_pair() {
        let g = metric_graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)], false);
        let (betweenness, _, _) = betweenness_and_closeness(&g, false, None, 0);
        assert!(
            close(&betweenness, &[1.0, 0.0, 0.0, 0.0, 0.0]),
            "{betweenness:?}"
        );
        let (ranks, _, _) = pagerank(&g, 1e-12);
        assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(ranks[0] > ranks[1] && (ranks[1] - ranks[4]).abs() < 1e-12);
    }

    #[test]
    fn pagerank_of_a_cycle_is_uniform_and_dangling_mass_is_spread() {
        let cycle = metric_graph(4, &[(0, 1), (1, 2), (2, 3), (3, 0)], true);
        let (ranks, _, _) = pagerank(&cycle, 1e-12);
        assert!(close(&ranks, &[0.25; 4]), "{ranks:?}");
        // 0 -> 1, and 1 has no successor: NetworkX gives 1 ≈ 0.6491, 0 ≈ 0.3509.
        let chain = metric_graph(2, &[(0, 1)], true);
        let (ranks, _, _) = pagerank(&chain, 1e-14);
        assert!((ranks[0] - 0.350_877_19).abs() < 1e-6, "{ranks:?}");
    }

    #[test]
    fn eigenvector_of_a_triangle_is_equal_and_unit_length() {
        let g = metric_graph(3, &[(0, 1), (1, 2), (2, 0)], false);
        let (scores, _, _) = eigenvector(&g, 1e-12);
        let third = 1.0 / 3f64.sqrt();
        assert!(close(&scores, &[third; 3]), "{scores:?}");
    }

    #[test]
    fn weighted_betweenness_takes_the_lightest_way() {
        // 0-1-2 weighs 2, 0-2 weighs 5: the way through 1 is shorter.
        let kg = crate::graph::KnowledgeGraph::from_csv(
            &[("entities/n.csv", "id\nn0\nn1\nn2\n")],
            &[(
                "relations/r.csv",
                "from,type,to,weight\nn0,r,n1,1\nn1,r,n2,1\nn0,r,n2,5\n",
            )],
            None,
        )
        .unwrap();
        let options = crate::analysis::MetricOptions {
            weighted: true,
            ..Default::default()
        };
        let g = MetricGraph::new(&kg, &crate::view::Subgraph::whole(&kg), &options);
        let (betweenness, closeness, _) = betweenness_and_closeness(&g, true, None, 0);
        assert!(close(&betweenness, &[0.0, 1.0, 0.0]), "{betweenness:?}");
        assert!(close(&closeness, &[1.5, 2.0, 1.5]), "{closeness:?}");
    }

    #[test]
    fn sampling_every_source_is_exact_and_fewer_carry_a_bound() {
        let pairs: Vec<(usize, usize)> = (0..30).map(|i| (i, (i * 7 + 3) % 31)).collect();
        let g = metric_graph(31, &pairs, false);
        let exact = betweenness_and_closeness(&g, false, None, 0);
        let all = betweenness_and_closeness(&g, false, Some(31), 7);
        assert!(close(&exact.0, &all.0));
        let (_, _, sample) = betweenness_and_closeness(&g, false, Some(10), 7);
        let sample = sample.unwrap();
        assert_eq!(sample.sources, 10);
        assert!(sample.error_bound > 0.0 && sample.error_bound.is_finite());
    }
}
