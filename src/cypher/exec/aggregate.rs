//! Aggregation: rows grouped by their key as they arrive, one accumulator per aggregate call
//! and group, and the aggregates themselves (`count`, `collect`, `sum`, `avg`, `min`, `max`,
//! `stDev`, `stDevP`, `percentileDisc`, `percentileCont`).

use super::operators::arithmetic;
use super::project::{projection_columns, projection_span};
use crate::cypher::ast::{Function, Var, VarId};
use crate::cypher::value::GroupKey;

use super::{
    BinaryOp, CypherError, Engine, Expr, ExprKind, FxHashMap, Limits, Projection, Span, Value,
    int_to_float,
};

/// Rows grouped by a projection's key as they arrive: each group keeps its key, its first
/// row and one accumulator per aggregate call, never its rows.
pub(super) struct Grouping<'p> {
    pub(super) projection: &'p Projection,
    pub(super) star_slots: Vec<usize>,
    /// The aggregate calls of every item, in order.
    pub(super) calls: Vec<&'p Expr>,
    /// How each item is finished for a group (`None`: it is a grouping key).
    pub(super) finishers: Vec<Option<Finisher>>,
    /// The names a finished item is read under: the input's, then one per aggregate call.
    pub(super) names: Vec<String>,
    pub(super) groups: Vec<Group>,
    index: FxHashMap<Vec<GroupKey>, usize>,
    /// Estimated bytes of the groups and the values their accumulators keep.
    held: usize,
    pub(super) span: Span,
}

/// How an aggregating item becomes its value for a group.
pub(super) enum Finisher {
    /// The item is an aggregate call: its result.
    Aggregate(usize),
    /// The item with its aggregate calls replaced by reads of their results, which follow the
    /// group's first row under [`Grouping::names`].
    Evaluated(Expr),
}

pub(super) struct Group {
    /// The values of the grouping keys.
    pub(super) keys: Vec<Value>,
    /// The group's first row, for the parts of an aggregating item outside its aggregates.
    pub(super) first: Option<Vec<Value>>,
    /// One per aggregate call of the projection.
    pub(super) accumulators: Vec<Accumulator>,
}

impl Group {
    pub(super) fn new(keys: Vec<Value>, first: Option<Vec<Value>>, calls: usize) -> Self {
        Group {
            keys,
            first,
            accumulators: (0..calls).map(|_| Accumulator::default()).collect(),
        }
    }
}

/// One aggregate call's state for one group.
#[derive(Default)]
pub(super) struct Accumulator {
    /// Non-null values seen (rows, for `count(*)`).
    count: usize,
    /// The values, for every aggregate but `count`.
    values: Vec<Value>,
    /// Keys of the values seen, for `DISTINCT`.
    seen: Option<rustc_hash::FxHashSet<GroupKey>>,
    /// The second argument of `percentileDisc`/`percentileCont`, from the group's first row
    /// (Neo4j reads it once per group too).
    percentile: Option<Value>,
}

impl Accumulator {
    pub(super) fn finish(self, call: &Expr) -> Result<Value, CypherError> {
        match &call.kind {
            ExprKind::Call { function, .. } if function.is_percentile() => {
                percentile(*function, self.values, self.percentile, call.span)
            }
            ExprKind::Call { function, .. } if *function != Function::Count => {
                aggregate(*function, self.values, call.span)
            }
            _ => Ok(Value::Int(i64::try_from(self.count).unwrap_or(i64::MAX))),
        }
    }
}

impl<'p> Grouping<'p> {
    pub(super) fn new(
        projection: &'p Projection,
        input_names: &[String],
    ) -> Result<Self, CypherError> {
        let (_, star_slots) = projection_columns(input_names, projection)?;
        let mut calls = Vec::new();
        for item in &projection.items {
            aggregate_calls(&item.expr, &mut calls)?;
        }
        // The calls are numbered as aggregate_calls found them: item by item, outside in.
        let aggregate_name = |i: usize| format!("  aggregate {i}");
        let mut next = 0;
        let finishers: Vec<Option<Finisher>> = projection
            .items
            .iter()
            .map(|item| {
                if item.expr.is_aggregate_call() {
                    next += 1;
                    return Some(Finisher::Aggregate(next - 1));
                }
                item.expr.has_aggregate().then(|| {
                    Finisher::Evaluated(item.expr.rewritten(&mut |part| {
                        part.is_aggregate_call().then(|| {
                            next += 1;
                            Expr {
                                kind: ExprKind::Variable(Var::new(
                                    aggregate_name(next - 1),
                                    VarId::MAX,
                                )),
                                span: part.span,
                            }
                        })
                    }))
                })
            })
            .collect();
        // Only an item evaluated over its results reads them by name.
        let names = if finishers
            .iter()
            .any(|f| matches!(f, Some(Finisher::Evaluated(_))))
        {
            let mut names = input_names.to_vec();
            names.extend((0..calls.len()).map(aggregate_name));
            names
        } else {
            Vec::new()
        };
        Ok(Grouping {
            projection,
            star_slots,
            calls,
            finishers,
            names,
            groups: Vec::new(),
            index: FxHashMap::default(),
            held: 0,
            span: projection_span(projection),
        })
    }

