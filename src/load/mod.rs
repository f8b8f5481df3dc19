//! Loading a data dir: every table validated, every problem reported, or nothing loaded.
//!
//! ```text
//! DATA_DIR/entities/<kind>.csv   one file per entity kind; the kind is the file stem
//! DATA_DIR/entities/<any>.xlsx   or workbooks (also .ods, .xls), one sheet per kind
//! DATA_DIR/relations/*.csv       one or more relation files (or workbooks, one table a sheet)
//! DATA_DIR/ties.toml             optional display styles and schema
//! ```
//!
//! CSV may be separated by `,`, `;` or tabs (the header tells, `tables.rs`), and must be UTF-8
//! unless an encoding is given ([`LoadOptions`]).
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
pub mod ftm;
pub(crate) mod header;
mod pairs;
mod relations;
mod rows;
mod schema;
mod tables;
mod workbook;

pub(crate) use pairs::{
    read_pairs_file, read_pairs_text, read_param_rows_file, read_param_rows_text,
};
use rows::{
    AttrColumn, AttrColumns, AttrRegistry, Body, Source, cell, column_label, data_files, open_csv,
    push_attrs, read_rows,
};
use tables::Table;

use std::path::Path;

use rayon::prelude::*;

use crate::model::entity::{Catalog, Entity, Relation, SourceFile, Store};
use crate::model::index::IdIndex;
use crate::model::schema::{Schema, Timings};
use crate::model::style::Style;
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

/// How to read a data dir beyond what it says itself.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The CSV files' encoding when it is not UTF-8, as the WHATWG Encoding Standard names it
    /// (`windows-1252`); overrides `encoding` in `ties.toml`.
    pub encoding: Option<String>,
}

/// Loads and validates the data dir at `dir`.
///
/// Paths in diagnostics start with `dir` as given, so `--data ./x` gives `./x/entities/...`.
///
/// # Errors
/// Returns every problem found, in file and line order, when any file is invalid.
pub fn load_dir(dir: &Path, progress: &dyn Progress) -> Result<Dataset, LoadError> {
    load_dir_with(dir, &LoadOptions::default(), progress)
}

/// Loads and validates the data dir at `dir` as [`load_dir`] does, with `options`.
///
/// # Errors
/// Returns every problem found, in file and line order, when any file is invalid, and an
/// encoding no one knows.
pub fn load_dir_with(
    dir: &Path,
    options: &LoadOptions,
    progress: &dyn Progress,
) -> Result<Dataset, LoadError> {
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return Err(LoadError {
            diagnostics: vec![Diagnostic::file(
                display(dir),
                "no such data dir (it should hold entities/ and relations/)",
            )],
        });
    }
    let entity_files = data_files(&dir.join("entities"), true, &mut diags);
    let relation_files = data_files(&dir.join("relations"), false, &mut diags);
    let style_path = display(&dir.join("ties.toml"));
    let config = config::load_config(&dir.join("ties.toml"));
    let label = options.encoding.clone().or_else(|| {
        config
            .as_ref()
            .ok()
            .and_then(|config| config.style.encoding.clone())
    });
    let encoding = match label {
        Some(label) => match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) => Some(encoding),
            None => {
                let (from, at) = if options.encoding.is_some() {
                    ("--encoding", display(dir))
                } else {
                    ("encoding", style_path.clone())
                };
                diags.push(Diagnostic::file(
                    at,
                    format!(
                        "{from}: unknown encoding `{label}` (use a name such as windows-1252, iso-8859-2 or utf-16le)"
                    ),
                ));
                None
            }
        },
        None => None,
    };
    if !diags.is_empty() {
        diags.extend(config.err().unwrap_or_default());
        return Err(sorted(diags));
    }
    let mut separated = Vec::new();
    let entities = tables::tables(
        "entities",
        &entity_files,
        encoding,
        &mut separated,
        &mut diags,
    );
    let relations = tables::tables(
        "relations",
        &relation_files,
        encoding,
        &mut separated,
        &mut diags,
    );
    let note = tables::separator_note(&display(dir), &separated);
    if !diags.is_empty() {
        diags.extend(config.err().unwrap_or_default());
        return Err(sorted(diags));
    }
    let sources = Sources {
        dir: display(dir),
        style_path,
        entities,
        relations,
    };
    let mut dataset = with_config(config, |config| load_sources(&sources, config, progress))?;
    dataset.warnings.extend(note);
    Ok(dataset)
}

