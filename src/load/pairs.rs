//! Pairs files for `ties path --pairs`: `from,to` rows read with the loader's own checks.

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
