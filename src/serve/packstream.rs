//! PackStream, Bolt's binary value format: a marker byte, then the value (big-endian).
//!
//! Decoding is bounded: a value nests at most [`MAX_DEPTH`] levels and no length may run past
//! the message, so a hostile message is an error, never a panic or a huge allocation.

/// A PackStream value.
#[derive(Debug, Clone, PartialEq)]
pub enum Bolt {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// Bytes.
    Bytes(Vec<u8>),
    /// UTF-8 text.
    Str(String),
    /// A list.
    List(Vec<Bolt>),
    /// A map, keys in order.
    Map(Vec<(String, Bolt)>),
    /// A structure: a tag byte and its fields (messages, nodes, dates).
    Struct(u8, Vec<Bolt>),
}

/// How deep a decoded value may nest.
pub const MAX_DEPTH: usize = 64;

/// Why bytes are not a PackStream value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed PackStream: {0}")]
pub struct PackError(pub String);

impl Bolt {
    /// A map from `(key, value)` pairs.
    #[must_use]
    pub fn map<const N: usize>(entries: [(&str, Bolt); N]) -> Self {
        Bolt::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    /// Text.
    #[must_use]
    pub fn str(text: impl Into<String>) -> Self {
        Bolt::Str(text.into())
    }

    /// The value under `key` of a map.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Bolt> {
        match self {
            Bolt::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text, if this is text.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Bolt::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Bolt::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Appends the value's encoding to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Bolt::Null => out.push(0xC0),
            Bolt::Bool(false) => out.push(0xC2),
            Bolt::Bool(true) => out.push(0xC3),
            Bolt::Int(i) => encode_int(*i, out),
            Bolt::Float(x) => {
                out.push(0xC1);
                out.extend_from_slice(&x.to_be_bytes());
            }
            Bolt::Bytes(bytes) => {
                header(bytes.len(), None, [0xCC, 0xCD, 0xCE], out);
                out.extend_from_slice(bytes);
            }
            Bolt::Str(text) => {
                header(text.len(), Some(0x80), [0xD0, 0xD1, 0xD2], out);
                out.extend_from_slice(text.as_bytes());
            }
            Bolt::List(items) => {
                header(items.len(), Some(0x90), [0xD4, 0xD5, 0xD6], out);
                for item in items {
                    item.encode(out);
                }
            }
            Bolt::Map(entries) => {
                header(entries.len(), Some(0xA0), [0xD8, 0xD9, 0xDA], out);
                for (key, value) in entries {
                    Bolt::Str(key.clone()).encode(out);
                    value.encode(out);
                }
            }
            Bolt::Struct(tag, fields) => {
                // At most 15 fields: every Bolt structure has fewer.
                out.push(0xB0 | u8::try_from(fields.len().min(15)).unwrap_or(15));
                out.push(*tag);
                for field in fields.iter().take(15) {
                    field.encode(out);
                }
            }
        }
    }

    /// Decodes one value from the front of `bytes`; returns it and the bytes it took.
    ///
    /// # Errors
    /// An unknown marker, a length past the end, text that is not UTF-8, a map key that is
    /// not text, nesting deeper than [`MAX_DEPTH`].
    pub fn decode(bytes: &[u8]) -> Result<(Bolt, usize), PackError> {
        let mut reader = Reader { bytes, at: 0 };
        let value = reader.value(0)?;
        Ok((value, reader.at))
    }
}

