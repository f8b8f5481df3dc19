//! Durations in calendar months and days, and the date arithmetic they allow.
//!
//! `ties` holds dates, not times, so a duration is months plus days (no hours or seconds).
//! Whole dates move as openCypher moves them: months first (the day clamped to the month's
//! end, so 2024-01-31 plus one month is 2024-02-29), then days. A partial date is an interval
//! and moves only by what keeps it one: a year by whole years, a month by whole months.

use std::fmt;

use crate::model::date::{Day, PartialDate, days_in_month};

/// A duration: calendar months and days, either may be negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Whole months (a year is 12).
    pub months: i64,
    /// Days.
    pub days: i64,
}

/// Why a duration or a date could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DurationError(pub String);

impl Duration {
    /// Parses ISO 8601 `PnYnMnWnD` (`P1Y2M`, `P3W`, `P-1D`); a time part (`T...`) is refused.
    ///
    /// # Errors
    /// Text that is not such a duration.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let bad = || {
            DurationError(format!(
                "`{text}` is not a duration of years, months, weeks and days (such as P1Y2M10D)"
            ))
        };
        let rest = text
            .strip_prefix('P')
            .or_else(|| text.strip_prefix('p'))
            .ok_or_else(bad)?;
        if rest.contains(['T', 't']) {
            return Err(DurationError(format!(
                "`{text}` has a time part: ties knows dates, not times"
            )));
        }
        let mut duration = Duration::default();
        let mut number = String::new();
        let mut any = false;
        for c in rest.chars() {
            if c.is_ascii_digit() || (c == '-' && number.is_empty()) {
                number.push(c);
                continue;
            }
            let n: i64 = number.parse().map_err(|_| bad())?;
            number.clear();
            any = true;
            match c.to_ascii_uppercase() {
                'Y' => duration.months += n.checked_mul(12).ok_or_else(bad)?,
                'M' => duration.months += n,
                'W' => duration.days += n.checked_mul(7).ok_or_else(bad)?,
                'D' => duration.days += n,
                _ => return Err(bad()),
            }
        }
        if !number.is_empty() || !any {
            return Err(bad());
        }
        Ok(duration)
    }

    /// Builds a duration from `years`, `months`, `weeks` and `days`.
    ///
    /// # Errors
    /// An unknown or time component, or an overflow.
    pub fn from_parts(parts: &[(String, i64)]) -> Result<Self, DurationError> {
        let mut duration = Duration::default();
        let overflow = || DurationError("the duration does not fit 64-bit integers".to_owned());
        for (key, n) in parts {
            match key.to_ascii_lowercase().as_str() {
                "years" => duration.months += n.checked_mul(12).ok_or_else(overflow)?,
                "months" => duration.months += n,
                "weeks" => duration.days += n.checked_mul(7).ok_or_else(overflow)?,
                "days" => duration.days += n,
                "hours" | "minutes" | "seconds" | "milliseconds" | "microseconds"
                | "nanoseconds" => {
                    return Err(DurationError(format!(
                        "duration(): `{key}` is a time; ties knows dates, not times"
                    )));
                }
                other => {
                    return Err(DurationError(format!(
                        "duration(): unknown component `{other}` (use years, months, weeks, days)"
                    )));
                }
            }
        }
        Ok(duration)
    }

    /// Returns the component a query asks for (`d.years`), if it is one.
    #[must_use]
    pub fn component(self, name: &str) -> Option<i64> {
        Some(match name {
            "years" => self.months / 12,
            "months" => self.months,
            "monthsOfYear" => self.months % 12,
            "weeks" => self.days / 7,
            "days" => self.days,
            "daysOfWeek" => self.days % 7,
            _ => return None,
        })
    }

    /// Returns the sum, or `None` on overflow.
    #[must_use]
    pub fn plus(self, other: Duration) -> Option<Duration> {
        Some(Duration {
            months: self.months.checked_add(other.months)?,
            days: self.days.checked_add(other.days)?,
        })
    }

    /// Returns the duration `factor` times, or `None` on overflow.
    #[must_use]
    pub fn times(self, factor: i64) -> Option<Duration> {
        Some(Duration {
            months: self.months.checked_mul(factor)?,
            days: self.days.checked_mul(factor)?,
        })
    }

    /// Returns the opposite duration, or `None` on overflow.
    #[must_use]
    pub fn negated(self) -> Option<Duration> {
        self.times(-1)
    }
}

/// ISO 8601: `P1Y2M10D`, `P0D` for nothing.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        let (years, months) = (self.months / 12, self.months % 12);
        if years != 0 {
            write!(f, "{years}Y")?;
        }
        if months != 0 {
            write!(f, "{months}M")?;
        }
        if self.days != 0 || self.months == 0 {
            write!(f, "{}D", self.days)?;
        }
        Ok(())
    }
}

fn month_index(year: i64, month: i64) -> i64 {
    year * 12 + (month - 1)
}

fn from_month_index(index: i64) -> Result<(u16, u8), DurationError> {
    let year = index.div_euclid(12);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    let year = u16::try_from(year)
        .ok()
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(|| DurationError("the date leaves the years 1 to 9999".to_owned()))?;
    Ok((year, month))
}

