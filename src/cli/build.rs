//! `ties build`: the main job. Check the data, then write every export, the diagram and an
//! index page into `out/`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::Ctx;
use crate::cli::args::ExportMetrics;
use crate::cli::error::{CliError, Outcome};
use crate::cli::query::run_text;
use crate::cli::wire::{result_json, result_table};
use crate::cypher::{Limits, Value};
use crate::export::atomic::{FolderLock, at_path, create_folder};
use crate::export::dot::{DotOptions, PathRanks};
use crate::export::explorer::ExplorerGraph;
use crate::export::index::{Diagram, FileEntry, IndexPage, QueryEntry, human_size, size_on_disk};
use crate::export::{Format, export_to_path, write_atomic};
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::render::{Engine, PictureFormat, RenderError, render};
use crate::view::Subgraph;

/// The explorer's graph for the page and a note on what it shows: the whole graph up to
/// [`EXPLORER_LIMIT`] entities, else (or when asked) the neighbourhood of one entity, the
/// most connected by default, shrunk in depth until it fits.
fn explorer_graph<'g>(
    (kg, adjacency): (&'g KnowledgeGraph, &Adjacency),
    whole: &Subgraph,
    around: Option<petgraph::graph::NodeIndex>,
    depth: usize,
) -> (Option<ExplorerGraph<'g>>, Option<String>) {
    let mut notes = Vec::new();
    let view = if around.is_none() && whole.nodes.len() <= EXPLORER_LIMIT {
        whole.clone()
    } else {
        let center = around.unwrap_or_else(|| {
            kg.node_indices()
                .max_by_key(|&n| (kg.degree(n), std::cmp::Reverse(n)))
                .expect("a graph past the limit has entities")
        });
        let mut depth = depth.max(1);
        let mut view;
        loop {
            view = Subgraph::select(
                kg,
                adjacency,
                &crate::view::ViewSpec {
                    around: Some((center, depth)),
                    ..crate::view::ViewSpec::default()
                },
            );
            if view.nodes.len() <= EXPLORER_LIMIT || depth == 1 {
                break;
            }
            depth -= 1;
        }
        // Metrics computed on the whole graph go with the part the page shows.
        view.computed = whole.computed.clone();
        if view.nodes.len() > EXPLORER_LIMIT {
            return (
                None,
                Some(format!(
                    "The explorer is left out: even the entities next to {} number {}, more than {EXPLORER_LIMIT}. Pick another with `ties build --explore-around NODE --explore-depth N`, or open `graph.gexf` in Gephi.",
                    kg.name(center),
                    view.nodes.len()
                )),
            );
        }
        notes.push(format!(
            "The explorer shows {} entities within {depth} relation{} of {}{}. Pick another part with `ties build --explore-around NODE --explore-depth N`.",
            view.nodes.len(),
            if depth == 1 { "" } else { "s" },
            kg.name(center),
            if around.is_some() {
                String::new()
            } else {
                format!(
                    ", the most connected entity (the whole graph has {} entities, more than {EXPLORER_LIMIT} for one page)",
                    whole.nodes.len()
                )
            }
        ));
        view
    };
    let layout = crate::render::explorer_layout(kg, &view);
    (
        Some(ExplorerGraph { kg, view, layout }),
        (!notes.is_empty()).then(|| notes.join(" ")),
    )
}

/// The page's headline counts: `45 entities of 9 kinds, 83 relations of 30 types`.
fn counts(kg: &KnowledgeGraph) -> String {
    format!(
        "{} entities of {} kinds, {} relations of {} types",
        kg.entity_count(),
        kg.catalog.kinds.len(),
        kg.relation_count(),
        kg.catalog.rel_types.len()
    )
}

