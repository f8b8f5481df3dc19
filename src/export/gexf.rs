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

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::export::escape::{clean_xml, xml_attr};
use crate::export::{Column, Warnings, attribute_columns, xml_type};
use crate::graph::KnowledgeGraph;
use crate::model::store::AttrId;
use crate::model::value::ValueRef;
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

fn declare(out: &mut dyn Write, id: &str, kind: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"      <attribute id="{0}" title="{0}" type="{kind}"/>"#,
        xml_attr(id)
    )
}

fn attvalue(out: &mut dyn Write, id: &str, value: &str, cleaned: &mut bool) -> io::Result<()> {
    *cleaned |= clean_xml(value).1;
    writeln!(
        out,
        r#"          <attvalue for="{}" value="{}"/>"#,
        xml_attr(id),
        xml_attr(value)
    )
}

fn attvalues<'a>(
    out: &mut dyn Write,
    columns: &[Column],
    values: impl Iterator<Item = (AttrId, ValueRef<'a>)>,
    cleaned: &mut bool,
) -> io::Result<()> {
    for (attr, value) in values {
        attvalue(
            out,
            &columns[usize::from(attr)].name,
            &value.to_string(),
            cleaned,
        )?;
    }
    Ok(())
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
        attribute_columns(kg, (RESERVED, RESERVED), "GEXF", warnings);
    let dynamic = view.has_dates(kg);
    let mut cleaned = false;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">"#
    )?;
    writeln!(out, "  <meta>")?;
    writeln!(
        out,
        "    <creator>ties {}</creator>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        out,
        "    <description>{}</description>",
        crate::export::escape::xml_text(&view.title)
    )?;
    writeln!(out, "  </meta>")?;
    writeln!(
        out,
        r#"  <graph defaultedgetype="directed" mode="{}" timeformat="date" timerepresentation="interval">"#,
        if dynamic { "dynamic" } else { "static" }
    )?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    declare(out, "kind", "string")?;
    for column in &node_columns {
        declare(out, &column.name, xml_type(column.column_type))?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    declare(out, "type", "string")?;
    declare(out, "start_text", "string")?;
    declare(out, "end_text", "string")?;
    declare(out, "relation_weight", "double")?;
    for column in &edge_columns {
        declare(out, &column.name, xml_type(column.column_type))?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <nodes count="{}">"#, view.nodes.len())?;
    for &node in &view.nodes {
        let entity = kg.entity(node);
        cleaned |= clean_xml(kg.id(node)).1 | clean_xml(kg.name(node)).1;
        writeln!(
            out,
            r#"      <node id="{}" label="{}">"#,
            xml_attr(kg.id(node)),
            xml_attr(kg.name(node))
        )?;
        writeln!(out, "        <attvalues>")?;
        attvalue(out, "kind", kg.kind(node), &mut cleaned)?;
        attvalues(
            out,
            &node_columns,
            kg.catalog.entity_cells(entity),
            &mut cleaned,
        )?;
        writeln!(out, "        </attvalues>")?;
        let color = kg.style.kind_color(kg.kind(node), usize::from(entity.kind));
        writeln!(
            out,
            r#"        <viz:color r="{}" g="{}" b="{}"/>"#,
            color.0, color.1, color.2
        )?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, r#"    <edges count="{}">"#, view.edges.len())?;
    for &edge in &view.edges {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        let rel_type = kg.rel_type(edge);
        let weight = 1.0 + relation.weight().unwrap_or(0.0).max(0.0);
        let mut bounds = String::new();
        if let Some(start) = relation.start {
            let _ = write!(bounds, r#" start="{}""#, start.first_day());
        }
        if let Some(end) = relation.end {
            let _ = write!(bounds, r#" end="{}""#, end.last_day());
        }
        cleaned |= clean_xml(rel_type).1;
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" label="{3}" kind="{3}" weight="{weight:?}"{bounds}>"#,
            KnowledgeGraph::relation_id(edge),
            xml_attr(kg.id(from)),
            xml_attr(kg.id(to)),
            xml_attr(rel_type),
        )?;
        writeln!(out, "        <attvalues>")?;
        attvalue(out, "type", rel_type, &mut cleaned)?;
        if let Some(start) = relation.start {
            attvalue(out, "start_text", &start.to_string(), &mut cleaned)?;
        }
        if let Some(end) = relation.end {
            attvalue(out, "end_text", &end.to_string(), &mut cleaned)?;
        }
        if let Some(raw) = relation.weight() {
            attvalue(out, "relation_weight", &raw.to_string(), &mut cleaned)?;
        }
        attvalues(
            out,
            &edge_columns,
            kg.catalog.relation_cells(relation),
            &mut cleaned,
        )?;
        writeln!(out, "        </attvalues>")?;
        // The relation type's colour and line from ties.toml, as the diagrams draw it.
        if let Some(style) = kg.style.rel_types.get(rel_type) {
            if let Some(color) = style.color {
                writeln!(
                    out,
                    r#"        <viz:color r="{}" g="{}" b="{}"/>"#,
                    color.0, color.1, color.2
                )?;
            }
            if let Some(shape @ ("dashed" | "dotted")) = style.line.as_deref() {
                writeln!(out, r#"        <viz:shape value="{shape}"/>"#)?;
            }
        }
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    if cleaned {
        warnings
            .push("GEXF: control characters XML cannot hold were replaced by U+FFFD".to_owned());
    }
    Ok(())
}
