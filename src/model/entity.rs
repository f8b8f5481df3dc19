//! Entities and relations as stored in the graph, and the catalog that names their parts.
//!
//! An [`Entity`] or [`Relation`] is a few bytes of ids and spans; its text lives in the
//! record store of the file it came from, which the [`Catalog`] owns. Nothing here reads
//! files.

use std::sync::OnceLock;

use crate::model::bytes::{Malformed, Writer};
use crate::model::date::{PartialDate, span_label};
use crate::model::schema::Timings;
use crate::model::store::{AttrId, CellSpan, RecordStore, TextSpan};
use crate::model::value::{ColumnType, ValueRef};

/// The index of a source file in the catalog.
pub type FileId = u16;
/// The index of an entity kind (an entity file stem) in the catalog.
pub type KindId = u16;
/// The index of a relation type in the catalog.
pub type RelTypeId = u16;

/// Where a record came from: its file and the physical line it starts on (header = line 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The source file.
    pub file: FileId,
    /// The record's first line.
    pub line: u32,
}

/// One entity: a row of an entity file.
#[derive(Clone, Copy, Debug)]
pub struct Entity {
    /// The unique id.
    pub id: TextSpan,
    /// The display name, when the `name` cell is not empty.
    pub name: Option<TextSpan>,
    /// The kind, from the file name.
    pub kind: KindId,
    /// The other attributes.
    pub attrs: CellSpan,
    /// The file and line.
    pub origin: Origin,
}

impl Entity {
    /// The bytes [`Entity::encode`] writes.
    pub(crate) const ENCODED: usize = 36;

    /// Writes the entity as [`Entity::ENCODED`] little-endian bytes.
    pub(crate) fn encode(&self, out: &mut Writer) {
        let (id_start, id_len) = self.id.to_raw();
        let (name_start, name_len) = self.name.map_or((0, 0), TextSpan::to_raw);
        let (attrs_start, attrs_len) = self.attrs.to_raw();
        for value in [id_start, id_len, name_start, name_len] {
            out.u32(value);
        }
        out.u16(self.kind);
        out.u16(self.origin.file);
        for value in [self.origin.line, attrs_start, attrs_len] {
            out.u32(value);
        }
        out.u32(u32::from(self.name.is_some()));
    }

    /// Reads an entity [`Entity::encode`] wrote, checking its kind against `kinds` and its
    /// file and spans against `stores`, the stores of the entity files.
    pub(crate) fn decode(
        bytes: &[u8],
        kinds: &[String],
        stores: &[RecordStore],
    ) -> Result<Self, Malformed> {
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4"));
        let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().expect("2"));
        let (kind, file) = (u16_at(16), u16_at(18));
        if usize::from(kind) >= kinds.len() {
            return Err(Malformed("an entity of an unknown kind"));
        }
        let store = stores
            .get(usize::from(file))
            .ok_or(Malformed("an entity from an unknown file"))?;
        let text = store.all_text();
        let name = match u32_at(32) {
            0 => None,
            1 => Some(TextSpan::checked(u32_at(8), u32_at(12), text)?),
            _ => return Err(Malformed("an entity whose name is neither given nor not")),
        };
        let attrs = CellSpan::checked(u32_at(24), u32_at(28), store.cell_count())?;
        Ok(Entity {
            id: TextSpan::checked(u32_at(0), u32_at(4), text)?,
            name,
            kind,
            attrs,
            origin: Origin {
                file,
                line: u32_at(20),
            },
        })
    }
}

/// One relation: a row of a relation file. Its endpoints are the edge's in the graph.
#[derive(Clone, Copy, Debug)]
pub struct Relation {
    /// The relation type.
    pub rel_type: RelTypeId,
    // The origin is stored flat so that `rel_type` and `file` share one word: 32 bytes a
    // relation instead of 40, which is 80 MB less at peak on a 5M-relation load.
    file: FileId,
    line: u32,
    /// When it began, if known.
    pub start: Option<PartialDate>,
    /// When it ended, if known.
    pub end: Option<PartialDate>,
    // NaN means "no weight": keeps the struct at 32 bytes (`ties check` refuses NaN cells).
    weight: f64,
    /// The other attributes (provenance: `source`, `note`, ...).
    pub attrs: CellSpan,
}

impl Relation {
    /// Returns a relation; `weight` must be finite when given.
    #[must_use]
    pub(crate) fn new(
        rel_type: RelTypeId,
        origin: Origin,
        start: Option<PartialDate>,
        end: Option<PartialDate>,
        weight: Option<f64>,
        attrs: CellSpan,
    ) -> Self {
        Relation {
            rel_type,
            file: origin.file,
            line: origin.line,
            start,
            end,
            weight: weight.unwrap_or(f64::NAN),
            attrs,
        }
    }

    /// Returns the file and line of the row.
    #[must_use]
    pub fn origin(&self) -> Origin {
        Origin {
            file: self.file,
            line: self.line,
        }
    }

