//! Compact storage for the text and attributes of one source file.
//!
//! Millions of relations each with a provenance note would cost two heap allocations per value
//! as `Box<str>`s; here every string of a file lives in one `String` and every attribute in one
//! `Vec`, addressed by 32-bit spans. A file whose text exceeds 4 GiB is refused at load.

use crate::model::bytes::{Malformed, Reader, Writer};
use crate::model::date::PartialDate;
use crate::model::value::{ListRef, Scalar, ScalarType, ValueRef, list_items, parse_scalar};

/// A range of bytes in a store's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpan {
    start: u32,
    len: u32,
}

impl TextSpan {
    /// Returns `(start, len)`, as the snapshot stores them.
    pub(crate) fn to_raw(self) -> (u32, u32) {
        (self.start, self.len)
    }

    /// Returns the span `(start, len)` if it lies within `text` on character boundaries.
    pub(crate) fn checked(start: u32, len: u32, text: &str) -> Result<Self, Malformed> {
        let end = start
            .checked_add(len)
            .ok_or(Malformed("a text span past 4 GiB"))?;
        if text.get(start as usize..end as usize).is_none() {
            return Err(Malformed("a text span outside its text"));
        }
        Ok(TextSpan { start, len })
    }
}

/// A range of attribute cells in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CellSpan {
    start: u32,
    len: u32,
}

impl CellSpan {
    /// Returns `(start, len)`, as the snapshot stores them.
    pub(crate) fn to_raw(self) -> (u32, u32) {
        (self.start, self.len)
    }

    /// Returns the span `(start, len)` if it lies within the first `cells` cells.
    pub(crate) fn checked(start: u32, len: u32, cells: usize) -> Result<Self, Malformed> {
        let end = start
            .checked_add(len)
            .ok_or(Malformed("a cell span past 4 G"))?;
        if end as usize > cells {
            return Err(Malformed("a cell span outside its store"));
        }
        Ok(CellSpan { start, len })
    }

    /// Returns the number of attribute cells.
    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Returns whether there are no cells.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// The index of an attribute definition in the catalog.
pub type AttrId = u16;

#[derive(Clone, Copy, Debug)]
enum Cell {
    Str(TextSpan),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(PartialDate),
    List(ScalarType, TextSpan),
}

/// The store was asked to hold more than 4 GiB of text or 4 G cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("more than 4 GiB of text in one file; split the file")]
pub struct StoreFull;

/// The text and attribute cells of one source file.
#[derive(Debug, Default)]
pub struct RecordStore {
    text: String,
    attr_ids: Vec<AttrId>,
    cells: Vec<Cell>,
}

impl RecordStore {
    /// Returns an empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `text` and returns its span.
    ///
    /// # Errors
    /// Returns [`StoreFull`] past 4 GiB.
    pub fn push_text(&mut self, text: &str) -> Result<TextSpan, StoreFull> {
        let start = u32::try_from(self.text.len()).map_err(|_| StoreFull)?;
        let len = u32::try_from(text.len()).map_err(|_| StoreFull)?;
        start.checked_add(len).ok_or(StoreFull)?;
        self.text.push_str(text);
        Ok(TextSpan { start, len })
    }

    /// Returns the text of `span`.
    #[must_use]
    pub fn text(&self, span: TextSpan) -> &str {
        // Total, never a panic: a span checked against another store (a snapshot's part that
        // failed to read is an empty store) gives empty text.
        let end = span.start.saturating_add(span.len);
        self.text
            .get(span.start as usize..end as usize)
            .unwrap_or("")
    }

    /// Returns the span that the next pushed cells will start.
    ///
    /// # Errors
    /// Returns [`StoreFull`] past 4 G cells.
    pub fn begin_cells(&self) -> Result<CellSpan, StoreFull> {
        Ok(CellSpan {
            start: u32::try_from(self.cells.len()).map_err(|_| StoreFull)?,
            len: 0,
        })
    }

