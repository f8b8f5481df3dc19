//! DOT for Graphviz, built as a graphviz-rust AST and printed by its printer.
//!
//! graphviz-rust prints ids verbatim, so every id and attribute value here goes through
//! `escape::dot_quoted` (or `escape::html` inside the legend's HTML label). The graph is a `digraph`, never `strict`, with one node per entity
//! (the title and legend are the graph's label, never a node), a colour and shape per kind and
//! a colour and line per relation type from `ties.toml`, and optional clusters.
//!
//! Two uses: the DOT *export* keeps one edge per relation, as every data export does; a
//! *picture* ([`DotOptions::picture`]) draws one edge per (from, to, type) labelled with the
//! count and dates, wraps long names, sizes entities by their number of neighbours, and, for
//! a path, ranks entities by their place on the path so the start is leftmost and the end
//! rightmost.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph as DotSubgraph,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::graph::NodeIndex;

use crate::export::escape::{DOT_STRING_LIMIT, dot_quoted, dot_quoted_within};
use crate::export::sink::{Chunk, Sink};
use crate::export::{EscapedIds, Warnings, attribute_columns};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

mod bundle;
mod data;
mod draw;
mod legend;

use bundle::{Drawn, bundles, neighbour_counts, shared_names};
use data::GRAPHVIZ_ATTRIBUTES;
use draw::{NodeLook, bundle_edge, entity_node, unlabelled};
use legend::legend;

/// Above this many relations, the DOT export leaves edge labels out (they dominate layout
/// time); pictures decide by their kind (see [`DotOptions::edge_labels`]).
pub const EDGE_LABEL_LIMIT: usize = 300;

/// A count as a float, for sizes (counts past `u32` are drawn as that).
fn as_f64(count: usize) -> f64 {
    f64::from(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Characters per line of a wrapped entity name in a picture.
pub const WRAP_CHARS: usize = 18;
/// Lines of a wrapped name at most; the last one ends with `…` when the name goes on.
pub const WRAP_LINES: usize = 3;
/// Dates listed in a bundled edge's label; its tooltip lists them all.
const LABEL_DATES: usize = 3;
/// A picture names at most this many entities, those with the most neighbours; the others
/// are drawn as points in their kind's colour with their name in the tooltip, so a large view
/// stays readable when fitted into a page.
pub const LABELLED_LIMIT: usize = 100;
/// Pictures of at most this many entities route curved lines around entities.
pub const CURVED_LIMIT: usize = 100;
/// The colour of relations whose type `ties.toml` does not style.
const PLAIN_EDGE: &str = "#8a8a8a";

/// Where each entity of a path picture stands: the start, the end, and each entity's place
/// along the paths (its fewest steps from the start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRanks {
    /// The start, drawn leftmost.
    pub from: NodeIndex,
    /// The end, drawn rightmost.
    pub to: NodeIndex,
    /// Entity → place on the paths (0 for the start).
    pub places: BTreeMap<NodeIndex, usize>,
}

impl PathRanks {
    /// Returns the ranks of paths (their entities, in order) from `from` to `to`.
    #[must_use]
    pub fn of_paths<'a>(
        from: NodeIndex,
        to: NodeIndex,
        paths: impl IntoIterator<Item = &'a [NodeIndex]>,
    ) -> Self {
        let mut places = BTreeMap::new();
        for nodes in paths {
            for (place, &node) in nodes.iter().enumerate() {
                places
                    .entry(node)
                    .and_modify(|p: &mut usize| *p = (*p).min(place))
                    .or_insert(place);
            }
        }
        PathRanks { from, to, places }
    }

    fn place(&self, node: NodeIndex) -> usize {
        if node == self.from {
            0
        } else if node == self.to {
            usize::MAX
        } else {
            self.places.get(&node).copied().unwrap_or(0)
        }
    }
}

