//! Communities by the Louvain method (Blondel et al. 2008), and modularity.
//!
//! Each level moves entities, one at a time in a seeded random order, to the neighbouring
//! community that raises modularity most, until no move raises it; then communities become
//! the entities of the next level. The result is deterministic for a seed.

use crate::analysis::structure::renumber_by_size;
use crate::analysis::{Csr, MetricGraph, SplitMix};

/// Communities found and the modularity of the division.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// Each entity's community, numbered from 0 by size.
    pub labels: Vec<usize>,
    /// How many communities.
    pub count: usize,
    /// Newman's modularity (resolution 1) of the division, on the graph without direction.
    pub modularity: f64,
    /// Levels of aggregation run.
    pub levels: usize,
}

/// One level: a weighted undirected graph whose entities may carry self-loops. The first
/// level borrows the metric graph's lists; later ones own their smaller ones.
struct Level<'g> {
    links: std::borrow::Cow<'g, Csr>,
    /// The weight of each entity's loop (internal weight of the community it stands for,
    /// both directions counted).
    loops: Vec<f64>,
}

impl Level<'_> {
    fn len(&self) -> usize {
        self.loops.len()
    }

    fn links(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.links
            .neighbours(i)
            .iter()
            .map(|&t| t as usize)
            .zip(self.links.weights(i).iter().copied())
    }

    /// An entity's weighted degree: its links and its loop.
    fn degree(&self, i: usize) -> f64 {
        self.links.weights(i).iter().sum::<f64>() + self.loops[i]
    }

    /// The graph of communities: one entity per community, links summed, internal weight
    /// as the loop.
    fn aggregate(&self, community: &[usize], count: usize) -> Level<'static> {
        let mut loops = vec![0.0; count];
        for i in 0..self.len() {
            let c = community[i];
            loops[c] += self.loops[i];
            for (j, w) in self.links(i) {
                if community[j] == c {
                    loops[c] += w;
                }
            }
        }
        let links = Csr::build(count, true, |arc| {
            for i in 0..self.len() {
                let c = community[i];
                for (j, w) in self.links(i) {
                    let d = community[j];
                    if c != d {
                        arc(to_u32(c), to_u32(d), w);
                    }
                }
            }
        });
        Level {
            links: std::borrow::Cow::Owned(links),
            loops,
        }
    }
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 G communities")
}

/// Moves entities between communities until no move raises modularity; returns each
/// entity's community (`0..count`, relabelled densely) and whether anything moved.
fn move_entities(
    level: &Level,
    total: f64,
    random: &mut SplitMix,
    start: Option<&[usize]>,
) -> (Vec<usize>, usize, bool) {
    let n = level.len();
    let degree: Vec<f64> = (0..n).map(|i| level.degree(i)).collect();
    // Each entity alone, or (refining) the communities found so far.
    let mut community: Vec<usize> = start.map_or_else(|| (0..n).collect(), <[usize]>::to_vec);
    let mut community_total = vec![0.0; n];
    for (i, &c) in community.iter().enumerate() {
        community_total[c] += degree[i];
    }
    let mut to_community = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = (0..n).collect();
    random.shuffle(&mut order);
    // Fast local moving (Traag et al. 2019): every entity once in the seeded order, then
    // only the neighbours of entities that moved (those outside the new community), until
    // none is waiting. The classic sweep revisits every entity each pass; on 1M entities it
    // needed 50 passes to end, most of them moving a few hundred entities.
    let mut waiting: std::collections::VecDeque<usize> = order.into();
    let mut queued = vec![true; n];
    let mut moved_any = false;
    while let Some(i) = waiting.pop_front() {
        queued[i] = false;
        let current = community[i];
        // Weights from i to each neighbouring community.
        for (j, w) in level.links(i) {
            let c = community[j];
            if to_community[c] == 0.0 {
                touched.push(c);
            }
            to_community[c] += w;
        }
        community_total[current] -= degree[i];
        // Gain of joining c (up to a common factor): k_i,in(c) - tot(c) * k_i / 2m.
        let gain = |c: usize, weight: f64| weight - community_total[c] * degree[i] / total;
        let mut best = current;
        let mut best_gain = gain(current, to_community[current]);
        for &c in &touched {
            let candidate = gain(c, to_community[c]);
            // Only a strictly better community is worth a move (no cycling on ties).
            if candidate > best_gain + 1e-12 {
                best = c;
                best_gain = candidate;
            }
        }
        community_total[best] += degree[i];
        for &c in &touched {
            to_community[c] = 0.0;
        }
        to_community[current] = 0.0;
        touched.clear();
        if best != current {
            community[i] = best;
            moved_any = true;
            for (j, _) in level.links(i) {
                if !queued[j] && community[j] != best {
                    queued[j] = true;
                    waiting.push_back(j);
                }
            }
        }
    }
    // Dense labels in order of first appearance.
    let mut dense = vec![usize::MAX; n];
    let mut count = 0;
    let labels = community
        .iter()
        .map(|&c| {
            if dense[c] == usize::MAX {
                dense[c] = count;
                count += 1;
            }
            dense[c]
        })
        .collect();
    (labels, count, moved_any)
}