/// The explorer page `ties serve --http` gives: the page of `build` without its files and
/// saved queries, whose Cypher box asks the server.
pub fn live_page(ctx: &Ctx, kg: &KnowledgeGraph, adjacency: &Adjacency) -> std::io::Result<String> {
    let whole = Subgraph::whole(kg);
    let (explorer, explorer_note) = explorer_graph((kg, adjacency), &whole, None, 2);
    let page = IndexPage {
        explorer,
        explorer_note,
        title: format!("ties: {}", ctx.data_name(kg)),
        summary: format!(
            "{}, served live: the Cypher box asks the server.",
            counts(kg)
        ),
        diagrams: Vec::new(),
        files: Vec::new(),
        queries: Vec::new(),
    };
    let mut bytes = Vec::new();
    crate::export::index::write(&page, &mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Above this many entities `build` writes no explorer graph into `index.html`.
pub const EXPLORER_LIMIT: usize = 250_000;

/// The ranks of the paths in query results when they all run between the same two
/// entities, so their picture reads from start to end like `ties path`'s.
fn shared_ends<'a>(values: impl Iterator<Item = &'a Value>) -> Option<PathRanks> {
    let paths: Vec<&[petgraph::graph::NodeIndex]> = values
        .filter_map(|value| match value {
            Value::Path(path) => Some(path.nodes.as_slice()),
            _ => None,
        })
        .collect();
    let first = paths.first()?;
    let (from, to) = (*first.first()?, *first.last()?);
    let same = paths
        .iter()
        .all(|nodes| nodes.first() == Some(&from) && nodes.last() == Some(&to));
    (same && from != to).then(|| PathRanks::of_paths(from, to, paths.iter().copied()))
}

/// Above this many entities `build` leaves out the whole-graph picture: a layout of the whole
/// network would take minutes and show a hairball. Use `ties render --around` instead.
pub const PICTURE_LIMIT: usize = 2000;

/// Check the data and write every output into a folder
///
/// Writes graph.dot, graph.svg (the whole network, when it has at most 2000 entities),
/// graph.graphml, graph.gexf, graph.json, graph.cypher, neo4j/, parquet/, the answers to every
/// saved query (queries/NAME.txt, .json and, when they hold entities, .svg) and index.html,
/// then lists them with their sizes. The saved queries are the `*.cypher` files of --queries,
/// else of `queries` in ties.toml (relative to the data folder), else of the folder
/// `queries` beside the data folder. Stops with exit 2, writing nothing, when the data has
/// problems; a saved query that fails is a warning (its file and error, also on the page)
/// and every other output is still written.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    pub output: PathBuf,
    /// Folder of saved queries (*.cypher) to answer into DIR/queries/ [default: `queries` in
    /// ties.toml, else the folder `queries` beside the data folder]
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,
    /// Let the explorer in index.html show only what lies around this entity [default: the
    /// whole graph, or around the most connected entity past 50000 entities]
    #[arg(long, value_name = "NODE")]
    pub explore_around: Option<String>,
    /// With --explore-around, how many relations away to reach
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub explore_depth: usize,
    /// Network metrics written as entity attributes in every export (see `ties stats
    /// --metrics`), or none
    #[arg(long, value_name = "LIST", default_value = "degree,pagerank,communities", value_parser = ExportMetrics::parse)]
    pub metrics: ExportMetrics,
}

