//! The `from`/`to` window of call-history queries: `yyyy-mm-dd` or `yyyy-mm-ddTHH:MM:SSZ`,
//! given together, at most one month long and within the last six months; the last 24 hours
//! when both are absent.

use thiserror::Error;

use crate::clock::{days_from_civil, iso8601_utc};

/// Milliseconds in a day.
pub const DAY_MS: u64 = 86_400_000;
/// The longest window: one month, counted as 31 days.
const MAX_SPAN_MS: u64 = 31 * DAY_MS;
/// How far back a window may start, in days before today (about six months); the generated
/// call history covers the same days.
pub const MAX_AGE_DAYS: u64 = 183;

/// A `from`/`to` window Zoom would refuse (400, code 300).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RangeError {
    /// Only one of `from` and `to`.
    #[error("Invalid field: from and to must be given together.")]
    Unpaired,
    /// A value in neither accepted format.
    #[error("Invalid field: {0} must be yyyy-mm-dd or yyyy-mm-ddTHH:mm:ssZ.")]
    Format(&'static str),
    /// `to` before `from`.
    #[error("Invalid field: to is before from.")]
    Reversed,
    /// Longer than a month.
    #[error("The time range cannot be longer than one month.")]
    TooLong,
    /// Starting more than six months ago.
    #[error("Only the last 6 months of call history can be queried.")]
    TooOld,
}

/// A checked window: `[from_ms, to_ms)`, and its bounds as echoed in answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// First millisecond inside.
    pub from_ms: u64,
    /// First millisecond after.
    pub to_ms: u64,
    /// `from` as given, or the default's start.
    pub from_label: String,
    /// `to` as given, or the default's end.
    pub to_label: String,
}

/// Checks `from`/`to` as of `now_ms`.
pub fn parse_range(from: Option<&str>, to: Option<&str>, now_ms: u64) -> Result<Range, RangeError> {
    let (from_label, to_label, from_ms, to_ms) = match (from, to) {
        (None, None) => {
            let start = now_ms.saturating_sub(DAY_MS);
            (iso8601_utc(start), iso8601_utc(now_ms), start, now_ms)
        }
        (Some(from), Some(to)) => {
            let (from_ms, _) = instant(from).ok_or(RangeError::Format("from"))?;
            let (to_start, whole_day) = instant(to).ok_or(RangeError::Format("to"))?;
            let to_ms = if whole_day {
                to_start + DAY_MS
            } else {
                to_start + 1000
            };
            (from.to_owned(), to.to_owned(), from_ms, to_ms)
        }
        _ => return Err(RangeError::Unpaired),
    };
    if to_ms <= from_ms {
        return Err(RangeError::Reversed);
    }
    if to_ms - from_ms > MAX_SPAN_MS {
        return Err(RangeError::TooLong);
    }
    let earliest = (now_ms / DAY_MS).saturating_sub(MAX_AGE_DAYS) * DAY_MS;
    if from_ms < earliest {
        return Err(RangeError::TooOld);
    }
    Ok(Range {
        from_ms,
        to_ms,
        from_label,
        to_label,
    })
}

/// The instant a value names and whether it names a whole day.
fn instant(text: &str) -> Option<(u64, bool)> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let days = days_from_civil(number(0..4)?, number(5..7)?, number(8..10)?)?;
    let day_ms = days * DAY_MS;
    match bytes.len() {
        10 => Some((day_ms, true)),
        20 if bytes[10] == b'T' && bytes[13] == b':' && bytes[16] == b':' && bytes[19] == b'Z' => {
            let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            Some((day_ms + ((hour * 60 + minute) * 60 + second) * 1000, false))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-15T12:00:00Z.
    const NOW: u64 = 1_773_576_000_000;

    #[test]
    fn default_is_the_last_day() {
        let range = parse_range(None, None, NOW).expect("valid");
        assert_eq!(range.to_ms - range.from_ms, DAY_MS);
        assert_eq!(range.to_label, "2026-03-15T12:00:00Z");
        assert_eq!(range.from_label, "2026-03-14T12:00:00Z");
    }

    #[test]
    fn dates_cover_whole_days_and_instants_are_inclusive() {
        let range = parse_range(Some("2026-03-01"), Some("2026-03-15"), NOW).expect("valid");
        assert_eq!(range.to_ms - range.from_ms, 15 * DAY_MS);
        let exact = parse_range(
            Some("2026-03-15T08:00:00Z"),
            Some("2026-03-15T08:59:59Z"),
            NOW,
        )
        .expect("valid");
        assert_eq!(exact.to_ms - exact.from_ms, 3_600_000);
        assert_eq!(exact.from_label, "2026-03-15T08:00:00Z");
    }

    #[test]
    fn at_most_one_month() {
        assert!(parse_range(Some("2026-02-01"), Some("2026-03-03"), NOW).is_ok());
        assert_eq!(
            parse_range(Some("2026-02-01"), Some("2026-03-04"), NOW),
            Err(RangeError::TooLong)
        );
    }

    #[test]
    fn at_most_six_months_back() {
        assert!(parse_range(Some("2025-09-13"), Some("2025-09-20"), NOW).is_ok());
        assert_eq!(
            parse_range(Some("2025-09-12"), Some("2025-09-20"), NOW),
            Err(RangeError::TooOld)
        );
    }

    #[test]
    fn malformed_unpaired_and_reversed_windows_fail() {
        assert_eq!(
            parse_range(Some("2026-03-01"), None, NOW),
            Err(RangeError::Unpaired)
        );
        assert_eq!(
            parse_range(None, Some("2026-03-01"), NOW),
            Err(RangeError::Unpaired)
        );
        assert_eq!(
            parse_range(Some("2026-03-05"), Some("2026-03-04"), NOW),
            Err(RangeError::Reversed)
        );
        for bad in [
            "2026-3-1",
            "2026-02-30",
            "2026-03-01T24:00:00Z",
            "2026-03-01T10:00:00",
            "2026-03-01 10:00:00Z",
            "yesterday",
            "",
            "२०२६-03-01",
            "+026-03-01",
        ] {
            assert_eq!(
                parse_range(Some(bad), Some("2026-03-10"), NOW),
                Err(RangeError::Format("from")),
                "{bad}"
            );
        }
    }
}
