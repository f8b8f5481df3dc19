//! `ties check`: validate the data dir and summarise it.

use std::io::Write;

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::cli::stats::write_counts;
use crate::query::stats::counts;

/// Validate the data and print a summary
///
/// Reports every problem in every file, one line each as `path:line: message`, and exits 2 if
/// there is any. On success prints entities per kind, relations per type and the date range.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

/// Runs `ties check`.
pub fn run(ctx: &Ctx, _args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let (kinds, rel_types, first, last) = counts(kg);
    writeln!(
        out,
        "ok: {} entities of {} kinds, {} relations of {} types",
        kg.entity_count(),
        kinds.len(),
        kg.relation_count(),
        rel_types.len()
    )?;
    if let (Some(first), Some(last)) = (first, last) {
        writeln!(out, "dated from {first} to {last}")?;
    }
    write_counts(out, ("entities", &kinds), ("relations", &rel_types))?;
    Ok(Outcome::Done)
}
