//! The call guard: a number on the do-not-call list, or a contact outside its
//! calling window, is blocked or needs the rep's confirmation.
//!
//! Pure: the local time in a zone is asked of a function the caller passes (the
//! browser's `Intl` in the app, a table in tests), so any instant can be checked.

use dialdesk_contract::{Contact, ContactNumber, GuardMode, GuardSettings};

/// Minutes since local midnight.
pub type Minutes = u16;

/// Why a call or text should not simply go ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Concern {
    /// The number is on the do-not-call list.
    DoNotCall,
    /// It is outside the calling window where the contact is.
    OutsideWindow {
        /// The zone whose local time was read (the first, for a whole region).
        zone: String,
        /// Local time there.
        local: Minutes,
    },
    /// Where the contact is, and so whether the window is open, is not known.
    ZoneUnknown {
        /// The region whose zones disagree, when that is why.
        region: Option<String>,
    },
}

/// What the guard decides for one call or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Ask the rep first.
    Confirm(Concern),
    /// Refuse.
    Block(Concern),
}

/// The calling window in local minutes; `start > end` spans midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    start: Minutes,
    end: Minutes,
}

impl Window {
    /// Reads `HH:MM`–`HH:MM`; `None` when either is not a time of day.
    pub fn parse(start: &str, end: &str) -> Option<Self> {
        Some(Self {
            start: parse_hhmm(start)?,
            end: parse_hhmm(end)?,
        })
    }

    /// Whether `local` falls in the window (start included, end excluded).
    pub fn contains(self, local: Minutes) -> bool {
        if self.start <= self.end {
            (self.start..self.end).contains(&local)
        } else {
            local >= self.start || local < self.end
        }
    }
}

/// `HH:MM` (or `H:MM`) as minutes since midnight; `24:00` is the end of the day,
/// so a window `00:00`–`24:00` is open all day.
pub fn parse_hhmm(text: &str) -> Option<Minutes> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hours) || minutes.len() != 2 || !digits(minutes) {
        return None;
    }
    let (hours, minutes): (Minutes, Minutes) = (hours.parse().ok()?, minutes.parse().ok()?);
    let valid = (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0);
    valid.then_some(hours * 60 + minutes)
}

/// `HH:MM` of minutes since midnight.
pub fn format_hhmm(minutes: Minutes) -> String {
    format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60)
}

/// Decides whether `number` of `contact` may be called now; `local_time` gives the
/// local time in an IANA zone at the instant being checked (`None` for a zone the
/// browser does not know).
pub fn check(
    settings: &GuardSettings,
    contact: &Contact,
    number: &ContactNumber,
    local_time: impl Fn(&str) -> Option<Minutes>,
) -> Verdict {
    let decide = |concern| match settings.mode {
        GuardMode::Block => Verdict::Block(concern),
        GuardMode::Confirm => Verdict::Confirm(concern),
    };
    if number.do_not_call {
        return decide(Concern::DoNotCall);
    }
    // A window the proxy would never send cannot be checked: ask rather than dial.
    let Some(window) = Window::parse(&settings.window_start, &settings.window_end) else {
        return Verdict::Confirm(Concern::ZoneUnknown { region: None });
    };
    let single;
    let zones: &[String] = match (&contact.time_zone, &number.region) {
        (Some(zone), _) => {
            single = [zone.clone()];
            &single
        }
        (None, Some(region)) => settings
            .region_zones
            .iter()
            .find(|r| &r.region == region)
            .map_or(&[][..], |r| r.zones.as_slice()),
        (None, None) => &[],
    };
    let Some(times) = zones
        .iter()
        .map(|zone| local_time(zone).map(|local| (zone, local)))
        .collect::<Option<Vec<_>>>()
        .filter(|times| !times.is_empty())
    else {
        return Verdict::Confirm(Concern::ZoneUnknown { region: None });
    };
    let open = times
        .iter()
        .filter(|(_, local)| window.contains(*local))
        .count();
    if open == times.len() {
        return Verdict::Allow;
    }
    if open == 0 {
        let (zone, local) = times[0];
        return decide(Concern::OutsideWindow {
            zone: zone.clone(),
            local,
        });
    }
    Verdict::Confirm(Concern::ZoneUnknown {
        region: number.region.clone(),
    })
}

/// The concern in the rep's words, with the window for context.
pub fn explain(concern: &Concern, settings: &GuardSettings) -> String {
    match concern {
        Concern::DoNotCall => "Do not call: this number is on the do-not-call list".to_owned(),
        Concern::OutsideWindow { zone, local } => format!(
            "Outside calling hours: {} in {zone} (calls {}–{})",
            format_hhmm(*local),
            settings.window_start,
            settings.window_end
        ),
        Concern::ZoneUnknown {
            region: Some(region),
        } => format!("Time zone unknown: calling hours are open in only some of {region}'s zones"),
        Concern::ZoneUnknown { region: None } => {
            "Time zone unknown: check the local time before calling".to_owned()
        }
    }
}

#[cfg(test)]
mod tests;
