//! The CSV tables an import writes: fixed columns, then a column per property, typed from
//! the values it holds.

use std::collections::BTreeMap;

use crate::model::date::PartialDate;

/// A table being built: its header names and types, and its rows as cells by column.
#[derive(Default)]
pub(super) struct TableBuilder {
    /// Column name → (FtM type, values per row), for the property columns.
    columns: BTreeMap<String, ColumnValues>,
}

#[derive(Default)]
struct ColumnValues {
    ftm_type: String,
    /// Row → its values.
    cells: BTreeMap<usize, Vec<String>>,
}

impl TableBuilder {
    pub fn add(&mut self, row: usize, column: &str, ftm_type: &str, values: Vec<String>) {
        if values.is_empty() {
            return;
        }
        let entry = self.columns.entry(column.to_owned()).or_default();
        if entry.ftm_type.is_empty() {
            ftm_type.clone_into(&mut entry.ftm_type);
        }
        entry.cells.insert(row, values);
    }
}

/// How a column's cells are written.
struct ColumnPlan {
    /// The header cell: the name with its `:type` suffix.
    header: String,
    /// Values joined with `; ` as one text (an array would split a value holding `;`).
    joined: bool,
}

/// Chooses the header of a property column from its values and FtM type.
fn plan_column(name: &str, column: &ColumnValues) -> ColumnPlan {
    let values = || column.cells.values().flatten();
    let several = column.cells.values().any(|cells| cells.len() > 1);
    let joined =
        several && values().any(|value| value.contains(crate::model::value::LIST_SEPARATOR));
    let scalar = match column.ftm_type.as_str() {
        "date" if values().all(|value| PartialDate::parse(value).is_ok()) => "date",
        "number"
            if !several && values().all(|value| value.parse::<f64>().is_ok_and(f64::is_finite)) =>
        {
            "float"
        }
        _ => "string",
    };
    let suffix = match (several, joined, scalar) {
        (_, true, _) | (false, false, "string") => String::new(),
        (true, false, scalar) => format!(":{scalar}[]"),
        (false, false, scalar) => format!(":{scalar}"),
    };
    ColumnPlan {
        header: format!("{name}{suffix}"),
        joined,
    }
}

/// Writes a table: fixed columns first, then the property columns in name order.
pub(super) fn write_table(
    fixed_header: &[&str],
    fixed_rows: &[Vec<String>],
    table: &TableBuilder,
    joined_columns: &mut Vec<String>,
) -> String {
    let plans: Vec<(&String, &ColumnValues, ColumnPlan)> = table
        .columns
        .iter()
        .map(|(name, column)| {
            let plan = plan_column(name, column);
            if plan.joined {
                joined_columns.push(name.clone());
            }
            (name, column, plan)
        })
        .collect();
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let header: Vec<&str> = fixed_header
        .iter()
        .copied()
        .chain(plans.iter().map(|(_, _, plan)| plan.header.as_str()))
        .collect();
    // Writing into a Vec cannot fail.
    let _ = out.write_record(&header);
    let separator = crate::model::value::LIST_SEPARATOR.to_string();
    for (row, fixed) in fixed_rows.iter().enumerate() {
        let mut record: Vec<String> = fixed.clone();
        for (_, column, plan) in &plans {
            let cell = column.cells.get(&row).map_or_else(String::new, |values| {
                if plan.joined {
                    values.join("; ")
                } else {
                    values.join(&separator)
                }
            });
            record.push(cell);
        }
        let _ = out.write_record(&record);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
