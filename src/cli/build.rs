//! `ties build`: the main job. Check the data, then write every export, the diagram and an
//! index page into `out/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::export::dot::DotOptions;
use crate::export::index::{Diagram, FileEntry, IndexPage, human_size};
use crate::export::{Format, export_to_path, write_atomic};
use crate::render::{PictureFormat, RenderError, render};
use crate::view::Subgraph;

/// Above this many entities `build` leaves out the whole-graph picture: a layout of the whole
/// network would take minutes and show a hairball. Use `ties render --around` instead.
pub const PICTURE_LIMIT: usize = 2000;

/// Check the data and write every output into a folder
///
/// Writes graph.dot, graph.svg (the whole network, when it has at most 2000 entities),
/// graph.graphml, graph.gexf, graph.json, graph.cypher, neo4j/ and index.html, then lists
/// them with their sizes. Stops with exit 2, writing nothing, when the data has problems.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    pub output: PathBuf,
}

/// Runs `ties build`.
pub fn run(ctx: &Ctx, args: &BuildArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let view = Subgraph::whole(kg);
    let dir = &args.output;
    std::fs::create_dir_all(dir)?;
    let steps = Format::ALL.len() as u64 + 2;
    let bar = ctx.progress_bar(steps, kg.relation_count() > 100_000);
    let mut files: Vec<FileEntry> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for format in Format::ALL {
        bar.set_message(format.build_name());
        let path = dir.join(format.build_name());
        let warnings = export_to_path(kg, &view, format, &path)?;
        notes.extend(warnings.0);
        files.push(FileEntry {
            name: display_name(format.build_name(), format.is_folder()),
            bytes: size_of(&path),
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
            &DotOptions::default(),
        ) {
            Ok(rendered) => {
                notes.extend(rendered.warnings.0);
                files.insert(
                    1,
                    FileEntry {
                        name: "graph.svg".into(),
                        bytes: size_of(&path),
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
    bar.set_message("index.html");
    let page = IndexPage {
        title: format!("ties: {}", ctx.data_dir().display()),
        summary: format!(
            "{} entities of {} kinds, {} relations of {} types.",
            kg.entity_count(),
            kg.catalog.kinds.len(),
            kg.relation_count(),
            kg.catalog.rel_types.len()
        ),
        diagrams,
        files: files.clone(),
    };
    let index = dir.join("index.html");
    write_atomic(&index, |w| crate::export::index::write(&page, w))?;
    files.push(FileEntry {
        name: "index.html".into(),
        bytes: size_of(&index),
        purpose: "this table and the diagrams, for a browser".into(),
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
    for note in notes {
        ctx.note(&format!("note: {note}"));
    }
    Ok(Outcome::Done)
}

fn display_name(name: &str, folder: bool) -> String {
    if folder {
        format!("{name}/")
    } else {
        name.to_owned()
    }
}

/// Returns the size of a file, or of the files in a folder.
fn size_of(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::read_dir(path).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| size_of(&e.path()))
                .sum()
        }),
        Ok(meta) => meta.len(),
        Err(_) => 0,
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
