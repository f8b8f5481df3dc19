//! The graph snapshot: a checked binary image of a loaded graph, so that later commands open
//! it instead of parsing the CSV files again.
//!
//! Layout: a header (the magic `\x89TIES\r\n\x1a`, the format version, a byte-order mark
//! written in native order, the pointer width, where the table of sections is, its hash, the
//! total length), then the sections, then the table, which gives each section's offset,
//! length and xxh3 hash. The sections: the [`Inputs`] key; the catalog (kinds, types, columns,
//! files, load warnings, counts); one per file for its text and cells; the entities, the
//! relations and the relations' ends, 65,536 to a section; the four adjacency arrays; the id
//! index (sorted hashes, positions, directory). Numbers are little-endian, except the plain
//! arrays (ends, adjacency, id index), which are read straight into the graph's arrays in
//! native order: the byte-order mark refuses a file from a machine of the other order.
//!
//! Opening reads and checks the header, the table, the catalog, the entities with their files'
//! text, the adjacency and the id index: every section against its hash, every count against
//! the bytes, every span, date, kind and index as the loader would have. The relations, their
//! ends and the relation files' text and attributes (four fifths of the file on 5M relations)
//! are read a section at a time when first asked for, and checked then; a section that fails
//! leaves placeholders, never a panic, and marks the graph ([`KnowledgeGraph::snapshot_damage`])
//! so that its caller does not give the answer (the CLI runs the command again on the data
//! files). A file that fails when opening is [`Opened::Damaged`]: the caller warns once and
//! loads the data files. The hashes find damage; a forger who recomputes them gets no more than
//! editing the CSV files would give, since every value is checked as the loader checks it.
//!
//! Writing goes to a temporary file in the same folder, renamed over the old one when
//! complete: a reader holds either the old file or the new one, two writers at once each
//! rename a whole file, and nothing is ever rewritten in place.

mod catalog;
mod inputs;
mod write;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use bytemuck::Pod;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use self::catalog::{Counts, read_catalog};
pub use self::inputs::Inputs;
pub use self::write::write;
use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::{Adjacency, Link};
use crate::graph::ids::{HashedIds, Ids};
use crate::model::bytes::{Malformed, Reader};
use crate::model::entity::{Entity, Relation, Store};
use crate::model::schema::Timings;
use crate::model::store::RecordStore;

/// The version of the layout; a snapshot of another version is rebuilt, not read.
pub const FORMAT_VERSION: u32 = 1;

const MAGIC: [u8; 8] = *b"\x89TIES\r\n\x1a";
const BYTE_ORDER: u32 = 0x0A0B_0C0D;
/// Magic, version, byte order, pointer width and padding, table offset, length and hash,
/// total length.
const HEADER: usize = 56;
use crate::graph::column::{CHUNK, Column};
/// A table entry: offset, length, hash.
const ENTRY: usize = 24;

/// Below this much data the CSV files load in milliseconds, and a folder beside the data
/// would only be clutter; `--cache DIR` snapshots any size.
pub const BESIDE_MIN_BYTES: u64 = 1 << 20;

/// The name of the folder beside the data that holds its snapshot.
pub const BESIDE: &str = ".ties";

/// Where snapshots are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cache {
    /// In `.ties/` in the data folder, for data of [`BESIDE_MIN_BYTES`] or more.
    #[default]
    Beside,
    /// In this folder, whatever the size; one file per data folder.
    Folder(PathBuf),
    /// Nowhere.
    Off,
}

/// Returns the snapshot file for the data folder `dir`, or `None` when there is to be none.
#[must_use]
pub fn location(dir: &Path, cache: &Cache, inputs: &Inputs) -> Option<PathBuf> {
    match cache {
        Cache::Off => None,
        Cache::Beside => (inputs.total_bytes >= BESIDE_MIN_BYTES)
            .then(|| dir.join(BESIDE).join("graph.snapshot")),
        Cache::Folder(folder) => {
            let full = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            let name = full
                .file_name()
                .map_or_else(|| "data".into(), |name| name.to_string_lossy().into_owned());
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let hash = xxh3_64(full.as_os_str().as_encoded_bytes());
            Some(folder.join(format!("{name}-{hash:016x}.snapshot")))
        }
    }
}

