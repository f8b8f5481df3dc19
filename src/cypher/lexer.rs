//! Tokens of the Cypher subset, each with its byte span in the source.
//!
//! Keywords are case-insensitive and reach the parser as identifiers (the parser decides, so
//! `count` or `end` can still name a variable where Cypher allows it). Strings take single or
//! double quotes with Cypher's backslash escapes; names may be backtick-quoted. `//` and
//! `/* */` comments are skipped.

use crate::cypher::error::{CypherError, Span};

/// A token kind, with its value where it has one.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword, as written.
    Ident(String),
    /// A backtick-quoted name (never a keyword).
    Quoted(String),
    /// A string literal, unescaped.
    Str(String),
    /// An integer literal.
    Int(i64),
    /// `9223372036854775808`: too large alone, but the magnitude of the smallest integer, so
    /// `-9223372036854775808` is read whole.
    MinIntMagnitude,
    /// A float literal.
    Float(f64),
    /// `$name`.
    Param(String),
    /// Punctuation and operators: `( ) [ ] { } , . : | ; + - * / % ^ = <> < > <= >= =~ .. -> <-`.
    Sym(&'static str),
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Where it is.
    pub span: Span,
}

// `^` is lexed so the parser can say it is not supported, rather than "unexpected character".
const SYMBOLS: [&str; 27] = [
    "..", "->", "<-", "<>", "<=", ">=", "=~", "!=", "(", ")", "[", "]", "{", "}", ",", ".", ":",
    "|", ";", "+", "-", "*", "/", "%", "=", "<", "^",
];

/// Splits `source` into tokens.
///
/// # Errors
/// An unterminated string, name or comment, a bad escape or number, or a character that
/// starts no token, with its span.
pub fn lex(source: &str) -> Result<Vec<Token>, CypherError> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let c = source[at..].chars().next().expect("at is a char boundary");
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        if source[at..].starts_with("//") {
            at = source[at..].find('\n').map_or(bytes.len(), |i| at + i);
            continue;
        }
        if source[at..].starts_with("/*") {
            let end = source[at + 2..].find("*/").ok_or_else(|| {
                CypherError::syntax(Span::new(at, at + 2), "unterminated `/*` comment")
            })?;
            at += end + 4;
            continue;
        }
        let start = at;
        let tok = if c.is_alphabetic() || c == '_' {
            let end = source[at..]
                .char_indices()
                .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '_'))
                .map_or(bytes.len(), |(i, _)| at + i);
            at = end;
            Tok::Ident(source[start..end].to_owned())
        } else if c.is_ascii_digit()
            || (c == '.' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit))
        {
            let (tok, end) = number(source, at)?;
            at = end;
            tok
        } else if c == '\'' || c == '"' {
            let (text, end) = string(source, at, c)?;
            at = end;
            Tok::Str(text)
        } else if c == '`' {
            let mut name = String::new();
            let mut i = at + 1;
            loop {
                match source[i..].chars().next() {
                    None => {
                        return Err(CypherError::syntax(
                            Span::new(start, i),
                            "unterminated `` ` `` name",
                        ));
                    }
                    Some('`') if source[i + 1..].starts_with('`') => {
                        name.push('`');
                        i += 2;
                    }
                    Some('`') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        name.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            at = i;
            Tok::Quoted(name)
        } else if c == '$' {
            let end = source[at + 1..]
                .char_indices()
                .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '_'))
                .map_or(bytes.len(), |(i, _)| at + 1 + i);
            if end == at + 1 {
                return Err(CypherError::syntax(
                    Span::new(at, at + 1),
                    "expected a parameter name after `$`",
                ));
            }
            at = end;
            Tok::Param(source[start + 1..end].to_owned())
        } else if let Some(symbol) = SYMBOLS.iter().find(|s| source[at..].starts_with(**s)) {
            at += symbol.len();
            Tok::Sym(if *symbol == "!=" { "<>" } else { symbol })
        } else if c == '>' {
            at += 1;
            Tok::Sym(">")
        } else {
            return Err(CypherError::syntax(
                Span::new(at, at + c.len_utf8()),
                format!("unexpected character `{c}`"),
            ));
        };
        tokens.push(Token {
            tok,
            span: Span::new(start, at),
        });
    }
    Ok(tokens)
}