/// How to draw.
// Independent switches, each a flag of `render` or a kind of picture.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotOptions {
    /// Group entities into boxes by this attribute (or `kind`).
    pub cluster_by: Option<String>,
    /// Lay out left to right (paths read better that way).
    pub left_to_right: bool,
    /// Label relations with `type (date)`; `None` decides: the export labels views of at most
    /// [`EDGE_LABEL_LIMIT`] relations, a picture labels paths only (a network picture tells
    /// types apart by colour and line, with the legend, and keeps types and dates in tooltips).
    pub edge_labels: Option<bool>,
    /// Add the legend (kinds, and relation types styled in `ties.toml`) to the graph label.
    pub legend: bool,
    /// Draw for people: wrap names, size entities by neighbours, tell apart shared names.
    pub picture: bool,
    /// Draw one edge per (from, to, type) with a count and the dates, not one per relation.
    pub bundle: bool,
    /// The title; `None` uses the view's.
    pub title: Option<String>,
    /// Rank entities along paths: start leftmost, end rightmost, both marked.
    pub path: Option<PathRanks>,
    /// Put each relation's source, note and `file:line` in its tooltip.
    pub explain: bool,
    /// The Graphviz engine to name in the file (`layout=neato`), so it draws the same alone.
    pub layout: Option<String>,
    /// Straight lines even in a small picture (curved routing around entities is slow on
    /// large views, and crashes some Graphviz versions on some graphs).
    pub straight: bool,
}

impl Default for DotOptions {
    /// The DOT export: one edge per relation, names whole, the legend in the graph label.
    fn default() -> Self {
        DotOptions {
            cluster_by: None,
            left_to_right: false,
            edge_labels: None,
            legend: true,
            picture: false,
            bundle: false,
            title: None,
            path: None,
            explain: false,
            layout: None,
            straight: false,
        }
    }
}