/// What opening a snapshot gave.
#[derive(Debug)]
pub enum Opened {
    /// The snapshot is current and whole: the graph.
    Current(Box<KnowledgeGraph>),
    /// There is no snapshot.
    Absent,
    /// The snapshot was made from other inputs, by another build or in another format.
    Stale,
    /// The file is not a whole snapshot: why.
    Damaged(String),
}

enum Refused {
    Stale,
    Damaged(String),
}

impl From<Malformed> for Refused {
    fn from(malformed: Malformed) -> Self {
        Refused::Damaged(malformed.0.to_owned())
    }
}

impl From<std::io::Error> for Refused {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            Refused::Damaged("ends early".to_owned())
        } else {
            Refused::Damaged(err.to_string())
        }
    }
}

/// Opens the snapshot at `path` of the data folder `dir`, if it is current for `inputs`.
#[must_use]
pub fn open(path: &Path, dir: &Path, inputs: &Inputs) -> Opened {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Opened::Absent,
        Err(err) => return Opened::Damaged(err.to_string()),
    };
    match read(file, path, dir, inputs) {
        Ok(kg) => Opened::Current(Box::new(kg)),
        Err(Refused::Stale) => Opened::Stale,
        Err(Refused::Damaged(why)) => Opened::Damaged(why),
    }
}

/// The sections of an open snapshot, read by offset (so threads can read at once).
#[derive(Debug)]
struct Sections {
    file: File,
    /// Offset, length and hash of each section.
    table: Vec<(u64, usize, u64)>,
}

impl Sections {
    /// Reads section `i` into `buffer`, checking it against its hash.
    fn read_into(&self, i: usize, buffer: &mut [u8]) -> Result<(), Refused> {
        let (offset, len, hash) = self.entry(i)?;
        if buffer.len() != len {
            return Err(Malformed("a section of the wrong length").into());
        }
        read_exact_at(&self.file, buffer, offset)?;
        if xxh3_64(buffer) != hash {
            return Err(Malformed("a section whose bytes do not match their hash").into());
        }
        Ok(())
    }

    fn entry(&self, i: usize) -> Result<(u64, usize, u64), Refused> {
        Ok(*self
            .table
            .get(i)
            .ok_or(Malformed("fewer sections than the catalog needs"))?)
    }

