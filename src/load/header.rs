//! Header rows: column names, `:type` suffixes, and the columns each file kind requires.
//!
//! A header cell is `name` or `name:type` in the neo4j-admin style (`born:int`,
//! `aliases:string[]`). This module turns a header into a list of typed columns and reports
//! unknown suffixes, empty or repeated names, and missing required columns.

use crate::load::diag::Diagnostic;
use crate::model::value::ColumnType;

/// One header cell, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    /// The name without suffix.
    pub name: String,
    /// The declared type (`string` when no suffix).
    pub column_type: ColumnType,
    /// Whether a suffix was written.
    pub typed: bool,
}

/// Parses a header record; problems go to `diags` (all reported at line 1), one message per
/// problem however many columns share it, in time linear in the header.
pub fn parse_header(
    path: &str,
    record: &csv::ByteRecord,
    diags: &mut Vec<Diagnostic>,
) -> Vec<HeaderColumn> {
    let mut columns: Vec<HeaderColumn> = Vec::with_capacity(record.len());
    // Name → the 1-based positions of the columns that carry it.
    let mut positions: rustc_hash::FxHashMap<String, Vec<usize>> = rustc_hash::FxHashMap::default();
    let mut unnamed_at = Vec::new();
    let mut invalid_at = Vec::new();
    for (i, raw) in record.iter().enumerate() {
        let Ok(mut cell) = std::str::from_utf8(raw) else {
            invalid_at.push(i + 1);
            columns.push(unnamed());
            continue;
        };
        if i == 0 {
            // contract: a UTF-8 byte-order mark (as Excel writes) is not part of the first name.
            cell = cell.strip_prefix('\u{feff}').unwrap_or(cell);
        }
        let cell = cell.trim();
        let (name, column_type, typed) = match cell.split_once(':') {
            Some((name, suffix)) => match ColumnType::parse_suffix(suffix.trim()) {
                Some(column_type) => (name.trim(), column_type, true),
                None => {
                    diags.push(Diagnostic::line(
                        path,
                        1,
                        format!(
                            "column `{cell}`: unknown type `{suffix}` (use string, int, float, bool \
                             or date, optionally with [] for a list)"
                        ),
                    ));
                    (name.trim(), ColumnType::STRING, true)
                }
            },
            None => (cell, ColumnType::STRING, false),
        };
        if name.is_empty() {
            unnamed_at.push(i + 1);
        } else {
            positions.entry(name.to_owned()).or_default().push(i + 1);
        }
        columns.push(HeaderColumn {
            name: name.to_owned(),
            column_type,
            typed,
        });
    }
    if !invalid_at.is_empty() {
        diags.push(Diagnostic::line(
            path,
            1,
            format!("header {}: invalid UTF-8", column_list(&invalid_at)),
        ));
    }
    if !unnamed_at.is_empty() {
        let verb = if unnamed_at.len() == 1 { "has" } else { "have" };
        diags.push(Diagnostic::line(
            path,
            1,
            format!("header {} {verb} no name", column_list(&unnamed_at)),
        ));
    }
    let mut repeated: Vec<(&String, &Vec<usize>)> =
        positions.iter().filter(|(_, at)| at.len() > 1).collect();
    repeated.sort_by_key(|(_, at)| at[1]);
    for (name, at) in repeated {
        let times = match at.len() {
            2 => "twice".to_owned(),
            n => format!("{n} times"),
        };
        diags.push(Diagnostic::line(
            path,
            1,
            format!("column `{name}` appears {times} ({})", column_list(at)),
        ));
    }
    columns
}

/// `column 3` or `columns 3, 4 and 9`, at most a few listed.
fn column_list(positions: &[usize]) -> String {
    const SHOWN: usize = 5;
    let listed: Vec<String> = positions
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    match positions.len() {
        1 => format!("column {}", listed[0]),
        n if n <= SHOWN => format!(
            "columns {} and {}",
            listed[..n - 1].join(", "),
            listed[n - 1]
        ),
        n => format!("columns {}, ... ({n} in all)", listed.join(", ")),
    }
}

fn unnamed() -> HeaderColumn {
    HeaderColumn {
        name: String::new(),
        column_type: ColumnType::STRING,
        typed: false,
    }
}

/// Returns the position of a required column, or reports it missing.
pub fn require(
    path: &str,
    columns: &[HeaderColumn],
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = columns.iter().position(|c| c.name == name);
    if found.is_none() {
        const SHOWN: usize = 12;
        let header: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let hint = crate::model::similar::nearest(name, header.iter().copied())
            .map(|near| format!("; did you mean `{near}`?"))
            .unwrap_or_default();
        let more = if header.len() > SHOWN { ",…" } else { "" };
        let shown = header[..header.len().min(SHOWN)].join(",");
        diags.push(Diagnostic::line(
            path,
            1,
            format!(
                "missing required column `{name}` (the header is `{}{more}`{hint})",
                crate::model::printable::printable(&shown)
            ),
        ));
    }
    found
}

/// Reports a suffix on a column whose type is fixed by the format, unless it states that type.
pub fn check_fixed_type(
    path: &str,
    column: &HeaderColumn,
    fixed: ColumnType,
    diags: &mut Vec<Diagnostic>,
) {
    if column.typed && column.column_type != fixed {
        diags.push(Diagnostic::line(
            path,
            1,
            format!(
                "column `{}` is always {fixed}; drop the `:{}` suffix",
                column.name, column.column_type
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_shared_by_many_columns_is_one_message() {
        let mut cells = vec!["id"; 100_000];
        cells.extend(["", "", "name", "name", "name"]);
        let (_, diags) = header(&cells);
        assert_eq!(
            diags,
            [
                "f.csv:1: header columns 100001 and 100002 have no name",
                "f.csv:1: column `id` appears 100000 times (columns 1, 2, 3, 4, 5, ... (100000 in all))",
                "f.csv:1: column `name` appears 3 times (columns 100003, 100004 and 100005)",
            ]
        );
    }

    fn header(cells: &[&str]) -> (Vec<HeaderColumn>, Vec<String>) {
        let record = csv::ByteRecord::from(cells.to_vec());
        let mut diags = Vec::new();
        let columns = parse_header("f.csv", &record, &mut diags);
        (columns, diags.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn suffixes_become_types_and_bom_is_dropped() {
        let (columns, diags) = header(&["\u{feff}id", "born:int", " aliases : string[] "]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(columns[0].name, "id");
        assert_eq!(columns[1].column_type.to_string(), "int");
        assert_eq!(columns[2].name, "aliases");
        assert!(columns[2].column_type.is_list);
    }

    #[test]
    fn bad_headers_are_reported() {
        let (_, diags) = header(&["id", "x:integer", "", "id"]);
        assert_eq!(
            diags,
            [
                "f.csv:1: column `x:integer`: unknown type `integer` (use string, int, float, bool \
                 or date, optionally with [] for a list)",
                "f.csv:1: header column 3 has no name",
                "f.csv:1: column `id` appears twice (columns 1 and 4)",
            ]
        );
    }
}
