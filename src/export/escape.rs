//! Every escape the writers use, in one audited place: DOT, XML, HTML, Cypher.
//!
//! Nothing that comes from the data may become syntax in an output. Each function here takes
//! arbitrary text (quotes, backslashes, newlines, control characters, markup, emoji) and
//! returns a literal of its target language that reads back as the same text, or as the same
//! text with characters the target cannot hold replaced (XML 1.0 forbids most C0 controls).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Returns whether XML 1.0 forbids `c` even as a character reference.
fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Returns `text` with characters XML 1.0 cannot hold replaced by U+FFFD, and whether any
/// were replaced (writers warn once per file).
#[must_use]
pub fn clean_xml(text: &str) -> (Cow<'_, str>, bool) {
    if text.chars().any(is_xml_forbidden) {
        (
            Cow::Owned(
                text.chars()
                    .map(|c| if is_xml_forbidden(c) { '\u{fffd}' } else { c })
                    .collect(),
            ),
            true,
        )
    } else {
        (Cow::Borrowed(text), false)
    }
}

/// Where escaped XML text goes: element content, or a double-quoted attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlContext {
    /// Element content: `&`, `<`, `>` are escaped.
    Text,
    /// A double-quoted attribute value: also quotes, and tab, newline and carriage return as
    /// character references (a parser would turn them into spaces).
    Attribute,
}

/// What to write for one ASCII byte in a context, or `None` to copy it.
fn xml_ascii_escape(byte: u8, context: XmlContext) -> Option<&'static [u8]> {
    match (byte, context) {
        (b'&', _) => Some(b"&amp;"),
        (b'<', _) => Some(b"&lt;"),
        (b'>', _) => Some(b"&gt;"),
        (b'"', XmlContext::Attribute) => Some(b"&quot;"),
        (b'\'', XmlContext::Attribute) => Some(b"&apos;"),
        (b'\t', XmlContext::Attribute) => Some(b"&#9;"),
        (b'\n', XmlContext::Attribute) => Some(b"&#10;"),
        (b'\r', XmlContext::Attribute) => Some(b"&#13;"),
        (b'\t' | b'\n' | b'\r', XmlContext::Text) => None,
        // XML 1.0 forbids the other C0 controls even as references.
        (0..=0x1f, _) => Some("\u{fffd}".as_bytes()),
        _ => None,
    }
}

