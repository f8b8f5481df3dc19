//! `ties export`: write a view of the graph in one format.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Ctx;
use crate::cli::args::{ExportMetrics, ViewArgs};
use crate::cli::error::{CliError, Outcome};
use crate::export::cypher::{self, CypherDialect};
use crate::export::dot::{DotOptions, write_dot};
use crate::export::{Format, Warnings, export, export_to_path, write_atomic};
/// Write the graph, or a view of it, in one format
///
/// The format comes from the output's extension (.dot, .graphml, .gexf, .json, .cypher) or
/// from --format; the two must agree. Folders (neo4j) and stdout (`-o -`) need --format. The
/// view flags select what to write: --kinds, --types, --as-of, --between, --exclude, or
/// --around NODE --depth N. Files are written atomically.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Output format [default: from the output's extension]
    #[arg(long, value_parser = crate::cli::args::format_parser())]
    pub format: Option<Format>,
    /// Output file (a folder for neo4j), or - for stdout
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// Network metrics to add as entity attributes (see `ties stats --metrics`), or none
    #[arg(long, value_name = "LIST", value_parser = ExportMetrics::parse)]
    pub metrics: Option<ExportMetrics>,
    /// With --format dot, group entities into boxes by this attribute, or by `kind`
    #[arg(long, value_name = "ATTR")]
    pub cluster_by: Option<String>,
    /// With --format cypher, the engine the script is for: neo4j (the default; FalkorDB runs
    /// it too unless a name holds a backslash, backtick or control character), memgraph or
    /// falkordb (a backtick in a name becomes `_` there)
    #[arg(long, value_name = "ENGINE", value_parser = parse_dialect)]
    pub dialect: Option<CypherDialect>,
    /// What to export.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Parses `--dialect`.
fn parse_dialect(text: &str) -> Result<CypherDialect, String> {
    CypherDialect::ALL
        .into_iter()
        .find(|dialect| dialect.name() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = CypherDialect::ALL.iter().map(|d| d.name()).collect();
            format!("`{text}` is not one of {}", names.join(", "))
        })
}

/// Returns the format `--format` and the output's extension agree on.
fn format_of(given: Option<Format>, output: &Path) -> Result<Format, CliError> {
    let stdout = output.as_os_str() == "-";
    let implied = if stdout {
        None
    } else {
        Format::from_path(output)
    };
    match (given, implied) {
        (Some(given), Some(implied)) if given != implied => Err(CliError::Usage(format!(
            "`{}` is a .{} file name, which means --format {}, but --format {} was given",
            output.display(),
            output
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default(),
            implied.name(),
            given.name()
        ))),
        (Some(format), _) | (None, Some(format)) => Ok(format),
        (None, None) if stdout => Err(CliError::Usage(
            "-o - writes to stdout: say which format with --format".to_owned(),
        )),
        (None, None) => Err(CliError::Usage(format!(
            "cannot tell the format of `{}`: end it in {}, or give --format ({} write folders)",
            output.display(),
            Format::ALL
                .iter()
                .filter_map(|f| f.extensions().first())
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", "),
            Format::ALL
                .iter()
                .filter(|f| f.is_folder())
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

/// Runs `ties export`.
pub fn run(ctx: &Ctx, args: &ExportArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let format = format_of(args.format, &args.output)?;
    if args.cluster_by.is_some() && format != Format::Dot {
        return Err(CliError::Usage(
            "--cluster-by only applies to --format dot".to_owned(),
        ));
    }
    if args.dialect.is_some() && format != Format::Cypher {
        return Err(CliError::Usage(
            "--dialect only applies to --format cypher".to_owned(),
        ));
    }
    let stdout = args.output.as_os_str() == "-";
    if stdout && format.is_folder() {
        return Err(CliError::Usage(format!(
            "the {} format is a folder of files; give a folder with -o",
            format.name()
        )));
    }
    let kg = ctx.graph()?;
    let mut view = args.view.view(ctx)?;
    if let Some(metrics) = &args.metrics {
        metrics.compute_into(kg, &mut view);
    }
    let mut warnings = Warnings::default();
    match (format, stdout) {
        (Format::Dot, _) => {
            let options = DotOptions {
                cluster_by: args.cluster_by.clone(),
                ..DotOptions::default()
            };
            if stdout {
                write_dot(kg, &view, &options, &mut warnings, out)?;
            } else {
                write_atomic(&args.output, |w| {
                    write_dot(kg, &view, &options, &mut warnings, w)
                })?;
            }
        }
        (Format::Cypher, true) => {
            let dialect = args.dialect.unwrap_or_default();
            cypher::write_for(kg, &view, dialect, out, &mut warnings)?;
        }
        (Format::Cypher, false) => {
            let dialect = args.dialect.unwrap_or_default();
            write_atomic(&args.output, |w| {
                cypher::write_for(kg, &view, dialect, w, &mut warnings)
            })?;
        }
        (_, true) => export(kg, &view, format, out, &mut warnings)?,
        (_, false) => warnings = export_to_path(kg, &view, format, &args.output)?,
    }
    for warning in &warnings.0 {
        ctx.note(&format!("warning: {warning}"));
    }
    if !stdout {
        ctx.wrote(
            &args.output,
            &format!(
                "{}, {} entities, {} relations",
                format.name(),
                view.nodes.len(),
                view.edges.len()
            ),
        );
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_gives_the_format_and_must_agree_with_the_flag() {
        let path = Path::new("out/graph.GEXF");
        assert_eq!(format_of(None, path).unwrap(), Format::Gexf);
        assert_eq!(format_of(Some(Format::Gexf), path).unwrap(), Format::Gexf);
        assert!(format_of(Some(Format::Json), path).is_err());
        assert!(format_of(None, Path::new("out/neo4j")).is_err());
        assert_eq!(
            format_of(Some(Format::Neo4j), Path::new("out/neo4j")).unwrap(),
            Format::Neo4j
        );
        assert!(format_of(None, Path::new("-")).is_err());
        assert_eq!(
            format_of(Some(Format::Json), Path::new("-")).unwrap(),
            Format::Json
        );
    }
}