/// Loads with `config`, or, when `ties.toml` has problems, loads with the defaults anyway so
/// that the problems of the CSV files are reported in the same run as those of `ties.toml`
/// (contract: every problem in one run).
fn with_config(
    config: Result<Config, Vec<Diagnostic>>,
    load: impl FnOnce(Config) -> Result<Dataset, LoadError>,
) -> Result<Dataset, LoadError> {
    match config {
        Ok(config) => load(config),
        Err(mut problems) => {
            if let Err(more) = load(Config::default()) {
                problems.extend(more.diagnostics);
            }
            Err(sorted(problems))
        }
    }
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
        Some(text) => config::parse_config("ties.toml", text),
        None => Ok(Config::default()),
    };
    let table = |folder: &str, name: &str, text: &str| Table {
        name: name.to_owned(),
        shown: format!("{folder}/{name}.csv"),
        relative: format!("{folder}/{name}.csv"),
        source: Source::text(text),
    };
    let sources = Sources {
        dir: ".".to_owned(),
        style_path: "ties.toml".to_owned(),
        entities: entities
            .iter()
            .map(|(kind, text)| table("entities", kind, text))
            .collect(),
        relations: relations
            .iter()
            .map(|(name, text)| table("relations", name, text))
            .collect(),
    };
    with_config(config, |config| load_sources(&sources, config, &NoProgress))
}

/// The tables of one load.
struct Sources {
    dir: String,
    style_path: String,
    entities: Vec<Table>,
    relations: Vec<Table>,
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
        .chain(&sources.relations)
        .map(|table| table.source.len())
        .sum();
    progress.start(total);

    let mut attrs = AttrRegistry::default();
    let mut catalog = Catalog::default();
    let mut entity_plans = Vec::new();
    let mut kind_tables: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (i, table) in sources.entities.iter().enumerate() {
        let kind = table.name.trim();
        if kind != table.name {
            warnings.push(Diagnostic::file(
                &table.shown,
                format!(
                    "kind `{}` has spaces around it; read as `{kind}`",
                    table.name
                ),
            ));
        }
        if let Some(first) = kind_tables.insert(kind, &table.shown) {
            diags.push(Diagnostic::file(
                &table.shown,
                format!("kind `{kind}` comes from two tables, this one and {first}; merge them or rename one"),
            ));
        }
        catalog.kinds.push(kind.to_owned());
        let plan = entities::plan(
            table.shown.clone(),
            table.source.clone(),
            u16::try_from(i).unwrap_or(u16::MAX),
            &mut attrs.entity,
            &mut diags,
        );
        entity_plans.push(plan);
    }
    let relation_plans: Vec<_> = sources
        .relations
        .iter()
        .map(|table| {
            relations::plan(
                table.shown.clone(),
                table.source.clone(),
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
        .map(|(plan, table)| match plan {
            Some(plan) => entities::parse(plan, progress),
            None => entities::ParsedEntities::unread(table.shown.clone()),
        })
        .collect();
    let entity_count: usize = parsed.iter().map(|p| p.rows.len()).sum();
    let mut all_entities: Vec<Entity> = Vec::with_capacity(entity_count);
    let mut index = IdIndex::with_capacity(entity_count);
    let mut entities_read = true;
    for (file, parsed) in parsed.into_iter().enumerate() {
        diags.extend(parsed.diags);
        entities_read &= parsed.complete;
        if let (count, Some((line, id))) = &parsed.spaced_ids {
            warnings.push(Diagnostic::line(
                &parsed.path,
                *line,
                spaced_warning(*count, "id", id),
            ));
        }
        let file_id = u16::try_from(file).expect("file count checked above");
        let mut store = parsed.store;
        store.shrink_to_fit();
        catalog.files.push(SourceFile {
            relative: sources.entities[file].relative.clone(),
            path: parsed.path,
            store: Store::loaded(store),
            columns: parsed.columns,
        });
        let broken_from = parsed.rows.len();
        for (at, mut entity) in parsed.rows.into_iter().chain(parsed.broken).enumerate() {
            entity.origin.file = file_id;
            let is_broken = at >= broken_from;
            let id = catalog.entity_id(&entity);
            match index.insert(id) {
                Ok(_) => all_entities.push(entity),
                // A row already reported: its id only needs to be known.
                Err(Ok(_)) if is_broken => {}
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
        .map(|(plan, table)| match plan {
            Some(plan) => {
                relations::parse(plan, &index, entities_complete && entities_read, progress)
            }
            None => relations::ParsedRelations::unread(table.shown.clone()),
        })
        .collect();
    let mut all_relations = Vec::with_capacity(parsed.len());
    let mut rel_type_ids = std::collections::HashMap::new();
    for (i, parsed) in parsed.into_iter().enumerate() {
        diags.extend(parsed.diags);
        for ((count, first), what) in parsed.spaced.iter().zip(["id", "relation type"]) {
            if let Some((line, text)) = first {
                warnings.push(Diagnostic::line(
                    &parsed.path,
                    *line,
                    spaced_warning(*count, what, text),
                ));
            }
        }
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
            relative: sources.relations[i].relative.clone(),
            path: parsed.path,
            store: Store::loaded(store),
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

/// The warning about `count` cells of `what` written with spaces around them, read trimmed.
fn spaced_warning(count: usize, what: &str, first: &str) -> String {
    let trimmed = first.trim();
    if count == 1 {
        format!("{what} `{first}` has spaces around it; read as `{trimmed}`")
    } else {
        format!(
            "{count} {what}s have spaces around them and are read trimmed, this one first: `{first}` as `{trimmed}`"
        )
    }
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
