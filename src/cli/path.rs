//! `ties path`: how is A connected to B, through what, since when.
//!
//! # JSON wire format (one object per query; one per line with `--pairs`)
//! ```text
//! {"from": ID, "to": ID,
//!  "limit": N | null, "truncated": BOOL,   the --limit cap, and whether it cut the answer
//!  "chronological": BOOL,                  whether --chronological asked for time order
//!  "paths": [{"length": N,                 number of relations
//!             "weight": W | null,          total weight with --weighted, else null
//!             "nodes": [{"id", "name", "kind"}, ...],          in path order
//!             "edges": [{"id", "from", "to", "type", "start", "end", "weight",
//!                        "attributes": {...}}, ...]}]}        each in stored direction
//! ```
//! `paths` is empty when there is no path. `start`/`end` are partial dates as written or null.

use std::io::{Read, Write};

use petgraph::graph::NodeIndex;
use serde_json::{Value, json};

use crate::cli::Ctx;
use crate::cli::args::FilterArgs;
use crate::cli::error::{CliError, Outcome};
use crate::export::dot::{DotOptions, PathRanks};
use crate::export::write_atomic;
use crate::graph::KnowledgeGraph;
use crate::query::path::{Path, PathMode, PathQuery, PathSearch};
use crate::render::{Engine, PictureFormat, render};
use crate::view::Subgraph;

/// Output format of `ties path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PathFormat {
    /// One line per path, one arrow per relation
    Text,
    /// The documented JSON object (JSON lines with --pairs)
    Json,
    /// A Graphviz diagram of the paths (DOT source)
    Dot,
    /// The diagram drawn as SVG by Graphviz (or the built-in layout)
    Svg,
    /// The diagram drawn as PNG by Graphviz (needs -o)
    Png,
    /// The diagram drawn as PDF by Graphviz (needs -o)
    Pdf,
}

impl PathFormat {
    /// Returns the format a file name's extension means, if any.
    fn from_path(path: &std::path::Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => PathFormat::Text,
            "json" | "jsonl" => PathFormat::Json,
            "dot" | "gv" => PathFormat::Dot,
            "svg" => PathFormat::Svg,
            "png" => PathFormat::Png,
            "pdf" => PathFormat::Pdf,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            PathFormat::Text => "text",
            PathFormat::Json => "json",
            PathFormat::Dot => "dot",
            PathFormat::Svg => "svg",
            PathFormat::Png => "png",
            PathFormat::Pdf => "pdf",
        }
    }

    /// Returns the picture format, for the formats that draw.
    fn picture(self) -> Option<PictureFormat> {
        match self {
            PathFormat::Text | PathFormat::Json => None,
            PathFormat::Dot => Some(PictureFormat::Dot),
            PathFormat::Svg => Some(PictureFormat::Svg),
            PathFormat::Png => Some(PictureFormat::Png),
            PathFormat::Pdf => Some(PictureFormat::Pdf),
        }
    }
}

/// Find the shortest paths between two entities
///
/// By default one shortest path by number of relations, walking relations both ways; each
/// relation is still shown in its stored direction. Paths are simple (no entity twice) and
/// told apart by their relations, so parallel relations (two visits) give separate paths.
/// Equal paths are ordered by the input order of their relations. Unlike Cypher, which ranks
/// trails (no relation twice, entities may repeat), `-k` ranks simple paths.
///
/// Exits 1 when there is no path, 2 when FROM or TO is unknown or ambiguous.
#[derive(Debug, clap::Args)]
// Each bool is a command-line switch of its own; clap wants them as fields.
#[allow(clippy::struct_excessive_bools)]
pub struct PathArgs {
    /// Start entity (id or exact name, case-insensitive)
    #[arg(required_unless_present = "pairs")]
    pub from: Option<String>,
    /// End entity (id or exact name, case-insensitive)
    #[arg(required_unless_present = "pairs")]
    pub to: Option<String>,
    /// Every shortest path, not just the first
    #[arg(long, conflicts_with = "k")]
    pub all: bool,
    /// The N shortest simple paths, shortest first (Yen's algorithm)
    #[arg(short, value_name = "N")]
    pub k: Option<usize>,
    /// No path longer than N relations
    #[arg(long, value_name = "N")]
    pub max_hops: Option<usize>,
    /// Least total `weight` instead of fewest relations (a missing weight counts 1)
    #[arg(long)]
    pub weighted: bool,
    /// Only paths that follow time: each relation in force no earlier than the one before
    /// (an event on its dates, a state from its start to its end; undated ones anytime)
    #[arg(long, conflicts_with_all = ["all", "k", "weighted"])]
    pub chronological: bool,
    /// With --all or -k, stop after this many paths (the JSON then says `"truncated": true`)
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub limit: usize,
    /// Show each relation's provenance (`note`, `source`, file and line) under the path
    #[arg(long)]
    pub explain: bool,
    /// Answer every `from,to` row of a CSV file (`-` for stdin), loading the graph once
    #[arg(long, value_name = "FILE", conflicts_with_all = ["from", "to"])]
    pub pairs: Option<String>,
    /// Output format [default: from the output's extension, else text]
    #[arg(long, value_enum)]
    pub format: Option<PathFormat>,
    /// Write to this file instead of stdout; .svg, .png, .pdf and .dot draw the paths
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Filters on relations and entities.
    #[command(flatten)]
    pub filter: FilterArgs,
}