fn number(source: &str, start: usize) -> Result<(Tok, usize), CypherError> {
    let bytes = source.as_bytes();
    // `0x1F` and `0o17`: integers in hexadecimal and octal.
    if bytes[start] == b'0'
        && let Some(radix) = match bytes.get(start + 1) {
            Some(b'x' | b'X') => Some(16),
            Some(b'o' | b'O') => Some(8),
            _ => None,
        }
    {
        let digits = start + 2;
        let mut end = digits;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        return radix_integer(source, start, digits, end, radix);
    }
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let mut is_float = false;
    // `1..3` is a range, not the float `1.`.
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        is_float = true;
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    if end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
        let mut exp = end + 1;
        if exp < bytes.len() && (bytes[exp] == b'+' || bytes[exp] == b'-') {
            exp += 1;
        }
        if exp < bytes.len() && bytes[exp].is_ascii_digit() {
            is_float = true;
            end = exp;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
    }
    if end < bytes.len() && (bytes[end].is_ascii_alphabetic() || bytes[end] == b'_') {
        return Err(CypherError::syntax(
            Span::new(start, end + 1),
            "a number runs into a name; put a space between them",
        ));
    }
    let text = &source[start..end];
    let tok = if is_float {
        let value: f64 = text.parse().map_err(|_| {
            CypherError::syntax(Span::new(start, end), format!("`{text}` is not a number"))
        })?;
        if value.is_infinite() {
            return Err(CypherError::syntax(
                Span::new(start, end),
                format!("`{text}` is too large for a 64-bit float"),
            )
            .with_code("FloatingPointOverflow"));
        }
        Tok::Float(value)
    } else {
        // `017`: the TCK's older octal form (a leading zero), beside `0o17`.
        if text.len() > 1 && text.starts_with('0') {
            return radix_integer(source, start, start + 1, end, 8);
        }
        if text == "9223372036854775808" {
            return Ok((Tok::MinIntMagnitude, end));
        }
        Tok::Int(text.parse().map_err(|_| {
            CypherError::syntax(
                Span::new(start, end),
                format!("`{text}` does not fit a 64-bit integer"),
            )
            .with_code("IntegerOverflow")
        })?)
    };
    Ok((tok, end))
}

/// An integer written in base `radix` from `digits` to `end` (its prefix starts at `start`).
/// 2^63 is the magnitude of the smallest integer, for the `-` before it.
fn radix_integer(
    source: &str,
    start: usize,
    digits: usize,
    end: usize,
    radix: u32,
) -> Result<(Tok, usize), CypherError> {
    let text = &source[start..end];
    let magnitude = u64::from_str_radix(&source[digits..end], radix).map_err(|err| {
        let why = match err.kind() {
            std::num::IntErrorKind::PosOverflow => "does not fit a 64-bit integer",
            _ => "is not a number",
        };
        CypherError::syntax(Span::new(start, end), format!("`{text}` {why}"))
    })?;
    match i64::try_from(magnitude) {
        Ok(value) => Ok((Tok::Int(value), end)),
        Err(_) if magnitude == i64::MIN.unsigned_abs() => Ok((Tok::MinIntMagnitude, end)),
        Err(_) => Err(CypherError::syntax(
            Span::new(start, end),
            format!("`{text}` does not fit a 64-bit integer"),
        )
        .with_code("IntegerOverflow")),
    }
}