/// Appends `text` escaped for `context` to `out`; characters XML 1.0 cannot hold (C0
/// controls, U+FFFE, U+FFFF) become U+FFFD. Returns whether any were replaced.
///
/// Works on bytes: every byte that needs an escape is ASCII, except U+FFFE and U+FFFF
/// (`EF BF BE`, `EF BF BF`), so runs of plain text are copied whole.
pub fn xml_escape_into(out: &mut Vec<u8>, text: &str, context: XmlContext) -> bool {
    let bytes = text.as_bytes();
    let mut cleaned = false;
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let (replacement, width): (Option<&[u8]>, usize) = if byte < 0x80 {
            (xml_ascii_escape(byte, context), 1)
        } else if byte == 0xef
            && bytes.get(i + 1) == Some(&0xbf)
            && matches!(bytes.get(i + 2), Some(0xbe | 0xbf))
        {
            (Some("\u{fffd}".as_bytes()), 3)
        } else {
            (None, 1)
        };
        if let Some(replacement) = replacement {
            out.extend_from_slice(&bytes[run_start..i]);
            out.extend_from_slice(replacement);
            cleaned |= replacement == "\u{fffd}".as_bytes();
            i += width;
            run_start = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
    cleaned
}

fn xml_escaped(text: &str, context: XmlContext) -> String {
    let mut out = Vec::with_capacity(text.len());
    xml_escape_into(&mut out, text, context);
    String::from_utf8(out).expect("escaping keeps UTF-8: only whole characters are replaced")
}

/// Escapes text for XML element content: `&`, `<`, `>`; forbidden controls become U+FFFD.
/// (The writers escape into their buffers with [`xml_escape_into`]; this is for tests.)
#[cfg(test)]
#[must_use]
pub fn xml_text(text: &str) -> String {
    xml_escaped(text, XmlContext::Text)
}

/// Escapes text for a double-quoted XML attribute value; tab, newline and carriage return
/// become character references, or a parser would turn them into spaces.
#[must_use]
pub fn xml_attr(text: &str) -> String {
    xml_escaped(text, XmlContext::Attribute)
}

/// Returns whether `c` may stand as it is in a name token that every XML tool accepts.
///
/// XML Schema's `xs:NMTOKEN` (what GraphML requires of ids and key names) takes its name
/// characters from XML 1.0 before the fifth edition, which has no astral characters, no
/// U+FEFF and no letters Unicode added after 2.0; xmllint's schema check follows it. So
/// this keeps only the characters both editions call name characters in the scripts names
/// come in most (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, CJK, kana, Hangul) and
/// leaves every other character to the `_xHHHH_` escape.
fn is_name_char(c: char) -> bool {
    matches!(c,
        'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' | ':' | '\u{b7}'
        // Latin: Latin-1 letters, Extended-A and -B, IPA, Extended Additional.
        | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{131}' | '\u{134}'..='\u{13e}'
        | '\u{141}'..='\u{148}' | '\u{14a}'..='\u{17e}' | '\u{180}'..='\u{1c3}'
        | '\u{1cd}'..='\u{1f0}' | '\u{1f4}'..='\u{1f5}' | '\u{1fa}'..='\u{217}'
        | '\u{250}'..='\u{2a8}' | '\u{1e00}'..='\u{1e9b}' | '\u{1ea0}'..='\u{1ef9}'
        // Greek.
        | '\u{386}' | '\u{388}'..='\u{38a}' | '\u{38c}' | '\u{38e}'..='\u{3a1}' | '\u{3a3}'..='\u{3ce}'
        // Cyrillic, Kazakh letters included.
        | '\u{401}'..='\u{40c}' | '\u{40e}'..='\u{44f}' | '\u{451}'..='\u{45c}' | '\u{45e}'..='\u{481}'
        | '\u{490}'..='\u{4c4}' | '\u{4c7}'..='\u{4c8}' | '\u{4cb}'..='\u{4cc}' | '\u{4d0}'..='\u{4eb}'
        | '\u{4ee}'..='\u{4f5}' | '\u{4f8}'..='\u{4f9}'
        // Armenian, Hebrew, Arabic letters.
        | '\u{531}'..='\u{556}' | '\u{561}'..='\u{586}' | '\u{5d0}'..='\u{5ea}' | '\u{5f0}'..='\u{5f2}'
        | '\u{621}'..='\u{63a}' | '\u{641}'..='\u{64a}'
        // Kana, CJK ideographs, Hangul syllables.
        | '\u{3041}'..='\u{3094}' | '\u{30a1}'..='\u{30fa}' | '\u{4e00}'..='\u{9fa5}'
        | '\u{ac00}'..='\u{d7a3}')
}

/// Returns `text` as an XML name token (`xs:NMTOKEN`, which GraphML requires of node ids and
/// key names): unchanged when it already is one, else every other character written as
/// `_xHHHH_` (`_xHHHHHHHH_` past the BMP), the convention of .NET's `XmlConvert.EncodeName`.
/// An `_` that would read as the start of such an escape is itself escaped (`_x005F_`), so
/// distinct texts give distinct tokens and the original can be read back.
#[must_use]
pub fn xml_name_token(text: &str) -> Cow<'_, str> {
    let looks_escaped = |rest: &str| {
        let bytes = rest.as_bytes();
        bytes.len() >= 7
            && bytes[1] == b'x'
            && bytes[2..6].iter().all(u8::is_ascii_hexdigit)
            && bytes[6] == b'_'
    };
    let plain = !text.is_empty()
        && text
            .char_indices()
            .all(|(i, c)| is_name_char(c) && !(c == '_' && looks_escaped(&text[i..])));
    if plain {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if c == '_' && looks_escaped(&text[i..]) {
            out.push_str("_x005F_");
        } else if is_name_char(c) {
            out.push(c);
        } else if u32::from(c) <= 0xffff {
            let _ = write!(out, "_x{:04X}_", u32::from(c));
        } else {
            let _ = write!(out, "_x{:08X}_", u32::from(c));
        }
    }
    if out.is_empty() {
        out.push_str("_x0000_");
    }
    Cow::Owned(out)
}

/// Escapes text for HTML element content and double-quoted attributes.
#[must_use]
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Graphviz refuses a quoted string longer than this many bytes ("longer than 16384?").
pub const DOT_STRING_LIMIT: usize = 16_384;

