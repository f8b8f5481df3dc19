//! The tables of a data folder: each CSV file, read with the separator its header uses and in
//! the encoding asked for, and each sheet of each workbook (`workbook.rs`).
//!
//! Excel writes CSV with `;` where the decimal separator is a comma (much of Europe), and
//! with tabs as "Unicode text"; both are read as they are, and the load says once which
//! files were not comma-separated. A file in another encoding than UTF-8 is refused with one
//! error naming the encoding it looks like (`rows.rs`), unless `--encoding` (or `encoding`
//! in `ties.toml`) says which it is.

use std::path::{Path, PathBuf};

use super::rows::{Bytes, Source};
use super::{Diagnostic, display, workbook};

/// One table of a data folder.
#[derive(Debug, Clone)]
pub(super) struct Table {
    /// The kind of an entity table: the file stem, or the sheet's name.
    pub name: String,
    /// The path messages show: the data folder as given, the file, and `[sheet]`.
    pub shown: String,
    /// The path inside the data folder (`entities/people.csv`, `entities/registry.xlsx[people]`).
    pub relative: String,
    /// Its bytes, as CSV.
    pub source: Source,
}

/// Whether `path` is a workbook (read sheet by sheet) rather than CSV.
fn is_workbook(path: &Path) -> bool {
    path.extension().is_some_and(|ext| {
        ["xlsx", "xlsm", "xls", "ods"]
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

/// Returns the tables of `files`, the data files of the data folder's `folder` (`entities`
/// or `relations`), read as `encoding` when it is given; adds the files that are not
/// comma-separated to `separated`.
pub(super) fn tables(
    folder: &str,
    files: &[PathBuf],
    encoding: Option<&'static encoding_rs::Encoding>,
    separated: &mut Vec<(String, u8)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Table> {
    let mut tables = Vec::new();
    for path in files {
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = display(path);
        let relative = format!("{folder}/{file_name}");
        if is_workbook(path) {
            tables.extend(workbook::sheets(path, &shown, &relative, diags));
            continue;
        }
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match encoding {
            Some(encoding) if encoding != encoding_rs::UTF_8 => match std::fs::read(path) {
                Ok(raw) => {
                    // A byte-order mark, when there is one, says more than the flag.
                    let (text, _, _) = encoding.decode(&raw);
                    Bytes::Text(std::sync::Arc::from(text.as_bytes()))
                }
                Err(err) => {
                    diags.push(Diagnostic::file(&shown, format!("cannot read: {err}")));
                    continue;
                }
            },
            _ => Bytes::File(path.clone()),
        };
        let delimiter = sniff_delimiter(&head(&bytes));
        if delimiter != b',' {
            separated.push((relative.clone(), delimiter));
        }
        tables.push(Table {
            name,
            shown,
            relative,
            source: Source {
                bytes,
                delimiter,
                sheet_rows: None,
            },
        });
    }
    tables
}

/// The first 64 KB of a table, enough to hold its header.
fn head(bytes: &Bytes) -> Vec<u8> {
    use std::io::Read;
    const HEAD: usize = 64 << 10;
    match bytes {
        Bytes::File(path) => {
            let mut head = Vec::new();
            let _ = std::fs::File::open(path)
                .and_then(|file| file.take(HEAD as u64).read_to_end(&mut head));
            head
        }
        Bytes::Text(text) => text[..text.len().min(HEAD)].to_vec(),
    }
}

/// The separator a CSV header uses: whichever of `,`, `;` and tab occurs most in its first
/// line outside quotes (a comma when none does, or on a tie with it).
pub(super) fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 0)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// The one note about the files that were not comma-separated.
pub(super) fn separator_note(dir: &str, separated: &[(String, u8)]) -> Option<Diagnostic> {
    /// Past this many files the note counts the rest instead of naming them.
    const NAMED: usize = 3;
    if separated.is_empty() {
        return None;
    }
    let mut groups = Vec::new();
    for (separator, shown) in [(b';', "`;`"), (b'\t', "tabs")] {
        let files: Vec<&str> = separated
            .iter()
            .filter(|(_, delimiter)| *delimiter == separator)
            .map(|(path, _)| path.as_str())
            .collect();
        if files.is_empty() {
            continue;
        }
        let named = files[..files.len().min(NAMED)].join(", ");
        let more = match files.len().checked_sub(NAMED) {
            Some(rest) if rest > 0 => format!(" and {rest} more"),
            _ => String::new(),
        };
        groups.push(format!("{named}{more} by {shown}"));
    }
    Some(Diagnostic::file(
        dir,
        format!(
            "read as separated as their header is, not by commas: {}",
            groups.join("; ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_tells_the_separator() {
        assert_eq!(sniff_delimiter(b"id,name,born\n1;2;3"), b',');
        assert_eq!(
            sniff_delimiter(b"\xef\xbb\xbfid;name;born:date\na,b,c"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"id\tname\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"id\n"), b',');
        assert_eq!(sniff_delimiter(b"id;name,x\n"), b',');
    }
}
