//! DOT for Graphviz, built as a graphviz-rust AST and printed by its printer.
//!
//! graphviz-rust prints ids verbatim, so every id and attribute value here goes through
//! [`crate::export::escape::dot_quoted`] (or [`crate::export::escape::html`] inside the legend's HTML label). The graph is
//! a `digraph`, never `strict` (parallel relations stay visible), with a colour and shape per
//! kind from `ties.toml`, edge labels `type (date)`, a legend of kinds, and optional clusters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt,
    Subgraph as DotSubgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::graph::NodeIndex;

use crate::export::Warnings;
use crate::export::escape::{DOT_STRING_LIMIT, dot_quoted, dot_quoted_within, html};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// Above this many relations, edge labels are left out (they dominate layout time).
pub const EDGE_LABEL_LIMIT: usize = 300;

/// How to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotOptions {
    /// Group entities into boxes by this attribute (or `kind`).
    pub cluster_by: Option<String>,
    /// Lay out left to right (paths read better that way).
    pub left_to_right: bool,
    /// Label relations with `type (date)`; `None` decides by size.
    pub edge_labels: Option<bool>,
    /// Add a legend of the kinds shown.
    pub legend: bool,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            cluster_by: None,
            left_to_right: false,
            edge_labels: None,
            legend: true,
        }
    }
}

/// The most bytes an attribute value or id takes, well inside Graphviz's limit on a quoted
/// string ([`DOT_STRING_LIMIT`]), which a 16,500-character name would otherwise pass.
const TEXT_BYTES: usize = 4_096;

/// The most characters a drawn label shows; the tooltip holds the full text.
const LABEL_CHARS: usize = 120;

const _: () = assert!(TEXT_BYTES < DOT_STRING_LIMIT);

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(
        Id::Plain(name.to_owned()),
        Id::Escaped(dot_quoted_within(value, TEXT_BYTES)),
    )
}

/// Returns `text` cut to [`LABEL_CHARS`] characters with `…`, and whether it was cut.
fn short_label(text: &str) -> (String, bool) {
    match text.char_indices().nth(LABEL_CHARS) {
        Some((end, _)) => (format!("{}…", &text[..end]), true),
        None => (text.to_owned(), false),
    }
}

/// The DOT id of an entity: its id, exactly, unless that is too long for Graphviz; then its
/// start, `…#` and the node's index, made unique against the ids of the data.
fn node_id(kg: &KnowledgeGraph, node: NodeIndex) -> NodeId {
    let id = kg.id(node);
    let quoted = dot_quoted(id);
    if quoted.len() <= TEXT_BYTES {
        return NodeId(Id::Escaped(quoted), None);
    }
    let (start, _) = short_label(id);
    let mut short = format!("{start}#{}", node.index());
    while kg.node_by_id(&short).is_some() {
        short.push('_');
    }
    NodeId(Id::Escaped(dot_quoted(&short)), None)
}

