//! Loading a data dir: every CSV validated, every problem reported, or nothing loaded.
//!
//! ```text
//! DATA_DIR/entities/<kind>.csv   one file per entity kind; the kind is the file stem
//! DATA_DIR/relations/*.csv       one or more relation files
//! DATA_DIR/ties.toml             optional display styles and schema
//! ```
//!
//! The load runs in three passes: headers of all files (sequential, so attribute columns get
//! ids in file order), entity bodies (in parallel, then ids indexed in file order so duplicate
//! reports name the first occurrence), relation bodies (in parallel, endpoints resolved against
//! the read-only index). Records are streamed through one reused `ByteRecord` per file; all
//! text lands in per-file record stores (`model::store`). This module reads files and returns values; it
//! prints nothing.

pub mod config;
pub mod diag;
mod entities;
pub mod header;
mod relations;
mod schema;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::entity::{AttrDef, Catalog, Entity, Relation, SourceFile};
use crate::model::index::IdIndex;
use crate::model::schema::{Schema, Timings};
use crate::model::store::{AttrId, RecordStore};
use crate::model::style::Style;
use crate::model::value::ColumnType;
pub use config::Config;
pub use diag::{Diagnostic, LoadError};

/// Receives progress while a data dir loads; the CLI draws a bar with it.
pub trait Progress: Sync {
    /// Announces the total number of bytes to read.
    fn start(&self, total_bytes: u64);
    /// Reports `bytes` more read.
    fn advance(&self, bytes: u64);
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total_bytes: u64) {}
    fn advance(&self, _bytes: u64) {}
}

/// A loaded, validated data dir, ready to become a graph.
#[derive(Debug)]
pub struct Dataset {
    /// Names, files and their stores.
    pub catalog: Catalog,
    /// Styles from `ties.toml` (defaults when there is none).
    pub style: Style,
    /// The schema `ties.toml` declares (empty when it declares none).
    pub schema: Schema,
    /// Entities in file order, then row order.
    pub entities: Vec<Entity>,
    /// Relations per relation file, in file order then row order, as (from, to, relation)
    /// with endpoints as positions in `entities`.
    pub relations: Vec<Vec<(u32, u32, Relation)>>,
    /// Entity id → position in `entities`.
    pub(crate) index: IdIndex,
    /// Problems that did not stop the load (unknown kinds in `ties.toml`, ...).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates the data dir at `dir`.
///
/// Paths in diagnostics start with `dir` as given, so `--data ./x` gives `./x/entities/...`.
///
/// # Errors
/// Returns every problem found, in file and line order, when any file is invalid.
pub fn load_dir(dir: &Path, progress: &dyn Progress) -> Result<Dataset, LoadError> {
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return Err(LoadError {
            diagnostics: vec![Diagnostic::file(
                display(dir),
                "no such data dir (it should hold entities/ and relations/)",
            )],
        });
    }
    let entity_files = csv_files(&dir.join("entities"), true, &mut diags);
    let relation_files = csv_files(&dir.join("relations"), false, &mut diags);
    let style_path = display(&dir.join("ties.toml"));
    let config = config::load_config(&dir.join("ties.toml")).unwrap_or_else(|more| {
        diags.extend(more);
        Config::default()
    });
    if !diags.is_empty() {
        return Err(LoadError { diagnostics: diags });
    }
    let entities = entity_files
        .iter()
        .map(|path| {
            let kind = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            (kind, display(path), Source::File(path.clone()))
        })
        .collect();
    let relations = relation_files
        .iter()
        .map(|path| (display(path), Source::File(path.clone())))
        .collect();
    load_sources(
        &Sources {
            dir: display(dir),
            style_path,
            entities,
            relations,
        },
        config,
        progress,
    )
}

