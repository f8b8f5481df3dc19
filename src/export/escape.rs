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

/// Escapes text for XML element content: `&`, `<`, `>`; forbidden controls become U+FFFD.
#[must_use]
pub fn xml_text(text: &str) -> String {
    let (text, _) = clean_xml(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a double-quoted XML attribute value; tab, newline and carriage return
/// become character references, or a parser would turn them into spaces.
#[must_use]
pub fn xml_attr(text: &str) -> String {
    let (text, _) = clean_xml(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
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

/// Returns a DOT double-quoted string (form (c) of a DOT ID) holding `text` literally.
///
/// `\` → `\\` (so `\n`, `\N`, `\G` in the data stay literal in labels), `"` → `\"`, a line
/// break → `\n` (a centred line break), carriage returns and other control characters are
/// dropped. Always quoting also protects ids such as `1992-08`, `node` or `2abc`.
#[must_use]
pub fn dot_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Returns a single-quoted Cypher string literal holding `text`.
///
/// `\` → `\\`, `'` → `\'`, LF/CR/TAB → `\n`/`\r`/`\t`, any other control → `\uXXXX`.
#[must_use]
pub fn cypher_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
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

/// Returns a Cypher label, relationship type or property key naming `name`: plain when it is a
/// letter followed by letters, digits and `_` and not a keyword, else backtick-quoted with
/// backticks doubled.
///
/// Backslashes cannot be escaped inside backticks (`\u0060` would become a backtick), so they
/// are replaced by `_`; [`cypher_name_is_exact`] tells whether that happened.
#[must_use]
pub fn cypher_name(name: &str) -> String {
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
        match c {
            '`' => out.push_str("``"),
            '\\' => out.push('_'),
            c if c.is_control() => out.push('_'),
            _ => out.push(c),
        }
    }
    out.push('`');
    out
}

/// Returns whether [`cypher_name`] keeps `name` unchanged (no backslash or control).
#[must_use]
pub fn cypher_name_is_exact(name: &str) -> bool {
    !name.chars().any(|c| c == '\\' || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_keep_text_literal() {
        assert_eq!(dot_quoted("1992-08"), "\"1992-08\"");
        assert_eq!(dot_quoted("C:\\new \"x\""), "\"C:\\\\new \\\"x\\\"\"");
        assert_eq!(dot_quoted("a\nb\r\u{7}"), "\"a\\nb\"");
        assert_eq!(
            dot_quoted("x\" image=\"/etc/passwd"),
            "\"x\\\" image=\\\"/etc/passwd\""
        );
        assert_eq!(dot_quoted("Müller 🎉"), "\"Müller 🎉\"");
        // A trailing backslash must not escape the closing quote.
        assert_eq!(dot_quoted("C:\\"), "\"C:\\\\\"");
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
        assert_eq!(cypher_name("people"), "people");
        assert_eq!(cypher_name("Страны"), "Страны");
        assert_eq!(cypher_name("head of state"), "`head of state`");
        assert_eq!(cypher_name("a`b"), "`a``b`");
        assert_eq!(cypher_name("match"), "`match`");
        assert_eq!(cypher_name("2x"), "`2x`");
        assert_eq!(cypher_name("a\\u0060b"), "`a_u0060b`");
        assert!(!cypher_name_is_exact("a\\b"));
    }

    #[test]
    fn html_escapes_script() {
        assert_eq!(
            html("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }
}
