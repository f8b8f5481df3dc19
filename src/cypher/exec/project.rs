//! `UNWIND`, `WITH` and `RETURN`: rows projected, grouped as they arrive (aggregates keep
//! accumulators, never rows), then `DISTINCT`, `WHERE`, `ORDER BY`, `SKIP`, `LIMIT`.

use super::aggregate::{Finisher, Group, Grouping};
use super::{
    CypherError, Engine, Expr, ExprKind, Limits, Projection, RowPair, Span, Stage, Table, Value,
    check_variables, truthy,
};
use crate::cypher::ast::{SortItem, Var, VarId};

impl Engine<'_> {
    pub(super) fn run_unwind(
        &self,
        table: Table,
        expr: &Expr,
        alias: &str,
    ) -> Result<Table, CypherError> {
        check_variables(expr, &table.names)?;
        let alias_slot = table.names.iter().position(|n| n == alias);
        let mut out_names = table.names.clone();
        if alias_slot.is_none() {
            out_names.push(alias.to_owned());
        }
        let mut rows = Vec::new();
        for row in table.rows {
            let items = match self.eval(expr, &table.names, &row)? {
                Value::Null => Vec::new(),
                Value::List(items) => items,
                single => vec![single],
            };
            for item in items {
                self.meter.tick(expr.span)?;
                // Exactly as wide as the output row: the memory budget counts it so.
                let mut next = Vec::with_capacity(out_names.len());
                next.extend(row.iter().cloned());
                match alias_slot {
                    Some(slot) => next[slot] = item,
                    None => next.push(item),
                }
                rows.push(next);
                self.meter
                    .hold(Limits::table_bytes(rows.len(), out_names.len()), expr.span)?;
            }
        }
        self.count_rows(Stage::Out, rows.len());
        Ok(Table {
            names: out_names,
            rows,
        })
    }

    pub(super) fn run_projection(
        &self,
        table: Table,
        projection: &Projection,
    ) -> Result<Table, CypherError> {
        let (names, star_slots) = projection_columns(&table.names, projection)?;
        let aggregating = projection.items.iter().any(|i| i.expr.has_aggregate());
        let rows = if aggregating {
            let mut grouping = Grouping::new(projection, &table.names)?;
            for row in table.rows {
                self.meter.tick(grouping.span)?;
                grouping.add(self, &table.names, row)?;
            }
            self.finish_groups(grouping, &table.names)?
        } else {
            let span = projection_span(projection);
            let mut rows = Vec::with_capacity(table.rows.len());
            for row in table.rows {
                self.meter.tick(span)?;
                let mut out: Vec<Value> = star_slots.iter().map(|&s| row[s].clone()).collect();
                for item in &projection.items {
                    out.push(self.eval(&item.expr, &table.names, &row)?);
                }
                rows.push((out, row));
            }
            rows
        };
        self.finish_projection(&table.names, projection, names, rows, aggregating)
    }

    /// The output rows of each group: its key columns and its finished aggregates.
    pub(super) fn finish_groups(
        &self,
        grouping: Grouping<'_>,
        input_names: &[String],
    ) -> Result<Vec<RowPair>, CypherError> {
        let Grouping {
            projection,
            star_slots,
            calls,
            finishers,
            names,
            mut groups,
            ..
        } = grouping;
        if groups.is_empty()
            && star_slots.is_empty()
            && projection.items.iter().all(|i| i.expr.has_aggregate())
        {
            // Aggregates over no rows still give one row: `count(*)` is 0.
            groups.push(Group::new(Vec::new(), None, calls.len()));
        }
        let mut rows = Vec::with_capacity(groups.len());
        for group in groups {
            let results = calls
                .iter()
                .zip(group.accumulators)
                .map(|(call, accumulator)| accumulator.finish(call))
                .collect::<Result<Vec<_>, _>>()?;
            // An item evaluated over the results (`names` is empty when none is) reads the
            // parts outside its aggregates from the group's first row; with no row (an
            // aggregate over nothing) constants keep their value and variables are null, so
            // `count(x) > 0` is false.
            let row = if names.is_empty() {
                Vec::new()
            } else {
                let mut row = group
                    .first
                    .unwrap_or_else(|| vec![Value::Null; input_names.len()]);
                row.extend(results.iter().cloned());
                row
            };
            let mut keys = group.keys.into_iter();
            let mut out: Vec<Value> = star_slots
                .iter()
                .map(|_| keys.next().unwrap_or(Value::Null))
                .collect();
            for finisher in &finishers {
                out.push(match finisher {
                    Some(Finisher::Aggregate(at)) => results[*at].clone(),
                    Some(Finisher::Evaluated(item)) => self.eval(item, &names, &row)?,
                    None => keys.next().unwrap_or(Value::Null),
                });
            }
            rows.push((out, Vec::new()));
        }
        Ok(rows)
    }

    /// `DISTINCT`, `WHERE`, `ORDER BY`, `SKIP` and `LIMIT` of a projection over its rows.
    pub(super) fn finish_projection(
        &self,
        input_names: &[String],
        projection: &Projection,
        names: Vec<String>,
        mut rows: Vec<RowPair>,
        aggregating: bool,
    ) -> Result<Table, CypherError> {
        self.count_rows(Stage::Projected, rows.len());
        if projection.distinct {
            let mut seen = rustc_hash::FxHashSet::default();
            rows.retain(|(out, _)| {
                seen.insert(out.iter().map(Value::group_key).collect::<Vec<_>>())
            });
            self.count_rows(Stage::Distinct, rows.len());
        }
        if let Some(filter) = &projection.filter {
            // `WITH c WHERE r IS NULL`: without aggregation or DISTINCT the condition also
            // sees the variables before the projection, after the projected ones (as
            // openCypher has it, and as ORDER BY does).
            let wide =
                !aggregating && !projection.distinct && check_variables(filter, &names).is_err();
            let scope: Vec<String> = if wide {
                names.iter().chain(input_names).cloned().collect()
            } else {
                names.clone()
            };
            check_variables(filter, &scope)?;
            let mut kept = Vec::with_capacity(rows.len());
            for (out, source) in rows {
                let keep = if wide {
                    let values: Vec<Value> = out.iter().chain(&source).cloned().collect();
                    truthy(&self.eval(filter, &scope, &values)?)
                } else {
                    truthy(&self.eval(filter, &scope, &out)?)
                };
                if keep {
                    kept.push((out, source));
                }
            }
            rows = kept;
            self.count_rows(Stage::Filter, rows.len());
        }
        let skip = match &projection.skip {
            Some(expr) => self.count_expr(expr, "SKIP")?,
            None => 0,
        };
        let limit = match &projection.limit {
            Some(expr) => Some(self.count_expr(expr, "LIMIT")?),
            None => None,
        };
        if !projection.order.is_empty() {
            // Sort keys see the returned columns first, then (without aggregation or
            // DISTINCT) the variables of the rows they came from.
            let wide = !aggregating && !projection.distinct;
            let scope: Vec<String> = if wide {
                names.iter().chain(input_names).cloned().collect()
            } else {
                names.clone()
            };
            // Parts of a sort key written like a returned item read that item's column (the
            // only way to sort by an aggregate: `ORDER BY me.age + count(*)`); found once
            // here, not per row.
            let returned: Vec<(&Expr, usize)> = projection
                .items
                .iter()
                .filter_map(|item| {
                    let column = names.iter().position(|n| *n == item.name)?;
                    Some((&item.expr, column))
                })
                .collect();
            let keys: Vec<SortKey> = projection
                .order
                .iter()
                .map(|sort| SortKey::of(&sort.expr, &returned))
                .collect();
            for key in &keys {
                let SortKey::Evaluated {
                    expr,
                    reads_columns: false,
                } = key
                else {
                    continue;
                };
                if let Err(err) = check_variables(expr, &scope) {
                    let aggregated = if wide {
                        ""
                    } else {
                        " after aggregation or DISTINCT"
                    };
                    return Err(CypherError::semantic(
                        err.span,
                        format!(
                            "{}{aggregated}; ORDER BY can use the returned columns",
                            err.message
                        ),
                    ));
                }
            }
            // A key that reads returned columns inside it reads them after the scope's
            // values, under names no query can write.
            let mixed = keys.iter().any(|key| {
                matches!(
                    key,
                    SortKey::Evaluated {
                        reads_columns: true,
                        ..
                    }
                )
            });
            let evaluates = keys.iter().any(|key| !matches!(key, SortKey::Column(_)));
            let mut scope = scope;
            if mixed {
                scope.extend((0..names.len()).map(SortKey::column_name));
            }
            // `ORDER BY ... LIMIT n` keeps only the best `SKIP + n` rows as they come, in a
            // heap (Top); the rest are dropped once their sort values are read. Each row's
            // position breaks ties, so the rows kept are those a stable sort of all would keep.
            let kept = limit
                .map(|limit| skip.saturating_add(limit))
                .filter(|&kept| kept < rows.len());
            let mut sorted = Sorted::new(kept, rows.len());
            for (position, (out, source)) in rows.into_iter().enumerate() {
                if kept == Some(0) {
                    break;
                }
                let mut values: Vec<Value> = match (evaluates, wide) {
                    (false, _) => Vec::new(),
                    (true, true) => out.iter().chain(&source).cloned().collect(),
                    (true, false) => out.clone(),
                };
                if mixed {
                    values.extend(out.iter().cloned());
                }
                let sort_values = keys
                    .iter()
                    .map(|key| match key {
                        SortKey::Column(column) => Ok(out[*column].clone()),
                        SortKey::Evaluated { expr, .. } => self.eval(expr, &scope, &values),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                sorted.push(Ranked {
                    values: sort_values,
                    position,
                    row: (out, source),
                    order: &projection.order,
                });
            }
            let keyed = sorted.finish();
            self.count_rows(Stage::Sorted, keyed.len());
            rows = keyed.into_iter().map(|ranked| ranked.row).collect();
        }
        if projection.skip.is_some() {
            self.count_rows(Stage::Skipped, rows.len().saturating_sub(skip));
        }
        let rows: Vec<Vec<Value>> = rows
            .into_iter()
            .skip(skip)
            .take(limit.unwrap_or(usize::MAX))
            .map(|(out, _)| out)
            .collect();
        self.count_rows(Stage::Out, rows.len());
        Ok(Table { names, rows })
    }
}

/// How two rows' sort values compare under `ORDER BY`'s directions: nulls last ascending,
/// first descending (Neo4j).
fn sort_order(a: &[Value], b: &[Value], order: &[SortItem]) -> std::cmp::Ordering {
    for ((x, y), sort) in a.iter().zip(b).zip(order) {
        let ordering = match (x.is_null(), y.is_null()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => x.order(y),
        };
        let ordering = if sort.descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != std::cmp::Ordering::Equal {
            return ordering;
        }
    }
    std::cmp::Ordering::Equal
}

/// The rows of an `ORDER BY`, kept as they come: all of them, or (`Top`, with a `LIMIT`) only
/// the best `SKIP + LIMIT`, in a heap whose top is the worst kept.
enum Sorted<'p> {
    All(Vec<Ranked<'p>>),
    Top(std::collections::BinaryHeap<Ranked<'p>>, usize),
}

impl<'p> Sorted<'p> {
    /// Keeps the best `kept` rows when given, else all `rows` of them.
    fn new(kept: Option<usize>, rows: usize) -> Self {
        match kept {
            Some(kept) => Sorted::Top(std::collections::BinaryHeap::with_capacity(kept), kept),
            None => Sorted::All(Vec::with_capacity(rows)),
        }
    }

    fn push(&mut self, ranked: Ranked<'p>) {
        match self {
            Sorted::All(rows) => rows.push(ranked),
            Sorted::Top(heap, kept) if heap.len() < *kept => heap.push(ranked),
            Sorted::Top(heap, _) => {
                if let Some(mut worst) = heap.peek_mut()
                    && ranked < *worst
                {
                    *worst = ranked;
                }
            }
        }
    }

    /// The rows kept, best first.
    fn finish(self) -> Vec<Ranked<'p>> {
        match self {
            Sorted::All(mut rows) => {
                rows.sort();
                rows
            }
            Sorted::Top(heap, _) => heap.into_sorted_vec(),
        }
    }
}

/// A row with its sort values, ordered by `ORDER BY` and then by its position among the rows.
struct Ranked<'p> {
    values: Vec<Value>,
    position: usize,
    row: RowPair,
    order: &'p [SortItem],
}

impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        sort_order(&self.values, &other.values, self.order).then(self.position.cmp(&other.position))
    }
}

impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Equal only to itself: no two rows have the same position.
impl PartialEq for Ranked<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.position == other.position
    }
}

impl Eq for Ranked<'_> {}

/// One `ORDER BY` key, bound to the projection's columns.
enum SortKey {
    /// The key is a returned item: its column.
    Column(usize),
    /// An expression over the scope; with `reads_columns`, its parts written like a returned
    /// item read that item's column (named by [`SortKey::column_name`]).
    Evaluated { expr: Expr, reads_columns: bool },
}

impl SortKey {
    fn of(expr: &Expr, returned: &[(&Expr, usize)]) -> Self {
        let column_of = |part: &Expr| {
            returned
                .iter()
                .find(|(item, _)| item.same_as(part))
                .map(|&(_, c)| c)
        };
        if let Some(column) = column_of(expr) {
            return SortKey::Column(column);
        }
        let mut reads_columns = false;
        let expr = expr.rewritten(&mut |part| {
            let column = column_of(part)?;
            reads_columns = true;
            Some(Expr {
                kind: ExprKind::Variable(Var::new(Self::column_name(column), VarId::MAX)),
                span: part.span,
            })
        });
        SortKey::Evaluated {
            expr,
            reads_columns,
        }
    }

