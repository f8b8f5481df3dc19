//! `ties query`: a read-only subset of Cypher over the graph (grammar in `docs/cypher.md`).
//!
//! [`lexer`] → [`parser`] (→ [`ast`]) → [`exec`] over [`value`]s. Errors carry spans and
//! render with the source line and a caret ([`error`]).

pub mod ast;
pub mod error;
pub mod exec;
pub mod lexer;
pub mod parser;
pub mod value;

use std::collections::BTreeMap;

use crate::graph::KnowledgeGraph;
use crate::query::adjacency::Adjacency;
pub use error::CypherError;
pub use exec::QueryResult;
pub use value::Value;

/// Parses and runs `source` over `kg`.
///
/// # Errors
/// Syntax, "not supported" and semantic errors, each with its span in `source`.
pub fn run(
    kg: &KnowledgeGraph,
    adjacency: &Adjacency,
    source: &str,
    params: BTreeMap<String, Value>,
) -> Result<QueryResult, CypherError> {
    let query = parser::parse(source)?;
    exec::Engine::new(kg, adjacency, params).run(&query)
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
