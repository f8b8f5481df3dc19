//! Diagnostics: one problem in the data, located by file and line.
//!
//! A diagnostic is a value; printing it is the CLI's business. `Display` gives the one-line
//! `path:line: message` shape that editors can jump to.

use std::fmt;

use crate::model::printable::printable;

/// One problem found while loading, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user spelled the data dir plus the file's place in it.
    pub path: String,
    /// The physical line a record starts on (header = 1), when the problem is in one record.
    pub line: Option<u64>,
    /// A lowercase headline without trailing period, data values in backticks.
    pub message: String,
}

impl Diagnostic {
    /// Returns a diagnostic for a whole file.
    pub(crate) fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }

    /// Returns a diagnostic for the record starting on `line`.
    pub(crate) fn line(path: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: Some(line),
            message: message.into(),
        }
    }
}

/// One line always: a newline or a terminal control in a path or in the data a message
/// quotes is shown escaped (`\u{a}`, `\u{1b}`).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, message) = (printable(&self.path), printable(&self.message));
        match self.line {
            Some(line) => write!(f, "{path}:{line}: {message}"),
            None => write!(f, "{path}: {message}"),
        }
    }
}

/// The data did not load: every problem found, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the data", .diagnostics.len())]
pub struct LoadError {
    /// The problems, at least one.
    pub diagnostics: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_print_as_path_line_message() {
        let d = Diagnostic::line("data/entities/people.csv", 14, "duplicate id `eu`");
        assert_eq!(
            d.to_string(),
            "data/entities/people.csv:14: duplicate id `eu`"
        );
        let d = Diagnostic::file("data/entities/x.csv", "empty file");
        assert_eq!(d.to_string(), "data/entities/x.csv: empty file");
    }
}
