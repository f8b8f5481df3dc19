//! `ties check`: validate the data dir, summarise it, and warn about what looks wrong.

use std::io::Write;

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::cli::stats::write_counts;
use crate::model::date::{Day, PartialDate};
use crate::query::lint::{DataWarning, WarningKind, lint};
use crate::query::stats::counts;

/// Validate the data, print a summary, and warn about suspicious data
///
/// Reports every problem in every file, one line each as `path:line: message`, and exits 2 if
/// there is any; rows that break the `[schema]` in ties.toml are problems too. On success
/// prints entities per kind, relations per type and the date range, then warnings, grouped
/// and counted, each at its `path:line`: the same name on several entities, names that look
/// like one name (case, accents, punctuation, y/i, one typo), relation rows given twice,
/// self-loops, entities without relations, dates after today or before the year 1000, kinds
/// or types that are not identifiers, relations dated outside an entity's lifetime
/// (born/died, founded/dissolved, or the schema's `lifetime`), and relation types the schema
/// leaves undeclared. `[check] allow = [...]` in ties.toml silences kinds of warning
/// (same-name, similar-name, duplicate-relation, self-loop, isolated, implausible-date,
/// not-identifier, outside-lifetime, undeclared-type); -q hides them. Today is the system
/// date, or `TIES_TODAY` (YYYY-MM-DD).
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Treat warnings as errors: exit 2 when there is any
    #[arg(long)]
    pub strict: bool,
}

/// Returns today (UTC), or `TIES_TODAY` when set.
fn today() -> Result<Day, CliError> {
    if let Ok(text) = std::env::var("TIES_TODAY") {
        let date = PartialDate::parse(&text)
            .ok()
            .filter(|d| d.day().is_some())
            .ok_or_else(|| {
                CliError::Usage(format!("TIES_TODAY `{text}` is not a day (YYYY-MM-DD)"))
            })?;
        return Ok(date.first_day());
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i32::try_from(seconds / 86_400).unwrap_or(i32::MAX);
    Ok(Day::from_days_since_epoch(days).unwrap_or(Day::new(9999, 12, 31)))
}

/// Runs `ties check`.
pub fn run(ctx: &Ctx, args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let mut allowed = Vec::new();
    for name in &kg.style.check_allow {
        match WarningKind::from_name(name) {
            Some(kind) => allowed.push(kind),
            None => {
                return Err(CliError::Usage(format!(
                    "ties.toml: [check] allow: unknown warning `{name}` (the warnings are {})",
                    WarningKind::ALL.map(WarningKind::name).join(", ")
                )));
            }
        }
    }
    let warnings: Vec<DataWarning> = lint(kg, today()?)
        .into_iter()
        .filter(|w| !allowed.contains(&w.kind))
        .collect();
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
    if !warnings.is_empty() && !ctx.is_quiet() {
        write_warnings(&warnings, args.strict, out)?;
    }
    if args.strict && !warnings.is_empty() {
        return Err(CliError::Usage(format!(
            "{} warning{} with --strict",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(Outcome::Done)
}

/// How many warnings of one kind are listed before `... and N more`.
const SHOWN_PER_KIND: usize = 20;

fn write_warnings(
    warnings: &[DataWarning],
    strict: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{} warning{}{}",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
        if strict {
            ""
        } else {
            " (--strict makes them errors; [check] allow in ties.toml silences a kind)"
        }
    )?;
    for kind in WarningKind::ALL {
        let group: Vec<&DataWarning> = warnings.iter().filter(|w| w.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "  {} ({}, {})", kind.title(), group.len(), kind.name())?;
        for warning in group.iter().take(SHOWN_PER_KIND) {
            writeln!(
                out,
                "    {}: {}",
                warning.origin,
                crate::model::printable::printable(&warning.message)
            )?;
        }
        if group.len() > SHOWN_PER_KIND {
            writeln!(out, "    ... and {} more", group.len() - SHOWN_PER_KIND)?;
        }
    }
    Ok(())
}
