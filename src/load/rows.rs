//! Reading CSV data files: finding them, opening them, their header cells, attribute
//! columns, and the row loop entity and relation files share.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use super::{Diagnostic, Progress, display};
use crate::model::entity::AttrDef;
use crate::model::store::{AttrId, RecordStore};
use crate::model::value::ColumnType;

/// The extensions of the files a data folder's `entities/` and `relations/` hold: CSV (also
/// `;`- or tab-separated) and workbooks, one table per sheet.
pub(super) const DATA_EXTENSIONS: [&str; 6] = ["csv", "tsv", "xlsx", "xlsm", "xls", "ods"];

/// Returns the data files of `dir` ([`DATA_EXTENSIONS`]) in name order.
///
/// A data entry that is not a regular file (a folder, a FIFO, a device, a dangling or
/// looping symbolic link) is an error naming it: skipping it would silently drop its rows,
/// and reading it could block forever. A symbolic link to a regular file is followed.
pub(super) fn data_files(dir: &Path, required: bool, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return Vec::new(),
        Err(err) => {
            diags.push(Diagnostic::file(
                display(dir),
                format!("cannot read folder: {err}"),
            ));
            return Vec::new();
        }
    };
    let problems_before = diags.len();
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(err) => diags.push(Diagnostic::file(
                display(dir),
                format!("cannot list folder: {err}"),
            )),
        }
    }
    paths.retain(|path| {
        path.extension().is_some_and(|ext| {
            DATA_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
    });
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => files.push(path),
            Ok(meta) => diags.push(Diagnostic::file(
                display(&path),
                format!(
                    "not a regular file but {}; a data folder holds only data files (.csv, .xlsx, .ods)",
                    file_type_name(meta.file_type())
                ),
            )),
            Err(err) => {
                let what = if path.is_symlink() {
                    "a symbolic link to nothing readable"
                } else {
                    "unreadable"
                };
                diags.push(Diagnostic::file(display(&path), format!("{what}: {err}")));
            }
        }
    }
    if required && files.is_empty() && diags.len() == problems_before {
        diags.push(Diagnostic::file(
            display(dir),
            "no entity files (expected one <kind>.csv per entity kind, or workbooks of one sheet per kind)",
        ));
    }
    files
}

/// Names a kind of file that is not a regular one, for messages.
pub(super) fn file_type_name(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "something else"
    }
}

/// Opens a CSV file and reads its header; reports an unreadable or empty file, and one that
/// is not UTF-8 (once, naming the encoding it looks like).
pub(super) fn open_csv(
    path: &str,
    source: &Source,
    diags: &mut Vec<Diagnostic>,
) -> Option<(csv::Reader<Box<dyn Read>>, csv::ByteRecord)> {
    let input: Box<dyn Read> = match &source.bytes {
        Bytes::File(fs_path) => match File::open(fs_path) {
            Ok(file) => Box::new(BufReader::with_capacity(1 << 20, file)),
            Err(err) => {
                diags.push(Diagnostic::file(path, format!("cannot open: {err}")));
                return None;
            }
        },
        Bytes::Text(text) => Box::new(std::io::Cursor::new(text.clone())),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(source.delimiter)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) if std::str::from_utf8(header.as_slice()).is_err() => {
            diags.push(not_utf8(path, source, source.line_of(0, 1)));
            None
        }
        Ok(true) => Some((reader, header)),
        Ok(false) => {
            diags.push(Diagnostic::file(path, "empty file: expected a header row"));
            None
        }
        Err(err) => {
            diags.push(csv_error(path, &err));
            None
        }
    }
}

/// Where a table's CSV bytes come from, and how to read them.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub(super) bytes: Bytes,
    /// The field separator: `,`, or `;` or a tab as Excel writes them.
    pub(super) delimiter: u8,
    /// For a workbook's sheet (turned into CSV text): the sheet's row of each record, the
    /// header's first, so that messages name the rows a person sees.
    pub(super) sheet_rows: Option<std::sync::Arc<[u64]>>,
}

