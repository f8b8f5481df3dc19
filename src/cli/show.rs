//! `ties show`: one entity, its attributes and its relations in date order.

use std::io::Write;

use serde_json::json;

use crate::cli::Ctx;
use crate::cli::args::ReportFormat;
use crate::cli::error::{CliError, Outcome};
use crate::cli::wire::{entity_attributes_json, entity_json, relation_json};
use crate::query::show::incident_relations;

/// Show one entity with every relation in and out, in date order
///
/// Dated relations come first, by start date; undated ones follow in input order. Each
/// relation shows its provenance attributes (such as `source` and `note`) and the file and
/// line that states it.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The entity: an id, or an exact name (case-insensitive)
    pub node: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Runs `ties show`.
pub fn run(ctx: &Ctx, args: &ShowArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let node = kg.resolve(&args.node)?;
    let incident = incident_relations(kg, node);
    if args.format == ReportFormat::Json {
        let mut entity = entity_json(kg, node);
        entity["attributes"] = entity_attributes_json(kg, node);
        entity["relations"] = incident
            .iter()
            .map(|i| {
                let mut relation = relation_json(kg, i.edge);
                relation["direction"] = json!(if i.outgoing { "out" } else { "in" });
                relation["origin"] = json!(kg.relation_origin(i.edge));
                relation
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &entity).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Done);
    }
    let entity = kg.entity(node);
    writeln!(
        out,
        "{} ({}) · {}",
        kg.name(node),
        kg.id(node),
        kg.kind(node)
    )?;
    writeln!(
        out,
        "  defined at {}:{}",
        kg.catalog.file_path(entity.origin.file),
        entity.origin.line
    )?;
    for (def, value) in kg.catalog.entity_attrs(entity) {
        writeln!(out, "  {}: {}", def.name, one_line(&value.to_string()))?;
    }
    writeln!(out, "\nrelations ({})", incident.len())?;
    for i in &incident {
        let relation = kg.relation(i.edge);
        let date = relation
            .date_label()
            .unwrap_or_else(|| "undated".to_owned());
        let rel_type = kg.rel_type(i.edge);
        let arrow = if i.outgoing {
            format!("—{rel_type}→")
        } else {
            format!("←{rel_type}—")
        };
        writeln!(
            out,
            "  {date:<13} {arrow} {} ({})",
            kg.name(i.other),
            kg.id(i.other)
        )?;
        if let Some(weight) = relation.weight() {
            writeln!(out, "                weight: {weight}")?;
        }
        for (def, value) in kg.catalog.relation_attrs(relation) {
            writeln!(
                out,
                "                {}: {}",
                def.name,
                one_line(&value.to_string())
            )?;
        }
        writeln!(out, "                at {}", kg.relation_origin(i.edge))?;
    }
    Ok(Outcome::Done)
}

/// Returns text with line breaks shown as `⏎`, so one value stays on one line.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "⏎").replace(['\n', '\r'], "⏎")
}
