//! `ties query`: run a read-only Cypher query.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::time::Duration;

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::cli::wire::{plan_table, result_json, result_table};
use crate::cypher::{self, Limits, QueryResult, Value};

/// Output format of `ties query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// A text table
    Table,
    /// One object: columns, rows (objects keyed by column), truncated, notices (and plan)
    Json,
    /// CSV with a header row
    Csv,
}

/// Run a read-only Cypher query
///
/// The query comes from FILE (`-` for stdin) or from -e. MATCH, OPTIONAL MATCH, WHERE, WITH,
/// UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION, CALL { } subqueries, aggregates,
/// variable-length patterns and shortestPath / ALL SHORTEST are supported; writes and
/// procedure CALLs are refused. A query that is
/// wrong (an unknown variable, a type conflict, an aggregate out of place) is refused before
/// it reads the graph. See docs/cypher.md. Exits 1 when the query returns no row.
///
/// A label, relationship type or property key the graph does not have, patterns that share
/// no variable, and an unbounded `*` earn a warning with Neo4j's name and the nearest name
/// the graph has (`warning[UnknownLabelWarning]: no entity kind `companys`; did you mean
/// `companies`?`); the answer stays the same, `--strict` makes them errors (exit 2).
/// `EXPLAIN QUERY` prints the operators the query goes through with the rows expected of
/// each, without running it; `PROFILE QUERY` runs it and adds the rows of each operator and
/// the time of each clause.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// A .cypher file, or - for stdin
    #[arg(required_unless_present = "execute")]
    pub file: Option<String>,
    /// The query text
    #[arg(
        short = 'e',
        long = "execute",
        value_name = "QUERY",
        conflicts_with = "file"
    )]
    pub execute: Option<String>,
    /// A parameter for `$name` (integers, floats, true/false/null, lists and maps written as in
    /// Cypher, else text); repeatable
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Stop the query after this many seconds (0: no limit) [default: 120]
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Stop the query when a clause holds more than this many MiB of rows [default: 2048]
    #[arg(long, value_name = "MIB")]
    pub max_memory: Option<usize>,
    /// Treat warnings (unknown labels, types and property keys, Cartesian products,
    /// unbounded lengths) as errors: print them, no rows, and exit 2
    #[arg(long)]
    pub strict: bool,
    /// Run the query once for each row of this CSV file (`-` for stdin), whose header names
    /// the parameters; the answer lists each row's parameters (`$name` columns) before the
    /// query's columns. The query is parsed and planned once.
    #[arg(long, value_name = "FILE")]
    pub each: Option<String>,
}

impl QueryArgs {
    /// The limits the flags set.
    pub fn limits(&self) -> Result<Limits, CliError> {
        limits(self.timeout, self.max_memory)
    }
}

/// The limits `--timeout SECONDS` and `--max-memory MIB` set (for `query` and `serve`).
pub fn limits(timeout: Option<f64>, max_memory: Option<usize>) -> Result<Limits, CliError> {
    let mut limits = Limits::default();
    if let Some(seconds) = timeout {
        limits.timeout = match Duration::try_from_secs_f64(seconds) {
            Ok(Duration::ZERO) => None,
            Ok(duration) => Some(duration),
            Err(_) => {
                return Err(CliError::Usage(format!(
                    "`--timeout {seconds}` is not a number of seconds"
                )));
            }
        };
    }
    if let Some(mib) = max_memory {
        limits.max_memory = mib.saturating_mul(1 << 20);
    }
    Ok(limits)
}

/// Reads the query text and a name for messages.
fn source(args: &QueryArgs) -> Result<(String, String), CliError> {
    if let Some(text) = &args.execute {
        return Ok(("-e".to_owned(), text.clone()));
    }
    let file = args.file.as_deref().expect("clap requires FILE without -e");
    if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        return Ok(("<stdin>".to_owned(), text));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|err| CliError::Usage(format!("cannot read `{file}`: {err}")))?;
    Ok((file.to_owned(), text))
}

/// Parses `--param name=value` flags.
pub fn params(flags: &[String]) -> Result<BTreeMap<String, Value>, CliError> {
    flags
        .iter()
        .map(|flag| match flag.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                let name = name.trim().trim_start_matches('$');
                let value = cypher::param_value(value)
                    .map_err(|err| CliError::Usage(format!("--param {name}: {err}")))?;
                Ok((name.to_owned(), value))
            }
            _ => Err(CliError::Usage(format!(
                "`--param {flag}` is not NAME=VALUE"
            ))),
        })
        .collect()
}

