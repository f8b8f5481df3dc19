//! The only place where errors become text and exit codes.
//!
//! | exit | meaning |
//! | --- | --- |
//! | 0 | did what was asked |
//! | 1 | ran fine, found nothing |
//! | 2 | bad input: usage, data errors, unknown or ambiguous entity, missing tool |

use std::io::{self, Write};

use crate::graph::resolve::{Candidate, ResolveError};
use crate::load::LoadError;

/// How a command that ran without error ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Did what was asked: exit 0.
    Done,
    /// Ran fine but found nothing: exit 1.
    NothingFound,
}

/// Everything that makes a command fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The data dir did not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A NODE argument did not name one entity.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// A filter flag that does not fit the data.
    #[error(transparent)]
    Filter(#[from] crate::query::filter::FilterError),
    /// A path search that could not run.
    #[error(transparent)]
    Path(#[from] crate::query::path::PathError),
    /// A picture could not be drawn.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// A query did not parse or run.
    #[error("{error}")]
    Query {
        /// The query's file name (or `-e`).
        name: String,
        /// The query text, for the caret.
        text: String,
        /// What went wrong, where.
        error: crate::cypher::CypherError,
    },
    /// Bad input in a file named by an option (`--pairs`): one line per problem.
    #[error("{} problem(s) in {file}", .problems.len())]
    Input {
        /// The file as given.
        file: String,
        /// `file:line: message` lines.
        problems: Vec<String>,
    },
    /// Bad arguments that clap could not catch.
    #[error("{0}")]
    Usage(String),
    /// Writing output failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl CliError {
    /// Returns the process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Load(_)
            | CliError::Resolve(_)
            | CliError::Filter(_)
            | CliError::Path(_)
            | CliError::Render(_)
            | CliError::Query { .. }
            | CliError::Input { .. }
            | CliError::Usage(_)
            | CliError::Io(_) => 2,
        }
    }

    /// Writes the error for a person: headline, details, hint.
    pub fn report(&self, err: &mut dyn Write) -> io::Result<()> {
        match self {
            CliError::Load(load) => {
                for diag in &load.diagnostics {
                    writeln!(err, "{diag}")?;
                }
                writeln!(
                    err,
                    "error: {} problem{} in the data; nothing was loaded",
                    load.diagnostics.len(),
                    if load.diagnostics.len() == 1 { "" } else { "s" }
                )
            }
            CliError::Filter(crate::query::filter::FilterError::Exclude(resolve)) => {
                CliError::Resolve(resolve.clone()).report(err)
            }
            CliError::Filter(filter) => writeln!(err, "error: {filter}"),
            CliError::Path(path) => writeln!(err, "error: {path}"),
            CliError::Render(render) => writeln!(err, "error: {render}"),
            CliError::Query { name, text, error } => {
                match error.code {
                    // The name openCypher gives the error, as rustc shows its error codes.
                    Some(code) => writeln!(err, "error[{code}]: {}", error.render(text, name))?,
                    None => writeln!(err, "error: {}", error.render(text, name))?,
                }
                if error.kind == crate::cypher::error::ErrorKind::NotSupported {
                    writeln!(
                        err,
                        "hint: docs/cypher.md lists the Cypher that ties query runs."
                    )?;
                }
                Ok(())
            }
            CliError::Input { file, problems } => {
                for problem in problems {
                    writeln!(err, "{problem}")?;
                }
                writeln!(
                    err,
                    "error: {} problem{} in {file}",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )
            }
            CliError::Resolve(ResolveError::Ambiguous { text, candidates }) => {
                writeln!(
                    err,
                    "error: `{text}` matches {} entities:",
                    candidates.len()
                )?;
                write_candidates(err, candidates)?;
                writeln!(err, "hint: pass the id instead of the name.")
            }
            CliError::Resolve(ResolveError::Unknown { text, suggestions }) => {
                writeln!(err, "error: no entity has the id or name `{text}`")?;
                if suggestions.is_empty() {
                    writeln!(err, "hint: `ties find TEXT` searches ids and names.")
                } else {
                    writeln!(err, "hint: did you mean one of these?")?;
                    write_candidates(err, suggestions)
                }
            }
            CliError::Usage(message) => writeln!(err, "error: {message}"),
            CliError::Io(io) => writeln!(err, "error: {io}"),
        }
    }
}

fn write_candidates(err: &mut dyn Write, candidates: &[Candidate]) -> io::Result<()> {
    let id_width = candidates
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(0);
    let kind_width = candidates
        .iter()
        .map(|c| c.kind.chars().count())
        .max()
        .unwrap_or(0);
    for c in candidates {
        writeln!(
            err,
            "  {:id_width$}  {:kind_width$}  {}",
            c.id, c.kind, c.name
        )?;
    }
    Ok(())
}