/// The bytes of a table: a file, or text (given by a library user, decoded from another
/// encoding, or written from a workbook's sheet).
#[derive(Debug, Clone)]
pub(super) enum Bytes {
    File(PathBuf),
    Text(std::sync::Arc<[u8]>),
}

impl Source {
    /// A comma-separated file.
    pub(super) fn file(path: PathBuf) -> Self {
        Source {
            bytes: Bytes::File(path),
            delimiter: b',',
            sheet_rows: None,
        }
    }

    /// Comma-separated text.
    pub(super) fn text(text: &str) -> Self {
        Source {
            bytes: Bytes::Text(std::sync::Arc::from(text.as_bytes())),
            delimiter: b',',
            sheet_rows: None,
        }
    }

    /// The size in bytes, for the progress bar.
    pub(super) fn len(&self) -> u64 {
        match &self.bytes {
            Bytes::File(path) => std::fs::metadata(path).map_or(0, |meta| meta.len()),
            Bytes::Text(text) => text.len() as u64,
        }
    }

    /// The line (or a sheet's row) messages give for the record numbered `record` (the
    /// header is 0) that starts on CSV line `line`.
    pub(super) fn line_of(&self, record: u64, line: u64) -> u64 {
        match &self.sheet_rows {
            Some(rows) => usize::try_from(record)
                .ok()
                .and_then(|r| rows.get(r).copied())
                .unwrap_or(line),
            None => line,
        }
    }

    /// Whether cells are named by their column letter too (a workbook's sheet).
    pub(super) fn is_sheet(&self) -> bool {
        self.sheet_rows.is_some()
    }

    /// The first megabyte, to guess an encoding from.
    fn head(&self) -> Vec<u8> {
        const HEAD: u64 = 1 << 20;
        match &self.bytes {
            Bytes::File(path) => {
                let mut head = Vec::new();
                let _ = File::open(path).and_then(|file| file.take(HEAD).read_to_end(&mut head));
                head
            }
            Bytes::Text(text) => text[..text.len().min(1 << 20)].to_vec(),
        }
    }
}

/// The one error of a file that is not UTF-8: where it first is not, the encoding it looks
/// like, and the two ways out.
pub(super) fn not_utf8(path: &str, source: &Source, line: u64) -> Diagnostic {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&source.head(), true);
    // Not UTF-8, or the file would have read: the guess is among the others.
    let guess = detector
        .guess(None, chardetng::Utf8Detection::Deny)
        .name()
        .to_ascii_lowercase();
    Diagnostic::line(
        path,
        line,
        format!(
            "not UTF-8 text (from this line on): it looks like {guess}; save it as CSV UTF-8, \
             or pass `--encoding {guess}` (or `encoding = \"{guess}\"` in ties.toml)"
        ),
    )
}

/// Returns the spreadsheet letter of 0-based column `index` (`A`, `Z`, `AA`).
pub(super) fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + u8::try_from(rem).expect("below 26"));
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Turns a CSV syntax or I/O error into a diagnostic.
pub(super) fn csv_error(path: &str, err: &csv::Error) -> Diagnostic {
    match err.position() {
        Some(pos) => Diagnostic::line(
            path,
            pos.line(),
            format!("unreadable CSV: {}", err.kind_text()),
        ),
        None => Diagnostic::file(path, format!("unreadable CSV: {}", err.kind_text())),
    }
}

pub(super) trait KindText {
    fn kind_text(&self) -> String;
}

impl KindText for csv::Error {
    fn kind_text(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Io(err) => err.to_string(),
            _ => self.to_string(),
        }
    }
}

/// Returns cell `i` as text, or the problem with it.
pub(super) fn cell<'r>(
    record: &'r csv::ByteRecord,
    i: usize,
    name: &str,
) -> Result<&'r str, String> {
    let raw = record.get(i).unwrap_or_default();
    std::str::from_utf8(raw).map_err(|err| {
        format!(
            "column `{name}`: invalid UTF-8 at byte {} of the cell",
            err.valid_up_to() + 1
        )
    })
}

