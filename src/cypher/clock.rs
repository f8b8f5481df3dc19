//! Times of day and date-times: `localtime`, `time` (with a UTC offset), `localdatetime` and
//! `datetime` (with a UTC offset), built from maps or ISO 8601 text, compared, ordered and
//! written as Neo4j writes them (`12:31:14.645876123`, `10:35-08:00`,
//! `1984-10-11T12:31:14Z`). Named time zones (`Europe/Berlin`) and arithmetic with durations
//! are not supported; the data's own dates stay [`PartialDate`]s.
//!
//! [`PartialDate`]: crate::model::date::PartialDate

use std::cmp::Ordering;
use std::fmt;

use crate::model::date::{Day, PartialDate};

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;

/// A time of day, with a UTC offset (`time`) or without (`localtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Time {
    /// Nanoseconds since midnight.
    pub nanos: i64,
    /// The offset from UTC in seconds; `None` for a local time.
    pub offset: Option<i32>,
}

/// A date and a time of day, with a UTC offset (`datetime`) or without (`localdatetime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// The calendar day.
    pub date: Day,
    /// The time on that day.
    pub time: Time,
}

/// Why a time could not be built, for the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub String);

impl Time {
    /// Reads `hour`, `minute`, `second`, `millisecond`, `microsecond`, `nanosecond` and (when
    /// `zoned`) `timezone` from a map; `hour` is required, the rest default to 0 (UTC).
    ///
    /// # Errors
    /// An unknown key, a value out of range, or a time zone that is not an offset.
    pub fn from_parts(parts: &[(String, PartValue)], zoned: bool) -> Result<Self, TimeError> {
        let mut fields = [None::<i64>; 6];
        let mut offset = zoned.then_some(0);
        for (key, value) in parts {
            let slot = match key.to_ascii_lowercase().as_str() {
                "hour" => 0,
                "minute" => 1,
                "second" => 2,
                "millisecond" => 3,
                "microsecond" => 4,
                "nanosecond" => 5,
                "timezone" if zoned => {
                    let PartValue::Text(zone) = value else {
                        return Err(TimeError(
                            "`timezone` needs a string such as '+01:00'".into(),
                        ));
                    };
                    offset = Some(parse_offset(zone)?);
                    continue;
                }
                other => return Err(TimeError(format!("`{other}` is not a part of a time"))),
            };
            let PartValue::Int(n) = value else {
                return Err(TimeError(format!("`{key}` needs an integer")));
            };
            fields[slot] = Some(*n);
        }
        let [hour, minute, second, milli, micro, nano] = fields;
        let Some(hour) = hour else {
            return Err(TimeError("a time needs an `hour`".into()));
        };
        let bounded = |value: Option<i64>, most: i64, what: &str| match value.unwrap_or(0) {
            n if (0..=most).contains(&n) => Ok(n),
            n => Err(TimeError(format!(
                "{what} {n} is out of range (0 to {most})"
            ))),
        };
        let nanos = bounded(Some(hour), 23, "hour")? * 3_600 * NANOS_PER_SECOND
            + bounded(minute, 59, "minute")? * 60 * NANOS_PER_SECOND
            + bounded(second, 59, "second")? * NANOS_PER_SECOND
            + bounded(milli, 999, "millisecond")? * 1_000_000
            + bounded(micro, 999_999, "microsecond")? * 1_000
            + bounded(nano, 999_999_999, "nanosecond")?;
        Ok(Time { nanos, offset })
    }

