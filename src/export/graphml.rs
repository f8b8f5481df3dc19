//! GraphML that Gephi, NetworkX, igraph and rustworkx read alike.
//!
//! Keys are declared before `<graph>` with named ids (never `d0…`: Gephi maps `d3`/`d7` to
//! labels), typed from the column types (`long`, `double`, `boolean`, `string`; dates and lists
//! as strings), `for="node"` or `for="edge"` only. `edgedefault="directed"`, edge ids `e<N>` so
//! parallel relations survive. Nodes carry `label` (display name), `kind`, attributes and
//! `r`/`g`/`b` colour; edges carry `label` and `type` (the relation type), `weight`, `start`,
//! `end` (text as written) and attributes. Empty cells write no `<data>`.
//!
//! The schema makes node ids, key ids and `attr.name` name tokens (`xs:NMTOKEN`): a value that
//! is not one (`a b`, `<script>`) is written with `_xHHHH_` escapes (see
//! [`xml_name_token`]); ids that are tokens, as most are, are written as they are.

use std::io::{self, Write};

use crate::export::escape::{clean_xml, xml_attr, xml_name_token, xml_text};
use crate::export::{Column, Warnings, attribute_columns, xml_type};
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// Node key names Gephi (or ties) gives a meaning; user columns with these names are renamed.
const NODE_RESERVED: &[&str] = &[
    "label", "kind", "d3", "x", "y", "xpos", "ypos", "z", "size", "r", "g", "b", "id",
];
/// Edge key names Gephi (or ties) gives a meaning.
const EDGE_RESERVED: &[&str] = &[
    "label",
    "edgelabel",
    "d7",
    "weight",
    "Edge Weight",
    "id",
    "edgeid",
    "r",
    "g",
    "b",
    "type",
    "start",
    "end",
];

fn key(out: &mut dyn Write, id: &str, target: &str, name: &str, kind: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"  <key id="{}" for="{target}" attr.name="{}" attr.type="{kind}"/>"#,
        xml_attr(id),
        xml_attr(&xml_name_token(name))
    )
}

/// Key ids, unique across the document and valid name tokens: a column's name when it is
/// one (encoded by [`xml_name_token`] when not), an edge key whose id a node key has gets `e_`.
#[derive(Default)]
struct KeyIds {
    used: std::collections::HashSet<String>,
    edge: std::collections::HashMap<String, String>,
}

impl KeyIds {
    fn node(&mut self, name: &str) -> String {
        let id = xml_name_token(name).into_owned();
        self.used.insert(id.clone());
        id
    }

    fn edge(&mut self, name: &str) -> String {
        let token = xml_name_token(name).into_owned();
        let mut id = token.clone();
        let mut n = 1;
        while self.used.contains(&id) {
            id = if n == 1 {
                format!("e_{token}")
            } else {
                format!("e_{token}_{n}")
            };
            n += 1;
        }
        self.used.insert(id.clone());
        self.edge.insert(name.to_owned(), id.clone());
        id
    }
}

fn data(out: &mut dyn Write, key: &str, value: &str, cleaned: &mut bool) -> io::Result<()> {
    *cleaned |= clean_xml(value).1;
    writeln!(
        out,
        r#"      <data key="{}">{}</data>"#,
        xml_attr(key),
        xml_text(value)
    )
}

/// Writes `view` as GraphML.
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
        attribute_columns(kg, (NODE_RESERVED, EDGE_RESERVED), "GraphML", warnings);
    let mut keys = KeyIds::default();
    let mut cleaned = false;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    key(out, &keys.node("label"), "node", "label", "string")?;
    key(out, &keys.node("kind"), "node", "kind", "string")?;
    let node_key_ids: Vec<String> = node_columns.iter().map(|c| keys.node(&c.name)).collect();
    for (column, id) in node_columns.iter().zip(&node_key_ids) {
        key(out, id, "node", &column.name, xml_type(column.column_type))?;
    }
    for channel in ["r", "g", "b"] {
        key(out, &keys.node(channel), "node", channel, "int")?;
    }
    for (name, kind) in [
        ("label", "string"),
        ("type", "string"),
        ("weight", "double"),
        ("start", "string"),
        ("end", "string"),
    ] {
        key(out, &keys.edge(name), "edge", name, kind)?;
    }
    for column in &edge_columns {
        key(
            out,
            &keys.edge(&column.name),
            "edge",
            &column.name,
            xml_type(column.column_type),
        )?;
    }
    let edge_key = |name: &str| keys.edge[name].clone();
    let node_key = |name: &str| xml_name_token(name).into_owned();
    writeln!(out, r#"  <graph id="ties" edgedefault="directed">"#)?;
    for &node in &view.nodes {
        let entity = kg.entity(node);
        cleaned |= clean_xml(kg.id(node)).1;
        writeln!(
            out,
            r#"    <node id="{}">"#,
            xml_attr(&xml_name_token(kg.id(node)))
        )?;
        data(out, "label", kg.name(node), &mut cleaned)?;
        data(out, "kind", kg.kind(node), &mut cleaned)?;
        write_attrs(
            out,
            &node_columns,
            kg.catalog.entity_cells(entity),
            &node_key,
            &mut cleaned,
        )?;
        let color = kg.style.kind_color(kg.kind(node), usize::from(entity.kind));
        for (channel, value) in [("r", color.0), ("g", color.1), ("b", color.2)] {
            writeln!(out, r#"      <data key="{channel}">{value}</data>"#)?;
        }
        writeln!(out, "    </node>")?;
    }
    let mut zero_weights = 0usize;
    for &edge in &view.edges {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            KnowledgeGraph::relation_id(edge),
            xml_attr(&xml_name_token(kg.id(from))),
            xml_attr(&xml_name_token(kg.id(to)))
        )?;
        data(out, &edge_key("label"), kg.rel_type(edge), &mut cleaned)?;
        data(out, &edge_key("type"), kg.rel_type(edge), &mut cleaned)?;
        if let Some(weight) = relation.weight() {
            // Gephi deletes edges of weight 0 at import; keep them with a tiny weight.
            let written = if weight == 0.0 {
                zero_weights += 1;
                1e-9
            } else {
                weight
            };
            writeln!(
                out,
                r#"      <data key="{}">{written}</data>"#,
                xml_attr(&edge_key("weight"))
            )?;
        }
        if let Some(start) = relation.start {
            data(out, &edge_key("start"), &start.to_string(), &mut cleaned)?;
        }
        if let Some(end) = relation.end {
            data(out, &edge_key("end"), &end.to_string(), &mut cleaned)?;
        }
        write_attrs(
            out,
            &edge_columns,
            kg.catalog.relation_cells(relation),
            &edge_key,
            &mut cleaned,
        )?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    if zero_weights > 0 {
        warnings.push(format!(
            "GraphML: {zero_weights} relation(s) of weight 0 written as 1e-9 (Gephi deletes zero-weight edges)"
        ));
    }
    if cleaned {
        warnings
            .push("GraphML: control characters XML cannot hold were replaced by U+FFFD".to_owned());
    }
    Ok(())
}

fn write_attrs<'a>(
    out: &mut dyn Write,
    columns: &[Column],
    values: impl Iterator<
        Item = (
            crate::model::store::AttrId,
            crate::model::value::ValueRef<'a>,
        ),
    >,
    key_of: &dyn Fn(&str) -> String,
    cleaned: &mut bool,
) -> io::Result<()> {
    for (attr, value) in values {
        data(
            out,
            &key_of(&columns[usize::from(attr)].name),
            &value.to_string(),
            cleaned,
        )?;
    }
    Ok(())
}
