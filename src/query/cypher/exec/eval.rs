//! Expressions for one row: operators with Cypher's null rules, properties, pattern
//! predicates; [`Engine::compose`] is shared with aggregated items.

use crate::graph::KnowledgeGraph;

use super::{
    BinaryOp, Comparison, CypherError, EdgeIndex, Engine, Expr, ExprKind, FxHashMap, Literal,
    Matching, NodeIndex, Output, PathPattern, Sink, Span, State, Value, pattern_variables,
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
            _ => self.compose(expr, &mut |child| self.eval(child, names, row)),
        }
    }

    pub(super) fn pattern_exists(
        &self,
        pattern: &PathPattern,
        names: &[String],
        row: &[Value],
    ) -> Result<Value, CypherError> {
        let mut all = names.to_vec();
        for name in pattern_variables(pattern) {
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
                filter: None,
                anchors: &FxHashMap::default(),
                budget: Some(1),
                span: pattern.span,
            },
            0,
            &mut state,
            &mut found,
        )?;
        Ok(Value::Bool(found.produced > 0))
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
    let overflow = || CypherError::semantic(span, "integer overflow");
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
        Value::Int(i) => i
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| CypherError::semantic(span, "integer overflow")),
        Value::Float(x) => Ok(Value::Float(-x)),
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
