//! Runtime values of the Cypher engine: comparison, equality, ordering and display.
//!
//! Partial dates compare as intervals, the way `--as-of` reads them: `a <= b` when `a` may
//! have begun by the end of `b` (`a.first <= b.last`), `a >= b` when `a` had not ended before
//! `b` began (`a.last >= b.first`), `a < b` when `a` lies wholly before `b`, `a > b` when
//! wholly after, `a = b` when both cover the same days. For full dates these are the usual
//! comparisons. A string compared with a date is read as a date.

use std::cmp::Ordering;
use std::fmt;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::cypher::clock::{DateTime, Time};
use crate::cypher::duration::Duration;
use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::model::value::ValueRef;

/// A path value: entities and the relations between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathValue {
    /// The entities, one more than `edges`.
    pub nodes: Vec<NodeIndex>,
    /// The relations in path order.
    pub edges: Vec<EdgeIndex>,
}

/// A value as grouping, `DISTINCT` and `UNION` compare it: `1` and `1.0` are one key, as
/// are two NaNs and two maps that differ only in the order of their keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number a float holds exactly: its bits, every NaN made one.
    Number(u64),
    /// An integer too large for a float to hold exactly.
    BigInt(i64),
    /// A string.
    Str(String),
    /// A date: the first and last day it covers.
    Date(crate::model::date::Day, crate::model::date::Day),
    /// A duration: months and days.
    Duration(i64, i64),
    /// A time or date-time, as printed (rare as keys; printing keeps their equality).
    Printed(String),
    /// A list.
    List(Vec<GroupKey>),
    /// A map, sorted by key.
    Map(Vec<(String, GroupKey)>),
    /// An entity.
    Node(usize),
    /// A relation.
    Rel(usize),
    /// A path: its entities and relations.
    Path(Vec<usize>, Vec<usize>),
}

impl GroupKey {
    fn number(x: f64) -> Self {
        GroupKey::Number(if x.is_nan() {
            f64::NAN.to_bits()
        } else {
            x.to_bits()
        })
    }
}

/// A value in a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A partial date.
    Date(PartialDate),
    /// A duration in months and days.
    Duration(Duration),
    /// A time of day (`localtime`, or `time` with an offset).
    Time(Time),
    /// A date and time (`localdatetime`, or `datetime` with an offset).
    DateTime(DateTime),
    /// A list.
    List(Vec<Value>),
    /// A map, keys in insertion order.
    Map(Vec<(String, Value)>),
    /// An entity.
    Node(NodeIndex),
    /// A relation.
    Rel(EdgeIndex),
    /// A path.
    Path(PathValue),
}

/// Lists order item by item, the first unequal pair deciding, a list before its extensions:
/// `[1, 0] >= [1]`. A pair that cannot be compared (a null, two types) makes the answer null.
fn list_ordering(a: &[Value], b: &[Value]) -> Option<Ordering> {
    for (x, y) in a.iter().zip(b) {
        if !x.equals(y)? {
            return Some(if x.compare(y, Comparison::Lt)? {
                Ordering::Less
            } else {
                Ordering::Greater
            });
        }
    }
    Some(a.len().cmp(&b.len()))
}

impl Value {
    /// Converts a stored attribute value.
    #[must_use]
    pub fn from_stored(value: ValueRef<'_>) -> Self {
        match value {
            ValueRef::Str(s) => Value::Str(s.to_owned()),
            ValueRef::Int(i) => Value::Int(i),
            ValueRef::Float(x) => Value::Float(x),
            ValueRef::Bool(b) => Value::Bool(b),
            ValueRef::Date(d) => Value::Date(d),
            ValueRef::List(list) => Value::List(list.items().map(Value::from_stored).collect()),
        }
    }

