//! Pairs files for `ties path --pairs` (`from,to` rows) and parameter rows for `ties query
//! --each`, read with the loader's own checks.

use std::path::Path;

use super::rows::{Body, Source, cell, open_csv, read_rows};
use super::{Diagnostic, NoProgress, header};
use crate::model::store::RecordStore;

/// One query of a pairs file (`ties path --pairs`): its line, and the `from` and `to` cells as
/// written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairRow {
    /// The record's line.
    pub line: u64,
    /// The `from` cell.
    pub from: String,
    /// The `to` cell.
    pub to: String,
}

/// Reads a pairs file (columns `from` and `to`, others ignored) with the loader's header and
/// row rules; `shown` names it in messages.
///
/// # Errors
/// Every problem, each with its line.
pub fn read_pairs_file(shown: &str, path: &Path) -> Result<Vec<PairRow>, Vec<Diagnostic>> {
    read_pairs(shown, &Source::file(path.to_owned()))
}

/// [`read_pairs_file`] for text in memory (standard input, say).
///
/// # Errors
/// Every problem, each with its line.
pub fn read_pairs_text(shown: &str, text: &str) -> Result<Vec<PairRow>, Vec<Diagnostic>> {
    read_pairs(shown, &Source::text(text))
}

fn read_pairs(shown: &str, source: &Source) -> Result<Vec<PairRow>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let Some((_, header)) = open_csv(shown, source, &mut diags) else {
        return Err(diags);
    };
    let columns = header::parse_header(shown, &header, &mut diags);
    let from = header::require(shown, &columns, "from", &mut diags);
    let to = header::require(shown, &columns, "to", &mut diags);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(diags);
    };
    let mut rows = Vec::new();
    let mut store = RecordStore::new();
    let body = Body {
        path: shown,
        source,
        width: columns.len(),
    };
    read_rows(
        &body,
        &NoProgress,
        (&mut rows, &mut store),
        &mut diags,
        |record, line, rows, _, diags| {
            match (cell(record, from, "from"), cell(record, to, "to")) {
                (Ok(a), Ok(b)) => rows.push(PairRow {
                    line,
                    from: a.trim().to_owned(),
                    to: b.trim().to_owned(),
                }),
                (a, b) => {
                    for problem in [a.err(), b.err()].into_iter().flatten() {
                        diags.push(Diagnostic::line(shown, line, problem));
                    }
                }
            }
            true
        },
    );
    if diags.is_empty() {
        Ok(rows)
    } else {
        Err(diags)
    }
}

/// The rows of a parameter file (`ties query --each`): the header names the parameters, and
/// each row gives their values as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRows {
    /// The parameter names, in the header's order.
    pub names: Vec<String>,
    /// Each record's line and cells (one per name, as written).
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Reads a parameter file (`ties query --each`) with the loader's header and row rules;
/// `shown` names it in messages.
///
/// # Errors
/// Every problem, each with its line.
pub fn read_param_rows_file(shown: &str, path: &Path) -> Result<ParamRows, Vec<Diagnostic>> {
    read_param_rows(shown, &Source::file(path.to_owned()))
}

/// [`read_param_rows_file`] for text in memory (standard input, say).
///
/// # Errors
/// Every problem, each with its line.
pub fn read_param_rows_text(shown: &str, text: &str) -> Result<ParamRows, Vec<Diagnostic>> {
    read_param_rows(shown, &Source::text(text))
}

fn read_param_rows(shown: &str, source: &Source) -> Result<ParamRows, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let Some((_, header)) = open_csv(shown, source, &mut diags) else {
        return Err(diags);
    };
    let columns = header::parse_header(shown, &header, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let names: Vec<String> = columns
        .iter()
        .map(|c| c.name.trim_start_matches('$').to_owned())
        .collect();
    let mut rows = Vec::new();
    let mut store = RecordStore::new();
    let body = Body {
        path: shown,
        source,
        width: columns.len(),
    };
    read_rows(
        &body,
        &NoProgress,
        (&mut rows, &mut store),
        &mut diags,
        |record, line, rows, _, diags| {
            let cells: Result<Vec<String>, String> = names
                .iter()
                .enumerate()
                .map(|(i, name)| cell(record, i, name).map(str::to_owned))
                .collect();
            match cells {
                Ok(cells) => rows.push((line, cells)),
                Err(problem) => diags.push(Diagnostic::line(shown, line, problem)),
            }
            true
        },
    );
    if diags.is_empty() {
        Ok(ParamRows { names, rows })
    } else {
        Err(diags)
    }
}
