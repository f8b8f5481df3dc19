//! Dates that cannot be right: after today, before the year 1000, or outside the lives of the
//! entities a relation joins.

use super::{DataWarning, WarningKind, YEAR_FLOOR, entity_origin};
use crate::graph::KnowledgeGraph;
use crate::model::date::{Day, DayRange, PartialDate};
use crate::model::schema::LIFETIME_COLUMNS;
use crate::model::store::AttrId;
use crate::model::value::{ColumnType, ScalarType, ValueRef};

fn implausible(date: PartialDate, today: Day) -> Option<&'static str> {
    if date.first_day() > today {
        Some("is after today")
    } else if date.year() < YEAR_FLOOR {
        Some("is before the year 1000")
    } else {
        None
    }
}

pub(super) fn implausible_dates(kg: &KnowledgeGraph, today: Day, warnings: &mut Vec<DataWarning>) {
    for node in kg.node_indices() {
        for (def, value) in kg.catalog.entity_attrs(kg.entity(node)) {
            let dates: Vec<PartialDate> = match value {
                ValueRef::Date(date) => vec![date],
                ValueRef::List(list) => list
                    .items()
                    .filter_map(|item| match item {
                        ValueRef::Date(date) => Some(date),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for date in dates {
                if let Some(why) = implausible(date, today) {
                    warnings.push(DataWarning::about_entity(
                        WarningKind::ImplausibleDate,
                        kg,
                        node,
                        format!("`{}`: {} `{date}` {why}", kg.id(node), def.name),
                    ));
                }
            }
        }
    }
    for edge in kg.edge_indices() {
        let relation = kg.relation(edge);
        for (column, date) in [("start", relation.start), ("end", relation.end)] {
            if let Some(date) = date
                && let Some(why) = implausible(date, today)
            {
                warnings.push(DataWarning::about_relation(
                    WarningKind::ImplausibleDate,
                    kg,
                    edge,
                    format!("{column} `{date}` {why}"),
                ));
            }
        }
    }
}

/// The date columns that bound the lives of each kind's entities, as attribute ids: the
/// schema's `lifetime`, else `born`/`died` or `founded`/`dissolved` when the kind's file has
/// one of them as a date column.
fn lifetime_columns(kg: &KnowledgeGraph) -> Vec<Option<(Option<AttrId>, Option<AttrId>)>> {
    let catalog = &kg.catalog;
    let date_attr = |kind: usize, name: &str| {
        if !catalog.kind_file(kind).columns.iter().any(|c| c == name) {
            return None;
        }
        catalog
            .entity_attrs
            .iter()
            .position(|def| {
                def.name == name && def.column_type == ColumnType::scalar(ScalarType::Date)
            })
            .and_then(|i| AttrId::try_from(i).ok())
    };
    (0..catalog.kinds.len())
        .map(|kind| {
            let declared = kg.schema.kinds.get(&catalog.kinds[kind]);
            let pairs: Vec<(&str, &str)> = match declared.and_then(|rule| rule.lifetime.as_ref()) {
                Some((begin, end)) => vec![(begin.as_str(), end.as_str())],
                None => LIFETIME_COLUMNS.to_vec(),
            };
            pairs.into_iter().find_map(|(begin, end)| {
                let columns = (date_attr(kind, begin), date_attr(kind, end));
                (columns != (None, None)).then_some(columns)
            })
        })
        .collect()
}

pub(super) fn outside_lifetimes(kg: &KnowledgeGraph, warnings: &mut Vec<DataWarning>) {
    let columns = lifetime_columns(kg);
    if columns.iter().all(Option::is_none) {
        return;
    }
    let date = |node, attr: Option<AttrId>| {
        let attr = attr?;
        kg.catalog
            .entity_cells(kg.entity(node))
            .find(|&(a, _)| a == attr)
            .and_then(|(_, value)| match value {
                ValueRef::Date(date) => Some(date),
                _ => None,
            })
    };
    let lifetimes: Vec<Option<(Option<PartialDate>, Option<PartialDate>)>> = kg
        .node_indices()
        .map(|node| {
            let (begin, end) = columns[usize::from(kg.entity(node).kind)]?;
            let life = (date(node, begin), date(node, end));
            (life != (None, None)).then_some(life)
        })
        .collect();
    for edge in kg.edge_indices() {
        let relation = kg.relation(edge);
        let span = kg.catalog.timings.span(relation);
        if span == DayRange::of_span(None, None) {
            continue;
        }
        let (from, to) = kg.endpoints(edge);
        for node in if from == to {
            vec![from]
        } else {
            vec![from, to]
        } {
            let Some((begin, end)) = lifetimes[node.index()] else {
                continue;
            };
            if span.overlaps(DayRange::of_span(begin, end)) {
                continue;
            }
            let (begin_column, end_column) =
                columns[usize::from(kg.entity(node).kind)].unwrap_or_default();
            let life: Vec<String> = [(begin_column, begin), (end_column, end)]
                .into_iter()
                .filter_map(|(column, date)| {
                    let name = &kg.catalog.entity_attrs[usize::from(column?)].name;
                    Some(format!("{name} {}", date?))
                })
                .collect();
            let life = life.join(", ");
            warnings.push(DataWarning::about_relation(
                WarningKind::OutsideLifetime,
                kg,
                edge,
                format!(
                    "`{}` dated {} is outside the lifetime of `{}` ({life}, {})",
                    kg.rel_type(edge),
                    relation.date_label().unwrap_or_default(),
                    kg.id(node),
                    entity_origin(kg, node)
                ),
            ));
        }
    }
}