    /// Reads `HH:MM[:SS[.fraction]]` (or `HHMM[SS]`), then an offset `Z`, `±HH:MM` or `±HHMM`
    /// when `zoned` (UTC when none is written).
    ///
    /// # Errors
    /// Text that is not such a time, or an offset where none is allowed.
    pub fn parse(text: &str, zoned: bool) -> Result<Self, TimeError> {
        let wrong = || TimeError(format!("`{text}` is not a time such as '12:31:14'"));
        if text.contains('[') {
            return Err(TimeError(format!(
                "`{text}` names a time zone; only UTC offsets such as '+01:00' are supported"
            )));
        }
        let split = text.find(['Z', 'z', '+', '-']).unwrap_or(text.len());
        let (clock, zone) = text.split_at(split);
        let offset = match (zone.is_empty(), zoned) {
            (true, true) => Some(0),
            (true, false) => None,
            (false, true) => Some(parse_offset(zone)?),
            (false, false) => return Err(wrong()),
        };
        let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let digits: String = whole.chars().filter(|c| *c != ':').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) || ![2, 4, 6].contains(&digits.len()) {
            return Err(wrong());
        }
        let field = |i: usize| digits.get(i..i + 2).map_or(Ok(0), str::parse::<i64>);
        let (hour, minute, second) = (
            field(0).map_err(|_| wrong())?,
            field(2).map_err(|_| wrong())?,
            field(4).map_err(|_| wrong())?,
        );
        if !fraction.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 9 {
            return Err(wrong());
        }
        let nanos: i64 = format!("{fraction:0<9}").parse().map_err(|_| wrong())?;
        let parts = [
            ("hour".to_owned(), PartValue::Int(hour)),
            ("minute".to_owned(), PartValue::Int(minute)),
            ("second".to_owned(), PartValue::Int(second)),
            ("nanosecond".to_owned(), PartValue::Int(nanos)),
        ];
        let mut time = Time::from_parts(&parts, false)?;
        time.offset = offset;
        Ok(time)
    }

    /// The instant this time stands for on a UTC clock, for comparing zoned times.
    fn utc(self) -> i64 {
        self.nanos - i64::from(self.offset.unwrap_or(0)) * NANOS_PER_SECOND
    }

    /// Orders two times of the same kind: local times by the clock, zoned times by the
    /// instant (`12:35+05:00` is before `12:30+01:01`), then by offset.
    #[must_use]
    pub fn order(self, other: Time) -> Ordering {
        (self.utc(), self.offset).cmp(&(other.utc(), other.offset))
    }

    /// A component: `hour`, `minute`, `second`, `millisecond`, `microsecond`, `nanosecond`,
    /// and for a zoned time `offsetSeconds`.
    #[must_use]
    pub fn component(self, key: &str) -> Option<i64> {
        let seconds = self.nanos / NANOS_PER_SECOND;
        let fraction = self.nanos % NANOS_PER_SECOND;
        Some(match key {
            "hour" => seconds / 3_600,
            "minute" => seconds / 60 % 60,
            "second" => seconds % 60,
            "millisecond" => fraction / 1_000_000,
            "microsecond" => fraction / 1_000,
            "nanosecond" => fraction,
            "offsetSeconds" => i64::from(self.offset?),
            _ => return None,
        })
    }

    /// The offset as Neo4j writes it: `Z`, `+01:00`, `-08:00`; none for a local time.
    #[must_use]
    pub fn offset_text(self) -> Option<String> {
        self.offset.map(|offset| {
            if offset == 0 {
                return "Z".to_owned();
            }
            let sign = if offset < 0 { '-' } else { '+' };
            let minutes = offset.unsigned_abs() / 60;
            format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
        })
    }
}

impl fmt::Display for Time {
    /// `HH:MM`, then `:SS` when seconds or a fraction are set, then the fraction without
    /// trailing zeros, then the offset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.nanos.rem_euclid(NANOS_PER_DAY) / NANOS_PER_SECOND;
        let fraction = self.nanos % NANOS_PER_SECOND;
        write!(f, "{:02}:{:02}", seconds / 3_600, seconds / 60 % 60)?;
        if seconds % 60 != 0 || fraction != 0 {
            write!(f, ":{:02}", seconds % 60)?;
        }
        if fraction != 0 {
            let digits = format!("{fraction:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        if let Some(offset) = self.offset_text() {
            f.write_str(&offset)?;
        }
        Ok(())
    }
}

impl DateTime {
    /// Reads `year`, `month`, `day` and the parts of [`Time::from_parts`] from a map; `hour`
    /// defaults to 0 here.
    ///
    /// # Errors
    /// A missing year, an impossible date or time, an unknown key.
    pub fn from_parts(parts: &[(String, PartValue)], zoned: bool) -> Result<Self, TimeError> {
        let mut date = [None, Some(1), Some(1)];
        let mut time_parts = vec![("hour".to_owned(), PartValue::Int(0))];
        for (key, value) in parts {
            let slot = match key.to_ascii_lowercase().as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                _ => {
                    time_parts.push((key.clone(), value.clone()));
                    continue;
                }
            };
            let PartValue::Int(n) = value else {
                return Err(TimeError(format!("`{key}` needs an integer")));
            };
            date[slot] = Some(*n);
        }
        let [Some(year), Some(month), Some(day)] = date else {
            return Err(TimeError("a date-time needs a `year`".into()));
        };
        let text = format!("{year:04}-{month:02}-{day:02}");
        let date = PartialDate::parse(&text)
            .map_err(|err| TimeError(err.to_string()))?
            .first_day();
        Ok(DateTime {
            date,
            time: Time::from_parts(&time_parts, zoned)?,
        })
    }

    /// Reads `YYYY-MM-DD`, then `T` and a time as [`Time::parse`] reads it.
    ///
    /// # Errors
    /// Text that is not such a date-time.
    pub fn parse(text: &str, zoned: bool) -> Result<Self, TimeError> {
        let (date, time) = text.split_once(['T', 't']).unwrap_or((text, "00:00"));
        let day = PartialDate::parse(date)
            .ok()
            .filter(|d| d.day().is_some())
            .ok_or_else(|| {
                TimeError(format!(
                    "`{text}` is not a date-time such as '2015-07-21T21:40:32'"
                ))
            })?;
        Ok(DateTime {
            date: day.first_day(),
            time: Time::parse(time, zoned)?,
        })
    }

    /// Orders two date-times of the same kind, zoned ones by the instant.
    #[must_use]
    pub fn order(self, other: DateTime) -> Ordering {
        let instant = |d: DateTime| {
            i128::from(d.date.days_since_epoch()) * i128::from(NANOS_PER_DAY)
                + i128::from(d.time.utc())
        };
        (instant(self), self.time.offset).cmp(&(instant(other), other.time.offset))
    }

    /// A component: `year`, `month`, `day`, or one of [`Time::component`].
    #[must_use]
    pub fn component(self, key: &str) -> Option<i64> {
        match key {
            "year" => Some(i64::from(self.date.year())),
            "month" => Some(i64::from(self.date.month())),
            "day" => Some(i64::from(self.date.day())),
            _ => self.time.component(key),
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{}",
            self.date.year(),
            self.date.month(),
            self.date.day(),
            self.time
        )
    }
}

