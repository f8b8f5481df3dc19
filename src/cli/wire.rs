//! Output shapes of the command line: the JSON ones live in [`crate::cypher::json`] (the server
//! gives the same), the text tables here.

use crate::cypher::QueryResult;
use crate::graph::KnowledgeGraph;

pub use crate::cypher::json::{
    entity_attributes_json, entity_json, nodes_edges_json, relation_json, result_json,
};

/// Returns a plan as a text table: each operator (children indented under it), what it works
/// on, the rows expected, and for `PROFILE` the rows and milliseconds measured.
pub fn plan_table(plan: &crate::cypher::plan::Operator) -> String {
    let rows = crate::cypher::plan::rows(plan);
    let profiled = rows.iter().any(|(_, op)| op.rows.is_some());
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.force_no_tty();
    let mut header = vec!["Operator", "Details", "Estimated Rows"];
    if profiled {
        header.extend(["Rows", "Time (ms)"]);
    }
    table.set_header(header);
    for (name, op) in &rows {
        let mut cells = vec![
            name.clone(),
            op.details.clone(),
            format!("{:.0}", op.estimated_rows.ceil()),
        ];
        if profiled {
            cells.push(op.rows.map_or_else(String::new, |r| r.to_string()));
            cells.push(op.time_ms.map_or_else(String::new, |t| format!("{t:.3}")));
        }
        table.add_row(cells);
    }
    format!("{table}\n")
}

/// Returns query results as a text table.
pub fn result_table(kg: &KnowledgeGraph, result: &QueryResult) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.force_no_tty();
    table.set_header(result.columns.clone());
    for row in &result.rows {
        table.add_row(row.iter().map(|v| v.display(kg)).collect::<Vec<_>>());
    }
    let rows = result.rows.len();
    format!("{table}\n{rows} row{}\n", if rows == 1 { "" } else { "s" })
}
