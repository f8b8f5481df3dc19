//! `ties query`: the reading part of Cypher over the graph (grammar in `docs/cypher.md`).
//!
//! The lexer → [`parser`] (→ [`ast`]) → the semantic check → the executor over [`value`]s.
//! Errors carry spans and render with the source line and a caret ([`error`]).

pub mod ast;
pub mod clock;
pub mod duration;
pub mod error;
pub(crate) mod exec;
pub mod json;
pub(crate) mod lexer;
pub mod limits;
pub mod notice;
pub mod parser;
pub mod plan;
pub(crate) mod semantic;
pub mod value;

use std::collections::BTreeMap;

use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
pub use error::CypherError;
pub use exec::QueryResult;
pub use exec::properties::{node_properties, rel_properties};
pub use limits::Limits;
pub use notice::Notice;
pub use value::Value;

/// The stack a query runs on. Parsing, evaluation and dropping the syntax tree recurse once
/// per level of nesting, up to [`parser::MAX_NESTING`] levels of a few hundred bytes each in
/// an optimised build (several kilobytes unoptimised); the memory is reserved, and only the
/// pages a query reaches are ever touched.
const QUERY_STACK_BYTES: usize = 1 << 30;

/// Queries up to this size run on the caller's thread (see [`on_query_stack`]).
const SMALL_QUERY_BYTES: usize = 100;

/// Parses and runs `source` over `kg`, within `limits`: [`prepare`], then
/// [`Prepared::run`].
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
    on_query_stack(source.len(), move || {
        let mut prepared = prepare_here(kg, source)?;
        let result = prepared.run_here(kg, adjacency, params, limits);
        // Dropped here, on the deep stack: dropping a syntax tree recurses too.
        prepared.query.take();
        result
    })
}

/// A query parsed, checked and planned once, to be run many times with new parameters (a
/// server, `ties query --each`): each [`Prepared::run`] skips the parser, the semantic check
/// and the notices.
#[derive(Debug)]
pub struct Prepared {
    source: String,
    mode: plan::Mode,
    /// `None` only while being dropped (see the `Drop` impl).
    query: Option<ast::Query>,
    notices: Vec<Notice>,
    columns: Vec<String>,
}

/// Parses, checks and plans `source` for `kg`, gathering its notices, without running it.
///
/// # Errors
/// Syntax, "not supported" and semantic errors, each with its span in `source`.
pub fn prepare(kg: &KnowledgeGraph, source: &str) -> Result<Prepared, CypherError> {
    on_query_stack(source.len(), || prepare_here(kg, source))
}

