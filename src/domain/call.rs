//! The call banner: which call is current and in which phase, from call events.

use super::protocol::{CallEvent, Direction, EmbedEvent};

/// Phase of the current call, as the rep sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallPhase {
    /// Ringing (inbound or outbound).
    Ringing,
    /// Talking.
    Connected,
    /// Over, with the embed's result (`ended`, `missed`, …) and duration in seconds.
    Ended {
        /// Result as the embed reported it.
        result: String,
        /// Talk time in seconds, when reported.
        duration_secs: Option<u64>,
    },
}

impl CallPhase {
    /// Short machine name, used as a `data-phase` attribute.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ringing => "ringing",
            Self::Connected => "connected",
            Self::Ended { .. } => "ended",
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Ringing => 0,
            Self::Connected => 1,
            Self::Ended { .. } => 2,
        }
    }
}

/// The call shown in the banner.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentCall {
    /// Root call id (transfer-leg suffix removed).
    pub call_id: String,
    /// Inbound or outbound.
    pub direction: Option<Direction>,
    /// The other party's name, when known.
    pub party_name: Option<String>,
    /// The other party's number, when known.
    pub party_number: Option<String>,
    /// Where the call is.
    pub phase: CallPhase,
    /// When the app saw the call connect (ms on the app's clock), for the talk timer.
    pub connected_at_ms: Option<f64>,
    /// When the app saw the call ring (ms on the app's clock), for the ringing timer.
    pub ringing_at_ms: Option<f64>,
}

impl CurrentCall {
    /// Where the call is, in words: "Incoming call ringing", "Connected", "Call ended"
    /// (with the embed's result when it says more than that).
    pub fn phase_label(&self) -> String {
        let way = match self.direction {
            Some(Direction::Inbound) => "Incoming call",
            Some(Direction::Outbound) => "Outgoing call",
            _ => "Call",
        };
        match &self.phase {
            CallPhase::Ringing => format!("{way} ringing"),
            CallPhase::Connected => "Connected".into(),
            CallPhase::Ended { result, .. } => match result.trim() {
                "" | "ended" | "completed" => "Call ended".into(),
                other => format!("Call ended: {}", other.replace('_', " ")),
            },
        }
    }

    /// Who the call is with: the name the embed gave, else `contact_name` (the
    /// contact the call is tied to), else the number as `show` writes it, else
    /// "Unknown party".
    pub fn party_label(&self, contact_name: Option<&str>, show: impl Fn(&str) -> String) -> String {
        match (&self.party_name, contact_name, &self.party_number) {
            (Some(name), _, _) => name.clone(),
            (None, Some(name), _) => name.to_owned(),
            (None, None, Some(number)) => show(number),
            (None, None, None) => "Unknown party".into(),
        }
    }

    /// The seconds the banner's timer shows at `now_ms`: ringing for, talking for, or
    /// the duration once ended (when known).
    pub fn timer_secs(&self, now_ms: f64) -> Option<u64> {
        let since = match &self.phase {
            CallPhase::Ringing => self.ringing_at_ms,
            CallPhase::Connected => self.connected_at_ms,
            CallPhase::Ended { duration_secs, .. } => return *duration_secs,
        };
        since.map(|since| ((now_ms - since).max(0.0) / 1000.0) as u64)
    }

    /// Whether the timer runs (the call has not ended).
    pub fn is_live(&self) -> bool {
        !matches!(self.phase, CallPhase::Ended { .. })
    }
}

/// The root call id: a transfer leg `abc_1` belongs to call `abc`.
pub fn root_call_id(call_id: &str) -> &str {
    match call_id.rsplit_once('_') {
        Some((root, leg)) if !root.is_empty() && leg.bytes().all(|b| b.is_ascii_digit()) => root,
        _ => call_id,
    }
}

/// Applies one event to the banner. Phases never go backwards for the same call, so a
/// late or repeated ringing/connected event cannot revive a call that has ended; a new
/// call replaces the current one only once that one has ended.
pub fn apply(current: Option<CurrentCall>, event: &EmbedEvent, now_ms: f64) -> Option<CurrentCall> {
    let (call, phase) = match event {
        EmbedEvent::CallRinging(c) => (c, CallPhase::Ringing),
        EmbedEvent::CallConnected(c) => (c, CallPhase::Connected),
        EmbedEvent::CallEnded(c) => (
            c,
            CallPhase::Ended {
                result: c.result.clone().unwrap_or_else(|| "ended".into()),
                duration_secs: c.duration,
            },
        ),
        _ => return current,
    };
    let root = root_call_id(&call.call_id);
    match current {
        Some(cur) if cur.call_id == root => Some(advance(cur, call, phase, now_ms)),
        Some(cur) if !matches!(cur.phase, CallPhase::Ended { .. }) => Some(cur),
        _ => Some(start(root, call, phase, now_ms)),
    }
}