/// A value read from a map of parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartValue {
    /// An integer part.
    Int(i64),
    /// A text part (`timezone`).
    Text(String),
}

/// Reads `Z`, `±HH`, `±HH:MM` or `±HHMM` as seconds east of UTC.
fn parse_offset(text: &str) -> Result<i32, TimeError> {
    let wrong = || {
        TimeError(format!(
            "`{text}` is not a UTC offset such as '+01:00' (named time zones are not supported)"
        ))
    };
    if text.eq_ignore_ascii_case("z") {
        return Ok(0);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(wrong()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || ![2, 4].contains(&digits.len()) {
        return Err(wrong());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| wrong())?;
    let minutes: i32 = digits
        .get(2..4)
        .map_or(Ok(0), str::parse)
        .map_err(|_| wrong())?;
    if hours > 18 || minutes > 59 {
        return Err(wrong());
    }
    Ok(sign * (hours * 3_600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(entries: &[(&str, i64)]) -> Vec<(String, PartValue)> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), PartValue::Int(*v)))
            .collect()
    }

    #[test]
    fn times_are_written_as_neo4j_writes_them() {
        let t = |p: &[(&str, i64)]| Time::from_parts(&parts(p), false).unwrap().to_string();
        assert_eq!(t(&[("hour", 10), ("minute", 35)]), "10:35");
        assert_eq!(
            t(&[
                ("hour", 12),
                ("minute", 31),
                ("second", 14),
                ("nanosecond", 645_876_123)
            ]),
            "12:31:14.645876123"
        );
        assert_eq!(t(&[("hour", 12), ("second", 15)]), "12:00:15");
        assert_eq!(t(&[("hour", 1), ("millisecond", 500)]), "01:00:00.5");
        let mut zoned = parts(&[("hour", 10), ("minute", 35)]);
        zoned.push(("timezone".into(), PartValue::Text("-08:00".into())));
        assert_eq!(
            Time::from_parts(&zoned, true).unwrap().to_string(),
            "10:35-08:00"
        );
        assert_eq!(Time::parse("10:35", true).unwrap().to_string(), "10:35Z");
    }

    #[test]
    fn zoned_times_order_by_their_instant() {
        let a = Time::parse("12:35:15+05:00", true).unwrap();
        let b = Time::parse("12:30:14.645876123+01:01", true).unwrap();
        let c = Time::parse("12:31:14.645876123+01:00", true).unwrap();
        assert_eq!(a.order(b), Ordering::Less);
        assert_eq!(b.order(c), Ordering::Less);
    }

    #[test]
    fn date_times_parse_and_order() {
        let a = DateTime::parse("1984-10-11T12:31:14Z", true).unwrap();
        let b = DateTime::parse("1984-10-11T13:31:14+02:00", true).unwrap();
        assert_eq!(a.to_string(), "1984-10-11T12:31:14Z");
        assert_eq!(b.order(a), Ordering::Less, "11:31 UTC comes first");
        assert!(DateTime::parse("1984-10", false).is_err());
        assert!(Time::parse("25:00", false).is_err());
        assert!(
            Time::parse("12:00+01:00", false).is_err(),
            "a local time has no offset"
        );
        assert!(Time::parse("12:00[Europe/Berlin]", true).is_err());
    }
}