/// Returns the DOT text of `view`.
#[must_use]
pub fn to_dot(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    options: &DotOptions,
    warnings: &mut Warnings,
) -> String {
    let edge_labels = options
        .edge_labels
        .unwrap_or(view.edges.len() <= EDGE_LABEL_LIMIT);
    if options.edge_labels.is_none() && !edge_labels {
        warnings.push(format!(
            "{} relations: edge labels left out above {EDGE_LABEL_LIMIT} (hover a relation in the SVG for its type)",
            view.edges.len()
        ));
    }
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", &format!("ties: {}", view.title)),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
            attr("rankdir", if options.left_to_right { "LR" } else { "TB" }),
            attr("newrank", "true"),
            attr("outputorder", "edgesfirst"),
            attr("overlap", "false"),
            attr("sep", "+4"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("style", "filled"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "8"),
            attr("color", "#777777"),
            attr("fontcolor", "#555555"),
            attr("arrowsize", "0.7"),
        ])),
    ];
    // Nodes, grouped into clusters when asked (each node declared exactly once).
    let mut clusters: BTreeMap<String, Vec<Stmt>> = BTreeMap::new();
    for &node in &view.nodes {
        let stmt = Stmt::Node(entity_node(kg, node));
        let group = options.cluster_by.as_deref().and_then(|by| {
            if by == "kind" {
                Some(kg.style.kind_label(kg.kind(node)).to_owned())
            } else {
                kg.catalog
                    .entity_attr(kg.entity(node), by)
                    .map(|v| v.to_string())
            }
        });
        match group {
            Some(group) => clusters.entry(group).or_default().push(stmt),
            None => stmts.push(stmt),
        }
    }
    for (i, (group, members)) in clusters.into_iter().enumerate() {
        let mut inner = vec![
            Stmt::Attribute(attr("label", &short_label(&group).0)),
            Stmt::Attribute(attr("style", "rounded,dashed")),
            Stmt::Attribute(attr("color", "#bbbbbb")),
        ];
        inner.extend(members);
        stmts.push(Stmt::Subgraph(DotSubgraph {
            id: Id::Escaped(dot_quoted(&format!("cluster_{i}"))),
            stmts: inner,
        }));
    }
    for &edge in &view.edges {
        let (from, to) = kg.endpoints(edge);
        let relation = kg.relation(edge);
        let rel_type = kg.rel_type(edge);
        let type_label = kg.style.rel_type_label(rel_type);
        let text = match relation.date_label() {
            Some(date) => format!("{type_label} ({date})"),
            None => type_label.to_owned(),
        };
        let mut attributes = vec![attr("tooltip", &text)];
        if edge_labels {
            attributes.push(attr("label", &short_label(&text).0));
        }
        if let Some(style) = kg.style.rel_types.get(rel_type) {
            if let Some(color) = style.color {
                attributes.push(attr("color", &color.to_string()));
            }
            if let Some(line) = &style.line {
                attributes.push(attr("style", line));
            }
        }
        attributes.push(attr("id", &format!("e{}", edge.index())));
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(kg, from)), Vertex::N(node_id(kg, to))),
            attributes,
        }));
    }
    if options.legend && !view.nodes.is_empty() {
        stmts.push(Stmt::Node(legend(kg, view)));
    }
    let graph = Graph::DiGraph {
        id: Id::Escaped(dot_quoted("ties")),
        strict: false,
        stmts,
    };
    let mut context = PrinterContext::default();
    let mut text = graph.print(&mut context);
    text.push('\n');
    text
}

fn entity_node(kg: &KnowledgeGraph, node: NodeIndex) -> Node {
    let kind = kg.kind(node);
    let position = usize::from(kg.entity(node).kind);
    let color = kg.style.kind_color(kind, position);
    let (label, cut) = short_label(kg.name(node));
    let about = format!("{} · {}", kg.style.kind_label(kind), kg.id(node));
    let tooltip = if cut {
        format!("{}\n{about}", kg.name(node))
    } else {
        about
    };
    Node::new(
        node_id(kg, node),
        vec![
            attr("label", &label),
            attr("shape", kg.style.kind_shape(kind)),
            attr("fillcolor", &color.pale().to_string()),
            attr("color", &color.to_string()),
            attr("tooltip", &tooltip),
            attr("id", &format!("n{}", node.index())),
        ],
    )
}

/// A plain node holding an HTML table of the kinds shown; works with every layout engine.
fn legend(kg: &KnowledgeGraph, view: &Subgraph) -> Node {
    let mut kinds: Vec<u16> = view.nodes.iter().map(|&n| kg.entity(n).kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut rows = String::from(
        r#"<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"><TR><TD COLSPAN="2"><B>kinds</B></TD></TR>"#,
    );
    for kind in kinds {
        let name = kg.catalog.kind_name(kind);
        let color = kg.style.kind_color(name, usize::from(kind));
        let _ = write!(
            rows,
            r#"<TR><TD BGCOLOR="{}" WIDTH="14"> </TD><TD ALIGN="LEFT">{}</TD></TR>"#,
            color.pale(),
            html(kg.style.kind_label(name))
        );
    }
    rows.push_str("</TABLE>");
    // An id no entity has: entity ids are data, so probe until free.
    let mut id = "ties:legend".to_owned();
    while kg.node_by_id(&id).is_some() {
        id.push('_');
    }
    Node::new(
        NodeId(Id::Escaped(dot_quoted(&id)), None),
        vec![
            Attribute(Id::Plain("label".to_owned()), Id::Html(format!("<{rows}>"))),
            attr("shape", "plain"),
            attr("style", "solid"),
        ],
    )
}