impl PathArgs {
    /// Returns the format `--format` and the output's extension agree on.
    fn format(&self) -> Result<PathFormat, CliError> {
        let implied = self.output.as_deref().and_then(PathFormat::from_path);
        match (self.format, implied) {
            (Some(given), Some(implied)) if given != implied => Err(CliError::Usage(format!(
                "`{}` means --format {}, but --format {} was given",
                self.output
                    .as_deref()
                    .unwrap_or(std::path::Path::new(""))
                    .display(),
                implied.name(),
                given.name()
            ))),
            (Some(format), _) | (None, Some(format)) => Ok(format),
            (None, None) => Ok(PathFormat::Text),
        }
    }

    fn mode(&self) -> PathMode {
        match (self.all, self.k) {
            _ if self.chronological => PathMode::Chronological,
            (true, _) => PathMode::AllShortest { limit: self.limit },
            (false, Some(k)) => PathMode::KShortest(k),
            (false, None) => PathMode::Shortest,
        }
    }

    /// The most paths one answer holds: `--limit` for `--all` and `-k`, none for one
    /// shortest path.
    fn cap(&self) -> Option<usize> {
        (self.all || self.k.is_some()).then_some(self.limit)
    }

    /// The search to run: one path more than the cap, so that finding it says the answer
    /// was cut.
    fn search_mode(&self) -> PathMode {
        match self.mode() {
            PathMode::AllShortest { limit } => PathMode::AllShortest {
                limit: limit.saturating_add(1),
            },
            PathMode::KShortest(k) => PathMode::KShortest(k.min(self.limit.saturating_add(1))),
            mode @ (PathMode::Shortest | PathMode::Chronological) => mode,
        }
    }
}

/// Paths found for one query, and whether the cap left some out.
struct Answer {
    paths: Vec<Path>,
    truncated: bool,
}

/// Runs `ties path`.
pub fn run(ctx: &Ctx, args: &PathArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let query = PathQuery {
        filter: args.filter.filter(kg)?,
        max_hops: args.max_hops,
        weighted: args.weighted,
        mode: args.search_mode(),
    };
    let pairs = match &args.pairs {
        Some(file) => read_pairs(kg, file)?,
        None => {
            let from = kg.resolve(
                args.from
                    .as_deref()
                    .expect("clap requires FROM without --pairs"),
            )?;
            let to = kg.resolve(
                args.to
                    .as_deref()
                    .expect("clap requires TO without --pairs"),
            )?;
            vec![(from, to)]
        }
    };
    let format = args.format()?;
    let picture = format.picture().is_some();
    if picture && args.pairs.is_some() {
        return Err(CliError::Usage(format!(
            "--format {} draws one query; use json with --pairs",
            format.name()
        )));
    }
    if matches!(format, PathFormat::Png | PathFormat::Pdf) && args.output.is_none() {
        return Err(CliError::Usage(format!(
            "--format {} is binary: give a file with -o",
            format.name()
        )));
    }
    // Text and JSON for a file are gathered, then written atomically.
    let mut gathered = Vec::new();
    let text_out: &mut dyn Write = if args.output.is_some() {
        &mut gathered
    } else {
        &mut *out
    };
    let mut search = PathSearch::new(kg, ctx.adjacency()?);
    let mut found_any = false;
    let mut drawn = None;
    for (i, &(from, to)) in pairs.iter().enumerate() {
        let mut paths = search.search(from, to, &query)?;
        let truncated = args.cap().is_some_and(|cap| paths.len() > cap);
        if let Some(cap) = args.cap() {
            paths.truncate(cap);
        }
        let answer = Answer { paths, truncated };
        let paths = &answer.paths;
        found_any |= !paths.is_empty();
        match format {
            PathFormat::Json if args.pairs.is_some() => {
                serde_json::to_writer(&mut *text_out, &answer_json(kg, args, from, to, &answer))
                    .map_err(std::io::Error::from)?;
                writeln!(text_out)?;
            }
            PathFormat::Json => {
                serde_json::to_writer_pretty(
                    &mut *text_out,
                    &answer_json(kg, args, from, to, &answer),
                )
                .map_err(std::io::Error::from)?;
                writeln!(text_out)?;
            }
            PathFormat::Text => {
                if i > 0 {
                    writeln!(text_out)?;
                }
                write_text(kg, args, from, to, &answer, text_out)?;
            }
            _ if paths.is_empty() => {
                let mut sentence = Vec::new();
                write_text(kg, args, from, to, &answer, &mut sentence)?;
                ctx.note(String::from_utf8_lossy(&sentence).trim_end());
            }
            _ => drawn = Some(draw(ctx, args, format, from, to, paths, text_out)?),
        }
    }
    if let Some(path) = &args.output {
        let detail = match drawn {
            Some(engine) => format!("drawn by {engine}"),
            None if picture => {
                // Nothing found: no picture, and no file.
                return Ok(Outcome::NothingFound);
            }
            None => format.name().to_owned(),
        };
        if !picture {
            write_atomic(path, |w| w.write_all(&gathered))?;
        }
        ctx.wrote(path, &detail);
    }
    // contract: with --pairs, exit 0 once every pair is answered, found or not.
    Ok(if found_any || args.pairs.is_some() {
        Outcome::Done
    } else {
        Outcome::NothingFound
    })
}

