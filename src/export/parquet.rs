//! Parquet node and edge tables: a folder with `nodes.parquet` and `edges.parquet`.
//!
//! One table of entities and one of relations, as Spark `GraphFrames` (`id`; `src`/`dst`),
//! `DuckDB`, Polars and Memgraph's `LOAD PARQUET` take a graph; a kind or a type is a `WHERE`
//! away. (One file per kind would need a union before any of them could use the graph.)
//!
//! - `nodes.parquet`: `id`, `kind`, `label` (the display name), then every entity attribute
//!   column of the data, null where an entity has no value.
//! - `edges.parquet`: `src`, `dst`, `type`, `id` (`e<N>`), `start` and `end` (the partial dates
//!   as written), `start_from` and `end_to` (the days they open and close, `date32`),
//!   `weight`, then every relation attribute column.
//! - Attribute types: `:int` → int64, `:float` → double, `:bool` → boolean, lists → list of
//!   their item type (date lists as text), text → string. A `:date` column `d` becomes `d`
//!   (`date32`, set when the date is a full day), `d_text` (as written), and `d_from`/`d_to`
//!   (`date32`, the days the partial date spans, so `1995` can be compared with days).
//! - Columns whose names clash with these are written as `attr_<name>`.
//! - Written in row groups of [`ROW_GROUP`] rows with Snappy compression, so memory stays
//!   one row group whatever the graph's size.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::export::{Column, EscapedIds, Warnings, atomic, attribute_columns};
use crate::graph::KnowledgeGraph;
use crate::model::date::Day;
use crate::model::store::AttrId;
use crate::model::value::{ListRef, ScalarType, ValueRef};
use crate::view::Subgraph;

/// Rows per row group (and per batch handed to the writer).
pub const ROW_GROUP: usize = 128 * 1024;

const NODE_RESERVED: &[&str] = &["id", "kind", "label"];
const EDGE_RESERVED: &[&str] = &[
    "src",
    "dst",
    "type",
    "id",
    "start",
    "end",
    "start_from",
    "end_to",
    "weight",
];

/// Writes the folder at `path`, replacing an existing one only once the new one is complete.
///
/// # Errors
/// I/O and encoding errors, naming the file.
pub fn write_folder(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    path: &Path,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let (mut node_columns, mut edge_columns) = attribute_columns(
        kg,
        view,
        (NODE_RESERVED, EDGE_RESERVED),
        "Parquet",
        warnings,
    );
    avoid_date_part_clashes(&mut node_columns, NODE_RESERVED, warnings);
    avoid_date_part_clashes(&mut edge_columns, EDGE_RESERVED, warnings);
    atomic::write_folder_atomic(path, |dir| {
        let nodes_path = dir.join("nodes.parquet");
        write_nodes(kg, view, &node_columns, &nodes_path)
            .map_err(|err| atomic::at_path(err, "write", &nodes_path))?;
        let edges_path = dir.join("edges.parquet");
        write_edges(kg, view, &edge_columns, &edges_path)
            .map_err(|err| atomic::at_path(err, "write", &edges_path))
    })
}

/// A date column `d` also writes `d_text`, `d_from` and `d_to`: rename a column that would
/// take one of those names.
fn avoid_date_part_clashes(columns: &mut [Column], reserved: &[&str], warnings: &mut Warnings) {
    let mut taken: Vec<String> = reserved.iter().map(|name| (*name).to_owned()).collect();
    for column in columns.iter() {
        taken.push(column.name.clone());
        if is_date(column) {
            for part in ["_text", "_from", "_to"] {
                taken.push(format!("{}{part}", column.name));
            }
        }
    }
    let date_parts: Vec<String> = columns
        .iter()
        .filter(|c| is_date(c))
        .flat_map(|c| ["_text", "_from", "_to"].map(|part| format!("{}{part}", c.name)))
        .collect();
    for column in columns.iter_mut() {
        if date_parts.contains(&column.name) {
            let mut name = format!("attr_{}", column.name);
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("attr_{}_{n}", column.name);
            }
            warnings.push(format!(
                "Parquet: column `{}` has the name of a date column's part; written as `{name}`",
                column.name
            ));
            taken.push(name.clone());
            column.name = name;
        }
    }
}

fn is_date(column: &Column) -> bool {
    !column.column_type.is_list && column.column_type.scalar == ScalarType::Date
}