    /// Returns the Cypher type name with its article (`an integer`, `a string`), for messages.
    #[must_use]
    pub fn described_type(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Date(_) => "a date",
            Value::Duration(_) => "a duration",
            Value::Time(t) if t.offset.is_some() => "a time",
            Value::Time(_) => "a local time",
            Value::DateTime(d) if d.time.offset.is_some() => "a date-time",
            Value::DateTime(_) => "a local date-time",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Node(_) => "a node",
            Value::Rel(_) => "a relationship",
            Value::Path(_) => "a path",
        }
    }

    /// Returns whether the value is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Cypher equality: `None` (null) when either side is null or the answer is unknown.
    #[must_use]
    // Cypher's `=` is exact on floats, as in every engine; a margin would change answers.
    #[allow(clippy::float_cmp)]
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Null, _) | (_, Value::Null) => None,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                Some(int_to_float(*a) == *b)
            }
            (Value::Date(a), Value::Str(s)) | (Value::Str(s), Value::Date(a)) => {
                PartialDate::parse(s).ok().map(|b| same_days(*a, b))
            }
            (Value::Date(a), Value::Date(b)) => Some(same_days(*a, *b)),
            (Value::List(a), Value::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Value::Map(a), Value::Map(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                for (key, x) in a {
                    match b.iter().find(|(k, _)| k == key) {
                        None => return Some(false),
                        Some((_, y)) => {
                            if x.equals(y) != Some(true) {
                                return x.equals(y);
                            }
                        }
                    }
                }
                Some(true)
            }
            (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => Some(a == b),
            _ => Some(false),
        }
    }

    /// Cypher comparison for `<`, `<=`, `>`, `>=`: `None` (null) for incomparable values.
    #[must_use]
    pub fn compare(&self, other: &Value, op: Comparison) -> Option<bool> {
        let ordering = match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            // NaN is neither less, equal nor greater: every comparison with it is false.
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                match self.as_float()?.partial_cmp(&other.as_float()?) {
                    Some(ordering) => ordering,
                    None => return Some(false),
                }
            }
            (Value::List(a), Value::List(b)) => list_ordering(a, b)?,
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Time(a), Value::Time(b)) if a.offset.is_some() == b.offset.is_some() => {
                a.order(*b)
            }
            (Value::DateTime(a), Value::DateTime(b))
                if a.time.offset.is_some() == b.time.offset.is_some() =>
            {
                a.order(*b)
            }
            (Value::Date(a), Value::Date(b)) => return Some(compare_dates(*a, *b, op)),
            (Value::Date(a), Value::Str(s)) => {
                return PartialDate::parse(s).ok().map(|b| compare_dates(*a, b, op));
            }
            (Value::Str(s), Value::Date(b)) => {
                return PartialDate::parse(s).ok().map(|a| compare_dates(a, *b, op));
            }
            _ => return None,
        };
        Some(match op {
            Comparison::Lt => ordering == Ordering::Less,
            Comparison::Le => ordering != Ordering::Greater,
            Comparison::Gt => ordering == Ordering::Greater,
            Comparison::Ge => ordering != Ordering::Less,
        })
    }

    /// Returns a number as a float.
    #[must_use]
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(int_to_float(*i)),
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }

    /// Returns the order `ORDER BY` uses: a total order across types (nulls handled by the
    /// caller), numbers numerically, dates by first then last day.
    #[must_use]
    pub fn order(&self, other: &Value) -> Ordering {
        let rank = |v: &Value| match v {
            Value::Map(_) => 0,
            Value::Node(_) => 1,
            Value::Rel(_) => 2,
            Value::List(_) => 3,
            Value::Path(_) => 4,
            // Temporal values between paths and strings, in openCypher's order.
            Value::DateTime(d) if d.time.offset.is_some() => 5,
            Value::DateTime(_) => 6,
            Value::Date(_) => 7,
            Value::Time(t) if t.offset.is_some() => 8,
            Value::Time(_) => 9,
            Value::Duration(_) => 10,
            Value::Str(_) => 11,
            Value::Bool(_) => 12,
            Value::Int(_) | Value::Float(_) => 13,
            Value::Null => 14,
        };
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
                let (a, b) = (
                    self.as_float().unwrap_or(0.0),
                    other.as_float().unwrap_or(0.0),
                );
                // NaN sorts after every number whatever its sign bit (0.0 / 0.0 sets it on
                // x86, which `total_cmp` would put first).
                (a.is_nan(), a)
                    .partial_cmp(&(b.is_nan(), b))
                    .unwrap_or(Ordering::Equal)
            }
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => {
                (a.first_day(), a.last_day()).cmp(&(b.first_day(), b.last_day()))
            }
            (Value::Node(a), Value::Node(b)) => a.cmp(b),
            (Value::Rel(a), Value::Rel(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let o = x.order(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Path(a), Value::Path(b)) => {
                (a.edges.len(), &a.edges).cmp(&(b.edges.len(), &b.edges))
            }
            (Value::Map(a), Value::Map(b)) => a.len().cmp(&b.len()),
            (Value::Duration(a), Value::Duration(b)) => (a.months, a.days).cmp(&(b.months, b.days)),
            (Value::Time(a), Value::Time(b)) if rank(self) == rank(other) => a.order(*b),
            (Value::DateTime(a), Value::DateTime(b)) if rank(self) == rank(other) => a.order(*b),
            _ => rank(self).cmp(&rank(other)),
        }
    }

    /// The value as grouping, `DISTINCT` and `UNION` tell values apart: hashed and compared
    /// as a value, never printed.
    #[must_use]
    pub fn group_key(&self) -> GroupKey {
        match self {
            Value::Null => GroupKey::Null,
            Value::Bool(b) => GroupKey::Bool(*b),
            // An integer a float holds exactly groups with that float, as `=` says; a larger
            // one keeps every digit, so two integers `=` tells apart stay apart.
            Value::Int(i) if float_holds(*i) => GroupKey::number(int_to_float(*i)),
            Value::Int(i) => GroupKey::BigInt(*i),
            Value::Float(x) => GroupKey::number(*x),
            Value::Str(text) => GroupKey::Str(text.clone()),
            Value::Date(d) => GroupKey::Date(d.first_day(), d.last_day()),
            Value::Duration(d) => GroupKey::Duration(d.months, d.days),
            Value::Time(t) => GroupKey::Printed(format!("t{t}")),
            Value::DateTime(d) => GroupKey::Printed(format!("T{d}")),
            Value::List(items) => GroupKey::List(items.iter().map(Value::group_key).collect()),
            Value::Map(entries) => {
                let mut keys: Vec<(String, GroupKey)> = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.group_key()))
                    .collect();
                keys.sort_by(|a, b| a.0.cmp(&b.0));
                GroupKey::Map(keys)
            }
            Value::Node(node) => GroupKey::Node(node.index()),
            Value::Rel(edge) => GroupKey::Rel(edge.index()),
            Value::Path(path) => GroupKey::Path(
                path.nodes.iter().map(|n| n.index()).collect(),
                path.edges.iter().map(|e| e.index()).collect(),
            ),
        }
    }

    /// Estimated bytes a [`GroupKey`] of this value holds, for the memory limit.
    #[must_use]
    pub fn group_key_bytes(key: &GroupKey) -> usize {
        std::mem::size_of::<GroupKey>()
            + match key {
                GroupKey::Str(text) | GroupKey::Printed(text) => text.len(),
                GroupKey::List(items) => items.iter().map(Value::group_key_bytes).sum(),
                GroupKey::Map(entries) => entries
                    .iter()
                    .map(|(k, v)| k.len() + Value::group_key_bytes(v))
                    .sum(),
                GroupKey::Path(nodes, edges) => 8 * (nodes.len() + edges.len()),
                _ => 0,
            }
    }

    /// Returns the value as a cell of text: strings as they are, nodes as `(id)`, relations as
    /// `[:type]`, paths as their chain, lists and maps in Cypher notation, null as empty.
    #[must_use]
    pub fn display(&self, kg: &KnowledgeGraph) -> String {
        let mut out = String::new();
        self.write_display(kg, &mut out, true);
        out
    }

    fn write_display(&self, kg: &KnowledgeGraph, out: &mut String, top: bool) {
        use std::fmt::Write as _;
        match self {
            Value::Null => {
                if !top {
                    out.push_str("null");
                }
            }
            Value::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(x) => {
                let _ = write!(out, "{}", FloatText(*x));
            }
            Value::Str(s) => {
                if top {
                    out.push_str(s);
                } else {
                    let _ = write!(out, "{s:?}");
                }
            }
            Value::Date(d) => {
                let _ = write!(out, "{d}");
            }
            Value::Duration(d) => {
                let _ = write!(out, "{d}");
            }
            Value::Time(t) => {
                let _ = write!(out, "{t}");
            }
            Value::DateTime(d) => {
                let _ = write!(out, "{d}");
            }
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_display(kg, out, false);
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{key}: ");
                    value.write_display(kg, out, false);
                }
                out.push('}');
            }
            Value::Node(node) => {
                let _ = write!(out, "({}:{})", kg.id(*node), kg.kind(*node));
            }
            Value::Rel(edge) => {
                let _ = write!(
                    out,
                    "[:{} {}{}]",
                    kg.rel_type(*edge),
                    KnowledgeGraph::relation_id(*edge),
                    date_suffix(kg, *edge)
                );
            }
            Value::Path(path) => {
                let _ = write!(out, "({})", kg.id(path.nodes[0]));
                for (i, &edge) in path.edges.iter().enumerate() {
                    let next = path.nodes[i + 1];
                    let label = format!("{}{}", kg.rel_type(edge), date_suffix(kg, edge));
                    if kg.endpoints(edge).1 == next {
                        let _ = write!(out, "-[:{label}]->({})", kg.id(next));
                    } else {
                        let _ = write!(out, "<-[:{label}]-({})", kg.id(next));
                    }
                }
            }
        }
    }
}

