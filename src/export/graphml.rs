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
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::export::escape::{XmlContext, xml_attr, xml_escape_into, xml_name_token};
use crate::export::sink::{Chunk, Sink};
use crate::export::{EscapedIds, Warnings, attribute_columns, xml_type};
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

fn key(out: &mut Chunk, id: &str, target: &str, name: &str, kind: &str) {
    out.raw(r#"  <key id=""#);
    out.xml_attr(id);
    out.raw(r#"" for=""#);
    out.raw(target);
    out.raw(r#"" attr.name=""#);
    out.xml_attr(&xml_name_token(name));
    out.raw(r#"" attr.type=""#);
    out.raw(kind);
    out.raw("\"/>\n");
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

/// Writes one `<data>` element; `key` is escaped already.
fn data(out: &mut Chunk, key: &str, value: impl std::fmt::Display) {
    out.raw(r#"      <data key=""#);
    out.raw(key);
    out.raw(r#"">"#);
    out.xml_display(value, XmlContext::Text);
    out.raw("</data>\n");
}

/// Writes one `<data>` element with text content; `key` is escaped already.
fn data_text(out: &mut Chunk, key: &str, value: &str) {
    out.raw(r#"      <data key=""#);
    out.raw(key);
    out.raw(r#"">"#);
    out.xml_text(value);
    out.raw("</data>\n");
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
    let (node_columns, edge_columns) = attribute_columns(
        kg,
        view,
        (NODE_RESERVED, EDGE_RESERVED),
        "GraphML",
        warnings,
    );
    let mut out = Sink::new(out);
    let mut keys = KeyIds::default();
    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.raw("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    key(&mut out, &keys.node("label"), "node", "label", "string");
    key(&mut out, &keys.node("kind"), "node", "kind", "string");
    let node_key_ids: Vec<String> = node_columns.iter().map(|c| keys.node(&c.name)).collect();
    for (column, id) in node_columns.iter().zip(&node_key_ids) {
        key(
            &mut out,
            id,
            "node",
            &column.name,
            xml_type(column.column_type),
        );
    }
    for channel in ["r", "g", "b"] {
        key(&mut out, &keys.node(channel), "node", channel, "int");
    }
    for (name, kind) in [
        ("label", "string"),
        ("type", "string"),
        ("weight", "double"),
        ("start", "string"),
        ("end", "string"),
    ] {
        key(&mut out, &keys.edge(name), "edge", name, kind);
    }
    let edge_key_ids: Vec<String> = edge_columns.iter().map(|c| keys.edge(&c.name)).collect();
    for (column, id) in edge_columns.iter().zip(&edge_key_ids) {
        key(
            &mut out,
            id,
            "edge",
            &column.name,
            xml_type(column.column_type),
        );
    }
    // Key ids escaped once, written as they are below.
    let edge_key = |name: &str| xml_attr(&keys.edge[name]);
    let (label_key, type_key, weight_key, start_key, end_key) = (
        edge_key("label"),
        edge_key("type"),
        edge_key("weight"),
        edge_key("start"),
        edge_key("end"),
    );
    let node_key_ids: Vec<String> = node_key_ids.iter().map(|id| xml_attr(id)).collect();
    let edge_key_ids: Vec<String> = edge_key_ids.iter().map(|id| xml_attr(id)).collect();
    let ids = EscapedIds::new(kg, |_, id, bytes| {
        xml_escape_into(bytes, &xml_name_token(id), XmlContext::Attribute)
    });
    out.raw("  <graph id=\"ties\" edgedefault=\"directed\">\n");
    out.each(&view.nodes, |out, &node| {
        let entity = kg.entity(node);
        out.raw(r#"    <node id=""#);
        out.bytes(ids.get(node));
        out.raw("\">\n");
        data_text(out, "label", kg.name(node));
        data_text(out, "kind", kg.kind(node));
        for (attr, value) in crate::export::entity_cells(kg, view, node) {
            data(out, &node_key_ids[usize::from(attr)], value);
        }
        let color = kg.style.kind_color(kg.kind(node), usize::from(entity.kind));
        for (channel, value) in [("r", color.0), ("g", color.1), ("b", color.2)] {
            out.raw(r#"      <data key=""#);
            out.raw(channel);
            out.raw(r#"">"#);
            out.int(value);
            out.raw("</data>\n");
        }
        out.raw("    </node>\n");
    })?;
    let zero_weights = AtomicUsize::new(0);
    out.each(&view.edges, |out, &edge| {
        let relation = kg.relation(edge);
        let (from, to) = kg.endpoints(edge);
        out.raw(r#"    <edge id="e"#);
        out.int(edge.index());
        out.raw(r#"" source=""#);
        out.bytes(ids.get(from));
        out.raw(r#"" target=""#);
        out.bytes(ids.get(to));
        out.raw("\">\n");
        data_text(out, &label_key, kg.rel_type(edge));
        data_text(out, &type_key, kg.rel_type(edge));
        if let Some(weight) = relation.weight() {
            // Gephi deletes edges of weight 0 at import; keep them with a tiny weight.
            let written = if weight == 0.0 {
                zero_weights.fetch_add(1, Ordering::Relaxed);
                1e-9
            } else {
                weight
            };
            data(out, &weight_key, written);
        }
        if let Some(start) = relation.start {
            data(out, &start_key, start);
        }
        if let Some(end) = relation.end {
            data(out, &end_key, end);
        }
        for (attr, value) in kg.catalog.relation_cells(relation) {
            data(out, &edge_key_ids[usize::from(attr)], value);
        }
        out.raw("    </edge>\n");
    })?;
    out.raw("  </graph>\n");
    out.raw("</graphml>\n");
    out.finish()?;
    let zero_weights = zero_weights.into_inner();
    if zero_weights > 0 {
        warnings.push(format!(
            "GraphML: {zero_weights} relation(s) of weight 0 written as 1e-9 (Gephi deletes zero-weight edges)"
        ));
    }
    if out.xml_cleaned() {
        warnings
            .push("GraphML: control characters XML cannot hold were replaced by U+FFFD".to_owned());
    }
    Ok(())
}
