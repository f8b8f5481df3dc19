//! The buffers every streaming writer appends to, and the driver that formats a long list of
//! entities or relations on all cores and writes the pieces in order.
//!
//! Writers produce many small pieces per entity (a tag, an escaped id, a number). Going
//! through `&mut dyn Write` for each costs a virtual call and a `BufWriter` check apiece; a
//! [`Chunk`] appends to its own `Vec<u8>` (inlined copies, no error to check) and the
//! [`Sink`] hands the underlying writer large blocks. Escapes write straight into the buffer:
//! no `String` per value.

use std::fmt;
use std::io::{self, Write};
use std::ops::{Deref, DerefMut};

use rayon::prelude::*;

use crate::export::escape::{XmlContext, xml_escape_into};

/// How many items one task formats before its chunk is written.
const ITEMS_PER_TASK: usize = 4096;

/// Formatted output, appended to without errors.
#[derive(Default)]
pub struct Chunk {
    bytes: Vec<u8>,
    xml_cleaned: bool,
}

impl Chunk {
    /// Appends `text` as it is (markup the writer itself produces).
    #[inline]
    pub fn raw(&mut self, text: &str) {
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// Appends bytes as they are.
    #[inline]
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Appends an integer without allocating.
    #[inline]
    pub fn int(&mut self, value: impl itoa::Integer) {
        let mut digits = itoa::Buffer::new();
        self.bytes
            .extend_from_slice(digits.format(value).as_bytes());
    }

    /// Appends `value` formatted by its `Display`, unescaped (numbers, dates).
    pub fn display(&mut self, value: impl fmt::Display) {
        // Writing into a Vec cannot fail.
        let _ = write!(self.bytes, "{value}");
    }

    /// Appends `text` escaped for a double-quoted XML attribute value.
    #[inline]
    pub fn xml_attr(&mut self, text: &str) {
        self.xml_cleaned |= xml_escape_into(&mut self.bytes, text, XmlContext::Attribute);
    }

    /// Appends `text` escaped for XML element content.
    #[inline]
    pub fn xml_text(&mut self, text: &str) {
        self.xml_cleaned |= xml_escape_into(&mut self.bytes, text, XmlContext::Text);
    }

    /// Appends `value`, formatted by its `Display`, escaped for XML `context`.
    pub fn xml_display(&mut self, value: impl fmt::Display, context: XmlContext) {
        struct Escaping<'b> {
            bytes: &'b mut Vec<u8>,
            context: XmlContext,
            cleaned: bool,
        }
        impl fmt::Write for Escaping<'_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                self.cleaned |= xml_escape_into(self.bytes, text, self.context);
                Ok(())
            }
        }
        let mut escaping = Escaping {
            bytes: &mut self.bytes,
            context,
            cleaned: false,
        };
        let _ = fmt::Write::write_fmt(&mut escaping, format_args!("{value}"));
        self.xml_cleaned |= escaping.cleaned;
    }

    /// Returns the bytes, for serializers and escapes that append to a `Vec` themselves.
    pub fn vec(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// Returns whether an XML escape replaced a character XML 1.0 cannot hold.
    pub fn xml_cleaned(&self) -> bool {
        self.xml_cleaned
    }
}

/// A [`Chunk`] for a document's head and tail, and [`Sink::each`] for its body, in front of
/// the underlying writer.
pub struct Sink<'w> {
    chunk: Chunk,
    out: &'w mut dyn Write,
}

impl Deref for Sink<'_> {
    type Target = Chunk;
    fn deref(&self) -> &Chunk {
        &self.chunk
    }
}

impl DerefMut for Sink<'_> {
    fn deref_mut(&mut self) -> &mut Chunk {
        &mut self.chunk
    }
}