    /// Ends the span begun by [`RecordStore::begin_cells`].
    ///
    /// # Errors
    /// Returns [`StoreFull`] past 4 G cells.
    pub fn end_cells(&self, begun: CellSpan) -> Result<CellSpan, StoreFull> {
        let end = u32::try_from(self.cells.len()).map_err(|_| StoreFull)?;
        Ok(CellSpan {
            start: begun.start,
            len: end - begun.start,
        })
    }

    /// Appends one scalar attribute; `text` is the cell text, kept for strings.
    ///
    /// # Errors
    /// Returns [`StoreFull`] past 4 GiB of text.
    pub fn push_scalar(
        &mut self,
        attr: AttrId,
        scalar: Scalar,
        text: &str,
    ) -> Result<(), StoreFull> {
        let cell = match scalar {
            Scalar::String => Cell::Str(self.push_text(text)?),
            Scalar::Int(value) => Cell::Int(value),
            Scalar::Float(value) => Cell::Float(value),
            Scalar::Bool(value) => Cell::Bool(value),
            Scalar::Date(value) => Cell::Date(value),
        };
        self.attr_ids.push(attr);
        self.cells.push(cell);
        Ok(())
    }

    /// Appends one array attribute whose `text` was validated against `scalar`.
    ///
    /// # Errors
    /// Returns [`StoreFull`] past 4 GiB of text.
    pub fn push_list(
        &mut self,
        attr: AttrId,
        scalar: ScalarType,
        text: &str,
    ) -> Result<(), StoreFull> {
        let span = self.push_text(text)?;
        self.attr_ids.push(attr);
        self.cells.push(Cell::List(scalar, span));
        Ok(())
    }

    /// Returns the attributes of `span`, in column order.
    pub fn cells(&self, span: CellSpan) -> impl Iterator<Item = (AttrId, ValueRef<'_>)> {
        let range = span.start as usize..span.start.saturating_add(span.len) as usize;
        // Total, as `text` is.
        let attr_ids = self.attr_ids.get(range.clone()).unwrap_or_default();
        let cells = self.cells.get(range).unwrap_or_default();
        attr_ids
            .iter()
            .zip(cells)
            .map(|(&attr, cell)| (attr, self.value(cell)))
    }

    fn value(&self, cell: &Cell) -> ValueRef<'_> {
        match *cell {
            Cell::Str(span) => ValueRef::Str(self.text(span)),
            Cell::Int(value) => ValueRef::Int(value),
            Cell::Float(value) => ValueRef::Float(value),
            Cell::Bool(value) => ValueRef::Bool(value),
            Cell::Date(value) => ValueRef::Date(value),
            Cell::List(scalar, span) => ValueRef::List(ListRef {
                scalar,
                text: self.text(span),
            }),
        }
    }

    /// Returns the bytes of text and the number of cells stored so far.
    #[must_use]
    pub fn usage(&self) -> (usize, usize) {
        (self.text.len(), self.cells.len())
    }

    /// Reserves room for `text_bytes` more bytes of text and `cells` more cells.
    pub fn reserve(&mut self, text_bytes: usize, cells: usize) {
        self.text.reserve(text_bytes);
        self.attr_ids.reserve(cells);
        self.cells.reserve(cells);
    }

    /// Returns the number of cells.
    pub(crate) fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// Returns the text, for checking a span against it.
    pub(crate) fn all_text(&self) -> &str {
        &self.text
    }

    /// Writes the store: its text, then each cell's attribute id, then each cell as a tag
    /// byte and eight bytes of payload (a number, a date, or a text span's start and length).
    pub(crate) fn encode(&self, out: &mut Writer) {
        out.str(&self.text);
        out.len(self.cells.len());
        for &attr in &self.attr_ids {
            out.u16(attr);
        }
        for cell in &self.cells {
            let span = |span: TextSpan| u64::from(span.start) | (u64::from(span.len) << 32);
            let (tag, payload) = match *cell {
                Cell::Str(text) => (0, span(text)),
                Cell::Int(value) => (1, value.cast_unsigned()),
                Cell::Float(value) => (2, value.to_bits()),
                Cell::Bool(value) => (3, u64::from(value)),
                Cell::Date(value) => (4, u64::from(value.to_bits())),
                Cell::List(scalar, text) => (5 + scalar_tag(scalar), span(text)),
            };
            out.u8(tag);
            out.u64(payload);
        }
    }

