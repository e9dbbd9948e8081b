//! Calendar days (`YYYY-MM-DD`, UTC) and inclusive ranges of them, as the
//! call-log listing and export take them: parsed strictly, with the reason
//! for a refusal in words fit for a person.

use std::fmt;

/// Most days a [`DayRange`] may span, both ends counted (a leap year).
pub const MAX_RANGE_DAYS: i64 = 366;

/// A calendar day of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    year: u16,
    month: u8,
    day: u8,
}

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
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        let valid = year >= 1
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Self { year, month, day })
    }

    /// The last day of this day's month.
    pub fn end_of_month(self) -> Self {
        Self {
            day: days_in_month(self.year, self.month),
            ..self
        }
    }

    /// The day after this one; `None` after 9999-12-31.
    pub fn next(self) -> Option<Self> {
        if self.day < days_in_month(self.year, self.month) {
            Some(Self {
                day: self.day + 1,
                ..self
            })
        } else if self.month < 12 {
            Some(Self {
                month: self.month + 1,
                day: 1,
                ..self
            })
        } else if self.year < 9999 {
            Some(Self {
                year: self.year + 1,
                month: 1,
                day: 1,
            })
        } else {
            None
        }
    }

    /// Whether `other` is in the same calendar month of the same year.
    pub fn same_month(self, other: Self) -> bool {
        (self.year, self.month) == (other.year, other.month)
    }

    /// The day `count` days before this one; `None` before year 1.
    pub fn days_before(self, count: i64) -> Option<Self> {
        Self::from_number(self.number().checked_sub(count)?)
    }

    /// Today in UTC.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let days = i64::try_from(secs / 86_400).unwrap_or(0);
        Self::from_number(days).unwrap_or(Self {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// The day `number` days after 1970-01-01, if in years 1 to 9999.
    fn from_number(number: i64) -> Option<Self> {
        // Howard Hinnant's civil_from_days, the inverse of `number`.
        let shifted = number.checked_add(719_468)?;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        let day = Self {
            year: u16::try_from(year)
                .ok()
                .filter(|y| (1..=9999).contains(y))?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        };
        Some(day)
    }

    /// Days since 1970-01-01 (negative before it).
    fn number(self) -> i64 {
        // Howard Hinnant's days_from_civil, with March as the first month so
        // the leap day ends the year.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whether `year` has a 29 February.
fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// How many days `month` (1 to 12) of `year` has.
fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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
        let days = to.number() - from.number() + 1;
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
    fn day_numbers_round_trip() {
        for text in [
            "0001-01-01",
            "1969-12-31",
            "1970-01-01",
            "2000-02-29",
            "2026-12-04",
            "9999-12-31",
        ] {
            let parsed = day(text);
            assert_eq!(Day::from_number(parsed.number()), Some(parsed), "{text}");
        }
        assert_eq!(day("2026-03-01").days_before(1), Some(day("2026-02-28")));
        assert_eq!(day("2024-03-01").days_before(7), Some(day("2024-02-23")));
        assert_eq!(day("0001-01-01").days_before(1), None);
        assert!(Day::today() > day("2026-01-01"));
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day("1970-01-01").number(), 0);
        assert_eq!(day("2000-03-01").number() - day("2000-02-28").number(), 2);
        assert_eq!(day("2024-12-31").number() - day("2024-01-01").number(), 365);
        assert_eq!(day("2023-12-31").number() - day("2023-01-01").number(), 364);
        assert_eq!(day("0001-01-01").number(), -719_162);
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
