//! Where the explorer draws each entity: a layout that stays readable at any size.
//!
//! Small views are laid out by Graphviz in `render` (it knows how wide names are); this module
//! lays out the rest, and small views when Graphviz is missing. Entities are grouped by their
//! Louvain community ([`crate::analysis::louvain`]): the groups are laid out as discs with
//! ForceAtlas2 (the `fa2` crate, Gephi's algorithm) and pushed apart until no two overlap,
//! then each group's members are laid out inside its disc, again with ForceAtlas2, and pushed
//! apart until no two entities overlap. So the explorer can open on the groups (an overview
//! that is not one blob), and zooming into a group shows its members spread out, the most
//! connected in the middle.
//!
//! Entities without a relation share one group, drawn as a grid apart from the rest (not
//! scattered around the network); communities too small to name share another.
//!
//! Everything is deterministic: the same view gives the same layout.

use rayon::prelude::*;

use crate::analysis::{DEFAULT_SEED, MetricGraph, MetricOptions, louvain};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// Where each entity of a view sits and how large it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// One `(x, y)` per entity of the view, in view order, in points with y growing upwards.
    pub points: Vec<(f64, f64)>,
    /// The radius of each entity in the same units; no two entities' discs overlap.
    pub radii: Vec<f64>,
    /// The groups, largest first (empty when the layout has none).
    pub groups: Vec<Group>,
    /// What laid it out: a Graphviz engine, or `ForceAtlas2`.
    pub engine: String,
}

/// A group of entities drawn together: a community, or the entities left over.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// What holds it together.
    pub kind: GroupKind,
    /// The centre of its disc.
    pub center: (f64, f64),
    /// The radius of its disc; every member lies inside, and no two discs overlap.
    pub radius: f64,
    /// Its members (positions in the view), most connected first.
    pub members: Vec<usize>,
}

/// What holds a group together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A Louvain community.
    Community,
    /// Communities too small to show on their own.
    SmallCommunities,
    /// Entities without any relation in the view.
    Unconnected,
}

/// Communities smaller than this are pooled into one group.
pub const MIN_GROUP: usize = 6;

/// At most this many groups are shown; smaller communities are pooled.
pub const MAX_GROUPS: usize = 400;

/// The gap kept between two entities' discs, in points.
const GAP: f64 = 3.0;

/// Returns the radius an entity of `neighbours` is drawn with when the most connected has
/// `most`: from 4 to 18 points, by the square root of the share.
#[must_use]
pub fn radius(neighbours: usize, most: usize) -> f64 {
    let share = f64::from(u32::try_from(neighbours).unwrap_or(u32::MAX))
        / f64::from(u32::try_from(most.max(1)).unwrap_or(u32::MAX));
    4.0 + 14.0 * share.sqrt()
}

/// Lays out `view` by communities (see the module documentation).
///
/// Complexity: Louvain, plus ForceAtlas2 with Barnes–Hut repulsion, O(n log n) per
/// iteration for a group of n, groups in parallel.
#[must_use]
pub fn by_communities(kg: &KnowledgeGraph, view: &Subgraph) -> Layout {
    let graph = MetricGraph::new(kg, view, &MetricOptions::default());
    let n = graph.len();
    let degrees = graph.neighbour_counts();
    let most = degrees.iter().copied().max().unwrap_or(0);
    let radii: Vec<f64> = degrees.iter().map(|&d| radius(d, most)).collect();
    let communities = louvain(&graph, DEFAULT_SEED);
    let mut groups = grouped(&communities.labels, communities.count, &degrees);
    let group_of = {
        let mut group_of = vec![0usize; n];
        for (g, group) in groups.iter().enumerate() {
            for &member in &group.members {
                group_of[member] = g;
            }
        }
        group_of
    };
    // Each group's members inside a disc around (0, 0), in parallel.
    let local: Vec<(Vec<(f64, f64)>, f64)> = groups
        .par_iter()
        .map(|group| arrange_members(&graph, group, &group_of, &radii))
        .collect();
    for (group, (_, disc)) in groups.iter_mut().zip(&local) {
        group.radius = *disc;
    }
    place_groups(&graph, &mut groups, &group_of);
    let mut points = vec![(0.0, 0.0); n];
    for (group, (offsets, _)) in groups.iter().zip(&local) {
        for (&member, &(dx, dy)) in group.members.iter().zip(offsets) {
            points[member] = (round(group.center.0 + dx), round(group.center.1 + dy));
        }
    }
    Layout {
        points,
        radii,
        groups,
        engine: "ForceAtlas2".to_owned(),
    }
}

