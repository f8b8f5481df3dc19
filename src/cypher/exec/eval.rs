//! Expressions for one row: the walk over the syntax tree, lists and maps, comprehensions,
//! quantifiers and `reduce`, pattern predicates and subqueries; the operators are in
//! `operators`, property access in `properties`.

use crate::cypher::ast::{MapItem, Quantifier};

use super::operators::negate;
use super::{
    BinaryOp, CypherError, Engine, Expr, ExprKind, FxHashMap, Literal, Matching, Output,
    PathPattern, PatternLayout, Sink, Span, State, Value,
};

impl Engine<'_> {
    /// Evaluates an operator, list, map, function call or property read whose parts `child`
    /// evaluates ([`Engine::eval`] over the row); the forms that bind variables or read the
    /// row are [`Engine::eval`]'s own.
    pub(super) fn compose(
        &self,
        expr: &Expr,
        child: &mut dyn FnMut(&Expr) -> Result<Value, CypherError>,
    ) -> Result<Value, CypherError> {
        match &expr.kind {
            ExprKind::Property(inner, key) => match child(inner)? {
                value @ (Value::Null
                | Value::Node(_)
                | Value::Rel(_)
                | Value::Map(_)
                | Value::Date(_)
                | Value::Duration(_)
                | Value::Time(_)
                | Value::DateTime(_)) => Ok(self.property(&value, key)),
                other => Err(CypherError::semantic(
                    inner.span,
                    format!(
                        "`.{key}` needs a node, relationship, map or temporal value, not {}",
                        other.described_type()
                    ),
                )
                .with_code("InvalidArgumentType")),
            },
            ExprKind::HasLabel(inner, labels) => Ok(match child(inner)? {
                Value::Node(node) => Value::Bool(
                    self.kg
                        .kinds_labelled(labels)
                        .is_none_or(|kinds| kinds[usize::from(self.kg.entity(node).kind)]),
                ),
                Value::Null => Value::Null,
                other => {
                    return Err(CypherError::semantic(
                        inner.span,
                        format!("a label test needs a node, not {}", other.described_type()),
                    ));
                }
            }),
            ExprKind::List(items) => Ok(Value::List(
                items.iter().map(&mut *child).collect::<Result<_, _>>()?,
            )),
            ExprKind::Map(entries) => Ok(Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), child(v)?)))
                    .collect::<Result<_, CypherError>>()?,
            )),
            ExprKind::Call { function, args, .. } => {
                let values = args
                    .iter()
                    .map(&mut *child)
                    .collect::<Result<Vec<_>, _>>()?;
                let spans: Vec<Span> = args.iter().map(|a| a.span).collect();
                self.function(*function, values, &spans, expr.span)
            }
            ExprKind::Not(inner) => Ok(not(&child(inner)?)),
            ExprKind::Negate(inner) => negate(child(inner)?, expr.span),
            ExprKind::IsNull(inner, negated) => {
                Ok(Value::Bool(child(inner)?.is_null() != *negated))
            }
            ExprKind::Binary(op, a, b) => {
                // AND/OR short-circuit only where the answer is already known.
                let left = child(a)?;
                match (op, &left) {
                    (BinaryOp::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
                    (BinaryOp::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let right = child(b)?;
                self.binary(*op, left, right, expr.span)
            }
            ExprKind::Case {
                subject,
                arms,
                otherwise,
            } => {
                let subject = subject.as_deref().map(&mut *child).transpose()?;
                for (when, then) in arms {
                    let when = child(when)?;
                    let chosen = match &subject {
                        Some(value) => value.equals(&when) == Some(true),
                        None => truthy(&when),
                    };
                    if chosen {
                        return child(then);
                    }
                }
                otherwise.as_deref().map_or(Ok(Value::Null), child)
            }
            ExprKind::MapProjection(subject, items) => {
                let subject_value = child(subject)?;
                if subject_value.is_null() {
                    return Ok(Value::Null);
                }
                let mut map: Vec<(String, Value)> = Vec::new();
                let set = |map: &mut Vec<(String, Value)>, key: &str, value: Value| match map
                    .iter_mut()
                    .find(|(k, _)| k == key)
                {
                    Some(entry) => entry.1 = value,
                    None => map.push((key.to_owned(), value)),
                };
                for item in items {
                    match item {
                        MapItem::Property(key) => {
                            let value = self.property(&subject_value, key);
                            set(&mut map, key, value);
                        }
                        MapItem::AllProperties => {
                            for (key, value) in self.properties_of(&subject_value, subject.span)? {
                                set(&mut map, &key, value);
                            }
                        }
                        MapItem::Entry(key, value) | MapItem::Variable(key, value) => {
                            let value = child(value)?;
                            set(&mut map, key, value);
                        }
                    }
                }
                Ok(Value::Map(map))
            }
            ExprKind::Index(list, index) => {
                let (list, index) = (child(list)?, child(index)?);
                self.index(list, index, expr.span)
            }
            ExprKind::Slice(list, from, to) => {
                let list = child(list)?;
                let from = from.as_deref().map(&mut *child).transpose()?;
                let to = to.as_deref().map(&mut *child).transpose()?;
                slice(list, from, to, expr.span)
            }
            // Engine::eval reads these itself and never hands them here; an aggregate inside
            // a body is refused by the semantic pass.
            ExprKind::Comprehension { .. }
            | ExprKind::Quantified { .. }
            | ExprKind::PatternComprehension { .. }
            | ExprKind::Exists { .. }
            | ExprKind::Subquery { .. }
            | ExprKind::Reduce { .. }
            | ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar
            | ExprKind::Pattern(_) => Err(CypherError::semantic(
                expr.span,
                "this expression is not an operator, list, map, call or property read",
            )),
        }
    }

    /// Every property of a node, relationship or map, as `properties()` gives them.
    fn properties_of(
        &self,
        value: &Value,
        span: Span,
    ) -> Result<Vec<(String, Value)>, CypherError> {
        Ok(match value {
            Value::Node(node) => self.node_properties(*node),
            Value::Rel(edge) => self.rel_properties(*edge),
            Value::Map(entries) => entries.clone(),
            other => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "a map projection needs a node, relationship or map, not {}",
                        other.described_type()
                    ),
                ));
            }
        })
    }

    /// `list[index]`, `map[key]`, `entity[key]`.
    fn index(&self, container: Value, index: Value, span: Span) -> Result<Value, CypherError> {
        Ok(match (container, index) {
            (Value::Null, _) | (_, Value::Null) => Value::Null,
            (Value::List(items), Value::Int(i)) => {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let at = if i < 0 { len + i } else { i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.into_iter().nth(at))
                    .unwrap_or(Value::Null)
            }
            (container @ (Value::Map(_) | Value::Node(_) | Value::Rel(_)), Value::Str(key)) => {
                self.property(&container, &key)
            }
            (Value::List(_), other) => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "a list index must be an integer, not {}",
                        other.described_type()
                    ),
                )
                .with_code("ListElementAccessByNonInteger"));
            }
            (Value::Map(_) | Value::Node(_) | Value::Rel(_), other) => {
                return Err(CypherError::semantic(
                    span,
                    format!("a map key must be a string, not {}", other.described_type()),
                )
                .with_code("MapElementAccessByNonString"));
            }
            (other, _) => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "`[...]` needs a list or a map, not {}",
                        other.described_type()
                    ),
                ));
            }
        })
    }

    /// Evaluates a list comprehension, a quantifier or `reduce`: `variable` bound to each item
    /// of the list in turn, over a copy of the row.
    fn scoped(&self, expr: &Expr, names: &[String], row: &[Value]) -> Result<Value, CypherError> {
        let (ExprKind::Comprehension { variable, list, .. }
        | ExprKind::Quantified { variable, list, .. }
        | ExprKind::Reduce { variable, list, .. }) = &expr.kind
        else {
            return self.eval(expr, names, row);
        };
        let initial = match &expr.kind {
            ExprKind::Reduce { init, .. } => Some(self.eval(init, names, row)?),
            _ => None,
        };
        let items = match self.eval(list, names, row)? {
            Value::Null => return Ok(Value::Null),
            Value::List(items) => items,
            other => {
                return Err(CypherError::semantic(
                    list.span,
                    format!(
                        "`{} IN ...` needs a list, not {}",
                        variable.name,
                        other.described_type()
                    ),
                ));
            }
        };
        let mut inner_names = names.to_vec();
        let mut inner_row = row.to_vec();
        if let ExprKind::Reduce { accumulator, .. } = &expr.kind {
            inner_names.push(accumulator.name.clone());
            inner_row.push(Value::Null);
        }
        inner_names.push(variable.name.clone());
        inner_row.push(Value::Null);
        let item_slot = inner_row.len() - 1;
        match &expr.kind {
            ExprKind::Reduce { step, .. } => {
                let mut total = initial.unwrap_or(Value::Null);
                for item in items {
                    inner_row[item_slot - 1] = total;
                    inner_row[item_slot] = item;
                    total = self.eval(step, &inner_names, &inner_row)?;
                }
                Ok(total)
            }
            ExprKind::Comprehension { filter, map, .. } => {
                let mut kept = Vec::new();
                for item in items {
                    inner_row[item_slot] = item;
                    if let Some(filter) = filter
                        && !truthy(&self.eval(filter, &inner_names, &inner_row)?)
                    {
                        continue;
                    }
                    kept.push(match map {
                        Some(map) => self.eval(map, &inner_names, &inner_row)?,
                        None => std::mem::replace(&mut inner_row[item_slot], Value::Null),
                    });
                }
                Ok(Value::List(kept))
            }
            ExprKind::Quantified {
                quantifier,
                condition,
                ..
            } => {
                let (mut trues, mut unknown) = (0usize, false);
                let mut falses = 0usize;
                for item in items {
                    inner_row[item_slot] = item;
                    match truth(&self.eval(condition, &inner_names, &inner_row)?) {
                        Some(true) => trues += 1,
                        Some(false) => falses += 1,
                        None => unknown = true,
                    }
                }
                let known = |b: bool| Value::Bool(b);
                Ok(match quantifier {
                    Quantifier::All if falses > 0 => known(false),
                    Quantifier::Any if trues > 0 => known(true),
                    Quantifier::None if trues > 0 => known(false),
                    Quantifier::Single if trues > 1 => known(false),
                    _ if unknown => Value::Null,
                    Quantifier::All | Quantifier::None => known(true),
                    Quantifier::Any => known(false),
                    Quantifier::Single => known(trues == 1),
                })
            }
            _ => unreachable!("matched above"),
        }
    }

    // ---- expressions ----------------------------------------------------------------------

    /// Evaluates `expr` for one row whose variables are `names`.
    pub(super) fn eval(
        &self,
        expr: &Expr,
        names: &[String],
        row: &[Value],
    ) -> Result<Value, CypherError> {
        match &expr.kind {
            ExprKind::Literal(literal) => Ok(match literal {
                Literal::Null => Value::Null,
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Int(i) => Value::Int(*i),
                Literal::Float(x) => Value::Float(*x),
                Literal::Str(s) => Value::Str(s.clone()),
            }),
            ExprKind::Param(name) => self.params.get(name).cloned().ok_or_else(|| {
                CypherError::semantic(
                    expr.span,
                    format!("missing parameter `${name}` (pass --param {name}=VALUE)"),
                )
                .with_code("ParameterMissing")
            }),
            ExprKind::Variable(var) => match self.column_of(var, names) {
                Some(i) => Ok(row.get(i).cloned().unwrap_or(Value::Null)),
                None => Err(CypherError::semantic(
                    expr.span,
                    format!("unknown variable `{}`", var.name),
                )),
            },
            ExprKind::Call { function, .. } if function.is_aggregate() => {
                Err(CypherError::semantic(
                    expr.span,
                    format!("{function}() is an aggregate: use it in WITH or RETURN"),
                ))
            }
            ExprKind::CountStar => Err(CypherError::semantic(
                expr.span,
                "count(*) is an aggregate: use it in WITH or RETURN",
            )),
            ExprKind::Pattern(pattern) => self.pattern_exists(pattern, names, row),
            ExprKind::Exists {
                pattern,
                filter,
                count,
            } => {
                let budget = if *count { None } else { Some(1) };
                let (_, found) =
                    self.pattern_matches(pattern, filter.as_deref(), names, row, budget)?;
                Ok(if *count {
                    Value::Int(i64::try_from(found.len()).unwrap_or(i64::MAX))
                } else {
                    Value::Bool(!found.is_empty())
                })
            }
            ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                let (layout, rows) =
                    self.pattern_matches(pattern, filter.as_deref(), names, row, None)?;
                rows.iter()
                    .map(|found| self.eval(map, &layout.all, found))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::List)
            }
            ExprKind::Comprehension { .. }
            | ExprKind::Quantified { .. }
            | ExprKind::Reduce { .. } => self.scoped(expr, names, row),
            ExprKind::Subquery { clauses, count } => {
                let rows = self.run_subquery(clauses, names, row)?;
                Ok(if *count {
                    Value::Int(i64::try_from(rows.len()).unwrap_or(i64::MAX))
                } else {
                    Value::Bool(!rows.is_empty())
                })
            }
            _ => self.compose(expr, &mut |child| self.eval(child, names, row)),
        }
    }

    pub(super) fn pattern_exists(
        &self,
        pattern: &PathPattern,
        names: &[String],
        row: &[Value],
    ) -> Result<Value, CypherError> {
        let (_, found) = self.pattern_matches(pattern, None, names, row, Some(1))?;
        Ok(Value::Bool(!found.is_empty()))
    }

    /// The matches of `pattern` from `row` (up to `budget`) that pass `filter`, as rows over
    /// the layout's names: the row's, then the pattern's new variables.
    fn pattern_matches(
        &self,
        pattern: &PathPattern,
        filter: Option<&Expr>,
        names: &[String],
        row: &[Value],
        budget: Option<usize>,
    ) -> Result<(std::rc::Rc<PatternLayout>, Vec<Vec<Value>>), CypherError> {
        let layout = self.pattern_layout(pattern, names)?;
        let all = &layout.all;
        let plan = layout.plan(pattern);
        let mut state = State {
            row: row
                .iter()
                .cloned()
                .chain(std::iter::repeat_n(Value::Null, all.len() - row.len()))
                .collect(),
            prebound: row.len(),
            used: Vec::new(),
            path_nodes: Vec::new(),
            path_edges: Vec::new(),
        };
        let mut found = Output {
            sink: Sink::Rows(Vec::new()),
            produced: 0,
        };
        self.match_pattern(
            &Matching {
                plans: &[plan],
                names: all,
                filter,
                anchors: &FxHashMap::default(),
                budget,
                span: pattern.span,
                counts: None,
            },
            0,
            &mut state,
            &mut found,
        )?;
        let rows = match found.sink {
            Sink::Rows(rows) => rows,
            Sink::Groups(_) => Vec::new(),
        };
        Ok((layout, rows))
    }

    /// The layout of a pattern run from rows with columns `names`: worked out on its first row
    /// and kept by the number of the pattern's first node, so a pattern predicate or
    /// comprehension evaluated row after row is planned once, not once per row.
    pub(super) fn pattern_layout(
        &self,
        pattern: &PathPattern,
        names: &[String],
    ) -> Result<std::rc::Rc<PatternLayout>, CypherError> {
        if let Some(layout) = self.pattern_layouts.borrow().get(&pattern.start.element)
            && layout.outer == names
        {
            return Ok(std::rc::Rc::clone(layout));
        }
        let mut all = names.to_vec();
        for name in pattern.variables() {
            if !all.contains(&name) {
                all.push(name);
            }
        }
        let plan = self.plan(pattern, &all, names, &FxHashMap::default())?;
        let layout = std::rc::Rc::new(PatternLayout {
            outer: names.to_vec(),
            reversed: plan.reversed,
            node_slots: plan.node_slots,
            rel_slots: plan.rel_slots,
            rel_types: plan.rel_types,
            path_slot: plan.path_slot,
            all,
        });
        self.pattern_layouts
            .borrow_mut()
            .insert(pattern.start.element, std::rc::Rc::clone(&layout));
        Ok(layout)
    }

    /// Whether `pattern` matches all of `text` (`=~`); each pattern is compiled once per query.
    pub(super) fn full_match(
        &self,
        pattern: &str,
        text: &str,
        span: Span,
    ) -> Result<bool, CypherError> {
        let mut compiled = self.regexes.borrow_mut();
        if let Some(regex) = compiled.get(pattern) {
            return Ok(regex.is_match(text));
        }
        let regex = regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|err| {
            CypherError::semantic(span, format!("invalid regular expression: {err}"))
        })?;
        let found = regex.is_match(text);
        compiled.insert(pattern.to_owned(), regex);
        Ok(found)
    }
}