    /// Reads a store [`RecordStore::encode`] wrote, its `text` already read (the snapshot reads
    /// the text straight into its string, not through a buffer), checking every cell as the
    /// loader did: spans within the text, finite floats, real dates, list items of their
    /// type, and attribute ids below `attr_count`.
    pub(crate) fn decode_after_text(
        text: String,
        input: &mut Reader<'_>,
        attr_count: usize,
    ) -> Result<Self, Malformed> {
        let count = input.len(11)?;
        let attr_ids: Vec<AttrId> = input
            .take(count * 2)?
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        if attr_ids.iter().any(|&attr| usize::from(attr) >= attr_count) {
            return Err(Malformed("a cell of an unknown attribute"));
        }
        let cells = input
            .take(count * 9)?
            .chunks_exact(9)
            .map(|b| {
                let payload = u64::from_le_bytes(b[1..9].try_into().expect("eight bytes"));
                let span = || {
                    let [start, len] = [payload & 0xffff_ffff, payload >> 32]
                        .map(|half| u32::try_from(half).expect("32 bits"));
                    TextSpan::checked(start, len, &text)
                };
                Ok(match b[0] {
                    0 => Cell::Str(span()?),
                    1 => Cell::Int(payload.cast_signed()),
                    2 => Cell::Float(
                        Some(f64::from_bits(payload))
                            .filter(|v| v.is_finite())
                            .ok_or(Malformed("a float cell that is not finite"))?,
                    ),
                    3 if payload <= 1 => Cell::Bool(payload == 1),
                    4 => Cell::Date(
                        u32::try_from(payload)
                            .ok()
                            .and_then(PartialDate::from_bits)
                            .ok_or(Malformed("a date cell that is not a date"))?,
                    ),
                    tag @ 5..=9 => {
                        let scalar = SCALARS[usize::from(tag - 5)];
                        let span = span()?;
                        let list = &text[span.start as usize..(span.start + span.len) as usize];
                        if list_items(list).any(|item| parse_scalar(scalar, item).is_err()) {
                            return Err(Malformed("a list cell with an item of another type"));
                        }
                        Cell::List(scalar, span)
                    }
                    _ => return Err(Malformed("a cell of an unknown kind")),
                })
            })
            .collect::<Result<Vec<Cell>, Malformed>>()?;
        Ok(RecordStore {
            text,
            attr_ids,
            cells,
        })
    }

    /// Releases spare capacity once the file is loaded.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.attr_ids.shrink_to_fit();
        self.cells.shrink_to_fit();
    }
}

/// The scalar types in the order of their list tags.
const SCALARS: [ScalarType; 5] = [
    ScalarType::String,
    ScalarType::Int,
    ScalarType::Float,
    ScalarType::Bool,
    ScalarType::Date,
];

fn scalar_tag(scalar: ScalarType) -> u8 {
    match scalar {
        ScalarType::String => 0,
        ScalarType::Int => 1,
        ScalarType::Float => 2,
        ScalarType::Bool => 3,
        ScalarType::Date => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_come_back_in_order_with_their_text() {
        let mut store = RecordStore::new();
        let id = store.push_text("kz").unwrap();
        let begun = store.begin_cells().unwrap();
        store.push_scalar(3, Scalar::String, "a \"note\"").unwrap();
        store.push_scalar(1, Scalar::Int(7), "7").unwrap();
        store.push_list(2, ScalarType::String, "x;y").unwrap();
        let span = store.end_cells(begun).unwrap();
        assert_eq!(store.text(id), "kz");
        let cells: Vec<_> = store.cells(span).map(|(a, v)| (a, v.to_string())).collect();
        assert_eq!(
            cells,
            [(3, "a \"note\"".into()), (1, "7".into()), (2, "x;y".into())]
        );
        assert_eq!(std::mem::size_of::<Cell>(), 16);
    }
}
