//! Column types (the `:int`, `:date[]` header suffixes) and typed attribute values.
//!
//! Values are stored compactly in a record store (`model::store`) and handed out as
//! borrowed [`ValueRef`]s; this module parses cells and knows the type names, nothing else.

use std::fmt;

use crate::model::date::{DateError, PartialDate};

/// The type of one value: the part of a header suffix before any `[]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScalarType {
    /// Text, the default.
    String,
    /// A 64-bit signed integer.
    Int,
    /// A finite 64-bit float.
    Float,
    /// `true` or `false`, in any case.
    Bool,
    /// A partial ISO date.
    Date,
}

impl ScalarType {
    /// Returns the suffix name, as written in a header (`int`, `date`, ...).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Int => "int",
            ScalarType::Float => "float",
            ScalarType::Bool => "bool",
            ScalarType::Date => "date",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => ScalarType::String,
            "int" => ScalarType::Int,
            "float" => ScalarType::Float,
            "bool" => ScalarType::Bool,
            "date" => ScalarType::Date,
            _ => return None,
        })
    }
}

/// The declared type of a column: a scalar type, or an array of one (`:string[]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnType {
    /// The type of each value.
    pub scalar: ScalarType,
    /// Whether the cell holds several values separated by `;`.
    pub is_list: bool,
}

impl ColumnType {
    /// A plain text column, the type of a column without a suffix.
    pub const STRING: ColumnType = ColumnType::scalar(ScalarType::String);

    /// Returns the single-value column type of `scalar`.
    #[must_use]
    pub const fn scalar(scalar: ScalarType) -> Self {
        ColumnType {
            scalar,
            is_list: false,
        }
    }

    /// Parses a header suffix without its colon: `int`, `string[]`, ...
    #[must_use]
    pub fn parse_suffix(suffix: &str) -> Option<Self> {
        let (name, is_list) = match suffix.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (suffix, false),
        };
        ScalarType::from_name(name).map(|scalar| ColumnType { scalar, is_list })
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scalar.name())?;
        if self.is_list {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// The separator between the items of an array cell.
pub(crate) const LIST_SEPARATOR: char = ';';

/// A parsed scalar that needs no text storage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// Text; the caller keeps the `&str`.
    String,
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A partial date.
    Date(PartialDate),
}

/// Why a cell does not parse as its column type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum CellError {
    /// Not an integer.
    #[error("`{0}` is not an integer")]
    Int(String),
    /// Not a finite number.
    #[error("`{0}` is not a number (use a dot for decimals, as in 0.5)")]
    Float(String),
    /// Not a finite number: NaN or infinity.
    #[error("`{0}` is not a finite number")]
    NotFinite(String),
    /// Not `true` or `false`.
    #[error("`{0}` is not a boolean (use true or false)")]
    Bool(String),
    /// Not a partial date.
    #[error(transparent)]
    Date(#[from] DateError),
}

/// Parses one non-empty item as `scalar`.
///
/// # Errors
/// Returns a [`CellError`] naming the text when it does not parse.
pub(crate) fn parse_scalar(scalar: ScalarType, text: &str) -> Result<Scalar, CellError> {
    match scalar {
        ScalarType::String => Ok(Scalar::String),
        ScalarType::Int => text
            .parse()
            .map(Scalar::Int)
            .map_err(|_| CellError::Int(text.to_owned())),
        ScalarType::Float => parse_float(text).map(Scalar::Float),
        ScalarType::Bool => {
            if text.eq_ignore_ascii_case("true") {
                Ok(Scalar::Bool(true))
            } else if text.eq_ignore_ascii_case("false") {
                Ok(Scalar::Bool(false))
            } else {
                Err(CellError::Bool(text.to_owned()))
            }
        }
        ScalarType::Date => Ok(Scalar::Date(PartialDate::parse(text)?)),
    }
}

/// Parses a finite float; `0,5`, `NaN` and `inf` are refused.
///
/// # Errors
/// Returns a [`CellError`] naming the text.
pub(crate) fn parse_float(text: &str) -> Result<f64, CellError> {
    // contract: only plain decimal numbers; Rust would also accept "inf" and "NaN".
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return if text.parse::<f64>().is_ok() {
            Err(CellError::NotFinite(text.to_owned()))
        } else {
            Err(CellError::Float(text.to_owned()))
        };
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => Err(CellError::NotFinite(text.to_owned())),
        Err(_) => Err(CellError::Float(text.to_owned())),
    }
}

