//! Calendar days (`YYYY-MM-DD`, UTC, on `time`'s calendar) and inclusive ranges of them, as the
//! call-log listing and export take them: parsed strictly, with the reason
//! for a refusal in words fit for a person.

use std::fmt;

use time::{Date, Duration, Month, OffsetDateTime};

/// Most days a [`DayRange`] may span, both ends counted (a leap year).
pub const MAX_RANGE_DAYS: i64 = 366;

/// A calendar day of the proleptic Gregorian calendar, years 1 to 9999; the
/// calendar arithmetic is `time`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(Date);

/// The last day a [`Day`] may be.
const LAST_YEAR: i32 = 9999;

impl Day {
    /// The day written `YYYY-MM-DD` (exactly ten characters, four-digit year),
    /// if it is a real day: `2023-02-29` is not.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let year = i32::from(number(0..4)?);
        let month = Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        Self::within(Date::from_calendar_date(year, month, day).ok()?)
    }

    /// `date` when it is in years 1 to 9999.
    fn within(date: Date) -> Option<Self> {
        (1..=LAST_YEAR).contains(&date.year()).then_some(Self(date))
    }

    /// The last day of this day's month.
    pub fn end_of_month(self) -> Self {
        let last = self.0.month().length(self.0.year());
        Self(self.0.replace_day(last).unwrap_or(self.0))
    }

    /// The day after this one; `None` after 9999-12-31.
    pub fn next(self) -> Option<Self> {
        Self::within(self.0.next_day()?)
    }

    /// Whether `other` is in the same calendar month of the same year.
    pub fn same_month(self, other: Self) -> bool {
        (self.0.year(), self.0.month()) == (other.0.year(), other.0.month())
    }

    /// The day `count` days before this one; `None` before year 1.
    pub fn days_before(self, count: i64) -> Option<Self> {
        Self::within(self.0.checked_sub(Duration::days(count))?)
    }

    /// Today in UTC.
    pub fn today() -> Self {
        Self(OffsetDateTime::now_utc().date())
    }

    /// Days from `self` to `later`, both counted.
    fn span_to(self, later: Self) -> i64 {
        (later.0 - self.0).whole_days() + 1
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

/// Why a range was refused; each message names the query parameter to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// A required bound is missing.
    #[error("{0} is required: a day written YYYY-MM-DD")]
    Missing(&'static str),
    /// A bound is not a real day written `YYYY-MM-DD`.
    #[error("{name} must be a real day written YYYY-MM-DD, such as 2025-03-31; got {text:?}")]
    Invalid {
        /// The query parameter.
        name: &'static str,
        /// What it held (at most 40 characters of it).
        text: String,
    },
    /// `from` is after `to`.
    #[error("from ({from}) is after to ({to}); swap them")]
    Reversed {
        /// The first day asked for.
        from: Day,
        /// The last day asked for.
        to: Day,
    },
    /// The range spans more than [`MAX_RANGE_DAYS`] days.
    #[error(
        "the range from {from} to {to} spans {days} days; ask for at most {MAX_RANGE_DAYS} at a time"
    )]
    TooLong {
        /// The first day asked for.
        from: Day,
        /// The last day asked for.
        to: Day,
        /// How many days it spans, both ends counted.
        days: i64,
    },
}

/// Days `from` to `to`, both included, at most [`MAX_RANGE_DAYS`] of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    from: Day,
    to: Day,
}

impl DayRange {
    /// The range of the query parameters `from` and `to`, checked.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, RangeError> {
        let day = |name: &'static str, text: Option<&str>| {
            let text = text.ok_or(RangeError::Missing(name))?;
            Day::parse(text).ok_or_else(|| RangeError::Invalid {
                name,
                text: text.chars().take(40).collect(),
            })
        };
        let (from, to) = (day("from", from)?, day("to", to)?);
        if from > to {
            return Err(RangeError::Reversed { from, to });
        }
        let days = from.span_to(to);
        if days > MAX_RANGE_DAYS {
            return Err(RangeError::TooLong { from, to, days });
        }
        Ok(Self { from, to })
    }

    /// The first day.
    pub fn from(&self) -> Day {
        self.from
    }

    /// The last day.
    pub fn to(&self) -> Day {
        self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn only_real_days_written_in_full_parse() {
        for good in [
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
            "2025-04-30",
        ] {
            assert_eq!(day(good).to_string(), good);
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2025-04-31",
            "2025-13-01",
            "2025-00-10",
            "2025-01-00",
            "0000-01-01",
            "2025-1-01",
            "2025/01/01",
            "20250101",
            "2025-01-01T00:00:00Z",
            " 2025-01-01",
            "+025-01-01",
            "2025-+1-01",
            "２０２５-01-01",
            "",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn days_step_back_and_spans_count_both_ends() {
        assert_eq!(day("2026-03-01").days_before(1), Some(day("2026-02-28")));
        assert_eq!(day("2024-03-01").days_before(7), Some(day("2024-02-23")));
        assert_eq!(day("0001-01-01").days_before(1), None);
        assert!(Day::today() > day("2026-01-01"));
        assert_eq!(day("2000-02-28").span_to(day("2000-03-01")), 3);
        assert_eq!(day("2024-01-01").span_to(day("2024-12-31")), 366);
        assert_eq!(day("2023-01-01").span_to(day("2023-12-31")), 365);
        for text in ["0001-01-01", "2000-02-29", "9999-12-31"] {
            assert_eq!(day(text).to_string(), text);
        }
    }

    #[test]
    fn months_end_and_days_follow() {
        assert_eq!(day("2024-02-10").end_of_month(), day("2024-02-29"));
        assert_eq!(day("2023-02-01").end_of_month(), day("2023-02-28"));
        assert_eq!(day("2025-04-30").end_of_month(), day("2025-04-30"));
        assert_eq!(day("2024-02-28").next(), Some(day("2024-02-29")));
        assert_eq!(day("2024-02-29").next(), Some(day("2024-03-01")));
        assert_eq!(day("2024-12-31").next(), Some(day("2025-01-01")));
        assert_eq!(day("9999-12-31").next(), None);
        assert!(day("2024-02-01").same_month(day("2024-02-29")));
        assert!(!day("2024-02-01").same_month(day("2025-02-01")));
    }

    #[test]
    fn ranges_are_checked() {
        let range = DayRange::parse(Some("2024-01-01"), Some("2024-12-31")).unwrap();
        assert_eq!(
            (range.from(), range.to()),
            (day("2024-01-01"), day("2024-12-31"))
        );
        assert!(DayRange::parse(Some("2024-05-05"), Some("2024-05-05")).is_ok());
        assert!(DayRange::parse(Some("2023-01-01"), Some("2024-01-01")).is_ok());
        assert_eq!(
            DayRange::parse(Some("2023-01-01"), Some("2024-01-02")),
            Err(RangeError::TooLong {
                from: day("2023-01-01"),
                to: day("2024-01-02"),
                days: 367
            })
        );
        assert!(matches!(
            DayRange::parse(Some("2024-01-02"), Some("2024-01-01")),
            Err(RangeError::Reversed { .. })
        ));
        assert_eq!(
            DayRange::parse(None, Some("2024-01-01")),
            Err(RangeError::Missing("from"))
        );
        let long = "x".repeat(100);
        let Err(RangeError::Invalid { name, text }) =
            DayRange::parse(Some("2024-01-01"), Some(&long))
        else {
            panic!("not refused");
        };
        assert_eq!((name, text.len()), ("to", 40));
    }
}