/// Louvain communities of the graph without direction (weights as strengths), with the
/// modularity of the result. `seed` fixes the order entities are visited in.
#[must_use]
pub fn louvain(graph: &MetricGraph, seed: u64) -> Communities {
    let undirected = graph.undirected();
    let n = undirected.len();
    let mut level = Level {
        links: std::borrow::Cow::Borrowed(&undirected.out),
        loops: vec![0.0; n],
    };
    let total: f64 = (0..n).map(|i| level.degree(i)).sum();
    let mut labels: Vec<usize> = (0..n).collect();
    let mut random = SplitMix::new(seed);
    let mut levels = 0;
    let first_level = Level {
        links: std::borrow::Cow::Borrowed(&undirected.out),
        loops: vec![0.0; n],
    };
    if total > 0.0 {
        loop {
            let (community, count, moved) = move_entities(&level, total, &mut random, None);
            if !moved {
                break;
            }
            levels += 1;
            for label in &mut labels {
                *label = community[*label];
            }
            if count == level.len() {
                break;
            }
            level = level.aggregate(&community, count);
        }
        if levels > 1 {
            // A last round of moves of single entities between the final communities (as
            // networkit's PLM refines): an entity that an early level put in the wrong
            // community can still leave it. It raises modularity a little, never lowers it.
            let (refined, _, _) = move_entities(&first_level, total, &mut random, Some(&labels));
            labels = refined;
        }
    }
    let count = labels.iter().copied().max().map_or(0, |m| m + 1);
    let labels = renumber_by_size(&labels, count);
    let modularity = modularity(graph, &labels);
    Communities {
        labels,
        count,
        modularity,
        levels,
    }
}

/// Newman's modularity of a division (`labels[i]` the community of entity `i`), on the
/// graph without direction, with the link weights: the share of weight inside communities
/// minus what random wiring with the same degrees would put there.
#[must_use]
pub fn modularity(graph: &MetricGraph, labels: &[usize]) -> f64 {
    let undirected = graph.undirected();
    let n = undirected.len();
    let count = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0; count];
    let mut totals = vec![0.0; count];
    let mut total = 0.0;
    for i in 0..n {
        for (&j, &w) in undirected
            .successors(i)
            .iter()
            .zip(undirected.successor_weights(i))
        {
            total += w;
            totals[labels[i]] += w;
            if labels[j as usize] == labels[i] {
                inside[labels[i]] += w;
            }
        }
    }
    if total == 0.0 {
        return 0.0;
    }
    inside
        .iter()
        .zip(&totals)
        .map(|(&a, &t)| a / total - (t / total) * (t / total))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::metric_graph;

    #[test]
    fn two_triangles_joined_by_one_link_are_two_communities() {
        let g = metric_graph(
            6,
            &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)],
            false,
        );
        let found = louvain(&g, 42);
        assert_eq!(found.count, 2);
        assert_eq!(found.labels[0], found.labels[1]);
        assert_eq!(found.labels[1], found.labels[2]);
        assert_eq!(found.labels[3], found.labels[5]);
        assert_ne!(found.labels[0], found.labels[3]);
        // m = 7; each side: 3 links inside, degrees 7: Q = 2 * (3/7 - (7/14)^2) = 5/14.
        assert!((found.modularity - 5.0 / 14.0).abs() < 1e-12, "{found:?}");
    }

    #[test]
    fn modularity_of_everything_in_one_community_is_zero() {
        let g = metric_graph(4, &[(0, 1), (1, 2), (2, 3)], false);
        assert!(modularity(&g, &[0, 0, 0, 0]).abs() < 1e-12);
        let same_seed = louvain(&g, 7);
        assert_eq!(same_seed, louvain(&g, 7));
    }
}
