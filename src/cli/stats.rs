//! `ties stats`: counts, components, the best-connected and the isolated entities.

use std::io::Write;

use crate::cli::Ctx;
use crate::cli::args::ReportFormat;
use crate::cli::error::{CliError, Outcome};
use crate::query::stats::{Count, stats};

/// Print counts, connected components and the most connected entities
///
/// Components are weakly connected (relation direction ignored). Degree counts relations in
/// and out.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// How many top entities and isolated entities to list
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// Runs `ties stats`.
pub fn run(ctx: &Ctx, args: &StatsArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let stats = stats(kg, args.top);
    if args.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &stats).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Done);
    }
    writeln!(
        out,
        "{} entities, {} relations",
        stats.entities, stats.relations
    )?;
    if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
        writeln!(out, "dated from {first} to {last}")?;
    }
    writeln!(
        out,
        "{} weakly connected component{}, the largest with {} entities",
        stats.components,
        if stats.components == 1 { "" } else { "s" },
        stats.largest_component
    )?;
    write_counts(
        out,
        ("entities by kind", &stats.kinds),
        ("relations by type", &stats.rel_types),
    )?;
    writeln!(out, "\nmost connected")?;
    let id_width = stats
        .top_degree
        .iter()
        .map(|d| d.id.chars().count())
        .max()
        .unwrap_or(0);
    for entry in &stats.top_degree {
        writeln!(
            out,
            "  {:>5}  {:id_width$}  {}",
            entry.degree, entry.id, entry.name
        )?;
    }
    writeln!(out, "\nisolated: {}", stats.isolated_count)?;
    for id in &stats.isolated {
        writeln!(out, "  {id}")?;
    }
    if stats.isolated_count > stats.isolated.len() {
        writeln!(
            out,
            "  ... and {} more",
            stats.isolated_count - stats.isolated.len()
        )?;
    }
    Ok(Outcome::Done)
}

/// Writes the kind and type counts as two aligned tables (`check` and `stats` share them).
pub fn write_counts(
    out: &mut dyn Write,
    (kinds_title, kinds): (&str, &[Count]),
    (types_title, rel_types): (&str, &[Count]),
) -> std::io::Result<()> {
    let width = kinds
        .iter()
        .chain(rel_types)
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for (title, counts) in [(kinds_title, kinds), (types_title, rel_types)] {
        writeln!(out, "\n{title}")?;
        for count in counts {
            writeln!(out, "  {:width$}  {:>9}", count.name, count.count)?;
        }
    }
    Ok(())
}
