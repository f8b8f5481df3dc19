//! The scalar and list functions of the subset.

use crate::cypher::ast::Function;
use crate::cypher::duration::{self, Duration};

use super::{CypherError, Engine, PartialDate, Span, Value, int_to_float, scalar};

/// A function call as its messages need it: the function, where each argument is, and where
/// the call is.
#[derive(Clone, Copy)]
pub(super) struct Call<'a> {
    pub(super) function: Function,
    pub(super) spans: &'a [Span],
    pub(super) span: Span,
}

impl Call<'_> {
    /// Where argument `i` is (the call, for an argument it does not have).
    pub(super) fn at(self, i: usize) -> Span {
        self.spans.get(i).copied().unwrap_or(self.span)
    }

    /// The error for argument `i`, which should have been `want` and is `got`.
    pub(super) fn wrong(self, i: usize, want: &str, got: &Value) -> CypherError {
        self.needs(i, want, got.described_type())
    }

    /// Argument `i` as a count (`left`, `right`, `substring`): a non-negative integer; a
    /// negative one is named by its value.
    pub(super) fn count(self, i: usize, value: &Value) -> Result<usize, CypherError> {
        match value {
            Value::Int(n) if *n >= 0 => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
            Value::Int(n) => Err(self.needs(i, "a non-negative integer", &n.to_string())),
            other => Err(self.wrong(i, "a non-negative integer", other)),
        }
    }

    fn needs(self, i: usize, want: &str, got: &str) -> CypherError {
        CypherError::semantic(
            self.at(i),
            format!("{}() needs {want}, not {got}", self.function),
        )
        .with_code("InvalidArgumentType")
    }
}

