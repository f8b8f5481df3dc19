//! `EXPLAIN` and `PROFILE`: the operators a query runs through, with the rows `ties` expects
//! each to produce, and for `PROFILE` the rows and time it measured, in the spirit of Neo4j's
//! plan output.
//!
//! The operators are those the executor runs, in its order: each `MATCH` pattern starts where
//! `start::start_of` says (the executor asks the same function), then expands relationship
//! by relationship; a projection is aggregation, distinct, filter, sort or top, skip and
//! limit. Estimates come from the graph's counts: entities per kind, relations per type.
//! `PROFILE` counts the rows of every operator ([`Stage`]); the executor runs the operators of
//! a clause fused, as Neo4j's pipelines do, so time is measured per clause and shown on the
//! clause's top operator.

use serde::Serialize;

/// Whether a query runs, is explained, or runs profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run it.
    Run,
    /// `EXPLAIN`: the plan, nothing run.
    Explain,
    /// `PROFILE`: run it and measure each clause.
    Profile,
}

/// Reads a leading `EXPLAIN` or `PROFILE` (any case) and returns the mode and the text with
/// the keyword blanked out, so spans in it still point into the text as written.
#[must_use]
pub fn mode_of(source: &str) -> (Mode, std::borrow::Cow<'_, str>) {
    let trimmed = source.trim_start();
    let offset = source.len() - trimmed.len();
    for (keyword, mode) in [("EXPLAIN", Mode::Explain), ("PROFILE", Mode::Profile)] {
        let word = trimmed.get(..keyword.len());
        let after = trimmed[keyword.len().min(trimmed.len())..].chars().next();
        if word.is_some_and(|w| w.eq_ignore_ascii_case(keyword))
            && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        {
            let mut blanked = source.to_owned();
            blanked.replace_range(offset..offset + keyword.len(), &" ".repeat(keyword.len()));
            return (mode, std::borrow::Cow::Owned(blanked));
        }
    }
    (Mode::Run, std::borrow::Cow::Borrowed(source))
}

/// One operator of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operator {
    /// Neo4j's name for what it does (`NodeByLabelScan`, `Expand(All)`, `EagerAggregation`).
    pub operator: String,
    /// What it works on, as the query writes it.
    pub details: String,
    /// The rows `ties` expects it to produce.
    pub estimated_rows: f64,
    /// `PROFILE`: the rows it produced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// `PROFILE`: the milliseconds its clause took, on the clause's top operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<f64>,
    /// The operators it reads from (two for a Cartesian product or a union, else one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Operator>,
    /// Where the executor counts its rows, for `PROFILE`.
    #[serde(skip)]
    site: Option<Site>,
}

/// Where in a query an operator works: what the executor's counts are keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    /// The `CALL` subquery it is in, by where the `CALL` starts in the text (`None`: the
    /// query itself).
    pub within: Option<usize>,
    /// The part of the query or subquery (0, then one per `UNION`).
    pub part: usize,
    /// The clause within the part.
    pub clause: usize,
    /// The operator within the clause.
    pub stage: Stage,
}

/// The clause number of the operators over the whole query (a `UNION` and its `DISTINCT`).
pub const WHOLE_QUERY: usize = usize::MAX;

/// The operators of a clause whose rows `PROFILE` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Pattern `k`'s first node in walking order (scan, seek or argument): rows that found it.
    Start(usize),
    /// Step `j` of pattern `k`: rows whose relationship (or trail) fits.
    Walked(usize, usize),
    /// Step `j` of pattern `k`: rows whose far node fits too.
    Reached(usize, usize),
    /// Patterns up to `k` of a `MATCH` together (its `Apply` or `CartesianProduct`).
    Joined(usize),
    /// Rows a `MATCH`'s `WHERE` kept.
    Where,
    /// A projection's rows (or groups) before `DISTINCT`.
    Projected,
    /// Rows `DISTINCT` kept.
    Distinct,
    /// Rows a `WITH`'s `WHERE` kept.
    Filter,
    /// Rows out of `ORDER BY` (only the first `SKIP + LIMIT` with a limit).
    Sorted,
    /// Rows after `SKIP`.
    Skipped,
    /// The clause's rows.
    Out,
    /// The rows of every part of a `UNION`.
    Union,
}

/// A clause of the query or of a `CALL` subquery: within, part, clause (as in [`Site`]).
pub type ClauseAt = (Option<usize>, usize, usize);

/// What `PROFILE` measured: rows per operator, time per clause, summed over every time a
/// `CALL` subquery ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Rows each operator produced.
    pub rows: Vec<(Site, u64)>,
    /// Milliseconds per clause; a `MATCH` feeding an aggregate has none (its time is the
    /// aggregate's).
    pub times: Vec<(ClauseAt, f64)>,
}

/// Puts `PROFILE`'s measures on the plan: rows on every operator the executor counted, each
/// clause's time on its top operator.
pub fn attach(plan: &mut Operator, profile: &Profile) {
    fn walk(operator: &mut Operator, profile: &Profile, seen: &mut Vec<ClauseAt>) {
        if let Some(site) = operator.site {
            let counted = profile.rows.iter().filter(|(at, _)| *at == site);
            operator.rows = counted.map(|&(_, rows)| rows).reduce(|a, b| a + b);
            let clause = (site.within, site.part, site.clause);
            if !seen.contains(&clause) {
                seen.push(clause);
                let timed = profile.times.iter().filter(|(at, _)| *at == clause);
                operator.time_ms = timed.map(|&(_, ms)| ms).reduce(|a, b| a + b);
            }
        }
        for child in &mut operator.children {
            walk(child, profile, seen);
        }
    }
    walk(plan, profile, &mut Vec::new());
}

/// The plan as rows of a table, top operator first, children indented.
#[must_use]
pub fn rows(plan: &Operator) -> Vec<(String, &Operator)> {
    fn walk<'p>(op: &'p Operator, depth: usize, out: &mut Vec<(String, &'p Operator)>) {
        let branch = if depth == 0 {
            String::new()
        } else {
            format!("{}+", "| ".repeat(depth - 1))
        };
        out.push((format!("{branch}{}", op.operator), op));
        // The first child (the left-hand side) continues the line; the others branch off it
        // and are printed above it, as Neo4j prints an Apply's or a Union's right-hand side.
        for (i, child) in op.children.iter().enumerate().rev() {
            walk(child, if i == 0 { depth } else { depth + 1 }, out);
        }
    }
    let mut out = Vec::new();
    walk(plan, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_and_profile_are_read_off_the_front_keeping_spans() {
        let (mode, text) = mode_of("  explain MATCH (n) RETURN n");
        assert_eq!(mode, Mode::Explain);
        assert_eq!(text, "          MATCH (n) RETURN n");
        assert_eq!(mode_of("PROFILE\nRETURN 1").0, Mode::Profile);
        assert_eq!(mode_of("RETURN 1 AS explain").0, Mode::Run);
        assert_eq!(mode_of("EXPLAINED").0, Mode::Run);
    }
}

mod counts;
mod planner;
pub mod start;

pub use planner::explain;
