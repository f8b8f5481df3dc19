//! Partial ISO dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) packed into four bytes.
//!
//! A partial date stands for an interval of days: `1992` is every day of 1992, `1992-08` every
//! day of August 1992. Comparisons therefore go through [`PartialDate::first_day`] and
//! [`PartialDate::last_day`], never through the text. This module does no I/O.

use std::fmt;
use std::num::NonZeroU32;

/// A calendar day packed as `year << 9 | month << 5 | day`, so that integer order is date order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(u32);

impl Day {
    /// Returns the day for a valid `year`, `month` (1–12) and `day` of that month.
    ///
    /// # Panics
    /// Never for values produced by this module; callers outside it use [`PartialDate::parse`].
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Self {
        Day((u32::from(year) << 9) | (u32::from(month) << 5) | u32::from(day))
    }

    /// Returns the year.
    #[must_use]
    pub fn year(self) -> u16 {
        u16::try_from(self.0 >> 9).expect("a Day is built from a u16 year")
    }

    /// Returns the month, 1–12.
    #[must_use]
    pub fn month(self) -> u8 {
        u8::try_from((self.0 >> 5) & 0xf).expect("masked to four bits")
    }

    /// Returns the day of the month, 1–31.
    #[must_use]
    pub fn day(self) -> u8 {
        u8::try_from(self.0 & 0x1f).expect("masked to five bits")
    }

