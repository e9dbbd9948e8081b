//! The calling window, `HH:MM-HH:MM` in the contact's local time.

/// A validated calling window; start is before end, both on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallingWindow {
    start: (u8, u8),
    end: (u8, u8),
}

/// Why a calling window was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// Not of the form `HH:MM-HH:MM`.
    #[error("{0:?} is not of the form HH:MM-HH:MM, e.g. 08:00-21:00")]
    Format(String),
    /// An hour above 23 or a minute above 59.
    #[error("{0:?} is not a time of day (00:00 to 23:59)")]
    Time(String),
    /// The window ends before (or when) it starts.
    #[error(
        "calling window {0:?} must end after it starts (windows across midnight are not supported)"
    )]
    Order(String),
}

impl CallingWindow {
    /// Parses `HH:MM-HH:MM` (spaces around the dash are allowed).
    pub fn parse(text: &str) -> Result<Self, WindowError> {
        let (start, end) = text
            .split_once('-')
            .ok_or_else(|| WindowError::Format(text.to_owned()))?;
        let start = parse_time(start.trim(), text)?;
        let end = match end.trim() {
            "24:00" => (24, 0),
            end => parse_time(end, text)?,
        };
        if start >= end {
            return Err(WindowError::Order(text.to_owned()));
        }
        Ok(Self { start, end })
    }

    /// Start of the window, `HH:MM`.
    pub fn start(&self) -> String {
        format_time(self.start)
    }

    /// End of the window, `HH:MM`.
    pub fn end(&self) -> String {
        format_time(self.end)
    }
}

impl std::fmt::Display for CallingWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start(), self.end())
    }
}

fn parse_time(part: &str, whole: &str) -> Result<(u8, u8), WindowError> {
    let format_error = || WindowError::Format(whole.to_owned());
    let (hours, minutes) = part.split_once(':').ok_or_else(format_error)?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return Err(format_error());
    }
    let hours: u8 = hours.parse().map_err(|_| format_error())?;
    let minutes: u8 = minutes.parse().map_err(|_| format_error())?;
    if hours > 23 || minutes > 59 {
        return Err(WindowError::Time(part.to_owned()));
    }
    Ok((hours, minutes))
}

fn format_time((hours, minutes): (u8, u8)) -> String {
    format!("{hours:02}:{minutes:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_windows() {
        let window = CallingWindow::parse("08:00-21:00").unwrap();
        assert_eq!(
            (window.start(), window.end()),
            ("08:00".into(), "21:00".into())
        );
        assert_eq!(
            CallingWindow::parse("09:30 - 17:45").unwrap().to_string(),
            "09:30-17:45"
        );
        assert_eq!(
            CallingWindow::parse("00:00-24:00").unwrap().to_string(),
            "00:00-24:00",
            "24:00 ends a window open all day"
        );
    }

    #[test]
    fn refuses_bad_windows() {
        for bad in [
            "",
            "8-21",
            "08:00",
            "8:00-21:00",
            "24:00-24:00",
            "08:00-24:01",
            "08:60-21:00",
            "21:00-08:00",
            "08:00-08:00",
            "aa:bb-cc:dd",
            "08:00-21:00-22:00",
            "+8:00-21:00",
        ] {
            assert!(
                CallingWindow::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