    /// Reads section `i` into `buffer` (resized to fit).
    fn bytes<'b>(&self, i: usize, buffer: &'b mut Vec<u8>) -> Result<Reader<'b>, Refused> {
        let (_, len, _) = self.entry(i)?;
        buffer.clear();
        buffer.resize(len, 0);
        self.read_into(i, buffer)?;
        Ok(Reader::new(buffer))
    }

    /// Reads section `i` as an array of plain values, straight into the array.
    fn array<T: Pod>(&self, i: usize) -> Result<Vec<T>, Refused> {
        let (_, len, _) = self.entry(i)?;
        let size = std::mem::size_of::<T>();
        if len % size != 0 {
            return Err(Malformed("an array section of a partial item").into());
        }
        let mut items = vec![T::zeroed(); len / size];
        self.read_into(i, bytemuck::cast_slice_mut(&mut items))?;
        Ok(items)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// The result of a reading thread; a thread that panicked (it never should) refuses the file.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T, Refused>>) -> Result<T, Refused> {
    handle
        .join()
        .unwrap_or_else(|_| Err(Malformed("a reading thread failed").into()))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Reads the header and the table of sections.
fn sections(file: File) -> Result<Sections, Refused> {
    let mut header = [0u8; HEADER];
    read_exact_at(&file, &mut header, 0)?;
    if header[..8] != MAGIC {
        return Err(Malformed("not a ties snapshot").into());
    }
    if header[12..16] != BYTE_ORDER.to_ne_bytes() || header[16] != pointer_width() {
        return Err(Malformed("written on a machine of another byte order or word size").into());
    }
    if u32::from_le_bytes(header[8..12].try_into().expect("4 bytes")) != FORMAT_VERSION {
        return Err(Refused::Stale);
    }
    let (table_at, table_len, table_hash) = (
        u64_at(&header, 24),
        u64_at(&header, 32),
        u64_at(&header, 40),
    );
    let total = u64_at(&header, 48);
    let actual = file.metadata()?.len();
    if total != actual {
        return Err(Malformed(if actual < total {
            "truncated"
        } else {
            "longer than written"
        })
        .into());
    }
    if table_at.checked_add(table_len) != Some(total) || table_len % ENTRY as u64 != 0 {
        return Err(Malformed("a table of sections out of place").into());
    }
    let mut table =
        vec![0u8; usize::try_from(table_len).map_err(|_| Malformed("a table too large"))?];
    read_exact_at(&file, &mut table, table_at)?;
    if xxh3_64(&table) != table_hash {
        return Err(Malformed("a table of sections that does not match its hash").into());
    }
    let mut entries = Vec::with_capacity(table.len() / ENTRY);
    for entry in table.chunks_exact(ENTRY) {
        let (offset, len, hash) = (u64_at(entry, 0), u64_at(entry, 8), u64_at(entry, 16));
        if offset < HEADER as u64 || offset.checked_add(len).is_none_or(|end| end > table_at) {
            return Err(Malformed("a section outside the file").into());
        }
        let len = usize::try_from(len).map_err(|_| Malformed("a section too large"))?;
        entries.push((offset, len, hash));
    }
    Ok(Sections {
        file,
        table: entries,
    })
}

/// An open snapshot, kept by a graph opened from it for the parts it reads on first use (the
/// relation files' text and attributes), with what went wrong reading one, if anything.
#[derive(Debug)]
pub(crate) struct Source {
    sections: Sections,
    path: PathBuf,
    damage: OnceLock<String>,
}

impl Source {
    /// Records why a part read on first use was refused (the first reason is kept).
    fn refuse(&self, refused: Refused) {
        let why = match refused {
            Refused::Stale => "made by another build".to_owned(),
            Refused::Damaged(why) => why,
        };
        let _ = self.damage.set(why);
    }

    /// Why a part read on first use was refused, if one was: its place in the graph holds an
    /// empty store, so the answer that used it must not be given.
    pub(crate) fn damage(&self) -> Option<String> {
        self.damage
            .get()
            .map(|why| format!("{}: {why}", self.path.display()))
    }
}

/// Reads the store of file `i`, checked, with `attr_count` attributes and `cells` cells. Its
/// text goes straight into the store's string and the rest through `buffer` (reused from
/// file to file): a million entities' text is not copied twice.
fn read_store(
    sections: &Sections,
    i: usize,
    attr_count: usize,
    cells: usize,
    buffer: &mut Vec<u8>,
) -> Result<RecordStore, Refused> {
    let (offset, len, hash) = sections.entry(2 + i)?;
    let mut head = [0u8; 8];
    if len < head.len() {
        return Err(Malformed("a store that ends early").into());
    }
    read_exact_at(&sections.file, &mut head, offset)?;
    let text_len = usize::try_from(u64::from_le_bytes(head))
        .ok()
        .filter(|&text_len| text_len <= len - head.len())
        .ok_or(Malformed("a store's text longer than the store"))?;
    let mut text = vec![0u8; text_len];
    read_exact_at(&sections.file, &mut text, offset + 8)?;
    buffer.clear();
    buffer.resize(len - head.len() - text_len, 0);
    read_exact_at(&sections.file, buffer, offset + 8 + text_len as u64)?;
    let mut hasher = Xxh3::new();
    hasher.update(&head);
    hasher.update(&text);
    hasher.update(buffer);
    if hasher.digest() != hash {
        return Err(Malformed("a section whose bytes do not match their hash").into());
    }
    let text = String::from_utf8(text).map_err(|_| Malformed("text that is not UTF-8"))?;
    let mut input = Reader::new(buffer);
    let store = RecordStore::decode_after_text(text, &mut input, attr_count)?;
    done(&input)?;
    if store.cell_count() != cells {
        return Err(Malformed("a store with another cell count than the catalog's").into());
    }
    Ok(store)
}

fn read(file: File, path: &Path, dir: &Path, inputs: &Inputs) -> Result<KnowledgeGraph, Refused> {
    let source = Arc::new(Source {
        sections: sections(file)?,
        path: path.to_owned(),
        damage: OnceLock::new(),
    });
    let sections = &source.sections;
    let mut buffer = Vec::new();
    if sections.bytes(0, &mut buffer)?.take(inputs.key.len()).ok() != Some(inputs.key.as_slice())
        || buffer.len() != inputs.key.len()
    {
        return Err(Refused::Stale);
    }
    let (mut catalog, warnings, counts) = read_catalog(sections.bytes(1, &mut buffer)?, dir)?;
    let config = crate::load::config::load_config(&dir.join("ties.toml"))
        .map_err(|_| Malformed("ties.toml no longer loads"))?;
    let Counts {
        entities: entity_count,
        relations: relation_count,
        ref cells,
    } = counts;
    let file_count = catalog.files.len();
    let entity_files = catalog.kinds.len();
    let first_entities = 2 + file_count;
    let first_relations = first_entities + entity_count.div_ceil(CHUNK);
    let first_ends = first_relations + relation_count.div_ceil(CHUNK);
    let adjacency_at = first_ends + relation_count.div_ceil(CHUNK);
    if sections.table.len() != adjacency_at + 7 {
        return Err(Malformed("a section count other than the catalog's").into());
    }
    // What stands in for a chunk that cannot be read must itself be valid.
    if relation_count > 0
        && (entity_count == 0 || catalog.rel_types.is_empty() || file_count == entity_files)
    {
        return Err(Malformed("relations without entities, types or files").into());
    }
    let (entity_attrs, relation_attrs) = (catalog.entity_attrs.len(), catalog.relation_attrs.len());
    let (entity_part, adjacency) = std::thread::scope(|scope| {
        // Entities need their files' text to check their spans, and the index their ids.
        let entity_part = scope.spawn(|| -> Result<_, Refused> {
            let mut buffer = Vec::new();
            let stores: Vec<RecordStore> = (0..entity_files)
                .map(|i| read_store(sections, i, entity_attrs, cells[i], &mut buffer))
                .collect::<Result<_, _>>()?;
            let mut entities = Vec::with_capacity(entity_count);
            for i in first_entities..first_relations {
                let bytes = records(sections.bytes(i, &mut buffer)?, Entity::ENCODED)?;
                for record in bytes.chunks_exact(Entity::ENCODED) {
                    entities.push(Entity::decode(record, &catalog.kinds, &stores)?);
                }
            }
            Ok((stores, entities))
        });
        let adjacency = (|| -> Result<_, Refused> {
            let parts = (
                sections.array::<u32>(adjacency_at)?,
                sections.array::<Link>(adjacency_at + 1)?,
                sections.array::<u32>(adjacency_at + 2)?,
                sections.array::<Link>(adjacency_at + 3)?,
            );
            if parts.0.len() != entity_count + 1 {
                return Err(Malformed("an adjacency of another entity count").into());
            }
            let adjacency = Adjacency::from_parts(parts, relation_count).map_err(Malformed)?;
            // On this thread: the entities' is the longer.
            let ids = (
                sections.array::<u64>(adjacency_at + 4)?,
                sections.array::<u32>(adjacency_at + 5)?,
                sections.array::<u32>(adjacency_at + 6)?,
            );
            let index = HashedIds::from_parts(ids, entity_count).map_err(Malformed)?;
            Ok((adjacency, Ids::Hashed(index)))
        })();
        (joined(entity_part), adjacency)
    });
    let (entity_stores, entities) = entity_part?;
    if entities.len() != entity_count {
        return Err(Malformed("another entity count than the catalog's").into());
    }
    let (adjacency, index) = adjacency?;
    // Relations and their ends are read a chunk at a time, when first asked for: a path reads
    // the adjacency and a few relations.
    let chunk_len = move |i: usize| CHUNK.min(relation_count - i * CHUNK);
    let rel_types = catalog.rel_types.len();
    let placeholder_file = u16::try_from(entity_files).map_err(|_| Malformed("too many files"))?;
    let relations = {
        let (source, cells) = (Arc::clone(&source), cells.clone());
        Column::chunked(relation_count, move |i| {
            let read = || -> Result<Box<[Relation]>, Refused> {
                let mut buffer = Vec::new();
                let bytes = records(
                    source.sections.bytes(first_relations + i, &mut buffer)?,
                    Relation::ENCODED,
                )?;
                let chunk: Box<[Relation]> = bytes
                    .chunks_exact(Relation::ENCODED)
                    .map(|record| Relation::decode(record, rel_types, entity_files, &cells))
                    .collect::<Result<_, _>>()?;
                if chunk.len() != chunk_len(i) {
                    return Err(Malformed("a chunk of relations of another length").into());
                }
                Ok(chunk)
            };
            read().unwrap_or_else(|refused| {
                source.refuse(refused);
                vec![Relation::placeholder(placeholder_file); chunk_len(i)].into()
            })
        })
    };
    let ends = {
        let source = Arc::clone(&source);
        Column::chunked(relation_count, move |i| {
            let read = || -> Result<Box<[[u32; 2]]>, Refused> {
                let chunk: Vec<[u32; 2]> = source.sections.array(first_ends + i)?;
                if chunk.len() != chunk_len(i)
                    || chunk
                        .iter()
                        .flatten()
                        .any(|&end| end as usize >= entity_count)
                {
                    return Err(Malformed("relation ends that are not entities").into());
                }
                Ok(chunk.into())
            };
            read().unwrap_or_else(|refused| {
                source.refuse(refused);
                vec![[0, 0]; chunk_len(i)].into()
            })
        })
    };
    for (file, store) in catalog.files.iter_mut().zip(entity_stores) {
        file.store = Store::loaded(store);
    }
    // Relation files' text and attributes (half the snapshot on 5M relations) are read when
    // first asked for: paths, neighbourhoods and most queries never ask.
    for (i, file) in catalog.files.iter_mut().enumerate().skip(entity_files) {
        let (source, cells) = (Arc::clone(&source), cells[i]);
        file.store = Store::deferred(move || {
            let mut buffer = Vec::new();
            let read = read_store(&source.sections, i, relation_attrs, cells, &mut buffer);
            read.unwrap_or_else(|refused| {
                source.refuse(refused);
                RecordStore::new()
            })
        });
    }
    catalog.timings = Timings(
        catalog
            .rel_types
            .iter()
            .map(|rel_type| config.schema.timing(rel_type))
            .collect(),
    );
    Ok(KnowledgeGraph {
        entities,
        relations,
        ends,
        adjacency,
        catalog,
        style: config.style,
        schema: config.schema,
        warnings,
        index,
        opened_from: Some(source),
        by_kind: std::sync::OnceLock::new(),
    })
}

/// The bytes of a section of whole records of `size` bytes.
fn records(mut section: Reader<'_>, size: usize) -> Result<&[u8], Malformed> {
    let count = section.len(size)?;
    let bytes = section.take(count * size)?;
    done(&section)?;
    if count == 0 {
        return Err(Malformed("an empty section of records"));
    }
    Ok(bytes)
}

fn done(section: &Reader<'_>) -> Result<(), Malformed> {
    if section.is_done() {
        Ok(())
    } else {
        Err(Malformed("a section with bytes after its end"))
    }
}

fn pointer_width() -> u8 {
    u8::try_from(std::mem::size_of::<usize>()).expect("a small number")
}

/// The data folder as messages spell it.
fn display(dir: &Path) -> String {
    dir.display().to_string()
}

#[cfg(test)]
// Offsets in test files of a few hundred bytes.
#[allow(clippy::cast_possible_truncation, clippy::format_push_string)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::load::LoadOptions;

    /// A small data folder with every kind of cell, its inputs and its snapshot's bytes.
    fn written() -> (tempfile::TempDir, Inputs, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &str); 3] = [
            (
                "entities/people.csv",
                "id,name,born:date,tags:string[],age:int,ok:bool,score:float\nada,Ada,1815-12,a;b,36,true,0.5\nzoe,\"Zoë, \"\"Z\"\"\",,,,,\n",
            ),
            ("entities/places.csv", "id,name\nkz,Қазақстан\n"),
            (
                "relations/visits.csv",
                "from,type,to,start,end,weight,note\nada,visited,kz,1992,1993-02,2.5,first\nzoe,visited,kz,,,,\nada,knows,zoe,1840-01-02,,,\n",
            ),
        ];
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let mut inputs = Inputs::of(dir.path(), &LoadOptions::default());
        inputs.recently_modified = false;
        let kg = KnowledgeGraph::load(dir.path()).unwrap();
        let file = dir.path().join("s");
        assert!(write(&file, &kg, dir.path(), &inputs).unwrap());
        let bytes = std::fs::read(&file).unwrap();
        (dir, inputs, bytes)
    }

    /// The table of sections: offset and length of each.
    fn table(bytes: &[u8]) -> Vec<(usize, usize)> {
        let (at, len) = (u64_at(bytes, 24) as usize, u64_at(bytes, 32) as usize);
        bytes[at..at + len]
            .chunks_exact(ENTRY)
            .map(|e| (u64_at(e, 0) as usize, u64_at(e, 8) as usize))
            .collect()
    }

    /// Recomputes every hash after an edit, as a forger would.
    fn rehash(bytes: &mut [u8]) {
        let (at, len) = (u64_at(bytes, 24) as usize, u64_at(bytes, 32) as usize);
        for (i, (offset, size)) in table(bytes).into_iter().enumerate() {
            let hash = xxh3_64(&bytes[offset..offset + size]);
            let entry = at + i * ENTRY + 16;
            bytes[entry..entry + 8].copy_from_slice(&hash.to_le_bytes());
        }
        let hash = xxh3_64(&bytes[at..at + len]);
        bytes[40..48].copy_from_slice(&hash.to_le_bytes());
    }

    fn open_bytes(dir: &Path, inputs: &Inputs, bytes: &[u8]) -> Opened {
        let file = dir.join("forged");
        std::fs::write(&file, bytes).unwrap();
        open(&file, dir, inputs)
    }

    fn damaged(opened: Opened) -> String {
        match opened {
            Opened::Damaged(why) => why,
            other => panic!("expected a damaged snapshot, got {other:?}"),
        }
    }

    #[test]
    fn a_whole_snapshot_opens_and_a_stale_key_or_version_is_stale() {
        let (dir, inputs, bytes) = written();
        assert!(matches!(
            open_bytes(dir.path(), &inputs, &bytes),
            Opened::Current(_)
        ));
        let mut other = inputs.clone();
        other.key.push(0);
        assert!(matches!(
            open_bytes(dir.path(), &other, &bytes),
            Opened::Stale
        ));
        let mut newer = bytes.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert!(matches!(
            open_bytes(dir.path(), &inputs, &newer),
            Opened::Stale
        ));
        assert!(matches!(
            open(&dir.path().join("none"), dir.path(), &inputs),
            Opened::Absent
        ));
    }

    #[test]
    fn forged_values_with_good_hashes_are_refused_as_the_loader_would() {
        let (dir, inputs, bytes) = written();
        let sections = table(&bytes);
        // Sections: key, catalog, three stores, entities, relations, ends, adjacency.
        let (entities, relations, ends, out_links) =
            (sections[5], sections[6], sections[7], sections[9]);
        let forge = |at: usize, value: &[u8]| {
            let mut forged = bytes.clone();
            forged[at..at + value.len()].copy_from_slice(value);
            rehash(&mut forged);
            // Refused when opening, or when the part read on first use is read.
            match open_bytes(dir.path(), &inputs, &forged) {
                Opened::Current(kg) => {
                    walk(&kg);
                    let why = kg
                        .snapshot_damage()
                        .expect("the forgery is found when read");
                    why.rsplit(": ").next().unwrap().to_owned()
                }
                other => damaged(other),
            }
        };
        let first_relation = relations.0 + 8;
        assert_eq!(
            forge(first_relation, &[9, 0]),
            "a relation of an unknown type or file"
        );
        assert_eq!(
            forge(first_relation + 8, &[0xff; 4]),
            "a relation date that is not a date"
        );
        assert_eq!(
            forge(first_relation + 16, &f64::INFINITY.to_le_bytes()),
            "a relation weight that is not finite"
        );
        assert_eq!(
            forge(first_relation + 24, &[0, 0, 0, 1]),
            "a cell span outside its store"
        );
        let first_entity = entities.0 + 8;
        assert_eq!(
            forge(first_entity + 4, &[200, 0, 0, 0]),
            "a text span outside its text"
        );
        assert_eq!(
            forge(first_entity + 16, &[7, 0]),
            "an entity of an unknown kind"
        );
        assert_eq!(
            forge(ends.0, &[9, 0, 0, 0]),
            "relation ends that are not entities"
        );
        assert_eq!(
            forge(out_links.0, &[9, 0, 0, 0]),
            "a link out of bounds or out of order"
        );
        assert_eq!(
            forge(out_links.0 + 4, &[9, 0, 0, 0]),
            "a link out of bounds or out of order"
        );
        let positions = sections[13];
        assert_eq!(
            forge(positions.0, &[9, 0, 0, 0]),
            "an id index pointing past the entities"
        );
    }

    #[test]
    fn damage_in_a_part_read_on_first_use_is_found_when_it_is_read() {
        let (dir, inputs, mut bytes) = written();
        // Sections: key, catalog, two entity stores, then the relation file's store.
        let (offset, len) = table(&bytes)[4];
        bytes[offset + len / 2] ^= 1;
        let Opened::Current(kg) = open_bytes(dir.path(), &inputs, &bytes) else {
            panic!("the damaged part is not read when opening");
        };
        assert_eq!(kg.snapshot_damage(), None);
        walk(&kg);
        let why = kg.snapshot_damage().unwrap();
        assert!(
            why.ends_with("a section whose bytes do not match their hash"),
            "{why}"
        );
    }

    #[test]
    fn damaged_headers_and_tables_are_refused() {
        let (dir, inputs, bytes) = written();
        let mut cases: Vec<Vec<u8>> = vec![Vec::new(), bytes[..HEADER].to_vec()];
        let mut forged = bytes.clone();
        forged[24..32].copy_from_slice(&(HEADER as u64).to_le_bytes());
        cases.push(forged);
        let mut forged = bytes.clone();
        let at = u64_at(&bytes, 24) as usize;
        forged[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        rehash_table_only(&mut forged);
        cases.push(forged);
        for case in cases {
            damaged(open_bytes(dir.path(), &inputs, &case));
        }
    }

    /// Recomputes only the table's hash, after an edit of the table itself.
    fn rehash_table_only(bytes: &mut [u8]) {
        let (at, len) = (u64_at(bytes, 24) as usize, u64_at(bytes, 32) as usize);
        let hash = xxh3_64(&bytes[at..at + len]);
        bytes[40..48].copy_from_slice(&hash.to_le_bytes());
    }

    /// Reads every part of every entity and relation, as the commands do.
    fn walk(kg: &KnowledgeGraph) {
        let mut text = String::new();
        for node in kg.node_indices() {
            text.push_str(kg.id(node));
            text.push_str(kg.name(node));
            text.push_str(kg.kind(node));
            for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
                text.push_str(&format!("{}={value}", def.name));
            }
            text.push_str(&kg.degree(node).to_string());
        }
        for edge in kg.edge_indices() {
            let relation = kg.relation(edge);
            let (from, to) = kg.endpoints(edge);
            text.push_str(&format!(
                "{}{}{}",
                kg.id(from),
                kg.rel_type(edge),
                kg.id(to)
            ));
            text.push_str(&format!(
                "{:?}{:?}",
                relation.date_label(),
                relation.weight()
            ));
            text.push_str(&kg.relation_origin(edge));
            for (def, value) in kg.catalog.relation_attrs(relation) {
                text.push_str(&format!("{}={value}", def.name));
            }
        }
        assert!(!text.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any edit, its hashes recomputed or not, opens or is refused: never a panic.
        #[test]
        fn any_edited_snapshot_opens_or_is_refused(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            recompute in any::<bool>(),
        ) {
            let (dir, inputs, mut bytes) = written();
            let past_key = HEADER + inputs.key.len();
            for (at, value) in edits {
                let at = past_key + at.index(bytes.len() - past_key);
                bytes[at] = value;
            }
            if recompute && u64_at(&bytes, 24) as usize + u64_at(&bytes, 32) as usize <= bytes.len() {
                let table = table(&bytes);
                if table.iter().all(|&(at, len)| at.checked_add(len).is_some_and(|end| end <= bytes.len())) {
                    rehash(&mut bytes);
                }
            }
            match open_bytes(dir.path(), &inputs, &bytes) {
                Opened::Current(kg) => walk(&kg),
                Opened::Damaged(_) | Opened::Stale => {}
                Opened::Absent => prop_assert!(false, "the file is there"),
            }
        }
    }
}