    /// Adds one row to its group.
    pub(super) fn add(
        &mut self,
        engine: &Engine<'_>,
        names: &[String],
        row: Vec<Value>,
    ) -> Result<(), CypherError> {
        let mut key_values: Vec<Value> = self.star_slots.iter().map(|&s| row[s].clone()).collect();
        for item in self
            .projection
            .items
            .iter()
            .filter(|i| !i.expr.has_aggregate())
        {
            key_values.push(engine.eval(&item.expr, names, &row)?);
        }
        let mut arguments = Vec::with_capacity(self.calls.len());
        for call in &self.calls {
            arguments.push(match &call.kind {
                ExprKind::Call { args, .. } => Some(engine.eval(&args[0], names, &row)?),
                _ => None,
            });
        }
        let key: Vec<GroupKey> = key_values.iter().map(Value::group_key).collect();
        let at = if let Some(&at) = self.index.get(&key) {
            at
        } else {
            let mut group = Group::new(key_values, None, self.calls.len());
            // A percentile's share is read from the group's first row.
            for (call, accumulator) in self.calls.iter().zip(&mut group.accumulators) {
                if let ExprKind::Call { args, .. } = &call.kind
                    && let Some(share) = args.get(1)
                {
                    accumulator.percentile = Some(engine.eval(share, names, &row)?);
                }
            }
            self.held += Limits::table_bytes(1, group.keys.len() + row.len())
                + key.iter().map(Value::group_key_bytes).sum::<usize>()
                + self.calls.len() * std::mem::size_of::<Accumulator>();
            group.first = Some(row);
            self.groups.push(group);
            self.index.insert(key, self.groups.len() - 1);
            self.groups.len() - 1
        };
        let group = &mut self.groups[at];
        for ((call, argument), accumulator) in self
            .calls
            .iter()
            .zip(arguments)
            .zip(&mut group.accumulators)
        {
            let Some(value) = argument else {
                accumulator.count += 1; // count(*)
                continue;
            };
            if value.is_null() {
                continue;
            }
            let ExprKind::Call {
                function, distinct, ..
            } = &call.kind
            else {
                continue;
            };
            if *distinct {
                let seen = accumulator.seen.get_or_insert_with(Default::default);
                let key = value.group_key();
                let bytes = Value::group_key_bytes(&key);
                if !seen.insert(key) {
                    continue;
                }
                self.held += bytes;
            }
            accumulator.count += 1;
            if *function != Function::Count {
                accumulator.values.push(value);
                self.held += std::mem::size_of::<Value>();
            }
        }
        engine.meter.hold(self.held, self.span)
    }
}

/// Lists the aggregate calls in `expr`, outside in, checking each takes one plain argument.
pub(super) fn aggregate_calls<'q>(
    expr: &'q Expr,
    calls: &mut Vec<&'q Expr>,
) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::CountStar => calls.push(expr),
        ExprKind::Call { function, args, .. } if function.is_aggregate() => {
            if args.is_empty() {
                return Err(CypherError::semantic(
                    expr.span,
                    format!("{function}() takes an argument"),
                ));
            }
            if let Some(nested) = args.iter().find(|arg| arg.has_aggregate()) {
                return Err(CypherError::semantic(
                    nested.span,
                    "aggregates cannot be nested",
                ));
            }
            calls.push(expr);
        }
        _ => {
            for child in expr.children() {
                aggregate_calls(child, calls)?;
            }
        }
    }
    Ok(())
}