/// Returns a DOT double-quoted string (form (c) of a DOT ID) holding `text` literally.
///
/// `\` → `\\` (so `\n`, `\N`, `\G` in the data stay literal in labels), `"` → `\"`, a line
/// break → `\n` (a centred line break), `&` → `&amp;` (Graphviz reads `&...;` as a character
/// entity, and would pass `&#0;` into SVG, which no XML parser then reads). Other control
/// characters have no DOT escape: C0 controls and DEL become the entity of their Unicode
/// control picture (`&#x2409;` for a tab, shown as ␉), C1 controls the entity of themselves.
/// Distinct texts thus stay distinct ids, and SVG from Graphviz stays well-formed. Always
/// quoting also protects ids such as `1992-08`, `node` or `2abc`.
#[must_use]
pub fn dot_quoted(text: &str) -> String {
    dot_quoted_within(text, usize::MAX)
}

/// [`dot_quoted`], cut with `…` so the quoted string takes at most `max_bytes` bytes (at
/// least 16), never inside an escape.
#[must_use]
pub fn dot_quoted_within(text: &str, max_bytes: usize) -> String {
    // Room for the quotes and the ellipsis.
    let budget = max_bytes.max(16) - 2 - '…'.len_utf8();
    let mut out = String::with_capacity(text.len().min(budget) + 2);
    out.push('"');
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        match c {
            '\\' => piece.push_str("\\\\"),
            '"' => piece.push_str("\\\""),
            '\n' => piece.push_str("\\n"),
            '&' => piece.push_str("&amp;"),
            '\u{0}'..='\u{1f}' => {
                let _ = write!(piece, "&#x{:x};", 0x2400 + u32::from(c));
            }
            '\u{7f}' => piece.push_str("&#x2421;"),
            c if c.is_control() => {
                let _ = write!(piece, "&#x{:x};", u32::from(c));
            }
            _ => piece.push(c),
        }
        if out.len() - 1 + piece.len() > budget {
            out.push('…');
            break;
        }
        out.push_str(&piece);
    }
    out.push('"');
    out
}

/// Returns a single-quoted Cypher string literal holding `text`.
///
/// `\` → `\\`, `'` → `\'`, LF/CR/TAB → `\n`/`\r`/`\t`, any other control → `\uXXXX`.
/// (The writers escape into their buffers with [`cypher_string_for`]; this is for tests.)
#[cfg(test)]
#[must_use]
pub fn cypher_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    cypher_string_for(&mut out, text, CypherDialect::Neo4j);
    String::from_utf8(out).expect("escaping keeps UTF-8: only whole characters are replaced")
}

/// Appends `text` as a single-quoted Cypher string literal for `dialect` and returns whether
/// it needed `\uXXXX` escapes: backslash, quote, newline, carriage return and tab as `\\`,
/// `\'`, `\n`, `\r` and `\t`, other control characters as `\uXXXX` but for FalkorDB, which
/// does not read `\uXXXX` and keeps them as they are.
///
/// Works on bytes: the characters that need escapes are ASCII, or C1 controls (`C2 80` to
/// `C2 9F`), so runs of plain text are copied whole.
pub fn cypher_string_for(out: &mut Vec<u8>, text: &str, dialect: CypherDialect) -> bool {
    let raw_controls = dialect == CypherDialect::FalkorDb;
    let bytes = text.as_bytes();
    let mut unicode_escapes = false;
    out.push(b'\'');
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let (escape, width): (Option<&[u8]>, usize) = match byte {
            b'\\' => (Some(b"\\\\"), 1),
            b'\'' => (Some(b"\\'"), 1),
            b'\n' => (Some(b"\\n"), 1),
            b'\r' => (Some(b"\\r"), 1),
            b'\t' => (Some(b"\\t"), 1),
            0..=0x1f | 0x7f if !raw_controls => (None, 1),
            0xc2 if !raw_controls && matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => (None, 2),
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[run_start..i]);
        match escape {
            Some(escape) => out.extend_from_slice(escape),
            None => {
                // A control character: C0, DEL or C1, one UTF-16 unit.
                let code = text[i..i + width].chars().next().map_or(0, u32::from);
                let _ = std::io::Write::write_fmt(out, format_args!("\\u{code:04x}"));
                unicode_escapes = true;
            }
        }
        i += width;
        run_start = i;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'\'');
    unicode_escapes
}

