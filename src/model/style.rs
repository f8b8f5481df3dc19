//! Display style per entity kind and relation type, from `ties.toml`, with defaults.
//!
//! Values here are validated when `ties.toml` loads (colours are `#RRGGBB`, shapes are from a
//! fixed list), so writers can use them without re-checking; they still escape them.

use std::collections::BTreeMap;
use std::fmt;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#RRGGBB`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// Returns a paler version of the colour, for fills behind black text.
    #[must_use]
    pub fn pale(self) -> Self {
        let mix = |c: u8| u8::try_from((u16::from(c) + 2 * 255) / 3).expect("at most 255");
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Node shapes accepted in `ties.toml` (Graphviz names).
pub const SHAPES: &[&str] = &[
    "box",
    "ellipse",
    "circle",
    "doublecircle",
    "diamond",
    "hexagon",
    "octagon",
    "note",
    "tab",
    "folder",
    "cylinder",
    "component",
    "house",
    "invhouse",
    "parallelogram",
    "trapezium",
    "triangle",
    "star",
];

/// Edge line styles accepted in `ties.toml`.
pub const LINE_STYLES: &[&str] = &["solid", "dashed", "dotted", "bold"];

/// How entities of one kind are drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindStyle {
    /// A display label for the kind (`Person` for `people`); also a Cypher label.
    pub label: Option<String>,
    /// The fill colour.
    pub color: Option<Rgb>,
    /// The node shape, one of [`SHAPES`].
    pub shape: Option<String>,
    /// The FollowTheMoney schema its entities have in `ties export --format ftm`.
    pub ftm: Option<String>,
}

/// How relations of one type are drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelTypeStyle {
    /// A display label for the type.
    pub label: Option<String>,
    /// The line colour.
    pub color: Option<Rgb>,
    /// The line style, one of [`LINE_STYLES`].
    pub line: Option<String>,
    /// The FollowTheMoney edge schema its relations have in `ties export --format ftm`.
    pub ftm: Option<String>,
}

/// The whole `ties.toml`: styles by kind name and by relation type name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// The name of the data, for picture titles (`title` in `ties.toml`).
    pub title: Option<String>,
    /// The folder of saved queries `ties build` answers, relative to the data folder
    /// (`queries` in `ties.toml`).
    pub queries: Option<String>,
    /// The encoding of the CSV files when it is not UTF-8 (`encoding` in `ties.toml`), as
    /// the WHATWG Encoding Standard names it (`windows-1252`, `iso-8859-2`).
    pub encoding: Option<String>,
    /// Styles per kind.
    pub kinds: BTreeMap<String, KindStyle>,
    /// Styles per relation type.
    pub rel_types: BTreeMap<String, RelTypeStyle>,
    /// Kinds of `ties check` warning silenced (`[check] allow` in `ties.toml`).
    pub check_allow: Vec<String>,
}

/// Colours given to kinds that `ties.toml` leaves without one (Tableau 10).
const PALETTE: [Rgb; 10] = [
    Rgb(0x1f, 0x77, 0xb4),
    Rgb(0xff, 0x7f, 0x0e),
    Rgb(0x2c, 0xa0, 0x2c),
    Rgb(0xd6, 0x27, 0x28),
    Rgb(0x94, 0x67, 0xbd),
    Rgb(0x8c, 0x56, 0x4b),
    Rgb(0xe3, 0x77, 0xc2),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xbc, 0xbd, 0x22),
    Rgb(0x17, 0xbe, 0xcf),
];

impl Style {
    /// Returns the colour of a kind: from `ties.toml`, else by its position in the kind list.
    #[must_use]
    pub fn kind_color(&self, kind: &str, position: usize) -> Rgb {
        self.kinds
            .get(kind)
            .and_then(|style| style.color)
            .unwrap_or(PALETTE[position % PALETTE.len()])
    }

    /// Returns the shape of a kind, `box` by default.
    #[must_use]
    pub fn kind_shape(&self, kind: &str) -> &str {
        self.kinds
            .get(kind)
            .and_then(|style| style.shape.as_deref())
            .unwrap_or("box")
    }

    /// Returns the display label of a kind, the kind name by default.
    #[must_use]
    pub fn kind_label<'a>(&'a self, kind: &'a str) -> &'a str {
        self.kinds
            .get(kind)
            .and_then(|style| style.label.as_deref())
            .unwrap_or(kind)
    }

    /// Returns the display label of a relation type, the type name by default.
    #[must_use]
    pub fn rel_type_label<'a>(&'a self, rel_type: &'a str) -> &'a str {
        self.rel_types
            .get(rel_type)
            .and_then(|style| style.label.as_deref())
            .unwrap_or(rel_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_print_as_hex() {
        assert_eq!(Rgb::parse("#1F77b4"), Some(Rgb(0x1f, 0x77, 0xb4)));
        assert_eq!(Rgb::parse("#1F77b4").unwrap().to_string(), "#1f77b4");
        assert_eq!(Rgb::parse("1f77b4"), None);
        assert_eq!(Rgb::parse("#1f77b"), None);
        assert_eq!(Rgb::parse("#1f77bg"), None);
    }

    #[test]
    fn kinds_without_style_get_palette_colours() {
        let style = Style::default();
        assert_eq!(style.kind_color("people", 0), PALETTE[0]);
        assert_eq!(style.kind_color("people", 11), PALETTE[1]);
        assert_eq!(style.kind_shape("people"), "box");
    }
}
