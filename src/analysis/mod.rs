//! Network analysis of a view: degree, PageRank, betweenness, harmonic closeness,
//! eigenvector centrality, weakly connected components, core numbers and Louvain
//! communities, each defined as NetworkX defines it (see `docs/metrics.md`).
//!
//! Metrics run on a compact simple graph built from the view ([`MetricGraph`]): entities are
//! numbered in view order, parallel relations between two entities count once (with
//! `weighted`, their weights add up), and self-loops are left out. Undirected unless
//! `directed`. Work that pays is spread over all cores with rayon; results do not depend on
//! the number of threads.

mod centrality;
mod community;
mod graph;
mod structure;

use std::fmt;

use petgraph::graph::NodeIndex;

use crate::graph::KnowledgeGraph;
use crate::view::{Computed, ComputedColumn, ComputedValues, Subgraph};

pub use centrality::{BetweennessSample, betweenness_and_closeness, eigenvector, pagerank};
pub use community::{Communities, louvain, modularity};
pub(crate) use graph::Csr;
pub use graph::MetricGraph;
pub use structure::{components, core_numbers};

/// One metric `ties stats --metrics` can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Distinct neighbours (in + out when directed).
    Degree,
    /// PageRank, damping 0.85.
    Pagerank,
    /// Shortest-path betweenness, normalised as NetworkX.
    Betweenness,
    /// Harmonic closeness: the sum of 1/distance to every other entity.
    Closeness,
    /// Eigenvector centrality.
    Eigenvector,
    /// The weakly connected component, numbered by size.
    Components,
    /// The core number (largest k of a k-core holding the entity).
    Kcore,
    /// The Louvain community, numbered by size.
    Communities,
}

impl Metric {
    /// Every metric, in the order outputs list them.
    pub const ALL: [Metric; 8] = [
        Metric::Degree,
        Metric::Pagerank,
        Metric::Betweenness,
        Metric::Closeness,
        Metric::Eigenvector,
        Metric::Components,
        Metric::Kcore,
        Metric::Communities,
    ];

    /// The name in `--metrics` lists.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Metric::Degree => "degree",
            Metric::Pagerank => "pagerank",
            Metric::Betweenness => "betweenness",
            Metric::Closeness => "closeness",
            Metric::Eigenvector => "eigenvector",
            Metric::Components => "components",
            Metric::Kcore => "kcore",
            Metric::Communities => "communities",
        }
    }

    /// The column (JSON key, attribute name) the metric's value goes under per entity.
    #[must_use]
    pub fn column(self) -> &'static str {
        match self {
            Metric::Components => "component",
            Metric::Kcore => "core",
            Metric::Communities => "community",
            other => other.name(),
        }
    }

    /// Whether the values are whole numbers (degree, component, core, community).
    #[must_use]
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Metric::Degree | Metric::Components | Metric::Kcore | Metric::Communities
        )
    }

    /// Parses a comma-separated list; `all` means every metric.
    ///
    /// # Errors
    /// The unknown name, with the known ones.
    pub fn parse_list(list: &str) -> Result<Vec<Metric>, String> {
        let mut metrics = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name.eq_ignore_ascii_case("all") {
                metrics.extend(Metric::ALL);
                continue;
            }
            let metric = Metric::ALL
                .into_iter()
                .find(|m| m.name().eq_ignore_ascii_case(name) || m.column() == name)
                .ok_or_else(|| {
                    format!(
                        "unknown metric `{name}`; the metrics are {}, or all",
                        Metric::ALL.map(Metric::name).join(", ")
                    )
                })?;
            metrics.push(metric);
        }
        metrics.sort_unstable();
        metrics.dedup();
        Ok(metrics)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How to read the view as a graph for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MetricOptions {
    /// Follow relations in their stored direction.
    pub directed: bool,
    /// Use `weight` (a missing weight counts 1): as a strength for degree, PageRank,
    /// eigenvector and communities, as a length for betweenness and closeness.
    pub weighted: bool,
    /// Betweenness and closeness from this many sampled sources instead of all.
    pub samples: Option<usize>,
    /// The seed of every random choice (sampled sources, Louvain's order).
    pub seed: u64,
}