/// Returns the non-empty, trimmed items of an array cell.
pub(crate) fn list_items(text: &str) -> impl Iterator<Item = &str> {
    text.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// A typed value borrowed from its store.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    /// Text.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A partial date.
    Date(PartialDate),
    /// An array, kept as its validated cell text.
    List(ListRef<'a>),
}

impl fmt::Display for ValueRef<'_> {
    /// Writes the value as it would be written in a cell.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Str(text) => f.write_str(text),
            ValueRef::Int(value) => write!(f, "{value}"),
            ValueRef::Float(value) => write!(f, "{value}"),
            ValueRef::Bool(value) => write!(f, "{value}"),
            ValueRef::Date(value) => write!(f, "{value}"),
            ValueRef::List(list) => {
                for (i, item) in list.items().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
        }
    }
}

impl serde::Serialize for ValueRef<'_> {
    /// Serializes as JSON-like data: numbers and booleans as such, dates as their text, lists as
    /// sequences.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self {
            ValueRef::Str(text) => serializer.serialize_str(text),
            ValueRef::Int(value) => serializer.serialize_i64(*value),
            ValueRef::Float(value) => serializer.serialize_f64(*value),
            ValueRef::Bool(value) => serializer.serialize_bool(*value),
            ValueRef::Date(value) => serializer.collect_str(value),
            ValueRef::List(list) => {
                let mut seq = serializer.serialize_seq(None)?;
                for item in list.items() {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
        }
    }
}

/// An array value: the cell's text, already validated against `scalar`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListRef<'a> {
    /// The type of each item.
    pub scalar: ScalarType,
    /// The validated cell text, items separated by `;`.
    pub text: &'a str,
}

impl<'a> ListRef<'a> {
    /// Returns the items in order.
    pub fn items(self) -> impl Iterator<Item = ValueRef<'a>> {
        list_items(self.text).map(move |item| {
            match parse_scalar(self.scalar, item).expect("list items are validated at load") {
                Scalar::String => ValueRef::Str(item),
                Scalar::Int(value) => ValueRef::Int(value),
                Scalar::Float(value) => ValueRef::Float(value),
                Scalar::Bool(value) => ValueRef::Bool(value),
                Scalar::Date(value) => ValueRef::Date(value),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_parse_to_column_types() {
        assert_eq!(
            ColumnType::parse_suffix("int"),
            Some(ColumnType::scalar(ScalarType::Int))
        );
        let list = ColumnType::parse_suffix("date[]").unwrap();
        assert!(list.is_list);
        assert_eq!(list.to_string(), "date[]");
        assert_eq!(ColumnType::parse_suffix("integer"), None);
        assert_eq!(ColumnType::parse_suffix("int[][]"), None);
    }

    #[track_caller]
    fn bad(scalar: ScalarType, text: &str, message: &str) {
        assert_eq!(parse_scalar(scalar, text).unwrap_err().to_string(), message);
    }

    #[test]
    fn cells_that_do_not_fit_their_type_are_refused() {
        bad(ScalarType::Int, "abc", "`abc` is not an integer");
        bad(ScalarType::Int, "1.5", "`1.5` is not an integer");
        bad(
            ScalarType::Float,
            "0,5",
            "`0,5` is not a number (use a dot for decimals, as in 0.5)",
        );
        bad(ScalarType::Float, "NaN", "`NaN` is not a finite number");
        bad(ScalarType::Float, "inf", "`inf` is not a finite number");
        bad(ScalarType::Float, "1e999", "`1e999` is not a finite number");
        bad(
            ScalarType::Bool,
            "maybe",
            "`maybe` is not a boolean (use true or false)",
        );
        bad(
            ScalarType::Date,
            "1992-02-30",
            "`1992-02-30` is not a calendar date (February has 29 days)",
        );
    }

    #[test]
    fn cells_that_fit_parse() {
        assert_eq!(
            parse_scalar(ScalarType::Bool, "TRUE"),
            Ok(Scalar::Bool(true))
        );
        assert_eq!(
            parse_scalar(ScalarType::Float, "-2.5e3"),
            Ok(Scalar::Float(-2500.0))
        );
        assert_eq!(parse_scalar(ScalarType::Int, "-42"), Ok(Scalar::Int(-42)));
    }

    #[test]
    fn lists_skip_empty_items_and_print_back() {
        let list = ListRef {
            scalar: ScalarType::Int,
            text: "1; 2;;3",
        };
        assert_eq!(ValueRef::List(list).to_string(), "1;2;3");
    }
}
