//! Little-endian bytes in and out, for the graph snapshot (`graph::snapshot`): what writes a
//! value and what reads it back sit side by side, so the two cannot drift apart.
//!
//! Reading never trusts the bytes: every length is checked against what is left, every count
//! against the bytes it needs, and text must be UTF-8. A damaged or hostile file gives
//! [`Malformed`], never a panic.

/// The bytes do not hold what the reader expected; the text says what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub &'static str);

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A length or count (always 64-bit, so the format does not depend on the pointer width).
    pub fn len(&mut self, value: usize) {
        self.u64(value as u64);
    }

    pub fn str(&mut self, text: &str) {
        self.len(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
    }

    pub fn strs<'a>(&mut self, texts: impl ExactSizeIterator<Item = &'a str>) {
        self.len(texts.len());
        for text in texts {
            self.str(text);
        }
    }
}

/// Reads values from the front of a byte slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// Returns whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if n > self.rest.len() {
            return Err(Malformed("ends early"));
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Malformed> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }

    pub fn u64(&mut self) -> Result<u64, Malformed> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A length or count, refused when it is more than the bytes left could hold at
    /// `min_size` bytes an item (so a hostile count cannot make us reserve memory).
    pub fn len(&mut self, min_size: usize) -> Result<usize, Malformed> {
        let len = usize::try_from(self.u64()?).map_err(|_| Malformed("a count too large"))?;
        if len.saturating_mul(min_size.max(1)) > self.rest.len() {
            return Err(Malformed("a count larger than the bytes left"));
        }
        Ok(len)
    }

    pub fn str(&mut self) -> Result<&'a str, Malformed> {
        let len = self.len(1)?;
        std::str::from_utf8(self.take(len)?).map_err(|_| Malformed("text that is not UTF-8"))
    }

    pub fn strs(&mut self) -> Result<Vec<String>, Malformed> {
        let count = self.len(8)?;
        (0..count).map(|_| self.str().map(str::to_owned)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_and_short_or_hostile_bytes_are_refused() {
        let mut w = Writer::default();
        w.u8(7);
        w.u16(513);
        w.u32(70_000);
        w.u64(u64::MAX);
        w.str("Қазақстан");
        w.strs(["a", "bc"].into_iter());
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.take(7), Ok(&[7, 1, 2, 0x70, 0x11, 1, 0][..]));
        assert_eq!(r.u64(), Ok(u64::MAX));
        assert_eq!(r.str(), Ok("Қазақстан"));
        assert_eq!(r.strs(), Ok(vec!["a".to_owned(), "bc".to_owned()]));
        assert!(r.is_done());
        assert_eq!(r.take(1), Err(Malformed("ends early")));
        let huge = u64::MAX.to_le_bytes();
        assert!(Reader::new(&huge).str().is_err());
        let mut bad = Writer::default();
        bad.len(2);
        bad.bytes.extend_from_slice(&[0xff, 0xfe]);
        assert_eq!(
            Reader::new(&bad.bytes).str(),
            Err(Malformed("text that is not UTF-8"))
        );
    }
}
