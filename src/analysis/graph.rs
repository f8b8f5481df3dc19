//! The compact simple graph metrics run on, built from a view in two passes.

use petgraph::graph::NodeIndex;

use super::MetricOptions;
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// The view as a compact simple graph: `out[i]` lists the neighbours of entity `i` (its
/// successors when directed), `into[i]` its predecessors (the same lists when undirected).
#[derive(Debug, Clone)]
pub struct MetricGraph {
    /// The entities, in view order: position `i` is `nodes[i]`.
    pub nodes: Vec<NodeIndex>,
    /// Whether the lists follow stored direction.
    pub directed: bool,
    /// Whether links carry the relations' summed weights (else every link weighs 1).
    pub weighted: bool,
    pub(super) out: Csr,
    pub(super) into: Option<Csr>,
}

/// Adjacency lists in one array: the neighbours of `i` are `targets[offsets[i]..offsets[i+1]]`,
/// sorted, each once. Without weights every link weighs 1 (`ones` lends the slices).
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub(crate) offsets: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    /// Empty when every link weighs 1.
    pub(crate) weights: Vec<f64>,
    /// As many ones as the longest list, for [`Csr::weights`] of an unweighted graph.
    ones: Vec<f64>,
}

impl Csr {
    /// Builds merged, sorted lists of `n` entities from the arcs `emit` produces (it is called
    /// twice: once to count, once to fill, so no list of arcs is ever held). Parallel arcs
    /// merge; their weights add up when `weighted`.
    pub(crate) fn build(
        n: usize,
        weighted: bool,
        emit: impl Fn(&mut dyn FnMut(u32, u32, f64)),
    ) -> Self {
        let mut offsets = vec![0usize; n + 1];
        emit(&mut |a, _, _| offsets[a as usize + 1] += 1);
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let total = offsets[n];
        let mut targets = vec![0u32; total];
        let mut weights = if weighted {
            vec![0.0; total]
        } else {
            Vec::new()
        };
        let mut fill = offsets.clone();
        emit(&mut |a, b, w| {
            let at = fill[a as usize];
            targets[at] = b;
            if weighted {
                weights[at] = w;
            }
            fill[a as usize] += 1;
        });
        drop(fill);
        // Sort each list, merge repeats, and close the gaps they leave, in place.
        let mut write = 0;
        let mut pairs: Vec<(u32, f64)> = Vec::new();
        let mut start = 0;
        for i in 0..n {
            let end = offsets[i + 1];
            if weighted {
                pairs.clear();
                pairs.extend((start..end).map(|k| (targets[k], weights[k])));
                pairs.sort_unstable_by_key(|&(t, _)| t);
            } else {
                targets[start..end].sort_unstable();
            }
            offsets[i] = write;
            let mut previous = None;
            for k in 0..end - start {
                let (target, weight) = if weighted {
                    pairs[k]
                } else {
                    (targets[start + k], 1.0)
                };
                if previous == Some(target) {
                    if weighted {
                        weights[write - 1] += weight;
                    }
                    continue;
                }
                previous = Some(target);
                targets[write] = target;
                if weighted {
                    weights[write] = weight;
                }
                write += 1;
            }
            start = end;
        }
        offsets[n] = write;
        targets.truncate(write);
        targets.shrink_to_fit();
        weights.truncate(if weighted { write } else { 0 });
        weights.shrink_to_fit();
        let longest = (0..n)
            .map(|i| offsets[i + 1] - offsets[i])
            .max()
            .unwrap_or(0);
        Csr {
            offsets,
            targets,
            weights,
            ones: if weighted {
                Vec::new()
            } else {
                vec![1.0; longest]
            },
        }
    }

    pub(crate) fn neighbours(&self, i: usize) -> &[u32] {
        &self.targets[self.offsets[i]..self.offsets[i + 1]]
    }

    pub(crate) fn weights(&self, i: usize) -> &[f64] {
        if self.weights.is_empty() {
            &self.ones[..self.offsets[i + 1] - self.offsets[i]]
        } else {
            &self.weights[self.offsets[i]..self.offsets[i + 1]]
        }
    }
}