/// Draws the paths as a left-to-right diagram: DOT text, or a picture through `render`,
/// into `-o` or (DOT and SVG) `out`; returns the engine that drew it.
fn draw(
    ctx: &Ctx,
    args: &PathArgs,
    format: PathFormat,
    from: NodeIndex,
    to: NodeIndex,
    paths: &[Path],
    out: &mut dyn Write,
) -> Result<String, CliError> {
    let kg = ctx.graph()?;
    let title = format!(
        "paths from {} to {}{}",
        kg.name(from),
        kg.name(to),
        args.filter.describe()
    );
    let view = Subgraph::from_paths(kg, paths, title);
    let options = DotOptions {
        left_to_right: true,
        title: Some(ctx.picture_title(kg, &view.title)),
        path: Some(PathRanks::of_paths(
            from,
            to,
            paths.iter().map(|p| p.nodes.as_slice()),
        )),
        explain: args.explain,
        ..DotOptions::picture()
    };
    let picture = format
        .picture()
        .expect("draw is called for picture formats");
    let (target, _keep) = match &args.output {
        Some(path) => (path.clone(), None),
        None => {
            let dir = tempfile::tempdir()?;
            (
                dir.path().join(format!("path.{}", format.name())),
                Some(dir),
            )
        }
    };
    let rendered = render(kg, &view, &target, picture, Some(Engine::Dot), &options)?;
    for warning in &rendered.warnings.0 {
        ctx.note(&format!("warning: {warning}"));
    }
    if args.output.is_none() {
        out.write_all(&std::fs::read(&target)?)?;
    }
    Ok(rendered.engine)
}

/// Returns the documented JSON object for one query: `limit` is the cap that applied (null
/// for one shortest path) and `truncated` whether paths were left out because of it.
fn answer_json(
    kg: &KnowledgeGraph,
    args: &PathArgs,
    from: NodeIndex,
    to: NodeIndex,
    answer: &Answer,
) -> Value {
    json!({
        "from": kg.id(from),
        "to": kg.id(to),
        "limit": args.cap(),
        "truncated": answer.truncated,
        "chronological": args.chronological,
        "paths": answer.paths.iter().map(|path| path_json(kg, path)).collect::<Vec<_>>(),
    })
}

/// Returns one path as JSON: length, weight, nodes and edges.
pub fn path_json(kg: &KnowledgeGraph, path: &Path) -> Value {
    crate::cli::wire::nodes_edges_json(kg, &path.nodes, &path.edges, path.weight)
}

/// Returns a path as one line: `A —type (date)→ B ←type— C`.
pub fn path_line(kg: &KnowledgeGraph, path: &Path) -> String {
    let mut line = kg.name(path.nodes[0]).to_owned();
    for (i, &edge) in path.edges.iter().enumerate() {
        let relation = kg.relation(edge);
        let label = match relation.date_label() {
            Some(date) => format!("{} ({date})", kg.rel_type(edge)),
            None => kg.rel_type(edge).to_owned(),
        };
        let next = path.nodes[i + 1];
        let forward = kg.endpoints(edge).1 == next && kg.endpoints(edge).0 == path.nodes[i];
        if forward {
            line.push_str(" —");
            line.push_str(&label);
            line.push_str("→ ");
        } else {
            line.push_str(" ←");
            line.push_str(&label);
            line.push_str("— ");
        }
        line.push_str(kg.name(next));
    }
    line
}

