//! GEXF 1.3 for Gephi, dynamic when relations have dates, so the timeline plays the network.
//!
//! - Root exactly `<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz"
//!   version="1.3">`, no `xsi:` attributes (the RELAX NG schema refuses them).
//! - `<graph defaultedgetype="directed" mode="dynamic|static" timeformat="date"
//!   timerepresentation="interval">`.
//! - Edges: `kind` = relation type, so Gephi keeps parallel relations of different types
//!   apart; `label` = type; `start`/`end` = the partial dates widened to days (`1992-08` starts
//!   1992-08-01 and ends 1992-08-31), open when missing. The dates as written are kept in the
//!   `start_text`/`end_text` attributes.
//! - `weight` = 1 + the relation's weight (1 when it has none): Gephi deletes edges of weight 0
//!   and scales thickness by weight, so weights start at 1; the raw value is the
//!   `relation_weight` attribute.
//! - Edges whose type `ties.toml` styles carry its colour as `viz:color` and a dashed or
//!   dotted line as `viz:shape`, so Gephi shows them as the diagrams do.
//! - Nodes: `label` = display name, `kind` attribute, `viz:color` from the kind's colour
//!   (`r`/`g`/`b`, never `hex`, which NetworkX cannot read).

use std::io::{self, Write};

use crate::export::escape::{XmlContext, xml_attr, xml_escape_into};
use crate::export::sink::{Chunk, Sink};
use crate::export::{EscapedIds, Warnings, attribute_columns, xml_type};
use crate::graph::KnowledgeGraph;
use crate::model::style::Rgb;
use crate::view::Subgraph;

/// Names that are GEXF XML attributes, never `<attvalue>` titles.
const RESERVED: &[&str] = &[
    "id",
    "label",
    "pid",
    "start",
    "end",
    "timestamp",
    "timestamps",
    "intervals",
    "source",
    "target",
    "type",
    "kind",
    "weight",
    "start_text",
    "end_text",
    "relation_weight",
];