impl DotOptions {
    /// Options for a picture a person reads: bundled relations, wrapped names, sizes.
    #[must_use]
    pub fn picture() -> Self {
        DotOptions {
            picture: true,
            bundle: true,
            ..DotOptions::default()
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

/// Wraps `text` at spaces into lines of about [`WRAP_CHARS`] characters, at most
/// [`WRAP_LINES`] of them; a word longer than a line is cut. Returns the lines and whether
/// text was left out.
#[must_use]
pub fn wrap(text: &str) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_owned();
        loop {
            let fits =
                current.chars().count() + usize::from(!current.is_empty()) + word.chars().count()
                    <= WRAP_CHARS;
            if fits {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(&word);
                break;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than a line: cut it.
            let cut: String = word.chars().take(WRAP_CHARS).collect();
            word = word.chars().skip(WRAP_CHARS).collect();
            lines.push(cut);
            if word.is_empty() {
                break;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    let cut = lines.len() > WRAP_LINES;
    if cut {
        lines.truncate(WRAP_LINES);
        let last = lines.last_mut().expect("WRAP_LINES > 0");
        if last.chars().count() >= WRAP_CHARS {
            let kept: String = last.chars().take(WRAP_CHARS - 1).collect();
            *last = kept;
        }
        last.push('…');
    }
    (lines, cut)
}

/// The DOT id of an entity: its id, exactly, unless that is too long for Graphviz; then its
/// start, `…#` and the node's index, made unique against the ids of the data.
/// The node id of `node` from ids packed by [`node_id`] (see [`EscapedIds`]).
fn packed_node_id(ids: &EscapedIds, node: NodeIndex) -> NodeId {
    NodeId(Id::Escaped(ids.get_str(node).to_owned()), None)
}

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
    let mut text = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_dot(kg, view, options, warnings, &mut text);
    String::from_utf8(text).expect("DOT text is UTF-8")
}

/// Prints one statement as graphviz-rust prints it inside a digraph (indented, `->` for
/// edges), so statements can be printed one at a time and streamed.
fn print_statement(statement: &Stmt, out: &mut Chunk) {
    thread_local! {
        // A printer context as it is inside a digraph's braces: printing an empty digraph
        // leaves it there (digraph mode, one level of indent), and printing a statement
        // leaves it as it was. One per thread, so five million statements make no contexts.
        static INSIDE_DIGRAPH: std::cell::RefCell<PrinterContext> = {
            let mut context = PrinterContext::default();
            let empty = Graph::DiGraph {
                id: Id::Plain("g".to_owned()),
                strict: false,
                stmts: Vec::new(),
            };
            empty.print(&mut context);
            std::cell::RefCell::new(context)
        };
    }
    INSIDE_DIGRAPH.with_borrow_mut(|context| out.raw(&statement.print(context)));
    out.raw("\n");
}

/// Writes the DOT text of `view` to `out`, one statement at a time: the whole graph is never
/// held as one syntax tree or one string.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_dot(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    options: &DotOptions,
    warnings: &mut Warnings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let bundled = if options.bundle {
        bundles(kg, view)
    } else {
        Vec::new()
    };
    let drawn_count = if options.bundle {
        bundled.len()
    } else {
        view.edges.len()
    };
    let edge_labels = options.edge_labels.unwrap_or(if options.picture {
        options.path.is_some()
    } else {
        drawn_count <= EDGE_LABEL_LIMIT
    });
    if options.edge_labels.is_none() && !options.picture && !edge_labels {
        warnings.push(format!(
            "{} relations: edge labels left out above {EDGE_LABEL_LIMIT} (hover a relation in the SVG for its type)",
            view.edges.len()
        ));
    }
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("ties: {}", view.title));
    let graph_label = if options.legend && !view.nodes.is_empty() {
        Id::Html(legend(kg, view, &title))
    } else {
        Id::Escaped(dot_quoted_within(&title, TEXT_BYTES))
    };
    let left_to_right = options.left_to_right || options.path.is_some();
    let mut graph_attributes = vec![
        Attribute(Id::Plain("label".to_owned()), graph_label),
        attr("labelloc", "t"),
        attr("labeljust", "l"),
        attr("fontname", "Helvetica"),
        attr("rankdir", if left_to_right { "LR" } else { "TB" }),
        attr("newrank", "true"),
        attr("outputorder", "edgesfirst"),
        attr("overlap", "false"),
        attr("sep", if options.picture { "+8" } else { "+4" }),
    ];
    if let Some(layout) = &options.layout {
        graph_attributes.push(attr("layout", layout));
    }
    if options.picture {
        // Curved lines that go round entities, where routing them is quick.
        if !options.straight && view.nodes.len() <= CURVED_LIMIT {
            graph_attributes.push(attr("splines", "true"));
        }
        graph_attributes.extend([
            // neato's `subset` model keeps hubs' leaves close instead of far out on long spokes.
            attr("model", "subset"),
            attr("esep", "+2"),
            attr("pad", "0.2"),
            attr("nodesep", "0.3"),
            attr("ranksep", "0.5"),
        ]);
    }
    let stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph_attributes)),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("style", "filled"),
            attr("fontname", "Helvetica"),
            attr("fontsize", if options.picture { "11" } else { "10" }),
            attr("margin", "0.06,0.03"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
            attr("color", PLAIN_EDGE),
            attr("fontcolor", "#444444"),
            attr("arrowsize", "0.6"),
        ])),
    ];
    let look = NodeLook {
        suffixes: if options.picture {
            shared_names(kg, view)
        } else {
            BTreeMap::new()
        },
        // Only pictures size entities by neighbours; an export of millions skips the count.
        neighbours: if options.picture {
            neighbour_counts(kg, view)
        } else {
            BTreeMap::new()
        },
        most: 0,
        points: std::collections::BTreeSet::new(),
    };
    let ends: Vec<NodeIndex> = options
        .path
        .as_ref()
        .map(|ranks| vec![ranks.from, ranks.to])
        .unwrap_or_default();
    let look = NodeLook {
        most: look.neighbours.values().copied().max().unwrap_or(0),
        points: if options.picture {
            unlabelled(view, &look.neighbours, &ends)
        } else {
            std::collections::BTreeSet::new()
        },
        ..look
    };
    // The data export carries every entity's kind and attributes and every relation's type,
    // dates, weight and attributes in attributes of their own, at any size; pictures leave
    // them to the tooltips.
    let data = (!options.picture).then(|| {
        attribute_columns(
            kg,
            view,
            (GRAPHVIZ_ATTRIBUTES, GRAPHVIZ_ATTRIBUTES),
            "DOT",
            warnings,
        )
    });
    let (node_data, edge_data) = match &data {
        Some((nodes, edges)) => (Some(nodes.as_slice()), Some(edges.as_slice())),
        None => (None, None),
    };
    let mut sink = Sink::new(out);
    sink.raw("digraph ");
    sink.raw(&dot_quoted("ties"));
    sink.raw(" {\n");
    for statement in stmts {
        print_statement(&statement, &mut sink);
    }
    // Nodes, grouped into clusters when asked (each node declared exactly once).
    let mut plain: Vec<NodeIndex> = Vec::new();
    let mut clusters: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    match options.cluster_by.as_deref() {
        None => {}
        Some(by) => {
            for &node in &view.nodes {
                let group = if by == "kind" {
                    Some(kg.style.kind_label(kg.kind(node)).to_owned())
                } else {
                    kg.catalog
                        .entity_attr(kg.entity(node), by)
                        .map(|v| v.to_string())
                };
                match group {
                    Some(group) => clusters.entry(group).or_default().push(node),
                    None => plain.push(node),
                }
            }
        }
    }
    let plain: &[NodeIndex] = if options.cluster_by.is_some() {
        &plain
    } else {
        &view.nodes
    };
    sink.each(plain, |out, &node| {
        print_statement(
            &Stmt::Node(entity_node(kg, view, node, (options, node_data), &look)),
            out,
        );
    })?;
    for (i, (group, members)) in clusters.into_iter().enumerate() {
        let mut inner = vec![
            Stmt::Attribute(attr("label", &short_label(&group).0)),
            Stmt::Attribute(attr("style", "rounded,dashed")),
            Stmt::Attribute(attr("color", "#bbbbbb")),
        ];
        inner.extend(
            members
                .into_iter()
                .map(|node| Stmt::Node(entity_node(kg, view, node, (options, node_data), &look))),
        );
        let cluster = Stmt::Subgraph(DotSubgraph {
            id: Id::Escaped(dot_quoted(&format!("cluster_{i}"))),
            stmts: inner,
        });
        print_statement(&cluster, &mut sink);
    }
    if let Some(ranks) = &options.path {
        for (end, rank) in [(ranks.from, "min"), (ranks.to, "max")] {
            let statement = Stmt::Subgraph(DotSubgraph {
                id: Id::Escaped(dot_quoted(&format!("ties_rank_{rank}"))),
                stmts: vec![
                    Stmt::Attribute(attr("rank", rank)),
                    Stmt::Node(Node::new(node_id(kg, end), Vec::new())),
                ],
            });
            print_statement(&statement, &mut sink);
        }
    }
    // Relations look their endpoints up at random: packed ids stay in the CPU cache.
    let ids = EscapedIds::new(kg, |node, _, bytes| {
        // `node_id` always gives an escaped id: the quoted string as DOT reads it.
        if let NodeId(Id::Escaped(quoted) | Id::Plain(quoted), _) = node_id(kg, node) {
            bytes.extend_from_slice(quoted.as_bytes());
        }
        false
    });
    let edge = |out: &mut Chunk, drawn: Drawn<'_>| {
        print_statement(
            &Stmt::Edge(bundle_edge(
                kg,
                &ids,
                drawn,
                (options, edge_data),
                edge_labels,
            )),
            out,
        );
    };
    if options.bundle {
        sink.each(&bundled, |out, bundle| edge(out, bundle.drawn()))?;
    } else {
        sink.each(&view.edges, |out, relation| {
            let (from, to) = kg.endpoints(*relation);
            edge(
                out,
                Drawn {
                    from,
                    to,
                    edges: std::slice::from_ref(relation),
                },
            );
        })?;
    }
    sink.raw("}\n");
    sink.finish()
}
