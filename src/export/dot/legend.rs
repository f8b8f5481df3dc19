//! The graph's label: title and legend as an HTML table.

use super::{PLAIN_EDGE, short_label};
use crate::export::escape::html;
use crate::graph::KnowledgeGraph;
use crate::view::Subgraph;

/// The graph's label: the title, then a legend of the kinds shown and of the relation types
/// drawn that `ties.toml` styles, as an HTML table (no node, so every reader of the DOT sees
/// exactly the entities).
pub(super) fn legend(kg: &KnowledgeGraph, view: &Subgraph, title: &str) -> String {
    const PER_ROW: usize = 6;
    let mut kinds: Vec<u16> = view.nodes.iter().map(|&n| kg.entity(n).kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut types: Vec<u16> = view
        .edges
        .iter()
        .map(|&edge| kg.relation(edge).rel_type)
        .collect();
    types.sort_unstable();
    types.dedup();
    // Items are runs of text in one cell a row, never cells of their own: Graphviz stretches
    // the cells of a table to its widest row (the title), which spread the items apart, and
    // a fixed-size table that its fonts find too small crashes some Graphviz versions.
    let mut items: Vec<String> = Vec::new();
    for kind in kinds {
        let name = kg.catalog.kind_name(kind);
        let color = kg.style.kind_color(name, usize::from(kind));
        items.push(format!(
            r#"<FONT COLOR="{color}">■</FONT>&#160;{}"#,
            html(&short_label(kg.style.kind_label(name)).0)
        ));
    }
    let mut plain = false;
    for rel_type in types {
        let name = kg.catalog.rel_type_name(rel_type);
        match kg.style.rel_types.get(name) {
            Some(style) if style.color.is_some() || style.line.is_some() => {
                let color = style
                    .color
                    .map_or_else(|| PLAIN_EDGE.to_owned(), |c| c.to_string());
                let stroke = match style.line.as_deref() {
                    Some("dashed") => "╍╍╍",
                    Some("dotted") => "┈┈┈",
                    Some("bold") => "▬▬▬",
                    _ => "——",
                };
                items.push(format!(
                    r#"<FONT COLOR="{color}">{stroke}</FONT>&#160;{}"#,
                    html(&short_label(kg.style.rel_type_label(name)).0)
                ));
            }
            _ => plain = true,
        }
    }
    if plain {
        items.push(format!(
            r#"<FONT COLOR="{PLAIN_EDGE}">——</FONT>&#160;other relations"#
        ));
    }
    let mut rows = format!(
        r#"<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT"><FONT POINT-SIZE="16"><B>{}</B></FONT></TD></TR>"#,
        html(&short_label(title).0)
    );
    for row in items.chunks(PER_ROW) {
        // Non-breaking spaces: Graphviz would collapse ordinary ones.
        rows.push_str(r#"<TR><TD ALIGN="LEFT">"#);
        rows.push_str(&row.join("&#160;&#160;&#160;&#160; "));
        rows.push_str("</TD></TR>");
    }
    rows.push_str("</TABLE>");
    format!("<{rows}>")
}