/// Attribute columns of one element class, interned by name across files.
#[derive(Default)]
pub(super) struct AttrColumns {
    pub(super) defs: Vec<AttrDef>,
    pub(super) first_seen: Vec<String>,
    /// Name → position in `defs`, so a header of many columns interns in linear time.
    pub(super) positions: rustc_hash::FxHashMap<String, usize>,
    /// Files already told that they pass the column limit (once per file).
    pub(super) overflowed: Vec<String>,
}

impl AttrColumns {
    /// Returns the id of column `name`; a second file declaring another type is an error.
    pub(super) fn intern(
        &mut self,
        name: &str,
        column_type: ColumnType,
        path: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> AttrId {
        if let Some(&i) = self.positions.get(name) {
            let existing = self.defs[i].column_type;
            if existing != column_type {
                diags.push(Diagnostic::line(
                    path,
                    1,
                    format!(
                        "column `{name}` is {column_type} here but {existing} in {}; \
                         one column name needs one type across files",
                        self.first_seen[i]
                    ),
                ));
            }
            return AttrId::try_from(i).unwrap_or(AttrId::MAX);
        }
        if self.defs.len() >= usize::from(AttrId::MAX) {
            if !self.overflowed.iter().any(|p| p == path) {
                self.overflowed.push(path.to_owned());
                diags.push(Diagnostic::line(
                    path,
                    1,
                    format!(
                        "more than {} attribute columns across the files of this class",
                        AttrId::MAX
                    ),
                ));
            }
            return AttrId::MAX;
        }
        self.positions.insert(name.to_owned(), self.defs.len());
        self.defs.push(AttrDef {
            name: name.to_owned(),
            column_type,
        });
        self.first_seen.push(path.to_owned());
        AttrId::try_from(self.defs.len() - 1).expect("checked above")
    }
}

#[derive(Default)]
pub(super) struct AttrRegistry {
    pub(super) entity: AttrColumns,
    pub(super) relation: AttrColumns,
}

/// How one attribute column of a file is read.
#[derive(Debug, Clone)]
pub(super) struct AttrColumn {
    pub(super) position: usize,
    pub(super) attr: AttrId,
    pub(super) name: String,
    pub(super) column_type: ColumnType,
    /// How messages name it: `` `born` ``, or in a sheet `` `born` (column C) ``.
    pub(super) label: String,
}

/// How messages name column `name` at 0-based `position` of `source`: by name, and in a
/// workbook's sheet also by its letter.
pub(super) fn column_label(name: &str, position: usize, source: &Source) -> String {
    if source.is_sheet() {
        format!("`{name}` (column {})", column_letter(position))
    } else {
        format!("`{name}`")
    }
}

/// Parses attribute cells of `record` into `store`; returns the first problem per column.
pub(super) fn push_attrs(
    record: &csv::ByteRecord,
    columns: &[AttrColumn],
    store: &mut RecordStore,
    problems: &mut Vec<String>,
) {
    use crate::model::value::{list_items, parse_scalar};
    for column in columns {
        let text = match cell(record, column.position, &column.name) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        // contract: an empty cell means "absent", not "".
        if text.is_empty() {
            continue;
        }
        let scalar = column.column_type.scalar;
        let pushed = if column.column_type.is_list {
            match list_items(text).find_map(|item| parse_scalar(scalar, item).err()) {
                Some(err) => {
                    problems.push(format!("column {}: {err}", column.label));
                    continue;
                }
                None => store.push_list(column.attr, scalar, text),
            }
        } else {
            match parse_scalar(scalar, text) {
                Ok(value) => store.push_scalar(column.attr, value, text),
                Err(err) => {
                    problems.push(format!("column {}: {err}", column.label));
                    continue;
                }
            }
        };
        if let Err(full) = pushed {
            problems.push(full.to_string());
        }
    }
}

/// Checks a record's width against the header's.
pub(super) fn check_width(record: &csv::ByteRecord, width: usize) -> Result<(), String> {
    if record.len() == width {
        Ok(())
    } else {
        Err(format!("expected {width} fields, found {}", record.len()))
    }
}

/// What a data file's body reading needs besides its rows: its name, bytes, width.
pub(super) struct Body<'a> {
    /// The path messages show.
    pub path: &'a str,
    pub source: &'a Source,
    /// The header's number of columns.
    pub width: usize,
}

