//! Operators with Cypher's null rules: comparison, boolean logic, `IN`, string matching,
//! `=~`, and arithmetic on numbers, strings, lists, dates and durations.

use crate::cypher::duration;

use super::eval::truth;
use super::{BinaryOp, Comparison, CypherError, Engine, Span, Value};

impl Engine<'_> {
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
                        format!(
                            "IN needs a list on its right, not {}",
                            other.described_type()
                        ),
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
                                a.described_type(),
                                b.described_type()
                            ),
                        ));
                    }
                },
            },
        })
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
                    "cannot apply `{}` to {} and {}",
                    op.symbol(),
                    x.described_type(),
                    y.described_type()
                ),
            ));
        }
    })
}

pub(super) fn number_text(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Float(x) => crate::cypher::value::FloatText(*x).to_string(),
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
            format!("cannot negate {}", other.described_type()),
        )),
    }
}