/// Cypher keywords; quoting them is cheap and always valid.
const CYPHER_KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "BY",
    "CALL",
    "CASE",
    "CONSTRAINT",
    "CONTAINS",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "ENDS",
    "EXISTS",
    "FALSE",
    "FOR",
    "FOREACH",
    "IN",
    "INDEX",
    "IS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "NODE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "REMOVE",
    "REQUIRE",
    "RETURN",
    "SET",
    "SKIP",
    "STARTS",
    "THEN",
    "TRUE",
    "UNION",
    "UNIQUE",
    "UNWIND",
    "USE",
    "WHEN",
    "WHERE",
    "WITH",
    "XOR",
    "YIELD",
];

/// The engine a Cypher script is written for: they read names and strings differently.
///
/// | | Neo4j (4.4+) | Memgraph | FalkorDB |
/// | --- | --- | --- | --- |
/// | `\` in a backtick name | escapes, so written `\\` | literal | literal |
/// | `\uXXXX` in a backtick name | the character | literal | literal |
/// | a doubled backtick in a name | one backtick | one backtick | refused |
/// | `\uXXXX` in a string | the character | the character | literal |
/// | a control character as it is | kept | kept | kept |
/// | the id index | `CREATE INDEX FOR (n:Entity) ON (n.id)` | `CREATE INDEX ON :Entity(id)` | either |
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CypherDialect {
    /// Neo4j; FalkorDB reads it too, but for names with a backslash, a backtick or a control
    /// character and strings with a control character.
    #[default]
    Neo4j,
    /// Memgraph.
    Memgraph,
    /// FalkorDB: names and strings as it reads them; a backtick in a name becomes `_`.
    FalkorDb,
}

impl CypherDialect {
    /// Every dialect, as `--dialect` names them.
    pub const ALL: [CypherDialect; 3] = [
        CypherDialect::Neo4j,
        CypherDialect::Memgraph,
        CypherDialect::FalkorDb,
    ];

    /// The name `--dialect` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            CypherDialect::Neo4j => "neo4j",
            CypherDialect::Memgraph => "memgraph",
            CypherDialect::FalkorDb => "falkordb",
        }
    }
}

/// Returns a Cypher label, relationship type or property key naming `name` for `dialect`:
/// plain when it is a letter followed by letters, digits and `_` and not a keyword, else
/// backtick-quoted so that the engine reads back exactly `name` (see [`CypherDialect`]).
/// Only FalkorDB cannot read every name: a backtick becomes `_` there, and
/// [`cypher_name_is_exact`] tells when that happens.
#[must_use]
pub fn cypher_name(name: &str, dialect: CypherDialect) -> String {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !CYPHER_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name));
    if plain {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('`');
    for c in name.chars() {
        match (c, dialect) {
            ('`', CypherDialect::FalkorDb) => out.push('_'),
            ('`', _) => out.push_str("``"),
            ('\\', CypherDialect::Neo4j) => out.push_str("\\\\"),
            (c, CypherDialect::Neo4j) if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            (c, _) => out.push(c),
        }
    }
    out.push('`');
    out
}