pub(super) fn truth(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

pub(super) fn not(value: &Value) -> Value {
    truth(value).map_or(Value::Null, |b| Value::Bool(!b))
}

pub(super) fn truthy(value: &Value) -> bool {
    truth(value) == Some(true)
}

/// `list[from..to]`: negative bounds count from the end, bounds past the ends are clamped,
/// a null bound gives null.
fn slice(
    list: Value,
    from: Option<Value>,
    to: Option<Value>,
    span: Span,
) -> Result<Value, CypherError> {
    let items = match list {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => {
            return Err(CypherError::semantic(
                span,
                format!(
                    "a slice `[a..b]` needs a list, not {}",
                    other.described_type()
                ),
            ));
        }
    };
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let bound = |value: Option<Value>, missing: i64| -> Result<Option<i64>, CypherError> {
        match value {
            None => Ok(Some(missing)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(if i < 0 { (len + i).max(0) } else { i.min(len) })),
            Some(other) => Err(CypherError::semantic(
                span,
                format!(
                    "a slice bound must be an integer, not {}",
                    other.described_type()
                ),
            )),
        }
    };
    let (Some(from), Some(to)) = (bound(from, 0)?, bound(to, len)?) else {
        return Ok(Value::Null);
    };
    let (from, to) = (
        usize::try_from(from).unwrap_or(0),
        usize::try_from(to).unwrap_or(0),
    );
    Ok(Value::List(if from < to {
        items.into_iter().skip(from).take(to - from).collect()
    } else {
        Vec::new()
    }))
}