    /// The name a returned column is read under inside a sort key (two leading spaces: no
    /// variable of a query is named so).
    fn column_name(column: usize) -> String {
        format!("  column {column}")
    }
}

/// The output column names of a projection and, for `*`, the input slots it keeps.
pub(super) fn projection_columns(
    input_names: &[String],
    projection: &Projection,
) -> Result<(Vec<String>, Vec<usize>), CypherError> {
    // `*` gives the variables in scope in alphabetical order, as Neo4j lists them.
    let mut names: Vec<String> = if projection.star {
        let mut star: Vec<String> = input_names
            .iter()
            .filter(|n| !n.starts_with("  "))
            .cloned()
            .collect();
        star.sort();
        star
    } else {
        Vec::new()
    };
    for item in &projection.items {
        check_variables(&item.expr, input_names)?;
        if names.contains(&item.name) {
            return Err(CypherError::semantic(
                item.expr.span,
                format!("column `{}` appears twice; name one with AS", item.name),
            )
            .with_code("ColumnNameConflict"));
        }
        names.push(item.name.clone());
    }
    let star_slots: Vec<usize> = if projection.star {
        names
            .iter()
            .filter_map(|n| input_names.iter().position(|t| t == n))
            .collect()
    } else {
        Vec::new()
    };
    Ok((names, star_slots))
}

/// Where a projection is, for messages about its rows.
pub(super) fn projection_span(projection: &Projection) -> Span {
    projection
        .items
        .iter()
        .map(|item| item.expr.span)
        .reduce(Span::to)
        .unwrap_or_default()
}
