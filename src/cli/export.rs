//! `ties export`: write a view of the graph in one format.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::Ctx;
use crate::cli::args::ViewArgs;
use crate::cli::error::{CliError, Outcome};
use crate::export::dot::{DotOptions, write_dot};
use crate::export::{Format, Warnings, export, export_to_path, write_atomic};
/// Write the graph, or a view of it, in one format
///
/// The view flags select what to write: --kinds, --types, --as-of, --between, --exclude, or
/// --around NODE --depth N. Files are written atomically. `-o -` writes to stdout (not for
/// neo4j, which is a folder).
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_parser = crate::cli::args::format_parser())]
    pub format: Format,
    /// Output file (a folder for neo4j), or - for stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// With --format dot, group entities into boxes by this attribute, or by `kind`
    #[arg(long, value_name = "ATTR")]
    pub cluster_by: Option<String>,
    /// What to export.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Runs `ties export`.
pub fn run(ctx: &Ctx, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let view = args.view.view(ctx)?;
    let format = args.format;
    if args.cluster_by.is_some() && format != Format::Dot {
        return Err(CliError::Usage(
            "--cluster-by only applies to --format dot".to_owned(),
        ));
    }
    if format == Format::Dot {
        let options = DotOptions {
            cluster_by: args.cluster_by.clone(),
            ..DotOptions::default()
        };
        let mut warnings = Warnings::default();
        if args.output.as_os_str() == "-" {
            write_dot(kg, &view, &options, &mut warnings, out)?;
        } else {
            write_atomic(&args.output, |w| {
                write_dot(kg, &view, &options, &mut warnings, w)
            })?;
        }
        for warning in &warnings.0 {
            ctx.note(&format!("warning: {warning}"));
        }
        return Ok(Outcome::Done);
    }
    let warnings = if args.output.as_os_str() == "-" {
        if format.is_folder() {
            return Err(CliError::Usage(
                "the neo4j format is a folder of CSV files; give a folder with -o".to_owned(),
            ));
        }
        let mut warnings = Warnings::default();
        export(kg, &view, format, out, &mut warnings)?;
        warnings
    } else {
        let warnings = export_to_path(kg, &view, format, &args.output)?;
        ctx.note(&format!(
            "wrote {} ({} entities, {} relations) to {}",
            format.name(),
            view.nodes.len(),
            view.edges.len(),
            args.output.display()
        ));
        warnings
    };
    for warning in &warnings.0 {
        ctx.note(&format!("warning: {warning}"));
    }
    Ok(Outcome::Done)
}
