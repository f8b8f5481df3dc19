//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`): each sheet is a table, read with the
//! `calamine` crate and written out as CSV text for the same row loop as CSV files.
//!
//! - The sheet's name stands where a CSV file's name would: the kind of an entity table
//!   (`entities/registry.xlsx` with sheets `people` and `companies`). A workbook whose only
//!   sheet still has its program's default name (`Sheet1`, `Tabelle1`, `Feuil1`) takes the
//!   file's name instead.
//! - Cells keep their types. A number is written as a number (`1815`, not `1815.0`), a date
//!   as `YYYY-MM-DD`, a formula as the value the workbook saved with it; a date written as
//!   text (`1992-08`) stays text, so partial dates survive. A column whose header has no
//!   `:type` gets one from its cells: all whole numbers `int`, all numbers `float`, all
//!   booleans `bool`, all dates `date`; otherwise text.
//! - Messages name `file[sheet]:row` with the sheet's own row numbers, and the column's
//!   letter beside its name.
//! - Empty rows are left out; a cell holding an error (`#DIV/0!`) is a problem of its row.

use std::path::Path;

use calamine::{Data, DataType, Reader};

use super::Diagnostic;
use super::rows::{Bytes, Source, column_letter};
use super::tables::Table;

/// The names spreadsheet programs give a new workbook's first sheet.
const DEFAULT_SHEET_NAMES: [&str; 6] = [
    "sheet1", "sheet 1", "tabelle1", "feuil1", "hoja1", "foglio1",
];

/// The columns whose type the loader fixes (ids, names, ends, dates, weight): never given
/// another by their cells.
const FIXED_COLUMNS: [&str; 8] = ["id", "name", "from", "type", "to", "start", "end", "weight"];

/// Returns the tables of the workbook at `path`, one per sheet that holds anything.
pub(super) fn sheets(
    path: &Path,
    shown: &str,
    relative: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Table> {
    let mut workbook = match calamine::open_workbook_auto(path) {
        Ok(workbook) => workbook,
        Err(err) => {
            diags.push(Diagnostic::file(
                shown,
                format!("cannot read the workbook: {err}"),
            ));
            return Vec::new();
        }
    };
    let names = workbook.sheet_names();
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tables = Vec::new();
    for sheet in &names {
        let range = match workbook.worksheet_range(sheet) {
            Ok(range) => range,
            Err(err) => {
                diags.push(Diagnostic::file(
                    format!("{shown}[{sheet}]"),
                    format!("cannot read the sheet: {err}"),
                ));
                continue;
            }
        };
        if range.is_empty() {
            continue;
        }
        let name =
            if names.len() == 1 && DEFAULT_SHEET_NAMES.contains(&sheet.to_lowercase().as_str()) {
                stem.clone()
            } else {
                sheet.clone()
            };
        let table_shown = format!("{shown}[{sheet}]");
        let (text, rows) = sheet_csv(&range, &table_shown, diags);
        tables.push(Table {
            name,
            shown: table_shown,
            relative: format!("{relative}[{sheet}]"),
            source: Source {
                bytes: Bytes::Text(std::sync::Arc::from(text)),
                delimiter: b',',
                sheet_rows: Some(std::sync::Arc::from(rows)),
            },
        });
    }
    tables
}

/// The sheet as CSV text, and the sheet's row number of each record written (the header's
/// first). Rows with no value are left out.
fn sheet_csv(
    range: &calamine::Range<Data>,
    shown: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<u8>, Vec<u64>) {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let first_row = u64::from(first_row);
    let first_column = first_column as usize;
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|cell| !cell.is_empty()));
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut numbers = Vec::new();
    let Some((header_at, header)) = rows.next() else {
        return (Vec::new(), Vec::new());
    };
    let body: Vec<(usize, &[Data])> = rows.collect();
    let header_cells: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(column, cell)| {
            let name = text_of(cell);
            typed_header(
                &name,
                body.iter()
                    .map(|(_, row)| row.get(column).unwrap_or(&Data::Empty)),
            )
        })
        .collect();
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(&header_cells);
    numbers.push(first_row + header_at as u64 + 1);
    for (at, row) in body {
        let sheet_row = first_row + at as u64 + 1;
        let mut record = Vec::with_capacity(row.len());
        for (column, cell) in row.iter().enumerate() {
            if let Data::Error(error) = cell {
                diags.push(Diagnostic::line(
                    shown,
                    sheet_row,
                    format!(
                        "cell {}{sheet_row} holds the error {error}: fix it in the workbook",
                        column_letter(first_column + column)
                    ),
                ));
            }
            record.push(text_of(cell));
        }
        let _ = writer.write_record(&record);
        numbers.push(sheet_row);
    }
    (writer.into_inner().unwrap_or_default(), numbers)
}

