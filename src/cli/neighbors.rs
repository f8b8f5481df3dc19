//! `ties neighbors`: everything within N relations of an entity, by distance and type.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::args::{FilterArgs, ReportFormat};
use crate::cli::error::{CliError, Outcome};
use crate::cli::wire::{entity_json, relation_json};
use crate::query::neighbors::neighbors;

/// A line of output with the start day it sorts by (undated last).
type DatedLine = (Option<crate::model::date::Day>, String);

/// List the entities within N relations of an entity
///
/// Grouped by distance, then by relation type, with dates. Each entity is shown with the
/// relations that link it to an entity one step closer. Exits 1 when there is none.
#[derive(Debug, clap::Args)]
pub struct NeighborsArgs {
    /// The entity: an id, or an exact name (case-insensitive)
    pub node: String,
    /// How many relations away to look
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Filters on relations and entities.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Runs `ties neighbors`.
pub fn run(ctx: &Ctx, args: &NeighborsArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let center = kg.resolve(&args.node)?;
    let filter = args.filter.filter(kg)?;
    let found = neighbors(kg, ctx.adjacency()?, center, args.depth, &filter);
    if args.format == ReportFormat::Json {
        let value = json!({
            "center": entity_json(kg, center),
            "depth": args.depth,
            "neighbors": found.iter().map(|n| {
                let mut entity = entity_json(kg, n.node);
                entity["distance"] = json!(n.distance);
                entity["via"] = n.via.iter().map(|&e| relation_json(kg, e)).collect();
                entity
            }).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} ({}): {} entit{} within {} relation{}{}",
            kg.name(center),
            kg.id(center),
            found.len(),
            if found.len() == 1 { "y" } else { "ies" },
            args.depth,
            if args.depth == 1 { "" } else { "s" },
            args.filter.describe()
        )?;
        let mut distance = 0;
        // (distance, type) → lines, so types print in name order within a distance.
        let mut groups: BTreeMap<(usize, &str), Vec<DatedLine>> = BTreeMap::new();
        for neighbor in &found {
            for &edge in &neighbor.via {
                let relation = kg.relation(edge);
                let (source, _) = kg.endpoints(edge);
                let arrow = if source == neighbor.node {
                    "←"
                } else {
                    "→"
                };
                let date = relation
                    .date_label()
                    .map(|d| format!("  {d}"))
                    .unwrap_or_default();
                let near = if neighbor.distance > 1 {
                    let other = if source == neighbor.node {
                        kg.endpoints(edge).1
                    } else {
                        source
                    };
                    format!("  (via {})", kg.name(other))
                } else {
                    String::new()
                };
                groups
                    .entry((neighbor.distance, kg.rel_type(edge)))
                    .or_default()
                    .push((
                        relation
                            .start
                            .map(crate::model::date::PartialDate::first_day),
                        format!(
                            "{arrow} {} ({}){date}{near}",
                            kg.name(neighbor.node),
                            kg.id(neighbor.node)
                        ),
                    ));
            }
        }
        for ((at, rel_type), mut lines) in groups {
            if at != distance {
                distance = at;
                writeln!(out, "distance {at}")?;
            }
            writeln!(out, "  {rel_type}")?;
            lines.sort_by_key(|line| (line.0.is_none(), line.0));
            for (_, line) in lines {
                writeln!(out, "    {line}")?;
            }
        }
    }
    Ok(if found.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Done
    })
}