/// Loads and validates CSV text held in memory, as [`load_dir`] loads files: `entities` as
/// `(kind, text)`, `relations` as `(name, text)`, and an optional `ties.toml` text. Messages
/// name them `entities/<kind>.csv`, `relations/<name>.csv` and `ties.toml`.
///
/// # Errors
/// Returns every problem found, as [`load_dir`] does.
pub fn load_texts(
    entities: &[(&str, &str)],
    relations: &[(&str, &str)],
    style: Option<&str>,
) -> Result<Dataset, LoadError> {
    let config = match style {
        Some(text) => config::parse_config("ties.toml", text)
            .map_err(|diagnostics| LoadError { diagnostics })?,
        None => Config::default(),
    };
    let text = |t: &str| Source::Text(std::sync::Arc::from(t.as_bytes()));
    load_sources(
        &Sources {
            dir: ".".to_owned(),
            style_path: "ties.toml".to_owned(),
            entities: entities
                .iter()
                .map(|(kind, t)| ((*kind).to_owned(), format!("entities/{kind}.csv"), text(t)))
                .collect(),
            relations: relations
                .iter()
                .map(|(name, t)| (format!("relations/{name}.csv"), text(t)))
                .collect(),
        },
        config,
        &NoProgress,
    )
}

/// The CSV inputs of one load, each with the path its messages show.
struct Sources {
    dir: String,
    style_path: String,
    /// `(kind, shown path, source)`.
    entities: Vec<(String, String, Source)>,
    /// `(shown path, source)`.
    relations: Vec<(String, Source)>,
}