fn start(root: &str, call: &CallEvent, phase: CallPhase, now_ms: f64) -> CurrentCall {
    let party = call.external_party();
    CurrentCall {
        call_id: root.to_owned(),
        direction: call.direction.clone(),
        party_name: party.and_then(|p| p.display_name()).map(str::to_owned),
        party_number: party.and_then(|p| p.any_number()).map(str::to_owned),
        connected_at_ms: (phase == CallPhase::Connected).then_some(now_ms),
        ringing_at_ms: (phase == CallPhase::Ringing).then_some(now_ms),
        phase,
    }
}

fn advance(mut cur: CurrentCall, call: &CallEvent, phase: CallPhase, now_ms: f64) -> CurrentCall {
    let party = call.external_party();
    if cur.party_name.is_none() {
        cur.party_name = party.and_then(|p| p.display_name()).map(str::to_owned);
    }
    if cur.party_number.is_none() {
        cur.party_number = party.and_then(|p| p.any_number()).map(str::to_owned);
    }
    if phase.rank() > cur.phase.rank() {
        if phase == CallPhase::Connected {
            cur.connected_at_ms = Some(now_ms);
        }
        cur.phase = phase;
    }
    cur
}

/// `m:ss` (or `h:mm:ss`) for a number of seconds.
pub fn format_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::display_number;
    use crate::domain::protocol::Party;

    fn event(kind: &str, call_id: &str) -> EmbedEvent {
        let call = CallEvent {
            call_id: call_id.into(),
            direction: Some(Direction::Outbound),
            callee: Some(Party {
                phone_number: Some("+14155550123".into()),
                ..Party::default()
            }),
            result: Some("ended".into()),
            duration: Some(42),
            ..CallEvent::default()
        };
        match kind {
            "ringing" => EmbedEvent::CallRinging(call),
            "connected" => EmbedEvent::CallConnected(call),
            _ => EmbedEvent::CallEnded(call),
        }
    }

    fn run(events: &[(&str, &str)]) -> Option<CurrentCall> {
        events
            .iter()
            .enumerate()
            .fold(None, |cur, (i, (kind, id))| {
                apply(cur, &event(kind, id), i as f64 * 1000.0)
            })
    }

    #[test]
    fn ringing_connected_ended() {
        let call = run(&[("ringing", "a"), ("connected", "a"), ("ended", "a")]).unwrap();
        assert_eq!(call.party_number.as_deref(), Some("+14155550123"));
        assert_eq!(call.connected_at_ms, Some(1000.0));
        assert_eq!(call.ringing_at_ms, Some(0.0));
        assert_eq!(
            call.phase,
            CallPhase::Ended {
                result: "ended".into(),
                duration_secs: Some(42)
            }
        );
    }

    #[test]
    fn late_events_do_not_revive_an_ended_call() {
        let call = run(&[("ringing", "a"), ("ended", "a"), ("connected", "a")]).unwrap();
        assert_eq!(call.phase.name(), "ended");
    }

    #[test]
    fn another_call_waits_until_the_current_one_ends() {
        let call = run(&[("connected", "a"), ("ringing", "b")]).unwrap();
        assert_eq!(call.call_id, "a");
        let call = run(&[("connected", "a"), ("ended", "a"), ("ringing", "b")]).unwrap();
        assert_eq!((call.call_id.as_str(), call.phase.name()), ("b", "ringing"));
    }

    #[test]
    fn transfer_leg_belongs_to_its_root() {
        assert_eq!(root_call_id("abc_1"), "abc");
        assert_eq!(root_call_id("abc_x"), "abc_x");
        assert_eq!(root_call_id("_1"), "_1");
        let call = run(&[("ringing", "a"), ("connected", "a_1")]).unwrap();
        assert_eq!(
            (call.call_id.as_str(), call.phase.name()),
            ("a", "connected")
        );
    }

    #[test]
    fn the_banner_says_where_the_call_is_and_who_it_is_with() {
        let mut call = run(&[("ringing", "a")]).unwrap();
        assert_eq!(call.phase_label(), "Outgoing call ringing");
        assert_eq!(call.party_label(None, display_number), "(415) 555-0123");
        assert_eq!(
            call.party_label(Some("Ada Bartik"), display_number),
            "Ada Bartik"
        );
        assert_eq!(call.timer_secs(65_000.0), Some(65));
        assert!(call.is_live());
        call.party_name = Some("Dana".into());
        assert_eq!(call.party_label(Some("Ada Bartik"), display_number), "Dana");
        let ended = run(&[("ringing", "a"), ("ended", "a")]).unwrap();
        assert_eq!(ended.phase_label(), "Call ended");
        assert_eq!(ended.timer_secs(999_999.0), Some(42));
        let missed = CurrentCall {
            phase: CallPhase::Ended {
                result: "no_answer".into(),
                duration_secs: None,
            },
            ..ended
        };
        assert_eq!(missed.phase_label(), "Call ended: no answer");
        assert_eq!(missed.timer_secs(0.0), None);
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(0), "0:00");
        assert_eq!(format_duration(366), "6:06");
        assert_eq!(format_duration(3725), "1:02:05");
    }
}