impl Engine<'_> {
    #[allow(clippy::too_many_lines)]
    pub(super) fn function(
        &self,
        function: Function,
        args: Vec<Value>,
        spans: &[Span],
        span: Span,
    ) -> Result<Value, CypherError> {
        let call = Call {
            function,
            spans,
            span,
        };
        let wrong = |i: usize, want: &str, got: &Value| call.wrong(i, want, got);
        // The constants take no argument, so the null rule below does not apply to them.
        if matches!(function, Function::E | Function::Pi | Function::Rand) {
            return scalar::evaluate(call, &args);
        }
        // The parser has checked the number of arguments.
        if function == Function::Coalesce {
            return Ok(args
                .into_iter()
                .find(|v| !v.is_null())
                .unwrap_or(Value::Null));
        }
        let mut args = args.into_iter();
        let first = args.next().unwrap_or(Value::Null);
        if first.is_null() {
            return Ok(Value::Null);
        }
        Ok(match function {
            Function::Id => match first {
                Value::Node(n) => Value::Int(i64::try_from(n.index()).unwrap_or(-1)),
                Value::Rel(e) => Value::Int(i64::try_from(e.index()).unwrap_or(-1)),
                other => return Err(wrong(0, "a node or relationship", &other)),
            },
            Function::Labels => match first {
                Value::Node(n) => Value::List(vec![
                    Value::Str("Entity".into()),
                    Value::Str(self.kg.kind(n).to_owned()),
                ]),
                other => return Err(wrong(0, "a node", &other)),
            },
            Function::Type => match first {
                Value::Rel(e) => Value::Str(self.kg.rel_type(e).to_owned()),
                other => return Err(wrong(0, "a relationship", &other)),
            },
            Function::Properties => match first {
                Value::Node(n) => Value::Map(self.node_properties(n)),
                Value::Rel(e) => Value::Map(self.rel_properties(e)),
                map @ Value::Map(_) => map,
                other => return Err(wrong(0, "a node, relationship or map", &other)),
            },
            Function::Keys => match first {
                Value::Node(n) => Value::List(
                    self.node_properties(n)
                        .into_iter()
                        .map(|(k, _)| Value::Str(k))
                        .collect(),
                ),
                Value::Rel(e) => Value::List(
                    self.rel_properties(e)
                        .into_iter()
                        .map(|(k, _)| Value::Str(k))
                        .collect(),
                ),
                Value::Map(entries) => {
                    Value::List(entries.into_iter().map(|(k, _)| Value::Str(k)).collect())
                }
                other => return Err(wrong(0, "a node, relationship or map", &other)),
            },
            Function::Length => match first {
                Value::Path(p) => Value::Int(i64::try_from(p.edges.len()).unwrap_or(i64::MAX)),
                other => {
                    return Err(wrong(
                        0,
                        "a path (use size() for strings and lists)",
                        &other,
                    ));
                }
            },
            Function::Nodes => match first {
                Value::Path(p) => Value::List(p.nodes.into_iter().map(Value::Node).collect()),
                other => return Err(wrong(0, "a path", &other)),
            },
            Function::Relationships => match first {
                Value::Path(p) => Value::List(p.edges.into_iter().map(Value::Rel).collect()),
                other => return Err(wrong(0, "a path", &other)),
            },
            Function::StartNode | Function::EndNode => match first {
                Value::Rel(e) => {
                    let (a, b) = self.kg.endpoints(e);
                    Value::Node(if function == Function::StartNode {
                        a
                    } else {
                        b
                    })
                }
                other => return Err(wrong(0, "a relationship", &other)),
            },
            Function::ToString => match first {
                Value::Str(s) => Value::Str(s),
                Value::Int(i) => Value::Str(i.to_string()),
                Value::Float(x) => Value::Str(crate::cypher::value::FloatText(x).to_string()),
                Value::Bool(b) => Value::Str(b.to_string()),
                Value::Date(d) => Value::Str(d.to_string()),
                Value::Duration(d) => Value::Str(d.to_string()),
                Value::Time(t) => Value::Str(t.to_string()),
                Value::DateTime(d) => Value::Str(d.to_string()),
                other => {
                    return Err(wrong(
                        0,
                        "a string, number, boolean or temporal value",
                        &other,
                    ));
                }
            },
            Function::ToInteger => match first {
                Value::Int(i) => Value::Int(i),
                #[allow(clippy::cast_possible_truncation)]
                Value::Float(x) if x.is_finite() && x.abs() < 9.2e18 => {
                    Value::Int(x.trunc() as i64)
                }
                Value::Float(_) => Value::Null,
                Value::Bool(b) => Value::Int(i64::from(b)),
                Value::Str(s) => match s.trim().parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    #[allow(clippy::cast_possible_truncation)]
                    Err(_) => s
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && x.abs() < 9.2e18)
                        .map_or(Value::Null, |x| Value::Int(x.trunc() as i64)),
                },
                other => return Err(wrong(0, "a string, number or boolean", &other)),
            },
            Function::ToFloat => match first {
                Value::Int(i) => Value::Float(int_to_float(i)),
                Value::Float(x) => Value::Float(x),
                Value::Str(s) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map_or(Value::Null, Value::Float),
                other => return Err(wrong(0, "a string or number", &other)),
            },
            Function::Size => match first {
                Value::Str(s) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
                Value::List(items) => Value::Int(i64::try_from(items.len()).unwrap_or(i64::MAX)),
                other => return Err(wrong(0, "a string or list", &other)),
            },
            Function::Head | Function::Last => match first {
                Value::List(mut items) => {
                    if function == Function::Head {
                        items.into_iter().next().unwrap_or(Value::Null)
                    } else {
                        items.pop().unwrap_or(Value::Null)
                    }
                }
                other => return Err(wrong(0, "a list", &other)),
            },
            Function::ToStringOrNull
            | Function::ToIntegerOrNull
            | Function::ToFloatOrNull
            | Function::ToBooleanOrNull => {
                // The conversion, with null where it would raise a type error.
                let strict = match function {
                    Function::ToStringOrNull => Function::ToString,
                    Function::ToIntegerOrNull => Function::ToInteger,
                    Function::ToFloatOrNull => Function::ToFloat,
                    _ => Function::ToBoolean,
                };
                self.function(strict, vec![first], spans, span)
                    .unwrap_or(Value::Null)
            }
            Function::ToStringList
            | Function::ToIntegerList
            | Function::ToFloatList
            | Function::ToBooleanList => {
                let each = match function {
                    Function::ToStringList => Function::ToStringOrNull,
                    Function::ToIntegerList => Function::ToIntegerOrNull,
                    Function::ToFloatList => Function::ToFloatOrNull,
                    _ => Function::ToBooleanOrNull,
                };
                match first {
                    Value::List(items) => Value::List(
                        items
                            .into_iter()
                            .map(|item| self.function(each, vec![item], spans, span))
                            .collect::<Result<_, _>>()?,
                    ),
                    other => return Err(wrong(0, "a list", &other)),
                }
            }
            Function::CharLength | Function::CharacterLength => match first {
                Value::Str(s) => Value::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
                other => return Err(wrong(0, "a string", &other)),
            },
            Function::ToLower
            | Function::ToUpper
            | Function::Lower
            | Function::Upper
            | Function::Trim => match first {
                Value::Str(s) => Value::Str(match function {
                    Function::ToLower | Function::Lower => s.to_lowercase(),
                    Function::ToUpper | Function::Upper => s.to_uppercase(),
                    _ => s.trim().to_owned(),
                }),
                other => return Err(wrong(0, "a string", &other)),
            },
            Function::Substring => {
                let Value::Str(s) = first else {
                    return Err(wrong(0, "a string", &first));
                };
                let start = match args.next() {
                    Some(value) => call.count(1, &value)?,
                    None => 0,
                };
                let length = match args.next() {
                    Some(value) => call.count(2, &value)?,
                    None => usize::MAX,
                };
                Value::Str(s.chars().skip(start).take(length).collect())
            }
            Function::Split => match (first, args.next().unwrap_or(Value::Null)) {
                (Value::Str(s), Value::Str(d)) if !d.is_empty() => Value::List(
                    s.split(d.as_str())
                        .map(|p| Value::Str(p.to_owned()))
                        .collect(),
                ),
                (Value::Str(s), Value::Str(_)) => {
                    Value::List(s.chars().map(|c| Value::Str(c.to_string())).collect())
                }
                (_, Value::Null) => Value::Null,
                (a, b) => {
                    return Err(wrong(
                        usize::from(matches!(a, Value::Str(_))),
                        "strings",
                        if matches!(a, Value::Str(_)) { &b } else { &a },
                    ));
                }
            },
            Function::Ceil
            | Function::Floor
            | Function::Round
            | Function::Sign
            | Function::Sqrt
            | Function::Exp
            | Function::Log
            | Function::Log10
            | Function::E
            | Function::Pi
            | Function::Rand
            | Function::Left
            | Function::Right
            | Function::Replace
            | Function::LTrim
            | Function::RTrim
            | Function::ToBoolean
            | Function::IsEmpty
            | Function::IsNaN
            | Function::Sin
            | Function::Cos
            | Function::Tan
            | Function::Cot
            | Function::Asin
            | Function::Acos
            | Function::Atan
            | Function::Atan2
            | Function::Degrees
            | Function::Radians
            | Function::Haversin => {
                let all: Vec<Value> = std::iter::once(first).chain(args).collect();
                scalar::evaluate(call, &all)?
            }
            Function::Range | Function::Reverse | Function::Tail => {
                list_function(call, first, &args.collect::<Vec<_>>())?
            }
            Function::Abs => match first {
                Value::Int(i) => Value::Int(i.checked_abs().ok_or_else(|| {
                    CypherError::semantic(span, "integer overflow").with_code("IntegerOverflow")
                })?),
                Value::Float(x) => Value::Float(x.abs()),
                other => return Err(wrong(0, "a number", &other)),
            },
            Function::Date => match first {
                Value::Str(s) => Value::Date(
                    PartialDate::parse(&s)
                        .map_err(|err| CypherError::semantic(spans[0], err.to_string()))?,
                ),
                Value::Date(d) => Value::Date(d),
                Value::Map(entries) => date_from_map(&entries, spans[0])?,
                other => return Err(wrong(0, "a string such as '1992-08' or a map", &other)),
            },
            Function::LocalTime | Function::Time | Function::LocalDateTime | Function::DateTime => {
                clock_value(function, first, spans[0])?
            }
            Function::Duration => match first {
                Value::Str(s) => Value::Duration(
                    Duration::parse(&s).map_err(|e| CypherError::semantic(spans[0], e.0))?,
                ),
                Value::Duration(d) => Value::Duration(d),
                Value::Map(entries) => {
                    let mut parts = Vec::new();
                    for (key, value) in entries {
                        match value {
                            Value::Int(n) => parts.push((key, n)),
                            Value::Null => return Ok(Value::Null),
                            other => {
                                return Err(CypherError::semantic(
                                    spans[0],
                                    format!(
                                        "duration(): `{key}` needs an integer, not {}",
                                        other.described_type()
                                    ),
                                ));
                            }
                        }
                    }
                    Value::Duration(
                        Duration::from_parts(&parts)
                            .map_err(|e| CypherError::semantic(spans[0], e.0))?,
                    )
                }
                other => return Err(wrong(0, "a string such as 'P1Y2M' or a map", &other)),
            },
            Function::DurationBetween => match (first, args.next().unwrap_or(Value::Null)) {
                (_, Value::Null) => Value::Null,
                (Value::Date(a), Value::Date(b)) => Value::Duration(
                    duration::between(a, b).map_err(|e| CypherError::semantic(span, e.0))?,
                ),
                (a, b) => {
                    let other = if matches!(a, Value::Date(_)) { b } else { a };
                    return Err(wrong(0, "two dates", &other));
                }
            },
            Function::DateTruncate => match (first, args.next().unwrap_or(Value::Null)) {
                (_, Value::Null) => Value::Null,
                (Value::Str(unit), Value::Date(date)) => Value::Date(
                    duration::truncate(&unit, date)
                        .map_err(|e| CypherError::semantic(spans[0], e.0))?,
                ),
                (Value::Str(_), other) => return Err(wrong(1, "a date", &other)),
                (other, _) => return Err(wrong(0, "a unit such as 'month'", &other)),
            },
            // Aggregates never reach here (the projection evaluates them), nor coalesce.
            Function::Coalesce
            | Function::Count
            | Function::Collect
            | Function::Sum
            | Function::Avg
            | Function::Min
            | Function::Max
            | Function::StDev
            | Function::StDevP
            | Function::PercentileDisc
            | Function::PercentileCont => {
                return Err(CypherError::semantic(
                    span,
                    format!("{function}() cannot be evaluated for one row"),
                ));
            }
        })
    }
}