/// A cell as the CSV loader reads it.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => number(*x),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(date) => {
            let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
            if date.is_duration() {
                number(date.as_f64())
            } else if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTimeIso(text) => text.strip_suffix("T00:00:00").unwrap_or(text).to_owned(),
    }
}

/// A number without the `.0` spreadsheets store whole numbers with.
fn number(x: f64) -> String {
    // Within 2^53 a whole float is exactly an integer.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = x as i64;
        whole.to_string()
    } else {
        x.to_string()
    }
}

/// The header cell `name`, with the `:type` its column's `cells` have when it names none.
fn typed_header<'c>(name: &str, cells: impl Iterator<Item = &'c Data>) -> String {
    let bare = name.trim();
    if bare.contains(':') || bare.is_empty() || FIXED_COLUMNS.contains(&bare) {
        return name.to_owned();
    }
    let (mut ints, mut floats, mut bools, mut dates, mut others) = (0, 0, 0, 0, 0);
    for cell in cells {
        match cell {
            Data::Empty => {}
            Data::Int(_) => ints += 1,
            Data::Float(x) if x.fract() == 0.0 => ints += 1,
            Data::Float(_) => floats += 1,
            Data::Bool(_) => bools += 1,
            Data::DateTime(date) if !date.is_duration() && date.as_f64().fract() == 0.0 => {
                dates += 1;
            }
            Data::DateTimeIso(text) if text.len() == 10 || text.ends_with("T00:00:00") => {
                dates += 1;
            }
            _ => others += 1,
        }
    }
    let suffix = match (ints, floats, bools, dates, others) {
        (0, 0, 0, 0, _) | (_, _, _, _, 1..) => None,
        (_, 0, 0, 0, 0) => Some("int"),
        (_, _, 0, 0, 0) => Some("float"),
        (0, 0, _, 0, 0) => Some("bool"),
        (0, 0, 0, _, 0) => Some("date"),
        _ => None,
    };
    match suffix {
        Some(suffix) => format!("{bare}:{suffix}"),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_the_point_spreadsheets_give_them() {
        assert_eq!(number(1815.0), "1815");
        assert_eq!(number(1.65), "1.65");
        assert_eq!(number(-3.0), "-3");
    }

    #[test]
    fn a_column_without_a_type_takes_its_cells_type() {
        let header = |name: &str, cells: &[Data]| typed_header(name, cells.iter());
        assert_eq!(
            header("born", &[Data::Float(1950.0), Data::Empty, Data::Int(3)]),
            "born:int"
        );
        assert_eq!(
            header("height", &[Data::Float(1.65), Data::Int(2)]),
            "height:float"
        );
        assert_eq!(header("active", &[Data::Bool(true)]), "active:bool");
        assert_eq!(
            header("note", &[Data::Float(1.0), Data::String("x".into())]),
            "note"
        );
        assert_eq!(header("born:string", &[Data::Float(1950.0)]), "born:string");
        assert_eq!(header("id", &[Data::Float(7.0)]), "id");
        assert_eq!(header("empty", &[Data::Empty]), "empty");
    }
}