/// Returns ` 1992-08` (the relation's dates) or nothing, for display.
fn date_suffix(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
    kg.relation(edge)
        .date_label()
        .map(|d| format!(" {d}"))
        .unwrap_or_default()
}

/// The four ordering comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

fn same_days(a: PartialDate, b: PartialDate) -> bool {
    a.first_day() == b.first_day() && a.last_day() == b.last_day()
}

fn compare_dates(a: PartialDate, b: PartialDate, op: Comparison) -> bool {
    match op {
        Comparison::Lt => a.last_day() < b.first_day(),
        Comparison::Le => a.first_day() <= b.last_day(),
        Comparison::Gt => a.first_day() > b.last_day(),
        Comparison::Ge => a.last_day() >= b.first_day(),
    }
}

/// Returns an integer as a float (exact up to 2^53, as in every Cypher engine).
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn int_to_float(i: i64) -> f64 {
    i as f64
}

/// Writes floats as Cypher does: always with a decimal point or exponent (`1.0`, `2.5`).
pub struct FloatText(pub f64);

impl fmt::Display for FloatText {
    /// Rust's shortest form (`1.0`, `1e20`), with infinities named as Cypher names them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            x if x == f64::INFINITY => f.write_str("Infinity"),
            x if x == f64::NEG_INFINITY => f.write_str("-Infinity"),
            x => write!(f, "{x:?}"),
        }
    }
}

