//! Functions on numbers and strings that need nothing from the graph: mathematics and
//! trigonometry, `left`,
//! `right`, `replace`, one-sided trims, `toBoolean`, `isEmpty`.

use crate::cypher::ast::Function;

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
    let count = |i: usize| call.count(i, arg(i));
    Ok(match function {
        Function::Ceil => Value::Float(number()?.ceil()),
        Function::Floor => Value::Float(number()?.floor()),
        // Halves round up, towards positive infinity, as in Neo4j; with a precision, halves
        // round away from zero unless a mode says otherwise.
        Function::Round if args.len() == 1 => Value::Float((number()? + 0.5).floor()),
        Function::Round => {
            let precision = match arg(1) {
                Value::Int(p) => *p,
                other => return Err(wrong(1, "an integer precision", other)),
            };
            let mode = match args.get(2) {
                None => Rounding::HalfUp,
                Some(Value::Str(name)) => Rounding::from_name(name)
                    .ok_or_else(|| wrong(2, "a rounding mode such as 'HALF_EVEN'", arg(2)))?,
                Some(other) => return Err(wrong(2, "a rounding mode such as 'HALF_EVEN'", other)),
            };
            Value::Float(round_decimal(number()?, precision, mode))
        }
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

/// How `round(x, precision, mode)` settles the digits it drops, as Java's `RoundingMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rounding {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
}

impl Rounding {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "UP" => Rounding::Up,
            "DOWN" => Rounding::Down,
            "CEILING" => Rounding::Ceiling,
            "FLOOR" => Rounding::Floor,
            "HALF_UP" => Rounding::HalfUp,
            "HALF_DOWN" => Rounding::HalfDown,
            "HALF_EVEN" => Rounding::HalfEven,
            _ => return None,
        })
    }
}

/// Rounds `x` to `precision` decimal places on its shortest decimal form (what the value
/// reads as), so `round(1.005, 2)` is 1.01 as Neo4j's `BigDecimal` gives, not the 1.0 that
/// scaling the binary value would.
fn round_decimal(x: f64, precision: i64, mode: Rounding) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // `{:e}` is the shortest form that reads back as `x`: `d.ddd` `e` exponent.
    let text = format!("{:e}", x.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // The digits kept: those before the point (exponent + 1) and `precision` after it.
    let mut kept = exponent.saturating_add(1).saturating_add(precision);
    if kept >= i64::try_from(digits.len()).unwrap_or(i64::MAX) {
        return x;
    }
    if kept < 0 {
        let zeros = usize::try_from(-kept).unwrap_or(usize::MAX).min(400);
        digits.splice(0..0, std::iter::repeat_n(0, zeros));
        kept = 0;
    }
    let kept = usize::try_from(kept).unwrap_or(0);
    let (head, dropped) = digits.split_at(kept);
    let first = dropped.first().copied().unwrap_or(0);
    let rest_nonzero = dropped.iter().skip(1).any(|&d| d != 0);
    let any_dropped = first != 0 || rest_nonzero;
    let negative = x < 0.0;
    let last_odd = head.last().is_some_and(|d| d % 2 == 1);
    let away = match mode {
        Rounding::Up => any_dropped,
        Rounding::Down => false,
        Rounding::Ceiling => any_dropped && !negative,
        Rounding::Floor => any_dropped && negative,
        Rounding::HalfUp => first >= 5,
        Rounding::HalfDown => first > 5 || (first == 5 && rest_nonzero),
        Rounding::HalfEven => first > 5 || (first == 5 && (rest_nonzero || last_odd)),
    };
    let mut magnitude: u64 = head.iter().fold(0, |n, &d| n * 10 + u64::from(d));
    if away {
        magnitude += 1;
    }
    if magnitude == 0 {
        return 0.0;
    }
    let sign = if negative { "-" } else { "" };
    format!("{sign}{magnitude}e{}", -precision)
        .parse()
        .unwrap_or(x)
}
