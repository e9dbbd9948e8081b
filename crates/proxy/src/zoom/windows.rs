//! Date ranges cut into windows Zoom's call history accepts: at most one
//! month each (contract §5.2). Each window lies inside one calendar month,
//! so it is never longer than 31 days however Zoom counts a month. Pure.

use crate::days::Day;

/// Days `from` to `to`, both included, within one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first day.
    pub from: Day,
    /// The last day.
    pub to: Day,
}

/// Cuts `from`..=`to` at month ends, oldest window first; empty when `from`
/// is after `to`.
pub fn month_windows(from: Day, to: Day) -> Vec<Window> {
    let mut windows = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start.end_of_month().min(to);
        windows.push(Window {
            from: start,
            to: end,
        });
        match end.next() {
            Some(next) => start = next,
            None => break,
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn shown(windows: &[Window]) -> Vec<String> {
        windows
            .iter()
            .map(|window| format!("{}..{}", window.from, window.to))
            .collect()
    }

    #[test]
    fn ranges_are_cut_at_month_ends() {
        assert_eq!(
            shown(&month_windows(day("2025-01-15"), day("2025-04-10"))),
            [
                "2025-01-15..2025-01-31",
                "2025-02-01..2025-02-28",
                "2025-03-01..2025-03-31",
                "2025-04-01..2025-04-10"
            ]
        );
        assert_eq!(
            shown(&month_windows(day("2024-02-29"), day("2024-02-29"))),
            ["2024-02-29..2024-02-29"]
        );
        assert_eq!(
            shown(&month_windows(day("2024-12-31"), day("2025-01-01"))),
            ["2024-12-31..2024-12-31", "2025-01-01..2025-01-01"]
        );
        assert_eq!(
            shown(&month_windows(day("9999-12-01"), day("9999-12-31"))),
            ["9999-12-01..9999-12-31"]
        );
        assert!(month_windows(day("2025-02-01"), day("2025-01-31")).is_empty());
    }

    fn any_day() -> impl Strategy<Value = Day> {
        (1u16..=9999, 1u8..=12, 1u8..=31).prop_map(|(year, month, day)| {
            let first = Day::parse(&format!("{year:04}-{month:02}-01")).unwrap();
            let last = first.end_of_month();
            let day = day.min(last.to_string()[8..].parse().unwrap());
            Day::parse(&format!("{year:04}-{month:02}-{day:02}")).unwrap()
        })
    }

    proptest! {
        #[test]
        fn windows_cover_the_range_exactly(from in any_day(), span in 0usize..1200) {
            let mut to = from;
            for _ in 0..span {
                match to.next() {
                    Some(next) => to = next,
                    None => break,
                }
            }
            let windows = month_windows(from, to);
            prop_assert_eq!(windows.first().map(|w| w.from), Some(from));
            prop_assert_eq!(windows.last().map(|w| w.to), Some(to));
            for window in &windows {
                prop_assert!(window.from <= window.to);
                prop_assert!(window.from.same_month(window.to));
            }
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[0].to.next(), Some(pair[1].from));
            }
        }
    }
}
