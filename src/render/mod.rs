//! Pictures: DOT rendered to SVG, PNG or PDF by Graphviz, with a pure-Rust SVG fallback.
//!
//! Graphviz runs through graphviz-rust's `exec` (`dot -K<engine> -T<format> -o<file>`). The
//! engine is chosen from the view's size unless given (Graphviz 2.43 on this project's
//! machine: `dot` with edge labels stalls past a few hundred nodes; `sfdp` lays out thousands
//! in seconds). Without Graphviz, SVG of views up to [`FALLBACK_LIMIT`] entities is drawn by
//! layout-rs; anything else fails with a message naming the `graphviz` package.

use std::io;
use std::path::Path;

use graphviz_rust::cmd::{CommandArg, Format as GvFormat, Layout};

use crate::export::Warnings;
use crate::export::dot::{DotOptions, to_dot};
use crate::export::escape::clean_xml;
use crate::export::write_atomic;
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// The largest view the pure-Rust fallback draws.
pub const FALLBACK_LIMIT: usize = 300;

/// A Graphviz layout engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Layered, for hierarchies and paths
    Dot,
    /// Stress majorisation, up to about a thousand entities
    Neato,
    /// Force-directed
    Fdp,
    /// Multilevel force-directed, for large views
    Sfdp,
    /// Circular
    Circo,
}

impl Engine {
    /// Every engine, in the order `--help` lists them.
    pub const ALL: [Engine; 5] = [
        Engine::Dot,
        Engine::Neato,
        Engine::Fdp,
        Engine::Sfdp,
        Engine::Circo,
    ];

    /// Returns what the engine is good for, for `--help`.
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            Engine::Dot => "Layered, for hierarchies and paths",
            Engine::Neato => "Stress majorisation, up to about a thousand entities",
            Engine::Fdp => "Force-directed",
            Engine::Sfdp => "Multilevel force-directed, for large views",
            Engine::Circo => "Circular",
        }
    }

    /// Returns the engine with this command name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Engine::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Returns the engine for a network view of this size: `neato` up to 500 entities (hubs
    /// read better in a force layout than in `dot`'s layers), else `sfdp`. Paths ask for
    /// `dot` explicitly.
    #[must_use]
    pub fn for_size(nodes: usize) -> Self {
        if nodes <= 500 {
            Engine::Neato
        } else {
            Engine::Sfdp
        }
    }

    fn layout(self) -> Layout {
        match self {
            Engine::Dot => Layout::Dot,
            Engine::Neato => Layout::Neato,
            Engine::Fdp => Layout::Fdp,
            Engine::Sfdp => Layout::Sfdp,
            Engine::Circo => Layout::Circo,
        }
    }

    /// Returns the engine's command name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Fdp => "fdp",
            Engine::Sfdp => "sfdp",
            Engine::Circo => "circo",
        }
    }
}

/// A picture format, from the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// Scalable vector graphics.
    Svg,
    /// A bitmap.
    Png,
    /// A printable document.
    Pdf,
    /// The picture's DOT source, with its layout engine set, to edit and draw again with
    /// `dot -Tsvg FILE.dot` (no Graphviz needed to write it).
    Dot,
}

impl PictureFormat {
    /// Returns the format for `path`'s extension, if it is `svg`, `png` or `pdf`.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(PictureFormat::Svg),
            "png" => Some(PictureFormat::Png),
            "pdf" => Some(PictureFormat::Pdf),
            "dot" | "gv" => Some(PictureFormat::Dot),
            _ => None,
        }
    }

    fn graphviz(self) -> GvFormat {
        match self {
            PictureFormat::Svg => GvFormat::Svg,
            PictureFormat::Png => GvFormat::Png,
            PictureFormat::Pdf => GvFormat::Pdf,
            PictureFormat::Dot => GvFormat::Dot,
        }
    }
}

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Graphviz is not installed and the fallback cannot help.
    #[error(
        "Graphviz not found ({0}); install the `graphviz` package, or use `ties export --format dot`"
    )]
    GraphvizMissing(String),
    /// Graphviz ran and failed.
    #[error("Graphviz failed: {0}")]
    Graphviz(String),
    /// The options ask for something the chosen engine cannot draw.
    #[error("{0}")]
    Unsupported(String),
    /// Writing the file failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// How a picture was made, for the CLI's summary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// `dot`, `sfdp`, ... or `layout-rs` for the fallback.
    pub engine: String,
    /// Notices: labels left out, fallback used.
    pub warnings: Warnings,
}

