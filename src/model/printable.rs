//! Text from the data made safe to print in a message: nothing in a name can move the
//! cursor, recolour the terminal, reorder the line or start a new one.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Returns whether `c` would act on a terminal or on the line rather than show as a glyph:
/// C0 and C1 controls and DEL, the bidirectional embeddings, overrides and isolates, the
/// directional marks, and the line and paragraph separators.
#[must_use]
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Returns `text` with every [unprintable](is_unprintable) character written as a Rust
/// escape (`\u{1b}`), and every other character as it is.
#[must_use]
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(printable("Астана, Israel"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_and_bidi_controls_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(printable("x\0y\nz"), "x\\u{0}y\\u{a}z");
        assert_eq!(printable("\u{202e}evil\u{2066}"), "\\u{202e}evil\\u{2066}");
        assert_eq!(printable("del\u{7f}c1\u{9b}"), "del\\u{7f}c1\\u{9b}");
    }
}