    /// Sets the file, once the loader knows the file's place in the catalog.
    pub(crate) fn set_file(&mut self, file: FileId) {
        self.file = file;
    }

    /// Returns the weight, if the row gave one.
    #[must_use]
    pub fn weight(&self) -> Option<f64> {
        (!self.weight.is_nan()).then_some(self.weight)
    }

    /// The bytes [`Relation::encode`] writes.
    pub(crate) const ENCODED: usize = 32;

    /// A relation of type 0 from `file` with nothing else: what stands in for relations a
    /// damaged snapshot could not give (the command then runs again on the data files).
    pub(crate) fn placeholder(file: FileId) -> Self {
        Relation::new(
            0,
            Origin { file, line: 0 },
            None,
            None,
            None,
            CellSpan::default(),
        )
    }

    /// Writes the relation as [`Relation::ENCODED`] little-endian bytes.
    pub(crate) fn encode(&self, out: &mut Writer) {
        out.u16(self.rel_type);
        out.u16(self.file);
        out.u32(self.line);
        out.u32(self.start.map_or(0, PartialDate::to_bits));
        out.u32(self.end.map_or(0, PartialDate::to_bits));
        out.u64(self.weight.to_bits());
        let (attrs_start, attrs_len) = self.attrs.to_raw();
        out.u32(attrs_start);
        out.u32(attrs_len);
    }

    /// Reads a relation [`Relation::encode`] wrote, checking its type against the number of
    /// types, its file against the number of entity files (relation files come after them)
    /// and `cells`, the number of cells of each file, and its dates and weight.
    pub(crate) fn decode(
        bytes: &[u8],
        rel_types: usize,
        entity_files: usize,
        cells: &[usize],
    ) -> Result<Self, Malformed> {
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4"));
        let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().expect("2"));
        let (rel_type, file) = (u16_at(0), u16_at(2));
        // Relation files come after the entity files, one per kind.
        if usize::from(rel_type) >= rel_types || usize::from(file) < entity_files {
            return Err(Malformed("a relation of an unknown type or file"));
        }
        let cells = *cells
            .get(usize::from(file))
            .ok_or(Malformed("a relation from an unknown file"))?;
        let date = |bits: u32| match bits {
            0 => Ok(None),
            bits => PartialDate::from_bits(bits)
                .map(Some)
                .ok_or(Malformed("a relation date that is not a date")),
        };
        let weight = f64::from_bits(u64::from_le_bytes(bytes[16..24].try_into().expect("8")));
        if weight.is_infinite() {
            return Err(Malformed("a relation weight that is not finite"));
        }
        Ok(Relation {
            rel_type,
            file,
            line: u32_at(4),
            start: date(u32_at(8))?,
            end: date(u32_at(12))?,
            weight,
            attrs: CellSpan::checked(u32_at(24), u32_at(28), cells)?,
        })
    }

    /// Returns the dates as people write them: `1992-08`, `1992 – 1996`, `until 1996`, or
    /// `None` when undated.
    #[must_use]
    pub fn date_label(&self) -> Option<String> {
        span_label(self.start, self.end)
    }
}

/// An attribute column: its name and declared type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrDef {
    /// The column name without its suffix.
    pub name: String,
    /// The declared type.
    pub column_type: ColumnType,
}

/// A loaded source file: its path (as the user spelled the data dir) and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path to show in messages: the data folder as the user named it, then the file.
    pub path: String,
    /// The path inside the data folder (`relations/visits.csv`): what pages and exports
    /// show, so that they never carry the machine's own paths.
    pub relative: String,
    /// The strings and attributes of its records.
    pub store: Store,
    /// The header's column names, in order, without type suffixes (empty for a file whose
    /// header could not be read).
    pub columns: Vec<String>,
}

/// A file's store: in memory, or read on first use by a loader the graph's snapshot gives
/// (this layer does no I/O), so that a command that never reads relation attributes never
/// reads them from the snapshot.
pub struct Store {
    cell: OnceLock<RecordStore>,
    deferred: Option<Box<dyn Fn() -> RecordStore + Send + Sync>>,
}

impl Store {
    /// A store in memory.
    #[must_use]
    pub fn loaded(store: RecordStore) -> Self {
        Store {
            cell: OnceLock::from(store),
            deferred: None,
        }
    }

    /// A store `load` reads on first use.
    pub(crate) fn deferred(load: impl Fn() -> RecordStore + Send + Sync + 'static) -> Self {
        Store {
            cell: OnceLock::new(),
            deferred: Some(Box::new(load)),
        }
    }

    /// Returns the store, reading it first if it is deferred.
    pub fn get(&self) -> &RecordStore {
        self.cell.get_or_init(|| {
            self.deferred
                .as_ref()
                .map_or_else(RecordStore::new, |load| load())
        })
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::loaded(RecordStore::new())
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cell.get() {
            Some(store) => store.fmt(f),
            None => f.write_str("Store(deferred)"),
        }
    }
}

