//! `ties check`: validate the data dir, summarise it, and warn about what looks wrong.

use std::io::Write;

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::args::ReportFormat;
use crate::cli::error::{CliError, Outcome};
use crate::cli::stats::write_counts;
use crate::graph::KnowledgeGraph;
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
/// not-identifier, outside-lifetime, undeclared-type); -q hides them. Text lists the first 20
/// warnings of each kind; --format json gives every one, with the ids of the entities and
/// relations it is about. Today is the system date, or `TIES_TODAY` (YYYY-MM-DD).
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Treat warnings as errors: exit 2 when there is any
    #[arg(long)]
    pub strict: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// How many warnings of each kind to list, or `all` [default: 20]
    #[arg(long, value_name = "N|all", value_parser = parse_shown)]
    pub warnings: Option<usize>,
}

/// Parses `--warnings`: a count, or `all`.
fn parse_shown(text: &str) -> Result<usize, String> {
    if text == "all" {
        return Ok(usize::MAX);
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not a number or `all`"))
}

/// Returns today (UTC), or `TIES_TODAY` when set.
pub(crate) fn today() -> Result<Day, CliError> {
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
    if args.format == ReportFormat::Json {
        let count_map = |counts: &[crate::query::stats::Count]| {
            counts
                .iter()
                .map(|c| (c.name.clone(), json!(c.count)))
                .collect::<serde_json::Map<_, _>>()
        };
        let report = json!({
            "ok": !args.strict || warnings.is_empty(),
            "entities": kg.entity_count(),
            "relations": kg.relation_count(),
            "kinds": count_map(&kinds),
            "types": count_map(&rel_types),
            "dated": {"from": first.map(|d| d.to_string()), "to": last.map(|d| d.to_string())},
            "warnings": warnings.iter().map(|w| warning_json(kg, w)).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
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
            let shown = args.warnings.unwrap_or(SHOWN_PER_KIND);
            write_warnings(&warnings, args.strict, shown, out)?;
        }
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

/// One warning for programs: its kind's name, `path:line`, message and subjects' ids.
fn warning_json(kg: &KnowledgeGraph, warning: &DataWarning) -> serde_json::Value {
    json!({
        "kind": warning.kind.name(),
        "origin": warning.origin,
        "message": warning.message,
        "entities": warning.entities.iter().map(|&n| kg.id(n)).collect::<Vec<_>>(),
        "relations": warning
            .relations
            .iter()
            .map(|&e| KnowledgeGraph::relation_id(e).to_string())
            .collect::<Vec<_>>(),
    })
}

/// How many warnings of one kind are listed before `... and N more`, unless `--warnings`.
const SHOWN_PER_KIND: usize = 20;

fn write_warnings(
    warnings: &[DataWarning],
    strict: bool,
    shown: usize,
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
        for warning in group.iter().take(shown) {
            writeln!(
                out,
                "    {}: {}",
                warning.origin,
                crate::model::printable::printable(&warning.message)
            )?;
        }
        if group.len() > shown {
            writeln!(
                out,
                "    ... and {} more; `--warnings all` or `--format json` for every one",
                thousands(group.len() - shown)
            )?;
        }
    }
    Ok(())
}

/// Returns `n` with thousands separated by commas (`3,114`).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3_114), "3,114");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