fn write_text(
    kg: &KnowledgeGraph,
    args: &PathArgs,
    from: NodeIndex,
    to: NodeIndex,
    answer: &Answer,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let paths = &answer.paths;
    let filters = args.filter.describe();
    let (a, b) = (kg.name(from), kg.name(to));
    if paths.is_empty() {
        let within = args
            .max_hops
            .map(|h| format!(" within {h} relations"))
            .unwrap_or_default();
        let chronological = if args.chronological {
            " chronological"
        } else {
            ""
        };
        return writeln!(
            out,
            "no{chronological} path from {a} to {b}{within}{filters}"
        );
    }
    let measure = |path: &Path| match path.weight {
        Some(weight) => format!("weight {weight}, length {}", path.len()),
        None => format!("length {}", path.len()),
    };
    match args.mode() {
        PathMode::Shortest => writeln!(
            out,
            "shortest path from {a} to {b}{filters}, {}:",
            measure(&paths[0])
        )?,
        PathMode::AllShortest { .. } if paths.len() == 1 => writeln!(
            out,
            "one shortest path from {a} to {b}{filters}, {}:",
            measure(&paths[0])
        )?,
        PathMode::AllShortest { limit } => {
            let more = if answer.truncated {
                format!(" (stopped at --limit {limit}; there are more)")
            } else {
                String::new()
            };
            writeln!(
                out,
                "{} shortest paths from {a} to {b}{filters}, {} each{more}:",
                paths.len(),
                measure(&paths[0])
            )?;
        }
        PathMode::KShortest(k) if answer.truncated => {
            writeln!(
                out,
                "the {} shortest simple paths from {a} to {b}{filters} (stopped at --limit {}; asked for {k}):",
                paths.len(),
                args.limit
            )?;
        }
        PathMode::KShortest(k) if paths.len() == k => {
            writeln!(
                out,
                "the {k} shortest simple paths from {a} to {b}{filters}:"
            )?;
        }
        PathMode::KShortest(k) => {
            writeln!(
                out,
                "only {} simple path{} from {a} to {b}{filters} (asked for {k}):",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" }
            )?;
        }
        PathMode::Chronological => writeln!(
            out,
            "shortest chronological path from {a} to {b}{filters}, {}:",
            measure(&paths[0])
        )?,
    }
    for (i, path) in paths.iter().enumerate() {
        match args.mode() {
            PathMode::KShortest(_) => writeln!(
                out,
                "{:>3}. [{}] {}",
                i + 1,
                measure(path),
                path_line(kg, path)
            )?,
            _ if paths.len() > 1 => writeln!(out, "{:>3}. {}", i + 1, path_line(kg, path))?,
            _ => writeln!(out, "  {}", path_line(kg, path))?,
        }
        if args.explain {
            for &edge in &path.edges {
                let relation = kg.relation(edge);
                let (source, target) = kg.endpoints(edge);
                writeln!(
                    out,
                    "       {} —{}→ {}",
                    kg.id(source),
                    kg.rel_type(edge),
                    kg.id(target)
                )?;
                for (def, value) in kg.catalog.relation_attrs(relation) {
                    writeln!(
                        out,
                        "         {}: {}",
                        def.name,
                        value.to_string().replace('\n', " ")
                    )?;
                }
                writeln!(out, "         at {}", kg.relation_origin(edge))?;
            }
        }
    }
    Ok(())
}

/// Reads and resolves every `from,to` row; any problem stops the run before a search.
fn read_pairs(kg: &KnowledgeGraph, file: &str) -> Result<Vec<(NodeIndex, NodeIndex)>, CliError> {
    let read = if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        crate::load::read_pairs_text("-", &text)
    } else {
        crate::load::read_pairs_file(file, std::path::Path::new(file))
    };
    let rows = read.map_err(|diags| CliError::Input {
        file: file.to_owned(),
        problems: diags.iter().map(ToString::to_string).collect(),
    })?;
    let mut problems = Vec::new();
    let mut pairs = Vec::with_capacity(rows.len());
    for row in rows {
        let mut resolve = |text: &str| match kg.resolve(text) {
            Ok(node) => Some(node),
            Err(err) => {
                problems.push(format!("{file}:{}: {err}", row.line));
                None
            }
        };
        if let (Some(from), Some(to)) = (resolve(&row.from), resolve(&row.to)) {
            pairs.push((from, to));
        }
    }
    if problems.is_empty() {
        Ok(pairs)
    } else {
        Err(CliError::Input {
            file: file.to_owned(),
            problems,
        })
    }
}
