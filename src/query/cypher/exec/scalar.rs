//! Functions on numbers and strings that need nothing from the graph: mathematics and
//! trigonometry, `left`,
//! `right`, `replace`, one-sided trims, `toBoolean`, `isEmpty`.

use crate::query::cypher::ast::Function;

use super::functions::Call;
use super::{CypherError, Value};

/// Evaluates one of this module's functions; null when an argument is null.
///
/// # Errors
/// An argument of the wrong type, with its span.
pub(super) fn evaluate(call: Call<'_>, args: &[Value]) -> Result<Value, CypherError> {
    let Call { function, span, .. } = call;
    let wrong = |i: usize, want: &str, got: &Value| call.wrong(i, want, got);
    match function {
        Function::E => return Ok(Value::Float(std::f64::consts::E)),
        Function::Pi => return Ok(Value::Float(std::f64::consts::PI)),
        Function::Rand => return Ok(Value::Float(fastrand::f64())),
        _ => {}
    }
    if args.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    // The parser has checked the number of arguments; a missing one reads as null.
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    let first = arg(0);
    let number = || first.as_float().ok_or_else(|| wrong(0, "a number", first));
    let text = |i: usize| match arg(i) {
        Value::Str(s) => Ok(s.as_str()),
        other => Err(wrong(i, "a string", other)),
    };
    let count = |i: usize| match arg(i) {
        Value::Int(n) if *n >= 0 => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
        other => Err(wrong(i, "a non-negative integer", other)),
    };
    Ok(match function {
        Function::Ceil => Value::Float(number()?.ceil()),
        Function::Floor => Value::Float(number()?.floor()),
        // Halves round up, towards positive infinity, as in Neo4j.
        Function::Round => Value::Float((number()? + 0.5).floor()),
        Function::Sign => match first {
            Value::Int(i) => Value::Int(i.signum()),
            _ => {
                let x = number()?;
                #[allow(clippy::cast_possible_truncation)]
                Value::Int(if x == 0.0 || x.is_nan() {
                    0
                } else {
                    x.signum() as i64
                })
            }
        },
        Function::Sqrt => Value::Float(number()?.sqrt()),
        Function::Exp => Value::Float(number()?.exp()),
        Function::Log => Value::Float(number()?.ln()),
        Function::Log10 => Value::Float(number()?.log10()),
        Function::IsNaN => Value::Bool(number()?.is_nan()),
        Function::Sin => Value::Float(number()?.sin()),
        Function::Cos => Value::Float(number()?.cos()),
        Function::Tan => Value::Float(number()?.tan()),
        Function::Cot => Value::Float(number()?.tan().recip()),
        Function::Asin => Value::Float(number()?.asin()),
        Function::Acos => Value::Float(number()?.acos()),
        Function::Atan => Value::Float(number()?.atan()),
        Function::Atan2 => {
            let x = arg(1)
                .as_float()
                .ok_or_else(|| wrong(1, "a number", arg(1)))?;
            Value::Float(number()?.atan2(x))
        }
        Function::Degrees => Value::Float(number()?.to_degrees()),
        Function::Radians => Value::Float(number()?.to_radians()),
        Function::Haversin => Value::Float((1.0 - number()?.cos()) / 2.0),
        Function::Left => Value::Str(text(0)?.chars().take(count(1)?).collect()),
        Function::Right => {
            let chars: Vec<char> = text(0)?.chars().collect();
            let keep = count(1)?.min(chars.len());
            Value::Str(chars[chars.len() - keep..].iter().collect())
        }
        Function::Replace => {
            let (search, with) = (text(1)?, text(2)?);
            Value::Str(text(0)?.replace(search, with))
        }
        Function::LTrim => Value::Str(text(0)?.trim_start().to_owned()),
        Function::RTrim => Value::Str(text(0)?.trim_end().to_owned()),
        Function::ToBoolean => match first {
            Value::Bool(b) => Value::Bool(*b),
            Value::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
            Value::Int(i) => Value::Bool(*i != 0),
            other => return Err(wrong(0, "a boolean, string or integer", other)),
        },
        Function::IsEmpty => match first {
            Value::Str(s) => Value::Bool(s.is_empty()),
            Value::List(items) => Value::Bool(items.is_empty()),
            Value::Map(entries) => Value::Bool(entries.is_empty()),
            other => return Err(wrong(0, "a string, list or map", other)),
        },
        other => {
            return Err(CypherError::semantic(
                span,
                format!("{other}() is not a function on numbers or strings"),
            ));
        }
    })
}
