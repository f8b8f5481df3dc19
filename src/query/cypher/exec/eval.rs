//! Expressions for one row: operators with Cypher's null rules, properties, pattern
//! predicates; [`Engine::compose`] is shared with aggregated items.

use crate::graph::KnowledgeGraph;
use crate::query::cypher::ast::{MapItem, Quantifier};
use crate::query::cypher::duration;

use super::{
    BinaryOp, Comparison, CypherError, EdgeIndex, Engine, Expr, ExprKind, FxHashMap, Literal,
    Matching, NodeIndex, Output, PathPattern, Sink, Span, State, Value,
};

impl Engine<'_> {
    /// Evaluates a composite expression whose parts `child` evaluates: the one place that
    /// knows operators, lists, maps, function calls and property access, shared by
    /// [`Engine::eval`] (one row) and [`Engine::eval_aggregated`] (a group, under aggregates).
    pub(super) fn compose(
        &self,
        expr: &Expr,
        child: &mut dyn FnMut(&Expr) -> Result<Value, CypherError>,
    ) -> Result<Value, CypherError> {
        match &expr.kind {
            ExprKind::Property(inner, key) => Ok(self.property(&child(inner)?, key)),
            ExprKind::HasLabel(inner, labels) => Ok(match child(inner)? {
                Value::Node(node) => Value::Bool(
                    self.kinds_of(labels)
                        .is_none_or(|kinds| kinds[usize::from(self.kg.entity(node).kind)]),
                ),
                Value::Null => Value::Null,
                other => {
                    return Err(CypherError::semantic(
                        inner.span,
                        format!("a label test needs a node, not a {}", other.type_name()),
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
            ExprKind::Comprehension { .. }
            | ExprKind::Quantified { .. }
            | ExprKind::PatternComprehension { .. }
            | ExprKind::Exists { .. }
            | ExprKind::Subquery { .. }
            | ExprKind::Reduce { .. } => Err(CypherError::unsupported(
                expr.span,
                "an aggregate inside the body of a comprehension, quantifier, reduce or EXISTS \
                 is not supported; aggregate in WITH first",
            )),
            ExprKind::Literal(_)
            | ExprKind::Param(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar
            | ExprKind::Pattern(_) => Err(CypherError::unsupported(
                expr.span,
                "this expression cannot contain an aggregate",
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
                        "a map projection needs a node, relationship or map, not a {}",
                        other.type_name()
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
                        "a list index must be an integer, not a {}",
                        other.type_name()
                    ),
                )
                .with_code("ListElementAccessByNonInteger"));
            }
            (Value::Map(_) | Value::Node(_) | Value::Rel(_), other) => {
                return Err(CypherError::semantic(
                    span,
                    format!("a map key must be a string, not a {}", other.type_name()),
                )
                .with_code("MapElementAccessByNonString"));
            }
            (other, _) => {
                return Err(CypherError::semantic(
                    span,
                    format!("`[...]` needs a list or a map, not a {}", other.type_name()),
                ));
            }
        })
    }

    /// Evaluates a list comprehension, a quantifier or `reduce`: `variable` bound to each item
    /// of the list in turn, over a copy of the row. The parts read before the new variables
    /// exist (the list, `reduce`'s initial value) go through `outside`, so that an aggregating
    /// projection can hand in their aggregated values (`all(ok IN collect(x) WHERE ok)`).
    pub(super) fn scoped(
        &self,
        expr: &Expr,
        names: &[String],
        row: &[Value],
        outside: &mut dyn FnMut(&Expr) -> Result<Value, CypherError>,
    ) -> Result<Value, CypherError> {
        let (ExprKind::Comprehension { variable, list, .. }
        | ExprKind::Quantified { variable, list, .. }
        | ExprKind::Reduce { variable, list, .. }) = &expr.kind
        else {
            return self.eval(expr, names, row);
        };
        let initial = match &expr.kind {
            ExprKind::Reduce { init, .. } => Some(outside(init)?),
            _ => None,
        };
        let items = match outside(list)? {
            Value::Null => return Ok(Value::Null),
            Value::List(items) => items,
            other => {
                return Err(CypherError::semantic(
                    list.span,
                    format!(
                        "`{} IN ...` needs a list, not a {}",
                        variable.name,
                        other.type_name()
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
            ExprKind::Variable(var) => match var.position(names) {
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
                let (all, rows) =
                    self.pattern_matches(pattern, filter.as_deref(), names, row, None)?;
                rows.iter()
                    .map(|found| self.eval(map, &all, found))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::List)
            }
            ExprKind::Comprehension { .. }
            | ExprKind::Quantified { .. }
            | ExprKind::Reduce { .. } => {
                self.scoped(expr, names, row, &mut |part| self.eval(part, names, row))
            }
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
    /// the returned names: the row's, then the pattern's new variables.
    fn pattern_matches(
        &self,
        pattern: &PathPattern,
        filter: Option<&Expr>,
        names: &[String],
        row: &[Value],
        budget: Option<usize>,
    ) -> Result<(Vec<String>, Vec<Vec<Value>>), CypherError> {
        let mut all = names.to_vec();
        for name in pattern.variables() {
            if !all.contains(&name) {
                all.push(name);
            }
        }
        let plan = Self::plan(pattern, &all, names, &FxHashMap::default())?;
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
                names: &all,
                filter,
                anchors: &FxHashMap::default(),
                budget,
                span: pattern.span,
            },
            0,
            &mut state,
            &mut found,
        )?;
        let rows = match found.sink {
            Sink::Rows(rows) => rows,
            Sink::Groups(_) => Vec::new(),
        };
        Ok((all, rows))
    }

    /// Whether `pattern` matches all of `text` (`=~`); each pattern is compiled once per query.
    fn full_match(&self, pattern: &str, text: &str, span: Span) -> Result<bool, CypherError> {
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

    /// Applies a binary operator with Cypher's null rules.
    pub(super) fn binary(
        &self,
        op: BinaryOp,
        a: Value,
        b: Value,
        span: Span,
    ) -> Result<Value, CypherError> {
        let null_if = |v: Option<bool>| v.map_or(Value::Null, Value::Bool);
        Ok(match op {
            BinaryOp::And => match (truth(&a), truth(&b)) {
                (Some(false), _) | (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            },
            BinaryOp::Or => match (truth(&a), truth(&b)) {
                (Some(true), _) | (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            },
            BinaryOp::Xor => match (truth(&a), truth(&b)) {
                (Some(x), Some(y)) => Value::Bool(x != y),
                _ => Value::Null,
            },
            BinaryOp::Eq => null_if(a.equals(&b)),
            BinaryOp::Ne => null_if(a.equals(&b).map(|e| !e)),
            BinaryOp::Lt => null_if(a.compare(&b, Comparison::Lt)),
            BinaryOp::Le => null_if(a.compare(&b, Comparison::Le)),
            BinaryOp::Gt => null_if(a.compare(&b, Comparison::Gt)),
            BinaryOp::Ge => null_if(a.compare(&b, Comparison::Ge)),
            BinaryOp::In => match b {
                Value::Null => Value::Null,
                Value::List(items) => {
                    let mut unknown = a.is_null() && !items.is_empty();
                    let mut found = false;
                    for item in &items {
                        match a.equals(item) {
                            Some(true) => found = true,
                            None => unknown = true,
                            Some(false) => {}
                        }
                    }
                    if found {
                        Value::Bool(true)
                    } else if unknown {
                        Value::Null
                    } else {
                        Value::Bool(false)
                    }
                }
                other => {
                    return Err(CypherError::semantic(
                        span,
                        format!("IN needs a list on its right, not a {}", other.type_name()),
                    ));
                }
            },
            BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains | BinaryOp::Regex => {
                match (a, b) {
                    (Value::Str(s), Value::Str(t)) => Value::Bool(match op {
                        BinaryOp::StartsWith => s.starts_with(&t),
                        BinaryOp::EndsWith => s.ends_with(&t),
                        BinaryOp::Contains => s.contains(&t),
                        _ => self.full_match(&t, &s, span)?,
                    }),
                    _ => Value::Null,
                }
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                arithmetic(op, a, b, span)?
            }
            // `^` always gives a float, as in Neo4j.
            BinaryOp::Pow => match (&a, &b) {
                (Value::Null, _) | (_, Value::Null) => Value::Null,
                _ => match (a.as_float(), b.as_float()) {
                    (Some(x), Some(y)) => Value::Float(x.powf(y)),
                    _ => {
                        return Err(CypherError::semantic(
                            span,
                            format!(
                                "`^` needs numbers, not {} and {}",
                                a.type_name(),
                                b.type_name()
                            ),
                        ));
                    }
                },
            },
        })
    }

    /// Returns a property of a node, relationship or map (null when absent).
    pub(super) fn property(&self, value: &Value, key: &str) -> Value {
        match value {
            Value::Node(node) => self.node_property(*node, key),
            Value::Rel(edge) => self.rel_property(*edge, key),
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Value::Null, |(_, v)| v.clone()),
            Value::Date(date) => match key {
                "year" => Value::Int(i64::from(date.year())),
                "month" => date
                    .month()
                    .map_or(Value::Null, |m| Value::Int(i64::from(m))),
                "day" => date.day().map_or(Value::Null, |d| Value::Int(i64::from(d))),
                _ => Value::Null,
            },
            Value::Duration(duration) => duration.component(key).map_or(Value::Null, Value::Int),
            _ => Value::Null,
        }
    }

    /// Node properties as in the exports: `id`, `name`, then the attributes.
    pub(super) fn node_properties(&self, node: NodeIndex) -> Vec<(String, Value)> {
        let mut props = vec![
            ("id".to_owned(), Value::Str(self.kg.id(node).to_owned())),
            ("name".to_owned(), Value::Str(self.kg.name(node).to_owned())),
        ];
        for (def, value) in self.kg.catalog.entity_attrs(self.kg.entity(node)) {
            props.push((def.name.clone(), Value::from_stored(value)));
        }
        props
    }

    pub(super) fn node_property(&self, node: NodeIndex, key: &str) -> Value {
        match key {
            "id" => Value::Str(self.kg.id(node).to_owned()),
            "name" => Value::Str(self.kg.name(node).to_owned()),
            _ => self
                .kg
                .catalog
                .entity_attr(self.kg.entity(node), key)
                .map_or(Value::Null, Value::from_stored),
        }
    }

    /// Relationship properties as in the exports: `rid`, `start`, `end`, `start_from`,
    /// `end_to`, `weight`, then the attributes.
    pub(super) fn rel_properties(&self, edge: EdgeIndex) -> Vec<(String, Value)> {
        let relation = self.kg.relation(edge);
        let mut props = vec![(
            "rid".to_owned(),
            Value::Str(KnowledgeGraph::relation_id(edge).to_string()),
        )];
        let span = self.kg.catalog.timings.span(relation);
        if let Some(start) = relation.start {
            props.push(("start".to_owned(), Value::Date(start)));
        }
        if let Some(first) = span.first {
            props.push(("start_from".to_owned(), Value::Str(first.to_string())));
        }
        if let Some(end) = relation.end {
            props.push(("end".to_owned(), Value::Date(end)));
        }
        if let Some(last) = span.last {
            props.push(("end_to".to_owned(), Value::Str(last.to_string())));
        }
        if let Some(weight) = relation.weight() {
            props.push(("weight".to_owned(), Value::Float(weight)));
        }
        for (def, value) in self.kg.catalog.relation_attrs(relation) {
            props.push((def.name.clone(), Value::from_stored(value)));
        }
        props
    }

    pub(super) fn rel_property(&self, edge: EdgeIndex, key: &str) -> Value {
        let relation = self.kg.relation(edge);
        match key {
            "rid" => Value::Str(KnowledgeGraph::relation_id(edge).to_string()),
            "start" => relation.start.map_or(Value::Null, Value::Date),
            "end" => relation.end.map_or(Value::Null, Value::Date),
            "start_from" => (self.kg.catalog.timings.span(relation).first)
                .map_or(Value::Null, |d| Value::Str(d.to_string())),
            "end_to" => (self.kg.catalog.timings.span(relation).last)
                .map_or(Value::Null, |d| Value::Str(d.to_string())),
            "weight" => relation.weight().map_or(Value::Null, Value::Float),
            _ => self
                .kg
                .catalog
                .relation_attr(relation, key)
                .map_or(Value::Null, Value::from_stored),
        }
    }
}

pub(super) fn arithmetic(
    op: BinaryOp,
    a: Value,
    b: Value,
    span: Span,
) -> Result<Value, CypherError> {
    let overflow = || CypherError::semantic(span, "integer overflow").with_code("IntegerOverflow");
    Ok(match (a, b) {
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (Value::Int(x), Value::Int(y)) => Value::Int(match op {
            BinaryOp::Add => x.checked_add(y).ok_or_else(overflow)?,
            BinaryOp::Sub => x.checked_sub(y).ok_or_else(overflow)?,
            BinaryOp::Mul => x.checked_mul(y).ok_or_else(overflow)?,
            BinaryOp::Div => {
                if y == 0 {
                    return Err(CypherError::semantic(span, "division by zero"));
                }
                x.checked_div(y).ok_or_else(overflow)?
            }
            _ => {
                if y == 0 {
                    return Err(CypherError::semantic(span, "division by zero"));
                }
                x.checked_rem(y).ok_or_else(overflow)?
            }
        }),
        (x @ (Value::Int(_) | Value::Float(_)), y @ (Value::Int(_) | Value::Float(_))) => {
            let (x, y) = (x.as_float().unwrap_or(0.0), y.as_float().unwrap_or(0.0));
            Value::Float(match op {
                BinaryOp::Add => x + y,
                BinaryOp::Sub => x - y,
                BinaryOp::Mul => x * y,
                BinaryOp::Div => x / y,
                _ => x % y,
            })
        }
        (Value::Date(date), Value::Duration(d)) if matches!(op, BinaryOp::Add | BinaryOp::Sub) => {
            let d = if op == BinaryOp::Sub {
                d.negated().ok_or_else(overflow)?
            } else {
                d
            };
            Value::Date(duration::add(date, d).map_err(|e| CypherError::semantic(span, e.0))?)
        }
        (Value::Duration(d), Value::Date(date)) if op == BinaryOp::Add => {
            Value::Date(duration::add(date, d).map_err(|e| CypherError::semantic(span, e.0))?)
        }
        (Value::Duration(a), Value::Duration(b)) if matches!(op, BinaryOp::Add | BinaryOp::Sub) => {
            let b = if op == BinaryOp::Sub {
                b.negated().ok_or_else(overflow)?
            } else {
                b
            };
            Value::Duration(a.plus(b).ok_or_else(overflow)?)
        }
        (Value::Duration(d), Value::Int(n)) | (Value::Int(n), Value::Duration(d))
            if op == BinaryOp::Mul =>
        {
            Value::Duration(d.times(n).ok_or_else(overflow)?)
        }
        (Value::Str(x), Value::Str(y)) if op == BinaryOp::Add => Value::Str(x + &y),
        (Value::Str(x), y @ (Value::Int(_) | Value::Float(_))) if op == BinaryOp::Add => {
            Value::Str(format!("{x}{}", number_text(&y)))
        }
        (x @ (Value::Int(_) | Value::Float(_)), Value::Str(y)) if op == BinaryOp::Add => {
            Value::Str(format!("{}{y}", number_text(&x)))
        }
        (Value::List(mut x), Value::List(y)) if op == BinaryOp::Add => {
            x.extend(y);
            Value::List(x)
        }
        (Value::List(mut x), y) if op == BinaryOp::Add => {
            x.push(y);
            Value::List(x)
        }
        (x, Value::List(mut y)) if op == BinaryOp::Add => {
            y.insert(0, x);
            Value::List(y)
        }
        (x, y) => {
            return Err(CypherError::semantic(
                span,
                format!(
                    "cannot apply `{}` to a {} and a {}",
                    op.symbol(),
                    x.type_name(),
                    y.type_name()
                ),
            ));
        }
    })
}

pub(super) fn number_text(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Float(x) => crate::query::cypher::value::FloatText(*x).to_string(),
        _ => String::new(),
    }
}

pub(super) fn negate(value: Value, span: Span) -> Result<Value, CypherError> {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Int(i) => i.checked_neg().map(Value::Int).ok_or_else(|| {
            CypherError::semantic(span, "integer overflow").with_code("IntegerOverflow")
        }),
        // `-0.0` is read as 0.0, as openCypher's TCK reads it.
        Value::Float(x) => Ok(Value::Float(if x == 0.0 { 0.0 } else { -x })),
        Value::Duration(d) => d.negated().map(Value::Duration).ok_or_else(|| {
            CypherError::semantic(span, "integer overflow").with_code("IntegerOverflow")
        }),
        other => Err(CypherError::semantic(
            span,
            format!("cannot negate a {}", other.type_name()),
        )),
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
                format!("a slice `[a..b]` needs a list, not a {}", other.type_name()),
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
                    "a slice bound must be an integer, not a {}",
                    other.type_name()
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
