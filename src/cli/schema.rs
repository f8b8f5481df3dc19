//! `ties schema`: what the data holds, kind by kind and type by type.

use std::io::{self, Write};

use crate::cli::Ctx;
use crate::cli::args::ReportFormat;
use crate::cli::error::{CliError, Outcome};
use crate::load::config::toml_key;
use crate::query::schema::{InferredSchema, describe, infer};

/// Print what the data holds: columns per kind, kinds per relation type
///
/// Per kind: its entities, how many have a name, and each column with its type and fill
/// rate. Per relation type: the kinds it connects (counted), how many relations are dated
/// and over which years, how many are weighted, its columns' fill rates, and whether
/// ties.toml declares it (and as a state or an event). Columns are listed where at least one
/// row fills them.
///
/// With --infer, prints instead a `[schema]` for ties.toml that the data satisfies: per kind
/// the columns every entity fills, per relation type the kinds it connects and the columns
/// every relation fills, and its declared time (state where none is declared).
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, conflicts_with = "infer")]
    pub format: ReportFormat,
    /// Print a schema the data satisfies, as TOML to paste into ties.toml
    #[arg(long)]
    pub infer: bool,
}

/// Runs `ties schema`.
pub fn run(ctx: &Ctx, args: &SchemaArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    if args.infer {
        let intro = format!(
            "# A schema the data in {} satisfies, from `ties schema --infer`: paste it into\n\
             # ties.toml, then tighten it. `time` is \"state\" (in force from start until end, the\n\
             # default) or \"event\" (in force only on its own dates: a visit, a signature).",
            ctx.data_dir().display()
        );
        write_inferred(&infer(kg), &intro, out)?;
        return Ok(Outcome::Done);
    }
    let schema = describe(kg);
    if args.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &schema).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Done);
    }
    let percent = |rate: f64| format!("{:.0}%", rate * 100.0);
    writeln!(out, "kinds")?;
    for kind in &schema.kinds {
        writeln!(
            out,
            "  {}: {} {}, {} with a name",
            kind.kind,
            kind.entities,
            if kind.entities == 1 {
                "entity"
            } else {
                "entities"
            },
            kind.named
        )?;
        let width = kind.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for column in &kind.columns {
            writeln!(
                out,
                "    {:width$}  {:8}  {:>4} filled ({})",
                column.name,
                column.column_type,
                percent(column.fill_rate),
                column.filled
            )?;
        }
    }
    writeln!(out, "\nrelation types")?;
    let declared_any = !kg.schema.is_empty();
    for rel_type in &schema.types {
        let dates = match (&rel_type.first, &rel_type.last) {
            (Some(first), Some(last)) if first == last => format!(", in {first}"),
            (Some(first), Some(last)) => format!(", from {first} to {last}"),
            _ => String::new(),
        };
        let declared = match (declared_any, rel_type.declared) {
            (false, _) => String::new(),
            (true, true) => format!("; declared, {}", rel_type.time),
            (true, false) => "; not declared".to_owned(),
        };
        writeln!(
            out,
            "  {}: {} {}, {} dated{dates}{}{declared}",
            rel_type.rel_type,
            rel_type.relations,
            if rel_type.relations == 1 {
                "relation"
            } else {
                "relations"
            },
            rel_type.dated,
            if rel_type.weighted > 0 {
                format!(", {} weighted", rel_type.weighted)
            } else {
                String::new()
            }
        )?;
        for connection in &rel_type.connects {
            writeln!(
                out,
                "    {} -> {}  {}",
                connection.from, connection.to, connection.count
            )?;
        }
        for column in &rel_type.columns {
            writeln!(
                out,
                "    column {} ({}): {} filled",
                column.name,
                column.column_type,
                percent(column.fill_rate)
            )?;
        }
    }
    if !declared_any {
        writeln!(
            out,
            "\nno schema declared: `ties schema --infer` prints one for ties.toml"
        )?;
    }
    Ok(Outcome::Done)
}

/// A TOML array of strings.
fn toml_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| toml::Value::String(item.clone()).to_string())
        .collect();
    format!("[{}]", items.join(", "))
}

/// Writes `inferred` as the `[schema]` tables of `ties.toml`, after the comment `intro`.
pub(crate) fn write_inferred(
    inferred: &InferredSchema,
    intro: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    let schema = &inferred.schema;
    writeln!(out, "{intro}")?;
    for (kind, rule) in &schema.kinds {
        writeln!(out, "\n[schema.kinds.{}]", toml_key(kind))?;
        if !rule.required.is_empty() {
            writeln!(out, "required = {}", toml_list(&rule.required))?;
        }
        if let Some((begin, end)) = &rule.lifetime {
            writeln!(
                out,
                "lifetime = {}",
                toml_list(&[begin.clone(), end.clone()])
            )?;
        }
    }
    for (rel_type, rule) in &schema.types {
        writeln!(out, "\n[schema.types.{}]", toml_key(rel_type))?;
        writeln!(out, "from = {}", toml_list(&rule.from))?;
        writeln!(out, "to = {}", toml_list(&rule.to))?;
        if !rule.required.is_empty() {
            writeln!(out, "required = {}", toml_list(&rule.required))?;
        }
        let hint = if inferred.maybe_events.contains(rel_type) {
            "  # each relation has one date: \"event\" if it happened on that date"
        } else {
            ""
        };
        writeln!(out, "time = \"{}\"{hint}", rule.timing.name())?;
    }
    Ok(())
}