/// Returns whether [`cypher_name`] keeps `name` exactly in `dialect`: always, but for a
/// backtick in FalkorDB.
#[must_use]
pub fn cypher_name_is_exact(name: &str, dialect: CypherDialect) -> bool {
    dialect != CypherDialect::FalkorDb || !name.contains('`')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_keep_text_literal() {
        assert_eq!(dot_quoted("1992-08"), "\"1992-08\"");
        assert_eq!(dot_quoted("C:\\new \"x\""), "\"C:\\\\new \\\"x\\\"\"");
        assert_eq!(dot_quoted("a\nb\r\u{7}"), "\"a\\nb&#x240d;&#x2407;\"");
        // Distinct texts stay distinct: a tab is not dropped, `&` is not an entity.
        assert_eq!(dot_quoted("a\tb"), "\"a&#x2409;b\"");
        assert_eq!(dot_quoted("a&#0;\u{1b}"), "\"a&amp;#0;&#x241b;\"");
        assert_eq!(dot_quoted("c1\u{85}"), "\"c1&#x85;\"");
        assert_eq!(
            dot_quoted("x\" image=\"/etc/passwd"),
            "\"x\\\" image=\\\"/etc/passwd\""
        );
        assert_eq!(dot_quoted("Müller 🎉"), "\"Müller 🎉\"");
        // A trailing backslash must not escape the closing quote.
        assert_eq!(dot_quoted("C:\\"), "\"C:\\\\\"");
    }

    #[test]
    fn dot_strings_are_cut_within_graphviz_limit_but_never_inside_an_escape() {
        let long = "ab&".repeat(10_000);
        let quoted = dot_quoted_within(&long, 100);
        assert!(quoted.len() <= 100, "{}", quoted.len());
        assert!(quoted.ends_with("…\""), "{quoted}");
        assert!(
            quoted.trim_end_matches("…\"").ends_with("&amp;")
                || quoted.trim_end_matches("…\"").ends_with('b')
                || quoted.trim_end_matches("…\"").ends_with('a')
        );
        assert_eq!(dot_quoted_within("short", 100), "\"short\"");
    }

    #[test]
    fn xml_escapes_markup_and_removes_forbidden_controls() {
        assert_eq!(
            xml_text("</data><data key=\"label\">"),
            "&lt;/data&gt;&lt;data key=\"label\"&gt;"
        );
        assert_eq!(
            xml_attr("a\"b'c\n\t\r&"),
            "a&quot;b&apos;c&#10;&#9;&#13;&amp;"
        );
        assert_eq!(xml_text("bell\u{7}"), "bell\u{fffd}");
        assert!(clean_xml("ok\ttab\nline").0 == "ok\ttab\nline");
        assert!(clean_xml("x\u{1b}").1);
    }

    #[test]
    fn cypher_strings_cannot_be_broken_out_of() {
        assert_eq!(
            cypher_string("'}) DETACH DELETE n //"),
            "'\\'}) DETACH DELETE n //'"
        );
        assert_eq!(cypher_string("C:\\users"), "'C:\\\\users'");
        assert_eq!(cypher_string("a\nb\u{1}"), "'a\\nb\\u0001'");
        assert_eq!(cypher_string("*/ `x` \"q\""), "'*/ `x` \"q\"'");
    }

    #[test]
    fn cypher_names_are_quoted_when_needed() {
        let neo4j = |name: &str| cypher_name(name, CypherDialect::Neo4j);
        assert_eq!(neo4j("people"), "people");
        assert_eq!(neo4j("Страны"), "Страны");
        assert_eq!(neo4j("head of state"), "`head of state`");
        assert_eq!(neo4j("a`b"), "`a``b`");
        assert_eq!(neo4j("match"), "`match`");
        assert_eq!(neo4j("2x"), "`2x`");
        // Neo4j reads `\\` as one backslash and `\u0060` as a backtick: a backslash is
        // doubled, so `\u0060` stays text.
        assert_eq!(neo4j("a\\u0060b"), "`a\\\\u0060b`");
        assert_eq!(neo4j("bell\u{7}"), "`bell\\u0007`");
        assert!(cypher_name_is_exact("a\\b", CypherDialect::Neo4j));
        // Memgraph and FalkorDB read names as written; FalkorDB refuses a doubled backtick.
        assert_eq!(
            cypher_name("a\\b\u{7}", CypherDialect::Memgraph),
            "`a\\b\u{7}`"
        );
        assert_eq!(cypher_name("a`b", CypherDialect::Memgraph), "`a``b`");
        assert_eq!(cypher_name("a`b\\", CypherDialect::FalkorDb), "`a_b\\`");
        assert!(!cypher_name_is_exact("a`b", CypherDialect::FalkorDb));
    }

    #[test]
    fn xml_name_tokens_keep_tokens_and_encode_the_rest_distinctly() {
        assert_eq!(xml_name_token("1992-08"), "1992-08");
        assert_eq!(xml_name_token("Астана"), "Астана");
        assert_eq!(xml_name_token("a b"), "a_x0020_b");
        assert_eq!(xml_name_token("<script>"), "_x003C_script_x003E_");
        assert_eq!(xml_name_token("a_x0020_b"), "a_x005F_x0020_b");
        assert_eq!(xml_name_token("snake_case_x"), "snake_case_x");
        assert_ne!(xml_name_token("a b"), xml_name_token("a_x0020_b"));
        // What XML Schema's NMTOKEN refuses: a byte-order mark, astral characters.
        assert_eq!(xml_name_token("\u{feff}x"), "_xFEFF_x");
        assert_eq!(xml_name_token("a😀b"), "a_x0001F600_b");
        assert_eq!(xml_name_token("Назарбаев-Әлия"), "Назарбаев-Әлия");
    }

    #[test]
    fn html_escapes_script() {
        assert_eq!(
            html("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }
}