fn string(source: &str, start: usize, quote: char) -> Result<(String, usize), CypherError> {
    let mut text = String::new();
    let mut chars = source[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        let here = start + 1 + i;
        match c {
            c if c == quote => return Ok((text, here + 1)),
            '\\' => {
                let Some((_, escaped)) = chars.next() else {
                    break;
                };
                match escaped {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    'b' => text.push('\u{8}'),
                    'f' => text.push('\u{c}'),
                    '\\' | '\'' | '"' => text.push(escaped),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                        let code = u32::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|_| hex.len() == 4);
                        match code.and_then(char::from_u32) {
                            Some(ch) => text.push(ch),
                            None => {
                                return Err(CypherError::syntax(
                                    Span::new(here, here + 2 + hex.len()),
                                    "`\\u` needs four hex digits naming a character",
                                ));
                            }
                        }
                    }
                    other => {
                        return Err(CypherError::syntax(
                            Span::new(here, here + 1 + other.len_utf8()),
                            format!("unknown escape `\\{other}` (use \\\\ for a backslash)"),
                        ));
                    }
                }
            }
            c => text.push(c),
        }
    }
    Err(CypherError::syntax(
        Span::new(start, source.len()),
        format!("unterminated string (it opens with {quote} here)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(source: &str) -> Vec<Tok> {
        lex(source).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[track_caller]
    fn error(source: &str, message: &str, span: (usize, usize)) {
        let err = lex(source).unwrap_err();
        assert_eq!(err.message, message);
        assert_eq!((err.span.start, err.span.end), span);
    }

    #[test]
    fn tokens_and_spans() {
        let tokens = lex("MATCH (n:`my label`)-[r*1..3]->($p) // c\nRETURN n.x <> 1.5e3").unwrap();
        let spans: Vec<(usize, usize)> =
            tokens.iter().map(|t| (t.span.start, t.span.end)).collect();
        assert_eq!(spans[0], (0, 5));
        assert_eq!(tokens[4].tok, Tok::Quoted("my label".into()));
        assert_eq!(
            toks("[r*1..3]"),
            [
                Tok::Sym("["),
                Tok::Ident("r".into()),
                Tok::Sym("*"),
                Tok::Int(1),
                Tok::Sym(".."),
                Tok::Int(3),
                Tok::Sym("]")
            ]
        );
        assert_eq!(
            toks("a<>b != c"),
            [
                Tok::Ident("a".into()),
                Tok::Sym("<>"),
                Tok::Ident("b".into()),
                Tok::Sym("<>"),
                Tok::Ident("c".into())
            ]
        );
        assert_eq!(
            toks("1.5e3 .5 7"),
            [Tok::Float(1500.0), Tok::Float(0.5), Tok::Int(7)]
        );
        assert_eq!(toks("<-->"), [Tok::Sym("<-"), Tok::Sym("->")]);
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(toks(r"'a\'b\n\u00e9\\'"), [Tok::Str("a'b\né\\".into())]);
        assert_eq!(toks(r#""say \"hi\"""#), [Tok::Str("say \"hi\"".into())]);
        assert_eq!(toks("`a``b`"), [Tok::Quoted("a`b".into())]);
    }

    #[test]
    fn errors_point_at_the_problem() {
        error(
            "RETURN 'abc",
            "unterminated string (it opens with ' here)",
            (7, 11),
        );
        error("RETURN 1 # 2", "unexpected character `#`", (9, 10));
        error(
            r"RETURN 'a\qb'",
            "unknown escape `\\q` (use \\\\ for a backslash)",
            (9, 11),
        );
        error(
            "RETURN 12abc",
            "a number runs into a name; put a space between them",
            (7, 10),
        );
        error("RETURN $ x", "expected a parameter name after `$`", (7, 8));
        error("/* open", "unterminated `/*` comment", (0, 2));
    }

    #[test]
    fn numbers_in_hexadecimal_and_octal_and_floats_that_overflow() {
        assert_eq!(
            toks("0x1F 0XfF 0o17 0"),
            [Tok::Int(31), Tok::Int(255), Tok::Int(15), Tok::Int(0)]
        );
        assert_eq!(toks("0x7FFFFFFFFFFFFFFF"), [Tok::Int(i64::MAX)]);
        // 2^63 only fits after a minus sign, which the parser checks.
        assert_eq!(toks("0x8000000000000000"), [Tok::MinIntMagnitude]);
        assert_eq!(toks("01000000000000000000000"), [Tok::MinIntMagnitude]);
        error(
            "0x10000000000000000",
            "`0x10000000000000000` does not fit a 64-bit integer",
            (0, 19),
        );
        // A leading zero is the older octal form.
        assert_eq!(
            toks("017 02613152366 00 0"),
            [
                Tok::Int(15),
                Tok::Int(372_036_854),
                Tok::Int(0),
                Tok::Int(0)
            ]
        );
        error("09", "`09` is not a number", (0, 2));
        error("0x1G", "`0x1G` is not a number", (0, 4));
        error("0o8", "`0o8` is not a number", (0, 3));
        error(
            "1.34E999",
            "`1.34E999` is too large for a 64-bit float",
            (0, 8),
        );
    }
}