/// The names behind every id: files, kinds, relation types and attribute columns.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Source files, entity files first, each group in name order.
    pub files: Vec<SourceFile>,
    /// Entity kinds, in entity file order.
    pub kinds: Vec<String>,
    /// Relation types, in order of first appearance.
    pub rel_types: Vec<String>,
    /// Entity attribute columns, in order of first appearance in the headers.
    pub entity_attrs: Vec<AttrDef>,
    /// Relation attribute columns, in order of first appearance in the headers.
    pub relation_attrs: Vec<AttrDef>,
    /// How each relation type lives in time (from the schema in `ties.toml`).
    pub timings: Timings,
}

impl Catalog {
    /// Returns the id of an entity.
    #[must_use]
    pub fn entity_id(&self, entity: &Entity) -> &str {
        self.files[usize::from(entity.origin.file)]
            .store
            .get()
            .text(entity.id)
    }

    /// Returns the display name of an entity: its `name`, or its id.
    #[must_use]
    pub fn entity_name(&self, entity: &Entity) -> &str {
        let store = self.files[usize::from(entity.origin.file)].store.get();
        store.text(entity.name.unwrap_or(entity.id))
    }

    /// Returns the kind name of an entity.
    #[must_use]
    pub fn kind_name(&self, kind: KindId) -> &str {
        &self.kinds[usize::from(kind)]
    }

    /// Returns the relation type name.
    #[must_use]
    pub fn rel_type_name(&self, rel_type: RelTypeId) -> &str {
        &self.rel_types[usize::from(rel_type)]
    }

    /// Returns the attributes of an entity with their definitions, in column order.
    pub fn entity_attrs<'a>(
        &'a self,
        entity: &Entity,
    ) -> impl Iterator<Item = (&'a AttrDef, ValueRef<'a>)> {
        let store = self.files[usize::from(entity.origin.file)].store.get();
        store
            .cells(entity.attrs)
            .map(|(attr, value)| (&self.entity_attrs[usize::from(attr)], value))
    }

    /// Returns the attributes of a relation with their definitions, in column order.
    pub fn relation_attrs<'a>(
        &'a self,
        relation: &Relation,
    ) -> impl Iterator<Item = (&'a AttrDef, ValueRef<'a>)> {
        let store = self.files[usize::from(relation.file)].store.get();
        store
            .cells(relation.attrs)
            .map(|(attr, value)| (&self.relation_attrs[usize::from(attr)], value))
    }

    /// Returns the attributes of an entity by attribute id, in column order.
    pub fn entity_cells<'a>(
        &'a self,
        entity: &Entity,
    ) -> impl Iterator<Item = (AttrId, ValueRef<'a>)> {
        self.files[usize::from(entity.origin.file)]
            .store
            .get()
            .cells(entity.attrs)
    }

    /// Returns the attributes of a relation by attribute id, in column order.
    pub fn relation_cells<'a>(
        &'a self,
        relation: &Relation,
    ) -> impl Iterator<Item = (AttrId, ValueRef<'a>)> {
        self.files[usize::from(relation.file)]
            .store
            .get()
            .cells(relation.attrs)
    }

    /// Returns one attribute of a relation by column name.
    #[must_use]
    pub fn relation_attr<'a>(&'a self, relation: &Relation, name: &str) -> Option<ValueRef<'a>> {
        self.relation_attrs(relation)
            .find(|(def, _)| def.name == name)
            .map(|(_, value)| value)
    }

    /// Returns one attribute of an entity by column name.
    #[must_use]
    pub fn entity_attr<'a>(&'a self, entity: &Entity, name: &str) -> Option<ValueRef<'a>> {
        self.entity_attrs(entity)
            .find(|(def, _)| def.name == name)
            .map(|(_, value)| value)
    }

    /// Returns the entity file of a kind: entity files come first in the catalog, one per
    /// kind, in kind order.
    #[must_use]
    pub fn kind_file(&self, kind: usize) -> &SourceFile {
        &self.files[kind]
    }

    /// Returns the path of a source file.
    #[must_use]
    pub fn file_path(&self, file: FileId) -> &str {
        &self.files[usize::from(file)].path
    }

    /// Returns the path of `file` inside the data folder.
    #[must_use]
    pub fn relative_path(&self, file: FileId) -> &str {
        &self.files[usize::from(file)].relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stay_small() {
        // contract: built for millions of rows; a relation is 32 bytes, its ends 8 and its two adjacency links 16.
        assert_eq!(std::mem::size_of::<Relation>(), 32);
        assert!(std::mem::size_of::<Entity>() <= 40);
    }

    #[test]
    fn missing_weight_is_none() {
        let origin = Origin { file: 0, line: 2 };
        let r = Relation::new(0, origin, None, None, None, CellSpan::default());
        assert_eq!(r.weight(), None);
        let r = Relation::new(0, origin, None, None, Some(0.0), CellSpan::default());
        assert_eq!(r.weight(), Some(0.0));
    }
}