/// The one row loop of entity and relation files: reads `body` after its header, reserves
/// room once a sample shows the file's density, reports progress, skips blank rows (in files
/// of more than one column; in a one-column file a blank row is an empty value) and rows of
/// the wrong width (with a message), and hands every other record and its line to `row`,
/// which returns `false` to stop. A file that stops being UTF-8 gets one message and its
/// other rows are read quietly. Returns `false` when the file could not be read to its end.
pub(super) fn read_rows<T>(
    body: &Body<'_>,
    progress: &dyn Progress,
    (rows, store): (&mut Vec<T>, &mut RecordStore),
    diags: &mut Vec<Diagnostic>,
    mut row: impl FnMut(
        &csv::ByteRecord,
        u64,
        &mut Vec<T>,
        &mut RecordStore,
        &mut Vec<Diagnostic>,
    ) -> bool,
) -> bool {
    let Some((mut reader, _)) = open_csv(body.path, body.source, diags) else {
        return false;
    };
    let file_len = body.source.len();
    let mut record = csv::ByteRecord::new();
    let mut reported = 0;
    let mut lossy = false;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                diags.push(csv_error(body.path, &err));
                return false;
            }
        }
        let position = record
            .position()
            .expect("records read from a reader have positions");
        let line = body.source.line_of(position.record(), position.line());
        if !lossy && std::str::from_utf8(record.as_slice()).is_err() {
            // One error for the file, not one per cell: the whole file is in another encoding.
            diags.push(not_utf8(body.path, body.source, line));
            lossy = true;
        }
        if lossy {
            // The rest is still read, its invalid bytes replaced and its problems left
            // unsaid, so that its ids are known and relations to them are not reported too.
            let readable: csv::ByteRecord = record
                .iter()
                .map(|field| String::from_utf8_lossy(field).into_owned())
                .collect::<csv::StringRecord>()
                .into_byte_record();
            let said = diags.len();
            let go_on = is_blank(&readable)
                || check_width(&readable, body.width).is_err()
                || row(&readable, line, rows, store, diags);
            diags.truncate(said);
            if !go_on {
                break;
            }
            continue;
        }
        if rows.len() == SAMPLE_RECORDS {
            reserve_for_rest(rows, store, position.byte(), file_len);
        }
        if position.byte() - reported >= PROGRESS_STEP {
            progress.advance(position.byte() - reported);
            reported = position.byte();
        }
        if is_blank(&record) && body.width > 1 {
            continue;
        }
        if let Err(problem) = check_width(&record, body.width) {
            diags.push(Diagnostic::line(body.path, line, problem));
            continue;
        }
        if !row(&record, line, rows, store, diags) {
            break;
        }
    }
    progress.advance(reader.position().byte().saturating_sub(reported));
    true
}

pub(super) fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty)
}

/// Reserves room for the rest of a file once `SAMPLE_RECORDS` records show its shape.
///
/// Growing by doubling would copy each buffer about twenty times on a big file and leave
/// glibc's heap fragmented (its mmap threshold rises after the first large free), which cost
/// over 200 MB of peak memory on 1M/5M; one reservation from the file size avoids both.
pub(super) fn reserve_for_rest<T>(
    rows: &mut Vec<T>,
    store: &mut RecordStore,
    bytes_read: u64,
    file_len: u64,
) {
    if bytes_read == 0 || rows.is_empty() {
        return;
    }
    let scale = |n: usize| -> usize {
        // 5% slack over the linear estimate; a wrong guess only costs a later doubling.
        let n = n as u128;
        let estimate = n * u128::from(file_len) * 105 / (u128::from(bytes_read) * 100);
        usize::try_from(estimate.saturating_sub(n)).unwrap_or(0)
    };
    let (text, cells) = store.usage();
    rows.reserve(scale(rows.len()));
    store.reserve(scale(text), scale(cells));
}

/// How many records to read before estimating a file's buffers.
pub(super) const SAMPLE_RECORDS: usize = 4096;

/// Bytes between progress reports, so the bar costs nothing measurable.
pub(super) const PROGRESS_STEP: u64 = 4 << 20;
