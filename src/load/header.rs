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

/// Parses a header record; problems go to `diags` (all reported at line 1).
pub fn parse_header(
    path: &str,
    record: &csv::ByteRecord,
    diags: &mut Vec<Diagnostic>,
) -> Vec<HeaderColumn> {
    let mut columns: Vec<HeaderColumn> = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        let Ok(mut cell) = std::str::from_utf8(raw) else {
            diags.push(Diagnostic::line(
                path,
                1,
                format!("header column {}: invalid UTF-8", i + 1),
            ));
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
            diags.push(Diagnostic::line(
                path,
                1,
                format!("header column {} has no name", i + 1),
            ));
        } else if columns.iter().any(|c| c.name == name) {
            diags.push(Diagnostic::line(
                path,
                1,
                format!("column `{name}` appears twice"),
            ));
        }
        columns.push(HeaderColumn {
            name: name.to_owned(),
            column_type,
            typed,
        });
    }
    columns
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
        diags.push(Diagnostic::line(
            path,
            1,
            format!("missing required column `{name}`"),
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
                "f.csv:1: column `id` appears twice",
            ]
        );
    }
}