fn parquet_error(err: parquet::errors::ParquetError) -> io::Error {
    match err {
        parquet::errors::ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => io::Error::other(other),
        },
        other => io::Error::other(other),
    }
}

fn arrow_error(err: arrow_schema::ArrowError) -> io::Error {
    io::Error::other(err)
}

fn properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .set_created_by(format!("ties {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// The four columns of a date attribute.
struct DateBuilders {
    day: Date32Builder,
    text: StringBuilder,
    from: Date32Builder,
    to: Date32Builder,
}

/// The builder of one attribute column (four for a date column).
enum AttributeBuilder {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Date(Box<DateBuilders>),
    TextList(ListBuilder<StringBuilder>),
    IntList(ListBuilder<Int64Builder>),
    FloatList(ListBuilder<Float64Builder>),
    BoolList(ListBuilder<BooleanBuilder>),
}

impl AttributeBuilder {
    fn new(column: &Column) -> Self {
        let scalar = column.column_type.scalar;
        if column.column_type.is_list {
            return match scalar {
                ScalarType::String | ScalarType::Date => {
                    AttributeBuilder::TextList(ListBuilder::new(StringBuilder::new()))
                }
                ScalarType::Int => AttributeBuilder::IntList(ListBuilder::new(Int64Builder::new())),
                ScalarType::Float => {
                    AttributeBuilder::FloatList(ListBuilder::new(Float64Builder::new()))
                }
                ScalarType::Bool => {
                    AttributeBuilder::BoolList(ListBuilder::new(BooleanBuilder::new()))
                }
            };
        }
        match scalar {
            ScalarType::String => AttributeBuilder::Text(StringBuilder::new()),
            ScalarType::Int => AttributeBuilder::Int(Int64Builder::new()),
            ScalarType::Float => AttributeBuilder::Float(Float64Builder::new()),
            ScalarType::Bool => AttributeBuilder::Bool(BooleanBuilder::new()),
            ScalarType::Date => AttributeBuilder::Date(Box::new(DateBuilders {
                day: Date32Builder::new(),
                text: StringBuilder::new(),
                from: Date32Builder::new(),
                to: Date32Builder::new(),
            })),
        }
    }

    /// The schema fields of a column: one, or four for a date.
    fn fields(column: &Column) -> Vec<Field> {
        let name = &column.name;
        let item =
            |data_type: DataType| DataType::List(Arc::new(Field::new("item", data_type, true)));
        let scalar = column.column_type.scalar;
        let data_type = if column.column_type.is_list {
            item(match scalar {
                ScalarType::String | ScalarType::Date => DataType::Utf8,
                ScalarType::Int => DataType::Int64,
                ScalarType::Float => DataType::Float64,
                ScalarType::Bool => DataType::Boolean,
            })
        } else {
            match scalar {
                ScalarType::String => DataType::Utf8,
                ScalarType::Int => DataType::Int64,
                ScalarType::Float => DataType::Float64,
                ScalarType::Bool => DataType::Boolean,
                ScalarType::Date => {
                    return vec![
                        Field::new(name, DataType::Date32, true),
                        Field::new(format!("{name}_text"), DataType::Utf8, true),
                        Field::new(format!("{name}_from"), DataType::Date32, true),
                        Field::new(format!("{name}_to"), DataType::Date32, true),
                    ];
                }
            }
        };
        vec![Field::new(name, data_type, true)]
    }

    fn append(&mut self, value: Option<ValueRef<'_>>) {
        match (self, value) {
            (AttributeBuilder::Text(b), Some(ValueRef::Str(text))) => b.append_value(text),
            (AttributeBuilder::Int(b), Some(ValueRef::Int(n))) => b.append_value(n),
            (AttributeBuilder::Float(b), Some(ValueRef::Float(x))) => b.append_value(x),
            (AttributeBuilder::Bool(b), Some(ValueRef::Bool(v))) => b.append_value(v),
            (AttributeBuilder::Date(date_builders), Some(ValueRef::Date(date))) => {
                let DateBuilders {
                    day,
                    text,
                    from,
                    to,
                } = &mut **date_builders;
                day.append_option(date.day().map(|_| date.first_day().days_since_epoch()));
                text.append_value(date.to_string());
                from.append_value(date.first_day().days_since_epoch());
                to.append_value(date.last_day().days_since_epoch());
            }
            (AttributeBuilder::TextList(b), Some(ValueRef::List(list))) => {
                append_items(b, list, |items, item| items.append_value(item.to_string()));
            }
            (AttributeBuilder::IntList(b), Some(ValueRef::List(list))) => {
                append_items(b, list, |items, item| {
                    items.append_option(if let ValueRef::Int(n) = item {
                        Some(n)
                    } else {
                        None
                    });
                });
            }
            (AttributeBuilder::FloatList(b), Some(ValueRef::List(list))) => {
                append_items(b, list, |items, item| {
                    items.append_option(if let ValueRef::Float(x) = item {
                        Some(x)
                    } else {
                        None
                    });
                });
            }
            (AttributeBuilder::BoolList(b), Some(ValueRef::List(list))) => {
                append_items(b, list, |items, item| {
                    items.append_option(if let ValueRef::Bool(v) = item {
                        Some(v)
                    } else {
                        None
                    });
                });
            }
            // No value (or, never for loaded data, one of another type): null.
            (builder, _) => builder.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            AttributeBuilder::Text(b) => b.append_null(),
            AttributeBuilder::Int(b) => b.append_null(),
            AttributeBuilder::Float(b) => b.append_null(),
            AttributeBuilder::Bool(b) => b.append_null(),
            AttributeBuilder::Date(date_builders) => {
                let DateBuilders {
                    day,
                    text,
                    from,
                    to,
                } = &mut **date_builders;
                day.append_null();
                text.append_null();
                from.append_null();
                to.append_null();
            }
            AttributeBuilder::TextList(b) => b.append(false),
            AttributeBuilder::IntList(b) => b.append(false),
            AttributeBuilder::FloatList(b) => b.append(false),
            AttributeBuilder::BoolList(b) => b.append(false),
        }
    }

    fn finish(&mut self, arrays: &mut Vec<ArrayRef>) {
        match self {
            AttributeBuilder::Text(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::Int(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::Float(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::Bool(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::Date(date_builders) => {
                let DateBuilders {
                    day,
                    text,
                    from,
                    to,
                } = &mut **date_builders;
                arrays.push(Arc::new(day.finish()));
                arrays.push(Arc::new(text.finish()));
                arrays.push(Arc::new(from.finish()));
                arrays.push(Arc::new(to.finish()));
            }
            AttributeBuilder::TextList(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::IntList(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::FloatList(b) => arrays.push(Arc::new(b.finish())),
            AttributeBuilder::BoolList(b) => arrays.push(Arc::new(b.finish())),
        }
    }
}

/// Appends one list value: each item through `item`, then the list.
fn append_items<B: arrow_array::builder::ArrayBuilder>(
    builder: &mut ListBuilder<B>,
    list: ListRef<'_>,
    item: impl Fn(&mut B, ValueRef<'_>),
) {
    for value in list.items() {
        item(builder.values(), value);
    }
    builder.append(true);
}

/// The attribute columns of a table and their builders, filled one row at a time.
struct Attributes<'c> {
    columns: &'c [Column],
    builders: Vec<AttributeBuilder>,
    /// The row being filled: a value per column, by attribute id.
    row: Vec<Option<ValueRef<'c>>>,
}

impl<'c> Attributes<'c> {
    fn new(columns: &'c [Column]) -> Self {
        Attributes {
            columns,
            builders: columns.iter().map(AttributeBuilder::new).collect(),
            row: vec![None; columns.len()],
        }
    }

    fn fields(&self) -> Vec<Field> {
        self.columns
            .iter()
            .flat_map(AttributeBuilder::fields)
            .collect()
    }

    fn append(&mut self, cells: impl Iterator<Item = (AttrId, ValueRef<'c>)>) {
        self.row.fill(None);
        for (attr, value) in cells {
            self.row[usize::from(attr)] = Some(value);
        }
        for (builder, value) in self.builders.iter_mut().zip(&self.row) {
            builder.append(*value);
        }
    }

    fn finish(&mut self, arrays: &mut Vec<ArrayRef>) {
        for builder in &mut self.builders {
            builder.finish(arrays);
        }
    }
}

fn write_nodes(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    columns: &[Column],
    path: &Path,
) -> io::Result<()> {
    let mut attributes = Attributes::new(columns);
    let mut fields = vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("label", DataType::Utf8, false),
    ];
    fields.extend(attributes.fields());
    let schema = Arc::new(Schema::new(fields));
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema.clone(), Some(properties()))
        .map_err(parquet_error)?;
    for batch in view.nodes.chunks(ROW_GROUP) {
        let (mut ids, mut kinds, mut labels) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        for &node in batch {
            ids.append_value(kg.id(node));
            kinds.append_value(kg.kind(node));
            labels.append_value(kg.name(node));
            attributes.append(crate::export::entity_cells(kg, view, node));
        }
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(ids.finish()),
            Arc::new(kinds.finish()),
            Arc::new(labels.finish()),
        ];
        attributes.finish(&mut arrays);
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(arrow_error)?;
        writer.write(&batch).map_err(parquet_error)?;
    }
    writer.close().map_err(parquet_error)?;
    Ok(())
}

fn write_edges(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    columns: &[Column],
    path: &Path,
) -> io::Result<()> {
    let mut attributes = Attributes::new(columns);
    let mut fields = vec![
        Field::new("src", DataType::Utf8, false),
        Field::new("dst", DataType::Utf8, false),
        Field::new("type", DataType::Utf8, false),
        Field::new("id", DataType::Utf8, false),
        Field::new("start", DataType::Utf8, true),
        Field::new("end", DataType::Utf8, true),
        Field::new("start_from", DataType::Date32, true),
        Field::new("end_to", DataType::Date32, true),
        Field::new("weight", DataType::Float64, true),
    ];
    fields.extend(attributes.fields());
    let schema = Arc::new(Schema::new(fields));
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema.clone(), Some(properties()))
        .map_err(parquet_error)?;
    let mut scratch = String::new();
    // Endpoint ids are looked up at random: packed, they stay in the CPU cache.
    let packed_ids = EscapedIds::new(kg, |_, id, bytes| {
        bytes.extend_from_slice(id.as_bytes());
        false
    });
    for batch in view.edges.chunks(ROW_GROUP) {
        let (mut sources, mut targets, mut types, mut ids) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        let (mut starts, mut ends) = (StringBuilder::new(), StringBuilder::new());
        let (mut start_days, mut end_days) = (Date32Builder::new(), Date32Builder::new());
        let mut weights = Float64Builder::new();
        for &edge in batch {
            let relation = kg.relation(edge);
            let (from, to) = kg.endpoints(edge);
            sources.append_value(packed_ids.get_str(from));
            targets.append_value(packed_ids.get_str(to));
            types.append_value(kg.rel_type(edge));
            scratch.clear();
            {
                use std::fmt::Write as _;
                let _ = write!(scratch, "{}", KnowledgeGraph::relation_id(edge));
            }
            ids.append_value(&scratch);
            starts.append_option(relation.start.map(|d| d.to_string()));
            ends.append_option(relation.end.map(|d| d.to_string()));
            let span = kg.catalog.timings.span(relation);
            start_days.append_option(span.first.map(Day::days_since_epoch));
            end_days.append_option(span.last.map(Day::days_since_epoch));
            weights.append_option(relation.weight());
            attributes.append(kg.catalog.relation_cells(relation));
        }
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(sources.finish()),
            Arc::new(targets.finish()),
            Arc::new(types.finish()),
            Arc::new(ids.finish()),
            Arc::new(starts.finish()),
            Arc::new(ends.finish()),
            Arc::new(start_days.finish()),
            Arc::new(end_days.finish()),
            Arc::new(weights.finish()),
        ];
        attributes.finish(&mut arrays);
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(arrow_error)?;
        writer.write(&batch).map_err(parquet_error)?;
    }
    writer.close().map_err(parquet_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parts_never_take_another_columns_name() {
        let column = |name: &str, scalar| Column {
            attr: 0,
            name: name.to_owned(),
            column_type: crate::model::value::ColumnType::scalar(scalar),
        };
        let mut columns = vec![
            column("signed", ScalarType::Date),
            column("signed_text", ScalarType::String),
        ];
        let mut warnings = Warnings::default();
        avoid_date_part_clashes(&mut columns, NODE_RESERVED, &mut warnings);
        assert_eq!(columns[1].name, "attr_signed_text");
        assert_eq!(warnings.0.len(), 1);
    }
}
