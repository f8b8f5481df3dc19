//! Compact storage for the text and attributes of one source file.
//!
//! Millions of relations each with a provenance note would cost two heap allocations per value
//! as `Box<str>`s; here every string of a file lives in one `String` and every attribute in one
//! `Vec`, addressed by 32-bit spans. A file whose text exceeds 4 GiB is refused at load.

use crate::model::date::PartialDate;
use crate::model::value::{ListRef, Scalar, ScalarType, ValueRef};

/// A range of bytes in a store's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpan {
    start: u32,
    len: u32,
}

/// A range of attribute cells in a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CellSpan {
    start: u32,
    len: u32,
}

impl CellSpan {
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
        &self.text[span.start as usize..(span.start + span.len) as usize]
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
        let range = span.start as usize..(span.start + span.len) as usize;
        self.attr_ids[range.clone()]
            .iter()
            .zip(&self.cells[range])
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

    /// Releases spare capacity once the file is loaded.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.attr_ids.shrink_to_fit();
        self.cells.shrink_to_fit();
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
