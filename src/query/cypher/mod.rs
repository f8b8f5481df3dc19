//! `ties query`: the reading part of Cypher over the graph (grammar in `docs/cypher.md`).
//!
//! The lexer → [`parser`] (→ [`ast`]) → the semantic check → the executor over [`value`]s.
//! Errors carry spans and render with the source line and a caret ([`error`]).

pub mod ast;
pub mod duration;
pub mod error;
pub(crate) mod exec;
pub(crate) mod lexer;
pub mod limits;
pub mod parser;
pub(crate) mod semantic;
pub mod value;

use std::collections::BTreeMap;

use crate::graph::KnowledgeGraph;
use crate::query::adjacency::Adjacency;
pub use error::CypherError;
pub use exec::QueryResult;
pub use limits::Limits;
pub use value::Value;

/// The stack a query runs on. Parsing, evaluation and dropping the syntax tree recurse once
/// per level of nesting, up to [`parser::MAX_NESTING`] levels of a few hundred bytes each in
/// an optimised build (several kilobytes unoptimised); the memory is reserved, and only the
/// pages a query reaches are ever touched.
const QUERY_STACK_BYTES: usize = 1 << 30;

/// Queries up to this size run on the caller's thread (see [`run`]).
const SMALL_QUERY_BYTES: usize = 100;

/// Parses and runs `source` over `kg`, within `limits`.
///
/// Runs on a thread of its own whose stack fits the deepest query the parser accepts, so no
/// input can overflow the caller's stack.
///
/// # Errors
/// Syntax, "not supported", semantic and limit errors, each with its span in `source`.
pub fn run(
    kg: &KnowledgeGraph,
    adjacency: &Adjacency,
    source: &str,
    params: BTreeMap<String, Value>,
    limits: Limits,
) -> Result<QueryResult, CypherError> {
    let job = move || {
        let query = parser::parse(source)?;
        semantic::check(&query)?;
        exec::Engine::new(kg, adjacency, params)
            .with_limits(limits)
            .run(&query)
    };
    // Every level of nesting takes at least two bytes of text (`(`…`)`, `1+`, `-x`), so a
    // short query nests at most fifty levels, which any thread's stack holds (even a 2 MiB
    // test thread, unoptimised); it skips the thread, which costs about 0.1 ms, more than a
    // one-hop query takes.
    if source.len() <= SMALL_QUERY_BYTES {
        return job();
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("ties-query".to_owned())
            .stack_size(QUERY_STACK_BYTES)
            .spawn_scoped(scope, job)
            .map_err(|err| {
                CypherError::limit(
                    error::Span::default(),
                    format!("cannot start the query thread: {err}"),
                )
            })?;
        match handle.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Reads a `--param name=value` value: an integer, a float, `true`/`false`, `null`, or else a
/// string (quotes around it are removed).
#[must_use]
pub fn param_value(text: &str) -> Value {
    let trimmed = text.trim();
    if let Ok(i) = trimmed.parse::<i64>() {
        return Value::Int(i);
    }
    if let Ok(x) = trimmed.parse::<f64>()
        && x.is_finite()
        && trimmed.bytes().any(|b| b.is_ascii_digit())
    {
        return Value::Float(x);
    }
    match trimmed {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => {
            let unquoted = trimmed
                .strip_prefix('\'')
                .and_then(|t| t.strip_suffix('\''))
                .or_else(|| trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')));
            Value::Str(unquoted.unwrap_or(text).to_owned())
        }
    }
}