/// `percentileDisc` (the smallest value with at least that share of values at or below it)
/// and `percentileCont` (interpolated between the two nearest values), as Neo4j computes them.
fn percentile(
    function: Function,
    values: Vec<Value>,
    percentile: Option<Value>,
    span: Span,
) -> Result<Value, CypherError> {
    let share = match percentile {
        // No row reached the group: there is nothing to rank.
        None => return Ok(Value::Null),
        Some(value) => match value.as_float() {
            Some(share) if (0.0..=1.0).contains(&share) => share,
            Some(share) => {
                return Err(CypherError::semantic(
                    span,
                    format!("{function}() needs a percentile between 0.0 and 1.0, not {share}"),
                )
                .with_code("NumberOutOfRange"));
            }
            None => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "{function}() needs a percentile between 0.0 and 1.0, not {}",
                        value.described_type()
                    ),
                )
                .with_code("InvalidArgumentType"));
            }
        },
    };
    let mut numbers = Vec::with_capacity(values.len());
    for value in values {
        if value.as_float().is_none() {
            return Err(CypherError::semantic(
                span,
                format!("{function}() needs numbers, not {}", value.described_type()),
            ));
        }
        numbers.push(value);
    }
    if numbers.is_empty() {
        return Ok(Value::Null);
    }
    numbers.sort_by(Value::order);
    let last = numbers.len() - 1;
    let count = int_to_float(i64::try_from(numbers.len()).unwrap_or(i64::MAX));
    let float_at = |i: usize| numbers[i].as_float().unwrap_or(0.0);
    Ok(if function == Function::PercentileDisc {
        // The rank is ceil(share * n), 1-based, and at least 1.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rank = (share * count).ceil() as usize;
        numbers.swap_remove(rank.saturating_sub(1).min(last))
    } else {
        let position = share * (count - 1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (below, above) = (position.floor() as usize, position.ceil() as usize);
        let (low, high) = (float_at(below.min(last)), float_at(above.min(last)));
        Value::Float(low + (high - low) * (position - position.floor()))
    })
}

pub(super) fn aggregate(
    function: Function,
    values: Vec<Value>,
    span: Span,
) -> Result<Value, CypherError> {
    Ok(match function {
        Function::Count => Value::Int(i64::try_from(values.len()).unwrap_or(i64::MAX)),
        Function::Collect => Value::List(values),
        Function::Sum | Function::Avg => {
            if values.is_empty() {
                return Ok(if function == Function::Sum {
                    Value::Int(0)
                } else {
                    Value::Null
                });
            }
            // Durations add up to a duration, as in Neo4j.
            if function == Function::Sum && values.iter().all(|v| matches!(v, Value::Duration(_))) {
                let mut total = values[0].clone();
                for value in &values[1..] {
                    total = arithmetic(BinaryOp::Add, total, value.clone(), span)?;
                }
                return Ok(total);
            }
            let mut total = Value::Int(0);
            for value in &values {
                if !matches!(value, Value::Int(_) | Value::Float(_)) {
                    return Err(CypherError::semantic(
                        span,
                        format!("{function}() needs numbers, not {}", value.described_type()),
                    ));
                }
                total = arithmetic(BinaryOp::Add, total, value.clone(), span)?;
            }
            if function == Function::Sum {
                total
            } else {
                let count = int_to_float(i64::try_from(values.len()).unwrap_or(i64::MAX));
                Value::Float(total.as_float().unwrap_or(0.0) / count)
            }
        }
        // The standard deviation of a sample (n - 1) or of a population (n), as Neo4j.
        Function::StDev | Function::StDevP => {
            let mut numbers = Vec::with_capacity(values.len());
            for value in &values {
                numbers.push(value.as_float().ok_or_else(|| {
                    CypherError::semantic(
                        span,
                        format!("{function}() needs numbers, not {}", value.described_type()),
                    )
                })?);
            }
            let n = int_to_float(i64::try_from(numbers.len()).unwrap_or(i64::MAX));
            let divisor = if function == Function::StDev {
                n - 1.0
            } else {
                n
            };
            if divisor <= 0.0 {
                return Ok(Value::Float(0.0));
            }
            let mean = numbers.iter().sum::<f64>() / n;
            let squares: f64 = numbers.iter().map(|x| (x - mean) * (x - mean)).sum();
            Value::Float((squares / divisor).sqrt())
        }
        Function::Min | Function::Max => {
            let mut best: Option<Value> = None;
            for value in values {
                let better = match &best {
                    None => true,
                    Some(current) => {
                        let ordering = value.order(current);
                        if function == Function::Min {
                            ordering.is_lt()
                        } else {
                            ordering.is_gt()
                        }
                    }
                };
                if better {
                    best = Some(value);
                }
            }
            best.unwrap_or(Value::Null)
        }
        scalar => {
            return Err(CypherError::semantic(
                span,
                format!("{scalar}() is not an aggregate"),
            ));
        }
    })
}