/// Returns `date` moved by `duration`.
///
/// # Errors
/// A partial date moved by a part it does not have (a year by months, a month by days), or a
/// date outside the years 1 to 9999.
pub fn add(date: PartialDate, duration: Duration) -> Result<PartialDate, DurationError> {
    let parse =
        |text: String| PartialDate::parse(&text).map_err(|err| DurationError(err.to_string()));
    let year = i64::from(date.year());
    match (date.month(), date.day()) {
        (None, _) => {
            if duration.days != 0 || duration.months % 12 != 0 {
                return Err(DurationError(format!(
                    "`{date}` is a whole year: it moves by whole years only"
                )));
            }
            let (y, _) = from_month_index(month_index(year + duration.months / 12, 1))?;
            parse(format!("{y:04}"))
        }
        (Some(month), None) => {
            if duration.days != 0 {
                return Err(DurationError(format!(
                    "`{date}` is a whole month: it moves by whole months only"
                )));
            }
            let (y, m) = from_month_index(month_index(year, i64::from(month)) + duration.months)?;
            parse(format!("{y:04}-{m:02}"))
        }
        (Some(month), Some(day)) => {
            let (y, m) = from_month_index(month_index(year, i64::from(month)) + duration.months)?;
            let day = day.min(days_in_month(y, m));
            let moved = i64::from(Day::new(y, m, day).days_since_epoch()) + duration.days;
            let moved = i32::try_from(moved)
                .ok()
                .and_then(Day::from_days_since_epoch)
                .ok_or_else(|| DurationError("the date leaves the years 1 to 9999".to_owned()))?;
            parse(moved.to_string())
        }
    }
}

/// Returns the duration from `from` to `to`: whole months, then the days left, as openCypher
/// counts them (2024-01-31 to 2024-03-01 is P1M1D).
///
/// # Errors
/// A partial date: the span between two intervals has no single length.
pub fn between(from: PartialDate, to: PartialDate) -> Result<Duration, DurationError> {
    if from.day().is_none() || to.day().is_none() {
        return Err(DurationError(format!(
            "duration.between needs whole dates, not `{}`",
            if from.day().is_none() { from } else { to }
        )));
    }
    let (a, b) = (from.first_day(), to.first_day());
    if b < a {
        return between(to, from).and_then(|d| {
            d.negated()
                .ok_or_else(|| DurationError("overflow".to_owned()))
        });
    }
    let mut months = month_index(i64::from(b.year()), i64::from(b.month()))
        - month_index(i64::from(a.year()), i64::from(a.month()));
    let start = PartialDate::parse(&a.to_string()).map_err(|e| DurationError(e.to_string()))?;
    let mut landed = add(start, Duration { months, days: 0 })?.first_day();
    if landed > b {
        months -= 1;
        landed = add(start, Duration { months, days: 0 })?.first_day();
    }
    let days = i64::from(b.days_since_epoch()) - i64::from(landed.days_since_epoch());
    Ok(Duration { months, days })
}

/// `date.truncate(unit, date)`: the first day of the date's year or month.
///
/// # Errors
/// A unit other than `year` or `month`.
pub fn truncate(unit: &str, date: PartialDate) -> Result<PartialDate, DurationError> {
    let first = date.first_day();
    let text = match unit.to_ascii_lowercase().as_str() {
        "year" => format!("{:04}-01-01", first.year()),
        "month" => format!("{:04}-{:02}-01", first.year(), first.month()),
        "day" => first.to_string(),
        other => {
            return Err(DurationError(format!(
                "date.truncate(): unit `{other}` is not year, month or day"
            )));
        }
    };
    PartialDate::parse(&text).map_err(|err| DurationError(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn durations_parse_and_print_in_iso_8601() {
        let parsed = Duration::parse("P1Y2M3W4D").unwrap();
        assert_eq!(
            parsed,
            Duration {
                months: 14,
                days: 25
            }
        );
        assert_eq!(parsed.to_string(), "P1Y2M25D");
        assert_eq!(Duration::default().to_string(), "P0D");
        assert_eq!(Duration::parse("P-1D").unwrap().days, -1);
        assert!(Duration::parse("PT1H").unwrap_err().0.contains("time part"));
        assert!(Duration::parse("1Y").is_err());
        assert!(Duration::parse("P").is_err());
    }

    #[test]
    fn whole_dates_move_by_months_then_days() {
        let month = Duration { months: 1, days: 0 };
        assert_eq!(add(d("2024-01-31"), month).unwrap(), d("2024-02-29"));
        assert_eq!(
            add(
                d("2024-12-15"),
                Duration {
                    months: 1,
                    days: 20
                }
            )
            .unwrap(),
            d("2025-02-04")
        );
        assert_eq!(
            add(
                d("2024-03-01"),
                Duration {
                    months: 0,
                    days: -1
                }
            )
            .unwrap(),
            d("2024-02-29")
        );
        assert_eq!(add(d("1995-08"), month).unwrap(), d("1995-09"));
        assert_eq!(
            add(
                d("1995"),
                Duration {
                    months: 24,
                    days: 0
                }
            )
            .unwrap(),
            d("1997")
        );
        assert!(add(d("1995"), month).is_err());
        assert!(add(d("1995-08"), Duration { months: 0, days: 1 }).is_err());
    }

    #[test]
    fn between_counts_months_then_days() {
        assert_eq!(
            between(d("2024-01-31"), d("2024-03-01")).unwrap(),
            Duration { months: 1, days: 1 }
        );
        assert_eq!(
            between(d("1992-08-17"), d("2025-11-06"))
                .unwrap()
                .to_string(),
            "P33Y2M20D"
        );
        assert_eq!(
            between(d("2024-03-01"), d("2024-01-31")).unwrap(),
            Duration {
                months: -1,
                days: -1
            }
        );
        assert!(between(d("1992-08"), d("2025-11-06")).is_err());
        assert_eq!(truncate("month", d("2024-05-07")).unwrap(), d("2024-05-01"));
        assert_eq!(truncate("year", d("1995-08")).unwrap(), d("1995-01-01"));
    }
}
