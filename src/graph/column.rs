//! An array of records held whole, or in chunks read on first use from a snapshot.
//!
//! A path between two entities reads the adjacency and a handful of relations; reading all 5M
//! relations and their ends from the snapshot first would be most of its time and memory.

use std::sync::OnceLock;

/// Records per chunk: a chunk is a section of the snapshot.
pub(crate) const CHUNK: usize = 1 << 16;

/// Reads chunk `i` (never failing: a chunk that cannot be read comes back as placeholders,
/// and the snapshot records why).
type Loader<T> = Box<dyn Fn(usize) -> Box<[T]> + Send + Sync>;

/// Records by position.
pub(crate) enum Column<T> {
    /// All in memory.
    Whole(Vec<T>),
    /// `len` records in chunks of [`CHUNK`], each read on first use.
    Chunked {
        len: usize,
        chunks: Box<[OnceLock<Box<[T]>>]>,
        load: Loader<T>,
    },
}

impl<T> Column<T> {
    /// A column of `len` records that `load` reads chunk by chunk.
    pub fn chunked(len: usize, load: impl Fn(usize) -> Box<[T]> + Send + Sync + 'static) -> Self {
        Column::Chunked {
            len,
            chunks: (0..len.div_ceil(CHUNK)).map(|_| OnceLock::new()).collect(),
            load: Box::new(load),
        }
    }

    /// Returns the number of records.
    pub fn len(&self) -> usize {
        match self {
            Column::Whole(records) => records.len(),
            Column::Chunked { len, .. } => *len,
        }
    }

    /// Returns chunk `i`, reading it first if need be.
    fn chunk(&self, i: usize) -> &[T] {
        match self {
            Column::Whole(records) => &records[i * CHUNK..records.len().min((i + 1) * CHUNK)],
            Column::Chunked { chunks, load, .. } => chunks[i].get_or_init(|| load(i)),
        }
    }

    /// Returns record `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Column::len`], as a slice would.
    pub fn get(&self, i: usize) -> &T {
        match self {
            Column::Whole(records) => &records[i],
            Column::Chunked { .. } => &self.chunk(i / CHUNK)[i % CHUNK],
        }
    }

    /// Returns the records in chunks, in order.
    pub fn chunks(&self) -> impl Iterator<Item = &[T]> {
        (0..self.len().div_ceil(CHUNK)).map(|i| self.chunk(i))
    }

    /// Returns the records in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks().flatten()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Whole(records) => records.fmt(f),
            Column::Chunked { len, .. } => write!(f, "Column({len} records, read on first use)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_read_once_on_first_use_and_read_like_a_slice() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let reads = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&reads);
        let len = CHUNK * 2 + 5;
        let column = Column::chunked(len, move |i| {
            counted.fetch_add(1, Ordering::SeqCst);
            let start = i * CHUNK;
            (start..len.min(start + CHUNK)).collect()
        });
        assert_eq!(column.len(), len);
        assert_eq!(reads.load(Ordering::SeqCst), 0);
        assert_eq!(*column.get(CHUNK + 3), CHUNK + 3);
        assert_eq!(*column.get(CHUNK + 4), CHUNK + 4);
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert!(column.iter().copied().eq(0..len));
        assert_eq!(reads.load(Ordering::SeqCst), 3);
        let whole = Column::Whole((0..len).collect());
        assert!(whole.iter().eq(column.iter()));
        assert_eq!(whole.chunks().count(), 3);
    }
}