/// Runs a query text; errors keep the text for the caret.
pub fn run_text(
    ctx: &Ctx,
    name: &str,
    text: &str,
    params: BTreeMap<String, Value>,
    limits: Limits,
) -> Result<QueryResult, CliError> {
    let kg = ctx.graph()?;
    cypher::run(kg, ctx.adjacency()?, text, params, limits).map_err(|error| CliError::Query {
        name: name.to_owned(),
        text: text.to_owned(),
        error,
    })
}

/// One row of `--each FILE`: its line and its parameters' values.
type ParamRow = (u64, Vec<Value>);

/// Reads `--each FILE`: the parameter names and its rows.
fn param_rows(file: &str) -> Result<(Vec<String>, Vec<ParamRow>), CliError> {
    let read = if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        crate::load::read_param_rows_text("-", &text)
    } else {
        crate::load::read_param_rows_file(file, std::path::Path::new(file))
    };
    let table = read.map_err(|diags| CliError::Input {
        file: file.to_owned(),
        problems: diags.iter().map(ToString::to_string).collect(),
    })?;
    let mut problems = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for (line, cells) in table.rows {
        let mut values = Vec::with_capacity(cells.len());
        for (name, text) in table.names.iter().zip(&cells) {
            // An empty cell is a missing value, as everywhere in ties' CSV.
            if text.trim().is_empty() {
                values.push(Value::Null);
                continue;
            }
            match cypher::param_value(text) {
                Ok(value) => values.push(value),
                Err(err) => problems.push(format!("{file}:{line}: column `{name}`: {err}")),
            }
        }
        rows.push((line, values));
    }
    if problems.is_empty() {
        Ok((table.names, rows))
    } else {
        Err(CliError::Input {
            file: file.to_owned(),
            problems,
        })
    }
}

/// Runs one prepared query once per row of `--each`: each row's parameters, then its answer.
fn run_each(
    ctx: &Ctx,
    args: &QueryArgs,
    (name, text): (&str, &str),
    file: &str,
) -> Result<QueryResult, CliError> {
    let kg = ctx.graph()?;
    let adjacency = ctx.adjacency()?;
    let query_error = |error| CliError::Query {
        name: name.to_owned(),
        text: text.to_owned(),
        error,
    };
    let prepared = cypher::prepare(kg, text).map_err(query_error)?;
    if prepared.mode() != cypher::plan::Mode::Run {
        return Err(CliError::Usage(
            "`--each` runs a query many times; EXPLAIN or PROFILE it without `--each`".to_owned(),
        ));
    }
    let fixed = params(&args.params)?;
    let (names, rows) = param_rows(file)?;
    let limits = args.limits()?;
    let mut answer = QueryResult {
        columns: names.iter().map(|n| format!("${n}")).collect(),
        rows: Vec::new(),
        notices: prepared.notices().to_vec(),
        plan: None,
        truncated: false,
    };
    answer.columns.extend(prepared.columns().iter().cloned());
    for (line, values) in rows {
        let mut params = fixed.clone();
        params.extend(names.iter().cloned().zip(values.iter().cloned()));
        let result = prepared
            .run(kg, adjacency, params, limits)
            .map_err(|error| CliError::Query {
                name: format!("{name} (the row at {file}:{line})"),
                text: text.to_owned(),
                error,
            })?;
        answer.truncated |= result.truncated;
        for row in result.rows {
            answer
                .rows
                .push(values.iter().cloned().chain(row).collect());
        }
    }
    Ok(answer)
}

/// Runs `ties query`.
pub fn run(ctx: &Ctx, args: &QueryArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let (name, text) = source(args)?;
    let result = match &args.each {
        Some(file) => run_each(ctx, args, (&name, &text), file)?,
        None => run_text(ctx, &name, &text, params(&args.params)?, args.limits()?)?,
    };
    let kg = ctx.graph()?;
    if args.strict && !result.notices.is_empty() {
        return Err(CliError::Input {
            file: format!("{name} (--strict)"),
            problems: result.notices.iter().map(ToString::to_string).collect(),
        });
    }
    for notice in &result.notices {
        ctx.note(&notice.to_string());
    }
    match args.format {
        QueryFormat::Table => {
            if result.plan.is_none() || !result.rows.is_empty() {
                out.write_all(result_table(kg, &result).as_bytes())?;
            }
            if let Some(plan) = &result.plan {
                out.write_all(plan_table(plan).as_bytes())?;
            }
        }
        QueryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &result_json(kg, &result))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        QueryFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut *out);
            csv.write_record(&result.columns)
                .map_err(std::io::Error::from)?;
            for row in &result.rows {
                csv.write_record(row.iter().map(|v| v.display(kg)))
                    .map_err(std::io::Error::from)?;
            }
            csv.flush()?;
        }
    }
    Ok(if result.rows.is_empty() && result.plan.is_none() {
        Outcome::NothingFound
    } else {
        Outcome::Done
    })
}