/// `n` as a float (counts of entities are far below 2^32).
fn float(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The groups: communities of at least [`MIN_GROUP`] (at most [`MAX_GROUPS`] of them, the
/// largest), then the smaller ones pooled, then the unconnected; members most connected first.
fn grouped(labels: &[usize], count: usize, degrees: &[usize]) -> Vec<Group> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut unconnected = Vec::new();
    for (i, &label) in labels.iter().enumerate() {
        if degrees[i] == 0 {
            unconnected.push(i);
        } else {
            members[label].push(i);
        }
    }
    // Louvain numbers communities by size, largest first.
    let mut groups = Vec::new();
    let mut pooled = Vec::new();
    for list in members.into_iter().filter(|list| !list.is_empty()) {
        if list.len() >= MIN_GROUP && groups.len() < MAX_GROUPS {
            groups.push(group(GroupKind::Community, list, degrees));
        } else {
            pooled.extend(list);
        }
    }
    if !pooled.is_empty() {
        pooled.sort_unstable();
        groups.push(group(GroupKind::SmallCommunities, pooled, degrees));
    }
    if !unconnected.is_empty() {
        groups.push(group(GroupKind::Unconnected, unconnected, degrees));
    }
    groups
}

fn group(kind: GroupKind, mut members: Vec<usize>, degrees: &[usize]) -> Group {
    members.sort_by_key(|&i| (std::cmp::Reverse(degrees[i]), i));
    Group {
        kind,
        center: (0.0, 0.0),
        radius: 0.0,
        members,
    }
}

/// Points on a sunflower spiral (Vogel's), evenly filling a disc: the `k`-th of them at
/// radius proportional to √k, so the first sit in the middle.
fn sunflower(k: usize, spacing: f64) -> (f64, f64) {
    const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;
    let k = f64::from(u32::try_from(k).unwrap_or(u32::MAX));
    let r = spacing * (k + 0.5).sqrt();
    (r * (k * GOLDEN_ANGLE).cos(), r * (k * GOLDEN_ANGLE).sin())
}

/// Lays out one group's members around (0, 0) and returns their offsets (in the group's
/// member order) and the radius of the disc that holds them.
fn arrange_members(
    graph: &MetricGraph,
    group: &Group,
    group_of: &[usize],
    radii: &[f64],
) -> (Vec<(f64, f64)>, f64) {
    let members = &group.members;
    let size = members.len();
    let footprint: f64 = members
        .iter()
        .map(|&i| (2.0 * radii[i] + GAP).powi(2))
        .sum();
    // A disc with room to spare: the members' squares fill about a third of it, so that
    // ForceAtlas2's clusters keep their shape when no two members may overlap.
    let disc = (footprint * 3.0 / std::f64::consts::PI).sqrt().max(20.0);
    let spacing = disc / float(size).sqrt().max(1.0);
    let mut offsets: Vec<(f64, f64)> = (0..size).map(|k| sunflower(k, spacing * 0.9)).collect();
    if group.kind != GroupKind::Unconnected && size > 2 {
        let mut place = std::collections::HashMap::with_capacity(size);
        for (k, &i) in members.iter().enumerate() {
            place.insert(i, k);
        }
        let mut data = fa2::FA2Data::<f64>::with_capacity(size, size * 4);
        for &(x, y) in &offsets {
            data.add_node_with_position(x, y);
        }
        for (k, &i) in members.iter().enumerate() {
            for &j in graph.neighbours(i) {
                let j = j as usize;
                if group_of[j] == group_of[i]
                    && let Some(&l) = place.get(&j)
                    && k < l
                {
                    data.add_edge(k, l);
                }
            }
        }
        let settings = fa2::FA2Settings::<f64>::from_graph_order(size).parallel(false);
        let mut layout = settings.build(data);
        layout.run(iterations(size));
        offsets = layout.data().positions().collect();
        fit_in_disc(&mut offsets, disc);
    }
    let member_radii: Vec<f64> = members.iter().map(|&i| radii[i]).collect();
    separate(&mut offsets, &member_radii);
    let reach = offsets
        .iter()
        .zip(&member_radii)
        .map(|(&(x, y), r)| x.hypot(y) + r)
        .fold(0.0_f64, f64::max);
    (
        offsets,
        reach.max(member_radii.iter().copied().fold(0.0, f64::max)) + GAP,
    )
}

/// ForceAtlas2 iterations for a group: more for small groups, where they are cheap.
fn iterations(size: usize) -> usize {
    match size {
        0..=500 => 300,
        501..=5_000 => 150,
        _ => 80,
    }
}

/// Moves and scales `points` so that their centroid is (0, 0) and 98% of them lie within
/// `disc`; the farthest are pulled in to its edge.
fn fit_in_disc(points: &mut [(f64, f64)], disc: f64) {
    if points.is_empty() {
        return;
    }
    let count = float(points.len());
    let (cx, cy) = points.iter().fold((0.0, 0.0), |(sx, sy), &(x, y)| {
        (sx + x / count, sy + y / count)
    });
    let mut distances: Vec<f64> = points
        .iter()
        .map(|&(x, y)| (x - cx).hypot(y - cy))
        .collect();
    distances.sort_by(f64::total_cmp);
    let reach = distances[(distances.len() - 1) * 98 / 100].max(f64::EPSILON);
    let scale = disc * 0.9 / reach;
    for point in points.iter_mut() {
        let (x, y) = ((point.0 - cx) * scale, (point.1 - cy) * scale);
        let d = x.hypot(y);
        *point = if d > disc {
            (x * disc / d, y * disc / d)
        } else {
            (x, y)
        };
    }
}

/// Pushes apart discs (`points` with `radii`) until no two overlap (with [`GAP`] between),
/// finding neighbours through a grid of cells as large as the largest disc, so each round
/// is linear in the number of discs. Deterministic: discs are visited in order.
fn separate(points: &mut [(f64, f64)], radii: &[f64]) {
    let n = points.len();
    if n < 2 {
        return;
    }
    let cell = 2.0 * radii.iter().copied().fold(0.0, f64::max) + GAP;
    for _ in 0..200 {
        let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
            std::collections::HashMap::with_capacity(n);
        #[allow(clippy::cast_possible_truncation)]
        let cell_of = |(x, y): (f64, f64)| ((x / cell).floor() as i64, (y / cell).floor() as i64);
        for (i, &p) in points.iter().enumerate() {
            grid.entry(cell_of(p)).or_default().push(i);
        }
        let mut moved = false;
        for i in 0..n {
            let (cx, cy) = cell_of(points[i]);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    let Some(others) = grid.get(&(cx + dx, cy + dy)) else {
                        continue;
                    };
                    for &j in others {
                        if j <= i {
                            continue;
                        }
                        let wanted = radii[i] + radii[j] + GAP;
                        let (ax, ay) = points[i];
                        let (bx, by) = points[j];
                        let (mut ux, mut uy) = (bx - ax, by - ay);
                        let mut d = ux.hypot(uy);
                        if d >= wanted {
                            continue;
                        }
                        if d < 1e-9 {
                            // On the same spot: part them along a direction fixed by the pair.
                            let angle = float(i * 7919 + j);
                            (ux, uy, d) = (angle.cos(), angle.sin(), 1.0);
                        }
                        let push = (wanted - d) / 2.0 + 0.01;
                        let (ux, uy) = (ux / d, uy / d);
                        points[i] = (ax - ux * push, ay - uy * push);
                        points[j] = (bx + ux * push, by + uy * push);
                        moved = true;
                    }
                }
            }
        }
        if !moved {
            return;
        }
    }
}