/// The most items `range()` makes: a typing slip should be an error, not all the memory.
const RANGE_LIMIT: i64 = 10_000_000;

/// `range(start, end[, step])`, `reverse(list or string)`, `tail(list)`.
fn list_function(call: Call<'_>, first: Value, rest: &[Value]) -> Result<Value, CypherError> {
    let Call { function, span, .. } = call;
    let at = |i: usize| call.at(i);
    let wrong = |i: usize, want: &str, got: &Value| call.wrong(i, want, got);
    Ok(match function {
        Function::Range => {
            let int = |i: usize, value: &Value| match value {
                Value::Int(n) => Ok(*n),
                other => Err(wrong(i, "integers", other)),
            };
            let start = int(0, &first)?;
            let end = int(1, rest.first().unwrap_or(&Value::Null))?;
            let step = match rest.get(1) {
                Some(value) => int(2, value)?,
                None => 1,
            };
            if step == 0 {
                return Err(
                    CypherError::semantic(at(2), "range() needs a step other than 0")
                        .with_code("NumberOutOfRange"),
                );
            }
            let distance = i128::from(end) - i128::from(start);
            // No item when the step leads away from the end (`range(0, 1, -1000)`): division
            // truncates towards zero, which would count the start.
            let count = if distance != 0 && (distance < 0) != (step < 0) {
                0
            } else {
                distance / i128::from(step) + 1
            };
            if count > i128::from(RANGE_LIMIT) {
                return Err(CypherError::semantic(
                    span,
                    format!("range() would make {count} items; the most is {RANGE_LIMIT}"),
                ));
            }
            let count = usize::try_from(count.max(0)).unwrap_or(0);
            Value::List(
                std::iter::successors(Some(start), |n| n.checked_add(step))
                    .take(count)
                    .map(Value::Int)
                    .collect(),
            )
        }
        Function::Reverse => match first {
            Value::List(mut items) => {
                items.reverse();
                Value::List(items)
            }
            Value::Str(text) => Value::Str(text.chars().rev().collect()),
            other => return Err(wrong(0, "a list or a string", &other)),
        },
        Function::Tail => match first {
            Value::List(items) => Value::List(items.into_iter().skip(1).collect()),
            other => return Err(wrong(0, "a list", &other)),
        },
        _ => unreachable!("only the list functions come here"),
    })
}