    /// Returns the number of days since 1970-01-01 (negative before), as Arrow's `date32`
    /// and Parquet's `DATE` count them, in the proleptic Gregorian calendar.
    #[must_use]
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil: years counted from March, so that the leap day
        // ends the year.
        let month = i32::from(self.month());
        let year = i32::from(self.year()) - i32::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i32::from(self.day()) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Returns the day `days` after 1970-01-01 (the inverse of [`Day::days_since_epoch`]),
    /// or `None` outside the years 1 to 65535.
    #[must_use]
    pub fn from_days_since_epoch(days: i32) -> Option<Self> {
        // Howard Hinnant's civil_from_days.
        let z = i64::from(days) + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(Day::new(
            u16::try_from(year).ok().filter(|&y| y >= 1)?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        ))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

/// A date known to the year, the month or the day, in four bytes.
///
/// Packed like [`Day`], with month 0 and day 0 meaning "not given". The packed value is never
/// zero (years start at 1), so `Option<PartialDate>` is also four bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate(NonZeroU32);

/// Why a text is not a partial date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("`{0}` is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")]
    Shape(String),
    /// The month is not 1–12.
    #[error("`{0}` has no month {1} (months run 01 to 12)")]
    Month(String, u8),
    /// The day does not exist in that month.
    #[error("`{0}` is not a calendar date ({1} has {2} days)")]
    Day(String, &'static str, u8),
    /// A date written the way a spreadsheet or a country writes it (`26.03.1973`,
    /// `03/26/1973`): the message shows the ISO form to write instead.
    #[error("`{0}` is not a date: write it {1} (YYYY-MM-DD)")]
    Local(String, String),
}

/// The ISO form of a date written day and month first with dots (`26.03.1973`, as most of
/// Europe writes it) or with slashes (`03/26/1973` or `26/03/1973`, by which of the two can
/// be a month; both when either can), when it is one.
fn local_date(text: &str) -> Option<DateError> {
    let (separator, dotted) = if text.contains('.') {
        ('.', true)
    } else {
        ('/', false)
    };
    let parts: Vec<&str> = text.trim().split(separator).collect();
    let [a, b, year] = parts[..] else {
        return None;
    };
    let number = |part: &str| -> Option<u8> {
        (!part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())?
    };
    let (a, b) = (number(a)?, number(b)?);
    let year: u16 = (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())??;
    let valid = |month: u8, day: u8| {
        (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
    };
    let iso = |month: u8, day: u8| format!("`{year:04}-{month:02}-{day:02}`");
    let suggestion = if dotted {
        valid(b, a).then(|| iso(b, a))?
    } else {
        match (valid(a, b), valid(b, a)) {
            (true, true) if a != b => format!(
                "{} if it means {} {}, {} if {} {}",
                iso(a, b),
                b,
                MONTH_NAMES[usize::from(a - 1)],
                iso(b, a),
                a,
                MONTH_NAMES[usize::from(b - 1)]
            ),
            (true, _) => iso(a, b),
            (false, true) => iso(b, a),
            (false, false) => return None,
        }
    };
    Some(DateError::Local(text.to_owned(), suggestion))
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Returns whether `year` is a leap year in the proleptic Gregorian calendar.
#[must_use]
pub(crate) fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Returns the number of days in `month` (1–12) of `year`.
#[must_use]
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits<const N: usize>(text: &str) -> Option<u16> {
    if text.len() != N || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; only real calendar dates are accepted.
    ///
    /// # Errors
    /// Returns a [`DateError`] naming the text and what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let shape = || local_date(text).unwrap_or_else(|| DateError::Shape(text.to_owned()));
        let mut parts = text.split('-');
        let year = parts.next().and_then(digits::<4>).ok_or_else(shape)?;
        if year == 0 {
            return Err(shape());
        }
        let month = match parts.next() {
            None => 0,
            Some(part) => {
                u8::try_from(digits::<2>(part).ok_or_else(shape)?).map_err(|_| shape())?
            }
        };
        let day = match parts.next() {
            None => 0,
            Some(part) => {
                u8::try_from(digits::<2>(part).ok_or_else(shape)?).map_err(|_| shape())?
            }
        };
        if parts.next().is_some() {
            return Err(shape());
        }
        if month > 12 || (month == 0 && text.len() > 4) {
            return Err(DateError::Month(text.to_owned(), month));
        }
        if month > 0 && (day > days_in_month(year, month) || (day == 0 && text.len() > 7)) {
            return Err(DateError::Day(
                text.to_owned(),
                MONTH_NAMES[usize::from(month - 1)],
                days_in_month(year, month),
            ));
        }
        let packed = (u32::from(year) << 9) | (u32::from(month) << 5) | u32::from(day);
        Ok(PartialDate(
            NonZeroU32::new(packed).expect("year is at least 1"),
        ))
    }

    /// Returns the packed value, as the snapshot stores it (never zero).
    pub(crate) fn to_bits(self) -> u32 {
        self.0.get()
    }

    /// Returns the date packed in `bits`, when they pack one that [`PartialDate::parse`]
    /// could have made.
    pub(crate) fn from_bits(bits: u32) -> Option<Self> {
        let year = u16::try_from(bits >> 9)
            .ok()
            .filter(|&y| (1..=9999).contains(&y))?;
        let month = u8::try_from((bits >> 5) & 0xf).expect("masked to four bits");
        let day = u8::try_from(bits & 0x1f).expect("masked to five bits");
        let valid = match (month, day) {
            (0..=12, 0) => true,
            (1..=12, day) => day <= days_in_month(year, month),
            _ => false,
        };
        valid.then(|| PartialDate(NonZeroU32::new(bits).expect("year is at least 1")))
    }

    /// Returns the year.
    #[must_use]
    pub fn year(self) -> u16 {
        u16::try_from(self.0.get() >> 9).expect("packed from a u16 year")
    }

    /// Returns the month if the date gives one.
    #[must_use]
    pub fn month(self) -> Option<u8> {
        let month = u8::try_from((self.0.get() >> 5) & 0xf).expect("masked to four bits");
        (month != 0).then_some(month)
    }

    /// Returns the day of the month if the date gives one.
    #[must_use]
    pub fn day(self) -> Option<u8> {
        let day = u8::try_from(self.0.get() & 0x1f).expect("masked to five bits");
        (day != 0).then_some(day)
    }

    /// Returns the first day the date covers: `1992-08` → 1992-08-01.
    #[must_use]
    pub fn first_day(self) -> Day {
        Day::new(
            self.year(),
            self.month().unwrap_or(1),
            self.day().unwrap_or(1),
        )
    }

    /// Returns the last day the date covers: `1992-02` → 1992-02-29, `1992` → 1992-12-31.
    #[must_use]
    pub fn last_day(self) -> Day {
        let month = self.month().unwrap_or(12);
        let day = self
            .day()
            .unwrap_or_else(|| days_in_month(self.year(), month));
        Day::new(self.year(), month, day)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year())?;
        if let Some(month) = self.month() {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day() {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartialDate({self})")
    }
}

/// Returns two dates as people write a span: `1992-08`, `1992 – 1996`, `until 1996`, or
/// `None` when both are missing.
#[must_use]
pub(crate) fn span_label(start: Option<PartialDate>, end: Option<PartialDate>) -> Option<String> {
    match (start, end) {
        (None, None) => None,
        (Some(start), None) => Some(start.to_string()),
        (Some(start), Some(end)) if start == end => Some(start.to_string()),
        (Some(start), Some(end)) => Some(format!("{start} – {end}")),
        (None, Some(end)) => Some(format!("until {end}")),
    }
}

/// A closed range of days, either side open; what `--as-of` and `--between` select on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    /// The first day, or open towards the past.
    pub first: Option<Day>,
    /// The last day, or open towards the future.
    pub last: Option<Day>,
}

impl DayRange {
    /// Returns the days a relation with these partial `start` and `end` dates covers.
    #[must_use]
    pub fn of_span(start: Option<PartialDate>, end: Option<PartialDate>) -> Self {
        DayRange {
            first: start.map(PartialDate::first_day),
            last: end.map(PartialDate::last_day),
        }
    }

    /// Returns whether the two ranges share at least one day.
    #[must_use]
    pub fn overlaps(self, other: DayRange) -> bool {
        let starts_in_time = match (self.first, other.last) {
            (Some(first), Some(last)) => first <= last,
            _ => true,
        };
        let ends_in_time = match (self.last, other.first) {
            (Some(last), Some(first)) => last >= first,
            _ => true,
        };
        starts_in_time && ends_in_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_dates_come_back_and_impossible_packings_are_refused() {
        for text in ["1992", "1992-08", "2024-02-29", "0001-01-01", "9999-12-31"] {
            let date = PartialDate::parse(text).unwrap();
            assert_eq!(PartialDate::from_bits(date.to_bits()), Some(date));
        }
        let pack = |y: u32, m: u32, d: u32| (y << 9) | (m << 5) | d;
        for (y, m, d) in [
            (0, 1, 1),
            (1992, 13, 0),
            (1992, 0, 5),
            (2023, 2, 29),
            (1992, 4, 31),
        ] {
            assert_eq!(PartialDate::from_bits(pack(y, m, d)), None, "{y}-{m}-{d}");
        }
        assert_eq!(PartialDate::from_bits(u32::MAX), None);
    }

    #[test]
    fn dates_written_the_local_way_get_their_iso_form() {
        let message = |text: &str| PartialDate::parse(text).unwrap_err().to_string();
        assert_eq!(
            message("26.03.1973"),
            "`26.03.1973` is not a date: write it `1973-03-26` (YYYY-MM-DD)"
        );
        assert_eq!(
            message("03/26/1973"),
            "`03/26/1973` is not a date: write it `1973-03-26` (YYYY-MM-DD)"
        );
        assert_eq!(
            message("26/03/1973"),
            "`26/03/1973` is not a date: write it `1973-03-26` (YYYY-MM-DD)"
        );
        assert_eq!(
            message("03/04/1973"),
            "`03/04/1973` is not a date: write it `1973-03-04` if it means 4 March, `1973-04-03` if 3 April (YYYY-MM-DD)"
        );
        assert_eq!(
            message("31.02.1973"),
            "`31.02.1973` is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        );
    }

    #[test]
    fn days_convert_both_ways() {
        for days in [-719_162, -1, 0, 1, 8_278, 11_016, 11_017, 20_786] {
            assert_eq!(
                Day::from_days_since_epoch(days).unwrap().days_since_epoch(),
                days
            );
        }
        assert_eq!(Day::from_days_since_epoch(0), Some(Day::new(1970, 1, 1)));
    }

    #[test]
    fn days_since_epoch_match_the_calendar() {
        assert_eq!(Day::new(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(Day::new(1969, 12, 31).days_since_epoch(), -1);
        assert_eq!(Day::new(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(Day::new(1992, 8, 31).days_since_epoch(), 8_278);
        assert_eq!(Day::new(1, 1, 1).days_since_epoch(), -719_162);
        // Consecutive days are consecutive numbers across month and leap-year ends.
        let mut previous = Day::new(1899, 12, 31).days_since_epoch();
        for year in [1900u16, 2000, 2024] {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let n = Day::new(year, month, day).days_since_epoch();
                    if !(month == 1 && day == 1) {
                        assert_eq!(n, previous + 1, "{year}-{month}-{day}");
                    }
                    previous = n;
                }
            }
        }
    }

    #[track_caller]
    fn ok(text: &str, first: &str, last: &str) {
        let date = PartialDate::parse(text).unwrap();
        assert_eq!(date.to_string(), text);
        assert_eq!(date.first_day().to_string(), first);
        assert_eq!(date.last_day().to_string(), last);
    }

    #[track_caller]
    fn bad(text: &str, message: &str) {
        assert_eq!(PartialDate::parse(text).unwrap_err().to_string(), message);
    }

    #[test]
    fn partial_dates_widen_to_intervals() {
        ok("1992", "1992-01-01", "1992-12-31");
        ok("1992-08", "1992-08-01", "1992-08-31");
        ok("1992-02", "1992-02-01", "1992-02-29");
        ok("1900-02", "1900-02-01", "1900-02-28");
        ok("2000-02", "2000-02-01", "2000-02-29");
        ok("1992-08-27", "1992-08-27", "1992-08-27");
        ok("0001", "0001-01-01", "0001-12-31");
    }

    #[test]
    fn impossible_dates_are_refused() {
        bad("1992-13", "`1992-13` has no month 13 (months run 01 to 12)");
        bad("1992-00", "`1992-00` has no month 0 (months run 01 to 12)");
        bad(
            "1992-02-30",
            "`1992-02-30` is not a calendar date (February has 29 days)",
        );
        bad(
            "1991-02-29",
            "`1991-02-29` is not a calendar date (February has 28 days)",
        );
        bad(
            "1992-04-00",
            "`1992-04-00` is not a calendar date (April has 30 days)",
        );
        for shape in [
            "92",
            "1992-8",
            "1992/08",
            "1992-08-27T00",
            "0000",
            "+992",
            "",
            "1992-",
            "x",
        ] {
            assert!(
                matches!(PartialDate::parse(shape), Err(DateError::Shape(_))),
                "{shape}"
            );
        }
    }

    #[test]
    fn days_order_like_dates() {
        let a = PartialDate::parse("1992-08").unwrap();
        let b = PartialDate::parse("1992").unwrap();
        assert!(b.first_day() < a.first_day());
        assert!(a.last_day() < b.last_day());
        assert_eq!(std::mem::size_of::<Option<PartialDate>>(), 4);
    }

    #[test]
    fn ranges_overlap_inclusively_and_open_sides_reach_everywhere() {
        let d = |t: &str| PartialDate::parse(t).unwrap();
        let year_1992 = DayRange::of_span(Some(d("1992")), Some(d("1992")));
        let august = DayRange::of_span(Some(d("1992-08")), None);
        assert!(year_1992.overlaps(august));
        let before = DayRange::of_span(None, Some(d("1991")));
        assert!(!before.overlaps(year_1992));
        assert!(DayRange::of_span(None, None).overlaps(year_1992));
        let day = DayRange::of_span(Some(d("1992-12-31")), Some(d("1992-12-31")));
        assert!(day.overlaps(year_1992));
    }
}