/// Betweenness and closeness are exact up to this many entities; above, they are estimated
/// from [`DEFAULT_SAMPLES`] sampled sources unless a sample size is given.
pub const EXACT_LIMIT: usize = 20_000;

/// Sources sampled for betweenness and closeness above [`EXACT_LIMIT`] entities.
pub const DEFAULT_SAMPLES: usize = 256;

/// The seed used unless one is given: the same data gives the same communities and samples.
pub const DEFAULT_SEED: u64 = 42;

/// One metric's values, by entity in view order.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Counts and labels.
    Int(Vec<u64>),
    /// Scores.
    Float(Vec<f64>),
}

/// What the metrics found about the view as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Entities in the view.
    pub entities: usize,
    /// Distinct neighbour pairs (arcs when directed) after merging parallel relations.
    pub links: usize,
    /// Weakly connected components, when computed.
    pub components: Option<usize>,
    /// Louvain communities, when computed.
    pub communities: Option<usize>,
    /// The modularity of those communities.
    pub modularity: Option<f64>,
    /// How betweenness and closeness were sampled, when they were.
    pub sample: Option<BetweennessSample>,
    /// PageRank's power iterations, and whether they converged.
    pub pagerank_iterations: Option<(usize, bool)>,
    /// Eigenvector centrality's power iterations, and whether they converged.
    pub eigenvector_iterations: Option<(usize, bool)>,
    /// Time spent on each metric (betweenness and closeness share one pass).
    pub timings: Vec<(Metric, std::time::Duration)>,
}

/// The metrics asked for, per entity.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricTable {
    /// The entities, in view order.
    pub nodes: Vec<NodeIndex>,
    /// Each metric asked for, in [`Metric::ALL`] order, with its values.
    pub columns: Vec<(Metric, Values)>,
    /// The view as a whole.
    pub summary: Summary,
}

impl MetricTable {
    /// Returns the metrics as columns a view carries into exports (see
    /// [`Subgraph::computed`]), named as [`Metric::column`] names them.
    #[must_use]
    pub fn to_computed(&self, kg: &KnowledgeGraph) -> Computed {
        let size = kg.entity_count();
        let columns = self
            .columns
            .iter()
            .map(|(metric, values)| {
                let values = match values {
                    Values::Int(v) => {
                        let mut all = vec![0i64; size];
                        for (node, &value) in self.nodes.iter().zip(v) {
                            all[node.index()] = i64::try_from(value).unwrap_or(i64::MAX);
                        }
                        ComputedValues::Int(all)
                    }
                    Values::Float(v) => {
                        let mut all = vec![0.0; size];
                        for (node, &value) in self.nodes.iter().zip(v) {
                            all[node.index()] = value;
                        }
                        ComputedValues::Float(all)
                    }
                };
                ComputedColumn {
                    name: metric.column().to_owned(),
                    values,
                }
            })
            .collect();
        Computed { columns }
    }

    /// Returns the values of `metric`, if computed.
    #[must_use]
    pub fn values(&self, metric: Metric) -> Option<&Values> {
        self.columns
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, v)| v)
    }
}

/// Tolerance of PageRank and eigenvector centrality: total change per entity.
const TOLERANCE: f64 = 1e-10;