/// Returns whether a float holds `i` exactly (every integer up to 2^53 in size, and some
/// beyond).
fn float_holds(i: i64) -> bool {
    /// 2^63, exactly a float: the first value past `i64`.
    const PAST_I64: f64 = 9_223_372_036_854_775_808.0;
    let x = int_to_float(i);
    (-PAST_I64..PAST_I64).contains(&x) && {
        #[allow(clippy::cast_possible_truncation)]
        let back = x as i64;
        back == i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Value {
        Value::Date(PartialDate::parse(text).unwrap())
    }

    #[test]
    fn partial_dates_compare_as_intervals() {
        let aug_1992 = date("1992-08");
        assert_eq!(
            aug_1992.compare(&date("1992"), Comparison::Le),
            Some(true),
            "begun by the end of 1992"
        );
        assert_eq!(
            aug_1992.compare(&date("1992"), Comparison::Lt),
            Some(false),
            "not wholly before"
        );
        assert_eq!(aug_1992.compare(&date("1993"), Comparison::Lt), Some(true));
        assert_eq!(
            aug_1992.compare(&date("1992-09-01"), Comparison::Ge),
            Some(false)
        );
        assert_eq!(
            aug_1992.compare(&Value::Str("1992-08-15".into()), Comparison::Ge),
            Some(true)
        );
        assert_eq!(aug_1992.equals(&Value::Str("1992-08".into())), Some(true));
        assert_eq!(aug_1992.equals(&date("1992")), Some(false));
    }

    #[test]
    fn nan_sorts_after_every_number_whatever_its_sign() {
        let negative_nan = Value::Float(-f64::NAN);
        for nan in [Value::Float(f64::NAN), negative_nan] {
            assert_eq!(nan.order(&Value::Float(f64::INFINITY)), Ordering::Greater);
            assert_eq!(Value::Int(i64::MAX).order(&nan), Ordering::Less);
            assert_eq!(nan.order(&Value::Null), Ordering::Less);
        }
    }

    #[test]
    fn nulls_and_mixed_types() {
        assert_eq!(Value::Null.equals(&Value::Int(1)), None);
        assert_eq!(Value::Int(1).equals(&Value::Float(1.0)), Some(true));
        assert_eq!(Value::Int(1).equals(&Value::Str("1".into())), Some(false));
        assert_eq!(
            Value::Int(1).compare(&Value::Str("1".into()), Comparison::Lt),
            None
        );
        assert_eq!(
            Value::List(vec![Value::Int(1), Value::Null])
                .equals(&Value::List(vec![Value::Int(1), Value::Int(2)])),
            None
        );
        assert_eq!(Value::Int(2).order(&Value::Float(1.5)), Ordering::Greater);
        assert_eq!(Value::Str("a".into()).order(&Value::Int(1)), Ordering::Less);
        assert_eq!(Value::Int(1).group_key(), Value::Float(1.0).group_key());
        assert_eq!(
            Value::Float(f64::NAN).group_key(),
            Value::Float(-f64::NAN).group_key()
        );
        assert_ne!(
            Value::Int(i64::MAX).group_key(),
            Value::Int(i64::MAX - 1).group_key()
        );
        assert_eq!(
            Value::Map(vec![("a".into(), Value::Int(1)), ("b".into(), Value::Null)]).group_key(),
            Value::Map(vec![
                ("b".into(), Value::Null),
                ("a".into(), Value::Float(1.0))
            ])
            .group_key()
        );
        assert_ne!(
            Value::Str("1".into()).group_key(),
            Value::Int(1).group_key()
        );
    }
}
