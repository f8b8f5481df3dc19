//! Query errors: what went wrong and where, rendered with the source line and a caret.

use std::fmt;

use crate::model::printable::printable;

/// A byte range in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// Returns the span `start..end`.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Returns the span covering both.
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The class of a query error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not Cypher, or not well-formed.
    Syntax,
    /// Cypher that `ties query` deliberately does not run (writes, `CALL`, `FOREACH`, ...).
    NotSupported,
    /// Well-formed, but wrong for this data or these values (unknown variable, type error).
    Semantic,
    /// Stopped by a bound on its time or rows ([`super::limits::Limits`]).
    Limit,
}

/// An error in a query, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CypherError {
    /// The class.
    pub kind: ErrorKind,
    /// Where in the source.
    pub span: Span,
    /// A lowercase headline that says what was expected.
    pub message: String,
    /// The name openCypher gives this error (`VariableTypeConflict`, `UndefinedVariable`,
    /// ...), where there is one, so a Neo4j user can look it up.
    pub code: Option<&'static str>,
}

impl CypherError {
    /// Returns a syntax error.
    pub fn syntax(span: Span, message: impl Into<String>) -> Self {
        CypherError {
            kind: ErrorKind::Syntax,
            span,
            message: message.into(),
            code: None,
        }
    }

    /// Returns a "not supported" error.
    pub fn unsupported(span: Span, message: impl Into<String>) -> Self {
        CypherError {
            kind: ErrorKind::NotSupported,
            span,
            message: message.into(),
            code: None,
        }
    }

    /// Returns a "limit reached" error.
    pub fn limit(span: Span, message: impl Into<String>) -> Self {
        CypherError {
            kind: ErrorKind::Limit,
            span,
            message: message.into(),
            code: None,
        }
    }

    /// Returns a semantic error.
    pub fn semantic(span: Span, message: impl Into<String>) -> Self {
        CypherError {
            kind: ErrorKind::Semantic,
            span,
            message: message.into(),
            code: None,
        }
    }

    /// Returns the error named with openCypher's `code` for it.
    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Returns the 1-based line and column (in characters) where the error starts.
    #[must_use]
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        let start = self.span.start.min(source.len());
        let before = &source[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, source[line_start..start].chars().count() + 1)
    }

    /// Returns the error for a person: `name:line:col: message`, the source line, a caret.
    ///
    /// A long line is shown as a window around the caret, and control characters in it as
    /// escapes, so the message stays one screen and cannot drive the terminal.
    #[must_use]
    pub fn render(&self, source: &str, name: &str) -> String {
        /// Characters of context shown on each side of the span.
        const CONTEXT: usize = 60;
        let (line, col) = self.line_col(source);
        let text = source.lines().nth(line - 1).unwrap_or("");
        let width = line.to_string().len();
        let length = source
            .get(self.span.start..self.span.end.min(self.span.start + text.len()))
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1))
            .min(CONTEXT);
        let chars: Vec<char> = text.chars().collect();
        let from = (col - 1).saturating_sub(CONTEXT);
        let to = (col - 1 + length + CONTEXT).min(chars.len());
        let shown = |range: &[char]| printable(&range.iter().collect::<String>()).into_owned();
        let (mut before, mut after) = (shown(&chars[from..col - 1]), shown(&chars[col - 1..to]));
        if from > 0 {
            before.insert(0, '…');
        }
        if to < chars.len() {
            after.push('…');
        }
        format!(
            "{name}:{line}:{col}: {}\n{:width$} |\n{line} | {before}{after}\n{:width$} | {}{}",
            self.message,
            "",
            "",
            " ".repeat(before.chars().count()),
            "^".repeat(length)
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::NotSupported => "not supported",
            ErrorKind::Semantic => "query error",
            ErrorKind::Limit => "limit reached",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_with_a_caret_under_the_span() {
        let source = "MATCH (p)\nRETURN q.name";
        let err = CypherError::semantic(Span::new(17, 18), "unknown variable `q`");
        assert_eq!(err.line_col(source), (2, 8));
        assert_eq!(
            err.render(source, "x.cypher"),
            "x.cypher:2:8: unknown variable `q`\n  |\n2 | RETURN q.name\n  |        ^"
        );
    }
}
