//! Picture statements: one edge per bundle and one node per entity, styled from `ties.toml`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use graphviz_rust::dot_structures::{Edge, EdgeTy, Node, Vertex};
use petgraph::graph::NodeIndex;

use super::bundle::Drawn;
use super::bundle::{bundle_label, bundle_tooltip};
use super::data::data_attr;
use super::{DotOptions, LABELLED_LIMIT, as_f64, attr, node_id, packed_node_id, short_label, wrap};
use crate::export::{Column, EscapedIds};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

pub(super) fn bundle_edge(
    kg: &KnowledgeGraph,
    ids: &EscapedIds,
    bundle: Drawn<'_>,
    (options, data): (&DotOptions, Option<&[Column]>),
    edge_labels: bool,
) -> Edge {
    let first = bundle.edges[0];
    let rel_type = kg.rel_type(first);
    let label = bundle_label(kg, bundle);
    let tooltip = match (options.picture || options.explain, bundle.edges.len()) {
        (false, _) => label.clone(),
        (true, 1) => bundle_tooltip(kg, bundle, options.explain),
        // A bundle's tooltip opens with its summary, then lists every relation.
        (true, _) => format!("{label}\n{}", bundle_tooltip(kg, bundle, options.explain)),
    };
    let mut attributes = vec![attr("tooltip", &tooltip)];
    if edge_labels {
        attributes.push(attr("label", &short_label(&label).0));
    }
    let style = kg.style.rel_types.get(rel_type);
    if let Some(color) = style.and_then(|s| s.color) {
        attributes.push(attr("color", &color.to_string()));
    }
    if let Some(line) = style.and_then(|s| s.line.as_deref()) {
        attributes.push(attr("style", line));
    }
    if bundle.edges.len() > 1 {
        // Thicker with more relations, but never a band.
        let width = 1.0 + 0.6 * as_f64(bundle.edges.len()).log2();
        attributes.push(attr("penwidth", &format!("{:.1}", width.min(4.0))));
    }
    attributes.push(attr("id", &KnowledgeGraph::relation_id(first).to_string()));
    if let Some(columns) = data {
        let relation = kg.relation(first);
        attributes.push(attr("type", rel_type));
        if let Some(start) = relation.start {
            attributes.push(attr("start", &start.to_string()));
        }
        if let Some(end) = relation.end {
            attributes.push(attr("end", &end.to_string()));
        }
        if let Some(weight) = relation.weight() {
            attributes.push(attr("weight", &weight.to_string()));
        }
        for (column, value) in kg.catalog.relation_cells(relation) {
            let name = &columns[usize::from(column)].name;
            attributes.push(data_attr(name, &value.to_string()));
        }
    }
    // A path picture ranks by place on the path: an edge stored against the path's way is
    // written forwards with its arrow turned back, so it keeps its stored direction.
    let backwards = options
        .path
        .as_ref()
        .is_some_and(|ranks| ranks.place(bundle.from) > ranks.place(bundle.to));
    let (tail, head) = if backwards {
        attributes.push(attr("dir", "back"));
        (bundle.to, bundle.from)
    } else {
        (bundle.from, bundle.to)
    };
    Edge {
        ty: EdgeTy::Pair(
            Vertex::N(packed_node_id(ids, tail)),
            Vertex::N(packed_node_id(ids, head)),
        ),
        attributes,
    }
}

/// What a picture needs to draw each entity.
pub(super) struct NodeLook {
    /// A last line for entities that share their name.
    pub(super) suffixes: BTreeMap<NodeIndex, String>,
    pub(super) neighbours: BTreeMap<NodeIndex, usize>,
    pub(super) most: usize,
    /// In a view of more than [`LABELLED_LIMIT`] entities, those drawn as points.
    pub(super) points: std::collections::BTreeSet<NodeIndex>,
}

/// The entities past the [`LABELLED_LIMIT`] with the most neighbours (ties by input order).
pub(super) fn unlabelled(
    view: &Subgraph,
    neighbours: &BTreeMap<NodeIndex, usize>,
    keep: &[NodeIndex],
) -> std::collections::BTreeSet<NodeIndex> {
    if view.nodes.len() <= LABELLED_LIMIT {
        return std::collections::BTreeSet::new();
    }
    let mut ranked = view.nodes.clone();
    ranked.sort_by_key(|node| std::cmp::Reverse(neighbours.get(node).copied().unwrap_or(0)));
    ranked
        .into_iter()
        .skip(LABELLED_LIMIT)
        .filter(|node| !keep.contains(node))
        .collect()
}

pub(super) fn entity_node(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    node: NodeIndex,
    (options, data): (&DotOptions, Option<&[Column]>),
    look: &NodeLook,
) -> Node {
    let kind = kg.kind(node);
    let position = usize::from(kg.entity(node).kind);
    let color = kg.style.kind_color(kind, position);
    let name = kg.name(node);
    let neighbours = look.neighbours.get(&node).copied().unwrap_or(0);
    let (label, cut) = if options.picture {
        let (mut lines, cut) = wrap(name);
        if let Some(suffix) = look.suffixes.get(&node) {
            lines.push(short_label(suffix).0);
        }
        (lines.join("\n"), cut)
    } else {
        short_label(name)
    };
    let mut about = format!("{} · {}", kg.style.kind_label(kind), kg.id(node));
    if options.picture {
        let _ = write!(
            about,
            " · {neighbours} neighbour{}",
            if neighbours == 1 { "" } else { "s" }
        );
    }
    let tooltip = if cut || options.picture {
        format!("{name}\n{about}")
    } else {
        about
    };
    let mut attributes = vec![
        attr("label", &label),
        attr("shape", kg.style.kind_shape(kind)),
        attr("fillcolor", &color.pale().to_string()),
        attr("color", &color.to_string()),
        attr("tooltip", &tooltip),
        attr("id", &format!("n{}", node.index())),
    ];
    if let Some(columns) = data {
        attributes.push(attr("kind", kind));
        for (column, value) in crate::export::entity_cells(kg, view, node) {
            let name = &columns[usize::from(column)].name;
            attributes.push(data_attr(name, &value.to_string()));
        }
    }
    if options.picture && look.most > 0 {
        // Entities with more neighbours are drawn larger, 11 pt up to 16 pt (not on a path,
        // where every entity is a step).
        let share = (as_f64(neighbours) / as_f64(look.most)).sqrt();
        if look.points.contains(&node) {
            attributes[0] = attr("label", "");
            attributes[1] = attr("shape", "point");
            attributes[2] = attr("fillcolor", &color.to_string());
            attributes.push(attr("width", &format!("{:.2}", 0.08 + 0.12 * share)));
        } else if options.path.is_none() {
            attributes.push(attr("fontsize", &format!("{:.0}", 11.0 + 5.0 * share)));
        }
    }
    if let Some(ranks) = &options.path {
        let mark = if node == ranks.from {
            Some("FROM")
        } else if node == ranks.to {
            Some("TO")
        } else {
            None
        };
        if let Some(mark) = mark {
            attributes[0] = attr("label", &format!("{mark}\n{label}"));
            attributes.push(attr("penwidth", "2.5"));
            attributes.push(attr("peripheries", "2"));
        }
    }
    Node::new(node_id(kg, node), attributes)
}