fn encode_int(i: i64, out: &mut Vec<u8>) {
    if (-16..=127).contains(&i) {
        out.push(i8::try_from(i).unwrap_or(0).to_be_bytes()[0]);
    } else if let Ok(small) = i8::try_from(i) {
        out.push(0xC8);
        out.extend_from_slice(&small.to_be_bytes());
    } else if let Ok(small) = i16::try_from(i) {
        out.push(0xC9);
        out.extend_from_slice(&small.to_be_bytes());
    } else if let Ok(small) = i32::try_from(i) {
        out.push(0xCA);
        out.extend_from_slice(&small.to_be_bytes());
    } else {
        out.push(0xCB);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

/// Writes a size: in the marker's low nibble when `tiny` allows and it fits, else after an
/// 8-, 16- or 32-bit marker.
fn header(len: usize, tiny: Option<u8>, markers: [u8; 3], out: &mut Vec<u8>) {
    match (tiny, u8::try_from(len), u16::try_from(len)) {
        (Some(base), Ok(small), _) if small < 16 => out.push(base | small),
        (_, Ok(small), _) => out.extend_from_slice(&[markers[0], small]),
        (_, _, Ok(medium)) => {
            out.push(markers[1]);
            out.extend_from_slice(&medium.to_be_bytes());
        }
        _ => {
            out.push(markers[2]);
            out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
        }
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], PackError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                PackError(format!(
                    "{n} bytes wanted at byte {} of {}",
                    self.at,
                    self.bytes.len()
                ))
            })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, PackError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PackError> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn size(&mut self, width: u8) -> Result<usize, PackError> {
        Ok(match width {
            1 => usize::from(self.u8()?),
            2 => usize::from(u16::from_be_bytes(self.array()?)),
            _ => usize::try_from(u32::from_be_bytes(self.array()?)).unwrap_or(usize::MAX),
        })
    }

    /// A count of items, each at least one byte: more than the bytes left is malformed, so no
    /// count can make us reserve more than the message holds.
    fn count(&mut self, n: usize) -> Result<usize, PackError> {
        if n > self.bytes.len() - self.at {
            return Err(PackError(format!(
                "{n} items announced with {} bytes left",
                self.bytes.len() - self.at
            )));
        }
        Ok(n)
    }

    fn text(&mut self, len: usize) -> Result<String, PackError> {
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| PackError("text is not UTF-8".to_owned()))
    }

    fn value(&mut self, depth: usize) -> Result<Bolt, PackError> {
        if depth > MAX_DEPTH {
            return Err(PackError(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        let marker = self.u8()?;
        Ok(match marker {
            0x00..=0x7F => Bolt::Int(i64::from(marker)),
            0xF0..=0xFF => Bolt::Int(i64::from(i8::from_be_bytes([marker]))),
            0xC0 => Bolt::Null,
            0xC1 => Bolt::Float(f64::from_be_bytes(self.array()?)),
            0xC2 => Bolt::Bool(false),
            0xC3 => Bolt::Bool(true),
            0xC8 => Bolt::Int(i64::from(i8::from_be_bytes(self.array()?))),
            0xC9 => Bolt::Int(i64::from(i16::from_be_bytes(self.array()?))),
            0xCA => Bolt::Int(i64::from(i32::from_be_bytes(self.array()?))),
            0xCB => Bolt::Int(i64::from_be_bytes(self.array()?)),
            0xCC..=0xCE => {
                let len = self.size(1 << (marker - 0xCC))?;
                Bolt::Bytes(self.take(len)?.to_vec())
            }
            0x80..=0x8F => self.text(usize::from(marker & 0x0F)).map(Bolt::Str)?,
            0xD0..=0xD2 => {
                let len = self.size(1 << (marker - 0xD0))?;
                Bolt::Str(self.text(len)?)
            }
            0x90..=0x9F | 0xD4..=0xD6 => {
                let n = if marker <= 0x9F {
                    usize::from(marker & 0x0F)
                } else {
                    self.size(1 << (marker - 0xD4))?
                };
                let n = self.count(n)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Bolt::List(items)
            }
            0xA0..=0xAF | 0xD8..=0xDA => {
                let n = if marker <= 0xAF {
                    usize::from(marker & 0x0F)
                } else {
                    self.size(1 << (marker - 0xD8))?
                };
                let n = self.count(n)?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let Bolt::Str(key) = self.value(depth + 1)? else {
                        return Err(PackError("a map key is not text".to_owned()));
                    };
                    entries.push((key, self.value(depth + 1)?));
                }
                Bolt::Map(entries)
            }
            0xB0..=0xBF => {
                let n = usize::from(marker & 0x0F);
                let tag = self.u8()?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    fields.push(self.value(depth + 1)?);
                }
                Bolt::Struct(tag, fields)
            }
            other => return Err(PackError(format!("unknown marker 0x{other:02X}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &Bolt) -> Vec<u8> {
        let mut bytes = Vec::new();
        value.encode(&mut bytes);
        let (back, used) = Bolt::decode(&bytes).unwrap();
        assert_eq!(&back, value);
        assert_eq!(used, bytes.len());
        bytes
    }

    #[test]
    fn values_encode_as_the_spec_shows_and_decode_back() {
        // Examples from the PackStream specification.
        assert_eq!(round_trip(&Bolt::Null), [0xC0]);
        assert_eq!(round_trip(&Bolt::Bool(true)), [0xC3]);
        assert_eq!(round_trip(&Bolt::Int(1)), [0x01]);
        assert_eq!(round_trip(&Bolt::Int(-16)), [0xF0]);
        assert_eq!(round_trip(&Bolt::Int(-17)), [0xC8, 0xEF]);
        assert_eq!(round_trip(&Bolt::Int(1234)), [0xC9, 0x04, 0xD2]);
        assert_eq!(round_trip(&Bolt::Int(i64::MIN))[0], 0xCB);
        assert_eq!(
            round_trip(&Bolt::Float(1.1)),
            [0xC1, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]
        );
        assert_eq!(round_trip(&Bolt::str("a")), [0x81, 0x61]);
        assert_eq!(round_trip(&Bolt::str("Größenmaßstäbe"))[0], 0xD0);
        assert_eq!(
            round_trip(&Bolt::List(vec![Bolt::Int(1), Bolt::Int(2)])),
            [0x92, 0x01, 0x02]
        );
        assert_eq!(
            round_trip(&Bolt::map([("one", Bolt::str("eins"))])),
            [0xA1, 0x83, 0x6F, 0x6E, 0x65, 0x84, 0x65, 0x69, 0x6E, 0x73]
        );
        assert_eq!(
            round_trip(&Bolt::Struct(0x4E, vec![Bolt::Int(1)])),
            [0xB1, 0x4E, 0x01]
        );
        let long = Bolt::List((0..70_000).map(Bolt::Int).collect());
        assert_eq!(round_trip(&long)[0], 0xD6);
        assert_eq!(
            round_trip(&Bolt::Bytes(vec![1; 300]))[..3],
            [0xCD, 0x01, 0x2C]
        );
    }

    #[test]
    fn hostile_bytes_are_errors_not_panics_or_huge_allocations() {
        for bytes in [
            &[0xD2, 0xFF, 0xFF, 0xFF, 0xFF][..], // 4 GiB of text announced
            &[0xD6, 0xFF, 0xFF, 0xFF, 0xFF],     // 4 billion items announced
            &[0x85, 0x61],                       // text cut short
            &[0xA1, 0x01, 0x01],                 // a map key that is a number
            &[0x81, 0xFF],                       // not UTF-8
            &[0xC7],                             // no such marker
            &[],
        ] {
            assert!(Bolt::decode(bytes).is_err(), "{bytes:?}");
        }
        let deep = [0x91; MAX_DEPTH + 2];
        assert!(Bolt::decode(&deep).unwrap_err().0.contains("nested"));
    }
}