/// `date({year: 2024, month: 5, day: 1})`: a whole day, month and day 1 when left out (as in
/// openCypher; a partial date is written as a string, `date('2024-05')`).
/// `localtime`, `time`, `localdatetime` or `datetime` from text, a map of parts, or a value
/// of the same kind.
fn clock_value(function: Function, value: Value, span: Span) -> Result<Value, CypherError> {
    use crate::cypher::clock::{DateTime, PartValue, Time, TimeError};
    let zoned = matches!(function, Function::Time | Function::DateTime);
    let with_date = matches!(function, Function::LocalDateTime | Function::DateTime);
    let failed = |err: TimeError| CypherError::semantic(span, format!("{function}(): {}", err.0));
    let built = match value {
        Value::Str(text) if with_date => {
            Value::DateTime(DateTime::parse(&text, zoned).map_err(failed)?)
        }
        Value::Str(text) => Value::Time(Time::parse(&text, zoned).map_err(failed)?),
        Value::Map(entries) => {
            let mut parts = Vec::with_capacity(entries.len());
            for (key, part) in entries {
                parts.push(match part {
                    Value::Int(n) => (key, PartValue::Int(n)),
                    Value::Str(text) => (key, PartValue::Text(text)),
                    Value::Null => return Ok(Value::Null),
                    other => {
                        return Err(CypherError::semantic(
                            span,
                            format!(
                                "{function}(): `{key}` needs an integer, not {}",
                                other.described_type()
                            ),
                        )
                        .with_code("InvalidArgumentType"));
                    }
                });
            }
            if with_date {
                Value::DateTime(DateTime::from_parts(&parts, zoned).map_err(failed)?)
            } else {
                Value::Time(Time::from_parts(&parts, zoned).map_err(failed)?)
            }
        }
        Value::Time(time) if !with_date && time.offset.is_some() == zoned => Value::Time(time),
        Value::DateTime(at) if with_date && at.time.offset.is_some() == zoned => {
            Value::DateTime(at)
        }
        other => {
            return Err(CypherError::semantic(
                span,
                format!(
                    "{function}() needs a string such as '{}' or a map, not {}",
                    if with_date {
                        "2015-07-21T21:40:32"
                    } else {
                        "21:40:32"
                    },
                    other.described_type()
                ),
            )
            .with_code("InvalidArgumentType"));
        }
    };
    Ok(built)
}

fn date_from_map(entries: &[(String, Value)], span: Span) -> Result<Value, CypherError> {
    let mut parts = [None, Some(1), Some(1)];
    for (key, value) in entries {
        let slot = match key.to_ascii_lowercase().as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            other => {
                return Err(CypherError::unsupported(
                    span,
                    format!(
                        "date() from a map takes year, month and day, not `{other}` (weeks, \
                         quarters and ordinal days are not supported)"
                    ),
                ));
            }
        };
        parts[slot] = match value {
            Value::Int(n) => Some(*n),
            Value::Null => return Ok(Value::Null),
            other => {
                return Err(CypherError::semantic(
                    span,
                    format!(
                        "date(): `{key}` needs an integer, not {}",
                        other.described_type()
                    ),
                ));
            }
        };
    }
    let [Some(year), Some(month), Some(day)] = parts else {
        return Err(CypherError::semantic(
            span,
            "date() from a map needs a `year`",
        ));
    };
    let text = format!("{year:04}-{month:02}-{day:02}");
    PartialDate::parse(&text)
        .map(Value::Date)
        .map_err(|err| CypherError::semantic(span, format!("date(): {err}")))
}