fn load_sources(
    sources: &Sources,
    config: Config,
    progress: &dyn Progress,
) -> Result<Dataset, LoadError> {
    let Config { style, schema } = config;
    let mut warnings = Vec::new();
    let mut diags = Vec::new();
    let total: u64 = sources
        .entities
        .iter()
        .map(|(_, _, source)| source.len())
        .chain(sources.relations.iter().map(|(_, source)| source.len()))
        .sum();
    progress.start(total);

    let mut attrs = AttrRegistry::default();
    let mut catalog = Catalog::default();
    let mut entity_plans = Vec::new();
    for (i, (kind, shown, source)) in sources.entities.iter().enumerate() {
        catalog.kinds.push(kind.clone());
        let plan = entities::plan(
            shown.clone(),
            source.clone(),
            u16::try_from(i).unwrap_or(u16::MAX),
            &mut attrs.entity,
            &mut diags,
        );
        entity_plans.push(plan);
    }
    let relation_plans: Vec<_> = sources
        .relations
        .iter()
        .map(|(shown, source)| {
            relations::plan(
                shown.clone(),
                source.clone(),
                &mut attrs.relation,
                &mut diags,
            )
        })
        .collect();
    if sources.entities.len() + sources.relations.len() > usize::from(u16::MAX) {
        diags.push(Diagnostic::file(
            &sources.dir,
            "more than 65535 files; merge some of them",
        ));
        return Err(sorted(diags));
    }
    // contract: every problem in one run. A file whose header is wrong is left out, the
    // others are still read; relations are then not checked against the entities, since ids
    // of the unread file would all look unknown.
    let entities_complete = entity_plans.iter().all(Option::is_some);
    catalog.entity_attrs = attrs.entity.defs;
    catalog.relation_attrs = attrs.relation.defs;

    // Entity bodies in parallel; ids indexed afterwards in file order.
    let parsed: Vec<_> = entity_plans
        .into_par_iter()
        .zip(sources.entities.par_iter())
        .map(|(plan, (_, shown, _))| match plan {
            Some(plan) => entities::parse(plan, progress),
            None => entities::ParsedEntities::unread(shown.clone()),
        })
        .collect();
    let entity_count: usize = parsed.iter().map(|p| p.rows.len()).sum();
    let mut all_entities: Vec<Entity> = Vec::with_capacity(entity_count);
    let mut index = IdIndex::with_capacity(entity_count);
    for (file, parsed) in parsed.into_iter().enumerate() {
        diags.extend(parsed.diags);
        let file_id = u16::try_from(file).expect("file count checked above");
        let mut store = parsed.store;
        store.shrink_to_fit();
        catalog.files.push(SourceFile {
            path: parsed.path,
            store,
            columns: parsed.columns,
        });
        for mut entity in parsed.rows {
            entity.origin.file = file_id;
            let id = catalog.entity_id(&entity);
            match index.insert(id) {
                Ok(_) => all_entities.push(entity),
                Err(Ok(first)) => {
                    let first = all_entities[first as usize].origin;
                    diags.push(Diagnostic::line(
                        catalog.file_path(file_id),
                        u64::from(entity.origin.line),
                        format!(
                            "duplicate id `{id}` (first at {}:{})",
                            catalog.file_path(first.file),
                            first.line
                        ),
                    ));
                }
                Err(Err(full)) => {
                    diags.push(Diagnostic::file(
                        catalog.file_path(file_id),
                        full.to_string(),
                    ));
                    return Err(sorted(diags));
                }
            }
        }
    }
    index.shrink_to_fit();

    // Relation bodies in parallel against the finished index.
    let first_relation_file = catalog.files.len();
    let parsed: Vec<_> = relation_plans
        .into_par_iter()
        .zip(sources.relations.par_iter())
        .map(|(plan, (shown, _))| match plan {
            Some(plan) => relations::parse(plan, &index, entities_complete, progress),
            None => relations::ParsedRelations::unread(shown.clone()),
        })
        .collect();
    let mut all_relations = Vec::with_capacity(parsed.len());
    let mut rel_type_ids = std::collections::HashMap::new();
    for (i, parsed) in parsed.into_iter().enumerate() {
        diags.extend(parsed.diags);
        let file_id = u16::try_from(first_relation_file + i).expect("file count checked above");
        let remap: Vec<u16> = parsed
            .rel_types
            .into_iter()
            .map(|name| {
                let next = catalog.rel_types.len();
                *rel_type_ids.entry(name.clone()).or_insert_with(|| {
                    catalog.rel_types.push(name);
                    u16::try_from(next).unwrap_or(u16::MAX)
                })
            })
            .collect();
        if catalog.rel_types.len() > usize::from(u16::MAX) {
            diags.push(Diagnostic::file(
                &parsed.path,
                "more than 65535 relation types",
            ));
        }
        let mut rows = parsed.rows;
        for (_, _, relation) in &mut rows {
            relation.set_file(file_id);
            relation.rel_type = remap[usize::from(relation.rel_type)];
        }
        let mut store = parsed.store;
        store.shrink_to_fit();
        catalog.files.push(SourceFile {
            path: parsed.path,
            store,
            columns: parsed.columns,
        });
        all_relations.push(rows);
    }
    if !diags.is_empty() {
        suggest_unknown_ids(&mut diags, &all_entities, &catalog);
        return Err(sorted(diags));
    }
    for kind in style.kinds.keys() {
        if !catalog.kinds.contains(kind) {
            warnings.push(Diagnostic::file(
                &sources.style_path,
                format!("kind `{kind}` has a style but no entity file"),
            ));
        }
    }
    for rel_type in style.rel_types.keys() {
        if !catalog.rel_types.contains(rel_type) {
            warnings.push(Diagnostic::file(
                &sources.style_path,
                format!("relation type `{rel_type}` has a style but no relation uses it"),
            ));
        }
    }
    let broken = schema::enforce(
        &schema,
        &sources.style_path,
        &catalog,
        &all_entities,
        &all_relations,
        &mut warnings,
    );
    if !broken.is_empty() {
        return Err(sorted(broken));
    }
    catalog.timings = Timings(
        catalog
            .rel_types
            .iter()
            .map(|rel_type| schema.timing(rel_type))
            .collect(),
    );
    Ok(Dataset {
        catalog,
        style,
        schema,
        entities: all_entities,
        relations: all_relations,
        index,
        warnings,
    })
}