impl<'w> Sink<'w> {
    /// Returns a sink writing to `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        Sink {
            chunk: Chunk::default(),
            out,
        }
    }

    /// Hands what the sink's own chunk holds to the underlying writer.
    fn spill(&mut self) -> io::Result<()> {
        self.out.write_all(&self.chunk.bytes)?;
        self.chunk.bytes.clear();
        Ok(())
    }

    /// Writes every item with `write_one`, formatting runs of items on all cores and writing
    /// the results in the items' order, so the output is the same as a loop would give.
    ///
    /// # Errors
    /// I/O errors of the underlying writer.
    pub fn each<T: Sync>(
        &mut self,
        items: &[T],
        write_one: impl Fn(&mut Chunk, &T) + Sync,
    ) -> io::Result<()> {
        self.each_by(ITEMS_PER_TASK, items, write_one)
    }

    /// [`Sink::each`] with `per_task` items formatted by one task (fewer for big items, such
    /// as whole statements of a thousand rows).
    ///
    /// # Errors
    /// I/O errors of the underlying writer.
    pub fn each_by<T: Sync>(
        &mut self,
        per_task: usize,
        items: &[T],
        write_one: impl Fn(&mut Chunk, &T) + Sync,
    ) -> io::Result<()> {
        self.spill()?;
        // A few tasks per thread keep every core busy; no more, so memory stays a few MB.
        let per_batch = per_task * rayon::current_num_threads() * 2;
        let write_one = &write_one;
        let format_batch = |batch: &[T]| -> Vec<Chunk> {
            batch
                .par_chunks(per_task)
                .map(|part| {
                    let mut chunk = Chunk::default();
                    for item in part {
                        write_one(&mut chunk, item);
                    }
                    chunk
                })
                .collect()
        };
        if items.len() <= per_batch {
            return self.write_chunks(format_batch(items));
        }
        // Formatting runs on its own thread (and the pool) while this one writes, so the
        // kernel's copy of one batch overlaps the formatting of the next.
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Chunk>>(2);
            scope.spawn(move || {
                for batch in items.chunks(per_batch) {
                    if sender.send(format_batch(batch)).is_err() {
                        // The writer failed and stopped listening.
                        break;
                    }
                }
            });
            for chunks in receiver {
                self.write_chunks(chunks)?;
            }
            Ok(())
        })
    }

    fn write_chunks(&mut self, chunks: Vec<Chunk>) -> io::Result<()> {
        for chunk in chunks {
            self.chunk.xml_cleaned |= chunk.xml_cleaned;
            self.out.write_all(&chunk.bytes)?;
        }
        Ok(())
    }

    /// Writes what is buffered to the underlying writer and flushes it.
    ///
    /// # Errors
    /// I/O errors of the underlying writer.
    pub fn finish(&mut self) -> io::Result<()> {
        self.spill()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_in_order_across_tasks() {
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out);
        sink.raw("<all>");
        let items: Vec<u32> = (0..100_000).collect();
        sink.each(&items, |chunk, &i| {
            chunk.raw("<n id=\"");
            chunk.int(i);
            chunk.raw("\" v=\"");
            chunk.xml_attr("a&b");
            chunk.raw("\"/>");
        })
        .unwrap();
        sink.raw("</all>");
        sink.finish().unwrap();
        let mut expected = String::from("<all>");
        for i in 0..100_000 {
            let _ = std::fmt::Write::write_fmt(
                &mut expected,
                format_args!("<n id=\"{i}\" v=\"a&amp;b\"/>"),
            );
        }
        expected.push_str("</all>");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn displayed_values_are_escaped_and_cleaning_is_reported() {
        let mut out = Vec::new();
        let mut sink = Sink::new(&mut out);
        let items = ["ok", "bad\u{1}"];
        sink.each(&items, |chunk, text| chunk.xml_text(text))
            .unwrap();
        assert!(sink.xml_cleaned());
        sink.xml_display(format_args!("{}<{}", 1, "\"x"), XmlContext::Attribute);
        sink.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "okbad\u{fffd}1&lt;&quot;x");
    }
}