fn declare(out: &mut Chunk, id: &str, kind: &str) {
    out.raw(r#"      <attribute id=""#);
    out.xml_attr(id);
    out.raw(r#"" title=""#);
    out.xml_attr(id);
    out.raw(r#"" type=""#);
    out.raw(kind);
    out.raw("\"/>\n");
}

/// Writes one `<attvalue>`; `id` is escaped already.
fn attvalue(out: &mut Chunk, id: &str, value: impl std::fmt::Display) {
    out.raw(r#"          <attvalue for=""#);
    out.raw(id);
    out.raw(r#"" value=""#);
    out.xml_display(value, XmlContext::Attribute);
    out.raw("\"/>\n");
}

/// Writes one `<attvalue>` of text; `id` is escaped already.
fn attvalue_text(out: &mut Chunk, id: &str, value: &str) {
    out.raw(r#"          <attvalue for=""#);
    out.raw(id);
    out.raw(r#"" value=""#);
    out.xml_attr(value);
    out.raw("\"/>\n");
}

fn viz_color(out: &mut Chunk, Rgb(r, g, b): Rgb) {
    out.raw(r#"        <viz:color r=""#);
    out.int(r);
    out.raw(r#"" g=""#);
    out.int(g);
    out.raw(r#"" b=""#);
    out.int(b);
    out.raw("\"/>\n");
}

/// Writes `view` as GEXF 1.3.
///
/// # Errors
/// I/O errors from `out`.
pub fn write(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (node_columns, edge_columns) =
        attribute_columns(kg, view, (RESERVED, RESERVED), "GEXF", warnings);
    let dynamic = view.has_dates(kg);
    let mut out = Sink::new(out);
    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.raw(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n",
    );
    out.raw("  <meta>\n");
    out.raw(concat!(
        "    <creator>ties ",
        env!("CARGO_PKG_VERSION"),
        "</creator>\n"
    ));
    out.raw("    <description>");
    out.xml_text(&view.title);
    out.raw("</description>\n");
    out.raw("  </meta>\n");
    out.raw(r#"  <graph defaultedgetype="directed" mode=""#);
    out.raw(if dynamic { "dynamic" } else { "static" });
    out.raw("\" timeformat=\"date\" timerepresentation=\"interval\">\n");
    out.raw("    <attributes class=\"node\">\n");
    declare(&mut out, "kind", "string");
    for column in &node_columns {
        declare(&mut out, &column.name, xml_type(column.column_type));
    }
    out.raw("    </attributes>\n");
    out.raw("    <attributes class=\"edge\">\n");
    declare(&mut out, "type", "string");
    declare(&mut out, "start_text", "string");
    declare(&mut out, "end_text", "string");
    declare(&mut out, "relation_weight", "double");
    for column in &edge_columns {
        declare(&mut out, &column.name, xml_type(column.column_type));
    }
    out.raw("    </attributes>\n");
    let node_column_ids: Vec<String> = node_columns.iter().map(|c| xml_attr(&c.name)).collect();
    let edge_column_ids: Vec<String> = edge_columns.iter().map(|c| xml_attr(&c.name)).collect();
    let ids = EscapedIds::new(kg, |_, id, bytes| {
        xml_escape_into(bytes, id, XmlContext::Attribute)
    });
    out.raw("    <nodes count=\"");
    out.int(view.nodes.len());
    out.raw("\">\n");
    out.each(&view.nodes, |out, &node| {
        let entity = kg.entity(node);
        out.raw(r#"      <node id=""#);
        out.bytes(ids.get(node));
        out.raw(r#"" label=""#);
        out.xml_attr(kg.name(node));
        out.raw("\">\n        <attvalues>\n");
        attvalue_text(out, "kind", kg.kind(node));
        for (attr, value) in crate::export::entity_cells(kg, view, node) {
            attvalue(out, &node_column_ids[usize::from(attr)], value);
        }
        out.raw("        </attvalues>\n");
        viz_color(
            out,
            kg.style.kind_color(kg.kind(node), usize::from(entity.kind)),
        );
        out.raw("      </node>\n");
    })?;
    out.raw("    </nodes>\n");
    out.raw("    <edges count=\"");
    out.int(view.edges.len());
    out.raw("\">\n");
    out.each(&view.edges, |out, &edge| {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        let rel_type = kg.rel_type(edge);
        let weight = 1.0 + relation.weight().unwrap_or(0.0).max(0.0);
        out.raw(r#"      <edge id="e"#);
        out.int(edge.index());
        out.raw(r#"" source=""#);
        out.bytes(ids.get(from));
        out.raw(r#"" target=""#);
        out.bytes(ids.get(to));
        out.raw(r#"" label=""#);
        out.xml_attr(rel_type);
        out.raw(r#"" kind=""#);
        out.xml_attr(rel_type);
        out.raw(r#"" weight=""#);
        out.display(format_args!("{weight:?}"));
        out.raw("\"");
        // The timeline shows a relation over the days it is in force: an event only on its
        // own dates, a state from its start on.
        let span = kg.catalog.timings.span(relation);
        if let Some(first) = span.first {
            out.raw(r#" start=""#);
            out.display(first);
            out.raw("\"");
        }
        if let Some(last) = span.last {
            out.raw(r#" end=""#);
            out.display(last);
            out.raw("\"");
        }
        out.raw(">\n        <attvalues>\n");
        attvalue_text(out, "type", rel_type);
        if let Some(start) = relation.start {
            attvalue(out, "start_text", start);
        }
        if let Some(end) = relation.end {
            attvalue(out, "end_text", end);
        }
        if let Some(raw) = relation.weight() {
            attvalue(out, "relation_weight", raw);
        }
        for (attr, value) in kg.catalog.relation_cells(relation) {
            attvalue(out, &edge_column_ids[usize::from(attr)], value);
        }
        out.raw("        </attvalues>\n");
        // The relation type's colour and line from ties.toml, as the diagrams draw it.
        if let Some(style) = kg.style.rel_types.get(rel_type) {
            if let Some(color) = style.color {
                viz_color(out, color);
            }
            if let Some(shape @ ("dashed" | "dotted")) = style.line.as_deref() {
                out.raw(r#"        <viz:shape value=""#);
                out.raw(shape);
                out.raw("\"/>\n");
            }
        }
        out.raw("      </edge>\n");
    })?;
    out.raw("    </edges>\n");
    out.raw("  </graph>\n");
    out.raw("</gexf>\n");
    out.finish()?;
    let cleaned = out.xml_cleaned();
    if cleaned {
        warnings
            .push("GEXF: control characters XML cannot hold were replaced by U+FFFD".to_owned());
    }
    Ok(())
}