/// Runs `ties build`.
pub fn run(ctx: &Ctx, args: &BuildArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let mut view = Subgraph::whole(kg);
    // Gephi opens the GEXF ready to size by PageRank and colour by community.
    args.metrics.compute_into(kg, &mut view);
    let dir = &args.output;
    create_folder(dir)?;
    // Two builds into one folder take turns; the second says why it waits.
    let _lock = FolderLock::acquire(dir, || {
        ctx.note(&format!(
            "waiting for another ties build writing into {} to finish",
            dir.display()
        ));
    })
    .map_err(CliError::Io)?;
    let steps = Format::ALL.len() as u64 + 2;
    let bar = ctx.progress_bar(steps, kg.relation_count() > 100_000);
    let mut files: Vec<FileEntry> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    // What the writers warned about (a renamed column, a replaced character), apart from
    // notes on what was left out: each is printed under its own word.
    let mut warnings: Vec<String> = Vec::new();
    for format in Format::ALL {
        bar.set_message(format.build_name());
        let path = dir.join(format.build_name());
        let written = export_to_path(kg, &view, format, &path)?;
        warnings.extend(written.0);
        files.push(FileEntry {
            name: display_name(format.build_name(), format.is_folder()),
            bytes: size_on_disk(&path),
            purpose: format.purpose().to_owned(),
        });
        bar.inc(1);
    }
    bar.set_message("graph.svg");
    let mut diagrams = Vec::new();
    if view.nodes.len() <= PICTURE_LIMIT {
        let path = dir.join("graph.svg");
        match render(
            kg,
            &view,
            &path,
            PictureFormat::Svg,
            None,
            &DotOptions {
                title: Some(ctx.picture_title(kg, &view.title)),
                ..DotOptions::picture()
            },
        ) {
            Ok(rendered) => {
                warnings.extend(rendered.warnings.0);
                files.insert(
                    1,
                    FileEntry {
                        name: "graph.svg".into(),
                        bytes: size_on_disk(&path),
                        purpose: format!("the whole network, drawn by {}", rendered.engine),
                    },
                );
                diagrams.push(Diagram {
                    file: "graph.svg".into(),
                    caption: format!(
                        "The whole network: {} entities, {} relations",
                        view.nodes.len(),
                        view.edges.len()
                    ),
                });
            }
            Err(RenderError::GraphvizMissing(why)) => notes.push(format!(
                "graph.svg left out: Graphviz not found ({why}); install the `graphviz` package"
            )),
            Err(err) => return Err(err.into()),
        }
    } else {
        notes.push(format!("graph.svg left out: {} entities is more than {PICTURE_LIMIT}; draw a part with `ties render --around NODE`", view.nodes.len()));
    }
    bar.inc(1);
    bar.set_message("queries");
    let queries_dir = saved_queries_dir(ctx, args.queries.as_deref())?;
    let queries = run_saved_queries(ctx, &queries_dir, dir, &mut notes, &mut warnings)?;
    bar.set_message("index.html");
    let explore_around = match &args.explore_around {
        Some(node) => Some(kg.resolve(node)?),
        None => None,
    };
    let (explorer, explorer_note) = explorer_graph(
        (kg, ctx.adjacency()?),
        &view,
        explore_around,
        args.explore_depth,
    );
    let page = IndexPage {
        explorer,
        explorer_note,
        title: format!("ties: {}", ctx.data_name(kg)),
        summary: format!("{}.", counts(kg)),
        diagrams,
        files: files.clone(),
        queries: queries.clone(),
    };
    let index = dir.join("index.html");
    write_atomic(&index, |w| crate::export::index::write(&page, w))?;
    files.push(FileEntry {
        name: "index.html".into(),
        bytes: size_on_disk(&index),
        purpose:
            "the explorer: search, click, filter by time and trace paths, offline in a browser"
                .into(),
    });
    bar.inc(1);
    bar.finish_and_clear();
    writeln!(
        out,
        "built {} from {} entities and {} relations:",
        dir.display(),
        kg.entity_count(),
        kg.relation_count()
    )?;
    let width = files
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0);
    for file in &files {
        writeln!(
            out,
            "  {:width$}  {:>9}  {}",
            file.name,
            human_size(file.bytes),
            file.purpose
        )?;
    }
    if !queries.is_empty() {
        writeln!(
            out,
            "answered {} saved question{} into {}:",
            queries.len(),
            if queries.len() == 1 { "" } else { "s" },
            dir.join("queries").display()
        )?;
        for query in &queries {
            if query.error.is_some() {
                writeln!(out, "  failed     {}", query.question)?;
                continue;
            }
            writeln!(
                out,
                "  {:>4} row{}  {}",
                query.rows,
                if query.rows == 1 { " " } else { "s" },
                query.question
            )?;
        }
    }
    for warning in warnings {
        ctx.note(&format!("warning: {warning}"));
    }
    for note in notes {
        ctx.note(&format!("note: {note}"));
    }
    Ok(Outcome::Done)
}

/// The folder of saved queries: the one given, else `queries` in `ties.toml` (relative to the
/// data folder), else `queries` beside the data folder (`./queries` for `./data`).
fn saved_queries_dir(ctx: &Ctx, given: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(dir) = given {
        return Ok(dir.to_owned());
    }
    let data = ctx.data_dir();
    if let Some(setting) = &ctx.graph()?.style.queries {
        return Ok(data.join(setting));
    }
    let parent = match data.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from(if data == Path::new(".") { ".." } else { "." }),
    };
    Ok(parent.join("queries"))
}

fn display_name(name: &str, folder: bool) -> String {
    if folder {
        format!("{name}/")
    } else {
        name.to_owned()
    }
}