fn prepare_here(kg: &KnowledgeGraph, source: &str) -> Result<Prepared, CypherError> {
    // `EXPLAIN`/`PROFILE` are blanked out, so every span still points into `source`.
    let (mode, text) = plan::mode_of(source);
    let query = parser::parse(&text)?;
    semantic::check(&query)?;
    let mut notices = notice::check(kg, &query);
    for notice in &mut notices {
        notice.locate(source);
    }
    let columns = query
        .clauses
        .iter()
        .rev()
        .find_map(|clause| match clause {
            ast::Clause::Return(p) => Some(p.items.iter().map(|i| i.name.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(Prepared {
        source: source.to_owned(),
        mode,
        query: Some(query),
        notices,
        columns,
    })
}

impl Prepared {
    /// The query's text as given.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether it runs, is explained or is profiled.
    #[must_use]
    pub fn mode(&self) -> plan::Mode {
        self.mode
    }

    /// What the query's author should know, found when it was prepared.
    #[must_use]
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The columns the query returns, in order.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Runs the query over `kg` (the graph it was prepared for) with `params`, within
    /// `limits`: an `EXPLAIN` gives its plan, a `PROFILE` its rows and measured plan.
    ///
    /// # Errors
    /// A missing parameter, a limit reached, a run-time type error.
    pub fn run(
        &self,
        kg: &KnowledgeGraph,
        adjacency: &Adjacency,
        params: BTreeMap<String, Value>,
        limits: Limits,
    ) -> Result<QueryResult, CypherError> {
        on_query_stack(self.source.len(), || {
            self.run_here(kg, adjacency, params, limits)
        })
    }

    fn run_here(
        &self,
        kg: &KnowledgeGraph,
        adjacency: &Adjacency,
        params: BTreeMap<String, Value>,
        limits: Limits,
    ) -> Result<QueryResult, CypherError> {
        let query = self.query.as_ref().expect("only Drop takes the query");
        let mut result = match self.mode {
            plan::Mode::Explain => QueryResult {
                columns: self.columns.clone(),
                rows: Vec::new(),
                notices: Vec::new(),
                plan: Some(plan::explain(kg, query)),
                truncated: false,
            },
            plan::Mode::Run | plan::Mode::Profile => {
                let mut engine = exec::Engine::new(kg, adjacency, params).with_limits(limits);
                if self.mode == plan::Mode::Profile {
                    engine = engine.profiled();
                }
                let mut result = engine.run(query)?;
                if self.mode == plan::Mode::Profile {
                    let mut measured = plan::explain(kg, query);
                    plan::attach(&mut measured, &engine.profile());
                    result.plan = Some(measured);
                }
                result
            }
        };
        let mut notices = self.notices.clone();
        notices.append(&mut result.notices);
        result.notices = notices;
        Ok(result)
    }
}

impl Drop for Prepared {
    /// A deeply nested syntax tree is dropped on a deep stack too.
    fn drop(&mut self) {
        if let Some(query) = self.query.take()
            && self.source.len() > SMALL_QUERY_BYTES
        {
            let _ = on_query_stack(self.source.len(), move || {
                drop(query);
                Ok(())
            });
        }
    }
}

/// Runs `job` on a thread whose stack fits the deepest query the parser accepts, unless the
/// query is `source_len` bytes short.
fn on_query_stack<T: Send>(
    source_len: usize,
    job: impl FnOnce() -> Result<T, CypherError> + Send,
) -> Result<T, CypherError> {
    // Every level of nesting takes at least two bytes of text (`(`…`)`, `1+`, `-x`), so a
    // short query nests at most fifty levels, which any thread's stack holds (even a 2 MiB
    // test thread, unoptimised); it skips the thread, which costs about 0.1 ms, more than a
    // one-hop query takes.
    if source_len <= SMALL_QUERY_BYTES {
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

/// Reads a `--param name=value` value: an integer, a float, `true`/`false`, `null`, a list or
/// map written as in Cypher (`['Apa', 1]`, `{name: 'Ada'}`), or else a string (quotes around it
/// are removed).
///
/// # Errors
/// Text that opens a list or map (`[`, `{`) but is not one of constants: it was meant as one,
/// and reading it as a string would answer a different question.
pub fn param_value(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return literal_value(trimmed).ok_or_else(|| {
            format!(
                "`{trimmed}` is not a list or map of constants written as in Cypher \
                 (quote it, '{trimmed}', to pass it as text)"
            )
        });
    }
    if let Ok(i) = trimmed.parse::<i64>() {
        return Ok(Value::Int(i));
    }
    if let Ok(x) = trimmed.parse::<f64>()
        && x.is_finite()
        && trimmed.bytes().any(|b| b.is_ascii_digit())
    {
        return Ok(Value::Float(x));
    }
    Ok(match trimmed {
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
    })
}

/// The value of a Cypher literal (numbers, strings, booleans, null, and lists and maps of
/// them), or `None` when `text` is anything else.
fn literal_value(text: &str) -> Option<Value> {
    fn constant(expr: &ast::Expr) -> Option<Value> {
        Some(match &expr.kind {
            ast::ExprKind::Literal(literal) => match literal {
                ast::Literal::Null => Value::Null,
                ast::Literal::Bool(b) => Value::Bool(*b),
                ast::Literal::Int(i) => Value::Int(*i),
                ast::Literal::Float(x) => Value::Float(*x),
                ast::Literal::Str(s) => Value::Str(s.clone()),
            },
            ast::ExprKind::Negate(inner) => match constant(inner)? {
                Value::Int(i) => Value::Int(i.checked_neg()?),
                Value::Float(x) => Value::Float(-x),
                _ => return None,
            },
            ast::ExprKind::List(items) => {
                Value::List(items.iter().map(constant).collect::<Option<_>>()?)
            }
            ast::ExprKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Some((k.clone(), constant(v)?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }
    let query = parser::parse(&format!("RETURN {text} AS value")).ok()?;
    match query.clauses.as_slice() {
        [ast::Clause::Return(projection)] if query.unions.is_empty() => {
            constant(&projection.items.first()?.expr)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> KnowledgeGraph {
        KnowledgeGraph::from_csv(
            &[("n", "id,x:int\na,1\nb,2\nc,3\n")],
            &[("r", "from,type,to\na,t,b\nb,t,c\na,u,c\n")],
            None,
        )
        .unwrap()
    }

    #[test]
    fn a_prepared_query_runs_with_new_parameters_as_a_fresh_one_does() {
        let kg = graph();
        let adjacency = kg.adjacency();
        let text = "MATCH (n {id: $id})-[r]->(m) RETURN type(r) AS t, m.x AS x ORDER BY t";
        let prepared = prepare(&kg, text).unwrap();
        assert_eq!(prepared.columns(), ["t", "x"]);
        for id in ["a", "b", "c", "nobody"] {
            let params = || BTreeMap::from([("id".to_owned(), Value::Str(id.to_owned()))]);
            let fresh = run(&kg, adjacency, text, params(), Limits::default()).unwrap();
            let again = prepared
                .run(&kg, adjacency, params(), Limits::default())
                .unwrap();
            assert_eq!(again.rows, fresh.rows, "{id}");
            assert_eq!(again.columns, fresh.columns);
        }
        // A missing parameter is an error of the run, not of the preparation.
        let err = prepared
            .run(&kg, adjacency, BTreeMap::new(), Limits::default())
            .unwrap_err();
        assert_eq!(err.code, Some("ParameterMissing"));
    }

    #[test]
    fn a_prepared_query_is_shared_between_threads_and_keeps_its_notices() {
        fn shareable<T: Send + Sync>(_: &T) {}
        let kg = graph();
        let adjacency = kg.adjacency();
        let prepared = prepare(&kg, "MATCH (n:nn) RETURN n.x AS x").unwrap();
        shareable(&prepared);
        assert_eq!(prepared.notices()[0].title, "UnknownLabelWarning");
        std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    let result = prepared
                        .run(&kg, adjacency, BTreeMap::new(), Limits::default())
                        .unwrap();
                    assert_eq!(result.notices.len(), 1);
                });
            }
        });
    }

    #[test]
    fn a_deeply_nested_prepared_query_runs_and_drops_on_its_own_stack() {
        let kg = graph();
        let adjacency = kg.adjacency();
        let depth = 5_000;
        let text = format!("RETURN {}1{} AS x", "(".repeat(depth), ")".repeat(depth));
        let prepared = prepare(&kg, &text).unwrap();
        let result = prepared
            .run(&kg, adjacency, BTreeMap::new(), Limits::default())
            .unwrap();
        assert_eq!(result.rows, [[Value::Int(1)]]);
        drop(prepared);
    }

    #[test]
    fn a_param_is_a_number_boolean_null_list_map_or_else_text() {
        assert_eq!(param_value("42").unwrap(), Value::Int(42));
        assert_eq!(param_value("-1.5").unwrap(), Value::Float(-1.5));
        assert_eq!(param_value("null").unwrap(), Value::Null);
        assert_eq!(
            param_value("'quoted'").unwrap(),
            Value::Str("quoted".into())
        );
        assert_eq!(
            param_value("['Apa', -1, [true]]").unwrap(),
            Value::List(vec![
                Value::Str("Apa".into()),
                Value::Int(-1),
                Value::List(vec![Value::Bool(true)]),
            ])
        );
        assert_eq!(
            param_value("{name: 'Ada', born: 1815}").unwrap(),
            Value::Map(vec![
                ("name".into(), Value::Str("Ada".into())),
                ("born".into(), Value::Int(1815)),
            ])
        );
        // Meant as a list but not one of constants: an error, not text that answers another
        // question; quoted, it is text.
        assert!(
            param_value("[1, 2")
                .unwrap_err()
                .contains("is not a list or map")
        );
        assert!(param_value("[n.x]").is_err());
        assert_eq!(param_value("'[1, 2'").unwrap(), Value::Str("[1, 2".into()));
    }
}