/// Sorts diagnostics by path, then line (whole-file problems first).
fn sorted(mut diagnostics: Vec<Diagnostic>) -> LoadError {
    diagnostics.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    LoadError { diagnostics }
}

/// Returns a path the way the user would type it.
fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Returns the `.csv` files of `dir` in name order.
///
/// A `.csv` entry that is not a regular file (a folder, a FIFO, a device, a dangling or
/// looping symbolic link) is an error naming it: skipping it would silently drop its rows,
/// and reading it could block forever. A symbolic link to a regular file is followed.
fn csv_files(dir: &Path, required: bool, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
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
        path.extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
    });
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => files.push(path),
            Ok(meta) => diags.push(Diagnostic::file(
                display(&path),
                format!(
                    "not a regular file but {}; a data folder holds only .csv files",
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
            "no entity files (expected one <kind>.csv per entity kind)",
        ));
    }
    files
}

/// Names a kind of file that is not a regular one, for messages.
fn file_type_name(file_type: std::fs::FileType) -> &'static str {
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

/// Opens a CSV file and reads its header; reports an unreadable or empty file.
fn open_csv(
    path: &str,
    source: &Source,
    diags: &mut Vec<Diagnostic>,
) -> Option<(csv::Reader<Box<dyn Read>>, csv::ByteRecord)> {
    let input: Box<dyn Read> = match source {
        Source::File(fs_path) => match File::open(fs_path) {
            Ok(file) => Box::new(BufReader::with_capacity(1 << 20, file)),
            Err(err) => {
                diags.push(Diagnostic::file(path, format!("cannot open: {err}")));
                return None;
            }
        },
        Source::Text(text) => Box::new(std::io::Cursor::new(text.clone())),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
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

/// Where a CSV file's bytes come from: a file, or text given by a library user.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    File(PathBuf),
    Text(std::sync::Arc<[u8]>),
}

impl Source {
    /// The size in bytes, for the progress bar.
    fn len(&self) -> u64 {
        match self {
            Source::File(path) => std::fs::metadata(path).map_or(0, |meta| meta.len()),
            Source::Text(text) => text.len() as u64,
        }
    }
}

/// Turns a CSV syntax or I/O error into a diagnostic.
fn csv_error(path: &str, err: &csv::Error) -> Diagnostic {
    match err.position() {
        Some(pos) => Diagnostic::line(
            path,
            pos.line(),
            format!("unreadable CSV: {}", err.kind_text()),
        ),
        None => Diagnostic::file(path, format!("unreadable CSV: {}", err.kind_text())),
    }
}

trait KindText {
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
fn cell<'r>(record: &'r csv::ByteRecord, i: usize, name: &str) -> Result<&'r str, String> {
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
struct AttrColumns {
    defs: Vec<AttrDef>,
    first_seen: Vec<String>,
    /// Name → position in `defs`, so a header of many columns interns in linear time.
    positions: rustc_hash::FxHashMap<String, usize>,
    /// Files already told that they pass the column limit (once per file).
    overflowed: Vec<String>,
}

impl AttrColumns {
    /// Returns the id of column `name`; a second file declaring another type is an error.
    fn intern(
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
struct AttrRegistry {
    entity: AttrColumns,
    relation: AttrColumns,
}

/// How one attribute column of a file is read.
#[derive(Debug, Clone)]
struct AttrColumn {
    position: usize,
    attr: AttrId,
    name: String,
    column_type: ColumnType,
}

/// Parses attribute cells of `record` into `store`; returns the first problem per column.
fn push_attrs(
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
                    problems.push(format!("column `{}`: {err}", column.name));
                    continue;
                }
                None => store.push_list(column.attr, scalar, text),
            }
        } else {
            match parse_scalar(scalar, text) {
                Ok(value) => store.push_scalar(column.attr, value, text),
                Err(err) => {
                    problems.push(format!("column `{}`: {err}", column.name));
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
fn check_width(record: &csv::ByteRecord, width: usize) -> Result<(), String> {
    if record.len() == width {
        Ok(())
    } else {
        Err(format!("expected {width} fields, found {}", record.len()))
    }
}

/// Returns whether the record is a blank line (one empty field) in a file of wider rows.
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
    read_pairs(shown, &Source::File(path.to_owned()))
}

/// [`read_pairs_file`] for text in memory (standard input, say).
///
/// # Errors
/// Every problem, each with its line.
pub fn read_pairs_text(shown: &str, text: &str) -> Result<Vec<PairRow>, Vec<Diagnostic>> {
    read_pairs(shown, &Source::Text(std::sync::Arc::from(text.as_bytes())))
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
/// which returns `false` to stop. Returns `false` when the file cannot be read at all.
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
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                diags.push(csv_error(body.path, &err));
                break;
            }
        }
        let position = record
            .position()
            .expect("records read from a reader have positions");
        let line = position.line();
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

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty)
}

