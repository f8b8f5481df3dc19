//! Bundles: relations drawn as one edge (same endpoints and type), with their labels,
//! tooltips, and the names and neighbour counts pictures need.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::LABEL_DATES;
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// Relations drawn as one edge: same endpoints (as stored) and type, in input order.
pub(super) struct Bundle {
    pub(super) from: NodeIndex,
    pub(super) to: NodeIndex,
    pub(super) edges: Vec<EdgeIndex>,
}

/// The relations of one drawn edge: a bundle, or one relation when bundling is off (then
/// nothing is gathered, so a five-million-relation export allocates nothing per relation).
#[derive(Clone, Copy)]
pub(super) struct Drawn<'a> {
    pub(super) from: NodeIndex,
    pub(super) to: NodeIndex,
    pub(super) edges: &'a [EdgeIndex],
}

impl Bundle {
    pub(super) fn drawn(&self) -> Drawn<'_> {
        Drawn {
            from: self.from,
            to: self.to,
            edges: &self.edges,
        }
    }
}

pub(super) fn bundles(kg: &KnowledgeGraph, view: &Subgraph) -> Vec<Bundle> {
    let mut order: Vec<Bundle> = Vec::new();
    let mut index: BTreeMap<(NodeIndex, NodeIndex, u16), usize> = BTreeMap::new();
    for &edge in &view.edges {
        let (from, to) = kg.endpoints(edge);
        let key = (from, to, kg.relation(edge).rel_type);
        match index.get(&key) {
            Some(&at) => order[at].edges.push(edge),
            None => {
                index.insert(key, order.len());
                order.push(Bundle {
                    from,
                    to,
                    edges: vec![edge],
                });
            }
        }
    }
    order
}

/// `visited ×3 (1995, 2000, 2013)`: the type, the count when more than one, the dates.
pub(super) fn bundle_label(kg: &KnowledgeGraph, bundle: Drawn<'_>) -> String {
    let first = bundle.edges[0];
    let mut text = kg.style.rel_type_label(kg.rel_type(first)).to_owned();
    if bundle.edges.len() > 1 {
        let _ = write!(text, " ×{}", bundle.edges.len());
    }
    let mut dates: Vec<String> = Vec::new();
    for &edge in bundle.edges {
        if let Some(date) = kg.relation(edge).date_label()
            && !dates.contains(&date)
        {
            dates.push(date);
        }
    }
    if !dates.is_empty() {
        let shown: Vec<&str> = dates.iter().take(LABEL_DATES).map(String::as_str).collect();
        let more = if dates.len() > LABEL_DATES {
            ", …"
        } else {
            ""
        };
        let _ = write!(text, " ({}{more})", shown.join(", "));
    }
    text
}

/// One line per relation: type, date, endpoints; with `explain`, its source, note and place.
pub(super) fn bundle_tooltip(kg: &KnowledgeGraph, bundle: Drawn<'_>, explain: bool) -> String {
    let mut lines = Vec::with_capacity(bundle.edges.len());
    for &edge in bundle.edges {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        let mut line = format!(
            "{} → {}: {}",
            kg.name(from),
            kg.name(to),
            kg.style.rel_type_label(kg.rel_type(edge))
        );
        if let Some(date) = relation.date_label() {
            let _ = write!(line, " ({date})");
        }
        if explain {
            for key in ["source", "note"] {
                if let Some(value) = kg.catalog.relation_attr(relation, key) {
                    let _ = write!(line, "\n  {key}: {value}");
                }
            }
            let _ = write!(line, "\n  {}", kg.relation_place(edge));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// Names shared by several entities of the view get their kind (or, within one kind, their
/// id) as a last line.
pub(super) fn shared_names(kg: &KnowledgeGraph, view: &Subgraph) -> BTreeMap<NodeIndex, String> {
    let mut by_name: BTreeMap<&str, Vec<NodeIndex>> = BTreeMap::new();
    for &node in &view.nodes {
        by_name.entry(kg.name(node)).or_default().push(node);
    }
    let mut suffixes = BTreeMap::new();
    for nodes in by_name.values().filter(|nodes| nodes.len() > 1) {
        for &node in nodes {
            let same_kind = nodes
                .iter()
                .filter(|&&other| kg.entity(other).kind == kg.entity(node).kind)
                .count();
            let suffix = if same_kind > 1 {
                kg.id(node).to_owned()
            } else {
                kg.style.kind_label(kg.kind(node)).to_owned()
            };
            suffixes.insert(node, format!("({suffix})"));
        }
    }
    suffixes
}

/// Distinct neighbours of each entity within the view.
pub(super) fn neighbour_counts(kg: &KnowledgeGraph, view: &Subgraph) -> BTreeMap<NodeIndex, usize> {
    let mut pairs: Vec<(NodeIndex, NodeIndex)> = view
        .edges
        .iter()
        .flat_map(|&edge| {
            let (a, b) = kg.endpoints(edge);
            [(a, b), (b, a)]
        })
        .filter(|(a, b)| a != b)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut counts = BTreeMap::new();
    for (a, _) in pairs {
        *counts.entry(a).or_insert(0) += 1;
    }
    counts
}