/// Computes `metrics` on `view`.
#[must_use]
pub fn compute(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    metrics: &[Metric],
    options: &MetricOptions,
) -> MetricTable {
    let graph = MetricGraph::new(kg, view, options);
    let mut summary = Summary {
        entities: graph.len(),
        links: graph.link_count(),
        ..Summary::default()
    };
    let mut columns = Vec::new();
    let wants = |metric| metrics.contains(&metric);
    let mut shortest_paths = None;
    for metric in Metric::ALL.into_iter().filter(|m| wants(*m)) {
        let started = std::time::Instant::now();
        let values = match metric {
            Metric::Degree => Values::Int(
                graph
                    .neighbour_counts()
                    .into_iter()
                    .map(|d| d as u64)
                    .collect(),
            ),
            Metric::Pagerank => {
                let (ranks, iterations, converged) = pagerank(&graph, TOLERANCE);
                summary.pagerank_iterations = Some((iterations, converged));
                Values::Float(ranks)
            }
            Metric::Betweenness | Metric::Closeness => {
                let (betweenness, closeness, _) = shortest_paths.get_or_insert_with(|| {
                    let samples = options
                        .samples
                        .or((graph.len() > EXACT_LIMIT).then_some(DEFAULT_SAMPLES));
                    let found =
                        betweenness_and_closeness(&graph, options.weighted, samples, options.seed);
                    summary.sample = found.2;
                    found
                });
                Values::Float(if metric == Metric::Betweenness {
                    betweenness.clone()
                } else {
                    closeness.clone()
                })
            }
            Metric::Eigenvector => {
                let (scores, iterations, converged) = eigenvector(&graph, TOLERANCE);
                summary.eigenvector_iterations = Some((iterations, converged));
                Values::Float(scores)
            }
            Metric::Components => {
                let (labels, count) = components(&graph);
                summary.components = Some(count);
                Values::Int(labels.into_iter().map(|c| c as u64).collect())
            }
            Metric::Kcore => {
                Values::Int(core_numbers(&graph).into_iter().map(|c| c as u64).collect())
            }
            Metric::Communities => {
                let found = louvain(&graph, options.seed);
                summary.communities = Some(found.count);
                summary.modularity = Some(found.modularity);
                Values::Int(found.labels.into_iter().map(|c| c as u64).collect())
            }
        };
        summary.timings.push((metric, started.elapsed()));
        columns.push((metric, values));
    }
    MetricTable {
        nodes: graph.nodes,
        columns,
        summary,
    }
}

/// A small deterministic generator (`SplitMix64`) for sampled sources and Louvain's order:
/// the same seed gives the same choices on every machine.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (bound > 0), without modulo bias worth noticing at these sizes.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        let wide = u128::from(self.next_u64()) * bound as u128;
        usize::try_from(wide >> 64).expect("below bound")
    }

    /// Shuffles `items` (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A graph from `(from, to)` pairs over entities `n0..n{n-1}`.
    pub(crate) fn graph(n: usize, pairs: &[(usize, usize)]) -> KnowledgeGraph {
        let mut entities = String::from("id\n");
        for i in 0..n {
            let _ = writeln!(entities, "n{i}");
        }
        let mut relations = String::from("from,type,to\n");
        for (a, b) in pairs {
            let _ = writeln!(relations, "n{a},link,n{b}");
        }
        KnowledgeGraph::from_csv(
            &[("entities/n.csv", &entities)],
            &[("relations/link.csv", &relations)],
            None,
        )
        .unwrap()
    }

    pub(crate) fn metric_graph(n: usize, pairs: &[(usize, usize)], directed: bool) -> MetricGraph {
        let kg = graph(n, pairs);
        let options = MetricOptions {
            directed,
            ..MetricOptions::default()
        };
        MetricGraph::new(&kg, &Subgraph::whole(&kg), &options)
    }

    #[test]
    fn parallel_relations_count_once_and_self_loops_are_left_out() {
        let g = metric_graph(3, &[(0, 1), (0, 1), (1, 0), (1, 1), (1, 2)], false);
        assert_eq!(g.neighbour_counts(), [1, 2, 1]);
        assert_eq!(g.link_count(), 2);
        let d = metric_graph(3, &[(0, 1), (0, 1), (1, 0), (1, 2)], true);
        assert_eq!(d.neighbour_counts(), [2, 3, 1]);
    }

    #[test]
    fn metric_lists_parse_with_all_and_refuse_unknown_names() {
        assert_eq!(
            Metric::parse_list("pagerank, degree,pagerank").unwrap(),
            [Metric::Degree, Metric::Pagerank]
        );
        assert_eq!(Metric::parse_list("all").unwrap().len(), 8);
        assert!(
            Metric::parse_list("page_rank")
                .unwrap_err()
                .contains("pagerank")
        );
    }

    #[test]
    fn the_generator_is_the_same_everywhere() {
        let mut a = SplitMix::new(42);
        let mut b = SplitMix::new(42);
        let draws: Vec<usize> = (0..5).map(|_| a.below(10)).collect();
        assert_eq!(draws, (0..5).map(|_| b.below(10)).collect::<Vec<_>>());
        assert!(draws.iter().all(|&d| d < 10));
    }
}