/// Returns a hidden bar unless asked to show one on a terminal.
#[must_use]
pub fn steps_bar(total: u64, visible: bool) -> ProgressBar {
    let bar = if visible {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("building {bar:30} {pos}/{len} {msg}")
            .expect("the template is valid"),
    );
    bar
}

/// Runs every `*.cypher` of `queries` into `dir/queries/<name>.{txt,json}` and, when the
/// answer holds entities, `<name>.svg`. A query that fails is a warning with its file and
/// error, and its entry on the page says so; the other queries still run.
fn run_saved_queries(
    ctx: &Ctx,
    queries: &Path,
    dir: &Path,
    notes: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<Vec<QueryEntry>, CliError> {
    let Ok(entries) = std::fs::read_dir(queries) else {
        notes.push(format!(
            "no saved queries: `{}` is not a folder",
            queries.display()
        ));
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    let kg = ctx.graph()?;
    let target = dir.join("queries");
    create_folder(&target)?;
    let mut done = Vec::new();
    let name_of = |file: &Path| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    for file in files {
        let name = name_of(&file);
        let text = std::fs::read_to_string(&file)
            .map_err(|err| at_path(err, "read the saved query", &file))?;
        let question = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("//"))
            .map_or_else(|| name.clone(), |q| q.trim().to_owned());
        let shown = file.display().to_string();
        let result = match run_text(ctx, &shown, &text, BTreeMap::new(), Limits::default()) {
            Ok(result) => result,
            Err(CliError::Query { name, text, error }) => {
                warnings.push(format!(
                    "saved query failed: {}",
                    error.render(&text, &name)
                ));
                // The page names the file by its folder only: it may be shared.
                let page_name = format!("queries/{}.cypher", name_of(&file));
                let message = error.render(&text, &page_name);
                done.push(QueryEntry::failed(question, name_of(&file), message));
                continue;
            }
            Err(err) => return Err(err),
        };
        for notice in &result.notices {
            warnings.push(format!("{shown}: {notice}"));
        }
        write_atomic(&target.join(format!("{name}.txt")), |w| {
            writeln!(w, "// {question}")?;
            w.write_all(result_table(kg, &result).as_bytes())
        })?;
        write_atomic(&target.join(format!("{name}.json")), |w| {
            serde_json::to_writer_pretty(&mut *w, &result_json(kg, &result))
                .map_err(std::io::Error::from)?;
            writeln!(w)
        })?;
        let mut entry = QueryEntry {
            question: question.clone(),
            name: name.clone(),
            rows: result.rows.len(),
            columns: result.columns.clone(),
            table: result
                .rows
                .iter()
                .map(|row| row.iter().map(|value| value.display(kg)).collect())
                .collect(),
            files: vec![
                format!("queries/{name}.txt"),
                format!("queries/{name}.json"),
            ],
            diagram: None,
            error: None,
        };
        let values = result.rows.iter().flatten();
        if let Some(view) = Subgraph::from_values(kg, values, question.clone())
            && view.nodes.len() <= PICTURE_LIMIT
        {
            let has_paths = result
                .rows
                .iter()
                .flatten()
                .any(|v| matches!(v, Value::Path(_)));
            let options = DotOptions {
                left_to_right: has_paths,
                edge_labels: Some(has_paths),
                title: Some(ctx.picture_title(kg, &question)),
                path: shared_ends(result.rows.iter().flatten()),
                ..DotOptions::picture()
            };
            let engine = if has_paths { Some(Engine::Dot) } else { None };
            match render(
                kg,
                &view,
                &target.join(format!("{name}.svg")),
                PictureFormat::Svg,
                engine,
                &options,
            ) {
                Ok(rendered) => {
                    notes.extend(
                        rendered
                            .warnings
                            .0
                            .into_iter()
                            .map(|w| format!("{name}.svg: {w}")),
                    );
                    entry.diagram = Some(format!("queries/{name}.svg"));
                }
                Err(RenderError::GraphvizMissing(why)) => {
                    notes.push(format!("queries/{name}.svg left out: {why}"));
                }
                Err(err) => return Err(err.into()),
            }
        }
        done.push(entry);
    }
    Ok(done)
}