/// Reserves room for the rest of a file once `SAMPLE_RECORDS` records show its shape.
///
/// Growing by doubling would copy each buffer about twenty times on a big file and leave
/// glibc's heap fragmented (its mmap threshold rises after the first large free), which cost
/// over 200 MB of peak memory on 1M/5M; one reservation from the file size avoids both.
fn reserve_for_rest<T>(rows: &mut Vec<T>, store: &mut RecordStore, bytes_read: u64, file_len: u64) {
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
const SAMPLE_RECORDS: usize = 4096;

/// Bytes between progress reports, so the bar costs nothing measurable.
const PROGRESS_STEP: u64 = 4 << 20;

/// Unknown ids given a "did you mean" at most: each needs a pass over every entity.
const SUGGESTED_IDS: usize = 20;

/// Adds to each `unknown entity` problem the entity the id most likely meant: the nearest id
/// or name within a few typing mistakes (`isreal` → `israel`).
fn suggest_unknown_ids(diags: &mut [Diagnostic], entities: &[Entity], catalog: &Catalog) {
    const MARK: &str = "unknown entity `";
    let mut wanted: Vec<String> = Vec::new();
    for diag in diags.iter() {
        let mut rest = diag.message.as_str();
        while let Some(at) = rest.find(MARK) {
            rest = &rest[at + MARK.len()..];
            if let Some(end) = rest.find('`') {
                let id = &rest[..end];
                if !wanted.iter().any(|w| w == id) && wanted.len() < SUGGESTED_IDS {
                    wanted.push(id.to_owned());
                }
                rest = &rest[end..];
            }
        }
    }
    for id in wanted {
        let lowered: Vec<char> = id.to_lowercase().chars().collect();
        let allowed = (lowered.len() / 3).max(1);
        let mut best: Option<(usize, &Entity)> = None;
        for entity in entities {
            let own_id = catalog.entity_id(entity);
            let name = catalog.entity_name(entity);
            for field in [own_id, name] {
                // Lengths further apart than the mistakes allowed cannot match.
                if field.len().abs_diff(id.len()) > allowed * 4 {
                    continue;
                }
                if let Some(distance) =
                    crate::model::similar::edit_distance(&lowered, field, allowed)
                    && best.is_none_or(|(d, _)| distance < d)
                {
                    best = Some((distance, entity));
                }
            }
        }
        let Some((_, entity)) = best else { continue };
        let hint = if catalog.entity_name(entity) == catalog.entity_id(entity) {
            format!(" (did you mean `{}`?)", catalog.entity_id(entity))
        } else {
            format!(
                " (did you mean `{}`, {}?)",
                catalog.entity_id(entity),
                catalog.entity_name(entity)
            )
        };
        let needle = format!("{MARK}{id}`");
        for diag in diags.iter_mut() {
            if diag.message.contains(&needle) {
                diag.message = diag.message.replace(&needle, &format!("{needle}{hint}"));
            }
        }
    }
}