impl MetricGraph {
    /// Builds the simple graph of `view`.
    ///
    /// Without `weighted`, every pair of neighbours has weight 1 however many relations join
    /// them; with it, the weights of the relations between them add up.
    #[must_use]
    pub fn new(kg: &KnowledgeGraph, view: &Subgraph, options: &MetricOptions) -> Self {
        let mut position = vec![u32::MAX; kg.entity_count()];
        for (i, node) in view.nodes.iter().enumerate() {
            position[node.index()] = u32::try_from(i).expect("fewer than 4 G entities");
        }
        let n = view.nodes.len();
        let out = Csr::build(n, options.weighted, |arc| {
            for &edge in &view.edges {
                let (from, to) = kg.endpoints(edge);
                let (a, b) = (position[from.index()], position[to.index()]);
                if a == b || a == u32::MAX || b == u32::MAX {
                    continue;
                }
                let weight = if options.weighted {
                    kg.relation(edge).weight().unwrap_or(1.0)
                } else {
                    1.0
                };
                arc(a, b, weight);
                if !options.directed {
                    arc(b, a, weight);
                }
            }
        });
        let into = options.directed.then(|| {
            Csr::build(n, options.weighted, |arc| {
                for i in 0..n {
                    let i_u32 = u32::try_from(i).expect("fewer than 4 G entities");
                    for (&j, &w) in out.neighbours(i).iter().zip(out.weights(i)) {
                        arc(j, i_u32, w);
                    }
                }
            })
        });
        MetricGraph {
            nodes: view.nodes.clone(),
            directed: options.directed,
            weighted: options.weighted,
            out,
            into,
        }
    }

    /// Returns the neighbours of entity `i` (its successors when directed), sorted, each once.
    #[must_use]
    pub fn neighbours(&self, i: usize) -> &[u32] {
        self.out.neighbours(i)
    }

    /// Returns the number of entities.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Returns whether the graph has no entity.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Returns the number of distinct neighbour pairs (arcs when directed).
    #[must_use]
    pub fn link_count(&self) -> usize {
        if self.directed {
            self.out.targets.len()
        } else {
            self.out.targets.len() / 2
        }
    }

    /// Successors of `i` (neighbours when undirected).
    pub(super) fn successors(&self, i: usize) -> &[u32] {
        self.out.neighbours(i)
    }

    pub(super) fn successor_weights(&self, i: usize) -> &[f64] {
        self.out.weights(i)
    }

    /// Predecessors of `i` (neighbours when undirected).
    pub(super) fn predecessors(&self, i: usize) -> &[u32] {
        self.into.as_ref().unwrap_or(&self.out).neighbours(i)
    }

    pub(super) fn predecessor_weights(&self, i: usize) -> &[f64] {
        self.into.as_ref().unwrap_or(&self.out).weights(i)
    }

    /// The neighbours of `i` ignoring direction, each once, with summed weights (for
    /// components, cores and communities, which are undirected).
    pub(super) fn undirected(&self) -> std::borrow::Cow<'_, MetricGraph> {
        if !self.directed {
            return std::borrow::Cow::Borrowed(self);
        }
        let n = self.len();
        // `a -> b` and `b -> a` are one link, as parallel relations are.
        let out = Csr::build(n, self.weighted, |arc| {
            for i in 0..n {
                let a = u32::try_from(i).expect("fewer than 4 G entities");
                for (&b, &w) in self.successors(i).iter().zip(self.successor_weights(i)) {
                    arc(a, b, w);
                    arc(b, a, w);
                }
            }
        });
        std::borrow::Cow::Owned(MetricGraph {
            nodes: self.nodes.clone(),
            directed: false,
            weighted: self.weighted,
            out,
            into: None,
        })
    }

    /// Distinct neighbours, in + out when directed: the `degree` metric, as NetworkX counts
    /// degree on the simple graph the metrics use. Not [`crate::graph::KnowledgeGraph::degree`]
    /// (relations, parallel ones each counted), hence the name.
    #[must_use]
    pub fn neighbour_counts(&self) -> Vec<usize> {
        (0..self.len())
            .map(|i| {
                if self.directed {
                    self.successors(i).len() + self.predecessors(i).len()
                } else {
                    self.successors(i).len()
                }
            })
            .collect()
    }

    /// Weighted degree (strength): the summed weights of the links, in + out when directed.
    #[must_use]
    pub fn strengths(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| {
                let out: f64 = self.successor_weights(i).iter().sum();
                if self.directed {
                    out + self.predecessor_weights(i).iter().sum::<f64>()
                } else {
                    out
                }
            })
            .collect()
    }
}
