//! `ties find`: search entity ids and names.

use std::io::Write;

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};

/// Find entities whose id or name contains TEXT
///
/// Case-insensitive. Exact matches come first, then prefixes, then other substrings; within
/// each, by id. Exits 1 when nothing matches.
#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// Text to look for
    pub text: String,
    /// Show at most this many
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// Runs `ties find`.
pub fn run(ctx: &Ctx, args: &FindArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let hits = kg.find(&args.text, args.limit);
    let id_width = hits
        .iter()
        .map(|h| kg.id(h.node).chars().count())
        .max()
        .unwrap_or(0);
    let kind_width = hits
        .iter()
        .map(|h| kg.kind(h.node).chars().count())
        .max()
        .unwrap_or(0);
    for hit in &hits {
        writeln!(
            out,
            "{:id_width$}  {:kind_width$}  {}",
            kg.id(hit.node),
            kg.kind(hit.node),
            kg.name(hit.node)
        )?;
    }
    Ok(if hits.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Done
    })
}
