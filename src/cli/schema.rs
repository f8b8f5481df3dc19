//! `ties schema`: what the data holds, kind by kind and type by type.

use std::io::Write;

use crate::cli::Ctx;
use crate::cli::args::ReportFormat;
use crate::cli::error::{CliError, Outcome};
use crate::query::schema::describe;

/// Print what the data holds: columns per kind, kinds per relation type
///
/// Per kind: its entities, how many have a name, and each column with its type and fill
/// rate. Per relation type: the kinds it connects (counted), how many relations are dated
/// and over which years, how many are weighted, and its columns' fill rates. Columns are
/// listed where at least one row fills them.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Runs `ties schema`.
pub fn run(ctx: &Ctx, args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let schema = describe(kg);
    if args.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &schema).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Done);
    }
    let percent = |rate: f64| format!("{:.0}%", rate * 100.0);
    writeln!(out, "kinds")?;
    for kind in &schema.kinds {
        writeln!(
            out,
            "  {}: {} entities, {} with a name",
            kind.kind, kind.entities, kind.named
        )?;
        let width = kind.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for column in &kind.columns {
            writeln!(
                out,
                "    {:width$}  {:8}  {:>4} filled ({})",
                column.name,
                column.column_type,
                percent(column.fill_rate),
                column.filled
            )?;
        }
    }
    writeln!(out, "\nrelation types")?;
    for rel_type in &schema.types {
        let dates = match (&rel_type.first, &rel_type.last) {
            (Some(first), Some(last)) if first == last => format!(", in {first}"),
            (Some(first), Some(last)) => format!(", from {first} to {last}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {}: {} relations, {} dated{dates}{}",
            rel_type.rel_type,
            rel_type.relations,
            rel_type.dated,
            if rel_type.weighted > 0 {
                format!(", {} weighted", rel_type.weighted)
            } else {
                String::new()
            }
        )?;
        for connection in &rel_type.connects {
            writeln!(
                out,
                "    {} -> {}  {}",
                connection.from, connection.to, connection.count
            )?;
        }
        for column in &rel_type.columns {
            writeln!(
                out,
                "    column {} ({}): {} filled",
                column.name,
                column.column_type,
                percent(column.fill_rate)
            )?;
        }
    }
    Ok(Outcome::Done)
}