/// Returns whether Graphviz's `dot` can be run (`TIES_NO_GRAPHVIZ` set pretends it cannot,
/// so the fallback can be tested on machines that have Graphviz).
#[must_use]
pub fn graphviz_available() -> bool {
    if std::env::var_os("TIES_NO_GRAPHVIZ").is_some() {
        return false;
    }
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Returns the engine to draw with: `requested`, or one chosen by size; switched (with a
/// note) to one that honours `--cluster-by` (`fdp`, or `dot`) or `--left-to-right` (`dot`)
/// when the choice was ours, refused when the user asked for an engine that ignores them.
fn choose_engine(
    view: &Subgraph,
    requested: Option<Engine>,
    options: &DotOptions,
    warnings: &mut Warnings,
) -> Result<Engine, RenderError> {
    let mut engine = requested.unwrap_or_else(|| Engine::for_size(view.nodes.len()));
    let mut need = |wanted: Engine, allowed: &[Engine], flag: &str| {
        if allowed.contains(&engine) {
            return Ok(());
        }
        if let Some(asked) = requested {
            return Err(RenderError::Unsupported(format!(
                "{flag} has no effect with the {} engine; use --engine {}, or leave --engine out",
                asked.name(),
                allowed
                    .iter()
                    .map(|e| e.name())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
        warnings.push(format!(
            "{flag}: drawn with {} instead of {}, which ignores it",
            wanted.name(),
            engine.name()
        ));
        engine = wanted;
        Ok(())
    };
    if options.left_to_right {
        need(Engine::Dot, &[Engine::Dot], "--left-to-right")?;
    }
    if options.cluster_by.is_some() {
        need(Engine::Fdp, &[Engine::Dot, Engine::Fdp], "--cluster-by")?;
    }
    Ok(engine)
}

/// Draws `view` into `path` in `format` with `engine`, or one chosen by size.
///
/// # Errors
/// [`RenderError::GraphvizMissing`] when Graphviz is absent and the fallback cannot draw this
/// (PNG, PDF, or more than [`FALLBACK_LIMIT`] entities); Graphviz's own error; I/O errors.
pub fn render(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    path: &Path,
    format: PictureFormat,
    engine: Option<Engine>,
    options: &DotOptions,
) -> Result<Rendered, RenderError> {
    let mut warnings = Warnings::default();
    let engine = choose_engine(view, engine, options, &mut warnings)?;
    let mut options = options.clone();
    options.layout = Some(engine.name().to_owned());
    if format == PictureFormat::Dot {
        let dot = to_dot(kg, view, &options, &mut warnings);
        write_atomic(path, |out| out.write_all(dot.as_bytes()))?;
        return Ok(Rendered {
            engine: engine.name().to_owned(),
            warnings,
        });
    }
    if !graphviz_available() {
        if format != PictureFormat::Svg || view.nodes.len() > FALLBACK_LIMIT {
            let why = if format == PictureFormat::Svg {
                format!(
                    "the built-in renderer draws at most {FALLBACK_LIMIT} entities, this view has {}",
                    view.nodes.len()
                )
            } else {
                "the built-in renderer only writes SVG".to_owned()
            };
            return Err(RenderError::GraphvizMissing(why));
        }
        let svg = fallback::svg(kg, view, options.left_to_right);
        write_atomic(path, |out| out.write_all(svg.as_bytes()))?;
        warnings.push(
            "Graphviz not found: drawn with the built-in layout; install `graphviz` for better layouts".to_owned(),
        );
        return Ok(Rendered {
            engine: "layout-rs".to_owned(),
            warnings,
        });
    }
    match run_graphviz(kg, view, path, format, engine, &options, &mut warnings) {
        Err(RenderError::Graphviz(why)) if options.picture && !options.straight => {
            // Curved routing is what crashes Graphviz when it does: draw straight lines.
            warnings.push(format!(
                "Graphviz failed with curved lines ({}); drawn with straight ones",
                if why.is_empty() {
                    "it crashed"
                } else {
                    why.as_str()
                }
            ));
            options.straight = true;
            run_graphviz(kg, view, path, format, engine, &options, &mut warnings)?;
        }
        other => other?,
    }
    Ok(Rendered {
        engine: engine.name().to_owned(),
        warnings,
    })
}

/// Runs Graphviz once: the DOT of `view` drawn into a temporary file beside `path`, renamed
/// once complete.
fn run_graphviz(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    path: &Path,
    format: PictureFormat,
    engine: Engine,
    options: &DotOptions,
    warnings: &mut Warnings,
) -> Result<(), RenderError> {
    let dot = to_dot(kg, view, options, warnings);
    let temp = crate::export::atomic::temp_file(crate::export::atomic::parent_of(path))?;
    let temp_path = temp.path().to_string_lossy().into_owned();
    let result = graphviz_rust::exec_dot(
        dot,
        vec![
            CommandArg::Layout(engine.layout()),
            CommandArg::Format(format.graphviz()),
            CommandArg::Output(temp_path),
        ],
    );
    match result {
        Ok(_) => {
            crate::export::atomic::persist(temp, path)?;
            Ok(())
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            Err(RenderError::GraphvizMissing(err.to_string()))
        }
        Err(err) => Err(RenderError::Graphviz(err.to_string().trim().to_owned())),
    }
}

/// The layout-rs fallback, built through its API so no DOT text needs re-parsing.
mod fallback {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
    use layout::topo::layout::VisualGraph;

    use super::clean_xml;
    use crate::graph::KnowledgeGraph;
    use crate::model::style::Rgb;
    use crate::view::Subgraph;

    fn color(rgb: Rgb) -> Color {
        Color::new(
            (u32::from(rgb.0) << 24) | (u32::from(rgb.1) << 16) | (u32::from(rgb.2) << 8) | 0xff,
        )
    }

    /// Draws the view with layout-rs: boxes in kind colours, labelled arrows.
    pub fn svg(kg: &KnowledgeGraph, view: &Subgraph, left_to_right: bool) -> String {
        let orientation = if left_to_right {
            Orientation::LeftToRight
        } else {
            Orientation::TopToBottom
        };
        let mut graph = VisualGraph::new(orientation);
        let mut handles = Vec::with_capacity(view.nodes.len());
        for &node in &view.nodes {
            let rgb = kg
                .style
                .kind_color(kg.kind(node), usize::from(kg.entity(node).kind));
            let look = StyleAttr::new(color(rgb), 1, Some(color(rgb.pale())), 4, 12);
            let label = text(kg.name(node));
            let width =
                20.0 + 7.0 * f64::from(u32::try_from(label.chars().count().min(40)).unwrap_or(40));
            let element = Element::create(
                ShapeKind::new_box(&label),
                look,
                orientation,
                Point::new(width, 36.0),
            );
            handles.push((node, graph.add_node(element)));
        }
        let handle = |node| handles.iter().find(|(n, _)| *n == node).map(|(_, h)| *h);
        for &edge in &view.edges {
            let (from, to) = kg.endpoints(edge);
            let label = match kg.relation(edge).date_label() {
                Some(date) => format!("{} ({date})", kg.rel_type(edge)),
                None => kg.rel_type(edge).to_owned(),
            };
            if let (Some(from), Some(to)) = (handle(from), handle(to)) {
                graph.add_edge(Arrow::simple(&text(&label)), from, to);
            }
        }
        let mut writer = SVGWriter::new();
        graph.do_it(false, false, false, &mut writer);
        writer.finalize()
    }

    /// Returns one line of XML-safe text (layout-rs escapes markup but not control characters).
    fn text(value: &str) -> String {
        clean_xml(&value.replace(['\n', '\r'], " ")).0.into_owned()
    }
}

/// Views up to this size are laid out by Graphviz's `neato` for the explorer (with each entity
/// as large as its name and its disc, so neither overlaps); larger ones, or any view when
/// Graphviz is missing, by [`crate::layout::by_communities`].
pub const NEATO_POSITIONS_LIMIT: usize = 2_000;

/// Lays out `view` for the explorer: with Graphviz's `neato` when it is installed and the
/// view is small (deterministic for the same input), else by communities.
#[must_use]
pub fn explorer_layout(kg: &KnowledgeGraph, view: &Subgraph) -> crate::layout::Layout {
    if view.nodes.len() <= NEATO_POSITIONS_LIMIT
        && graphviz_available()
        && let Some(layout) = neato_layout(kg, view)
    {
        return layout;
    }
    crate::layout::by_communities(kg, view)
}

/// Graphviz's layout of `view`, read from its `plain` output. Entities are named `n<i>` by
/// their place in the view, so no data reaches the DOT text but sizes. Each is a box as wide
/// as its name and at least as large as its disc, and `overlap=false` keeps boxes apart, so
/// neither discs nor the most connected entities' names overlap.
fn neato_layout(kg: &KnowledgeGraph, view: &Subgraph) -> Option<crate::layout::Layout> {
    use graphviz_rust::dot_structures::{
        Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
    };
    use graphviz_rust::printer::{DotPrinter, PrinterContext};
    // Ids and values here are plain words and numbers that need no quoting.
    let plain = |name: &str, value: &str| {
        Attribute(Id::Plain(name.to_owned()), Id::Plain(value.to_owned()))
    };
    let id = |i: usize| NodeId(Id::Plain(format!("n{i}")), None);
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            plain("layout", "neato"),
            plain("model", "subset"),
            plain("overlap", "false"),
            Attribute(
                Id::Plain("sep".to_owned()),
                Id::Escaped("\"+6\"".to_owned()),
            ),
            plain("start", "1"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            plain("shape", "box"),
            plain("fixedsize", "true"),
            Attribute(
                Id::Plain("label".to_owned()),
                Id::Escaped("\"\"".to_owned()),
            ),
        ])),
    ];
    let graph =
        crate::analysis::MetricGraph::new(kg, view, &crate::analysis::MetricOptions::default());
    let degrees = graph.neighbour_counts();
    let most = degrees.iter().copied().max().unwrap_or(0);
    let radii: Vec<f64> = degrees
        .iter()
        .map(|&d| crate::layout::radius(d, most))
        .collect();
    // About as wide as the name drawn at the page's label size (at most 30 characters), in
    // inches.
    let name_width = |node: petgraph::graph::NodeIndex| {
        let chars = kg.name(node).chars().count().min(30);
        0.1 + 0.075 * f64::from(u32::try_from(chars).unwrap_or(30))
    };
    for (i, &node) in view.nodes.iter().enumerate() {
        // The name beside the disc, and as tall as the disc.
        let diameter = 2.0 * radii[i] / 72.0;
        let width = diameter + name_width(node);
        let height = diameter.max(0.3);
        stmts.push(Stmt::Node(Node::new(
            id(i),
            vec![
                plain("width", &format!("{width:.2}")),
                plain("height", &format!("{height:.2}")),
            ],
        )));
    }
    for i in 0..graph.len() {
        for &j in graph.neighbours(i) {
            let j = j as usize;
            if i < j {
                stmts.push(Stmt::Edge(Edge {
                    ty: EdgeTy::Pair(Vertex::N(id(i)), Vertex::N(id(j))),
                    attributes: Vec::new(),
                }));
            }
        }
    }
    let dot = Graph::Graph {
        id: Id::Plain("positions".to_owned()),
        strict: false,
        stmts,
    }
    .print(&mut PrinterContext::default());
    let output = graphviz_rust::exec_dot(dot, vec![CommandArg::Format(GvFormat::Plain)]).ok()?;
    let text = String::from_utf8(output).ok()?;
    let mut points = vec![(0.0, 0.0); view.nodes.len()];
    let mut seen = 0;
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("node") {
            continue;
        }
        let i: usize = words.next()?.strip_prefix('n')?.parse().ok()?;
        let x: f64 = words.next()?.parse().ok()?;
        let y: f64 = words.next()?.parse().ok()?;
        // The disc sits at the left end of its box, its name to the right of it.
        let half = name_width(*view.nodes.get(i)?) * 0.5;
        *points.get_mut(i)? = ((x - half) * 72.0, y * 72.0);
        seen += 1;
    }
    (seen == view.nodes.len()).then(|| crate::layout::Layout {
        points,
        radii,
        groups: Vec::new(),
        engine: "neato".to_owned(),
    })
}