/// Places the groups' discs: ForceAtlas2 on the graph of groups (linked by how many pairs of
/// neighbours they share), scaled so that linked groups sit about their radii apart, then
/// pushed apart until no two discs overlap.
fn place_groups(graph: &MetricGraph, groups: &mut [Group], group_of: &[usize]) {
    let count = groups.len();
    let mut start: Vec<(f64, f64)> = (0..count)
        .map(|g| sunflower(g, groups.first().map_or(1.0, |first| first.radius)))
        .collect();
    let linkable: Vec<bool> = groups
        .iter()
        .map(|g| g.kind != GroupKind::Unconnected)
        .collect();
    if count > 2 {
        let mut links: std::collections::BTreeMap<(usize, usize), f64> =
            std::collections::BTreeMap::new();
        for i in 0..graph.len() {
            for &j in graph.neighbours(i) {
                let (a, b) = (group_of[i], group_of[j as usize]);
                if a < b {
                    *links.entry((a, b)).or_default() += 1.0;
                }
            }
        }
        let mut data = fa2::FA2Data::<f64>::with_capacity(count, links.len());
        for &(x, y) in &start {
            data.add_node_with_position(x, y);
        }
        for (&(a, b), &weight) in &links {
            if linkable[a] && linkable[b] {
                data.add_edge_with_weight(a, b, weight.ln_1p());
            }
        }
        let settings = fa2::FA2Settings::<f64>::from_graph_order(count).parallel(false);
        let mut layout = settings.build(data);
        layout.run(500);
        start = layout.data().positions().collect();
        // ForceAtlas2's units are arbitrary: make the typical distance between linked groups
        // the sum of their radii.
        let mut ratios: Vec<f64> = links
            .keys()
            .filter(|&&(a, b)| linkable[a] && linkable[b])
            .filter_map(|&(a, b)| {
                let d = (start[a].0 - start[b].0).hypot(start[a].1 - start[b].1);
                (d > 1e-9).then(|| (groups[a].radius + groups[b].radius) / d)
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        let scale = ratios.get(ratios.len() / 2).copied().unwrap_or(1.0);
        for point in &mut start {
            *point = (point.0 * scale, point.1 * scale);
        }
    }
    // A tenth more room than the discs need, so that neighbouring groups read apart.
    let radii: Vec<f64> = groups.iter().map(|g| g.radius * 1.1).collect();
    separate(&mut start, &radii);
    for (group, point) in groups.iter_mut().zip(start) {
        group.center = (round(point.0), round(point.1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlapping(points: &[(f64, f64)], radii: &[f64]) -> usize {
        let mut count = 0;
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let d = (points[i].0 - points[j].0).hypot(points[i].1 - points[j].1);
                if d + 0.05 < radii[i] + radii[j] {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn separated_discs_never_overlap() {
        let mut points: Vec<(f64, f64)> = (0..300)
            .map(|k| (f64::from(k % 7), f64::from(k % 5)))
            .collect();
        let radii: Vec<f64> = (0..300).map(|k| 4.0 + f64::from(k % 4)).collect();
        separate(&mut points, &radii);
        assert_eq!(overlapping(&points, &radii), 0);
    }

    #[test]
    fn two_communities_and_the_unconnected_get_groups_apart() {
        use std::fmt::Write as _;
        let mut people = String::from("id,name\n");
        let mut knows = String::from("from,type,to\n");
        for c in 0..2 {
            for i in 0..12 {
                let _ = writeln!(people, "p{c}-{i},P {c} {i}");
                for j in 0..i {
                    let _ = writeln!(knows, "p{c}-{i},knows,p{c}-{j}");
                }
            }
        }
        knows.push_str("p0-0,knows,p1-0\n");
        for i in 0..5 {
            let _ = writeln!(people, "alone{i},Alone {i}");
        }
        let kg =
            KnowledgeGraph::from_csv(&[("people", &people)], &[("knows", &knows)], None).unwrap();
        let view = Subgraph::whole(&kg);
        let layout = by_communities(&kg, &view);
        let kinds: Vec<(GroupKind, usize)> = layout
            .groups
            .iter()
            .map(|g| (g.kind, g.members.len()))
            .collect();
        assert_eq!(
            kinds,
            [
                (GroupKind::Community, 12),
                (GroupKind::Community, 12),
                (GroupKind::Unconnected, 5)
            ]
        );
        assert_eq!(overlapping(&layout.points, &layout.radii), 0);
        let discs: Vec<(f64, f64)> = layout.groups.iter().map(|g| g.center).collect();
        let disc_radii: Vec<f64> = layout.groups.iter().map(|g| g.radius).collect();
        assert_eq!(overlapping(&discs, &disc_radii), 0);
        for group in &layout.groups {
            for &member in &group.members {
                let (x, y) = layout.points[member];
                let d = (x - group.center.0).hypot(y - group.center.1);
                assert!(
                    d + layout.radii[member] <= group.radius + 0.5,
                    "{d} in {}",
                    group.radius
                );
            }
        }
        assert_eq!(by_communities(&kg, &view), layout, "deterministic");
    }
}
