//! `ties render`: draw a view of the graph as SVG, PNG or PDF.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::Ctx;
use crate::cli::args::ViewArgs;
use crate::cli::error::{CliError, Outcome};
use crate::export::dot::DotOptions;
use crate::render::{Engine, PictureFormat, render};

/// Draw the graph, or a view of it, with Graphviz
///
/// The picture format comes from the output's extension: .svg, .png or .pdf. The layout
/// engine is `neato` up to 500 entities and `sfdp` above, unless --engine says otherwise;
/// --left-to-right draws with `dot` and --cluster-by with `fdp` (an engine that ignores them is
/// refused). Relations between the same entities of the same type are one edge with a count
/// and dates; types are told apart by colour and line, as the legend shows, and every
/// relation's type and dates are in its tooltip. Without Graphviz, SVG of up to 300 entities
/// is drawn by a built-in layout; PNG, PDF and larger views then need the `graphviz` package.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Output file: .svg, .png, .pdf, or .dot for the picture's DOT source
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Graphviz layout engine (default: by size)
    #[arg(long, value_parser = crate::cli::args::engine_parser())]
    pub engine: Option<Engine>,
    /// Group entities into boxes by this attribute, or by `kind`
    #[arg(long, value_name = "ATTR")]
    pub cluster_by: Option<String>,
    /// Lay out left to right instead of top to bottom (drawn by `dot`)
    #[arg(long)]
    pub left_to_right: bool,
    /// Draw every relation, instead of one edge per (from, to, type) with a count and dates
    #[arg(long)]
    pub no_bundle: bool,
    /// The title above the picture [default: the data's name and the view]
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// What to draw.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Runs `ties render`.
pub fn run(ctx: &Ctx, args: &RenderArgs, _out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let Some(format) = PictureFormat::from_path(&args.output) else {
        return Err(CliError::Usage(format!(
            "cannot tell the picture format of `{}`: end it in .svg, .png, .pdf or .dot",
            args.output.display()
        )));
    };
    let view = args.view.view(ctx)?;
    let options = DotOptions {
        cluster_by: args.cluster_by.clone(),
        left_to_right: args.left_to_right,
        bundle: !args.no_bundle,
        title: Some(
            args.title
                .clone()
                .unwrap_or_else(|| ctx.picture_title(kg, &view.title)),
        ),
        ..DotOptions::picture()
    };
    let rendered = render(kg, &view, &args.output, format, args.engine, &options)?;
    for warning in &rendered.warnings.0 {
        ctx.note(&format!("warning: {warning}"));
    }
    ctx.wrote(
        &args.output,
        &format!(
            "drawn by {}, {} entities, {} relations",
            rendered.engine,
            view.nodes.len(),
            view.edges.len()
        ),
    );
    Ok(Outcome::Done)
}
